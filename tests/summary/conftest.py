"""Fixtures of the summary tests: canonical frames built from lists of scores."""

from __future__ import annotations

import pandas as pd
import pytest

from outcomes.schema import CANONICAL_COLUMNS


def _pairs_frame(pre, post, *, measure="pain_nrs", condition="tmj", sessions=None) -> pd.DataFrame:
    """One client per pair (or several sessions per client when ``sessions`` gives client ids)."""
    rows = []
    ids = sessions if sessions is not None else [f"C{i:03d}" for i in range(len(pre))]
    counter: dict[str, int] = {}
    for cid, a, b in zip(ids, pre, post, strict=True):
        counter[cid] = counter.get(cid, 0) + 1
        rows.append((cid, counter[cid], "pre", measure, a, condition))
        rows.append((cid, counter[cid], "post", measure, b, condition))
    return pd.DataFrame(rows, columns=list(CANONICAL_COLUMNS))


def _course_frame(first, last, *, measure="pain_nrs", condition="tmj") -> pd.DataFrame:
    """One client per pair: ``first`` at session 1 pre, ``last`` at session 2 pre (the course level)."""
    rows = []
    for i, (a, b) in enumerate(zip(first, last, strict=True)):
        rows.append((f"C{i:03d}", 1, "pre", measure, a, condition))
        rows.append((f"C{i:03d}", 2, "pre", measure, b, condition))
    return pd.DataFrame(rows, columns=list(CANONICAL_COLUMNS))


@pytest.fixture(scope="session")
def pairs_frame():
    """``pairs_frame(pre, post, *, measure="pain_nrs", condition="tmj", sessions=None)``: pre and post
    scores of one session per client (several when ``sessions`` repeats client ids)."""
    return _pairs_frame


@pytest.fixture(scope="session")
def course_frame():
    """``course_frame(first, last, *, measure="pain_nrs", condition="tmj")``: the pre scores of each
    client's first and second session."""
    return _course_frame
