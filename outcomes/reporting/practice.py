"""The practice report: one self-contained HTML file from an export.

Provenance, the flow of every row, summaries per condition for each level of
change, the figures, the literature comparison with its caveats, and a
methods and a limitations paragraph. Figures are embedded as PNG data; the page
makes no external requests and prints cleanly (A4) from a browser.
"""

from __future__ import annotations

import datetime as _dt
import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .._version import __version__
from ..instruments import InstrumentRegistry, default_registry
from ..literature import compare_literature
from ..summary import LEVELS, SMALL_N, summarize, summarize_ratings
from ._html import figure_png, render, table_html

__all__ = ["practice_report_html", "report"]

_LEVEL_TEXT = {
    "session": (
        "Immediate effect of a session",
        "Before → right after the same session; each client's sessions averaged first.",
    ),
    "followup": (
        "A few days later",
        "Before a session → the follow-up report a few days later; retention = share of the "
        "immediate change still present.",
    ),
    "course": (
        "Over the course of care",
        "First session's before-score → last session's before-score (clients with two or more sessions).",
    ),
}

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


def _f(x: Any, d: int = 1) -> str:
    if x is None or x is pd.NA or (isinstance(x, float) and not math.isfinite(x)):
        return "–"
    return f"{float(x) + 0.0:.{d}f}"


def _ci(lo: Any, hi: Any, d: int = 1) -> str:
    return "–" if _f(lo) == "–" else f"{_f(lo, d)} to {_f(hi, d)}"


def _p(p: Any) -> str:
    if p is None or (isinstance(p, float) and not math.isfinite(p)):
        return "–"
    return "<0.001" if p < 0.001 else f"{p:.3f}"


def _cond(c: Any) -> str:
    text = str(c)
    return {"all": "All clients", "tmj": "TMJ", "stress_anxiety": "Stress / anxiety"}.get(
        text, text.replace("_", " ").capitalize()
    )


