""":func:`read_sessions`: a file or frame to :class:`~outcomes.io.SessionData`, through every step of
the layer in order.
"""

from __future__ import annotations

import datetime as _dt
import warnings
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Literal, overload

import numpy as np
import pandas as pd

from .._checks import check_argument
from .._progress import progress_bar
from ..errors import DataQualityWarning, ReadError, SchemaError
from ..instruments import InstrumentRegistry, normalize_key, registry_for
from ..instruments.scoring import is_item_column
from ..privacy.scanner import screen
from ..schema import (
    CANONICAL_COLUMNS,
    CONDITIONS,
    TIMEPOINT_ALIASES,
    check_sessions,
    condition_spellings,
    failure_message,
    split_conditions,
)
from .columns import ColumnMap, apply_mapping
from .files import RawTable, load_table, parquet_files, read_parquet_folder
from .flow import REASON_TEXT, flow_table, hide_values
from .forms import ScoredForms, find_forms, score_forms
from .layouts import (
    LAYOUTS,
    REDCAP_COLUMNS,
    WIDE_SUFFIX,
    blank_cells,
    detect_layout,
    is_blank,
    rows_are_scores,
    to_long,
    wide_columns,
)
from .lazy import LazySessionData, ReadOptions
from .session_data import SessionData


def _column_filter(cmap: ColumnMap, registry: InstrumentRegistry, attributes: Sequence[str] | None) -> Any:
    """Which source columns a read needs: the contract, layout and score columns, and ``attributes``.

    Decided from column names alone, so that a folder of Parquet files is read
    only for these columns. ``attributes=None`` keeps every column.
    """
    if attributes is None:
        return lambda name: True
    wanted = {normalize_key(a) for a in attributes} | {"site"}
    mapping = {normalize_key(k): v for k, v in cmap.columns.items()}
    structural = {*CANONICAL_COLUMNS, "record_id", *REDCAP_COLUMNS, *TIMEPOINT_ALIASES, "_file"}

    def keep(name: str) -> bool:
        target = "_file" if name == "_file" else mapping.get(normalize_key(name), normalize_key(name))
        if target in structural or target in wanted or is_item_column(target):
            return True
        match = WIDE_SUFFIX.match(target)
        return bool(match and registry.resolve(match.group("measure")) is not None)

    return keep


@overload
def read_sessions(
    source: str | Path | pd.DataFrame,
    *,
    layout: str = "auto",
    columns: ColumnMap | Mapping[str, Any] | str | Path | None = None,
    instruments: InstrumentRegistry | str | Path | None = None,
    na_values: Iterable[str] | None = None,
    errors: str = "raise",
    allow_identifiers: str | None = None,
    attributes: Sequence[str] | None = None,
    progress: bool | None = None,
    engine: Literal["pandas"] = "pandas",
) -> SessionData: ...


@overload
def read_sessions(
    source: str | Path | pd.DataFrame,
    *,
    layout: str = "auto",
    columns: ColumnMap | Mapping[str, Any] | str | Path | None = None,
    instruments: InstrumentRegistry | str | Path | None = None,
    na_values: Iterable[str] | None = None,
    errors: str = "raise",
    allow_identifiers: str | None = None,
    attributes: Sequence[str] | None = None,
    progress: bool | None = None,
    engine: Literal["dask"],
) -> LazySessionData: ...


