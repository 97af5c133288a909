""":func:`check_sessions` and :func:`validate_sessions`: every violation of the contract, collected
before anything is raised.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from ..errors import SchemaError
from ..instruments import InstrumentRegistry, default_registry, normalize_key
from .contract import (
    CANONICAL_COLUMNS,
    MISSING_CODES,
    MISSING_NUMBERS,
    NUMERIC_ATTRIBUTES,
    SESSION_MAX,
    TIMEPOINT_ALIASES,
    TIMEPOINT_DTYPE,
    failure_message,
)
from .values import label_order, normalize_conditions, parse_numbers, per_value, type_attribute, typed_codes


class _Failures:
    """Collects failure cases as column arrays (vectorized, no per-row Python)."""

    def __init__(self) -> None:
        self.parts: list[pd.DataFrame] = []

    def add(
        self, positions: np.ndarray, column: str | pd.Series, value: Any, check: str, message: str | pd.Series
    ) -> None:
        if len(positions) == 0:
            return
        self.parts.append(
            pd.DataFrame(
                {
                    "_pos": np.asarray(positions, dtype="int64"),
                    "column": column if isinstance(column, str) else np.asarray(column, dtype=object),
                    "value": value if not isinstance(value, pd.Series) else value.to_numpy(dtype=object),
                    "check": check,
                    "message": message if isinstance(message, str) else message.to_numpy(dtype=object),
                }
            )
        )

    def frame(self) -> pd.DataFrame:
        if not self.parts:
            return pd.DataFrame(
                {"_pos": pd.Series([], dtype="int64"), "column": [], "value": [], "check": [], "message": []}
            )
        return pd.concat(self.parts, ignore_index=True)


def check_sessions(
    frame: pd.DataFrame,
    *,
    instruments: InstrumentRegistry | None = None,
    na_values: Iterable[str] = (),
    decimal_comma: bool = False,
    file: str | None = None,
    identifying: Iterable[str] = ("client_id",),
    sort: bool = False,
    decode_categories: bool | Iterable[str] = False,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.Series]:
    """Check ``frame`` against the contract without raising.

    The lower-level engine behind :func:`validate_sessions` and the readers.

    Parameters
    ----------
    frame : DataFrame
        Canonical column names, raw values (strings or numbers). Optional
        helper columns: ``_row`` (row number in the source file; the index
        label is used without it) and ``_column`` (the source column a score
        came from, for wide layouts).
    instruments : InstrumentRegistry, optional
        Registry to resolve measures against (default registry when ``None``).
    na_values : iterable of str
        Score cell texts that mean "not recorded" in this export (case- and
        whitespace-insensitive). Rows holding them are returned in ``declared_missing``.
    decimal_comma : bool
        Accept ``4,5`` as 4.5 (files with ``;`` separators from European locales).
    file : str, optional
        File name to put in ``failure_cases``.
    identifying : iterable of str
        Columns whose values are never copied into ``failure_cases`` or messages.
    sort : bool, default False
        Return ``typed`` in canonical order (client, session, measure,
        timepoint) instead of the order of ``frame``.
    decode_categories : bool or iterable of str, default False
        Categorical columns (all, or those named) whose categories are text a
        reader coded to save memory: they are typed as text and come back as
        strings or numbers. Other categorical attributes stay categorical.

    Returns
    -------
    typed : DataFrame
        The canonical table for the rows without failures (index labels of
        ``frame``), columns in canonical order followed by the attributes.
    failure_cases : DataFrame
        Columns ``file, row, column, value, check, message`` and the position
        of the failing row in ``index``; one row per problem. ``row`` is the
        ``_row`` value when given, else the row's position (0-based, as ``iloc``).
    declared_missing : Series of bool
        Rows whose score is one of ``na_values`` (excluded, not failures).
    """
    registry = instruments if instruments is not None else default_registry()
    hidden = set(identifying)
    fails = _Failures()
    # work on positions: an index may repeat (after pd.concat) or carry identifying labels
    frame = frame.set_axis([str(c) for c in frame.columns], axis=1).reset_index(drop=True)

    def header_failure(columns: list[str], check: str, message: str) -> tuple[Any, Any, Any]:
        """Nothing typed: a problem of the header stops every row."""
        fc = pd.DataFrame(
            {
                "file": file,
                "row": None,
                "column": columns,
                "value": None,
                "check": check,
                "message": [message.format(c) for c in columns],
                "index": -1,
            }
        )
        return frame.iloc[0:0], fc, pd.Series(False, index=frame.index)

    dup_cols = sorted(set(frame.columns[frame.columns.duplicated()]))  # linear in the columns
    if dup_cols:
        return header_failure(dup_cols, "duplicate_column", "column {!r} appears more than once")
    n = len(frame)
    coded = set(frame.columns) if decode_categories is True else set(decode_categories or ())
    rows = frame["_row"].to_numpy() if "_row" in frame.columns else np.arange(n)
    src_col = frame["_column"] if "_column" in frame.columns else None

    missing_cols = [c for c in CANONICAL_COLUMNS if c not in frame.columns]
    if missing_cols:
        return header_failure(missing_cols, "missing_column", "required column {!r} is missing")

    def stripped(s: pd.Series) -> pd.Series:
        if pd.api.types.is_float_dtype(s) and bool((s.dropna() % 1 == 0).all()):
            s = s.astype("Int64")  # client 101 read as 101.0 is still "101"
        out = s.astype("str").str.strip()
        return out.where(s.notna(), "")

    def text(col: str) -> pd.Series:
        return per_value(frame[col], stripped)

    # -- required identifiers -------------------------------------------------------------
    for col in ("client_id", "condition", "measure", "timepoint", "session"):
        blank = (text(col) == "").to_numpy()
        fails.add(np.flatnonzero(blank), col, None, "missing_value", f"{col} is empty")

    client = text("client_id")
    condition = normalize_conditions(text("condition"))

    # -- session --------------------------------------------------------------------------
    session_raw = text("session")
    session_num = parse_numbers(frame["session"], decimal_comma=decimal_comma)
    # a session number that does not fit an integer (99999999999999999999) is as wrong as 1.5
    bad_session = (session_raw != "") & ~(
        session_num.notna()
        & (session_num >= 1)
        & (session_num <= SESSION_MAX)
        & (np.floor(session_num.fillna(0)) == session_num)
    )
    pos = np.flatnonzero(bad_session.to_numpy())
    fails.add(
        pos,
        "session",
        session_raw.iloc[pos],
        "session_not_positive_integer",
        f"session must be a positive whole number (at most {SESSION_MAX:,})",
    )

    # -- timepoint ------------------------------------------------------------------------
    tp_raw = text("timepoint")
    tp_norm = per_value(
        tp_raw, lambda u: u.map(lambda v: TIMEPOINT_ALIASES.get(normalize_key(v), None) if v else None)
    )
    bad_tp = (tp_raw != "") & tp_norm.isna()
    pos = np.flatnonzero(bad_tp.to_numpy())
    fails.add(
        pos, "timepoint", tp_raw.iloc[pos], "unknown_timepoint", "timepoint must be pre, post or followup"
    )

    # -- measure --------------------------------------------------------------------------
    m_raw = text("measure")
    uniq = pd.unique(m_raw)
    resolved = {u: registry.resolve(u) for u in uniq if u != ""}
    measure = per_value(m_raw, lambda u: u.map(resolved))
    bad_m = (m_raw != "") & measure.isna()
    pos = np.flatnonzero(bad_m.to_numpy())
    if len(pos):
        bad_names = m_raw.iloc[pos].astype(object)
        sugg = {u: registry.suggest(u) for u in pd.unique(bad_names)}
        msgs = bad_names.map(
            lambda u: (
                f"unknown measure {u!r}"
                + (f"; did you mean {' or '.join(repr(s) for s in sugg[u])}?" if sugg[u] else "")
            )
        )
        m_col = frame["_measure_column"].iloc[pos] if "_measure_column" in frame.columns else "measure"
        fails.add(pos, m_col, bad_names, "unknown_measure", msgs)

    # -- score ----------------------------------------------------------------------------
    score_col_name = "score" if src_col is None else src_col
    sraw = frame["score"]
    score = parse_numbers(sraw, decimal_comma=decimal_comma)
    if pd.api.types.is_numeric_dtype(sraw) and not pd.api.types.is_bool_dtype(sraw):
        s_text = per_value(sraw, lambda u: u.astype("str").where(u.notna(), ""))
    else:
        s_text = text("score")
    lowered = per_value(s_text, lambda u: u.astype("str").str.lower())
    declared = {str(v).strip().lower() for v in na_values}
    # a blank score cell is "not recorded" in every layout: no code to declare for it
    blank_cell = per_value(s_text, lambda u: u.astype("str").str.strip() == "")
    declared_missing = (
        lowered.isin(declared) if declared else pd.Series(False, index=frame.index)
    ) | blank_cell
    if declared_missing.any():
        score = score.where(~declared_missing.to_numpy())
    is_code = ~declared_missing & (lowered.isin(MISSING_CODES) | score.isin(MISSING_NUMBERS))
    not_number = ~declared_missing & ~is_code & score.isna()
    lo = measure.map({k: registry[k].min for k in set(resolved.values()) if k}).astype("float64")
    hi = measure.map({k: registry[k].max for k in set(resolved.values()) if k}).astype("float64")
    outside = score.notna() & ~is_code & ((score < lo) | (score > hi))
    # a sentinel number inside the real range of a measure is a score, not a code
    in_range_sentinel = is_code & score.notna() & (score >= lo) & (score <= hi)
    is_code = is_code & ~in_range_sentinel

    pos = np.flatnonzero(is_code.to_numpy())
    col_at = (
        (lambda p: score_col_name) if isinstance(score_col_name, str) else (lambda p: score_col_name.iloc[p])
    )
    fails.add(
        pos,
        col_at(pos),
        s_text.iloc[pos],
        "missing_code",
        s_text.iloc[pos].map(
            lambda v: f"score holds the missing-value code {v!r}" if v else "score is empty"
        ),
    )
    pos = np.flatnonzero(not_number.to_numpy())
    fails.add(pos, col_at(pos), s_text.iloc[pos], "not_numeric", "score is not a number")
    pos = np.flatnonzero(outside.to_numpy())
    if len(pos):
        msgs = pd.Series(
            [
                f"score outside {registry[m].min:g}..{registry[m].max:g} for measure {m!r}"
                for m in measure.iloc[pos]
            ],
            dtype=object,
        )
        fails.add(pos, col_at(pos), s_text.iloc[pos], "out_of_range", msgs)

    # -- attributes the package computes with: year and days_from_first are numbers --------
    numeric_attrs: dict[str, pd.Series] = {}
    for col, low, high, whole, check, message in NUMERIC_ATTRIBUTES:
        if col not in frame.columns:
            continue
        raw = text(col)
        num = parse_numbers(frame[col], decimal_comma=decimal_comma)
        ok = num.notna() & (num >= low) & (num <= high)
        if whole:
            ok &= np.floor(num.fillna(0)) == num
        pos = np.flatnonzero(((raw != "") & ~ok).to_numpy())
        fails.add(pos, col, raw.iloc[pos], check, message)
        if not pd.api.types.is_numeric_dtype(frame[col]) or pd.api.types.is_bool_dtype(frame[col]):
            numeric_attrs[col] = num.where(ok)  # text read as numbers; a numeric column stays as it is

    # -- duplicates (only among rows whose key parsed) ------------------------------------
    key_ok = (client != "") & session_num.notna() & tp_norm.notna() & measure.notna() & ~declared_missing
    keys = pd.DataFrame({"c": client, "s": session_num, "t": tp_norm, "m": measure})[key_ok.to_numpy()]
    dup_mask = keys.duplicated(keep=False)
    if dup_mask.any():
        dups = keys[dup_mask.to_numpy()]
        first_row = dups.groupby(["c", "s", "t", "m"], sort=False, observed=True).ngroup()
        locs = np.flatnonzero(key_ok.to_numpy())[dup_mask.to_numpy()]
        group_rows = (
            pd.Series(rows[locs])
            .groupby(first_row.to_numpy())
            .transform(lambda r: ", ".join(str(x) for x in r))
        )
        msgs = pd.Series(
            [f"same client, session, timepoint and measure in rows {g}" for g in group_rows], dtype=object
        )
        fails.add(locs, "client_id, session, timepoint, measure", None, "duplicate", msgs)

    fc = fails.frame()
    fc.insert(0, "row", rows[fc["_pos"].to_numpy()] if n else [])
    if "_file" in frame.columns and n:  # rows from several files (a folder of site exports)
        fc.insert(0, "file", frame["_file"].to_numpy()[fc["_pos"].to_numpy()])
    else:
        fc.insert(0, "file", file)
    fc["index"] = frame.index.to_numpy()[fc["_pos"].to_numpy()] if n else []
    fc.loc[fc["column"].isin(hidden), "value"] = None
    fc = fc.sort_values(["_pos", "check"], kind="stable").drop(columns="_pos").reset_index(drop=True)

    bad = np.zeros(n, dtype=bool)
    if len(fc):
        bad[frame.index.get_indexer(pd.Index(pd.unique(fc["index"])))] = True
    keep = np.flatnonzero(~bad & ~declared_missing.to_numpy())
    del lowered, lo, hi, keys, key_ok  # the checks are done: free their row-sized arrays
    timepoint = pd.Categorical(tp_norm, dtype=TIMEPOINT_DTYPE)
    if sort:  # ordered on the codes, before any string of the result is made
        keep = keep[
            np.lexsort(
                (
                    timepoint.codes[keep],
                    label_order(measure)[keep],
                    session_num.to_numpy()[keep],
                    label_order(client)[keep],
                )
            )
        ]

    def decoded(values: pd.Categorical, rows: np.ndarray | None = None) -> Any:
        """Coded text as strings (of the positions ``rows``): the labels taken by code, string to
        string, with no Python object per row on the way."""
        codes = values.codes if rows is None else values.codes[rows]
        return values.categories.astype("str").array.take(codes, allow_fill=True)

    def pick(values: pd.Series, decode: bool = True) -> Any:
        """Rows ``keep`` of a column; coded text becomes strings only now, for these rows."""
        # worked on the array, not the Series: a file may have 10,000 columns
        out = values.array
        if decode and isinstance(out, pd.Categorical):
            return decoded(out, keep)
        return out.take(keep)

    attrs = {str(c): s for c, s in frame.items() if c not in CANONICAL_COLUMNS and not str(c).startswith("_")}
    columns: dict[str, Any] = {
        "client_id": pick(client),
        "session": session_num.to_numpy()[keep].astype("int64"),
        "timepoint": timepoint.take(keep),
        "measure": pick(measure),
        "score": score.to_numpy()[keep].astype("float64"),
        "condition": pick(condition),
    }
    for col, attr in attrs.items():
        if col in numeric_attrs:  # numbers written as text: numbers now (whole ones as Int64)
            values = numeric_attrs[col].iloc[keep]
            known = values.dropna()
            whole_numbers = bool((np.floor(known) == known).all())
            columns[col] = values.astype("Int64").array if whole_numbers else values.to_numpy(dtype=float)
            continue
        if col in coded and isinstance(attr.array, pd.Categorical):  # typed for the rows kept only
            out = typed_codes(attr.array, keep)
            columns[col] = decoded(out) if isinstance(out, pd.Categorical) else out
            continue
        # a column that came in categorical stays so; text coded here becomes strings
        columns[col] = pick(
            type_attribute(attr, categories_are_text=col in coded),
            decode=col in coded or not isinstance(attr.dtype, pd.CategoricalDtype),
        )
    # one frame made at once: inserting column after column costs the number of columns each time
    typed = pd.DataFrame(columns, index=frame.index[keep])
    for col in ("client_id", "measure", "condition"):  # text even when no row had a value
        if typed[col].dtype != "str":
            typed[col] = typed[col].astype("str")
    return typed, fc, declared_missing


def validate_sessions(
    frame: pd.DataFrame,
    *,
    instruments: InstrumentRegistry | None = None,
    na_values: Iterable[str] = (),
    file: str | None = None,
) -> pd.DataFrame:
    """Validate a frame against the data contract and return it typed.

    Every violation is collected before anything is raised: missing columns,
    empty required cells, unknown measures (with the closest registry key),
    scores outside the instrument's range, missing-value codes (``UNK``,
    ``-999``, ``N/A``, ``""`` ...) and other non-numbers, unknown timepoints,
    session numbers that are not positive integers, and duplicate
    client x session x measure x timepoint rows.

    Parameters
    ----------
    frame : DataFrame
        Canonical column names (see the module docstring); values may still
        be strings as read from a file.
    instruments : InstrumentRegistry, optional
        Registry for measure names and ranges; the default registry if omitted.
    na_values : iterable of str
        Score texts that mean "not recorded"; such rows are dropped rather
        than reported (:func:`outcomes.read_sessions` counts them in its flow).
    file : str, optional
        Source name shown in messages and ``failure_cases``.

    Returns
    -------
    DataFrame
        The canonical table: ``client_id`` (str), ``session`` (int64),
        ``timepoint`` (ordered categorical), ``measure`` (registry key),
        ``score`` (float64), ``condition`` (normalised keys joined by ``;``),
        then the attribute columns; measure names resolved to registry keys.

    Raises
    ------
    SchemaError
        With ``failure_cases`` (``file, row, column, value, check, message``;
        ``row`` is the row's position in the frame, 0-based as ``iloc``, unless
        a ``_row`` column gives the row number in the source file; index labels
        are never used, as they may be client ids) and a message that counts the
        problems and says how to fix each kind. Values of ``client_id`` are
        never shown.

    Examples
    --------
    >>> df = pd.DataFrame({"client_id": ["a", "a"], "session": [1, 1],
    ...                    "timepoint": ["pre", "post"], "measure": ["Pain", "pain_nrs"],
    ...                    "score": [6, 4], "condition": ["Pelvic pain", "pelvic pain"]})
    >>> validate_sessions(df)[["measure", "score", "condition"]]
      measure  score    condition
    0  pain_nrs    6.0  pelvic_pain
    1  pain_nrs    4.0  pelvic_pain
    """
    typed, fc, _ = check_sessions(frame, instruments=instruments, na_values=na_values, file=file)
    if len(fc):
        raise SchemaError(failure_message(fc, file=file), failure_cases=fc.drop(columns="index"))
    return typed.reset_index(drop=True)
