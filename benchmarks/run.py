"""Performance benchmark of ``outcomes`` against the floor and the naive per-group loop (issue 8).

Usage::

    python benchmarks/run.py --quick                 # 10,000 and 100,000 rows, 1 repeat (a few minutes)
    python benchmarks/run.py                         # 10k, 100k, 1M, 10M rows, median of 3
    python benchmarks/run.py --sizes 1000000 --repeat 5 --out /tmp/RESULTS.md

For every size the synthetic export is generated once with
``outcomes.datasets.generate_rows(n, seed=...)``, validated, and written to a
Parquet file (the canonical frame), to a CSV file and to a Parquet file (both in
the ``long`` export layout of ``outcomes.datasets.to_layout``). Every
measurement then runs in a fresh subprocess that reads what it needs, resets its
peak-RSS counter (``/proc/self/clear_refs``), and times only the measured work,
so that the peak RSS (``VmHWM``) belongs to that measurement alone. Repeats are
interleaved (rep 1 of every task, then rep 2, ...) so that drift of a noisy
machine hits all tasks alike; the figures that count are the ratios taken within
one run.

Measured per size:

``summarize``
    ``outcomes.summarize(data, by="condition", level=[session, followup, course])``
    with the default 2,000 BCa bootstrap resamples, on a ``SessionData`` of the
    canonical frame, with the default threads for the bootstrap (every core).
``summarize_serial``
    The same call with ``workers=1``: everything on one thread, like the floor.
``floor``
    The work no implementation can avoid: one pandas groupby pass (count, sum and
    sum of squares of ``score`` by condition x measure x timepoint), plus, per
    level, one vectorized draw of 2,000 x n bootstrap indices (chunked to 1e6
    elements, as the library does) and the gather-and-mean over a per-client
    value vector. ``n`` is the number of client-level units the summary resamples
    at that level: the sum of ``n_clients`` over its rows (a client with two
    conditions is resampled in both groups).
``naive_scipy`` / ``naive_pingouin``
    The loop a user would write: per condition x measure, per-client means with
    pandas, then ``ttest_rel``, ``wilcoxon``, d_z and ``scipy.stats.bootstrap``
    (2,000, BCa); or pingouin's ``ttest(paired=True)``, ``wilcoxon``,
    ``compute_effsize`` and ``compute_bootci(n_boot=2000)``. Run only where the
    projection from the smaller sizes stays within ``--naive-budget`` seconds and
    ``--mem-limit-gb``; beyond that a linear extrapolation is reported, labelled.
``read_csv`` / ``read_parquet``
    ``outcomes.read_sessions`` of the same export as CSV and as Parquet.

Once per run: ``python -c "import outcomes"`` against ``python -c "import pandas"``
(median of 5 each, interleaved), whether ``import outcomes`` imports matplotlib,
and ``outcomes report`` end to end on the bundled sample.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
LEVELS = ("session", "followup", "course")
N_BOOT = 2000
CHUNK_ELEMENTS = 1_000_000
FULL_SIZES = [10_000, 100_000, 1_000_000, 10_000_000]
QUICK_SIZES = [10_000, 100_000]
TASKS = (
    "summarize",
    "summarize_serial",
    "floor",
    "naive_scipy",
    "naive_pingouin",
    "read_csv",
    "read_parquet",
)


# =======================================================================================
# Worker side: each function runs in its own subprocess
# =======================================================================================
def _proc_status() -> dict[str, int]:
    out = {}
    with open("/proc/self/status") as fh:
        for line in fh:
            key, _, rest = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                out[key] = int(rest.split()[0]) * 1024
    return out


def _reset_peak() -> bool:
    """Reset VmHWM to the current RSS (Linux >= 4.0); False when not possible."""
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
        return True
    except OSError:
        return False


def _peak_rss() -> int:
    status = _proc_status()
    if "VmHWM" in status:
        return status["VmHWM"]
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def _release_read_buffers() -> None:
    """Return the pages pyarrow's allocator cached while reading the input to the OS.

    Reading Parquet leaves freed-but-cached pages in pyarrow's memory pool
    (mimalloc or jemalloc); they belong to the read, not to the call measured next.
    """
    import gc

    import pyarrow as pa

    gc.collect()
    pa.default_memory_pool().release_unused()


def _read_canonical(data_dir: Path):
    import pandas as pd

    frame = pd.read_parquet(data_dir / "canonical.parquet")
    meta = json.loads((data_dir / "meta.json").read_text())
    got = {c: str(t) for c, t in frame.dtypes.items()}
    if got != meta["dtypes"]:
        raise RuntimeError(f"canonical frame changed dtypes through Parquet: {got} != {meta['dtypes']}")
    return frame


def _explode_conditions(frame):
    """What a user writes to count a client with two conditions in each: split and explode."""
    out = frame.assign(condition=frame["condition"].astype(str).str.split(";"))
    return out.explode("condition", ignore_index=True)


def naive_loop(frame, *, with_pingouin: bool):
    """The per-group loop a careful user would write, all three levels."""
    import numpy as np
    import pandas as pd
    from scipy import stats

    if with_pingouin:
        import pingouin as pg
    frame = _explode_conditions(frame)
    rows = []
    for (condition, measure), g in frame.groupby(["condition", "measure"], observed=True, sort=True):
        wide = g.pivot_table(
            index=["client_id", "session"], columns="timepoint", values="score", observed=True
        )
        for level in LEVELS:
            if level == "course":
                if "pre" not in wide:
                    continue
                pres = wide["pre"].dropna().reset_index().sort_values(["client_id", "session"])
                per = pres.groupby("client_id")["pre"].agg(["first", "last", "size"])
                per = per.loc[per["size"] >= 2]
                pre, post = per["first"].to_numpy(float), per["last"].to_numpy(float)
            else:
                later = "post" if level == "session" else "followup"
                if "pre" not in wide or later not in wide:
                    continue
                both = wide[["pre", later]].dropna()
                per = both.groupby(level="client_id")[["pre", later]].mean()
                pre, post = per["pre"].to_numpy(float), per[later].to_numpy(float)
            d = post - pre
            if len(d) < 3 or np.std(d) == 0:
                continue
            row = dict(condition=condition, measure=measure, level=level, n=len(d), mean_change=d.mean())
            if with_pingouin:
                tt = pg.ttest(post, pre, paired=True)
                row["p_ttest"] = float(tt["p_val"].iloc[0] if "p_val" in tt else tt["p-val"].iloc[0])
                w = pg.wilcoxon(post, pre)
                row["p_wilcoxon"] = float(w["p_val"].iloc[0] if "p_val" in w else w["p-val"].iloc[0])
                row["d_z"] = float(pg.compute_effsize(post, pre, paired=True, eftype="cohen"))
                ci = pg.compute_bootci(d, func="mean", n_boot=N_BOOT, seed=0)
                row["boot_ci_low"], row["boot_ci_high"] = float(ci[0]), float(ci[1])
            else:
                row["p_ttest"] = float(stats.ttest_rel(post, pre).pvalue)
                row["p_wilcoxon"] = float(stats.wilcoxon(d, zero_method="wilcox", correction=True).pvalue)
                row["d_z"] = float(d.mean() / d.std(ddof=1))
                boot = stats.bootstrap((d,), np.mean, n_resamples=N_BOOT, method="BCa", random_state=0)
                row["boot_ci_low"] = float(boot.confidence_interval.low)
                row["boot_ci_high"] = float(boot.confidence_interval.high)
            rows.append(row)
    return pd.DataFrame(rows)


def _draw(rng, x, n_boot: int = N_BOOT) -> float:
    """One vectorized bootstrap of the mean of ``x`` (chunked index draws, gather, mean); seconds."""
    import numpy as np

    n = x.size
    t0 = time.perf_counter()
    out = np.empty(n_boot)
    chunk = max(1, CHUNK_ELEMENTS // n)
    for start in range(0, n_boot, chunk):
        m = min(chunk, n_boot - start)
        idx = rng.integers(0, n, size=(m, n))  # int64, numpy's index type: gathered without a cast
        out[start : start + m] = x[idx].mean(axis=1)
    seconds = time.perf_counter() - t0
    assert np.isfinite(out).all()
    return seconds


def floor_work(frame, n_units: dict[str, int], seed: int = 0) -> dict[str, float]:
    """Groupby pass plus one vectorized bootstrap draw per level; returns the component times.

    ``draw_<level>`` resamples the client-level units of the summary (a client once per table
    row it enters); ``clients_draw_<level>`` resamples each distinct client once, the issue's
    literal ``2,000 x n_clients`` (reported as a second, smaller floor; not in ``seconds``).
    """
    import numpy as np

    keys = ["condition", "measure", "timepoint"]
    times: dict[str, float] = {}
    rng = np.random.default_rng(seed)
    values = {lv: rng.standard_normal(max(int(n_units.get(lv, 0)), 1)) for lv in LEVELS}
    t0 = time.perf_counter()
    score = frame["score"].to_numpy(dtype=float)
    tmp = frame[keys].assign(score=score, sq=score * score)
    agg = tmp.groupby(keys, observed=True, sort=False).agg(
        n=("score", "count"), s=("score", "sum"), ss=("sq", "sum")
    )
    times["groupby"] = time.perf_counter() - t0
    assert len(agg) > 0
    for lv in LEVELS:
        times[f"draw_{lv}"] = _draw(rng, values[lv])
    times["seconds"] = sum(times.values())
    clients = rng.standard_normal(int(frame["client_id"].nunique()))
    for lv in LEVELS:
        times[f"clients_draw_{lv}"] = _draw(rng, clients)
    times["clients_floor"] = times["groupby"] + sum(times[f"clients_draw_{lv}"] for lv in LEVELS)
    return times


def worker(args: argparse.Namespace) -> int:
    """Run one measurement; write a JSON result."""
    task = args.worker
    data_dir = Path(args.data) if args.data else None
    result: dict = {"task": task}
    if task in TASKS:  # the libraries first, so that the base RSS includes them
        import pandas as pd
        import scipy.stats

        import outcomes as oc

        if task == "naive_pingouin":
            import pingouin
    baseline = _proc_status().get("VmRSS", 0)
    if task in ("summarize", "summarize_serial", "floor", "naive_scipy", "naive_pingouin"):
        frame = _read_canonical(data_dir)
        _release_read_buffers()
        result["frame_bytes"] = int(frame.memory_usage(deep=True).sum())
        result["rss_loaded"] = _proc_status()["VmRSS"]
        result["peak_reset"] = _reset_peak()
        if task in ("summarize", "summarize_serial"):
            data = oc.SessionData(frame=frame, flow=pd.DataFrame(), provenance={})
            workers = 1 if task == "summarize_serial" else None
            t0 = time.perf_counter()
            table = oc.summarize(data, by="condition", level=list(LEVELS), n_boot=N_BOOT, workers=workers)
            result["seconds"] = time.perf_counter() - t0
            result["n_table_rows"] = len(table)
            paired = table.groupby("level", observed=True)["n_clients"].agg(["sum", "max"])
            result["n_units"] = {str(k): int(v) for k, v in paired["sum"].items()}
            result["max_group"] = {str(k): int(v) for k, v in paired["max"].items()}
            if args.save:
                table.to_pickle(args.save)
        elif task == "floor":
            result.update(floor_work(frame, json.loads(args.units)))
        elif task in ("naive_scipy", "naive_pingouin"):
            t0 = time.perf_counter()
            table = naive_loop(frame, with_pingouin=task == "naive_pingouin")
            result["seconds"] = time.perf_counter() - t0
            result["n_table_rows"] = len(table)
            if args.save:
                table.to_pickle(args.save)
    elif task in ("read_csv", "read_parquet"):
        result["peak_reset"] = _reset_peak()
        path = data_dir / ("export.csv" if task == "read_csv" else "export.parquet")
        t0 = time.perf_counter()
        data = oc.read_sessions(path)
        result["seconds"] = time.perf_counter() - t0
        result["n_rows"] = len(data.frame)
        result["frame_bytes"] = int(data.frame.memory_usage(deep=True).sum())
    elif task == "prepare":
        result.update(prepare(data_dir, int(args.n), int(args.seed)))
    elif task == "versions":
        import numpy
        import pandas
        import pyarrow
        import scipy

        import outcomes

        result["versions"] = {
            "python": platform.python_version(),
            "numpy": numpy.__version__,
            "pandas": pandas.__version__,
            "scipy": scipy.__version__,
            "pyarrow": pyarrow.__version__,
            "outcomes": outcomes.__version__,
        }
        try:
            import pingouin

            result["versions"]["pingouin"] = pingouin.__version__
        except ImportError:
            result["versions"]["pingouin"] = None
    else:
        raise SystemExit(f"unknown worker task {task!r}")
    result["rss_baseline"] = baseline
    result["peak_rss"] = _peak_rss()
    Path(args.result).write_text(json.dumps(result))
    return 0


def prepare(data_dir: Path, n: int, seed: int) -> dict:
    """Generate, validate and write the three files of one size (once per size)."""
    import outcomes as oc
    from outcomes.datasets import generate_rows, to_layout

    data_dir.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    frame = oc.validate_sessions(generate_rows(n, seed=seed))
    t_gen = time.perf_counter() - t0
    frame.to_parquet(data_dir / "canonical.parquet", index=False)
    meta = {
        "n_target": n,
        "seed": seed,
        "n_rows": len(frame),
        "n_clients": int(frame["client_id"].nunique()),
        "frame_bytes": int(frame.memory_usage(deep=True).sum()),
        "dtypes": {c: str(t) for c, t in frame.dtypes.items()},
        "generate_seconds": t_gen,
    }
    long = to_layout(frame, "long")
    del frame
    long.to_csv(data_dir / "export.csv", index=False)
    long.to_parquet(data_dir / "export.parquet", index=False)
    meta["csv_bytes"] = (data_dir / "export.csv").stat().st_size
    meta["parquet_bytes"] = (data_dir / "export.parquet").stat().st_size
    (data_dir / "meta.json").write_text(json.dumps(meta))
    return meta


# =======================================================================================
# Parent side
# =======================================================================================
def _fmt_bytes(b: float | None) -> str:
    if b is None or (isinstance(b, float) and math.isnan(b)):
        return "n/a"
    if b >= 1e9:
        return f"{b / 1e9:.2f} GB"
    if b >= 1e6:
        return f"{b / 1e6:.0f} MB"
    return f"{b / 1e3:.0f} kB"


def _fmt_s(s: float | None) -> str:
    if s is None or (isinstance(s, float) and math.isnan(s)):
        return "n/a"
    if s >= 100:
        return f"{s:.0f}"
    if s >= 10:
        return f"{s:.1f}"
    if s >= 1:
        return f"{s:.2f}"
    return f"{s:.3f}"


def _fmt_x(x: float | None) -> str:
    if x is None or (isinstance(x, float) and (math.isnan(x) or math.isinf(x))):
        return "n/a"
    return f"{x:.0f}x" if x >= 100 else f"{x:.1f}x" if x >= 10 else f"{x:.2f}x"


class Runner:
    def __init__(self, args: argparse.Namespace):
        self.args = args
        self.python = sys.executable
        self.mem_limit = int(args.mem_limit_gb * 1e9)
        self.log: list[str] = []

    def run_worker(
        self,
        task: str,
        *,
        data: Path | None = None,
        timeout: float = 7200,
        mem_limit: int | None = None,
        **extra,
    ) -> dict:
        """Run one worker subprocess, watching its RSS; returns its JSON result or a failure record."""
        result_file = Path(self.args.workdir) / f"result-{os.getpid()}-{task}.json"
        result_file.unlink(missing_ok=True)
        cmd = [self.python, str(Path(__file__).resolve()), "--worker", task, "--result", str(result_file)]
        if data is not None:
            cmd += ["--data", str(data)]
        for k, v in extra.items():
            cmd += [f"--{k}", str(v)]
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        max_rss = 0
        killed = None
        limit = mem_limit or self.mem_limit
        while proc.poll() is None:
            try:
                with open(f"/proc/{proc.pid}/status") as fh:
                    for line in fh:
                        if line.startswith("VmRSS:"):
                            max_rss = max(max_rss, int(line.split()[1]) * 1024)
            except OSError:
                pass
            if max_rss > limit:
                killed = f"killed: RSS above {_fmt_bytes(limit)}"
            elif time.perf_counter() - t0 > timeout:
                killed = f"killed: over {timeout:.0f} s"
            if killed:
                proc.kill()
                break
            time.sleep(0.2)
        out, _ = proc.communicate()
        wall = time.perf_counter() - t0
        if killed or proc.returncode != 0 or not result_file.exists():
            tail = "\n".join((out or "").strip().splitlines()[-8:])
            status = killed or f"failed (exit {proc.returncode})"
            print(f"    !! {task}: {status}\n{tail}", flush=True)
            self.log.append(f"{task} ({data}): {status}: {tail}")
            return {"task": task, "status": status, "wall": wall, "polled_rss": max_rss}
        res = json.loads(result_file.read_text())
        result_file.unlink(missing_ok=True)
        res.update(status="ok", wall=wall, polled_rss=max_rss)
        return res


def _median(results: list[dict], key: str) -> float:
    vals = [r[key] for r in results if r.get("status") == "ok" and r.get(key) is not None]
    return statistics.median(vals) if vals else math.nan


def _time_command(cmd: list[str], n: int) -> list[float]:
    out = []
    for _ in range(n):
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        out.append(time.perf_counter() - t0)
    return out


def machine_info() -> dict:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = math.nan
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem = int(line.split()[1]) * 1024
    except OSError:
        pass
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "affinity": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "ram": mem,
        "kernel": platform.release(),
    }


def once_per_run(runner: Runner) -> dict:
    py = runner.python
    out: dict = {}
    imp_oc, imp_pd = [], []
    for _ in range(5):  # interleaved, so drift affects both alike
        imp_oc += _time_command([py, "-c", "import outcomes"], 1)
        imp_pd += _time_command([py, "-c", "import pandas"], 1)
    out["import_outcomes"] = statistics.median(imp_oc)
    out["import_pandas"] = statistics.median(imp_pd)
    out["import_outcomes_all"] = imp_oc
    out["import_pandas_all"] = imp_pd
    probe = subprocess.run(
        [
            py,
            "-c",
            "import sys, outcomes; print(sorted(m for m in sys.modules if m.split('.')[0] == 'matplotlib'))",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    mods = json.loads(probe.stdout.strip().replace("'", '"'))
    out["matplotlib_imported"] = bool(mods)
    out["matplotlib_modules"] = mods[:5]
    cli = Path(py).with_name("outcomes")
    cmd = [str(cli)] if cli.exists() else [py, "-m", "outcomes"]
    html = Path(runner.args.workdir) / "report.html"
    times = []
    ok = True
    for _ in range(runner.args.repeat):
        t0 = time.perf_counter()
        proc = subprocess.run(
            [*cmd, "report", "-q", "-o", str(html)], cwd=ROOT, capture_output=True, text=True
        )
        times.append(time.perf_counter() - t0)
        if proc.returncode != 0:
            ok = False
            out["report_error"] = (proc.stderr or proc.stdout)[-500:]
            break
    out["report_seconds"] = statistics.median(times) if ok else math.nan
    out["report_all"] = times
    out["report_bytes"] = html.stat().st_size if ok and html.exists() else None
    return out


def crosscheck(summary_pkl: Path, naive_pkl: Path) -> dict:
    """Compare the naive loop's statistics with summarize's on the rows both compute (score scales)."""
    import numpy as np
    import pandas as pd

    ours = pd.read_pickle(summary_pkl)
    ours = ours.assign(level=ours["level"].astype(str))
    naive = pd.read_pickle(naive_pkl)
    merged = ours.merge(naive, on=["condition", "measure", "level"], suffixes=("", "_naive"))
    merged = merged.loc[merged["scale"] == "score"]
    res = {"rows_compared": len(merged)}
    res["n_equal"] = bool((merged["n_clients"] == merged["n"]).all())
    for col in ("mean_change", "p_ttest", "d_z"):
        res[f"max_abs_diff_{col}"] = float(np.nanmax(np.abs(merged[col] - merged[f"{col}_naive"])))
    big = merged.loc[merged["n"] >= 50]  # both asymptotic there (R / scipy 'auto' differ below)
    if len(big):
        res["max_abs_diff_p_wilcoxon_n50"] = float(
            np.nanmax(np.abs(big["p_wilcoxon"] - big["p_wilcoxon_naive"]))
        )
        width = (big["boot_ci_high"] - big["boot_ci_low"]).to_numpy()
        dlow = np.abs(big["boot_ci_low"] - big["boot_ci_low_naive"]).to_numpy() / width
        res["max_boot_ci_low_diff_rel_width_n50"] = float(np.nanmax(dlow))
    return res


def _project(measured: list[tuple[int, float]], n: int) -> float:
    """Project a cost to size n from measured (rows, value) pairs: log-log slope of the last two (>= 1)."""
    if not measured:
        return math.nan
    if len(measured) == 1:
        n0, v0 = measured[-1]
        return v0 * n / n0
    (n1, v1), (n2, v2) = measured[-2], measured[-1]
    slope = max(1.0, math.log(max(v2, 1e-9) / max(v1, 1e-9)) / math.log(n2 / n1))
    return v2 * (n / n2) ** slope


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="10,000 and 100,000 rows, 1 repeat")
    parser.add_argument("--sizes", type=int, nargs="+", help="rows (session x measure x timepoint)")
    parser.add_argument(
        "--repeat", type=int, help="repeats per measurement (median), default 3 (1 with --quick)"
    )
    parser.add_argument("--out", default=str(HERE / "RESULTS.md"))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workdir", default="/tmp/outcomes-bench", help="generated exports go here")
    parser.add_argument(
        "--naive-budget", type=float, default=600.0, help="skip naive runs projected above (s)"
    )
    parser.add_argument("--mem-limit-gb", type=float, default=16.0, help="kill a measurement above this RSS")
    parser.add_argument(
        "--naive-single-run-s",
        type=float,
        default=120.0,
        help="a naive run longer than this is not repeated (reported as 1 run)",
    )
    parser.add_argument("--tasks", nargs="+", default=list(TASKS), choices=TASKS)
    parser.add_argument("--keep-data", action="store_true", help="keep the generated files")
    # worker mode (internal)
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--data", help=argparse.SUPPRESS)
    parser.add_argument("--result", help=argparse.SUPPRESS)
    parser.add_argument("--units", help=argparse.SUPPRESS)
    parser.add_argument("--save", help=argparse.SUPPRESS)
    parser.add_argument("--n", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        return worker(args)

    sizes = args.sizes or (QUICK_SIZES if args.quick else FULL_SIZES)
    sizes = sorted(set(sizes))
    if args.repeat is None:
        args.repeat = 1 if args.quick else 3
    workdir = Path(args.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    runner = Runner(args)
    for stale in workdir.glob("check_*.pkl"):
        stale.unlink()
    started = _dt.datetime.now(_dt.UTC)
    t_start = time.perf_counter()

    versions = runner.run_worker("versions").get("versions", {})
    machine = machine_info()
    has_pg = bool(versions.get("pingouin"))
    tasks = [t for t in args.tasks if t != "naive_pingouin" or has_pg]
    print(
        f"# outcomes benchmark: {machine['cpu']}, {machine['cores']} cores, {_fmt_bytes(machine['ram'])} RAM; "
        + ", ".join(f"{k} {v}" for k, v in versions.items()),
        flush=True,
    )
    print(f"# sizes {sizes}, repeat {args.repeat}, tasks {tasks}", flush=True)

    once = once_per_run(runner)
    print(
        f"import outcomes {once['import_outcomes']:.3f} s, import pandas {once['import_pandas']:.3f} s "
        f"({once['import_outcomes'] / once['import_pandas']:.2f}x); matplotlib imported: "
        f"{once['matplotlib_imported']}; outcomes report on the sample: {_fmt_s(once['report_seconds'])} s",
        flush=True,
    )

    results: dict[int, dict] = {}
    naive_measured: dict[str, list[tuple[int, float]]] = {"naive_scipy": [], "naive_pingouin": []}
    naive_rss: dict[str, list[tuple[int, float]]] = {"naive_scipy": [], "naive_pingouin": []}
    naive_stopped: dict[str, str] = {}
    checks: dict = {}
    header = (
        f"{'rows':>11} {'task':<15} {'median s':>9} {'runs':>24} {'peak RSS':>10} {'peak/frame':>10}  note"
    )
    for n in sizes:
        data_dir = workdir / f"rows_{n}"
        print(f"\n## {n:,} rows: generating ...", flush=True)
        prep = runner.run_worker(
            "prepare",
            data=data_dir,
            n=n,
            seed=args.seed,
            timeout=7200,
            mem_limit=int(max(runner.mem_limit, 0.9 * (machine["ram"] or 0))),
        )
        if prep.get("status") != "ok":
            results[n] = {"meta": None, "error": prep.get("status")}
            continue
        meta = {
            k: prep[k]
            for k in ("n_rows", "n_clients", "frame_bytes", "csv_bytes", "parquet_bytes", "generate_seconds")
        }
        print(
            f"   {meta['n_rows']:,} rows, {meta['n_clients']:,} clients, canonical frame "
            f"{_fmt_bytes(meta['frame_bytes'])}, CSV {_fmt_bytes(meta['csv_bytes'])}, "
            f"Parquet {_fmt_bytes(meta['parquet_bytes'])} (generated and validated in "
            f"{meta['generate_seconds']:.1f} s)",
            flush=True,
        )
        print(header, flush=True)
        per_task: dict[str, list[dict]] = {t: [] for t in tasks}
        notes: dict[str, str] = {}
        units: dict | None = None
        # decide the naive runs for this size before starting
        run_naive: dict[str, bool] = {}
        for t in ("naive_scipy", "naive_pingouin"):
            if t not in tasks:
                continue
            if t in naive_stopped:
                run_naive[t] = False
                notes[t] = naive_stopped[t]
                continue
            proj_t = _project(naive_measured[t], meta["n_rows"])
            proj_m = _project(naive_rss[t], meta["n_rows"])
            if not math.isnan(proj_t) and proj_t > args.naive_budget:
                naive_stopped[t] = f"skipped: projected {proj_t:.0f} s > budget {args.naive_budget:.0f} s"
            elif not math.isnan(proj_m) and proj_m + meta["frame_bytes"] + 3e8 > runner.mem_limit:
                naive_stopped[t] = (
                    f"skipped: projected peak RSS {_fmt_bytes(proj_m)} > {_fmt_bytes(runner.mem_limit)}"
                )
            run_naive[t] = t not in naive_stopped
            if not run_naive[t]:
                notes[t] = naive_stopped[t]
        first_size = n == sizes[0]
        for rep in range(args.repeat):
            for t in tasks:
                if t.startswith("naive") and not run_naive.get(t):
                    continue
                if t.startswith("naive") and rep > 0 and per_task[t]:
                    first = per_task[t][0]
                    if first.get("status") != "ok":
                        continue
                    if first["seconds"] > args.naive_single_run_s:
                        notes[t] = (
                            f"1 run only (first run {first['seconds']:.0f} s > {args.naive_single_run_s:.0f} s)"
                        )
                        continue
                extra: dict = {}
                timeout = 7200.0
                if t.startswith("naive"):
                    timeout = max(2 * args.naive_budget, 60.0)
                if t == "floor":
                    if units is None:
                        notes[t] = "no summarize result: n per level unknown"
                        continue
                    extra["units"] = json.dumps(units)
                if first_size and rep == 0 and t in ("summarize", "naive_scipy", "naive_pingouin"):
                    extra["save"] = str(workdir / f"check_{t}.pkl")
                res = runner.run_worker(t, data=data_dir, timeout=timeout, **extra)
                per_task[t].append(res)
                if t == "summarize" and res.get("status") == "ok" and units is None:
                    units = res["n_units"]
                if res.get("status") != "ok" and t.startswith("naive"):
                    naive_stopped[t] = f"stopped: {res.get('status')} at {meta['n_rows']:,} rows"
                    notes[t] = naive_stopped[t]
        for t in tasks:
            ok = [r for r in per_task[t] if r.get("status") == "ok"]
            fails = [r["status"] for r in per_task[t] if r.get("status") != "ok"]
            if fails and t not in notes:
                notes[t] = "; ".join(sorted(set(fails)))
            if t.startswith("naive") and ok:
                naive_measured[t].append((meta["n_rows"], _median(ok, "seconds")))
                naive_rss[t].append((meta["n_rows"], _median(ok, "peak_rss") - _median(ok, "rss_baseline")))
            med = _median(ok, "seconds")
            peak = _median(ok, "peak_rss")
            runs = ", ".join(_fmt_s(r["seconds"]) for r in ok)
            print(
                f"{meta['n_rows']:>11,} {t:<15} {_fmt_s(med):>9} {runs[:24]:>24} {_fmt_bytes(peak):>10} "
                f"{_fmt_x(peak / meta['frame_bytes']):>10}  {notes.get(t, '')}",
                flush=True,
            )
        results[n] = {"meta": meta, "runs": per_task, "notes": notes, "units": units}
        if first_size and "summarize" in tasks:
            for t in ("naive_scipy", "naive_pingouin"):
                s_pkl, n_pkl = workdir / "check_summarize.pkl", workdir / f"check_{t}.pkl"
                if s_pkl.exists() and n_pkl.exists():
                    try:
                        checks[t] = crosscheck(s_pkl, n_pkl)
                    except Exception as exc:  # report, never hide
                        checks[t] = {"error": f"{type(exc).__name__}: {exc}"}
                    print(f"   cross-check summarize vs {t}: {checks[t]}", flush=True)
        if not args.keep_data:
            shutil.rmtree(data_dir, ignore_errors=True)

    # naive extrapolation beyond the measured sizes (linear in rows, labelled)
    for n, res in results.items():
        meta = res.get("meta")
        if not meta:
            continue
        for t in ("naive_scipy", "naive_pingouin"):
            if t not in tasks:
                continue
            ok = [r for r in res["runs"].get(t, []) if r.get("status") == "ok"]
            if not ok and naive_measured[t]:
                n0, v0 = naive_measured[t][-1]
                res.setdefault("extrapolated", {})[t] = v0 * meta["n_rows"] / n0
    elapsed = time.perf_counter() - t_start
    md = render(results, once, versions, machine, sizes, args, tasks, checks, started, elapsed, runner.log)
    Path(args.out).write_text(md)
    raw = {
        "started": started.isoformat(),
        "argv": sys.argv[1:],
        "machine": machine,
        "versions": versions,
        "once": once,
        "checks": checks,
        "log": runner.log,
        "sizes": {str(n): r for n, r in results.items()},
    }
    Path(args.out).with_suffix(".json").write_text(json.dumps(raw, indent=1, default=str))
    print(f"\nwrote {args.out} ({elapsed / 60:.1f} min)", flush=True)
    print(md.split("## Targets", 1)[1] if "## Targets" in md else "", flush=True)
    return 0


# =======================================================================================
# RESULTS.md
# =======================================================================================
def _size_stats(res: dict, tasks: list[str]) -> dict:
    meta = res["meta"]
    out: dict = {"rows": meta["n_rows"], "frame": meta["frame_bytes"]}
    for t in tasks:
        ok = [r for r in res["runs"].get(t, []) if r.get("status") == "ok"]
        out[t] = _median(ok, "seconds")
        out[f"{t}_peak"] = _median(ok, "peak_rss")
        out[f"{t}_n"] = len(ok)
        out[f"{t}_runs"] = [r["seconds"] for r in ok]
        out[f"{t}_baseline"] = _median(ok, "rss_baseline")
        out[f"{t}_loaded"] = _median(ok, "rss_loaded")
    fl = [r for r in res["runs"].get("floor", []) if r.get("status") == "ok"]
    for comp in ("groupby", *(f"draw_{lv}" for lv in LEVELS), *(f"clients_draw_{lv}" for lv in LEVELS)):
        out[f"floor_{comp}"] = _median(fl, comp)
    out["clients_floor"] = _median(fl, "clients_floor")
    out["extrapolated"] = res.get("extrapolated", {})
    return out


def render(results, once, versions, machine, sizes, args, tasks, checks, started, elapsed, log) -> str:
    L: list[str] = []
    L.append("# outcomes performance benchmark")
    L.append("")
    L.append(
        f"Generated by `python benchmarks/run.py {' '.join(sys.argv[1:])}`".rstrip()
        + f" on {started:%Y-%m-%d %H:%M} UTC, {elapsed / 60:.0f} min. Issue 8."
    )
    L.append("")
    L.append("## Machine and versions")
    L.append("")
    L.append(
        f"- CPU: {machine['cpu']}, {machine['cores']} cores (affinity {machine['affinity']}); "
        f"RAM {_fmt_bytes(machine['ram'])}; Linux {machine['kernel']}"
    )
    L.append("- " + ", ".join(f"{k} {v if v else 'not installed'}" for k, v in versions.items()))
    L.append(
        f"- Sizes {', '.join(f'{s:,}' for s in sizes)} target rows from "
        f"`generate_rows(n, seed={args.seed})`; median of {args.repeat} run(s), each in a fresh "
        "subprocess, repeats interleaved across tasks."
    )
    L.append("")
    L.append("## Method")
    L.append("")
    L.append(
        '- **summarize**: `summarize(SessionData(canonical frame), by="condition", '
        'level=["session", "followup", "course"])`, default 2,000 BCa resamples; only the call is timed '
        "(the frame is read from Parquet first). The bootstrap intervals of the table rows run on a thread "
        "per core (`workers=None`, the default); **summarize, 1 thread** is the same call with `workers=1`, "
        "on one core like the floor."
    )
    L.append(
        "- **floor**: one pandas groupby (count, sum, sum of squares of `score` by condition x measure x "
        "timepoint) + per level one draw of 2,000 x n int64 bootstrap indices (chunks of 1e6 elements) and "
        "the gather-and-mean over a per-client vector; n = Σ `n_clients` of that level's rows in the "
        "summary (the client-level units the summary resamples)."
    )
    L.append(
        "- **naive (scipy)**: per condition x measure (conditions split and exploded), `pivot_table` and "
        "per-client means with pandas, then `ttest_rel`, `wilcoxon`, d_z, `scipy.stats.bootstrap(2000, BCa)`; "
        "all three levels. **naive (pingouin)**: the same loop with `pg.ttest(paired=True)`, `pg.wilcoxon`, "
        "`pg.compute_effsize`, `pg.compute_bootci(n_boot=2000)`."
    )
    L.append(
        "- **read CSV / Parquet**: `read_sessions` of the export in the `long` layout (`to_layout`), written "
        "once per size."
    )
    L.append(
        "- **peak RSS**: `VmHWM` of the measuring subprocess, reset (`/proc/self/clear_refs`) after the input "
        "was loaded (and, for the analysis tasks, after pyarrow's allocator returned the pages it cached while "
        "reading: `release_unused()`), so it covers the measured call plus what was resident before it "
        "(interpreter, libraries, the canonical frame). *peak/frame* divides it by "
        "`frame.memory_usage(deep=True).sum()`; *base* is the RSS of the subprocess after its imports and "
        "before it read any data (about 180 MB: Python, numpy, pandas, scipy, pyarrow), and *(peak − base)/frame* "
        "is the memory the data need, the figure the 3x target is judged on; *(peak − loaded)/frame* is what the "
        "call itself adds above its loaded input (the reads have no loaded input: their whole peak is the call)."
    )
    L.append("")

    stats = {n: _size_stats(r, tasks) for n, r in results.items() if r.get("meta")}
    L.append("## Times (median seconds)")
    L.append("")
    cols = ["rows", "clients", "frame", "summarize", "floor", "summarize / floor"]
    if "summarize_serial" in tasks:
        cols += ["summarize, 1 thread", "1 thread / floor"]
    if "naive_scipy" in tasks:
        cols += ["naive scipy", "naive scipy / summarize"]
    if "naive_pingouin" in tasks:
        cols += ["naive pingouin", "naive pingouin / summarize"]
    cols += ["read CSV", "read Parquet"]
    L.append("| " + " | ".join(cols) + " |")
    L.append("|" + "---:|" * len(cols))
    for n, s in stats.items():
        meta = results[n]["meta"]
        row = [
            f"{s['rows']:,}",
            f"{meta['n_clients']:,}",
            _fmt_bytes(s["frame"]),
            _fmt_s(s.get("summarize")),
            _fmt_s(s.get("floor")),
            _fmt_x(s.get("summarize", math.nan) / s.get("floor", math.nan)),
        ]
        if "summarize_serial" in tasks:
            row += [
                _fmt_s(s.get("summarize_serial")),
                _fmt_x(s.get("summarize_serial", math.nan) / s.get("floor", math.nan)),
            ]
        for t in ("naive_scipy", "naive_pingouin"):
            if t not in tasks:
                continue
            v = s.get(t, math.nan)
            if math.isnan(v) and t in s["extrapolated"]:
                e = s["extrapolated"][t]
                row += [
                    f"~{_fmt_s(e)} (extrapolated)",
                    f"~{_fmt_x(e / s.get('summarize', math.nan))} (extrapolated)",
                ]
            else:
                row += [_fmt_s(v), _fmt_x(v / s.get("summarize", math.nan))]
        row += [_fmt_s(s.get("read_csv")), _fmt_s(s.get("read_parquet"))]
        L.append("| " + " | ".join(row) + " |")
    L.append("")
    L.append("Floor components (median s) and the number of resampled units per level:")
    L.append("")
    L.append(
        "| rows | groupby | draw session | draw followup | draw course | n session | n followup | n course |"
    )
    L.append("|---:|---:|---:|---:|---:|---:|---:|---:|")
    for n, s in stats.items():
        u = results[n].get("units") or {}
        L.append(
            f"| {s['rows']:,} | {_fmt_s(s.get('floor_groupby'))} | "
            + " | ".join(_fmt_s(s.get(f"floor_draw_{lv}")) for lv in LEVELS)
            + " | "
            + " | ".join(f"{u.get(lv, 0):,}" for lv in LEVELS)
            + " |"
        )
    L.append("")
    L.append(
        "The issue words the draw as 2,000 x *n_clients* per level. `summarize` resamples each table row's "
        "own clients (a client with two conditions and five measures enters ten rows of a level), so the "
        "floor above draws that many units. Read literally, with each distinct client drawn once per level, "
        "the floor is smaller:"
    )
    L.append("")
    L.append(
        "| rows | clients | draw per level (median s) | literal floor (s) | summarize / literal floor | "
        "summarize, 1 thread / literal floor | naive scipy / floor | naive scipy / literal floor |"
    )
    L.append("|---:|---:|---:|---:|---:|---:|---:|---:|")
    for n, s in stats.items():
        meta = results[n]["meta"]
        draws = ", ".join(_fmt_s(s.get(f"floor_clients_draw_{lv}")) for lv in LEVELS)
        cf = s.get("clients_floor", math.nan)
        naive = s.get("naive_scipy", math.nan)
        if math.isnan(naive):
            naive = s["extrapolated"].get("naive_scipy", math.nan)
        L.append(
            f"| {s['rows']:,} | {meta['n_clients']:,} | {draws} | {_fmt_s(cf)} | "
            f"{_fmt_x(s.get('summarize', math.nan) / cf)} | {_fmt_x(s.get('summarize_serial', math.nan) / cf)} | "
            f"{_fmt_x(naive / s.get('floor', math.nan))} | "
            f"{_fmt_x(naive / cf)} |"
        )
    L.append("")
    L.append(
        "*naive / floor* bounds the speed-up over the naive loop that any implementation doing the floor's "
        "work can reach."
    )
    L.append("")
    L.append("All runs (seconds):")
    L.append("")
    for n, s in stats.items():
        parts = [f"{t} [{', '.join(_fmt_s(x) for x in s.get(f'{t}_runs', []))}]" for t in tasks]
        L.append(f"- {s['rows']:,} rows: " + "; ".join(parts))
        for t, note in results[n].get("notes", {}).items():
            L.append(f"  - {t}: {note}")
    L.append("")

    L.append("## Peak memory (RSS)")
    L.append("")
    L.append(
        "| rows | frame | task | peak RSS | peak / frame | base RSS | (peak − base) / frame | (peak − loaded) / frame |"
    )
    L.append("|---:|---:|---|---:|---:|---:|---:|---:|")
    for n, s in stats.items():
        for t in tasks:
            p = s.get(f"{t}_peak", math.nan)
            if math.isnan(p):
                continue
            b = s.get(f"{t}_baseline", math.nan)
            loaded = s.get(f"{t}_loaded", math.nan)
            if math.isnan(loaded):
                loaded = b
            L.append(
                f"| {s['rows']:,} | {_fmt_bytes(s['frame'])} | {t} | {_fmt_bytes(p)} | {_fmt_x(p / s['frame'])} | "
                f"{_fmt_bytes(b)} | {_fmt_x((p - b) / s['frame'])} | {_fmt_x((p - loaded) / s['frame'])} |"
            )
    L.append("")

    L.append("## Once per run")
    L.append("")
    ratio_imp = once["import_outcomes"] / once["import_pandas"]
    L.append(
        f'- `python -c "import outcomes"`: {once["import_outcomes"]:.3f} s; `python -c "import pandas"`: '
        f"{once['import_pandas']:.3f} s (median of 5, interleaved); ratio {ratio_imp:.2f}x. Runs: outcomes "
        f"{[round(x, 3) for x in once['import_outcomes_all']]}, pandas {[round(x, 3) for x in once['import_pandas_all']]}."
    )
    L.append(
        f"- `import outcomes` imports matplotlib: {once['matplotlib_imported']}"
        + (f" ({', '.join(once['matplotlib_modules'])})" if once["matplotlib_imported"] else "")
    )
    rep = once["report_seconds"]
    L.append(
        f"- `outcomes report -q -o report.html` on the bundled sample: {_fmt_s(rep)} s (median of "
        f"{len(once['report_all'])}: {[round(x, 2) for x in once['report_all']]})"
        + (f"; error: {once.get('report_error')}" if once.get("report_error") else "")
    )
    L.append("")
    if checks:
        L.append("## Cross-check (smallest size)")
        L.append("")
        L.append(
            "The naive loop computes the same statistics as `summarize` on score scales (tone scales are "
            "analysed by `outcomes` as the distance to their target, which the naive loop does not know). "
            "Wilcoxon p compared where n >= 50 (R's and scipy's `auto` choose different methods below); "
            "bootstrap limits differ by Monte-Carlo error, given relative to the interval width. "
            "pingouin's paired Cohen d (`compute_effsize(paired=True)`) is d_av, not d_z, hence its d_z "
            "difference."
        )
        L.append("")
        for t, c in checks.items():
            L.append(
                f"- {t}: "
                + ", ".join(f"{k} = {v:.3g}" if isinstance(v, float) else f"{k} = {v}" for k, v in c.items())
            )
        L.append("")

    # ---------------------------------------------------------------- targets
    L.append("## Targets")
    L.append("")
    verdicts = targets(stats, results, once, tasks)
    L.append("| target | result | figures |")
    L.append("|---|---|---|")
    for name, verdict, detail in verdicts:
        L.append(f"| {name} | **{verdict}** | {detail} |")
    L.append("")
    if log:
        L.append("## Failures and kills")
        L.append("")
        for line in log:
            L.append("- " + line.replace("\n", " / ")[:600])
        L.append("")
    return "\n".join(L)


def _judged(one_m: dict) -> tuple[float, str, str]:
    """The summarize time a target is judged on: one thread, like the floor and the naive loops,
    when measured; the default (a thread per core) is shown beside it."""
    serial = one_m.get("summarize_serial", math.nan)
    if math.isnan(serial):
        return one_m.get("summarize", math.nan), "summarize", ""
    return serial, "summarize on 1 thread", f"; with its default threads {_fmt_s(one_m['summarize'])} s"


def targets(stats: dict, results: dict, once: dict, tasks: list[str]) -> list[tuple[str, str, str]]:
    out = []
    one_m = next((s for s in stats.values() if 900_000 <= s["rows"] <= 1_100_000), None)
    # 1. summarize within 3x the floor at 1M; like for like: the floor runs on one thread
    if (
        one_m is None
        or math.isnan(one_m.get("summarize", math.nan))
        or math.isnan(one_m.get("floor", math.nan))
    ):
        out.append(("summarize ≤ 3x floor at 1M rows", "NOT MEASURED", "no 1M-row size in this run"))
    else:
        for floor, label in (
            ("floor", "summarize ≤ 3x floor at 1M rows"),
            (
                "clients_floor",
                "summarize ≤ 3x floor at 1M rows, floor read literally (each distinct client drawn once per level)",
            ),
        ):
            if math.isnan(one_m.get(floor, math.nan)):
                continue
            seconds, who, beside = _judged(one_m)
            r = seconds / one_m[floor]
            threaded = one_m["summarize"] / one_m[floor]
            out.append(
                (
                    label,
                    "PASS" if r <= 3 else "FAIL",
                    f"{who}: {_fmt_s(seconds)} s / {_fmt_s(one_m[floor])} s = {r:.2f}x"
                    + (f"{beside} ({threaded:.2f}x)" if beside else ""),
                )
            )
    # 2. >= 100x faster than naive at 1M
    for t, label in (("naive_scipy", "scipy"), ("naive_pingouin", "pingouin")):
        if t not in tasks:
            continue
        name = f"summarize ≥ 100x faster than the naive {label} loop at 1M rows"
        if one_m is None or math.isnan(one_m.get("summarize", math.nan)):
            out.append((name, "NOT MEASURED", "no 1M-row size in this run"))
            continue
        v = one_m.get(t, math.nan)
        tag = ""
        if math.isnan(v) and t in one_m["extrapolated"]:
            v, tag = one_m["extrapolated"][t], " (naive time extrapolated)"
        if math.isnan(v):
            out.append((name, "NOT MEASURED", "naive loop did not run"))
            continue
        seconds, who, beside = _judged(one_m)
        r = v / seconds
        bound = ", ".join(
            f"{v / one_m[f]:.1f}x {label_f}"
            for f, label_f in (("floor", "over the floor"), ("clients_floor", "over the literal floor"))
            if not math.isnan(one_m.get(f, math.nan))
        )
        out.append(
            (
                name,
                ("PASS" if r >= 100 else "FAIL") + tag,
                f"naive {_fmt_s(v)} s / {who} {_fmt_s(seconds)} s = {r:.1f}x"
                + (f"{beside} ({v / one_m['summarize']:.1f}x)" if beside else "")
                + f"; the naive loop is only {bound}, so no implementation doing the floor's work reaches "
                "100x on this data",
            )
        )
    # 3. peak memory <= 3x canonical frame (sizes >= 1M)
    big = [s for s in stats.values() if s["rows"] >= 900_000]
    for t in ("summarize", "read_parquet", "read_csv"):
        if t not in tasks:
            continue
        figs, ok_all, any_m = [], True, False
        for s in big:
            p = s.get(f"{t}_peak", math.nan)
            if math.isnan(p):
                continue
            any_m = True
            r = p / s["frame"]
            b = s.get(f"{t}_baseline", 0)
            rb = (p - b) / s["frame"]
            ok_all &= rb <= 3
            figs.append(
                f"{s['rows']:,} rows: ({_fmt_bytes(p)} − {_fmt_bytes(b)}) / {_fmt_bytes(s['frame'])} = {rb:.2f}x "
                f"(absolute peak / frame {r:.2f}x)"
            )
        scope = "" if t == "summarize" else " (the issue's target, applied to the readers as well)"
        out.append(
            (
                f"peak RSS of {t} above the interpreter's base ≤ 3x canonical frame (≥1M rows){scope}",
                ("PASS" if ok_all else "FAIL") if any_m else "NOT MEASURED",
                "; ".join(figs) or "n/a",
            )
        )
    # growth of summarize memory with size (nothing quadratic)
    pts = [
        (s["rows"], s.get("summarize_peak", math.nan) - s.get("summarize_baseline", 0))
        for s in stats.values()
        if s["rows"] >= 100_000 and not math.isnan(s.get("summarize_peak", math.nan))
    ]
    if len(pts) >= 2:
        (n1, m1), (n2, m2) = pts[-2], pts[-1]
        slope = math.log(m2 / m1) / math.log(n2 / n1)
        out.append(
            (
                "summarize memory grows ~linearly (nothing quadratic)",
                "PASS" if slope <= 1.25 else "FAIL",
                f"log-log slope of (peak − base) RSS from {n1:,} to {n2:,} rows: {slope:.2f}",
            )
        )
    # 4. 10M rows complete
    ten = next((s for s in stats.values() if s["rows"] >= 9_000_000), None)
    ten_res = next((r for r in results.values() if (r.get("meta") or {}).get("n_rows", 0) >= 9_000_000), None)
    if ten is None:
        err = next((r.get("error") for n, r in results.items() if n >= 9_000_000 and not r.get("meta")), None)
        out.append(
            (
                "10M rows complete (24 GB)",
                "FAIL" if err else "NOT MEASURED",
                f"data generation: {err}" if err else "no 10M-row size in this run",
            )
        )
    else:
        done = {t: ten[f"{t}_n"] > 0 for t in ("summarize", "read_parquet", "read_csv") if t in tasks}
        notes = (ten_res or {}).get("notes", {})
        detail = "; ".join(
            f"{t}: {'completed in ' + _fmt_s(ten[t]) + ' s, peak ' + _fmt_bytes(ten[t + '_peak']) if ok else notes.get(t, 'failed')}"
            for t, ok in done.items()
        )
        out.append(("10M rows complete (24 GB)", "PASS" if all(done.values()) else "FAIL", detail))
    # 5. import
    r = once["import_outcomes"] / once["import_pandas"]
    out.append(
        (
            "import outcomes ≤ 1.5x import pandas",
            "PASS" if r <= 1.5 else "FAIL",
            f"{once['import_outcomes']:.3f} s / {once['import_pandas']:.3f} s = {r:.2f}x",
        )
    )
    out.append(
        (
            "import outcomes does not import matplotlib",
            "FAIL" if once["matplotlib_imported"] else "PASS",
            ", ".join(once["matplotlib_modules"]) or "matplotlib not in sys.modules",
        )
    )
    # 6. report
    rep = once["report_seconds"]
    out.append(
        (
            "outcomes report on the sample < 10 s",
            "FAIL" if math.isnan(rep) or rep >= 10 else "PASS",
            f"{_fmt_s(rep)} s"
            + (f" (error: {once.get('report_error', '')[:200]})" if math.isnan(rep) else ""),
        )
    )
    return out


if __name__ == "__main__":
    sys.exit(main())
