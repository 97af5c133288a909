"""The rows a summary works on: score measures selected, conditions split, tone scales as distances,
keys as integer codes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from .._checks import one_of
from ..errors import SchemaError
from ..instruments import InstrumentRegistry
from ..io.lazy import LazySessionData
from ..schema import (
    CANONICAL_COLUMNS,
    split_condition_codes,
    validate_sessions,
)

LEVELS = ("session", "followup", "course")


def canonical_frame(data: Any, instruments: InstrumentRegistry | None) -> pd.DataFrame:
    """The canonical frame of a SessionData or a DataFrame (validated when it is raw)."""
    if isinstance(data, LazySessionData):
        raise TypeError(data.rows_stay_message())
    frame = getattr(data, "frame", data)
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"data must be what read_sessions returns or a DataFrame, not {type(data).__name__}")
    if frame is data:  # a user's DataFrame: hold it to the contract first
        frame = validate_sessions(frame, instruments=instruments)
    return frame


def as_list(value: str | Sequence[str] | None, name: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    out = list(value)
    if not all(isinstance(v, str) for v in out):
        raise TypeError(f"{name} must be a column name or a list of column names")
    return out


def check_levels(level: str | Sequence[str]) -> list[str]:
    levels = as_list(level, "level")
    bad = [lv for lv in levels if lv not in LEVELS]
    if bad or not levels:
        raise ValueError(f"{one_of('level', LEVELS)}, or a list of them (got {level!r})")
    return levels


def check_by(frame: pd.DataFrame, by: list[str]) -> None:
    missing = [c for c in by if c not in frame.columns]
    if missing:
        known = [
            c for c in frame.columns if c not in ("client_id", "session", "timepoint", "measure", "score")
        ]
        raise SchemaError(
            f"Cannot group by {', '.join(repr(m) for m in missing)}: no such column. "
            f"Columns available for grouping: {', '.join(known)}.",
            failure_cases=frame_failure(
                missing, "missing_column", ["no such column to group by"] * len(missing)
            ),
        )


def sorted_categorical(values: pd.Series) -> pd.Categorical:
    """``values`` as a Categorical with sorted categories; an existing Categorical is kept."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        return values.array
    codes, uniques = pd.factorize(values, sort=True)
    return pd.Categorical.from_codes(codes, categories=uniques)


def prepare(
    frame: pd.DataFrame,
    by: list[str],
    measures: list[str] | None,
    registry: InstrumentRegistry,
    kind: str,
    carry: Sequence[str] = (),
) -> pd.DataFrame:
    """Select measures of ``kind``, explode conditions, map scores onto the analysis scale.

    ``carry`` names further columns to keep (``days_from_first`` for a course end in days).
    """
    check_by(frame, by)
    reserved = [c for c in by if c in ("measure", "client_id", "session", "timepoint", "score")]
    if reserved:
        raise ValueError(
            f"by must name attribute columns (condition, technique, ...), not {', '.join(reserved)}"
        )
    # Work on integer codes from here on: each key column is factorized once (sorted, so that
    # groups come out in the order of their labels) and the kept rows are gathered as small
    # numeric arrays. No string column of the source is copied; every reshape and groupby
    # after this works on small integers instead of re-hashing strings.
    keys = {
        c: sorted_categorical(frame[c]) for c in dict.fromkeys(("client_id", "measure", "condition", *by))
    }
    measures_cat = keys["measure"]
    present = [str(m) for m in measures_cat.categories]
    if measures is not None:
        wanted = [registry.get_instrument(m).key for m in measures]
        present = [m for m in present if m in wanted]
    keep = np.isin(measures_cat.categories, [m for m in present if registry[m].kind == kind])
    kept = keep[measures_cat.codes] & (measures_cat.codes >= 0)
    if "condition" in by:
        positions, condition = split_condition_codes(frame["condition"])
        on = kept[positions]
        positions, keys["condition"] = positions[on], condition[on]
    else:
        positions = np.flatnonzero(kept)
    columns: dict[str, Any] = {}
    for col in dict.fromkeys((*CANONICAL_COLUMNS, *by, *carry)):
        if col == "condition" and "condition" in by:
            columns[col] = keys[col]
        elif col in keys:
            columns[col] = keys[col].take(positions)
        else:
            columns[col] = frame[col].array.take(positions)
    out = pd.DataFrame(columns)
    for col in keys:  # labels of the kept rows only, as a plain astype("category") would give
        if col in out and not isinstance(frame[col].dtype, pd.CategoricalDtype):
            codes = out[col].cat.codes.to_numpy()
            used = np.bincount(codes[codes >= 0], minlength=len(out[col].cat.categories))
            if not used.all():  # (checking is much cheaper than removing nothing)
                out[col] = out[col].cat.remove_unused_categories()
    if kind == "score":
        categories = out["measure"].cat.categories
        targets = np.array(
            [
                registry[str(m)].target if registry[str(m)].direction == "toward" else np.nan
                for m in categories
            ],
            dtype=float,
        )
        target = targets[out["measure"].cat.codes.to_numpy()]
        is_toward = ~np.isnan(target)
        if is_toward.any():
            score = out["score"].to_numpy(dtype=float, copy=True)
            score[is_toward] = np.abs(score[is_toward] - target[is_toward])
            out["score"] = score
    return out


def frame_failure(columns: list[str], check: str, messages: list[str]) -> pd.DataFrame:
    """``failure_cases`` of a problem of the whole frame (no file, row or value to point at)."""
    return pd.DataFrame(
        {"file": None, "row": None, "column": columns, "value": None, "check": check, "message": messages}
    )
