"""outcomes.privacy.suppression: small-cell suppression, primary and complementary, checked
unrecoverable with a linear programme (the ``feasible_range`` fixture of tests/conftest.py).

Tests that pass ``min_cell=11`` choose it (their tables are built around it); the others use the
default, outcomes.privacy.DEFAULT_MIN_CELL."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from outcomes.privacy import suppress_counts, suppress_rows


def _with_totals(cells: np.ndarray) -> pd.DataFrame:
    rows = [f"r{i}" for i in range(cells.shape[0])]
    cols = [f"c{j}" for j in range(cells.shape[1])]
    t = pd.DataFrame(cells, index=rows, columns=cols)
    t["Total"] = t.sum(axis=1)
    t.loc["Total"] = t.sum(axis=0)
    return t.astype(int)


def test_naive_totals_would_reveal_a_cell_but_complementary_suppression_prevents_it(feasible_range):
    """Row r0 has one small cell (4): shown the row total and the other cell, 4 = total − other.
    After suppression the LP finds more than one value consistent with everything shown."""
    cells = np.array([[4, 30, 25], [20, 18, 40], [35, 12, 60]])
    table = _with_totals(cells)
    out, hidden = suppress_counts(table, min_cell=11, row_total="Total", col_total="Total")
    assert hidden.loc["r0", "c0"] and pd.isna(out.loc["r0", "c0"])
    assert hidden.to_numpy().sum() >= 4  # the small cell plus its complements in its row and column
    for i, j in zip(*np.nonzero(hidden.to_numpy()), strict=True):
        cell = (table.index[i], table.columns[j])
        lo, hi = feasible_range(table, hidden, cell, 11)
        assert hi - lo >= 1, cell


def test_zero_is_shown_and_large_counts_untouched():
    table = _with_totals(np.array([[0, 30], [25, 40]]))
    out, hidden = suppress_counts(table, row_total="Total", col_total="Total")
    assert not hidden.to_numpy().any()
    assert out.loc["r0", "c0"] == 0


def test_small_totals_are_suppressed_too():
    t = pd.DataFrame({"n": [3, 4, 7]}, index=["a", "b", "Total"])
    _, hidden = suppress_counts(t, col_total="Total")
    assert hidden["n"].tolist() == [True, True, True]


@settings(max_examples=60, deadline=None)
@given(st.integers(2, 4), st.integers(2, 4), st.data())
def test_no_hidden_cell_is_ever_pinned(feasible_range, n_rows, n_cols, data):
    cells = np.array(
        data.draw(
            st.lists(
                st.sampled_from([0, 1, 3, 7, 10, 11, 15, 40, 120]),
                min_size=n_rows * n_cols,
                max_size=n_rows * n_cols,
            )
        )
    ).reshape(n_rows, n_cols)
    table = _with_totals(cells)
    _, hidden = suppress_counts(table, min_cell=11, row_total="Total", col_total="Total")
    values = table.to_numpy()
    # every primary cell is hidden
    assert (hidden.to_numpy() | ~((values >= 1) & (values < 11))).all()
    for i, j in itertools.product(range(values.shape[0]), range(values.shape[1])):
        if 1 <= values[i, j] < 11:
            lo, hi = feasible_range(table, hidden, (table.index[i], table.columns[j]), 11)
            assert hi - lo >= 1 - 1e-9, (cells.tolist(), i, j)


def test_suppress_rows_hides_every_statistic_of_a_small_group():
    t = pd.DataFrame(
        {
            "condition": ["tmj", "pelvic_pain", "headache"],
            "n_clients": [4, 30, 25],
            "mean_change": [-1.0, -0.8, -0.5],
            "flags": ["small_n", "", ""],
        }
    )
    out = suppress_rows(t, n_col="n_clients", keep=["condition"])
    assert out.loc[0, "flags"] == "suppressed"
    assert pd.isna(out.loc[0, "n_clients"]) and np.isnan(out.loc[0, "mean_change"])
    assert out.loc[1, "mean_change"] == -0.8 and out.loc[0, "condition"] == "tmj"


def test_suppress_rows_with_a_total_row_applies_complementary_suppression():
    t = pd.DataFrame(
        {"group": ["a", "b", "c", "all"], "n_clients": [4, 30, 25, 59], "mean": [1.0, 2.0, 3.0, 2.4]}
    )
    out = suppress_rows(t.set_index("group"), n_col="n_clients", total_row="all")
    assert out["flags"].tolist() == ["suppressed", "", "suppressed", ""]


def test_min_cell_is_checked():
    with pytest.raises(ValueError, match="min_cell"):
        suppress_counts(pd.DataFrame({"n": [1]}), min_cell=1)
