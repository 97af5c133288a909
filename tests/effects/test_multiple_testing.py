"""Holm's adjustment, written out: bit-identical to statsmodels, and a worked example."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from statsmodels.stats.multitest import multipletests

from outcomes.effects import holm


def test_holm_matches_a_worked_example():
    """p = 0.01, 0.04, 0.03, 0.005: sorted 0.005, 0.01, 0.03, 0.04, times 4, 3, 2, 1 = 0.02, 0.03,
    0.06, 0.04; running maximum 0.02, 0.03, 0.06, 0.06 (Holm 1979, step-down)."""
    np.testing.assert_allclose(holm([0.01, 0.04, 0.03, 0.005]), [0.03, 0.06, 0.06, 0.02], rtol=0, atol=1e-15)


@settings(max_examples=80, deadline=None)
@given(
    st.lists(
        st.one_of(st.floats(0, 1), st.sampled_from([0.05, 0.01, 0.5, 1.0]), st.just(float("nan"))),
        min_size=1,
        max_size=40,
    )
)
def test_holm_matches_statsmodels(p):
    """statsmodels ``multipletests(method="holm")`` on the finite p-values, to the last bit."""
    p = np.asarray(p)
    ok = np.isfinite(p)
    want = np.full(p.shape, np.nan)
    if ok.any():
        want[ok] = multipletests(p[ok], method="holm")[1]
    assert np.array_equal(holm(p), want, equal_nan=True)


def test_holm_of_nothing_finite_is_all_nan():
    assert np.isnan(holm([np.nan, np.nan])).all() and holm([]).shape == (0,)
