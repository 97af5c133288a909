"""Figures a therapist understands at a glance.

Every function takes the session data or a table from :mod:`outcomes.summary` /
:mod:`outcomes.literature`, draws on ``ax`` (a new figure when ``ax`` is None)
and returns that Axes: ``plot_x(data_or_table, *, options..., ax=None, **kwargs)``.

No statistic is computed here. Every number drawn comes from
:func:`~outcomes.summarize`, :func:`~outcomes.client_changes`,
:func:`~outcomes.classify_change`, :func:`~outcomes.trajectory`,
:func:`~outcomes.compare_literature` or :func:`outcomes.effects.bootstrap_means`;
individual scores are drawn as they are. Turning a sign so that improvement
points right, jittering tied scores sideways, counting clients that share a
point and choosing colours are presentation.

One look for all figures: the Okabe–Ito colour-blind-safe palette
(:data:`PALETTE`), fonts of at least 9 pt at a size that pastes into a grant
document (:data:`STYLE`, 6.5 x 4 in by default), the instrument's label and
unit on the axis with the direction that is better, score axes spanning the
instrument's range (plus :data:`PAD` of it on each side), small groups
(``small_n`` / ``insufficient`` flags) drawn hollow and grey with an
"n < 10" note, and rows flagged ``suppressed`` not drawn at all.

matplotlib is imported when a function is first called, so
``import outcomes`` stays light.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Sequence
from functools import wraps
from typing import Any

import numpy as np
import pandas as pd

from . import effects as fx
from .instruments import Instrument, default_registry
from .schema import split_conditions
from .summary import LEVELS, SMALL_N, classify_change, client_changes, summarize, trajectory

__all__ = [
    "MIN_TRAJECTORY_N",
    "PAD",
    "PALETTE",
    "SERIES",
    "STYLE",
    "plot_between_groups",
    "plot_change_estimation",
    "plot_condition_forest",
    "plot_jacobson_truax",
    "plot_literature_forest",
    "plot_paired",
    "plot_responders",
    "plot_trajectory",
]

#: Okabe & Ito (2008) colour-blind-safe palette, by meaning.
PALETTE = {
    "improved": "#0072B2",  # blue
    "worse": "#D55E00",  # vermillion
    "unchanged": "#999999",  # grey
    "mean": "#000000",
    "accent": "#E69F00",  # orange: reference lines (MCID, cut-off), bootstrap
    "cst": "#0072B2",
    "sham": "#CC79A7",  # reddish purple
    "natural_history": "#56B4E9",  # sky blue
    "other": "#009E73",  # bluish green
    "small": "#8C8C8C",  # small groups
    "band": "#DDDDDD",
    "note": "#444444",
}
#: Colours of successive groups (conditions) in one figure: Okabe–Ito order.
SERIES = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
#: rc settings every figure is drawn with (fonts >= 9 pt at 6.5 in wide).
STYLE = {
    "font.size": 10,
    "axes.titlesize": 11,
    "axes.titlelocation": "left",
    "axes.labelsize": 10,
    "xtick.labelsize": 9.5,
    "ytick.labelsize": 9.5,
    "legend.fontsize": 9,
    "legend.title_fontsize": 9.5,
    "legend.frameon": False,
    "axes.spines.top": False,
    "axes.spines.right": False,
}
#: Score axes span the instrument's range plus this fraction of it on each side.
PAD = 0.03
FIGSIZE = (6.5, 4.0)
#: Trajectory means of fewer clients than this are not drawn (they jump about).
MIN_TRAJECTORY_N = 5
_NOTE_SIZE = 9
_LEVEL_POINTS = {
    "session": ("Before session", "After session"),
    "followup": ("Before session", "A few days later"),
    "course": ("First session", "Last session"),
}
_LEVEL_TITLE = {
    "session": "before and right after each session",
    "followup": "before a session and a few days later",
    "course": "at the first and the last session",
}
_LEVEL_CHANGE = {
    "session": "immediate change within a session",
    "followup": "change from before a session to a few days later",
    "course": "change from the first to the last session",
}
_ACRONYMS = {"tmj": "TMJ", "lbp": "LBP", "cst": "CST", "omt": "OMT"}


# ---------------------------------------------------------------------------------------
# helpers: matplotlib, style, words
# ---------------------------------------------------------------------------------------
def _plt() -> Any:
    import matplotlib.pyplot as plt

    return plt


def _styled(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Draw inside ``rc_context(STYLE)`` so every figure has the same look."""

    @wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with _plt().rc_context(STYLE):
            return fn(*args, **kwargs)

    return wrapper


def _new_ax(ax: Any, figsize: tuple[float, float] = FIGSIZE) -> Any:
    if ax is None:
        _, ax = _plt().subplots(figsize=figsize, layout="constrained")
    ax.spines["top"].set_visible(False)
    ax.spines["right"].set_visible(False)
    return ax


def _check_argument(name: str, options: Sequence[str], value: Any) -> None:
    if value not in options:
        raise ValueError(f"{name} must be one of {', '.join(repr(o) for o in options)} (got {value!r})")


def _inst(measure: str) -> Instrument:
    return default_registry().get_instrument(measure)


def _words(key: Any) -> list[str]:
    return [_ACRONYMS.get(w, w) for w in str(key).split("_")]


def _group_label(value: Any) -> str:
    """Row label of a group key: ``pelvic_pain`` -> ``Pelvic pain``, ``all`` -> ``All clients``."""
    text = str(value)
    if text == "all":
        return "All clients"
    if text == "stress_anxiety":
        return "Stress / anxiety"
    words = _words(text)
    return " ".join(words)[:1].upper() + " ".join(words)[1:]


def _who(condition: str | None) -> str:
    """``None`` -> ``all clients``; ``pelvic_pain`` -> ``pelvic pain clients``."""
    if condition is None or condition == "all":
        return "all clients"
    if condition == "stress_anxiety":
        return "stress / anxiety clients"
    return " ".join(_words(condition)) + " clients"


def _better(inst: Instrument) -> str:
    return "lower is better ↓" if inst.analysis_direction == "lower" else "higher is better ↑"


def _normal_words(inst: Instrument) -> str:
    what = "normal tone" if inst.construct == "tone" else "normal"
    return f"distance from {what} ({inst.target:g} = normal)"


def _scale_label(inst: Instrument, width: int = 36) -> str:
    """Axis label of a score on the analysis scale: label, unit and which way is better."""
    if inst.direction == "toward":
        return f"{textwrap.fill(inst.label, width)}\n{_normal_words(inst)}\n{_better(inst)}"
    return f"{textwrap.fill(f'{inst.label} ({inst.unit})', width)}\n{_better(inst)}"


def _score_limits(inst: Instrument, analysis: bool = True) -> tuple[float, float]:
    lo, hi = inst.analysis_range if analysis else (inst.min, inst.max)
    pad = PAD * (hi - lo)
    return lo - pad, hi + pad


def _set_title(ax: Any, text: str, *, reserve_in: float = 1.3) -> None:
    """Left-aligned title wrapped to the figure's width."""
    width_in = max(ax.figure.get_figwidth() - reserve_in, 2.5)
    chars = int(width_in * 72 / (STYLE["axes.titlesize"] * 0.55))
    ax.set_title(textwrap.fill(text, chars), loc="left")


