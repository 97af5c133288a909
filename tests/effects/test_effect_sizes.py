"""outcomes.effects.effect_sizes (d_z, d_av, g_av, Hedges' correction, the standardized mean change)
against outside references, and properties of the effect sizes and their intervals.

Sources (each test names its own in the docstring):

- Lakens (2013), movie-ratings within-subjects example.
- Morris (2008), Table 1, and metafor's test of ``escalc(measure = "SMCR")`` on the same five
  studies (metafor ``tests/testthat/test_analysis_example_morris2008.r``).
- worked_examples.md (Becker 1988; Morris & DeShon 2002), written out by hand.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import special

from outcomes.effects import (
    cohens_dav,
    cohens_dz,
    hedges_correction,
    hedges_g_av,
    mean_change,
    paired_ttest,
    smc_from_summary,
    smc_from_summary_arrays,
    standardized_mean_change,
    wilson_interval,
)
from outcomes.errors import InsufficientDataError

# No numpy/scipy RuntimeWarning may escape from effects, degenerate cases included.
pytestmark = pytest.mark.filterwarnings("error::RuntimeWarning")

# Lakens (2013), within-subjects example: ratings of two movies by the same 10 people.
MOVIE_1 = np.array([9, 7, 8, 9, 8, 9, 9, 10, 9, 9], dtype=float)
MOVIE_2 = np.array([9, 6, 7, 8, 7, 9, 8, 8, 8, 7], dtype=float)


# --------------------------------------------------------------------------- zero-variance rules


def test_smc_degenerate_sds():
    flat_pre = standardized_mean_change([5.0, 5.0, 5.0, 5.0], [3.0, 4.0, 2.0, 5.0])
    assert all(math.isnan(v) for v in (flat_pre.value, flat_pre.ci_low, flat_pre.ci_high))
    flat_post = standardized_mean_change([3.0, 4.0, 2.0, 5.0], [1.0, 1.0, 1.0, 1.0])
    j, sd_pre = hedges_correction(3), np.std([3, 4, 2, 5], ddof=1)
    assert flat_post.value == pytest.approx(j * (1.0 - 3.5) / sd_pre)
    # r is undefined, but multiplies SD_post = 0 in Bonett's variance: var_diff = SD_pre^2
    half = 1.959963984540054 * math.sqrt(j**2 * (1 / 3 + flat_post.value**2 / 6))
    assert (flat_post.ci_low, flat_post.ci_high) == pytest.approx(
        (flat_post.value - half, flat_post.value + half), rel=1e-12
    )
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


# metafor 3.8.1 (R 4.2.2):
#   escalc("SMCRH", m1i = c(90.5, 5.1, 3.0), m2i = c(83.3, 6.3, 6.1), sd1i = c(5, 1.9, 2.2),
#          sd2i = c(7, 2.6, 1.4), ni = c(29, 12, 40), ri = c(.5, .62, .35)), printed with %.12f
# (m1i the post mean, m2i the pre mean, sd1i the pre SD, sd2i the post SD).
SMCRH = {
    "mean_pre": [83.3, 6.3, 6.1],
    "sd_pre": [5.0, 1.9, 2.2],
    "mean_post": [90.5, 5.1, 3.0],
    "sd_post": [7.0, 2.6, 1.4],
    "n": [29, 12, 40],
    "r": [0.5, 0.62, 0.35],
}
METAFOR_SMCRH = {
    "yi": [1.401022245681, -0.587343037879, -1.381788699959],
    "vi": [0.085918262082, 0.105997699180, 0.047197835768],
}


def test_smc_variance_from_both_sds_matches_metafor_smcrh(monkeypatch):
    """Bonett (2008) as metafor's escalc("SMCRH") (call above). metafor's yi uses the exact
    factor c(n - 1) and so does its vi; with that factor in place of J every value matches to
    the 12 printed decimals, and without it within their relative difference (< 0.1%)."""
    args = [SMCRH[k] for k in ("mean_pre", "sd_pre", "mean_post", "n", "r")]
    g, var = smc_from_summary_arrays(*args, sd_post=SMCRH["sd_post"])
    assert np.allclose(g, METAFOR_SMCRH["yi"], rtol=1e-3, atol=0)
    assert np.allclose(var, METAFOR_SMCRH["vi"], rtol=2e-3, atol=0)
    monkeypatch.setattr("outcomes.effects.effect_sizes.hedges_correction", _exact_j)
    g, var = smc_from_summary_arrays(*args, sd_post=SMCRH["sd_post"])
    assert np.abs(g - METAFOR_SMCRH["yi"]).max() < 1e-11
    assert np.abs(var - METAFOR_SMCRH["vi"]).max() < 1e-11


def test_smc_equal_sd_variance_matches_metafor_smcr(monkeypatch):
    """metafor escalc("SMCR", m1i = 90.5, m2i = 83.3, sd1i = 5, ni = 29, ri = .5): yi 1.401022245681,
    vi 0.068325229877: the variance of a published arm that gives one SD, a fifth below SMCRH's
    0.0859 for these SDs (5 before, 7 after)."""
    monkeypatch.setattr("outcomes.effects.effect_sizes.hedges_correction", _exact_j)
    g, var = smc_from_summary_arrays(83.3, 5.0, 90.5, 29, 0.5)
    assert abs(g - 1.401022245681) < 1e-11 and abs(var - 0.068325229877) < 1e-11


def _coverage(sd_ratio, *, both_sds, runs=2000, n=30, r=0.5, seed=20261202):
    """Share of 95% intervals of the practice's SMC that cover the true change (seeded)."""
    rng = np.random.default_rng(seed)
    cov = np.array([[1.0, r * sd_ratio], [r * sd_ratio, sd_ratio**2]])
    delta = 0.5  # true standardized change (post − pre) / SD_pre
    x = rng.multivariate_normal([0.0, delta], cov, size=(runs, n))
    pre, post = x[..., 0], x[..., 1]
    sd_pre, sd_post = pre.std(axis=1, ddof=1), post.std(axis=1, ddof=1)
    cross = ((pre - pre.mean(axis=1, keepdims=True)) * (post - post.mean(axis=1, keepdims=True))).sum(axis=1)
    r_obs = cross / ((n - 1) * sd_pre * sd_post)
    g, var = smc_from_summary_arrays(
        pre.mean(axis=1), sd_pre, post.mean(axis=1), n, r_obs, sd_post=sd_post if both_sds else None
    )
    half = special.ndtri(0.975) * np.sqrt(var)
    return float(np.mean((g - half <= delta) & (delta <= g + half)))


