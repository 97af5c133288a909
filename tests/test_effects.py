"""Tests of outcomes.effects against outside references.

Sources (each test names its own in the docstring):

- Student (1908) sleep data, R's ``datasets::sleep``; R's documented output of
  ``t.test(extra ~ group, data = sleep, paired = TRUE)`` and of ``wilcox.test`` on the same pairs
  (../shared/reference/worked_examples.md).
- R's ``?wilcox.test`` example (Hollander & Wolfe 1973, p. 29f; depression scale).
- Jacobson & Truax (1991) worked example (worked_examples.md).
- Morris (2008), Table 1, and metafor's test of ``escalc(measure = "SMCR")`` on the same five
  studies (metafor ``tests/testthat/test_analysis_example_morris2008.r``).
- Lakens (2013), movie-ratings within-subjects example.
- scipy (ttest_rel, wilcoxon, bootstrap) and statsmodels (proportion_confint) computing the
  same definitions.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import special, stats
from statsmodels.stats.proportion import proportion_confint

from outcomes import effects
from outcomes.effects import (
    Estimate,
    TestResult,
    bca_interval,
    bootstrap_mean_ci,
    bootstrap_means,
    classify_reliable_change,
    cohens_dav,
    cohens_dz,
    hedges_correction,
    hedges_g_av,
    jacobson_truax_cutoff,
    mean_change,
    paired,
    paired_ttest,
    reliable_change_index,
    reliable_change_threshold,
    smc_from_summary,
    smc_from_summary_arrays,
    standardized_mean_change,
    wilcoxon_signed_rank,
    wilson_interval,
)
from outcomes.errors import InsufficientDataError, StatisticalWarning

# No numpy/scipy RuntimeWarning may escape from effects, degenerate cases included.
pytestmark = pytest.mark.filterwarnings("error::RuntimeWarning")

# Student (1908), R datasets::sleep: extra hours of sleep of 10 patients under two drugs.
DRUG_1 = np.array([0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0])
DRUG_2 = np.array([1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4])

# Lakens (2013), within-subjects example: ratings of two movies by the same 10 people.
MOVIE_1 = np.array([9, 7, 8, 9, 8, 9, 9, 10, 9, 9], dtype=float)
MOVIE_2 = np.array([9, 6, 7, 8, 7, 9, 8, 8, 8, 7], dtype=float)

# R ?wilcox.test, Hollander & Wolfe (1973, p. 29f): Hamilton depression scale at the first (x)
# and second (y) visit after initiation of a therapy.
HW_X = np.array([1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30])
HW_Y = np.array([0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29])


# --------------------------------------------------------------------------- pairing and errors


def test_paired_drops_incomplete_pairs_per_pair():
    pre = [1.0, np.nan, 3.0, 4.0, 5.0]
    post = [2.0, 2.0, np.nan, 6.0, 4.0]
    p0, p1 = paired(pre, post)
    assert p0.tolist() == [1.0, 4.0, 5.0]
    assert p1.tolist() == [2.0, 6.0, 4.0]
    assert p0.dtype == np.float64 and p1.dtype == np.float64


def test_paired_functions_report_n_of_complete_pairs():
    pre = [5.0, 6.0, np.nan, 8.0, 7.0, 9.0]
    post = [4.0, 4.0, 3.0, np.nan, 6.0, 6.0]
    complete_pre, complete_post = [5.0, 6.0, 7.0, 9.0], [4.0, 4.0, 6.0, 6.0]
    assert mean_change(pre, post).n == 4
    assert paired_ttest(pre, post).n == 4
    assert wilcoxon_signed_rank(pre, post).n == 4
    assert standardized_mean_change(pre, post).n == 4
    assert mean_change(pre, post) == mean_change(complete_pre, complete_post)
    assert cohens_dz(pre, post) == cohens_dz(complete_pre, complete_post)
    assert cohens_dav(pre, post) == cohens_dav(complete_pre, complete_post)
    assert hedges_g_av(pre, post) == hedges_g_av(complete_pre, complete_post)


def test_paired_unequal_lengths_message():
    with pytest.raises(ValueError, match=r"same length .*got 3 pre and 2 post values\."):
        paired([1, 2, 3], [1, 2])
    with pytest.raises(ValueError, match=r"got 2 pre and 4 post values"):
        mean_change([1, 2], [1, 2, 3, 4])


@pytest.mark.parametrize(
    "func",
    [
        mean_change,
        paired_ttest,
        wilcoxon_signed_rank,
        cohens_dz,
        cohens_dav,
        hedges_g_av,
        standardized_mean_change,
    ],
)
def test_fewer_than_two_pairs_raises_insufficient_data(func):
    pre = [5.0, np.nan, 7.0]
    post = [4.0, 3.0, np.nan]
    expected = (
        f"{func.__name__}: found 1 complete pre/post pair; at least 2 are needed. "
        "A pair is complete when both the pre and the post score are present."
    )
    with pytest.raises(InsufficientDataError) as info:
        func(pre, post)
    assert str(info.value) == expected
    assert isinstance(info.value, ValueError)
    with pytest.raises(InsufficientDataError, match=r"found 0 complete pre/post pairs; at least 2"):
        func([], [])


def test_bootstrap_needs_two_values():
    with pytest.raises(InsufficientDataError) as info:
        bootstrap_mean_ci([3.0, np.nan])
    assert str(info.value) == "bootstrap_mean_ci: found 1 non-missing value; at least 2 are needed."
    with pytest.raises(InsufficientDataError, match=r"^bootstrap_means: found 0 non-missing values"):
        bootstrap_means([np.nan])


def test_invalid_arguments_raise_value_error():
    with pytest.raises(ValueError, match="confidence must be strictly between 0 and 1"):
        mean_change([1, 2, 3], [2, 3, 5], confidence=95)
    with pytest.raises(ValueError, match="zero_method must be one of"):
        wilcoxon_signed_rank([1, 2, 3], [2, 3, 5], zero_method="drop")
    with pytest.raises(ValueError, match="method must be one of"):
        bootstrap_mean_ci([1, 2, 3], method="basic")
    with pytest.raises(ValueError, match="one-dimensional"):
        paired([[1, 2]], [[1, 2]])


def test_result_classes_are_frozen_and_not_collected():
    est = mean_change([1, 2, 3], [2, 4, 4])
    assert isinstance(est, Estimate)
    with pytest.raises(AttributeError):
        est.value = 0.0  # type: ignore[misc]
    assert TestResult.__test__ is False
    assert math.isnan(TestResult(statistic=1.0, pvalue=0.5, n=3, method="x").df)


# --------------------------------------------------------------------------- Student's sleep data


def test_mean_change_matches_R_ttest_sleep():
    """R t.test(extra ~ group, data = sleep, paired = TRUE) (documented output).

    drug_1 - drug_2: mean difference -1.58, 95 percent CI -2.4598858 -0.7001142. With
    pre = drug_2 and post = drug_1 the change post - pre is drug_1 - drug_2.
    """
    est = mean_change(DRUG_2, DRUG_1)
    assert est.value == pytest.approx(-1.58, abs=1e-12)
    assert est.ci_low == pytest.approx(-2.4598858, abs=1e-7)
    assert est.ci_high == pytest.approx(-0.7001142, abs=1e-7)
    assert est.n == 10
    assert est.confidence == 0.95


def test_paired_ttest_matches_R_ttest_sleep():
    """R t.test(extra ~ group, data = sleep, paired = TRUE): t = -4.0621, df = 9, p = 0.002833."""
    res = paired_ttest(DRUG_2, DRUG_1)
    assert res.statistic == pytest.approx(-4.0621, abs=5e-5)
    assert res.df == 9
    assert res.pvalue == pytest.approx(0.002833, abs=5e-7)
    assert res.n == 10
    flipped = paired_ttest(DRUG_1, DRUG_2)
    assert flipped.statistic == pytest.approx(4.0621, abs=5e-5)
    assert flipped.pvalue == res.pvalue


def test_cohens_dz_matches_student_sleep():
    """worked_examples.md: SD of differences (n - 1) = 1.2300, d_z = 1.58 / 1.2300 = 1.2846."""
    d = DRUG_1 - DRUG_2
    assert np.std(d, ddof=1) == pytest.approx(1.2300, abs=5e-5)
    assert cohens_dz(DRUG_2, DRUG_1) == pytest.approx(-1.2846, abs=5e-5)
    assert cohens_dz(DRUG_1, DRUG_2) == pytest.approx(1.2846, abs=5e-5)
    # d_z = t / sqrt(n)
    assert cohens_dz(DRUG_2, DRUG_1) == pytest.approx(paired_ttest(DRUG_2, DRUG_1).statistic / math.sqrt(10))


def test_wilcoxon_signed_rank_matches_R_wilcox_sleep():
    """R wilcox.test(extra ~ group, data = sleep, paired = TRUE): V = 0, p-value = 0.009091.

    R computes V on x - y = drug_1 - drug_2 (nine negative differences, one zero). Our statistic
    is the sum of ranks of positive post - pre, so pre = drug_2, post = drug_1 gives R's V = 0.
    The zero is dropped (zero_method "wilcox") and, because of the zero and a tie (two
    differences of -1.3), R uses the normal approximation with continuity correction.
    """
    res = wilcoxon_signed_rank(DRUG_2, DRUG_1)
    assert res.statistic == 0.0
    assert res.pvalue == pytest.approx(0.009091, abs=5e-7)
    assert res.n == 10
    assert "normal approximation with continuity correction" in res.method
    assert math.isnan(res.df)
    # The other order: all nine non-zero differences positive, V = 1 + ... + 9 = 45, same p.
    other = wilcoxon_signed_rank(DRUG_1, DRUG_2)
    assert other.statistic == 45.0
    assert other.pvalue == res.pvalue


def test_wilcoxon_signed_rank_matches_R_wilcox_hollander_wolfe():
    """R ?wilcox.test example (Hollander & Wolfe 1973, p. 29f).

    ``wilcox.test(x, y, paired = TRUE, alternative = "greater")`` prints V = 40, p-value =
    0.01953 (exact: no ties, no zeros, n = 9). x is the first visit (pre), y the second (post),
    so R's V is on pre - post; ours, on post - pre, is 45 - 40 = 5, and equals 40 with the
    arguments swapped. The two-sided exact p is 2 * 10 / 512 = 0.0390625 (= 2 * 0.01953).
    """
    res = wilcoxon_signed_rank(HW_X, HW_Y)
    assert res.statistic == 5.0
    assert wilcoxon_signed_rank(HW_Y, HW_X).statistic == 40.0
    assert res.pvalue == pytest.approx(2 * 0.01953, abs=1e-5)
    assert res.pvalue == pytest.approx(20 / 512, abs=1e-15)
    assert "exact" in res.method


# --------------------------------------------------------------------------- against scipy


@pytest.mark.parametrize("n", [5, 12, 40, 300])
def test_paired_ttest_matches_scipy_ttest_rel(n, rng):
    """scipy.stats.ttest_rel(post, pre) computes the same paired t-test."""
    pre = rng.normal(6, 2, n)
    post = pre + rng.normal(-1, 1.5, n)
    ours = paired_ttest(pre, post)
    ref = stats.ttest_rel(post, pre)
    assert ours.statistic == pytest.approx(ref.statistic, rel=1e-12)
    assert ours.pvalue == pytest.approx(ref.pvalue, rel=1e-10)
    assert ours.df == ref.df
    ci = ref.confidence_interval(0.9)
    est = mean_change(pre, post, confidence=0.9)
    assert (est.ci_low, est.ci_high) == pytest.approx((ci.low, ci.high), rel=1e-12)


@pytest.mark.parametrize("zero_method", ["wilcox", "pratt", "zsplit"])
@pytest.mark.parametrize("correction", [True, False])
def test_wilcoxon_signed_rank_matches_scipy_wilcoxon(zero_method, correction, rng):
    """scipy.stats.wilcoxon on d = post - pre, normal approximation, with zeros and ties.

    scipy's one-sided ("greater") statistic is the sum of positive ranks, our V.
    """
    pre = rng.integers(0, 11, 60).astype(float)
    post = np.clip(pre + rng.integers(-4, 3, 60), 0, 10).astype(float)
    assert np.any(post == pre)  # zeros present
    ours = wilcoxon_signed_rank(pre, post, zero_method=zero_method, correction=correction)
    ref = stats.wilcoxon(post, pre, zero_method=zero_method, correction=correction, method="asymptotic")
    assert ours.pvalue == pytest.approx(ref.pvalue, rel=1e-12)
    greater = stats.wilcoxon(post, pre, zero_method=zero_method, alternative="greater", method="asymptotic")
    assert ours.statistic == pytest.approx(greater.statistic, abs=1e-9)
    assert min(ours.statistic, _rank_total(pre, post, zero_method) - ours.statistic) == pytest.approx(
        ref.statistic, abs=1e-9
    )


@settings(max_examples=400, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 6), st.integers(-30, 30)), min_size=2, max_size=80),
    st.sampled_from([1.0, 10.0]),
    st.sampled_from(["wilcox", "pratt", "zsplit"]),
    st.booleans(),
)
def test_wilcoxon_signed_rank_normal_approximation_matches_scipy(pairs_, step, zero_method, correction):
    """Our normal approximation (ranks computed once) against scipy.stats.wilcoxon's, to the last
    digit, on whole-number and one-decimal differences with many ties and zeros, for every zero
    method."""
    pre = np.array([a for a, _ in pairs_], dtype=float)
    post = pre + np.array([b for _, b in pairs_], dtype=float) / step
    if not np.any(post != pre):
        return
    ours = wilcoxon_signed_rank(
        pre, post, zero_method=zero_method, correction=correction, method="asymptotic"
    )
    ref = stats.wilcoxon(post, pre, zero_method=zero_method, correction=correction, method="asymptotic")
    assert ours.pvalue == float(ref.pvalue)


def _rank_total(pre, post, zero_method):
    d = np.asarray(post) - np.asarray(pre)
    m = np.count_nonzero(d) if zero_method == "wilcox" else d.size
    total = m * (m + 1) / 2
    if zero_method == "pratt":  # ranks of zeros belong to neither side
        ranks = stats.rankdata(np.abs(d))
        total -= ranks[d == 0].sum()
    return total


def test_wilcoxon_signed_rank_exact_matches_scipy_without_ties(rng):
    """Tie-free, zero-free small sample: "auto" is exact, as scipy's exact method."""
    pre = rng.normal(5, 1, 15)
    post = pre + rng.normal(0.4, 1, 15)
    ours = wilcoxon_signed_rank(pre, post)
    ref = stats.wilcoxon(post, pre, method="exact")
    assert "exact" in ours.method
    assert ours.pvalue == pytest.approx(ref.pvalue, rel=1e-12)


