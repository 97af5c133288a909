"""Per-group effect summaries: tidy DataFrames, one row per group x measure x level.

The three levels of change of the methods contract, never mixed in one number:

``session``
    ``pre`` -> ``post`` of the same session: the immediate effect of a session.
``followup``
    ``pre`` -> ``followup`` of the same session: does it hold a few days later?
``course``
    the first session's ``pre`` -> the last session's ``pre`` (clients with at
    least two sessions): lasting change over the course of care.

Inference is at the client level. A client's session-level changes are
averaged first, so a client seen ten times weighs the same as a client seen
once; every ``n`` in a CI or test is a number of clients, and the number of
sessions is reported beside it.
"""

from __future__ import annotations

import itertools
import math
import os
import warnings
import zlib
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from scipy import stats

from . import effects as fx
from ._progress import progress_bar
from .errors import SchemaError
from .instruments import Instrument, InstrumentRegistry, default_registry
from .schema import (
    CANONICAL_COLUMNS,
    TIMEPOINT_DTYPE,
    TIMEPOINTS,
    split_condition_codes,
    split_conditions,
    validate_sessions,
)

if TYPE_CHECKING:
    from tqdm import tqdm

__all__ = [
    "LEVELS",
    "SMALL_N",
    "classify_change",
    "client_changes",
    "summarize",
    "summarize_ratings",
    "trajectory",
]

LEVELS = ("session", "followup", "course")
#: Groups with fewer clients than this are flagged ``small_n`` (never hidden here).
SMALL_N = 10
#: Share of clients at a bound of the scale that flags a floor or ceiling (Terwee et al. 2007).
FLOOR_CEILING_SHARE = 0.15
#: Absolute skewness of the client changes above which the t-based results are flagged.
SKEW_LIMIT = 1.0

#: Relative tolerance for comparisons of client means with published thresholds.
_TOL = 1e-9
#: An SD below this fraction of the largest absolute score is treated as zero (as in effects).
_ZERO_SD = 1e-12
_LATER = {"session": "post", "followup": "followup", "course": "pre"}
_CATEGORIES = ("reliably_improved", "no_reliable_change", "reliably_deteriorated")
#: Summary column of each Jacobson-Truax category (column names as the methods contract gives them).
_CATEGORY_COLUMNS = dict(
    zip(
        _CATEGORIES,
        ("pct_reliable_improved", "pct_no_reliable_change", "pct_reliable_deteriorated"),
        strict=True,
    )
)


# ---------------------------------------------------------------------------------------
# Input handling
# ---------------------------------------------------------------------------------------
def _frame_of(data: Any, instruments: InstrumentRegistry | None) -> pd.DataFrame:
    """The canonical frame of a SessionData or a DataFrame (validated when it is raw)."""
    frame = getattr(data, "frame", data)
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"data must be what read_sessions returns or a DataFrame, not {type(data).__name__}")
    if frame is data:  # a user's DataFrame: hold it to the contract first
        frame = validate_sessions(frame, instruments=instruments)
    return frame


