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

import numpy as np
import pandas as pd

from .._version import __version__
from .._words import LEVEL_WORDS
from ..analysis import PracticeAnalysis, as_analysis
from ..instruments import InstrumentRegistry
from ..summary import LEVELS
from .figures import report_figures
from .pages import render, table_html
from .practice_sections import (
    LIMITATIONS,
    REFERENCES,
    comparison_rows,
    flow_html,
    glance,
    level_flow,
    level_table,
    main_measure,
    ratings_html,
)

__all__ = ["LIMITATIONS", "REFERENCES", "practice_report_html", "report"]


def practice_report_html(
    data: Any,
    *,
    seed: int | None = None,
    n_boot: int | None = None,
    synthetic: bool = False,
    instruments: InstrumentRegistry | str | Path | None = None,
) -> str:
    """The practice report as an HTML string (see :func:`report`)."""
    analysis = as_analysis(data, seed=seed, n_boot=n_boot, instruments=instruments)
    registry = analysis.registry
    table = analysis.table()
    measure = main_measure(table)
    figures, fig_notes = report_figures(analysis, measure)
    level_tables = [
        dict(
            level=level,
            heading=LEVEL_WORDS[level].heading,
            note=LEVEL_WORDS[level].note,
            table=level_table(table, level, registry),
        )
        for level in LEVELS
    ]
    verdicts = analysis.literature.verdicts
    arms, between, none = comparison_rows(analysis, assumed_r=0.5)
    provenance = _provenance(analysis)
    return render(
        "practice.html.j2",
        title="Practice outcomes report",
        subtitle=f"{provenance['Input file']} · {provenance['Reporting period']} · generated "
        f"{provenance['Generated']} · outcomes {__version__}",
        synthetic=synthetic,
        glance=glance(analysis, table),
        flow_table=flow_html(analysis.data),
        level_flow_table=level_flow(table),
        figures=figures,
        figure_notes=fig_notes,
        level_tables=level_tables,
        ratings_table=ratings_html(analysis),
        verdicts=verdicts.loc[np.isclose(verdicts["assumed_r"].astype(float), 0.5), "verdict"].tolist(),
        comparison_table=table_html(pd.DataFrame(arms), text_columns=3) if arms else "",
        between_table=table_html(pd.DataFrame(between), text_columns=4) if between else "",
        no_comparator=none,
        references=REFERENCES,
        limitations=LIMITATIONS,
        provenance=provenance,
    )


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
        else (str(years[0]) if years else "–"),
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
    seed: int | None = None,
    n_boot: int | None = None,
    synthetic: bool = False,
    instruments: InstrumentRegistry | str | Path | None = None,
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
    seed, n_boot : int, optional
        Bootstrap settings for data that are not an analysis yet (defaults 0 and
        2000), recorded in the report.
    synthetic : bool
        Label the report as made from synthetic sample data.
    instruments : InstrumentRegistry or path, optional
        For data that are not an analysis yet: the registry, or a TOML/CSV file of
        the practice's own measures (default: the data's own).

    Returns
    -------
    Path
    """
    path = Path(path)
    html = practice_report_html(data, seed=seed, n_boot=n_boot, synthetic=synthetic, instruments=instruments)
    path.write_text(html, encoding="utf-8")
    return path
