"""The bootstrap intervals of a table's rows on a thread per core, each row drawing from its own stream."""

from __future__ import annotations

import math
import os
import zlib
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from .. import effects as fx

if TYPE_CHECKING:
    from tqdm import tqdm


def _key_text(value: Any) -> str:
    """A group key as text that does not depend on its dtype (2025, 2025.0 and "2025" agree)."""
    if isinstance(value, (float, np.floating)) and float(value).is_integer():
        return str(int(value))
    return str(value)


def row_stream(seed: int | None, key: tuple[Any, ...]) -> np.random.Generator:
    """A generator per table row, stable across runs and independent of the other rows."""
    if seed is None:
        return np.random.default_rng()
    text = "\x1f".join(_key_text(k) for k in key)
    return np.random.default_rng([int(seed), zlib.crc32(text.encode("utf-8"))])


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


def check_workers(workers: int | None) -> int:
    """Threads for the bootstrap: ``None`` gives the cores this process may use."""
    if workers is None:
        return _usable_cores()
    if isinstance(workers, bool) or not isinstance(workers, (int, np.integer)) or workers < 1:
        raise ValueError(f"workers must be a positive integer or None (got {workers!r})")
    return int(workers)


def bootstrap_rows(
    jobs: list[tuple[Any, np.ndarray, np.random.Generator]],
    n_boot: int,
    confidence: float,
    workers: int,
    bar: tqdm,
) -> Iterator[tuple[Any, fx.BootstrapMean]]:
    """BCa bootstrap interval of each job's mean change, ``(job id, result)`` as they finish.

    A job is ``(id, client changes, generator)``; the result holds the interval and the
    resampled means it comes from.

    Each row draws from its own generator, so the intervals do not depend on the number of
    threads or the order in which they finish. numpy releases the GIL while it draws, gathers
    and sums, so threads run the resamples of different rows side by side. The progress bar
    is only touched from the calling thread.
    """

    def one(job: tuple[Any, np.ndarray, np.random.Generator]) -> tuple[Any, fx.BootstrapMean]:
        i, change, rng = job
        with np.errstate(all="ignore"):  # per thread, unlike warnings.catch_warnings
            result = fx.bootstrap_mean(change, n_boot=n_boot, confidence=confidence, seed=rng, method="bca")
        return i, result

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