def test_wilcoxon_signed_rank_auto_follows_R_not_scipy():
    """With ties and n <= 13 scipy's "auto" runs a permutation test; R (and we) use the normal
    approximation with continuity correction, which reproduces R's documented 0.009091."""
    ours = wilcoxon_signed_rank(DRUG_2, DRUG_1)
    scipy_auto = stats.wilcoxon(DRUG_1, DRUG_2)
    scipy_normal = stats.wilcoxon(DRUG_1, DRUG_2, method="asymptotic", correction=True)
    assert ours.pvalue == pytest.approx(scipy_normal.pvalue, rel=1e-12)
    assert scipy_auto.pvalue != pytest.approx(ours.pvalue, rel=1e-3)


def test_wilcoxon_signed_rank_all_zero_differences_gives_nan_p():
    """R: wilcox.test(c(1, 2, 3), c(1, 2, 3), paired = TRUE) gives V = 0 and p-value NA."""
    for zero_method in ("wilcox", "pratt", "zsplit"):
        res = wilcoxon_signed_rank([1.0, 2.0, 3.0], [1.0, 2.0, 3.0], zero_method=zero_method)
        assert math.isnan(res.pvalue)
        assert res.n == 3
    assert wilcoxon_signed_rank([1.0, 2.0, 3.0], [1.0, 2.0, 3.0]).statistic == 0.0


