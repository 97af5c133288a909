"""One practice's analysis, computed once: :func:`analyze` and :class:`PracticeAnalysis`.

The report, the grant report, the figures and the command line all start from
one analysis of the data. It carries the instrument registry, the seed and the
number of resamples, and it computes each of its parts the first time it is
asked for and keeps it: the summary tables of every level (per grouping), the
client changes, the classes of reliable change, the trajectories, the counts
and the comparison with the literature. A figure drawn from an analysis draws
the numbers of these tables, and a bootstrap distribution it draws is made of
the very resamples behind the interval in the table beside it.

>>> import outcomes as oc
>>> analysis = oc.analyze(oc.sample_data(), n_boot=500)   # doctest: +SKIP
>>> analysis.summary("course")                           # doctest: +SKIP
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ._sentences import change_sentence, direction
from ._words import ALL, LEVEL_WORDS, plural
from .instruments import InstrumentRegistry, registry_for
from .io import LazySessionData, SessionData
from .literature import LiteratureComparison, compare_literature, load_literature
from .summary import LEVELS, summarize_ratings, trajectory
from .summary.clients import classify_pairs, client_conditions
from .summary.course import as_course_end, course_lengths, need_days
from .summary.engine import Summaries
from .summary.lazy import summaries_of
from .summary.prepare import as_list, check_by, check_levels

__all__ = ["PracticeAnalysis", "analyze"]


class _Default:
    """The analysis' own grouping (``by=`` left out), as opposed to ``by=None`` (the whole practice)."""

    def __repr__(self) -> str:
        return "<the analysis' grouping>"


DEFAULT: Any = _Default()


