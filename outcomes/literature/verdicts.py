"""The benchmark comparison in words, after Minami et al. (2008)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from scipy import stats

from .._words import ARM_ROLE_LABELS, condition_phrase
from ..effects.meta_analysis import fieller_interval
from ..summary import SMALL_N


def _pct(x: float) -> str:
    return f"{100 * x + 0.0:.0f}%"


def verdict(
    p: float,
    vp: float,
    b: dict[str, float],
    controls: dict[str, dict[str, float]],
    *,
    margin: float,
    confidence: float,
    measure_label: str,
    condition: str,
    r: float,
    n: int,
    approximate: bool,
) -> dict[str, Any]:
    """Numbers and words of one benchmark comparison (after Minami et al. 2008)."""
    z = stats.norm.ppf(0.5 + confidence / 2)
    z1 = stats.norm.ppf(1 - (1 - confidence))  # one-sided, as Minami et al.
    out: dict[str, Any] = {}
    sp = math.sqrt(vp)
    words = [
        f"Course change in {measure_label} for {condition_phrase(condition)}: standardized mean change "
        f"{p + 0.0:.2f} (95% CI {p - z * sp:.2f} to {p + z * sp:.2f}, n = {n})."
    ]
    if b["k"]:
        vb = b["se"] ** 2
        share = p / b["estimate"] if b["estimate"] != 0 else np.nan
        lo, hi = fieller_interval(p, vp, b["estimate"], vb, confidence)
        stat = (p - (1 - margin) * b["estimate"]) / math.sqrt(vp + (1 - margin) ** 2 * vb)
        out.update(share=share, share_ci_low=lo, share_ci_high=hi, noninferiority_z=stat)
        ci_text = (
            f"95% CI {_pct(lo)} to {_pct(hi)}"
            if np.isfinite(lo)
            else "its CI is unbounded because the benchmark is uncertain"
        )
        match = "; the published measure is only an approximate match" if approximate else ""
        words.append(
            f"That is {_pct(share)} of the CST-arm benchmark (SMC {b['estimate']:.2f} from "
            f"{b['k']} arm{'s' if b['k'] != 1 else ''}; {ci_text}{match})."
        )
        if stat > z1:
            words.append(
                f"It is shown to be at least {_pct(1 - margin)} of the benchmark (one-sided test, "
                f"margin {_pct(margin)}): comparable to published CST arms."
            )
        elif stat < -z1:
            words.append(
                f"It is shown to be below {_pct(1 - margin)} of the benchmark: smaller than in "
                "published CST arms."
            )
        else:
            words.append(
                f"The data can show neither that it reaches {_pct(1 - margin)} of the benchmark "
                "nor that it falls short: inconclusive."
            )
    else:
        words.append(f"No published CST arm with a comparable measure for {condition_phrase(condition)}.")
    for role, c in controls.items():
        if not c["k"]:
            continue
        diff = p - c["estimate"]
        sd = math.sqrt(vp + c["se"] ** 2)
        out[f"diff_vs_{role}"] = diff
        out[f"diff_vs_{role}_ci_low"] = diff - z * sd
        out[f"diff_vs_{role}_ci_high"] = diff + z * sd
        label = ARM_ROLE_LABELS[role]
        if diff - z * sd > 0:
            words.append(
                f"It is larger than the {label} benchmark (SMC {c['estimate']:.2f}; difference {diff:.2f}, "
                f"95% CI {diff - z * sd:.2f} to {diff + z * sd:.2f})."
            )
        elif diff + z * sd < 0:
            words.append(f"It is smaller than the {label} benchmark (SMC {c['estimate']:.2f}).")
        else:
            words.append(
                f"It cannot be told apart from the {label} benchmark (SMC {c['estimate']:.2f}; "
                f"difference {diff:.2f}, 95% CI {diff - z * sd:.2f} to {diff + z * sd:.2f})."
            )
    if n < SMALL_N:
        words.append(f"With fewer than {SMALL_N} clients this is a rough indication only.")
    words.append(f"Published arms assume a pre-post correlation r = {r:.1f}.")
    out["verdict"] = " ".join(words)
    return out
