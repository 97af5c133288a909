""":class:`LazySessionData`: a folder of site Parquet files read on Dask, one partition per file.

What ``read_sessions(folder, engine="dask")`` returns. Nothing is read when it is made: each
file is read, scanned for identifiers and checked on a worker when something asks for it
(:meth:`LazySessionData.map_partitions`), exactly as the in-memory reader reads that file within
the folder, and only what the caller's function returns comes back. The flow is the sum of the
files' flows; the problems of every file are gathered and raised together.

The scheduler is Dask's: a running :class:`distributed.Client` (``Client(LocalCluster(...))``)
if there is one, else Dask's default for delayed tasks (threads in this process).
"""

from __future__ import annotations

import functools
import html
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .._words import plural
from ..errors import (
    InsufficientDataError,
    OutcomesError,
    PrivacyError,
    ReadError,
    SchemaError,
    UnknownInstrumentError,
)
from ..instruments import InstrumentRegistry
from ..schema.values import label_order
from .columns import ColumnMap

__all__ = ["LazySessionData", "ReadOptions", "add_flows", "need_dask"]


def need_dask() -> Any:
    """The ``dask`` module, or an ImportError saying which extra installs it."""
    try:
        import dask
    except ImportError:
        raise ImportError(
            'engine="dask" needs dask and distributed: pip install "outcomes[network]"'
        ) from None
    return dask


@dataclass(frozen=True)
class ReadOptions:
    """The arguments of :func:`outcomes.read_sessions` that every partition is read with, and the
    function that reads one file with them (:func:`outcomes.io.read.read_partition`)."""

    reader: Callable[[Path, str, ReadOptions], Any]
    layout: str
    column_map: ColumnMap
    registry: InstrumentRegistry
    na_values: tuple[str, ...]
    errors: str
    allow_identifiers: str | None
    attributes: Sequence[str] | None


@dataclass
class _Part:
    """What one file's task sends back: its value, or the problem that stopped its read."""

    file: str
    value: Any = None
    flow: pd.DataFrame | None = None
    failures: pd.DataFrame | None = None
    labels: dict[str, str] = field(default_factory=dict)
    provenance: dict[str, Any] = field(default_factory=dict)
    clients: np.ndarray | None = None
    error: tuple[str, str, pd.DataFrame | None] | None = None  # class name, message, failure cases


def _run(path: Path, label: str, options: ReadOptions, func: Callable[..., Any] | None, args: tuple) -> _Part:
    """Read one file and apply ``func`` to it, on a worker. A problem with the user's data comes
    back as a value, so that the caller can report every file's problems at once."""
    try:
        data = options.reader(path, label, options)
        value = None if func is None else func(data, *args)
    except OutcomesError as exc:
        cases = exc.failure_cases if isinstance(exc, SchemaError) else None
        return _Part(file=path.name, error=(type(exc).__name__, str(exc), cases))
    clients = pd.unique(data.frame["client_id"].astype(str).to_numpy())
    return _Part(
        file=path.name,
        value=value,
        flow=data.flow,
        failures=data.failure_cases,
        labels=data.condition_labels,
        provenance=data.provenance,
        clients=np.asarray(clients, dtype=object),
    )


def _frame_of(path: Path, *, label: str, options: ReadOptions) -> pd.DataFrame:
    return options.reader(path, label, options).frame


_STEPS = {"read": 0, "excluded": 1, "kept": 2}


def add_flows(flows: Sequence[pd.DataFrame]) -> pd.DataFrame:
    """The flow of many files read one by one: each line's counts added up, in the order the
    reader gives them (per unit: read, then the reasons for exclusion by count, then kept)."""
    empty = pd.DataFrame(columns=["unit", "step", "reason", "count"]).astype({"count": "int64"})
    flows = [f for f in flows if f is not None and len(f)]
    if not flows:
        return empty
    every = pd.concat(flows, ignore_index=True)
    units = {u: i for i, u in enumerate(pd.unique(every["unit"]))}
    total = every.groupby(["unit", "step", "reason"], sort=False, as_index=False)["count"].sum()
    forms = total["unit"] == "forms"  # the forms lines keep the reader's order (found, not scored, scored)
    order = pd.DataFrame(
        {
            "u": total["unit"].map(units),
            "s": np.where(forms, 0, total["step"].map(_STEPS).fillna(1)),
            "c": np.where(forms | (total["step"] != "excluded"), 0, -total["count"]),
            "r": np.where(forms, "", total["reason"]),
        }
    )
    at = order.sort_values(["u", "s", "c", "r"], kind="stable").index
    out = pd.DataFrame(total).loc[at].reset_index(drop=True)
    out["count"] = out["count"].astype("int64")
    return out


