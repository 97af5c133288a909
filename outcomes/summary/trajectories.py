""":func:`trajectory`: the mean score by session number and timepoint, per group."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from .._checks import check_argument
from ..instruments import InstrumentRegistry, registry_for
from ..schema import (
    CANONICAL_COLUMNS,
    split_conditions,
)
from .prepare import as_list, canonical_frame, check_by


def trajectory(
    data: Any,
    *,
    measure: str,
    by: str | Sequence[str] | None = "condition",
    max_session: int | None = 12,
    scale: str = "score",
    confidence: float = 0.95,
    instruments: InstrumentRegistry | None = None,
) -> pd.DataFrame:
    """Mean score by session number and timepoint, per group: the course of care at a glance.

    Each client counts once per session and timepoint (clients are the unit),
    so the number of clients shrinks along the course as clients finish or
    drop out; it is reported beside every mean.

    Parameters
    ----------
    data : SessionData or DataFrame
        What :func:`outcomes.read_sessions` returns, or a canonical frame.
    measure : str
        Registry key or alias.
    by : str or list of str or None, default 'condition'
        Attribute columns to group by (a client with two conditions counts in each).
    max_session : int or None, default 12
        Later sessions are left out (few clients reach them).
    scale : {'score', 'analysis'}, default 'score'
        ``score``: the instrument's own scale. ``analysis``: the scale the
        statistics use, which differs for tone grades (distance from normal,
        so that clients above and below normal do not cancel out).
    confidence : float, default 0.95
        Level of the t intervals.
    instruments : InstrumentRegistry, optional
        Registry (default registry when omitted).

    Returns
    -------
    DataFrame
        Group keys, ``session``, ``timepoint``, ``n_clients``, ``mean``, ``sd``,
        ``ci_low``, ``ci_high`` (t interval of the mean, df = n − 1; NaN for a
        single client), and ``scale``.

    Raises
    ------
    SchemaError
        When a ``by`` column is not in the data.
    UnknownInstrumentError
        For a measure not in the registry.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"client_id": ["A", "A", "B", "B"], "session": 1,
    ...                    "timepoint": ["pre", "post"] * 2, "measure": "pain_nrs",
    ...                    "score": [6, 4, 8, 5], "condition": "tmj"})
    >>> trajectory(df, measure="pain")[["session", "timepoint", "n_clients", "mean"]]
       session timepoint  n_clients  mean
    0        1       pre          2   7.0
    1        1      post          2   4.5
    """
    registry = registry_for(data, instruments)
    key = registry.get_instrument(measure).key
    by_cols = as_list(by, "by")
    check_argument("scale", ("score", "analysis"), scale)
    frame = canonical_frame(data, registry)
    check_by(frame, by_cols)
    frame = frame.loc[frame["measure"] == key]
    if max_session is not None:
        frame = frame.loc[frame["session"] <= max_session]
    cols = [*CANONICAL_COLUMNS, *[c for c in by_cols if c not in CANONICAL_COLUMNS]]
    frame = frame[cols]
    if "condition" in by_cols:
        cond = split_conditions(frame["condition"])
        frame = frame.loc[cond.index].assign(condition=cond.to_numpy())
    inst = registry.get_instrument(key)
    if scale == "analysis":
        frame = frame.assign(score=inst.to_analysis_scale(frame["score"]))
    g = frame.groupby([*by_cols, "session", "timepoint"], observed=True, sort=True, dropna=False)["score"]
    out = g.agg(n_clients="count", mean="mean", sd="std").reset_index()
    n = out["n_clients"].to_numpy(dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        t = stats.t.ppf(0.5 + confidence / 2, n - 1)
        half = t * out["sd"].to_numpy(dtype=float) / np.sqrt(n)
    out["ci_low"] = out["mean"] - half
    out["ci_high"] = out["mean"] + half
    out["n_clients"] = out["n_clients"].astype("int64")
    out["scale"] = inst.analysis_scale if scale == "analysis" else "score"
    return out
