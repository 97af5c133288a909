"""What every estimator shares: the result objects, complete pairs, and the checks of their inputs."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import special

from .._words import plural
from ..errors import InsufficientDataError

MIN_PAIRS = 2


#: An SD below this fraction of the largest absolute score is floating-point noise.
ZERO_SD_RTOL = 1e-12


@dataclass(frozen=True)
class Estimate:
    """A point estimate with its confidence interval.

    Attributes
    ----------
    value : float
        The estimate.
    ci_low, ci_high : float
        Lower and upper limits of the two-sided interval.
    confidence : float
        Confidence level of the interval, e.g. 0.95.
    n : int
        Number of independent units used (complete pairs, clients, or the published n).
    method : str
        How the estimate and its interval were computed, in words.
    """

    value: float
    ci_low: float
    ci_high: float
    confidence: float
    n: int
    method: str


@dataclass(frozen=True)
class TestResult:
    """The result of a hypothesis test.

    Attributes
    ----------
    statistic : float
        The test statistic (its definition is in the ``method`` string and the docstring of the
        function that made it).
    pvalue : float
        Two-sided p-value.
    n : int
        Number of complete pairs used.
    method : str
        The test and its variant, in words.
    df : float
        Degrees of freedom where the reference distribution has them, else NaN.
    """

    __test__ = False  # not a pytest test class, despite the name

    statistic: float
    pvalue: float
    n: int
    method: str
    df: float = math.nan


def check_confidence(confidence: float) -> float:
    conf = float(confidence)
    if not 0.0 < conf < 1.0:
        raise ValueError(f"confidence must be strictly between 0 and 1 (e.g. 0.95); got {confidence!r}.")
    return conf


def z_two_sided(confidence: float) -> float:
    """Standard normal quantile for a two-sided interval at ``confidence``."""
    return float(special.ndtri(0.5 + confidence / 2.0))


def _require_pairs(n: int, func: str, needed: int = MIN_PAIRS) -> None:
    if n < needed:
        raise InsufficientDataError(
            f"{func}: found {plural(n, 'complete pre/post pair')}; at least {needed} are needed. "
            "A pair is complete when both the pre and the post score are present."
        )


def sample_sd(x: NDArray[np.float64], scale: float | None = None) -> float:
    """Sample SD (ddof=1), or exactly 0.0 when the spread is floating-point noise.

    ``scale`` is the magnitude of the numbers ``x`` was computed from (for differences, the
    largest absolute pre or post score); it defaults to ``max(|x|)``.
    """
    if x.size < 2 or x.max() == x.min():
        return 0.0
    s = float(np.std(x, ddof=1))
    ref = float(np.max(np.abs(x))) if scale is None else float(scale)
    if s <= ZERO_SD_RTOL * ref:
        return 0.0
    return s


def complete_differences(
    pre: ArrayLike, post: ArrayLike, func: str
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64], int, float]:
    """Complete pairs, the change ``post - pre``, n, and the scale of the scores."""
    pre_c, post_c = paired(pre, post)
    n = int(pre_c.size)
    _require_pairs(n, func)
    scale = float(max(np.max(np.abs(pre_c)), np.max(np.abs(post_c))))
    return pre_c, post_c, post_c - pre_c, n, scale


def _as_1d_float(x: ArrayLike, name: str) -> NDArray[np.float64]:
    arr = np.asarray(x, dtype=float)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional (one score per client); got shape {arr.shape}.")
    return arr


def paired(pre: ArrayLike, post: ArrayLike) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Complete pre/post pairs as float arrays.

    Parameters
    ----------
    pre, post : array_like, 1-D
        Scores before and after, one per client, aligned by position. NaN (or ``None``) marks a
        missing score.

    Returns
    -------
    pre, post : ndarray of float
        The pairs where both scores are present, in their original order.

    Raises
    ------
    ValueError
        If ``pre`` and ``post`` differ in length (the message gives both lengths) or are not
        one-dimensional.

    Notes
    -----
    A pair is dropped when *either* score is missing, never one array at a time: dropping per
    array would silently pair one client's pre score with another client's post score.

    Examples
    --------
    >>> pre, post = paired([3, 5, float("nan"), 7], [2, float("nan"), 1, 4])
    >>> pre.tolist(), post.tolist()
    ([3.0, 7.0], [2.0, 4.0])
    """
    pre_a = _as_1d_float(pre, "pre")
    post_a = _as_1d_float(post, "post")
    if pre_a.size != post_a.size:
        raise ValueError(
            f"pre and post must have the same length (one pair per client); "
            f"got {pre_a.size} pre and {post_a.size} post values."
        )
    keep = ~(np.isnan(pre_a) | np.isnan(post_a))
    return pre_a[keep], post_a[keep]
