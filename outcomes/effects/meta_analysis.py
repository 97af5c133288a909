"""Statistics across studies: random-effects pooling of published arms, and Fieller's interval of a
ratio of two estimates.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike
from scipy import stats


def pool_arms(
    smc: ArrayLike, var: ArrayLike, *, method: str = "pm", confidence: float = 0.95
) -> dict[str, float]:
    """Random-effects pooling of standardized mean changes (statsmodels ``combine_effects``).

    Parameters
    ----------
    smc, var : sequences of float
        Effect estimates and their within-study variances.
    method : {'pm', 'dl'}
        Between-study variance estimator: Paule–Mandel (iterated) or
        DerSimonian–Laird.

    Returns
    -------
    dict
        ``k``, ``estimate``, ``se``, ``ci_low``, ``ci_high`` (normal interval),
        ``tau2``, ``i2`` (Higgins & Thompson 2002, from Cochran's Q, truncated
        at 0, in percent), ``pi_low``, ``pi_high`` (prediction interval for a
        new setting, Higgins, Thompson & Spiegelhalter 2009:
        estimate ± t_{k−2} √(τ² + se²); NaN for k < 3). With one study the
        estimate is that study's, and τ², I² and the prediction interval are NaN.
    """
    from statsmodels.stats.meta_analysis import combine_effects

    y = np.asarray(smc, dtype=float)
    v = np.asarray(var, dtype=float)
    k = y.size
    z = stats.norm.ppf(0.5 + confidence / 2)
    nan = float("nan")
    if k == 0:
        return dict(
            k=0, estimate=nan, se=nan, ci_low=nan, ci_high=nan, tau2=nan, i2=nan, pi_low=nan, pi_high=nan
        )
    if k == 1:
        se = math.sqrt(v[0])
        return dict(
            k=1,
            estimate=float(y[0]),
            se=se,
            ci_low=float(y[0] - z * se),
            ci_high=float(y[0] + z * se),
            tau2=nan,
            i2=nan,
            pi_low=nan,
            pi_high=nan,
        )
    method_re = {"pm": "iterated", "dl": "chi2"}[method]
    res = combine_effects(y, v, method_re=method_re, use_t=False, alpha=1 - confidence)
    est, se = float(res.mean_effect_re), float(res.sd_eff_w_re)
    q, df = float(res.q), k - 1
    i2 = 100.0 * max(0.0, (q - df) / q) if q > 0 else 0.0
    pi_low = pi_high = nan
    if k >= 3:
        half = stats.t.ppf(0.5 + confidence / 2, k - 2) * math.sqrt(float(res.tau2) + se**2)
        pi_low, pi_high = est - half, est + half
    return dict(
        k=k,
        estimate=est,
        se=se,
        ci_low=est - z * se,
        ci_high=est + z * se,
        tau2=float(res.tau2),
        i2=i2,
        pi_low=pi_low,
        pi_high=pi_high,
    )


def fieller_interval(a: float, va: float, b: float, vb: float, confidence: float) -> tuple[float, float]:
    """Fieller interval of a / b for independent normal estimates; NaN when unbounded."""
    z2 = stats.norm.ppf(0.5 + confidence / 2) ** 2
    qa = b * b - z2 * vb
    if qa <= 0:
        return float("nan"), float("nan")
    qb = -2 * a * b
    qc = a * a - z2 * va
    disc = qb * qb - 4 * qa * qc
    if disc < 0:
        return float("nan"), float("nan")
    root = math.sqrt(disc)
    return (-qb - root) / (2 * qa), (-qb + root) / (2 * qa)
