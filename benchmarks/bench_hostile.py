"""How long reading a hostile export takes: one very long cell, and many columns (issue 16).

Usage::

    python benchmarks/bench_hostile.py            # 32,000-character and 5 MB cells; 500, 2,000 columns
    python benchmarks/bench_hostile.py --columns 10000

Each case writes a small long-layout export (80 rows of the bundled sample) with one extra
column and times ``read_sessions`` on it, in this process (the package imported once before).
A long cell is refused as free text (the scan looks at its first ``LONG_CELL`` characters,
so its cost does not grow with the cell); many columns are read and checked. Prints one line
per case: what, seconds, and how the read ended.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

import outcomes as oc


def _base() -> pd.DataFrame:
    frame = oc.sample_data().frame
    return frame.head(80).reset_index(drop=True)


def _time(path: Path) -> tuple[float, str]:
    start = time.perf_counter()
    try:
        oc.read_sessions(path)
        outcome = "read"
    except oc.OutcomesError as exc:
        outcome = f"refused ({type(exc).__name__})"
    return time.perf_counter() - start, outcome


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--columns", type=int, nargs="*", default=[500, 2000])
    args = parser.parse_args()
    base = _base()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for size in (32_000, 5_000_000):
            frame = base.assign(extra="x")
            frame.loc[0, "extra"] = ("lorem ipsum dolor sit amet " * (size // 27 + 1))[:size]
            path = folder / f"cell_{size}.csv"
            frame.to_csv(path, index=False)
            seconds, outcome = _time(path)
            print(f"one cell of {size:>9,} characters: {seconds:6.2f} s, {outcome}")
        for n in args.columns:
            extra = pd.DataFrame(np.zeros((len(base), n), dtype="int64"), columns=[f"x{i}" for i in range(n)])
            path = folder / f"columns_{n}.csv"
            pd.concat([base, extra], axis=1).to_csv(path, index=False)
            seconds, outcome = _time(path)
            print(f"{n:>6,} extra columns x {len(base)} rows: {seconds:6.2f} s, {outcome}")


if __name__ == "__main__":
    main()
