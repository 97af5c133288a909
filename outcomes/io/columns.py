"""The column map: how a practice's names map onto the contract, read from a dict or a TOML file, and
applied to a table's header.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from .._checks import one_of
from ..errors import ReadError, SchemaError
from ..instruments import normalize_key
from ..schema import failure_message
from .files import RawTable
from .layouts import LAYOUTS


@dataclass(frozen=True)
class ColumnMap:
    """How a practice's export maps onto the data contract.

    Parameters
    ----------
    columns : dict
        Source column name -> canonical name (``{"Client": "client_id"}``).
        Matching ignores case, spaces and punctuation.
    measures : dict
        Measure name used in the export -> registry key (``{"Pain level": "pain_nrs"}``).
    timepoints : dict
        Timepoint label used in the export -> ``pre``/``post``/``followup``.
    na_values : tuple of str
        Score texts that mean "not recorded" in this export.
    layout : str or None
        The layout, when it should not be detected.
    """

    columns: Mapping[str, str] = field(default_factory=dict)
    measures: Mapping[str, str] = field(default_factory=dict)
    timepoints: Mapping[str, str] = field(default_factory=dict)
    na_values: tuple[str, ...] = ()
    layout: str | None = None

    @classmethod
    def coerce(cls, value: ColumnMap | Mapping[str, Any] | str | Path | None) -> ColumnMap:
        """Build from a ColumnMap, a dict (flat renames or the TOML's tables) or a TOML path."""
        if value is None:
            return cls()
        if isinstance(value, ColumnMap):
            return value
        if isinstance(value, (str, Path)):
            return read_column_map(value)
        if not isinstance(value, Mapping):
            raise TypeError(f"columns must be a dict, a TOML path or None, not {type(value).__name__}")
        tables = {"columns", "measures", "timepoints", "na_values", "layout"}
        if set(value) & tables and all(k in tables for k in value):
            return cls._from_tables(value, where="columns=")
        return cls(columns={str(k): str(v) for k, v in value.items()})

    @classmethod
    def _from_tables(cls, doc: Mapping[str, Any], *, where: str) -> ColumnMap:
        problems = []
        unknown = sorted(set(doc) - {"columns", "measures", "timepoints", "na_values", "layout"})
        if unknown:
            problems.append(
                f"unknown section(s) {', '.join(unknown)} "
                "(known: columns, measures, timepoints, na_values, layout)"
            )
        for name in ("columns", "measures", "timepoints"):
            if name in doc and not isinstance(doc[name], Mapping):
                problems.append(f'[{name}] must be a table of "source name" = "canonical name" pairs')
        na = doc.get("na_values", ())
        if isinstance(na, str) or not all(isinstance(v, (str, int, float)) for v in na):
            problems.append('na_values must be a list of texts, e.g. na_values = ["UNK", "-999"]')
        layout = doc.get("layout")
        if layout is not None and layout not in (*LAYOUTS, "auto"):
            problems.append(f"{one_of('layout', ('auto', *LAYOUTS))} (got {layout!r})")
        if problems:
            raise SchemaError(f"The column mapping in {where} is not valid: " + "; ".join(problems) + ".")
        cols = {str(k): str(v) for k, v in dict(doc.get("columns", {})).items()}
        bad_targets = sorted({v for v in cols.values() if normalize_key(v) != v})
        if bad_targets:
            raise SchemaError(
                f"The column mapping in {where} maps onto {', '.join(repr(b) for b in bad_targets)}; "
                "targets must be snake_case names such as client_id, session, measure, score, condition."
            )
        return cls(
            columns=cols,
            measures={str(k): str(v) for k, v in dict(doc.get("measures", {})).items()},
            timepoints={str(k): str(v) for k, v in dict(doc.get("timepoints", {})).items()},
            na_values=tuple(str(v) for v in na),
            layout=None if layout in (None, "auto") else str(layout),
        )


def read_column_map(path: str | Path) -> ColumnMap:
    """Read a column mapping from a TOML file.

    Example file::

        layout = "long"              # optional; detected when omitted
        na_values = ["UNK", "-999"]  # optional; score texts meaning "not recorded"

        [columns]                    # your column name = canonical name
        "Client" = "client_id"
        "Visit #" = "session"
        "When" = "timepoint"
        "Measure" = "measure"
        "Value" = "score"
        "Dx" = "condition"

        [measures]                   # optional: your measure names = registry keys
        "Pain level" = "pain_nrs"

        [timepoints]                 # optional: your labels = pre / post / followup
        "Before" = "pre"
        "After" = "post"
    """
    p = Path(path)
    if not p.is_file():
        raise ReadError(f"Column mapping file {p.name!r} not found at {p}.")
    try:
        doc = tomllib.loads(p.read_text(encoding="utf-8-sig"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise SchemaError(f"The column mapping {p.name} is not valid TOML: {exc}.") from None
    return ColumnMap._from_tables(doc, where=p.name)


def blank_columns(table: pd.DataFrame) -> list[Any]:
    out = []
    for col in table.columns:
        if str(col).startswith("Unnamed: ") or str(col).strip() == "":
            s = table[col]
            if s.isna().all() or (s.astype("str").str.strip().where(s.notna(), "") == "").all():
                out.append(col)
    return out


def apply_mapping(
    raw: RawTable, cmap: ColumnMap, header_row: int | None
) -> tuple[pd.DataFrame, dict[str, str]]:
    table = raw.table
    repeated = sorted({str(c) for c in table.columns[table.columns.duplicated()]})
    if repeated:  # possible in Excel sheets and DataFrames (the CSV reader renames them a, a.1)
        fc = pd.DataFrame(
            {
                "file": raw.name,
                "row": header_row,
                "column": repeated,
                "value": None,
                "check": "duplicate_column",
                "message": [f"two or more columns are called {c!r}" for c in repeated],
            }
        )
        raise SchemaError(failure_message(fc, file=raw.name, what="the header"), failure_cases=fc)
    dropped = blank_columns(table)
    table = table.drop(columns=dropped)
    mapping_norm = {normalize_key(k): v for k, v in cmap.columns.items()}
    exact = dict(cmap.columns)
    new_names: list[str] = []
    origin: dict[str, str] = {}
    for col in table.columns:
        name = str(col).strip()
        target = exact.get(name, mapping_norm.get(normalize_key(name)))
        if name == "_file":  # added by the reader for folders of site files
            target = name
        elif target is None:
            target = normalize_key(name) or f"column_{len(new_names) + 1}"
        new_names.append(target)
    problems = []
    unmatched = [
        k
        for k in cmap.columns
        if k not in {str(c).strip() for c in table.columns}
        and normalize_key(k) not in {normalize_key(c) for c in table.columns}
    ]
    for k in unmatched:
        problems.append(("unknown_column", k, f"the mapping names column {k!r}, which is not in the file"))
    seen: dict[str, str] = {}
    for col, target in zip(table.columns, new_names, strict=True):
        if target in seen:
            problems.append(
                (
                    "duplicate_column",
                    str(col),
                    f"columns {seen[target]!r} and {str(col)!r} both become {target!r}",
                )
            )
        else:
            seen[target] = str(col)
        origin[target] = str(col)
    if problems:
        fc = pd.DataFrame(
            {
                "file": raw.name,
                "row": header_row,
                "column": [c for _, c, _ in problems],
                "value": None,
                "check": [k for k, _, _ in problems],
                "message": [m for _, _, m in problems],
            }
        )
        raise SchemaError(failure_message(fc, file=raw.name, what="the header"), failure_cases=fc)
    table = table.set_axis(new_names, axis=1)
    raw.details["dropped_empty_columns"] = len(dropped)
    return table, origin
