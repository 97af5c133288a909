"""The data contract: the canonical long table and its validation.

One row per client x session x measure x timepoint:

============  =================================  ===============================================
column        type                               meaning
============  =================================  ===============================================
client_id     string                             pseudonymous client id
session       int64 >= 1                         ordinal of the session within the client's care
timepoint     ordered category pre<post<followup before the session, right after, days later
measure       string                             key of the instrument registry
score         float64                            value on the instrument's scale
condition     string                             condition key(s); several joined with ``;``
(others)      kept                               grouping attributes (technique, age_band, ...)
============  =================================  ===============================================

``contract``
    the columns, timepoints, conditions, missing-value codes and checks, and the
    message that lists failures.
``values``
    text work done once per distinct value (exports repeat a few values over
    millions of rows).
``validation``
    :func:`check_sessions` and :func:`validate_sessions`, which collect every
    violation before raising one :class:`~outcomes.errors.SchemaError`.
"""

from .contract import (
    AGE_BANDS,
    ATTRIBUTE_COLUMNS,
    CANONICAL_COLUMNS,
    CHECKS,
    CONDITIONS,
    MISSING_CODES,
    TIMEPOINT_ALIASES,
    TIMEPOINT_DTYPE,
    TIMEPOINTS,
    failure_message,
    split_condition_codes,
    split_conditions,
)
from .validation import check_sessions, validate_sessions
from .values import condition_spellings, per_value

__all__ = [
    "AGE_BANDS",
    "ATTRIBUTE_COLUMNS",
    "CANONICAL_COLUMNS",
    "CHECKS",
    "CONDITIONS",
    "MISSING_CODES",
    "TIMEPOINTS",
    "TIMEPOINT_ALIASES",
    "TIMEPOINT_DTYPE",
    "check_sessions",
    "condition_spellings",
    "failure_message",
    "per_value",
    "split_condition_codes",
    "split_conditions",
    "validate_sessions",
]
