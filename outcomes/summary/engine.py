"""The summary rows of one grouping, each computed once: the engine behind :func:`summarize`.

A :class:`Summaries` holds one frame grouped one way (``by``): the rows are
prepared and reshaped into client pairs once, at construction, for every level
asked for; a table row (group x measure x level) is computed the first time a
table needs it and kept, with the bootstrap resamples behind its interval when
``keep_resamples`` is set. :func:`summarize` builds one for a single call and
lets it go; :class:`outcomes.PracticeAnalysis` keeps one per grouping, so that a
report, its figures and the literature comparison share every number.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from .. import effects as fx
from .._progress import progress_bar
from ..instruments import InstrumentRegistry
from .course import as_course_end, need_days
from .pairs import Pairs, pairs_at, sessions_wide
from .parallel import bootstrap_rows, check_workers, row_stream
from .prepare import LEVELS, check_levels, prepare
from .row import SUMMARY_COLUMNS, retention, row_stats

__all__ = ["Summaries"]

_INT_COLUMNS = ("n_clients", "n_sessions", "n_clients_unpaired", "n_sessions_unpaired")


class Summaries:
    """Summary rows of ``frame`` grouped by ``by``, computed on first use and kept.

    Parameters
    ----------
    frame : DataFrame
        A canonical frame (already validated).
    by : sequence of str
        Grouping columns (empty: the whole practice).
    registry : InstrumentRegistry
    levels : sequence of str, default all three
        Levels whose client pairs are built (once, here).
    measures : sequence of str, optional
        Measures to keep (default every score measure of the frame).
    confidence, n_boot, seed, workers
        As for :func:`outcomes.summarize`; ``seed`` must already be an int or None.
    keep_resamples : bool, default False
        Keep each row's bootstrap resamples (``n_boot`` floats per row) for figures
        that draw the distribution beside the interval.
    course_end : int, (float, float) or None
        The endpoint of the ``course`` level (see :func:`outcomes.summarize`).
    pairs : mapping of level to Pairs, optional
        Client pairs made elsewhere (:func:`.pairs.pairs_from_frame` of client-level tables):
        the engine then starts from them, and ``frame``, ``levels`` and ``measures`` are not used.

    Notes
    -----
    Rows are identical to those of :func:`outcomes.summarize` with the same
    arguments: each row's statistics depend only on its own clients (and, for
    reliable change, on the baseline SD of its measure over every client of the
    grouping), and its bootstrap draws from a stream derived from the seed and the
    row's keys. The Holm adjustment is made over the rows of each table returned,
    as :func:`outcomes.summarize` makes it over the rows of its table.
    """

    def __init__(
        self,
        frame: pd.DataFrame,
        by: Sequence[str],
        registry: InstrumentRegistry,
        *,
        levels: Sequence[str] = LEVELS,
        measures: Sequence[str] | None = None,
        confidence: float = 0.95,
        n_boot: int = 2000,
        seed: int | None = 0,
        workers: int | None = None,
        keep_resamples: bool = False,
        course_end: Any = None,
        pairs: Mapping[str, Pairs] | None = None,
    ) -> None:
        if not 0 < confidence < 1:
            raise ValueError(f"confidence must be between 0 and 1 (got {confidence})")
        if int(n_boot) < 100:
            raise ValueError(f"n_boot must be at least 100 (got {n_boot})")
        self.by = tuple(by)
        self.registry = registry
        self.confidence = float(confidence)
        self.n_boot = int(n_boot)
        self.seed = seed
        self.workers = check_workers(workers)
        self.keep_resamples = keep_resamples
        self.course_end = end = as_course_end(course_end)
        if pairs is not None:  # client pairs made elsewhere (a network's sites, a cluster's workers)
            self._pairs: dict[str, Pairs] = {lv: pairs[lv] for lv in check_levels(list(pairs))}
        else:
            need_days(end, frame)
            prepared = prepare(
                frame,
                list(self.by),
                list(measures) if measures else None,
                registry,
                kind="score",
                carry=["days_from_first"] if end.days is not None else [],
            )
            units = sessions_wide(prepared, list(self.by))  # one reshape serves every level
            del prepared
            self._pairs = {lv: pairs_at(units, lv, end) for lv in check_levels(list(levels))}
        self._index: dict[str, list[tuple[tuple[Any, ...], int, slice]]] = {}  # per level, on first use
        self._sd_base: dict[str, pd.Series] = {}
        self._rows: dict[tuple[str, int], dict[str, Any]] = {}
        self._resamples: dict[tuple[str, int], np.ndarray | None] = {}
        #: rows computed so far, per level (for tests and benchmarks that count the work)
        self.computed: dict[str, int] = dict.fromkeys(self._pairs, 0)

    @property
    def levels(self) -> tuple[str, ...]:
        return tuple(self._pairs)

    def pairs(self, level: str) -> Pairs:
        """The client pairs at ``level`` (:func:`outcomes.client_changes` as arrays)."""
        if level not in self._pairs:
            raise ValueError(
                f"level {level!r} was not prepared for this grouping (prepared: {', '.join(self._pairs)})"
            )
        return self._pairs[level]

    def _table_rows(self, level: str) -> list[tuple[tuple[Any, ...], int, slice]]:
        """Labels, measure code and clients of every row of ``level``, in table order."""
        if level not in self._index:
            self._index[level] = self.pairs(level).table_rows()
        return self._index[level]

    def _positions(self, level: str, measures: set[str] | None) -> list[int]:
        rows = self._table_rows(level)
        return [i for i, (key, _, _) in enumerate(rows) if measures is None or key[-1] in measures]

    def table(
        self,
        level: str | Sequence[str] = LEVELS,
        *,
        measures: Iterable[str] | None = None,
        progress: bool | None = None,
    ) -> pd.DataFrame:
        """The summary table of ``level`` (one or several), rows computed where they are missing.

        Returns the columns of :func:`outcomes.summarize`, rows in its order (levels
        in the order given, then the group keys and the measure).
        """
        levels = check_levels(level)
        wanted = None if measures is None else set(measures)
        plan = [(lv, i) for lv in levels for i in self._positions(lv, wanted)]
        self._compute([job for job in plan if job not in self._rows], progress)
        table = pd.DataFrame([self._rows[job] for job in plan], columns=[*self.by, *SUMMARY_COLUMNS])
        table["p_holm"] = fx.holm(table["p_ttest"].to_numpy(dtype=float))
        table["level"] = pd.Categorical(table["level"], categories=list(LEVELS), ordered=True)
        for col in _INT_COLUMNS:
            table[col] = table[col].astype("int64")
        return table

    def resamples(self, level: str, key: Sequence[Any]) -> np.ndarray | None:
        """The bootstrap resamples behind the interval of the row with these keys (``(*by, measure)``).

        ``None`` when the row has fewer than 2 clients or every client changed by the
        same amount (nothing was resampled).

        Raises
        ------
        KeyError
            No such row, or the row has not been computed, or resamples are not kept.
        """
        if not self.keep_resamples:
            raise KeyError("this grouping does not keep its bootstrap resamples (keep_resamples=False)")
        target = tuple(str(k) for k in key)
        for i, (labels, _, _) in enumerate(self._table_rows(level)):
            if tuple(str(k) for k in labels) == target:
                if (level, i) not in self._rows:
                    self._compute([(level, i)], progress=False)
                return self._resamples.get((level, i))
        raise KeyError(f"no {level} row with keys {tuple(key)!r}")

    def _compute(self, jobs: list[tuple[str, int]], progress: bool | None) -> None:
        if not jobs:
            return
        boot_jobs: list[tuple[Any, np.ndarray, np.random.Generator]] = []
        with progress_bar(len(jobs), "summarize", unit="row", enabled=progress) as bar:
            for lv, i in jobs:
                pairs = self._pairs[lv]
                key, measure_code, at = self._table_rows(lv)[i]
                if lv not in self._sd_base:
                    self._sd_base[lv] = pairs.baseline_sd()
                measure = key[-1]
                inst = self.registry[str(measure)]
                sub = {name: values[at] for name, values in pairs.values.items()}
                # SD of the baseline across all clients of a measure: the same for every group, so that
                # a client's reliable-change category does not depend on how the table is sliced.
                stats = row_stats(
                    sub,
                    inst,
                    lv,
                    confidence=self.confidence,
                    sd_baseline=float(self._sd_base[lv].get(measure_code, np.nan)),
                )
                if lv == "followup":
                    stats.update(retention(sub, confidence=self.confidence))
                else:
                    stats.update(retention=np.nan, retention_ci_low=np.nan, retention_ci_high=np.nan)
                    stats["retention_note"] = ""
                if stats["n_clients"] >= 2:
                    change = sub["post"][sub["paired"]] - sub["pre"][sub["paired"]]
                    boot_jobs.append(((lv, i), change, row_stream(self.seed, (*key, lv))))
                else:
                    self._resamples[(lv, i)] = None
                    bar.update()
                self._rows[(lv, i)] = {
                    **dict(zip(self.by, key[:-1], strict=True)),
                    "measure": measure,
                    "level": lv,
                    "course_end": self.course_end.describe() if lv == "course" else "",
                    "scale": inst.analysis_scale,
                    **stats,
                    "confidence": self.confidence,
                }
                self.computed[lv] += 1
            bar.set_postfix_str("bootstrap", refresh=False)
            for job, result in bootstrap_rows(boot_jobs, self.n_boot, self.confidence, self.workers, bar):
                row = self._rows[job]
                row["boot_ci_low"], row["boot_ci_high"] = result.estimate.ci_low, result.estimate.ci_high
                if self.keep_resamples:
                    self._resamples[job] = result.means
