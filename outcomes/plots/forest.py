"""Change per condition for one measure: a forest plot of the summary table."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from .._checks import check_argument
from .._words import ALL, LEVEL_WORDS, attribute_phrase, condition_label
from ..instruments import Instrument, InstrumentRegistry
from ..summary import LEVELS
from .style import (
    NOTE_SIZE,
    PALETTE,
    direction_xlabel,
    finite,
    footnote,
    is_small,
    is_suppressed,
    labels_of,
    new_ax,
    set_title,
    styled,
    table_of,
    text_width_in,
)


def summary_rows(summary: pd.DataFrame, inst: Instrument, level: str) -> tuple[pd.DataFrame, int, list[str]]:
    """Rows of one measure and level without the suppressed ones, how many were suppressed, and the
    group-key columns (every column before ``measure``)."""
    missing = [c for c in ("measure", "level", "flags", "n_clients") if c not in summary.columns]
    if missing:
        raise ValueError(
            f"summary must be a table from outcomes.summarize(); it has no column {', '.join(missing)}"
        )
    keys = list(summary.columns[: summary.columns.get_loc("measure")])
    rows = summary[(summary["measure"] == inst.key) & (summary["level"].astype(str) == level)]
    suppressed = rows["flags"].map(is_suppressed).to_numpy(dtype=bool)
    rows = rows.loc[~suppressed].reset_index(drop=True)
    if keys:  # a whole-practice row ("all") goes last
        is_all = (rows[keys[0]].astype(str) == ALL).to_numpy()
        rows = pd.concat([rows[~is_all], rows[is_all]], ignore_index=True)
    return rows, int(suppressed.sum()), keys


def row_label(row: pd.Series, keys: list[str], labels: Mapping[str, str] | None = None) -> str:
    """A row's group as its tick label: a condition in words (or as the export spells it, from
    ``labels``), any other attribute as exported."""
    if not keys or str(row[keys[0]]) == ALL:
        return condition_label(ALL)
    return ", ".join(condition_label(row[k], labels) if k == "condition" else str(row[k]) for k in keys)


def by_words(keys: list[str]) -> str:
    """``by condition``, ``by technique``, ``by condition and site`` (empty for the whole practice)."""
    return f", by {' and '.join(attribute_phrase(k) for k in keys)}" if keys else ""


def suppressed_note(k: int) -> str:
    return f"{k} group{'s' if k != 1 else ''} not shown: too few clients to report (suppressed)."


@styled
def plot_condition_forest(
    summary: pd.DataFrame,
    *,
    measure: str,
    level: str = "course",
    metric: str = "mean_improvement",
    instruments: InstrumentRegistry | str | Path | None = None,
    ax: Any = None,
    **kwargs: Any,
) -> Any:
    """Improvement with its 95% CI per condition for one measure, n on each row, the MCID line.

    Parameters
    ----------
    summary : PracticeAnalysis or DataFrame
        An analysis (its table: each condition, then all clients), or a table
        from :func:`outcomes.summarize` (grouped by ``condition`` or another
        column; a whole-practice row ``'all'`` goes last). Rows whose ``flags``
        contain ``suppressed`` are not drawn; a footnote counts them.
    measure : str
    level : {'session', 'followup', 'course'}, default 'course'
    metric : {'mean_improvement', 'smc'}
        ``mean_improvement`` with ``improvement_ci_low``/``improvement_ci_high``
        in the measure's units, with the published MCID (column ``mcid``) as a
        dashed line when known; or the standardized mean change ``smc`` with
        ``smc_ci_low``/``smc_ci_high``, turned so that positive is improvement.
    instruments : InstrumentRegistry or path, optional
        For a DataFrame: the registry of its measures (an analysis has its own).
    ax : matplotlib Axes, optional
    **kwargs
        Passed to the error bars.

    Returns
    -------
    matplotlib Axes
        One y tick per drawn row; ``ax.outcomes_mcid`` is the MCID drawn (or None).
    """
    check_argument("metric", ("mean_improvement", "smc"), metric)
    check_argument("level", LEVELS, level)
    table, registry = table_of(summary, level, instruments)
    inst = registry.get_instrument(measure)
    rows, n_suppressed, keys = summary_rows(table, inst, level)
    k = len(rows)
    ax = new_ax(ax, figsize=(6.5, max(2.8, 0.34 * k + 1.9)))
    sign = inst.improvement_sign()
    labels = [row_label(r, keys, labels_of(summary)) for _, r in rows.iterrows()]
    for y, r in rows.iterrows():
        if metric == "mean_improvement":
            est, lo, hi = r["mean_improvement"], r["improvement_ci_low"], r["improvement_ci_high"]
        else:  # smc is signed as the change: turn it so that positive is improvement
            est, lo, hi = sign * r["smc"], sign * r["smc_ci_low"], sign * r["smc_ci_high"]
            lo, hi = min(lo, hi), max(lo, hi)
        small = is_small(r["flags"])
        whole = bool(keys) and str(r[keys[0]]) == "all"  # the whole practice: black, set apart
        colour = PALETTE["small"] if small else (PALETTE["mean"] if whole else PALETTE["improved"])
        if whole and y > 0:
            ax.axhline(y - 0.5, color=PALETTE["band"], lw=0.8, zorder=0)
        if finite(est, lo, hi):
            style = {"fmt": "none", "ecolor": colour, "capsize": 3, "lw": 1.6, **kwargs}
            ax.errorbar([est], [y], xerr=[[est - lo], [hi - est]], **style)
        if finite(est):
            ax.plot([est], [y], "o", ms=7, mfc="white" if small else colour, mec=colour, mew=1.5, zorder=5)
        else:
            ax.text(
                0.02,
                y,
                "no client with a complete pair",
                transform=ax.get_yaxis_transform(),
                va="center",
                fontsize=NOTE_SIZE,
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
            fontsize=NOTE_SIZE,
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
            m, -0.75, f" MCID {m:g} {inst.unit}", ha="left", va="center", fontsize=NOTE_SIZE, color="#A66F00"
        )
        ax.outcomes_mcid = m
    left, right = ax.get_xlim()
    span = max(abs(left), abs(right), 1e-9)
    ax.set_xlim(min(left, -0.15 * span), max(right, 0.15 * span))
    reserve = text_width_in(labels) + 1.2
    if metric == "mean_improvement":
        what = "distance from normal" if inst.direction == "toward" else inst.unit
        ax.set_xlabel(direction_xlabel(f"average improvement ({what}), 95% CI"))
        set_title(ax, f"{inst.label}: {LEVEL_WORDS[level].change}{by_words(keys)}", reserve_in=reserve)
    else:
        ax.set_xlabel(direction_xlabel("standardized change, 95% CI"))
        set_title(
            ax, f"{inst.label}: standardized {LEVEL_WORDS[level].change}{by_words(keys)}", reserve_in=reserve
        )
    notes = ["0 = no change. Hollow grey: fewer than 10 clients, read with care."]
    if metric == "mean_improvement" and not len(mcid):
        notes.append(f"No published MCID for {inst.label}.")
    if n_suppressed:
        notes.append(suppressed_note(n_suppressed))
    footnote(ax, notes, points=36)
    return ax
