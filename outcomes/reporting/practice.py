"""The practice report: one self-contained HTML file from one analysis.

Provenance, the flow of every row, summaries per condition for each level of
change, the figures, the literature comparison with its caveats, and a methods
and a limitations paragraph. Every number comes from one
:class:`~outcomes.PracticeAnalysis`; figures are embedded as PNG data; the page
makes no external requests and prints cleanly (A4) from a browser.
"""

from __future__ import annotations

import datetime as _dt
from pathlib import Path
from typing import Any

import pandas as pd

from .._format import percent
from .._sentences import SIGN_CONVENTION
from .._version import __version__
from .._words import LEVEL_WORDS, attribute_phrase, condition_label, plural
from ..analysis import PracticeAnalysis, as_analysis
from ..instruments import InstrumentRegistry
from ..summary import LEVELS
from .figures import report_figures
from .pages import render
from .practice_literature import between_table, evidence_rows, published_arms_table, verdict_texts
from .practice_screening import safety_html, screening_html
from .practice_sections import (
    LIMITATIONS,
    REFERENCES,
    answer_table,
    course_table,
    course_text,
    flow_html,
    headline_level,
    level_flow,
    level_sentences,
    level_table,
    main_measures,
    ratings_html,
)

__all__ = ["LIMITATIONS", "REFERENCES", "practice_report_html", "report"]


def practice_report_html(
    data: Any,
    *,
    by: str | None = None,
    seed: int | None = None,
    n_boot: int | None = None,
    synthetic: bool = False,
    instruments: InstrumentRegistry | str | Path | None = None,
    safety_sessions: bool = True,
) -> str:
    """The practice report as an HTML string (see :func:`report`)."""
    analysis = as_analysis(data, by=by, seed=seed, n_boot=n_boot, instruments=instruments)
    groups = list(analysis.by)
    table = analysis.table()
    level = headline_level(table, groups)
    measures = main_measures(table, groups, level)
    measure = measures[0]
    figures, fig_notes = report_figures(analysis, measure, level)
    evidence, without = evidence_rows(analysis, assumed_r=0.5)
    provenance = _provenance(analysis)
    f = analysis.frame
    group_words = attribute_phrase(groups[0]) if groups else "group"
    return render(
        "practice.html.j2",
        title="Practice outcomes report",
        subtitle=f"{provenance['Input file']} · {provenance['Reporting period']} · generated "
        f"{provenance['Generated']} · outcomes {__version__}",
        synthetic=synthetic,
        who=f"{plural(f['client_id'].nunique(), 'client')}, "
        f"{plural(len(f[['client_id', 'session']].drop_duplicates()), 'session')}, "
        f"{plural(len(f), 'score')}.",
        sign_convention=SIGN_CONVENTION,
        level=level,
        level_words=LEVEL_WORDS[level],
        group_words=group_words,
        answer_table=answer_table(analysis, table, level, measures),
        course_text=course_text(analysis, measure) if level == "course" else "",
        other_levels=[
            dict(heading=LEVEL_WORDS[lv].heading, note=LEVEL_WORDS[lv].note, sentences=lines)
            for lv, lines in level_sentences(analysis, measures, skip=level).items()
        ],
        figures=[fig for fig in figures if fig["main"]],
        more_figures=[fig for fig in figures if not fig["main"]],
        figure_notes=fig_notes,
        evidence_table=evidence,
        without_benchmark=without,
        margin=percent(analysis.literature.settings["margin"]),
        verdicts=verdict_texts(analysis, assumed_r=0.5),
        arms_table=published_arms_table(analysis, assumed_r=0.5),
        between_table=between_table(analysis),
        no_comparator=_no_comparator(analysis),
        flow_table=flow_html(analysis.data),
        level_flow_table=level_flow(table, groups),
        course_table=course_table(analysis),
        level_tables=[
            dict(
                level=lv,
                heading=LEVEL_WORDS[lv].heading,
                note=LEVEL_WORDS[lv].note,
                table=level_table(analysis, table, lv),
            )
            for lv in LEVELS
        ],
        ratings_table=ratings_html(analysis),
        screening_table=screening_html(analysis),
        safety_box=safety_html(analysis, sessions=safety_sessions),
        references=REFERENCES,
        limitations=LIMITATIONS,
        provenance=provenance,
    )


def _no_comparator(analysis: PracticeAnalysis) -> list[str]:
    """One line per condition with measures that nothing published speaks to."""
    out = []
    for cond, g in analysis.literature.no_comparator.groupby("condition", sort=True):
        labels = sorted({analysis.registry.get_instrument(m).label for m in g["measure"]})
        out.append(f"{condition_label(cond, analysis.data.condition_labels)}: {'; '.join(labels)}.")
    return out


def _provenance(analysis: PracticeAnalysis) -> dict[str, str]:
    f = analysis.frame
    prov = dict(analysis.data.provenance or {})
    years = sorted(int(y) for y in pd.unique(f["year"].dropna())) if "year" in f else []
    out = {
        "Input file": prov.get("file", "data passed in memory"),
        "SHA-256": prov.get("sha256", "–"),
        "Rows read": f"{prov.get('rows_read', len(f)):,}",
        "Layout": prov.get("layout", "–"),
        "Reporting period": f"{years[0]}–{years[-1]}"
        if len(years) > 1
        else (str(years[0]) if years else "not recorded (no year column)"),
        "Package version": f"outcomes {__version__}",
        "Bootstrap": f"{analysis.n_boot} client resamples, seed {analysis.seed}",
        "Generated": _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }
    if "privacy_override" in prov:
        out["Privacy override"] = prov["privacy_override"]
    return out


def report(
    data: Any,
    path: str | Path,
    *,
    by: str | None = None,
    seed: int | None = None,
    n_boot: int | None = None,
    synthetic: bool = False,
    instruments: InstrumentRegistry | str | Path | None = None,
    safety_sessions: bool = True,
) -> Path:
    """Write the practice report to ``path`` as one self-contained HTML file.

    Parameters
    ----------
    data : PracticeAnalysis, SessionData or DataFrame
        An analysis (:func:`outcomes.analyze`), or what
        :func:`outcomes.read_sessions` returns (its provenance and flow go into
        the report), or a canonical frame.
    path : str or Path
        Output ``.html`` file.
    by : str, optional
        The column the report's groups come from (default ``condition``): any
        attribute of the data, such as ``technique``, ``site`` or an arm. The
        comparison with published studies stays per condition. For data that are
        already an analysis, its own grouping is used and ``by`` must be left out.
    seed, n_boot : int, optional
        Bootstrap settings for data that are not an analysis yet (defaults 0 and
        2000), recorded in the report.
    synthetic : bool
        Label the report as made from synthetic sample data.
    instruments : InstrumentRegistry or path, optional
        For data that are not an analysis yet: the registry, or a TOML/CSV file of
        the practice's own measures (default: the data's own).
    safety_sessions : bool, default True
        A positive answer to a safety item (EPDS item 10, PHQ-9 item 9: thoughts of self-harm) is
        always counted at the top of the report. By default the report also lists which clients
        (pseudonymous ids) and sessions, for the practice's own follow-up; ``False`` leaves the
        list out, for a copy that leaves the practice.

    Returns
    -------
    Path
    """
    path = Path(path)
    html = practice_report_html(
        data,
        by=by,
        seed=seed,
        n_boot=n_boot,
        synthetic=synthetic,
        instruments=instruments,
        safety_sessions=safety_sessions,
    )
    path.write_text(html, encoding="utf-8")
    return path