def _figure_title(ax: Any, text: str) -> None:
    """A title that starts at the figure's left edge (above long row labels), wrapped to the
    figure's width; the text is kept as ``ax.outcomes_title``."""
    chars = int((ax.figure.get_figwidth() - 0.3) * 72 / (STYLE["axes.titlesize"] * 0.55))
    ax.annotate(
        textwrap.fill(text, chars),
        xy=(0.015, 1.0),
        xycoords=("figure fraction", "axes fraction"),
        xytext=(0, 12),
        textcoords="offset points",
        ha="left",
        va="bottom",
        fontsize=STYLE["axes.titlesize"],
        annotation_clip=False,
    )
    ax.outcomes_title = text


def _legend_below(ax: Any, handles: list[Any], *, inches: float, ncols: int, **kw: Any) -> Any:
    """A legend whose top sits ``inches`` below the bottom of ``ax`` (clear of the x label)."""
    from matplotlib.transforms import ScaledTranslation

    shift = ScaledTranslation(0, -inches, ax.figure.dpi_scale_trans)
    return ax.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(0.0, 0.0),
        bbox_transform=ax.transAxes + shift,
        ncols=ncols,
        **kw,
    )


def _n(n: Any) -> str:
    """``n = 36`` with non-breaking spaces, so that wrapping never splits it."""
    return f"n\u00a0=\u00a0{int(n)}"


def _flags(value: Any) -> set[str]:
    return set(value.split(";")) if isinstance(value, str) and value else set()


def _is_small(flags: Any) -> bool:
    return bool(_flags(flags) & {"small_n", "insufficient"})


def _is_suppressed(flags: Any) -> bool:
    return "suppressed" in _flags(flags)


def _finite(*values: Any) -> bool:
    try:
        return all(np.isfinite(float(v)) for v in values)
    except (TypeError, ValueError):
        return False


def _footnote(ax: Any, lines: Sequence[str], *, points: float) -> Any:
    """A note ``points`` below the bottom of ``ax``, starting at the figure's left edge and
    wrapped to the figure's width (so long notes never push the axes out of the figure)."""
    chars = int((ax.figure.get_figwidth() - 0.3) * 72 / (_NOTE_SIZE * 0.56))
    text = "\n".join(textwrap.fill(line, chars) for line in lines if line)
    return ax.annotate(
        text,
        xy=(0.015, 0),
        xycoords=("figure fraction", "axes fraction"),
        xytext=(0, -points),
        textcoords="offset points",
        ha="left",
        va="top",
        fontsize=_NOTE_SIZE,
        color=PALETTE["note"],
        annotation_clip=False,
    )


def _direction_xlabel(text: str, left: str = "← worse", right: str = "better →") -> str:
    """An x label with the direction words at both ends."""
    return f"{left}      {text}      {right}"


def _text_width_in(labels: Sequence[str], fontsize: float = STYLE["ytick.labelsize"]) -> float:
    """Rough width in inches of the longest line of ``labels`` (to wrap titles beside them)."""
    longest = max((len(line) for lab in labels for line in str(lab).split("\n")), default=0)
    return longest * fontsize * 0.56 / 72


def _summary_rows(summary: pd.DataFrame, inst: Instrument, level: str) -> tuple[pd.DataFrame, int, list[str]]:
    """Rows of one measure and level without the suppressed ones, how many were suppressed, and the
    group-key columns (every column before ``measure``)."""
    missing = [c for c in ("measure", "level", "flags", "n_clients") if c not in summary.columns]
    if missing:
        raise ValueError(
            f"summary must be a table from outcomes.summarize(); it has no column {', '.join(missing)}"
        )
    keys = list(summary.columns[: summary.columns.get_loc("measure")])
    rows = summary[(summary["measure"] == inst.key) & (summary["level"].astype(str) == level)]
    suppressed = rows["flags"].map(_is_suppressed).to_numpy(dtype=bool)
    rows = rows.loc[~suppressed].reset_index(drop=True)
    if keys:  # a whole-practice row ("all") goes last
        is_all = (rows[keys[0]].astype(str) == "all").to_numpy()
        rows = pd.concat([rows[~is_all], rows[is_all]], ignore_index=True)
    return rows, int(suppressed.sum()), keys


def _row_label(row: pd.Series, keys: list[str]) -> str:
    if not keys:
        return "All clients"
    return ", ".join(_group_label(row[k]) for k in keys)


def _suppressed_note(k: int) -> str:
    return f"{k} group{'s' if k != 1 else ''} not shown: too few clients to report (suppressed)."


def _pairs_and_row(
    data: Any, measure: str, condition: str | None, level: str, *, n_boot: int = 200, seed: int = 0
) -> tuple[pd.DataFrame, pd.Series | None]:
    """The group's complete client pairs (client_changes) and its summary row (summarize)."""
    if condition is None or condition == "all":
        pairs = client_changes(data, level=level, measures=[measure])
        table = summarize(data, by=None, level=level, measures=[measure], n_boot=n_boot, seed=seed)
    else:
        pairs = client_changes(data, level=level, by="condition", measures=[measure])
        if condition not in set(pairs["condition"].astype(str)):
            present = sorted(set(pairs["condition"].astype(str)))
            raise ValueError(
                f"No client with condition {condition!r} has {_inst(measure).label} scores at the "
                f"{level} level. Conditions present: {', '.join(present) or 'none'}."
            )
        pairs = pairs[pairs["condition"] == condition]
        table = summarize(data, by="condition", level=level, measures=[measure], n_boot=n_boot, seed=seed)
        table = table[table["condition"] == condition]
    pairs = pairs[pairs["paired"]].reset_index(drop=True)
    return pairs, (table.iloc[0] if len(table) else None)


def _is_integer_scale(values: np.ndarray) -> bool:
    return values.size > 0 and bool(np.allclose(values, np.round(values)))


# ---------------------------------------------------------------------------------------
# 1. paired lines
# ---------------------------------------------------------------------------------------
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
    colours = [(*_rgb(PALETTE[k]), alpha[k]) for k in kind[order]]
    style = {"colors": colours, "linewidths": 1.1, "zorder": 2, **kwargs}
    lines = LineCollection(segments, **style)
    ax.add_collection(lines)
    ax.outcomes_client_lines = lines
    small = row is None or _is_small(row["flags"])
    mean_colour = PALETTE["small"] if small else PALETTE["mean"]
    if row is not None and _finite(row["mean_pre"], row["mean_post"]):
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
        if show_ci and _finite(row["ci_low"], row["ci_high"]):
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
    ax.set_ylim(*_score_limits(inst))
    ax.set_xlim(-0.3, 1.35)
    ax.set_xticks([0, 1], _LEVEL_POINTS[level])
    ax.set_ylabel(_scale_label(inst))
    return {"n": n, **counts, "small": small, "mean_colour": mean_colour}


def _rgb(colour: str) -> tuple[float, float, float]:
    from matplotlib.colors import to_rgb

    return to_rgb(colour)


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
    text = f"{inst.label} {_LEVEL_TITLE[level]} — {_who(condition)} ({_n(n)})"
    if small:
        text += ": small group (n < 10), read with care"
    return text


