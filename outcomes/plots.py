"""Figures a therapist understands at a glance.

Every function takes the data or a table from :mod:`outcomes.summary` /
:mod:`outcomes.literature`, draws on ``ax`` (a new figure when omitted) and
returns the Axes. No statistic is computed here: every number drawn comes
from ``summarize``, ``client_changes``, ``classify_change``, ``trajectory``,
``compare_literature`` or :func:`outcomes.effects.bootstrap_means`. Turning a
sign so that "improvement" points right, jittering tied points and choosing
colours are presentation.

matplotlib is imported when a function is first called, so ``import outcomes``
stays light.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from . import effects as fx
from .instruments import Instrument, default_registry
from .summary import SMALL_N, classify_change, client_changes, summarize, trajectory

__all__ = [
    "PALETTE",
    "plot_between_groups",
    "plot_change_estimation",
    "plot_condition_forest",
    "plot_jacobson_truax",
    "plot_literature_forest",
    "plot_paired",
    "plot_responders",
    "plot_trajectory",
]

#: Okabe & Ito (2008) colour-blind-safe palette.
PALETTE = {
    "improved": "#0072B2",  # blue
    "worse": "#D55E00",  # vermillion
    "unchanged": "#999999",
    "mean": "#000000",
    "accent": "#E69F00",  # orange
    "sham": "#CC79A7",  # reddish purple
    "natural_history": "#56B4E9",  # sky blue
    "other": "#009E73",  # bluish green
    "small": "#8C8C8C",
}
_SERIES = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442"]
_STYLE = {
    "font.size": 10,
    "axes.titlesize": 11,
    "axes.labelsize": 10,
    "xtick.labelsize": 9,
    "ytick.labelsize": 9,
    "legend.fontsize": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
}
_FIGSIZE = (6.5, 4.2)
#: Session averages of fewer clients than this are left out of trajectory plots.
MIN_POINT = 5
_LEVEL_POINTS = {
    "session": ("Before session", "After session"),
    "followup": ("Before session", "A few days later"),
    "course": ("First session", "Last session"),
}
_LEVEL_WORDS = {
    "session": "before and right after a session",
    "followup": "before a session and a few days later",
    "course": "from the first to the last session",
}


def _plt() -> Any:
    import matplotlib.pyplot as plt

    return plt


def _new_ax(ax: Any, figsize: tuple[float, float] = _FIGSIZE) -> Any:
    plt = _plt()
    if ax is None:
        with plt.rc_context(_STYLE):
            _, ax = plt.subplots(figsize=figsize, layout="constrained")
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    return ax


def _inst(measure: str) -> Instrument:
    return default_registry().get_instrument(measure)


def _cond_label(c: Any) -> str:
    text = str(c)
    return {"all": "All clients", "tmj": "TMJ", "stress_anxiety": "Stress / anxiety"}.get(
        text, text.replace("_", " ").capitalize()
    )


def _scale_label(inst: Instrument) -> str:
    if inst.direction == "toward":
        return f"{inst.label}\ndistance from normal tone (0 = normal; lower is better)"
    return f"{inst.label} ({inst.unit})\n{_better_text(inst)}"


def _better_text(inst: Instrument) -> str:
    return "lower is better" if inst.analysis_direction == "lower" else "higher is better"


def _small(flags: Any) -> bool:
    f = str(flags)
    return "small_n" in f or "insufficient" in f


def _suppressed(flags: Any) -> bool:
    return "suppressed" in str(flags)


def _subset(data: Any, condition: str | None) -> Any:
    if condition is None:
        return data
    frame = getattr(data, "frame", data)
    mask = frame["condition"].astype(str).str.split(";").map(lambda cs: condition in cs)
    return frame.loc[mask.to_numpy()]


def _pairs(data: Any, measure: str, condition: str | None, level: str) -> pd.DataFrame:
    changes = client_changes(_subset(data, condition), level=level, measures=[measure])
    return changes.loc[changes["paired"]].reset_index(drop=True)


def _summary_row(data: Any, measure: str, condition: str | None, level: str, **kwargs: Any) -> pd.Series:
    table = summarize(_subset(data, condition), by=None, level=level, measures=[measure], **kwargs)
    return table.iloc[0]


def _jitter(values: np.ndarray, inst: Instrument, seed: int) -> np.ndarray:
    """Small vertical offsets for tied scores on integer scales, so that overlapping lines show."""
    if values.size == 0 or not np.allclose(values, np.round(values)):
        return values
    rng = np.random.default_rng(seed)
    lo, hi = inst.analysis_range
    return values + rng.uniform(-0.012, 0.012, values.size) * (hi - lo)


def _title(inst: Instrument, level: str, condition: str | None) -> str:
    who = f"{_cond_label(condition)} clients" if condition else "all clients"
    first, last = _LEVEL_POINTS[level]
    return f"{inst.label}: {first.lower()} → {last.lower()}, {who}"


# ---------------------------------------------------------------------------------------
# 1. paired lines
# ---------------------------------------------------------------------------------------
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
    """Each client's earlier and later score as a line, coloured by improved / worse / unchanged.

    Parameters
    ----------
    data : SessionData or DataFrame
    measure : str
    condition : str, optional
        Only clients with this condition (default: all clients).
    level : {'session', 'followup', 'course'}
    ax : matplotlib Axes, optional
    seed : int
        Seed of the small jitter that separates tied scores (presentation only).
    **kwargs
        Passed to the client lines' ``LineCollection``.

    Returns
    -------
    matplotlib Axes
        ``ax.outcomes_client_lines`` is the LineCollection with one segment per client.
    """
    from matplotlib.collections import LineCollection
    from matplotlib.lines import Line2D

    inst = _inst(measure)
    ax = _new_ax(ax)
    pairs = _pairs(data, measure, condition, level)
    n = len(pairs)
    sign = inst.improvement_sign()
    improvement = sign * pairs["change"].to_numpy(dtype=float)
    colours = np.where(
        improvement > 0,
        PALETTE["improved"],
        np.where(improvement < 0, PALETTE["worse"], PALETTE["unchanged"]),
    )
    y0 = _jitter(pairs["pre"].to_numpy(dtype=float), inst, seed)
    y1 = _jitter(pairs["post"].to_numpy(dtype=float), inst, seed + 1)
    segments = np.stack([np.column_stack([np.zeros(n), y0]), np.column_stack([np.ones(n), y1])], axis=1)
    alpha = float(np.clip(12 / max(n, 1), 0.12, 0.7))
    lines = LineCollection(segments, colors=colours, alpha=alpha, linewidths=1.0, **kwargs)
    ax.add_collection(lines)
    ax.outcomes_client_lines = lines
    if n >= 1:
        row = _summary_row(data, measure, condition, level)
        ax.plot(
            [0, 1], [row["mean_pre"], row["mean_post"]], color=PALETTE["mean"], lw=3, marker="o", zorder=5
        )
        if np.isfinite(row["ci_low"]):
            # the CI of the mean change, drawn around the later mean (its uncertainty, not a spread)
            lo = row["mean_pre"] + row["ci_low"]
            hi = row["mean_pre"] + row["ci_high"]
            ax.errorbar(
                [1.04],
                [row["mean_post"]],
                yerr=[[row["mean_post"] - lo], [hi - row["mean_post"]]],
                color=PALETTE["mean"],
                capsize=4,
                lw=1.5,
                zorder=6,
            )
    lo_r, hi_r = inst.analysis_range
    pad = 0.03 * (hi_r - lo_r)
    ax.set_ylim(lo_r - pad, hi_r + pad)
    ax.set_xlim(-0.25, 1.35)
    ax.set_xticks([0, 1], _LEVEL_POINTS[level])
    ax.set_ylabel(_scale_label(inst))
    n_better = int((improvement > 0).sum())
    n_worse = int((improvement < 0).sum())
    handles = [
        Line2D([], [], color=PALETTE["improved"], label=f"improved ({n_better})"),
        Line2D([], [], color=PALETTE["worse"], label=f"worse ({n_worse})"),
        Line2D([], [], color=PALETTE["unchanged"], label=f"no change ({n - n_better - n_worse})"),
        Line2D([], [], color=PALETTE["mean"], lw=3, marker="o", label="average, 95% CI of change"),
    ]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
    title = _title(inst, level, condition) + f" (n = {n})"
    if n < SMALL_N:
        title += " — small group"
    ax.set_title(title, loc="left", wrap=True)
    return ax


# ---------------------------------------------------------------------------------------
# 2. estimation plot
# ---------------------------------------------------------------------------------------
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
    """Gardner–Altman estimation plot: the paired data, and the mean change on a floating axis.

    The right-hand axis shows the mean change, its bootstrap distribution
    (resampling clients; :func:`outcomes.effects.bootstrap_means`) and the BCa
    95% interval from :func:`outcomes.summarize`. Its zero is aligned with the
    earlier mean, so the change can be read against the data.

    Returns
    -------
    matplotlib Axes
        The main Axes; the floating one is ``ax.outcomes_delta_ax``.
    """
    inst = _inst(measure)
    plt = _plt()
    if ax is None:
        with plt.rc_context(_STYLE):
            _, ax = plt.subplots(figsize=(7.2, 4.2), layout="constrained")
    ax = plot_paired(data, measure=measure, condition=condition, level=level, ax=ax, seed=seed, **kwargs)
    ax.get_legend().remove()
    ax.set_xlim(-0.25, 1.25)
    ax.set_title(ax.get_title(loc="left"), loc="left", fontsize=10)
    pairs = _pairs(data, measure, condition, level)
    row = _summary_row(data, measure, condition, level, n_boot=n_boot, seed=seed)
    delta = ax.inset_axes([1.08, 0.0, 0.32, 1.0])
    ax.outcomes_delta_ax = delta
    lo_r, hi_r = ax.get_ylim()
    base = row["mean_pre"]
    delta.set_ylim(lo_r - base, hi_r - base)  # zero aligned with the earlier mean
    changes = pairs["change"].to_numpy(dtype=float)
    if len(changes) >= 2:
        boot = fx.bootstrap_means(changes, n_boot=n_boot, seed=seed)
        parts = delta.violinplot(boot, positions=[0], widths=0.8, showextrema=False, side="low")
        for body in parts["bodies"]:
            body.set_facecolor(PALETTE["accent"])
            body.set_alpha(0.5)
        delta.errorbar(
            [0],
            [row["mean_change"]],
            yerr=[[row["mean_change"] - row["boot_ci_low"]], [row["boot_ci_high"] - row["mean_change"]]],
            fmt="o",
            color=PALETTE["mean"],
            capsize=4,
            lw=1.8,
        )
    delta.axhline(0, color=PALETTE["unchanged"], lw=1, ls="--")
    delta.set_xlim(-0.7, 0.5)
    delta.set_xticks([0], ["Average\nchange"])
    delta.spines["top"].set_visible(False)
    delta.spines["left"].set_visible(False)
    delta.yaxis.tick_right()
    delta.yaxis.set_label_position("right")
    delta.set_ylabel(f"change ({inst.unit})")
    ci = (
        f"{row['mean_change']:+.2f} ({row['boot_ci_low']:+.2f} to {row['boot_ci_high']:+.2f})"
        if np.isfinite(row["boot_ci_low"])
        else "too few clients"
    )
    delta.set_xlabel(f"{ci}\n95% CI (bootstrap)", fontsize=8.5)
    return ax


# ---------------------------------------------------------------------------------------
# 3. forest per condition
# ---------------------------------------------------------------------------------------
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
        From :func:`outcomes.summarize` grouped by ``condition``.
    metric : {'mean_improvement', 'smc'}
        Improvement in the measure's units, or the standardized change.
    **kwargs
        Passed to the error bars.
    """
    if metric not in ("mean_improvement", "smc"):
        raise ValueError(f"metric must be 'mean_improvement' or 'smc' (got {metric!r})")
    inst = _inst(measure)
    rows = summary[(summary["measure"] == inst.key) & (summary["level"].astype(str) == level)]
    rows = rows[~rows["flags"].map(_suppressed)].sort_values("condition", ascending=False)
    ax = _new_ax(ax, figsize=(6.5, max(2.4, 0.42 * len(rows) + 1.4)))
    sign = inst.improvement_sign()
    for y, r in enumerate(rows.itertuples(index=False)):
        if metric == "mean_improvement":
            est, lo, hi = r.mean_improvement, r.improvement_ci_low, r.improvement_ci_high
        else:
            est, lo, hi = sign * r.smc, sign * r.smc_ci_low, sign * r.smc_ci_high
            lo, hi = min(lo, hi), max(lo, hi)
        small = _small(r.flags)
        colour = PALETTE["small"] if small else PALETTE["improved"]
        if np.isfinite(lo):
            ax.errorbar(
                [est], [y], xerr=[[est - lo], [hi - est]], fmt="none", ecolor=colour, capsize=3, **kwargs
            )
        ax.plot([est], [y], "o", ms=7, mfc="white" if small else colour, mec=colour, zorder=5)
        ax.annotate(
            f"n = {r.n_clients}" + (" (small)" if small else ""),
            xy=(1.01, y),
            xycoords=("axes fraction", "data"),
            va="center",
            fontsize=8.5,
            color=colour,
        )
    ax.set_yticks(range(len(rows)), [_cond_label(c) for c in rows["condition"]])
    ax.set_ylim(-0.7, len(rows) - 0.3)
    ax.axvline(0, color=PALETTE["unchanged"], lw=1)
    if metric == "mean_improvement" and inst.mcid_points is not None:
        ax.axvline(inst.mcid_points, color=PALETTE["accent"], lw=1.2, ls="--")
        ax.annotate(
            f"MCID {inst.mcid_points:g}",
            xy=(inst.mcid_points, len(rows) - 0.45),
            ha="left",
            va="bottom",
            fontsize=8.5,
            color=PALETTE["accent"],
        )
        ax.outcomes_mcid = inst.mcid_points
    else:
        ax.outcomes_mcid = None
    unit = inst.unit if metric == "mean_improvement" else "standardized change"
    ax.set_xlabel(f"← worse        Improvement ({unit}); 0 = no change        better →")
    ax.set_title(f"{inst.label}: improvement {_LEVEL_WORDS[level]}, per condition (95% CI)", loc="left")
    return ax


