"""Fixtures of the reader tests: a small long export, and helpers to write it and to compare reads."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import outcomes as oc
from outcomes.datasets.model import KEY

LONG = """client_id,session,timepoint,measure,score,condition,age_band
C1,1,pre,pain_nrs,6,pelvic_pain,25-34
C1,1,post,pain_nrs,4,pelvic_pain,25-34
C1,2,pre,pain_nrs,5,pelvic_pain,25-34
C1,2,post,pain_nrs,3.5,pelvic_pain,25-34
C2,1,pre,stress_nrs,7,headache;tmj,35-44
C2,1,followup,stress_nrs,5,headache;tmj,35-44
"""


def _canon(data: oc.SessionData) -> pd.DataFrame:
    f = data.frame
    return f.sort_values(list(KEY)).reset_index(drop=True)


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def long_csv() -> str:
    """A long export of two clients (six rows): the text of a CSV file."""
    return LONG


@pytest.fixture(scope="session")
def write_file():
    """``write_file(path, text) -> path``: the text written as UTF-8."""
    return _write


@pytest.fixture(scope="session")
def canon():
    """``canon(data)``: the frame of a read, in the generator's row order, to compare two reads."""
    return _canon