@_styled
def plot_paired(
    data: Any,
    *,
    measure: str,
    condition: str | None = None,
    level: str = "course",
    ax: Any = None,
    seed: int = 0,
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
    data : SessionData or DataFrame
        What :func:`outcomes.read_sessions` returns, or a canonical long frame.
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
    seed : int, default 0
        Seed of the sideways jitter (presentation only).
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
    _check_argument("level", LEVELS, level)
    inst = _inst(measure)
    ax = _new_ax(ax)
    pairs, row = _pairs_and_row(data, inst.key, condition, level, seed=seed)
    counts = _draw_paired(ax, pairs, row, inst, level, seed, **kwargs)
    if counts["n"] == 0:
        ax.text(0.5, 0.5, "No client has a complete pair here", transform=ax.transAxes, ha="center")
    ax.legend(handles=_paired_handles(counts), loc="upper left", bbox_to_anchor=(1.0, 1.0), title="Clients")
    _set_title(ax, _paired_title(inst, level, condition, counts["n"], counts["small"]))
    return ax


# ---------------------------------------------------------------------------------------
# 2. estimation plot
# ---------------------------------------------------------------------------------------
@_styled
def plot_change_estimation(
    data: Any,
    *,
    measure: str,
    condition: str | None = None,
    level: str = "course",
    n_boot: int = 2000,
    seed: int = 0,
    ax: Any = None,
    **kwargs: Any,
) -> Any:
    """Gardner–Altman estimation plot: the paired data, and the average change on a floating axis.

    Left, the clients' lines and the two averages as in :func:`plot_paired`.
    Right, on its own axis, the average change (``mean_change`` of
    :func:`outcomes.summarize`), the distribution of averages over bootstrap
    resamples of the clients (:func:`outcomes.effects.bootstrap_means`, drawn
    as a half violin) and the BCa 95% interval (``boot_ci_low``/
    ``boot_ci_high``). The change axis's zero sits at the earlier average, so
    the average change lines up with the later average (Gardner & Altman
    1986; Ho et al. 2019, DABEST).

    Parameters
    ----------
    data, measure, condition, level, seed, **kwargs
        As in :func:`plot_paired`; ``seed`` also seeds the bootstraps.
    n_boot : int, default 2000
        Bootstrap resamples for the drawn distribution and the BCa interval.
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

    _check_argument("level", LEVELS, level)
    inst = _inst(measure)
    ax = _new_ax(ax, figsize=(6.5, 4.2))
    pairs, row = _pairs_and_row(data, inst.key, condition, level, n_boot=n_boot, seed=seed)
    counts = _draw_paired(ax, pairs, row, inst, level, seed, show_ci=False, **kwargs)
    # the paired data take the left part of the axes, the change axis the right part
    ax.set_xlim(-0.3, 2.3)
    ax.spines["bottom"].set_bounds(-0.3, 1.3)
    delta = ax.inset_axes([0.70, 0.0, 0.26, 1.0])
    ax.outcomes_delta_ax = delta
    delta.patch.set_alpha(0.0)
    lo, hi = ax.get_ylim()
    have = row is not None and counts["n"] >= 2 and _finite(row["mean_pre"], row["mean_change"])
    base = float(row["mean_pre"]) if have else 0.0
    delta.set_ylim(lo - base, hi - base)  # zero at the earlier average
    colour = counts["mean_colour"]
    if have:
        later = base + float(row["mean_change"])
        for x0, y in ((0, base), (1, later)):  # guide lines from the two averages to the change axis
            ax.plot([x0, 2.3], [y, y], color=PALETTE["unchanged"], lw=0.8, ls=":", zorder=1)
        boot = fx.bootstrap_means(pairs["change"].to_numpy(dtype=float), n_boot=n_boot, seed=seed)
        parts = delta.violinplot(boot, positions=[0], widths=0.9, showextrema=False, side="high")
        for body in parts["bodies"]:
            body.set_facecolor(PALETTE["accent"])
            body.set_edgecolor("none")
            body.set_alpha(0.6)
        if _finite(row["boot_ci_low"], row["boot_ci_high"]):
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
    delta.set_ylabel(f"Change ({what})\n{_better(inst)}")
    handles = [
        *_paired_handles(counts, ci=False),
        Line2D([], [], color=PALETTE["accent"], lw=7, alpha=0.6, label="bootstrap averages"),
        Line2D([], [], color=colour, lw=2, marker="o", label="average change,\n95% CI (bootstrap)"),
    ]
    _legend_below(ax, handles, inches=0.45, ncols=3)
    if counts["n"] == 0:
        ax.text(0.3, 0.5, "No client has a complete pair here", transform=ax.transAxes, ha="center")
    _set_title(ax, _paired_title(inst, level, condition, counts["n"], counts["small"]), reserve_in=0.8)
    return ax


# ---------------------------------------------------------------------------------------
# 3. forest per condition
# ---------------------------------------------------------------------------------------
@_styled
def plot_condition_forest(
    summary: pd.DataFrame,
    *,
    measure: str,
    level: str = "course",
    metric: str = "mean_improvement",
    ax: Any = None,
    **kwargs: Any,
) -> Any:
    """Improvement with its 95% CI per condition for one measure, n on each row, the MCID line.

    Parameters
    ----------
    summary : DataFrame
        From :func:`outcomes.summarize` (grouped by ``condition`` or another
        column; a whole-practice row ``'all'`` goes last). Rows whose ``flags``
        contain ``suppressed`` are not drawn; a footnote counts them.
    measure : str
    level : {'session', 'followup', 'course'}, default 'course'
    metric : {'mean_improvement', 'smc'}
        ``mean_improvement`` with ``improvement_ci_low``/``improvement_ci_high``
        in the measure's units, with the published MCID (column ``mcid``) as a
        dashed line when known; or the standardized mean change ``smc`` with
        ``smc_ci_low``/``smc_ci_high``, turned so that positive is improvement.
    ax : matplotlib Axes, optional
    **kwargs
        Passed to the error bars.

    Returns
    -------
    matplotlib Axes
        One y tick per drawn row; ``ax.outcomes_mcid`` is the MCID drawn (or None).
    """
    _check_argument("metric", ("mean_improvement", "smc"), metric)
    _check_argument("level", LEVELS, level)
    inst = _inst(measure)
    rows, n_suppressed, keys = _summary_rows(summary, inst, level)
    k = len(rows)
    ax = _new_ax(ax, figsize=(6.5, max(2.8, 0.34 * k + 1.9)))
    sign = inst.improvement_sign()
    labels = [_row_label(r, keys) for _, r in rows.iterrows()]
    for y, r in rows.iterrows():
        if metric == "mean_improvement":
            est, lo, hi = r["mean_improvement"], r["improvement_ci_low"], r["improvement_ci_high"]
        else:  # smc is signed as the change: turn it so that positive is improvement
            est, lo, hi = sign * r["smc"], sign * r["smc_ci_low"], sign * r["smc_ci_high"]
            lo, hi = min(lo, hi), max(lo, hi)
        small = _is_small(r["flags"])
        whole = bool(keys) and str(r[keys[0]]) == "all"  # the whole practice: black, set apart
        colour = PALETTE["small"] if small else (PALETTE["mean"] if whole else PALETTE["improved"])
        if whole and y > 0:
            ax.axhline(y - 0.5, color=PALETTE["band"], lw=0.8, zorder=0)
        if _finite(est, lo, hi):
            style = {"fmt": "none", "ecolor": colour, "capsize": 3, "lw": 1.6, **kwargs}
            ax.errorbar([est], [y], xerr=[[est - lo], [hi - est]], **style)
        if _finite(est):
            ax.plot([est], [y], "o", ms=7, mfc="white" if small else colour, mec=colour, mew=1.5, zorder=5)
        else:
            ax.text(
                0.02,
                y,
                "no client with a complete pair",
                transform=ax.get_yaxis_transform(),
                va="center",
                fontsize=_NOTE_SIZE,
                color=PALETTE["small"],
                style="italic",
            )
        ax.annotate(
            f"n = {int(r['n_clients'])}" + (", small" if small else ""),
            xy=(1.0, y),
            xycoords=("axes fraction", "data"),
            xytext=(6, 0),
            textcoords="offset points",
            va="center",
            fontsize=_NOTE_SIZE,
            color=colour,
            annotation_clip=False,
        )
    ax.set_yticks(range(k), labels)
    ax.set_ylim(k - 0.4, -1.1)  # top row first; headroom for the MCID label
    ax.axvline(0, color=PALETTE["unchanged"], lw=1, zorder=1)
    mcid = rows["mcid"].dropna() if "mcid" in rows else pd.Series(dtype=float)
    ax.outcomes_mcid = None
    if metric == "mean_improvement" and len(mcid):
        m = float(mcid.iloc[0])
        ax.axvline(m, color=PALETTE["accent"], lw=1.5, ls="--", zorder=1)
        ax.text(
            m, -0.75, f" MCID {m:g} {inst.unit}", ha="left", va="center", fontsize=_NOTE_SIZE, color="#A66F00"
        )
        ax.outcomes_mcid = m
    left, right = ax.get_xlim()
    span = max(abs(left), abs(right), 1e-9)
    ax.set_xlim(min(left, -0.15 * span), max(right, 0.15 * span))
    reserve = _text_width_in(labels) + 1.2
    if metric == "mean_improvement":
        what = "distance from normal" if inst.direction == "toward" else inst.unit
        ax.set_xlabel(_direction_xlabel(f"average improvement ({what}), 95% CI"))
        _set_title(ax, f"{inst.label}: {_LEVEL_CHANGE[level]}, by condition", reserve_in=reserve)
    else:
        ax.set_xlabel(_direction_xlabel("standardized change, 95% CI"))
        _set_title(ax, f"{inst.label}: standardized {_LEVEL_CHANGE[level]}, by condition", reserve_in=reserve)
    notes = ["0 = no change. Hollow grey: fewer than 10 clients, read with care."]
    if metric == "mean_improvement" and not len(mcid):
        notes.append(f"No published MCID for {inst.label}.")
    if n_suppressed:
        notes.append(_suppressed_note(n_suppressed))
    _footnote(ax, notes, points=36)
    return ax


# ---------------------------------------------------------------------------------------
# 4. trajectory (saw-tooth)
# ---------------------------------------------------------------------------------------
def _client_sawtooth(frame: pd.DataFrame, x_post: float) -> list[np.ndarray]:
    """Each client's raw scores in session order, before then after each session."""
    frame = frame[frame["timepoint"].astype(str).isin(["pre", "post"])]
    x = frame["session"].to_numpy(dtype=float) + np.where(frame["timepoint"].astype(str) == "post", x_post, 0)
    frame = frame.assign(_x=x).sort_values(["client_id", "_x"])
    return [g[["_x", "score"]].to_numpy(dtype=float) for _, g in frame.groupby("client_id", sort=False)]


@_styled
def plot_trajectory(
    data: Any,
    *,
    measure: str,
    conditions: Sequence[str] | None = None,
    individual: bool = False,
    max_session: int = 12,
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
    data : SessionData or DataFrame
    measure : str
    conditions : list of str, optional
        Conditions to draw (``'all'`` for the whole practice); default the three
        with the most clients at the first session.
    individual : bool, default False
        Also draw each client's own scores as thin lines (raw scores).
    max_session : int, default 12
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

    inst = _inst(measure)
    ax = _new_ax(ax, figsize=(6.5, 4.4))
    traj = trajectory(data, measure=inst.key, max_session=max_session, scale="analysis")
    if conditions is None:
        first = traj[(traj["session"] == 1) & (traj["timepoint"].astype(str) == "pre")]
        top = first.sort_values(["n_clients", "condition"], ascending=[False, True])["condition"].head(3)
        conditions = [str(c) for c in top]
    conditions = list(conditions)
    present = set(traj["condition"].astype(str))
    unknown = [c for c in conditions if c != "all" and c not in present]
    if unknown:
        raise ValueError(
            f"No {inst.label} scores for condition {', '.join(map(repr, unknown))}. "
            f"Conditions present: {', '.join(sorted(present))}."
        )
    if "all" in conditions:
        whole = trajectory(data, measure=inst.key, by=None, max_session=max_session, scale="analysis").assign(
            condition="all"
        )
        traj = pd.concat([traj, whole], ignore_index=True)
    frame = getattr(data, "frame", data)
    frame = frame[(frame["measure"] == inst.key) & (frame["session"] <= max_session)]
    x_post = 0.4
    handles: list[Any] = []
    last_session = 1
    n_rows: list[tuple[str, pd.Series]] = []
    for k, cond in enumerate(conditions):
        colour = SERIES[k % len(SERIES)]
        dodge = (k - (len(conditions) - 1) / 2) * 0.05
        t = traj[(traj["condition"] == cond) & (traj["n_clients"] >= MIN_TRAJECTORY_N)]
        pre = t[t["timepoint"].astype(str) == "pre"].set_index("session")
        post = t[t["timepoint"].astype(str) == "post"].set_index("session")
        if individual:
            if cond == "all":
                sub = frame
            else:
                cond_of_row = split_conditions(frame["condition"])
                sub = frame.loc[frame.index.isin(cond_of_row.index[cond_of_row.to_numpy() == cond])]
            ax.add_collection(
                LineCollection(_client_sawtooth(sub, x_post), colors=colour, alpha=0.12, lw=0.6, zorder=1)
            )
        # saw-tooth: solid within a session, dashed from one session's after to the next before
        for s in pre.index:
            if s in post.index:
                xs = [s + dodge, s + x_post + dodge]
                ax.plot(xs, [pre.loc[s, "mean"], post.loc[s, "mean"]], color=colour, lw=2, zorder=3, **kwargs)
        for s in post.index:
            if s + 1 in pre.index:
                xs = [s + x_post + dodge, s + 1 + dodge]
                ys = [post.loc[s, "mean"], pre.loc[s + 1, "mean"]]
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
            last_session = max(last_session, int(part.index.max()))
        handles.append(Line2D([], [], color=colour, lw=2, marker="o", label=_group_label(cond)))
        n_rows.append((colour, pre["n_clients"]))
    ax.set_ylim(*_score_limits(inst, analysis=True))
    ax.set_xlim(0.6, last_session + 0.8)
    ax.set_xticks(range(1, last_session + 1))
    ax.set_ylabel(_scale_label(inst))
    # number of clients before each session, one row per condition, under the session numbers
    for j, (colour, ns) in enumerate(n_rows):
        for s, n in ns.items():
            ax.annotate(
                f"{int(n)}",
                xy=(s + x_post / 2, 0),
                xycoords=("data", "axes fraction"),
                xytext=(0, -20 - 11 * j),
                textcoords="offset points",
                ha="center",
                va="top",
                fontsize=_NOTE_SIZE,
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
            fontsize=_NOTE_SIZE,
            color=PALETTE["note"],
            annotation_clip=False,
        )
    ax.set_xlabel("Session number", labelpad=8 + 11 * len(n_rows))
    handles += [
        Line2D([], [], color="k", marker="o", ls="none", label="before the session"),
        Line2D([], [], color="k", marker="s", ls="none", label="right after it"),
        Line2D([], [], color="k", lw=2, label="within a session"),
        Line2D([], [], color="k", lw=1.2, ls=(0, (3, 2)), label="until the next\nsession"),
        Line2D([], [], color="k", marker="o", mfc="white", ls="none", label="fewer than\n10 clients"),
        Line2D([], [], color="k", lw=1, alpha=0.5, marker="|", ms=12, ls="none", label="95% CI"),
    ]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    _set_title(ax, f"{inst.label} before and right after each session")
    notes = [f"Averages of fewer than {MIN_TRAJECTORY_N} clients are not shown."]
    _footnote(ax, [" ".join(notes)], points=40 + 11 * len(n_rows))
    return ax


# ---------------------------------------------------------------------------------------
# 5. responders
# ---------------------------------------------------------------------------------------
_RC_COLUMNS = (
    ("pct_reliable_improved", "reliably improved", PALETTE["improved"]),
    ("pct_no_reliable_change", "no reliable change", PALETTE["band"]),
    ("pct_reliable_deteriorated", "reliably worse", PALETTE["worse"]),
)


@_styled
def plot_responders(
    summary: pd.DataFrame, *, measure: str, level: str = "course", ax: Any = None, **kwargs: Any
) -> Any:
    """Stacked bars per condition: reliably improved / no reliable change / reliably worse.

    The bars are the Jacobson–Truax categories of :func:`outcomes.summarize`
    (``pct_reliable_improved``, ``pct_no_reliable_change``,
    ``pct_reliable_deteriorated``); the diamond is the share of clients whose
    improvement reached the published MCID (``pct_mcid``) with its Wilson 95%
    interval. A measure without a published reliability gets a note instead
    of empty bars. Suppressed rows are not drawn.

    Parameters
    ----------
    summary : DataFrame
        From :func:`outcomes.summarize`.
    measure : str
    level : {'session', 'followup', 'course'}, default 'course'
    ax : matplotlib Axes, optional
    **kwargs
        Passed to ``barh``.

    Returns
    -------
    matplotlib Axes
        x from 0 to 100 (%). ``ax.outcomes_bars``: the three bar containers, one
        bar per drawn row each (no bars when the measure has no reliability).
    """
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    _check_argument("level", LEVELS, level)
    inst = _inst(measure)
    rows, n_suppressed, keys = _summary_rows(summary, inst, level)
    k = len(rows)
    have_rc = rows["pct_reliable_improved"].notna().to_numpy() if k else np.zeros(0, bool)
    have_mcid = bool(k) and bool(rows["pct_mcid"].notna().any())
    labels = [_row_label(r, keys) for _, r in rows.iterrows()]
    if k and not have_rc.any() and not have_mcid:  # nothing to draw: say why, in a small figure
        ax = _new_ax(ax, figsize=(6.5, 2.0))
        ax.set_axis_off()
        ax.outcomes_bars = []
        ax.text(
            0.0,
            0.6,
            textwrap.fill(
                f"{inst.label} has no published test–retest reliability and no published MCID, so "
                "neither reliable change nor the share reaching a clinically important change can be "
                "shown. The average change per condition is in the condition forest plot.",
                80,
            ),
            transform=ax.transAxes,
            va="center",
            fontsize=10,
            color=PALETTE["note"],
        )
        _set_title(ax, f"{inst.label}: who changed by more than measurement error", reserve_in=0.4)
        return ax
    ax = _new_ax(ax, figsize=(6.5, max(2.8, 0.36 * k + 2.2)))
    ys = np.arange(k)
    small = rows["flags"].map(_is_small).to_numpy(dtype=bool) if k else np.zeros(0, bool)
    handles: list[Any] = []
    bars = []
    if have_rc.any():
        left = np.zeros(k)
        for col, label, colour in _RC_COLUMNS:
            vals = rows[col].to_numpy(dtype=float)
            vals = np.where(np.isfinite(vals), vals, 0.0)
            cont = ax.barh(ys, vals, left=left, color=colour, height=0.62, label=label, **kwargs)
            for patch, s in zip(cont.patches, small, strict=True):
                if s:
                    patch.set_alpha(0.45)
            bars.append(cont)
            left += vals
            handles.append(Patch(color=colour, label=label))
    ax.outcomes_bars = bars
    mcid_pts = rows["mcid"].dropna()
    mcid_pct = rows["mcid_percent"].dropna() if "mcid_percent" in rows else pd.Series(dtype=float)
    if have_mcid:
        m = rows["pct_mcid"].to_numpy(dtype=float)
        lo = rows["pct_mcid_ci_low"].to_numpy(dtype=float)
        hi = rows["pct_mcid_ci_high"].to_numpy(dtype=float)
        ok = np.isfinite(m) & np.isfinite(lo) & np.isfinite(hi)
        ax.errorbar(
            m[ok],
            ys[ok],
            xerr=[m[ok] - lo[ok], hi[ok] - m[ok]],
            fmt="none",
            ecolor="black",
            capsize=3,
            lw=1.2,
            zorder=4,
            clip_on=False,
        )
        for face, sel in (("white", ok & small), (PALETTE["accent"], ok & ~small)):
            ax.plot(m[sel], ys[sel], "D", color="black", mfc=face, ms=7, zorder=5, ls="none", clip_on=False)
        if len(mcid_pts):
            what = f"reached the MCID ({float(mcid_pts.iloc[0]):g} {inst.unit}), 95% CI"
        elif len(mcid_pct):
            what = f"improved by at least {float(mcid_pct.iloc[0]):g}% (MCID), 95% CI"
        else:
            what = "reached the MCID, 95% CI"
        handles.append(Line2D([], [], color="black", marker="D", mfc=PALETTE["accent"], lw=1.2, label=what))
    for y, (_, r), s in zip(ys, rows.iterrows(), small, strict=True):
        ax.annotate(
            f"n = {int(r['n_clients'])}" + (", small" if s else ""),
            xy=(1.0, y),
            xycoords=("axes fraction", "data"),
            xytext=(8, 0),
            textcoords="offset points",
            va="center",
            fontsize=_NOTE_SIZE,
            color=PALETTE["small"] if s else "black",
            annotation_clip=False,
        )
    notes = []
    if not have_rc.any():
        notes.append(f"No published test–retest reliability for {inst.label}: reliable change not assessed.")
    elif not have_rc.all():
        for y in ys[~have_rc]:
            ax.text(
                1,
                y,
                "reliable change not assessed",
                va="center",
                fontsize=_NOTE_SIZE,
                color=PALETTE["small"],
                style="italic",
            )
    if small.any():
        notes.append("Pale bars, hollow diamonds: fewer than 10 clients.")
    if not have_mcid:
        notes.append(f"No published MCID for {inst.label}.")
    if n_suppressed:
        notes.append(_suppressed_note(n_suppressed))
    ax.set_yticks(ys, labels)
    ax.set_ylim(k - 0.5, -0.5)
    ax.set_xlim(0, 100)
    ax.set_xlabel("Share of clients (%)")
    _legend_below(ax, handles, inches=0.5, ncols=2)
    _set_title(
        ax,
        f"{inst.label}: who changed by more than measurement error ({_LEVEL_CHANGE[level]})",
        reserve_in=_text_width_in(labels) + 1.2,
    )
    if notes:
        rows_of_legend = (len(handles) + 1) // 2
        _footnote(ax, [" ".join(notes)], points=0.5 * 72 + 8 + 16 * rows_of_legend)
    return ax


# ---------------------------------------------------------------------------------------
# 6. Jacobson-Truax
# ---------------------------------------------------------------------------------------
_JT_NAMES = {
    "reliably_improved": ("reliably improved", PALETTE["improved"]),
    "no_reliable_change": ("no reliable change", PALETTE["unchanged"]),
    "reliably_deteriorated": ("reliably worse", PALETTE["worse"]),
    "unknown": ("clients", PALETTE["unchanged"]),
}


@_styled
def plot_jacobson_truax(
    data: Any,
    *,
    measure: str,
    condition: str | None = None,
    level: str = "course",
    ax: Any = None,
    **kwargs: Any,
) -> Any:
    """Each client's earlier score against the later one, with reliable change and the cut-off.

    From :func:`outcomes.classify_change`: the no-change diagonal, the band of
    changes smaller than the reliable change threshold (diagonal ±
    ``rc_threshold``), clients coloured by Jacobson–Truax category, and, where
    the instrument has a published clinical cut-off, the cut-off on both axes
    with the off-diagonal regions named ("left the clinical range": recovered
    when also reliably improved). Clients with the same two scores share a
    point whose area grows with their number.

    Parameters
    ----------
    data : SessionData or DataFrame
    measure : str
    condition : str, optional
        Only clients with this condition.
    level : {'session', 'followup', 'course'}, default 'course'
    ax : matplotlib Axes, optional
    **kwargs
        Passed to ``scatter``.

    Returns
    -------
    matplotlib Axes
        Equal aspect; both axes span the instrument's (analysis) range plus
        ``PAD`` of it. ``ax.outcomes_points`` is the table of points drawn
        (``baseline``, ``endpoint``, ``category``, ``n``: clients at the point).

    References
    ----------
    Jacobson NS, Truax P. J Consult Clin Psychol 1991;59:12-19. doi:10.1037/0022-006X.59.1.12.
    """
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    _check_argument("level", LEVELS, level)
    inst = _inst(measure)
    ax = _new_ax(ax, figsize=(6.5, 4.5))
    cc = classify_change(data, level=level, measures=[inst.key])
    if condition is not None and condition != "all":
        member = _in_condition(cc["condition"], condition)
        if not member.any():
            raise ValueError(f"No client with condition {condition!r} has a {level} pair of {inst.label}.")
        cc = cc[member.to_numpy()]
    lim = _score_limits(inst)
    better_side = "below" if inst.analysis_direction == "lower" else "above"
    handles: list[Any] = []
    ax.plot(lim, lim, color="black", lw=1, zorder=2)
    handles.append(Line2D([], [], color="black", lw=1, label=f"no change\n({better_side} = better)"))
    threshold = float(cc["rc_threshold"].iloc[0]) if len(cc) else np.nan
    if np.isfinite(threshold):
        xs = np.array(lim)
        ax.fill_between(xs, xs - threshold, xs + threshold, color=PALETTE["band"], alpha=0.7, lw=0, zorder=1)
        handles.append(Patch(color=PALETTE["band"], label=f"measurement error\n(± {threshold:.1f})"))
    points = cc.groupby(["baseline", "endpoint", "category"]).size().rename("n").reset_index()
    ax.outcomes_points = points
    for cat in ("no_reliable_change", "unknown", "reliably_deteriorated", "reliably_improved"):
        g = points[points["category"] == cat]
        if g.empty:
            continue
        name, colour = _JT_NAMES[cat]
        style = {"alpha": 0.8, "edgecolors": "white", "linewidths": 0.5, "zorder": 3, "clip_on": False}
        style.update(kwargs)
        ax.scatter(g["baseline"], g["endpoint"], s=22 * g["n"], color=colour, **style)
        handles.append(
            Line2D([], [], color=colour, marker="o", ls="none", ms=6, label=f"{name} ({int(g['n'].sum())})")
        )
    if len(points) and int(points["n"].max()) > 1:
        handles.append(Line2D([], [], color="none", label="larger dot = more\nclients"))
    cut = inst.clinical_cutoff
    if cut is not None and inst.direction != "toward":
        ax.axvline(cut, color=PALETTE["accent"], ls="--", lw=1.2, zorder=2)
        ax.axhline(cut, color=PALETTE["accent"], ls="--", lw=1.2, zorder=2)
        handles.append(Line2D([], [], color=PALETTE["accent"], ls="--", label=f"clinical cut-off ({cut:g})"))
        clinical_high = inst.cutoff_rule in (">", ">=")
        # the two regions off the diagonal: clinical at the start only, or at the end only
        corners = (
            ("left the clinical range\n(recovered if reliably improved)", clinical_high, not clinical_high),
            ("entered the\nclinical range", not clinical_high, clinical_high),
        )
        for text, right, top in corners:
            ax.text(
                0.98 if right else 0.02,
                0.98 if top else 0.02,
                text,
                transform=ax.transAxes,
                ha="right" if right else "left",
                va="top" if top else "bottom",
                fontsize=_NOTE_SIZE,
                color="#8A5C00",
                zorder=6,
            )
    ax.set_xlim(lim)
    ax.set_ylim(lim)
    ax.set_aspect("equal", adjustable="box")
    first, last = _LEVEL_POINTS[level]
    if inst.direction == "toward":
        ax.set_xlabel(f"{first}: {_normal_words(inst)}")
    else:
        ax.set_xlabel(f"{first}: {textwrap.fill(f'{inst.label}, {inst.unit}', 40)}")
    ax.set_ylabel(f"{last}\n{_better(inst)}")
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.02, 1.0))
    who = f"{_who(condition)} ({_n(len(cc))})"
    _set_title(
        ax, f"{inst.label}: {first.lower()} against {last.lower()}, each client — {who}", reserve_in=0.9
    )
    if len(cc) and not np.isfinite(threshold):
        _footnote(
            ax,
            [f"No published test–retest reliability for {inst.label}: no reliable-change band."],
            points=40,
        )
    return ax


