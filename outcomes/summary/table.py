""":func:`summarize`: effect summaries per group x measure x level, one tidy row each."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from ..instruments import InstrumentRegistry, registry_for
from .engine import Summaries
from .lazy import summaries_of
from .pairs import pairs_from_frame
from .prepare import as_list, check_levels


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
    course_end: int | tuple[float, float] | None = None,
) -> pd.DataFrame:
    """Effect summaries per group x measure x level.

    Parameters
    ----------
    data : SessionData, LazySessionData or DataFrame
        What :func:`outcomes.read_sessions` returns, or a canonical long frame
        (validated first). For a :class:`~outcomes.io.LazySessionData` (``engine="dask"``)
        the client-level step runs on the Dask workers, one task per file, and the
        statistics on the client rows they return: the same table as in memory.
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
    instruments : InstrumentRegistry or path, optional
        Registry, or a TOML/CSV file of the practice's own measures (default: the
        registry ``data`` was read with, else the default registry).
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
    course_end : int, (float, float) or None, default None
        The later score of the ``course`` level, compared with the before-score of
        each client's first session: ``None``, the before-score of their last
        session with one (courses of different lengths then mix: see
        :func:`course_lengths`); a session number such as ``6``, the before-score
        at that session (clients without one are counted as unpaired); a window
        ``(42, 70)`` of ``days_from_first``, the last before-score in it, both
        days included (needs a ``days_from_first`` column). The ``course_end``
        column states which.

    Returns
    -------
    DataFrame
        One row per group x measure x level (a measure absent from a group
        gives no row), ``RangeIndex``, no rounding. Columns:

        - group keys (the ``by`` columns), ``measure``, ``level``;
        - ``course_end``: at the ``course`` level, the endpoint compared
          (``last session``, ``session 6``, ``days 42-70``); empty elsewhere;
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
          NaN when every client changed by the same amount (flag ``zero_variance``);
        - ``boot_ci_low``, ``boot_ci_high``: BCa bootstrap interval of the mean
          change, resampling clients (NaN likewise);
        - ``mean_improvement``, ``improvement_ci_low``, ``improvement_ci_high``:
          the mean change and its t interval with the sign turned so that
          positive means better;
        - ``d_z`` (mean change / SD of changes), ``g_av`` (mean change / mean
          of the two SDs, Hedges-corrected), ``smc`` (Becker's standardized
          mean change, change / SD_pre, Hedges-corrected) with ``smc_ci_low``,
          ``smc_ci_high`` (Bonett's variance from both SDs), and ``r_pre_post``
          (the pre–post correlation it uses); all signed as the change, and all
          of client-level scores: at the ``session`` and ``followup`` levels each
          client's scores are the means over their sessions, whose SDs shrink as
          clients have more sessions, so these are larger than effect sizes of
          single sessions would be;
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
          ended outside it with a reliable improvement (Jacobson–Truax "recovered",
          the published cut-off standing for their criterion c);
        - ``pct_clinical_pre``, ``pct_clinical_post``: ``course`` level, the
          percentage of the clients in the clinical range of the published
          cut-off at their first and at their last score (a screening cut-off:
          EPDS ≥ 11, PHQ-9 ≥ 10, PSQI > 5), whether or not the reliability is
          known;
        - ``retention``, ``retention_ci_low``, ``retention_ci_high``,
          ``retention_note``: ``followup`` level only, mean follow-up change /
          mean immediate change over the sessions that have both, with Fieller's
          interval (clients' two changes paired); only where the immediate change's
          interval excludes 0, else NaN and the note says why (1 = all of the
          immediate change still there, 0 = none of it, below 0 = worse a few days
          later than before the session, above 1 = more change a few days later
          than right after);
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
        (0, 1), ``n_boot`` below 100, ``workers`` not a positive integer, or a
        ``course_end`` below session 2 or a window of days that ends before it starts.

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
    >>> from outcomes.datasets import generate_practice
    >>> table = oc.summarize(generate_practice(n_clients=60, seed=1), level=["session", "course"])
    >>> table.loc[0, ["condition", "measure", "level"]].tolist()  # doctest: +SKIP
    ['back_pain', 'pain_nrs', 'session']
    """
    registry = registry_for(data, instruments)
    if isinstance(seed, np.random.Generator):  # one draw fixes the base seed of every row's stream
        seed = int(seed.integers(2**63))
    levels = check_levels(level)
    measure_list = as_list(measures, "measures") or None
    if measure_list:
        ratings = [m for m in measure_list if registry.get_instrument(m).kind == "global_change"]
        if ratings:
            raise ValueError(
                f"{', '.join(ratings)} is a rating of change asked after treatment, not a score before and "
                "after: summarise it with outcomes.summarize_ratings()."
            )
    options: dict[str, Any] = {"confidence": confidence, "n_boot": n_boot, "seed": seed, "workers": workers}
    engine = summaries_of(
        data,
        registry,
        as_list(by, "by"),
        levels=levels,
        measures=measure_list,
        course_end=course_end,
        **options,
    )
    return engine.table(levels, progress=progress)


def summarize_pairs(
    pairs: Mapping[str, pd.DataFrame],
    *,
    by: str | Sequence[str] | None = None,
    confidence: float = 0.95,
    n_boot: int = 2000,
    seed: int | None = 0,
    instruments: InstrumentRegistry | None = None,
    workers: int | None = None,
) -> pd.DataFrame:
    """The summary of client-level tables: the same rows :func:`summarize` gives from session rows.

    ``pairs`` maps each level to its client-level table, as :func:`outcomes.client_changes` returns
    it (``by`` columns, ``measure``, ``client_id`` and the values), or such tables of several sites
    put together (a client in one site only, so their ids must not collide). After the per-client
    step the statistics need nothing else: every statistic, interval and bootstrap is computed by
    the same code on the same client values, so the table equals ``summarize`` of the pooled
    session rows exactly (``tests/summary/test_pairs.py``). The row order of ``pairs`` does not
    matter.
    """
    registry = registry_for(None, instruments)
    keys = as_list(by, "by")
    missing = {lv: [c for c in (*keys, "measure", "client_id") if c not in t] for lv, t in pairs.items()}
    missing = {lv: cols for lv, cols in missing.items() if cols}
    if missing:
        raise ValueError(
            "client tables lack key columns: "
            + "; ".join(f"{lv}: {', '.join(cols)}" for lv, cols in missing.items())
        )
    engine = Summaries(
        pd.DataFrame(),
        keys,
        registry,
        confidence=confidence,
        n_boot=n_boot,
        seed=seed,
        workers=workers,
        pairs={lv: pairs_from_frame(table, keys) for lv, table in pairs.items()},
    )
    return engine.table(list(pairs))
