"""outcomes.summary.row: one table row's statistics: flags of small and degenerate groups, the MCID,
recovery against the published cut-off, retention at follow-up."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

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
    assert row["mean_change"] == -1
    assert np.isnan(row["ci_low"]) and np.isnan(row["ci_high"])  # no zero-width interval
    assert np.isnan(row["boot_ci_low"]) and np.isnan(row["boot_ci_high"])
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
    """Client A, session 1: 8 -> 4 right after, 6 a few days later; session 2: 8 with a follow-up
    of 8 but no post. B: 7 -> 2 -> 4; C: 6 -> 2 -> 4. Retention compares follow-up and immediate
    change over the sessions that have both: (−2 − 3 − 2) / (−4 − 5 − 4) = 7/13 (using A's
    session 2 follow-up too would give 6/13)."""
    df = pd.DataFrame(
        {
            "client_id": ["A"] * 5 + ["B"] * 3 + ["C"] * 3,
            "session": [1, 1, 1, 2, 2] + [1] * 6,
            "timepoint": ["pre", "post", "followup", "pre", "followup"] + ["pre", "post", "followup"] * 2,
            "measure": "pain_nrs",
            "score": [8, 4, 6, 8, 8, 7, 2, 4, 6, 2, 4],
            "condition": "tmj",
        }
    )
    row = summarize(df, level="followup").iloc[0]
    assert row["retention"] == pytest.approx(7 / 13)
    # the follow-up change itself uses every session with a follow-up: A's mean is (−2 + 0) / 2
    assert row["mean_change"] == pytest.approx((-1 - 3 - 2) / 3)


def test_retention_needs_an_immediate_change_distinguishable_from_zero():
    """Immediate changes −3, +2, −1, 0 (mean −0.5, its interval spans 0): any ratio would be
    noise divided by noise, so there is none, and the row says why."""
    df = pd.DataFrame(
        {
            "client_id": np.repeat(list("ABCD"), 3),
            "session": 1,
            "timepoint": ["pre", "post", "followup"] * 4,
            "measure": "pain_nrs",
            "score": [6, 3, 5, 4, 6, 5, 5, 4, 5, 3, 3, 3],
            "condition": "tmj",
        }
    )
    row = summarize(df, level="followup").iloc[0]
    assert np.isnan(row["retention"]) and np.isnan(row["retention_ci_low"])
    assert "too small to divide by" in row["retention_note"]


def test_retention_interval_solves_fiellers_equation():
    """Fieller's limits ρ satisfy (m_f − ρ m_i)² = t² (v_f − 2ρ c + ρ² v_i), with the variances and
    covariance of the two means of the same clients and t on n − 1 df; the ratio lies inside."""
    rng = np.random.default_rng(7)
    n = 25
    pre = rng.normal(7, 1, n).round()
    post = (pre - rng.normal(3, 1, n)).round()
    fu = (post + rng.normal(1, 1, n)).round()
    df = pd.DataFrame(
        {
            "client_id": np.repeat([f"C{i}" for i in range(n)], 3),
            "session": 1,
            "timepoint": ["pre", "post", "followup"] * n,
            "measure": "pain_nrs",
            "score": np.column_stack([pre, post, fu]).ravel(),
            "condition": "tmj",
        }
    )
    row = summarize(df, level="followup").iloc[0]
    imm, held = post - pre, fu - pre
    cov = np.cov(imm, held, ddof=1) / n
    t = stats.t.ppf(0.975, n - 1)
    for rho in (row["retention_ci_low"], row["retention_ci_high"]):
        lhs = (held.mean() - rho * imm.mean()) ** 2
        rhs = t**2 * (cov[1, 1] - 2 * rho * cov[0, 1] + rho**2 * cov[0, 0])
        assert lhs == pytest.approx(rhs, rel=1e-9)
    assert row["retention_ci_low"] < row["retention"] == pytest.approx(held.mean() / imm.mean())
    assert row["retention"] < row["retention_ci_high"]
    assert row["retention_note"] == ""


def test_retention_of_identical_changes_has_no_interval():
    """Every client: −4 right after, −2 a few days later. The share is exactly 0.5, but an
    interval of zero width would claim certainty the data cannot give."""
    df = pd.DataFrame(
        {
            "client_id": np.repeat(list("ABC"), 3),
            "session": 1,
            "timepoint": ["pre", "post", "followup"] * 3,
            "measure": "pain_nrs",
            "score": [6, 2, 4, 8, 4, 6, 7, 3, 5],
            "condition": "tmj",
        }
    )
    row = summarize(df, level="followup").iloc[0]
    assert row["retention"] == pytest.approx(0.5)
    assert np.isnan(row["retention_ci_low"]) and np.isnan(row["retention_ci_high"])
    assert "every client's changes are equal" in row["retention_note"]