def test_wilcoxon_signed_rank_scales_linearly():
    """A million pairs run in O(n log n): no n x n array is ever built."""
    rng = np.random.default_rng(5)
    pre = rng.integers(0, 11, 1_000_000).astype(float)
    post = np.clip(pre + rng.integers(-3, 3, pre.size), 0, 10)
    res = wilcoxon_signed_rank(pre, post)
    assert res.n == 1_000_000
    assert 0.0 <= res.pvalue <= 1.0


# --------------------------------------------------------------------------- zero-variance rules


def test_zero_sd_of_differences():
    pre = [3.0, 5.0, 7.0, 4.0]
    post = [2.0, 4.0, 6.0, 3.0]
    est = mean_change(pre, post)
    assert (est.value, est.ci_low, est.ci_high) == (-1.0, -1.0, -1.0)
    assert math.isnan(cohens_dz(pre, post))
    res = paired_ttest(pre, post)
    assert math.isnan(res.statistic) and math.isnan(res.pvalue)
    assert res.df == 3


def test_zero_sd_from_decimal_rounding_noise_is_zero():
    """0.3 - 0.1 and 0.2 - 0.0 differ in the last bit; d_z must be NaN, not -1e16."""
    pre = [0.3, 0.2, 1.3]
    post = [0.1, 0.0, 1.1]
    assert np.ptp(np.subtract(post, pre)) > 0  # the noise is real
    assert math.isnan(cohens_dz(pre, post))
    est = mean_change(pre, post)
    assert est.ci_low == est.value == est.ci_high


