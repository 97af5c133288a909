"""outcomes.effects.meta_analysis: random-effects pooling of published arms (against R metafor) and
Fieller's interval of a ratio."""

from __future__ import annotations

import math

import pytest
from scipy import stats

from outcomes.effects import fieller_interval, pool_arms

# Kacker (2004) example, with R metafor's output as recorded in statsmodels' test suite
# (statsmodels/stats/tests/results/results_meta.py: exk1_metafor = rma(method="PM"),
# exk1_dl = rma(method="DL")).
KACKER_Y = [61.00, 61.40, 62.21, 62.30, 62.34, 62.60, 62.70, 62.84, 65.90]
KACKER_V = [0.2025, 1.2100, 0.0900, 0.2025, 0.3844, 0.5625, 0.0676, 0.0225, 1.8225]


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
