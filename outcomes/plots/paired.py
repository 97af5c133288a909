"""Each client's earlier and later score as a line, and the Gardner–Altman estimation plot of the
average change.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .._checks import check_argument
from .._words import ALL, LEVEL_WORDS, who
from ..analysis import PracticeAnalysis, as_analysis
from ..instruments import Instrument, InstrumentRegistry
from ..summary import LEVELS
from .style import (
    PALETTE,
    better_words,
    finite,
    is_small,
    legend_below,
    n_label,
    new_ax,
    rgb,
    scale_label,
    score_limits,
    set_title,
    styled,
)


def _pairs_and_row(
    analysis: PracticeAnalysis, inst: Instrument, condition: str | None, level: str
) -> tuple[pd.DataFrame, pd.Series | None, np.ndarray | None]:
    """The group's complete client pairs, its summary row and the resamples behind the row's interval.

    All three come from ``analysis``: the pairs are the ones the row's statistics were
    computed from, and the resamples are the ones behind its bootstrap interval.
    """
    whole = condition is None or condition == ALL
    by = None if whole else "condition"
    pairs = analysis.client_changes(level, by=by)
    pairs = pairs[pairs["measure"] == inst.key]
    table = analysis.summary(level, by=by, measures=[inst.key])
    key: tuple[str, ...] = (inst.key,)
    if not whole:
        present = sorted(set(pairs["condition"].astype(str)))
        if condition not in present:
            raise ValueError(
                f"No client with condition {condition!r} has {inst.label} scores at the "
                f"{level} level. Conditions present: {', '.join(present) or 'none'}."
            )
        pairs = pairs[pairs["condition"] == condition]
        table = table[table["condition"] == condition]
        key = (str(condition), inst.key)
    pairs = pairs[pairs["paired"]].reset_index(drop=True)
    row = table.iloc[0] if len(table) else None
    boot = analysis.resamples(level, key, by=by) if row is not None else None
    return pairs, row, boot


def _is_integer_scale(values: np.ndarray) -> bool:
    return values.size > 0 and bool(np.allclose(values, np.round(values)))


def _draw_paired(
    ax: Any,
    pairs: pd.DataFrame,
    row: pd.Series | None,
    inst: Instrument,
    level: str,
    seed: int,
    *,
    show_ci: bool = True,
    **kwargs: Any,
) -> dict[str, Any]:
    from matplotlib.collections import LineCollection

    pre = pairs["pre"].to_numpy(dtype=float)
    post = pairs["post"].to_numpy(dtype=float)
    n = len(pre)
    improvement = inst.improvement_sign() * (post - pre)
    # tied scores on an integer scale: a small sideways shift per client, the same at both ends,
    # so that clients with the same two scores fan out instead of hiding each other (scores stay exact)
    dx = np.zeros(n)
    if _is_integer_scale(np.concatenate([pre, post])):
        dx = np.random.default_rng(seed).uniform(-0.06, 0.06, n)
    kind = np.where(improvement > 0, "improved", np.where(improvement < 0, "worse", "unchanged"))
    counts = {k: int((kind == k).sum()) for k in ("improved", "worse", "unchanged")}
    # transparency falls with the number of clients so that hundreds stay readable; the rarer
    # kinds are drawn last and at least 0.35 opaque, so a few worse clients among many improved
    # ones stay visible without outweighing them
    base = float(np.clip(20 / max(n, 1), 0.15, 0.8))
    most = max(counts, key=lambda k: counts[k])
    alpha = {k: base if k == most else max(base, 0.35) for k in counts}
    order = np.argsort([-counts[k] for k in kind], kind="stable")
    segments = np.stack([np.column_stack([dx, pre]), np.column_stack([1 + dx, post])], axis=1)[order]
    colours = [(*rgb(PALETTE[k]), alpha[k]) for k in kind[order]]
    style = {"colors": colours, "linewidths": 1.1, "zorder": 2, **kwargs}
    lines = LineCollection(segments, **style)
    ax.add_collection(lines)
    ax.outcomes_client_lines = lines
    small = row is None or is_small(row["flags"])
    mean_colour = PALETTE["small"] if small else PALETTE["mean"]
    if row is not None and finite(row["mean_pre"], row["mean_post"]):
        ax.plot(
            [0, 1],
            [row["mean_pre"], row["mean_post"]],
            color=mean_colour,
            lw=2.8,
            ls="--" if small else "-",
            marker="o",
            ms=7,
            mfc="white" if small else mean_colour,
            mec=mean_colour,
            mew=1.6,
            zorder=5,
        )
        if show_ci and finite(row["ci_low"], row["ci_high"]):
            # the t interval of the mean change, placed around the later mean
            lo, hi = row["mean_pre"] + row["ci_low"], row["mean_pre"] + row["ci_high"]
            ax.errorbar(
                [1.12],
                [row["mean_post"]],
                yerr=[[row["mean_post"] - lo], [hi - row["mean_post"]]],
                color=mean_colour,
                capsize=4,
                lw=1.8,
                zorder=6,
            )
    ax.set_ylim(*score_limits(inst))
    ax.set_xlim(-0.3, 1.35)
    ax.set_xticks([0, 1], LEVEL_WORDS[level].points)
    ax.set_ylabel(scale_label(inst))
    return {"n": n, **counts, "small": small, "mean_colour": mean_colour}


def _paired_handles(counts: dict[str, Any], *, ci: bool = True) -> list[Any]:
    from matplotlib.lines import Line2D

    c = counts["mean_colour"]
    small = counts["small"]
    handles = [
        Line2D([], [], color=PALETTE["improved"], lw=2, label=f"improved ({counts['improved']})"),
        Line2D([], [], color=PALETTE["worse"], lw=2, label=f"worse ({counts['worse']})"),
        Line2D([], [], color=PALETTE["unchanged"], lw=2, label=f"no change ({counts['unchanged']})"),
        Line2D(
            [],
            [],
            color=c,
            lw=2.8,
            ls="--" if small else "-",
            marker="o",
            mfc="white" if small else c,
            label="average" + (" (n < 10)" if small else ""),
        ),
    ]
    if ci:
        handles.append(
            Line2D(
                [], [], color=c, marker="|", ms=14, mew=1.8, ls="none", label="95% CI of the\naverage change"
            )
        )
    return handles


def _paired_title(inst: Instrument, level: str, condition: str | None, n: int, small: bool) -> str:
    text = f"{inst.label} {LEVEL_WORDS[level].title} — {who(condition)} ({n_label(n)})"
    if small:
        text += ": small group (n < 10), read with care"
    return text


@styled
def plot_paired(
    data: Any,
    *,
    measure: str,
    condition: str | None = None,
    level: str = "course",
    ax: Any = None,
    seed: int | None = None,
    n_boot: int | None = None,
    instruments: InstrumentRegistry | str | Path | None = None,
    **kwargs: Any,
) -> Any:
    """Each client's earlier and later score as a line, coloured improved / worse / unchanged.

    The thick line joins the group's average before and after (``mean_pre`` and
    ``mean_post`` of :func:`outcomes.summarize`); the bar beside the later
    average is the 95% t interval of the average change (``ci_low``/``ci_high``)
    placed around the later average. Colours follow the instrument's direction
    (improvement sign from the registry). Transparency falls as a colour gets
    more numerous so that a few hundred clients stay readable and a handful of
    worse clients among many improved ones stay visible; on integer scales each
    client's line is shifted sideways by a small seeded amount so that clients
    with the same two scores do not hide each other (scores are not moved).

    Parameters
    ----------
    data : PracticeAnalysis, SessionData or DataFrame
        An analysis (:func:`outcomes.analyze`), or data to analyse first.
    measure : str
        Registry key or alias (``pain_nrs``).
    condition : str, optional
        Only clients with this condition (a client with two conditions counts in
        each); default all clients.
    level : {'session', 'followup', 'course'}, default 'course'
        Which pair: before/after a session (client average over sessions),
        before a session/a few days later, or first/last session.
    ax : matplotlib Axes, optional
        Drawn on a new 6.5 x 4 in figure when omitted.
    seed, n_boot, instruments : optional
        For data that are not an analysis yet: passed to :func:`outcomes.analyze`
        (defaults 0, 2000, the data's registry). The sideways jitter is seeded by
        the analysis' seed.
    **kwargs
        Passed to the client lines' ``LineCollection``.

    Returns
    -------
    matplotlib Axes
        ``ax.outcomes_client_lines`` is the ``LineCollection`` with one segment
        per client with a complete pair. The y axis spans the instrument's
        range (the distance from the target for ``toward`` scales) plus ``PAD``
        (3%) of it on each side.

    Raises
    ------
    ValueError
        Unknown ``level``, or no client with ``condition`` has the measure.

    Examples
    --------
    >>> import outcomes as oc
    >>> from outcomes import plots
    >>> data = oc.sample_data()
    >>> ax = plots.plot_paired(data, measure="pain_nrs", condition="pelvic_pain")  # doctest: +SKIP
    """
    check_argument("level", LEVELS, level)
    analysis = as_analysis(data, seed=seed, n_boot=n_boot, instruments=instruments)
    inst = analysis.registry.get_instrument(measure)
    ax = new_ax(ax)
    pairs, row, _ = _pairs_and_row(analysis, inst, condition, level)
    counts = _draw_paired(ax, pairs, row, inst, level, analysis.seed or 0, **kwargs)
    if counts["n"] == 0:
        ax.text(0.5, 0.5, "No client has a complete pair here", transform=ax.transAxes, ha="center")
    ax.legend(handles=_paired_handles(counts), loc="upper left", bbox_to_anchor=(1.0, 1.0), title="Clients")
    set_title(ax, _paired_title(inst, level, condition, counts["n"], counts["small"]))
    return ax


@styled
def plot_change_estimation(
    data: Any,
    *,
    measure: str,
    condition: str | None = None,
    level: str = "course",
    n_boot: int | None = None,
    seed: int | None = None,
    instruments: InstrumentRegistry | str | Path | None = None,
    ax: Any = None,
    **kwargs: Any,
) -> Any:
    """Gardner–Altman estimation plot: the paired data, and the average change on a floating axis.

    Left, the clients' lines and the two averages as in :func:`plot_paired`.
    Right, on its own axis, the average change (``mean_change`` of
    :func:`outcomes.summarize`), the distribution of averages over bootstrap
    resamples of the clients (drawn as a half violin) and the BCa 95% interval
    (``boot_ci_low``/``boot_ci_high``): the violin is made of the very
    resamples the interval comes from (:meth:`PracticeAnalysis.resamples`).
    The change axis's zero sits at the earlier average, so the average change
    lines up with the later average (Gardner & Altman 1986; Ho et al. 2019,
    DABEST).

    Parameters
    ----------
    data, measure, condition, level, seed, n_boot, instruments, **kwargs
        As in :func:`plot_paired`.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib Axes
        The main Axes; the floating change axis is ``ax.outcomes_delta_ax`` (an
        inset in the right part of ``ax``), its y limits are the main limits
        minus the earlier average.

    References
    ----------
    Gardner MJ, Altman DG. BMJ 1986;292:746-750. doi:10.1136/bmj.292.6522.746.
    Ho J, Tumkaya T, Aryal S, Choi H, Claridge-Chang A. Nat Methods 2019;16:565-566.
    doi:10.1038/s41592-019-0470-3.
    """
    from matplotlib.lines import Line2D

    check_argument("level", LEVELS, level)
    analysis = as_analysis(data, seed=seed, n_boot=n_boot, instruments=instruments)
    inst = analysis.registry.get_instrument(measure)
    ax = new_ax(ax, figsize=(6.5, 4.2))
    pairs, row, boot = _pairs_and_row(analysis, inst, condition, level)
    counts = _draw_paired(ax, pairs, row, inst, level, analysis.seed or 0, show_ci=False, **kwargs)
    # the paired data take the left part of the axes, the change axis the right part
    ax.set_xlim(-0.3, 2.3)
    ax.spines["bottom"].set_bounds(-0.3, 1.3)
    delta = ax.inset_axes([0.70, 0.0, 0.26, 1.0])
    ax.outcomes_delta_ax = delta
    delta.patch.set_alpha(0.0)
    lo, hi = ax.get_ylim()
    have = row is not None and counts["n"] >= 2 and finite(row["mean_pre"], row["mean_change"])
    base = float(row["mean_pre"]) if have else 0.0
    delta.set_ylim(lo - base, hi - base)  # zero at the earlier average
    colour = counts["mean_colour"]
    if have:
        later = base + float(row["mean_change"])
        for x0, y in ((0, base), (1, later)):  # guide lines from the two averages to the change axis
            ax.plot([x0, 2.3], [y, y], color=PALETTE["unchanged"], lw=0.8, ls=":", zorder=1)
        if boot is not None:  # no resamples when every client changed by the same amount
            parts = delta.violinplot(boot, positions=[0], widths=0.9, showextrema=False, side="high")
            for body in parts["bodies"]:
                body.set_facecolor(PALETTE["accent"])
                body.set_edgecolor("none")
                body.set_alpha(0.6)
        delta.outcomes_resamples = boot
        if finite(row["boot_ci_low"], row["boot_ci_high"]):
            yerr = [[row["mean_change"] - row["boot_ci_low"]], [row["boot_ci_high"] - row["mean_change"]]]
            delta.errorbar(
                [0],
                [row["mean_change"]],
                yerr=yerr,
                fmt="o",
                color=colour,
                mfc="white" if counts["small"] else colour,
                ms=7,
                capsize=4,
                lw=2,
                zorder=5,
            )
        else:
            delta.plot([0], [row["mean_change"]], "o", color=colour, ms=7)
    else:
        delta.text(0.5, 0.5, "too few\nclients", transform=delta.transAxes, ha="center", va="center")
    delta.axhline(0, color=PALETTE["unchanged"], lw=1, ls="--")
    delta.set_xlim(-0.35, 0.75)
    delta.set_xticks([0.2], ["Average\nchange"])
    delta.tick_params(axis="x", length=0)
    for side in ("top", "left", "bottom"):
        delta.spines[side].set_visible(False)
    delta.spines["right"].set_visible(True)
    delta.yaxis.tick_right()
    delta.yaxis.set_label_position("right")
    what = "distance from normal" if inst.direction == "toward" else inst.unit
    delta.set_ylabel(f"Change ({what})\n{better_words(inst)}")
    handles = [
        *_paired_handles(counts, ci=False),
        Line2D([], [], color=PALETTE["accent"], lw=7, alpha=0.6, label="bootstrap averages"),
        Line2D([], [], color=colour, lw=2, marker="o", label="average change,\n95% CI (bootstrap)"),
    ]
    legend_below(ax, handles, inches=0.45, ncols=3)
    if counts["n"] == 0:
        ax.text(0.3, 0.5, "No client has a complete pair here", transform=ax.transAxes, ha="center")
    set_title(ax, _paired_title(inst, level, condition, counts["n"], counts["small"]), reserve_in=0.8)
    return ax
