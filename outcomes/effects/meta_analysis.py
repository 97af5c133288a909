"""Statistics across studies: random-effects pooling of published arms, and Fieller's interval of a
ratio of two estimates.
"""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import optimize, special

from .._checks import check_argument
from ..errors import StatisticalWarning
from .core import check_confidence

__all__ = ["TAU2_METHODS", "fieller_interval", "pool_arms", "tau2_estimate"]

#: Between-study variance estimators: restricted maximum likelihood, Paule–Mandel, DerSimonian–Laird.
TAU2_METHODS = ("reml", "pm", "dl")
#: Interval for the pooled effect: normal (z), or Hartung–Knapp–Sidik–Jonkman (t with a scaled SE).
CI_METHODS = ("z", "hksj")
_TOL = 1e-12
_MAX_ITER = 1000


def _fixed_mean(y: NDArray[np.float64], w: NDArray[np.float64]) -> float:
    return float(np.sum(w * y) / np.sum(w))


def _q(y: NDArray[np.float64], v: NDArray[np.float64], tau2: float) -> float:
    """Generalized Cochran Q at ``tau2``: Σ w (y − μ_w)², w = 1 / (v + τ²)."""
    w = 1.0 / (v + tau2)
    return float(np.sum(w * (y - _fixed_mean(y, w)) ** 2))


def _tau2_dl(y: NDArray[np.float64], v: NDArray[np.float64]) -> float:
    w = 1.0 / v
    c = float(np.sum(w) - np.sum(w**2) / np.sum(w))
    return max(0.0, (_q(y, v, 0.0) - (len(y) - 1)) / c) if c > 0 else 0.0


def _tau2_pm(y: NDArray[np.float64], v: NDArray[np.float64]) -> float:
    k = len(y)
    excess = lambda t2: _q(y, v, t2) - (k - 1)  # noqa: E731 - decreasing in τ², to -(k-1)
    if excess(0.0) <= 0:
        return 0.0
    upper = max(float(np.var(y)), float(np.max(v)), 1e-12)
    while excess(upper) > 0:
        upper *= 4.0
    return float(optimize.brentq(excess, 0.0, upper, xtol=_TOL, rtol=4 * np.finfo(float).eps))


def _tau2_reml(y: NDArray[np.float64], v: NDArray[np.float64]) -> float:
    """Fisher scoring on the restricted likelihood, as metafor's ``rma(method = "REML")`` does,
    started at the DerSimonian–Laird value, with step halving to stay at τ² ≥ 0."""
    tau2 = _tau2_dl(y, v)
    for _ in range(_MAX_ITER):
        w = 1.0 / (v + tau2)
        p = np.diag(w) - np.outer(w, w) / np.sum(w)
        py = p @ y
        adj = (py @ py - np.trace(p)) / np.sum(p * p)
        while tau2 + adj < 0:
            adj /= 2.0
            if abs(adj) < _TOL:
                return 0.0
        tau2 += adj
        if abs(adj) <= _TOL * max(1.0, tau2):
            break
    return max(0.0, float(tau2))


def tau2_estimate(y: ArrayLike, v: ArrayLike, method: str = "reml") -> float:
    """Between-study variance τ² of ``y`` with within-study variances ``v``, never below 0.

    Parameters
    ----------
    y, v : array_like
        Estimates and their variances (all finite, ``v > 0``, at least two).
    method : {'reml', 'pm', 'dl'}
        Restricted maximum likelihood (Fisher scoring, as metafor), Paule–Mandel
        (the τ² at which the generalized Q equals k − 1, found by Brent's
        method), or DerSimonian–Laird (method of moments).

    Returns
    -------
    float
        τ² ≥ 0 (0 whenever the estimator would fall below it, e.g. DL with Q < k − 1).

    Examples
    --------
    >>> tau2_estimate([0.50, 0.52], [0.04, 0.05], "dl")
    0.0
    """
    check_argument("method", TAU2_METHODS, method)
    yy, vv = np.asarray(y, dtype=float), np.asarray(v, dtype=float)
    if len(yy) < 2:
        return 0.0
    return {"reml": _tau2_reml, "pm": _tau2_pm, "dl": _tau2_dl}[method](yy, vv)


def _result(**fields: Any) -> dict[str, Any]:
    nan = float("nan")
    base: dict[str, Any] = dict(
        k=0,
        estimate=nan,
        se=nan,
        ci_low=nan,
        ci_high=nan,
        tau2=nan,
        i2=nan,
        i2_q=nan,
        q=nan,
        pi_low=nan,
        pi_high=nan,
        method="",
        ci="",
        note="",
    )
    base.update(fields)
    return base