class PracticeAnalysis:
    """One practice's analysis: every table computed on first use, once, and kept.

    Make one with :func:`analyze`. Each method returns a fresh copy of a kept
    table, so changing what it returns changes nothing here.

    Attributes
    ----------
    data : SessionData
        The data analysed (a DataFrame is validated and wrapped first).
    frame : DataFrame
        ``data.frame``, the canonical long table.
    registry : InstrumentRegistry
        The instruments every part uses.
    by : tuple of str
        The analysis' grouping (default ``("condition",)``); ``by=None`` in a
        method asks for the whole practice instead.
    seed : int or None
        Base seed of every bootstrap (each table row draws from its own stream).
    n_boot : int
        Bootstrap resamples per row.
    confidence : float
        Level of every interval.
    course_end : CourseEnd
        The endpoint of the ``course`` level (:func:`outcomes.summarize`).
    """

    def __init__(
        self,
        data: Any,
        *,
        by: str | Sequence[str] | None = "condition",
        instruments: InstrumentRegistry | str | Path | None = None,
        seed: int | np.random.Generator | None = 0,
        n_boot: int = 2000,
        confidence: float = 0.95,
        literature: pd.DataFrame | None = None,
        assumed_r: Sequence[float] = (0.3, 0.5, 0.7),
        margin: float = 0.2,
        method: str = "reml",
        ci: str = "hksj",
        workers: int | None = None,
        progress: bool | None = None,
        course_end: int | tuple[float, float] | None = None,
    ) -> None:
        self.registry = registry_for(data, instruments)
        if isinstance(data, (SessionData, LazySessionData)):
            self.data = data
        elif isinstance(data, pd.DataFrame):
            self.data = SessionData.from_frame(data, instruments=self.registry)
        else:
            raise TypeError(
                f"data must be what read_sessions returns or a DataFrame, not {type(data).__name__}"
            )
        self.by = tuple(as_list(by, "by"))
        lazy = isinstance(self.data, LazySessionData)
        if not lazy:
            check_by(self.frame, list(self.by))
        if isinstance(seed, np.random.Generator):  # one draw fixes the base seed of every row's stream
            seed = int(seed.integers(2**63))
        if not 0 < confidence < 1:
            raise ValueError(f"confidence must be between 0 and 1 (got {confidence})")
        if int(n_boot) < 100:
            raise ValueError(f"n_boot must be at least 100 (got {n_boot})")
        self.seed = seed
        self.n_boot = int(n_boot)
        self.confidence = float(confidence)
        self.workers = workers
        self.progress = progress
        self.course_end = as_course_end(course_end)
        if not lazy:
            need_days(self.course_end, self.frame)
        self._literature_table = literature
        self._comparison_settings: dict[str, Any] = {
            "assumed_r": tuple(assumed_r),
            "margin": margin,
            "method": method,
            "ci": ci,
        }
        self._engines: dict[tuple[str, ...], Summaries] = {}
        self._kept: dict[tuple[Any, ...], Any] = {}

    @property
    def frame(self) -> pd.DataFrame:
        """``data.frame``, the canonical long table (not for data read with ``engine="dask"``, whose
        rows stay on the workers)."""
        if isinstance(self.data, LazySessionData):
            raise TypeError(self.data.rows_stay_message())
        return self.data.frame

    # -- the groupings ------------------------------------------------------------------
    def _by(self, by: Any) -> tuple[str, ...]:
        return self.by if by is DEFAULT else tuple(as_list(by, "by"))

    def engine(self, by: Any = DEFAULT) -> Summaries:
        """The summary engine of one grouping (made once; every level's client pairs built)."""
        key = self._by(by)
        if key not in self._engines:
            self._engines[key] = summaries_of(
                self.data,
                self.registry,
                key,
                levels=LEVELS,
                course_end=self.course_end,
                confidence=self.confidence,
                n_boot=self.n_boot,
                seed=self.seed,
                workers=self.workers,
                keep_resamples=True,
            )
        return self._engines[key]

    def _keep(self, key: tuple[Any, ...], make: Any) -> Any:
        if key not in self._kept:
            self._kept[key] = make()
        value = self._kept[key]
        return value.copy() if isinstance(value, pd.DataFrame) else value

    # -- the tables ---------------------------------------------------------------------
    def summary(
        self,
        level: str | Sequence[str] = LEVELS,
        *,
        by: Any = DEFAULT,
        measures: Sequence[str] | None = None,
    ) -> pd.DataFrame:
        """The summary table (:func:`outcomes.summarize`) of one grouping at ``level``.

        Parameters
        ----------
        level : str or list of str, default all three
        by : str, list of str or None
            A grouping; left out, the analysis' own; ``None``, the whole practice.
        measures : list of str, optional
            Only these measures (registry keys or aliases).

        Returns
        -------
        DataFrame
            The columns of :func:`outcomes.summarize`, identical to its result with
            the same arguments (the Holm adjustment runs over the rows returned).
        """
        keys = None if measures is None else tuple(self.registry.get_instrument(m).key for m in measures)
        levels = tuple(check_levels(level))
        groups = self._by(by)
        return self._keep(
            ("summary", groups, levels, keys),
            lambda: self.engine(groups).table(levels, measures=keys, progress=self.progress),
        )

    def table(self, level: str | Sequence[str] = LEVELS) -> pd.DataFrame:
        """The report's table: the rows of every group, then the whole practice as group ``'all'``.

        The group rows come from the analysis' grouping and the whole-practice rows
        from ``by=None``; each part keeps its own Holm adjustment, as two calls of
        :func:`outcomes.summarize` would give.
        """
        groups = self.summary(level)
        whole = self.summary(level, by=None)
        for col in reversed(self.by):
            whole.insert(0, col, ALL)
        return pd.concat([groups, whole], ignore_index=True)

    def client_changes(self, level: str = "session", *, by: Any = DEFAULT) -> pd.DataFrame:
        """Each client's earlier and later score (:func:`outcomes.client_changes`)."""
        check_levels(level)
        key = self._by(by)
        return self._keep(("client_changes", key, level), lambda: self.engine(key).pairs(level).frame())

    def classify_change(self, level: str = "course") -> pd.DataFrame:
        """Per client x measure: reliable change and the MCID (:func:`outcomes.classify_change`)."""
        check_levels(level)

        def make() -> pd.DataFrame:
            conditions = self._keep(
                ("client_conditions",), lambda: client_conditions(self.frame, self.registry)
            )
            clients = self.engine(()).pairs(level).frame()
            return classify_pairs(clients, conditions, self.registry, level=level, confidence=self.confidence)

        return self._keep(("classify_change", level), make)

    def trajectory(
        self,
        measure: str,
        *,
        by: Any = DEFAULT,
        max_session: int | None = 12,
        scale: str = "score",
        time: str = "session",
    ) -> pd.DataFrame:
        """Mean score by session (or week, or day) and timepoint per group (:func:`outcomes.trajectory`)."""
        key = self.registry.get_instrument(measure).key
        groups = self._by(by)
        return self._keep(
            ("trajectory", key, groups, max_session, scale, time),
            lambda: trajectory(
                self.data,
                measure=key,
                by=list(groups),
                max_session=max_session,
                scale=scale,
                confidence=self.confidence,
                instruments=self.registry,
                time=time,
            ),
        )

    def ratings(self, *, by: Any = DEFAULT) -> pd.DataFrame:
        """Ratings of change (PGIC) per group (:func:`outcomes.summarize_ratings`)."""
        groups = self._by(by)
        return self._keep(
            ("ratings", groups),
            lambda: summarize_ratings(
                self.data, by=list(groups), confidence=self.confidence, instruments=self.registry
            ),
        )

    def course_lengths(self, *, by: Any = DEFAULT) -> pd.DataFrame:
        """How long the clients' courses were, per group and measure (:func:`outcomes.course_lengths`)."""
        groups = self._by(by)
        return self._keep(
            ("course_lengths", groups),
            lambda: course_lengths(
                self.data, by=list(groups), instruments=self.registry, course_end=self.course_end
            ),
        )

    def headline(self, level: str | Sequence[str] = LEVELS, *, by: Any = DEFAULT) -> pd.DataFrame:
        """Each summary row's change in words: improved, got worse, or no clear change.

        The word follows the interval of the average improvement
        (:func:`outcomes._sentences.direction`): *improved* when it lies above 0,
        *got worse* when below, *no clear change* when it includes 0, *too few to
        say* with fewer than two clients. The practice report, ``outcomes
        summarize`` and the notebooks all show these words.

        Returns
        -------
        DataFrame
            The group columns, ``measure``, ``level``, ``n_clients``,
            ``mean_improvement``, ``improvement_ci_low``, ``improvement_ci_high``,
            ``direction`` and ``sentence`` (the measure's change in one sentence;
            positive numbers are improvements, :data:`outcomes._sentences.SIGN_CONVENTION`).
        """
        groups = list(self._by(by))
        table = self.summary(level, by=groups or None)
        cols = [*groups, "measure", "level", "n_clients", "mean_improvement"]
        out = table[[*cols, "improvement_ci_low", "improvement_ci_high"]].copy()
        out["direction"] = [
            direction(r.mean_improvement, r.improvement_ci_low, r.improvement_ci_high, r.n_clients)
            for r in out.itertuples(index=False)
        ]
        out["sentence"] = [
            change_sentence(
                self.registry.get_instrument(str(r.measure)).label,
                self.registry.get_instrument(str(r.measure)).unit,
                r.mean_improvement,
                r.improvement_ci_low,
                r.improvement_ci_high,
                r.n_clients,
                LEVEL_WORDS[str(r.level)].span,
                confidence=self.confidence,
            )
            for r in out.itertuples(index=False)
        ]
        return out.reset_index(drop=True)

    @property
    def counts(self) -> pd.DataFrame:
        """Clients, sessions, scores and measures per condition (:meth:`SessionData.counts`)."""
        return self._keep(("counts",), lambda: self.data.counts("condition"))

    @property
    def literature(self) -> LiteratureComparison:
        """The practice beside published CST studies (:func:`outcomes.compare_literature`).

        Compares the course (and, for context, session) rows per condition and of
        the whole practice, whatever the analysis' grouping: published arms are
        matched by condition.
        """

        def make() -> LiteratureComparison:
            table = self._condition_table(["session", "course"])
            literature = (
                self._literature_table
                if self._literature_table is not None
                else load_literature(instruments=self.registry)
            )
            course = pd.concat(
                [self.course_lengths(by="condition"), self.course_lengths(by=None).assign(condition=ALL)],
                ignore_index=True,
            )
            return compare_literature(
                table,
                literature=literature,
                confidence=self.confidence,
                course=course,
                instruments=self.registry,
                condition_labels=self.data.condition_labels,
                **self._comparison_settings,
            )

        return self._keep(("literature",), make)

    def _condition_table(self, level: Sequence[str]) -> pd.DataFrame:
        if self.by == ("condition",):
            return self.table(level)
        by_condition = self.summary(level, by="condition")
        whole = self.summary(level, by=None)
        whole.insert(0, "condition", ALL)
        return pd.concat([by_condition, whole], ignore_index=True)

    def resamples(self, level: str, key: Sequence[Any], *, by: Any = DEFAULT) -> np.ndarray | None:
        """The bootstrap resamples behind a summary row's interval (``boot_ci_low``/``boot_ci_high``).

        Parameters
        ----------
        level : str
        key : sequence
            The row's group keys then its measure (``("pelvic_pain", "pain_nrs")``;
            ``("pain_nrs",)`` with ``by=None``).
        by : grouping, as for :meth:`summary`

        Returns
        -------
        ndarray or None
            ``n_boot`` resampled mean changes, drawn with the row's own stream; None
            when the row has fewer than two clients or no variation.
        """
        return self.engine(by).resamples(level, tuple(key))

    # -- display ------------------------------------------------------------------------
    def __repr__(self) -> str:
        if isinstance(self.data, LazySessionData):
            return f"PracticeAnalysis({self.data!r}; by {', '.join(self.by) or 'the whole practice'})"
        f = self.frame
        return (
            f"PracticeAnalysis({plural(f['client_id'].nunique(), 'client')}, {plural(len(f), 'score')}; "
            f"by {', '.join(self.by) or 'the whole practice'}; seed {self.seed}, {self.n_boot} resamples; "
            f"computed: {', '.join(self._computed()) or 'nothing yet'})"
        )

    def _computed(self) -> list[str]:
        parts = [
            f"summary by {', '.join(by) or 'whole practice'}"
            for by, e in self._engines.items()
            if any(e.computed.values())
        ]
        return parts + sorted({str(k[0]).replace("_", " ") for k in self._kept if k[0] != "summary"})

    def _repr_html_(self) -> str:
        if isinstance(self.data, LazySessionData):
            return f"<div>{html.escape(repr(self))}</div>"
        f = self.frame
        head = (
            f"<strong>outcomes.PracticeAnalysis</strong>: {f['client_id'].nunique():,} clients, "
            f"{len(f[['client_id', 'session']].drop_duplicates()):,} sessions, {len(f):,} scores; "
            f"grouped by <code>{html.escape(', '.join(self.by) or 'the whole practice')}</code>; "
            f"bootstrap seed {html.escape(str(self.seed))}, {self.n_boot:,} resamples; "
            f"{len(self.registry)} instruments."
        )
        whole = self.summary("course", by=None)
        cols = [
            "measure",
            "n_clients",
            "mean_pre",
            "mean_post",
            "mean_improvement",
            "improvement_ci_low",
            "improvement_ci_high",
            "pct_mcid",
            "flags",
        ]
        glance = whole.loc[whole["n_clients"] > 0, cols].to_html(
            index=False, border=0, na_rep="", float_format="{:.2f}".format
        )
        return (
            f"<div>{head}<details open><summary>{html.escape(LEVEL_WORDS['course'].heading)}, all clients "
            f"(improvement: positive = better)</summary>{glance}</details>"
            f"<p>Computed so far: {html.escape(', '.join(self._computed()))}.</p></div>"
        )


