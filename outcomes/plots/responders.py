"""Who changed by more than measurement error: stacked reliable-change bars per condition, and the
Jacobson–Truax scatter.
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .._checks import check_argument
from .._format import number
from .._sentences import measure_with_unit
from .._words import ALL, LEVEL_WORDS, who
from ..analysis import as_analysis
from ..instruments import InstrumentRegistry
from ..summary import LEVELS
from .forest import row_label, summary_rows, suppressed_note
from .style import (
    NOTE_SIZE,
    PALETTE,
    better_words,
    footnote,
    in_condition,
    is_small,
    labels_of,
    legend_below,
    n_label,
    new_ax,
    normal_words,
    score_limits,
    set_title,
    styled,
    table_of,
    text_width_in,
)

_RC_COLUMNS = (
    ("pct_reliable_improved", "reliably improved", PALETTE["improved"]),
    ("pct_no_reliable_change", "no reliable change", PALETTE["band"]),
    ("pct_reliable_deteriorated", "reliably worse", PALETTE["worse"]),
)


@styled
def plot_responders(
    summary: Any,
    *,
    measure: str,
    level: str = "course",
    instruments: InstrumentRegistry | str | Path | None = None,
    ax: Any = None,
    **kwargs: Any,
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
    summary : PracticeAnalysis or DataFrame
        An analysis (its table: each condition, then all clients), or a table
        from :func:`outcomes.summarize`.
    measure : str
    level : {'session', 'followup', 'course'}, default 'course'
    instruments : InstrumentRegistry or path, optional
        For a DataFrame: the registry of its measures (an analysis has its own).
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

    check_argument("level", LEVELS, level)
    table, registry = table_of(summary, level, instruments)
    inst = registry.get_instrument(measure)
    rows, n_suppressed, keys = summary_rows(table, inst, level)
    k = len(rows)
    have_rc = rows["pct_reliable_improved"].notna().to_numpy() if k else np.zeros(0, bool)
    have_mcid = bool(k) and bool(rows["pct_mcid"].notna().any())
    labels = [row_label(r, keys, labels_of(summary)) for _, r in rows.iterrows()]
    if k and not have_rc.any() and not have_mcid:  # nothing to draw: say why, in a small figure
        ax = new_ax(ax, figsize=(6.5, 2.0))
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
        set_title(ax, f"{inst.label}: who changed by more than measurement error", reserve_in=0.4)
        return ax
    ax = new_ax(ax, figsize=(6.5, max(2.8, 0.36 * k + 2.2)))
    ys = np.arange(k)
    small = rows["flags"].map(is_small).to_numpy(dtype=bool) if k else np.zeros(0, bool)
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
            fontsize=NOTE_SIZE,
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
                fontsize=NOTE_SIZE,
                color=PALETTE["small"],
                style="italic",
            )
    if small.any():
        notes.append("Pale bars, hollow diamonds: fewer than 10 clients.")
    if not have_mcid:
        notes.append(f"No published MCID for {inst.label}.")
    if n_suppressed:
        notes.append(suppressed_note(n_suppressed))
    ax.set_yticks(ys, labels)
    ax.set_ylim(k - 0.5, -0.5)
    ax.set_xlim(0, 100)
    ax.set_xlabel("Share of clients (%)")
    legend_below(ax, handles, inches=0.5, ncols=2)
    set_title(
        ax,
        f"{inst.label}: who changed by more than measurement error ({LEVEL_WORDS[level].change})",
        reserve_in=text_width_in(labels) + 1.2,
    )
    if notes:
        rows_of_legend = (len(handles) + 1) // 2
        footnote(ax, [" ".join(notes)], points=0.5 * 72 + 8 + 16 * rows_of_legend)
    return ax


_JT_NAMES = {
    "reliably_improved": ("reliably improved", PALETTE["improved"]),
    "no_reliable_change": ("no reliable change", PALETTE["unchanged"]),
    "reliably_deteriorated": ("reliably worse", PALETTE["worse"]),
    "unknown": ("clients", PALETTE["unchanged"]),
}


@styled
def plot_jacobson_truax(
    data: Any,
    *,
    measure: str,
    condition: str | None = None,
    level: str = "course",
    seed: int | None = None,
    n_boot: int | None = None,
    instruments: InstrumentRegistry | str | Path | None = None,
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
    data : PracticeAnalysis, SessionData or DataFrame
        An analysis (:func:`outcomes.analyze`), or data to analyse first.
    measure : str
    condition : str, optional
        Only clients with this condition.
    level : {'session', 'followup', 'course'}, default 'course'
    seed, n_boot, instruments : optional
        For data that are not an analysis yet (see :func:`plot_paired`).
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

    check_argument("level", LEVELS, level)
    analysis = as_analysis(data, seed=seed, n_boot=n_boot, instruments=instruments)
    inst = analysis.registry.get_instrument(measure)
    ax = new_ax(ax, figsize=(6.5, 4.5))
    cc = analysis.classify_change(level)
    cc = cc[cc["measure"] == inst.key].reset_index(drop=True)
    if condition is not None and condition != ALL:
        member = in_condition(cc["condition"], condition)
        if not member.any():
            raise ValueError(f"No client with condition {condition!r} has a {level} pair of {inst.label}.")
        cc = cc[member.to_numpy()]
    lim = score_limits(inst)
    better_side = "below" if inst.analysis_direction == "lower" else "above"
    handles: list[Any] = []
    ax.plot(lim, lim, color="black", lw=1, zorder=2)
    handles.append(Line2D([], [], color="black", lw=1, label=f"no change\n({better_side} = better)"))
    threshold = float(cc["rc_threshold"].iloc[0]) if len(cc) else np.nan
    if np.isfinite(threshold):
        xs = np.array(lim)
        ax.fill_between(xs, xs - threshold, xs + threshold, color=PALETTE["band"], alpha=0.7, lw=0, zorder=1)
        handles.append(Patch(color=PALETTE["band"], label=f"measurement error\n(± {number(threshold)})"))
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
                fontsize=NOTE_SIZE,
                color="#8A5C00",
                zorder=6,
            )
    ax.set_xlim(lim)
    ax.set_ylim(lim)
    ax.set_aspect("equal", adjustable="box")
    first, last = LEVEL_WORDS[level].points
    if inst.direction == "toward":
        ax.set_xlabel(f"{first}: {normal_words(inst)}")
    else:
        ax.set_xlabel(f"{first}: {textwrap.fill(measure_with_unit(inst.label, inst.unit), 40)}")
    ax.set_ylabel(f"{last}\n{better_words(inst)}")
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.02, 1.0))
    whose = f"{who(condition)} ({n_label(len(cc))})"
    set_title(
        ax, f"{inst.label}: {first.lower()} against {last.lower()}, each client — {whose}", reserve_in=0.9
    )
    if len(cc) and not np.isfinite(threshold):
        footnote(
            ax,
            [f"No published test–retest reliability for {inst.label}: no reliable-change band."],
            points=40,
        )
    return ax