def read_sessions(
    source: str | Path | pd.DataFrame,
    *,
    layout: str = "auto",
    columns: ColumnMap | Mapping[str, Any] | str | Path | None = None,
    instruments: InstrumentRegistry | str | Path | None = None,
    na_values: Iterable[str] | None = None,
    errors: str = "raise",
    allow_identifiers: str | None = None,
    attributes: Sequence[str] | None = None,
    progress: bool | None = None,
    engine: str = "pandas",
) -> SessionData | LazySessionData:
    """Read a practice export into the canonical table, with its flow and provenance.

    Parameters
    ----------
    source : path, folder, glob pattern or DataFrame
        A CSV, TSV, XLSX or Parquet file, or a DataFrame. A folder (or a
        pattern such as ``"network/*.parquet"``) of Parquet files, one per
        site, is read as one table with a ``site`` column (the file name when
        a file has none); problems are reported with their file. Leading lines starting
        with ``#`` are skipped (sample files say there that they are synthetic).
    layout : {'auto', 'long', 'prepost', 'wide', 'redcap'}
        ``long``: one row per score with ``timepoint`` and ``score`` columns.
        ``prepost``: one row per session x measure with ``pre``/``post``/``followup``.
        ``wide``: one row per session with columns ``<measure>_<timepoint>``.
        ``redcap``: a REDCap flat export (``record_id``, ``redcap_event_name``,
        ``redcap_repeat_instrument``, ``redcap_repeat_instance``).
        ``auto`` detects it and records why in ``provenance['layout_reason']``.
    columns : dict, ColumnMap or path to a TOML file, optional
        How the export's names map onto the contract (see :func:`read_column_map`).
    instruments : InstrumentRegistry or path, optional
        Registry to use; a TOML/CSV path adds the practice's own measures to
        the built-ins (:func:`outcomes.instruments.load_instruments`).
    na_values : iterable of str, optional
        Score texts that mean "not recorded" (``["UNK", "-999"]``): such
        scores are counted in the flow, not reported as errors. Adds to the
        mapping's ``na_values``.
    errors : {'raise', 'exclude'}
        ``raise`` (default): any problem raises one :class:`SchemaError`
        listing all of them. ``exclude``: problem scores are left out and
        counted in the flow by reason; ``failure_cases`` lists them.
    attributes : sequence of str, optional
        Attribute columns to keep (``["site", "technique"]``); every column of
        the data contract and every score column is always kept. ``None``
        (default) keeps them all. For a folder of Parquet files only these
        columns are read from disk.
    allow_identifiers : str, optional
        Every file is scanned for direct identifiers first
        (:func:`outcomes.privacy.scan`: names, e-mails, phone numbers, full
        dates, addresses, ZIP codes, record numbers, free-text notes ...). For
        data held under an expert determination or a data-use agreement, the
        reason they may be read (``"data use agreement with University X"``):
        the read then goes ahead, and ``provenance["privacy_override"]`` and
        ``provenance["privacy_findings"]`` (each flagged column as named in the
        file, its canonical name ``read_as`` and the reason; never a value)
        record it. Values of the flagged columns are never shown in
        ``failure_cases`` or messages, and in the frame each value of a
        flagged attribute column (a name in the condition column) is replaced
        by its kind and a number (``[name 1]``): the rows are analysed and
        grouped as before, and no flagged value reaches a summary, a figure, a
        report or a grant output.
    progress : bool or None, default None
        Show a progress bar over the steps of the read (reading, reshaping,
        checking, the flow). ``None``: only in a notebook or terminal, and only
        once the read has run for a second; silent in tests, CI and pipes (see
        :func:`outcomes.set_progress`).
    engine : {'pandas', 'dask'}
        ``pandas`` (default): the whole table in memory. ``dask``: for a folder or
        pattern of site Parquet files larger than memory, a
        :class:`~outcomes.io.LazySessionData` with one partition per file: each
        file is read, scanned and checked on a Dask worker when a summary asks
        for it, and only client-level rows come back (needs ``pip install
        "outcomes[network]"``; see ``docs/scale.md``).

    Returns
    -------
    SessionData or LazySessionData
        ``.frame``, ``.flow``, ``.provenance``, ``.failure_cases``.

    Raises
    ------
    ReadError
        The file cannot be read at all (missing, empty, binary, unknown type).
    PrivacyError
        Columns look like direct identifiers and ``allow_identifiers`` is not
        given; the message names each column and why (never a value) and how to
        fix the export (drop the column, or ``outcomes anonymize``).
    SchemaError
        The data violate the contract; ``failure_cases`` lists every problem
        with its file, row (as numbered in a spreadsheet: header = row 1),
        column, value, check and message.

    Examples
    --------
    >>> from outcomes.io import read_sessions
    >>> data = read_sessions(sample_path("long"))  # doctest: +SKIP
    """
    check_argument("layout", ("auto", *LAYOUTS), layout)
    check_argument("errors", ("raise", "exclude"), errors)
    check_argument("engine", ("pandas", "dask"), engine)
    registry = registry_for(None, instruments)
    cmap = ColumnMap.coerce(columns)
    nas = tuple(cmap.na_values) + tuple(str(v) for v in (na_values or ()))
    if layout == "auto" and cmap.layout:
        layout = cmap.layout
    if engine == "dask":
        many = parquet_files(source) if isinstance(source, (str, Path)) else None
        if many is None:
            raise ValueError(
                "engine='dask' reads a folder or pattern of Parquet files (one per site); read a single "
                "file or a DataFrame with the default engine"
            )
        options = ReadOptions(
            read_partition, layout, cmap, registry, nas, errors, allow_identifiers, attributes
        )
        return LazySessionData(tuple(many[0]), many[1], options)

    keep = _column_filter(cmap, registry, attributes)
    with progress_bar(4, "read_sessions", unit="step", enabled=progress) as bar:
        bar.set_postfix_str("reading", refresh=False)
        raw = load_table(source, keep)
        bar.update()
        return _read(raw, bar, layout, registry, cmap, nas, errors, allow_identifiers, attributes, keep)