# ---------------------------------------------------------------------------------------
# 7. literature
# ---------------------------------------------------------------------------------------
_LIT_GROUPS = (
    ("This practice", ("practice_course", "practice_session")),
    ("Published CST arms", ("cst", "pooled_cst")),
    ("Published sham / wait-list arms", ("sham", "pooled_sham", "natural_history", "pooled_natural_history")),
    ("Other manual therapy arms (context only)", ("other_active",)),
)
_ROLE_COLOUR = {
    "practice_course": PALETTE["mean"],
    "practice_session": PALETTE["small"],
    "cst": PALETTE["cst"],
    "pooled_cst": PALETTE["cst"],
    "sham": PALETTE["sham"],
    "pooled_sham": PALETTE["sham"],
    "natural_history": PALETTE["natural_history"],
    "pooled_natural_history": PALETTE["natural_history"],
    "other_active": PALETTE["other"],
}
_ROLE_WORDS = {"sham": "sham", "natural_history": "wait-list", "other_active": "other treatment"}
_POOL_WORDS = {"pooled_cst": "CST", "pooled_sham": "sham", "pooled_natural_history": "wait-list"}


def _in_condition(values: pd.Series, condition: str) -> pd.Series:
    """Rows whose ``;``-joined condition list contains ``condition``."""
    return values.astype(str).str.split(";").map(lambda cs: condition in cs).astype(bool)


