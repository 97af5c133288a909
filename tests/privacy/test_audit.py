"""outcomes.privacy.audit: the attacker's integer programme, checked against brute force.

For tables small enough to list every whole-number filling of their hidden cells, the range of
each hidden count is found by enumeration (itertools.product) and compared with the integer
programme's, and the fast :meth:`Disclosure.narrowed` with the exact :meth:`Disclosure.ranges`.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

from outcomes.privacy import suppress_counts
from outcomes.privacy.audit import Disclosure

MIN = 11


def _model(values: np.ndarray, hidden: np.ndarray) -> Disclosure:
    """A table whose last row and column are totals, as an attacker sees it."""
    d = Disclosure(MIN)
    n_r, n_c = values.shape
    for (i, j), v in np.ndenumerate(values):
        d.count((i, j), v, shown=not hidden[i, j])
    for i in range(n_r):
        d.equal({**{(i, j): 1.0 for j in range(n_c - 1)}, (i, n_c - 1): -1.0})
    for j in range(n_c):
        d.equal({**{(i, j): 1.0 for i in range(n_r - 1)}, (n_r - 1, j): -1.0})
    return d


def _brute_force(values: np.ndarray, hidden: np.ndarray) -> dict[tuple[int, int], tuple[int, int]]:
    """Every filling of the hidden cells (small ones 1..MIN−1, others 0..grand total) that keeps
    each row and column summing to its total: the range of each hidden small cell."""
    cells = [tuple(c) for c in np.argwhere(hidden)]
    top = int(values[-1, -1])
    choices = [range(1, MIN) if 1 <= values[c] < MIN else range(top + 1) for c in cells]
    seen: dict[tuple[int, int], list[int]] = {c: [] for c in cells}
    for filling in itertools.product(*choices):
        table = values.copy()
        for c, v in zip(cells, filling, strict=True):
            table[c] = v
        if np.all(table[:-1, :-1].sum(axis=1) == table[:-1, -1]) and np.all(
            table[:-1, :].sum(axis=0) == table[-1, :]
        ):
            for c, v in zip(cells, filling, strict=True):
                seen[c].append(v)
    return {c: (min(v), max(v)) for c, v in seen.items() if 1 <= values[c] < MIN}


def _random_table(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    inner = rng.choice([0, 1, 2, 3, 5, 8, 12, 15, 20], size=(2, 3))
    values = np.zeros((3, 4))
    values[:2, :3] = inner
    values[:2, 3] = inner.sum(axis=1)
    values[2, :] = values[:2, :].sum(axis=0)
    hidden = np.zeros(values.shape, dtype=bool)
    # hide every small inner cell and one or two more at random, leaving at most 4 hidden
    hidden[:2, :3] = (inner >= 1) & (inner < MIN)
    extra = rng.choice(6, size=rng.integers(1, 3), replace=False)
    hidden[:2, :3].flat[extra] = True
    return values, hidden


@pytest.mark.parametrize("seed", range(12))
def test_ranges_equal_brute_force(seed):
    rng = np.random.default_rng(seed)
    values, hidden = _random_table(rng)
    while hidden.sum() > 4 or not ((values >= 1) & (values < MIN) & hidden).any():
        values, hidden = _random_table(rng)
    expected = _brute_force(values, hidden)
    d = _model(values, hidden)
    targets = {c: {c: 1.0} for c in expected}
    got = d.ranges(targets).set_index("target")
    for c, (lo, hi) in expected.items():
        assert (got.loc[[c], "low"].item(), got.loc[[c], "high"].item()) == (lo, hi), (values, hidden, c)
    for width in (1, 2, 3):
        fast = d.narrowed(targets, width)
        exact = got[got["width"] < width]
        assert set(fast["target"]) == set(exact.index), (width, values, hidden)


def test_two_small_cells_summing_to_three_are_one_or_two():
    """A row of 23 split 1 + 2 + 20 with the 1 and the 2 hidden: each is 1 or 2. The table-by-table
    rule leaves that (nothing is pinned to one value); the audit's width says it is narrow."""
    values = np.array([[1, 2, 20, 23], [12, 14, 13, 39], [13, 16, 33, 62]], dtype=float)
    _, hidden = suppress_counts(pd.DataFrame(values), min_cell=MIN, row_total=3, col_total=2)
    mask = hidden.to_numpy()
    assert mask.tolist() == [[True, True, False, False], [True, True, False, False], [False] * 4]
    d = _model(values, mask)
    targets = {(0, 0): {(0, 0): 1.0}, (0, 1): {(0, 1): 1.0}}
    ranges = d.ranges(targets)
    assert ranges[["low", "high"]].to_numpy().tolist() == [[1, 2], [1, 2]]  # not pinned, but narrow
    assert set(d.narrowed(targets, 2)["target"]) == {(0, 0), (0, 1)}


def test_a_difference_is_a_target_too():
    """Served 20, new hidden (true 13): returning = served − new is in 20 − [0, 20]."""
    d = Disclosure(MIN)
    d.count("served", 20, shown=True)
    d.count("new", 13, shown=False)
    d.at_most({"new": 1.0, "served": -1.0})
    row = d.ranges({"returning": {"served": 1.0, "new": -1.0}}).iloc[0]
    assert (row["true"], row["low"], row["high"]) == (7.0, 0.0, 20.0)


def test_an_unbounded_count_has_an_infinite_end():
    d = Disclosure(MIN)
    d.count("a", 4, shown=False)
    d.count("b", 30, shown=False)
    d.equal({"a": 1.0, "b": -1.0}, -26.0)  # b = a + 26: b has no upper end but a's
    row = d.ranges({"b": {"b": 1.0}}).iloc[0]
    assert (row["low"], row["high"]) == (27.0, 36.0)
    d.count("c", 40, shown=False)
    assert d.ranges({"c": {"c": 1.0}}).iloc[0]["high"] == np.inf


def test_an_identity_the_counts_break_is_refused():
    d = Disclosure(MIN)
    d.count("a", 4, shown=True)
    d.count("total", 5, shown=True)
    d.equal({"a": 1.0, "total": -1.0})
    with pytest.raises(ValueError, match="break an identity"):
        d.ranges({"a": {"a": 1.0}})
    with pytest.raises(ValueError, match="given as 4 and 5"):
        d.count("a", 5, shown=True)
