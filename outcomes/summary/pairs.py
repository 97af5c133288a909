"""From rows to clients: one unit per client x session, then each client's earlier and later score at a
level.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ..errors import SchemaError
from ..schema import (
    TIMEPOINT_DTYPE,
    TIMEPOINTS,
)
from .course import CourseEnd
from .prepare import frame_failure, sorted_categorical


def _key_codes(values: pd.Series) -> tuple[np.ndarray, int]:
    """Codes of a key column (a missing label coded after every label, as pandas sorts NaN groups
    last) and the number of codes."""
    cat = sorted_categorical(values)
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


@dataclass(frozen=True)
class SessionUnits:
    """One unit per group x measure x client x session, in key order, with its three scores.

    ``codes`` hold each key column's codes per client (one entry per distinct
    ``(*by, measure, client_id)``, sorted; a missing label is coded ``len(categories)``),
    ``group`` the client of each unit (non-decreasing), ``scores`` the unit's pre, post and
    follow-up score (NaN when absent), ``session`` its session number and ``days`` its
    ``days_from_first`` (NaN when the frame has none or the cell is empty).
    """

    keys: tuple[str, ...]
    dtypes: tuple[pd.CategoricalDtype, ...]
    codes: tuple[np.ndarray, ...]
    group: np.ndarray
    scores: np.ndarray
    session: np.ndarray
    days: np.ndarray

    @property
    def n_groups(self) -> int:
        return len(self.codes[0])


def sessions_wide(frame: pd.DataFrame, by: list[str]) -> SessionUnits:
    """Scatter the rows of ``frame`` (from :func:`prepare`) into one unit per client x session."""
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
            failure_cases=frame_failure(
                ["client_id, session, timepoint, measure"],
                "duplicate",
                [f"{repeated} cells with more than one score"],
            ),
        )
    scores = np.full((len(first), len(TIMEPOINTS)), np.nan)
    scores[unit_of[ok], tp[ok]] = frame["score"].to_numpy(dtype=float)[order[ok]]
    if "days_from_first" in frame.columns:
        days = pd.to_numeric(frame["days_from_first"], errors="coerce").to_numpy(dtype=float)[first]
    else:
        days = np.full(len(first), np.nan)
    return SessionUnits(
        keys=tuple(keys),
        dtypes=tuple(sorted_categorical(frame[c]).dtype for c in keys),
        codes=tuple(c[new_group] for c in unit_codes),
        group=np.cumsum(new_group) - 1,
        scores=scores,
        session=frame["session"].to_numpy()[first],
        days=days,
    )


@dataclass(frozen=True)
class Pairs:
    """The client-level pairs at one level as arrays, in key order (:func:`client_changes` as a frame).

    ``codes`` as in :class:`SessionUnits`, one entry per client of a group; ``values`` the
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


def pairs_at(wide: SessionUnits, level: str, end: CourseEnd | None = None) -> Pairs:
    """Each client's earlier and later score at ``level``, from the scores of their sessions.

    ``end`` chooses the later score of the ``course`` level (default: the last
    session with a before-score).
    """
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
        # the first session with a pre score, and the endpoint: a later session with a pre score,
        # the last one of those that the course end allows (units are in session order)
        units = np.flatnonzero(has_pre)
        at = group[units]
        n_pre = np.bincount(at, minlength=n_groups)
        seen = n_pre > 0
        bounds = np.searchsorted(at, np.arange(n_groups + 1))  # group j: units[bounds[j]:bounds[j + 1]]
        position = np.arange(units.size)
        allowed = position > bounds[:-1][at]  # after the baseline session
        end = end or CourseEnd()
        if end.session is not None:
            allowed &= wide.session[units] == end.session
        elif end.days is not None:
            days = wide.days[units]
            allowed &= (days >= end.days[0]) & (days <= end.days[1])
        candidates = np.flatnonzero(allowed)
        last = np.full(n_groups, -1, dtype=np.int64)
        if candidates.size:
            run_end = np.r_[at[candidates][1:] != at[candidates][:-1], True]
            last[at[candidates][run_end]] = candidates[run_end]
        paired = last >= 0
        earlier, later_mean = np.full(n_groups, np.nan), np.full(n_groups, np.nan)
        earlier[paired] = pre[units[bounds[:-1][paired]]]
        later_mean[paired] = pre[units[last[paired]]]
        # sessions with a pre score from the baseline to the endpoint, both included
        n_sessions = np.where(paired, last - bounds[:-1] + 1, 0)
        unpaired_sessions = np.zeros(n_groups, dtype=np.int64)
        first_session = np.full(n_groups, np.nan)
        last_session = np.full(n_groups, np.nan)
        first_session[paired] = wide.session[units[bounds[:-1][paired]]]
        last_session[paired] = wide.session[units[last[paired]]]
        extra["first_session"], extra["last_session"] = first_session, last_session
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
    return Pairs(wide.keys, wide.dtypes, tuple(c[keep] for c in wide.codes), values)


def pairs_from_frame(frame: pd.DataFrame, by: Sequence[str]) -> Pairs:
    """The client pairs of a client-level table (:func:`outcomes.client_changes`, or such tables of
    several sites put together) as :class:`Pairs`, in key order, so that the summary engine runs on
    them as on pairs it built from session rows.

    ``frame`` has the key columns ``*by``, ``measure``, ``client_id`` and the value columns of
    :func:`outcomes.client_changes` for one level; key columns that are Categoricals keep their
    categories (and so the order of the summary's rows).
    """
    keys = [*by, "measure", "client_id"]
    coded = [_key_codes(frame[c]) for c in keys]
    order = np.argsort(_lex_combine([c for c, _ in coded], [k for _, k in coded]), kind="stable")
    values = {c: frame[c].to_numpy()[order] for c in frame.columns if c not in keys}
    return Pairs(
        keys=tuple(keys),
        dtypes=tuple(sorted_categorical(frame[c]).dtype for c in keys),
        codes=tuple(c[order] for c, _ in coded),
        values=values,
    )
