"""A suppression ledger: which grant reports a practice has published, for which years.

Two reports over overlapping periods give counts by subtraction (the sessions of one
condition in 2025 are those of 2024–2025 minus those of 2024), whatever each hides on its
own. The ledger is a small JSON file kept at the practice; :func:`overlapping` lists the
published reports a new period overlaps without being the same, and :func:`record` adds a
report once it is written. :func:`outcomes.grant_report` refuses such a period unless told
to go ahead, and then says in the report which published one it overlaps.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
from pathlib import Path
from typing import Any

__all__ = ["describe", "overlapping", "published", "record"]


def published(path: str | Path) -> list[dict[str, Any]]:
    """The reports recorded in the ledger at ``path`` (none when the file does not exist yet)."""
    path = Path(path)
    if not path.exists():
        return []
    try:
        entries = json.loads(path.read_text(encoding="utf-8")).get("published", [])
    except (json.JSONDecodeError, AttributeError):
        raise ValueError(
            f"{path.name} is not a ledger written by outcomes (JSON with a 'published' list); "
            "give another file, or restore it"
        ) from None
    return [e for e in entries if isinstance(e, dict) and "years" in e]


def overlapping(path: str | Path, years: tuple[int, int]) -> list[dict[str, Any]]:
    """Published reports whose years overlap ``years`` without being the same years.

    >>> import tempfile, os
    >>> ledger = os.path.join(tempfile.mkdtemp(), "ledger.json")
    >>> record(ledger, (2025, 2025), "grant_2025.xlsx", b"")
    >>> [e["file"] for e in overlapping(ledger, (2024, 2025))], overlapping(ledger, (2025, 2025))
    (['grant_2025.xlsx'], [])
    """
    lo, hi = years
    out = []
    for entry in published(path):
        a, b = entry["years"]
        if a <= hi and lo <= b and (a, b) != (lo, hi):
            out.append(entry)
    return out


def record(
    path: str | Path, years: tuple[int, int], file: str, content: bytes, *, min_cell: int = 11
) -> None:
    """Add a written report to the ledger: its years, file name, SHA-256 and the date."""
    path = Path(path)
    entries = published(path)
    entries.append(
        {
            "years": [int(years[0]), int(years[1])],
            "file": Path(file).name,
            "sha256": hashlib.sha256(content).hexdigest(),
            "written": _dt.date.today().isoformat(),
            "min_cell": int(min_cell),
        }
    )
    path.write_text(json.dumps({"published": entries}, indent=2) + "\n", encoding="utf-8")


def describe(entries: list[dict[str, Any]]) -> str:
    """The published reports in words: ``grant_2025.xlsx (2025, written 2026-01-15)``."""
    parts = []
    for e in entries:
        a, b = e["years"]
        span = str(a) if a == b else f"{a}–{b}"
        parts.append(f"{e.get('file', 'a report')} ({span}, written {e.get('written', 'earlier')})")
    return "; ".join(parts)
