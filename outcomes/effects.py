"""Pure statistics on arrays: paired change, tests, effect sizes, reliable change, intervals.

Every function here takes plain arrays (anything :func:`numpy.asarray` accepts) and returns a
float, an array, or a small frozen dataclass (:class:`Estimate`, :class:`TestResult`). There is
no pandas requirement, no I/O, no global state, no printing and no rounding; randomness comes
only from an explicit ``seed``.

Notes
-----
**Sign.** ``change = post - pre``, always. Every paired function takes ``pre, post`` in that
order. A negative change on a scale where lower is better (pain) is an improvement; turning
change into improvement is the caller's job (see :func:`classify_reliable_change` for the one
place where direction enters, through ``improvement_sign``).

**Pairing.** Paired functions call :func:`paired`, which drops a client whose ``pre`` *or*
``post`` is missing (NaN) -- incomplete *pairs* are dropped, never values per array -- and
every result reports the ``n`` of complete pairs it used. :func:`reliable_change_index` and
:func:`classify_reliable_change` are elementwise instead: a NaN pair gives NaN (or ``''``) in
its own position and nothing is dropped.

**Degenerate input.** The rules, the same in every function:

=======================================  =====================================================
situation                                result
=======================================  =====================================================
``pre`` and ``post`` of unequal length   ``ValueError`` naming both lengths
fewer than 2 complete pairs              :class:`~outcomes.errors.InsufficientDataError` for
                                         everything that needs a variance (mean change, t-test,
                                         Wilcoxon, d_z, d_av, g_av, smc) and for the bootstrap
                                         (fewer than 2 non-missing values)
SD of the differences is zero            ``cohens_dz`` NaN; ``paired_ttest`` statistic and p
                                         NaN; ``mean_change`` interval collapses to
                                         ``[mean, mean]``
SD of ``pre`` is zero                    ``standardized_mean_change`` value and interval NaN
SD of ``post`` is zero                   ``standardized_mean_change``: the pre-post correlation
                                         is undefined, so its variance and interval are NaN
                                         (the value is still defined)
all differences zero                     ``wilcoxon_signed_rank`` p NaN (V = 0 as in R, except
                                         with ``zero_method="zsplit"``)
exactly 2 pairs (df = 1)                 Hedges' correction is 0 there; g_av and smc are NaN
                                         (metafor's ``.cmicalc`` also returns NA for df <= 1)
all bootstrap values equal               ``bootstrap_mean_ci`` interval ``[mean, mean]``
=======================================  =====================================================

An SD is treated as zero when it is below ``1e-12`` times the largest absolute score
involved: differences of decimal scores such as ``0.3 - 0.1`` and ``0.2 - 0.0`` differ in the
last binary digit, and without this rule a "constant" change would give an SD of ``1e-17``
and a d_z of ``1e16``. None of these cases lets a numpy/scipy ``RuntimeWarning`` escape.

References
----------
.. [1] Lakens, D. (2013). Calculating and reporting effect sizes to facilitate cumulative
   science: a practical primer for t-tests and ANOVAs. *Frontiers in Psychology*, 4, 863.
   https://doi.org/10.3389/fpsyg.2013.00863
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import special, stats

from .errors import InsufficientDataError, StatisticalWarning

__all__ = [
    "Estimate",
    "TestResult",
    "bca_interval",
    "bootstrap_mean_ci",
    "bootstrap_means",
    "classify_reliable_change",
    "cohens_dav",
    "cohens_dz",
    "hedges_correction",
    "hedges_g_av",
    "jacobson_truax_cutoff",
    "mean_change",
    "paired",
    "paired_ttest",
    "reliable_change_index",
    "reliable_change_threshold",
    "smc_from_summary",
    "smc_from_summary_arrays",
    "standardized_mean_change",
    "wilcoxon_signed_rank",
    "wilson_interval",
]

_MIN_PAIRS = 2
#: An SD below this fraction of the largest absolute score is floating-point noise.
_ZERO_SD_RTOL = 1e-12
#: Upper bound on ``chunk * k`` elements drawn at once by :func:`bootstrap_means`.
_MAX_CHUNK_ELEMENTS = 1_000_000
#: Use multinomial counts over distinct values when k * ratio <= n (measured: one multinomial
#: category costs about 13 times one drawn index on this hardware class).
_MULTINOMIAL_RATIO = 12

_RC_IMPROVED = "reliably_improved"
_RC_NONE = "no_reliable_change"
_RC_DETERIORATED = "reliably_deteriorated"


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


# --------------------------------------------------------------------------- helpers


def _check_confidence(confidence: float) -> float:
    conf = float(confidence)
    if not 0.0 < conf < 1.0:
        raise ValueError(f"confidence must be strictly between 0 and 1 (e.g. 0.95); got {confidence!r}.")
    return conf


def _z_two_sided(confidence: float) -> float:
    """Standard normal quantile for a two-sided interval at ``confidence``."""
    return float(special.ndtri(0.5 + confidence / 2.0))


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _require_pairs(n: int, func: str, needed: int = _MIN_PAIRS) -> None:
    if n < needed:
        raise InsufficientDataError(
            f"{func}: found {_plural(n, 'complete pre/post pair')}; at least {needed} are needed. "
            "A pair is complete when both the pre and the post score are present."
        )


def _sd(x: NDArray[np.float64], scale: float | None = None) -> float:
    """Sample SD (ddof=1), or exactly 0.0 when the spread is floating-point noise.

    ``scale`` is the magnitude of the numbers ``x`` was computed from (for differences, the
    largest absolute pre or post score); it defaults to ``max(|x|)``.
    """
    if x.size < 2 or x.max() == x.min():
        return 0.0
    s = float(np.std(x, ddof=1))
    ref = float(np.max(np.abs(x))) if scale is None else float(scale)
    if s <= _ZERO_SD_RTOL * ref:
        return 0.0
    return s


def _differences(
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


# --------------------------------------------------------------------------- pairing


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


# --------------------------------------------------------------------------- mean change, tests


def mean_change(pre: ArrayLike, post: ArrayLike, *, confidence: float = 0.95) -> Estimate:
    """Mean change ``post - pre`` with a t-based confidence interval.

    Parameters
    ----------
    pre, post : array_like, 1-D
        Paired scores; incomplete pairs are dropped (see :func:`paired`).
    confidence : float, default 0.95
        Confidence level of the two-sided interval.

    Returns
    -------
    Estimate
        ``value`` is the mean of ``d = post - pre``; ``ci_low``/``ci_high`` the t interval;
        ``n`` the number of complete pairs.

    Raises
    ------
    ValueError
        Unequal lengths, or ``confidence`` outside (0, 1).
    InsufficientDataError
        Fewer than 2 complete pairs.

    Notes
    -----
    ``mean(d) ± t_{1-α/2, n-1} · sd(d) / sqrt(n)``, with ``sd`` the sample SD (n - 1 divisor).
    When every difference is the same the SD is zero and the interval collapses to
    ``[mean, mean]``. This is the interval of R's ``t.test(post, pre, paired = TRUE)``.

    References
    ----------
    .. [1] Student (1908). The probable error of a mean. *Biometrika*, 6(1), 1-25.
       https://doi.org/10.1093/biomet/6.1.1

    Examples
    --------
    >>> est = mean_change([5, 6, 7, 8], [4, 4, 6, 5])
    >>> est.value, est.n
    (-1.75, 4)
    """
    conf = _check_confidence(confidence)
    _, _, d, n, scale = _differences(pre, post, "mean_change")
    m = float(np.mean(d))
    sd = _sd(d, scale)
    half = float(stats.t.ppf(0.5 + conf / 2.0, n - 1)) * sd / math.sqrt(n)
    return Estimate(
        value=m,
        ci_low=m - half,
        ci_high=m + half,
        confidence=conf,
        n=n,
        method="mean change (post - pre), t interval with n - 1 df",
    )


def paired_ttest(pre: ArrayLike, post: ArrayLike) -> TestResult:
    """Two-sided paired t-test of the mean change ``post - pre`` against zero.

    Parameters
    ----------
    pre, post : array_like, 1-D
        Paired scores; incomplete pairs are dropped (see :func:`paired`).

    Returns
    -------
    TestResult
        ``statistic`` is ``t`` (negative when scores went down), ``pvalue`` two-sided,
        ``df = n - 1``, ``n`` the number of complete pairs.

    Raises
    ------
    ValueError
        Unequal lengths.
    InsufficientDataError
        Fewer than 2 complete pairs.

    Notes
    -----
    ``t = mean(d) / (sd(d) / sqrt(n))`` with ``d = post - pre``, referred to a t distribution
    with ``n - 1`` df; identical to ``scipy.stats.ttest_rel(post, pre)`` and to R's
    ``t.test(post, pre, paired = TRUE)``. When the SD of the differences is zero the statistic
    and p-value are NaN (not ``±inf``).

    References
    ----------
    .. [1] Student (1908). The probable error of a mean. *Biometrika*, 6(1), 1-25.
       https://doi.org/10.1093/biomet/6.1.1

    Examples
    --------
    >>> res = paired_ttest([5, 6, 7, 8], [4, 4, 6, 5])
    >>> print(f"t = {res.statistic:.3f}, df = {res.df:.0f}")
    t = -3.656, df = 3
    """
    _, _, d, n, scale = _differences(pre, post, "paired_ttest")
    sd = _sd(d, scale)
    df = float(n - 1)
    method = "paired t-test (two-sided), change = post - pre"
    if sd == 0.0:
        return TestResult(statistic=math.nan, pvalue=math.nan, n=n, method=method, df=df)
    t = float(np.mean(d)) / (sd / math.sqrt(n))
    p = float(2.0 * stats.t.sf(abs(t), df))
    return TestResult(statistic=t, pvalue=p, n=n, method=method, df=df)


def wilcoxon_signed_rank(
    pre: ArrayLike,
    post: ArrayLike,
    *,
    zero_method: Literal["wilcox", "pratt", "zsplit"] = "wilcox",
    correction: bool = True,
    method: Literal["auto", "exact", "asymptotic"] = "auto",
) -> TestResult:
    """Two-sided Wilcoxon signed-rank test of ``d = post - pre``, with R's defaults.

    Parameters
    ----------
    pre, post : array_like, 1-D
        Paired scores; incomplete pairs are dropped (see :func:`paired`).
    zero_method : {"wilcox", "pratt", "zsplit"}, default "wilcox"
        Treatment of zero differences, as in :func:`scipy.stats.wilcoxon`. ``"wilcox"`` drops
        them before ranking (R's behaviour).
    correction : bool, default True
        Continuity correction of 0.5 in the normal approximation (R's ``correct = TRUE``).
    method : {"auto", "exact", "asymptotic"}, default "auto"
        ``"auto"`` follows R: the exact null distribution when fewer than 50 non-zero
        differences remain and there are neither ties nor zeros, the normal approximation
        otherwise. ``"exact"`` and ``"asymptotic"`` force one (passed to scipy).

    Returns
    -------
    TestResult
        ``statistic`` is R's ``V`` for ``wilcox.test(post, pre, paired = TRUE)``: the sum of
        the ranks of ``|d|`` over the **positive** differences ``d = post - pre`` (so ``V``
        is small when scores went down). ``pvalue`` is two-sided; ``n`` is the number of
        complete pairs (zero differences included, although ``"wilcox"`` drops them from the
        ranking); ``df`` is NaN.

    Raises
    ------
    ValueError
        Unequal lengths or an unknown ``zero_method``/``method``.
    InsufficientDataError
        Fewer than 2 complete pairs.

    Notes
    -----
    ``|d|`` is ranked once (average ranks for ties). The normal approximation is computed
    here from those ranks, as R and :func:`scipy.stats.wilcoxon` compute it::

        z = (V - m) / s,   m = c (c + 1) / 4,   s² = (c (c + 1) (2c + 1) - Σ (t³ - t) / 2) / 24

    with ``c`` the number of ranked differences (the non-zero ones for ``"wilcox"``), ``t``
    the sizes of the groups of tied ``|d|``, and, with the continuity correction,
    ``sign(z) · 0.5 / s`` subtracted from ``z``; ``p = 2 Φ(-|z|)``. For ``"pratt"``, ``m``
    and ``s²`` drop the terms of the zeros (Cureton 1967). This equals scipy's asymptotic
    p-value to the last digit (tested); scipy computes the exact p-value. scipy's own
    ``"auto"`` differs from R (it runs a permutation test for n <= 13 with ties or zeros),
    which is why the choice is made here. The statistic is computed here because scipy
    reports ``min(V+, V-)`` for a two-sided test.

    With ``"zsplit"`` half of the ranks of zero differences are added to ``V``. With
    ``"exact"`` and ties or zeros, scipy rounds the statistic conservatively (its exact
    distribution assumes neither); R would fall back to the normal approximation.

    Differences are ranked as computed in floating point, like R with its default
    ``digits.rank = Inf``: decimal scores whose differences should tie may not (``0.3 - 0.1``
    is not ``0.2``). All differences zero gives a NaN p-value and, as in R, ``V = 0`` (with
    ``"zsplit"``, half the rank sum).

    Cost: ranking is O(n log n) time and O(n) memory. The exact null distribution (only
    chosen automatically below 50 differences) costs O(n^3) time and O(n^2) memory, so force
    ``"exact"`` only for small samples.

    References
    ----------
    .. [1] Wilcoxon, F. (1945). Individual comparisons by ranking methods. *Biometrics
       Bulletin*, 1(6), 80-83. https://doi.org/10.2307/3001968
    .. [2] Pratt, J. W. (1959). Remarks on zeros and ties in the Wilcoxon signed rank
       procedures. *Journal of the American Statistical Association*, 54(287), 655-667.
       https://doi.org/10.1080/01621459.1959.10501526
    .. [3] Cureton, E. E. (1967). The normal approximation to the signed-rank sampling
       distribution when zero differences are present. *Journal of the American Statistical
       Association*, 62(319), 1068-1069. https://doi.org/10.1080/01621459.1967.10500917
    .. [4] Hollander, M., Wolfe, D. A., & Chicken, E. (2014). *Nonparametric Statistical
       Methods* (3rd ed.). Wiley. https://doi.org/10.1002/9781119196037
    .. [5] R Core Team. ``wilcox.test`` in package *stats*, R: A language and environment for
       statistical computing. https://www.R-project.org/

    Examples
    --------
    >>> res = wilcoxon_signed_rank([10, 12, 9, 14, 11], [8, 9, 9, 10, 12])
    >>> res.statistic, res.n
    (1.0, 5)
    """
    zero_methods = ("wilcox", "pratt", "zsplit")
    if zero_method not in zero_methods:
        raise ValueError(f"zero_method must be one of {zero_methods}; got {zero_method!r}.")
    methods = ("auto", "exact", "asymptotic")
    if method not in methods:
        raise ValueError(f"method must be one of {methods}; got {method!r}.")

    _, _, d, n, _ = _differences(pre, post, "wilcoxon_signed_rank")
    nonzero = d != 0.0
    n_nonzero = int(np.count_nonzero(nonzero))
    has_zeros = n_nonzero < n

    # rank |d| once (average ranks of ties); "wilcox" drops the zeros first
    ranked = d[nonzero] if zero_method == "wilcox" else d
    magnitudes, where, ties = np.unique(np.abs(ranked), return_inverse=True, return_counts=True)
    ranks = (np.cumsum(ties) - (ties - 1) / 2.0)[where]
    v = float(np.sum(ranks[ranked > 0]))
    if zero_method == "zsplit":
        v += float(np.sum(ranks[ranked == 0])) / 2.0
    if zero_method == "pratt" and has_zeros:
        ties = ties[1:]  # the zeros are no tie of the statistic (Cureton 1967); 0 sorts first
    has_ties = bool(np.any(ties[magnitudes[-ties.size :] != 0] > 1)) if ties.size else False

    if method == "auto":
        use = "exact" if (n_nonzero < 50 and not has_ties and not has_zeros) else "asymptotic"
    else:
        use = method
    if use == "exact":
        how = "exact null distribution"
    else:
        how = "normal approximation" + (" with continuity correction" if correction else "")
    desc = (
        f"Wilcoxon signed-rank test (two-sided, {how}, zero_method={zero_method!r}); "
        "statistic V = sum of ranks of positive (post - pre)"
    )
    if n_nonzero == 0:
        return TestResult(statistic=v, pvalue=math.nan, n=n, method=desc)
    if use == "exact":
        pvalue = float(stats.wilcoxon(d, zero_method=zero_method, method="exact").pvalue)
        return TestResult(statistic=v, pvalue=pvalue, n=n, method=desc)
    # normal approximation, with the tie correction (and Pratt's zero adjustment) of scipy and R
    count = float(ranked.size)
    mean = count * (count + 1.0) / 4.0
    var24 = count * (count + 1.0) * (2.0 * count + 1.0)
    if zero_method == "pratt":
        zeros = float(n - n_nonzero)
        mean -= zeros * (zeros + 1.0) / 4.0
        var24 -= zeros * (zeros + 1.0) * (2.0 * zeros + 1.0)
    t = ties.astype(float)
    se = math.sqrt((var24 - float(np.sum(t**3 - t)) / 2.0) / 24.0)
    z = (v - mean) / se
    if correction:
        z -= math.copysign(0.5, z) / se if z != 0 else 0.0
    pvalue = min(1.0, 2.0 * float(special.ndtr(-abs(z))))
    return TestResult(statistic=v, pvalue=pvalue, n=n, method=desc)


# --------------------------------------------------------------------------- standardized effects


def cohens_dz(pre: ArrayLike, post: ArrayLike) -> float:
    """Cohen's d_z: mean change divided by the SD of the changes.

    Parameters
    ----------
    pre, post : array_like, 1-D
        Paired scores; incomplete pairs are dropped (see :func:`paired`).

    Returns
    -------
    float
        ``mean(d) / sd(d)`` with ``d = post - pre`` and the n - 1 divisor; NaN when the SD of
        the differences is zero.

    Raises
    ------
    ValueError
        Unequal lengths.
    InsufficientDataError
        Fewer than 2 complete pairs.

    Notes
    -----
    ``d_z = t / sqrt(n)``. It standardizes by the variability of *change*, so it depends on
    the pre-post correlation and is not on the same scale as a between-groups d [1]_.

    References
    ----------
    .. [1] Lakens, D. (2013). Calculating and reporting effect sizes to facilitate cumulative
       science: a practical primer for t-tests and ANOVAs. *Frontiers in Psychology*, 4, 863.
       https://doi.org/10.3389/fpsyg.2013.00863
    .. [2] Cohen, J. (1988). *Statistical Power Analysis for the Behavioral Sciences* (2nd
       ed.). Lawrence Erlbaum. https://doi.org/10.4324/9780203771587

    Examples
    --------
    >>> print(f"{cohens_dz([5, 6, 7, 8], [4, 4, 6, 5]):.4f}")
    -1.8278
    """
    _, _, d, _, scale = _differences(pre, post, "cohens_dz")
    sd = _sd(d, scale)
    if sd == 0.0:
        return math.nan
    return float(np.mean(d)) / sd


def cohens_dav(pre: ArrayLike, post: ArrayLike) -> float:
    """Cohen's d_av: mean change divided by the average of the pre and post SDs.

    Parameters
    ----------
    pre, post : array_like, 1-D
        Paired scores; incomplete pairs are dropped (see :func:`paired`).

    Returns
    -------
    float
        ``mean(post - pre) / ((sd_pre + sd_post) / 2)`` (n - 1 divisors); NaN when both SDs
        are zero.

    Raises
    ------
    ValueError
        Unequal lengths.
    InsufficientDataError
        Fewer than 2 complete pairs.

    Notes
    -----
    d_av ignores the pre-post correlation, so it is on (nearly) the scale of a
    between-groups d; Cumming (2012) recommends it and Lakens (2013, eq. 10) writes it as
    ``M_diff / ((SD_1 + SD_2) / 2)``. The SDs are computed on complete pairs only.

    References
    ----------
    .. [1] Cumming, G. (2012). *Understanding the New Statistics: Effect Sizes, Confidence
       Intervals, and Meta-Analysis*. Routledge. https://doi.org/10.4324/9780203807002
    .. [2] Lakens, D. (2013). Calculating and reporting effect sizes to facilitate cumulative
       science: a practical primer for t-tests and ANOVAs. *Frontiers in Psychology*, 4, 863.
       https://doi.org/10.3389/fpsyg.2013.00863

    Examples
    --------
    >>> print(f"{cohens_dav([9, 7, 8, 9, 8, 9, 9, 10, 9, 9], [9, 6, 7, 8, 7, 9, 8, 8, 8, 7]):.4f}")
    -1.1287
    """
    pre_c, post_c, d, _, _ = _differences(pre, post, "cohens_dav")
    denom = (_sd(pre_c) + _sd(post_c)) / 2.0
    if denom == 0.0:
        return math.nan
    return float(np.mean(d)) / denom


def hedges_correction(df: float | ArrayLike) -> float | NDArray[np.float64]:
    """Hedges' small-sample correction factor ``J(df) = 1 - 3 / (4 df - 1)``.

    Parameters
    ----------
    df : float or array_like
        Degrees of freedom of the SD in the denominator (``n - 1`` for one group).

    Returns
    -------
    float or ndarray
        ``J(df)``; NaN where ``df <= 1`` (or NaN). A float for scalar input.

    Notes
    -----
    The approximation of Hedges (1981) to the exact ``Γ(df/2) / (sqrt(df/2) Γ((df-1)/2))``;
    it is the one written in Becker (1988) and Morris (2008). At df = 9 it is 0.91429 against
    the exact 0.91387 (metafor uses the exact factor, so its ``SMCR`` values differ from ours
    by about 0.05 % at n = 10). Both are 0 at df = 1, which would report every effect as 0;
    NaN is returned instead, as metafor does.

    References
    ----------
    .. [1] Hedges, L. V. (1981). Distribution theory for Glass's estimator of effect size and
       related estimators. *Journal of Educational Statistics*, 6(2), 107-128.
       https://doi.org/10.3102/10769986006002107

    Examples
    --------
    >>> hedges_correction(9)
    0.9142857142857143
    """
    arr = np.asarray(df, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        j = np.where(arr > 1.0, 1.0 - 3.0 / (4.0 * arr - 1.0), np.nan)
    if j.ndim == 0:
        return float(j)
    return j


def hedges_g_av(pre: ArrayLike, post: ArrayLike) -> float:
    """Hedges' g_av: :func:`cohens_dav` times Hedges' correction with ``df = n - 1``.

    Parameters
    ----------
    pre, post : array_like, 1-D
        Paired scores; incomplete pairs are dropped (see :func:`paired`).

    Returns
    -------
    float
        ``J(n - 1) · d_av`` with ``J`` from :func:`hedges_correction`; NaN when d_av is NaN or
        ``n = 2``.

    Raises
    ------
    ValueError
        Unequal lengths.
    InsufficientDataError
        Fewer than 2 complete pairs.

    Notes
    -----
    ``df = n - 1`` is the correction for one group of n clients measured twice, the same
    ``J`` as in the standardized mean change (Becker 1988). **Lakens (2013) corrects g_av
    differently**: his spreadsheet applies the two-independent-groups factor
    ``1 - 3 / (4 (n1 + n2) - 9)`` with ``n1 = n2 = n``, i.e. ``J(2n - 2)``. For his movie
    example (n = 10, d_av = 1.1287) that gives his g_av = 1.08, while this function gives
    ``0.91429 × 1.1287 = 1.0320``. Multiply :func:`cohens_dav` by ``hedges_correction(2 * n -
    2)`` to reproduce Lakens.

    References
    ----------
    .. [1] Hedges, L. V. (1981). Distribution theory for Glass's estimator of effect size and
       related estimators. *Journal of Educational Statistics*, 6(2), 107-128.
       https://doi.org/10.3102/10769986006002107
    .. [2] Cumming, G. (2012). *Understanding the New Statistics*. Routledge.
       https://doi.org/10.4324/9780203807002
    .. [3] Lakens, D. (2013). Calculating and reporting effect sizes to facilitate cumulative
       science: a practical primer for t-tests and ANOVAs. *Frontiers in Psychology*, 4, 863.
       https://doi.org/10.3389/fpsyg.2013.00863

    Examples
    --------
    >>> print(f"{hedges_g_av([7, 8, 6, 9, 8, 7], [6, 6, 5, 7, 8, 5]):.4f}")
    -1.0125
    """
    n = _differences(pre, post, "hedges_g_av")[3]
    return float(hedges_correction(n - 1)) * cohens_dav(pre, post)


def smc_from_summary_arrays(
    mean_pre: ArrayLike,
    sd_pre: ArrayLike,
    mean_post: ArrayLike,
    n: ArrayLike,
    r: ArrayLike,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Standardized mean change (raw-score standardization) and its variance, vectorized.

    Parameters
    ----------
    mean_pre, sd_pre, mean_post : array_like
        Pre mean, pre SD and post mean of each arm (broadcast together).
    n : array_like
        Number of clients in each arm (at least 2).
    r : array_like
        Pre-post correlation of each arm, observed or assumed, in [-1, 1].

    Returns
    -------
    g, var : ndarray of float
        Bias-corrected standardized mean change and its large-sample variance, with the
        broadcast shape of the inputs (0-d for scalar inputs). NaN where ``sd_pre`` is 0, where
        ``n = 2`` (see :func:`hedges_correction`), and where an input is NaN.

    Raises
    ------
    ValueError
        Negative ``sd_pre``, ``r`` outside [-1, 1], or inputs that do not broadcast.
    InsufficientDataError
        Some ``n`` below 2.

    Notes
    -----
    Becker (1988); Morris & DeShon (2002), raw-score metric; metafor's
    ``escalc(measure = "SMCR", m1i = mean_post, m2i = mean_pre, sd1i = sd_pre, ni = n, ri = r)``
    with its default ``vtype = "LS"``::

        d   = (mean_post - mean_pre) / sd_pre
        g   = J(n - 1) * d,          J(df) = 1 - 3 / (4 df - 1)
        var = 2 (1 - r) / n + g**2 / (2 n)

    metafor uses the exact gamma-function ``J``; the approximation here (the one in Becker
    1988 and Morris 2008) differs from it by 0.06 % at n = 9 and less for larger n.

    References
    ----------
    .. [1] Becker, B. J. (1988). Synthesizing standardized mean-change measures. *British
       Journal of Mathematical and Statistical Psychology*, 41(2), 257-278.
       https://doi.org/10.1111/j.2044-8317.1988.tb00901.x
    .. [2] Morris, S. B., & DeShon, R. P. (2002). Combining effect size estimates in
       meta-analysis with repeated measures and independent-groups designs. *Psychological
       Methods*, 7(1), 105-125. https://doi.org/10.1037/1082-989X.7.1.105
    .. [3] Viechtbauer, W. (2010). Conducting meta-analyses in R with the metafor package.
       *Journal of Statistical Software*, 36(3), 1-48. https://doi.org/10.18637/jss.v036.i03

    Examples
    --------
    >>> g, var = smc_from_summary_arrays([30.6, 23.5], [15.0, 3.1], [38.5, 26.8], [20, 50], 0.5)
    >>> g.round(4).tolist()
    [0.5056, 1.0481]
    """
    m0, s0, m1, nn, rr = np.broadcast_arrays(
        *(np.asarray(a, dtype=float) for a in (mean_pre, sd_pre, mean_post, n, r))
    )
    if np.any(s0 < 0):
        raise ValueError("sd_pre must be non-negative.")
    if np.any(np.abs(rr) > 1):
        raise ValueError("r (the pre-post correlation) must lie in [-1, 1].")
    if np.any(nn < _MIN_PAIRS):
        raise InsufficientDataError(
            f"smc_from_summary_arrays: every arm needs n >= {_MIN_PAIRS}; "
            f"got n = {nn[nn < _MIN_PAIRS].tolist()}."
        )
    with np.errstate(divide="ignore", invalid="ignore"):
        d = np.where(s0 > 0, (m1 - m0) / s0, np.nan)
        g = np.asarray(hedges_correction(nn - 1.0)) * d
        var = 2.0 * (1.0 - rr) / nn + g**2 / (2.0 * nn)
    return g.astype(float), var.astype(float)


def _smc_estimate(g: float, var: float, n: int, conf: float, method: str) -> Estimate:
    if math.isfinite(var) and var >= 0:
        half = _z_two_sided(conf) * math.sqrt(var)
        low, high = g - half, g + half
    else:
        low = high = math.nan
    return Estimate(value=g, ci_low=low, ci_high=high, confidence=conf, n=n, method=method)


def smc_from_summary(
    mean_pre: float,
    sd_pre: float,
    mean_post: float,
    n: int,
    r: float,
    *,
    confidence: float = 0.95,
) -> Estimate:
    """Standardized mean change from published summary numbers and an assumed correlation.

    Parameters
    ----------
    mean_pre, sd_pre, mean_post : float
        Baseline mean and SD and follow-up mean of one arm.
    n : int
        Number of participants in the arm (at least 2).
    r : float
        Pre-post correlation, usually assumed (papers rarely report it); state it.
    confidence : float, default 0.95
        Confidence level of the normal interval.

    Returns
    -------
    Estimate
        ``value`` is g (see :func:`smc_from_summary_arrays`), the interval is
        ``g ± z sqrt(var)``, ``method`` names the assumed ``r``.

    Raises
    ------
    ValueError
        Non-scalar input (use :func:`smc_from_summary_arrays`), non-integer ``n``, negative
        ``sd_pre``, ``r`` outside [-1, 1], or ``confidence`` outside (0, 1).
    InsufficientDataError
        ``n`` below 2.

    Notes
    -----
    Same estimator as :func:`standardized_mean_change`, so a practice's change and a
    published arm's change are on one metric. Only the variance (hence the interval) depends
    on ``r``; show how a comparison changes across plausible values (e.g. 0.3, 0.5, 0.7).
    ``sd_pre = 0`` gives NaN.

    References
    ----------
    .. [1] Becker, B. J. (1988). Synthesizing standardized mean-change measures. *British
       Journal of Mathematical and Statistical Psychology*, 41(2), 257-278.
       https://doi.org/10.1111/j.2044-8317.1988.tb00901.x
    .. [2] Morris, S. B. (2008). Estimating effect sizes from pretest-posttest-control group
       designs. *Organizational Research Methods*, 11(2), 364-386.
       https://doi.org/10.1177/1094428106291059

    Examples
    --------
    >>> est = smc_from_summary(30.6, 15.0, 38.5, 20, 0.47)
    >>> print(f"{est.value:.4f} [{est.ci_low:.4f}, {est.ci_high:.4f}]")
    0.5056 [0.0280, 0.9832]
    """
    conf = _check_confidence(confidence)
    if any(np.ndim(v) != 0 for v in (mean_pre, sd_pre, mean_post, n, r)):
        raise ValueError("smc_from_summary takes scalars; use smc_from_summary_arrays for arrays.")
    if float(n) != int(n):
        raise ValueError(f"n must be a whole number of participants; got {n!r}.")
    g, var = smc_from_summary_arrays(mean_pre, sd_pre, mean_post, n, r)
    method = (
        f"standardized mean change (SMCR, pre-SD standardized, Hedges-corrected), assumed r = {float(r):g}"
    )
    return _smc_estimate(float(g), float(var), int(n), conf, method + ", normal interval")


def standardized_mean_change(pre: ArrayLike, post: ArrayLike, *, confidence: float = 0.95) -> Estimate:
    """Standardized mean change (SMCR): change divided by the baseline SD, Hedges-corrected.

    Parameters
    ----------
    pre, post : array_like, 1-D
        Paired scores; incomplete pairs are dropped (see :func:`paired`).
    confidence : float, default 0.95
        Confidence level of the normal interval.

    Returns
    -------
    Estimate
        ``value`` is ``g = J(n - 1) (M_post - M_pre) / SD_pre``; interval ``g ± z sqrt(var)``
        with ``var = 2 (1 - r) / n + g**2 / (2 n)`` and ``r`` the observed pre-post Pearson
        correlation; ``n`` the number of complete pairs.

    Raises
    ------
    ValueError
        Unequal lengths or ``confidence`` outside (0, 1).
    InsufficientDataError
        Fewer than 2 complete pairs.

    Notes
    -----
    Becker (1988) / Morris & DeShon (2002), raw-score standardization: the metric of
    published within-arm changes, and metafor's ``escalc(measure = "SMCR")`` (see
    :func:`smc_from_summary_arrays` for the one difference, the exact versus approximate
    ``J``). Unlike d_z and d_av, swapping ``pre`` and ``post`` flips the sign but changes the
    magnitude, because the standardizer is the *pre* SD. SD_pre = 0 gives NaN; SD_post = 0
    leaves ``r`` undefined, so the variance and interval are NaN; n = 2 gives NaN (J = 0).

    References
    ----------
    .. [1] Becker, B. J. (1988). Synthesizing standardized mean-change measures. *British
       Journal of Mathematical and Statistical Psychology*, 41(2), 257-278.
       https://doi.org/10.1111/j.2044-8317.1988.tb00901.x
    .. [2] Morris, S. B., & DeShon, R. P. (2002). Combining effect size estimates in
       meta-analysis with repeated measures and independent-groups designs. *Psychological
       Methods*, 7(1), 105-125. https://doi.org/10.1037/1082-989X.7.1.105

    Examples
    --------
    >>> est = standardized_mean_change([6, 7, 5, 8, 6, 7], [4, 6, 4, 5, 5, 5])
    >>> est.n, round(est.value, 4)
    (6, -1.3382)
    """
    conf = _check_confidence(confidence)
    pre_c, post_c, _, n, _ = _differences(pre, post, "standardized_mean_change")
    sd_pre = _sd(pre_c)
    sd_post = _sd(post_c)
    if sd_pre == 0.0 or sd_post == 0.0:
        r = math.nan
    else:
        r = float(np.clip(np.corrcoef(pre_c, post_c)[0, 1], -1.0, 1.0))
    g, var = smc_from_summary_arrays(float(np.mean(pre_c)), sd_pre, float(np.mean(post_c)), n, r)
    method = "standardized mean change (SMCR, pre-SD standardized, Hedges-corrected), observed r"
    return _smc_estimate(float(g), float(var), n, conf, method + ", normal interval")


# --------------------------------------------------------------------------- reliable change


def _s_diff(sd_baseline: float, reliability: float) -> float:
    sd = float(sd_baseline)
    rxx = float(reliability)
    if not (math.isfinite(sd) and sd > 0):
        raise ValueError(f"sd_baseline must be a positive number; got {sd_baseline!r}.")
    if not 0.0 <= rxx < 1.0:
        raise ValueError(
            f"reliability must lie in [0, 1) (a test-retest coefficient below 1); got {reliability!r}."
        )
    return math.sqrt(2.0) * sd * math.sqrt(1.0 - rxx)


def reliable_change_index(
    pre: ArrayLike, post: ArrayLike, *, sd_baseline: float, reliability: float
) -> NDArray[np.float64]:
    """Jacobson-Truax reliable change index of each client, elementwise.

    Parameters
    ----------
    pre, post : array_like
        Scores of the same shape; NaN in either gives NaN in that position.
    sd_baseline : float
        SD of the measure at baseline (from norms or the sample), > 0.
    reliability : float
        Test-retest reliability ``r_xx`` of the measure, in [0, 1).

    Returns
    -------
    ndarray of float
        ``RCI = (post - pre) / S_diff``, same shape as the input.

    Raises
    ------
    ValueError
        Shapes differ (the message gives both), ``sd_baseline <= 0`` or ``reliability``
        outside [0, 1).

    Notes
    -----
    Jacobson & Truax (1991)::

        SE     = sd_baseline * sqrt(1 - r_xx)
        S_diff = sqrt(2 SE**2) = sqrt(2) * SE
        RCI    = (post - pre) / S_diff

    Nothing is dropped: this is a per-client quantity, not a summary.

    References
    ----------
    .. [1] Jacobson, N. S., & Truax, P. (1991). Clinical significance: a statistical approach
       to defining meaningful change in psychotherapy research. *Journal of Consulting and
       Clinical Psychology*, 59(1), 12-19. https://doi.org/10.1037/0022-006X.59.1.12

    Examples
    --------
    >>> reliable_change_index([20, 18], [12, 17], sd_baseline=7.6, reliability=0.95).round(3)
    array([-3.329, -0.416])
    """
    s_diff = _s_diff(sd_baseline, reliability)
    pre_a = np.asarray(pre, dtype=float)
    post_a = np.asarray(post, dtype=float)
    if pre_a.shape != post_a.shape:
        raise ValueError(
            f"pre and post must have the same shape; got {pre_a.size} pre and {post_a.size} post values "
            f"(shapes {pre_a.shape} and {post_a.shape})."
        )
    return (post_a - pre_a) / s_diff


def reliable_change_threshold(sd_baseline: float, reliability: float, *, confidence: float = 0.95) -> float:
    """Smallest change (in scale points) that is reliable: ``z · S_diff``.

    Parameters
    ----------
    sd_baseline : float
        SD of the measure at baseline, > 0.
    reliability : float
        Test-retest reliability ``r_xx``, in [0, 1).
    confidence : float, default 0.95
        Two-sided level; 0.95 gives ``z = 1.959964``.

    Returns
    -------
    float
        ``z_{1-α/2} · sqrt(2) · sd_baseline · sqrt(1 - r_xx)``; a change whose absolute value
        exceeds it is reliable.

    Raises
    ------
    ValueError
        ``sd_baseline <= 0``, ``reliability`` outside [0, 1) or ``confidence`` outside (0, 1).

    Notes
    -----
    Jacobson & Truax (1991). Example: SD 7.6 and r_xx 0.95 give S_diff = 2.4033 and a
    threshold of 4.71 points.

    References
    ----------
    .. [1] Jacobson, N. S., & Truax, P. (1991). Clinical significance: a statistical approach
       to defining meaningful change in psychotherapy research. *Journal of Consulting and
       Clinical Psychology*, 59(1), 12-19. https://doi.org/10.1037/0022-006X.59.1.12

    Examples
    --------
    >>> round(reliable_change_threshold(7.6, 0.95), 2)
    4.71
    """
    conf = _check_confidence(confidence)
    return _z_two_sided(conf) * _s_diff(sd_baseline, reliability)


def classify_reliable_change(
    pre: ArrayLike,
    post: ArrayLike,
    *,
    sd_baseline: float,
    reliability: float,
    improvement_sign: int,
    confidence: float = 0.95,
) -> NDArray[np.str_]:
    """Jacobson-Truax category of each client: reliably improved, no change, or deteriorated.

    Parameters
    ----------
    pre, post : array_like
        Scores of the same shape.
    sd_baseline : float
        SD of the measure at baseline, > 0.
    reliability : float
        Test-retest reliability ``r_xx``, in [0, 1).
    improvement_sign : {+1, -1}
        +1 when higher scores are better, -1 when lower scores are better (pain, PHQ-9).
    confidence : float, default 0.95
        Two-sided level of the criterion (|RCI| > 1.96 at 0.95).

    Returns
    -------
    ndarray of str
        ``'reliably_improved'``, ``'no_reliable_change'`` or ``'reliably_deteriorated'`` per
        element; ``''`` where ``pre`` or ``post`` is NaN. Same shape as the input.

    Raises
    ------
    ValueError
        ``improvement_sign`` not +1 or -1, or as :func:`reliable_change_index`.

    Notes
    -----
    With ``RCI`` from :func:`reliable_change_index` and ``z = z_{1-α/2}``: improved when
    ``improvement_sign · RCI > z``, deteriorated when ``improvement_sign · RCI < -z``
    (strict inequalities, as Jacobson & Truax's "|RCI| > 1.96"), otherwise no reliable change.

    References
    ----------
    .. [1] Jacobson, N. S., & Truax, P. (1991). Clinical significance: a statistical approach
       to defining meaningful change in psychotherapy research. *Journal of Consulting and
       Clinical Psychology*, 59(1), 12-19. https://doi.org/10.1037/0022-006X.59.1.12

    Examples
    --------
    >>> classify_reliable_change(
    ...     [8, 8, 8, float("nan")], [2, 7, 14, 5], sd_baseline=2.0, reliability=0.8, improvement_sign=-1
    ... ).tolist()
    ['reliably_improved', 'no_reliable_change', 'reliably_deteriorated', '']
    """
    if improvement_sign not in (1, -1):
        raise ValueError(
            "improvement_sign must be +1 (higher is better) or -1 (lower is better); "
            f"got {improvement_sign!r}."
        )
    conf = _check_confidence(confidence)
    rci = reliable_change_index(pre, post, sd_baseline=sd_baseline, reliability=reliability)
    z = _z_two_sided(conf)
    better = improvement_sign * rci
    out = np.full(rci.shape, _RC_NONE, dtype=f"<U{len(_RC_DETERIORATED)}")
    with np.errstate(invalid="ignore"):
        out[better > z] = _RC_IMPROVED
        out[better < -z] = _RC_DETERIORATED
    out[np.isnan(rci)] = ""
    return out


def jacobson_truax_cutoff(
    mean_clinical: float, sd_clinical: float, mean_functional: float, sd_functional: float
) -> float:
    """Jacobson-Truax cut-off ``c`` between a clinical and a functional population.

    Parameters
    ----------
    mean_clinical, sd_clinical : float
        Mean and SD of the dysfunctional (clinical) population, SD > 0.
    mean_functional, sd_functional : float
        Mean and SD of the functional (normative) population, SD > 0.

    Returns
    -------
    float
        The score equally many SDs from both means.

    Raises
    ------
    ValueError
        A non-positive SD.

    Notes
    -----
    Jacobson & Truax (1991), criterion c, with subscript 0 the functional and 1 the
    dysfunctional population::

        c = (SD_0 * M_1 + SD_1 * M_0) / (SD_0 + SD_1)

    i.e. ``(sd_functional * mean_clinical + sd_clinical * mean_functional) / (sd_functional +
    sd_clinical)``: each mean is weighted by the *other* population's SD, so
    ``(c - M_1) / SD_1 = (M_0 - c) / SD_0``. The formula is symmetric in the two populations,
    so swapping which is called 0 and 1 gives the same c.

    References
    ----------
    .. [1] Jacobson, N. S., & Truax, P. (1991). Clinical significance: a statistical approach
       to defining meaningful change in psychotherapy research. *Journal of Consulting and
       Clinical Psychology*, 59(1), 12-19. https://doi.org/10.1037/0022-006X.59.1.12

    Examples
    --------
    >>> jacobson_truax_cutoff(mean_clinical=30.0, sd_clinical=8.0, mean_functional=10.0, sd_functional=4.0)
    16.666666666666668
    """
    s1 = float(sd_clinical)
    s0 = float(sd_functional)
    if not (s0 > 0 and s1 > 0):
        raise ValueError(
            f"both SDs must be positive; got sd_clinical={sd_clinical!r}, sd_functional={sd_functional!r}."
        )
    return (s0 * float(mean_clinical) + s1 * float(mean_functional)) / (s0 + s1)


# --------------------------------------------------------------------------- proportions


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
    conf = _check_confidence(confidence)
    k_a, n_a = np.broadcast_arrays(np.asarray(k, dtype=float), np.asarray(n, dtype=float))
    if np.any(n_a < 0) or np.any(k_a < 0):
        raise ValueError("k and n must be non-negative counts.")
    if np.any(k_a > n_a):
        raise ValueError("k (successes) cannot exceed n (trials).")
    z = _z_two_sided(conf)
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


# --------------------------------------------------------------------------- bootstrap


def _clean_values(x: ArrayLike, func: str) -> NDArray[np.float64]:
    arr = np.asarray(x, dtype=float).ravel()
    arr = arr[~np.isnan(arr)]
    if arr.size < _MIN_PAIRS:
        raise InsufficientDataError(
            f"{func}: found {_plural(int(arr.size), 'non-missing value')}; at least {_MIN_PAIRS} are needed."
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
    conf = _check_confidence(confidence)
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
    :func:`scipy.stats.bootstrap` up to Monte-Carlo error. When all values are equal the
    interval is ``[x̄, x̄]`` and no resampling is done.

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
    methods = ("bca", "percentile")
    if method not in methods:
        raise ValueError(f"method must be one of {methods}; got {method!r}.")
    conf = _check_confidence(confidence)
    # Sorted, so that the mean (and hence the interval) is identical for any order of clients.
    arr = np.sort(_clean_values(x, "bootstrap_mean_ci"))
    n = int(arr.size)
    mean = float(np.mean(arr))
    label = f"bootstrap {'BCa' if method == 'bca' else 'percentile'} interval, n_boot={int(n_boot)}"
    if _sd(arr) == 0.0:
        return Estimate(value=mean, ci_low=mean, ci_high=mean, confidence=conf, n=n, method=label)
    boot = bootstrap_means(arr, n_boot=n_boot, seed=seed)
    if method == "percentile":
        alpha = (1.0 - conf) / 2.0
        low, high = (float(v) for v in np.percentile(boot, [100.0 * alpha, 100.0 * (1.0 - alpha)]))
    else:
        dev = arr - mean
        acceleration = float(np.sum(dev**3)) / (6.0 * float(np.sum(dev**2)) ** 1.5)
        low, high = bca_interval(mean, boot, acceleration, conf)
    return Estimate(value=mean, ci_low=low, ci_high=high, confidence=conf, n=n, method=label)