def pool_arms(
    smc: ArrayLike,
    var: ArrayLike,
    *,
    method: str = "reml",
    ci: str = "hksj",
    confidence: float = 0.95,
) -> dict[str, Any]:
    """Random-effects pooling of effect estimates (standardized mean changes of published arms).

    Parameters
    ----------
    smc, var : sequences of float
        Effect estimates and their within-study variances. Pairs with a missing
        value, and arms with a variance of 0 or less (they carry no weight that
        a random-effects model can use), are left out with a note.
    method : {'reml', 'pm', 'dl'}, default 'reml'
        Between-study variance estimator (see :func:`tau2_estimate`); every
        estimate of τ² is truncated at 0.
    ci : {'hksj', 'z'}, default 'hksj'
        Interval of the pooled effect: ``hksj``, Hartung–Knapp–Sidik–Jonkman (a t
        interval with k − 1 degrees of freedom around an SE scaled by
        √max(1, q), so that it is never narrower than the z interval: the rule
        recommended by IntHout et al. 2014 and Röver et al. 2015); ``z``, the
        normal interval. With one arm the interval is that arm's normal interval.
    confidence : float, default 0.95

    Returns
    -------
    dict
        ``k`` (arms pooled), ``estimate``, ``se`` (the SE the interval uses),
        ``ci_low``, ``ci_high``, ``tau2``, ``i2`` (metafor's definition from the τ²
        in use: 100 τ² / (τ² + s²) with the typical within-study variance
        s² = (k − 1) Σw / ((Σw)² − Σw²), w = 1 / v; Higgins & Thompson 2002),
        ``i2_q`` (the Q-based 100 max(0, (Q − (k − 1)) / Q)), ``q`` (Cochran's Q),
        ``pi_low``, ``pi_high`` (prediction interval for the effect in a new
        setting, estimate ± t_{k−2} √(τ² + SE_RE²), Higgins, Thompson &
        Spiegelhalter 2009; NaN for k < 3, where it is not defined), ``method``,
        ``ci`` (the interval used) and ``note`` (how the pool was made when it
        rests on one arm, or arms were left out). With no usable arm, ``k`` is 0
        and the numbers are NaN.

    Warns
    -----
    StatisticalWarning
        When the pooled value rests on one arm, and when arms are left out.

    References
    ----------
    .. [1] Viechtbauer W. Bias and efficiency of meta-analytic variance estimators in the
       random-effects model. J Educ Behav Stat 2005;30(3):261-293. doi:10.3102/10769986030003261
    .. [2] IntHout J, Ioannidis JPA, Borm GF. The Hartung-Knapp-Sidik-Jonkman method for random
       effects meta-analysis is straightforward and considerably outperforms the standard
       DerSimonian-Laird method. BMC Med Res Methodol 2014;14:25. doi:10.1186/1471-2288-14-25
    .. [3] Röver C, Knapp G, Friede T. Hartung-Knapp-Sidik-Jonkman approach and its modification
       for random-effects meta-analysis with few studies. BMC Med Res Methodol 2015;15:99.
       doi:10.1186/s12874-015-0091-1
    .. [4] Higgins JPT, Thompson SG. Quantifying heterogeneity in a meta-analysis. Stat Med
       2002;21(11):1539-1558. doi:10.1002/sim.1186

    Examples
    --------
    >>> res = pool_arms([0.50, 0.52], [0.04, 0.05], method="dl", ci="z")
    >>> round(res["estimate"], 4), round(res["se"], 4), res["tau2"]
    (0.5089, 0.1491, 0.0)
    """
    check_argument("method", TAU2_METHODS, method)
    check_argument("ci", CI_METHODS, ci)
    conf = check_confidence(confidence)
    y_all = np.asarray(smc, dtype=float).ravel()
    v_all = np.asarray(var, dtype=float).ravel()
    if y_all.shape != v_all.shape:
        raise ValueError(f"smc and var must have the same length ({y_all.size} and {v_all.size})")
    usable = np.isfinite(y_all) & np.isfinite(v_all) & (v_all > 0)
    notes = []
    left_out = int((~usable & np.isfinite(y_all)).sum())
    if left_out:
        notes.append(f"{left_out} arm{'s' if left_out != 1 else ''} without a positive variance left out")
    y, v = y_all[usable], v_all[usable]
    k = int(y.size)
    z = float(special.ndtri(0.5 + conf / 2.0))
    if k == 0:
        return _result(method=method, ci=ci, note="; ".join([*notes, "no arm to pool"]))
    if k == 1:
        se = math.sqrt(v[0])
        notes.append("one arm: the pool is that arm, and no heterogeneity can be estimated")
        warnings.warn(
            "The pooled value rests on one arm: " + "; ".join(notes) + ".", StatisticalWarning, stacklevel=2
        )
        return _result(
            k=1,
            estimate=float(y[0]),
            se=se,
            ci_low=float(y[0] - z * se),
            ci_high=float(y[0] + z * se),
            tau2=0.0,
            i2=0.0,
            i2_q=0.0,
            q=0.0,
            method=method,
            ci="z",
            note="; ".join(notes),
        )
    if notes:
        warnings.warn("Pooling: " + "; ".join(notes) + ".", StatisticalWarning, stacklevel=2)
    tau2 = tau2_estimate(y, v, method)
    w = 1.0 / (v + tau2)
    mu = _fixed_mean(y, w)
    se_z = math.sqrt(1.0 / float(np.sum(w)))
    q = _q(y, v, 0.0)
    w0 = 1.0 / v
    s2 = (k - 1) * float(np.sum(w0)) / (float(np.sum(w0)) ** 2 - float(np.sum(w0**2)))
    i2 = 100.0 * tau2 / (tau2 + s2) if tau2 + s2 > 0 else 0.0
    i2_q = 100.0 * max(0.0, (q - (k - 1)) / q) if q > 0 else 0.0
    if ci == "hksj":
        scale = float(np.sum(w * (y - mu) ** 2)) / (k - 1)
        se = se_z * math.sqrt(max(1.0, scale))
        half = float(special.stdtrit(k - 1, 0.5 + conf / 2.0)) * se
    else:
        se = se_z
        half = z * se
    pi_low = pi_high = float("nan")
    if k >= 3:
        pi_half = float(special.stdtrit(k - 2, 0.5 + conf / 2.0)) * math.sqrt(tau2 + se_z**2)
        pi_low, pi_high = mu - pi_half, mu + pi_half
    return _result(
        k=k,
        estimate=mu,
        se=se,
        ci_low=mu - half,
        ci_high=mu + half,
        tau2=tau2,
        i2=i2,
        i2_q=i2_q,
        q=q,
        pi_low=pi_low,
        pi_high=pi_high,
        method=method,
        ci=ci,
        note="; ".join(notes),
    )