def _as_list(value: str | Sequence[str] | None, name: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    out = list(value)
    if not all(isinstance(v, str) for v in out):
        raise TypeError(f"{name} must be a column name or a list of column names")
    return out


def _levels(level: str | Sequence[str]) -> list[str]:
    levels = _as_list(level, "level")
    bad = [lv for lv in levels if lv not in LEVELS]
    if bad or not levels:
        raise ValueError(f"level must be one of {', '.join(LEVELS)} or a list of them (got {level!r})")
    return levels


def _check_by(frame: pd.DataFrame, by: list[str]) -> None:
    missing = [c for c in by if c not in frame.columns]
    if missing:
        known = [
            c for c in frame.columns if c not in ("client_id", "session", "timepoint", "measure", "score")
        ]
        raise SchemaError(
            f"Cannot group by {', '.join(repr(m) for m in missing)}: no such column. "
            f"Columns available for grouping: {', '.join(known)}.",
            failure_cases=_frame_failure(
                missing, "missing_column", ["no such column to group by"] * len(missing)
            ),
        )


def _categorical(values: pd.Series) -> pd.Categorical:
    """``values`` as a Categorical with sorted categories; an existing Categorical is kept."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        return values.array
    codes, uniques = pd.factorize(values, sort=True)
    return pd.Categorical.from_codes(codes, categories=uniques)


def _prepare(
    frame: pd.DataFrame, by: list[str], measures: list[str] | None, registry: InstrumentRegistry, kind: str
) -> pd.DataFrame:
    """Select measures of ``kind``, explode conditions, map scores onto the analysis scale."""
    _check_by(frame, by)
    reserved = [c for c in by if c in ("measure", "client_id", "session", "timepoint", "score")]
    if reserved:
        raise ValueError(
            f"by must name attribute columns (condition, technique, ...), not {', '.join(reserved)}"
        )
    # Work on integer codes from here on: each key column is factorized once (sorted, so that
    # groups come out in the order of their labels) and the kept rows are gathered as small
    # numeric arrays. No string column of the source is copied; every reshape and groupby
    # after this works on small integers instead of re-hashing strings.
    keys = {c: _categorical(frame[c]) for c in dict.fromkeys(("client_id", "measure", "condition", *by))}
    measures_cat = keys["measure"]
    present = [str(m) for m in measures_cat.categories]
    if measures is not None:
        wanted = [registry.get_instrument(m).key for m in measures]
        present = [m for m in present if m in wanted]
    keep = np.isin(measures_cat.categories, [m for m in present if registry[m].kind == kind])
    kept = keep[measures_cat.codes] & (measures_cat.codes >= 0)
    if "condition" in by:
        positions, condition = split_condition_codes(frame["condition"])
        on = kept[positions]
        positions, keys["condition"] = positions[on], condition[on]
    else:
        positions = np.flatnonzero(kept)
    columns: dict[str, Any] = {}
    for col in (*CANONICAL_COLUMNS, *by):
        if col == "condition" and "condition" in by:
            columns[col] = keys[col]
        elif col in keys:
            columns[col] = keys[col].take(positions)
        else:
            columns[col] = frame[col].array.take(positions)
    out = pd.DataFrame(columns)
    for col in keys:  # labels of the kept rows only, as a plain astype("category") would give
        if col in out and not isinstance(frame[col].dtype, pd.CategoricalDtype):
            codes = out[col].cat.codes.to_numpy()
            used = np.bincount(codes[codes >= 0], minlength=len(out[col].cat.categories))
            if not used.all():  # (checking is much cheaper than removing nothing)
                out[col] = out[col].cat.remove_unused_categories()
    if kind == "score":
        categories = out["measure"].cat.categories
        targets = np.array(
            [
                registry[str(m)].target if registry[str(m)].direction == "toward" else np.nan
                for m in categories
            ],
            dtype=float,
        )
        target = targets[out["measure"].cat.codes.to_numpy()]
        is_toward = ~np.isnan(target)
        if is_toward.any():
            score = out["score"].to_numpy(dtype=float, copy=True)
            score[is_toward] = np.abs(score[is_toward] - target[is_toward])
            out["score"] = score
    return out


# ---------------------------------------------------------------------------------------
# Client-level pairs
# ---------------------------------------------------------------------------------------
def client_changes(
    data: Any,
    *,
    level: str = "session",
    by: str | Sequence[str] | None = None,
    measures: Sequence[str] | None = None,
    instruments: InstrumentRegistry | None = None,
) -> pd.DataFrame:
    """One row per group x measure x client: the client's earlier and later score.

    This is the client-level table every statistic of :func:`summarize` is
    computed from.

    Parameters
    ----------
    data : SessionData or DataFrame
        What :func:`outcomes.read_sessions` returns, or a canonical frame.
    level : {'session', 'followup', 'course'}
        Which pair of timepoints.
    by : str or list of str, optional
        Attribute columns to group by; ``condition`` counts a client with two
        conditions in each.
    measures : list of str, optional
        Measures to keep (default: all score measures present).
    instruments : InstrumentRegistry, optional
        Registry (default registry when omitted).

    Returns
    -------
    DataFrame
        Group keys, then ``measure``, ``client_id``, ``pre`` (the client's
        earlier score on the analysis scale: the mean over paired sessions at
        the ``session``/``followup`` levels, the first session's ``pre`` at
        ``course``), ``post`` (the later score likewise), ``change`` (post − pre),
        ``n_sessions`` (sessions paired, or sessions with a ``pre`` spanned by
        the course), ``n_sessions_unpaired`` (sessions with only one score of
        the pair), ``immediate_change`` and ``followup_change_same_sessions``
        (``followup`` level only: the mean pre -> post and pre -> follow-up
        changes over the sessions that have all three scores, for the retention
        ratio), and ``paired`` (False for a client who has
        scores at this level but no complete pair; ``pre``/``post`` are then NaN).
        Scores of ``toward`` measures are distances to their target.
    """
    registry = instruments if instruments is not None else default_registry()
    if level not in LEVELS:
        raise ValueError(f"level must be one of {', '.join(LEVELS)} (got {level!r})")
    by_cols = _as_list(by, "by")
    frame = _prepare(
        _frame_of(data, instruments), by_cols, _as_list(measures, "measures") or None, registry, kind="score"
    )
    return _client_level(frame, by_cols, level)


def _key_codes(values: pd.Series) -> tuple[np.ndarray, int]:
    """Codes of a key column (a missing label coded after every label, as pandas sorts NaN groups
    last) and the number of codes."""
    cat = _categorical(values)
    k = len(cat.categories)
    codes = cat.codes.astype(np.int64)
    codes[codes < 0] = k
    return codes, k + 1


def _lex_combine(codes: list[np.ndarray], sizes: list[int]) -> np.ndarray:
    """One int64 per row that sorts as the tuples of ``codes`` sort (lexicographically).

    Mixed radix; when the product of the sizes would overflow, the tuples so far are
    renumbered densely first (``np.unique`` keeps their order).
    """
    acc = np.zeros(len(codes[0]), dtype=np.int64)
    span = 1
    for c, size in zip(codes, sizes, strict=True):
        if span * size >= 2**62:
            _, acc = np.unique(acc, return_inverse=True)
            span = int(acc.max()) + 1 if acc.size else 1
        acc = acc * size + c
        span *= size
    return acc


def _run_starts(columns: Sequence[np.ndarray]) -> np.ndarray:
    """True where a run of equal tuples begins, in arrays sorted on those tuples."""
    starts = np.zeros(len(columns[0]), dtype=bool)
    starts[:1] = True
    for values in columns:
        starts[1:] |= values[1:] != values[:-1]
    return starts


def _frame_failure(columns: list[str], check: str, messages: list[str]) -> pd.DataFrame:
    """``failure_cases`` of a problem of the whole frame (no file, row or value to point at)."""
    return pd.DataFrame(
        {"file": None, "row": None, "column": columns, "value": None, "check": check, "message": messages}
    )


@dataclass(frozen=True)
class _Sessions:
    """One unit per group x measure x client x session, in key order, with its three scores.

    ``codes`` hold each key column's codes per client (one entry per distinct
    ``(*by, measure, client_id)``, sorted; a missing label is coded ``len(categories)``),
    ``group`` the client of each unit (non-decreasing) and ``scores`` the unit's pre, post and
    follow-up score (NaN when absent).
    """

    keys: tuple[str, ...]
    dtypes: tuple[pd.CategoricalDtype, ...]
    codes: tuple[np.ndarray, ...]
    group: np.ndarray
    scores: np.ndarray

    @property
    def n_groups(self) -> int:
        return len(self.codes[0])


def _sessions_wide(frame: pd.DataFrame, by: list[str]) -> _Sessions:
    """Scatter the rows of ``frame`` (from :func:`_prepare`) into one unit per client x session."""
    keys = [*by, "measure", "client_id"]
    coded = [_key_codes(frame[c]) for c in keys]
    session, _ = pd.factorize(frame["session"], sort=True, use_na_sentinel=False)
    unit = _lex_combine(
        [*(c for c, _ in coded), session], [*(k for _, k in coded), int(session.max(initial=0)) + 1]
    )
    order = np.argsort(unit, kind="stable")
    in_order = unit[order]
    starts = _run_starts([in_order])
    unit_of = np.cumsum(starts) - 1  # the unit of each row, in sorted order
    first = order[starts]  # one source row per unit
    unit_codes = [c[first] for c, _ in coded]
    new_group = _run_starts(unit_codes)
    timepoint = frame["timepoint"].array
    if timepoint.dtype != TIMEPOINT_DTYPE:
        timepoint = pd.Categorical(timepoint, dtype=TIMEPOINT_DTYPE)
    tp = timepoint.codes[order]
    ok = tp >= 0
    cell = unit_of[ok] * len(TIMEPOINTS) + tp[ok]
    repeated = int(np.count_nonzero(np.bincount(cell) > 1)) if cell.size else 0
    if repeated:  # only a frame that skipped validation can get here
        raise SchemaError(
            f"{repeated} client x session x timepoint x measure "
            f"{'cell has' if repeated == 1 else 'cells have'} more than one score. Check the frame "
            "with outcomes.validate_sessions(), which lists the rows, and keep one score per cell.",
            failure_cases=_frame_failure(
                ["client_id, session, timepoint, measure"],
                "duplicate",
                [f"{repeated} cells with more than one score"],
            ),
        )
    scores = np.full((len(first), len(TIMEPOINTS)), np.nan)
    scores[unit_of[ok], tp[ok]] = frame["score"].to_numpy(dtype=float)[order[ok]]
    return _Sessions(
        keys=tuple(keys),
        dtypes=tuple(_categorical(frame[c]).dtype for c in keys),
        codes=tuple(c[new_group] for c in unit_codes),
        group=np.cumsum(new_group) - 1,
        scores=scores,
    )


@dataclass(frozen=True)
class _Pairs:
    """The client-level pairs at one level as arrays, in key order (:func:`client_changes` as a frame).

    ``codes`` as in :class:`_Sessions`, one entry per client of a group; ``values`` the
    columns after the keys, in the order :func:`client_changes` documents.
    """

    keys: tuple[str, ...]
    dtypes: tuple[pd.CategoricalDtype, ...]
    codes: tuple[np.ndarray, ...]
    values: dict[str, np.ndarray]

    def frame(self) -> pd.DataFrame:
        """The pairs as a DataFrame: key columns as Categoricals of their source dtype, then ``values``."""
        columns: dict[str, Any] = {}
        for key, dtype, codes in zip(self.keys, self.dtypes, self.codes, strict=True):
            columns[key] = pd.Categorical.from_codes(
                np.where(codes < len(dtype.categories), codes, -1), dtype=dtype
            )
        return pd.DataFrame({**columns, **self.values})

    def table_rows(self) -> list[tuple[tuple[Any, ...], int, slice]]:
        """One entry per row of a summary (all keys but ``client_id``): its labels, the measure's
        code and the slice of its clients."""
        n = len(self.codes[0])
        bounds = [*np.flatnonzero(_run_starts(self.codes[:-1])).tolist(), n]
        out = []
        for a, b in itertools.pairwise(bounds):
            labels = tuple(
                dtype.categories[codes[a]] if codes[a] < len(dtype.categories) else np.nan
                for dtype, codes in zip(self.dtypes[:-1], self.codes[:-1], strict=True)
            )
            out.append((labels, int(self.codes[-2][a]), slice(a, b)))
        return out

    def baseline_sd(self) -> pd.Series:
        """SD (ddof=1) of the baseline per measure code, each paired client counted once."""
        paired = self.values["paired"]
        measure, client = self.codes[-2][paired], self.codes[-1][paired]
        sizes = [len(d.categories) + 1 for d in self.dtypes[-2:]]
        # a client in several groups counts once: their first row in table order
        _, first = np.unique(_lex_combine([measure, client], sizes), return_index=True)
        first.sort()
        return pd.Series(self.values["pre"][paired][first]).groupby(measure[first]).std(ddof=1)


def _pairs(wide: _Sessions, level: str) -> _Pairs:
    """Each client's earlier and later score at ``level``, from the scores of their sessions."""
    group, n_groups = wide.group, wide.n_groups
    pre, post, followup = wide.scores.T
    has_pre = ~np.isnan(pre)

    def count(units: np.ndarray) -> np.ndarray:
        return np.bincount(group[units], minlength=n_groups)

    def mean(values: np.ndarray, units: np.ndarray) -> np.ndarray:
        # pandas' grouped mean sums with Kahan compensation: a client's mean of 0.1, 0.2 and 0.3
        # comes out as 0.2 to the last digit, which a plain sum does not give
        out = np.full(n_groups, np.nan)
        at = np.flatnonzero(units)
        if at.size:
            means = pd.Series(values[at]).groupby(group[at], sort=False).mean()
            out[means.index.to_numpy()] = means.to_numpy()
        return out

    extra: dict[str, np.ndarray] = {}
    if level in ("session", "followup"):
        # a client belongs to the session level with any pre or post score, to the follow-up
        # level only with a follow-up score (follow-ups are optional, a missing one is no gap)
        later = post if level == "session" else followup
        has_later = ~np.isnan(later)
        complete = has_pre & has_later
        in_level = has_pre | has_later if level == "session" else has_later
        n_sessions = count(complete)
        seen = count(in_level) > 0
        paired = n_sessions > 0
        earlier, later_mean = mean(pre, complete), mean(later, complete)
        unpaired_sessions = count(in_level & ~complete)
        if level == "followup":
            # retention compares follow-up and immediate change over the SAME sessions: those
            # with pre, post and follow-up
            trio = complete & ~np.isnan(post)
            extra["immediate_change"] = mean(post - pre, trio)
            extra["followup_change_same_sessions"] = mean(followup - pre, trio)
    else:
        # the first and the last session with a pre score (units are in session order)
        units = np.flatnonzero(has_pre)
        n_pre = np.bincount(group[units], minlength=n_groups)
        seen, paired = n_pre > 0, n_pre >= 2
        bounds = np.searchsorted(group[units], np.arange(n_groups + 1))  # group j: bounds[j]:bounds[j + 1]
        earlier, later_mean = np.full(n_groups, np.nan), np.full(n_groups, np.nan)
        earlier[paired] = pre[units[bounds[:-1][paired]]]
        later_mean[paired] = pre[units[bounds[1:][paired] - 1]]
        n_sessions = np.where(paired, n_pre, 0)
        unpaired_sessions = np.zeros(n_groups, dtype=np.int64)
    keep = np.flatnonzero(seen)
    values = {
        "pre": earlier[keep],
        "post": later_mean[keep],
        "change": later_mean[keep] - earlier[keep],
        "n_sessions": n_sessions[keep].astype(np.int64),
        "n_sessions_unpaired": unpaired_sessions[keep].astype(np.int64),
        **{k: v[keep] for k, v in extra.items()},
        "paired": paired[keep],
    }
    return _Pairs(wide.keys, wide.dtypes, tuple(c[keep] for c in wide.codes), values)


