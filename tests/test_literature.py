"""Published effects: the packaged table, user rows, the SMC metric, pooling, and the comparison."""

from __future__ import annotations

import csv
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import outcomes as oc
from outcomes.effects import fieller_interval
from outcomes.literature import compare_literature, literature_arms, load_literature, pool_arms
from outcomes.literature.table import _check_rows, _read_table

REFERENCE = Path(__file__).resolve().parent / "reference" / "literature_effects.csv"
PACKAGED = Path(oc.__file__).parent / "_data" / "literature.csv"

# Kacker (2004) example, with R metafor's output as recorded in statsmodels' test suite
# (statsmodels/stats/tests/results/results_meta.py: exk1_metafor = rma(method="PM"),
# exk1_dl = rma(method="DL")).
KACKER_Y = [61.00, 61.40, 62.21, 62.30, 62.34, 62.60, 62.70, 62.84, 65.90]
KACKER_V = [0.2025, 1.2100, 0.0900, 0.2025, 0.3844, 0.5625, 0.0676, 0.0225, 1.8225]


def test_packaged_table_keeps_every_reference_field():
    packaged = {r["id"]: r for r in csv.DictReader(PACKAGED.read_text(encoding="utf-8").splitlines())}
    for ref in csv.DictReader(REFERENCE.read_text(encoding="utf-8").splitlines()):
        for field, value in ref.items():
            assert packaged[ref["id"]][field] == value, (ref["id"], field)


def test_packaged_table_is_valid():
    """Every row has a source and a known effect kind; CIs are ordered and contain their estimate;
    scale facts agree with the registry where the instrument is known."""
    table = _read_table(PACKAGED.read_text(encoding="utf-8"), "literature.csv")
    fc = _check_rows(table, "literature.csv", oc.default_registry())
    assert fc.empty, fc.to_string()
    lit = load_literature()
    assert lit["citation"].notna().all() and lit["doi_or_url"].notna().all()
    assert set(lit["effect_kind"]) <= {"within_arm", "between_groups"}
    has_ci = lit["ci_low"].notna() & lit["ci_high"].notna()
    assert (lit.loc[has_ci, "ci_low"] <= lit.loc[has_ci, "ci_high"]).all()
    keyed = lit[lit["instrument_key"].notna()]
    assert {"hit6", "psqi", "pain_vas", "pain_nrs"} <= set(keyed["instrument_key"])
    assert (lit.loc[lit.effect_kind == "between_groups", "arm_role"] == "between_groups").all()
    assert set(lit.loc[lit.id.str.contains("sham_w"), "arm_role"]) == {"sham"}
    assert set(lit.loc[lit.id.str.contains("waitlist"), "arm_role"]) == {"natural_history"}


def test_pool_arms_matches_metafor_paule_mandel():
    """metafor rma(y, v, method = "PM"): b = 62.4076199113286, se = 0.338030602684471,
    CI 61.7450921043947 to 63.0701477182625, tau2 = 0.705395309224248."""
    res = pool_arms(KACKER_Y, KACKER_V, method="pm")
    assert res["estimate"] == pytest.approx(62.4076199113286, abs=1e-6)
    assert res["se"] == pytest.approx(0.338030602684471, abs=1e-6)
    assert res["ci_low"] == pytest.approx(61.7450921043947, abs=1e-6)
    assert res["ci_high"] == pytest.approx(63.0701477182625, abs=1e-6)
    assert res["tau2"] == pytest.approx(0.705395309224248, abs=1e-5)


def test_pool_arms_matches_metafor_dersimonian_laird():
    """metafor rma(y, v, method = "DL"): b = 62.3901386044504, se = 0.245749668040304,
    CI 61.9084781058787 to 62.8717991030221, tau2 = 0.288049246973751, I2 = 67.744403741711%."""
    res = pool_arms(KACKER_Y, KACKER_V, method="dl")
    assert res["estimate"] == pytest.approx(62.3901386044504, abs=1e-9)
    assert res["se"] == pytest.approx(0.245749668040304, abs=1e-9)
    assert res["ci_low"] == pytest.approx(61.9084781058787, abs=1e-9)
    assert res["ci_high"] == pytest.approx(62.8717991030221, abs=1e-9)
    assert res["tau2"] == pytest.approx(0.288049246973751, abs=1e-9)
    assert res["i2"] == pytest.approx(67.744403741711, abs=1e-8)
    # prediction interval, Higgins, Thompson & Spiegelhalter (2009): b ± t_{k-2} sqrt(tau2 + se^2)
    half = stats.t.ppf(0.975, 7) * math.sqrt(0.288049246973751 + 0.245749668040304**2)
    assert res["pi_low"] == pytest.approx(62.3901386044504 - half, abs=1e-8)
    assert res["pi_high"] == pytest.approx(62.3901386044504 + half, abs=1e-8)


def test_pool_arms_small_k():
    one = pool_arms([0.5], [0.04])
    assert (
        one["k"] == 1
        and one["estimate"] == 0.5
        and one["ci_low"] == pytest.approx(0.5 - 1.959964 * 0.2, 1e-6)
    )
    assert math.isnan(one["tau2"]) and math.isnan(one["pi_low"])
    two = pool_arms([0.5, 0.52], [0.04, 0.05])
    assert two["i2"] == 0.0 and math.isnan(two["pi_low"])
    assert pool_arms([], [])["k"] == 0


