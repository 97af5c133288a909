"""Time ``outcomes report`` on the bundled sample, end to end, for one or more checkouts.

Usage::

    python benchmarks/bench_report.py                      # this checkout
    python benchmarks/bench_report.py OLD_CHECKOUT .       # before and after, interleaved

Each run is a fresh ``python -m outcomes report -o FILE`` subprocess with
``PYTHONPATH`` set to the checkout (so it measures the import, the read of the
sample, every statistic, the figures and the page). Runs of the checkouts are
interleaved (``--repeat`` rounds) so that drift of the machine hits them alike;
the median wall time of each is printed, and the ratio to the first.

``--phases`` also times the steps of one report in a fresh interpreter of this
checkout: the imports, reading the sample, the statistics (every table the report
uses, computed once by the analysis), the figures (drawing and PNG encoding) and
the page.
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


PHASES = r"""
import time
t0 = time.perf_counter()
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot
import outcomes as oc, outcomes.reporting, outcomes.plots
from outcomes.reporting.figures import report_figures
from outcomes.reporting.practice import practice_report_html
from outcomes.reporting.practice_sections import main_measure
t1 = time.perf_counter()
data = oc.sample_data()
t2 = time.perf_counter()
analysis = oc.analyze(data)
table = analysis.table()
analysis.literature
analysis.classify_change("course")
measure = main_measure(table)
for by in ("condition", None):
    analysis.client_changes("course", by=by)
analysis.trajectory(measure, by="condition", scale="analysis")
analysis.ratings(by=None)
t3 = time.perf_counter()
report_figures(analysis, measure)
t4 = time.perf_counter()
practice_report_html(analysis)  # figures again (drawn, not computed) and the page
t5 = time.perf_counter()
print(f"{t1 - t0:.2f} {t2 - t1:.2f} {t3 - t2:.2f} {t4 - t3:.2f} {t5 - t4 - (t4 - t3):.2f}")
"""


def phases(checkout: Path, repeat: int) -> None:
    env = dict(os.environ, PYTHONPATH=str(checkout), MPLBACKEND="Agg", OUTCOMES_PROGRESS="0")
    runs = []
    for _ in range(repeat):
        out = subprocess.run(
            [sys.executable, "-c", PHASES], env=env, check=True, capture_output=True, text=True
        )
        runs.append([float(x) for x in out.stdout.split()])
    names = ("imports", "read the sample", "statistics", "figures", "page")
    print(f"phases of one report ({checkout}), median of {repeat} s:")
    for k, name in enumerate(names):
        print(f"  {name:<16} {statistics.median(r[k] for r in runs):6.2f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("checkouts", nargs="*", default=[str(ROOT)])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--phases", action="store_true", help="also time the steps of one report")
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
    if args.phases:
        phases(checkouts[-1], args.repeat)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
