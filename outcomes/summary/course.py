""":func:`course_lengths`: how long the courses behind the ``course`` level were, per group and measure."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..instruments import InstrumentRegistry, registry_for
from ..schema import split_conditions
from .prepare import as_list, canonical_frame, check_by

__all__ = ["course_lengths"]

_STATS = ("median", "q1", "q3", "max")


def course_lengths(
    data: Any,
    *,
    by: str | Sequence[str] | None = "condition",
    measures: Sequence[str] | None = None,
    instruments: InstrumentRegistry | str | Path | None = None,
) -> pd.DataFrame:
    """The length of each client's course of care, summarised per group and measure.

    A client's course, for a measure, runs from the first to the last session with a
    score before the session: the pair the ``course`` level of :func:`summarize`
    compares. Its length is counted in sessions (from the first to the last, both
    included: session numbers 1 and 8 are a course of 8 sessions, whichever of them
    had the measure scored) and, where the data have ``days_from_first``, in weeks
    between the two sessions. Clients with fewer than two such sessions have no
    course and are not counted.

    Parameters
    ----------
    data : SessionData or DataFrame
    by : str, list of str or None, default 'condition'
        Grouping columns (a client with two conditions counts in each).
    measures : list of str, optional
        Measures to keep (default every score measure).
    instruments : InstrumentRegistry or path, optional

    Returns
    -------
    DataFrame
        Group keys, ``measure``, ``n_clients``, ``sessions_median``, ``sessions_q1``,
        ``sessions_q3``, ``sessions_max``, and the same four for ``weeks_*`` (NaN
        without ``days_from_first``). Quartiles by linear interpolation (numpy's
        default).

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"client_id": ["A"] * 3 + ["B"] * 2, "session": [1, 2, 3, 1, 2],
    ...                    "timepoint": "pre", "measure": "pain_nrs", "score": [6, 5, 4, 7, 5],
    ...                    "condition": "tmj", "days_from_first": [0, 7, 21, 0, 14]})
    >>> course_lengths(df)[["condition", "n_clients", "sessions_median", "weeks_median"]]
      condition  n_clients  sessions_median  weeks_median
    0       tmj          2              2.5           2.5
    """
    registry = registry_for(data, instruments)
    frame = canonical_frame(data, registry)
    by_cols = as_list(by, "by")
    check_by(frame, by_cols)
    keys = {registry.get_instrument(m).key for m in measures} if measures else None
    kinds = {
        m: registry[m].kind == "score" and (keys is None or m in keys) for m in pd.unique(frame["measure"])
    }
    keep = (frame["timepoint"].astype(str) == "pre").to_numpy() & frame["measure"].map(kinds).to_numpy(bool)
    days = "days_from_first" in frame.columns
    cols = ["client_id", "measure", "session", *(["days_from_first"] if days else [])]
    pre = frame.loc[keep, [*dict.fromkeys([*cols, *by_cols])]]
    g = pre.groupby(["client_id", "measure"], observed=True, sort=False)
    per = g["session"].agg(["count", "min", "max"])
    per["sessions"] = per["max"] - per["min"] + 1
    if days:
        order = pre.sort_values("session")
        first = order.groupby(["client_id", "measure"], observed=True)["days_from_first"].first()
        last = order.groupby(["client_id", "measure"], observed=True)["days_from_first"].last()
        per["weeks"] = (pd.to_numeric(last, errors="coerce") - pd.to_numeric(first, errors="coerce")) / 7.0
    else:
        per["weeks"] = np.nan
    per = per[per["count"] >= 2].reset_index()
    if by_cols:
        attrs = pre.drop_duplicates("client_id").set_index("client_id")[by_cols]
        per = per.join(attrs, on="client_id")
        if "condition" in by_cols:
            cond = split_conditions(per["condition"].astype(str))
            per = per.loc[cond.index].assign(condition=cond.to_numpy())
    rows = []
    for key, sub in per.groupby([*by_cols, "measure"], observed=True, sort=True, dropna=False):
        key = key if isinstance(key, tuple) else (key,)
        row: dict[str, Any] = {**dict(zip([*by_cols, "measure"], key, strict=True)), "n_clients": len(sub)}
        for what in ("sessions", "weeks"):
            values = sub[what].to_numpy(dtype=float)
            values = values[np.isfinite(values)]
            stats = (
                dict(zip(_STATS, [*np.percentile(values, [50, 25, 75]), values.max()], strict=True))
                if values.size
                else dict.fromkeys(_STATS, np.nan)
            )
            row.update({f"{what}_{k}": float(v) for k, v in stats.items()})
        rows.append(row)
    columns = [*by_cols, "measure", "n_clients", *(f"{w}_{s}" for w in ("sessions", "weeks") for s in _STATS)]
    out = pd.DataFrame(rows, columns=columns)
    out["n_clients"] = out["n_clients"].astype("int64")
    return out
