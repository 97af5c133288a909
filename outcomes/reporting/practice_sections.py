"""The sections of the practice report: each a piece of HTML made from the analysis' tables.

Numbers are formatted with :mod:`outcomes._format`, words come from
:mod:`outcomes._words`, and every label is escaped.
"""

from __future__ import annotations

import html
from typing import Any

import numpy as np
import pandas as pd

from .._format import MISSING, interval, is_missing, number, p_value, percent
from .._words import ALL, ARM_ROLE_LABELS, FLAG_WORDS, LEVEL_WORDS, condition_label
from ..analysis import PracticeAnalysis
from ..instruments import InstrumentRegistry
from ..summary import LEVELS
from .pages import table_html

__all__ = [
    "LIMITATIONS",
    "REFERENCES",
    "comparison_rows",
    "flow_html",
    "glance",
    "level_flow",
    "level_table",
    "main_measure",
    "ratings_html",
]

REFERENCES = [
    "Student. The probable error of a mean. Biometrika 1908;6(1):1–25. doi:10.1093/biomet/6.1.1",
    "Wilcoxon F. Individual comparisons by ranking methods. Biometrics Bulletin 1945;1(6):80–83. "
    "doi:10.2307/3001968",
    "Efron B. Better bootstrap confidence intervals. J Am Stat Assoc 1987;82(397):171–185. "
    "doi:10.1080/01621459.1987.10478410",
    "Holm S. A simple sequentially rejective multiple test procedure. Scand J Stat 1979;6(2):65–70.",
    "Becker BJ. Synthesizing standardized mean-change measures. Br J Math Stat Psychol 1988;41(2):257–278. "
    "doi:10.1111/j.2044-8317.1988.tb00901.x",
    "Lakens D. Calculating and reporting effect sizes to facilitate cumulative science. Front Psychol "
    "2013;4:863. doi:10.3389/fpsyg.2013.00863",
    "Jacobson NS, Truax P. Clinical significance: a statistical approach to defining meaningful change in "
    "psychotherapy research. J Consult Clin Psychol 1991;59(1):12–19. doi:10.1037/0022-006X.59.1.12",
    "Wilson EB. Probable inference, the law of succession, and statistical inference. J Am Stat Assoc "
    "1927;22(158):209–212. doi:10.1080/01621459.1927.10502953",
    "Higgins JPT, Thompson SG, Spiegelhalter DJ. A re-evaluation of random-effects meta-analysis. J R Stat "
    "Soc A 2009;172(1):137–159. doi:10.1111/j.1467-985X.2008.00552.x",
    "Minami T, Serlin RC, Wampold BE, Kircher JC, Brown GS. Using clinical trials to benchmark effects "
    "produced in clinical practice. Qual Quant 2008;42:513–525. doi:10.1007/s11135-006-9057-z",
    "Barnett AG, van der Pols JC, Dobson AJ. Regression to the mean: what it is and how to deal with it. "
    "Int J Epidemiol 2005;34(1):215–220. doi:10.1093/ije/dyh299",
]

LIMITATIONS = [
    "There is no control group. A change in clients' scores while they are in care is the sum of the "
    "treatment's effect, the natural course of the condition, the general effects of attention and care, "
    "and measurement effects; routine records cannot separate them, so these results do not show that "
    "craniosacral therapy caused the improvement.",
    "Regression to the mean: clients tend to start care when symptoms are at their worst, and scores chosen "
    "for being high tend to be lower when measured again even without treatment. Course-level changes are "
    "inflated by it, most for clients who start far from the average.",
    "Who drops out matters: clients with a single session have no course change, and clients who stop early "
    "may be those who did not improve (or who improved quickly). The counts of unpaired clients show how "
    "many each row could not use.",
    "Immediate (session-level) changes are reported to the therapist who gave the session, right after it; "
    "they describe relief, not lasting change. Follow-up and course-level changes are the better guides.",
    "Tone grades are judged by the treating therapist, who knows the treatment given. MCIDs and "
    "reliabilities come from published studies of other populations.",
    "Many numbers are reported: a single p-value below 0.05 in a large table is expected by chance; the "
    "Holm-adjusted p-values account for that.",
]


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _retention(r: Any) -> str:
    """The retention ratio with its interval, or a dash (the row's note says why there is none)."""
    if is_missing(r.retention):
        return MISSING
    if is_missing(r.retention_ci_low):
        return percent(r.retention)
    return f"{percent(r.retention)} ({percent(r.retention_ci_low)} to {percent(r.retention_ci_high)})"


