"""outcomes: practice-based evidence from anonymized therapy session records.

>>> import outcomes as oc
>>> data = oc.read_sessions(frame)            # doctest: +SKIP
>>> oc.summarize(data, by="condition")        # doctest: +SKIP

Importing the package does not import matplotlib; plotting functions load it
when first called.
"""

from __future__ import annotations

from ._progress import set_progress
from ._version import __version__
from .errors import (
    DataQualityWarning,
    InsufficientDataError,
    OutcomesError,
    OutcomesWarning,
    OutputExistsError,
    PrivacyError,
    PrivacyWarning,
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
from .instruments.scoring import score_questionnaire
from .io import ColumnMap, LazySessionData, SessionData, read_column_map, read_sessions
from .privacy import anonymize, check_anonymized, keygen, scan
from .schema import validate_sessions

# The statistics, literature and reporting layers import scipy and statsmodels, which take
# longer to import than pandas itself: they load on first use (PEP 562), so that
# ``import outcomes`` stays close to ``import pandas``.
_LAZY = {
    "PracticeAnalysis": "analysis",
    "analyze": "analysis",
    "LiteratureComparison": "literature",
    "classify_change": "summary",
    "client_changes": "summary",
    "course_lengths": "summary",
    "summarize": "summary",
    "summarize_pairs": "summary",
    "summarize_ratings": "summary",
    "trajectory": "summary",
    "TrajectoryModel": "progress",
    "trajectory_model": "progress",
    "not_on_track": "progress",
    "export_site": "network",
    "pool_sites": "network",
    "compare_literature": "literature",
    "literature_arms": "literature",
    "load_literature": "literature",
    "pool_arms": "literature",
    "client_report": "reporting",
    "grant_report": "reporting",
    "report": "reporting",
    "write_grant_html": "reporting",
    "write_grant_xlsx": "reporting",
    "sample_data": "datasets",
}
_SUBMODULES = {
    "analysis",
    "cli",
    "datasets",
    "effects",
    "literature",
    "network",
    "plots",
    "progress",
    "reporting",
    "summary",
    "synthetic",  # deprecated alias of datasets: reachable, but not listed by dir()
}


def __getattr__(name: str) -> object:
    import importlib

    if name in _LAZY:
        value = getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
        globals()[name] = value
        return value
    if name in _SUBMODULES:
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module 'outcomes' has no attribute {name!r}")


def __dir__() -> list[str]:
    # Listing a deprecated alias would import it (and warn) on every tab completion.
    return sorted({*globals(), *__all__, *(_SUBMODULES - {"synthetic"})})


__all__ = [
    "ColumnMap",
    "DataQualityWarning",
    "Instrument",
    "InstrumentRegistry",
    "InsufficientDataError",
    "LazySessionData",
    "LiteratureComparison",
    "OutcomesError",
    "OutcomesWarning",
    "OutputExistsError",
    "PracticeAnalysis",
    "PrivacyError",
    "PrivacyWarning",
    "ReadError",
    "SchemaError",
    "SessionData",
    "StatisticalWarning",
    "TrajectoryModel",
    "UnknownInstrumentError",
    "__version__",
    "analyze",
    "anonymize",
    "check_anonymized",
    "classify_change",
    "client_changes",
    "client_report",
    "compare_literature",
    "course_lengths",
    "default_registry",
    "export_site",
    "get_instrument",
    "grant_report",
    "keygen",
    "literature_arms",
    "load_instruments",
    "load_literature",
    "not_on_track",
    "pool_arms",
    "pool_sites",
    "read_column_map",
    "read_sessions",
    "register_instrument",
    "report",
    "sample_data",
    "scan",
    "score_questionnaire",
    "set_progress",
    "summarize",
    "summarize_pairs",
    "summarize_ratings",
    "trajectory",
    "trajectory_model",
    "validate_sessions",
    "write_grant_html",
    "write_grant_xlsx",
]
