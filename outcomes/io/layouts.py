"""Which layout an export has, and every layout reshaped to long rows (one per score) with its source
row and column.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from ..errors import SchemaError
from ..instruments import InstrumentRegistry, normalize_key
from ..schema import CANONICAL_COLUMNS, TIMEPOINT_ALIASES, per_value

LAYOUTS = ("long", "prepost", "wide", "redcap")


_LAYOUT_SIGNATURES = {
    "long": "columns 'timepoint' and 'score' (one row per score)",
    "prepost": "a 'measure' column and 'pre' / 'post' / 'followup' columns (one row per session x measure)",
    "wide": "columns like 'pain_nrs_pre', 'pain_nrs_post' (one row per session)",
    "redcap": "REDCap's 'record_id' and 'redcap_event_name' columns",
}


# one table of timepoint names for every layout: long values, pre/post columns, wide suffixes
_TP_FROM_SUFFIX = dict(TIMEPOINT_ALIASES)


WIDE_SUFFIX = re.compile(
    r"^(?P<measure>.+?)_(?P<tp>" + "|".join(sorted(_TP_FROM_SUFFIX, key=len, reverse=True)) + r")$"
)


REDCAP_COLUMNS = ("redcap_event_name", "redcap_repeat_instrument", "redcap_repeat_instance")


def wide_columns(
    columns: Iterable[str], registry: InstrumentRegistry
) -> tuple[dict[str, tuple[str, str]], list[str]]:
    """Columns like ``pain_nrs_pre``: ``{column: (measure key, timepoint)}`` and unresolved names."""
    found: dict[str, tuple[str, str]] = {}
    unknown: list[str] = []
    for col in columns:
        m = WIDE_SUFFIX.match(col)
        if not m or col in CANONICAL_COLUMNS:
            continue
        key = registry.resolve(m.group("measure"))
        if key is None:
            unknown.append(col)
        else:
            found[col] = (key, _TP_FROM_SUFFIX[m.group("tp")])
    return found, unknown


def _prepost_columns(columns: list[str]) -> dict[str, str]:
    """Columns named for a timepoint (``pre``, ``Before``, ``Follow-up`` ...) -> timepoint."""
    return {c: TIMEPOINT_ALIASES[c] for c in columns if c in TIMEPOINT_ALIASES and c not in CANONICAL_COLUMNS}


def rows_are_scores(columns: list[str]) -> bool:
    """Whether the columns are those of a layout with one row per score (long) or per measure
    (prepost), not per session."""
    return {"timepoint", "score"} <= set(columns) or (
        "measure" in columns and bool(_prepost_columns(columns))
    )


def detect_layout(columns: list[str], registry: InstrumentRegistry) -> tuple[str, str]:
    cols = set(columns)
    wide, _ = wide_columns(columns, registry)
    candidates = []
    if {"record_id", "redcap_event_name"} <= cols:
        candidates.append(("redcap", "REDCap columns record_id and redcap_event_name"))
    if {"timepoint", "score"} <= cols:
        candidates.append(("long", "columns timepoint and score"))
    if "measure" in cols and _prepost_columns(columns):
        candidates.append(("prepost", "a measure column with pre/post/followup columns"))
    if wide and not any(c[0] == "redcap" for c in candidates):
        examples = ", ".join(list(wide)[:3])
        candidates.append(("wide", f"measure columns such as {examples}"))
    if len(candidates) == 1:
        return candidates[0]
    listing = "; ".join(f"{k}: {v}" for k, v in candidates) if candidates else ""
    expected = "; ".join(f"{k} = {v}" for k, v in _LAYOUT_SIGNATURES.items())
    if not candidates:
        raise SchemaError(
            "Could not tell the layout of this file: none of the known layouts matches its columns "
            f"({', '.join(columns[:12])}{' ...' if len(columns) > 12 else ''}). Known layouts: {expected}. "
            "Rename or map your columns (columns=) or pass layout= explicitly."
        )
    raise SchemaError(
        f"The layout of this file is ambiguous: it matches {listing}. Pass layout= "
        f"({', '.join(k for k, _ in candidates)}) to say which one it is."
    )


def is_blank(s: pd.Series) -> pd.Series:
    """Missing, or text that is only whitespace."""
    if isinstance(s.array, pd.Categorical):
        return pd.Series(blank_codes(s.array), index=s.index, name=s.name)
    if pd.api.types.is_numeric_dtype(s):
        return s.isna()
    return per_value(s, lambda u: u.isna() | (u.astype("str").str.strip() == ""))


def blank_cells(s: pd.Series) -> np.ndarray:
    """:func:`is_blank` as an array; a coded column without building a Series (a file may have
    10,000 columns)."""
    return blank_codes(s.array) if isinstance(s.array, pd.Categorical) else is_blank(s).to_numpy()


def blank_codes(values: pd.Categorical) -> np.ndarray:
    """Which cells of a coded column are blank: its few labels judged, then indexed by code."""
    blank_label = np.array([str(v).strip() == "" for v in values.categories], dtype=bool)
    codes = values.codes
    out = codes < 0
    out[~out] = blank_label[codes[~out]]
    return out


def _melt(
    table: pd.DataFrame, value_cols: Mapping[str, tuple[str | None, str]], id_cols: list[str]
) -> pd.DataFrame:
    """Stack ``value_cols`` (column -> (measure or None, timepoint)) into long rows.

    Blank cells are structural absences (nothing was measured) and yield no row.
    Keeps ``_src`` (position of the source row) and ``_column`` (source column).
    """
    parts = []
    for col, (measure, tp) in value_cols.items():
        vals = table[col]
        present = ~is_blank(vals).to_numpy()
        if not present.any():
            continue
        part = table.loc[present, id_cols].copy()
        part["timepoint"] = tp
        if measure is not None:
            part["measure"] = measure
        part["score"] = (
            vals[present].astype("str") if not pd.api.types.is_numeric_dtype(vals) else vals[present]
        )
        part["_column"] = col
        if measure is not None:
            part["_measure_column"] = col
        parts.append(part)
    if not parts:
        empty = table.iloc[0:0][id_cols].copy()
        for c in ("timepoint", "measure", "score", "_column", "_measure_column"):
            empty[c] = pd.Series([], dtype=object)
        return empty
    out = pd.concat(parts, ignore_index=False)
    return out.sort_values("_src", kind="stable")


def to_long(
    table: pd.DataFrame,
    layout: str,
    registry: InstrumentRegistry,
    measures: Mapping[str, str],
    timepoints: Mapping[str, str],
    header_row: int | None,
    file: str,
) -> tuple[pd.DataFrame, pd.DataFrame, np.ndarray]:
    """Return (long rows with _src, header-level failures, merged-row mask over source rows)."""
    header_fails: list[tuple[str, str, str]] = []
    merged = np.zeros(len(table), dtype=bool)
    # assign() shares the source columns (copy-on-write): no copy of the export is made
    table = table.assign(_src=np.arange(len(table), dtype="int64"))
    if layout == "long":
        long = table.assign(_column="score")
    elif layout == "prepost":
        tps = {c: (None, tp) for c, tp in _prepost_columns(list(table.columns)).items()}
        ids = [c for c in table.columns if c not in tps]
        long = _melt(table, tps, ids)
    elif layout in ("wide", "redcap"):
        wide, unknown = wide_columns(list(table.columns), registry)
        if layout == "redcap":
            if "record_id" not in table.columns:
                raise SchemaError(
                    f"{file} has no record_id column, so it is not a REDCap export: drop --layout redcap "
                    "(layout='redcap') to let the reader detect the layout, or map the record column with "
                    '--columns MAP.toml ([columns] "Your record column" = "record_id").'
                )
            table, merged = _redcap_sessions(table, values={*wide, *unknown})
        for col in unknown:
            match = WIDE_SUFFIX.match(col)
            stem = match.group("measure") if match else col
            sugg = registry.suggest(stem)
            hint = f"; did you mean {' or '.join(repr(s) for s in sugg)}?" if sugg else ""
            header_fails.append(
                (col, "unknown_measure", f"column {col!r} names unknown measure {stem!r}{hint}")
            )
        ids = [c for c in table.columns if c not in wide and c not in unknown]
        long = _melt(table, wide, ids)
    else:  # pragma: no cover - guarded by read_sessions
        raise ValueError(layout)
    if measures and "measure" in long.columns:
        lookup = {normalize_key(k): v for k, v in measures.items()}
        long["measure"] = per_value(
            long["measure"], lambda u: u.astype("str").map(lambda v: lookup.get(normalize_key(v), v))
        )
    if timepoints and "timepoint" in long.columns:
        tp_lookup = {normalize_key(k): v for k, v in timepoints.items()}
        long["timepoint"] = per_value(
            long["timepoint"], lambda u: u.astype("str").map(lambda v: tp_lookup.get(normalize_key(v), v))
        )
    fc = pd.DataFrame(
        {
            "file": file,
            "row": header_row,
            "column": [c for c, _, _ in header_fails],
            "value": [c for c, _, _ in header_fails],
            "check": [k for _, k, _ in header_fails],
            "message": [m for _, _, m in header_fails],
        }
    )
    return long, fc, merged


def _redcap_sessions(table: pd.DataFrame, values: set[str]) -> tuple[pd.DataFrame, np.ndarray]:
    """Merge REDCap record-level rows into their session rows.

    A row with an empty ``redcap_repeat_instrument`` and no session number holds
    the record's own fields (condition, demographics); its non-empty fields
    (other than the score columns ``values``) are copied into every other row of
    the same record. Session rows get
    ``session`` from ``redcap_repeat_instance`` (or from digits at the end of the
    event name, ``visit_3_arm_1``). Record-level rows stay in the table, so
    that any score they hold is read (and reported, having no session); the
    mask of record-level rows is returned for the flow.
    """
    table = table.copy()
    blank = pd.Series("", index=table.index)
    rep = table["redcap_repeat_instrument"] if "redcap_repeat_instrument" in table else blank
    inst = table["redcap_repeat_instance"] if "redcap_repeat_instance" in table else blank
    # a project without events (a classic project with repeating instruments) has no event column
    event = (table["redcap_event_name"] if "redcap_event_name" in table else blank).astype("str").str.strip()
    session = inst.astype("str").str.strip().where(~is_blank(inst), "")
    from_event = event.str.extract(r"(?<!arm_)(?<!\d)(\d+)(?:_arm_\d+)?$", expand=False).fillna("")
    from_event = from_event.where(~event.str.match(r"^(intake|baseline|enrol|screen)", case=False), "")
    session = session.where(session != "", from_event)
    if "session" in table.columns:
        session = table["session"].astype("str").where(~is_blank(table["session"]), session)
    is_record = (is_blank(rep) & (session == "")).to_numpy()
    record_id = table["record_id"].astype("str").str.strip()
    skip = {"record_id", "session", "_src", *REDCAP_COLUMNS, *values}
    fields = [c for c in table.columns if c not in skip]
    for col in fields:
        rec_vals = table.loc[is_record, col]
        rec_vals = rec_vals[~is_blank(rec_vals)]
        if rec_vals.empty:
            continue
        per_record = rec_vals.groupby(record_id[is_record].loc[rec_vals.index]).first()
        fill = record_id.map(per_record)
        table[col] = table[col].where(~is_blank(table[col]), fill)
    table["client_id"] = table["record_id"]
    table["session"] = session
    out = table.drop(columns=[c for c in ("record_id", *REDCAP_COLUMNS) if c in table.columns])
    return out, is_record
