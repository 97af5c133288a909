"""A raw export file to an anonymized CSV file, with its manifest: what ``outcomes anonymize`` runs.

The anonymizer itself (:func:`outcomes.privacy.anonymize`) works on a frame;
reading the raw file and writing the result are this layer's job."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from .._spreadsheet import write_csv
from ..errors import PrivacyError, SchemaError
from ..instruments import normalize_key
from ..privacy.anonymizer import anonymize
from ..privacy.keys import check_key
from ..privacy.scanner import finding_lines, scan
from .columns import blank_columns
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
) -> dict[str, Any]:
    """Anonymize a raw export file into a CSV file, with its manifest (what ``outcomes anonymize`` runs).

    The raw file is read as text by the package's loader (any encoding,
    separator, Excel or Parquet), without the identifier scan and without
    checking the measures. The output is written as CSV, then read back and
    scanned; the manifest (:func:`anonymize`'s, plus the input's and the
    output's names and SHA-256) goes to ``<output stem>.manifest.json``.

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

    Returns
    -------
    dict
        The manifest, with ``input``, ``output``, ``manifest`` (file names and
        SHA-256) and ``crosswalk`` (its file name, when written).
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
            raise FileExistsError(f"{cw_path} already exists; the crosswalk is never overwritten")
    else:
        check_key(key)
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
    write_csv(result.frame, out_path)
    check = load_table(out_path).table
    leftover = scan(check, file=out_path.name)
    if len(leftover):  # pragma: no cover - anonymize drops every flagged column
        out_path.unlink()
        raise PrivacyError(
            "the anonymized file still looked identifying and was removed: "
            + "; ".join(finding_lines(leftover))
        )
    manifest = dict(result.manifest)
    manifest["input"] = {"file": src.name, "sha256": raw.sha256, **{k: v for k, v in raw.details.items()}}
    manifest["output"] = {"file": out_path.name, "sha256": _sha256_file(out_path)}
    if result.crosswalk is not None and crosswalk is not None:
        cw_path = Path(crosswalk)
        fd = os.open(cw_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            write_csv(result.crosswalk, fh)
        manifest["crosswalk"] = {"file": cw_path.name, "rows": len(result.crosswalk)}
    mpath = manifest_path(out_path)
    mpath.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    manifest["manifest"] = {"file": mpath.name}
    return manifest