def test_smc_interval_covers_95_percent_when_the_sds_differ():
    """Seeded Monte Carlo (2000 samples of n = 30, r = 0.5, post/pre SD ratio 1.7; one run's
    Monte-Carlo SE is 0.5 points): Bonett's variance, which the practice's SMC uses, covers within
    93-97%; the equal-SD form the review found covered about 84% (20,000 runs)."""
    assert 0.93 <= _coverage(1.7, both_sds=True) <= 0.97
    assert _coverage(1.7, both_sds=False) < 0.90
    assert 0.93 <= _coverage(1.0, both_sds=True) <= 0.97


def test_standardized_mean_change_matches_hand_derivation():
    """worked_examples.md's estimate (Becker 1988; Morris & DeShon 2002) and Bonett's (2008)
    variance from both SDs, written out by hand.

    pre = 4 6 5 7 8, post = 3 4 4 6 5 (n = 5):
    M_pre = 6, SD_pre = sqrt(10 / 4) = 1.58114, M_post = 4.4, d = -1.6 / 1.58114 = -1.01193,
    J = 1 - 3 / (4 * 4 - 1) = 0.8, g = -0.80954;
    SD_post^2 = 5.2 / 4 = 1.3, covariance 6 / 4 = 1.5 (r = 6 / sqrt(10 * 5.2) = 0.83205), so the
    variance of the differences is 2.5 + 1.3 - 2 * 1.5 = 0.8;
    var = J^2 [0.8 / (2.5 * 4) + g^2 / (2 * 4)] = 0.64 * (0.08 + 0.08192) = 0.10363, se = 0.32191;
    95% CI = -0.80954 -/+ 1.959964 * 0.32191 = [-1.44048, -0.17860].
    Becker's equal-SD variance, worked_examples.md's formula, is what smc_from_summary gives for
    a published arm with one SD: 2 (1 - 0.83205) / 5 + 0.80954^2 / 10 = 0.13272,
    95% CI [-1.52356, -0.09552].
    """
    est = standardized_mean_change([4, 6, 5, 7, 8], [3, 4, 4, 6, 5])
    assert est.value == pytest.approx(-0.80954, abs=1e-5)
    assert est.ci_low == pytest.approx(-1.44048, abs=1e-5)
    assert est.ci_high == pytest.approx(-0.17860, abs=1e-5)
    assert est.n == 5 and "Bonett" in est.method
    r = 6 / math.sqrt(52)
    both = smc_from_summary(6.0, math.sqrt(2.5), 4.4, 5, r, sd_post=math.sqrt(1.3))
    assert (both.value, both.ci_low, both.ci_high) == pytest.approx(
        (est.value, est.ci_low, est.ci_high), rel=1e-12
    )
    one_sd = smc_from_summary(6.0, math.sqrt(2.5), 4.4, 5, r)
    assert one_sd.value == pytest.approx(est.value, rel=1e-12) and "equal SDs" in one_sd.method
    assert (one_sd.ci_low, one_sd.ci_high) == pytest.approx((-1.52356, -0.09552), abs=1e-5)


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
