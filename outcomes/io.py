"""Reading practice exports into the canonical table.

This is the only module that reads user files. :func:`read_sessions` accepts
the layouts practices really export (long, one row per session x measure with
``pre``/``post``/``followup`` columns, wide, REDCap flat exports) as CSV, TSV,
Excel or Parquet, or a DataFrame already in memory, maps the practice's column
names onto the data contract, validates everything at once and returns a
:class:`SessionData`: the canonical frame, the flow of every source row, and
the provenance of the file.
"""

from __future__ import annotations

import csv
import datetime as _dt
import glob
import hashlib
import html
import io as _io
import re
import tomllib
import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ._progress import progress_bar
from .errors import DataQualityWarning, ReadError, SchemaError
from .instruments import InstrumentRegistry, default_registry, load_instruments, normalize_key
from .privacy import _screen
from .schema import CANONICAL_COLUMNS, CHECKS, TIMEPOINT_ALIASES, _per_value, check_sessions, failure_message

__all__ = ["LAYOUTS", "ColumnMap", "SessionData", "read_column_map", "read_sessions"]

LAYOUTS = ("long", "prepost", "wide", "redcap")
_LAYOUT_SIGNATURES = {
    "long": "columns 'timepoint' and 'score' (one row per score)",
    "prepost": "a 'measure' column and 'pre' / 'post' / 'followup' columns (one row per session x measure)",
    "wide": "columns like 'pain_nrs_pre', 'pain_nrs_post' (one row per session)",
    "redcap": "REDCap's 'record_id' and 'redcap_event_name' columns",
}
_TEXT_SUFFIXES = {".csv": None, ".txt": None, ".tsv": "\t", ".tab": "\t"}
_EXCEL_SUFFIXES = {".xlsx", ".xlsm"}
_PARQUET_SUFFIXES = {".parquet", ".pq"}
# one table of timepoint names for every layout: long values, pre/post columns, wide suffixes
_TP_FROM_SUFFIX = dict(TIMEPOINT_ALIASES)
_WIDE_SUFFIX = re.compile(
    r"^(?P<measure>.+?)_(?P<tp>" + "|".join(sorted(_TP_FROM_SUFFIX, key=len, reverse=True)) + r")$"
)
_REDCAP_COLUMNS = ("redcap_event_name", "redcap_repeat_instrument", "redcap_repeat_instance")


# ---------------------------------------------------------------------------------------
# Column mapping
# ---------------------------------------------------------------------------------------
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
            problems.append(f"layout must be one of auto, {', '.join(LAYOUTS)} (got {layout!r})")
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


# ---------------------------------------------------------------------------------------
# Loading raw tables
# ---------------------------------------------------------------------------------------
@dataclass
class _Raw:
    table: pd.DataFrame  # all columns as read, header not normalised
    rows: np.ndarray  # row number a person sees, per table row
    name: str
    sha256: str | None
    header_row: int | None
    details: dict[str, Any]
    coded: frozenset[str] = frozenset()  # source columns the reader read as Categoricals of text


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


_BLOCK = 1 << 20  # bytes read at a time when hashing and checking an encoding


def _scan_text_file(path: Path) -> tuple[str, str, str, bool]:
    """One streaming pass over a text export: its SHA-256 and the encoding it decodes with.

    Returns ``(sha256, codec, encoding name for provenance, has_content)``. The
    file is read in blocks: neither its bytes nor its text are held whole.
    Candidates are tried in order (UTF-16 with a byte-order mark, UTF-8 with or
    without one, Windows-1252); Latin-1 decodes any bytes and is the last resort.
    """
    import codecs

    digest = hashlib.sha256()
    content = bom = False
    decoders: dict[str, Any] | None = None
    with path.open("rb") as fh:
        while block := fh.read(_BLOCK):
            if decoders is None:
                names = ["utf-16"] if block.startswith((b"\xff\xfe", b"\xfe\xff")) else []
                decoders = {n: codecs.getincrementaldecoder(n)() for n in [*names, "utf-8-sig", "cp1252"]}
                bom = block.startswith(b"\xef\xbb\xbf")
            digest.update(block)
            content = content or bool(block.strip())
            for name in list(decoders):
                try:
                    decoders[name].decode(block)
                except UnicodeDecodeError:
                    del decoders[name]
    if decoders is None:  # an empty file
        return digest.hexdigest(), "utf-8", "utf-8", False
    for name, dec in decoders.items():
        try:
            dec.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        shown = "utf-8" if name == "utf-8-sig" and not bom else name
        return digest.hexdigest(), name, shown, content
    return digest.hexdigest(), "latin-1", "latin-1", content


