"""The practice report's figures: drawn from the analysis, rendered to embedded PNGs with captions.

Every figure takes the analysis itself, so its numbers are those of the tables
beside it (and the estimation plot's bootstrap distribution is made of the
resamples behind the table's interval). A figure that cannot be drawn for these
data is left out with a note saying why.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .._words import ALL, condition_label
from ..analysis import PracticeAnalysis
from .pages import figure_png

__all__ = ["report_figures"]


def report_figures(analysis: PracticeAnalysis, measure: str) -> tuple[list[dict[str, str]], list[str]]:
    """The figures of the practice report for ``measure``, and notes on any left out.

    Returns
    -------
    figures : list of dict
        ``id``, ``title``, ``end`` (the title's closing mark), ``caption``, ``alt``
        and ``src`` (a PNG as a data URI) per figure, in reading order.
    notes : list of str
        One line per figure that could not be drawn, saying why.
    """
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    from .. import plots

    inst = analysis.registry.get_instrument(measure)
    figs: list[dict[str, str]] = []
    notes: list[str] = []

    def add(fid: str, title: str, caption: str, draw: Callable[[], Any]) -> None:
        try:
            ax = draw()
        except Exception as exc:  # a figure the data do not support: say so, draw the rest
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

    course_rows = analysis.summary("course", measures=[inst.key])
    top = course_rows.sort_values("n_clients", ascending=False)["condition"].head(4).tolist()
    add(
        "forest",
        f"{inst.label}: change over the course of care, per condition",
        "Each row is a condition: the dot is the average improvement from the first to the last session, the "
        "line its 95% confidence interval, n the number of clients. The dashed line marks the minimal "
        "clinically important difference where one is published. Hollow dots are small groups.",
        lambda: plots.plot_condition_forest(
            analysis.summary("course"), measure=inst.key, level="course", instruments=analysis.registry
        ),
    )
    add(
        "trajectory",
        f"{inst.label} session by session",
        "The average score before (circles) and right after (squares) each session for the most common "
        "conditions: the drop within a session is the immediate relief; the line from one session's "
        "before-score to the next shows what lasts. Fewer clients reach later sessions.",
        lambda: plots.plot_trajectory(analysis, measure=inst.key, conditions=top or None),
    )
    add(
        "paired",
        f"{inst.label}: every client's first and last session",
        "Each line is one client, from the first to the last session; colour shows who improved and who got "
        "worse. The thick line is the average with its 95% confidence interval.",
        lambda: plots.plot_paired(analysis, measure=inst.key, level="course"),
    )
    add(
        "estimation",
        f"{inst.label}: how sure is the average change?",
        "Left: the clients' scores. Right: the average change with the spread of averages that resampling "
        "the clients gives (bootstrap) and its 95% confidence interval. An interval that does not cross zero "
        "means the average change is unlikely to be chance alone.",
        lambda: plots.plot_change_estimation(analysis, measure=inst.key, level="course"),
    )
    add(
        "responders",
        f"{inst.label}: who changed reliably?",
        "For each condition, the share of clients whose change is larger than measurement error (reliably "
        "improved), within it, or reliably worse; the marker shows the share reaching the minimal clinically "
        "important difference.",
        lambda: plots.plot_responders(
            analysis.summary("course"), measure=inst.key, level="course", instruments=analysis.registry
        ),
    )
    add(
        "jacobson",
        f"{inst.label}: first against last session, client by client",
        "Each point is a client. Points below the diagonal improved (for scales where lower is better); "
        "the grey band is the change that measurement error alone could produce.",
        lambda: plots.plot_jacobson_truax(analysis, measure=inst.key, level="course"),
    )
    verdicts = analysis.literature.verdicts
    conds = list(verdicts.loc[verdicts["measure"] == inst.key, "condition"].astype(str))
    if conds:
        cond = ALL if ALL in conds else conds[0]
        add(
            "literature",
            f"This practice beside published CST studies ({condition_label(cond)})",
            "Standardized change from the start to the end of care (positive = improvement) in this practice "
            "and in published treatment arms. Diamonds pool the published arms. Comparisons of CST with a "
            "control group are a different kind of result and are listed separately, not drawn here.",
            lambda: plots.plot_literature_forest(analysis, condition=cond, measure=inst.key, assumed_r=0.5),
        )
    return figs, notes
