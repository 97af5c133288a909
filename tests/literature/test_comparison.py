"""outcomes.literature.comparison, .verdicts and .result: the practice beside published arms, like with
like, a verdict for each assumed r, and the LiteratureComparison (with the long table of earlier
versions). The ``comparison`` fixture (tests/conftest.py) compares the long sample file."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

import outcomes as oc
from outcomes.literature import compare_literature, load_literature


def test_between_group_effects_are_never_compared(comparison):
    between = comparison.between_groups
    assert len(between) > 0
    assert "smc" not in between.columns and "share" not in between.columns
    ids = set(between["source"])
    assert "haller2016_vas_between_w8" in ids and "haller2020_pain_vs_sham" in ids
    assert not set(comparison.arms["source"]) & ids
    assert "castejon2019_colic_d14" not in ids  # infant colic: not a condition of this practice


def test_conditions_without_published_data_say_so(comparison):
    msgs = comparison.no_comparator["message"]
    assert any(m.startswith("No published CST data with a comparable measure for TMJ") for m in msgs)


def test_a_verdict_for_each_assumed_r(comparison):
    verdicts = comparison.verdicts[comparison.verdicts.condition == "headache"]
    assert sorted(verdicts["assumed_r"]) == [0.3, 0.5, 0.7]
    assert all("r = 0." in v for v in verdicts["verdict"])
    practice = comparison.practice[
        (comparison.practice.level == "course")
        & (comparison.practice.condition == "headache")
        & (comparison.practice.measure == "hit6")
    ].iloc[0]
    pooled = comparison.pooled[
        (comparison.pooled.role == "pooled_cst")
        & (comparison.pooled.condition == "headache")
        & (comparison.pooled.assumed_r == 0.5)
    ].iloc[0]
    v = verdicts[verdicts.assumed_r == 0.5].iloc[0]
    assert v["share"] == pytest.approx(practice["smc"] / pooled["smc"])
    assert v["share_ci_low"] < v["share"] < v["share_ci_high"] or math.isnan(v["share_ci_low"])


def test_session_level_is_shown_but_labelled_not_comparable(comparison):
    sess = comparison.practice[comparison.practice.level == "session"]
    assert len(sess) and not sess["comparable"].any()
    assert all("not comparable" in n for n in sess["note"])


def test_verdict_uses_sham_and_natural_history_benchmarks():
    """A crafted practice summary beside crafted arms: CST arm 0.8, sham arm 0.3 (both with SDs)."""
    lit = load_literature().iloc[0:0]
    extra = pd.DataFrame(
        [
            dict(
                id="x_cst",
                citation="X 2020",
                doi_or_url="10.0/x",
                effect_kind="within_arm",
                arm="cst",
                modality="cst",
                condition="tmj",
                construct="pain",
                estimate_type="means",
                higher_is_better="false",
                verification="user",
                n=40,
                mean_baseline=6.0,
                sd_baseline=2.0,
                mean_endpoint=4.4,
            ),
            dict(
                id="x_sham",
                citation="X 2020",
                doi_or_url="10.0/x",
                effect_kind="within_arm",
                arm="sham",
                modality="sham",
                condition="tmj",
                construct="pain",
                estimate_type="means",
                higher_is_better="false",
                verification="user",
                n=40,
                mean_baseline=6.0,
                sd_baseline=2.0,
                mean_endpoint=5.4,
            ),
        ]
    )
    lit = load_literature(extra)
    lit = lit[lit["source"] != "packaged"]
    summary = pd.DataFrame(
        [
            dict(
                condition="tmj",
                measure="pain_nrs",
                level="course",
                n_clients=60,
                smc=-0.8,
                smc_ci_low=-1.0,
                smc_ci_high=-0.6,
                mean_pre=6.0,
                mean_improvement=1.6,
            )
        ]
    )
    out = compare_literature(summary, literature=lit, assumed_r=(0.5,))
    v = out.verdicts.iloc[0]
    assert "larger than the sham arm benchmark" in v["verdict"]
    pooled = out.pooled.set_index("role")
    assert v["diff_vs_sham"] == pytest.approx(0.8 - pooled.loc["pooled_sham", "smc"])
    assert set(out.arms["role"]) == {"cst", "sham"} and set(pooled.index) == {"pooled_cst", "pooled_sham"}
    assert out.practice["level"].tolist() == ["course"]


def test_bad_arguments(comparison):
    table = oc.sample_data().frame
    with pytest.raises(ValueError, match="assumed_r"):
        compare_literature(table, assumed_r=(1.0,))
    with pytest.raises(ValueError, match="margin"):
        compare_literature(table, margin=1.5)
    assert np.isfinite(comparison.pooled.loc[comparison.pooled.role == "pooled_cst", "smc"]).all()


def test_the_long_table_of_earlier_versions_still_works_and_warns(comparison):
    long = comparison.to_frame()
    assert set(long["part"]) == {"benchmark", "between_groups", "no_comparator"}
    parts = ("arms", "pooled", "verdicts", "between_groups", "no_comparator")
    with_comparator = int(comparison.practice["has_comparator"].sum())
    assert len(long) == with_comparator + sum(len(getattr(comparison, n)) for n in parts)
    with pytest.warns(DeprecationWarning, match="to_frame"):
        part = comparison["part"]
    pd.testing.assert_series_equal(part, long["part"])


# --------------------------------------------------------------------------- one timepoint per trial


def _cst_arm(id_, trial, weeks, endpoint, n=27):
    return dict(
        id=id_,
        trial=trial,
        citation=f"{trial} 2021",
        doi_or_url="10.0/t",
        effect_kind="within_arm",
        arm="cst",
        modality="cst",
        condition="tmj",
        construct="pain",
        estimate_type="means",
        higher_is_better="false",
        verification="user",
        n=n,
        weeks=weeks,
        mean_baseline=6.0,
        sd_baseline=2.0,
        mean_endpoint=endpoint,
    )


def _course_summary(smc=-0.8):
    return pd.DataFrame(
        [
            dict(
                condition="tmj",
                measure="pain_nrs",
                level="course",
                n_clients=60,
                smc=smc,
                smc_ci_low=smc - 0.2,
                smc_ci_high=smc + 0.2,
                mean_pre=6.0,
                mean_improvement=1.6,
            )
        ]
    )


def test_two_timepoints_of_one_trial_are_never_pooled_as_independent():
    """Trial T follows the same 27 patients to week 8 and week 20; trial U is another trial. The
    practice's median course is 10 weeks, so T's week-8 arm joins U's arm in the pool (k = 2,
    n = 27 + 40, not 94) and the week-20 arm is shown beside it, not pooled."""
    extra = pd.DataFrame(
        [
            _cst_arm("t_week8", "T", 8, 4.4),
            _cst_arm("t_week20", "T", 20, 3.6),
            _cst_arm("u_week6", "U", 6, 4.8, n=40),
        ]
    )
    lit = load_literature(extra)
    lit = lit[lit["source"] != "packaged"]
    course = pd.DataFrame(
        [dict(condition="tmj", measure="pain_nrs", n_clients=60, sessions_median=6.0, weeks_median=10.0)]
    )
    out = compare_literature(_course_summary(), literature=lit, assumed_r=(0.5,), course=course)
    arms = out.arms.set_index("source")
    assert arms.loc["t_week8", "pooled"] and arms.loc["u_week6", "pooled"]
    assert not arms.loc["t_week20", "pooled"]
    assert arms.loc["t_week8", "trial"] == arms.loc["t_week20", "trial"] == "T"
    pool = out.pooled.set_index("role").loc["pooled_cst"]
    assert pool["k"] == 2 and pool["n"] == 27 + 40
    used = arms.loc[["t_week8", "u_week6"]]
    alone = oc.pool_arms(-used["smc"].to_numpy() * -1, _var_from_ci(used), method="reml", ci="hksj")
    assert pool["smc"] == pytest.approx(alone["estimate"], rel=1e-6)
    v = out.verdicts.iloc[0]
    assert "median course 6 sessions over 10 weeks" in v["verdict"] and "week 8" in v["verdict"]
    assert "week 20" not in v["verdict"]
    # a practice course of 20 weeks takes the week-20 arm instead
    course.loc[0, "weeks_median"] = 19.0
    late = compare_literature(_course_summary(), literature=lit, assumed_r=(0.5,), course=course)
    late_arms = late.arms.set_index("source")
    assert late_arms.loc["t_week20", "pooled"] and not late_arms.loc["t_week8", "pooled"]


def _var_from_ci(arms):
    """An arm's variance from its z interval (the table gives the interval, not the variance)."""
    return (((arms["smc_ci_high"] - arms["smc_ci_low"]) / (2 * 1.959963984540054)) ** 2).to_numpy()