def _client_level(frame: pd.DataFrame, by: list[str], level: str) -> pd.DataFrame:
    """Client-level pairs at ``level`` as the frame :func:`client_changes` returns."""
    return _pairs(_sessions_wide(frame, by), level).frame()


# ---------------------------------------------------------------------------------------
# Reliable change and MCID, per client
# ---------------------------------------------------------------------------------------
def _mcid_reached(inst: Instrument, pre: np.ndarray, improvement: np.ndarray) -> tuple[np.ndarray, float]:
    """Per client: did the improvement reach the MCID? Uses points when published, else percent."""
    # client means of session changes carry floating-point noise (2.0 can come out 1.9999999999999998):
    # compare with a tolerance far below any meaningful difference
    if inst.mcid_points is not None:
        return improvement >= inst.mcid_points - _TOL * max(1.0, inst.mcid_points), float(inst.mcid_points)
    if inst.mcid_percent is not None:
        with np.errstate(divide="ignore", invalid="ignore"):
            pct = 100.0 * improvement / np.abs(pre)
        return pct >= inst.mcid_percent - _TOL * 100, np.nan
    return np.full(pre.shape, False), np.nan


def _in_clinical_range(inst: Instrument, scores: np.ndarray) -> np.ndarray:
    c = float("nan") if inst.clinical_cutoff is None else inst.clinical_cutoff
    ops = {">": np.greater, ">=": np.greater_equal, "<": np.less, "<=": np.less_equal}
    return ops[inst.cutoff_rule](scores, c)