def analyze(
    data: Any,
    *,
    by: str | Sequence[str] | None = "condition",
    instruments: InstrumentRegistry | str | Path | None = None,
    seed: int | np.random.Generator | None = 0,
    n_boot: int = 2000,
    confidence: float = 0.95,
    literature: pd.DataFrame | None = None,
    assumed_r: Sequence[float] = (0.3, 0.5, 0.7),
    margin: float = 0.2,
    method: str = "reml",
    ci: str = "hksj",
    workers: int | None = None,
    progress: bool | None = None,
    course_end: int | tuple[float, float] | None = None,
) -> PracticeAnalysis:
    """One analysis of a practice's data, each part computed on first use and kept.

    Parameters
    ----------
    data : SessionData, LazySessionData or DataFrame
        What :func:`outcomes.read_sessions` returns, or a canonical frame
        (validated first).
    by : str, list of str or None, default 'condition'
        The grouping of the summaries; ``None`` for the whole practice only.
    instruments : InstrumentRegistry or path, optional
        Registry, or a TOML/CSV file of the practice's own measures (default: the
        registry ``data`` was read with, else the default registry).
    seed : int, Generator or None, default 0
        Base seed of every bootstrap; each table row draws from a stream derived
        from it and the row's keys.
    n_boot : int, default 2000
        Bootstrap resamples per row (at least 100).
    confidence : float, default 0.95
    literature : DataFrame, optional
        Published effects (:func:`outcomes.load_literature`, with rows of your own).
    assumed_r, margin, method, ci
        As for :func:`outcomes.compare_literature`.
    workers : int or None
        Threads for the bootstraps (see :func:`outcomes.summarize`).
    progress : bool or None
        Progress bars for long summaries (see :func:`outcomes.set_progress`).
    course_end : int, (float, float) or None
        The endpoint of the ``course`` level: a session number or a window of
        ``days_from_first`` (see :func:`outcomes.summarize`); default the last
        session with a before-score.

    Returns
    -------
    PracticeAnalysis
        Nothing is computed yet: each table is computed the first time it is asked
        for (:meth:`~PracticeAnalysis.summary`, :meth:`~PracticeAnalysis.table`,
        :meth:`~PracticeAnalysis.client_changes`,
        :meth:`~PracticeAnalysis.classify_change`,
        :meth:`~PracticeAnalysis.trajectory`, :meth:`~PracticeAnalysis.ratings`,
        :attr:`~PracticeAnalysis.counts`, :attr:`~PracticeAnalysis.literature`).

    See Also
    --------
    outcomes.report, outcomes.grant_report, outcomes.plots : take an analysis.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"client_id": ["A", "A", "B", "B"], "session": 1,
    ...                    "timepoint": ["pre", "post"] * 2, "measure": "pain_nrs",
    ...                    "score": [6, 4, 8, 5], "condition": "tmj"})
    >>> analysis = analyze(df, n_boot=200)
    >>> analysis.summary("session")[["condition", "measure", "n_clients", "mean_change"]]
      condition   measure  n_clients  mean_change
    0       tmj  pain_nrs          2         -2.5
    """
    return PracticeAnalysis(
        data,
        by=by,
        instruments=instruments,
        seed=seed,
        n_boot=n_boot,
        confidence=confidence,
        literature=literature,
        assumed_r=assumed_r,
        margin=margin,
        method=method,
        ci=ci,
        workers=workers,
        progress=progress,
        course_end=course_end,
    )