def read_partition(path: Path, label: str, options: ReadOptions) -> SessionData:
    """One site file of a folder, read as :func:`read_sessions` reads it in the folder: its rows
    carry the file (``_file``) and the ``site``, and every step of the read runs on it alone."""
    o = options
    keep = _column_filter(o.column_map, o.registry, o.attributes)
    raw = read_parquet_folder([Path(path)], label, keep)
    with progress_bar(4, "read_partition", unit="step", enabled=False) as bar:
        return _read(
            raw,
            bar,
            o.layout,
            o.registry,
            o.column_map,
            o.na_values,
            o.errors,
            o.allow_identifiers,
            o.attributes,
            keep,
        )


def _read(
    raw: RawTable,
    bar: Any,
    layout: str,
    registry: InstrumentRegistry,
    cmap: ColumnMap,
    nas: tuple[str, ...],
    errors: str,
    allow_identifiers: str | None,
    attributes: Sequence[str] | None,
    keep: Any,
) -> SessionData:
    """The steps of :func:`read_sessions` after the source is loaded."""
    from .._version import __version__

    if attributes is not None:  # the same selection for sources read whole (CSV, Excel, a DataFrame)
        raw.table = raw.table[[c for c in raw.table.columns if keep(str(c))]]
    table, origin = apply_mapping(raw, cmap, raw.header_row)
    coded = {c for c in table.columns if origin.get(c, c) in raw.coded}
    findings, _ = screen(
        table, file=raw.name, allow_identifiers=allow_identifiers, labels=origin, unread=raw.unread
    )
    flagged = [str(c) for c in pd.unique(findings["column"])]
    n_read = len(table)
    if n_read == 0:
        raise ReadError(f"{raw.name} has a header but no data rows.")

    blank_row = np.ones(n_read, dtype=bool)
    for _, values in table.items():  # no lookup by label: linear in the columns
        blank_row &= blank_cells(values)
    if blank_row.all():
        raise ReadError(f"{raw.name} has a header but no data rows (only {n_read:,} blank line(s)).")

    forms = _forms(table, layout, registry, raw, origin)
    table = forms.table
    if layout == "auto":
        layout, reason = detect_layout(list(table.columns), registry)
    else:
        reason = "given by the caller"
    if layout in ("long", "prepost"):
        stray, _ = wide_columns(list(table.columns), registry)
        if stray:
            warnings.warn(
                f"{raw.name}: column(s) {', '.join(repr(origin.get(c, c)) for c in stray)} look like scores "
                f"({', '.join(f'{m} {t}' for m, t in stray.values())}) but the file is read as layout "
                f"{layout!r}: they are kept as attributes and not analysed. If they are scores, read the "
                "file with layout='wide' (and no timepoint/score columns) or drop them.",
                DataQualityWarning,
                stacklevel=3,  # the caller of read_sessions
            )
    content = table.loc[~blank_row] if blank_row.any() else table
    long, header_fc, merged_pos = to_long(
        content, layout, registry, cmap.measures, cmap.timepoints, raw.header_row, raw.name
    )
    del content, table  # only `long` is needed from here on: let the export go
    raw.table = pd.DataFrame()
    bar.update()
    bar.set_postfix_str("checking", refresh=False)
    # _src indexes `content`; translate to positions in `table` and to file rows
    content_pos = np.flatnonzero(~blank_row)
    merged = np.zeros(n_read, dtype=bool)
    merged[content_pos[merged_pos]] = True
    src = content_pos[long["_src"].to_numpy()]
    long = long.drop(columns="_src").reset_index(drop=True)
    long["_row"] = raw.rows[src]
    # the export's spelling of each condition, unless the column holds identifying text
    labels = (
        condition_spellings(long["condition"]) if "condition" in long and "condition" not in flagged else {}
    )
    typed, fc, declared = check_sessions(
        long,
        instruments=registry,
        na_values=nas,
        decimal_comma=bool(raw.details.get("decimal_comma")),
        file=raw.name,
        identifying=("client_id", *flagged),
        sort=True,
        decode_categories=coded,
    )
    cut_row = raw.details.get("cut_row")
    if cut_row is not None:  # the file ends inside its last row: never read as if it were whole
        at = np.flatnonzero(long["_row"].to_numpy() == cut_row)
        message = (
            f"the last row has {raw.details['cut_row_cells']} of the header's {raw.details['header_cells']} "
            "cells and the file ends without a line break: the export was probably cut off"
        )
        cut_fc = pd.DataFrame(
            {
                "file": raw.name,
                "row": cut_row,
                "column": None,
                "value": None,
                "check": "cut_row",
                "message": message,
                "index": long.index.to_numpy()[at],
            }
        )
        fc = pd.concat([cut_fc, fc], ignore_index=True) if len(fc) else cut_fc
        typed = typed.drop(index=long.index[at], errors="ignore")
    bar.update()
    bar.set_postfix_str("flow", refresh=False)
    header_fc = pd.concat(
        [f for f in (forms.failures, header_fc) if len(f)] or [header_fc], ignore_index=True
    )
    if len(header_fc):
        fc = pd.concat([header_fc.assign(index=-1), fc], ignore_index=True)
    fc = hide_values(fc, flagged)
    # a missing required column cannot be excluded row by row: it stops the read in either mode
    if len(fc) and (errors == "raise" or (fc["check"] == "missing_column").any()):
        raise SchemaError(failure_message(fc, file=raw.name), failure_cases=fc.drop(columns="index"))

    # status of every score (long row): kept, declared missing, or its first failing check
    status = pd.Series("kept", index=long.index, dtype=object)
    status[declared.to_numpy()] = "declared_missing"
    status[(declared & is_blank(long["score"])).to_numpy()] = "blank"
    if len(fc):
        row_fc = fc[fc["index"] >= 0].drop_duplicates("index")
        status.loc[row_fc["index"].to_numpy()] = row_fc["check"].to_numpy()
    score_excl = status[status != "kept"].map(REASON_TEXT).value_counts()

    # status of every source row
    per_row = pd.DataFrame({"src": src, "kept": (status == "kept").to_numpy(), "status": status.to_numpy()})
    any_kept = per_row.groupby("src")["kept"].any()
    row_reason = pd.Series("", index=np.arange(n_read), dtype=object)
    row_reason[blank_row] = "blank row"
    in_long = np.zeros(n_read, dtype=bool)
    in_long[any_kept.index.to_numpy()] = True
    merged &= ~in_long  # a record-level row holding scores is counted by its scores
    row_reason[merged] = "REDCap record-level row (its fields were copied into the record's sessions)"
    row_reason[~blank_row & ~merged & ~in_long] = "no score recorded in the row"
    row_reason[~blank_row & ~merged & ~in_long & forms.unscored] = (
        "only a questionnaire form that could not be scored (see the forms)"
    )
    dropped = any_kept[~any_kept].index.to_numpy()
    if len(dropped):
        first = (
            per_row[per_row["src"].isin(dropped)]
            .groupby("src")["status"]
            .agg(
                lambda s: (
                    "no score recorded in the row"  # as a row of blank cells in any other layout
                    if (s == "blank").all()
                    else REASON_TEXT.get(s.iloc[0], s.iloc[0])
                    if s.nunique() == 1
                    else "every score excluded (several problems)"
                )
            )
        )
        row_reason[first.index.to_numpy()] = first.to_numpy()
    kept_rows = int(any_kept.sum())
    row_excl = row_reason[row_reason != ""].value_counts()
    flow = flow_table(n_read, row_excl, kept_rows, len(long), score_excl, len(typed), forms.flow)
    if int(flow.loc[(flow.unit == "rows") & (flow.step != "read"), "count"].sum()) != n_read:
        raise RuntimeError("internal error: the flow does not account for every row")  # pragma: no cover

    frame = _mask_flagged(typed.reset_index(drop=True), findings)
    provenance = {
        "file": raw.name,
        "sha256": raw.sha256,
        "rows_read": n_read,
        "read_at": _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
        "package_version": __version__,
        "layout": layout,
        "layout_reason": reason,
        **raw.details,
    }
    if nas:
        provenance["na_values"] = list(nas)
    if forms.scored:
        provenance["questionnaires_scored"] = dict(forms.scored)
    if allow_identifiers is not None:
        provenance["privacy_override"] = allow_identifiers.strip()
        provenance["privacy_findings"] = [
            {"column": origin.get(str(c), str(c)), "read_as": str(c), "reason": str(r)}
            for c, r in zip(findings["column"], findings["reason"], strict=True)
        ]
    failures = fc.drop(columns="index") if len(fc) else fc
    bar.update()
    return SessionData(
        frame=frame,
        flow=flow,
        provenance=provenance,
        failure_cases=failures,
        registry=registry,
        column_map=cmap,
        condition_labels=_kept(labels, frame),
    )


