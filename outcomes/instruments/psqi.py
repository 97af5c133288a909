"""The Pittsburgh Sleep Quality Index from its nine questions: seven components and the global
score (Buysse et al. 1989), with the band edges of the University of Pittsburgh scoring sheet."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

__all__ = ["PSQI_ITEMS", "clock_hours", "psqi_components", "psqi_invalid"]

PSQI_ITEMS = ("q1", "q2", "q3", "q4", *(f"q5{c}" for c in "abcdefghij"), "q6", "q7", "q8", "q9")


def clock_hours(values: pd.Series) -> pd.Series:
    """Clock times (``22:30``, ``10:30 PM``, ``23.5``) as hours after midnight (NaN if unreadable)."""
    out = pd.Series(np.nan, index=values.index, dtype="float64")
    numeric = pd.to_numeric(values, errors="coerce")
    out[numeric.notna()] = numeric[numeric.notna()] % 24
    text = values[numeric.isna() & values.notna()].astype(str).str.strip().str.lower()
    parts = text.str.extract(r"^(\d{1,2})(?:[:.h](\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?$")
    hour = pd.to_numeric(parts[0], errors="coerce")
    minute = pd.to_numeric(parts[1], errors="coerce").fillna(0)
    pm = parts[2].fillna("").str.startswith("p")
    am = parts[2].fillna("").str.startswith("a")
    hour = hour.where(~(pm & (hour < 12)), hour + 12).where(~(am & (hour == 12)), 0)
    ok = hour.notna() & (hour < 24) & (minute < 60)
    out[ok[ok].index] = (hour + minute / 60)[ok]
    return out


def _band(values: pd.Series, edges: Sequence[float], right: bool) -> pd.Series:
    """0, 1, 2, 3 by the band ``values`` falls in (``edges`` ascending), NaN where missing."""
    codes = np.digitize(values.to_numpy(dtype="float64"), edges, right=right).astype("float64")
    codes[np.isnan(values.to_numpy(dtype="float64"))] = np.nan
    return pd.Series(codes, index=values.index)


def psqi_invalid(items: pd.DataFrame) -> pd.DataFrame:
    """Where a PSQI answer is given but not valid: a clock time that cannot be read (Q1, Q3),
    minutes outside 0–1440 (Q2), hours outside 0–24 (Q4), any other answer not 0, 1, 2 or 3."""
    out = pd.DataFrame(index=items.index)
    for c in items.columns:
        given = items[c].notna() & items[c].astype("string").str.strip().ne("")
        if c in ("q1", "q3"):
            ok = clock_hours(items[c]).notna()
        else:
            num = pd.to_numeric(items[c], errors="coerce")
            top = {"q2": 1440.0, "q4": 24.0}.get(c, 3.0)
            ok = num.between(0, top) & ((num == np.round(num)) | (c in ("q2", "q4")))
        out[c] = given & ~ok
    return out


def psqi_components(items: pd.DataFrame) -> pd.DataFrame:
    """The seven PSQI components and the global score (no component missing: Buysse 1989)."""
    items = items.where(~psqi_invalid(items))
    num = {c: pd.to_numeric(items[c], errors="coerce") for c in PSQI_ITEMS if c not in ("q1", "q3")}
    c1 = num["q6"]
    # latency: Q2 minutes ≤15 → 0, 16–30 → 1, 31–60 → 2, >60 → 3; plus Q5a; the sum 0, 1–2, 3–4, 5–6
    q2 = _band(num["q2"], [15, 30, 60], right=True)
    c2 = _band(q2 + num["q5a"], [0, 2, 4], right=True)
    # duration: Q4 hours >7 → 0, 6–7 → 1, 5–6 → 2, <5 → 3
    c3 = 3 - _band(num["q4"], [5, 6, 7], right=False)
    # habitual efficiency: hours asleep / hours in bed (Q3 rising − Q1 bedtime): ≥85 % → 0, 75–84 → 1,
    # 65–74 → 2, <65 → 3
    in_bed = (clock_hours(items["q3"]) - clock_hours(items["q1"])) % 24
    efficiency = 100 * num["q4"] / in_bed.where(in_bed > 0)
    c4 = 3 - _band(efficiency, [65, 75, 85], right=False)
    # disturbances: Q5b–Q5j summed, 0 → 0, 1–9 → 1, 10–18 → 2, 19–27 → 3 (an unanswered 5j counts 0)
    disturb = [num[f"q5{c}"] for c in "bcdefghi"]
    q5j = num["q5j"].fillna(0)
    c5 = _band(sum(disturb) + q5j, [0, 9, 18], right=True)
    c6 = num["q7"]
    # daytime dysfunction: Q8 + Q9, 0 → 0, 1–2 → 1, 3–4 → 2, 5–6 → 3
    c7 = _band(num["q8"] + num["q9"], [0, 2, 4], right=True)
    comps = pd.DataFrame(
        {
            "psqi_c1_quality": c1,
            "psqi_c2_latency": c2,
            "psqi_c3_duration": c3,
            "psqi_c4_efficiency": c4,
            "psqi_c5_disturbances": c5,
            "psqi_c6_medication": c6,
            "psqi_c7_daytime": c7,
        }
    )
    out = comps.copy()
    out.insert(0, "psqi", comps.sum(axis=1, min_count=7).where(comps.notna().all(axis=1)))
    missing = comps.isna()
    out["reason"] = [
        ""
        if not row.any()
        else "PSQI component(s) not computable: "
        + ", ".join(str(c).removeprefix("psqi_") for c, m in row.items() if m)
        for _, row in missing.iterrows()
    ]
    return out
