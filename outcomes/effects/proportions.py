"""Intervals for proportions (the share of clients reaching an MCID)."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .core import check_confidence, z_two_sided


def wilson_interval(
    k: ArrayLike, n: ArrayLike, *, confidence: float = 0.95
) -> tuple[float | NDArray[np.float64], float | NDArray[np.float64]]:
    """Wilson score interval for a proportion ``k / n``, vectorized.

    Parameters
    ----------
    k : array_like
        Number of successes (e.g. clients reaching the MCID), ``0 <= k <= n``.
    n : array_like
        Number of trials (clients); broadcast against ``k``.
    confidence : float, default 0.95
        Two-sided confidence level.

    Returns
    -------
    low, high : float or ndarray
        Interval limits in [0, 1]; floats when ``k`` and ``n`` are scalars. NaN where ``n = 0``.

    Raises
    ------
    ValueError
        Negative ``k`` or ``n``, ``k > n``, or ``confidence`` outside (0, 1).

    Notes
    -----
    With ``p = k / n`` and ``z = z_{1-α/2}``::

        centre = (k + z**2 / 2) / (n + z**2)
        half   = z / (n + z**2) * sqrt(k (n - k) / n + z**2 / 4)

    Same as ``statsmodels.stats.proportion.proportion_confint(k, n, method="wilson")`` and R's
    ``prop.test(k, n, correct = FALSE)``. Recommended over the Wald interval for small n and
    proportions near 0 or 1 (Brown, Cai & DasGupta 2001).

    References
    ----------
    .. [1] Wilson, E. B. (1927). Probable inference, the law of succession, and statistical
       inference. *Journal of the American Statistical Association*, 22(158), 209-212.
       https://doi.org/10.1080/01621459.1927.10502953
    .. [2] Brown, L. D., Cai, T. T., & DasGupta, A. (2001). Interval estimation for a binomial
       proportion. *Statistical Science*, 16(2), 101-133. https://doi.org/10.1214/ss/1009213286

    Examples
    --------
    >>> low, high = wilson_interval(7, 10)
    >>> print(f"{low:.4f} {high:.4f}")
    0.3968 0.8922
    """
    conf = check_confidence(confidence)
    k_a, n_a = np.broadcast_arrays(np.asarray(k, dtype=float), np.asarray(n, dtype=float))
    if np.any(n_a < 0) or np.any(k_a < 0):
        raise ValueError("k and n must be non-negative counts.")
    if np.any(k_a > n_a):
        raise ValueError("k (successes) cannot exceed n (trials).")
    z = z_two_sided(conf)
    z2 = z * z
    ok = n_a > 0
    safe_n = np.where(ok, n_a, 1.0)
    centre = (k_a + z2 / 2.0) / (safe_n + z2)
    half = z / (safe_n + z2) * np.sqrt(k_a * (safe_n - k_a) / safe_n + z2 / 4.0)
    # k = 0 and k = n give exactly 0 and 1 (the formula leaves rounding noise of 1e-17).
    low = np.where(ok, np.where(k_a == 0, 0.0, np.clip(centre - half, 0.0, 1.0)), np.nan)
    high = np.where(ok, np.where(k_a == n_a, 1.0, np.clip(centre + half, 0.0, 1.0)), np.nan)
    if low.ndim == 0:
        return float(low), float(high)
    return low, high
