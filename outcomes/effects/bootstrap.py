"""The client bootstrap of a mean: resampled means drawn as multinomial counts or indices, and BCa and
percentile intervals.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import special

from .._checks import check_argument
from .._words import plural
from ..errors import InsufficientDataError, StatisticalWarning
from .core import MIN_PAIRS, Estimate, check_confidence, sample_sd

#: Upper bound on ``chunk * k`` elements drawn at once by :func:`bootstrap_means`.
_MAX_CHUNK_ELEMENTS = 1_000_000


#: Use multinomial counts over distinct values when k * ratio <= n (measured: one multinomial
#: category costs about 13 times one drawn index on this hardware class).
_MULTINOMIAL_RATIO = 12


def _clean_values(x: ArrayLike, func: str) -> NDArray[np.float64]:
    arr = np.asarray(x, dtype=float).ravel()
    arr = arr[~np.isnan(arr)]
    if arr.size < MIN_PAIRS:
        raise InsufficientDataError(
            f"{func}: found {plural(int(arr.size), 'non-missing value')}; at least {MIN_PAIRS} are needed."
        )
    return arr


def bootstrap_means(
    x: ArrayLike, *, n_boot: int = 2000, seed: int | np.random.Generator | None = None
) -> NDArray[np.float64]:
    """Means of ``n_boot`` bootstrap resamples of ``x``, drawn as multinomial counts.

    Parameters
    ----------
    x : array_like
        Values (e.g. one mean change per client); NaNs are dropped first.
    n_boot : int, default 2000
        Number of resamples.
    seed : int, numpy.random.Generator or None
        Source of randomness (passed to :func:`numpy.random.default_rng`).

    Returns
    -------
    ndarray of float, shape (n_boot,)
        The resampled means.

    Raises
    ------
    InsufficientDataError
        Fewer than 2 non-missing values.
    ValueError
        ``n_boot < 1``.

    Notes
    -----
    Exact, not an approximation of the ordinary nonparametric bootstrap: drawing n values with
    replacement is a multinomial draw of counts over the n items; grouping equal values, it is
    a multinomial draw over the k distinct values (sorted by :func:`numpy.unique`) with
    probabilities multiplicity / n. So each resample mean is ``counts @ values / n`` with
    ``counts ~ Multinomial(n, p)`` (computed about the overall mean for accuracy), in time
    O(n_boot · k). This route is taken when there are few distinct values (k ≤ n / 12, as on
    integer scales); otherwise drawing one multinomial category costs more than drawing an
    index, and the resamples are drawn directly as ``n`` indices into the sorted values,
    O(n_boot · n). Which route is taken depends only on the data, so results are reproducible.
    Draws are made in chunks of at most ``1e6`` elements, so memory stays bounded (never
    ``n_boot × n`` at once) and there is no Python loop per resample. Because the values are
    sorted first, a permutation of ``x`` gives identical output for the same seed.

    References
    ----------
    .. [1] Efron, B., & Tibshirani, R. J. (1993). *An Introduction to the Bootstrap*. Chapman
       & Hall/CRC. https://doi.org/10.1201/9780429246593

    Examples
    --------
    >>> boot = bootstrap_means([1.0, 2.0, 4.0, 7.0], n_boot=5, seed=1)
    >>> boot.shape
    (5,)
    """
    if int(n_boot) != n_boot or n_boot < 1:
        raise ValueError(f"n_boot must be a positive integer; got {n_boot!r}.")
    n_boot = int(n_boot)
    arr = _clean_values(x, "bootstrap_means")
    n = arr.size
    rng = np.random.default_rng(seed)
    values, mult = np.unique(arr, return_counts=True)
    k = values.size
    if k == 1:
        return np.full(n_boot, values[0])
    centre = float(mult @ values) / n
    out = np.empty(n_boot, dtype=float)
    if k * _MULTINOMIAL_RATIO <= n:
        # few distinct values (integer scales): multinomial counts over them, O(n_boot · k)
        p = mult / n
        dev = values - centre
        chunk = max(1, _MAX_CHUNK_ELEMENTS // k)
        for start in range(0, n_boot, chunk):
            m = min(chunk, n_boot - start)
            counts = rng.multinomial(n, p, size=m)
            # einsum sums each row in a fixed order (BLAS may not), so results do not depend on
            # where the chunk boundaries fall.
            out[start : start + m] = centre + np.einsum("ij,j->i", counts, dev) / n
        return out
    # many distinct values: draw indices into the sorted values, O(n_boot · n)
    dev_sorted = np.sort(arr) - centre
    chunk = max(1, _MAX_CHUNK_ELEMENTS // n)
    for start in range(0, n_boot, chunk):
        m = min(chunk, n_boot - start)
        idx = rng.integers(0, n, size=(m, n))  # int64: numpy gathers with it directly (no cast)
        out[start : start + m] = centre + dev_sorted[idx].sum(axis=1) / n
    return out


def bca_interval(
    estimate: float, boot: ArrayLike, acceleration: float, confidence: float
) -> tuple[float, float]:
    """Bias-corrected and accelerated (BCa) percentile interval from a bootstrap distribution.

    Parameters
    ----------
    estimate : float
        The statistic on the original data.
    boot : array_like
        Its bootstrap replicates.
    acceleration : float
        The acceleration constant ``a`` (for the mean, see :func:`bootstrap_mean_ci`).
    confidence : float
        Two-sided confidence level.

    Returns
    -------
    low, high : float
        Interval limits; both NaN (with a :class:`~outcomes.errors.StatisticalWarning`) when
        every replicate lies on one side of the estimate, where the bias correction is
        infinite.

    Raises
    ------
    ValueError
        ``confidence`` outside (0, 1) or an empty ``boot``.

    Notes
    -----
    Efron (1987); the same steps as :func:`scipy.stats.bootstrap` with ``method="BCa"``::

        share = (#{boot < estimate} + #{boot <= estimate}) / (2 B)   # ties count half
        z0    = Φ⁻¹(share)
        α1    = Φ(z0 + (z0 + z_α) / (1 - a (z0 + z_α)))
        α2    = Φ(z0 + (z0 + z_{1-α}) / (1 - a (z0 + z_{1-α})))

    with ``α = (1 - confidence) / 2``; the limits are the ``α1`` and ``α2`` quantiles of
    ``boot`` (linear interpolation, numpy's default).

    References
    ----------
    .. [1] Efron, B. (1987). Better bootstrap confidence intervals. *Journal of the American
       Statistical Association*, 82(397), 171-185. https://doi.org/10.1080/01621459.1987.10478410
    .. [2] Efron, B., & Tibshirani, R. J. (1993). *An Introduction to the Bootstrap*, ch. 14.
       Chapman & Hall/CRC. https://doi.org/10.1201/9780429246593

    Examples
    --------
    >>> low, high = bca_interval(0.0, [-2.0, -1.0, 0.0, 1.0, 2.0], 0.0, 0.5)
    >>> low, high
    (-1.0, 1.0)
    """
    conf = check_confidence(confidence)
    b = np.asarray(boot, dtype=float).ravel()
    if b.size == 0:
        raise ValueError("boot must contain at least one bootstrap replicate.")
    est = float(estimate)
    share = (np.count_nonzero(b < est) + np.count_nonzero(b <= est)) / (2.0 * b.size)
    if not 0.0 < share < 1.0:
        warnings.warn(
            "BCa interval undefined: every bootstrap replicate lies on one side of the estimate "
            "(infinite bias correction); use the percentile interval or more data.",
            StatisticalWarning,
            stacklevel=2,
        )
        return math.nan, math.nan
    z0 = float(special.ndtri(share))
    z_alpha = float(special.ndtri((1.0 - conf) / 2.0))
    a = float(acceleration)
    levels = []
    for z in (z_alpha, -z_alpha):
        num = z0 + z
        denom = 1.0 - a * num
        if not denom > 0.0:
            warnings.warn(
                f"BCa interval undefined: acceleration {a:g} is too large for this bias correction "
                "(1 - a (z0 + z) <= 0); use the percentile interval.",
                StatisticalWarning,
                stacklevel=2,
            )
            return math.nan, math.nan
        levels.append(float(special.ndtr(z0 + num / denom)))
    low, high = np.percentile(b, [100.0 * levels[0], 100.0 * levels[1]])
    return float(low), float(high)


@dataclass(frozen=True)
class BootstrapMean:
    """A mean with its bootstrap interval, and the resampled means the interval comes from.

    Attributes
    ----------
    estimate : Estimate
        The mean and its interval (see :func:`bootstrap_mean_ci`).
    means : ndarray of float or None
        The ``n_boot`` resampled means, in the order drawn; ``None`` when every value is
        equal and nothing was resampled. A figure that draws the bootstrap distribution
        beside the interval draws these, so that both come from the same resamples.
    """

    estimate: Estimate
    means: NDArray[np.float64] | None


def bootstrap_mean(
    x: ArrayLike,
    *,
    n_boot: int = 2000,
    confidence: float = 0.95,
    seed: int | np.random.Generator | None = None,
    method: Literal["bca", "percentile"] = "bca",
) -> BootstrapMean:
    """:func:`bootstrap_mean_ci` that also returns the resampled means.

    Parameters and Notes as for :func:`bootstrap_mean_ci`; the same seed and data give the
    same interval from both.

    Returns
    -------
    BootstrapMean

    Examples
    --------
    >>> result = bootstrap_mean([-3.0, -2.0, -2.0, -1.0, 0.0, -4.0], n_boot=500, seed=7)
    >>> result.means.shape, result.estimate == bootstrap_mean_ci([-3, -2, -2, -1, 0, -4], n_boot=500, seed=7)
    ((500,), True)
    """
    check_argument("method", ("bca", "percentile"), method)
    conf = check_confidence(confidence)
    # Sorted, so that the mean (and hence the interval) is identical for any order of clients.
    arr = np.sort(_clean_values(x, "bootstrap_mean_ci"))
    n = int(arr.size)
    mean = float(np.mean(arr))
    label = f"bootstrap {'BCa' if method == 'bca' else 'percentile'} interval, n_boot={int(n_boot)}"
    if sample_sd(arr) == 0.0:  # nothing to resample: no interval rather than a zero-width one
        return BootstrapMean(Estimate(mean, math.nan, math.nan, conf, n, label + "; every value equal"), None)
    boot = bootstrap_means(arr, n_boot=n_boot, seed=seed)
    if method == "percentile":
        alpha = (1.0 - conf) / 2.0
        low, high = (float(v) for v in np.percentile(boot, [100.0 * alpha, 100.0 * (1.0 - alpha)]))
    else:
        dev = arr - mean
        acceleration = float(np.sum(dev**3)) / (6.0 * float(np.sum(dev**2)) ** 1.5)
        low, high = bca_interval(mean, boot, acceleration, conf)
    return BootstrapMean(Estimate(mean, low, high, conf, n, label), boot)


def bootstrap_mean_ci(
    x: ArrayLike,
    *,
    n_boot: int = 2000,
    confidence: float = 0.95,
    seed: int | np.random.Generator | None = None,
    method: Literal["bca", "percentile"] = "bca",
) -> Estimate:
    """Mean of ``x`` with a bootstrap confidence interval (BCa or percentile).

    Parameters
    ----------
    x : array_like
        Values, one per independent unit (client); NaNs are dropped first.
    n_boot : int, default 2000
        Number of bootstrap resamples (see :func:`bootstrap_means`).
    confidence : float, default 0.95
        Two-sided confidence level.
    seed : int, numpy.random.Generator or None
        Source of randomness; the same seed and data give the same interval.
    method : {"bca", "percentile"}, default "bca"
        Interval type.

    Returns
    -------
    Estimate
        ``value`` is the mean, the interval from ``n_boot`` resampled means, ``n`` the number
        of non-missing values.

    Raises
    ------
    InsufficientDataError
        Fewer than 2 non-missing values.
    ValueError
        Unknown ``method``, ``confidence`` outside (0, 1), or ``n_boot < 1``.

    Notes
    -----
    Percentile: the ``α`` and ``1 - α`` quantiles of the resampled means. BCa (Efron 1987) via
    :func:`bca_interval`, with the acceleration from the closed-form jackknife of the mean::

        a = Σ (x_i - x̄)**3 / (6 (Σ (x_i - x̄)**2) ** 1.5)

    (the jackknife values are ``x̄_(i) = (n x̄ - x_i) / (n - 1)``, so
    ``x̄_(·) - x̄_(i) = (x_i - x̄) / (n - 1)`` and the ``n - 1`` cancels). This matches
    :func:`scipy.stats.bootstrap` up to Monte-Carlo error. When all values are equal
    nothing is resampled and the interval is NaN (a zero-width interval would claim a
    certainty the data cannot give); ``method`` says why.

    References
    ----------
    .. [1] Efron, B. (1987). Better bootstrap confidence intervals. *Journal of the American
       Statistical Association*, 82(397), 171-185. https://doi.org/10.1080/01621459.1987.10478410
    .. [2] Efron, B., & Tibshirani, R. J. (1993). *An Introduction to the Bootstrap*. Chapman
       & Hall/CRC. https://doi.org/10.1201/9780429246593

    Examples
    --------
    >>> est = bootstrap_mean_ci([-3.0, -2.0, -2.0, -1.0, 0.0, -4.0], seed=7)
    >>> est.value, est.ci_low < est.value < est.ci_high
    (-2.0, True)
    """
    return bootstrap_mean(x, n_boot=n_boot, confidence=confidence, seed=seed, method=method).estimate