def _arm_label(r: pd.Series) -> str:
    role = str(r["role"])
    extra = []
    if _finite(r["n"]):
        extra.append(f"n = {int(r['n'])}")
    if role == "practice_course":
        name = "Course of care"
        if _finite(r["n"]) and r["n"] < SMALL_N:
            extra.append("small group")
    elif role == "practice_session":
        name = "Immediate, not comparable"
    elif role.startswith("pooled"):
        name = f"Pooled {_POOL_WORDS.get(role, '')} arms".replace("  ", " ")
        extra = [f"k = {int(r['k'])}"]
    else:
        name = str(r["source"])
        if role in ("sham", "natural_history"):
            extra.append(_ROLE_WORDS[role])
    if str(r["verification"]) == "partial":
        extra.append("partial")
    return f"{name} ({', '.join(extra)})" if extra else name


@_styled
def plot_literature_forest(
    comparison: pd.DataFrame,
    *,
    condition: str,
    measure: str | None = None,
    assumed_r: float = 0.5,
    ax: Any = None,
    **kwargs: Any,
) -> Any:
    """The practice beside published within-arm changes, on one standardized axis.

    From :func:`outcomes.compare_literature` (``part == 'benchmark'`` rows; the
    published arms at ``assumed_r``, the practice rows with their observed r).
    Row groups: this practice (the course change; the immediate session change
    greyed, hollow and marked not comparable), published CST arms, published
    sham / wait-list arms, other manual therapy arms (context only); within a
    group, the random-effects pool as a diamond when two or more arms pool,
    with its prediction interval as whiskers when three or more do. Arms with
    verification ``partial`` are hollow and say so; arms that could not be
    standardized are listed with their percent change instead of a point.
    Between-group results (``part == 'between_groups'``) are never drawn here: a
    footnote counts them (see :func:`plot_between_groups`).

    Parameters
    ----------
    comparison : DataFrame
        From :func:`outcomes.compare_literature`.
    condition : str
        A condition of the comparison (``'all'`` for the whole practice).
    measure : str, optional
        Practice measure; default the one with the most clients among those with
        published arms beside them.
    assumed_r : float, default 0.5
        Which of the comparison's assumed pre–post correlations to show.
    ax : matplotlib Axes, optional
    **kwargs
        Passed to the error bars.

    Returns
    -------
    matplotlib Axes
        Group headers are bold y tick labels.

    Raises
    ------
    ValueError
        Nothing to compare for ``condition``/``measure``, or ``assumed_r`` not
        in the comparison.
    """
    bench = comparison[
        (comparison["part"] == "benchmark") & (comparison["condition"].astype(str) == condition)
    ]
    bench = bench[bench["role"] != "verdict"]
    practice = bench[bench["role"] == "practice_course"]
    if practice.empty:
        conds = sorted(set(comparison.loc[comparison["part"] == "benchmark", "condition"].astype(str)))
        raise ValueError(
            f"No published within-arm results to compare for condition {condition!r}. "
            f"Conditions with a comparison: {', '.join(conds) or 'none'}."
        )
    if measure is None:
        measure = str(practice.sort_values(["n", "measure"], ascending=[False, True])["measure"].iloc[0])
    inst = _inst(measure)
    mine = practice[practice["measure"] == inst.key]
    if mine.empty:
        raise ValueError(
            f"{inst.label} has no published arms beside it for {condition!r}; measures that do: "
            f"{', '.join(sorted(set(practice['measure'])))}."
        )
    published = bench[(bench["source"] != "practice") & (bench["construct"] == mine["construct"].iloc[0])]
    rs = sorted(set(published["assumed_r"].dropna().astype(float)))
    published = published[np.isclose(published["assumed_r"].astype(float), assumed_r)]
    if rs and published.empty:
        raise ValueError(f"assumed_r must be one of {', '.join(f'{r:g}' for r in rs)} (got {assumed_r})")
    published = published.drop_duplicates(["role", "source"])
    session = bench[(bench["role"] == "practice_session") & (bench["measure"] == inst.key)]
    session = session[np.isfinite(session["smc"].astype(float))]
    rows = pd.concat([mine.iloc[[0]], session, published])
    rows = rows[~(rows["role"].str.startswith("pooled") & ~(rows["k"].astype(float) >= 2))]  # a pool of one
    labels: list[tuple[float, str, bool]] = []
    plan: list[tuple[float, pd.Series]] = []
    y = 0.0
    for header, roles in _LIT_GROUPS:
        part = rows[rows["role"].isin(roles)]
        if part.empty:
            continue
        labels.append((y, header, True))
        y += 1
        for _, r in part.iterrows():
            labels.append((y, _arm_label(r), False))
            plan.append((y, r))
            y += 1
        y += 0.5
    ax = _new_ax(ax, figsize=(6.5, max(3.2, 0.3 * y + 2.2)))
    marks: set[str] = set()
    for yy, r in plan:
        role = str(r["role"])
        colour = _ROLE_COLOUR.get(role, PALETTE["note"])
        partial = str(r["verification"]) == "partial"
        smc, lo, hi = r["smc"], r["smc_ci_low"], r["smc_ci_high"]
        if partial:
            marks.add("partial")
        if not _finite(smc):
            pct = r["pct_change"]
            if _finite(pct):
                text = f"{abs(pct):.0f}% {'improvement' if pct >= 0 else 'worsening'}, not standardizable"
            else:
                text = "no numbers to standardize"
            ax.text(
                0.01,
                yy,
                text,
                transform=ax.get_yaxis_transform(),
                va="center",
                fontsize=_NOTE_SIZE,
                color=PALETTE["note"],
                style="italic",
                zorder=4,
                bbox={"facecolor": "white", "edgecolor": "none", "pad": 1},
            )
        elif role.startswith("pooled"):
            ax.fill([lo, smc, hi, smc], [yy, yy - 0.3, yy, yy + 0.3], color=colour, zorder=4)
            marks.add("pool")
            if float(r["k"]) >= 3 and _finite(r["pi_low"], r["pi_high"]):
                xerr = [[smc - r["pi_low"]], [r["pi_high"] - smc]]
                ax.errorbar([smc], [yy], xerr=xerr, fmt="none", ecolor=colour, capsize=5, lw=1, zorder=3)
                marks.add("pi")
        else:
            small = role == "practice_course" and _finite(r["n"]) and r["n"] < SMALL_N
            if small:
                colour = PALETTE["small"]
                marks.add("small")
            hollow = partial or small or role == "practice_session"
            xerr = [[smc - lo], [hi - smc]] if _finite(lo, hi) else None
            style = {"fmt": "o", "ms": 7, "capsize": 3, "lw": 1.6, "zorder": 4, **kwargs}
            ax.errorbar(
                [smc],
                [yy],
                xerr=xerr,
                color=colour,
                mfc="white" if hollow else colour,
                mec=colour,
                mew=1.5,
                **style,
            )
    ax.set_yticks([t for t, _, _ in labels], [n for _, n, _ in labels])
    for tick, (_, _, bold) in zip(ax.get_yticklabels(), labels, strict=True):
        if bold:
            tick.set_fontweight("bold")
    ax.tick_params(axis="y", length=0)
    for t, _, bold in labels:
        if bold and t > 0:
            ax.axhline(t - 0.75, color=PALETTE["band"], lw=0.8, zorder=0)
    ax.set_ylim(y - 0.6, -0.7)
    ax.axvline(0, color=PALETTE["unchanged"], lw=1, zorder=1)
    left, right = ax.get_xlim()
    ax.set_xlim(min(left, -0.25), max(right, 0.5))
    ax.set_xlabel("Standardized change\n(positive = improvement)")
    _figure_title(ax, f"{_group_label(condition)}: this practice beside published studies — {inst.label}")
    notes = [f"Published arms standardized assuming a pre–post correlation of r = {assumed_r:g}."]
    words = []
    if "partial" in marks:
        words.append("“partial”: the published numbers could only partly be verified (hollow markers)")
    if "small" in marks:
        words.append("hollow grey practice row: fewer than 10 clients, read with care")
    if "pool" in marks:
        words.append(
            "diamond: random-effects pool" + ("; whiskers: prediction interval" if "pi" in marks else "")
        )
    if words:
        text = "; ".join(words)
        notes.append(text[:1].upper() + text[1:] + ".")
    between = comparison[
        (comparison["part"] == "between_groups") & _in_condition(comparison["condition"], condition)
    ]
    k_between = len(between)
    if k_between:
        notes.append(
            f"{k_between} published CST-versus-control result{'s' if k_between != 1 else ''} (differences "
            f"between groups) {'are' if k_between != 1 else 'is'} a different kind of evidence: not drawn on "
            "this axis, listed separately."
        )
    _footnote(ax, notes, points=50)
    return ax


