"""The per-client step on Dask workers: client-level tables from a :class:`~outcomes.io.LazySessionData`.

Each file's task reads its rows and reduces them to client pairs (:func:`client_tables`) on the
worker; the pairs of every file, a few percent of the rows, come back and go into the same
:class:`~.engine.Summaries` as data in memory. A client's rows must all be in one task for their
pairs to be right: when sites share no clients, which the reads check, a file is a partition and
nothing is shuffled; when some client ids appear in more than one file, the rows of those clients
only are shuffled by client (``dask.dataframe.DataFrame.shuffle``) and their pairs made again per
client partition.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from ..io.lazy import LazySessionData, need_dask
from .course import as_course_end, need_days
from .engine import Summaries
from .pairs import pairs_from_frame
from .prepare import canonical_frame, check_by

__all__ = ["client_tables", "lazy_client_tables", "lazy_summaries", "summaries_of"]


def client_tables(
    frame: pd.DataFrame,
    registry: Any,
    by: Sequence[str],
    levels: Sequence[str],
    measures: Sequence[str] | None,
    course_end: Any,
) -> dict[str, pd.DataFrame]:
    """Per level, the client-level table of one partition's rows (:func:`outcomes.client_changes`)."""
    frame = frame.reset_index(drop=True)
    if frame.empty:
        return {}
    check_by(frame, list(by))
    need_days(as_course_end(course_end), frame)
    engine = Summaries(
        frame, list(by), registry, levels=list(levels), measures=measures or None, course_end=course_end
    )
    return {lv: engine.pairs(lv).frame() for lv in levels}


def _of_file(data: Any, registry: Any, *args: Any) -> dict[str, pd.DataFrame]:
    return client_tables(data.frame, registry, *args)


def lazy_client_tables(
    data: LazySessionData,
    registry: Any,
    *,
    by: Sequence[str],
    levels: Sequence[str],
    measures: Sequence[str] | None = None,
    course_end: Any = None,
) -> dict[str, pd.DataFrame]:
    """Per level, the client-level table of every file, made on the workers and put together."""
    args = (tuple(by), tuple(levels), tuple(measures) if measures else None, course_end)
    parts = data.map_partitions(_of_file, registry, *args)
    shared = data.shared_ids()
    if len(shared):  # their pairs from one file are wrong: made again from all their rows
        parts = [_without(p, shared) for p in parts] + _shuffled(data, registry, args, shared)
    out = {}
    for lv in levels:
        every = [p[lv] for p in parts if lv in p]
        tables = [t for t in every if len(t)] or every[:1]  # a level no client reached: its empty table
        if tables:
            out[lv] = pd.concat(tables, ignore_index=True)
    return out


def _without(tables: dict[str, pd.DataFrame], ids: Any) -> dict[str, pd.DataFrame]:
    return {lv: t[~t["client_id"].astype(str).isin(ids)] for lv, t in tables.items()}


def _shuffled(data: LazySessionData, registry: Any, args: tuple, ids: Any) -> list[dict[str, pd.DataFrame]]:
    """The client tables of the clients in more than one file: their checked rows (only theirs)
    shuffled by client, so that each client's rows are in one partition."""
    dask = need_dask()
    frame = data.frame
    theirs = frame[frame["client_id"].astype(str).isin(list(ids))]
    by_client = theirs.shuffle(on="client_id", npartitions=len(data.files))
    tasks = [dask.delayed(client_tables)(part, registry, *args) for part in by_client.to_delayed()]
    return list(dask.compute(*tasks))


def lazy_summaries(
    data: LazySessionData,
    registry: Any,
    by: Sequence[str],
    *,
    levels: Sequence[str],
    measures: Sequence[str] | None = None,
    course_end: Any = None,
    **options: Any,
) -> Summaries:
    """The summary engine of one grouping, its client pairs made on the workers."""
    tables = lazy_client_tables(
        data, registry, by=by, levels=levels, measures=measures, course_end=course_end
    )
    return Summaries(
        pd.DataFrame(),
        list(by),
        registry,
        course_end=as_course_end(course_end),
        pairs={lv: pairs_from_frame(t, list(by)) for lv, t in tables.items()},
        **options,
    )


def summaries_of(
    data: Any,
    registry: Any,
    by: Sequence[str],
    *,
    levels: Sequence[str],
    measures: Sequence[str] | None = None,
    course_end: Any = None,
    **options: Any,
) -> Summaries:
    """The summary engine of ``data``, in memory or read with ``engine="dask"`` (its client pairs
    then made on the workers): the one place that tells the two apart."""
    if isinstance(data, LazySessionData):
        keys = [registry.get_instrument(m).key for m in measures] if measures else None
        return lazy_summaries(
            data, registry, by, levels=levels, measures=keys, course_end=course_end, **options
        )
    return Summaries(
        canonical_frame(data, registry),
        list(by),
        registry,
        levels=list(levels),
        measures=list(measures) if measures else None,
        course_end=course_end,
        **options,
    )
