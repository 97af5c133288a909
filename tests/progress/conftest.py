"""Fixtures of the progress tests: a simulated practice whose clients improve, stall or worsen."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest


def _practice(n_improve: int = 60, n_stall: int = 12, n_worse: int = 6, sessions: int = 6, seed: int = 4):
    """Pain before each session: most clients improve along -1.6 log(session), some stall, a few
    get worse; every client has their own start and noise."""
    rng = np.random.default_rng(seed)
    kinds = ["improve"] * n_improve + ["stall"] * n_stall + ["worse"] * n_worse
    rows = []
    for i, kind in enumerate(kinds):
        start = rng.normal(6.5, 1.0)
        slope = {"improve": rng.normal(-1.6, 0.4), "stall": 0.0, "worse": 1.2}[kind]
        for s in range(1, sessions + 1):
            score = np.clip(np.round(start + slope * np.log(s) + rng.normal(0, 0.6)), 0, 10)
            rows.append((f"C{i:03d}", s, "pre", "pain_nrs", score, "pelvic_pain", kind))
    return pd.DataFrame(
        rows, columns=["client_id", "session", "timepoint", "measure", "score", "condition", "kind"]
    )


@pytest.fixture(scope="session")
def make_practice():
    """The simulated practice, as a function of its shares and seed (see ``_practice``)."""
    return _practice