# ---------------------------------------------------------------------------------------
# summarize
# ---------------------------------------------------------------------------------------
def _key_text(value: Any) -> str:
    """A group key as text that does not depend on its dtype (2025, 2025.0 and "2025" agree)."""
    if isinstance(value, (float, np.floating)) and float(value).is_integer():
        return str(int(value))
    return str(value)


def _group_seed(seed: int | None, key: tuple[Any, ...]) -> np.random.Generator:
    """A generator per table row, stable across runs and independent of the other rows."""
    if seed is None:
        return np.random.default_rng()
    text = "\x1f".join(_key_text(k) for k in key)
    return np.random.default_rng([int(seed), zlib.crc32(text.encode("utf-8"))])


def _retention(sub: dict[str, np.ndarray]) -> float:
    """Mean follow-up change / mean immediate change, over the sessions that have both."""
    both = sub["paired"] & ~np.isnan(sub["immediate_change"])
    if not both.any():
        return np.nan
    imm = sub["immediate_change"][both].mean()
    held = sub["followup_change_same_sessions"][both].mean()
    return float(held / imm) if np.isfinite(imm) and imm != 0 else np.nan


def _row_stats(
    sub: dict[str, np.ndarray],
    inst: Instrument,
    level: str,
    *,
    confidence: float,
    sd_baseline: float,
) -> dict[str, Any]:
    paired = sub["paired"]
    pre = sub["pre"][paired]
    post = sub["post"][paired]
    change = post - pre
    n = len(pre)
    sign = inst.improvement_sign()
    lo_scale, hi_scale = inst.analysis_range
    row: dict[str, Any] = {
        "n_clients": n,
        "n_sessions": int(sub["n_sessions"][paired].sum()),
        "n_clients_unpaired": int((~paired).sum()),
        "n_sessions_unpaired": int(sub["n_sessions_unpaired"].sum()),
        "mean_pre": pre.mean() if n else np.nan,
        "sd_pre": pre.std(ddof=1) if n > 1 else np.nan,
        "mean_post": post.mean() if n else np.nan,
        "sd_post": post.std(ddof=1) if n > 1 else np.nan,
        "mean_change": change.mean() if n else np.nan,
        "sd_change": change.std(ddof=1) if n > 1 else np.nan,
        "median_change": float(np.median(change)) if n else np.nan,
    }
    flags: list[str] = []
    nan_keys = (
        "ci_low",
        "ci_high",
        "boot_ci_low",
        "boot_ci_high",
        "d_z",
        "g_av",
        "smc",
        "smc_ci_low",
        "smc_ci_high",
        "r_pre_post",
        "p_ttest",
        "p_wilcoxon",
    )
    row.update(dict.fromkeys(nan_keys, np.nan))
    if n < 2:
        flags.append("insufficient")
    else:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            est = fx.mean_change(pre, post, confidence=confidence)
            row["ci_low"], row["ci_high"] = est.ci_low, est.ci_high
            row["d_z"] = fx.cohens_dz(pre, post)
            row["g_av"] = fx.hedges_g_av(pre, post)
            smc = fx.standardized_mean_change(pre, post, confidence=confidence)
            row["smc"], row["smc_ci_low"], row["smc_ci_high"] = smc.value, smc.ci_low, smc.ci_high
            scale = max(1.0, float(np.max(np.abs(np.concatenate([pre, post])))))
            if pre.std() > _ZERO_SD * scale and post.std() > _ZERO_SD * scale:
                row["r_pre_post"] = float(np.corrcoef(pre, post)[0, 1])
            row["p_ttest"] = fx.paired_ttest(pre, post).pvalue
            row["p_wilcoxon"] = fx.wilcoxon_signed_rank(pre, post).pvalue
        if n < SMALL_N:
            flags.append("small_n")
        if np.isnan(row["d_z"]):  # effects returns NaN exactly when the SD of the changes is zero
            flags.append("zero_variance")
        elif n >= 3:
            dev = change - change.mean()
            skew = np.mean(dev**3) / np.mean(dev**2) ** 1.5
            if abs(skew) > SKEW_LIMIT:
                flags.append("skewed")
    if n:
        bounds = np.concatenate([pre, post])
        if np.mean(bounds == lo_scale) >= FLOOR_CEILING_SHARE:
            flags.append("floor")
        if np.mean(bounds == hi_scale) >= FLOOR_CEILING_SHARE:
            flags.append("ceiling")
    improvement = sign * change
    row["mean_improvement"] = sign * row["mean_change"]
    ci = sorted((sign * row["ci_low"], sign * row["ci_high"]))
    row["improvement_ci_low"], row["improvement_ci_high"] = ci

    # MCID
    reached, mcid = _mcid_reached(inst, pre, improvement)
    row["mcid"] = mcid if inst.mcid_points is not None else np.nan
    row["mcid_percent"] = inst.mcid_percent if inst.mcid_points is None and inst.mcid_percent else np.nan
    if inst.has_mcid and n:
        k = int(reached.sum())
        row["pct_mcid"] = 100.0 * k / n
        lo, hi = fx.wilson_interval(k, n, confidence=confidence)
        row["pct_mcid_ci_low"], row["pct_mcid_ci_high"] = 100.0 * lo, 100.0 * hi
    else:
        row["pct_mcid"] = row["pct_mcid_ci_low"] = row["pct_mcid_ci_high"] = np.nan

    # Jacobson-Truax
    for cat in _CATEGORIES:
        row[_CATEGORY_COLUMNS[cat]] = np.nan
    row["pct_recovered"] = np.nan
    row["n_clinical_baseline"] = np.nan
    # Jacobson-Truax assumes one baseline and one endpoint measurement per client: course level only
    if (
        level == "course"
        and inst.test_retest is not None
        and n
        and np.isfinite(sd_baseline)
        and sd_baseline > 0
    ):
        cats = fx.classify_reliable_change(
            pre,
            post,
            sd_baseline=sd_baseline,
            reliability=inst.test_retest,
            improvement_sign=sign,
            confidence=confidence,
        )
        for cat in _CATEGORIES:
            row[_CATEGORY_COLUMNS[cat]] = 100.0 * float(np.mean(cats == cat))
        if inst.clinical_cutoff is not None and inst.direction != "toward":
            clinical_pre = _in_clinical_range(inst, pre)
            recovered = clinical_pre & ~_in_clinical_range(inst, post) & (cats == "reliably_improved")
            n_clin = int(clinical_pre.sum())
            row["n_clinical_baseline"] = n_clin
            row["pct_recovered"] = 100.0 * recovered.sum() / n_clin if n_clin else np.nan
    row["flags"] = ";".join(flags)
    return row