def as_analysis(
    data: Any,
    *,
    by: str | Sequence[str] | None = None,
    seed: int | None = None,
    n_boot: int | None = None,
    instruments: InstrumentRegistry | str | Path | None = None,
) -> PracticeAnalysis:
    """``data`` when it is an analysis already; else a new one (for figures given raw data).

    ``by``, ``seed``, ``n_boot`` and ``instruments`` go to :func:`analyze` (defaults
    ``'condition'``, 0, 2000 and the data's registry); they cannot change an analysis
    already made.

    Raises
    ------
    TypeError
        An analysis together with ``by``, ``seed``, ``n_boot`` or ``instruments``.
    """
    if isinstance(data, PracticeAnalysis):
        given = [
            name
            for name, v in (("by", by), ("seed", seed), ("n_boot", n_boot), ("instruments", instruments))
            if v is not None
        ]
        if given:
            raise TypeError(
                f"{', '.join(given)} belong{'s' if len(given) == 1 else ''} to the analysis: pass "
                f"{'it' if len(given) == 1 else 'them'} to outcomes.analyze(), not to the figure"
            )
        return data
    return analyze(
        data,
        by="condition" if by is None else by,
        seed=0 if seed is None else seed,
        n_boot=2000 if n_boot is None else n_boot,
        instruments=instruments,
    )
