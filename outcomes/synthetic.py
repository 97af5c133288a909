"""Synthetic practice data: realistic, seeded, clearly labelled as not real.

A pelvic-health / craniosacral therapy (CST) practice's anonymized session
records are simulated client by client (vectorized with numpy, so a million
clients take seconds) and returned as the canonical long table of
:mod:`outcomes.schema`. The same data can be laid out the ways practices export
them (:func:`to_layout`), a deliberately broken export exercises the readers'
checks (:func:`broken_export`), and :func:`write_samples` writes the files in
``data_samples/``. Run ``python -m outcomes.synthetic DIR`` to regenerate them.

The numbers are plausible, not flattering: immediate (pre -> post) relief of
about one point on a 0-10 scale with client-to-client heterogeneity, modest
lasting change over a course of care that differs by condition (about zero for
pain in bladder and prolapse clients), some clients who get worse, floor
effects, a first-session flare that regresses to the mean, dropout after one to
three sessions for half of the clients, and a few values not recorded.

Notes
-----
Model, per client ``c`` and session ``k = 1, 2, ...`` (symptom scales are
simulated as severity, lower is better; sleep quality is ``10 - severity``)::

    S[c, k]    = base[c] + course[c] * (1 - exp(-(k - 1) / 2.5))
                 + flare[c] * (k == 1) + e[c, k]                 (session state)
    pre        = round(clip(S, 0, 10))
    post       = round(clip(clip(S, 0, 10) * (1 - r[c, k]) + u, 0, 10))
    followup   = round(clip(clip(S, 0, 10) * (1 - r[c, k] * retention[c]) + v, 0, 10))

``course[c]`` has a condition-specific mean and is correlated across measures
through a client-level responder latent; tone grades (-3..+3) drift toward 0
by a client-specific fraction; questionnaires are simulated item by item from
a latent severity so that totals have the granularity of the real instruments
(HIT-6 items 6/8/10/11/13; PFDI-20 as the sum of three subscale means x 25).
"""

from __future__ import annotations

import argparse
import io as _io
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .instruments import default_registry
from .schema import TIMEPOINT_DTYPE, TIMEPOINTS

__all__ = [
    "AGE_BANDS",
    "LAYOUTS",
    "PAYERS",
    "RACE_ETHNICITY",
    "TECHNIQUES",
    "broken_export",
    "generate_practice",
    "generate_rows",
    "main",
    "sample_data",
    "to_layout",
    "write_samples",
]

#: Layouts :func:`to_layout` produces (the readers in :mod:`outcomes.io` accept them all).
LAYOUTS = ("long", "prepost", "wide", "redcap")
AGE_BANDS = ("18-24", "25-34", "35-44", "45-54", "55-64", "65-74", "75-89", "90+")
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

_DEFAULT_SEED = 2026
_ATTRIBUTES = ("technique", "age_band", "race_ethnicity", "postpartum", "payer", "year", "days_from_first")
_CLIENT_FIELDS = ("age_band", "race_ethnicity", "postpartum", "payer")
_SESSION_FIELDS = ("technique", "year", "days_from_first")
_KEY = ("client_id", "session", "measure", "timepoint")
_PRE, _POST, _FOLLOWUP = 0, 1, 2
_REDCAP_IDS = ("record_id", "redcap_event_name", "redcap_repeat_instrument", "redcap_repeat_instance")


class _Condition(NamedTuple):
    """Generating parameters of one condition (severity scales: lower is better)."""

    share: float  # share of clients with this as their (first) condition
    pelvic: bool  # pelvic-floor work is part of care (pelvic_tone measured, PFDI-20 asked)
    pain: float  # baseline pain NRS
    pain_course: float  # mean lasting change of pain over a full course (points; negative = better)
    sleep: float  # baseline sleep *problem* (10 - sleep quality)
    sleep_course: float
    stress: float  # baseline stress NRS
    stress_course: float