def _forms(
    table: pd.DataFrame, layout: str, registry: InstrumentRegistry, raw: RawTable, origin: dict
) -> ScoredForms:
    """Questionnaires exported as items, scored (rows are sessions: wide and REDCap exports only)."""
    cols = [str(c) for c in table.columns]
    found = find_forms(cols)
    if found and (layout in ("long", "prepost") or (layout == "auto" and rows_are_scores(cols))):
        named = [origin.get(c, c) for items in found.values() for c in items.values()]
        failures = pd.DataFrame(
            {
                "file": raw.name,
                "row": raw.header_row,
                "column": named[0],
                "value": None,
                "check": "items_in_long_file",
                "message": f"questionnaire item columns ({', '.join(named[:4])}"
                f"{' ...' if len(named) > 4 else ''}) "
                "in a file with one row per score: a form's items need a row of their own",
            },
            index=[0],
        )
        return ScoredForms(table=table, failures=failures, unscored=np.zeros(len(table), dtype=bool))
    return score_forms(table, registry, rows=raw.rows, file=raw.name, labels=origin)


#: How a value of a flagged column is shown once it is masked: ``[name 1]``, ``[phone 2]`` ...
_KIND_WORDS = {
    "person_name": "name",
    "email": "e-mail",
    "phone": "phone",
    "ssn": "national id",
    "address": "address",
    "city": "place",
    "zip": "ZIP",
    "record_number": "record number",
    "url": "web address",
    "ip": "IP address",
    "device": "device id",
    "license": "licence",
    "photo": "photo",
    "birth_date": "birth date",
    "date": "date",
    "month": "month",
    "age_over_89": "age",
    "free_text": "note",
    "header": "column",
}


