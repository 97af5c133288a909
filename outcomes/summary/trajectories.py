""":func:`trajectory`: the mean score by session number (or week, or day) and timepoint, per group."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from .._checks import check_argument
from ..errors import SchemaError
from ..instruments import InstrumentRegistry, registry_for
from ..schema import (
    CANONICAL_COLUMNS,
    split_conditions,
)
from .prepare import as_list, canonical_frame, check_by, frame_failure

#: What places a score along the course in :func:`trajectory`.
TIMES = ("session", "weeks", "days")


def course_place(frame: pd.DataFrame, time: str) -> np.ndarray:
    """Where each row stands along the course (:data:`TIMES`): its session number, whole weeks since
    the client's first session (``days_from_first // 7``) or its day (rounded); NaN without a day.

    >>> course_place(pd.DataFrame({"session": [1, 2], "days_from_first": [0, 9.6]}), "weeks").tolist()
    [0.0, 1.0]
    """
    if time == "session":
        return frame["session"].to_numpy(dtype=float)
    days = pd.to_numeric(frame["days_from_first"], errors="coerce").to_numpy(dtype=float)
    return np.floor(days / 7) if time == "weeks" else np.round(days)


def trajectory(
    data: Any,
    *,
    measure: str,
    by: str | Sequence[str] | None = "condition",
    max_session: int | None = 12,
    scale: str = "score",
    confidence: float = 0.95,
    instruments: InstrumentRegistry | None = None,
    time: str = "session",
) -> pd.DataFrame:
    """Mean score by session number and timepoint, per group: the course of care at a glance.

    Each client counts once per session and timepoint (clients are the unit),
    so the number of clients shrinks along the course as clients finish or
    drop out; it is reported beside every mean. With ``time="weeks"`` or
    ``"days"`` the scores are placed by ``days_from_first`` instead: a client
    seen twice in one week counts once in that week, with the mean of their
    scores there.

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
    time : {'session', 'weeks', 'days'}, default 'session'
        What places a score along the course: its session number, the whole
        weeks since the client's first session (``days_from_first // 7``: week 0
        is the first week), or the day (``days_from_first``, rounded). Scores
        whose ``days_from_first`` is empty are left out of a weeks or days
        trajectory (``max_session`` applies in every case).

    Returns
    -------
    DataFrame
        Group keys, the ``time`` column (``session``, ``weeks`` or ``days``),
        ``timepoint``, ``n_clients``, ``mean``, ``sd``, ``ci_low``, ``ci_high``
        (t interval of the mean, df = n − 1; NaN for a single client), and ``scale``.

    Raises
    ------
    SchemaError
        When a ``by`` column is not in the data, or ``time`` is weeks or days
        and the data have no ``days_from_first``.
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
    check_argument("time", TIMES, time)
    frame = canonical_frame(data, registry)
    check_by(frame, by_cols)
    if time != "session" and "days_from_first" not in frame.columns:
        raise SchemaError(
            f"A trajectory by {time} needs a days_from_first column (days since each client's first "
            "session); these data have none. Use time='session', or add the column.",
            failure_cases=frame_failure(["days_from_first"], "missing_column", [f"needed for time={time!r}"]),
        )
    frame = frame.loc[frame["measure"] == key]
    if max_session is not None:
        frame = frame.loc[frame["session"] <= max_session]
    extra = ["days_from_first"] if time != "session" else []
    cols = [*CANONICAL_COLUMNS, *[c for c in [*by_cols, *extra] if c not in CANONICAL_COLUMNS]]
    frame = frame[cols]
    if "condition" in by_cols:
        cond = split_conditions(frame["condition"])
        frame = frame.loc[cond.index].assign(condition=cond.to_numpy())
    inst = registry.get_instrument(key)
    if scale == "analysis":
        frame = frame.assign(score=inst.to_analysis_scale(frame["score"]))
    if time != "session":
        place = pd.Series(course_place(frame, time), index=frame.index)
        frame = frame.assign(**{time: place}).loc[place.notna()]
        frame[time] = frame[time].astype("int64")
        # a client counts once per week (or day) and timepoint: the mean of their scores there
        frame = (
            frame.groupby([*by_cols, time, "timepoint", "client_id"], observed=True, sort=True, dropna=False)[
                "score"
            ]
            .mean()
            .reset_index()
        )
    g = frame.groupby([*by_cols, time, "timepoint"], observed=True, sort=True, dropna=False)["score"]
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
