"""Questionnaires simulated item by item from a latent severity.

Totals then have the granularity of the real instruments (HIT-6 items
6/8/10/11/13; PFDI-20 as the sum of three subscale means x 25); they are asked
at intake and discharge, and a PGIC after the last session."""

from __future__ import annotations

import numpy as np

from .model import CONDITION_KEYS, POST, PRE, SHARE_PGIC, SHARE_QUESTIONNAIRES, SessionPlan, scaled


def _items(
    rng: np.random.Generator, theta: np.ndarray, n_items: int, item_max: int, sd: float = 0.12
) -> np.ndarray:
    """Item responses 0..item_max for ``n_items`` items around latent severity ``theta`` (0..1).

    Returns an array of shape ``(len(theta), n_items)``.
    """
    p = np.clip(theta[:, None] + rng.normal(0.0, sd, (len(theta), n_items)), 0.01, 0.99)
    return rng.binomial(item_max, p)


def questionnaires(
    rng: np.random.Generator, cl: dict[str, np.ndarray], sessions: SessionPlan, pain_course: np.ndarray
) -> list[tuple[str, int, np.ndarray, np.ndarray]]:
    """Intake and discharge questionnaires (first and last session ``pre``) and PGIC (last ``post``)."""
    n = len(sessions.n_sessions)
    member, z = cl["member"], cl["responder"]

    def has(*keys: str) -> np.ndarray:
        return np.asarray(member[:, [CONDITION_KEYS.index(key) for key in keys]].any(axis=1))

    def mean_of(values: dict[str, float], default: float) -> np.ndarray:
        table = np.array([values.get(key, default) for key in CONDITION_KEYS])
        return (table[cl["primary"]] + table[cl["second"]]) / 2.0

    several = sessions.n_sessions >= 2
    asked = several & (rng.random(n) < SHARE_QUESTIONNAIRES)
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
        blocks.append((measure, PRE, first_idx[who], score0))
        blocks.append((measure, PRE, last_idx[who][later], score1[later]))

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
    who = several & (rng.random(n) < SHARE_PGIC)
    latent = 3.2 - 0.8 * z + 0.45 * pain_course + rng.normal(0.0, 0.7, n)
    blocks.append(("pgic", POST, last_idx[who], scaled(latent[who], 1, 7)))
    return [(m, tp, idx, np.asarray(s, dtype=np.float64)) for m, tp, idx, s in blocks]
