"""Standardized effect sizes of paired change, each named by its variant.

``cohens_dz`` (change / SD of the changes), ``cohens_dav`` and ``hedges_g_av``
(change / mean of the two SDs) and the standardized mean change
(``standardized_mean_change``, ``smc_from_summary``: change / baseline SD, the
metric of published treatment arms). "Paired Cohen's d" means three different
things across libraries; the names here say which."""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..errors import InsufficientDataError
from .core import MIN_PAIRS, Estimate, check_confidence, complete_differences, sample_sd, z_two_sided


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
    _, _, d, _, scale = complete_differences(pre, post, "cohens_dz")
    sd = sample_sd(d, scale)
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
    pre_c, post_c, d, _, _ = complete_differences(pre, post, "cohens_dav")
    denom = (sample_sd(pre_c) + sample_sd(post_c)) / 2.0
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
    n = complete_differences(pre, post, "hedges_g_av")[3]
    return float(hedges_correction(n - 1)) * cohens_dav(pre, post)


def smc_from_summary_arrays(
    mean_pre: ArrayLike,
    sd_pre: ArrayLike,
    mean_post: ArrayLike,
    n: ArrayLike,
    r: ArrayLike,
    sd_post: ArrayLike | None = None,
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
    sd_post : array_like, optional
        Post SD of each arm. Given, the variance allows the SDs before and after to
        differ (Bonett 2008; metafor's ``SMCRH``); omitted, it assumes they are
        equal (Becker 1988; metafor's ``SMCR``): use that only for a published arm
        that reports one SD. NaN entries of ``sd_post`` fall back to the equal-SD
        variance.

    Returns
    -------
    g, var : ndarray of float
        Bias-corrected standardized mean change and its large-sample variance, with the
        broadcast shape of the inputs (0-d for scalar inputs). NaN where ``sd_pre`` is 0, where
        ``n = 2`` (see :func:`hedges_correction`), and where an input is NaN.

    Raises
    ------
    ValueError
        Negative SDs, ``r`` outside [-1, 1], or inputs that do not broadcast.
    InsufficientDataError
        Some ``n`` below 2.

    Notes
    -----
    The estimate, for both variances::

        d   = (mean_post - mean_pre) / sd_pre
        g   = J(n - 1) * d,          J(df) = 1 - 3 / (4 df - 1)

    With both SDs (Bonett 2008, eq. 9 with the standardizer sd_pre; metafor's
    ``escalc(measure = "SMCRH", m1i = mean_post, m2i = mean_pre, sd1i = sd_pre,
    sd2i = sd_post, ni = n, ri = r)``)::

        var = J^2 [ (sd_pre^2 + sd_post^2 - 2 r sd_pre sd_post) / (sd_pre^2 (n - 1)) + g^2 / (2 (n - 1)) ]

    With one SD (Becker 1988; Morris & DeShon 2002; metafor's ``SMCR`` with its
    default ``vtype = "LS"``), which is the line above with ``sd_post = sd_pre``
    up to n versus n − 1::

        var = 2 (1 - r) / n + g^2 / (2 n)

    The equal-SD form understates the variance when the SDs differ: at a post/pre SD
    ratio of 1.7 its 95% interval covers the true change about 83% of the time,
    Bonett's about 95% (``tests`` simulate both). metafor uses the exact
    gamma-function ``J``; the approximation here (the one in Becker 1988 and Morris
    2008) differs from it by 0.06 % at n = 9 and less for larger n.

    References
    ----------
    .. [1] Becker, B. J. (1988). Synthesizing standardized mean-change measures. *British
       Journal of Mathematical and Statistical Psychology*, 41(2), 257-278.
       https://doi.org/10.1111/j.2044-8317.1988.tb00901.x
    .. [2] Bonett, D. G. (2008). Confidence intervals for standardized linear contrasts of
       means. *Psychological Methods*, 13(2), 99-109. https://doi.org/10.1037/1082-989X.13.2.99
    .. [3] Morris, S. B., & DeShon, R. P. (2002). Combining effect size estimates in
       meta-analysis with repeated measures and independent-groups designs. *Psychological
       Methods*, 7(1), 105-125. https://doi.org/10.1037/1082-989X.7.1.105
    .. [4] Viechtbauer, W. (2010). Conducting meta-analyses in R with the metafor package.
       *Journal of Statistical Software*, 36(3), 1-48. https://doi.org/10.18637/jss.v036.i03

    Examples
    --------
    >>> g, var = smc_from_summary_arrays([30.6, 23.5], [15.0, 3.1], [38.5, 26.8], [20, 50], 0.5)
    >>> g.round(4).tolist()
    [0.5056, 1.0481]
    >>> g, var = smc_from_summary_arrays(83.3, 5.0, 90.5, 29, 0.5, sd_post=7.0)
    >>> round(float(var), 4)
    0.0859
    """
    m0, s0, m1, nn, rr, s1 = np.broadcast_arrays(
        *(
            np.asarray(a, dtype=float)
            for a in (mean_pre, sd_pre, mean_post, n, r, np.nan if sd_post is None else sd_post)
        )
    )
    if np.any(s0 < 0) or np.any(s1 < 0):
        raise ValueError("sd_pre and sd_post must be non-negative.")
    if np.any(np.abs(rr) > 1):
        raise ValueError("r (the pre-post correlation) must lie in [-1, 1].")
    if np.any(nn < MIN_PAIRS):
        raise InsufficientDataError(
            f"smc_from_summary_arrays: every arm needs n >= {MIN_PAIRS}; "
            f"got n = {nn[nn < MIN_PAIRS].tolist()}."
        )
    with np.errstate(divide="ignore", invalid="ignore"):
        j = np.asarray(hedges_correction(nn - 1.0))
        d = np.where(s0 > 0, (m1 - m0) / s0, np.nan)
        g = j * d
        equal = 2.0 * (1.0 - rr) / nn + g**2 / (2.0 * nn)
        var_diff = s0**2 + s1**2 - 2.0 * rr * s0 * s1
        bonett = j**2 * (var_diff / (s0**2 * (nn - 1.0)) + g**2 / (2.0 * (nn - 1.0)))
        var = np.where(np.isnan(s1), equal, bonett)
    return g.astype(float), var.astype(float)


def _smc_estimate(g: float, var: float, n: int, conf: float, method: str) -> Estimate:
    if math.isfinite(var) and var >= 0:
        half = z_two_sided(conf) * math.sqrt(var)
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
    sd_post: float | None = None,
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
    sd_post : float, optional
        The follow-up SD, when published: the variance then allows the two SDs to
        differ (Bonett 2008); without it they are assumed equal (Becker 1988).
    confidence : float, default 0.95
        Confidence level of the normal interval.

    Returns
    -------
    Estimate
        ``value`` is g (see :func:`smc_from_summary_arrays`), the interval is
        ``g ± z sqrt(var)``, ``method`` names the variance and the assumed ``r``.

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
    conf = check_confidence(confidence)
    if any(np.ndim(v) != 0 for v in (mean_pre, sd_pre, mean_post, n, r)):
        raise ValueError("smc_from_summary takes scalars; use smc_from_summary_arrays for arrays.")
    if float(n) != int(n):
        raise ValueError(f"n must be a whole number of participants; got {n!r}.")
    g, var = smc_from_summary_arrays(mean_pre, sd_pre, mean_post, n, r, sd_post=sd_post)
    variance = (
        "both SDs, Bonett 2008 (SMCRH)" if sd_post is not None else "equal SDs assumed, Becker 1988 (SMCR)"
    )
    method = (
        "standardized mean change (pre-SD standardized, Hedges-corrected; variance from "
        f"{variance}), assumed r = {float(r):g}"
    )
    return _smc_estimate(float(g), float(var), int(n), conf, method + ", normal interval")


def standardized_mean_change(pre: ArrayLike, post: ArrayLike, *, confidence: float = 0.95) -> Estimate:
    """Standardized mean change: change divided by the baseline SD, Hedges-corrected.

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
        with Bonett's variance from both observed SDs and the observed pre-post Pearson
        correlation ``r`` (:func:`smc_from_summary_arrays`; metafor's ``SMCRH``); ``n`` the
        number of complete pairs.

    Raises
    ------
    ValueError
        Unequal lengths or ``confidence`` outside (0, 1).
    InsufficientDataError
        Fewer than 2 complete pairs.

    Notes
    -----
    Becker (1988) / Morris & DeShon (2002), raw-score standardization: the metric of
    published within-arm changes. The practice always has both SDs, so its variance does
    not assume them equal (Bonett 2008): with SDs that differ, the equal-SD variance gives
    intervals that cover too rarely. See :func:`smc_from_summary_arrays` for the one
    difference from metafor, the exact versus approximate ``J``. Unlike d_z and d_av,
    swapping ``pre`` and ``post`` flips the sign but changes the magnitude, because the
    standardizer is the *pre* SD. SD_pre = 0 gives NaN; SD_post = 0 leaves ``r`` undefined,
    but the variance of the differences is then SD_pre² whatever ``r`` is, so the interval is
    still defined; n = 2 gives NaN (J = 0).

    References
    ----------
    .. [1] Becker, B. J. (1988). Synthesizing standardized mean-change measures. *British
       Journal of Mathematical and Statistical Psychology*, 41(2), 257-278.
       https://doi.org/10.1111/j.2044-8317.1988.tb00901.x
    .. [2] Morris, S. B., & DeShon, R. P. (2002). Combining effect size estimates in
       meta-analysis with repeated measures and independent-groups designs. *Psychological
       Methods*, 7(1), 105-125. https://doi.org/10.1037/1082-989X.7.1.105
    .. [3] Bonett, D. G. (2008). Confidence intervals for standardized linear contrasts of
       means. *Psychological Methods*, 13(2), 99-109. https://doi.org/10.1037/1082-989X.13.2.99

    Examples
    --------
    >>> est = standardized_mean_change([6, 7, 5, 8, 6, 7], [4, 6, 4, 5, 5, 5])
    >>> est.n, round(est.value, 4)
    (6, -1.3382)
    """
    conf = check_confidence(confidence)
    pre_c, post_c, _, n, _ = complete_differences(pre, post, "standardized_mean_change")
    sd_pre = sample_sd(pre_c)
    sd_post = sample_sd(post_c)
    if sd_pre == 0.0 or sd_post == 0.0:
        r = 0.0  # undefined; with SD_post = 0 it multiplies 0 in the variance of the differences
    else:
        r = float(np.clip(np.corrcoef(pre_c, post_c)[0, 1], -1.0, 1.0))
    g, var = smc_from_summary_arrays(
        float(np.mean(pre_c)), sd_pre, float(np.mean(post_c)), n, r, sd_post=sd_post
    )
    method = (
        "standardized mean change (pre-SD standardized, Hedges-corrected; variance from both SDs, "
        "Bonett 2008), observed r"
    )
    return _smc_estimate(float(g), float(var), n, conf, method + ", normal interval")
