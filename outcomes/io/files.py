"""Bytes to a raw table: CSV and TSV in any common encoding, Excel, Parquet, folders of site files.

Text is read as text (every cell a Categorical of strings while it is
checked); nothing is interpreted here except the file's structure: its
encoding, separator, comment lines before the header and repeated headers."""

from __future__ import annotations

import csv
import glob
import hashlib
import io as _io
import re
import warnings
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..errors import DataQualityWarning, ReadError, SchemaError
from ..instruments import normalize_key
from ..privacy import LONG_CELL
from ..schema import failure_message
from .wide import read_coded

_TEXT_SUFFIXES = {".csv": None, ".txt": None, ".tsv": "\t", ".tab": "\t"}


_EXCEL_SUFFIXES = {".xlsx", ".xlsm"}


_PARQUET_SUFFIXES = {".parquet", ".pq"}

#: Columns beyond which a text export is coded by :func:`~outcomes.io.wide.read_coded`.
WIDE_COLUMNS = 100

#: Values of a Parquet file's stored index looked at by the privacy scan.
SAMPLE_VALUES = 5_000


@dataclass
class RawTable:
    table: pd.DataFrame  # all columns as read, header not normalised
    rows: np.ndarray  # row number a person sees, per table row
    name: str
    sha256: str | None
    header_row: int | None
    details: dict[str, Any]
    coded: frozenset[str] = frozenset()  # source columns the reader read as Categoricals of text
    # text the reader saw but does not analyse, for the privacy scan: (where, text) pairs such as
    # ("comment line 2", "# exported by ...")
    unread: tuple[tuple[str, str], ...] = ()


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


_BLOCK = 1 << 20  # bytes read at a time when hashing and checking an encoding


#: A multi-byte UTF-8 character: its lead byte and continuation bytes.
_UTF8_CHAR = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


def _scan_text_file(path: Path) -> tuple[str, str, str, bool]:
    """One streaming pass over a text export: its SHA-256 and the encoding it decodes with.

    Returns ``(sha256, codec, encoding name for provenance, has_content)``. The
    file is read in blocks: neither its bytes nor its text are held whole.
    Candidates are tried in order (UTF-16 with a byte-order mark, UTF-8 with or
    without one, Windows-1252); Latin-1 decodes any bytes and is the last resort.

    Raises
    ------
    ReadError
        A NUL (zero) byte anywhere in a file that is not UTF-16, or a file that
        mixes encodings (UTF-8 characters and bytes that are not UTF-8): either
        would otherwise be decoded into other text without a word.
    """
    import codecs

    digest = hashlib.sha256()
    content = bom = utf16 = False
    decoders: dict[str, Any] | None = None
    lines = 0  # line breaks before the current block
    utf8_line: int | None = None  # first line with a multi-byte UTF-8 character
    not_utf8_line: int | None = None  # line of the first byte that is not UTF-8
    with path.open("rb") as fh:
        while block := fh.read(_BLOCK):
            if decoders is None:
                utf16 = block.startswith((b"\xff\xfe", b"\xfe\xff"))
                names = ["utf-16"] if utf16 else []
                decoders = {n: codecs.getincrementaldecoder(n)() for n in [*names, "utf-8-sig", "cp1252"]}
                bom = block.startswith(b"\xef\xbb\xbf")
            digest.update(block)
            content = content or bool(block.strip())
            if not utf16 and (nul := block.find(b"\x00")) >= 0:
                line = lines + block.count(b"\n", 0, nul) + 1
                raise ReadError(
                    f"{path.name} holds a NUL (zero) byte on line {line:,}: a text export never does, so "
                    "the file is damaged or not plain text. Export it again (outcomes does not guess what "
                    "the byte stood for)."
                )
            if utf8_line is None and not utf16 and (m := _UTF8_CHAR.search(block)):
                utf8_line = lines + block.count(b"\n", 0, m.start()) + 1
            for name in list(decoders):
                try:
                    decoders[name].decode(block)
                except UnicodeDecodeError as exc:
                    if name == "utf-8-sig" and not_utf8_line is None:
                        not_utf8_line = lines + block.count(b"\n", 0, max(exc.start, 0)) + 1
                    del decoders[name]
            lines += block.count(b"\n")
    if decoders is None:  # an empty file
        return digest.hexdigest(), "utf-8", "utf-8", False
    if not utf16 and utf8_line is not None and not_utf8_line is not None:
        raise ReadError(
            f"{path.name} mixes text encodings: line {utf8_line:,} has UTF-8 characters, line "
            f"{not_utf8_line:,} has bytes that are not UTF-8 (probably Windows-1252, e.g. pasted from "
            "another program). Read either way, some characters would be wrong. Open the file in a "
            "spreadsheet or editor, fix the garbled characters and save it again as UTF-8."
        )
    for name, dec in decoders.items():
        try:
            dec.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        shown = "utf-8" if name == "utf-8-sig" and not bom else name
        return digest.hexdigest(), name, shown, content
    return digest.hexdigest(), "latin-1", "latin-1", content


