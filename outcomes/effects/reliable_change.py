"""Jacobson–Truax reliable change: the index, the threshold in points, the categories and the clinical
cut-off.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .core import check_confidence, z_two_sided

_RC_IMPROVED = "reliably_improved"


_RC_NONE = "no_reliable_change"


_RC_DETERIORATED = "reliably_deteriorated"


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
    conf = check_confidence(confidence)
    return z_two_sided(conf) * _s_diff(sd_baseline, reliability)


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
    conf = check_confidence(confidence)
    rci = reliable_change_index(pre, post, sd_baseline=sd_baseline, reliability=reliability)
    z = z_two_sided(conf)
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
