"""outcomes.effects.paired_tests (mean change, paired t-test, Wilcoxon signed-rank) against outside
references.

Sources (each test names its own in the docstring):

- Student (1908) sleep data, R's ``datasets::sleep``; R's documented output of
  ``t.test(extra ~ group, data = sleep, paired = TRUE)`` and of ``wilcox.test`` on the same pairs
  (../shared/reference/worked_examples.md).
- R's ``?wilcox.test`` example (Hollander & Wolfe 1973, p. 29f; depression scale).
- scipy (ttest_rel, wilcoxon) computing the same definitions.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from outcomes.effects import cohens_dz, mean_change, paired_ttest, wilcoxon_signed_rank

# No numpy/scipy RuntimeWarning may escape from effects, degenerate cases included.
pytestmark = pytest.mark.filterwarnings("error::RuntimeWarning")

# Student (1908), R datasets::sleep: extra hours of sleep of 10 patients under two drugs.
DRUG_1 = np.array([0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0])
DRUG_2 = np.array([1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4])

# R ?wilcox.test, Hollander & Wolfe (1973, p. 29f): Hamilton depression scale at the first (x)
# and second (y) visit after initiation of a therapy.
HW_X = np.array([1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30])
HW_Y = np.array([0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29])


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
    assert est.value == -1.0
    assert math.isnan(est.ci_low) and math.isnan(est.ci_high)  # a zero-width interval claims certainty
    assert "every change is equal" in est.method
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
    assert est.value == pytest.approx(-0.2)
    assert math.isnan(est.ci_low) and math.isnan(est.ci_high)