_ESTIMATE_WORDS = {
    "smd": "standardized mean difference",
    "mean_difference": "mean difference",
    "median_difference": "median difference",
}


_ESTIMATE_SHORT = {
    "smd": "SMD",
    "mean_difference": "mean difference",
    "median_difference": "median difference",
}


def _between_label(r: pd.Series) -> str:
    """``source (n = .., partial)`` / ``CST vs comparator, estimate type, scale``."""
    extra = [f"n = {int(r['n'])}"] if _finite(r["n"]) else []
    if str(r["verification"]) == "partial":
        extra.append("partial")
    if _finite(r["estimate"]) and not _finite(r["ci_low"], r["ci_high"]):
        extra.append("no CI published")
    head = f"{r['source']} ({', '.join(extra)})" if extra else str(r["source"])
    etype = str(r["estimate_type"])
    kind = _ESTIMATE_SHORT.get(etype, etype.replace("_", " "))
    return head + "\n" + textwrap.fill(f"CST vs {r['comparator']}, {kind}, {r['measure']}", 40)


@_styled
def plot_between_groups(comparison: pd.DataFrame, *, condition: str, ax: Any = None, **kwargs: Any) -> Any:
    """Published CST-versus-control results, on their own axes (never beside a pre/post change).

    The rows of :func:`outcomes.compare_literature` with ``part ==
    'between_groups'`` for ``condition``. Results on different scales never
    share an axis: ``ax`` is split into one panel per estimate type and scale
    (all SMDs together; a mean difference in VAS mm apart from one in NRS
    points), each with its own zero line, and every row's label names the
    comparison, the estimate type and the scale ("CST vs sham, mean
    difference, VAS 0-100 mm").

    Parameters
    ----------
    comparison : DataFrame
        From :func:`outcomes.compare_literature`.
    condition : str
    ax : matplotlib Axes, optional
        Becomes the frame of the panels (its own axis is turned off).
    **kwargs
        Passed to the error bars.

    Returns
    -------
    matplotlib Axes
        ``ax.outcomes_panels`` lists the panel Axes (inset axes of ``ax``).
    """
    rows = comparison[
        (comparison["part"] == "between_groups") & _in_condition(comparison["condition"], condition)
    ]
    rows = rows.assign(_type=rows["estimate_type"].astype(str), _scale=rows["measure"].astype(str))
    groups = [g for _, g in rows.groupby(["_type", "_scale"], sort=False)]
    labels = [[_between_label(r) for _, r in g.iterrows()] for g in groups]
    row_in, gap_in = 0.62, 0.62
    plot_in = [len(g) * row_in for g in groups]
    total_in = sum(plot_in) + gap_in * len(groups)
    ax = _new_ax(ax, figsize=(6.5, max(2.2, total_in + 1.2)))
    ax.set_axis_off()
    ax.outcomes_panels = []
    _figure_title(
        ax,
        f"Published CST-versus-control results — {_group_label(condition)}: a different question from this "
        "practice's before/after changes, not comparable with them",
    )
    if not groups:
        ax.text(
            0.5,
            0.5,
            f"No published CST-versus-control results for {_group_label(condition)}.",
            transform=ax.transAxes,
            ha="center",
            va="center",
        )
        return ax
    top = 1.0
    for g, labs, h in zip(groups, labels, plot_in, strict=True):
        height = h / total_in
        panel = ax.inset_axes([0.0, top - height, 1.0, height])
        top -= (h + gap_in) / total_in
        ax.outcomes_panels.append(panel)
        for side in ("top", "right"):
            panel.spines[side].set_visible(False)
        ys = np.arange(len(g))
        for y, (_, r) in zip(ys, g.iterrows(), strict=True):
            est, lo, hi = r["estimate"], r["ci_low"], r["ci_high"]
            if not _finite(est):
                continue
            hollow = str(r["verification"]) == "partial"
            xerr = [[est - lo], [hi - est]] if _finite(lo, hi) else None
            style = {"fmt": "s", "ms": 6, "capsize": 3, "lw": 1.5, **kwargs}
            colour = PALETTE["cst"]
            panel.errorbar(
                [est], [y], xerr=xerr, color=colour, mfc="white" if hollow else colour, mec=colour, **style
            )
        panel.set_yticks(ys, labs)
        panel.tick_params(axis="y", labelsize=_NOTE_SIZE)
        panel.set_ylim(len(g) - 0.5, -0.5)
        panel.axvline(0, color=PALETTE["unchanged"], lw=1, zorder=0)
        left, right = panel.get_xlim()
        lo_x, hi_x = min(left, 0.0), max(right, 0.0)
        pad = 0.08 * max(hi_x - lo_x, 1e-9)
        panel.set_xlim(lo_x - pad, hi_x + pad)
        etype = str(g["_type"].iloc[0])
        kind = _ESTIMATE_WORDS.get(etype, etype.replace("_", " ")).capitalize()
        scale = str(g["_scale"].iloc[0])
        panel.set_xlabel(
            textwrap.fill(f"{kind}, {scale}", 60) + "\n← lower with CST          higher with CST →",
            fontsize=_NOTE_SIZE,
        )
    return ax
