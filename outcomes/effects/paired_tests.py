"""The mean change with its t interval, the paired t-test and the Wilcoxon signed-rank test."""

from __future__ import annotations

import math
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike
from scipy import special, stats

from .._checks import check_argument
from .core import Estimate, TestResult, check_confidence, complete_differences, sample_sd


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
    When every difference is the same the SD is zero: the interval would collapse to
    ``[mean, mean]``, which reads as certainty that two clients cannot give, so it is NaN
    and ``method`` says why. Otherwise this is the interval of R's
    ``t.test(post, pre, paired = TRUE)``.

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
    conf = check_confidence(confidence)
    _, _, d, n, scale = complete_differences(pre, post, "mean_change")
    m = float(np.mean(d))
    sd = sample_sd(d, scale)
    method = "mean change (post - pre), t interval with n - 1 df"
    if sd == 0.0:
        return Estimate(m, math.nan, math.nan, conf, n, method + "; no interval: every change is equal")
    half = float(stats.t.ppf(0.5 + conf / 2.0, n - 1)) * sd / math.sqrt(n)
    return Estimate(value=m, ci_low=m - half, ci_high=m + half, confidence=conf, n=n, method=method)


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
    _, _, d, n, scale = complete_differences(pre, post, "paired_ttest")
    sd = sample_sd(d, scale)
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
    check_argument("zero_method", ("wilcox", "pratt", "zsplit"), zero_method)
    check_argument("method", ("auto", "exact", "asymptotic"), method)

    _, _, d, n, _ = complete_differences(pre, post, "wilcoxon_signed_rank")
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
