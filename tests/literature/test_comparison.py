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
