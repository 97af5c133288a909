"""The data contract: the canonical long table and its validation.

One row per client x session x measure x timepoint:

============  =================================  ===============================================
column        type                               meaning
============  =================================  ===============================================
client_id     string                             pseudonymous client id
session       int64 >= 1                         ordinal of the session within the client's care
timepoint     ordered category pre<post<followup before the session, right after, days later
measure       string                             key of the instrument registry
score         float64                            value on the instrument's scale
condition     string                             condition key(s); several joined with ``;``
(others)      kept                               grouping attributes (technique, age_band, ...)
============  =================================  ===============================================

:func:`validate_sessions` checks a frame against this contract, collecting every
violation before raising one :class:`~outcomes.errors.SchemaError`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from .errors import SchemaError
from .instruments import InstrumentRegistry, default_registry, normalize_key

__all__ = [
    "ATTRIBUTE_COLUMNS",
    "CANONICAL_COLUMNS",
    "CHECKS",
    "CONDITIONS",
    "MISSING_CODES",
    "TIMEPOINTS",
    "TIMEPOINT_ALIASES",
    "TIMEPOINT_DTYPE",
    "check_sessions",
    "split_condition_codes",
    "split_conditions",
    "validate_sessions",
]

#: Required columns of the canonical table, in order.
CANONICAL_COLUMNS = ("client_id", "session", "timepoint", "measure", "score", "condition")
#: Attribute columns the package knows by name (others are kept too).
ATTRIBUTE_COLUMNS = (
    "technique",
    "age_band",
    "race_ethnicity",
    "postpartum",
    "payer",
    "year",
    "days_from_first",
    "site",
)
TIMEPOINTS = ("pre", "post", "followup")
TIMEPOINT_DTYPE = pd.CategoricalDtype(list(TIMEPOINTS), ordered=True)
#: Condition keys a pelvic-health / CST practice typically uses (others are allowed).
CONDITIONS = (
    "headache",
    "tmj",
    "neck_pain",
    "back_pain",
    "pelvic_pain",
    "postpartum",
    "bladder",
    "prolapse",
    "fibromyalgia",
    "sleep",
    "stress_anxiety",
)

#: Names a practice may use for each timepoint (normalised keys), in every layout.
TIMEPOINT_ALIASES = {
    "pre": "pre",
    "before": "pre",
    "baseline": "pre",
    "pre_session": "pre",
    "post": "post",
    "after": "post",
    "post_session": "post",
    "followup": "followup",
    "follow_up": "followup",
    "fu": "followup",
    "later": "followup",
}

#: Cell texts that practices use for "not recorded". They are never read as a
#: score: unless declared with ``na_values`` they are reported as ``missing_code``.
MISSING_CODES = frozenset(
    {
        "",
        "na",
        "n/a",
        "n.a.",
        "nan",
        "null",
        "none",
        "unk",
        "unknown",
        "?",
        "-",
        "--",
        ".",
        "missing",
        "nr",
        "not recorded",
    }
)
_MISSING_NUMBERS = frozenset({-9.0, -99.0, -999.0, -9999.0, 99.0, 999.0, 9999.0})

#: Every check name that can appear in ``failure_cases['check']``, with its fix.
CHECKS: dict[str, str] = {
    "missing_column": "add the column to the export, or map your column name to it with columns=",
    "missing_value": "fill in the cell; every row needs a client, session, timepoint, measure and condition",
    "unknown_measure": "correct the measure name, map it with columns= ([measures] table), "
    "or register the measure with outcomes.register_instrument()",
    "unknown_timepoint": "use pre, post or followup (or map your labels with a [timepoints] table)",
    "session_not_positive_integer": "number each client's sessions 1, 2, 3 and so on",
    "missing_code": "enter the real score, or declare the code as missing with na_values= (CLI: --na-values) "
    "so these rows are counted as not recorded",
    "not_numeric": "enter a single number on the measure's scale",
    "out_of_range": "check the column mapping and the scale, or register the measure with its real range",
    "duplicate": "keep one value per client, session, measure and timepoint",
    "duplicate_column": "give every column its own name (two headers mean the same column)",
    "unknown_column": "the column mapping names a column that is not in the file; correct the mapping",
}

_CONDITION_SPLIT = re.compile(r"\s*[;|,]\s*")


def split_condition_codes(condition: pd.Series) -> tuple[np.ndarray, pd.Categorical]:
    """Split a ``condition`` column into one condition per element, as integer codes.

    Returns the position of the source row of each element (positions repeat
    for a row with several conditions) and the conditions as a Categorical with
    sorted categories. Only the distinct values are split as text, so the cost
    does not grow with the length of the strings times the rows.

    >>> pos, cat = split_condition_codes(pd.Series(["headache;tmj", "pelvic_pain"]))
    >>> pos.tolist(), cat.tolist()
    ([0, 0, 1], ['headache', 'tmj', 'pelvic_pain'])
    """
    codes, uniques = pd.factorize(condition)
    parts = [str(u).split(";") for u in uniques]
    categories = sorted({c for p in parts for c in p})
    at = {c: i for i, c in enumerate(categories)}
    counts = np.array([len(p) for p in parts], dtype="int64")
    flat = np.array([at[c] for p in parts for c in p], dtype="int64")
    starts = np.cumsum(counts) - counts
    # a missing condition (code -1) stays one element with a missing value
    counts = np.append(counts, 1)
    starts = np.append(starts, len(flat))
    flat = np.append(flat, -1)
    reps = counts[codes]
    positions = np.repeat(np.arange(len(codes)), reps)
    # position of each element in `flat`: the start of its row's parts plus 0, 1, ...
    offsets = np.arange(len(positions)) - np.repeat(np.cumsum(reps) - reps, reps)
    values = flat[np.repeat(starts[codes], reps) + offsets]
    return positions, pd.Categorical.from_codes(values, categories=pd.Index(categories, dtype="str"))


def split_conditions(condition: pd.Series) -> pd.Series:
    """Split a ``condition`` column into one condition per element.

    Returns a Series with the same index repeated once per condition
    (``"headache;tmj"`` gives two elements), in the style of ``Series.explode``.

    >>> split_conditions(pd.Series(["headache;tmj", "pelvic_pain"])).tolist()
    ['headache', 'tmj', 'pelvic_pain']
    """
    positions, values = split_condition_codes(condition)
    return pd.Series(
        np.asarray(values, dtype=object),
        index=condition.index[positions],
        name=condition.name,
        dtype="str",
    )


def _per_value(values: pd.Series, fn: Callable[[pd.Series], pd.Series]) -> pd.Series:
    """``fn(values)``, computed once per distinct value and spread back over the rows.

    Exports repeat a few values (measures, timepoints, conditions, scores of
    integer scales) over millions of rows, so text work on the distinct values
    costs almost nothing. ``fn`` must treat each element on its own; missing
    values are passed to it like any other. A column of mixed Python objects
    is worked row by row: ``1``, ``1.0`` and ``True`` are equal as keys but
    not as text.
    """
    if values.dtype == object and pd.api.types.infer_dtype(values, skipna=True) not in ("string", "empty"):
        codes = np.arange(len(values))
        out = fn(values.reset_index(drop=True))
    else:
        codes, uniques = pd.factorize(values, use_na_sentinel=False)
        if isinstance(uniques, pd.CategoricalIndex):
            uniques = uniques.astype("object")
        out = fn(pd.Series(uniques, dtype=uniques.dtype))
    if out.dtype == object or pd.api.types.is_string_dtype(out.dtype):
        # text stays coded (a Categorical): a few bytes per row instead of a string per row
        text_codes, labels = pd.factorize(out)
        return pd.Series(
            pd.Categorical.from_codes(text_codes[codes], categories=labels),
            index=values.index,
            name=values.name,
        )
    return pd.Series(out.array.take(codes), index=values.index, name=values.name)


def _normalize_conditions(values: pd.Series) -> pd.Series:
    """``"Pelvic pain, TMJ"`` -> ``"pelvic_pain;tmj"`` (sorted, de-duplicated)."""

    def normalize(text: str) -> str:
        return ";".join(sorted({normalize_key(p) for p in _CONDITION_SPLIT.split(text) if normalize_key(p)}))

    return _per_value(values, lambda u: u.astype("str").map(normalize).astype("str"))


def _rows_text(rows: Sequence[Any], limit: int = 8) -> str:
    shown = ", ".join(str(r) for r in rows[:limit])
    if len(rows) > limit:
        shown += f" and {len(rows) - limit} more"
    return shown


def _numeric(text: pd.Series, *, decimal_comma: bool) -> pd.Series:
    """Parse a column of strings or numbers as float; failures become NaN."""
    if pd.api.types.is_numeric_dtype(text) and not pd.api.types.is_bool_dtype(text):
        return text.astype("float64")

    def parse(u: pd.Series) -> pd.Series:
        s = u.astype("str").str.strip()
        if decimal_comma:
            s = s.str.replace(",", ".", regex=False)
        return pd.to_numeric(s, errors="coerce").astype("float64")

    return _per_value(text, parse)


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

    dup_cols = sorted({c for c in frame.columns if list(frame.columns).count(c) > 1})
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
        return _per_value(frame[col], stripped)

    # -- required identifiers -------------------------------------------------------------
    for col in ("client_id", "condition", "measure", "timepoint", "session"):
        blank = (text(col) == "").to_numpy()
        fails.add(np.flatnonzero(blank), col, None, "missing_value", f"{col} is empty")

    client = text("client_id")
    condition = _normalize_conditions(text("condition"))

    # -- session --------------------------------------------------------------------------
    session_raw = text("session")
    session_num = _numeric(frame["session"], decimal_comma=decimal_comma)
    bad_session = (session_raw != "") & ~(
        session_num.notna() & (session_num >= 1) & (np.floor(session_num.fillna(0)) == session_num)
    )
    pos = np.flatnonzero(bad_session.to_numpy())
    fails.add(
        pos,
        "session",
        session_raw.iloc[pos],
        "session_not_positive_integer",
        "session must be a positive whole number",
    )

    # -- timepoint ------------------------------------------------------------------------
    tp_raw = text("timepoint")
    tp_norm = _per_value(
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
    measure = _per_value(m_raw, lambda u: u.map(resolved))
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
    score = _numeric(sraw, decimal_comma=decimal_comma)
    if pd.api.types.is_numeric_dtype(sraw) and not pd.api.types.is_bool_dtype(sraw):
        s_text = _per_value(sraw, lambda u: u.astype("str").where(u.notna(), ""))
    else:
        s_text = text("score")
    lowered = _per_value(s_text, lambda u: u.astype("str").str.lower())
    declared = {str(v).strip().lower() for v in na_values}
    declared_missing = lowered.isin(declared) if declared else pd.Series(False, index=frame.index)
    if declared:
        score = score.where(~declared_missing.to_numpy())
    is_code = ~declared_missing & (lowered.isin(MISSING_CODES) | score.isin(_MISSING_NUMBERS))
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
                    _label_order(measure)[keep],
                    session_num.to_numpy()[keep],
                    _label_order(client)[keep],
                )
            )
        ]

    def pick(values: pd.Series, decode: bool = True) -> Any:
        """Rows ``keep`` of a column; coded text becomes strings only now, for these rows."""
        out = values.iloc[keep]
        if decode and isinstance(out.dtype, pd.CategoricalDtype):
            # the labels taken by code, string to string: no Python object per row on the way
            labels = out.cat.categories.astype("str").array
            return labels.take(out.cat.codes.to_numpy(), allow_fill=True)
        return out.array

    attrs = [c for c in frame.columns if c not in CANONICAL_COLUMNS and not c.startswith("_")]
    typed = pd.DataFrame(
        {
            "client_id": pick(client),
            "session": session_num.to_numpy()[keep].astype("int64"),
            "timepoint": timepoint.take(keep),
            "measure": pick(measure),
            "score": score.to_numpy()[keep].astype("float64"),
            "condition": pick(condition),
        },
        index=frame.index[keep],
    )
    for col in attrs:
        # a column that came in categorical stays so; text coded here becomes strings
        typed[col] = pick(
            _attribute(frame[col], categories_are_text=col in coded),
            decode=col in coded or not isinstance(frame[col].dtype, pd.CategoricalDtype),
        )
    for col in ("client_id", "measure", "condition"):  # text even when no row had a value
        if typed[col].dtype != "str":
            typed[col] = typed[col].astype("str")
    return typed, fc, declared_missing


def _label_order(values: pd.Series) -> np.ndarray:
    """Per row, the rank of its label among the sorted labels (what sorting by the text gives)."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        n = len(values.cat.categories)
        ranks = np.full(n + 1, -1, dtype="int64")  # the last one, -1, serves missing values (code -1)
        ranks[values.cat.categories.argsort()] = np.arange(n)
        return ranks[values.cat.codes.to_numpy()]
    return pd.factorize(values, sort=True)[0]


