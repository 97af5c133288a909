"""The practice report's literature section: the practice beside published CST arms, in plain words.

One sign convention across the page: every standardized change and every
published difference is shown so that a positive number means improvement (a
published between-group difference, given as treatment − comparator on a
lower-is-better scale, is turned round). Sources are cited as a page cites them
(``Haller et al. 2016``), and the arms of one paper are condensed into one row
per condition and measure.
"""

from __future__ import annotations

import html
from typing import Any

import numpy as np
import pandas as pd

from .._format import MISSING, interval, is_missing, number, percent
from .._words import ALL, ARM_ROLE_LABELS, condition_label, condition_phrase
from ..analysis import PracticeAnalysis
from .pages import table_html

__all__ = ["CONCLUSION_WORDS", "between_table", "evidence_rows", "published_arms_table", "verdict_texts"]

#: The benchmark verdict's conclusion as a reader is told it (the margin is filled in).
CONCLUSION_WORDS = {
    "comparable": "about as large as in published CST arms (within {margin})",
    "larger": "larger than in published CST arms",
    "smaller": "smaller than in published CST arms",
    "inconclusive": "cannot be told apart from published CST arms, nor shown to be within {margin} of them",
    "no benchmark": "no CST arm to compare with",
}


def _r(analysis: PracticeAnalysis, assumed_r: float) -> float:
    at_r = analysis.literature.settings["assumed_r"]
    return assumed_r if assumed_r in at_r else at_r[0]


def _smc(smc: Any, lo: Any, hi: Any) -> str:
    if is_missing(smc):
        return "not standardizable"
    return f"{number(smc, 2)} ({interval(lo, hi, 2)})"


def evidence_rows(analysis: PracticeAnalysis, assumed_r: float = 0.5) -> tuple[str, list[str]]:
    """The main table of the section, and one line per comparison that has no benchmark.

    Returns
    -------
    table : str
        HTML: per condition and measure, the practice's standardized change, the
        pooled published CST arms (with who they are) and the conclusion.
    without : list of str
        The practice rows beside which nothing could be standardized, each with why.
    """
    comp = analysis.literature
    r = _r(analysis, assumed_r)
    margin = percent(comp.settings["margin"])
    verdicts = comp.verdicts[np.isclose(comp.verdicts["assumed_r"].astype(float), r)]
    practice = comp.practice[comp.practice["level"] == "course"].set_index(["condition", "measure"])
    pooled = comp.pooled[np.isclose(comp.pooled["assumed_r"].astype(float), r)]
    arms = comp.arms[np.isclose(comp.arms["assumed_r"].astype(float), r)]
    rows: list[dict[str, str]] = []
    unmatched: dict[tuple[str, str], list[str]] = {}
    order = verdicts.assign(_all=(verdicts["condition"] != ALL).astype(int)).sort_values(
        ["_all", "condition", "measure"]
    )
    for v in order.itertuples(index=False):
        inst = analysis.registry.get_instrument(v.measure)
        cond = condition_label(v.condition, analysis.data.condition_labels)
        if v.conclusion == "no benchmark" or not isinstance(v.conclusion, str):
            these = arms[(arms["condition"] == v.condition) & (arms["measure"] == v.measure)]
            reasons = []
            for a in these.itertuples(index=False):
                why = str(a.note).split(":")[0] if isinstance(a.note, str) and a.note else ""
                if not why and a.role not in ("cst", "sham", "natural_history"):
                    why = "not a CST or control arm"
                reasons.append(f"{a.short_citation}: {why}" if why else str(a.short_citation))
            key = "; ".join(dict.fromkeys(reasons)) or "too few clients with a course change to compare"
            unmatched.setdefault((inst.label, key), []).append(str(v.condition))
            continue
        p = practice.loc[(v.condition, v.measure)] if (v.condition, v.measure) in practice.index else None
        pool = pooled[
            (pooled["condition"] == v.condition)
            & (pooled["measure"] == v.measure)
            & (pooled["role"] == "pooled_cst")
        ]
        used = arms[
            (arms["condition"] == v.condition)
            & (arms["measure"] == v.measure)
            & (arms["role"] == "cst")
            & arms["pooled"].astype(bool)
        ]
        who = "; ".join(
            f"{a.short_citation}, {a.instrument}, {a.timepoint}" for a in used.itertuples(index=False)
        )
        bench = (
            f"{_smc(pool['smc'].iloc[0], pool['smc_ci_low'].iloc[0], pool['smc_ci_high'].iloc[0])}"
            if len(pool)
            else MISSING
        )
        said = CONCLUSION_WORDS[v.conclusion].format(margin=margin)
        controls = []
        for role in ("sham", "natural_history"):
            lo, hi = getattr(v, f"diff_vs_{role}_ci_low"), getattr(v, f"diff_vs_{role}_ci_high")
            if not is_missing(lo):
                word = "larger than" if lo > 0 else "smaller than" if hi < 0 else "not shown to differ from"
                controls.append(f"{word} in {ARM_ROLE_LABELS[role]}s")
        rows.append(
            {
                "Condition": cond,
                "Measure": inst.label,
                "This practice": (
                    f"{_smc(p['smc'], p['smc_ci_low'], p['smc_ci_high'])} · n {int(p['n'])}"
                    if p is not None
                    else MISSING
                ),
                "Published CST arms": f"{bench} · {who}" if who else bench,
                "Change here is …": said + (f"; {'; '.join(controls)}" if controls else ""),
            }
        )
    table = (
        '<div class="scroll">' + table_html(pd.DataFrame(rows), text_columns=5, total_labels=()) + "</div>"
        if rows
        else ""
    )
    spelled = analysis.data.condition_labels
    without = [
        " and ".join([condition_label(conds[0], spelled), *(condition_phrase(c, spelled) for c in conds[1:])])
        + f", {label} ({why})."
        for (label, why), conds in unmatched.items()
    ]
    return table, without


