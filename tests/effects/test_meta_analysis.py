"""outcomes.effects.meta_analysis: random-effects pooling of published arms (against R metafor) and
Fieller's interval of a ratio."""

from __future__ import annotations

import math

import pytest
from scipy import stats

from outcomes.effects import fieller_interval, pool_arms
from outcomes.effects.meta_analysis import tau2_estimate
from outcomes.errors import StatisticalWarning

# Kacker (2004) example, with R metafor's output as recorded in statsmodels' test suite
# (statsmodels/stats/tests/results/results_meta.py: exk1_metafor = rma(method="PM"),
# exk1_dl = rma(method="DL")).
KACKER_Y = [61.00, 61.40, 62.21, 62.30, 62.34, 62.60, 62.70, 62.84, 65.90]
KACKER_V = [0.2025, 1.2100, 0.0900, 0.2025, 0.3844, 0.5625, 0.0676, 0.0225, 1.8225]


# metafor 3.8.1 (R 4.2.2), ctl <- list(tol = 1e-12, threshold = 1e-12, maxiter = 10000):
#   rma(KACKER_Y, KACKER_V, method = M, test = T, control = ctl), printed with %.10f
#   b, se, ci.lb, ci.ub, tau2, I2
METAFOR_KACKER = {
    ("reml", "z"): (62.3900652738, 0.2475080912, 61.9049583291, 62.8751722185, 0.2943428669, 68.21487288),
    ("reml", "hksj"): (62.3900652738, 0.2957266901, 61.7081183036, 63.0720122440, 0.2943428669, 68.21487288),
    ("pm", "z"): (62.4076199113, 0.3380306027, 61.7450921044, 63.0701477183, 0.7053953092, 83.72186265),
    ("pm", "hksj"): (62.4076199113, 0.3380306027, 61.6281199437, 63.1871198789, 0.7053953092, 83.72186265),
    ("dl", "z"): (62.3901386045, 0.2457496680, 61.9084781059, 62.8717991030, 0.2880492470, 67.74440374),
    ("dl", "hksj"): (62.3901386045, 0.2947760570, 61.7103837981, 63.0698934108, 0.2880492470, 67.74440374),
}
#   hy <- c(0.42, 0.95, 0.18, 0.66, 1.20); hv <- c(0.030, 0.045, 0.025, 0.060, 0.080)
#   rma(hy, hv, method = M, test = "knha", control = ctl)
HETERO_Y = [0.42, 0.95, 0.18, 0.66, 1.20]
HETERO_V = [0.030, 0.045, 0.025, 0.060, 0.080]
METAFOR_HETERO = {
    "reml": (0.6443853658, 0.1804936677, 0.1432546057, 1.1455161260, 0.1172369980, 73.68678299),
    "pm": (0.6443886314, 0.1804938075, 0.1432574830, 1.1455197797, 0.1172514989, 73.68918101),
    "dl": (0.6440899571, 0.1804809998, 0.1429943687, 1.1451855455, 0.1159356643, 73.46978569),
}
FIELDS = ("estimate", "se", "ci_low", "ci_high", "tau2", "i2")


@pytest.mark.parametrize(("method", "ci"), sorted(METAFOR_KACKER))
def test_pool_arms_matches_metafor_on_kacker(method, ci):
    """Every tau2 estimator, z and Hartung-Knapp intervals, against metafor's rma() (above).

    On these data q > 1, so the modified HKSJ interval (never narrower than z) equals metafor's
    test = "knha"."""
    res = pool_arms(KACKER_Y, KACKER_V, method=method, ci=ci)
    got = [res[f] for f in FIELDS]
    assert got == pytest.approx(METAFOR_KACKER[(method, ci)], rel=0, abs=2e-8)
    assert res["k"] == 9 and res["q"] == pytest.approx(24.8018977417, abs=1e-9)
    # the Q-based I2 beside it (Higgins & Thompson 2002): 67.744% whatever the tau2 estimator
    assert res["i2_q"] == pytest.approx(67.74440374, abs=1e-7)


@pytest.mark.parametrize("method", sorted(METAFOR_HETERO))
def test_pool_arms_hksj_matches_metafor_knha(method):
    res = pool_arms(HETERO_Y, HETERO_V, method=method, ci="hksj")
    assert [res[f] for f in FIELDS] == pytest.approx(METAFOR_HETERO[method], rel=0, abs=2e-8)


