"""One client's course on one measure: their scores session by session beside the band the
practice's history expects, and the lines of a noticeable (MCID) and a reliable change."""

from __future__ import annotations

import textwrap
from typing import Any

import numpy as np

from .._sentences import measure_with_unit
from ..instruments import InstrumentRegistry, default_registry
from .style import PALETTE, better_words, legend_below, new_ax, score_limits, set_title, styled

__all__ = ["plot_client"]


@styled
def plot_client(
    progress: Any,
    measure: str,
    *,
    instruments: InstrumentRegistry | None = None,
    ax: Any = None,
    **kwargs: Any,
) -> Any:
    """Draw one measure of :func:`outcomes.progress.client_progress`.

    The client's score before each session (filled dots joined by a line), right after it (open
    dots) and a few days later (triangles); the band the practice's clients who started at the
    same score were in at each session (grey, with its middle dashed); the first score improved
    by the MCID (orange dashes) and the first score made worse by a reliable change (vermillion
    dots). Every number comes from ``progress``.
    """
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    registry = instruments or default_registry()
    inst = registry.get_instrument(measure)
    key = inst.key
    ax = new_ax(ax, figsize=kwargs.pop("figsize", (6.5, 3.6)))
    scores = progress.scores[progress.scores["measure"] == key]
    expected = progress.expected[progress.expected["measure"] == key]
    lines = progress.lines[progress.lines["measure"] == key]
    handles: list[Any] = []
    if len(expected):
        ax.fill_between(
            expected["session"],
            expected["band_low"],
            expected["band_high"],
            color=PALETTE["band"],
            lw=0,
            zorder=1,
        )
        ax.plot(expected["session"], expected["expected"], color=PALETTE["note"], ls="--", lw=1, zorder=2)
        handles += [
            Patch(color=PALETTE["band"], label="most clients who started like this"),
            Line2D([], [], color=PALETTE["note"], ls="--", lw=1, label="their middle"),
        ]
    if len(lines):
        row = lines.iloc[0]
        if np.isfinite(row["mcid_line"]):
            ax.axhline(row["mcid_line"], color=PALETTE["accent"], ls=(0, (5, 3)), lw=1.3, zorder=2)
            handles.append(
                Line2D([], [], color=PALETTE["accent"], ls=(0, (5, 3)), label="a change people notice (MCID)")
            )
        if np.isfinite(row["worse_line"]):
            ax.axhline(row["worse_line"], color=PALETTE["worse"], ls=":", lw=1.3, zorder=2)
            handles.append(
                Line2D([], [], color=PALETTE["worse"], ls=":", label="clearly worse than at the start")
            )
    # each timepoint's marks, set a little apart so that a session's scores do not hide each other
    marks = (
        ("pre", 0.0, dict(color=PALETTE["improved"], marker="o", lw=1.8), "before the session"),
        ("post", 0.15, dict(ls="none", marker="o", mfc="white", mec=PALETTE["improved"]), "right after"),
        ("followup", 0.35, dict(ls="none", marker="^", color=PALETTE["other"]), "a few days later"),
    )
    for timepoint, offset, style, label in marks:
        at = scores[scores["timepoint"] == timepoint]
        if len(at) or timepoint == "pre":
            ax.plot(at["session"] + offset, at["score"], ms=6, zorder=4, **style)
            handles.append(Line2D([], [], label=label, **style))
    lo, hi = score_limits(inst, analysis=False)
    ax.set_ylim(lo, hi)
    sessions = np.concatenate(
        [scores["session"].to_numpy(dtype=float), expected["session"].to_numpy(dtype=float)]
    )
    first, last = int(np.nanmin(sessions)), int(np.nanmax(sessions))
    ax.set_xlim(first - 0.4, last + 0.6)
    ax.set_xticks(range(first, last + 1))
    ax.set_xlabel("Session")
    better = better_words(inst) if inst.direction != "toward" else ""
    ax.set_ylabel(f"{textwrap.fill(measure_with_unit(inst.label, inst.unit), 28)}\n{better}")
    set_title(ax, f"{inst.label}: client {progress.client_id}, session by session")
    legend_below(ax, handles, inches=0.55, ncols=2)
    return ax
