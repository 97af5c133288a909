""":func:`course_lengths`: how long the courses behind the ``course`` level were, per group and measure."""

from __future__ import annotations

import numbers
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..errors import SchemaError
from ..instruments import InstrumentRegistry, registry_for
from ..schema import split_conditions
from .prepare import as_list, canonical_frame, check_by, frame_failure

__all__ = ["CourseEnd", "as_course_end", "course_lengths"]


@dataclass(frozen=True)
class CourseEnd:
    """Which later score the ``course`` level compares with the first session's before-score.

    ``session`` (a session number) or ``days`` (an inclusive window of
    ``days_from_first``); neither: the last session with a before-score.
    """

    session: int | None = None
    days: tuple[float, float] | None = None

    def describe(self) -> str:
        """The endpoint in words, as the ``course_end`` column of a summary states it.

        >>> CourseEnd().describe(), CourseEnd(session=6).describe(), CourseEnd(days=(42, 70)).describe()
        ('last session', 'session 6', 'days 42-70')
        """
        if self.session is not None:
            return f"session {self.session}"
        if self.days is not None:
            lo, hi = (f"{v:g}" for v in self.days)
            return f"days {lo}-{hi}"
        return "last session"


def _is_number(value: Any) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def as_course_end(value: Any) -> CourseEnd:
    """Check a ``course_end`` argument and return it as a :class:`CourseEnd`.

    ``None`` (the last session with a before-score), a session number of at
    least 2, or a window ``(first_day, last_day)`` of ``days_from_first``, both
    days included.

    >>> as_course_end(6)
    CourseEnd(session=6, days=None)
    >>> as_course_end((42, 70))
    CourseEnd(session=None, days=(42.0, 70.0))
    """
    if value is None or isinstance(value, CourseEnd):
        return value or CourseEnd()
    if _is_number(value) and float(value).is_integer():
        if int(value) < 2:
            raise ValueError(
                f"course_end={value!r}: a course ends at session 2 or later (session 1 is where it starts)"
            )
        return CourseEnd(session=int(value))
    if (
        isinstance(value, (tuple, list))
        and len(value) == 2
        and all(_is_number(v) and np.isfinite(v) for v in value)
    ):
        lo, hi = float(value[0]), float(value[1])
        if lo < 0 or hi < lo:
            raise ValueError(
                f"course_end={tuple(value)!r}: a window of days is (first_day, last_day) with "
                "0 <= first_day <= last_day"
            )
        return CourseEnd(days=(lo, hi))
    raise TypeError(
        "course_end must be None (the last session with a before-score), a session number such as 6, "
        f"or a window of days since the first session such as (42, 70); got {value!r}"
    )


_STATS = ("median", "q1", "q3", "max")


def need_days(end: CourseEnd, frame: pd.DataFrame) -> None:
    """A course end in days needs a ``days_from_first`` column: say so when the frame has none."""
    if end.days is not None and "days_from_first" not in frame.columns:
        raise SchemaError(
            f"course_end={end.days!r} is a window of days, but the data have no days_from_first "
            "column. Add one (days since each client's first session) or give a session number.",
            failure_cases=frame_failure(
                ["days_from_first"], "missing_column", ["needed for a course end in days"]
            ),
        )


def course_lengths(
    data: Any,
    *,
    by: str | Sequence[str] | None = "condition",
    measures: Sequence[str] | None = None,
    instruments: InstrumentRegistry | str | Path | None = None,
    course_end: Any = None,
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
    course_end : int, (float, float) or None
        The end of each course (default the last session with a before-score).

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
    end = as_course_end(course_end)
    frame = canonical_frame(data, registry)
    need_days(end, frame)
    by_cols = as_list(by, "by")
    check_by(frame, by_cols)
    keys = {registry.get_instrument(m).key for m in measures} if measures else None
    kinds = {
        m: registry[m].kind == "score" and (keys is None or m in keys) for m in pd.unique(frame["measure"])
    }
    keep = (frame["timepoint"].astype(str) == "pre").to_numpy() & frame["measure"].map(kinds).to_numpy(bool)
    days = "days_from_first" in frame.columns
    cols = ["client_id", "measure", "session", *(["days_from_first"] if days else [])]
    pre = frame.loc[keep, [*dict.fromkeys([*cols, *by_cols])]].sort_values("session", kind="stable")
    if days:
        pre["days_from_first"] = pd.to_numeric(pre["days_from_first"], errors="coerce")
    g = pre.groupby(["client_id", "measure"], observed=True, sort=False)
    start = g.head(1).set_index(["client_id", "measure"])
    later = pre.loc[pre["session"].to_numpy() > g["session"].transform("min").to_numpy()]
    if end.session is not None:
        later = later.loc[later["session"] == end.session]
    elif end.days is not None:
        later = later.loc[later["days_from_first"].between(*end.days)]
    stop = later.groupby(["client_id", "measure"], observed=True, sort=False).tail(1)
    stop = stop.set_index(["client_id", "measure"])
    per = pd.DataFrame({"sessions": stop["session"] - start["session"].reindex(stop.index) + 1})
    if days:
        per["weeks"] = (stop["days_from_first"] - start["days_from_first"].reindex(stop.index)) / 7.0
    else:
        per["weeks"] = np.nan
    per = per.reset_index()
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