def _flags_note(flags: Any) -> str:
    return ", ".join(FLAG_WORDS.get(f, f) for f in str(flags).split(";") if f)


def level_table(table: pd.DataFrame, level: str, registry: InstrumentRegistry) -> str:
    """The results of one level of change, one row per condition x measure with clients."""
    rows = []
    sub = table[table["level"].astype(str) == level]
    n_empty = int((sub["n_clients"] == 0).sum())
    sub = sub[sub["n_clients"] > 0]
    for r in sub.itertuples(index=False):
        inst = registry.get_instrument(r.measure)
        rows.append(
            {
                "Condition": condition_label(r.condition),
                "Measure": inst.label + (" (distance from normal)" if inst.direction == "toward" else ""),
                "Clients (sessions)": f"{r.n_clients} ({r.n_sessions})",
                "Before": number(r.mean_pre),
                "After": number(r.mean_post),
                "Improvement (95% CI)": (
                    f"{number(r.mean_improvement)} ({interval(r.improvement_ci_low, r.improvement_ci_high)})"
                    if r.n_clients > 1
                    else number(r.mean_improvement)
                ),
                "Std. change": number(-r.smc if inst.improvement_sign() < 0 else r.smc, 2),
                "p (Holm)": p_value(r.p_holm),
                "Reached MCID": percent(r.pct_mcid / 100),
                **({"Retention (95% CI)": _retention(r)} if level == "followup" else {}),
                "Notes": ", ".join(
                    x for x in (_flags_note(r.flags), r.retention_note if level == "followup" else "") if x
                ),
            }
        )
    note = (
        f'<p class="note">{n_empty} condition × measure combinations without client pairs at this level '
        "are left out.</p>"
        if n_empty
        else ""
    )
    return (
        table_html(pd.DataFrame(rows), text_columns=2) + note
        if rows
        else "<p>No clients with data at this level.</p>"
    )


def flow_html(data: Any) -> str:
    """The flow of the read: every row of the export kept, or excluded with its reason."""
    flow = getattr(data, "flow", None)
    if flow is None or len(flow) == 0:
        return "<p class='note'>The data were passed in memory; no file flow is available.</p>"
    body = []
    for r in flow.itertuples(index=False):
        cls = "excluded" if r.step == "excluded" else ""
        unit = "rows of the file" if r.unit == "rows" else "scores"
        body.append(
            f'<tr class="{cls}"><td>{html.escape(str(r.reason))}</td><td class="text">{unit}</td>'
            f"<td>{int(r.count):,}</td></tr>"
        )
    return (
        '<table class="flow"><thead><tr><th>Step</th><th class="text">Counted in</th><th>Count</th></tr>'
        f"</thead><tbody>{''.join(body)}</tbody></table>"
    )


def level_flow(table: pd.DataFrame) -> str:
    """Clients analysed and left out at each level (the whole practice, the measure with most clients)."""
    whole = table[table["condition"] == ALL] if ALL in set(table["condition"]) else table
    rows = []
    for level in LEVELS:
        sub = whole[whole["level"].astype(str) == level]
        if sub.empty:
            continue
        rows.append(
            {
                "Kind of change": LEVEL_WORDS[level].heading,
                "Measures": str(sub["measure"].nunique()),
                "Clients analysed (largest measure)": str(int(sub["n_clients"].max())),
                "Clients without a complete pair (same measure)": str(
                    int(sub.loc[sub["n_clients"].idxmax(), "n_clients_unpaired"])
                ),
            }
        )
    return table_html(pd.DataFrame(rows)) if rows else ""


def main_measure(table: pd.DataFrame) -> str:
    """The measure the figures show: the one with most clients over the course of care."""
    course = table[(table["level"].astype(str) == "course") & (table["condition"] == ALL)]
    if course.empty:
        course = table[table["condition"] == ALL]
    return str(course.sort_values(["n_clients", "measure"], ascending=[False, True])["measure"].iloc[0])


