"""Time ``outcomes report`` on the bundled sample, end to end, for one or more checkouts.

Usage::

    python benchmarks/bench_report.py                      # this checkout
    python benchmarks/bench_report.py OLD_CHECKOUT .       # before and after, interleaved

Each run is a fresh ``python -m outcomes report -o FILE`` subprocess with
``PYTHONPATH`` set to the checkout (so it measures the import, the read of the
sample, every statistic, the figures and the page). Runs of the checkouts are
interleaved (``--repeat`` rounds) so that drift of the machine hits them alike;
the median wall time of each is printed, and the ratio to the first.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def time_report(checkout: Path, out: Path) -> float:
    env = dict(os.environ, PYTHONPATH=str(checkout), MPLBACKEND="Agg", OUTCOMES_PROGRESS="0")
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "outcomes", "report", "-q", "-o", str(out)],
        env=env,
        check=True,
        cwd=out.parent,
    )
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("checkouts", nargs="*", default=[str(ROOT)])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    checkouts = [Path(c).resolve() for c in args.checkouts]
    times: dict[Path, list[float]] = {c: [] for c in checkouts}
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(args.repeat):
            for c in checkouts:
                times[c].append(time_report(c, Path(tmp) / "report.html"))
    first = statistics.median(times[checkouts[0]])
    print(f"{'checkout':<40} {'median s':>9} {'runs':>24} {'ratio':>6}")
    for c in checkouts:
        med = statistics.median(times[c])
        runs = ", ".join(f"{t:.2f}" for t in times[c])
        print(f"{str(c)[-40:]:<40} {med:9.2f} {runs:>24} {med / first:6.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
