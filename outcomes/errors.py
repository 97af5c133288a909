"""Exceptions and warnings raised by :mod:`outcomes`.

This is a leaf module: it imports nothing from the rest of the package, so
every other module can raise these without import cycles.

The hierarchy follows lifelines and pandera: one base class per family so a
caller can catch everything the package raises on purpose
(``except OutcomesError``), and each specific class also derives from the
builtin a Python user would expect (``ValueError``, ``LookupError``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover - typing only
    import pandas as pd

__all__ = [
    "DataQualityWarning",
    "InsufficientDataError",
    "OutcomesError",
    "OutcomesWarning",
    "OutputExistsError",
    "PrivacyError",
    "PrivacyWarning",
    "ReadError",
    "SchemaError",
    "StatisticalWarning",
    "UnknownInstrumentError",
]


class OutcomesError(Exception):
    """Base class of every error :mod:`outcomes` raises on purpose."""


class SchemaError(OutcomesError, ValueError):
    """The data violate the data contract.

    Attributes
    ----------
    failure_cases : pandas.DataFrame
        One row per problem found, with columns ``file``, ``row`` (the row
        number as a person sees it in the file: the header is row 1), ``column``,
        ``value`` (``None`` for identifying columns, which are never echoed),
        ``check`` (a short machine-readable name) and ``message``.
    """

    def __init__(self, message: str, failure_cases: pd.DataFrame | None = None) -> None:
        super().__init__(message)
        self.failure_cases = failure_cases


class ReadError(OutcomesError, ValueError):
    """A file cannot be read at all: missing, empty, binary or of an unknown type."""


class UnknownInstrumentError(OutcomesError, LookupError):
    """A measure key is not in the instrument registry.

    Attributes
    ----------
    key : str
        The key that was asked for.
    suggestions : tuple of str
        Registered keys close to ``key``, best first.
    """

    def __init__(self, message: str, key: str = "", suggestions: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.key = key
        self.suggestions = suggestions

    def __str__(self) -> str:  # LookupError would otherwise add quotes
        return str(self.args[0]) if self.args else ""


class PrivacyError(OutcomesError, ValueError):
    """Identifying data where none may be."""


class OutputExistsError(OutcomesError, FileExistsError):
    """A file to be written already exists and is not overwritten (unless the caller says so)."""


class InsufficientDataError(OutcomesError, ValueError):
    """Too few complete pairs to compute an estimate."""


class OutcomesWarning(UserWarning):
    """Base class of every warning :mod:`outcomes` emits."""


class DataQualityWarning(OutcomesWarning):
    """Data were usable but incomplete (for example unpaired values, counted in the flow)."""


class StatisticalWarning(OutcomesWarning):
    """An estimate is computable but fragile: tiny n, floor or ceiling, assumptions in doubt."""


class PrivacyWarning(OutcomesWarning):
    """Private material is at risk without being wrong yet: a key file that other users can read."""