_COLUMNS = [
    "measure",
    "level",
    "scale",
    "n_clients",
    "n_sessions",
    "n_clients_unpaired",
    "n_sessions_unpaired",
    "mean_pre",
    "sd_pre",
    "mean_post",
    "sd_post",
    "mean_change",
    "sd_change",
    "median_change",
    "ci_low",
    "ci_high",
    "boot_ci_low",
    "boot_ci_high",
    "mean_improvement",
    "improvement_ci_low",
    "improvement_ci_high",
    "d_z",
    "g_av",
    "smc",
    "smc_ci_low",
    "smc_ci_high",
    "r_pre_post",
    "p_ttest",
    "p_wilcoxon",
    "p_holm",
    "mcid",
    "mcid_percent",
    "pct_mcid",
    "pct_mcid_ci_low",
    "pct_mcid_ci_high",
    "pct_reliable_improved",
    "pct_no_reliable_change",
    "pct_reliable_deteriorated",
    "n_clinical_baseline",
    "pct_recovered",
    "retention",
    "confidence",
    "flags",
]


def summarize(
    data: Any,
    *,
    by: str | Sequence[str] | None = "condition",
    level: str | Sequence[str] = "session",
    measures: Sequence[str] | None = None,
    confidence: float = 0.95,
    n_boot: int = 2000,
    seed: int | np.random.Generator | None = 0,
    instruments: InstrumentRegistry | None = None,
    progress: bool | None = None,
    workers: int | None = None,
) -> pd.DataFrame:
    """Effect summaries per group x measure x level.

    Parameters
    ----------
    data : SessionData or DataFrame
        What :func:`outcomes.read_sessions` returns, or a canonical long frame
        (validated first).
    by : str or list of str or None, default 'condition'
        Attribute column(s) to group by; ``None`` or ``[]`` for the whole
        practice. With ``condition``, a client with several conditions
        counts in each.
    level : {'session', 'followup', 'course'} or list of them
        Which change to summarise (see the module docstring).
    measures : list of str, optional
        Measures to summarise (registry keys or aliases); default all score
        measures present. Ratings of change such as PGIC are summarised by
        :func:`summarize_ratings` instead.
    confidence : float, default 0.95
        Confidence level of every interval.
    n_boot : int, default 2000
        Bootstrap resamples of clients.
    seed : int, numpy.random.Generator or None, default 0
        Seed of the bootstrap. Each row draws from its own stream derived from
        the seed and the row's keys, so rows do not depend on each other. A
        Generator is asked for one integer, which then serves as the seed.
    instruments : InstrumentRegistry, optional
        Registry (default registry when omitted).
    progress : bool or None, default None
        Show a progress bar over the table rows (each with its bootstrap).
        ``None``: only in a notebook or terminal, and only once the call has
        run for a second; silent in tests, CI and pipes (see
        :func:`outcomes.set_progress`).
    workers : int or None, default None
        Threads that compute the bootstrap intervals side by side: ``None``
        uses every core this process may use (its CPU affinity, capped by a
        container's CPU quota), ``1`` computes them one after another. With an
        integer ``seed`` the table is the same for any number of threads (each
        row draws from its own stream). Pass ``1`` when ``summarize`` itself
        runs in parallel workers (joblib, dask, multiprocessing), so that the
        threads do not outnumber the cores.

    Returns
    -------
    DataFrame
        One row per group x measure x level (a measure absent from a group
        gives no row), ``RangeIndex``, no rounding. Columns:

        - group keys (the ``by`` columns), ``measure``, ``level``;
        - ``scale``: ``score``, or ``distance_to_target`` for tone scales whose
          normal value is a target (every statistic below is then on the distance);
        - ``n_clients``: clients with a complete pair (the ``n`` of every CI and
          test); ``n_sessions``: sessions behind those pairs;
          ``n_clients_unpaired``: clients with scores at this level but no
          complete pair (not analysed, counted here); ``n_sessions_unpaired``:
          sessions with only one of the two scores of the pair (a ``pre``
          without its ``post``, a follow-up without its ``pre``), of any client
          of the group, left out and counted here (0 at the ``course`` level);
        - ``mean_pre``, ``sd_pre``, ``mean_post``, ``sd_post``: client-level
          means and SDs (ddof=1) of the earlier and later score (``post`` is
          the follow-up at the ``followup`` level and the last session's
          ``pre`` at the ``course`` level);
        - ``mean_change``, ``sd_change``, ``median_change``: of post − pre;
        - ``ci_low``, ``ci_high``: t interval of the mean change (df = n − 1);
        - ``boot_ci_low``, ``boot_ci_high``: BCa bootstrap interval of the mean
          change, resampling clients;
        - ``mean_improvement``, ``improvement_ci_low``, ``improvement_ci_high``:
          the mean change and its t interval with the sign turned so that
          positive means better;
        - ``d_z`` (mean change / SD of changes), ``g_av`` (mean change / mean
          of the two SDs, Hedges-corrected), ``smc`` (Becker's standardized
          mean change, change / SD_pre, Hedges-corrected) with ``smc_ci_low``,
          ``smc_ci_high``, and ``r_pre_post`` (the pre–post correlation it uses);
          all signed as the change;
        - ``p_ttest`` (paired t), ``p_wilcoxon`` (signed-rank, zeros dropped as
          in R), ``p_holm`` (Holm adjustment of ``p_ttest`` across all rows of
          this table);
        - ``mcid`` (points; NaN when none is published), ``mcid_percent``
          (used when only a percentage is published), ``pct_mcid`` with
          ``pct_mcid_ci_low``/``pct_mcid_ci_high`` (Wilson): share of clients
          whose improvement reached the MCID, in percent;
        - ``pct_reliable_improved``, ``pct_no_reliable_change``,
          ``pct_reliable_deteriorated``: Jacobson–Truax categories (percent of
          clients), using the registry's test–retest reliability and the SD of
          the baseline across all clients of the measure at this level; NaN when
          the reliability is unknown;
        - ``n_clinical_baseline``, ``pct_recovered``: clients starting in the
          clinical range of a published cut-off, and the percentage of them who
          ended outside it with a reliable improvement;
        - ``retention``: ``followup`` level only, mean follow-up change / mean
          immediate change over the sessions that have both;
        - ``confidence``; ``flags``: ``;``-joined warnings: ``insufficient``
          (fewer than 2 clients: statistics NaN), ``small_n`` (fewer than 10),
          ``zero_variance``, ``skewed`` (|skewness of changes| > 1: prefer the
          bootstrap interval and the Wilcoxon p), ``floor``/``ceiling`` (at
          least 15% of scores at a bound of the scale).

    Raises
    ------
    SchemaError
        A raw DataFrame that breaks the data contract, a ``by`` column that
        does not exist, or a frame that repeats a client x session x
        timepoint x measure cell.
    UnknownInstrumentError
        A measure in ``measures`` that is not in the registry.
    ValueError
        ``level`` not one of the three levels, ``by`` naming a canonical
        column, a rating of change in ``measures``, ``confidence`` outside
        (0, 1), ``n_boot`` below 100, or ``workers`` not a positive integer.

    See Also
    --------
    client_changes : the client-level table behind every number.
    classify_change : per-client reliable change and MCID.

    Notes
    -----
    Formulas and references: ``docs/methods.md``.

    Examples
    --------
    >>> import outcomes as oc
    >>> from outcomes.synthetic import generate_practice
    >>> table = oc.summarize(generate_practice(n_clients=60, seed=1), level=["session", "course"])
    >>> table.loc[0, ["condition", "measure", "level"]].tolist()  # doctest: +SKIP
    ['back_pain', 'pain_nrs', 'session']
    """
    registry = instruments if instruments is not None else default_registry()
    if isinstance(seed, np.random.Generator):  # one draw fixes the base seed of every row's stream
        seed = int(seed.integers(2**63))
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be between 0 and 1 (got {confidence})")
    if int(n_boot) < 100:
        raise ValueError(f"n_boot must be at least 100 (got {n_boot})")
    n_workers = _workers(workers)
    by_cols = _as_list(by, "by")
    levels = _levels(level)
    measure_list = _as_list(measures, "measures") or None
    if measure_list:
        ratings = [m for m in measure_list if registry.get_instrument(m).kind == "global_change"]
        if ratings:
            raise ValueError(
                f"{', '.join(ratings)} is a rating of change asked after treatment, not a score before and "
                "after: summarise it with outcomes.summarize_ratings()."
            )
    frame = _prepare(_frame_of(data, instruments), by_cols, measure_list, registry, kind="score")

    rows: list[dict[str, Any]] = []
    boot_jobs: list[tuple[int, np.ndarray, np.random.Generator]] = []  # (row, client changes, stream)
    wide = _sessions_wide(frame, by_cols)  # one reshape serves every level
    per_level = {lv: _pairs(wide, lv) for lv in levels}
    del wide
    table_rows = {lv: pairs.table_rows() for lv, pairs in per_level.items()}
    with progress_bar(
        sum(len(r) for r in table_rows.values()), "summarize", unit="row", enabled=progress
    ) as bar:  # closed even when a row fails or the user interrupts
        for lv in levels:
            pairs = per_level[lv]
            bar.set_postfix_str(f"{lv} level", refresh=False)
            # SD of the baseline across all clients of a measure: the same for every group, so that a
            # client's reliable-change category does not depend on how the table is sliced.
            sd_base = pairs.baseline_sd()
            for key, measure_code, at in table_rows[lv]:
                measure = key[-1]
                inst = registry[str(measure)]
                sub = {name: values[at] for name, values in pairs.values.items()}
                stats = _row_stats(
                    sub,
                    inst,
                    lv,
                    confidence=confidence,
                    sd_baseline=float(sd_base.get(measure_code, np.nan)),
                )
                stats["retention"] = _retention(sub) if lv == "followup" else np.nan
                if stats["n_clients"] >= 2:
                    change = sub["post"][sub["paired"]] - sub["pre"][sub["paired"]]
                    boot_jobs.append((len(rows), change, _group_seed(seed, (*key, lv))))
                else:
                    bar.update()
                rows.append(
                    {
                        **dict(zip(by_cols, key[:-1], strict=True)),
                        "measure": measure,
                        "level": lv,
                        "scale": inst.analysis_scale,
                        **stats,
                        "confidence": confidence,
                    }
                )
        bar.set_postfix_str("bootstrap", refresh=False)
        for i, (low, high) in _bootstrap_rows(boot_jobs, int(n_boot), confidence, n_workers, bar):
            rows[i]["boot_ci_low"], rows[i]["boot_ci_high"] = low, high
    table = pd.DataFrame(rows, columns=[*by_cols, *_COLUMNS])
    table["p_holm"] = _holm(table["p_ttest"].to_numpy(dtype=float))
    table["level"] = pd.Categorical(table["level"], categories=list(LEVELS), ordered=True)
    for col in ("n_clients", "n_sessions", "n_clients_unpaired", "n_sessions_unpaired"):
        table[col] = table[col].astype("int64")
    return table