# --------------------------------------------------------------------------- the verdict


def _bench(estimate=0.8, se=0.02, k=3):
    return dict(k=k, estimate=estimate, se=se, ci_low=estimate - 1.96 * se, ci_high=estimate + 1.96 * se)


def _verdict(p, sd, bench=None, margin=0.2, controls=None, **kw):
    from outcomes.literature.verdicts import verdict

    args = dict(
        margin=margin,
        confidence=0.95,
        measure_label="Pain",
        condition="tmj",
        r=0.5,
        n=40,
        approximate=False,
    )
    args.update(kw)
    return verdict(p, sd**2, _bench() if bench is None else bench, controls or {}, **args)


@pytest.mark.parametrize(
    ("p", "sd", "conclusion"),
    [
        (0.80, 0.05, "comparable"),  # shown to lie within 0.64 .. 0.96
        (1.50, 0.05, "larger"),  # far above: not "comparable" (the non-inferiority reading said so)
        (0.30, 0.05, "smaller"),
        (0.80, 0.20, "inconclusive"),  # too uncertain to show equivalence or a difference
    ],
)
def test_verdict_separates_comparable_larger_smaller_and_inconclusive(p, sd, conclusion):
    v = _verdict(p, sd)
    assert v["conclusion"] == conclusion
    assert conclusion in v["verdict"]


