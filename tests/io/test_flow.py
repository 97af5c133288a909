"""outcomes.io.flow: the ledger of every source row and score: kept, or excluded with its reason."""

from __future__ import annotations

import numpy as np

import outcomes as oc


def test_flow_accounts_for_every_row(tmp_path, rng, long_csv, write_file):
    data = oc.read_sessions(write_file(tmp_path / "x.csv", long_csv + ",,,,,,\n"))
    rows = data.flow[data.flow.unit == "rows"]
    assert rows.loc[rows.step == "read", "count"].sum() == rows.loc[rows.step != "read", "count"].sum()
    assert np.all(data.flow["count"] >= 0)


def test_errors_exclude_keeps_good_rows_and_counts_the_rest(tmp_path, long_csv, write_file):
    text = long_csv + "C3,1,pre,pain_nrs,55,tmj,18-24\nC3,1,post,pian,5,tmj,18-24\n"
    data = oc.read_sessions(write_file(tmp_path / "x.csv", text), errors="exclude")
    assert len(data.frame) == 6
    flow = data.flow.set_index(["unit", "reason"])["count"]
    assert flow[("rows", "invalid: out of range")] == 1
    assert flow[("rows", "invalid: unknown measure")] == 1
    assert list(data.failure_cases["check"]) == ["out_of_range", "unknown_measure"]


def test_wide_cells_excluded_individually(tmp_path, write_file):
    wide = (
        "client_id,session,condition,pain_nrs_pre,pain_nrs_post,stress_nrs_pre\n"
        "C1,1,tmj,6,UNK,5\n"
        "C1,2,tmj,,,\n"
    )
    data = oc.read_sessions(write_file(tmp_path / "w.csv", wide), errors="exclude")
    flow = data.flow.set_index(["unit", "reason"])["count"]
    assert flow[("rows", "rows kept (at least one score in the table)")] == 1
    assert flow[("rows", "no score recorded in the row")] == 1
    assert flow[("scores", "invalid: missing code")] == 1
    assert flow[("scores", "scores in the table")] == 2
    assert data.failure_cases["column"].tolist() == ["pain_nrs_post"]
