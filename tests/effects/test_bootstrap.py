"""outcomes.effects.bootstrap: resampled means, the BCa and percentile intervals (against
scipy.stats.bootstrap), reproducibility, chunking and both resampling routes."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from outcomes import effects
from outcomes.effects import bca_interval, bootstrap_mean, bootstrap_mean_ci, bootstrap_means
from outcomes.errors import InsufficientDataError, StatisticalWarning

# No numpy/scipy RuntimeWarning may escape from effects, degenerate cases included.
pytestmark = pytest.mark.filterwarnings("error::RuntimeWarning")


# --------------------------------------------------------------------------- errors


def test_bootstrap_needs_two_values():
    with pytest.raises(InsufficientDataError) as info:
        bootstrap_mean_ci([3.0, np.nan])
    assert str(info.value) == "bootstrap_mean_ci: found 1 non-missing value; at least 2 are needed."
    with pytest.raises(InsufficientDataError, match=r"^bootstrap_means: found 0 non-missing values"):
        bootstrap_means([np.nan])


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
    # every value equal: nothing to resample, and no zero-width interval claiming certainty
    assert (est.value, est.n) == (2.0, 3) and math.isnan(est.ci_low) and math.isnan(est.ci_high)
    assert "every value equal" in est.method
    assert bootstrap_mean([2.0, 2.0, 2.0]).means is None
    assert np.all(bootstrap_means([2.0, 2.0, 2.0], n_boot=10, seed=0) == 2.0)
    pct = bootstrap_mean_ci([1.0, 2.0, np.nan, 4.0], method="percentile", seed=0)
    assert pct.n == 3 and pct.method.startswith("bootstrap percentile")


def test_bca_interval_undefined_bias_correction_warns():
    with pytest.warns(StatisticalWarning, match="BCa interval undefined"):
        low, high = bca_interval(10.0, [1.0, 2.0, 3.0], 0.0, 0.95)
    assert math.isnan(low) and math.isnan(high)


# --------------------------------------------------------------------------- properties


scores = st.integers(min_value=0, max_value=100).map(lambda v: v / 10)  # a 0-10 scale, one decimal


@settings(max_examples=40, deadline=None)
@given(
    st.lists(scores, min_size=2, max_size=30),
    st.integers(0, 2**32 - 1),
    st.sampled_from(["bca", "percentile"]),
)
def test_bootstrap_interval_contains_the_mean_and_is_reproducible(x, seed, method):
    first = bootstrap_mean_ci(x, n_boot=500, seed=seed, method=method)
    again = bootstrap_mean_ci(x, n_boot=500, seed=seed, method=method)
    assert [first.value, first.ci_low, first.ci_high] == pytest.approx(
        [again.value, again.ci_low, again.ci_high], rel=0, abs=0, nan_ok=True
    )
    if "every value equal" in first.method:  # nothing resampled: no interval
        assert math.isnan(first.ci_low) and math.isnan(first.ci_high)
    else:
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