def _cut_last_row(
    path: Path, codec: str, sep: str, n_header: int, n_rows: int, first_row: int
) -> dict[str, Any]:
    """The last row, when the file ends in the middle of it: fewer cells than the header and no
    line break at the end (an export or a copy that stopped early). ``{}`` otherwise."""
    with path.open("rb") as fh:
        bom = fh.read(2)
        fh.seek(0, 2)
        size = fh.tell()
        fh.seek(max(0, size - 65536) // 2 * 2)  # an even offset: UTF-16 characters are two bytes
        tail = fh.read()
    if codec == "utf-16":  # a tail has no byte-order mark of its own: the file's tells the order
        codec = "utf-16-be" if bom == b"\xfe\xff" else "utf-16-le"
    text = tail.decode(codec, errors="replace")
    if not text or text.endswith(("\n", "\r")) or n_rows == 0:
        return {}
    lines = text.splitlines()
    last = lines[-1] if lines else ""
    if '"' in last:  # a quoted cell may span lines: the count of one line says nothing
        return {}
    try:
        cells = len(next(csv.reader([last], delimiter=sep), []))
    except csv.Error:  # pragma: no cover - splitlines leaves no line break for the reader to trip on
        return {}
    if cells >= n_header:
        return {}
    return {"cut_row": first_row + n_rows - 1, "cut_row_cells": cells, "header_cells": n_header}


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


def _preamble(path: Path, codec: str) -> tuple[int, str | None, list[tuple[str, str]]]:
    """Comment (``#``) and blank lines before the header, the header line itself, and the comment
    lines' text (for the privacy scan: an export tool may write who exported it)."""
    n_pre = 0
    comments: list[tuple[str, str]] = []
    with path.open(encoding=codec, newline="") as fh:
        for line in fh:
            if line.lstrip().startswith("#") or not line.strip():
                n_pre += 1
                if line.strip():
                    comments.append((f"comment line {n_pre}", line.strip()[:LONG_CELL]))
                continue
            return n_pre, line, comments
    return n_pre, None, comments


def _body(path: Path, codec: str, n_pre: int) -> Any:
    """The file as text, positioned at its header line (pandas reads it from there, in chunks)."""
    fh = path.open(encoding=codec, newline="")
    for _ in range(n_pre):
        fh.readline()
    return fh


def _read_text_table(path: Path, sep_default: str | None) -> RawTable:
    name = path.name
    sha, codec, encoding, content = _scan_text_file(path)
    if not content:
        raise ReadError(f"{name} is empty (0 data bytes). Export the data again.")
    n_pre, header_line, comments = _preamble(path, codec)
    if header_line is None:
        raise ReadError(f"{name} has no header line: the file is empty or holds only comments.")
    sep = _sniff_separator(header_line, sep_default)
    # every cell as text, coded per column (a Categorical): a code per row instead of a string per
    # row while the export is checked; the canonical table gets strings again
    kwargs: dict[str, Any] = dict(
        sep=sep, dtype="category", keep_default_na=False, skip_blank_lines=False, quotechar='"'
    )
    header = [h.strip() for h in next(csv.reader([header_line.rstrip("\r\n")], delimiter=sep))]
    try:
        if len(header) > WIDE_COLUMNS:  # pandas codes a column in about a millisecond: code them at once
            kw = {k: v for k, v in kwargs.items() if k != "dtype"}
            table = read_coded(lambda: _body(path, codec, n_pre), len(header), kw)
        else:
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
    times = Counter(header)  # linear in the columns (list.count per column is quadratic)
    repeated = sorted(h for h, n in times.items() if h and n > 1)
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
    cut = _cut_last_row(path, codec, sep, len(header), len(table), n_pre + 2)
    return RawTable(
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
            **cut,
        },
        coded=frozenset(str(c) for c in table.columns),
        unread=tuple(comments),
    )


_DECIMAL_COMMA = re.compile(r"^-?\d+,\d+$")


def _has_decimal_commas(table: pd.DataFrame) -> bool:
    for col in table.columns:
        s = pd.Series(pd.unique(table[col])).astype("str")
        if s.str.match(_DECIMAL_COMMA).any():
            return True
    return False