def test_smc_degenerate_sds():
    flat_pre = standardized_mean_change([5.0, 5.0, 5.0, 5.0], [3.0, 4.0, 2.0, 5.0])
    assert all(math.isnan(v) for v in (flat_pre.value, flat_pre.ci_low, flat_pre.ci_high))
    flat_post = standardized_mean_change([3.0, 4.0, 2.0, 5.0], [1.0, 1.0, 1.0, 1.0])
    assert flat_post.value == pytest.approx(hedges_correction(3) * (1.0 - 3.5) / np.std([3, 4, 2, 5], ddof=1))
    assert math.isnan(flat_post.ci_low) and math.isnan(flat_post.ci_high)
    assert math.isnan(smc_from_summary(10.0, 0.0, 8.0, 12, 0.5).value)
    assert math.isnan(cohens_dav([5.0, 5.0], [4.0, 4.0]))
    # n = 2: Hedges' J(1) = 0 would report 0; NaN instead (as metafor).
    assert math.isnan(hedges_g_av([5.0, 6.0], [3.0, 5.0]))
    assert math.isnan(standardized_mean_change([5.0, 6.0], [3.0, 5.0]).value)


# --------------------------------------------------------------------------- d_av, g_av: Lakens


def test_cohens_dav_matches_lakens2013_movies():
    """Lakens (2013), Front. Psychol. 4:863, within-subjects movie example (n = 10).

    Movie 1: M = 8.7, SD = 0.82; movie 2: M = 7.7, SD = 0.95; r = .726; t(9) = 4.74;
    d_z = 1.50; d_av = 1.13. Movie 2 is taken as pre, movie 1 as post (change +1.0).
    """
    assert cohens_dav(MOVIE_2, MOVIE_1) == pytest.approx(1.13, abs=5e-3)
    assert cohens_dav(MOVIE_2, MOVIE_1) == pytest.approx(1.0 / ((0.8233 + 0.9487) / 2), abs=1e-4)
    assert cohens_dz(MOVIE_2, MOVIE_1) == pytest.approx(1.50, abs=1e-12)
    assert paired_ttest(MOVIE_2, MOVIE_1).statistic == pytest.approx(4.74, abs=5e-3)
    assert np.corrcoef(MOVIE_1, MOVIE_2)[0, 1] == pytest.approx(0.726, abs=5e-4)


def test_hedges_g_av_matches_lakens2013_movies():
    """Lakens (2013) reports g_av = 1.08 for the movie example.

    Lakens corrects d_av with the two-group factor 1 - 3 / (4 (n1 + n2) - 9), n1 = n2 = 10,
    i.e. J(df = 2n - 2 = 18) = 0.95775. hedges_g_av uses J(df = n - 1 = 9) = 0.91429 (one group
    measured twice, as in the standardized mean change), so it gives 1.0320, not 1.08.
    """
    d_av = cohens_dav(MOVIE_2, MOVIE_1)
    assert d_av * hedges_correction(2 * 10 - 2) == pytest.approx(1.08, abs=5e-3)
    assert 1 - 3 / (4 * (10 + 10) - 9) == pytest.approx(hedges_correction(18), rel=1e-15)
    assert hedges_g_av(MOVIE_2, MOVIE_1) == pytest.approx(d_av * (1 - 3 / 35), rel=1e-12)
    assert hedges_g_av(MOVIE_2, MOVIE_1) == pytest.approx(1.0320, abs=5e-5)


def test_hedges_correction_values():
    """Hedges (1981) approximation; the exact factor is Γ(m/2) / (sqrt(m/2) Γ((m-1)/2))."""
    assert hedges_correction(9) == pytest.approx(1 - 3 / 35, rel=1e-15)
    exact_9 = math.exp(math.lgamma(4.5) - math.log(math.sqrt(4.5)) - math.lgamma(4.0))
    assert exact_9 == pytest.approx(0.91387, abs=5e-6)
    assert hedges_correction(9) - exact_9 == pytest.approx(0.00042, abs=1e-5)
    assert math.isnan(hedges_correction(1))
    assert np.allclose(hedges_correction(np.array([4.0, 9.0])), [1 - 3 / 15, 1 - 3 / 35])


# --------------------------------------------------------------------------- standardized mean change