# ---------------------------------------------------------------------------------------
# 4. trajectory (saw-tooth)
# ---------------------------------------------------------------------------------------
def plot_trajectory(
    data: Any,
    *,
    measure: str,
    conditions: list[str] | None = None,
    individual: bool = False,
    max_session: int = 12,
    ax: Any = None,
    **kwargs: Any,
) -> Any:
    """Average score by session, before and right after each session, per condition (a saw-tooth).

    The drop within a session (solid) is the immediate relief; the dashed line
    from one session's after-score to the next session's before-score shows how
    much of it lasts. Marker size follows the number of clients, which shrinks
    as clients finish or stop. ``individual=True`` adds each client's
    before-scores as thin lines.
    """
    inst = _inst(measure)
    ax = _new_ax(ax, figsize=(7.2, 4.4))
    traj = trajectory(data, measure=measure, max_session=max_session)
    if conditions is None:
        conditions = (
            traj[traj["session"] == 1]
            .groupby("condition")["n_clients"]
            .max()
            .sort_values(ascending=False)
            .head(4)
            .index.tolist()
        )
    frame = getattr(data, "frame", data)
    for k, cond in enumerate(conditions):
        colour = _SERIES[k % len(_SERIES)]
        t = traj[traj["condition"] == cond]
        # averages of fewer than MIN_POINT clients are not drawn: they jump about and mislead
        t = t[t["n_clients"] >= MIN_POINT]
        pre = t[t["timepoint"] == "pre"].set_index("session")
        post = t[t["timepoint"] == "post"].set_index("session")
        if individual:
            sub = _subset(frame, cond)
            sub = sub[
                (sub["measure"] == inst.key) & (sub["timepoint"] == "pre") & (sub["session"] <= max_session)
            ]
            for _, g in sub.groupby("client_id"):
                ax.plot(g["session"], g["score"], color=colour, alpha=0.12, lw=0.6)
        xs, ys = [], []
        for s in sorted(set(pre.index) | set(post.index)):
            if s in pre.index:
                xs.append(s)
                ys.append(pre.loc[s, "mean"])
            if s in post.index:
                xs.append(s + 0.4)
                ys.append(post.loc[s, "mean"])
            if s in pre.index and s in post.index:
                ax.plot([s, s + 0.4], [pre.loc[s, "mean"], post.loc[s, "mean"]], color=colour, lw=1.8)
        for s in post.index:
            if s + 1 in pre.index:
                ax.plot(
                    [s + 0.4, s + 1],
                    [post.loc[s, "mean"], pre.loc[s + 1, "mean"]],
                    color=colour,
                    lw=1,
                    ls=":",
                )
        sizes = 6 + 30 * np.sqrt(pre["n_clients"] / max(pre["n_clients"].max(), 1))
        ax.scatter(
            pre.index,
            pre["mean"],
            s=sizes,
            color=colour,
            zorder=4,
            label=f"{_cond_label(cond)} (n = {int(pre['n_clients'].max()) if len(pre) else 0})",
        )
        sizes_post = 6 + 30 * np.sqrt(post["n_clients"] / max(pre["n_clients"].max() if len(pre) else 1, 1))
        ax.scatter(post.index + 0.4, post["mean"], s=sizes_post, color=colour, marker="v", zorder=4)
        band = pre[pre["n_clients"] >= 2 * MIN_POINT]
        ax.fill_between(band.index, band["ci_low"], band["ci_high"], color=colour, alpha=0.08, lw=0)
    lo, hi = (inst.min, inst.max)
    pad = 0.03 * (hi - lo)
    ax.set_ylim(lo - pad, hi + pad)
    drawn = traj.loc[traj["condition"].isin(conditions) & (traj["n_clients"] >= MIN_POINT), "session"]
    last = int(drawn.max()) if len(drawn) else max_session
    ax.set_xlim(0.6, last + 0.8)
    ax.set_xticks(range(1, last + 1))
    ax.set_xlabel("Session number (● before the session, ▼ right after)")
    better = "0 = normal tone" if inst.direction == "toward" else _better_text(inst)
    ax.set_ylabel(f"{inst.label} ({inst.unit})\n{better}")
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False, title="Condition (clients)")
    ax.set_title(f"{inst.label} session by session: immediate relief and what lasts", loc="left")
    ax.annotate(
        f"Averages of fewer than {MIN_POINT} clients are not shown; shaded: 95% CI of the before-scores.",
        xy=(0, -0.2),
        xycoords="axes fraction",
        va="top",
        fontsize=8,
        color="#555555",
    )
    return ax


