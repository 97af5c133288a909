"""Fixtures of the figure tests: the long sample, its summary, and helpers that read the text drawn.

The literature comparison (``comparison``) is a fixture of tests/conftest.py.
"""

from __future__ import annotations

import matplotlib
import pytest
from matplotlib.text import Text

import outcomes as oc
from outcomes import plots

matplotlib.use("Agg")  # tests/conftest.py sets MPLBACKEND too; pyplot is imported by the test files

SAMPLE = "synthetic_practice_long.csv"


@pytest.fixture(scope="module")
def data(samples):
    return oc.read_sessions(samples / SAMPLE)


@pytest.fixture(scope="module")
def table(data):
    return oc.summarize(data, level=["session", "course"], n_boot=200)


def _plain(text: str) -> str:
    """Text as read: wrapping newlines and non-breaking spaces as single spaces."""
    return " ".join(text.split())


def _texts(ax) -> list[str]:
    return [_plain(t.get_text()) for t in ax.figure.findobj(Text) if t.get_text()]


def _title(ax) -> str:
    return _plain(ax.get_title(loc="left") or getattr(ax, "outcomes_title", ""))


def _padded(lo: float, hi: float) -> tuple[float, float]:
    """The instrument's range plus plots.PAD (3%) of it on each side."""
    pad = plots.PAD * (hi - lo)
    return lo - pad, hi + pad


@pytest.fixture(scope="session")
def plain_text():
    """``plain_text(text)``: wrapping newlines and non-breaking spaces as single spaces."""
    return _plain


@pytest.fixture(scope="session")
def texts_of():
    """``texts_of(ax)``: every non-empty text of the figure, as read."""
    return _texts


@pytest.fixture(scope="session")
def title_of():
    """``title_of(ax)``: the figure's title, as read."""
    return _title


@pytest.fixture(scope="session")
def padded():
    """``padded(lo, hi)``: the axis limits of an instrument's range (plus plots.PAD on each side)."""
    return _padded