# Morris (2008), five training studies (Carlson & Schmidt 1999), as in metafor's test file
# tests/testthat/test_analysis_example_morris2008.r.
MORRIS_T = {
    "m_pre": [30.6, 23.5, 0.5, 53.4, 35.6],
    "m_post": [38.5, 26.8, 0.7, 75.9, 36.0],
    "sd_pre": [15.0, 3.1, 0.1, 14.5, 4.7],
    "n": [20, 50, 9, 10, 14],
    "r": [0.47, 0.64, 0.77, 0.89, 0.44],
}
MORRIS_C = {
    "m_pre": [23.1, 24.9, 0.6, 55.7, 34.8],
    "m_post": [19.7, 25.3, 0.6, 60.7, 33.4],
    "sd_pre": [13.8, 4.1, 0.2, 17.3, 3.1],
    "n": [20, 42, 9, 11, 14],
    "r": [0.47, 0.64, 0.77, 0.89, 0.44],
}
# metafor escalc(measure = "SMCR", m1i = m_post, m2i = m_pre, sd1i = sd_pre, ni, ri), rounded to 4.
METAFOR_T = {"yi": [0.5056, 1.0481, 1.8054, 1.4181, 0.0801], "vi": [0.0594, 0.0254, 0.2322, 0.1225, 0.0802]}
METAFOR_C = {"yi": [-0.2365, 0.0958, 0.0000, 0.2667, -0.4250], "vi": [0.0544, 0.0173, 0.0511, 0.0232, 0.0864]}


def _exact_j(df):
    df = np.asarray(df, dtype=float)
    return np.exp(special.gammaln(df / 2) - np.log(np.sqrt(df / 2)) - special.gammaln((df - 1) / 2))


def _smc(arm):
    return smc_from_summary_arrays(arm["m_pre"], arm["sd_pre"], arm["m_post"], arm["n"], arm["r"])


def test_smc_from_summary_matches_morris2008_table1():
    """Morris (2008), Organ. Res. Methods 11:364, Table 1 (p. 368): d_ppc1 = g_T - g_C.

    Morris uses the approximate Hedges factor 1 - 3 / (4 (n - 1) - 1), like this package.
    """
    g_t, _ = _smc(MORRIS_T)
    g_c, _ = _smc(MORRIS_C)
    assert np.round(g_t - g_c, 2).tolist() == [0.74, 0.95, 1.81, 1.15, 0.51]


@pytest.mark.parametrize(("arm", "ref"), [(MORRIS_T, METAFOR_T), (MORRIS_C, METAFOR_C)])
def test_smc_from_summary_matches_metafor_escalc_smcr(arm, ref):
    """metafor escalc(measure = "SMCR") on Morris (2008), values from metafor's own test file.

    metafor multiplies d by the exact factor c(n - 1) (gamma functions) where we use the
    approximation J(n - 1); they differ by at most 0.06 % here (n = 9). Swapping J for c must
    reproduce metafor's yi to its 4 printed decimals, and then its vi = 2 (1 - r) / n + yi^2 / (2 n)
    too. Without the swap the values agree within that relative difference.
    """
    g, var = _smc(arm)
    n = np.asarray(arm["n"], dtype=float)
    ratio = _exact_j(n - 1) / hedges_correction(n - 1)
    g_metafor = g * ratio
    var_metafor = var - g**2 / (2 * n) + g_metafor**2 / (2 * n)
    half_unit = 5e-5 + 1e-12  # rounding to 4 decimals
    assert np.all(np.abs(g_metafor - ref["yi"]) <= half_unit)
    assert np.all(np.abs(var_metafor - ref["vi"]) <= half_unit)
    assert np.all(np.abs(g - ref["yi"]) <= np.abs(1 - ratio) * np.abs(g) + half_unit)


def test_standardized_mean_change_matches_hand_derivation():
    """worked_examples.md formulas (Becker 1988; Morris & DeShon 2002), written out by hand.

    pre = 4 6 5 7 8, post = 3 4 4 6 5 (n = 5):
    M_pre = 6, SD_pre = sqrt(10 / 4) = 1.58114, M_post = 4.4, d = -1.6 / 1.58114 = -1.01193,
    J = 1 - 3 / (4 * 4 - 1) = 0.8, g = -0.80954;
    r = 6 / sqrt(10 * 5.2) = 0.83205 (cross-products 6, sums of squares 10 and 5.2);
    var = 2 (1 - 0.83205) / 5 + 0.80954^2 / 10 = 0.06718 + 0.06554 = 0.13272, se = 0.36430;
    95% CI = -0.80954 -/+ 1.959964 * 0.36430 = [-1.52356, -0.09552].
    """
    est = standardized_mean_change([4, 6, 5, 7, 8], [3, 4, 4, 6, 5])
    assert est.value == pytest.approx(-0.80954, abs=1e-5)
    assert est.ci_low == pytest.approx(-1.52356, abs=1e-5)
    assert est.ci_high == pytest.approx(-0.09552, abs=1e-5)
    assert est.n == 5
    via_summary = smc_from_summary(6.0, math.sqrt(2.5), 4.4, 5, 6 / math.sqrt(52))
    assert (via_summary.value, via_summary.ci_low, via_summary.ci_high) == pytest.approx(
        (est.value, est.ci_low, est.ci_high), rel=1e-12
    )


def test_smc_from_summary_states_assumed_r_and_checks_input():
    est = smc_from_summary(30.6, 15.0, 38.5, 20, 0.5)
    assert "assumed r = 0.5" in est.method
    assert est.n == 20
    with pytest.raises(ValueError, match="smc_from_summary_arrays"):
        smc_from_summary([30.6, 1.0], 15.0, 38.5, 20, 0.5)
    with pytest.raises(ValueError, match=r"r \(the pre-post correlation\) must lie in \[-1, 1\]"):
        smc_from_summary(30.6, 15.0, 38.5, 20, 1.5)
    with pytest.raises(InsufficientDataError, match="every arm needs n >= 2"):
        smc_from_summary_arrays([1.0, 2.0], [1.0, 1.0], [2.0, 3.0], [1, 10], 0.5)
    g, var = smc_from_summary_arrays(30.6, 15.0, 38.5, 20, [0.3, 0.5, 0.7])
    assert g.shape == (3,) and np.all(g == g[0]) and np.all(np.diff(var) < 0)


# --------------------------------------------------------------------------- reliable change