_CONDITIONS: dict[str, _Condition] = {
    # key              share  pelvic pain course sleep course stress course
    "headache": _Condition(0.09, False, 5.4, -1.0, 4.6, -0.5, 5.2, -0.6),
    "tmj": _Condition(0.08, False, 4.6, -0.9, 4.2, -0.4, 5.4, -0.6),
    "neck_pain": _Condition(0.07, False, 5.0, -1.0, 4.4, -0.4, 4.8, -0.5),
    "back_pain": _Condition(0.08, False, 5.3, -0.7, 4.4, -0.3, 4.6, -0.4),
    "pelvic_pain": _Condition(0.22, True, 5.6, -1.1, 4.6, -0.4, 5.2, -0.6),
    "postpartum": _Condition(0.16, True, 4.0, -0.8, 5.8, -0.3, 5.6, -0.5),
    "bladder": _Condition(0.09, True, 2.4, 0.25, 4.0, -0.2, 4.4, -0.3),
    "prolapse": _Condition(0.05, True, 2.6, 0.3, 3.8, -0.1, 4.2, -0.2),
    "fibromyalgia": _Condition(0.04, False, 6.4, -0.5, 6.2, -0.5, 6.0, -0.5),
    "sleep": _Condition(0.04, False, 3.2, -0.2, 6.4, -1.0, 5.4, -0.6),
    "stress_anxiety": _Condition(0.08, False, 3.6, -0.3, 5.4, -0.6, 6.8, -1.0),
}
_COND_KEYS = tuple(_CONDITIONS)
_N_COND = len(_COND_KEYS)
#: How much more often than chance two conditions come together (symmetric).
_AFFINITY = {
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
_SHARE_TWO_CONDITIONS = 0.15
#: Planned number of sessions 1..12 (before the end of the data period cuts some short).
_SESSIONS_PMF = np.array([0.22, 0.16, 0.12, 0.09, 0.08, 0.07, 0.06, 0.05, 0.04, 0.04, 0.03, 0.04])
_GAP_DAYS = np.array([7, 14, 21, 28, 42, 56])
_GAP_PMF = np.array([0.30, 0.30, 0.15, 0.13, 0.08, 0.04])
_AGE_PMF_POSTPARTUM = np.array([0.10, 0.52, 0.34, 0.04, 0.0, 0.0, 0.0, 0.0])
_AGE_PMF_PROLAPSE = np.array([0.01, 0.06, 0.14, 0.22, 0.25, 0.19, 0.11, 0.02])
_AGE_PMF_OTHER = np.array([0.06, 0.20, 0.22, 0.20, 0.15, 0.11, 0.055, 0.005])
_RACE_PMF = np.array([0.42, 0.27, 0.13, 0.06, 0.05, 0.02, 0.05])
_PAYER_PMF_POSTPARTUM = np.array([0.50, 0.38, 0.0, 0.12])
_PAYER_PMF_ADULT = np.array([0.26, 0.54, 0.02, 0.18])
_PAYER_PMF_65 = np.array([0.06, 0.10, 0.76, 0.08])
_TECH_PMF_PELVIC = np.array([0.25, 0.50, 0.25])
_TECH_PMF_OTHER = np.array([0.93, 0.07, 0.0])
_SHARE_QUESTIONNAIRES = 0.6  # of clients with >= 2 sessions
_SHARE_PGIC = 0.55  # of clients with >= 2 sessions


# ---------------------------------------------------------------------------------------
# small helpers
# ---------------------------------------------------------------------------------------
def _str_array(codes: np.ndarray, labels: Sequence[str] | pa.Array) -> pd.api.extensions.ExtensionArray:
    """``labels[codes]`` as a pandas ``str`` array, built in Arrow (fast for millions of rows).

    Negative codes become missing values.
    """
    codes = np.asarray(codes)
    mask = codes < 0
    indices = pa.array(np.where(mask, 0, codes).astype(np.int32), mask=mask if mask.any() else None)
    dictionary = labels if isinstance(labels, pa.Array) else pa.array(list(labels), type=pa.string())
    strings = pa.DictionaryArray.from_arrays(indices, dictionary).cast(pa.large_string())
    return pd.array(strings, dtype="str")


def _draw(
    rng: np.random.Generator, pmf: np.ndarray, size: int | None = None, *, rows: np.ndarray | None = None
) -> np.ndarray:
    """Draw category codes from ``pmf`` (1-D), or from ``pmf[rows]`` (2-D, one pmf per draw)."""
    if rows is None:
        cdf = np.cumsum(pmf / pmf.sum())
        return np.minimum(np.searchsorted(cdf, rng.random(size), side="right"), len(pmf) - 1)
    cdf = np.cumsum(pmf / pmf.sum(axis=1, keepdims=True), axis=1)[rows]
    u = rng.random(len(rows))
    return np.minimum((u[:, None] >= cdf).sum(axis=1), pmf.shape[1] - 1)


def _scale(values: np.ndarray, lo: float, hi: float) -> np.ndarray:
    """Round to whole points and clip to ``lo..hi`` (float64)."""
    return np.clip(np.rint(values), lo, hi)


def _items(
    rng: np.random.Generator, theta: np.ndarray, n_items: int, item_max: int, sd: float = 0.12
) -> np.ndarray:
    """Item responses 0..item_max for ``n_items`` items around latent severity ``theta`` (0..1).

    Returns an array of shape ``(len(theta), n_items)``.
    """
    p = np.clip(theta[:, None] + rng.normal(0.0, sd, (len(theta), n_items)), 0.01, 0.99)
    return rng.binomial(item_max, p)


class _Sessions(NamedTuple):
    client: np.ndarray  # client index of each session (sorted)
    number: np.ndarray  # session number 1..
    first: np.ndarray  # per client: index of the first session
    n_sessions: np.ndarray  # per client: number of sessions


# ---------------------------------------------------------------------------------------
# the generator
# ---------------------------------------------------------------------------------------
def _clients(rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    """Client-level draws: conditions, attributes, responder latent."""
    share = np.array([c.share for c in _CONDITIONS.values()])
    primary = _draw(rng, share, n)
    weights = np.tile(share, (_N_COND, 1))
    for (a, b), factor in _AFFINITY.items():
        i, j = _COND_KEYS.index(a), _COND_KEYS.index(b)
        weights[i, j] *= factor
        weights[j, i] *= factor
    np.fill_diagonal(weights, 0.0)
    second = _draw(rng, weights, rows=primary)
    second = np.where(rng.random(n) < _SHARE_TWO_CONDITIONS, second, primary)
    member = np.zeros((n, _N_COND), dtype=bool)
    member[np.arange(n), primary] = True
    member[np.arange(n), second] = True

    pelvic = np.asarray(member[:, [c.pelvic for c in _CONDITIONS.values()]].any(axis=1))
    is_pp = member[:, _COND_KEYS.index("postpartum")]
    is_prolapse = member[:, _COND_KEYS.index("prolapse")]
    p_postpartum = np.where(is_pp, 0.92, np.where(pelvic, 0.30, 0.08))
    postpartum = np.asarray(rng.random(n) < p_postpartum)
    age_pmf = np.stack([_AGE_PMF_OTHER, _AGE_PMF_POSTPARTUM, _AGE_PMF_PROLAPSE])
    age = _draw(rng, age_pmf, rows=np.where(postpartum, 1, np.where(is_prolapse, 2, 0)))
    race = _draw(rng, _RACE_PMF, n)
    payer_pmf = np.stack([_PAYER_PMF_ADULT, _PAYER_PMF_POSTPARTUM, _PAYER_PMF_65])
    payer = _draw(
        rng, payer_pmf, rows=np.where(postpartum, 1, np.where(age >= AGE_BANDS.index("65-74"), 2, 0))
    )
    tech_pmf = np.stack([_TECH_PMF_OTHER, _TECH_PMF_PELVIC])
    technique = _draw(rng, tech_pmf, rows=pelvic.astype(np.intp))
    return {
        "primary": primary,
        "second": second,
        "member": member,
        "pelvic": pelvic,
        "postpartum": postpartum,
        "age": age,
        "race": race,
        "payer": payer,
        "technique": technique,
        "responder": rng.standard_normal(n),
    }


def _sessions(rng: np.random.Generator, start_day: np.ndarray, n_days: int) -> tuple[_Sessions, np.ndarray]:
    """Sessions per client with dropout and spacing; sessions after the data period are cut off.

    Returns the sessions and each session's day offset from the client's first session.
    """
    n = len(start_day)
    planned = _draw(rng, _SESSIONS_PMF, n) + 1
    client = np.repeat(np.arange(n), planned)
    first = np.cumsum(planned) - planned
    k = np.arange(len(client)) - first[client]
    gap = _GAP_DAYS[_draw(rng, _GAP_PMF, len(client))] + rng.integers(-2, 3, len(client))
    gap[k == 0] = 0
    total = np.cumsum(gap)
    days = total - total[first][client]
    keep = start_day[client] + days < n_days  # always true for the first session
    client, k, days = client[keep], k[keep], days[keep]
    count = np.bincount(client, minlength=n)
    first = np.cumsum(count) - count
    return _Sessions(client, k + 1, first, count), days


def _symptom_nrs(
    rng: np.random.Generator,
    sessions: _Sessions,
    base: np.ndarray,
    course: np.ndarray,
    relief_mean: float,
    responder: np.ndarray,
    post_lost: np.ndarray,
    followup: np.ndarray,
    pre_missing: float,
) -> list[tuple[int, np.ndarray, np.ndarray]]:
    """One 0-10 severity scale (lower is better) at pre, post and followup of every session.

    Returns ``(timepoint code, session indices, scores)`` per timepoint.
    """
    n, c, k = len(base), sessions.client, sessions.number - 1
    flare = rng.normal(0.3, 0.6, n)  # clients tend to start care in a bad spell
    shape = 1.0 - np.exp(-k / 2.5)
    state = base[c] + course[c] * shape + flare[c] * (k == 0) + rng.normal(0.0, 0.9, len(c))
    state = np.clip(state, 0.0, 10.0)
    relief_c = np.clip(rng.normal(relief_mean, 0.10, n) + 0.04 * responder, -0.15, 0.7)
    relief = relief_c[c] + rng.normal(0.0, 0.08, len(c))
    retention = np.clip(rng.normal(0.5, 0.25, n), 0.0, 1.0)[c]
    pre = _scale(state, 0, 10)
    post = _scale(state * (1.0 - relief) + rng.normal(0.0, 0.5, len(c)), 0, 10)
    later = _scale(state * (1.0 - relief * retention) + rng.normal(0.0, 0.8, len(c)), 0, 10)
    has_pre = rng.random(len(c)) >= pre_missing
    has_post = ~post_lost & (rng.random(len(c)) >= 0.01)
    has_later = followup & (rng.random(len(c)) >= 0.03)
    return [
        (_PRE, np.flatnonzero(has_pre), pre[has_pre]),
        (_POST, np.flatnonzero(has_post), post[has_post]),
        (_FOLLOWUP, np.flatnonzero(has_later), later[has_later]),
    ]


def _tone(
    rng: np.random.Generator,
    sessions: _Sessions,
    eligible: np.ndarray,
    baseline: np.ndarray,
    responder: np.ndarray,
) -> list[tuple[int, np.ndarray, np.ndarray]]:
    """A -3..+3 tone grade (0 normal) at pre and post of sessions of ``eligible`` clients."""
    n, c, k = len(baseline), sessions.client, sessions.number - 1
    toward = np.clip(rng.normal(0.3, 0.25, n) + 0.05 * responder, -0.2, 0.8)  # lasting share moved to 0
    immediate = np.clip(rng.normal(0.25, 0.15, n), -0.1, 0.7)[c]
    shape = 1.0 - np.exp(-k / 2.5)
    state = baseline[c] * (1.0 - toward[c] * shape) + rng.normal(0.0, 0.45, len(c))
    state = np.clip(state, -3.0, 3.0)
    pre = _scale(state, -3, 3)
    post = _scale(state * (1.0 - immediate) + rng.normal(0.0, 0.35, len(c)), -3, 3)
    measured = eligible[c] & (rng.random(len(c)) < 0.9)
    has_post = measured & (rng.random(len(c)) >= 0.03)
    return [
        (_PRE, np.flatnonzero(measured), pre[measured]),
        (_POST, np.flatnonzero(has_post), post[has_post]),
    ]


def _questionnaires(
    rng: np.random.Generator, cl: dict[str, np.ndarray], sessions: _Sessions, pain_course: np.ndarray
) -> list[tuple[str, int, np.ndarray, np.ndarray]]:
    """Intake and discharge questionnaires (first and last session ``pre``) and PGIC (last ``post``)."""
    n = len(sessions.n_sessions)
    member, z = cl["member"], cl["responder"]

    def has(*keys: str) -> np.ndarray:
        return np.asarray(member[:, [_COND_KEYS.index(key) for key in keys]].any(axis=1))

    def mean_of(values: dict[str, float], default: float) -> np.ndarray:
        table = np.array([values.get(key, default) for key in _COND_KEYS])
        return (table[cl["primary"]] + table[cl["second"]]) / 2.0

    several = sessions.n_sessions >= 2
    asked = several & (rng.random(n) < _SHARE_QUESTIONNAIRES)
    discharge = asked & (rng.random(n) >= 0.08)  # a few discharge forms not returned
    first_idx = sessions.first
    last_idx = sessions.first + sessions.n_sessions - 1
    blocks: list[tuple[str, int, np.ndarray, np.ndarray]] = []

    def course(
        theta0_mean: np.ndarray, sd0: float, change_mean: np.ndarray, sd_change: float, who: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        theta0 = np.clip(theta0_mean + rng.normal(0.0, sd0, n), 0.03, 0.97)
        change = change_mean + sd_change * (-0.6 * z + 0.8 * rng.standard_normal(n))
        theta1 = np.clip(theta0 + change, 0.02, 0.98)
        return theta0[who], theta1[who]

    def add(measure: str, who: np.ndarray, score0: np.ndarray, score1: np.ndarray) -> None:
        later = discharge[who]
        blocks.append((measure, _PRE, first_idx[who], score0))
        blocks.append((measure, _PRE, last_idx[who][later], score1[later]))

    # PSQI: 7 components scored 0-3
    who = asked & (has("sleep", "fibromyalgia", "stress_anxiety") | (rng.random(n) < 0.2))
    base = mean_of({"sleep": 0.56, "fibromyalgia": 0.56, "stress_anxiety": 0.48}, 0.38)
    change = mean_of({"sleep": -0.08, "fibromyalgia": -0.05, "stress_anxiety": -0.06}, -0.04)
    t0, t1 = course(base, 0.15, change, 0.09, who)
    add("psqi", who, _items(rng, t0, 7, 3).sum(axis=1), _items(rng, t1, 7, 3).sum(axis=1))

    # HIT-6: 6 items answered never..always = 6, 8, 10, 11, 13
    who = asked & has("headache")
    hit_points = np.array([6, 8, 10, 11, 13])
    t0, t1 = course(np.full(n, 0.62), 0.14, np.full(n, -0.07), 0.09, who)
    add(
        "hit6",
        who,
        hit_points[_items(rng, t0, 6, 4)].sum(axis=1),
        hit_points[_items(rng, t1, 6, 4)].sum(axis=1),
    )

    # PFDI-20: UDI-6, POPDI-6, CRADI-8 (items 0-4); summary = sum of the three item means x 25
    who = asked & cl["pelvic"]
    severity = np.clip(rng.normal(0.30, 0.12, n), 0.03, 0.9)
    offsets = {
        "udi": {"bladder": 0.16, "prolapse": 0.06, "pelvic_pain": 0.04, "postpartum": 0.04},
        "popdi": {"prolapse": 0.22, "bladder": 0.02, "postpartum": 0.03},
        "cradi": {"pelvic_pain": 0.06, "postpartum": 0.05},
    }
    change = mean_of({"pelvic_pain": -0.06, "postpartum": -0.06, "bladder": -0.05, "prolapse": -0.015}, -0.04)
    total0, total1 = np.zeros(who.sum()), np.zeros(who.sum())
    for offset, n_items in zip(offsets.values(), (6, 6, 8), strict=True):
        t0, t1 = course(severity + mean_of(offset, 0.0), 0.06, change, 0.07, who)
        total0 += _items(rng, t0, n_items, 4).mean(axis=1) * 25.0
        total1 += _items(rng, t1, n_items, 4).mean(axis=1) * 25.0
    add("pfdi20", who, np.round(total0, 2), np.round(total1, 2))

    # NDI: 10 items 0-5, total 0-50
    who = asked & has("neck_pain")
    t0, t1 = course(np.full(n, 0.32), 0.14, np.full(n, -0.06), 0.09, who)
    add("ndi", who, _items(rng, t0, 10, 5).sum(axis=1), _items(rng, t1, 10, 5).sum(axis=1))

    # ODI: 10 items 0-5, percent = 2 x sum
    who = asked & has("back_pain")
    t0, t1 = course(np.full(n, 0.32), 0.15, np.full(n, -0.05), 0.10, who)
    add("odi", who, 2 * _items(rng, t0, 10, 5).sum(axis=1), 2 * _items(rng, t1, 10, 5).sum(axis=1))

    # GAD-7: 7 items 0-3
    who = asked & has("stress_anxiety")
    t0, t1 = course(np.full(n, 0.50), 0.18, np.full(n, -0.10), 0.11, who)
    add("gad7", who, _items(rng, t0, 7, 3).sum(axis=1), _items(rng, t1, 7, 3).sum(axis=1))

    # PGIC at the last session's post: 1 = very much improved .. 7 = very much worse
    who = several & (rng.random(n) < _SHARE_PGIC)
    latent = 3.2 - 0.8 * z + 0.45 * pain_course + rng.normal(0.0, 0.7, n)
    blocks.append(("pgic", _POST, last_idx[who], _scale(latent[who], 1, 7)))
    return [(m, tp, idx, np.asarray(s, dtype=np.float64)) for m, tp, idx, s in blocks]


def generate_practice(
    *,
    n_clients: int = 200,
    start_year: int = 2024,
    n_years: int = 3,
    seed: int | np.random.Generator | None = _DEFAULT_SEED,
) -> pd.DataFrame:
    """Simulate a practice's anonymized session records as the canonical long table.

    Parameters
    ----------
    n_clients : int
        Number of clients (each has 1-12 sessions).
    start_year : int
        Calendar year of the start of the data period.
    n_years : int
        Length of the data period in years. Clients start uniformly across it;
        sessions that would fall after its end are not in the data.
    seed : int, numpy.random.Generator or None
        Same seed, same data (``None``: fresh randomness).

    Returns
    -------
    DataFrame
        One row per client x session x measure x timepoint, sorted by
        ``client_id, session, measure, timepoint``, with columns

        - ``client_id`` (str): ``C0001`` ...
        - ``session`` (int64): 1, 2, ... within each client
        - ``timepoint`` (ordered categorical ``pre < post < followup``)
        - ``measure`` (str): registry key (``pain_nrs``, ``sleep_quality_nrs``,
          ``stress_nrs``, ``jaw_tone``, ``pelvic_tone``, ``psqi``, ``hit6``,
          ``pfdi20``, ``ndi``, ``odi``, ``gad7``, ``pgic``)
        - ``score`` (float64): within the measure's registry range; never missing
          (a value that was not recorded has no row)
        - ``condition`` (str): one or two condition keys, sorted, joined with ``;``
        - ``technique`` (str, may change between sessions), ``age_band``,
          ``race_ethnicity``, ``postpartum`` (``yes``/``no``), ``payer`` (str,
          constant per client), ``year`` (int64, calendar year of the session),
          ``days_from_first`` (int64, 0 at the client's first session).

    Raises
    ------
    ValueError
        If ``n_clients`` or ``n_years`` is not a positive integer.

    See Also
    --------
    generate_rows : choose ``n_clients`` for a target number of rows.
    to_layout : the same data as practices export it.

    Notes
    -----
    The data are synthetic and must never be presented as real clients. The
    generating model is described in the module docstring; its effects sit in the
    range published for CST (standardized changes mostly 0.2-0.8, some about 0).

    Examples
    --------
    >>> frame = generate_practice(n_clients=20, seed=1)
    >>> frame["client_id"].nunique()
    20
    >>> list(frame.columns[:6])
    ['client_id', 'session', 'timepoint', 'measure', 'score', 'condition']
    """
    for name, value in (("n_clients", n_clients), ("n_years", n_years)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
            raise ValueError(f"{name} must be a positive whole number, got {value!r}")
    rng_clients, rng_sessions, rng_nrs, rng_tone, rng_forms = np.random.default_rng(seed).spawn(5)
    n = int(n_clients)
    cl = _clients(rng_clients, n)

    period_start = np.datetime64(f"{int(start_year):04d}-01-01", "D")
    n_days = int(
        (np.datetime64(f"{int(start_year) + int(n_years):04d}-01-01", "D") - period_start).astype(int)
    )
    start_day = rng_sessions.integers(0, n_days, n)
    sessions, days = _sessions(rng_sessions, start_day, n_days)
    dates = period_start + (start_day[sessions.client] + days).astype("timedelta64[D]")
    year = dates.astype("datetime64[Y]").astype(np.int64) + 1970
    n_sess = len(sessions.client)
    redraw = rng_sessions.random(n_sess) < 0.12
    tech_pmf = np.stack([_TECH_PMF_OTHER, _TECH_PMF_PELVIC])
    technique = np.where(
        redraw,
        _draw(rng_sessions, tech_pmf, rows=cl["pelvic"][sessions.client].astype(np.intp)),
        cl["technique"][sessions.client],
    )

    # -- NRS measures at every session ------------------------------------------------------
    z = cl["responder"]

    def per_client(field: str, shift: float = 0.0) -> np.ndarray:
        table = np.array([getattr(c, field) for c in _CONDITIONS.values()])
        two = cl["primary"] != cl["second"]
        return (table[cl["primary"]] + table[cl["second"]]) / 2.0 + shift * two

    post_lost = rng_nrs.random(n_sess) < 0.02  # the client left before the post ratings
    followup = rng_nrs.random(n_sess) < 0.30  # the client reported a few days later
    pain_course = per_client("pain_course") + 1.2 * (-0.6 * z + 0.8 * rng_nrs.standard_normal(n))
    blocks: list[tuple[str, int, np.ndarray, np.ndarray]] = []
    nrs = {
        "pain_nrs": (per_client("pain", 0.4) + rng_nrs.normal(0.0, 1.7, n), pain_course, 0.20, 0.0),
        "sleep_quality_nrs": (
            per_client("sleep", 0.3) + rng_nrs.normal(0.0, 1.6, n),
            per_client("sleep_course") + 1.1 * (-0.5 * z + 0.87 * rng_nrs.standard_normal(n)),
            0.08,
            0.01,
        ),
        "stress_nrs": (
            per_client("stress", 0.3) + rng_nrs.normal(0.0, 1.7, n),
            per_client("stress_course") + 1.2 * (-0.5 * z + 0.87 * rng_nrs.standard_normal(n)),
            0.24,
            0.01,
        ),
    }
    for measure, (base, course, relief, pre_missing) in nrs.items():
        for tp, idx, score in _symptom_nrs(
            rng_nrs, sessions, base, course, relief, z, post_lost, followup, pre_missing
        ):
            blocks.append((measure, tp, idx, 10.0 - score if measure == "sleep_quality_nrs" else score))

    # -- tone on palpation ------------------------------------------------------------------
    member = cl["member"]
    is_tmj = member[:, _COND_KEYS.index("tmj")]
    jaw_eligible = is_tmj | member[:, _COND_KEYS.index("headache")]
    jaw = np.where(is_tmj, rng_tone.normal(1.7, 0.7, n), rng_tone.normal(1.0, 0.8, n))
    jaw = np.where(rng_tone.random(n) < 0.05, rng_tone.normal(-1.0, 0.5, n), jaw)
    hypotonic = {"prolapse": 0.45, "bladder": 0.35, "postpartum": 0.25, "pelvic_pain": 0.08}
    p_hypo = np.max(member * np.array([hypotonic.get(key, 0.0) for key in _COND_KEYS]), axis=1)
    pelvic = np.where(
        rng_tone.random(n) < p_hypo, rng_tone.normal(-1.5, 0.6, n), rng_tone.normal(1.9, 0.7, n)
    )
    for measure, eligible, baseline in (
        ("jaw_tone", jaw_eligible, jaw),
        ("pelvic_tone", cl["pelvic"], pelvic),
    ):
        for tp, idx, score in _tone(rng_tone, sessions, eligible, baseline, z):
            blocks.append((measure, tp, idx, score))

    # -- questionnaires ---------------------------------------------------------------------
    blocks.extend(_questionnaires(rng_forms, cl, sessions, pain_course))

    # -- assemble in sorted order -----------------------------------------------------------
    measures = sorted({b[0] for b in blocks})
    rank = {m: i for i, m in enumerate(measures)}
    row_sess = np.concatenate([b[2] for b in blocks]).astype(np.int64)
    row_measure = np.concatenate([np.full(len(b[2]), rank[b[0]], dtype=np.int8) for b in blocks])
    row_tp = np.concatenate([np.full(len(b[2]), b[1], dtype=np.int8) for b in blocks])
    row_score = np.concatenate([b[3] for b in blocks]).astype(np.float64)
    del blocks
    key = (row_sess * len(measures) + row_measure) * 3 + row_tp
    order = np.argsort(key, kind="stable")  # blocks are sorted runs: a fast merge
    del key
    row_sess, row_measure, row_tp, row_score = (
        row_sess[order],
        row_measure[order],
        row_tp[order],
        row_score[order],
    )
    del order
    row_client = sessions.client[row_sess]

    width = max(4, len(str(n)))
    numbers = pa.array(np.arange(1, n + 1)).cast(pa.string())
    client_ids = pc.binary_join_element_wise("C", pc.utf8_lpad(numbers, width, "0"), "")
    combos = [
        ";".join(sorted({_COND_KEYS[a], _COND_KEYS[b]})) for a in range(_N_COND) for b in range(_N_COND)
    ]
    condition = cl["primary"] * _N_COND + cl["second"]
    columns = {
        "client_id": _str_array(row_client, client_ids),
        "session": sessions.number[row_sess].astype(np.int64),
        "timepoint": pd.Categorical.from_codes(row_tp, dtype=TIMEPOINT_DTYPE),
        "measure": _str_array(row_measure, measures),
        "score": row_score,
        "condition": _str_array(condition[row_client], combos),
        "technique": _str_array(technique[row_sess], TECHNIQUES),
        "age_band": _str_array(cl["age"][row_client], AGE_BANDS),
        "race_ethnicity": _str_array(cl["race"][row_client], RACE_ETHNICITY),
        "postpartum": _str_array(cl["postpartum"][row_client].astype(np.int8), ("no", "yes")),
        "payer": _str_array(cl["payer"][row_client], PAYERS),
        "year": year[row_sess],
        "days_from_first": days[row_sess].astype(np.int64),
    }
    return pd.DataFrame(columns, copy=False)


def generate_rows(
    n_rows: int,
    *,
    start_year: int = 2024,
    n_years: int = 3,
    seed: int | np.random.Generator | None = _DEFAULT_SEED,
) -> pd.DataFrame:
    """Simulate a practice with about ``n_rows`` rows of the long table (for benchmarks).

    ``n_clients`` is chosen from the rows per client of a 10,000-client pilot run
    (a few hundredths of a second), so the result lands within about 2% of
    ``n_rows`` (whole clients only, so small targets are rougher).

    Parameters
    ----------
    n_rows : int
        Target number of rows (client x session x measure x timepoint).
    start_year, n_years, seed
        As in :func:`generate_practice`.

    Returns
    -------
    DataFrame
        As :func:`generate_practice`.

    Examples
    --------
    >>> frame = generate_rows(5_000, seed=3)
    >>> 4_000 < len(frame) < 6_000
    True
    """
    if isinstance(n_rows, bool) or not isinstance(n_rows, (int, np.integer)) or n_rows < 1:
        raise ValueError(f"n_rows must be a positive whole number, got {n_rows!r}")
    pilot_seed: int | np.random.Generator | None = seed
    if isinstance(seed, np.random.Generator):
        pilot_seed, seed = seed.spawn(2)
    pilot_clients = 10_000
    pilot = generate_practice(
        n_clients=pilot_clients, start_year=start_year, n_years=n_years, seed=pilot_seed
    )
    n_clients = max(1, round(int(n_rows) * pilot_clients / len(pilot)))
    return generate_practice(n_clients=n_clients, start_year=start_year, n_years=n_years, seed=seed)


# ---------------------------------------------------------------------------------------
# layouts
# ---------------------------------------------------------------------------------------
def _check_layout(layout: str) -> None:
    if layout not in LAYOUTS:
        raise ValueError(f"layout must be one of {', '.join(repr(x) for x in LAYOUTS)}, got {layout!r}")


def _timepoint_strings(values: pd.Series) -> pd.api.extensions.ExtensionArray:
    cat = pd.Categorical(values, dtype=TIMEPOINT_DTYPE)
    return _str_array(cat.codes, TIMEPOINTS)


def _groups(frame: pd.DataFrame, keys: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Group number of every row (groups in sorted key order) and the first row of each group."""
    gid = frame.groupby(keys, sort=True, observed=True, dropna=False).ngroup().to_numpy()
    order = np.argsort(gid, kind="stable")
    starts = np.flatnonzero(np.r_[True, np.diff(gid[order]) != 0])
    return gid, order[starts]


def _require_constant(
    frame: pd.DataFrame, gid: np.ndarray, first: np.ndarray, columns: Sequence[str], within: str
) -> None:
    """Raise if a column would lose values when kept once per group."""
    varying = []
    for col in columns:
        values = frame[col]
        ref = values.iloc[first[gid]].reset_index(drop=True)
        cur = values.reset_index(drop=True)
        same = (cur == ref) | (cur.isna() & ref.isna())
        if not bool(same.all()):
            varying.append(col)
    if varying:
        raise ValueError(
            f"column(s) {', '.join(repr(c) for c in varying)} vary within one {within}; "
            "this layout keeps one value per " + within + ", so values would be lost. "
            "Use the 'long' layout for these data."
        )


def _attribute_columns(frame: pd.DataFrame) -> list[str]:
    return [
        c
        for c in frame.columns
        if c not in ("client_id", "session", "timepoint", "measure", "score", "condition")
    ]


def _measure_columns(frame: pd.DataFrame) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Wide column names ``<measure>_<timepoint>`` in registry order, and each row's column number."""
    registry_order = list(default_registry())
    present = pd.unique(frame["measure"].astype("str"))
    known = [m for m in registry_order if m in set(present)]
    measures = known + sorted(set(present) - set(known))
    m_code = pd.Categorical(frame["measure"].astype("str"), categories=measures).codes.astype(np.int64)
    t_code = pd.Categorical(frame["timepoint"], dtype=TIMEPOINT_DTYPE).codes.astype(np.int64)
    occurs = np.zeros((len(measures), len(TIMEPOINTS)), dtype=bool)
    occurs[m_code, t_code] = True
    col_of = np.full(occurs.shape, -1, dtype=np.int64)
    col_of[occurs] = np.arange(occurs.sum())
    names = [f"{m}_{t}" for i, m in enumerate(measures) for j, t in enumerate(TIMEPOINTS) if occurs[i, j]]
    return names, col_of[m_code, t_code], t_code


def _wide(frame: pd.DataFrame) -> pd.DataFrame:
    gid, first = _groups(frame, ["client_id", "session"])
    attrs = _attribute_columns(frame)
    _require_constant(frame, gid, first, ["condition", *attrs], "client and session")
    names, col, _ = _measure_columns(frame)
    values = np.full((len(first), len(names)), np.nan)
    values[gid, col] = frame["score"].to_numpy(dtype=np.float64)
    out = frame.iloc[first][["client_id", "session", "condition", *attrs]].reset_index(drop=True)
    return pd.concat([out, pd.DataFrame(values, columns=names)], axis=1)


def to_layout(frame: pd.DataFrame, layout: str) -> pd.DataFrame:
    """Lay the canonical long table out the way practices export it.

    Parameters
    ----------
    frame : DataFrame
        Canonical long table (as from :func:`generate_practice`).
    layout : {'long', 'prepost', 'wide', 'redcap'}
        - ``long``: the canonical table, ``timepoint`` as plain strings.
        - ``prepost``: one row per client x session x measure: ``client_id,
          session, measure, pre, post, followup, condition`` and the attributes.
        - ``wide``: one row per client x session: ``client_id, session,
          condition``, the attributes, then ``<measure>_<timepoint>`` for each
          measure in the data (registry order) and each timepoint it has.
        - ``redcap``: a REDCap flat export: ``record_id, redcap_event_name,
          redcap_repeat_instrument, redcap_repeat_instance``, the record fields
          (``condition`` and the client attributes), the session fields
          (``technique, year, days_from_first``) and the wide measure columns.
          Each client has one record row (``intake_arm_1``, session fields
          blank) followed by one row per session (``treatment_arm_1``, repeat
          instrument ``session``, repeat instance = session number, record
          fields blank).

    Returns
    -------
    DataFrame
        A score that was not recorded is a missing value (NaN); nothing else is
        lost, so every layout reads back to the same canonical table. Rows are in
        ``client_id, session`` (and ``measure``) order.

    Raises
    ------
    ValueError
        For an unknown ``layout``, or when an attribute varies where the layout
        keeps it once (within a client x session for ``prepost``/``wide``,
        within a client for the ``redcap`` record fields).

    Examples
    --------
    >>> frame = generate_practice(n_clients=5, seed=1)
    >>> wide = to_layout(frame, "wide")
    >>> int(wide.filter(regex="_(pre|post|followup)$").notna().sum().sum()) == len(frame)
    True
    """
    _check_layout(layout)
    if layout == "long":
        out = frame.copy()
        out["timepoint"] = _timepoint_strings(frame["timepoint"])
        return out
    if layout == "prepost":
        gid, first = _groups(frame, ["client_id", "session", "measure"])
        attrs = _attribute_columns(frame)
        _require_constant(frame, gid, first, ["condition", *attrs], "client, session and measure")
        t_code = pd.Categorical(frame["timepoint"], dtype=TIMEPOINT_DTYPE).codes
        values = np.full((len(first), len(TIMEPOINTS)), np.nan)
        values[gid, t_code] = frame["score"].to_numpy(dtype=np.float64)
        out = frame.iloc[first][["client_id", "session", "measure"]].reset_index(drop=True)
        for j, tp in enumerate(TIMEPOINTS):
            out[tp] = values[:, j]
        rest = frame.iloc[first][["condition", *attrs]].reset_index(drop=True)
        return pd.concat([out, rest], axis=1)
    wide = _wide(frame)
    if layout == "wide":
        return wide
    # redcap: record rows and repeating session rows
    attrs = _attribute_columns(frame)
    record_fields = ["condition", *[c for c in attrs if c in _CLIENT_FIELDS]]
    extra = [c for c in attrs if c not in _CLIENT_FIELDS and c not in _SESSION_FIELDS]
    gid_client, first_client = _groups(wide, ["client_id"])
    constant = []
    for col in extra:
        try:
            _require_constant(wide, gid_client, first_client, [col], "client")
        except ValueError:
            continue
        constant.append(col)
    record_fields += constant
    _require_constant(wide, gid_client, first_client, record_fields, "client")
    session_fields = [c for c in attrs if c not in record_fields]
    measure_cols = list(wide.columns[3 + len(attrs) :])

    records = wide.iloc[first_client][["client_id", *record_fields]].reset_index(drop=True)
    n_rec, n_ses = len(records), len(wide)
    out_rec = pd.DataFrame(
        {
            "record_id": records["client_id"],
            "redcap_event_name": pd.array(["intake_arm_1"] * n_rec, dtype="str"),
            "redcap_repeat_instrument": pd.array([np.nan] * n_rec, dtype="str"),
            "redcap_repeat_instance": pd.array([pd.NA] * n_rec, dtype="Int64"),
        }
    )
    out_ses = pd.DataFrame(
        {
            "record_id": wide["client_id"],
            "redcap_event_name": pd.array(["treatment_arm_1"] * n_ses, dtype="str"),
            "redcap_repeat_instrument": pd.array(["session"] * n_ses, dtype="str"),
            "redcap_repeat_instance": wide["session"].astype("Int64"),
        }
    )
    for col in record_fields:
        out_rec[col] = records[col]
        out_ses[col] = _blank_like(wide[col], n_ses)
    for col in [*session_fields, *measure_cols]:
        out_rec[col] = _blank_like(wide[col], n_rec)
        session_values = wide[col]
        out_ses[col] = (
            session_values.astype("Int64")
            if pd.api.types.is_integer_dtype(session_values.dtype)
            else session_values
        )
    out = pd.concat([out_rec, out_ses], ignore_index=True)
    client_rank = np.r_[np.arange(n_rec), gid_client]
    instance = np.r_[np.zeros(n_rec, dtype=np.int64), wide["session"].to_numpy(dtype=np.int64)]
    order = np.lexsort((instance, client_rank))
    return out.iloc[order].reset_index(drop=True)


def _blank_like(values: pd.Series, n: int) -> pd.api.extensions.ExtensionArray | np.ndarray:
    """``n`` missing values of a dtype that fits ``values`` (nullable integers for integers)."""
    if pd.api.types.is_integer_dtype(values.dtype):
        return pd.array([pd.NA] * n, dtype="Int64")
    if pd.api.types.is_float_dtype(values.dtype):
        return np.full(n, np.nan)
    return pd.array([np.nan] * n, dtype="str")


# ---------------------------------------------------------------------------------------
# the broken export
# ---------------------------------------------------------------------------------------
_DUPLICATE_COLUMN = "client_id, session, timepoint, measure"
#: (column, cell text, check, measure the row must have or None)
_PROBLEMS: tuple[tuple[str, str, str, str | None], ...] = (
    ("measure", "pian_nrs", "unknown_measure", "pain_nrs"),
    ("score", "14", "out_of_range", "pain_nrs"),
    ("score", "11", "out_of_range", "sleep_quality_nrs"),
    ("score", "UNK", "missing_code", None),
    ("score", "-999", "missing_code", None),
    ("score", "N/A", "missing_code", None),
    ("score", "n/a", "missing_code", None),
    ("score", "?", "missing_code", None),
    ("score", "", "missing_code", None),
    ("score", "4-5", "not_numeric", "pain_nrs"),
    ("timepoint", "during", "unknown_timepoint", None),
    ("session", "0", "session_not_positive_integer", None),
    ("session", "1.5", "session_not_positive_integer", None),
    ("session", "two", "session_not_positive_integer", None),
    ("client_id", "", "missing_value", None),
    ("condition", "", "missing_value", None),
)
_BROKEN_CLIENTS = 12
_BROKEN_ROWS = 56  # rows taken from the generated practice (one more is added: a duplicate)


def _format_numbers(values: pd.Series) -> pd.Series:
    """Numbers as file text: whole numbers without ``.0``, others with up to 2 decimals, NaN blank."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        return values.astype("str")
    if pd.api.types.is_integer_dtype(values.dtype):
        return values.astype("Int64").astype("str").fillna("")
    if not pd.api.types.is_float_dtype(values.dtype):
        return values
    x = values.to_numpy(dtype=np.float64)
    whole = np.isfinite(x) & (np.round(x, 2) == np.rint(x))
    cells = np.where(
        whole,
        np.char.mod("%d", np.rint(np.nan_to_num(x)).astype(np.int64)),
        np.char.mod("%.2f", np.nan_to_num(x)),
    ).astype(object)
    text = pd.Series(cells, index=values.index, dtype="str").str.replace(r"(\.\d*?)0+$", r"\1", regex=True)
    return text.where(np.isfinite(x), "")


def _as_text(frame: pd.DataFrame) -> pd.DataFrame:
    """Every column as the text a CSV file holds."""
    return pd.DataFrame({col: _format_numbers(frame[col]).astype("str") for col in frame.columns})


def broken_export(*, seed: int = _DEFAULT_SEED) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A small long-layout export with known problems, and the problems a reader must report.

    Parameters
    ----------
    seed : int
        Seed of the small practice the rows come from and of where the problems go.

    Returns
    -------
    frame : DataFrame
        57 rows in the ``long`` layout, every cell a string (as read from a CSV
        file without type conversion). 16 cells are broken on purpose (one
        problem per row) and one clean row appears twice.
    expected : DataFrame
        One row per problem, sorted by row, with columns

        - ``row`` (int64): line number in the CSV file written with one comment
          line and the header above the data (the first data row is line 3),
          as :func:`write_samples` writes it
        - ``column`` (str): the column holding the problem
          (``client_id, session, timepoint, measure`` for a duplicate)
        - ``check`` (str): ``unknown_measure``, ``out_of_range``,
          ``missing_code``, ``not_numeric``, ``duplicate`` (both rows are
          listed), ``unknown_timepoint``, ``session_not_positive_integer`` or
          ``missing_value``.

    Examples
    --------
    >>> frame, expected = broken_export()
    >>> sorted(expected["check"].unique())[:3]
    ['duplicate', 'missing_code', 'missing_value']
    """
    practice = generate_practice(n_clients=_BROKEN_CLIENTS, seed=seed)
    frame = _as_text(to_layout(practice, "long")).iloc[:_BROKEN_ROWS].reset_index(drop=True)
    rng = np.random.default_rng(seed)
    nrs = frame["measure"].isin(["pain_nrs", "sleep_quality_nrs", "stress_nrs"]) & frame["timepoint"].isin(
        ["pre", "post"]
    )
    candidates = list(rng.permutation(np.flatnonzero(nrs.to_numpy())))
    problem_column = np.full(len(frame), "", dtype=object)
    problem_check = np.full(len(frame), "", dtype=object)
    for column, text, check, measure in _PROBLEMS:
        pos = next(p for p in candidates if measure is None or frame.at[p, "measure"] == measure)
        candidates.remove(pos)
        frame.loc[pos, column] = text
        problem_column[pos], problem_check[pos] = column, check
    source = candidates[0]
    problem_column[source], problem_check[source] = _DUPLICATE_COLUMN, "duplicate"
    order = np.r_[np.arange(source + 1), source, np.arange(source + 1, len(frame))]
    frame = frame.take(order).reset_index(drop=True)
    problem_column, problem_check = problem_column[order], problem_check[order]
    broken = np.flatnonzero(problem_check != "")
    expected = pd.DataFrame(
        {
            "row": (broken + 3).astype(np.int64),
            "column": pd.array(problem_column[broken], dtype="str"),
            "check": pd.array(problem_check[broken], dtype="str"),
        }
    )
    return frame.astype("str"), expected


# ---------------------------------------------------------------------------------------
# sample files
# ---------------------------------------------------------------------------------------
_README = """\
# Sample data (SYNTHETIC)

Every file in this directory is **synthetic**: generated by `outcomes.synthetic`
(seed={seed}, {n_clients} clients). None of it describes real clients. Regenerate with

    python -m outcomes.synthetic data_samples

The data imitate a pelvic-health / craniosacral therapy practice: {n_clients} clients,
{n_sessions} sessions, {n_rows} scores ({first_year}-{last_year}). Measures: pain, sleep quality
and stress (0-10) before and after every session and for some sessions a few days later
(`followup`); jaw and pelvic-floor tone (-3..+3, 0 = normal) for jaw/headache and pelvic
clients; questionnaires (PSQI, HIT-6, PFDI-20, NDI, ODI, GAD-7) at the first and last session
for some clients; PGIC after the last session. A few values are not recorded, as in real exports.

Each CSV file starts with one comment line (`# SYNTHETIC DATA ...`), then the header.
Missing values are empty cells.

Files:

- `synthetic_practice_long.csv`: long layout, one row per client x session x measure x
  timepoint (`client_id, session, timepoint, measure, score, condition`, then attributes).
- `synthetic_practice_prepost.csv`: one row per client x session x measure, with `pre`,
  `post` and `followup` columns.
- `synthetic_practice_wide.csv`: one row per client x session, with `<measure>_pre`,
  `<measure>_post` and `<measure>_followup` columns.
- `synthetic_practice_redcap.csv`: REDCap flat export; per client an `intake_arm_1` record
  row, then one repeating `session` row (`treatment_arm_1`) per session.
- `broken_export.csv`: a small long-layout export with deliberate problems ({n_problems} to report:
  misspelled measure, out-of-range and non-numeric scores, missing-value codes, a duplicated
  row, an unknown timepoint, bad session numbers, blank client and condition).
- `broken_export_expected.csv`: the problems a reader must report: `row` (line number in
  `broken_export.csv`), `column`, `check`.

Attributes for grant reporting: `technique`, `age_band`, `race_ethnicity`, `postpartum`,
`payer`, `year`, `days_from_first` (0 at each client's first session). Conditions: one or two
per client, joined with `;`.
"""


_COMMENT = (
    "# SYNTHETIC DATA generated by outcomes.synthetic (seed={seed}, n_clients={n_clients}): not real clients."
)


def _write_csv(frame: pd.DataFrame, path: Path, comment: str) -> None:
    text = _as_text(frame)
    buffer = _io.StringIO()
    buffer.write(comment + "\n")
    text.to_csv(buffer, index=False, lineterminator="\n")
    path.write_bytes(buffer.getvalue().encode("utf-8"))


def sample_data(layout: str = "long", **read_kwargs: Any) -> Any:
    """The bundled synthetic sample export, read with :func:`outcomes.read_sessions`.

    The file is written by :func:`write_samples` (byte-identical to the files in
    ``data_samples/`` of the repository) into a temporary folder and read back,
    so the result carries a real flow and provenance. Every number it gives is
    synthetic: it describes no real client.

    Parameters
    ----------
    layout : {'long', 'prepost', 'wide', 'redcap', 'auto'}
        Which sample file to read ('auto': the long file, layout detected).
    **read_kwargs
        Passed to :func:`outcomes.read_sessions`.

    Returns
    -------
    SessionData
    """
    import tempfile

    from .io import read_sessions

    name = "long" if layout == "auto" else layout
    _check_layout(name)
    with tempfile.TemporaryDirectory() as tmp:
        write_samples(tmp)
        return read_sessions(Path(tmp) / f"synthetic_practice_{name}.csv", layout=layout, **read_kwargs)


def write_samples(directory: str | Path, *, seed: int = _DEFAULT_SEED, n_clients: int = 200) -> list[Path]:
    """Write the synthetic sample files (byte-identical for the same arguments).

    Parameters
    ----------
    directory : str or Path
        Where to write; created if missing. Existing files of the same names
        are replaced.
    seed : int
        Seed of :func:`generate_practice` and :func:`broken_export`.
    n_clients : int
        Number of clients in the practice files.

    Returns
    -------
    list of Path
        The files written: ``synthetic_practice_{long,prepost,wide,redcap}.csv``,
        ``broken_export.csv``, ``broken_export_expected.csv`` and ``README.md``.

    Notes
    -----
    Every CSV file starts with the comment line ``# SYNTHETIC DATA generated by
    outcomes.synthetic (seed=..., n_clients=...): not real clients.``; then the
    header. Whole numbers print without ``.0``, other scores with up to two
    decimals, missing values as empty cells, lines end with ``\\n``.
    """
    out_dir = Path(directory)
    out_dir.mkdir(parents=True, exist_ok=True)
    comment = _COMMENT.format(seed=seed, n_clients=n_clients)
    practice = generate_practice(n_clients=n_clients, seed=seed)
    written: list[Path] = []
    for layout in LAYOUTS:
        path = out_dir / f"synthetic_practice_{layout}.csv"
        _write_csv(to_layout(practice, layout), path, comment)
        written.append(path)
    broken, expected = broken_export(seed=seed)
    broken_comment = (
        f"# SYNTHETIC DATA generated by outcomes.synthetic (seed={seed}, n_clients=12): not real clients."
    )
    for name, table in (("broken_export.csv", broken), ("broken_export_expected.csv", expected)):
        _write_csv(table, out_dir / name, broken_comment)
        written.append(out_dir / name)
    readme = _README.format(
        seed=seed,
        n_clients=n_clients,
        n_sessions=len(practice[["client_id", "session"]].drop_duplicates()),
        n_rows=len(practice),
        first_year=int(practice["year"].min()),
        last_year=int(practice["year"].max()),
        n_problems=len(expected),
    )
    (out_dir / "README.md").write_bytes(readme.encode("utf-8"))
    written.append(out_dir / "README.md")
    return written


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: ``python -m outcomes.synthetic [DIR] [--seed N] [--n-clients N]``."""
    parser = argparse.ArgumentParser(
        prog="python -m outcomes.synthetic", description="Write the synthetic sample data files."
    )
    parser.add_argument(
        "directory", nargs="?", default="data_samples", help="output directory (default: data_samples)"
    )
    parser.add_argument("--seed", type=int, default=_DEFAULT_SEED)
    parser.add_argument("--n-clients", type=int, default=200)
    args = parser.parse_args(argv)
    for path in write_samples(args.directory, seed=args.seed, n_clients=args.n_clients):
        print(path)
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
