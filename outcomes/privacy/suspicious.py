"""Single values that look like a direct identifier wherever they stand: for messages and headers."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .names import full_names
from .rules import (
    ADDRESS,
    DATE,
    DAY_MONTH,
    EMAIL,
    EMAIL_SPELLED,
    IP,
    LONG_CELL,
    MBI,
    MONTH_YEAR,
    MRN,
    NOT_NAME_WORDS,
    PHONE_INTL,
    PHONE_US,
    SSN,
    STATE_ZIP,
    URL,
    digit_count,
    matches,
)

__all__ = ["suspicious_values"]


def suspicious_values(values: Sequence[str]) -> np.ndarray:
    """Which single values look like a direct identifier wherever they stand, as booleans.

    For messages: a value quoted in an error (an unknown measure, a timepoint, a score) is shown
    only when this is False. True for any value with the shape of an e-mail address, phone
    number, SSN, record number, URL, IP address, date, street address or ZIP code with its
    state, and for a person-like name (two or three capitalised words, or upper case ones, that
    are not a category label, the first of them a common given name).

    >>> suspicious_values(["pain_nrs", "Jane Doe", "jane@example.com", "Pelvic pain", "15"]).tolist()
    [False, True, True, False, False]
    """
    texts = [str(v)[:LONG_CELL] for v in values]
    if not texts:
        return np.zeros(0, dtype=bool)
    hit = np.zeros(len(texts), dtype=bool)
    for pattern in (
        EMAIL,
        EMAIL_SPELLED,
        PHONE_US,
        SSN,
        MRN,
        MBI,
        URL,
        IP,
        DATE,
        DAY_MONTH,
        ADDRESS,
        STATE_ZIP,
    ):
        hit |= matches(texts, pattern)
    hit |= matches(texts, MONTH_YEAR, full=True)
    hit |= digit_count(texts, PHONE_INTL, 8, 15)
    hit |= full_names(texts, NOT_NAME_WORDS)
    hit |= np.array([len(t) > LONG_CELL for t in values], dtype=bool)
    return hit
