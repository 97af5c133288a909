"""Profile one ``outcomes.summarize`` call (all three levels, default bootstrap) with cProfile.

The profiled call runs on one thread (``workers=1``): cProfile sees only the thread it was
started in, and the bootstrap threads would hide their work from it.

Usage::

    python benchmarks/profile_summarize.py [--rows 1000000] [--top 15] [--dump /tmp/summarize.prof]

Prints the top functions by cumulative and by internal time, then times each
``bootstrap_means`` call by route (multinomial counts over few distinct values,
or index draws), which cProfile cannot split: numpy's Generator methods are
Cython functions and their time is charged to the caller.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import outcomes as oc
from outcomes import effects as fx
from outcomes.datasets import generate_rows

LEVELS = ["session", "followup", "course"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("--dump", help="also write the raw profile here")
    args = parser.parse_args(argv)
    frame = oc.validate_sessions(generate_rows(args.rows, seed=args.seed))
    data = oc.SessionData(frame=frame, flow=pd.DataFrame(), provenance={})
    print(f"{len(frame):,} rows, {frame['client_id'].nunique():,} clients")

    prof = cProfile.Profile()
    t0 = time.perf_counter()
    prof.enable()
    oc.summarize(data, level=LEVELS, workers=1)  # first call in the process, as in run.py
    prof.disable()
    cold = time.perf_counter() - t0
    t0 = time.perf_counter()
    oc.summarize(data, level=LEVELS, workers=1)
    warm = time.perf_counter() - t0
    t0 = time.perf_counter()
    oc.summarize(data, level=LEVELS)
    threads = time.perf_counter() - t0
    print(
        f"summarize, 1 thread: first call {cold:.2f} s under cProfile, second call {warm:.2f} s without; "
        f"default threads: {threads:.2f} s"
    )
    if args.dump:
        prof.dump_stats(args.dump)
    for key in ("cumulative", "tottime"):
        out = io.StringIO()
        pstats.Stats(prof, stream=out).strip_dirs().sort_stats(key).print_stats(args.top)
        print("\n".join(line for line in out.getvalue().splitlines() if line.strip()))

    original = fx.bootstrap_means
    records = []

    def timed(x, *, n_boot=2000, seed=None):
        arr = np.asarray(x, dtype=float)
        arr = arr[~np.isnan(arr)]
        k = np.unique(arr).size
        route = "multinomial" if k * fx._MULTINOMIAL_RATIO <= arr.size else "index"
        t = time.perf_counter()
        res = original(x, n_boot=n_boot, seed=seed)
        records.append((route, arr.size, k, time.perf_counter() - t))
        return res

    fx.bootstrap_means = timed
    try:
        t0 = time.perf_counter()
        oc.summarize(data, level=LEVELS, workers=1)
        total = time.perf_counter() - t0
    finally:
        fx.bootstrap_means = original
    rec = pd.DataFrame(records, columns=["route", "n", "k", "seconds"])
    print(f"\nbootstrap_means by route (summarize {total:.2f} s in this call):")
    print(
        rec.groupby("route")
        .agg(groups=("n", "size"), clients=("n", "sum"), median_k=("k", "median"), seconds=("seconds", "sum"))
        .to_string()
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