def _usable_cores() -> int:
    """Cores this process may run on: its CPU affinity, capped by a container's CPU quota."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    try:  # cgroup v2 quota ("max 100000" when there is none), which the affinity does not show
        quota, period = Path("/sys/fs/cgroup/cpu.max").read_text().split()[:2]
        if quota != "max":
            cores = min(cores, math.ceil(int(quota) / int(period)))
    except (OSError, ValueError):
        pass
    return max(1, cores)


def _workers(workers: int | None) -> int:
    """Threads for the bootstrap: ``None`` gives the cores this process may use."""
    if workers is None:
        return _usable_cores()
    if isinstance(workers, bool) or not isinstance(workers, (int, np.integer)) or workers < 1:
        raise ValueError(f"workers must be a positive integer or None (got {workers!r})")
    return int(workers)


def _bootstrap_rows(
    jobs: list[tuple[int, np.ndarray, np.random.Generator]],
    n_boot: int,
    confidence: float,
    workers: int,
    bar: tqdm,
) -> Iterator[tuple[int, tuple[float, float]]]:
    """BCa bootstrap interval of each job's mean change: ``(row, (low, high))`` as they finish.

    Each row draws from its own generator, so the intervals do not depend on the number of
    threads or the order in which they finish. numpy releases the GIL while it draws, gathers
    and sums, so threads run the resamples of different rows side by side. The progress bar
    is only touched from the calling thread.
    """

    def one(job: tuple[int, np.ndarray, np.random.Generator]) -> tuple[int, tuple[float, float]]:
        i, change, rng = job
        with np.errstate(all="ignore"):  # per thread, unlike warnings.catch_warnings
            est = fx.bootstrap_mean_ci(change, n_boot=n_boot, confidence=confidence, seed=rng, method="bca")
        return i, (est.ci_low, est.ci_high)

    # largest groups first, so that no thread is left with a big one at the end
    jobs = sorted(jobs, key=lambda job: -len(job[1]))
    if workers == 1 or len(jobs) < 2:
        for job in jobs:
            result = one(job)
            bar.update()
            yield result
        return
    pool = ThreadPoolExecutor(max_workers=min(workers, len(jobs)))
    try:
        for future in as_completed([pool.submit(one, job) for job in jobs]):
            bar.update()
            yield future.result()
    finally:  # also on an error or an interrupt: rows not yet started are dropped
        pool.shutdown(wait=True, cancel_futures=True)


def _holm(p: np.ndarray) -> np.ndarray:
    """Holm step-down adjustment over the finite p-values (statsmodels ``multipletests``)."""
    from statsmodels.stats.multitest import multipletests

    out = np.full(p.shape, np.nan)
    ok = np.isfinite(p)
    if ok.any():
        out[ok] = multipletests(p[ok], method="holm")[1]
    return out


# ---------------------------------------------------------------------------------------
# classify_change
# ---------------------------------------------------------------------------------------
def classify_change(
    data: Any,
    *,
    level: str = "course",
    measures: Sequence[str] | None = None,
    confidence: float = 0.95,
    instruments: InstrumentRegistry | None = None,
) -> pd.DataFrame:
    """One row per client x measure: baseline, endpoint, change and its categories.

    For drilling into a summary: who improved reliably, who reached the MCID.

    Parameters
    ----------
    data : SessionData or DataFrame
        What :func:`outcomes.read_sessions` returns, or a canonical frame.
    level : {'session', 'followup', 'course'}, default 'course'
        Which pair of timepoints (see :func:`summarize`). Reliable change is
        defined at the ``course`` level only (one baseline and one endpoint per
        client, as Jacobson & Truax assume); elsewhere ``rci`` is NaN and
        ``category`` is ``not_applicable``.
    measures : list of str, optional
        Measures to keep (registry keys or aliases); default every score measure.
    confidence : float, default 0.95
        Level of the reliable change threshold (z = 1.96 for 0.95).
    instruments : InstrumentRegistry, optional
        Registry (default registry when omitted).

    Returns
    -------
    DataFrame
        ``client_id``, ``condition`` (the client's conditions, ``;``-joined),
        ``measure``, ``level``, ``scale``, ``baseline``, ``endpoint``
        (client-level earlier and later score on the analysis scale),
        ``change`` (endpoint − baseline), ``improvement`` (change signed so that
        positive is better), ``n_sessions``, ``rci`` (Jacobson–Truax reliable
        change index, NaN without a published reliability), ``rc_threshold``
        (the smallest change in points that counts as reliable,
        z · SD_baseline · √(2(1 − r_xx)), the same for every client of a
        measure; SD_baseline over all clients of the measure), ``category``
        (``reliably_improved``, ``no_reliable_change``, ``reliably_deteriorated``,
        ``unknown`` without a published reliability, ``not_applicable`` below the
        course level), ``reached_mcid`` (bool; NA when the measure has no
        published MCID). Only clients with a complete pair at this level.

    Raises
    ------
    ValueError
        For an unknown ``level``.
    UnknownInstrumentError
        For a measure not in the registry.

    References
    ----------
    Jacobson NS, Truax P. Clinical significance: a statistical approach to defining
    meaningful change in psychotherapy research. J Consult Clin Psychol 1991;59(1):12-19.
    doi:10.1037/0022-006X.59.1.12

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"client_id": ["A"] * 4, "session": [1, 1, 2, 2],
    ...                    "timepoint": ["pre", "post"] * 2, "measure": "pain_nrs",
    ...                    "score": [7, 5, 4, 3], "condition": "tmj"})
    >>> classify_change(df)[["baseline", "endpoint", "improvement", "reached_mcid"]]
       baseline  endpoint  improvement  reached_mcid
    0       7.0       4.0          3.0          True
    """
    registry = instruments if instruments is not None else default_registry()
    if level not in LEVELS:
        raise ValueError(f"level must be one of {', '.join(LEVELS)} (got {level!r})")
    frame = _prepare(
        _frame_of(data, instruments), [], _as_list(measures, "measures") or None, registry, kind="score"
    )
    clients = _client_level(frame, [], level)
    clients = clients.loc[clients["paired"]].reset_index(drop=True)
    cond = frame.groupby("client_id", observed=True)["condition"].agg(
        lambda s: ";".join(sorted({c for v in pd.unique(s) for c in str(v).split(";")}))
    )
    parts = []
    for measure, sub in clients.groupby("measure", sort=True, observed=True):
        inst = registry[str(measure)]
        pre, post = sub["pre"].to_numpy(float), sub["post"].to_numpy(float)
        sign = inst.improvement_sign()
        improvement = sign * (post - pre)
        sd = float(np.std(pre, ddof=1)) if len(pre) > 1 else np.nan
        if level == "course" and inst.test_retest is not None and np.isfinite(sd) and sd > 0:
            rci = fx.reliable_change_index(pre, post, sd_baseline=sd, reliability=inst.test_retest)
            cats = fx.classify_reliable_change(
                pre,
                post,
                sd_baseline=sd,
                reliability=inst.test_retest,
                improvement_sign=sign,
                confidence=confidence,
            )
            threshold = fx.reliable_change_threshold(sd, inst.test_retest, confidence=confidence)
        else:
            rci = np.full(len(pre), np.nan)
            cats = np.full(len(pre), "unknown" if level == "course" else "not_applicable", dtype=object)
            threshold = np.nan
        reached, _ = _mcid_reached(inst, pre, improvement)
        parts.append(
            pd.DataFrame(
                {
                    "client_id": sub["client_id"].to_numpy(),
                    "condition": sub["client_id"].map(cond).to_numpy(),
                    "measure": measure,
                    "level": level,
                    "scale": inst.analysis_scale,
                    "baseline": pre,
                    "endpoint": post,
                    "change": post - pre,
                    "improvement": improvement,
                    "n_sessions": sub["n_sessions"].to_numpy(),
                    "rci": rci,
                    "rc_threshold": threshold,
                    "category": cats,
                    "reached_mcid": pd.array(
                        reached if inst.has_mcid else [pd.NA] * len(pre), dtype="boolean"
                    ),
                }
            )
        )
    cols = [
        "client_id",
        "condition",
        "measure",
        "level",
        "scale",
        "baseline",
        "endpoint",
        "change",
        "improvement",
        "n_sessions",
        "rci",
        "rc_threshold",
        "category",
        "reached_mcid",
    ]
    if not parts:
        return pd.DataFrame(columns=cols)
    return pd.concat(parts, ignore_index=True)[cols]


# ---------------------------------------------------------------------------------------
# Trajectories
# ---------------------------------------------------------------------------------------
def trajectory(
    data: Any,
    *,
    measure: str,
    by: str | Sequence[str] | None = "condition",
    max_session: int | None = 12,
    scale: str = "score",
    confidence: float = 0.95,
    instruments: InstrumentRegistry | None = None,
) -> pd.DataFrame:
    """Mean score by session number and timepoint, per group: the course of care at a glance.

    Each client counts once per session and timepoint (clients are the unit),
    so the number of clients shrinks along the course as clients finish or
    drop out; it is reported beside every mean.

    Parameters
    ----------
    data : SessionData or DataFrame
        What :func:`outcomes.read_sessions` returns, or a canonical frame.
    measure : str
        Registry key or alias.
    by : str or list of str or None, default 'condition'
        Attribute columns to group by (a client with two conditions counts in each).
    max_session : int or None, default 12
        Later sessions are left out (few clients reach them).
    scale : {'score', 'analysis'}, default 'score'
        ``score``: the instrument's own scale. ``analysis``: the scale the
        statistics use, which differs for tone grades (distance from normal,
        so that clients above and below normal do not cancel out).
    confidence : float, default 0.95
        Level of the t intervals.
    instruments : InstrumentRegistry, optional
        Registry (default registry when omitted).

    Returns
    -------
    DataFrame
        Group keys, ``session``, ``timepoint``, ``n_clients``, ``mean``, ``sd``,
        ``ci_low``, ``ci_high`` (t interval of the mean, df = n − 1; NaN for a
        single client), and ``scale``.

    Raises
    ------
    SchemaError
        When a ``by`` column is not in the data.
    UnknownInstrumentError
        For a measure not in the registry.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"client_id": ["A", "A", "B", "B"], "session": 1,
    ...                    "timepoint": ["pre", "post"] * 2, "measure": "pain_nrs",
    ...                    "score": [6, 4, 8, 5], "condition": "tmj"})
    >>> trajectory(df, measure="pain")[["session", "timepoint", "n_clients", "mean"]]
       session timepoint  n_clients  mean
    0        1       pre          2   7.0
    1        1      post          2   4.5
    """
    registry = instruments if instruments is not None else default_registry()
    key = registry.get_instrument(measure).key
    by_cols = _as_list(by, "by")
    if scale not in ("score", "analysis"):
        raise ValueError(f"scale must be 'score' or 'analysis' (got {scale!r})")
    frame = _frame_of(data, instruments)
    _check_by(frame, by_cols)
    frame = frame.loc[frame["measure"] == key]
    if max_session is not None:
        frame = frame.loc[frame["session"] <= max_session]
    cols = [*CANONICAL_COLUMNS, *[c for c in by_cols if c not in CANONICAL_COLUMNS]]
    frame = frame[cols]
    if "condition" in by_cols:
        cond = split_conditions(frame["condition"])
        frame = frame.loc[cond.index].assign(condition=cond.to_numpy())
    inst = registry.get_instrument(key)
    if scale == "analysis":
        frame = frame.assign(score=inst.to_analysis_scale(frame["score"]))
    g = frame.groupby([*by_cols, "session", "timepoint"], observed=True, sort=True, dropna=False)["score"]
    out = g.agg(n_clients="count", mean="mean", sd="std").reset_index()
    n = out["n_clients"].to_numpy(dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        t = stats.t.ppf(0.5 + confidence / 2, n - 1)
        half = t * out["sd"].to_numpy(dtype=float) / np.sqrt(n)
    out["ci_low"] = out["mean"] - half
    out["ci_high"] = out["mean"] + half
    out["n_clients"] = out["n_clients"].astype("int64")
    out["scale"] = inst.analysis_scale if scale == "analysis" else "score"
    return out


# ---------------------------------------------------------------------------------------
# Ratings of change (PGIC)
# ---------------------------------------------------------------------------------------
def summarize_ratings(
    data: Any,
    *,
    by: str | Sequence[str] | None = "condition",
    measures: Sequence[str] | None = None,
    confidence: float = 0.95,
    instruments: InstrumentRegistry | None = None,
) -> pd.DataFrame:
    """Distribution of a rating of change (PGIC) per group.

    A PGIC is asked after treatment only: it is summarised as a distribution,
    never as a pre/post change. Each client's last rating counts once.

    Parameters
    ----------
    data : SessionData or DataFrame
        What :func:`outcomes.read_sessions` returns, or a canonical frame.
    by : str or list of str or None, default 'condition'
        Attribute columns to group by.
    measures : list of str, optional
        Ratings to summarise (default every ``global_change`` measure present).
    confidence : float, default 0.95
        Level of the Wilson interval.
    instruments : InstrumentRegistry, optional
        Registry (default registry when omitted).

    Returns
    -------
    DataFrame
        Group keys, ``measure``, ``n_clients``, ``n_<value>`` for every possible
        rating (``n_1`` ... ``n_7`` for PGIC), ``pct_responders`` (percent of
        clients whose rating meets the registry's responder rule, for PGIC a
        rating of 1 or 2: much or very much improved) with
        ``pct_responders_ci_low``/``pct_responders_ci_high`` (Wilson), and
        ``flags`` (``small_n``, ``insufficient``).

    References
    ----------
    Dworkin RH, Turk DC, Wyrwich KW, et al. Interpreting the clinical importance of
    treatment outcomes in chronic pain clinical trials: IMMPACT recommendations. J Pain
    2008;9(2):105-121. doi:10.1016/j.jpain.2007.09.005

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"client_id": list("ABC"), "session": 4, "timepoint": "post",
    ...                    "measure": "pgic", "score": [1, 2, 5], "condition": "tmj"})
    >>> round(float(summarize_ratings(df)["pct_responders"].iloc[0]), 1)
    66.7
    """
    registry = instruments if instruments is not None else default_registry()
    by_cols = _as_list(by, "by")
    frame = _prepare(
        _frame_of(data, instruments),
        by_cols,
        _as_list(measures, "measures") or None,
        registry,
        kind="global_change",
    )
    rows = []
    last = (
        frame.sort_values(["session", "timepoint"])
        .groupby([*by_cols, "measure", "client_id"], dropna=False, observed=True)
        .tail(1)
    )
    for key, sub in last.groupby([*by_cols, "measure"], sort=True, dropna=False, observed=True):
        key = key if isinstance(key, tuple) else (key,)
        inst = registry[str(key[-1])]
        values = sub["score"].to_numpy(float)
        n = len(values)
        row: dict[str, Any] = {
            **dict(zip(by_cols, key[:-1], strict=True)),
            "measure": key[-1],
            "n_clients": n,
        }
        for v in np.arange(inst.min, inst.max + 1):
            row[f"n_{int(v)}"] = int(np.sum(values == v))
        if inst.clinical_cutoff is not None:
            k = int(_in_clinical_range(inst, values).sum())
            lo, hi = fx.wilson_interval(k, n, confidence=confidence)
            row.update(
                pct_responders=100.0 * k / n,
                pct_responders_ci_low=100.0 * lo,
                pct_responders_ci_high=100.0 * hi,
            )
        row["flags"] = "insufficient" if n < 2 else ("small_n" if n < SMALL_N else "")
        rows.append(row)
    return pd.DataFrame(rows)