def verdict_texts(analysis: PracticeAnalysis, assumed_r: float = 0.5) -> list[str]:
    """Every comparison's verdict in full sentences (the appendix)."""
    verdicts = analysis.literature.verdicts
    r = _r(analysis, assumed_r)
    return verdicts.loc[np.isclose(verdicts["assumed_r"].astype(float), r), "verdict"].tolist()


def published_arms_table(analysis: PracticeAnalysis, assumed_r: float = 0.5) -> str:
    """The published arms beside each practice row, one row per paper, role and timepoint.

    A pool of one arm is the arm itself and is not repeated; the practice's own
    row heads each condition and measure.
    """
    comp = analysis.literature
    r = _r(analysis, assumed_r)
    arms = comp.arms[np.isclose(comp.arms["assumed_r"].astype(float), r)]
    pooled = comp.pooled[np.isclose(comp.pooled["assumed_r"].astype(float), r)]
    practice = comp.practice[(comp.practice["level"] == "course") & comp.practice["has_comparator"]]
    rows = []
    for p in practice.sort_values(["condition", "measure"]).itertuples(index=False):
        inst = analysis.registry.get_instrument(p.measure)
        base = {
            "Condition": condition_label(p.condition, analysis.data.condition_labels),
            "Measure": inst.label,
        }
        rows.append(
            {
                **base,
                "Source": "this practice",
                "Arm": "course of care",
                "When": MISSING,
                "n": str(int(p.n)),
                "Std. change (95% CI)": _smc(p.smc, p.smc_ci_low, p.smc_ci_high),
                "% change": percent(p.pct_change / 100),
            }
        )
        these = arms[(arms["condition"] == p.condition) & (arms["measure"] == p.measure)]
        for a in these.sort_values(["short_citation", "role", "timepoint"]).itertuples(index=False):
            rows.append(
                {
                    **base,
                    "Source": f"{a.short_citation} ({a.instrument})",
                    "Arm": ARM_ROLE_LABELS[a.role] + ("" if a.pooled or not a.comparable else ", not pooled"),
                    "When": str(a.timepoint),
                    "n": MISSING if not np.isfinite(a.n) else str(int(a.n)),
                    "Std. change (95% CI)": _smc(a.smc, a.smc_ci_low, a.smc_ci_high),
                    "% change": percent(a.pct_change / 100),
                }
            )
        for q in pooled[(pooled["condition"] == p.condition) & (pooled["measure"] == p.measure)].itertuples(
            index=False
        ):
            if q.k >= 2:
                rows.append(
                    {
                        **base,
                        "Source": f"{int(q.k)} arms pooled",
                        "Arm": ARM_ROLE_LABELS[q.role],
                        "When": MISSING,
                        "n": str(int(q.n)),
                        "Std. change (95% CI)": _smc(q.smc, q.smc_ci_low, q.smc_ci_high),
                        "% change": MISSING,
                    }
                )
    if not rows:
        return ""
    return '<div class="scroll">' + table_html(pd.DataFrame(rows), text_columns=5, total_labels=()) + "</div>"


def between_table(analysis: PracticeAnalysis) -> str:
    """Published comparisons of CST with a control group, turned so that positive = CST better."""
    rows = []
    for b in analysis.literature.between_groups.itertuples(index=False):
        sign = 1.0 if b.higher_is_better else -1.0
        lo, hi = sorted((sign * b.ci_low, sign * b.ci_high)) if np.isfinite(b.ci_low) else (np.nan, np.nan)
        rows.append(
            {
                "Study": str(b.short_citation),
                "Conditions": ", ".join(
                    "mixed conditions" if c == ALL else condition_label(c)
                    for c in str(b.condition).split(";")
                ),
                "CST compared with": str(b.comparator),
                "Measure": str(b.instrument),
                "Difference, positive = CST better (95% CI)": f"{number(sign * b.estimate, 2)}"
                + (f" ({interval(lo, hi, 2)})" if np.isfinite(lo) else "")
                + f" · {str(b.estimate_type).replace('_', ' ')}",
                "Verification": str(b.verification),
            }
        )
    if not rows:
        return ""
    return '<div class="scroll">' + table_html(pd.DataFrame(rows), text_columns=4, total_labels=()) + "</div>"


def _escape(text: str) -> str:
    return html.escape(text)
