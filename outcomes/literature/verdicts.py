"""The benchmark comparison in numbers and words, after Minami et al. (2008).

The practice's course change (a standardized mean change, SMC, with its
variance) is set beside the pooled CST benchmark and the pooled control
benchmarks (sham, wait-list). Against the CST benchmark the question is
equivalence: is the practice's effect shown to lie within ±``margin`` of the
benchmark (two one-sided tests, TOST)? If not, is it shown to be larger or
smaller (a two-sided interval of the difference that excludes 0)? Otherwise
the data cannot tell. Against a control benchmark the question is only whether
the practice's change is larger.

A benchmark's uncertainty enters through the half-width of its interval
(``(ci_high − ci_low) / (2 z)``), so a Hartung–Knapp interval widened by a t
quantile keeps that width in the comparison.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
from scipy import special

from .._format import number, percent
from .._words import ARM_ROLE_LABELS, condition_phrase
from ..effects.meta_analysis import fieller_interval
from ..summary import SMALL_N

__all__ = ["CONCLUSIONS", "verdict"]

#: What a comparison with the CST benchmark can conclude.
CONCLUSIONS = ("comparable", "larger", "smaller", "inconclusive", "no benchmark")


def _num(x: float) -> str:
    return number(x, 2)


def _benchmark_variance(pool: dict[str, Any], z: float) -> float:
    """The variance the comparison gives a pooled benchmark: from the width of its interval."""
    lo, hi = pool["ci_low"], pool["ci_high"]
    if np.isfinite(lo) and np.isfinite(hi):
        return ((hi - lo) / (2.0 * z)) ** 2
    return float(pool["se"]) ** 2


def verdict(
    p: float,
    vp: float,
    b: dict[str, Any],
    controls: dict[str, dict[str, Any]],
    *,
    margin: float,
    confidence: float,
    measure_label: str,
    condition: str,
    r: float,
    n: int,
    approximate: bool,
    course: str = "",
    timepoints: str = "",
    labels: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """Numbers and words of one benchmark comparison.

    Parameters
    ----------
    p, vp : float
        The practice's SMC (positive = improvement) and its variance.
    b : dict
        The pooled CST benchmark (:func:`~outcomes.effects.pool_arms`); ``k = 0`` when none.
    controls : dict
        Pooled control benchmarks by role (``sham``, ``natural_history``).
    margin : float
        Equivalence margin as a fraction of the CST benchmark.
    course, timepoints : str
        The practice's course length and the benchmark arms' timepoints, in words.

    Returns
    -------
    dict
        ``share`` (practice / benchmark) with ``share_ci_low``/``share_ci_high``
        (Fieller), ``diff_vs_cst`` with its interval, ``equivalence_z_low`` and
        ``equivalence_z_high`` (the two one-sided statistics; both above the
        one-sided quantile = comparable), ``conclusion`` (one of
        :data:`CONCLUSIONS`), ``diff_vs_sham`` / ``diff_vs_natural_history`` with
        intervals, and ``verdict`` (in words).
    """
    z = float(special.ndtri(0.5 + confidence / 2))
    z1 = float(special.ndtri(confidence))  # one-sided, each of the two tests at 1 - confidence
    out: dict[str, Any] = {"conclusion": "no benchmark"}
    sp = math.sqrt(vp)
    ci = f"{percent(confidence)} CI"
    course_text = f"; {course}" if course else ""
    words = [
        f"Course change in {measure_label} for {condition_phrase(condition, labels)}: "
        "standardized mean change "
        f"{_num(p)} ({ci} {_num(p - z * sp)} to {_num(p + z * sp)}, n = {n}{course_text})."
    ]
    if b["k"]:
        bench = float(b["estimate"])
        vb = _benchmark_variance(b, z)
        share = p / bench if bench != 0 else np.nan
        lo, hi = fieller_interval(p, vp, bench, vb, confidence)
        diff = p - bench
        sd_diff = math.sqrt(vp + vb)
        low_bound, high_bound = (1 - margin) * bench, (1 + margin) * bench
        z_low = (p - low_bound) / math.sqrt(vp + (1 - margin) ** 2 * vb)
        z_high = (high_bound - p) / math.sqrt(vp + (1 + margin) ** 2 * vb)
        out.update(
            share=share,
            share_ci_low=lo,
            share_ci_high=hi,
            diff_vs_cst=diff,
            diff_vs_cst_ci_low=diff - z * sd_diff,
            diff_vs_cst_ci_high=diff + z * sd_diff,
            equivalence_z_low=z_low,
            equivalence_z_high=z_high,
        )
        ci_text = (
            f"{ci} {percent(lo)} to {percent(hi)}"
            if np.isfinite(lo)
            else "its interval is unbounded because the benchmark cannot be told apart from 0"
        )
        match = "; the published measure is only an approximate match" if approximate else ""
        arms = f"{b['k']} arm{'s' if b['k'] != 1 else ''}" + (f": {timepoints}" if timepoints else "")
        words.append(
            f"That is {percent(share)} of the CST-arm benchmark (SMC {_num(bench)} from {arms}; "
            f"{ci_text}{match})."
        )
        if z_low > z1 and z_high > z1:
            out["conclusion"] = "comparable"
            words.append(
                f"It is shown to lie within {percent(margin)} of the benchmark (two one-sided tests): "
                "comparable to published CST arms."
            )
        elif diff - z * sd_diff > 0:
            out["conclusion"] = "larger"
            words.append(
                f"It is larger than the benchmark (difference {_num(diff)}, {ci} "
                f"{_num(diff - z * sd_diff)} to {_num(diff + z * sd_diff)})."
            )
        elif diff + z * sd_diff < 0:
            out["conclusion"] = "smaller"
            words.append(
                f"It is smaller than the benchmark (difference {_num(diff)}, {ci} "
                f"{_num(diff - z * sd_diff)} to {_num(diff + z * sd_diff)})."
            )
        else:
            out["conclusion"] = "inconclusive"
            words.append(
                f"The data can show neither that it lies within {percent(margin)} of the benchmark "
                "nor that it is larger or smaller: inconclusive."
            )
        if b["k"] == 1:
            words.append("The benchmark rests on one arm.")
    else:
        words.append(
            f"No published CST arm with a comparable measure for {condition_phrase(condition, labels)}."
        )
    for role, c in controls.items():
        if not c["k"]:
            continue
        diff = p - c["estimate"]
        sd = math.sqrt(vp + _benchmark_variance(c, z))
        out[f"diff_vs_{role}"] = diff
        out[f"diff_vs_{role}_ci_low"] = diff - z * sd
        out[f"diff_vs_{role}_ci_high"] = diff + z * sd
        label = ARM_ROLE_LABELS[role]
        if diff - z * sd > 0:
            words.append(
                f"It is larger than the {label} benchmark (SMC {_num(c['estimate'])}; difference "
                f"{_num(diff)}, {ci} {_num(diff - z * sd)} to {_num(diff + z * sd)})."
            )
        elif diff + z * sd < 0:
            words.append(f"It is smaller than the {label} benchmark (SMC {_num(c['estimate'])}).")
        else:
            words.append(
                f"It cannot be told apart from the {label} benchmark (SMC {_num(c['estimate'])}; "
                f"difference {_num(diff)}, {ci} {_num(diff - z * sd)} to {_num(diff + z * sd)})."
            )
    if n < SMALL_N:
        words.append(f"With fewer than {SMALL_N} clients this is a rough indication only.")
    words.append(f"Published arms assume a pre-post correlation r = {r:.1f}.")
    out["verdict"] = " ".join(words)
    return out
