"""outcomes.summary.trajectories: the mean score by session and timepoint, with its t interval."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats


def test_trajectory_matches_scipy_t_interval(pairs_frame, rng):
    """Per session and timepoint: mean and t interval of the clients' scores (scipy.stats.t.interval)."""
    from outcomes.summary import trajectory

    pre = rng.integers(3, 9, size=12).astype(float)
    post = np.clip(pre - rng.integers(0, 3, size=12), 0, 10)
    df = pairs_frame(pre, post)
    out = trajectory(df, measure="pain").set_index(["condition", "session", "timepoint"])
    for tp, values in (("pre", pre), ("post", post)):
        row = out.loc[("tmj", 1, tp)]
        lo, hi = stats.t.interval(0.95, len(values) - 1, loc=values.mean(), scale=stats.sem(values))
        assert row["n_clients"] == 12 and row["mean"] == pytest.approx(values.mean())
        assert row["ci_low"] == pytest.approx(lo) and row["ci_high"] == pytest.approx(hi)
