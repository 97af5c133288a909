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


def test_trajectory_by_weeks_counts_each_client_once_per_week():
    """Hand-computed: A is seen on days 0 and 3 (week 0: scores 8 and 6, their mean 7) and day 9
    (week 1: 5); B on days 0 and 14 (weeks 0 and 2: 6, 4). Week 0's before-average is over two
    clients, (7 + 6) / 2, not over three sessions."""
    import pandas as pd

    from outcomes.summary import trajectory

    df = pd.DataFrame(
        {
            "client_id": ["A", "A", "A", "B", "B"],
            "session": [1, 2, 3, 1, 2],
            "timepoint": "pre",
            "measure": "pain_nrs",
            "score": [8.0, 6.0, 5.0, 6.0, 4.0],
            "condition": "tmj",
            "days_from_first": [0, 3, 9, 0, 14],
        }
    )
    weeks = trajectory(df, measure="pain", by=None, time="weeks").set_index("weeks")
    assert weeks.index.tolist() == [0, 1, 2]
    assert weeks.loc[0, "n_clients"] == 2 and weeks.loc[0, "mean"] == pytest.approx(6.5)
    assert weeks.loc[1, "mean"] == 5.0 and weeks.loc[2, "mean"] == 4.0
    days = trajectory(df, measure="pain", by=None, time="days").set_index("days")
    assert days.index.tolist() == [0, 3, 9, 14] and days.loc[0, "mean"] == pytest.approx(7.0)
    by_session = trajectory(df, measure="pain", by=None)
    assert by_session["session"].tolist() == [1, 2, 3]
    from outcomes.errors import SchemaError

    with pytest.raises(SchemaError, match="needs a days_from_first column"):
        trajectory(df.drop(columns="days_from_first"), measure="pain", time="weeks")
    with pytest.raises(ValueError, match="time"):
        trajectory(df, measure="pain", time="months")