def _mask_flagged(frame: pd.DataFrame, findings: pd.DataFrame) -> pd.DataFrame:
    """Under ``allow_identifiers``, each value of a flagged attribute column (a name in the condition
    column, a phone number in a site column) becomes its kind and a number (``[name 1]``), so that
    no flagged value reaches a summary, a figure, a report or a grant output; the rows stay
    analysable and grouped as before. Client ids are never shown, so they stay as they are."""
    if not len(findings):
        return frame
    for column, sub in findings.groupby("column", sort=False):
        col = str(column)
        if col not in frame.columns or col in ("client_id", "session", "timepoint", "measure", "score"):
            continue
        word = _KIND_WORDS.get(str(sub["check"].iloc[0]), "value")
        values = frame[col]
        if col == "condition":  # masked per condition: the package's known conditions stay
            parts = pd.unique(split_conditions(values).astype(str))
            unknown = [p for p in parts if p not in CONDITIONS]
            names = {p: f"[{word} {i + 1}]" for i, p in enumerate(unknown)}
            distinct = {
                v: ";".join(dict.fromkeys(names.get(p, p) for p in str(v).split(";")))
                for v in pd.unique(values)
            }
            frame[col] = values.map(distinct)  # worked once per distinct value
            continue
        codes, uniques = pd.factorize(values)
        masked = np.array([f"[{word} {i + 1}]" for i in range(len(uniques))] + [None], dtype=object)
        frame[col] = masked[np.where(codes >= 0, codes, len(uniques))]
    return frame


def _kept(labels: dict[str, str], frame: pd.DataFrame) -> dict[str, str]:
    """The spellings of the conditions left to analyse (none of a row that was excluded)."""
    if not labels or "condition" not in frame or frame.empty:
        return {}
    keys = set(pd.unique(split_conditions(frame["condition"]).astype(str)))
    return {k: v for k, v in labels.items() if k in keys}
