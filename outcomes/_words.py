"""Words shown to people: labels of conditions, levels and roles, plurals, row lists.

Reports, figures and the command line take their wording from here, so that a
condition, a level of change or a kind of published arm reads the same
everywhere. A leaf module: it imports nothing from the package.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

__all__ = ["plural", "rows_text"]


def plural(n: int, word: str, many: str | None = None) -> str:
    """``1 client``, ``2 clients``, ``1,204 clients`` (``many`` for an irregular plural).

    >>> plural(1, "client"), plural(1204, "client"), plural(2, "analysis", "analyses")
    ('1 client', '1,204 clients', '2 analyses')
    """
    return f"{n:,} {word if n == 1 else (many or word + 's')}"


def rows_text(rows: Sequence[Any], limit: int = 8) -> str:
    """``row 4`` / ``rows 4, 17, 22`` / ``rows 4, 17, ... and 3 more`` (at most ``limit`` shown).

    >>> rows_text([4]), rows_text(list(range(2, 12)), limit=3)
    ('row 4', 'rows 2, 3, 4 and 7 more')
    """
    shown = ", ".join(str(r) for r in rows[:limit])
    more = f" and {len(rows) - limit} more" if len(rows) > limit else ""
    return f"row{'s' if len(rows) != 1 else ''} {shown}{more}"
