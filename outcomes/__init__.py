"""outcomes: practice-based evidence from anonymized therapy session records.

>>> import outcomes as oc
>>> data = oc.read_sessions(frame)            # doctest: +SKIP
>>> oc.summarize(data, by="condition")        # doctest: +SKIP

Importing the package does not import matplotlib; plotting functions load it
when first called.
"""

from __future__ import annotations

__version__ = "0.1.0"

from .errors import (
    DataQualityWarning,
    InsufficientDataError,
    OutcomesError,
    OutcomesWarning,
    PrivacyError,
    ReadError,
    SchemaError,
    StatisticalWarning,
    UnknownInstrumentError,
)
from .instruments import (
    Instrument,
    InstrumentRegistry,
    default_registry,
    get_instrument,
    load_instruments,
    register_instrument,
)
from .io import ColumnMap, SessionData, read_column_map, read_sessions
from .literature import compare_literature, literature_arms, load_literature, pool_arms
from .privacy import anonymize, check_anonymized, keygen, scan
from .reporting import grant_report, report, write_grant_html, write_grant_xlsx
from .schema import validate_sessions
from .summary import classify_change, client_changes, summarize, summarize_ratings, trajectory
from .synthetic import sample_data

__all__ = [
    "ColumnMap",
    "DataQualityWarning",
    "Instrument",
    "InstrumentRegistry",
    "InsufficientDataError",
    "OutcomesError",
    "OutcomesWarning",
    "PrivacyError",
    "ReadError",
    "SchemaError",
    "SessionData",
    "StatisticalWarning",
    "UnknownInstrumentError",
    "__version__",
    "anonymize",
    "check_anonymized",
    "classify_change",
    "client_changes",
    "compare_literature",
    "default_registry",
    "get_instrument",
    "grant_report",
    "keygen",
    "literature_arms",
    "load_instruments",
    "load_literature",
    "pool_arms",
    "read_column_map",
    "read_sessions",
    "register_instrument",
    "report",
    "sample_data",
    "scan",
    "summarize",
    "summarize_ratings",
    "trajectory",
    "validate_sessions",
    "write_grant_html",
    "write_grant_xlsx",
]
