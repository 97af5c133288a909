"""outcomes.summary.table: summarize against outside references (R, scipy, statsmodels), its
arguments and documented columns, and its properties."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy import stats
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import proportion_confint

import outcomes as oc
from outcomes.instruments import Instrument, InstrumentRegistry
from outcomes.summary import summarize

# Student (1908) / Cushny & Peebles (1905): R datasets::sleep
DRUG_1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]
DRUG_2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4]


def _registry_with(*extra: Instrument) -> InstrumentRegistry:
    reg = oc.default_registry().copy()
    for inst in extra:
        reg.register(inst)
    return reg


EXTRA_SLEEP = Instrument(
    key="extra_sleep_h", label="Extra sleep (hours)", unit="hours", min=-10, max=10, direction="higher"
)


def test_summarize_matches_R_t_test_on_student_sleep(pairs_frame):
    """R: t.test(extra ~ group, data = sleep, paired = TRUE) with drug 1 − drug 2:
    t = −4.0621, df = 9, p = 0.002833, 95% CI −2.4598858 to −0.7001142, mean −1.58.
    Here pre = drug 2 and post = drug 1, so change = drug 1 − drug 2."""
    reg = _registry_with(EXTRA_SLEEP)
    df = pairs_frame(DRUG_2, DRUG_1, measure="extra_sleep_h")
    row = summarize(df, instruments=reg).iloc[0]
    assert row["n_clients"] == 10 and row["n_sessions"] == 10
    assert row["mean_change"] == pytest.approx(-1.58)
    assert row["ci_low"] == pytest.approx(-2.4598858, abs=1e-6)
    assert row["ci_high"] == pytest.approx(-0.7001142, abs=1e-6)
    assert row["p_ttest"] == pytest.approx(0.002833, abs=5e-7)
    assert row["d_z"] == pytest.approx(-1.2846, abs=5e-5)
    # R: wilcox.test(drug_1, drug_2, paired = TRUE): V = 0, p-value = 0.009091
    assert row["p_wilcoxon"] == pytest.approx(0.009091, abs=5e-7)
    assert row["mean_improvement"] == pytest.approx(-1.58)  # higher is better: drug 1 gives less sleep


def test_summarize_matches_scipy_and_statsmodels(pairs_frame, rng):
    """p-values from scipy.stats on the client-level arrays, Holm from statsmodels.multipletests,
    Wilson intervals from statsmodels.proportion_confint, on the same data."""
    pre = rng.integers(3, 9, size=40).astype(float)
    post = np.clip(pre - rng.integers(-1, 4, size=40), 0, 10)
    df = pd.concat(
        [
            pairs_frame(pre[:25], post[:25], condition="tmj"),
            pairs_frame(pre[25:], post[25:], condition="headache").assign(
                client_id=lambda d: "H" + d["client_id"]
            ),
        ]
    )
    table = summarize(df)
    for cond, sl in (("headache", slice(25, 40)), ("tmj", slice(0, 25))):
        row = table.set_index("condition").loc[cond]
        a, b = pre[sl], post[sl]
        assert row["p_ttest"] == pytest.approx(stats.ttest_rel(b, a).pvalue, rel=1e-10)
        d = b - a
        assert row["p_wilcoxon"] == pytest.approx(
            stats.wilcoxon(d[d != 0], zero_method="wilcox", correction=True, method="approx").pvalue,
            rel=1e-10,
        )
        k = int(np.sum(-(b - a) >= 2))
        lo, hi = proportion_confint(k, len(a), alpha=0.05, method="wilson")
        assert row["pct_mcid"] == pytest.approx(100 * k / len(a))
        assert row["pct_mcid_ci_low"] == pytest.approx(100 * lo) and row["pct_mcid_ci_high"] == pytest.approx(
            100 * hi
        )
    assert table["p_holm"].to_numpy() == pytest.approx(multipletests(table["p_ttest"], method="holm")[1])


def test_client_with_several_conditions_counts_in_each(pairs_frame):
    df = pairs_frame([6, 5], [4, 5], condition="headache;tmj")
    table = summarize(df)
    assert table["condition"].tolist() == ["headache", "tmj"]
    assert table["n_clients"].tolist() == [2, 2]


def test_measure_absent_from_a_group_gives_no_row(pairs_frame):
    df = pd.concat(
        [
            pairs_frame([6, 5], [4, 4], condition="tmj"),
            pairs_frame([6, 5], [4, 4], condition="headache", measure="stress_nrs"),
        ]
    )
    table = summarize(df)
    assert sorted(zip(table["condition"], table["measure"], strict=True)) == [
        ("headache", "stress_nrs"),
        ("tmj", "pain_nrs"),
    ]


def test_bad_arguments(pairs_frame):
    df = pairs_frame([6, 5], [4, 4])
    with pytest.raises(ValueError, match="level must be one of"):
        summarize(df, level="weekly")
    with pytest.raises(oc.SchemaError, match="Cannot group by 'payer'"):
        summarize(df, by="payer")
    with pytest.raises(oc.UnknownInstrumentError):
        summarize(df, measures=["pian"])
    for reserved in ("session", "timepoint", "score", "measure"):
        with pytest.raises(ValueError, match="attribute columns"):
            summarize(df, by=reserved)
    a = summarize(df.assign(year=2025), by="year")
    b = summarize(df.assign(year=2025.0), by="year")
    assert a["boot_ci_low"].tolist() == b["boot_ci_low"].tolist()  # the seed does not depend on dtype
    gen = summarize(df, seed=np.random.default_rng(1))
    assert np.isfinite(gen["boot_ci_low"]).all()


def test_columns_are_the_documented_api(pairs_frame):
    table = summarize(pairs_frame([6, 5, 7], [4, 4, 3]), level=["session", "course"])
    doc = summarize.__doc__ or ""
    for col in table.columns:
        assert f"``{col}``" in doc, col
    assert isinstance(table.index, pd.RangeIndex)


# ---------------------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------------------
scores = st.lists(st.integers(0, 10), min_size=3, max_size=25)


@st.composite
def paired_scores(draw):
    pre = draw(scores)
    post = draw(st.lists(st.integers(0, 10), min_size=len(pre), max_size=len(pre)))
    return np.array(pre, float), np.array(post, float)


_settings = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_settings
@given(paired_scores())
def test_swapping_pre_and_post_flips_the_sign(pairs_frame, pair):
    pre, post = pair
    a = summarize(pairs_frame(pre, post), n_boot=200).iloc[0]
    b = summarize(pairs_frame(post, pre), n_boot=200).iloc[0]
    assert b["mean_change"] == pytest.approx(-a["mean_change"])
    assert (np.isnan(a["d_z"]) and np.isnan(b["d_z"])) or b["d_z"] == pytest.approx(-a["d_z"])
    assert b["ci_low"] == pytest.approx(-a["ci_high"]) or np.isnan(a["ci_low"])


@_settings
@given(paired_scores(), st.floats(-50, 50))
def test_shifting_all_scores_leaves_effect_sizes_unchanged(pairs_frame, pair, shift):
    pre, post = pair
    reg = _registry_with(Instrument(key="wide_nrs", label="wide", min=-100, max=100, direction="lower"))
    a = summarize(pairs_frame(pre, post, measure="wide_nrs"), n_boot=200, instruments=reg).iloc[0]
    b = summarize(
        pairs_frame(pre + shift, post + shift, measure="wide_nrs"), n_boot=200, instruments=reg
    ).iloc[0]
    for col in ("d_z", "g_av", "smc", "mean_change"):
        assert (np.isnan(a[col]) and np.isnan(b[col])) or b[col] == pytest.approx(a[col], rel=1e-6, abs=1e-9)


@_settings
@given(paired_scores(), st.randoms(use_true_random=False))
def test_permuting_clients_changes_nothing(pairs_frame, pair, random):
    pre, post = pair
    df = pairs_frame(pre, post)
    order = list(range(len(df) // 2))
    random.shuffle(order)
    shuffled = pd.concat([df.iloc[2 * i : 2 * i + 2] for i in order])
    pd.testing.assert_frame_equal(summarize(df, n_boot=200), summarize(shuffled, n_boot=200))


@_settings
@given(paired_scores())
def test_every_interval_contains_its_estimate(pairs_frame, pair):
    pre, post = pair
    row = summarize(pairs_frame(pre, post), n_boot=200).iloc[0]
    for est, lo, hi in (
        ("mean_change", "ci_low", "ci_high"),
        ("mean_change", "boot_ci_low", "boot_ci_high"),
        ("smc", "smc_ci_low", "smc_ci_high"),
        ("pct_mcid", "pct_mcid_ci_low", "pct_mcid_ci_high"),
        ("mean_improvement", "improvement_ci_low", "improvement_ci_high"),
    ):
        if np.isfinite(row[lo]) and np.isfinite(row[hi]):
            assert row[lo] - 1e-9 <= row[est] <= row[hi] + 1e-9, est