def _level_table(table: pd.DataFrame, level: str, registry: InstrumentRegistry) -> str:
    rows = []
    sub = table[table["level"].astype(str) == level]
    n_empty = int((sub["n_clients"] == 0).sum())
    sub = sub[sub["n_clients"] > 0]
    for r in sub.itertuples(index=False):
        inst = registry.get_instrument(r.measure)
        flags = [f for f in str(r.flags).split(";") if f]
        note = ", ".join(
            {
                "small_n": f"small (n<{SMALL_N})",
                "insufficient": "too few",
                "skewed": "skewed",
                "floor": "floor",
                "ceiling": "ceiling",
                "zero_variance": "no variation",
            }.get(f, f)
            for f in flags
        )
        rows.append(
            {
                "Condition": _cond(r.condition),
                "Measure": inst.label + (" (distance from normal)" if inst.direction == "toward" else ""),
                "Clients (sessions)": f"{r.n_clients} ({r.n_sessions})",
                "Before": _f(r.mean_pre),
                "After": _f(r.mean_post),
                "Improvement (95% CI)": (
                    f"{_f(r.mean_improvement)} ({_ci(r.improvement_ci_low, r.improvement_ci_high)})"
                    if r.n_clients > 1
                    else _f(r.mean_improvement)
                ),
                "Std. change": _f(-r.smc if inst.improvement_sign() < 0 else r.smc, 2),
                "p (Holm)": _p(r.p_holm),
                "Reached MCID": "–" if not math.isfinite(r.pct_mcid) else f"{r.pct_mcid:.0f}%",
                **(
                    {"Retention": "–" if not math.isfinite(r.retention) else f"{100 * r.retention:.0f}%"}
                    if level == "followup"
                    else {}
                ),
                "Notes": note,
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


def _flow_html(data: Any) -> str:
    flow = getattr(data, "flow", None)
    if flow is None or len(flow) == 0:
        return "<p class='note'>The data were passed in memory; no file flow is available.</p>"
    body = []
    for r in flow.itertuples(index=False):
        cls = "excluded" if r.step == "excluded" else ""
        unit = "rows of the file" if r.unit == "rows" else "scores"
        body.append(
            f'<tr class="{cls}"><td>{r.reason}</td><td class="text">{unit}</td><td>{int(r.count):,}</td></tr>'
        )
    return (
        '<table class="flow"><thead><tr><th>Step</th><th class="text">Counted in</th><th>Count</th></tr>'
        f"</thead><tbody>{''.join(body)}</tbody></table>"
    )


def _level_flow(table: pd.DataFrame) -> str:
    whole = table[table["condition"] == "all"] if "all" in set(table["condition"]) else table
    rows = []
    for level in LEVELS:
        sub = whole[whole["level"].astype(str) == level]
        if sub.empty:
            continue
        rows.append(
            {
                "Kind of change": _LEVEL_TEXT[level][0],
                "Measures": str(sub["measure"].nunique()),
                "Clients analysed (largest measure)": str(int(sub["n_clients"].max())),
                "Clients without a complete pair (same measure)": str(
                    int(sub.loc[sub["n_clients"].idxmax(), "n_clients_unpaired"])
                ),
            }
        )
    return table_html(pd.DataFrame(rows)) if rows else ""


def _main_measure(table: pd.DataFrame) -> str:
    course = table[(table["level"].astype(str) == "course") & (table["condition"] == "all")]
    if course.empty:
        course = table[table["condition"] == "all"]
    return str(course.sort_values(["n_clients", "measure"], ascending=[False, True])["measure"].iloc[0])


def _glance(data: Any, table: pd.DataFrame, registry: InstrumentRegistry) -> list[str]:
    f = data.frame if hasattr(data, "frame") else data
    lines = [
        f"{f['client_id'].nunique():,} clients, {len(f[['client_id', 'session']].drop_duplicates()):,} "
        f"sessions, {len(f):,} scores."
    ]
    whole = table[table["condition"] == "all"]
    for level in ("session", "course"):
        sub = whole[(whole["level"].astype(str) == level) & (whole["n_clients"] >= 2)]
        for r in sub.sort_values("n_clients", ascending=False).head(3).itertuples(index=False):
            inst = registry.get_instrument(r.measure)
            what = (
                "from before to right after a session"
                if level == "session"
                else "from the first to the last session"
            )
            lines.append(
                f"{inst.label}: clients improved by {_f(r.mean_improvement)} {inst.unit} on average {what} "
                f"(95% CI {_ci(r.improvement_ci_low, r.improvement_ci_high)}; {r.n_clients} clients)."
            )
    return lines


def _figures(
    data: Any, by_cond: pd.DataFrame, comparison: pd.DataFrame, measure: str, *, seed: int, n_boot: int
) -> tuple[list[dict[str, str]], list[str]]:
    """Render the figures of the plots module to embedded PNGs, with captions a therapist can read."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    from .. import plots

    registry = default_registry()
    inst = registry.get_instrument(measure)
    figs: list[dict[str, str]] = []
    notes: list[str] = []

    def add(fid: str, title: str, caption: str, draw: Any) -> None:
        try:
            ax = draw()
        except Exception as exc:
            notes.append(f"Figure '{title}' could not be drawn: {exc}")
            plt.close("all")
            return
        fig = ax.figure
        figs.append(
            dict(
                id=fid,
                title=title.rstrip("?."),
                end="?" if title.endswith("?") else ".",
                caption=caption,
                alt=title,
                src=figure_png(fig),
            )
        )
        plt.close(fig)

    course_rows = by_cond[(by_cond["level"].astype(str) == "course") & (by_cond["measure"] == measure)]
    top = course_rows.sort_values("n_clients", ascending=False)["condition"].head(4).tolist()
    add(
        "forest",
        f"{inst.label}: change over the course of care, per condition",
        "Each row is a condition: the dot is the average improvement from the first to the last session, the "
        "line its 95% confidence interval, n the number of clients. The dashed line marks the minimal "
        "clinically important difference where one is published. Hollow dots are small groups.",
        lambda: plots.plot_condition_forest(by_cond, measure=measure, level="course"),
    )
    add(
        "trajectory",
        f"{inst.label} session by session",
        "The average score before (circles) and right after (squares) each session for the most common "
        "conditions: the drop within a session is the immediate relief; the line from one session's "
        "before-score to the next shows what lasts. Fewer clients reach later sessions.",
        lambda: plots.plot_trajectory(data, measure=measure, conditions=top or None),
    )
    add(
        "paired",
        f"{inst.label}: every client's first and last session",
        "Each line is one client, from the first to the last session; colour shows who improved and who got "
        "worse. The thick line is the average with its 95% confidence interval.",
        lambda: plots.plot_paired(data, measure=measure, level="course", seed=seed),
    )
    add(
        "estimation",
        f"{inst.label}: how sure is the average change?",
        "Left: the clients' scores. Right: the average change with the spread of averages that resampling "
        "the clients gives (bootstrap) and its 95% confidence interval. An interval that does not cross zero "
        "means the average change is unlikely to be chance alone.",
        lambda: plots.plot_change_estimation(data, measure=measure, level="course", seed=seed, n_boot=n_boot),
    )
    add(
        "responders",
        f"{inst.label}: who changed reliably?",
        "For each condition, the share of clients whose change is larger than measurement error (reliably "
        "improved), within it, or reliably worse; the marker shows the share reaching the minimal clinically "
        "important difference.",
        lambda: plots.plot_responders(by_cond, measure=measure, level="course"),
    )
    add(
        "jacobson",
        f"{inst.label}: first against last session, client by client",
        "Each point is a client. Points below the diagonal improved (for scales where lower is better); "
        "the grey band is the change that measurement error alone could produce.",
        lambda: plots.plot_jacobson_truax(data, measure=measure, level="course"),
    )
    bench = comparison[
        (comparison["part"] == "benchmark")
        & (comparison["role"] == "verdict")
        & (comparison["measure"] == measure)
    ]
    if len(bench):
        conds = list(bench["condition"])
        cond = "all" if "all" in conds else str(conds[0])
        add(
            "literature",
            f"This practice beside published CST studies ({_cond(cond)})",
            "Standardized change from the start to the end of care (positive = improvement) in this practice "
            "and in published treatment arms. Diamonds pool the published arms. Comparisons of CST with a "
            "control group are a different kind of result and are listed separately, not drawn here.",
            lambda: plots.plot_literature_forest(comparison, condition=cond, measure=measure, assumed_r=0.5),
        )
    return figs, notes


def practice_report_html(
    data: Any,
    *,
    seed: int = 0,
    n_boot: int = 2000,
    synthetic: bool = False,
    instruments: InstrumentRegistry | None = None,
) -> str:
    """The practice report as an HTML string (see :func:`report`)."""
    registry = instruments if instruments is not None else default_registry()
    levels = list(LEVELS)
    by_cond = summarize(data, by="condition", level=levels, seed=seed, n_boot=n_boot, instruments=registry)
    whole = summarize(data, by=None, level=levels, seed=seed, n_boot=n_boot, instruments=registry)
    whole.insert(0, "condition", "all")
    table = pd.concat([by_cond, whole], ignore_index=True)
    comparison = compare_literature(table, instruments=registry)
    measure = _main_measure(table)
    figures, fig_notes = _figures(data, by_cond, comparison, measure, seed=seed, n_boot=n_boot)

    level_tables = []
    for level in LEVELS:
        heading, note = _LEVEL_TEXT[level]
        level_tables.append(
            dict(level=level, heading=heading, note=note, table=_level_table(table, level, registry))
        )
    ratings = summarize_ratings(data, by=None, instruments=registry)
    ratings_html = ""
    if len(ratings):
        r = ratings.iloc[0]
        ratings_html = table_html(
            pd.DataFrame(
                [
                    {
                        "Clients": int(r["n_clients"]),
                        "Much or very much improved (1–2)": f"{r['pct_responders']:.0f}% "
                        f"({_ci(r['pct_responders_ci_low'], r['pct_responders_ci_high'], 0)})",
                        **{f"Rated {k}": int(r[f"n_{k}"]) for k in range(1, 8)},
                    }
                ]
            ),
            text_columns=0,
        )

    at_r = comparison[(comparison["role"] == "verdict") & (comparison["assumed_r"] == 0.5)]
    verdicts = at_r["verdict"].tolist()
    arms = comparison[
        (comparison["part"] == "benchmark")
        & (
            comparison["role"].isin(
                [
                    "practice_course",
                    "cst",
                    "sham",
                    "natural_history",
                    "other_active",
                    "pooled_cst",
                    "pooled_sham",
                    "pooled_natural_history",
                ]
            )
        )
        & ((comparison["assumed_r"] == 0.5) | comparison["assumed_r"].isna())
    ]
    role_text = {
        "practice_course": "This practice (course)",
        "cst": "CST arm",
        "sham": "Sham arm",
        "natural_history": "Wait-list / no treatment",
        "other_active": "Other manual therapy",
        "pooled_cst": "Pooled CST arms",
        "pooled_sham": "Pooled sham arms",
        "pooled_natural_history": "Pooled wait-list arms",
    }
    comp_rows = [
        {
            "Condition": _cond(r.condition),
            "Source": "this practice" if r.source == "practice" else str(r.source),
            "Kind": role_text.get(r.role, r.role),
            "n": "–" if not np.isfinite(r.n) else f"{int(r.n)}",
            "Std. change (95% CI)": f"{_f(r.smc, 2)} ({_ci(r.smc_ci_low, r.smc_ci_high, 2)})"
            if np.isfinite(r.smc)
            else "not standardizable",
            "% change": "–" if not np.isfinite(r.pct_change) else f"{r.pct_change:.0f}%",
            "Verification": "" if not isinstance(r.verification, str) else r.verification,
        }
        for r in arms.itertuples(index=False)
    ]
    between = comparison[comparison["part"] == "between_groups"]
    between_rows = [
        {
            "Study": str(r.citation),
            "Conditions": ", ".join(
                "mixed conditions" if c == "all" else _cond(c) for c in str(r.condition).split(";")
            ),
            "Comparison": f"CST vs {r.comparator}",
            "Result": f"{str(r.estimate_type).replace('_', ' ')} "
            f"{_f(r.estimate, 2)}" + (f" ({_ci(r.ci_low, r.ci_high, 2)})" if np.isfinite(r.ci_low) else ""),
            "Measure": str(r.measure),
            "Verification": str(r.verification),
        }
        for r in between.itertuples(index=False)
    ]
    none = comparison[comparison["part"] == "no_comparator"]
    none_lines = []
    for cond, g in none.groupby("condition", sort=True):
        labels = sorted({registry.get_instrument(m).label for m in g["measure"]})
        none_lines.append(f"{_cond(cond)}: {'; '.join(labels)}.")

    f = data.frame if hasattr(data, "frame") else data
    prov = dict(getattr(data, "provenance", {}) or {})
    years = sorted(int(y) for y in pd.unique(f["year"].dropna())) if "year" in f else []
    provenance = {
        "Input file": prov.get("file", "data passed in memory"),
        "SHA-256": prov.get("sha256", "–"),
        "Rows read": f"{prov.get('rows_read', len(f)):,}",
        "Layout": prov.get("layout", "–"),
        "Reporting period": f"{years[0]}–{years[-1]}"
        if len(years) > 1
        else (str(years[0]) if years else "–"),
        "Package version": f"outcomes {__version__}",
        "Bootstrap": f"{n_boot} client resamples, seed {seed}",
        "Generated": _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }
    if "privacy_override" in prov:
        provenance["Privacy override"] = prov["privacy_override"]
    return render(
        "practice.html.j2",
        title="Practice outcomes report",
        subtitle=f"{provenance['Input file']} · {provenance['Reporting period']} · generated "
        f"{provenance['Generated']} · outcomes {__version__}",
        synthetic=synthetic,
        glance=_glance(data, table, registry),
        flow_table=_flow_html(data),
        level_flow_table=_level_flow(table),
        figures=figures,
        figure_notes=fig_notes,
        level_tables=level_tables,
        ratings_table=ratings_html,
        verdicts=verdicts,
        comparison_table=table_html(pd.DataFrame(comp_rows), text_columns=3) if comp_rows else "",
        between_table=table_html(pd.DataFrame(between_rows), text_columns=4) if between_rows else "",
        no_comparator=none_lines,
        references=REFERENCES,
        limitations=LIMITATIONS,
        provenance=provenance,
    )


def report(
    data: Any,
    path: str | Path,
    *,
    seed: int = 0,
    n_boot: int = 2000,
    synthetic: bool = False,
    instruments: InstrumentRegistry | None = None,
) -> Path:
    """Write the practice report to ``path`` as one self-contained HTML file.

    Parameters
    ----------
    data : SessionData or DataFrame
        What :func:`outcomes.read_sessions` returns (its provenance and flow go
        into the report), or a canonical frame.
    path : str or Path
        Output ``.html`` file.
    seed, n_boot : int
        Bootstrap settings, recorded in the report.
    synthetic : bool
        Label the report as made from synthetic sample data.

    Returns
    -------
    Path
    """
    path = Path(path)
    path.write_text(
        practice_report_html(data, seed=seed, n_boot=n_boot, synthetic=synthetic, instruments=instruments),
        encoding="utf-8",
    )
    return path
