"""Shared fixtures: Agg backend, closed figures, a seeded rng, small canonical frames."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

os.environ.setdefault("MPLBACKEND", "Agg")

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "data_samples"


@pytest.fixture
def rng() -> np.random.Generator:
    return np.random.default_rng(20261126)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    import sys

    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")


@pytest.fixture
def tiny_long() -> pd.DataFrame:
    """Two clients, two sessions, pain and stress: a canonical long frame."""
    rows = []
    for client, cond, base in (("C01", "pelvic_pain", 6), ("C02", "headache;tmj", 4)):
        for session in (1, 2):
            for measure, shift in (("pain_nrs", 0), ("stress_nrs", -1)):
                pre = base - session + shift
                rows.append((client, session, "pre", measure, pre, cond, "CST", "25-34"))
                rows.append((client, session, "post", measure, pre - 1, cond, "CST", "25-34"))
    return pd.DataFrame(
        rows,
        columns=[
            "client_id",
            "session",
            "timepoint",
            "measure",
            "score",
            "condition",
            "technique",
            "age_band",
        ],
    )


@pytest.fixture
def samples() -> Path:
    return SAMPLES