def glance(analysis: PracticeAnalysis, table: pd.DataFrame) -> list[str]:
    """The first lines of the report: who was seen, and how much they changed."""
    f = analysis.frame
    lines = [
        f"{f['client_id'].nunique():,} clients, {len(f[['client_id', 'session']].drop_duplicates()):,} "
        f"sessions, {len(f):,} scores."
    ]
    whole = table[table["condition"] == ALL]
    for level in ("session", "course"):
        sub = whole[(whole["level"].astype(str) == level) & (whole["n_clients"] >= 2)]
        for r in sub.sort_values("n_clients", ascending=False).head(3).itertuples(index=False):
            inst = analysis.registry.get_instrument(r.measure)
            lines.append(
                f"{inst.label}: clients improved by {number(r.mean_improvement)} {inst.unit} on average "
                f"{LEVEL_WORDS[level].span} (95% CI {interval(r.improvement_ci_low, r.improvement_ci_high)}; "
                f"{r.n_clients} clients)."
            )
    return lines


def ratings_html(analysis: PracticeAnalysis) -> str:
    """The global impression of change of the whole practice, when clients rated it."""
    ratings = analysis.ratings(by=None)
    if not len(ratings):
        return ""
    r = ratings.iloc[0]
    return table_html(
        pd.DataFrame(
            [
                {
                    "Clients": int(r["n_clients"]),
                    "Much or very much improved (1–2)": f"{number(r['pct_responders'], 0)}% "
                    f"({interval(r['pct_responders_ci_low'], r['pct_responders_ci_high'], 0)})",
                    **{f"Rated {k}": int(r[f"n_{k}"]) for k in range(1, 8)},
                }
            ]
        ),
        text_columns=0,
    )


def comparison_rows(
    analysis: PracticeAnalysis, assumed_r: float = 0.5
) -> tuple[list[dict[str, str]], list[dict[str, str]], list[str]]:
    """The literature section: arms beside the practice, between-group results, and one line per
    condition with nothing comparable published."""
    comp = analysis.literature
    at_r = comp.settings["assumed_r"]
    r = assumed_r if assumed_r in at_r else at_r[0]
    arms = []
    for cond, measure in comp.practice.loc[
        (comp.practice["level"] == "course") & comp.practice["has_comparator"], ["condition", "measure"]
    ].itertuples(index=False):
        practice = comp.practice[
            (comp.practice["condition"] == cond)
            & (comp.practice["measure"] == measure)
            & (comp.practice["level"] == "course")
        ]
        pub = comp.arms[(comp.arms["condition"] == cond) & (comp.arms["measure"] == measure)]
        pooled = comp.pooled[(comp.pooled["condition"] == cond) & (comp.pooled["measure"] == measure)]
        pub, pooled = pub[pub["assumed_r"] == r], pooled[pooled["assumed_r"] == r]
        for role, row in [
            *(("practice_course", x) for x in practice.itertuples(index=False)),
            *((x.role, x) for x in pub.itertuples(index=False)),
            *((x.role, x) for x in pooled.itertuples(index=False)),
        ]:
            source = "this practice" if role == "practice_course" else getattr(row, "source", "pooled")
            arms.append(
                {
                    "Condition": condition_label(cond),
                    "Source": str(source),
                    "Kind": ARM_ROLE_LABELS[role][:1].upper() + ARM_ROLE_LABELS[role][1:],
                    "n": MISSING if not np.isfinite(row.n) else f"{int(row.n)}",
                    "Std. change (95% CI)": (
                        f"{number(row.smc, 2)} ({interval(row.smc_ci_low, row.smc_ci_high, 2)})"
                        if np.isfinite(row.smc)
                        else "not standardizable"
                    ),
                    "% change": percent(getattr(row, "pct_change", np.nan) / 100),
                    "Verification": _text(getattr(row, "verification", "")),
                }
            )
    between = [
        {
            "Study": str(b.citation),
            "Conditions": ", ".join(
                "mixed conditions" if c == ALL else condition_label(c) for c in str(b.condition).split(";")
            ),
            "Comparison": f"CST vs {b.comparator}",
            "Result": f"{str(b.estimate_type).replace('_', ' ')} {number(b.estimate, 2)}"
            + (f" ({interval(b.ci_low, b.ci_high, 2)})" if np.isfinite(b.ci_low) else ""),
            "Measure": str(b.instrument),
            "Verification": str(b.verification),
        }
        for b in comp.between_groups.itertuples(index=False)
    ]
    none = []
    for cond, g in comp.no_comparator.groupby("condition", sort=True):
        labels = sorted({analysis.registry.get_instrument(m).label for m in g["measure"]})
        none.append(f"{condition_label(cond)}: {'; '.join(labels)}.")
    return arms, between, none
