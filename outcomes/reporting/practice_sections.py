"""The sections of the practice report: each a piece of HTML made from the analysis' tables.

The page answers its reader's first question first: are clients getting better,
per group, and how surely? (:func:`answer_table`, :func:`level_sentences`). The
detail (every row of every level, the flow of the export, the course lengths)
follows in the appendix, each table with the rows a therapist reads first on top:
the whole practice, then the groups with most clients.

Numbers are formatted with :mod:`outcomes._format`, words come from
:mod:`outcomes._words` and :mod:`outcomes._sentences`, and every label is escaped.
"""

from __future__ import annotations

import html
from typing import Any

import pandas as pd

from .._format import MISSING, interval, is_missing, number, p_value, percent
from .._sentences import direction
from .._words import ALL, FLAG_WORDS, LEVEL_WORDS, attribute_label, condition_label, plural
from ..analysis import PracticeAnalysis
from ..instruments import InstrumentRegistry
from ..summary import LEVELS, SMALL_N
from .pages import table_html

__all__ = [
    "LIMITATIONS",
    "REFERENCES",
    "answer_table",
    "course_text",
    "flow_html",
    "group_label",
    "headline_level",
    "level_flow",
    "level_sentences",
    "level_table",
    "main_measures",
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
    "Bonett DG. Confidence intervals for standardized linear contrasts of means. Psychol Methods "
    "2008;13(2):99–109. doi:10.1037/1082-989X.13.2.99",
    "Lakens D. Calculating and reporting effect sizes to facilitate cumulative science. Front Psychol "
    "2013;4:863. doi:10.3389/fpsyg.2013.00863",
    "Jacobson NS, Truax P. Clinical significance: a statistical approach to defining meaningful change in "
    "psychotherapy research. J Consult Clin Psychol 1991;59(1):12–19. doi:10.1037/0022-006X.59.1.12",
    "Wilson EB. Probable inference, the law of succession, and statistical inference. J Am Stat Assoc "
    "1927;22(158):209–212. doi:10.1080/01621459.1927.10502953",
    "Fieller EC. Some problems in interval estimation. J R Stat Soc B 1954;16(2):175–185. "
    "doi:10.1111/j.2517-6161.1954.tb00159.x",
    "Higgins JPT, Thompson SG, Spiegelhalter DJ. A re-evaluation of random-effects meta-analysis. J R Stat "
    "Soc A 2009;172(1):137–159. doi:10.1111/j.1467-985X.2008.00552.x",
    "IntHout J, Ioannidis JPA, Borm GF. The Hartung-Knapp-Sidik-Jonkman method for random effects "
    "meta-analysis is straightforward and considerably outperforms the standard DerSimonian-Laird method. "
    "BMC Med Res Methodol 2014;14:25. doi:10.1186/1471-2288-14-25",
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

#: How each word of :func:`outcomes._sentences.direction` is marked on the page (a shape, so that
#: colour is never the only cue).
MARKS = {"improved": "▲", "got worse": "▼", "no clear change": "●", "too few to say": "·"}


def group_label(column: str, value: Any, labels: dict[str, str] | None = None) -> str:
    """A group as a row label: the whole practice, a condition in words, or an attribute as exported."""
    if str(value) == ALL:
        return condition_label(ALL)
    if column == "condition":
        return condition_label(value, labels)
    return str(value)


def _groups(analysis: PracticeAnalysis) -> list[str]:
    return list(analysis.by)


def _row_label(analysis: PracticeAnalysis, row: Any) -> str:
    labels = getattr(analysis.data, "condition_labels", None)
    return " · ".join(group_label(c, getattr(row, c), labels) for c in _groups(analysis))


def _reading_order(analysis: PracticeAnalysis, table: pd.DataFrame) -> pd.DataFrame:
    """The whole practice first, then the groups with most clients (ties by label), measures likewise."""
    groups = _groups(analysis)
    t = table.copy()
    if t.empty:
        return t
    key = t[groups].astype(str).agg(" · ".join, axis=1) if groups else pd.Series("", index=t.index)
    size = t.groupby(key)["n_clients"].transform("max")
    t["_all"] = key.str.startswith(ALL).astype(int)
    t["_size"], t["_key"] = size, key
    t = t.sort_values(
        ["_all", "_size", "_key", "n_clients", "measure"], ascending=[False, False, True, False, True]
    )
    return t.drop(columns=["_all", "_size", "_key"])


def headline_level(table: pd.DataFrame, by: list[str]) -> str:
    """The level the page leads with: the course of care where the data have it, else the session."""
    whole = table[table[by[0]].astype(str) == ALL] if by else table
    for level in ("course", "session", "followup"):
        rows = whole[whole["level"].astype(str) == level]
        if (rows["n_clients"] >= 2).any():
            return level
    return "course"


def main_measures(table: pd.DataFrame, by: list[str], level: str, k: int = 3) -> list[str]:
    """The ``k`` measures with most clients in the whole practice at ``level`` (the first is the figures')."""
    whole = table[table[by[0]].astype(str) == ALL] if by else table
    rows = whole[whole["level"].astype(str) == level]
    if rows.empty or not (rows["n_clients"] > 0).any():
        rows = whole
    rows = rows.sort_values(["n_clients", "measure"], ascending=[False, True])
    return list(dict.fromkeys(rows["measure"].astype(str)))[:k]


def _cell(row: Any, registry: InstrumentRegistry) -> str:
    inst = registry.get_instrument(row.measure)
    word = direction(row.mean_improvement, row.improvement_ci_low, row.improvement_ci_high, row.n_clients)
    cls = word.replace(" ", "-")
    small = ", small" if 0 < row.n_clients < SMALL_N else ""
    if word == "too few to say":
        numbers = f"n {row.n_clients}"
    elif is_missing(row.improvement_ci_low):
        numbers = f"{number(row.mean_improvement)} {inst.unit}, every client · n {row.n_clients}{small}"
    else:
        numbers = (
            f"{number(row.mean_improvement)} ({interval(row.improvement_ci_low, row.improvement_ci_high)}) "
            f"· n {row.n_clients}{small}"
        )
    return (
        f'<td class="answer {cls}"><span class="word">{MARKS[word]} {html.escape(word)}</span>'
        f'<span class="num">{html.escape(numbers)}</span></td>'
    )


def answer_table(analysis: PracticeAnalysis, table: pd.DataFrame, level: str, measures: list[str]) -> str:
    """Are clients getting better? One row per group, one column per main measure, the change in words.

    The word (improved, got worse, no clear change, too few to say) follows the
    interval of the average improvement; the numbers under it are the average
    improvement, its interval and the number of clients.
    """
    groups = _groups(analysis)
    rows = table[(table["level"].astype(str) == level) & table["measure"].isin(measures)]
    if rows.empty:
        return "<p>No clients with a pair of scores at this level.</p>"
    ordered = _reading_order(analysis, rows)
    head_group = " · ".join(attribute_label(c) for c in groups) or "Clients"
    heads = "".join(f"<th>{html.escape(analysis.registry.get_instrument(m).label)}</th>" for m in measures)
    body = []
    for _, g in ordered.groupby(groups, sort=False) if groups else [((), ordered)]:
        first = next(g.itertuples(index=False))
        label = _row_label(analysis, first) if groups else condition_label(ALL)
        by_measure = {str(r.measure): r for r in g.itertuples(index=False)}
        cells = "".join(
            _cell(by_measure[m], analysis.registry) if m in by_measure else f"<td>{MISSING}</td>"
            for m in measures
        )
        cls = ' class="total"' if label == condition_label(ALL) else ""
        body.append(f'<tr{cls}><td class="text">{html.escape(label)}</td>{cells}</tr>')
    return (
        f'<div class="scroll"><table class="answers"><thead><tr><th class="text">{html.escape(head_group)}'
        f"</th>{heads}</tr></thead><tbody>{''.join(body)}</tbody></table></div>"
    )


def level_sentences(analysis: PracticeAnalysis, measures: list[str], skip: str = "") -> dict[str, list[str]]:
    """The whole practice's change at each level but ``skip``, in sentences, for the main measures."""
    out: dict[str, list[str]] = {}
    head = analysis.headline(by=None)
    for level in LEVELS:
        if level == skip:
            continue
        rows = head[
            (head["level"].astype(str) == level) & head["measure"].isin(measures) & (head["n_clients"] > 0)
        ]
        rows = rows.set_index("measure").reindex([m for m in measures if m in set(rows["measure"])])
        if len(rows):
            out[level] = rows["sentence"].tolist()
    return out


def course_text(analysis: PracticeAnalysis, measure: str) -> str:
    """How long the courses behind the course-level change were, in one sentence."""
    lengths = analysis.course_lengths(by=None)
    row = lengths[lengths["measure"] == measure]
    inst = analysis.registry.get_instrument(measure)
    f = analysis.frame
    scored = int(f.loc[(f["measure"] == inst.key) & (f["timepoint"] == "pre"), "client_id"].nunique())
    if row.empty or int(row["n_clients"].iloc[0]) == 0:
        return (
            f"No client has a {inst.label} score before two different sessions, so there is no change over "
            "the course of care; the figures show the change within a session."
        )
    r = row.iloc[0]
    n = int(r["n_clients"])
    end = analysis.course_end
    if end.session is not None:
        compared = f"each client's first session with session {end.session}"
        counted = f"{plural(n, 'client')} with a score at session {end.session}"
    elif end.days is not None:
        lo, hi = (number(v, 0) for v in end.days)
        compared = f"each client's first session with their last session between day {lo} and day {hi}"
        counted = f"{plural(n, 'client')} with a session in that window"
    else:
        compared = "each client's first and last session"
        counted = f"{plural(n, 'client')} with two or more sessions"
    text = (
        f"The change over the course of care compares {compared} ({inst.label}): {counted}, "
        f"a median of {number(r['sessions_median'], 0)} sessions (middle half {number(r['sessions_q1'], 0)} "
        f"to {number(r['sessions_q3'], 0)}, longest {number(r['sessions_max'], 0)})"
    )
    if not is_missing(r["weeks_median"]):
        text += (
            f" over a median of {number(r['weeks_median'], 0)} weeks (middle half {number(r['weeks_q1'], 0)} "
            f"to {number(r['weeks_q3'], 0)}, longest {number(r['weeks_max'], 0)})"
        )
    text += "."
    once = scored - n
    if once > 0:
        verb = "has" if once == 1 else "have"
        if end.session is None and end.days is None:
            text += f" {plural(once, 'client')} with a score at only one session {verb} no course change."
            text += (
                " Courses of different lengths are pooled: a longer course may show more (or less) change."
            )
        else:
            text += f" {plural(once, 'other client')} {verb} no score there and no course change."
    return text


def _retention(r: Any) -> str:
    """The retention ratio with its interval, or a dash (the row's note says why there is none)."""
    if is_missing(r.retention):
        return MISSING
    if is_missing(r.retention_ci_low):
        return percent(r.retention)
    return f"{percent(r.retention)} ({percent(r.retention_ci_low)} to {percent(r.retention_ci_high)})"


_RETENTION_NOTES = {
    "immediate change too small to divide by (its interval includes 0)": "no retention: immediate change ≈ 0",
    "too few clients with a score right after and a few days later": "no retention: too few",
    "no interval: every client's changes are equal": "retention without interval",
}


def _notes(r: Any, level: str) -> str:
    flags = [FLAG_WORDS.get(f, f) for f in str(r.flags).split(";") if f and f != "small_n"]
    if level == "followup" and r.retention_note:
        flags.append(_RETENTION_NOTES.get(r.retention_note, r.retention_note))
    return ", ".join(flags)


def level_table(analysis: PracticeAnalysis, table: pd.DataFrame, level: str) -> str:
    """Every row of one level of change: the whole practice first, then the groups with most clients.

    Rows of fewer than 10 clients are marked in the Clients column (``7*``) rather
    than in a note, so that the Notes column keeps what a reader must know.
    """
    registry = analysis.registry
    sub = table[table["level"].astype(str) == level]
    n_empty = int((sub["n_clients"] == 0).sum())
    sub = _reading_order(analysis, sub[sub["n_clients"] > 0])
    before, after = LEVEL_WORDS[level].points
    rows = []
    for r in sub.itertuples(index=False):
        inst = registry.get_instrument(r.measure)
        measure = inst.label + (" (distance from normal)" if inst.direction == "toward" else "")
        rows.append(
            {
                attribute_label(_groups(analysis)[0]) if _groups(analysis) else "Group": _row_label(
                    analysis, r
                ),
                "Measure": measure,
                "Clients": f"{r.n_clients}{'*' if r.n_clients < SMALL_N else ''}",
                before: number(r.mean_pre),
                after: number(r.mean_post),
                "Improvement (95% CI)": (
                    f"{number(r.mean_improvement)} ({interval(r.improvement_ci_low, r.improvement_ci_high)})"
                    if r.n_clients > 1 and not is_missing(r.improvement_ci_low)
                    else number(r.mean_improvement)
                ),
                "Std. change": number(-r.smc if inst.improvement_sign() < 0 else r.smc, 2),
                "p (Holm)": p_value(r.p_holm),
                "Reached MCID": percent(r.pct_mcid / 100),
                **({"Retention (95% CI)": _retention(r)} if level == "followup" else {}),
                "Notes": _notes(r, level),
            }
        )
    note = (
        f"{n_empty} combinations without client pairs at this level are left out. " if n_empty else ""
    ) + f"* fewer than {SMALL_N} clients: read as a rough indication."
    if not rows:
        return "<p>No clients with data at this level.</p>"
    return (
        '<div class="scroll">'
        + table_html(pd.DataFrame(rows), text_columns=2, total_labels=(condition_label(ALL),))
        + f'</div><p class="note">{html.escape(note)}</p>'
    )


def flow_html(data: Any) -> str:
    """The flow of the read: every row of the export kept, or excluded with its reason."""
    flow = getattr(data, "flow", None)
    if flow is None or len(flow) == 0:
        return "<p class='note'>The data were passed in memory; no file flow is available.</p>"
    body = []
    for r in flow.itertuples(index=False):
        cls = "excluded" if r.step == "excluded" else ""
        unit = {"rows": "rows of the file", "forms": "questionnaire forms"}.get(str(r.unit), "scores")
        body.append(
            f'<tr class="{cls}"><td>{html.escape(str(r.reason))}</td><td class="text">{unit}</td>'
            f"<td>{int(r.count):,}</td></tr>"
        )
    return (
        '<table class="flow"><thead><tr><th>Step</th><th class="text">Counted in</th><th>Count</th></tr>'
        f"</thead><tbody>{''.join(body)}</tbody></table>"
    )


def level_flow(table: pd.DataFrame, by: list[str]) -> str:
    """Clients analysed and left out at each level (the whole practice, the measure with most clients)."""
    whole = table[table[by[0]].astype(str) == ALL] if by else table
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


def course_table(analysis: PracticeAnalysis) -> str:
    """Course lengths per measure of the whole practice (sessions, and weeks where known)."""
    lengths = analysis.course_lengths(by=None)
    lengths = lengths[lengths["n_clients"] > 0].sort_values(["n_clients", "measure"], ascending=[False, True])
    if lengths.empty:
        return ""
    rows = [
        {
            "Measure": analysis.registry.get_instrument(r.measure).label,
            "Clients": str(int(r.n_clients)),
            "Sessions: median (middle half)": f"{number(r.sessions_median, 0)} "
            f"({interval(r.sessions_q1, r.sessions_q3, 0)})",
            "Longest": number(r.sessions_max, 0),
            "Weeks: median (middle half)": (
                f"{number(r.weeks_median, 0)} ({interval(r.weeks_q1, r.weeks_q3, 0)})"
                if not is_missing(r.weeks_median)
                else MISSING
            ),
        }
        for r in lengths.itertuples(index=False)
    ]
    return table_html(pd.DataFrame(rows))


def ratings_html(analysis: PracticeAnalysis) -> str:
    """The ratings of change of the whole practice (PGIC, GROC), when clients gave them: one table
    per rating, its responders where the registry has a rule, and how many gave each answer."""
    ratings = analysis.ratings(by=None)
    if not len(ratings):
        return ""
    parts = []
    for r in ratings.to_dict("records"):
        inst = analysis.registry.get_instrument(str(r["measure"]))
        row: dict[str, Any] = {"Rating": inst.label, "Clients": int(r["n_clients"])}
        if inst.clinical_cutoff is not None and not is_missing(r.get("pct_responders")):
            rule = {"<=": "≤", ">=": "≥"}.get(inst.cutoff_rule, inst.cutoff_rule)
            ci = interval(r["pct_responders_ci_low"], r["pct_responders_ci_high"], 0)
            # the registry's words for the rule where it has them ("1-2 = much or very much improved")
            words = inst.cutoff_source.split(" = ", 1)[1] if " = " in inst.cutoff_source else "responders"
            row[f"{words[:1].upper()}{words[1:]} ({rule} {number(inst.clinical_cutoff, 0)})"] = (
                f"{number(r['pct_responders'], 0)}% ({ci})"
            )
        signed = inst.min < 0
        for k in range(int(inst.min), int(inst.max) + 1):
            row[f"Rated {k:+d}" if signed and k else f"Rated {k}"] = int(r.get(f"n_{k}", 0) or 0)
        parts.append(table_html(pd.DataFrame([row]), text_columns=1))
    return '<div class="scroll">' + "".join(parts) + "</div>"
