"""outcomes.summary.row: one table row's statistics: flags of small and degenerate groups, the MCID,
recovery against the published cut-off, retention at follow-up."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from outcomes.schema import CANONICAL_COLUMNS
from outcomes.summary import classify_change, summarize


def test_groups_with_zero_or_one_client_give_nan_rows_and_flags(pairs_frame):
    df = pd.concat(
        [
            pairs_frame([6], [4], condition="tmj"),
            pairs_frame([6, 7, 5], [4, 4, 4], condition="headache").assign(
                client_id=lambda d: "H" + d.client_id
            ),
        ]
    )
    table = summarize(df).set_index("condition")
    assert table.loc["tmj", "flags"] == "insufficient"
    assert np.isnan(table.loc["tmj", ["ci_low", "p_ttest", "d_z", "boot_ci_low"]].astype(float)).all()
    assert table.loc["headache", "flags"] == "small_n"
    # pre only: counted as unpaired, never silently dropped
    only_pre = pd.DataFrame(
        {
            "client_id": ["Z"],
            "session": [1],
            "timepoint": ["pre"],
            "measure": ["pain_nrs"],
            "score": [5.0],
            "condition": ["tmj"],
        }
    )
    row = summarize(pd.concat([df, only_pre])).set_index("condition").loc["tmj"]
    assert row["n_clients"] == 1 and row["n_clients_unpaired"] == 1


def test_zero_variance_of_differences_is_defined(pairs_frame):
    row = summarize(pairs_frame([6, 5, 7], [5, 4, 6])).iloc[0]
    assert row["mean_change"] == -1 and row["ci_low"] == -1 and row["ci_high"] == -1
    assert np.isnan(row["d_z"]) and np.isnan(row["p_ttest"])
    assert "zero_variance" in row["flags"]


def test_mcid_is_reached_despite_floating_point_noise():
    """Every client improves by exactly 2 points (the MCID of pain NRS) at each of three sessions;
    averaging 0.1-step decimals must not make some of them fall short."""
    rows = []
    for i in range(40):
        for s, pre in enumerate((7.3, 6.1, 5.7), start=1):
            rows += [
                (f"C{i}", s, "pre", "pain_nrs", pre + i % 3 / 10, "tmj"),
                (f"C{i}", s, "post", "pain_nrs", pre + i % 3 / 10 - 2, "tmj"),
            ]
    df = pd.DataFrame(rows, columns=list(CANONICAL_COLUMNS))
    assert summarize(df).iloc[0]["pct_mcid"] == 100.0
    assert classify_change(df, level="session")["reached_mcid"].all()


def test_recovered_uses_the_published_cutoff(course_frame):
    """PSQI: a global score above 5 marks a poor sleeper (Buysse 1989); r_tt = 0.85."""
    pre = np.array([12, 10, 9, 4, 15, 11], dtype=float)
    post = np.array([4, 9, 5, 3, 14, 5], dtype=float)
    row = summarize(course_frame(pre, post, measure="psqi"), level="course").iloc[0]
    sd = np.std(pre, ddof=1)
    threshold = 1.959963984540054 * sd * np.sqrt(2 * 0.15)
    reliable = (pre - post) > threshold
    recovered = (pre > 5) & (post <= 5) & reliable
    assert row["n_clinical_baseline"] == 5
    assert row["pct_recovered"] == pytest.approx(100 * recovered.sum() / 5)


def test_followup_level_and_retention():
    df = pd.DataFrame(
        {
            "client_id": ["A", "A", "A", "B", "B", "B", "C", "C"],
            "session": 1,
            "timepoint": ["pre", "post", "followup"] * 2 + ["pre", "post"],
            "measure": "pain_nrs",
            "score": [6, 2, 4, 8, 4, 6, 5, 3],
            "condition": "tmj",
        }
    )
    row = summarize(df, level="followup").iloc[0]
    assert row["n_clients"] == 2 and row["n_clients_unpaired"] == 0  # C has no follow-up: not in this level
    assert row["mean_change"] == pytest.approx(-2.0)
    assert row["retention"] == pytest.approx(2.0 / 4.0)  # follow-up change −2 of an immediate −4


def test_retention_uses_the_same_sessions():
    """Session 1: 8 -> 4 right after, 6 a few days later; session 2: 8 with a follow-up of 8 but no
    post. Retention compares follow-up and immediate change over the sessions that have both:
    session 1 only, (6 - 8) / (4 - 8) = 0.5 (using session 2's follow-up would give 0.25)."""
    df = pd.DataFrame(
        {
            "client_id": "A",
            "session": [1, 1, 1, 2, 2],
            "timepoint": ["pre", "post", "followup", "pre", "followup"],
            "measure": "pain_nrs",
            "score": [8, 4, 6, 8, 8],
            "condition": "tmj",
        }
    )
    row = summarize(df, level="followup").iloc[0]
    assert row["retention"] == pytest.approx(0.5)
    assert row["mean_change"] == pytest.approx(-1.0)  # the follow-up change uses every session with both