def _attribute(values: pd.Series, categories_are_text: bool = False) -> pd.Series:
    """Attribute columns: strings stripped; all-numeric columns as numbers.

    A categorical column is kept as it is, unless ``categories_are_text`` (a reader
    coded the file's text): then its labels are typed like any text.
    """
    categorical = isinstance(values.dtype, pd.CategoricalDtype)
    if pd.api.types.is_numeric_dtype(values) or (categorical and not categories_are_text):
        return values

    def typed(u: pd.Series) -> pd.Series:
        # decided on the distinct values: all of them numbers <=> every cell a number
        text = u.astype("str").str.strip().where(u.notna())
        text = text.where(text != "")
        num = pd.to_numeric(text, errors="coerce")
        if text.notna().any() and num.notna().sum() == text.notna().sum():
            whole = num.dropna()
            if (np.floor(whole) == whole).all():
                return num.astype("Int64")
            return num.astype("float64")
        return text.astype("str").where(text.notna())

    return _per_value(values, typed)


_READ_ENDING = "; nothing was read. Fix them and read again (the error's failure_cases table lists each one):"


def failure_message(
    failure_cases: pd.DataFrame,
    *,
    file: str | None = None,
    what: str = "the data",
    ending: str = _READ_ENDING,
) -> str:
    """One readable line per kind of problem: what is wrong, where, how to fix it."""
    where = f"{what} of {file}" if file and what != "the data" else (file or what)
    n_fail = len(failure_cases)
    checks = failure_cases["check"].unique()
    lines = [
        f"{n_fail} problem{'s' if n_fail != 1 else ''} of {len(checks)} "
        f"kind{'s' if len(checks) != 1 else ''} "
        f"in {where}{ending}"
    ]
    for check in CHECKS:
        sub = failure_cases[failure_cases["check"] == check]
        if sub.empty:
            continue
        rows = [
            r for r in pd.unique(sub["row"]) if r is not None and not (isinstance(r, float) and np.isnan(r))
        ]
        cols = ", ".join(str(c) for c in pd.unique(sub["column"]))
        examples = [m for m in pd.unique(sub["message"])][:3]
        loc = f"row{'s' if len(rows) > 1 else ''} {_rows_text(rows)}" if rows else "the header"
        lines.append(
            f"- {check} ({len(sub)}): {'; '.join(examples)}{' ...' if sub['message'].nunique() > 3 else ''} "
            f"[{loc}; column {cols}]. Fix: {CHECKS[check]}."
        )
    return "\n".join(lines)


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