# ---------------------------------------------------------------------------------------
# 5. responders
# ---------------------------------------------------------------------------------------
def plot_responders(
    summary: pd.DataFrame, *, measure: str, level: str = "course", ax: Any = None, **kwargs: Any
) -> Any:
    """Stacked bars per condition: reliably improved / no reliable change / reliably worse, and the MCID."""
    inst = _inst(measure)
    rows = summary[(summary["measure"] == inst.key) & (summary["level"].astype(str) == level)]
    rows = rows[~rows["flags"].map(_suppressed)].sort_values("condition", ascending=False)
    ax = _new_ax(ax, figsize=(7.0, max(2.4, 0.42 * len(rows) + 1.5)))
    cols = [
        ("pct_reliable_improved", "reliably improved", PALETTE["improved"]),
        ("pct_no_reliable_change", "no reliable change", "#D9D9D9"),
        ("pct_reliable_deteriorated", "reliably worse", PALETTE["worse"]),
    ]
    ys = np.arange(len(rows))
    have = rows["pct_reliable_improved"].notna().to_numpy() if len(rows) else np.array([], bool)
    left = np.zeros(len(rows))
    for col, label, colour in cols:
        vals = rows[col].fillna(0).to_numpy(dtype=float)
        ax.barh(ys, vals, left=left, color=colour, height=0.6, label=label, **kwargs)
        left += vals
    if len(rows) and rows["pct_mcid"].notna().any():
        m = rows["pct_mcid"].to_numpy(dtype=float)
        lo = rows["pct_mcid_ci_low"].to_numpy(dtype=float)
        hi = rows["pct_mcid_ci_high"].to_numpy(dtype=float)
        ok = np.isfinite(m)
        ax.errorbar(
            m[ok],
            ys[ok],
            xerr=[m[ok] - lo[ok], hi[ok] - m[ok]],
            fmt="D",
            color=PALETTE["mean"],
            mfc=PALETTE["accent"],
            ms=6,
            capsize=3,
            label="reached the MCID (95% CI)",
        )
    for y, r, ok in zip(ys, rows.itertuples(index=False), have, strict=True):
        text = f"n = {r.n_clients}" + (" (small)" if _small(r.flags) else "")
        ax.annotate(text, xy=(101, y), va="center", fontsize=8.5, annotation_clip=False)
        if not ok:
            ax.annotate(
                "no published reliability: reliable change not computed",
                xy=(2, y),
                va="center",
                fontsize=8.5,
                color=PALETTE["small"],
            )
    ax.set_yticks(ys, [_cond_label(c) for c in rows["condition"]])
    ax.set_xlim(0, 100)
    ax.set_xlabel("Clients (%)")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.18), ncol=2, frameon=False)
    ax.set_title(f"{inst.label}: who changed more than measurement error, {_LEVEL_WORDS[level]}", loc="left")
    return ax


