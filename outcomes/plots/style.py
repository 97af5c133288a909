"""The look every figure shares: palette, fonts, axis labels and limits from the instrument, titles and
footnotes.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Sequence
from functools import wraps
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .._sentences import measure_with_unit
from ..analysis import PracticeAnalysis
from ..instruments import Instrument, InstrumentRegistry, registry_for

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


NOTE_SIZE = 9


def _plt() -> Any:
    import matplotlib.pyplot as plt

    return plt


def styled(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Draw inside ``rc_context(STYLE)`` so every figure has the same look."""

    @wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with _plt().rc_context(STYLE):
            return fn(*args, **kwargs)

    return wrapper


def new_ax(ax: Any, figsize: tuple[float, float] = FIGSIZE) -> Any:
    if ax is None:
        _, ax = _plt().subplots(figsize=figsize, layout="constrained")
    ax.spines["top"].set_visible(False)
    ax.spines["right"].set_visible(False)
    return ax


def better_words(inst: Instrument) -> str:
    return "lower is better ↓" if inst.analysis_direction == "lower" else "higher is better ↑"


def normal_words(inst: Instrument) -> str:
    what = "normal tone" if inst.construct == "tone" else "normal"
    return f"distance from {what} ({inst.target:g} = normal)"


def scale_label(inst: Instrument, width: int = 36) -> str:
    """Axis label of a score on the analysis scale: label, unit and which way is better."""
    if inst.direction == "toward":
        return f"{textwrap.fill(inst.label, width)}\n{normal_words(inst)}\n{better_words(inst)}"
    return f"{textwrap.fill(measure_with_unit(inst.label, inst.unit), width)}\n{better_words(inst)}"


def score_limits(inst: Instrument, analysis: bool = True) -> tuple[float, float]:
    lo, hi = inst.analysis_range if analysis else (inst.min, inst.max)
    pad = PAD * (hi - lo)
    return lo - pad, hi + pad


def set_title(ax: Any, text: str, *, reserve_in: float = 1.3) -> None:
    """Left-aligned title wrapped to the figure's width."""
    width_in = max(ax.figure.get_figwidth() - reserve_in, 2.5)
    chars = int(width_in * 72 / (STYLE["axes.titlesize"] * 0.55))
    ax.set_title(textwrap.fill(text, chars), loc="left")


def figure_title(ax: Any, text: str) -> None:
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


def legend_below(ax: Any, handles: list[Any], *, inches: float, ncols: int, **kw: Any) -> Any:
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


def n_label(n: Any) -> str:
    """``n = 36`` with non-breaking spaces, so that wrapping never splits it."""
    return f"n\u00a0=\u00a0{int(n)}"


def _flags(value: Any) -> set[str]:
    return set(value.split(";")) if isinstance(value, str) and value else set()


def is_small(flags: Any) -> bool:
    return bool(_flags(flags) & {"small_n", "insufficient"})


def is_suppressed(flags: Any) -> bool:
    return "suppressed" in _flags(flags)


def finite(*values: Any) -> bool:
    try:
        return all(np.isfinite(float(v)) for v in values)
    except (TypeError, ValueError):
        return False


def footnote(ax: Any, lines: Sequence[str], *, points: float) -> Any:
    """A note ``points`` below the bottom of ``ax``, starting at the figure's left edge and
    wrapped to the figure's width (so long notes never push the axes out of the figure)."""
    chars = int((ax.figure.get_figwidth() - 0.3) * 72 / (NOTE_SIZE * 0.56))
    text = "\n".join(textwrap.fill(line, chars) for line in lines if line)
    return ax.annotate(
        text,
        xy=(0.015, 0),
        xycoords=("figure fraction", "axes fraction"),
        xytext=(0, -points),
        textcoords="offset points",
        ha="left",
        va="top",
        fontsize=NOTE_SIZE,
        color=PALETTE["note"],
        annotation_clip=False,
    )


def direction_xlabel(text: str, left: str = "← worse", right: str = "better →") -> str:
    """An x label with the direction words at both ends."""
    return f"{left}      {text}      {right}"


def text_width_in(labels: Sequence[str], fontsize: float = STYLE["ytick.labelsize"]) -> float:
    """Rough width in inches of the longest line of ``labels`` (to wrap titles beside them)."""
    longest = max((len(line) for lab in labels for line in str(lab).split("\n")), default=0)
    return longest * fontsize * 0.56 / 72


def rgb(colour: str) -> tuple[float, float, float]:
    from matplotlib.colors import to_rgb

    return to_rgb(colour)


def table_of(
    summary: Any, level: str, instruments: InstrumentRegistry | str | Path | None
) -> tuple[pd.DataFrame, InstrumentRegistry]:
    """The summary table a figure draws, and the registry to read it with.

    An analysis gives its table at ``level`` (each group, then the whole practice
    as ``'all'``) and its own registry; a DataFrame from :func:`outcomes.summarize`
    is drawn as it is, with ``instruments`` (default registry when omitted).
    """
    if isinstance(summary, PracticeAnalysis):
        return summary.table(level), registry_of(summary, instruments)
    if not isinstance(summary, pd.DataFrame):
        raise TypeError(
            "summary must be a PracticeAnalysis or a table from outcomes.summarize(), "
            f"not {type(summary).__name__}"
        )
    return summary, registry_of(summary, instruments)


def labels_of(source: Any) -> dict[str, str]:
    """The export's spelling of each condition (``CBT``) of an analysis or data; none for a bare table."""
    data = source.data if isinstance(source, PracticeAnalysis) else source
    return dict(getattr(data, "condition_labels", None) or {})


def registry_of(source: Any, instruments: InstrumentRegistry | str | Path | None) -> InstrumentRegistry:
    """The registry of what a figure was given: an analysis' own, else ``instruments`` or the default.

    Raises
    ------
    TypeError
        An analysis together with ``instruments`` (the analysis has its registry).
    """
    if isinstance(source, PracticeAnalysis):
        if instruments is not None:
            raise TypeError("instruments belong to the analysis: pass them to outcomes.analyze()")
        return source.registry
    return registry_for(None, instruments)


def in_condition(values: pd.Series, condition: str) -> pd.Series:
    """Rows whose ``;``-joined condition list contains ``condition``."""
    return values.astype(str).str.split(";").map(lambda cs: condition in cs).astype(bool)