def fieller_interval(
    a: float, va: float, b: float, vb: float, confidence: float, *, cov: float = 0.0, df: float | None = None
) -> tuple[float, float]:
    """Fieller's interval of the ratio a / b of two normal estimates; NaN when it is not bounded.

    Parameters
    ----------
    a, va, b, vb : float
        The two estimates and their variances.
    confidence : float
    cov : float, default 0
        Their covariance (0 for independent estimates, such as a practice's effect and
        a published benchmark; the covariance of two means of the same clients otherwise).
    df : float, optional
        Degrees of freedom of a t quantile (the clients behind both means, minus one);
        the normal quantile when omitted.

    Returns
    -------
    (low, high) : tuple of float
        The ratios ρ with (a − ρb)² ≤ q² (va − 2ρ cov + ρ² vb), q the quantile: a bounded
        interval exactly when b is distinguishable from 0 at this level (b² > q² vb);
        NaN, NaN otherwise.

    References
    ----------
    .. [1] Fieller EC. Some problems in interval estimation. J R Stat Soc B 1954;16(2):175-185.
       doi:10.1111/j.2517-6161.1954.tb00159.x

    Examples
    --------
    >>> [round(x, 4) for x in fieller_interval(0.4, 0.01, 0.8, 0.02, 0.95)]
    [0.2411, 0.8953]
    """
    tail = 0.5 + confidence / 2.0
    quantile = float(special.ndtri(tail)) if df is None else float(special.stdtrit(df, tail))
    q2 = quantile**2
    qa = b * b - q2 * vb
    if qa <= 0:
        return float("nan"), float("nan")
    qb = -2.0 * (a * b - q2 * cov)
    qc = a * a - q2 * va
    disc = qb * qb - 4 * qa * qc
    if disc < 0:
        return float("nan"), float("nan")
    root = math.sqrt(disc)
    return (-qb - root) / (2 * qa), (-qb + root) / (2 * qa)
