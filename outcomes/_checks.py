"""Argument checks shared by every layer: one wording for "must be one of" and its kin.

A leaf module (it imports nothing from the package), after seaborn's
``utils._check_argument``: every option error reads the same way,
``level must be one of 'session', 'followup', 'course' (got 'visit')``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

__all__ = ["check_argument", "one_of"]


def one_of(name: str, options: Iterable[Any]) -> str:
    """``"level must be one of 'session', 'followup', 'course'"`` (for messages and failure tables).

    >>> one_of("timepoint", ("pre", "post"))
    "timepoint must be one of 'pre', 'post'"
    """
    return f"{name} must be one of {', '.join(repr(o) for o in options)}"


def check_argument(name: str, options: Iterable[Any], value: Any) -> Any:
    """Return ``value`` when it is one of ``options``; else raise ``ValueError`` saying which are.

    >>> check_argument("level", ("session", "course"), "course")
    'course'
    >>> check_argument("level", ("session", "course"), "visit")
    Traceback (most recent call last):
    ...
    ValueError: level must be one of 'session', 'course' (got 'visit')
    """
    options = tuple(options)
    try:
        ok = value in options
    except TypeError:  # an unhashable value is not an option
        ok = False
    if not ok:
        raise ValueError(f"{one_of(name, options)} (got {value!r})")
    return value