class LazySessionData:
    """A folder of site Parquet files, read partition by partition on Dask.

    Made by :func:`outcomes.read_sessions` with ``engine="dask"``. :func:`outcomes.summarize`,
    :func:`outcomes.client_changes` and :func:`outcomes.analyze` accept it: the per-client step
    runs on the workers, one task per file, and the statistics run on the small client-level
    table, by the same code as for data in memory, so the numbers are the same.

    Attributes
    ----------
    files : tuple of Path
        The site files, one partition each.
    registry : InstrumentRegistry
        The instruments every partition is read with.
    column_map : ColumnMap
    flow, failure_cases, condition_labels, provenance
        As for :class:`SessionData`; known once the files have been read (the first access
        reads them, and every :meth:`map_partitions` refreshes them).
    """

    def __init__(self, files: Sequence[Path], label: str, options: ReadOptions) -> None:
        need_dask()
        self.files = tuple(Path(f) for f in files)
        self.label = label
        self.options = options
        self.registry = options.registry
        self.column_map = options.column_map
        self._parts: list[_Part] | None = None

    # -- running work on the partitions -------------------------------------------------
    def map_partitions(self, func: Callable[..., Any] | None = None, *args: Any) -> list[Any]:
        """``func(data, *args)`` on every file's :class:`SessionData`, one Dask task per file.

        Returns the values in file order. Only they cross from the workers, with each file's
        flow and problems (never its rows, unless ``func`` returns them).

        Raises
        ------
        SchemaError, PrivacyError, ReadError
            One error for every file whose read failed, listing each file's problems (a
            :class:`SchemaError` carries all their ``failure_cases``).
        """
        dask = need_dask()
        tasks = [dask.delayed(_run, pure=False)(f, self.label, self.options, func, args) for f in self.files]
        parts: list[_Part] = list(dask.compute(*tasks))
        failed = [p for p in parts if p.error is not None]
        if failed:
            raise _combined(failed, len(parts))
        values = [p.value for p in parts]
        for p in parts:  # the values belong to the caller; keep only what the reads found
            p.value = None
        self._parts = parts
        return values

    def _read_all(self) -> list[_Part]:
        if self._parts is None:
            self.map_partitions()
        return self._parts or []

    def shared_clients(self) -> int:
        """How many client ids appear in more than one file (0 when sites share no clients)."""
        return len(self.shared_ids())

    def shared_ids(self) -> np.ndarray:
        """The client ids that appear in more than one file."""
        ids = pd.Series(
            np.concatenate([p.clients for p in self._read_all() if p.clients is not None] or [np.array([])])
        )
        return pd.unique(ids[ids.duplicated()].to_numpy())

    @property
    def frame(self) -> Any:
        """The canonical table as a lazy :class:`dask.dataframe.DataFrame`, one partition per file
        (each read and checked when computed)."""
        import dask.dataframe as dd

        return dd.from_map(
            functools.partial(_frame_of, label=self.label, options=self.options), list(self.files)
        )

    # -- what the reads found ------------------------------------------------------------
    @property
    def flow(self) -> pd.DataFrame:
        """The flow of every file, added up (see :class:`SessionData`)."""
        return add_flows([p.flow for p in self._read_all() if p.flow is not None])

    @property
    def failure_cases(self) -> pd.DataFrame:
        """Every file's excluded problems (``errors="exclude"``), with their file."""
        cases = [p.failures for p in self._read_all() if p.failures is not None and len(p.failures)]
        return pd.concat(cases, ignore_index=True) if cases else pd.DataFrame()

    @property
    def condition_labels(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for p in self._read_all():
            for key, label in p.labels.items():
                out.setdefault(key, label)
        return out

    @property
    def provenance(self) -> dict[str, Any]:
        parts = self._read_all()
        first = parts[0].provenance if parts else {}
        listing = [row for p in parts for row in p.provenance.get("files", [])]
        return {
            "file": self.label,
            "engine": "dask",
            "partitions": len(self.files),
            "rows_read": sum(int(p.provenance.get("rows_read", 0)) for p in parts),
            "package_version": first.get("package_version"),
            "layout": first.get("layout"),
            "layout_reason": first.get("layout_reason"),
            "format": "parquet folder",
            "files": listing,
        }

    @property
    def layout(self) -> str:
        return str(self.provenance.get("layout"))

    def counts(self, by: str = "condition") -> pd.DataFrame:
        """Not for lazy data (see :meth:`rows_stay_message`): counts need the session rows."""
        raise TypeError(self.rows_stay_message())

    def rows_stay_message(self) -> str:
        """Why a part that needs session rows cannot run on this data, and what to do instead."""
        return (
            "this needs the session rows, which stay on the Dask workers for data read with "
            "engine='dask': summarize, client_changes and an analysis' summary, table, client_changes, "
            "headline and resamples work from client rows; data.compute() brings the rows into memory "
            "when they fit"
        )

    def compute(self) -> Any:
        """The whole table in memory, as :class:`SessionData` (when it fits)."""
        from .session_data import SessionData

        frames = self.map_partitions(lambda data: data.frame)
        frame = pd.concat(frames, ignore_index=True)
        # in the order the in-memory read gives: by client, session, measure, timepoint; a client
        # in several files keeps the files' order
        order = np.lexsort(
            (
                frame["timepoint"].cat.codes.to_numpy(),
                label_order(frame["measure"]),
                frame["session"].to_numpy(),
                label_order(frame["client_id"]),
            )
        )
        frame = frame.take(order).reset_index(drop=True)
        for col in frame.columns:  # a category of one file is text across files, as in the folder read
            if isinstance(frame[col].dtype, pd.CategoricalDtype) and col != "timepoint":
                frame[col] = frame[col].astype("str")
        return SessionData(
            frame=frame,
            flow=self.flow,
            provenance=self.provenance,
            failure_cases=self.failure_cases,
            registry=self.registry,
            column_map=self.column_map,
            condition_labels=self.condition_labels,
        )

    def __repr__(self) -> str:
        return f"LazySessionData({self.label}: {plural(len(self.files), 'site file')}, engine dask)"

    def _repr_html_(self) -> str:
        return f"<div><strong>outcomes.LazySessionData</strong>: {html.escape(repr(self))}</div>"


def _combined(failed: list[_Part], n_files: int) -> OutcomesError:
    """One error for the files whose read (or task) failed: each problem once, with the files it
    came from, and every failure case."""
    errors = [(p.file, p.error) for p in failed if p.error is not None]
    by_message: dict[str, list[str]] = {}
    for file, (_, message, _) in errors:
        by_message.setdefault(message, []).append(file)
    head = f"{len(failed)} of {plural(n_files, 'site file')} could not be read:"
    body = "\n".join(f"- {_named(files, message)}" for message, files in by_message.items())
    text = f"{head}\n{body}"
    kinds = {error[0] for _, error in errors}
    cases = [_with_file(error[2], file) for file, error in errors if error[2] is not None]
    if "PrivacyError" in kinds:
        return PrivacyError(text)
    if "SchemaError" in kinds:
        return SchemaError(text, failure_cases=pd.concat(cases, ignore_index=True) if cases else None)
    kind = _KINDS.get(next(iter(kinds)), ReadError) if len(kinds) == 1 else ReadError
    return kind(text)


_KINDS: dict[str, type[OutcomesError]] = {
    c.__name__: c for c in (ReadError, InsufficientDataError, UnknownInstrumentError)
}


def _with_file(cases: pd.DataFrame, file: str) -> pd.DataFrame:
    """The failure cases of one file, each naming it (a problem found before any row has none)."""
    cases = cases.copy()
    cases["file"] = cases["file"].where(cases["file"].notna(), file) if "file" in cases else file
    return cases


def _named(files: list[str], message: str) -> str:
    """``message`` after the files it is about (unless it names its one file itself)."""
    if len(files) == 1 and message.startswith(files[0]):
        return message
    shown = ", ".join(files[:3]) + (f" and {len(files) - 3:,} more" if len(files) > 3 else "")
    return f"{shown}: {message}"
