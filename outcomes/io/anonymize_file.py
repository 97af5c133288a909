"""A raw export file to an anonymized CSV file, with its manifest: what ``outcomes anonymize`` runs.

The anonymizer itself (:func:`outcomes.privacy.anonymize`) works on a frame;
reading the raw file and writing the result are this layer's job."""

from __future__ import annotations

import hashlib
import json
import os
import secrets
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from .._spreadsheet import write_csv
from ..errors import OutputExistsError, SchemaError
from ..instruments import normalize_key
from ..privacy.anonymizer import anonymize, check_shareable
from ..privacy.keys import check_key
from .columns import ColumnMap, apply_mapping, blank_columns
from .files import load_table


def _sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def manifest_path(output: str | Path) -> Path:
    """Where :func:`anonymize_file` writes the manifest: ``clean.csv`` -> ``clean.manifest.json``."""
    p = Path(output)
    return p.with_name(p.stem + ".manifest.json")


def anonymize_file(
    source: str | Path,
    output: str | Path,
    *,
    key: bytes | None,
    id_column: str | None = None,
    date_column: str | None = None,
    dob_column: str | None = None,
    age_column: str | None = None,
    drop: Iterable[str] = (),
    method: Literal["hmac", "random"] = "hmac",
    crosswalk: str | Path | None = None,
    rng_seed: int | np.random.Generator | None = None,
    date_format: str | None = None,
    force: bool = False,
) -> dict[str, Any]:
    """Anonymize a raw export file into a CSV file, with its manifest (what ``outcomes anonymize`` runs).

    The raw file is read as text by the package's loader (any encoding,
    separator, Excel or Parquet), without the identifier scan and without
    checking the measures. :func:`anonymize` checks its result with the scan
    of every read; the CSV is then written to a temporary file next to the
    output, read back as :func:`read_sessions` reads it and scanned again, and
    only then put in place. The manifest (:func:`anonymize`'s, plus the
    input's and the output's names and SHA-256) goes to
    ``<output stem>.manifest.json``.

    The values are written as the anonymizer returns them, with one exception
    that keeps whoever opens the files in a spreadsheet safe: a text (a cell or
    a column name) that begins with ``=``, ``+``, ``-``, ``@``, a tab or a
    carriage return, and so could run as a formula, is written with a single
    quote in front (``=1+2`` as ``'=1+2``; OWASP, "CSV Injection"). A plain
    number such as a tone grade of ``-2`` is not such a text and is written
    as it is; a carriage return inside a text is written as a line feed, so
    that the cell stays one cell (:func:`outcomes._spreadsheet.write_csv`). The
    same holds for the crosswalk.

    Parameters
    ----------
    source, output : path
        The raw export; the anonymized ``.csv`` to write (never the same file).
    id_column : str, optional
        The client column; default: the one column named ``client_id`` or
        ``record_id`` (ignoring case and punctuation).
    crosswalk : path, optional
        With ``method="random"`` (required then): where to write the
        crosswalk, readable by you only (mode 0600), never overwritten.
    key, date_column, dob_column, age_column, drop, method, rng_seed, date_format
        As for :func:`anonymize`.
    force : bool
        Replace an existing output and its manifest. By default an existing
        one of either stops before anything is read. (A crosswalk is never
        replaced.)

    Returns
    -------
    dict
        The manifest, with ``input``, ``output``, ``manifest`` (file names and
        SHA-256) and ``crosswalk`` (its file name, when written).

    Raises
    ------
    OutputExistsError
        The output or its manifest exists and ``force`` is false, or the
        crosswalk exists (also a ``FileExistsError``).
    PrivacyError
        The anonymized copy would still hold a column the scan flags
        (:func:`~outcomes.privacy.anonymizer.check_shareable`: named with the
        fix, ``drop=[COLUMN]`` / ``--drop COLUMN``), or the key cannot be used.
        Nothing is written then.
    SchemaError
        As for :func:`anonymize`.
    """
    src, out_path = Path(source), Path(output)
    if out_path.suffix.lower() != ".csv":
        raise ValueError(f"the anonymized output must be a .csv file (got {out_path.name!r})")
    if out_path.exists() and src.exists() and out_path.resolve() == src.resolve():
        raise ValueError("the output would overwrite the raw export; give another file name")
    if method == "random":
        if crosswalk is None:
            raise ValueError("random ids need a crosswalk file (crosswalk=...) that stays at the practice")
        cw_path = Path(crosswalk)
        if cw_path.resolve() in (out_path.resolve(), manifest_path(out_path).resolve(), src.resolve()):
            raise ValueError("the crosswalk must be a file of its own, kept apart from the anonymized data")
        if cw_path.exists():
            raise OutputExistsError(
                f"{cw_path} already exists; the crosswalk is never overwritten (it links ids already "
                "shared to your clients). Give another file name for the new crosswalk."
            )
    else:
        check_key(key)
    mpath = manifest_path(out_path)
    existing = [p for p in (out_path, mpath) if p.exists() or p.is_symlink()]
    if existing and not force:
        names = " and ".join(str(p) for p in existing)
        raise OutputExistsError(
            f"{names} already exist{'s' if len(existing) == 1 else ''}; outcomes anonymize does not "
            "overwrite an output or its manifest. Choose another output name, or replace "
            f"{'them' if len(existing) > 1 else 'it'}: --force on the command line (force=True in Python)."
        )
    raw = load_table(src)
    table = raw.table.drop(columns=blank_columns(raw.table))
    table.index = pd.Index(raw.rows)
    columns = [str(c) for c in table.columns]
    if id_column is None:
        found = [c for c in columns if normalize_key(c) in ("client_id", "record_id")]
        if len(found) != 1:
            raise SchemaError(
                "Say which column identifies the client (id_column=, command line --id-column); "
                f"the export's columns are: {', '.join(repr(c) for c in columns[:30])}."
            )
        id_column = found[0]
    result = anonymize(
        table,
        key=key,
        id_column=id_column,
        date_column=date_column,
        dob_column=dob_column,
        age_column=age_column,
        drop=drop,
        method=method,
        rng_seed=rng_seed,
        date_format=date_format,
    )
    staged = _staging(out_path)
    try:
        with staged.open("x", encoding="utf-8", newline="") as fh:
            write_csv(result.frame, fh)
        # the copy as every read sees it: loaded as text, column names mapped, then scanned
        back = load_table(staged)
        back.name = out_path.name
        table, origin = apply_mapping(back, ColumnMap(), back.header_row)
        check_shareable(table, file=out_path.name, labels=origin)
        manifest = dict(result.manifest)
        manifest["input"] = {"file": src.name, "sha256": raw.sha256, **dict(raw.details.items())}
        manifest["output"] = {"file": out_path.name, "sha256": _sha256_file(staged)}
        if result.crosswalk is not None and crosswalk is not None:
            cw_path = Path(crosswalk)
            fd = os.open(cw_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
                write_csv(result.crosswalk, fh)
            manifest["crosswalk"] = {"file": cw_path.name, "rows": len(result.crosswalk)}
        _put_in_place(staged, out_path, force)
    finally:
        staged.unlink(missing_ok=True)
    staged = _staging(mpath)
    try:
        with staged.open("x", encoding="utf-8") as fh:
            fh.write(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
        _put_in_place(staged, mpath, force)
    finally:
        staged.unlink(missing_ok=True)
    manifest["manifest"] = {"file": mpath.name}
    return manifest


def _staging(path: Path) -> Path:
    """A new hidden file name next to ``path``, for writing before the file is put in place."""
    return path.with_name(f".{path.stem}.{secrets.token_hex(4)}.partial{path.suffix}")


def _put_in_place(staged: Path, path: Path, force: bool) -> None:
    if not force and (path.exists() or path.is_symlink()):  # it appeared while we worked
        raise OutputExistsError(
            f"{path} appeared while the anonymized copy was made and was not overwritten; "
            "run again with another output name, or with --force (force=True in Python)."
        )
    os.replace(staged, path)
