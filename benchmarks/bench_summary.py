"""Time ``outcomes.summarize`` against the naive per-group loop a user would write with scipy.

Usage::

    python benchmarks/bench_summary.py                 # 10k, 100k and 1M rows
    python benchmarks/bench_summary.py --rows 10000 100000 --repeat 3

Both routes compute, per condition x measure, at the session level (pre -> post,
each client's sessions averaged first): mean change, t interval and p, Wilcoxon
p, d_z, and a 2,000-resample BCa bootstrap interval of the mean change. The
naive route loops over groups with pandas and calls scipy.stats (``ttest_rel``,
``wilcoxon``, ``bootstrap``), and pingouin's ``ttest`` as well when it is
installed. Timings are medians of ``--repeat`` runs in the same process; the
ratio naive / outcomes is the figure that counts on a noisy machine.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import outcomes as oc
from outcomes.datasets import generate_rows
from outcomes.schema import split_conditions


def naive_scipy(frame: pd.DataFrame, *, with_pingouin: bool = False) -> pd.DataFrame:
    """What a careful user would write by hand: a Python loop over groups calling scipy."""
    cond = split_conditions(frame["condition"])
    frame = frame.loc[cond.index].assign(condition=cond.to_numpy())
    out = []
    for (condition, measure), g in frame.groupby(["condition", "measure"]):
        wide = g.pivot_table(
            index=["client_id", "session"], columns="timepoint", values="score", observed=True
        )
        if "pre" not in wide or "post" not in wide:
            continue
        wide = wide.dropna(subset=["pre", "post"])
        per_client = wide.groupby(level="client_id")[["pre", "post"]].mean()
        pre, post = per_client["pre"].to_numpy(), per_client["post"].to_numpy()
        if len(pre) < 3:
            continue
        d = post - pre
        t = stats.ttest_rel(post, pre)
        ci = t.confidence_interval()
        try:
            w = stats.wilcoxon(d, zero_method="wilcox", correction=True).pvalue
        except ValueError:
            w = np.nan
        boot = stats.bootstrap((d,), np.mean, n_resamples=2000, method="BCa", random_state=0)
        row = dict(
            condition=condition,
            measure=measure,
            n=len(d),
            mean_change=d.mean(),
            ci_low=ci.low,
            ci_high=ci.high,
            p=t.pvalue,
            p_w=w,
            d_z=d.mean() / d.std(ddof=1),
            boot_low=boot.confidence_interval.low,
            boot_high=boot.confidence_interval.high,
        )
        if with_pingouin:
            import pingouin as pg

            res = pg.ttest(post, pre, paired=True)
            row["p_pg"] = res["p_val" if "p_val" in res.columns else "p-val"].iloc[
                0
            ]  # renamed in pingouin 0.6
        out.append(row)
    return pd.DataFrame(out)


def _median_time(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--naive-max", type=int, default=1_000_000, help="largest size for the naive loop")
    args = parser.parse_args(argv)
    try:
        import pingouin  # noqa: F401

        has_pg = True
    except ImportError:
        has_pg = False
    print(
        f"# bench_summary on {platform.processor() or platform.machine()}, Python {platform.python_version()}, "
        f"pandas {pd.__version__}, numpy {np.__version__}, outcomes {oc.__version__}; pingouin: {has_pg}"
    )
    print(
        f"{'rows':>10} {'clients':>8} {'groups':>6} {'outcomes s':>11} {'naive s':>9} {'naive/outcomes':>15}"
    )
    for n_rows in args.rows:
        frame = oc.validate_sessions(generate_rows(n_rows, seed=1))
        data = oc.SessionData(frame=frame, flow=pd.DataFrame(), provenance={})
        ours = _median_time(lambda: oc.summarize(data, level="session"), args.repeat)
        table = oc.summarize(data, level="session")
        naive = np.nan
        if n_rows <= args.naive_max:
            naive = _median_time(lambda: naive_scipy(frame, with_pingouin=has_pg), max(1, args.repeat // 2))
            check = naive_scipy(frame)
            merged = table.merge(check, on=["condition", "measure"], suffixes=("", "_naive"))
            # tone scales are analysed as distance to their target by outcomes; the naive loop does not know
            merged = merged[merged["scale"] == "score"]
            assert np.allclose(merged["mean_change"], merged["mean_change_naive"]), "mean change differs"
            assert np.allclose(merged["p_ttest"], merged["p"], rtol=1e-8), "t-test p differs"
        print(
            f"{len(frame):>10,} {frame['client_id'].nunique():>8,} {len(table):>6} {ours:>11.3f} "
            f"{naive:>9.3f} {naive / ours:>15.1f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
