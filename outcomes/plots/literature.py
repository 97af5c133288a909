"""The practice beside published arms on one standardized axis, and published between-group results on
axes of their own.
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .._checks import one_of
from .._format import percent
from .._words import ARM_ROLE_LABELS, condition_label
from ..analysis import PracticeAnalysis
from ..instruments import InstrumentRegistry
from ..literature import LiteratureComparison
from ..summary import SMALL_N
from .style import (
    NOTE_SIZE,
    PALETTE,
    figure_title,
    finite,
    footnote,
    in_condition,
    new_ax,
    registry_of,
    styled,
)


def comparison_of(comparison: Any) -> LiteratureComparison:
    """The literature comparison a figure draws: the object itself, or an analysis' own."""
    if isinstance(comparison, PracticeAnalysis):
        return comparison.literature
    if isinstance(comparison, LiteratureComparison):
        return comparison
    raise TypeError(
        "comparison must be what outcomes.compare_literature() returns, or a PracticeAnalysis "
        f"(got {type(comparison).__name__})"
    )


def _select(table: pd.DataFrame, *, condition: str, measure: str) -> pd.DataFrame:
    return table[(table["condition"].astype(str) == condition) & (table["measure"] == measure)]


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


def _arm_label(r: pd.Series) -> str:
    role = str(r["role"])
    extra = []
    if finite(r["n"]):
        extra.append(f"n = {int(r['n'])}")
    if role == "practice_course":
        name = "Course of care"
        if finite(r["n"]) and r["n"] < SMALL_N:
            extra.append("small group")
    elif role == "practice_session":
        name = "Immediate, not comparable"
    elif role.startswith("pooled"):
        label = ARM_ROLE_LABELS[role]
        name = label[:1].upper() + label[1:]
        extra = [f"k = {int(r['k'])}"]
    else:
        name = str(r["source"])
        if role in ("sham", "natural_history"):
            extra.append(_ROLE_WORDS[role])
    if str(r["verification"]) == "partial":
        extra.append("partial")
    return f"{name} ({', '.join(extra)})" if extra else name


