"""outcomes.effects.core: pairing (complete pairs only, n of complete pairs), the frozen result classes,
and the errors every paired function shares."""

from __future__ import annotations

import math

import numpy as np
import pytest

from outcomes.effects import (
    Estimate,
    TestResult,
    bootstrap_mean_ci,
    cohens_dav,
    cohens_dz,
    hedges_g_av,
    mean_change,
    paired,
    paired_ttest,
    standardized_mean_change,
    wilcoxon_signed_rank,
)
from outcomes.errors import InsufficientDataError

# No numpy/scipy RuntimeWarning may escape from effects, degenerate cases included.
pytestmark = pytest.mark.filterwarnings("error::RuntimeWarning")


# --------------------------------------------------------------------------- pairing and errors


def test_paired_drops_incomplete_pairs_per_pair():
    pre = [1.0, np.nan, 3.0, 4.0, 5.0]
    post = [2.0, 2.0, np.nan, 6.0, 4.0]
    p0, p1 = paired(pre, post)
    assert p0.tolist() == [1.0, 4.0, 5.0]
    assert p1.tolist() == [2.0, 6.0, 4.0]
    assert p0.dtype == np.float64 and p1.dtype == np.float64


def test_paired_functions_report_n_of_complete_pairs():
    pre = [5.0, 6.0, np.nan, 8.0, 7.0, 9.0]
    post = [4.0, 4.0, 3.0, np.nan, 6.0, 6.0]
    complete_pre, complete_post = [5.0, 6.0, 7.0, 9.0], [4.0, 4.0, 6.0, 6.0]
    assert mean_change(pre, post).n == 4
    assert paired_ttest(pre, post).n == 4
    assert wilcoxon_signed_rank(pre, post).n == 4
    assert standardized_mean_change(pre, post).n == 4
    assert mean_change(pre, post) == mean_change(complete_pre, complete_post)
    assert cohens_dz(pre, post) == cohens_dz(complete_pre, complete_post)
    assert cohens_dav(pre, post) == cohens_dav(complete_pre, complete_post)
    assert hedges_g_av(pre, post) == hedges_g_av(complete_pre, complete_post)


def test_paired_unequal_lengths_message():
    with pytest.raises(ValueError, match=r"same length .*got 3 pre and 2 post values\."):
        paired([1, 2, 3], [1, 2])
    with pytest.raises(ValueError, match=r"got 2 pre and 4 post values"):
        mean_change([1, 2], [1, 2, 3, 4])


@pytest.mark.parametrize(
    "func",
    [
        mean_change,
        paired_ttest,
        wilcoxon_signed_rank,
        cohens_dz,
        cohens_dav,
        hedges_g_av,
        standardized_mean_change,
    ],
)
def test_fewer_than_two_pairs_raises_insufficient_data(func):
    pre = [5.0, np.nan, 7.0]
    post = [4.0, 3.0, np.nan]
    expected = (
        f"{func.__name__}: found 1 complete pre/post pair; at least 2 are needed. "
        "A pair is complete when both the pre and the post score are present."
    )
    with pytest.raises(InsufficientDataError) as info:
        func(pre, post)
    assert str(info.value) == expected
    assert isinstance(info.value, ValueError)
    with pytest.raises(InsufficientDataError, match=r"found 0 complete pre/post pairs; at least 2"):
        func([], [])


def test_invalid_arguments_raise_value_error():
    with pytest.raises(ValueError, match="confidence must be strictly between 0 and 1"):
        mean_change([1, 2, 3], [2, 3, 5], confidence=95)
    with pytest.raises(ValueError, match="zero_method must be one of"):
        wilcoxon_signed_rank([1, 2, 3], [2, 3, 5], zero_method="drop")
    with pytest.raises(ValueError, match="method must be one of"):
        bootstrap_mean_ci([1, 2, 3], method="basic")
    with pytest.raises(ValueError, match="one-dimensional"):
        paired([[1, 2]], [[1, 2]])


def test_result_classes_are_frozen_and_not_collected():
    est = mean_change([1, 2, 3], [2, 4, 4])
    assert isinstance(est, Estimate)
    with pytest.raises(AttributeError):
        est.value = 0.0  # type: ignore[misc]
    assert TestResult.__test__ is False
    assert math.isnan(TestResult(statistic=1.0, pvalue=0.5, n=3, method="x").df)
