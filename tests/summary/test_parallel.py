"""outcomes.summary.parallel: the bootstrap intervals of the rows: one seeded stream per row, the same
table on any number of threads, the workers argument."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from outcomes.datasets import generate_practice
from outcomes.summary import LEVELS, summarize


def test_bootstrap_is_seeded_and_rows_are_independent(pairs_frame, rng):
    pre = rng.integers(2, 10, size=60).astype(float)
    post = np.clip(pre - rng.normal(1, 1.5, size=60).round(1), 0, 10)
    df = pd.concat(
        [
            pairs_frame(pre[:30], post[:30], condition="tmj"),
            pairs_frame(pre[30:], post[30:], condition="headache").assign(
                client_id=lambda d: "H" + d.client_id
            ),
        ]
    )
    a = summarize(df, seed=3)
    pd.testing.assert_frame_equal(a, summarize(df, seed=3))
    c = summarize(df, seed=4)
    assert not np.allclose(a["boot_ci_low"], c["boot_ci_low"])
    only_tmj = summarize(df[df.condition == "tmj"], seed=3)
    assert only_tmj["boot_ci_low"].iloc[0] == a.set_index("condition").loc["tmj", "boot_ci_low"]


def test_threads_do_not_change_the_table():
    """The bootstrap intervals run on a thread pool; each row keeps its own stream, so any number
    of threads (and the order in which they finish) gives the same table, bit for bit."""
    practice = generate_practice(n_clients=80, seed=2)
    levels = list(LEVELS)
    one = summarize(practice, level=levels, n_boot=300, workers=1)
    assert one["boot_ci_low"].notna().sum() > 20
    for workers in (2, 5, None):
        pd.testing.assert_frame_equal(summarize(practice, level=levels, n_boot=300, workers=workers), one)


@pytest.mark.parametrize("workers", [0, -1, 1.5, "2", True])
def test_workers_must_be_a_positive_integer(workers):
    with pytest.raises(ValueError, match="workers must be a positive integer or None"):
        summarize(generate_practice(n_clients=5, seed=1), workers=workers)