@styled
def plot_literature_forest(
    comparison: Any,
    *,
    condition: str,
    measure: str | None = None,
    assumed_r: float = 0.5,
    instruments: InstrumentRegistry | str | Path | None = None,
    ax: Any = None,
    **kwargs: Any,
) -> Any:
    """The practice beside published within-arm changes, on one standardized axis.

    From :func:`outcomes.compare_literature` (its ``practice``, ``arms`` and
    ``pooled`` tables; the published arms at ``assumed_r``, the practice rows
    with their observed r).
    Row groups: this practice (the course change; the immediate session change
    greyed, hollow and marked not comparable), published CST arms, published
    sham / wait-list arms, other manual therapy arms (context only); within a
    group, the random-effects pool as a diamond when two or more arms pool,
    with its prediction interval as whiskers when three or more do. Arms with
    verification ``partial`` are hollow and say so; arms that could not be
    standardized are listed with their percent change instead of a point.
    Between-group results (the ``between_groups`` table) are never drawn here: a
    footnote counts them (see :func:`plot_between_groups`).

    Parameters
    ----------
    comparison : LiteratureComparison or PracticeAnalysis
        What :func:`outcomes.compare_literature` returns, or an analysis (its
        :attr:`~outcomes.PracticeAnalysis.literature`).
    condition : str
        A condition of the comparison (``'all'`` for the whole practice).
    measure : str, optional
        Practice measure; default the one with the most clients among those with
        published arms beside them.
    assumed_r : float, default 0.5
        Which of the comparison's assumed pre–post correlations to show.
    instruments : InstrumentRegistry or path, optional
        Registry of the practice's measures (an analysis has its own).
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
    comp = comparison_of(comparison)
    registry = registry_of(comparison, instruments)
    practice = comp.practice[(comp.practice["condition"].astype(str) == condition)]
    course = practice[(practice["level"] == "course") & practice["has_comparator"]]
    if course.empty:
        conds = sorted(set(comp.practice.loc[comp.practice["has_comparator"], "condition"].astype(str)))
        raise ValueError(
            f"No published within-arm results to compare for condition {condition!r}. "
            f"Conditions with a comparison: {', '.join(conds) or 'none'}."
        )
    if measure is None:
        measure = str(course.sort_values(["n", "measure"], ascending=[False, True])["measure"].iloc[0])
    inst = registry.get_instrument(measure)
    mine = course[course["measure"] == inst.key]
    if mine.empty:
        raise ValueError(
            f"{inst.label} has no published arms beside it for {condition!r}; measures that do: "
            f"{', '.join(sorted(set(course['measure'])))}."
        )
    here = {"condition": condition, "measure": inst.key}
    arms = _select(comp.arms, **here)
    pooled = _select(comp.pooled, **here)
    rs = sorted(set(arms["assumed_r"].dropna().astype(float)))
    arms = arms[np.isclose(arms["assumed_r"].astype(float), assumed_r)].drop_duplicates(["role", "source"])
    pooled = pooled[np.isclose(pooled["assumed_r"].astype(float), assumed_r)]
    if rs and arms.empty:
        raise ValueError(f"{one_of('assumed_r', rs)} (got {assumed_r})")
    session = practice[(practice["level"] == "session") & (practice["measure"] == inst.key)]
    session = session[np.isfinite(session["smc"].astype(float))]
    rows = pd.concat(
        [
            mine.iloc[[0]].assign(role="practice_course", source="practice"),
            session.assign(role="practice_session", source="practice"),
            arms,
            pooled.assign(source="pooled"),
        ],
        ignore_index=True,
    )
    for col in ("verification", "k", "pi_low", "pi_high", "pct_change"):
        if col not in rows:
            rows[col] = np.nan
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
    ax = new_ax(ax, figsize=(6.5, max(3.2, 0.3 * y + 2.2)))
    marks: set[str] = set()
    for yy, r in plan:
        role = str(r["role"])
        colour = _ROLE_COLOUR.get(role, PALETTE["note"])
        partial = str(r["verification"]) == "partial"
        smc, lo, hi = r["smc"], r["smc_ci_low"], r["smc_ci_high"]
        if partial:
            marks.add("partial")
        if not finite(smc):
            pct = r["pct_change"]
            if finite(pct):
                direction = "improvement" if pct >= 0 else "worsening"
                text = f"{percent(abs(pct) / 100)} {direction}, not standardizable"
            else:
                text = "no numbers to standardize"
            ax.text(
                0.01,
                yy,
                text,
                transform=ax.get_yaxis_transform(),
                va="center",
                fontsize=NOTE_SIZE,
                color=PALETTE["note"],
                style="italic",
                zorder=4,
                bbox={"facecolor": "white", "edgecolor": "none", "pad": 1},
            )
        elif role.startswith("pooled"):
            ax.fill([lo, smc, hi, smc], [yy, yy - 0.3, yy, yy + 0.3], color=colour, zorder=4)
            marks.add("pool")
            if float(r["k"]) >= 3 and finite(r["pi_low"], r["pi_high"]):
                xerr = [[smc - r["pi_low"]], [r["pi_high"] - smc]]
                ax.errorbar([smc], [yy], xerr=xerr, fmt="none", ecolor=colour, capsize=5, lw=1, zorder=3)
                marks.add("pi")
        else:
            small = role == "practice_course" and finite(r["n"]) and r["n"] < SMALL_N
            if small:
                colour = PALETTE["small"]
                marks.add("small")
            hollow = partial or small or role == "practice_session"
            xerr = [[smc - lo], [hi - smc]] if finite(lo, hi) else None
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
    figure_title(ax, f"{condition_label(condition)}: this practice beside published studies — {inst.label}")
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
    between = comp.between_groups
    k_between = int(in_condition(between["condition"], condition).sum())
    if k_between:
        notes.append(
            f"{k_between} published CST-versus-control result{'s' if k_between != 1 else ''} (differences "
            f"between groups) {'are' if k_between != 1 else 'is'} a different kind of evidence: not drawn on "
            "this axis, listed separately."
        )
    footnote(ax, notes, points=50)
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
    extra = [f"n = {int(r['n'])}"] if finite(r["n"]) else []
    if str(r["verification"]) == "partial":
        extra.append("partial")
    if finite(r["estimate"]) and not finite(r["ci_low"], r["ci_high"]):
        extra.append("no CI published")
    head = f"{r['source']} ({', '.join(extra)})" if extra else str(r["source"])
    etype = str(r["estimate_type"])
    kind = _ESTIMATE_SHORT.get(etype, etype.replace("_", " "))
    return head + "\n" + textwrap.fill(f"CST vs {r['comparator']}, {kind}, {r['instrument']}", 40)


@styled
def plot_between_groups(comparison: Any, *, condition: str, ax: Any = None, **kwargs: Any) -> Any:
    """Published CST-versus-control results, on their own axes (never beside a pre/post change).

    The ``between_groups`` table of :func:`outcomes.compare_literature` for
    ``condition``. Results on different scales never
    share an axis: ``ax`` is split into one panel per estimate type and scale
    (all SMDs together; a mean difference in VAS mm apart from one in NRS
    points), each with its own zero line, and every row's label names the
    comparison, the estimate type and the scale ("CST vs sham, mean
    difference, VAS 0-100 mm").

    Parameters
    ----------
    comparison : LiteratureComparison or PracticeAnalysis
        What :func:`outcomes.compare_literature` returns, or an analysis (its
        :attr:`~outcomes.PracticeAnalysis.literature`).
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
    between = comparison_of(comparison).between_groups
    rows = between[in_condition(between["condition"], condition).to_numpy(dtype=bool)]
    rows = rows.assign(_type=rows["estimate_type"].astype(str), _scale=rows["instrument"].astype(str))
    groups = [g for _, g in rows.groupby(["_type", "_scale"], sort=False)]
    labels = [[_between_label(r) for _, r in g.iterrows()] for g in groups]
    row_in, gap_in = 0.62, 0.62
    plot_in = [len(g) * row_in for g in groups]
    total_in = sum(plot_in) + gap_in * len(groups)
    ax = new_ax(ax, figsize=(6.5, max(2.2, total_in + 1.2)))
    ax.set_axis_off()
    ax.outcomes_panels = []
    figure_title(
        ax,
        f"Published CST-versus-control results — {condition_label(condition)}: a different question "
        "from this practice's before/after changes, not comparable with them",
    )
    if not groups:
        ax.text(
            0.5,
            0.5,
            f"No published CST-versus-control results for {condition_label(condition)}.",
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
            if not finite(est):
                continue
            hollow = str(r["verification"]) == "partial"
            xerr = [[est - lo], [hi - est]] if finite(lo, hi) else None
            style = {"fmt": "s", "ms": 6, "capsize": 3, "lw": 1.5, **kwargs}
            colour = PALETTE["cst"]
            panel.errorbar(
                [est], [y], xerr=xerr, color=colour, mfc="white" if hollow else colour, mec=colour, **style
            )
        panel.set_yticks(ys, labs)
        panel.tick_params(axis="y", labelsize=NOTE_SIZE)
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
            fontsize=NOTE_SIZE,
        )
    return ax
