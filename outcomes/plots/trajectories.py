"""The average score session by session, before and right after each session: a saw-tooth."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .._words import ALL, condition_label
from ..analysis import as_analysis
from ..instruments import InstrumentRegistry
from ..schema import split_conditions
from ..summary import SMALL_N
from ..summary.trajectories import course_place
from .style import (
    MIN_TRAJECTORY_N,
    NOTE_SIZE,
    PALETTE,
    SERIES,
    footnote,
    labels_of,
    new_ax,
    scale_label,
    score_limits,
    set_title,
    styled,
)

#: The x axis of each ``time`` of :func:`plot_trajectory`.
AXIS_LABELS = {
    "session": "Session number",
    "weeks": "Weeks since the first session",
    "days": "Days since the first session",
}


def _client_sawtooth(frame: pd.DataFrame, x_post: float, time: str = "session") -> list[np.ndarray]:
    """Each client's raw scores in course order, before then after each session."""
    frame = frame[frame["timepoint"].astype(str).isin(["pre", "post"])]
    x = course_place(frame, time) + np.where(frame["timepoint"].astype(str) == "post", x_post, 0)
    frame = (
        frame.assign(_x=x, _s=frame["session"]).dropna(subset=["_x"]).sort_values(["client_id", "_s", "_x"])
    )
    return [g[["_x", "score"]].to_numpy(dtype=float) for _, g in frame.groupby("client_id", sort=False)]


