"""Numbers as people read them: the one place that rounds.

Every report, workbook and command-line table formats its numbers with these
functions, so that a mean, an interval, a p-value and a percentage look the same
everywhere. A missing value prints as ``MISSING`` (an en dash) in the
practice's own report and as ``SUPPRESSED`` (``*``) where a suppressed cell is
meant. Zero never prints with a minus sign.

>>> number(-0.04), number(2.345, 2), interval(-1.25, 0.5), p_value(0.0004), percent(0.636)
('0.0', '2.35', '-1.2 to 0.5', '<0.001', '64%')
>>> number(float("nan")), count(None), count(1204)
('–', '*', '1,204')
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

__all__ = [
    "MISSING",
    "SUPPRESSED",
    "count",
    "interval",
    "is_missing",
    "number",
    "p_value",
    "percent",
    "rounded",
]

#: How a value that is not there prints in the practice's report.
MISSING = "–"
#: How a suppressed cell prints in what leaves the practice.
SUPPRESSED = "*"


def is_missing(value: Any) -> bool:
    """None, NA and NaN (and infinities, which no table should show)."""
    if value is None or value is pd.NA:
        return True
    try:
        return not math.isfinite(float(value))
    except (TypeError, ValueError):
        return False


def number(value: Any, digits: int = 1, *, missing: str = MISSING) -> str:
    """``value`` with ``digits`` decimals; ``missing`` when there is none; never ``-0.0``."""
    if is_missing(value):
        return missing
    text = f"{float(value) + 0.0:.{digits}f}"
    return text[1:] if text.startswith("-") and float(text) == 0 else text


def rounded(value: Any, digits: int = 1) -> float | None:
    """``value`` rounded to ``digits`` decimals as a number (for a spreadsheet cell), ``None`` when
    there is none: the number :func:`number` prints, so a workbook and a page agree; never ``-0.0``,
    so that a cell formatted ``0.0`` cannot show "-0.0".

    >>> rounded(-0.04), rounded(2.345, 2), rounded(float("nan"))
    (0.0, 2.35, None)
    """
    if is_missing(value):
        return None
    return float(f"{float(value):.{digits}f}") + 0.0


def interval(low: Any, high: Any, digits: int = 1, *, missing: str = MISSING) -> str:
    """``low to high``, or ``missing`` when either limit is missing."""
    if is_missing(low) or is_missing(high):
        return missing
    return f"{number(low, digits)} to {number(high, digits)}"


def p_value(p: Any, *, missing: str = MISSING) -> str:
    """Three decimals, or ``<0.001``."""
    if is_missing(p):
        return missing
    return "<0.001" if float(p) < 0.001 else f"{float(p):.3f}"


def percent(share: Any, digits: int = 0, *, missing: str = MISSING) -> str:
    """A share (0.64) as a percentage (``64%``); never ``-0%``."""
    if is_missing(share):
        return missing
    return number(100.0 * float(share), digits) + "%"


def count(value: Any, *, missing: str = SUPPRESSED) -> str:
    """A whole number with thousands separators; ``missing`` (``*``: suppressed) when there is none."""
    if is_missing(value):
        return missing
    return f"{int(value):,}"
