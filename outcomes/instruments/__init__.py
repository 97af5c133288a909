"""Registry of measures: range, direction, MCID, reliability and their sources.

Every score in the canonical table names a measure by its registry key
(``pain_nrs``, ``pelvic_tone``, ``psqi`` ...). The registry knows what a
number on that scale means: its range, which direction is better, the minimal
clinically important difference (MCID) and where it was published, the
test-retest reliability used by the reliable change index, and a clinical
cut-off where one is published.

The built-in table ships as ``outcomes/_data/instruments.csv`` and keeps every
source and verification field of the project's reference table. Users add
their own measures in code (:func:`register_instrument`) or from a TOML or
CSV file (:func:`load_instruments`).

``instrument`` (one measure and its checks) and ``registry`` (the registry, the
built-in table, the practice's own files).
"""

from .instrument import CUTOFF_RULES, DIRECTIONS, KINDS, Instrument, normalize_key
from .registry import (
    InstrumentRegistry,
    default_registry,
    get_instrument,
    load_instruments,
    register_instrument,
    registry_for,
)

__all__ = [
    "CUTOFF_RULES",
    "DIRECTIONS",
    "KINDS",
    "Instrument",
    "InstrumentRegistry",
    "default_registry",
    "get_instrument",
    "load_instruments",
    "normalize_key",
    "register_instrument",
    "registry_for",
]
