"""A suppression ledger: which grant reports a practice has published, for which years.

Two reports over overlapping periods give counts by subtraction (the sessions of one
condition in 2025 are those of 2024–2025 minus those of 2024), whatever each hides on its
own. The ledger is a small JSON file kept at the practice; :func:`overlapping` lists the
published reports a new period overlaps without being the same, and :func:`record` adds a
report once it is written, with every count it showed or hid. :func:`outcomes.grant_report`
refuses such a period unless told to go ahead; then :func:`derived_hides` names the counts the
new report must hide so that, with the published ones, it gives away no small count and no
count a published report hid, and the report says which published ones it overlaps.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
from collections.abc import Hashable, Mapping
from pathlib import Path
from typing import Any

__all__ = ["derived_hides", "describe", "overlapping", "published", "record"]


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
    path: str | Path,
    years: tuple[int, int],
    file: str,
    content: bytes,
    *,
    min_cell: int = 11,
    counts: Mapping[Hashable, float | None] | None = None,
) -> None:
    """Add a written report to the ledger: its years, file name, SHA-256, the date and, given
    ``counts`` (each count's key and its published value, None where hidden), what it showed."""
    path = Path(path)
    entries = published(path)
    entry: dict[str, Any] = {
        "years": [int(years[0]), int(years[1])],
        "file": Path(file).name,
        "sha256": hashlib.sha256(content).hexdigest(),
        "written": _dt.date.today().isoformat(),
        "min_cell": int(min_cell),
    }
    if counts is not None:
        entry["counts"] = [
            [[str(part) for part in _parts(key)], None if value is None else int(value)]
            for key, value in counts.items()
        ]
    entries.append(entry)
    path.write_text(json.dumps({"published": entries}, indent=2) + "\n", encoding="utf-8")


def describe(entries: list[dict[str, Any]]) -> str:
    """The published reports in words: ``grant_2025.xlsx (2025, written 2026-01-15)``."""
    parts = []
    for e in entries:
        a, b = e["years"]
        span = str(a) if a == b else f"{a}–{b}"
        parts.append(f"{e.get('file', 'a report')} ({span}, written {e.get('written', 'earlier')})")
    return "; ".join(parts)


def _parts(key: Hashable) -> tuple[Any, ...]:
    return key if isinstance(key, tuple) else (key,)


def _counts(entry: dict[str, Any]) -> dict[tuple[str, ...], float | None]:
    """A published report's counts by key (none for an entry written before counts were kept)."""
    out: dict[tuple[str, ...], float | None] = {}
    for item in entry.get("counts", []):
        if isinstance(item, list) and len(item) == 2 and isinstance(item[0], list):
            out[tuple(str(p) for p in item[0])] = None if item[1] is None else float(item[1])
    return out


def _years(entry: dict[str, Any]) -> frozenset[int]:
    a, b = entry["years"]
    return frozenset(range(int(a), int(b) + 1))


def derived_hides(
    entries: list[dict[str, Any]],
    years: tuple[int, int],
    shown: Mapping[Hashable, float | None],
    min_cell: int,
) -> dict[Hashable, str]:
    """The counts a new report must hide, given the reports published before, and why.

    ``shown`` maps each count of the new report (keys as in
    :func:`outcomes.reporting.grant_audit.suppress_grant`) to its value, None where hidden.
    For a published report whose years contain the new one's or lie inside them:

    - a count both show whose difference is from 1 to ``min_cell − 1`` (the clients of a
      condition seen in 2024–2025 but not in 2024; its sessions in 2025 alone) is hidden;
    - a count that the published report shows and a published report of exactly the years that
      differ hid (2024 hid neck pain's sessions; 2025 showed them; 2024–2025 would give 2024's
      back) is hidden.

    Sessions add up over years, so for them every combination of published periods counts: a
    count is hidden where, with it, some run of years could be computed from published values
    and is small, or was hidden by the report of those years. Clients do not add up over years
    (one client comes back), so for them only the two rules above apply.
    """
    new = frozenset(range(int(years[0]), int(years[1]) + 1))
    published_ = [(_years(e), _counts(e), e.get("file", "a report")) for e in entries]
    published_ = [(y, c, f) for y, c, f in published_ if c and y != new]
    out: dict[Hashable, str] = {}
    for key, value in shown.items():
        if value is None:
            continue
        parts = tuple(str(p) for p in _parts(key))
        for y, counts, file in published_:
            if parts not in counts or not (y < new or new < y):
                continue
            other = counts[parts]
            if other is None:  # one more sum of two hidden parts: left to the sessions' algebra
                continue
            if 1 <= abs(value - other) < min_cell:
                out[key] = f"{file} gives a small count by subtraction"
            for y2, counts2, file2 in published_:
                if y2 == y ^ new and parts in counts2 and counts2[parts] is None:
                    out[key] = f"with {file} it would give back a count {file2} hid"
        if parts[0] == "S" and key not in out:
            reason = _sessions_leak(parts, value, new, published_, min_cell)
            if reason:
                out[key] = reason
    return out


def _sessions_leak(
    parts: tuple[str, ...],
    value: float,
    new: frozenset[int],
    published_: list[tuple[frozenset[int], dict[tuple[str, ...], float | None], str]],
    min_cell: int,
) -> str | None:
    """Would showing this sessions count let a run of years be computed that is small, or that
    its own report hid, where without it none could be?"""
    import numpy as np

    periods = [(y, c[parts]) for y, c, _ in published_ if parts in c]
    if not periods:
        return None
    years = sorted(new.union(*(y for y, _ in periods)))
    col = {yr: i for i, yr in enumerate(years)}

    def vec(ys: frozenset[int]) -> np.ndarray:
        v = np.zeros(len(years))
        v[[col[yr] for yr in ys]] = 1.0
        return v

    known = [(vec(y), v) for y, v in periods if v is not None]
    hidden = [vec(y) for y, v in periods if v is None]
    runs = [frozenset(range(a, b + 1)) for a in years for b in years if a <= b]

    def derivable(rows: list[tuple[np.ndarray, float]], target: np.ndarray) -> float | None:
        if not rows:
            return None
        m = np.array([r for r, _ in rows])
        coef, *_ = np.linalg.lstsq(m.T, target, rcond=None)
        if not np.allclose(m.T @ coef, target, atol=1e-9):
            return None
        return float(coef @ np.array([v for _, v in rows]))

    with_new = [*known, (vec(new), value)]
    for h in hidden:
        if derivable(with_new, h) is not None and derivable(known, h) is None:
            return "with the published reports it would give back sessions one of them hid"
    for run in runs:
        got = derivable(with_new, vec(run))
        if got is not None and 1 <= round(got) < min_cell and derivable(known, vec(run)) is None:
            return f"with the published reports it gives a small count of sessions in {min(run)}–{max(run)}"
    return None