def _read_excel_table(path: Path, data: bytes) -> RawTable:
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
    # rows above the header (comments, titles) are seen by the privacy scan, not analysed
    above = [
        (f"comment line {i + 1}", " ".join(str(c) for c in grid.iloc[i] if str(c).strip())[:LONG_CELL])
        for i in range(first)
        if any(str(c).strip() for c in grid.iloc[i])
    ]
    details: dict[str, Any] = {"format": "xlsx", "sheet": 0, **_workbook_unread(path.name, data)}
    return RawTable(table, rows, path.name, _sha256(data), first + 1, details, unread=tuple(above))


def _workbook_unread(name: str, data: bytes) -> dict[str, int]:
    """What of a workbook the reader does not read: its other sheets and its cell comments, counted
    (never named: a sheet's name may be a person's) in a warning and in the provenance."""
    import zipfile

    try:
        with zipfile.ZipFile(_io.BytesIO(data)) as z:
            files = z.namelist()
            book = z.read("xl/workbook.xml").decode("utf-8", errors="replace")
    except (KeyError, zipfile.BadZipFile):  # pragma: no cover - pandas opened it already
        return {}
    sheets = len(re.findall(r"<(?:\w+:)?sheet\b", book))
    # Excel writes xl/comments1.xml, openpyxl xl/comments/comment1.xml; threaded comments apart
    comment = re.compile(r"xl/(?:comments/)?comments?\d*\.xml|xl/threadedComments/.+")
    comments = sum(1 for f in files if comment.fullmatch(f))
    out: dict[str, int] = {}
    parts = []
    if sheets > 1:
        out["sheets_not_read"] = sheets - 1
        parts.append(
            f"{sheets - 1} other sheet{'s' if sheets > 2 else ''} of the workbook (only the first is read)"
        )
    if comments:
        out["comment_parts_not_read"] = comments
        parts.append("its cell comments")
    if parts:
        warnings.warn(
            f"{name}: not read, nor checked for identifiers: {' and '.join(parts)}. If they hold data, "
            "export each sheet as a file of its own; keep nothing identifying in them.",
            DataQualityWarning,
            stacklevel=4,
        )
    return out


def _dedupe_blank_headers(header: list[str]) -> list[str]:
    return [h if h else f"Unnamed: {i}" for i, h in enumerate(header)]


def _parquet_frame(
    path: Path, data: bytes, keep: Any = None
) -> tuple[pd.DataFrame, frozenset[str], tuple[tuple[str, str], ...]]:
    """One Parquet file's columns that ``keep`` accepts (all by default), its text columns as
    Categoricals, and the text it carries besides its columns (for the privacy scan)."""
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq

        # text columns arrive dictionary-encoded (pandas Categoricals): a code per row instead of
        # a string per row while the export is checked; the canonical table gets strings again
        schema = pq.read_schema(_io.BytesIO(data))
        wanted = None if keep is None else [n for n in schema.names if keep(n)]
        chosen = [f for f in schema if wanted is None or f.name in wanted]
        text = [f.name for f in chosen if pa.types.is_string(f.type) or pa.types.is_large_string(f.type)]
        arrow = pq.read_table(_io.BytesIO(data), columns=wanted, read_dictionary=text)
        table = arrow.to_pandas()
        for f in chosen:  # bytes are not text: read as text (bad bytes replaced) for the checks
            if (pa.types.is_binary(f.type) or pa.types.is_large_binary(f.type)) and f.name in table:
                table[f.name] = table[f.name].map(
                    lambda v: v.decode("utf-8", "replace") if isinstance(v, bytes) else v
                )
    except ImportError:
        raise ReadError("Reading Parquet files needs pyarrow: pip install pyarrow.") from None
    except Exception as exc:
        raise ReadError(f"{path.name} could not be read as Parquet ({type(exc).__name__}).") from None
    unread = _parquet_unread(schema, table)
    return table.reset_index(drop=True), frozenset(text), unread


def _read_parquet_table(path: Path, data: bytes) -> RawTable:
    table, text, unread = _parquet_frame(path, data)
    return RawTable(
        table,
        np.arange(len(table), dtype="int64") + 1,
        path.name,
        _sha256(data),
        None,
        {"format": "parquet"},
        coded=text,
        unread=unread,
    )


