"""The grant report's screening shares and safety count: suppressed like the counts they stand for."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

import outcomes as oc


def _practice(
    above_start: dict[str, int], above_end: dict[str, int], positive: int, n: int = 40
) -> pd.DataFrame:
    """Two conditions of ``n`` clients each, EPDS at sessions 1 and 6 (14 = above the cut-off of 11,
    6 = below), and ``positive`` clients with a positive item 10 (points, scored)."""
    parts = []
    for cond in ("postpartum", "pelvic_pain"):
        start = np.where(np.arange(n) < above_start[cond], 14, 6)
        end = np.where(np.arange(n) < above_end[cond], 13, 5)
        parts.append(
            pd.DataFrame(
                {
                    "client_id": np.repeat([f"{cond[:2].upper()}{i:03d}" for i in range(n)], 2),
                    "session": np.tile([1, 6], n),
                    "condition": cond,
                    "year": 2025,
                    "epds_pre": np.ravel(np.column_stack([start, end])),
                    "pain_nrs_pre": 6,
                    "pain_nrs_post": 4,
                }
            )
        )
    df = pd.concat(parts, ignore_index=True)
    df["epds_item10_pre"] = 0
    df.loc[df.index[: 2 * positive : 2], "epds_item10_pre"] = 1
    return df


def _grant(df: pd.DataFrame) -> oc.reporting.GrantReport:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return oc.grant_report(oc.read_sessions(df), period=2025, by=())


def test_a_share_that_gives_a_small_count_is_hidden_and_so_is_the_total():
    report = _grant(
        _practice({"postpartum": 25, "pelvic_pain": 35}, {"postpartum": 20, "pelvic_pain": 20}, 15)
    )
    t = report.tables["screening"].set_index("condition")
    assert t.loc["postpartum", "pct_clinical_pre"] == pytest.approx(62.5)  # 25 of 40: both sides >= 11
    assert np.isnan(t.loc["pelvic_pain", "pct_clinical_pre"])  # 35 of 40: the 5 below would show
    assert np.isnan(t.loc["All clients", "pct_clinical_pre"])  # else 60 - 25 gives pelvic pain's 35
    assert t["pct_clinical_post"].tolist() == pytest.approx([50.0, 50.0, 50.0])
    assert report.counts[("K", "epds", "postpartum", "pre")] == 25
    assert report.counts[("K", "epds", "pelvic_pain", "pre")] is None
    assert "pct_clinical_pre" not in report.tables["outcomes"]  # shown in one table only


def test_the_safety_count_is_shown_only_when_it_is_not_small():
    shown = _grant(
        _practice({"postpartum": 20, "pelvic_pain": 20}, {"postpartum": 20, "pelvic_pain": 20}, 15)
    )
    row = shown.tables["overview"].set_index("item").filter(like="self-harm", axis=0)
    assert row["count"].tolist() == [15] and not row["suppressed"].iat[0]
    hidden = _grant(
        _practice({"postpartum": 20, "pelvic_pain": 20}, {"postpartum": 20, "pelvic_pain": 20}, 3)
    )
    row = hidden.tables["overview"].set_index("item").filter(like="self-harm", axis=0)
    assert row["count"].isna().all() and row["suppressed"].iat[0]
    assert hidden.counts[("F", "safety")] is None
    html = oc.reporting.grant_html(hidden)
    assert "PO000" not in html and "self-harm" in html  # a count, never which clients


def test_no_safety_line_without_a_safety_item():
    df = _practice({"postpartum": 20, "pelvic_pain": 20}, {"postpartum": 20, "pelvic_pain": 20}, 0)
    report = _grant(df.drop(columns="epds_item10_pre"))
    assert not report.tables["overview"]["item"].str.contains("self-harm").any()


def test_the_ledger_hides_a_share_whose_difference_from_a_published_report_is_small(tmp_path):
    later = _practice({"postpartum": 25, "pelvic_pain": 20}, {"postpartum": 20, "pelvic_pain": 20}, 15)
    earlier = _practice({"postpartum": 5, "pelvic_pain": 0}, {"postpartum": 0, "pelvic_pain": 0}, 0, n=5)
    earlier = earlier.assign(year=2024, client_id="E" + earlier["client_id"])
    data = oc.read_sessions(pd.concat([later, earlier], ignore_index=True))
    ledger = tmp_path / "ledger.json"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        first = oc.grant_report(data, period=2025, by=(), ledger=ledger)
        oc.reporting.write_grant_xlsx(first, tmp_path / "2025.xlsx")
        both = oc.grant_report(data, period="2024-2025", by=(), ledger=ledger, allow_overlap=True)
    assert first.counts[("K", "epds", "postpartum", "pre")] == 25
    # 2024-2025: 30 of 45 above at the start would pass on its own, but 30 - 25 gives 2024's 5
    assert both.counts[("K", "epds", "postpartum", "pre")] is None
    t = both.tables["screening"].set_index("condition")
    assert np.isnan(t.loc["postpartum", "pct_clinical_pre"])