def test_pool_arms_prediction_interval_follows_higgins_2009():
    """b ± t_{k-2} sqrt(tau2 + se^2), with the random-effects SE of the estimate."""
    res = pool_arms(KACKER_Y, KACKER_V, method="dl", ci="z")
    half = stats.t.ppf(0.975, 7) * math.sqrt(0.2880492470 + 0.2457496680**2)
    assert (res["pi_low"], res["pi_high"]) == pytest.approx(
        (62.3901386045 - half, 62.3901386045 + half), abs=1e-8
    )


def test_dersimonian_laird_tau2_is_truncated_at_zero_matches_metafor():
    """metafor rma(c(.50, .52), c(.04, .05), method = "DL"): b = 0.5088888889, se = 0.1490711985,
    CI 0.2167147087 to 0.8010630691, tau2 = 0, I2 = 0 (statsmodels' combine_effects gives tau2 -0.045
    and an estimate of 0.26, outside both arms)."""
    res = pool_arms([0.50, 0.52], [0.04, 0.05], method="dl", ci="z")
    assert [res[f] for f in FIELDS] == pytest.approx(
        (0.5088888889, 0.1490711985, 0.2167147087, 0.8010630691, 0.0, 0.0), rel=0, abs=1e-9
    )


def test_three_near_identical_arms_match_metafor():
    """metafor rma(c(.10, .11, .12), rep(.05, 3), method = "DL" and "REML"): b = 0.11,
    se = 0.1290994449, CI -0.1430302624 to 0.3630302624, tau2 = 0 (statsmodels raises
    'math domain error' here). The HKSJ interval uses max(1, q) = 1: t_2 times the z SE, never the
    tenfold narrower interval metafor's plain knha gives (se 0.0057735)."""
    for method in ("dl", "reml", "pm"):
        res = pool_arms([0.10, 0.11, 0.12], [0.05] * 3, method=method, ci="z")
        assert [res[f] for f in FIELDS] == pytest.approx(
            (0.11, 0.1290994449, -0.1430302624, 0.3630302624, 0.0, 0.0), rel=0, abs=1e-9
        )
        hksj = pool_arms([0.10, 0.11, 0.12], [0.05] * 3, method=method)
        half = stats.t.ppf(0.975, 2) * 0.1290994449
        assert (hksj["ci_low"], hksj["ci_high"]) == pytest.approx((0.11 - half, 0.11 + half), abs=1e-9)


def test_hksj_is_never_narrower_than_z(rng):
    for _ in range(200):
        k = int(rng.integers(2, 8))
        y, v = rng.normal(0.5, 0.3, k), rng.uniform(0.01, 0.1, k)
        z, h = pool_arms(y, v, ci="z"), pool_arms(y, v, ci="hksj")
        assert h["ci_high"] - h["ci_low"] >= z["ci_high"] - z["ci_low"] - 1e-12
        assert h["tau2"] >= 0 and z["estimate"] == h["estimate"]


def test_pool_arms_small_k_never_gives_nan_or_raises():
    with pytest.warns(StatisticalWarning, match="rests on one arm"):
        one = pool_arms([0.5], [0.04])
    assert (one["k"], one["estimate"], one["tau2"], one["i2"], one["ci"]) == (1, 0.5, 0.0, 0.0, "z")
    assert one["ci_low"] == pytest.approx(0.5 - 1.959964 * 0.2, 1e-6)
    assert math.isnan(one["pi_low"]) and "one arm" in one["note"]  # a prediction interval needs k >= 3
    two = pool_arms([0.5, 0.52], [0.04, 0.05])
    assert two["i2"] == 0.0 and math.isnan(two["pi_low"])
    assert all(math.isfinite(two[f]) for f in FIELDS)
    same = pool_arms([0.3, 0.3, 0.3], [0.02, 0.03, 0.04])
    assert same["estimate"] == pytest.approx(0.3) and same["tau2"] == 0.0
    assert all(math.isfinite(same[f]) for f in FIELDS)
    with pytest.warns(StatisticalWarning, match="without a positive variance left out"):
        zero = pool_arms([0.3, 0.5, 0.7], [0.0, 0.02, 0.03])
    assert zero["k"] == 2 and all(math.isfinite(zero[f]) for f in FIELDS)
    assert pool_arms([], [])["k"] == 0


def test_tau2_estimators_are_never_negative(rng):
    for _ in range(100):
        k = int(rng.integers(2, 6))
        y, v = rng.normal(0, 0.05, k), rng.uniform(0.05, 0.2, k)  # Q well below k - 1: truncation
        for method in ("reml", "pm", "dl"):
            assert tau2_estimate(y, v, method) >= 0.0


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