def _parquet_unread(schema: Any, table: pd.DataFrame) -> tuple[tuple[str, str], ...]:
    """Text a Parquet file carries besides its columns, for the privacy scan: the file's and each
    field's key-value metadata, and a stored index (its name and values), which is not analysed."""
    out: list[tuple[str, str]] = []

    def add(where: str, meta: Any) -> None:
        for key, value in (meta or {}).items():
            if key == b"pandas":  # pandas' own description: the index is looked at below
                continue
            text = f"{key.decode('utf-8', 'replace')}: {value.decode('utf-8', 'replace')}"
            out.append((where, text[:LONG_CELL]))

    add("the file's metadata", schema.metadata)
    for field in schema:
        add("a field's metadata", field.metadata)
    index = table.index
    if not isinstance(index, pd.RangeIndex):
        names = [str(n) for n in index.names if n is not None]
        out += [("the index name", n) for n in names]
        out += [("the index", str(v)[:LONG_CELL]) for v in pd.unique(index.astype(str))[:SAMPLE_VALUES]]
    return tuple(out)


def _constant(text: str, n: int) -> Any:
    """``n`` times ``text`` as a Categorical (one code per row, one string)."""
    return pd.Categorical.from_codes(np.zeros(n, dtype="int8"), categories=pd.Index([text]))


def read_parquet_folder(files: list[Path], label: str, keep: Any) -> RawTable:
    """Many Parquet files (one per site) as one table, reading only the columns ``keep`` accepts.

    Each file is read as a single Parquet file is (text dictionary-encoded, its metadata and
    stored index kept for the privacy scan, named with the file); a column is read only if
    ``keep(name)`` is true. Each row carries its file (``_file``) and a ``site`` (the file name
    without extension) when the file has none. A text column's categories are made one across
    files, so that the table stays coded.
    """
    parts, rows, listing, unread, problems = [], [], [], [], []
    coded: set[str] = set()
    digest = hashlib.sha256()
    for f in files:
        data = f.read_bytes()
        if not data.startswith(b"PAR1"):
            problems.append(f"{f.name} is not a Parquet file (wrong content for its extension).")
            continue
        try:
            table, text, extra = _parquet_frame(f, data, keep)
        except ReadError as exc:
            problems.append(str(exc))
            continue
        n = len(table)
        if n == 0:
            problems.append(f"{f.name} has a header but no data rows (export the site again, or remove it).")
            continue
        if "site" not in {normalize_key(c) for c in table.columns}:
            table["site"] = _constant(f.stem, n)
            text |= {"site"}
        table["_file"] = _constant(f.name, n)
        coded |= text
        unread += [(f"{f.name}, {where}", value) for where, value in extra]
        parts.append(table)
        rows.append(np.arange(n, dtype="int64") + 1)
        sha = _sha256(data)
        digest.update(sha.encode())
        listing.append({"file": f.name, "sha256": sha, "rows": n})
    if len(problems) == 1 and len(files) == 1:
        raise ReadError(problems[0])
    if problems:
        head = f"{len(problems)} of {len(files)} Parquet files in {label} could not be read:"
        raise ReadError("\n".join([head, *(f"- {p}" for p in problems)]))
    _one_set_of_categories(parts)
    return RawTable(
        pd.concat(parts, ignore_index=True),
        np.concatenate(rows),
        label,
        digest.hexdigest(),
        None,
        {"format": "parquet folder", "files": listing},
        coded=frozenset(coded),
        unread=tuple(unread),
    )


def _one_set_of_categories(parts: list[pd.DataFrame]) -> None:
    """Give a coded column the same categories in every file, so that it stays coded when the
    files are put together; a column coded with values of different types in different files
    becomes plain values."""
    for col in {c for part in parts for c in part.columns if isinstance(part[c].dtype, pd.CategoricalDtype)}:
        if not all(col in part and isinstance(part[col].dtype, pd.CategoricalDtype) for part in parts):
            continue
        try:
            union = pd.api.types.union_categoricals([part[col] for part in parts], ignore_order=True)
        except TypeError:
            for part in parts:
                part[col] = part[col].astype(object)
            continue
        for part in parts:
            part[col] = part[col].cat.as_unordered().cat.set_categories(union.categories)


def parquet_files(source: str | Path) -> tuple[list[Path], str] | None:
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


def load_table(source: Any, keep: Any = None) -> RawTable:
    if isinstance(source, pd.DataFrame):
        hashed = pd.util.hash_pandas_object(source, index=True).to_numpy().tobytes()
        return RawTable(
            source.reset_index(drop=True),
            np.arange(len(source), dtype="int64"),  # positions: index labels may be client ids
            "<DataFrame>",
            _sha256(hashed),
            None,
            {"format": "DataFrame"},
        )
    if not isinstance(source, (str, Path)):
        raise TypeError(f"source must be a path or a DataFrame, not {type(source).__name__}")
    many = parquet_files(source)
    if many is not None:
        return read_parquet_folder(many[0], many[1], keep or (lambda name: True))
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