def test_equivalence_is_two_one_sided_tests_within_the_margin():
    """TOST (Schuirmann 1987): z_low = (p − (1 − m) b) / sqrt(v_p + (1 − m)² v_b) and
    z_high = ((1 + m) b − p) / sqrt(v_p + (1 + m)² v_b); comparable when both exceed z_{0.95}."""
    b = _bench()
    vb = ((b["ci_high"] - b["ci_low"]) / (2 * 1.959963984540054)) ** 2
    v = _verdict(0.9, 0.05, margin=0.2)
    assert v["equivalence_z_low"] == pytest.approx((0.9 - 0.64) / math.sqrt(0.0025 + 0.64 * vb))
    assert v["equivalence_z_high"] == pytest.approx((0.96 - 0.9) / math.sqrt(0.0025 + 1.44 * vb))
    assert v["conclusion"] == "inconclusive"  # z_high = 1.1 < 1.645: not shown to be below 0.96
    assert _verdict(0.9, 0.02, margin=0.2)["conclusion"] == "comparable"
    assert _verdict(0.9, 0.02, margin=0.05)["conclusion"] == "larger"  # a tighter margin, other words
    assert "within 20% of the benchmark" in _verdict(0.8, 0.05)["verdict"]


def test_verdict_states_the_course_beside_the_trials_timepoints():
    v = _verdict(0.8, 0.05, course="median course 6 sessions over 10 weeks", timepoints="X 2020 week 8")
    assert "median course 6 sessions over 10 weeks" in v["verdict"] and "X 2020 week 8" in v["verdict"]
    one = _verdict(0.8, 0.05, bench=_bench(k=1))
    assert "rests on one arm" in one["verdict"]
    none = _verdict(0.8, 0.05, bench=dict(k=0))
    assert none["conclusion"] == "no benchmark" and "No published CST arm" in none["verdict"]


def test_verdict_words_follow_the_confidence_level():
    v = _verdict(0.8, 0.05, confidence=0.9)
    assert "90% CI" in v["verdict"] and "95% CI" not in v["verdict"]
