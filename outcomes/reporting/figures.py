"""The practice report's figures: drawn from the analysis, rendered to embedded PNGs with captions.

Every figure takes the analysis itself, so its numbers are those of the tables
beside it (and the estimation plot's bootstrap distribution is made of the
resamples behind the table's interval). A figure that cannot be drawn for these
data is left out with a note saying why.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from .._words import ALL, LEVEL_WORDS, attribute_phrase, condition_label
from ..analysis import PracticeAnalysis
from .pages import figure_png

__all__ = ["report_figures"]


#: The figures the report's first part shows; the others are in its appendix.
MAIN_FIGURES = ("forest", "trajectory", "responders")


def report_figures(
    analysis: PracticeAnalysis, measure: str, level: str = "course"
) -> tuple[list[dict[str, str]], list[str]]:
    """The figures of the practice report for ``measure`` at ``level``, and notes on any left out.

    ``level`` is the level the report leads with (see ``practice_sections.headline_level``): the
    course of care where the data have it, else the change within a session.

    Returns
    -------
    figures : list of dict
        ``id``, ``title``, ``end`` (the title's closing mark), ``caption``, ``alt``,
        ``src`` (a PNG as a data URI) and ``main`` (shown in the report's first part,
        :data:`MAIN_FIGURES`) per figure, in reading order.
    notes : list of str
        One line per figure that could not be drawn, saying why.
    """
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    from .. import plots

    inst = analysis.registry.get_instrument(measure)
    figs: list[dict[str, Any]] = []
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
                main=fid in MAIN_FIGURES,
            )
        )
        plt.close(fig)

    words = LEVEL_WORDS[level]
    group = attribute_phrase(analysis.by[0]) if analysis.by else "group"
    rows = analysis.summary(level, measures=[inst.key])
    top = (
        rows.sort_values("n_clients", ascending=False)["condition"].head(4).tolist()
        if "condition" in rows
        else []
    )
    add(
        "forest",
        f"{inst.label}: {words.change}, per {group}",
        f"Each row is a {group}: the dot is the average improvement {words.span}, the line its 95% "
        "confidence interval, n the number of clients; right of 0 is better. The dashed line marks the "
        "minimal clinically important difference where one is published. Hollow dots are small groups.",
        lambda: plots.plot_condition_forest(analysis, measure=inst.key, level=level),
    )
    f = analysis.frame
    sessions_per_client = f.loc[f["measure"] == inst.key].groupby("client_id")["session"].nunique()
    if len(sessions_per_client) and int(sessions_per_client.max()) > 1:
        scored = f.loc[f["measure"] == inst.key, "timepoint"].astype(str)
        caption = (
            "The average score before (circles) and right after (squares) each session for the most common "
            "conditions: the drop within a session is the immediate relief; the line from one session's "
            "before-score to the next shows what lasts. Fewer clients reach later sessions."
            if (scored == "post").any()
            else "The average score before each session for the most common conditions (no scores right "
            "after a session were recorded). Fewer clients reach later sessions."
        )
        caption += _model_sentence(analysis, inst)
        add(
            "trajectory",
            f"{inst.label} session by session",
            caption,
            lambda: plots.plot_trajectory(analysis, measure=inst.key, conditions=top or None),
        )
    else:
        notes.append(
            f"{inst.label} session by session is not drawn: every client has {inst.label} scores at one "
            "session only."
        )
    add(
        "paired",
        f"{inst.label}: every client, {words.title}",
        f"Each line is one client, {words.span}; colour shows who improved and who got "
        "worse. The thick line is the average with its 95% confidence interval.",
        lambda: plots.plot_paired(analysis, measure=inst.key, level=level),
    )
    add(
        "estimation",
        f"{inst.label}: how sure is the average change?",
        "Left: the clients' scores. Right: the average change with the spread of averages that resampling "
        "the clients gives (bootstrap) and its 95% confidence interval. An interval that does not cross zero "
        "means the average change is unlikely to be chance alone.",
        lambda: plots.plot_change_estimation(analysis, measure=inst.key, level=level),
    )
    if inst.test_retest is not None or inst.mcid_points is not None or inst.mcid_percent is not None:
        add(
            "responders",
            f"{inst.label}: who changed reliably?",
            f"For each {group}, the share of clients whose change is larger than measurement error "
            "(reliably improved), within it, or reliably worse; the marker shows the share reaching the "
            "minimal clinically important difference.",
            lambda: plots.plot_responders(analysis, measure=inst.key, level=level),
        )
    else:
        notes.append(
            f"Who changed reliably is not drawn: {inst.label} has no published test–retest reliability and "
            "no published minimal clinically important difference to judge a client's change by."
        )
    if inst.test_retest is not None:
        add(
            "jacobson",
            f"{inst.label}: {words.points[0].lower()} against {words.points[1].lower()}, client by client",
            "Each point is a client. Points below the diagonal improved (for scales where lower is better); "
            "the grey band is the change that measurement error alone could produce.",
            lambda: plots.plot_jacobson_truax(analysis, measure=inst.key, level=level),
        )
    verdicts = analysis.literature.verdicts
    conds = list(verdicts.loc[verdicts["measure"] == inst.key, "condition"].astype(str))
    if conds:
        cond = ALL if ALL in conds else conds[0]
        add(
            "literature",
            "This practice beside published CST studies "
            f"({condition_label(cond, analysis.data.condition_labels)})",
            "Standardized change from the start to the end of care (positive = improvement) in this practice "
            "and in published treatment arms. Diamonds pool the published arms. Comparisons of CST with a "
            "control group are a different kind of result and are listed separately, not drawn here.",
            lambda: plots.plot_literature_forest(analysis, condition=cond, measure=inst.key, assumed_r=0.5),
        )
    return figs, notes


def _model_sentence(analysis: Any, inst: Any, by_session: int = 4) -> str:
    """The practice's average course from the mixed-effects model (:func:`outcomes.trajectory_model`),
    in one sentence: where it starts and how far it has moved by ``by_session``; empty where the
    data do not allow a model."""
    import warnings

    from ..progress import trajectory_model

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model = trajectory_model(analysis.data, inst.key, instruments=analysis.registry)
    except (ValueError, ArithmeticError, np.linalg.LinAlgError):
        return ""
    fixed = model.fixed.set_index("term")
    start, rate = fixed.loc["intercept"], fixed.loc["time"]
    t = float(np.log(by_session))
    change = rate["estimate"] * t
    sign = -1.0 if change < 0 else 1.0  # the interval of the fall (or rise), as the words say it
    lo, hi = sorted((sign * rate["ci_low"] * t, sign * rate["ci_high"] * t))
    verb = "falls" if change < 0 else "rises"
    return (
        f" A mixed-effects model of each client's own course (its own start and rate; {model.n_clients} "
        f"clients) puts the practice's average at {start['estimate']:.1f} at the first session; it {verb} "
        f"by {abs(change):.1f} points by session {by_session} (95% CI {lo:.1f} to {hi:.1f}), slowing as care "
        "goes on (a log-session course)."
    )