def test_reliable_change_matches_jacobson_truax_worked_example():
    """worked_examples.md (Jacobson & Truax 1991): SD 7.6, r_xx 0.95 -> S_diff = 2.4033,
    threshold 1.96 * 2.4033 = 4.71 points."""
    s_diff = 1.0 / reliable_change_index([0.0], [1.0], sd_baseline=7.6, reliability=0.95)[0]
    assert s_diff == pytest.approx(2.4033, abs=5e-5)
    assert s_diff == pytest.approx(math.sqrt(2 * (7.6 * math.sqrt(1 - 0.95)) ** 2), rel=1e-14)
    threshold = reliable_change_threshold(7.6, 0.95)
    assert threshold == pytest.approx(4.71, abs=5e-3)
    assert threshold == pytest.approx(1.959964 * 2.403331, abs=1e-5)


def test_reliable_change_index_is_elementwise_with_nan():
    rci = reliable_change_index([10.0, np.nan, 10.0], [5.0, 3.0, np.nan], sd_baseline=7.6, reliability=0.95)
    assert rci.shape == (3,)
    assert rci[0] == pytest.approx(-5.0 / 2.403331, rel=1e-6)
    assert np.isnan(rci[1]) and np.isnan(rci[2])
    with pytest.raises(ValueError, match="got 2 pre and 3 post values"):
        reliable_change_index([1.0, 2.0], [1.0, 2.0, 3.0], sd_baseline=1.0, reliability=0.9)
    with pytest.raises(ValueError, match=r"reliability must lie in \[0, 1\)"):
        reliable_change_index([1.0], [2.0], sd_baseline=1.0, reliability=1.0)
    with pytest.raises(ValueError, match="sd_baseline must be a positive number"):
        reliable_change_index([1.0], [2.0], sd_baseline=0.0, reliability=0.9)


def test_classify_reliable_change_direction_and_missing():
    """Threshold 4.71 points (SD 7.6, r_xx 0.95); pain: lower is better."""
    pre = [20.0, 20.0, 20.0, 20.0, 20.0, np.nan]
    post = [14.0, 16.0, 24.0, 26.0, 20.0, 10.0]
    lower_better = classify_reliable_change(pre, post, sd_baseline=7.6, reliability=0.95, improvement_sign=-1)
    assert lower_better.tolist() == [
        "reliably_improved",
        "no_reliable_change",
        "no_reliable_change",
        "reliably_deteriorated",
        "no_reliable_change",
        "",
    ]
    higher_better = classify_reliable_change(pre, post, sd_baseline=7.6, reliability=0.95, improvement_sign=1)
    assert higher_better.tolist() == [
        "reliably_deteriorated",
        "no_reliable_change",
        "no_reliable_change",
        "reliably_improved",
        "no_reliable_change",
        "",
    ]
    with pytest.raises(ValueError, match="improvement_sign must be"):
        classify_reliable_change(pre, post, sd_baseline=7.6, reliability=0.95, improvement_sign=0)


def test_jacobson_truax_cutoff_matches_formula():
    """Jacobson & Truax (1991) c = (SD_0 M_1 + SD_1 M_0) / (SD_0 + SD_1), 0 functional, 1 clinical.

    Hand: clinical M 30, SD 8; functional M 10, SD 4 -> c = (4 * 30 + 8 * 10) / 12 = 16.6667,
    which is (16.6667 - 10) / 4 = 1.6667 functional SDs above the functional mean and
    (30 - 16.6667) / 8 = 1.6667 clinical SDs below the clinical mean.
    """
    c = jacobson_truax_cutoff(mean_clinical=30.0, sd_clinical=8.0, mean_functional=10.0, sd_functional=4.0)
    assert c == pytest.approx(200 / 12, rel=1e-15)
    assert (c - 10.0) / 4.0 == pytest.approx((30.0 - c) / 8.0, rel=1e-12)
    swapped = jacobson_truax_cutoff(
        mean_clinical=10.0, sd_clinical=4.0, mean_functional=30.0, sd_functional=8.0
    )
    assert swapped == pytest.approx(c, rel=1e-15)
    with pytest.raises(ValueError, match="both SDs must be positive"):
        jacobson_truax_cutoff(30.0, 0.0, 10.0, 4.0)


# --------------------------------------------------------------------------- Wilson interval


@pytest.mark.parametrize(("k", "n"), [(0, 5), (1, 5), (7, 10), (10, 10), (33, 120)])
@pytest.mark.parametrize("confidence", [0.9, 0.95])
def test_wilson_interval_matches_statsmodels_proportion_confint(k, n, confidence):
    """statsmodels proportion_confint(method="wilson") computes the same interval."""
    low, high = wilson_interval(k, n, confidence=confidence)
    ref_low, ref_high = proportion_confint(k, n, alpha=1 - confidence, method="wilson")
    assert isinstance(low, float) and isinstance(high, float)
    assert low == pytest.approx(ref_low, abs=1e-12)
    assert high == pytest.approx(ref_high, abs=1e-12)
    assert low <= k / n <= high


def test_wilson_interval_vectorized_matches_statsmodels():
    """Array input, compared element by element with statsmodels; n = 0 gives NaN."""
    k = np.array([0, 3, 12, 40, 0])
    n = np.array([4, 9, 12, 100, 0])
    low, high = wilson_interval(k, n)
    assert isinstance(low, np.ndarray) and low.shape == (5,)
    ref_low, ref_high = proportion_confint(k[:4], n[:4], method="wilson")
    np.testing.assert_allclose(low[:4], ref_low, atol=1e-12)
    np.testing.assert_allclose(high[:4], ref_high, atol=1e-12)
    assert np.isnan(low[4]) and np.isnan(high[4])
    with pytest.raises(ValueError, match="cannot exceed n"):
        wilson_interval([3], [2])