# ---------------------------------------------------------------------------------------
# 6. Jacobson-Truax
# ---------------------------------------------------------------------------------------
def plot_jacobson_truax(
    data: Any,
    *,
    measure: str,
    condition: str | None = None,
    level: str = "course",
    ax: Any = None,
    **kwargs: Any,
) -> Any:
    """Baseline against endpoint per client, with the no-change diagonal, the reliable-change band
    (± the smallest reliable change) and the published clinical cut-off where one exists."""
    inst = _inst(measure)
    ax = _new_ax(ax, figsize=(5.6, 5.2))
    cc = classify_change(_subset(data, condition), level=level, measures=[measure])
    lo, hi = inst.analysis_range
    pad = 0.04 * (hi - lo)
    lim = (lo - pad, hi + pad)
    ax.plot(lim, lim, color=PALETTE["mean"], lw=1, label="no change")
    threshold = float(cc["rc_threshold"].iloc[0]) if len(cc) else np.nan
    if np.isfinite(threshold):
        xs = np.array(lim)
        ax.fill_between(
            xs,
            xs - threshold,
            xs + threshold,
            color="#BBBBBB",
            alpha=0.35,
            lw=0,
            label=f"within measurement error (±{threshold:.1f})",
        )
    colours = {
        "reliably_improved": PALETTE["improved"],
        "reliably_deteriorated": PALETTE["worse"],
        "no_reliable_change": PALETTE["unchanged"],
        "unknown": PALETTE["unchanged"],
    }
    names = {
        "reliably_improved": "reliably improved",
        "reliably_deteriorated": "reliably worse",
        "no_reliable_change": "no reliable change",
        "unknown": "clients (no published reliability)",
    }
    for cat, g in cc.groupby("category"):
        ax.scatter(
            g["baseline"],
            g["endpoint"],
            s=22,
            color=colours.get(str(cat), "#444444"),
            alpha=0.75,
            edgecolor="white",
            lw=0.4,
            label=f"{names.get(str(cat), cat)} ({len(g)})",
            **kwargs,
        )
    if inst.clinical_cutoff is not None and inst.direction != "toward":
        c = inst.clinical_cutoff
        ax.axvline(c, color=PALETTE["accent"], ls="--", lw=1)
        ax.axhline(c, color=PALETTE["accent"], ls="--", lw=1, label=f"clinical cut-off ({c:g})")
        good_low = inst.analysis_direction == "lower"
        ax.annotate(
            "recovered" if good_low else "",
            xy=(hi, lo),
            xytext=(-4, 4),
            textcoords="offset points",
            ha="right",
            va="bottom",
            fontsize=8.5,
            color=PALETTE["accent"],
        )
    ax.set_xlim(lim)
    ax.set_ylim(lim)
    ax.set_aspect("equal", adjustable="box")
    first, last = _LEVEL_POINTS[level]
    unit = "distance from normal" if inst.direction == "toward" else inst.unit
    ax.set_xlabel(f"{first}: {inst.label} ({unit})")
    ax.set_ylabel(f"{last} ({unit})")
    better = "below" if inst.analysis_direction == "lower" else "above"
    ax.set_title(f"{inst.label}: each client ({len(cc)}); {better} the diagonal = better", loc="left")
    ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), frameon=False)
    return ax


