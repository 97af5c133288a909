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


def test_a_blank_score_is_not_recorded_in_every_layout(tmp_path, write_file):
    """Issue 15: in the long layout an empty score cell was an error nothing could switch off (and
    ``--na-values ""`` did nothing) while the same empty cell passed in the pre/post layout. Now a
    blank score is 'not recorded' in every layout, with the same row reason; only a code needs
    declaring."""
    texts = {
        "long": "client_id,session,timepoint,measure,score,condition\n"
        "C1,1,pre,pain_nrs,6,tmj\nC1,1,post,pain_nrs,4,tmj\n"
        "C2,1,pre,pain_nrs,,tmj\nC2,1,post,pain_nrs, ,tmj\n",
        "prepost": "client_id,session,measure,pre,post,condition\n"
        "C1,1,pain_nrs,6,4,tmj\nC2,1,pain_nrs,,,tmj\n",
        "wide": "client_id,session,condition,pain_nrs_pre,pain_nrs_post\nC1,1,tmj,6,4\nC2,1,tmj,,\n",
        "redcap": "record_id,redcap_repeat_instrument,redcap_repeat_instance,condition,pain_nrs_pre,"
        "pain_nrs_post\nC1,,,tmj,,\nC1,session,1,,6,4\nC2,,,tmj,,\nC2,session,1,,,\n",
    }
    frames = {}
    for layout, text in texts.items():
        data = oc.read_sessions(
            write_file(tmp_path / f"{layout}.csv", text), layout=layout
        )  # raises on error
        flow = data.flow.set_index(["unit", "reason"])["count"]
        assert flow[("rows", "no score recorded in the row")] >= 1, layout
        assert len(data.failure_cases) == 0, layout
        frames[layout] = data.frame[["client_id", "session", "timepoint", "measure", "score"]]
    for frame in frames.values():
        assert frame.reset_index(drop=True).equals(frames["long"].reset_index(drop=True))
    long_flow = oc.read_sessions(tmp_path / "long.csv").flow.set_index(["unit", "reason"])["count"]
    assert long_flow[("scores", "no score recorded (blank cell)")] == 2
    # a code still needs declaring: it is not a blank
    coded = texts["long"].replace("C2,1,pre,pain_nrs,,", "C2,1,pre,pain_nrs,UNK,")
    data = oc.read_sessions(write_file(tmp_path / "coded.csv", coded), errors="exclude")
    assert data.failure_cases["check"].tolist() == ["missing_code"]
