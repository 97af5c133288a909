"""Multiplicity adjustment of the p-values of one table: Holm's step-down procedure."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = ["holm"]


def holm(p: ArrayLike) -> NDArray[np.float64]:
    """Holm's step-down adjustment over the finite p-values; NaN stays NaN.

    Parameters
    ----------
    p : array_like
        Two-sided p-values of the tests of one family (one summary table).

    Returns
    -------
    ndarray of float
        Adjusted p-values, in the order of ``p``.

    Notes
    -----
    With the m finite p-values sorted ``p_(1) <= ... <= p_(m)``, the adjusted
    value of ``p_(i)`` is ``min(1, max_{j <= i} (m - j + 1) p_(j))`` (Holm 1979;
    R's ``p.adjust(method = "holm")``). Equal p-values get equal adjusted
    values whatever order they are sorted in. Written out here rather than taken
    from statsmodels' ``multipletests``, which gives the same numbers (tested to
    the last bit) but runs a full garbage collection on every call: about 50 ms,
    more than every other statistic of a summary table together.

    References
    ----------
    .. [1] Holm, S. (1979). A simple sequentially rejective multiple test procedure.
       *Scandinavian Journal of Statistics*, 6(2), 65-70.

    Examples
    --------
    >>> holm([0.01, 0.04, float("nan"), 0.03]).round(3).tolist()
    [0.03, 0.06, nan, 0.06]
    """
    values = np.asarray(p, dtype=float)
    out = np.full(values.shape, np.nan)
    ok = np.flatnonzero(np.isfinite(values))
    if ok.size:
        order = np.argsort(values[ok], kind="stable")
        m = ok.size
        steps = np.maximum.accumulate(values[ok][order] * np.arange(m, 0, -1))
        adjusted = np.empty(m)
        adjusted[order] = np.minimum(steps, 1.0)
        out[ok] = adjusted
    return out