# --------------------------------------------------------------------------- bootstrap

SKEWED = np.array([-6.0, -5.0, -5.0, -4.0, -3.0, -3.0, -3.0, -2.0, -2.0, -1.0, 0.0, 1.0, 4.0, 9.0])


def test_bca_interval_matches_scipy_bootstrap_on_its_own_distribution():
    """Given scipy's bootstrap distribution, bca_interval reproduces scipy's BCa limits exactly.

    scipy.stats.bootstrap(method="BCa") returns its resampled means; the only thing left to
    compare is the BCa step (ties-half share below, jackknife acceleration, quantiles).
    """
    for confidence in (0.9, 0.95):
        res = stats.bootstrap(
            (SKEWED,), np.mean, n_resamples=4999, confidence_level=confidence, method="BCa", rng=3
        )
        dev = SKEWED - SKEWED.mean()
        a = np.sum(dev**3) / (6 * np.sum(dev**2) ** 1.5)
        low, high = bca_interval(SKEWED.mean(), res.bootstrap_distribution, a, confidence)
        assert low == pytest.approx(res.confidence_interval.low, abs=1e-12)
        assert high == pytest.approx(res.confidence_interval.high, abs=1e-12)


@pytest.mark.parametrize(("method", "scipy_method"), [("bca", "BCa"), ("percentile", "percentile")])
def test_bootstrap_mean_ci_matches_scipy_bootstrap(method, scipy_method):
    """scipy.stats.bootstrap on the same data, independent random streams, 20000 resamples each.

    Tolerance: a bootstrap quantile at 2.5 % from B = 20000 draws has Monte-Carlo SE about
    sqrt(0.025 * 0.975 / B) / φ(1.96) = 0.019 SE_boot (SE_boot = sd(x, ddof=0) / sqrt(n), the
    spread of the resampled means); the difference of two independent estimates has SE about
    0.027 SE_boot. 0.15 SE_boot is more than five of those.
    """
    ours = bootstrap_mean_ci(SKEWED, n_boot=20_000, seed=11, method=method)
    ref = stats.bootstrap((SKEWED,), np.mean, n_resamples=20_000, method=scipy_method, rng=12)
    se_boot = np.std(SKEWED) / math.sqrt(SKEWED.size)
    assert ours.value == SKEWED.mean()
    assert ours.n == SKEWED.size
    assert ours.ci_low == pytest.approx(ref.confidence_interval.low, abs=0.15 * se_boot)
    assert ours.ci_high == pytest.approx(ref.confidence_interval.high, abs=0.15 * se_boot)


def test_bootstrap_means_have_the_bootstrap_mean_and_variance():
    """Resampled means of n values: mean x̄, variance var(x, ddof=0) / n.

    With B = 20000: the mean is within 5 Monte-Carlo SEs (SE_boot / sqrt(B)); the sample
    variance has relative SE about sqrt(2 / B) = 1 %, so 5 % is five SEs.
    """
    b = 20_000
    boot = bootstrap_means(SKEWED, n_boot=b, seed=2)
    assert boot.shape == (b,)
    expected_var = np.var(SKEWED) / SKEWED.size
    assert abs(boot.mean() - SKEWED.mean()) <= 5 * math.sqrt(expected_var / b)
    assert boot.var() == pytest.approx(expected_var, rel=0.05)
    # Every resampled mean is a mean of n of the observed values.
    assert np.all(boot >= SKEWED.min()) and np.all(boot <= SKEWED.max())
    assert np.allclose(boot * SKEWED.size, np.round(boot * SKEWED.size), atol=1e-9)


def test_bootstrap_is_reproducible_and_permutation_invariant(rng):
    x = rng.normal(0, 1, 50).round(1)  # ties on purpose
    a = bootstrap_means(x, n_boot=500, seed=42)
    assert np.array_equal(a, bootstrap_means(x, n_boot=500, seed=42))
    assert np.array_equal(a, bootstrap_means(rng.permutation(x), n_boot=500, seed=42))
    assert not np.array_equal(a, bootstrap_means(x, n_boot=500, seed=43))
    assert bootstrap_mean_ci(x, seed=42) == bootstrap_mean_ci(rng.permutation(x), seed=42)
    gen_a, gen_b = np.random.default_rng(9), np.random.default_rng(9)
    assert np.array_equal(bootstrap_means(x, seed=gen_a), bootstrap_means(x, seed=gen_b))


def test_bootstrap_chunking_does_not_change_the_draws(monkeypatch):
    """Chunks of multinomial draws consume the generator in the same order as one block."""
    x = np.arange(30.0) ** 1.5
    whole = bootstrap_means(x, n_boot=200, seed=8)
    monkeypatch.setattr(effects.bootstrap, "_MAX_CHUNK_ELEMENTS", 30 * 7)  # 7 resamples per chunk
    chunked = bootstrap_means(x, n_boot=200, seed=8)
    assert np.array_equal(whole, chunked)


def test_bootstrap_large_n_is_memory_bounded():
    """200 000 distinct values: chunks of 20 resamples (4e6 / k elements), never B x n at once."""
    x = np.random.default_rng(1).normal(size=200_000)
    boot = bootstrap_means(x, n_boot=60, seed=1)
    assert boot.shape == (60,)
    assert np.all(np.abs(boot - x.mean()) < 6 * x.std() / math.sqrt(x.size))