def test_published_arm_smc_follows_the_worked_example():
    """Domaranczyk 2020 HIT-6: baseline 62.67 (SD 4.65) -> 48.43, n = 30. worked_examples.md:
    d = (M_post − M_pre) / SD_pre, J = 1 − 3 / (4(n − 1) − 1), g = J d, var = 2(1 − r)/n + g²/(2n).
    HIT-6 is lower-better, so the improvement is −g."""
    arms = literature_arms(assumed_r=(0.5,))
    row = arms.set_index("id").loc["domaranczyk2020_hit6"]
    d = (48.43 - 62.67) / 4.65
    j = 1 - 3 / (4 * 29 - 1)
    g = j * d
    var = 2 * (1 - 0.5) / 30 + g**2 / 60
    assert row["smc"] == pytest.approx(-g)
    assert row["smc_var"] == pytest.approx(var)
    assert row["sd_source"] == "published baseline SD"
    assert row["pct_change"] == pytest.approx(100 * (62.67 - 48.43) / 62.67)


def test_published_arm_smc_from_sd_of_change_uses_the_assumed_r():
    """Ughreja 2023 PSQI: change −5.44 (SD 3.28), n = 9. Equal pre/post SDs give
    SD_pre = SD_change / sqrt(2(1 − r)); the result depends on r and says so."""
    arms = literature_arms(assumed_r=(0.3, 0.7)).set_index(["id", "assumed_r"])
    for r in (0.3, 0.7):
        row = arms.loc[("ughreja2023_psqi", r)]
        sd_pre = 3.28 / math.sqrt(2 * (1 - r))
        g = (1 - 3 / (4 * 8 - 1)) * (-5.44 / sd_pre)
        assert row["smc"] == pytest.approx(-g)
        assert row["smc_var"] == pytest.approx(2 * (1 - r) / 9 + g**2 / 18)
        assert "SD of the change" in row["sd_source"]


def test_arms_without_sd_or_n_are_not_standardized():
    arms = literature_arms(assumed_r=(0.5,)).set_index("id")
    assert not arms.loc["haller2016_vas_cst_w8", "comparable"]
    assert arms.loc["haller2016_vas_cst_w8", "pct_change"] == pytest.approx(50.0)
    assert "arm size not published" in arms.loc["dysmenorrhea2014_omt", "why_not"]


def test_fieller_interval_matches_its_defining_equation():
    """Fieller: the limits ρ solve (a − ρb)² = z² (v_a + ρ² v_b)."""
    a, va, b, vb = 0.4, 0.01, 0.8, 0.02
    lo, hi = fieller_interval(a, va, b, vb, 0.95)
    z2 = stats.norm.ppf(0.975) ** 2
    for rho in (lo, hi):
        assert (a - rho * b) ** 2 == pytest.approx(z2 * (va + rho**2 * vb))
    assert lo < a / b < hi
    # benchmark not distinct from 0
    assert all(math.isnan(x) for x in fieller_interval(0.4, 0.01, 0.1, 0.02, 0.95))


@pytest.fixture(scope="module")
def comparison() -> oc.LiteratureComparison:
    data = oc.read_sessions(
        Path(__file__).resolve().parents[1] / "data_samples" / "synthetic_practice_long.csv"
    )
    return compare_literature(data)


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


def test_user_rows_are_validated_with_every_problem(tmp_path):
    path = tmp_path / "mine.csv"
    path.write_text(
        "id,citation,doi_or_url,effect_kind,arm,condition,construct,estimate_type,higher_is_better,verification,"
        "estimate,ci_low,ci_high,instrument_key,scale_min,scale_max\n"
        "a1,A 2024,10.1/a,within_arm,cst,tmj,pain,mean_change,false,user,-2,-3,-1,pain_nrs,0,10\n"
        "a2,,10.1/a,sideways,cst,tmj,pain,mean_change,false,user,-2,-1,-3,,,\n"
        "a3,A 2024,10.1/a,within_arm,cst,tmj,pain,guess,maybe,user,5,-3,-1,hit6,0,10\n"
        "haller2016_vas_cst_w8,A,10.1/a,within_arm,cst,tmj,pain,means,false,user,,,,,,\n",
        encoding="utf-8",
    )
    with pytest.raises(oc.SchemaError) as err:
        load_literature(path)
    fc = err.value.failure_cases
    got = set(zip(fc["row"], fc["check"], strict=True))
    assert got == {
        (3, "missing_value"),
        (3, "unknown_effect_kind"),
        (3, "ci_order"),
        (4, "unknown_estimate_type"),
        (4, "not_boolean"),
        (4, "estimate_outside_ci"),
        (4, "scale_mismatch"),
        (5, "duplicate"),
    }
    assert "problem(s) in the literature rows of mine.csv" in str(err.value)


def test_user_rows_are_added():
    extra = pd.DataFrame(
        [
            dict(
                id="u1",
                citation="U 2025",
                doi_or_url="10.9/u",
                effect_kind="within_arm",
                arm="cst",
                modality="cst",
                condition="TMJ",
                construct="pain",
                estimate_type="mean_change",
                higher_is_better="false",
                verification="user",
                estimate=-2.0,
                ci_low=-2.6,
                ci_high=-1.4,
                n=25,
            )
        ]
    )
    lit = load_literature(extra)
    row = lit.set_index("id").loc["u1"]
    assert row["arm_role"] == "cst" and row["practice_conditions"] == "tmj" and row["source"] == "<DataFrame>"
    assert len(lit) == len(load_literature()) + 1


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