# ---------------------------------------------------------------------------------------
# 7. literature
# ---------------------------------------------------------------------------------------
_GROUPS = [
    ("This practice", ["practice_course", "practice_session"]),
    ("Published CST arms", ["cst", "pooled_cst"]),
    ("Published sham / wait-list arms", ["sham", "pooled_sham", "natural_history", "pooled_natural_history"]),
    ("Other manual therapy (context only)", ["other_active"]),
]
_ROLE_COLOUR = {
    "practice_course": PALETTE["mean"],
    "practice_session": PALETTE["small"],
    "cst": PALETTE["improved"],
    "pooled_cst": PALETTE["improved"],
    "sham": PALETTE["sham"],
    "pooled_sham": PALETTE["sham"],
    "natural_history": PALETTE["natural_history"],
    "pooled_natural_history": PALETTE["natural_history"],
    "other_active": PALETTE["other"],
}


def plot_literature_forest(
    comparison: pd.DataFrame,
    *,
    condition: str,
    measure: str | None = None,
    assumed_r: float = 0.5,
    ax: Any = None,
    **kwargs: Any,
) -> Any:
    """The practice beside published within-arm changes on one standardized axis.

    Rows: this practice (course change; the session change greyed and marked
    "not comparable"), published CST arms, published sham / wait-list arms,
    other manual therapy arms, and pooled diamonds with prediction intervals
    where three or more arms pool. Arms that cannot be standardized are listed
    with their percent change instead of a point. Between-group effects are
    never drawn here (see :func:`plot_between_groups`).
    """
    ax = _new_ax(ax, figsize=(7.4, 4.8))
    bench = comparison[(comparison["part"] == "benchmark") & (comparison["condition"] == condition)]
    if measure is None:  # the first practice measure that has published arms beside it
        verdicts = bench[bench["role"] == "verdict"]
        measure = str(verdicts["measure"].iloc[0]) if len(verdicts) else None
    if measure is not None:
        keep_practice = bench["source"] != "practice"
        bench = bench[keep_practice | (bench["measure"] == measure)]
        constructs = set(bench.loc[bench["source"] == "practice", "construct"])
        bench = bench[bench["construct"].isin(constructs)]
    bench = bench[(bench["assumed_r"] == assumed_r) | bench["assumed_r"].isna()]
    bench = bench[bench["role"] != "verdict"]
    # published arms repeat for every practice measure of the same construct: once is enough
    bench = bench.drop_duplicates(["role", "source", "measure", "smc", "pct_change"])
    labels, y = [], 0
    ticks = []
    text_rows = []
    for header, roles in _GROUPS:
        part = bench[bench["role"].isin(roles)]
        part = part[~((part["role"] == "practice_session") & part["smc"].isna())]
        part = part[~(part["role"].str.startswith("pooled") & (part["k"] < 2))]  # a pool of one is its arm
        if part.empty:
            continue
        labels.append((y, header))
        y -= 1
        for r in part.itertuples(index=False):
            source = "This practice" if r.source == "practice" else str(r.source)
            if r.role == "practice_course":
                name = f"course, {_inst(r.measure).label} (n = {int(r.n)})"
            elif r.role == "practice_session":
                name = "immediate (session), not comparable"
            else:
                name = source
            if r.role.startswith("pooled"):
                name = f"pooled ({int(r.k)} arm{'s' if r.k != 1 else ''})"
            if isinstance(r.verification, str) and r.verification == "partial":
                name += " (partial)"
            colour = _ROLE_COLOUR.get(r.role, "#444444")
            if not (isinstance(r.smc, float) and np.isfinite(r.smc)):
                pct = f"{r.pct_change:.0f}% change" if np.isfinite(r.pct_change) else "no numbers"
                text_rows.append((y, f"not standardizable: {pct}"))
            elif r.role.startswith("pooled"):
                xs = [r.smc_ci_low, r.smc, r.smc_ci_high, r.smc]
                ys = [y, y + 0.28, y, y - 0.28]
                ax.fill(xs, ys, color=colour, alpha=0.8)
                if np.isfinite(r.pi_low):
                    ax.plot([r.pi_low, r.pi_high], [y, y], color=colour, lw=1, ls=":")
            else:
                hollow = isinstance(r.verification, str) and r.verification == "partial"
                ax.errorbar(
                    [r.smc],
                    [y],
                    xerr=[[r.smc - r.smc_ci_low], [r.smc_ci_high - r.smc]],
                    fmt="o",
                    color=colour,
                    mfc="white" if hollow or r.role == "practice_session" else colour,
                    capsize=3,
                    ms=6,
                    **kwargs,
                )
            ticks.append((y, name))
            y -= 1
        y -= 0.4
    ax.set_yticks([t for t, _ in ticks], [n for _, n in ticks])
    for yy, header in labels:
        ax.annotate(
            header,
            xy=(0, yy),
            xycoords=("axes fraction", "data"),
            xytext=(-6, 0),
            textcoords="offset points",
            ha="right",
            va="center",
            fontweight="bold",
            fontsize=9.5,
        )
    for yy, text in text_rows:
        ax.annotate(
            text,
            xy=(0.02, yy),
            xycoords=("axes fraction", "data"),
            va="center",
            fontsize=8.5,
            color=PALETTE["small"],
            style="italic",
        )
    ax.set_ylim(y + 0.4, 0.6)
    ax.axvline(0, color=PALETTE["unchanged"], lw=1)
    ax.set_xlabel("Standardized change from start to end of care (positive = improvement)")
    n_between = int(
        (
            (comparison["part"] == "between_groups")
            & comparison["condition"].astype(str).str.split(";").map(lambda cs: condition in cs)
        ).sum()
    )
    ax.set_title(
        f"{_cond_label(condition)}: this practice beside published arms (assumed r = {assumed_r:g})",
        loc="left",
    )
    note = "Hollow: verification 'partial'. Diamonds: random-effects pool; dotted: prediction interval. "
    if n_between:
        note += (
            f"{n_between} published CST-versus-control result{'s' if n_between != 1 else ''} "
            "are a different kind of evidence and are listed separately."
        )
    ax.annotate(
        note, xy=(0, -0.16), xycoords="axes fraction", va="top", fontsize=8, color="#555555", wrap=True
    )
    return ax


