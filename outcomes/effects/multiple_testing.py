"""Multiplicity adjustment of the p-values of one table (statsmodels ``multipletests``)."""

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
    value of ``p_(i)`` is ``max_{j <= i} min(1, (m - j + 1) p_(j))``
    (statsmodels ``multipletests(method="holm")``; R's ``p.adjust(method = "holm")``).

    References
    ----------
    .. [1] Holm, S. (1979). A simple sequentially rejective multiple test procedure.
       *Scandinavian Journal of Statistics*, 6(2), 65-70.

    Examples
    --------
    >>> holm([0.01, 0.04, float("nan"), 0.03]).round(3).tolist()
    [0.03, 0.06, nan, 0.06]
    """
    from statsmodels.stats.multitest import multipletests

    values = np.asarray(p, dtype=float)
    out = np.full(values.shape, np.nan)
    ok = np.isfinite(values)
    if ok.any():
        out[ok] = multipletests(values[ok], method="holm")[1]
    return out