@styled
def plot_trajectory(
    data: Any,
    *,
    measure: str,
    conditions: Sequence[str] | None = None,
    individual: bool = False,
    max_session: int = 12,
    time: str = "session",
    seed: int | None = None,
    n_boot: int | None = None,
    instruments: InstrumentRegistry | str | Path | None = None,
    ax: Any = None,
    **kwargs: Any,
) -> Any:
    """Average score session by session, before and right after each session: a saw-tooth.

    From :func:`outcomes.trajectory`: per condition, the average before each
    session (circle, at the session number) and right after it (square, 0.4
    to the right). The solid segment within a session is the immediate relief;
    the dashed segment from one session's after-score to the next session's
    before-score shows how much of it lasts. The number of clients behind each
    before-average is written under the session number (it falls as clients
    finish). Vertical bars are 95% t intervals, drawn for averages of at least
    10 clients; averages of fewer than 10 are hollow, and averages of fewer
    than ``MIN_TRAJECTORY_N`` (5) clients are not drawn.

    Parameters
    ----------
    data : PracticeAnalysis, SessionData or DataFrame
        An analysis (:func:`outcomes.analyze`), or data to analyse first.
    measure : str
    conditions : list of str, optional
        Conditions to draw (``'all'`` for the whole practice); default the three
        with the most clients at the first session.
    individual : bool, default False
        Also draw each client's own scores as thin lines (raw scores).
    max_session : int, default 12
        Sessions after this one are left out (few clients reach them).
    time : {'session', 'weeks', 'days'}, default 'session'
        The x axis: session number, weeks since the client's first session, or
        days since it (both from ``days_from_first``; see :func:`outcomes.trajectory`).
        By weeks, a client seen twice in a week counts once there.
    seed, n_boot, instruments : optional
        For data that are not an analysis yet (see :func:`plot_paired`).
    ax : matplotlib Axes, optional
    **kwargs
        Passed to the average lines.

    Returns
    -------
    matplotlib Axes
        The y axis spans the instrument's range plus ``PAD`` of it. For a
        ``toward`` scale (tone grades) it is the distance from normal, as
        everywhere else in the package, so that clients above and below normal
        do not cancel out (:func:`outcomes.trajectory` with ``scale="analysis"``).
    """
    from matplotlib.collections import LineCollection
    from matplotlib.lines import Line2D

    analysis = as_analysis(data, seed=seed, n_boot=n_boot, instruments=instruments)
    inst = analysis.registry.get_instrument(measure)
    ax = new_ax(ax, figsize=(6.5, 4.4))
    traj = analysis.trajectory(inst.key, by="condition", max_session=max_session, scale="analysis", time=time)
    if conditions is None:
        start = traj[time].min() if len(traj) else 1
        first = traj[(traj[time] == start) & (traj["timepoint"].astype(str) == "pre")]
        top = first.sort_values(["n_clients", "condition"], ascending=[False, True])["condition"].head(3)
        conditions = [str(c) for c in top]
    conditions = list(conditions)
    present = set(traj["condition"].astype(str))
    unknown = [c for c in conditions if c != ALL and c not in present]
    if unknown:
        raise ValueError(
            f"No {inst.label} scores for condition {', '.join(map(repr, unknown))}. "
            f"Conditions present: {', '.join(sorted(present))}."
        )
    if ALL in conditions:
        whole = analysis.trajectory(inst.key, by=None, max_session=max_session, scale="analysis", time=time)
        traj = pd.concat([traj, whole.assign(condition=ALL)], ignore_index=True)
    frame = analysis.frame
    frame = frame[(frame["measure"] == inst.key) & (frame["session"] <= max_session)]
    x_post = 0.4
    handles: list[Any] = []
    first_x, last_x = np.inf, -np.inf
    any_post = False
    n_rows: list[tuple[str, pd.Series]] = []
    for k, cond in enumerate(conditions):
        colour = SERIES[k % len(SERIES)]
        dodge = (k - (len(conditions) - 1) / 2) * 0.05
        t = traj[(traj["condition"] == cond) & (traj["n_clients"] >= MIN_TRAJECTORY_N)]
        pre = t[t["timepoint"].astype(str) == "pre"].set_index(time)
        post = t[t["timepoint"].astype(str) == "post"].set_index(time)
        any_post = any_post or not post.empty
        if individual:
            if cond == ALL:
                sub = frame
            else:
                cond_of_row = split_conditions(frame["condition"])
                sub = frame.loc[frame.index.isin(cond_of_row.index[cond_of_row.to_numpy() == cond])]
            ax.add_collection(
                LineCollection(
                    _client_sawtooth(sub, x_post, time), colors=colour, alpha=0.12, lw=0.6, zorder=1
                )
            )
        # saw-tooth: solid within a session, dashed from one session's after to the next before
        for s in pre.index:
            if s in post.index:
                xs = [s + dodge, s + x_post + dodge]
                ax.plot(xs, [pre.loc[s, "mean"], post.loc[s, "mean"]], color=colour, lw=2, zorder=3, **kwargs)
        for s in post.index:
            # to the next session; by weeks or days, to the next week or day with a before-average
            later = pre.index[pre.index > s]
            nxt = s + 1 if time == "session" else (later.min() if len(later) else None)
            if nxt is not None and nxt in pre.index:
                xs = [s + x_post + dodge, nxt + dodge]
                ys = [post.loc[s, "mean"], pre.loc[nxt, "mean"]]
                ax.plot(xs, ys, color=colour, lw=1.2, ls=(0, (3, 2)), zorder=3, **kwargs)
        if post.empty:  # before-scores only: join them
            ax.plot(pre.index + dodge, pre["mean"], color=colour, lw=1.2, ls=(0, (3, 2)), zorder=3, **kwargs)
        for part, marker, dx in ((pre, "o", 0.0), (post, "s", x_post)):
            if part.empty:
                continue
            x = part.index.to_numpy(dtype=float) + dx + dodge
            n = part["n_clients"].to_numpy()
            bar = (n >= SMALL_N) & part["ci_low"].notna().to_numpy()
            ax.vlines(
                x[bar], part["ci_low"][bar], part["ci_high"][bar], color=colour, lw=1, alpha=0.5, zorder=2
            )
            face = np.where(n < SMALL_N, "white", colour)
            size = 30 if marker == "o" else 26
            ax.scatter(
                x,
                part["mean"],
                s=size,
                marker=marker,
                c=list(face),
                edgecolors=colour,
                linewidths=1.3,
                zorder=4,
            )
            first_x, last_x = min(first_x, float(part.index.min())), max(last_x, float(part.index.max()))
        handles.append(
            Line2D([], [], color=colour, lw=2, marker="o", label=condition_label(cond, labels_of(analysis)))
        )
        n_rows.append((colour, pre["n_clients"]))
    ax.set_ylim(*score_limits(inst, analysis=True))
    if not np.isfinite(first_x):
        first_x = last_x = 0.0 if time != "session" else 1.0
    ax.set_xlim(first_x - 0.4, last_x + 0.8)
    if time == "session" or last_x - first_x <= 16:
        ax.set_xticks(range(int(first_x), int(last_x) + 1))
    else:
        from matplotlib.ticker import MaxNLocator

        ax.xaxis.set_major_locator(MaxNLocator(nbins=10, integer=True))
    ax.set_ylabel(scale_label(inst))
    # too many points along the axis for a row of counts under each: the range goes in the note
    spread = len({x for _, ns in n_rows for x in ns.index}) > 16
    counts = [int(n) for _, ns in n_rows for n in ns]
    if spread:
        n_rows = []
    # number of clients before each session, one row per condition, under the session numbers
    for j, (colour, ns) in enumerate(n_rows):
        for s, n in ns.items():
            ax.annotate(
                f"{int(n)}",
                xy=(s + (x_post / 2 if any_post else 0), 0),
                xycoords=("data", "axes fraction"),
                xytext=(0, -20 - 11 * j),
                textcoords="offset points",
                ha="center",
                va="top",
                fontsize=NOTE_SIZE,
                color=colour,
                annotation_clip=False,
            )
    if n_rows:
        ax.annotate(
            "clients:",
            xy=(0, 0),
            xycoords="axes fraction",
            xytext=(-4, -20),
            textcoords="offset points",
            ha="right",
            va="top",
            fontsize=NOTE_SIZE,
            color=PALETTE["note"],
            annotation_clip=False,
        )
    ax.set_xlabel(AXIS_LABELS[time], labelpad=8 + 11 * len(n_rows))
    handles.append(Line2D([], [], color="k", marker="o", ls="none", label="before the session"))
    if any_post:
        handles += [
            Line2D([], [], color="k", marker="s", ls="none", label="right after it"),
            Line2D([], [], color="k", lw=2, label="within a session"),
        ]
    handles += [
        Line2D([], [], color="k", lw=1.2, ls=(0, (3, 2)), label="until the next\nsession"),
        Line2D([], [], color="k", marker="o", mfc="white", ls="none", label="fewer than\n10 clients"),
        Line2D([], [], color="k", lw=1, alpha=0.5, marker="|", ms=12, ls="none", label="95% CI"),
    ]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    when = {
        "session": "each session",
        "weeks": "each session, week by week",
        "days": "each session, day by day",
    }
    set_title(ax, f"{inst.label} before {'and right after ' if any_post else ''}{when[time]}")
    notes = [f"Averages of fewer than {MIN_TRAJECTORY_N} clients are not shown."]
    if spread and counts:
        notes.append(f"Each average is of {min(counts)} to {max(counts)} clients.")
    if time != "session":
        notes.append(
            "Week 0 is each client's first week."
            if time == "weeks"
            else "Day 0 is each client's first session."
        )
    footnote(ax, [" ".join(notes)], points=40 + 11 * len(n_rows))
    return ax