def plot_between_groups(comparison: pd.DataFrame, *, condition: str, ax: Any = None, **kwargs: Any) -> Any:
    """Published CST-versus-control contrasts on their own axis (never beside a pre/post change)."""
    rows = comparison[
        (comparison["part"] == "between_groups")
        & comparison["condition"].astype(str).str.split(";").map(lambda cs: condition in cs)
    ]
    ax = _new_ax(ax, figsize=(8.0, max(2.4, 0.62 * len(rows) + 1.4)))
    ys = -np.arange(len(rows))
    names = []
    for y, r in zip(ys, rows.itertuples(index=False), strict=True):
        kind = str(r.estimate_type).replace("_", " ")
        names.append(f"{r.source}\nCST vs {r.comparator}; {kind}")
        if np.isfinite(r.estimate):
            xerr = [[r.estimate - r.ci_low], [r.ci_high - r.estimate]] if np.isfinite(r.ci_low) else None
            ax.errorbar([r.estimate], [y], xerr=xerr, fmt="s", color=PALETTE["improved"], capsize=3, **kwargs)
    ax.set_yticks(ys, names)
    ax.axvline(0, color=PALETTE["unchanged"], lw=1)
    ax.set_xlabel(
        "Difference between groups, each on its published scale\n(negative favours CST when lower is better)"
    )
    ax.set_title(
        f"Published CST-versus-control results ({_cond_label(condition)})\na different question: not "
        "comparable with this practice's changes",
        loc="left",
        fontsize=10,
    )
    return ax
