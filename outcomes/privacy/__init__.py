"""Privacy: anonymized data only, checked rather than trusted; small cells suppressed.

Everything here works on frames; reading and writing files is the job of
:mod:`outcomes.io` (``outcomes.io.anonymize_file``) and the command line.

``rules``
    what a direct identifier looks like (HIPAA Safe Harbor): column-name rules
    and content patterns.
``scanner``
    :func:`scan` and :func:`check_anonymized`, run by every read.
``names``
    person names from the 1990 census lists (given names and surnames).
``suspicious``
    :func:`suspicious_values`: single values that look like an identifier (for messages, headers).
``keys``
    :func:`keygen`, :func:`read_key`, :func:`key_fingerprint` and the keyed pseudonyms.
``dates``
    reading the dates and ages of a raw export.
``anonymizer``
    :func:`anonymize`: pseudonymous ids, days from the first session, age bands.
``suppression``
    :func:`suppress_counts`, :func:`suppress_rows`: small cells of anything that
    leaves the practice.
"""

from __future__ import annotations

from typing import Any

from .anonymizer import AGE_BANDS, Anonymized, age_bands, anonymize
from .keys import key_fingerprint, keygen, read_key
from .rules import LONG_CELL
from .scanner import check_anonymized, scan
from .suppression import DEFAULT_MIN_CELL, suppress_counts, suppress_rows
from .suspicious import suspicious_values

__all__ = [
    "AGE_BANDS",
    "DEFAULT_MIN_CELL",
    "LONG_CELL",
    "Anonymized",
    "age_bands",
    "anonymize",
    "anonymize_file",
    "check_anonymized",
    "key_fingerprint",
    "keygen",
    "manifest_path",
    "read_key",
    "scan",
    "suppress_counts",
    "suppress_rows",
    "suspicious_values",
]

_MOVED = {"anonymize_file": "outcomes.io", "manifest_path": "outcomes.io"}


def __getattr__(name: str) -> Any:
    """Names that moved to the layer that writes files, with a DeprecationWarning."""
    if name in _MOVED:
        import importlib
        import warnings

        warnings.warn(
            f"outcomes.privacy.{name} is now {_MOVED[name]}.{name} (files are read and written by "
            "outcomes.io; the privacy layer works on frames)",
            DeprecationWarning,
            stacklevel=2,
        )
        return getattr(importlib.import_module(_MOVED[name]), name)
    raise AttributeError(f"module 'outcomes.privacy' has no attribute {name!r}")
