"""The synthetic practice, client by client: conditions, sessions, scores before, after and days later.

Vectorized over clients with numpy (a million clients take seconds); the
parameters live in :mod:`outcomes.datasets.model`. Model, per client ``c`` and
session ``k = 1, 2, ...`` (symptom scales are simulated as severity, lower is
better; sleep quality is ``10 - severity``)::

    S[c, k]    = base[c] + course[c] * (1 - exp(-(k - 1) / 2.5))
                 + flare[c] * (k == 1) + e[c, k]                 (session state)
    pre        = round(clip(S, 0, 10))
    post       = round(clip(clip(S, 0, 10) * (1 - r[c, k]) + u, 0, 10))
    followup   = round(clip(clip(S, 0, 10) * (1 - r[c, k] * retention[c]) + v, 0, 10))

``course[c]`` has a condition-specific mean and is correlated across measures
through a client-level responder latent; tone grades (-3..+3) drift toward 0
by a client-specific fraction."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..schema import TIMEPOINT_DTYPE
from .model import (
    ADULT_AGE_BANDS,
    AFFINITY,
    AGE_PMF_OTHER,
    AGE_PMF_POSTPARTUM,
    AGE_PMF_PROLAPSE,
    CONDITION_KEYS,
    CONDITION_PARAMETERS,
    DEFAULT_SEED,
    FOLLOWUP,
    GAP_DAYS,
    GAP_PMF,
    N_COND,
    PAYER_PMF_65,
    PAYER_PMF_ADULT,
    PAYER_PMF_POSTPARTUM,
    PAYERS,
    POST,
    PRE,
    RACE_ETHNICITY,
    RACE_PMF,
    SESSIONS_PMF,
    SHARE_TWO_CONDITIONS,
    TECH_PMF_OTHER,
    TECH_PMF_PELVIC,
    TECHNIQUES,
    SessionPlan,
    draw,
    scaled,
    str_array,
)
from .questionnaires import questionnaires


def _clients(rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    """Client-level draws: conditions, attributes, responder latent."""
    share = np.array([c.share for c in CONDITION_PARAMETERS.values()])
    primary = draw(rng, share, n)
    weights = np.tile(share, (N_COND, 1))
    for (a, b), factor in AFFINITY.items():
        i, j = CONDITION_KEYS.index(a), CONDITION_KEYS.index(b)
        weights[i, j] *= factor
        weights[j, i] *= factor
    np.fill_diagonal(weights, 0.0)
    second = draw(rng, weights, rows=primary)
    second = np.where(rng.random(n) < SHARE_TWO_CONDITIONS, second, primary)
    member = np.zeros((n, N_COND), dtype=bool)
    member[np.arange(n), primary] = True
    member[np.arange(n), second] = True

    pelvic = np.asarray(member[:, [c.pelvic for c in CONDITION_PARAMETERS.values()]].any(axis=1))
    is_pp = member[:, CONDITION_KEYS.index("postpartum")]
    is_prolapse = member[:, CONDITION_KEYS.index("prolapse")]
    p_postpartum = np.where(is_pp, 0.92, np.where(pelvic, 0.30, 0.08))
    postpartum = np.asarray(rng.random(n) < p_postpartum)
    age_pmf = np.stack([AGE_PMF_OTHER, AGE_PMF_POSTPARTUM, AGE_PMF_PROLAPSE])
    age = draw(rng, age_pmf, rows=np.where(postpartum, 1, np.where(is_prolapse, 2, 0)))
    race = draw(rng, RACE_PMF, n)
    payer_pmf = np.stack([PAYER_PMF_ADULT, PAYER_PMF_POSTPARTUM, PAYER_PMF_65])
    payer = draw(
        rng, payer_pmf, rows=np.where(postpartum, 1, np.where(age >= ADULT_AGE_BANDS.index("65-74"), 2, 0))
    )
    tech_pmf = np.stack([TECH_PMF_OTHER, TECH_PMF_PELVIC])
    technique = draw(rng, tech_pmf, rows=pelvic.astype(np.intp))
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


def _sessions(rng: np.random.Generator, start_day: np.ndarray, n_days: int) -> tuple[SessionPlan, np.ndarray]:
    """Sessions per client with dropout and spacing; sessions after the data period are cut off.

    Returns the sessions and each session's day offset from the client's first session.
    """
    n = len(start_day)
    planned = draw(rng, SESSIONS_PMF, n) + 1
    client = np.repeat(np.arange(n), planned)
    first = np.cumsum(planned) - planned
    k = np.arange(len(client)) - first[client]
    gap = GAP_DAYS[draw(rng, GAP_PMF, len(client))] + rng.integers(-2, 3, len(client))
    gap[k == 0] = 0
    total = np.cumsum(gap)
    days = total - total[first][client]
    keep = start_day[client] + days < n_days  # always true for the first session
    client, k, days = client[keep], k[keep], days[keep]
    count = np.bincount(client, minlength=n)
    first = np.cumsum(count) - count
    return SessionPlan(client, k + 1, first, count), days


def _symptom_nrs(
    rng: np.random.Generator,
    sessions: SessionPlan,
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
    pre = scaled(state, 0, 10)
    post = scaled(state * (1.0 - relief) + rng.normal(0.0, 0.5, len(c)), 0, 10)
    later = scaled(state * (1.0 - relief * retention) + rng.normal(0.0, 0.8, len(c)), 0, 10)
    has_pre = rng.random(len(c)) >= pre_missing
    has_post = ~post_lost & (rng.random(len(c)) >= 0.01)
    has_later = followup & (rng.random(len(c)) >= 0.03)
    return [
        (PRE, np.flatnonzero(has_pre), pre[has_pre]),
        (POST, np.flatnonzero(has_post), post[has_post]),
        (FOLLOWUP, np.flatnonzero(has_later), later[has_later]),
    ]


def _tone(
    rng: np.random.Generator,
    sessions: SessionPlan,
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
    pre = scaled(state, -3, 3)
    post = scaled(state * (1.0 - immediate) + rng.normal(0.0, 0.35, len(c)), -3, 3)
    measured = eligible[c] & (rng.random(len(c)) < 0.9)
    has_post = measured & (rng.random(len(c)) >= 0.03)
    return [
        (PRE, np.flatnonzero(measured), pre[measured]),
        (POST, np.flatnonzero(has_post), post[has_post]),
    ]


def generate_practice(
    *,
    n_clients: int = 200,
    start_year: int = 2024,
    n_years: int = 3,
    seed: int | np.random.Generator | None = DEFAULT_SEED,
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
    tech_pmf = np.stack([TECH_PMF_OTHER, TECH_PMF_PELVIC])
    technique = np.where(
        redraw,
        draw(rng_sessions, tech_pmf, rows=cl["pelvic"][sessions.client].astype(np.intp)),
        cl["technique"][sessions.client],
    )

    # -- NRS measures at every session ------------------------------------------------------
    z = cl["responder"]

    def per_client(field: str, shift: float = 0.0) -> np.ndarray:
        table = np.array([getattr(c, field) for c in CONDITION_PARAMETERS.values()])
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
    is_tmj = member[:, CONDITION_KEYS.index("tmj")]
    jaw_eligible = is_tmj | member[:, CONDITION_KEYS.index("headache")]
    jaw = np.where(is_tmj, rng_tone.normal(1.7, 0.7, n), rng_tone.normal(1.0, 0.8, n))
    jaw = np.where(rng_tone.random(n) < 0.05, rng_tone.normal(-1.0, 0.5, n), jaw)
    hypotonic = {"prolapse": 0.45, "bladder": 0.35, "postpartum": 0.25, "pelvic_pain": 0.08}
    p_hypo = np.max(member * np.array([hypotonic.get(key, 0.0) for key in CONDITION_KEYS]), axis=1)
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
    blocks.extend(questionnaires(rng_forms, cl, sessions, pain_course))

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
        ";".join(sorted({CONDITION_KEYS[a], CONDITION_KEYS[b]})) for a in range(N_COND) for b in range(N_COND)
    ]
    condition = cl["primary"] * N_COND + cl["second"]
    columns = {
        "client_id": str_array(row_client, client_ids),
        "session": sessions.number[row_sess].astype(np.int64),
        "timepoint": pd.Categorical.from_codes(row_tp, dtype=TIMEPOINT_DTYPE),
        "measure": str_array(row_measure, measures),
        "score": row_score,
        "condition": str_array(condition[row_client], combos),
        "technique": str_array(technique[row_sess], TECHNIQUES),
        "age_band": str_array(cl["age"][row_client], ADULT_AGE_BANDS),
        "race_ethnicity": str_array(cl["race"][row_client], RACE_ETHNICITY),
        "postpartum": str_array(cl["postpartum"][row_client].astype(np.int8), ("no", "yes")),
        "payer": str_array(cl["payer"][row_client], PAYERS),
        "year": year[row_sess],
        "days_from_first": days[row_sess].astype(np.int64),
    }
    return pd.DataFrame(columns, copy=False)


def generate_rows(
    n_rows: int,
    *,
    start_year: int = 2024,
    n_years: int = 3,
    seed: int | np.random.Generator | None = DEFAULT_SEED,
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