def test_bootstrap_zero_variance_and_nan():
    est = bootstrap_mean_ci([2.0, 2.0, np.nan, 2.0])
    assert (est.value, est.ci_low, est.ci_high, est.n) == (2.0, 2.0, 2.0, 3)
    assert np.all(bootstrap_means([2.0, 2.0, 2.0], n_boot=10, seed=0) == 2.0)
    pct = bootstrap_mean_ci([1.0, 2.0, np.nan, 4.0], method="percentile", seed=0)
    assert pct.n == 3 and pct.method.startswith("bootstrap percentile")


def test_bca_interval_undefined_bias_correction_warns():
    with pytest.warns(StatisticalWarning, match="BCa interval undefined"):
        low, high = bca_interval(10.0, [1.0, 2.0, 3.0], 0.0, 0.95)
    assert math.isnan(low) and math.isnan(high)


# --------------------------------------------------------------------------- properties

scores = st.integers(min_value=0, max_value=100).map(lambda v: v / 10)  # a 0-10 scale, one decimal


@st.composite
def pairs(draw, min_size=3, max_size=25):
    n = draw(st.integers(min_size, max_size))
    pre = np.array(draw(st.lists(scores, min_size=n, max_size=n)))
    post = np.array(draw(st.lists(scores, min_size=n, max_size=n)))
    return pre, post


@settings(max_examples=60, deadline=None)
@given(pairs())
def test_swapping_pre_and_post_flips_the_sign(data):
    pre, post = data
    assert mean_change(post, pre).value == -mean_change(pre, post).value
    dz, dz_swapped = cohens_dz(pre, post), cohens_dz(post, pre)
    assert (math.isnan(dz) and math.isnan(dz_swapped)) or dz_swapped == -dz
    dav, dav_swapped = cohens_dav(pre, post), cohens_dav(post, pre)
    assert (math.isnan(dav) and math.isnan(dav_swapped)) or dav_swapped == -dav
    # smc standardizes by the *pre* SD, so swapping flips the sign but not the magnitude.
    smc, smc_swapped = standardized_mean_change(pre, post).value, standardized_mean_change(post, pre).value
    if not (math.isnan(smc) or math.isnan(smc_swapped)):
        assert np.sign(smc_swapped) == -np.sign(smc)


@settings(max_examples=60, deadline=None)
@given(pairs(), st.integers(-1000, 1000))
def test_adding_a_constant_changes_no_standardized_effect(data, shift):
    pre, post = data
    for func in (cohens_dz, hedges_g_av):
        a, b = func(pre, post), func(pre + shift, post + shift)
        assert (math.isnan(a) and math.isnan(b)) or b == pytest.approx(a, rel=1e-9, abs=1e-12)
    a, b = standardized_mean_change(pre, post), standardized_mean_change(pre + shift, post + shift)
    assert (math.isnan(a.value) and math.isnan(b.value)) or b.value == pytest.approx(
        a.value, rel=1e-9, abs=1e-12
    )
    # The half-width is z * sqrt(var) and var holds 2 (1 - r) / n, where r carries an absolute
    # rounding error of a few eps: sqrt turns that into up to z * sqrt(4 eps / n) ~ 6e-8 when r is
    # 1 (identical pre and post), hence the absolute tolerance on the limits.
    for u, v in ((a.ci_low, b.ci_low), (a.ci_high, b.ci_high)):
        assert (math.isnan(u) and math.isnan(v)) or v == pytest.approx(u, rel=1e-9, abs=1e-7)


@settings(max_examples=60, deadline=None)
@given(pairs(), st.sampled_from([0.8, 0.9, 0.95, 0.99]))
def test_every_interval_contains_its_estimate(data, confidence):
    pre, post = data
    for est in (
        mean_change(pre, post, confidence=confidence),
        standardized_mean_change(pre, post, confidence=confidence),
    ):
        if not math.isnan(est.ci_low):
            assert est.ci_low <= est.value <= est.ci_high
    k = int(np.sum(post < pre))
    low, high = wilson_interval(k, pre.size, confidence=confidence)
    assert low <= k / pre.size <= high


@settings(max_examples=40, deadline=None)
@given(
    st.lists(scores, min_size=2, max_size=30),
    st.integers(0, 2**32 - 1),
    st.sampled_from(["bca", "percentile"]),
)
def test_bootstrap_interval_contains_the_mean_and_is_reproducible(x, seed, method):
    first = bootstrap_mean_ci(x, n_boot=500, seed=seed, method=method)
    assert first == bootstrap_mean_ci(x, n_boot=500, seed=seed, method=method)
    assert first.ci_low <= first.value <= first.ci_high


INTEGER_CHANGES = np.random.default_rng(5).integers(-4, 3, size=300).astype(float)  # k = 7 distinct, n = 300


@pytest.mark.parametrize("x", [INTEGER_CHANGES, SKEWED], ids=["multinomial_route", "index_route"])
def test_both_bootstrap_routes_have_the_bootstrap_mean_and_variance(x):
    """Few distinct values (k <= n / 12) use multinomial counts, many use drawn indices: both
    must give resampled means with mean x̄ and variance var(x, ddof=0) / n (5 Monte-Carlo SEs)."""
    b = 20_000
    boot = bootstrap_means(x, n_boot=b, seed=3)
    expected_var = np.var(x) / x.size
    assert abs(boot.mean() - x.mean()) <= 5 * math.sqrt(expected_var / b)
    assert boot.var() == pytest.approx(expected_var, rel=0.05)


def test_multinomial_route_chunking_does_not_change_the_draws(monkeypatch):
    whole = bootstrap_means(INTEGER_CHANGES, n_boot=200, seed=8)
    monkeypatch.setattr(effects.bootstrap, "_MAX_CHUNK_ELEMENTS", 7 * 7)  # 7 resamples per chunk
    assert np.array_equal(whole, bootstrap_means(INTEGER_CHANGES, n_boot=200, seed=8))