def _looks_binary(data: bytes) -> bool:
    head = data[:8192]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        # UTF-16 text with its byte-order mark (Excel's "Unicode Text"): every other byte of
        # plain text is zero, so judge the characters, not the bytes
        chars = [ord(c) for c in head[: len(head) // 2 * 2].decode("utf-16", errors="replace")]
    else:
        chars = list(head)
    if 0 in chars:
        return True
    control = sum(1 for c in chars if c < 9 or 13 < c < 32)
    return len(chars) > 0 and control / len(chars) > 0.05


def _sniff_separator(header_line: str, default: str | None) -> str:
    if default is not None:
        return default
    counts = {sep: header_line.count(sep) for sep in (",", ";", "\t", "|")}
    best = max(counts, key=lambda k: counts[k])
    return best if counts[best] > 0 else ","


def _preamble(path: Path, codec: str) -> tuple[int, str | None]:
    """Comment (``#``) and blank lines before the header, and the header line itself."""
    n_pre = 0
    with path.open(encoding=codec, newline="") as fh:
        for line in fh:
            if line.lstrip().startswith("#") or not line.strip():
                n_pre += 1
                continue
            return n_pre, line
    return n_pre, None


def _body(path: Path, codec: str, n_pre: int) -> Any:
    """The file as text, positioned at its header line (pandas reads it from there, in chunks)."""
    fh = path.open(encoding=codec, newline="")
    for _ in range(n_pre):
        fh.readline()
    return fh


def _read_text_table(path: Path, sep_default: str | None) -> _Raw:
    name = path.name
    sha, codec, encoding, content = _scan_text_file(path)
    if not content:
        raise ReadError(f"{name} is empty (0 data bytes). Export the data again.")
    n_pre, header_line = _preamble(path, codec)
    if header_line is None:
        raise ReadError(f"{name} has no header line: the file is empty or holds only comments.")
    sep = _sniff_separator(header_line, sep_default)
    # every cell as text, coded per column (a Categorical): a code per row instead of a string per
    # row while the export is checked; the canonical table gets strings again
    kwargs: dict[str, Any] = dict(
        sep=sep, dtype="category", keep_default_na=False, skip_blank_lines=False, quotechar='"'
    )
    try:
        with _body(path, codec, n_pre) as fh:
            table = pd.read_csv(fh, **kwargs)
    except pd.errors.ParserError:
        bad: list[str] = []

        def collect(fields: list[str]) -> None:
            bad.append(str(len(fields)))
            return None

        try:
            with _body(path, codec, n_pre) as fh:
                pd.read_csv(fh, engine="python", on_bad_lines=collect, **kwargs)
        except Exception:
            pass
        n_header = len(next(csv.reader([header_line], delimiter=sep)))
        raise ReadError(
            f"{name}: {len(bad) or 'some'} row(s) have more cells than the header's {n_header} "
            f"(separator {sep!r}). A cell probably contains the separator without quotes; "
            "re-export with quoted text or another separator."
        ) from None
    except pd.errors.EmptyDataError:
        raise ReadError(f"{name} has no header line: the file is empty.") from None
    # pandas renames a repeated header to "score.1", which would then be read as an attribute:
    # the file's own header decides
    header = [h.strip() for h in next(csv.reader([header_line.rstrip("\r\n")], delimiter=sep))]
    repeated = sorted({h for h in header if h and header.count(h) > 1})
    if repeated:
        fc = pd.DataFrame(
            {
                "file": name,
                "row": n_pre + 1,
                "column": repeated,
                "value": None,
                "check": "duplicate_column",
                "message": [f"column {h!r} appears more than once in the header" for h in repeated],
            }
        )
        raise SchemaError(failure_message(fc, file=name, what="the header"), failure_cases=fc)
    # line numbers: header is line n_pre + 1; table row i is line n_pre + 2 + i
    # (exact unless a quoted cell spans several lines).
    rows = np.arange(len(table), dtype="int64") + n_pre + 2
    decimal_comma = sep != "," and _has_decimal_commas(table)
    return _Raw(
        table,
        rows,
        name,
        sha,
        n_pre + 1,
        {
            "format": "tsv" if sep == "\t" else "csv",
            "encoding": encoding,
            "separator": sep,
            "decimal_comma": decimal_comma,
            "comment_lines": n_pre,
        },
        coded=frozenset(str(c) for c in table.columns),
    )


_DECIMAL_COMMA = re.compile(r"^-?\d+,\d+$")


def _has_decimal_commas(table: pd.DataFrame) -> bool:
    for col in table.columns:
        s = pd.Series(pd.unique(table[col])).astype("str")
        if s.str.match(_DECIMAL_COMMA).any():
            return True
    return False


def _read_excel_table(path: Path, data: bytes) -> _Raw:
    try:
        grid = pd.read_excel(
            _io.BytesIO(data), sheet_name=0, header=None, dtype=str, keep_default_na=False, engine="openpyxl"
        )
    except ImportError:
        raise ReadError("Reading Excel files needs openpyxl: pip install openpyxl.") from None
    except Exception as exc:
        raise ReadError(
            f"{path.name} could not be opened as an Excel workbook ({type(exc).__name__}). "
            "Save it again from Excel as .xlsx, or export it as CSV."
        ) from None
    grid = grid.fillna("")
    first = 0
    while first < len(grid):
        cells = [str(c).strip() for c in grid.iloc[first]]
        if any(cells) and not cells[0].startswith("#"):
            break
        first += 1
    if first >= len(grid):
        raise ReadError(f"{path.name}: the first sheet is empty.")
    header = [str(c).strip() for c in grid.iloc[first]]
    table = grid.iloc[first + 1 :].copy()
    table.columns = _dedupe_blank_headers(header)
    table = table.reset_index(drop=True)
    rows = np.arange(len(table), dtype="int64") + first + 2
    return _Raw(table, rows, path.name, _sha256(data), first + 1, {"format": "xlsx", "sheet": 0})


def _dedupe_blank_headers(header: list[str]) -> list[str]:
    return [h if h else f"Unnamed: {i}" for i, h in enumerate(header)]


def _read_parquet_table(path: Path, data: bytes) -> _Raw:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq

        # text columns arrive dictionary-encoded (pandas Categoricals): a code per row instead of
        # a string per row while the export is checked; the canonical table gets strings again
        schema = pq.read_schema(_io.BytesIO(data))
        text = [f.name for f in schema if pa.types.is_string(f.type) or pa.types.is_large_string(f.type)]
        table = pq.read_table(_io.BytesIO(data), read_dictionary=text).to_pandas()
    except ImportError:
        raise ReadError("Reading Parquet files needs pyarrow: pip install pyarrow.") from None
    except Exception as exc:
        raise ReadError(f"{path.name} could not be read as Parquet ({type(exc).__name__}).") from None
    table = table.reset_index(drop=True)
    return _Raw(
        table,
        np.arange(len(table), dtype="int64") + 1,
        path.name,
        _sha256(data),
        None,
        {"format": "parquet"},
        coded=frozenset(text),
    )


def _read_parquet_folder(files: list[Path], label: str, keep: Any) -> _Raw:
    """Many Parquet files (one per site) as one table, reading only the columns ``keep`` accepts.

    Uses pyarrow datasets: schemas are unified across files, and a column is
    read only if ``keep(name)`` is true. Each row carries its file (``_file``)
    and a ``site`` (the file name without extension) when the file has none.
    """
    try:
        import pyarrow as pa
        import pyarrow.dataset as pads
        import pyarrow.parquet as pq
    except ImportError:
        raise ReadError("Reading Parquet files needs pyarrow: pip install pyarrow.") from None
    parts, rows, listing = [], [], []
    digest = hashlib.sha256()
    for f in files:
        data = f.read_bytes()
        if not data.startswith(b"PAR1"):
            raise ReadError(f"{f.name} in {label} is not a Parquet file (wrong content for its extension).")
        try:
            names = pq.read_schema(f).names
            wanted = [n for n in names if keep(n)]
            table = pads.dataset(str(f), format="parquet").to_table(columns=wanted).to_pandas()
        except (pa.ArrowException, OSError) as exc:
            raise ReadError(
                f"{f.name} in {label} could not be read as Parquet ({type(exc).__name__})."
            ) from None
        if "site" not in {normalize_key(c) for c in table.columns}:
            table["site"] = f.stem
        table["_file"] = f.name
        parts.append(table)
        rows.append(np.arange(len(table), dtype="int64") + 1)
        sha = _sha256(data)
        digest.update(sha.encode())
        listing.append({"file": f.name, "sha256": sha, "rows": len(table)})
    table = pd.concat(parts, ignore_index=True)
    return _Raw(
        table,
        np.concatenate(rows),
        label,
        digest.hexdigest(),
        None,
        {"format": "parquet folder", "files": listing},
    )


def _parquet_files(source: str | Path) -> tuple[list[Path], str] | None:
    """The Parquet files of a folder or glob pattern, or None when ``source`` is one file."""
    text = str(source)
    if any(ch in text for ch in "*?["):
        files, label = sorted(Path(p) for p in glob.glob(text)), text
    elif Path(text).is_dir():
        files = sorted([*Path(text).glob("*.parquet"), *Path(text).glob("*.pq")])
        label = Path(text).name + "/"
    else:
        return None
    files = [f for f in files if f.is_file() and f.suffix.lower() in _PARQUET_SUFFIXES]
    if not files:
        raise ReadError(
            f"No Parquet files (*.parquet) found in {text}. A folder of site exports must hold one "
            "Parquet file per site."
        )
    return files, label


def _column_filter(cmap: ColumnMap, registry: InstrumentRegistry, attributes: Sequence[str] | None) -> Any:
    """Which source columns a read needs: the contract, layout and score columns, and ``attributes``.

    Decided from column names alone, so that a folder of Parquet files is read
    only for these columns. ``attributes=None`` keeps every column.
    """
    if attributes is None:
        return lambda name: True
    wanted = {normalize_key(a) for a in attributes} | {"site"}
    mapping = {normalize_key(k): v for k, v in cmap.columns.items()}
    structural = {*CANONICAL_COLUMNS, "record_id", *_REDCAP_COLUMNS, *TIMEPOINT_ALIASES, "_file"}

    def keep(name: str) -> bool:
        target = "_file" if name == "_file" else mapping.get(normalize_key(name), normalize_key(name))
        if target in structural or target in wanted:
            return True
        match = _WIDE_SUFFIX.match(target)
        return bool(match and registry.resolve(match.group("measure")) is not None)

    return keep


def _load(source: Any, keep: Any = None) -> _Raw:
    if isinstance(source, pd.DataFrame):
        hashed = pd.util.hash_pandas_object(source, index=True).to_numpy().tobytes()
        return _Raw(
            source.reset_index(drop=True),
            np.arange(len(source), dtype="int64"),  # positions: index labels may be client ids
            "<DataFrame>",
            _sha256(hashed),
            None,
            {"format": "DataFrame"},
        )
    if not isinstance(source, (str, Path)):
        raise TypeError(f"source must be a path or a DataFrame, not {type(source).__name__}")
    many = _parquet_files(source)
    if many is not None:
        return _read_parquet_folder(many[0], many[1], keep or (lambda name: True))
    path = Path(source)
    if not path.exists():
        raise ReadError(f"File {path.name!r} not found at {path}. Check the path.")
    suffix = path.suffix.lower()
    known = sorted({*_TEXT_SUFFIXES, *_EXCEL_SUFFIXES, *_PARQUET_SUFFIXES})
    if suffix == ".xls":
        raise ReadError(f"{path.name} is an old .xls workbook; save it as .xlsx or export it as CSV.")
    if suffix not in known:
        raise ReadError(
            f"{path.name}: files of type {suffix or '(no extension)'!r} cannot be read. "
            f"Export your data as one of {', '.join(known)}."
        )
    try:
        if suffix in _TEXT_SUFFIXES:  # read in a stream: a text export may be large
            with path.open("rb") as fh:
                head = fh.read(8192)
            if _looks_binary(head):
                raise ReadError(
                    f"{path.name} looks like a binary file, not text {suffix}. If it is a spreadsheet, "
                    "save it with the right extension (.xlsx) or export it as CSV."
                )
            return _read_text_table(path, _TEXT_SUFFIXES[suffix])
        data = path.read_bytes()
    except OSError as exc:
        raise ReadError(f"{path.name} could not be read: {exc.strerror}.") from None
    if not data.strip():
        raise ReadError(f"{path.name} is empty (0 data bytes). Export the data again.")
    if suffix in _EXCEL_SUFFIXES:
        if not data.startswith(b"PK"):
            raise ReadError(f"{path.name} is not an Excel .xlsx workbook (wrong content for its extension).")
        return _read_excel_table(path, data)
    # Parquet: the only kind left
    if not data.startswith(b"PAR1"):
        raise ReadError(f"{path.name} is not a Parquet file (wrong content for its extension).")
    return _read_parquet_table(path, data)


# ---------------------------------------------------------------------------------------
# Header normalisation, mapping, layout detection
# ---------------------------------------------------------------------------------------
def _blank_columns(table: pd.DataFrame) -> list[Any]:
    out = []
    for col in table.columns:
        if str(col).startswith("Unnamed: ") or str(col).strip() == "":
            s = table[col]
            if s.isna().all() or (s.astype("str").str.strip().where(s.notna(), "") == "").all():
                out.append(col)
    return out


def _apply_mapping(raw: _Raw, cmap: ColumnMap, header_row: int | None) -> tuple[pd.DataFrame, dict[str, str]]:
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
    dropped = _blank_columns(table)
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


def _wide_columns(
    columns: Iterable[str], registry: InstrumentRegistry
) -> tuple[dict[str, tuple[str, str]], list[str]]:
    """Columns like ``pain_nrs_pre``: ``{column: (measure key, timepoint)}`` and unresolved names."""
    found: dict[str, tuple[str, str]] = {}
    unknown: list[str] = []
    for col in columns:
        m = _WIDE_SUFFIX.match(col)
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


def _detect_layout(columns: list[str], registry: InstrumentRegistry) -> tuple[str, str]:
    cols = set(columns)
    wide, _ = _wide_columns(columns, registry)
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


# ---------------------------------------------------------------------------------------
# Reshaping every layout to long
# ---------------------------------------------------------------------------------------
def _is_blank(s: pd.Series) -> pd.Series:
    if pd.api.types.is_numeric_dtype(s):
        return s.isna()
    return _per_value(s, lambda u: u.isna() | (u.astype("str").str.strip() == ""))


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
        present = ~_is_blank(vals).to_numpy()
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


def _to_long(
    table: pd.DataFrame,
    layout: str,
    registry: InstrumentRegistry,
    cmap: ColumnMap,
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
        wide, unknown = _wide_columns(list(table.columns), registry)
        if layout == "redcap":
            table, merged = _redcap_sessions(table, values={*wide, *unknown})
        for col in unknown:
            match = _WIDE_SUFFIX.match(col)
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
    if cmap.measures and "measure" in long.columns:
        lookup = {normalize_key(k): v for k, v in cmap.measures.items()}
        long["measure"] = _per_value(
            long["measure"], lambda u: u.astype("str").map(lambda v: lookup.get(normalize_key(v), v))
        )
    if cmap.timepoints and "timepoint" in long.columns:
        tp_lookup = {normalize_key(k): v for k, v in cmap.timepoints.items()}
        long["timepoint"] = _per_value(
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
    event = table["redcap_event_name"].astype("str").str.strip()
    session = inst.astype("str").str.strip().where(~_is_blank(inst), "")
    from_event = event.str.extract(r"(?<!arm_)(?<!\d)(\d+)(?:_arm_\d+)?$", expand=False).fillna("")
    from_event = from_event.where(~event.str.match(r"^(intake|baseline|enrol|screen)", case=False), "")
    session = session.where(session != "", from_event)
    if "session" in table.columns:
        session = table["session"].astype("str").where(~_is_blank(table["session"]), session)
    is_record = (_is_blank(rep) & (session == "")).to_numpy()
    record_id = table["record_id"].astype("str").str.strip()
    skip = {"record_id", "session", "_src", *_REDCAP_COLUMNS, *values}
    fields = [c for c in table.columns if c not in skip]
    for col in fields:
        rec_vals = table.loc[is_record, col]
        rec_vals = rec_vals[~_is_blank(rec_vals)]
        if rec_vals.empty:
            continue
        per_record = rec_vals.groupby(record_id[is_record].loc[rec_vals.index]).first()
        fill = record_id.map(per_record)
        table[col] = table[col].where(~_is_blank(table[col]), fill)
    table["client_id"] = table["record_id"]
    table["session"] = session
    out = table.drop(columns=[c for c in ("record_id", *_REDCAP_COLUMNS) if c in table.columns])
    return out, is_record


# ---------------------------------------------------------------------------------------
# The result object
# ---------------------------------------------------------------------------------------
@dataclass
class SessionData:
    """What :func:`read_sessions` returns.

    Attributes
    ----------
    frame : DataFrame
        The canonical long table (see :mod:`outcomes.schema`).
    flow : DataFrame
        Ledger of every source row and every score cell, columns
        ``unit`` (``rows`` or ``scores``), ``step`` (``read``, ``excluded``,
        ``kept``), ``reason`` and ``count``. For rows, read = kept + excluded
        always; for scores, found = kept + excluded.
    provenance : dict
        ``file``, ``sha256``, ``rows_read``, ``read_at`` (UTC, ISO 8601),
        ``package_version``, ``layout``, ``layout_reason`` and format details;
        when read with ``allow_identifiers``, also ``privacy_override`` (the
        reason) and ``privacy_findings`` (flagged columns and why, no values).
    failure_cases : DataFrame
        Problems that were excluded with ``errors="exclude"`` (empty otherwise).
    """

    frame: pd.DataFrame
    flow: pd.DataFrame
    provenance: dict[str, Any]
    failure_cases: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def layout(self) -> str:
        return str(self.provenance.get("layout"))

    def counts(self, by: str = "condition") -> pd.DataFrame:
        """Clients, sessions and scores per group (a client with two conditions counts in each)."""
        from .schema import split_conditions

        f = self.frame
        if by == "condition":
            cond = split_conditions(f["condition"])
            f = f.loc[cond.index].assign(condition=cond.to_numpy())
        g = f.groupby(by, observed=True, sort=True)
        out = pd.DataFrame(
            {
                "clients": g["client_id"].nunique(),
                "sessions": g[["client_id", "session"]].apply(lambda d: len(d.drop_duplicates())),
                "scores": g.size(),
                "measures": g["measure"].nunique(),
            }
        ).reset_index()
        return out

    def flow_text(self) -> str:
        """The flow as aligned text lines (for the command line)."""
        lines = []
        for unit in ("rows", "scores"):
            sub = self.flow[self.flow["unit"] == unit]
            for _, r in sub.iterrows():
                indent = "    " if r["step"] == "excluded" else ""
                label = f"{indent}{r['reason']}"
                lines.append(f"{label:<72} {int(r['count']):>9,}")
            lines.append("")
        return "\n".join(lines).rstrip()

    def __repr__(self) -> str:
        p = self.provenance
        return (
            f"SessionData({p.get('file')}: layout {p.get('layout')}, {p.get('rows_read'):,} rows read, "
            f"{len(self.frame):,} scores from {_plural(self.frame['client_id'].nunique(), 'client')})"
        )

    def _repr_html_(self) -> str:
        p = self.provenance
        prov = "".join(
            f"<tr><th style='text-align:left'>{html.escape(str(k))}</th><td style='text-align:left'>"
            f"{html.escape(str(v))}</td></tr>"
            for k, v in p.items()
        )
        flow = self.flow.to_html(index=False, border=0)
        return (
            f"<div><strong>outcomes.SessionData</strong>: {len(self.frame):,} scores, "
            f"{self.frame['client_id'].nunique():,} clients, layout <code>{html.escape(self.layout)}</code>"
            f"<details open><summary>Flow</summary>{flow}</details>"
            f"<details><summary>Provenance</summary><table>{prov}</table></details></div>"
        )


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def _flow_table(
    n_read: int,
    row_reasons: pd.Series,
    n_rows_kept: int,
    n_found: int,
    score_reasons: pd.Series,
    n_scores_kept: int,
) -> pd.DataFrame:
    recs: list[tuple[str, str, str, int]] = [("rows", "read", "rows read", n_read)]
    recs += [("rows", "excluded", str(r), int(c)) for r, c in row_reasons.items()]
    recs.append(("rows", "kept", "rows kept (at least one score in the table)", n_rows_kept))
    recs.append(("scores", "read", "scores found", n_found))
    recs += [("scores", "excluded", str(r), int(c)) for r, c in score_reasons.items()]
    recs.append(("scores", "kept", "scores in the table", n_scores_kept))
    flow = pd.DataFrame(recs, columns=["unit", "step", "reason", "count"])
    flow["count"] = flow["count"].astype("int64")
    return flow


def _hide_values(fc: pd.DataFrame, columns: Iterable[str]) -> pd.DataFrame:
    """Blank the value, and any message that could quote it, of failures in identifying columns."""
    mask = fc["column"].isin(list(columns)).to_numpy() if len(fc) else np.zeros(0, dtype=bool)
    if not mask.any():
        return fc
    fc = fc.copy()
    fc.loc[mask, "value"] = None
    fc.loc[mask, "message"] = [
        f"{str(c).replace('_', ' ')} (value not shown: the column holds identifiers)"
        for c in fc.loc[mask, "check"]
    ]
    return fc


_REASON_TEXT = {
    "declared_missing": "score recorded as missing (na_values)",
    **{k: f"invalid: {k.replace('_', ' ')}" for k in CHECKS},
}


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
) -> SessionData:
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
        ``failure_cases`` or messages.
    progress : bool or None, default None
        Show a progress bar over the steps of the read (reading, reshaping,
        checking, the flow). ``None``: only in a notebook or terminal, and only
        once the read has run for a second; silent in tests, CI and pipes (see
        :func:`outcomes.set_progress`).

    Returns
    -------
    SessionData
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
    if layout not in ("auto", *LAYOUTS):
        raise ValueError(f"layout must be one of auto, {', '.join(LAYOUTS)} (got {layout!r})")
    if errors not in ("raise", "exclude"):
        raise ValueError(f"errors must be 'raise' or 'exclude' (got {errors!r})")
    if isinstance(instruments, (str, Path)):
        registry = load_instruments(instruments)
    else:
        registry = instruments if instruments is not None else default_registry()
    cmap = ColumnMap.coerce(columns)
    nas = tuple(cmap.na_values) + tuple(str(v) for v in (na_values or ()))
    if layout == "auto" and cmap.layout:
        layout = cmap.layout

    keep = _column_filter(cmap, registry, attributes)
    with progress_bar(4, "read_sessions", unit="step", enabled=progress) as bar:
        bar.set_postfix_str("reading", refresh=False)
        raw = _load(source, keep)
        bar.update()
        return _read(raw, bar, layout, registry, cmap, nas, errors, allow_identifiers, attributes, keep)


def _read(
    raw: _Raw,
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
    from . import __version__

    if attributes is not None:  # the same selection for sources read whole (CSV, Excel, a DataFrame)
        raw.table = raw.table[[c for c in raw.table.columns if keep(str(c))]]
    table, origin = _apply_mapping(raw, cmap, raw.header_row)
    coded = {c for c in table.columns if origin.get(c, c) in raw.coded}
    findings, _ = _screen(table, file=raw.name, allow_identifiers=allow_identifiers, labels=origin)
    flagged = [str(c) for c in pd.unique(findings["column"])]
    n_read = len(table)
    if n_read == 0:
        raise ReadError(f"{raw.name} has a header but no data rows.")

    blank_row = np.ones(n_read, dtype=bool)
    for col in table.columns:
        blank_row &= _is_blank(table[col]).to_numpy()
    if blank_row.all():
        raise ReadError(f"{raw.name} has a header but no data rows (only {n_read:,} blank line(s)).")

    if layout == "auto":
        layout, reason = _detect_layout(list(table.columns), registry)
    else:
        reason = "given by the caller"
    if layout in ("long", "prepost"):
        stray, _ = _wide_columns(list(table.columns), registry)
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
    long, header_fc, merged_pos = _to_long(content, layout, registry, cmap, raw.header_row, raw.name)
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
    bar.update()
    bar.set_postfix_str("flow", refresh=False)
    if len(header_fc):
        fc = pd.concat([header_fc.assign(index=-1), fc], ignore_index=True)
    fc = _hide_values(fc, flagged)
    # a missing required column cannot be excluded row by row: it stops the read in either mode
    if len(fc) and (errors == "raise" or (fc["check"] == "missing_column").any()):
        raise SchemaError(failure_message(fc, file=raw.name), failure_cases=fc.drop(columns="index"))

    # status of every score (long row): kept, declared missing, or its first failing check
    status = pd.Series("kept", index=long.index, dtype=object)
    status[declared.to_numpy()] = "declared_missing"
    if len(fc):
        row_fc = fc[fc["index"] >= 0].drop_duplicates("index")
        status.loc[row_fc["index"].to_numpy()] = row_fc["check"].to_numpy()
    score_excl = status[status != "kept"].map(_REASON_TEXT).value_counts()

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
    dropped = any_kept[~any_kept].index.to_numpy()
    if len(dropped):
        first = (
            per_row[per_row["src"].isin(dropped)]
            .groupby("src")["status"]
            .agg(
                lambda s: (
                    _REASON_TEXT.get(s.iloc[0], s.iloc[0])
                    if s.nunique() == 1
                    else "every score excluded (several problems)"
                )
            )
        )
        row_reason[first.index.to_numpy()] = first.to_numpy()
    kept_rows = int(any_kept.sum())
    row_excl = row_reason[row_reason != ""].value_counts()
    flow = _flow_table(n_read, row_excl, kept_rows, len(long), score_excl, len(typed))
    if int(flow.loc[(flow.unit == "rows") & (flow.step != "read"), "count"].sum()) != n_read:
        raise RuntimeError("internal error: the flow does not account for every row")  # pragma: no cover

    frame = typed.reset_index(drop=True)
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
    if allow_identifiers is not None:
        provenance["privacy_override"] = allow_identifiers.strip()
        provenance["privacy_findings"] = [
            {"column": origin.get(str(c), str(c)), "read_as": str(c), "reason": str(r)}
            for c, r in zip(findings["column"], findings["reason"], strict=True)
        ]
    failures = fc.drop(columns="index") if len(fc) else fc
    bar.update()
    return SessionData(frame=frame, flow=flow, provenance=provenance, failure_cases=failures)
