"""The parameters of the synthetic practice: conditions and their courses, attributes and their shares,
sessions and gaps.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa

from ..schema.contract import AGE_BANDS

#: The bands of the data contract the synthetic practice draws from: it sees adults only.
ADULT_AGE_BANDS = AGE_BANDS[1:]


RACE_ETHNICITY = (
    "Black or African American",
    "White",
    "Hispanic or Latina",
    "Asian",
    "Multiracial",
    "Another race or ethnicity",
    "Not reported",
)


PAYERS = ("Medicaid", "Commercial", "Medicare", "Self-pay")


TECHNIQUES = ("CST", "CST + pelvic floor", "pelvic floor")


DEFAULT_SEED = 2026


ATTRIBUTES = ("technique", "age_band", "race_ethnicity", "postpartum", "payer", "year", "days_from_first")


CLIENT_FIELDS = ("age_band", "race_ethnicity", "postpartum", "payer")


SESSION_FIELDS = ("technique", "year", "days_from_first")


KEY = ("client_id", "session", "measure", "timepoint")


PRE, POST, FOLLOWUP = 0, 1, 2


class Condition(NamedTuple):
    """Generating parameters of one condition (severity scales: lower is better)."""

    share: float  # share of clients with this as their (first) condition
    pelvic: bool  # pelvic-floor work is part of care (pelvic_tone measured, PFDI-20 asked)
    pain: float  # baseline pain NRS
    pain_course: float  # mean lasting change of pain over a full course (points; negative = better)
    sleep: float  # baseline sleep *problem* (10 - sleep quality)
    sleep_course: float
    stress: float  # baseline stress NRS
    stress_course: float


CONDITION_PARAMETERS: dict[str, Condition] = {
    # key              share  pelvic pain course sleep course stress course
    "headache": Condition(0.09, False, 5.4, -1.0, 4.6, -0.5, 5.2, -0.6),
    "tmj": Condition(0.08, False, 4.6, -0.9, 4.2, -0.4, 5.4, -0.6),
    "neck_pain": Condition(0.07, False, 5.0, -1.0, 4.4, -0.4, 4.8, -0.5),
    "back_pain": Condition(0.08, False, 5.3, -0.7, 4.4, -0.3, 4.6, -0.4),
    "pelvic_pain": Condition(0.22, True, 5.6, -1.1, 4.6, -0.4, 5.2, -0.6),
    "postpartum": Condition(0.16, True, 4.0, -0.8, 5.8, -0.3, 5.6, -0.5),
    "bladder": Condition(0.09, True, 2.4, 0.25, 4.0, -0.2, 4.4, -0.3),
    "prolapse": Condition(0.05, True, 2.6, 0.3, 3.8, -0.1, 4.2, -0.2),
    "fibromyalgia": Condition(0.04, False, 6.4, -0.5, 6.2, -0.5, 6.0, -0.5),
    "sleep": Condition(0.04, False, 3.2, -0.2, 6.4, -1.0, 5.4, -0.6),
    "stress_anxiety": Condition(0.08, False, 3.6, -0.3, 5.4, -0.6, 6.8, -1.0),
}


CONDITION_KEYS = tuple(CONDITION_PARAMETERS)


N_COND = len(CONDITION_KEYS)


#: How much more often than chance two conditions come together (symmetric).
AFFINITY = {
    ("headache", "tmj"): 6.0,
    ("headache", "neck_pain"): 4.0,
    ("neck_pain", "tmj"): 3.0,
    ("bladder", "pelvic_pain"): 3.0,
    ("pelvic_pain", "postpartum"): 2.0,
    ("bladder", "postpartum"): 3.0,
    ("bladder", "prolapse"): 5.0,
    ("postpartum", "prolapse"): 2.0,
    ("fibromyalgia", "sleep"): 5.0,
    ("fibromyalgia", "stress_anxiety"): 3.0,
    ("sleep", "stress_anxiety"): 5.0,
    ("back_pain", "pelvic_pain"): 2.0,
    ("back_pain", "postpartum"): 2.0,
    ("pelvic_pain", "stress_anxiety"): 1.5,
}


SHARE_TWO_CONDITIONS = 0.15


#: Planned number of sessions 1..12 (before the end of the data period cuts some short).
SESSIONS_PMF = np.array([0.22, 0.16, 0.12, 0.09, 0.08, 0.07, 0.06, 0.05, 0.04, 0.04, 0.03, 0.04])


GAP_DAYS = np.array([7, 14, 21, 28, 42, 56])


GAP_PMF = np.array([0.30, 0.30, 0.15, 0.13, 0.08, 0.04])


AGE_PMF_POSTPARTUM = np.array([0.10, 0.52, 0.34, 0.04, 0.0, 0.0, 0.0, 0.0])


AGE_PMF_PROLAPSE = np.array([0.01, 0.06, 0.14, 0.22, 0.25, 0.19, 0.11, 0.02])


AGE_PMF_OTHER = np.array([0.06, 0.20, 0.22, 0.20, 0.15, 0.11, 0.055, 0.005])


RACE_PMF = np.array([0.42, 0.27, 0.13, 0.06, 0.05, 0.02, 0.05])


PAYER_PMF_POSTPARTUM = np.array([0.50, 0.38, 0.0, 0.12])


PAYER_PMF_ADULT = np.array([0.26, 0.54, 0.02, 0.18])


PAYER_PMF_65 = np.array([0.06, 0.10, 0.76, 0.08])


TECH_PMF_PELVIC = np.array([0.25, 0.50, 0.25])


TECH_PMF_OTHER = np.array([0.93, 0.07, 0.0])


SHARE_QUESTIONNAIRES = 0.6  # of clients with >= 2 sessions


SHARE_PGIC = 0.55  # of clients with >= 2 sessions


def str_array(codes: np.ndarray, labels: Sequence[str] | pa.Array) -> pd.api.extensions.ExtensionArray:
    """``labels[codes]`` as a pandas ``str`` array, built in Arrow (fast for millions of rows).

    Negative codes become missing values.
    """
    codes = np.asarray(codes)
    mask = codes < 0
    indices = pa.array(np.where(mask, 0, codes).astype(np.int32), mask=mask if mask.any() else None)
    dictionary = labels if isinstance(labels, pa.Array) else pa.array(list(labels), type=pa.string())
    strings = pa.DictionaryArray.from_arrays(indices, dictionary).cast(pa.large_string())
    return pd.array(strings, dtype="str")


def draw(
    rng: np.random.Generator, pmf: np.ndarray, size: int | None = None, *, rows: np.ndarray | None = None
) -> np.ndarray:
    """Draw category codes from ``pmf`` (1-D), or from ``pmf[rows]`` (2-D, one pmf per draw)."""
    if rows is None:
        cdf = np.cumsum(pmf / pmf.sum())
        return np.minimum(np.searchsorted(cdf, rng.random(size), side="right"), len(pmf) - 1)
    cdf = np.cumsum(pmf / pmf.sum(axis=1, keepdims=True), axis=1)[rows]
    u = rng.random(len(rows))
    return np.minimum((u[:, None] >= cdf).sum(axis=1), pmf.shape[1] - 1)


def scaled(values: np.ndarray, lo: float, hi: float) -> np.ndarray:
    """Round to whole points and clip to ``lo..hi`` (float64)."""
    return np.clip(np.rint(values), lo, hi)


class SessionPlan(NamedTuple):
    client: np.ndarray  # client index of each session (sorted)
    number: np.ndarray  # session number 1..
    first: np.ndarray  # per client: index of the first session
    n_sessions: np.ndarray  # per client: number of sessions
