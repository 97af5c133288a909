"""Does the not-on-track signal work? Simulated practices where a known share of clients stalls
or gets worse; the signal is run at every visit on the scores recorded so far.

For each practice (seeded) and visit k = 2 … K, :func:`outcomes.not_on_track` is given the scores of
sessions 1 … k and judged against the truth: sensitivity (clients who stall or worsen, flagged
``not on track`` or ``reliably worse``), specificity (clients who improve as most do, not flagged),
and the session at which each stalling client is first flagged. The same for the published-rule
fallback alone (``min_clients`` set so high that no practice model is fitted).

    python benchmarks/bench_not_on_track.py [--practices 5] [--clients 150] [--sessions 8]

Prints a Markdown table (the figures of the issue's note) and the wall time.
"""

from __future__ import annotations

import argparse
import time
import warnings

import numpy as np
import pandas as pd

import outcomes as oc

FLAGS = ("not on track", "reliably worse")


def practice(n_clients: int, sessions: int, seed: int, share_stall: float = 0.15, share_worse: float = 0.05):
    """Pain before each session: most clients improve along their own slope on log(session), a
    share stalls (slope 0), a share gets worse; intake around 6.5, noise 0.7, scores whole 0–10."""
    rng = np.random.default_rng(seed)
    kind = rng.choice(
        ["improve", "stall", "worse"], n_clients, p=[1 - share_stall - share_worse, share_stall, share_worse]
    )
    start = rng.normal(6.5, 1.1, n_clients)
    slope = np.where(kind == "improve", rng.normal(-1.6, 0.5, n_clients), np.where(kind == "stall", 0.0, 1.0))
    s = np.arange(1, sessions + 1)
    score = start[:, None] + slope[:, None] * np.log(s)[None, :] + rng.normal(0, 0.7, (n_clients, sessions))
    ids = np.array([f"C{i:04d}" for i in range(n_clients)])
    frame = pd.DataFrame(
        {
            "client_id": np.repeat(ids, sessions),
            "session": np.tile(s, n_clients),
            "timepoint": "pre",
            "measure": "pain_nrs",
            "score": np.clip(np.round(score), 0, 10).ravel(),
            "condition": "pelvic_pain",
        }
    )
    return frame, pd.Series(kind, index=ids)


def judge(frame: pd.DataFrame, truth: pd.Series, k: int, min_clients: int) -> tuple[float, float, pd.Series]:
    seen = frame[frame["session"] <= k]
    out = oc.not_on_track(seen, measure="pain_nrs", min_clients=min_clients).set_index("client_id")
    flagged = out["status"].isin(FLAGS).reindex(truth.index, fill_value=False)
    bad = truth != "improve"
    return float(flagged[bad].mean()), float((~flagged[~bad]).mean()), flagged


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--practices", type=int, default=5)
    ap.add_argument("--clients", type=int, default=150)
    ap.add_argument("--sessions", type=int, default=8)
    args = ap.parse_args()
    warnings.simplefilter("ignore")
    t0 = time.perf_counter()
    rows = []
    first: dict[str, list[float]] = {"practice history": [], "published rule": []}
    for seed in range(args.practices):
        frame, truth = practice(args.clients, args.sessions, seed)
        for rule, min_clients in (("practice history", oc.progress.MIN_CLIENTS), ("published rule", 10**9)):
            flagged_at = pd.Series(np.nan, index=truth.index)
            for k in range(2, args.sessions + 1):
                sens, spec, flagged = judge(frame, truth, k, min_clients)
                rows.append((rule, seed, k, sens, spec))
                flagged_at[flagged & flagged_at.isna()] = k
            stalled = truth.index[truth != "improve"]
            first[rule] += flagged_at[stalled].tolist()
    table = pd.DataFrame(rows, columns=["rule", "seed", "session", "sensitivity", "specificity"])
    mean = table.groupby(["rule", "session"])[["sensitivity", "specificity"]].mean().unstack("rule")
    print(
        f"{args.practices} practices x {args.clients} clients, {args.sessions} sessions; 15% stall, 5% worsen\n"
    )
    print(
        "| session | sensitivity: practice | specificity: practice | sensitivity: published rule | specificity: published rule |"
    )
    print("|---:|---:|---:|---:|---:|")
    for k, r in mean.iterrows():
        print(
            f"| {k} | {r[('sensitivity', 'practice history')]:.2f} | {r[('specificity', 'practice history')]:.2f} | "
            f"{r[('sensitivity', 'published rule')]:.2f} | {r[('specificity', 'published rule')]:.2f} |"
        )
    for rule, values in first.items():
        v = np.array(values, dtype=float)
        never = np.isnan(v).mean()
        print(
            f"\n{rule}: stalling or worsening clients first flagged at a median session "
            f"{np.nanmedian(v):.0f} (middle half {np.nanpercentile(v, 25):.0f} to {np.nanpercentile(v, 75):.0f}); "
            f"{never:.0%} never flagged by session {args.sessions}"
        )
    print(f"\nwall time {time.perf_counter() - t0:.0f} s")


if __name__ == "__main__":
    main()
