"""outcomes.effects.reliable_change: the Jacobson & Truax (1991) reliable change index, its threshold,
the classification and the clinical cut-off (worked_examples.md)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from outcomes.effects import (
    classify_reliable_change,
    jacobson_truax_cutoff,
    reliable_change_index,
    reliable_change_threshold,
)

# No numpy/scipy RuntimeWarning may escape from effects, degenerate cases included.
pytestmark = pytest.mark.filterwarnings("error::RuntimeWarning")


# --------------------------------------------------------------------------- reliable change


def test_reliable_change_matches_jacobson_truax_worked_example():
    """worked_examples.md (Jacobson & Truax 1991): SD 7.6, r_xx 0.95 -> S_diff = 2.4033,
    threshold 1.96 * 2.4033 = 4.71 points."""
    s_diff = 1.0 / reliable_change_index([0.0], [1.0], sd_baseline=7.6, reliability=0.95)[0]
    assert s_diff == pytest.approx(2.4033, abs=5e-5)
    assert s_diff == pytest.approx(math.sqrt(2 * (7.6 * math.sqrt(1 - 0.95)) ** 2), rel=1e-14)
    threshold = reliable_change_threshold(7.6, 0.95)
    assert threshold == pytest.approx(4.71, abs=5e-3)
    assert threshold == pytest.approx(1.959964 * 2.403331, abs=1e-5)


def test_reliable_change_index_is_elementwise_with_nan():
    rci = reliable_change_index([10.0, np.nan, 10.0], [5.0, 3.0, np.nan], sd_baseline=7.6, reliability=0.95)
    assert rci.shape == (3,)
    assert rci[0] == pytest.approx(-5.0 / 2.403331, rel=1e-6)
    assert np.isnan(rci[1]) and np.isnan(rci[2])
    with pytest.raises(ValueError, match="got 2 pre and 3 post values"):
        reliable_change_index([1.0, 2.0], [1.0, 2.0, 3.0], sd_baseline=1.0, reliability=0.9)
    with pytest.raises(ValueError, match=r"reliability must lie in \[0, 1\)"):
        reliable_change_index([1.0], [2.0], sd_baseline=1.0, reliability=1.0)
    with pytest.raises(ValueError, match="sd_baseline must be a positive number"):
        reliable_change_index([1.0], [2.0], sd_baseline=0.0, reliability=0.9)


def test_classify_reliable_change_direction_and_missing():
    """Threshold 4.71 points (SD 7.6, r_xx 0.95); pain: lower is better."""
    pre = [20.0, 20.0, 20.0, 20.0, 20.0, np.nan]
    post = [14.0, 16.0, 24.0, 26.0, 20.0, 10.0]
    lower_better = classify_reliable_change(pre, post, sd_baseline=7.6, reliability=0.95, improvement_sign=-1)
    assert lower_better.tolist() == [
        "reliably_improved",
        "no_reliable_change",
        "no_reliable_change",
        "reliably_deteriorated",
        "no_reliable_change",
        "",
    ]
    higher_better = classify_reliable_change(pre, post, sd_baseline=7.6, reliability=0.95, improvement_sign=1)
    assert higher_better.tolist() == [
        "reliably_deteriorated",
        "no_reliable_change",
        "no_reliable_change",
        "reliably_improved",
        "no_reliable_change",
        "",
    ]
    with pytest.raises(ValueError, match="improvement_sign must be"):
        classify_reliable_change(pre, post, sd_baseline=7.6, reliability=0.95, improvement_sign=0)


def test_jacobson_truax_cutoff_matches_formula():
    """Jacobson & Truax (1991) c = (SD_0 M_1 + SD_1 M_0) / (SD_0 + SD_1), 0 functional, 1 clinical.

    Hand: clinical M 30, SD 8; functional M 10, SD 4 -> c = (4 * 30 + 8 * 10) / 12 = 16.6667,
    which is (16.6667 - 10) / 4 = 1.6667 functional SDs above the functional mean and
    (30 - 16.6667) / 8 = 1.6667 clinical SDs below the clinical mean.
    """
    c = jacobson_truax_cutoff(mean_clinical=30.0, sd_clinical=8.0, mean_functional=10.0, sd_functional=4.0)
    assert c == pytest.approx(200 / 12, rel=1e-15)
    assert (c - 10.0) / 4.0 == pytest.approx((30.0 - c) / 8.0, rel=1e-12)
    swapped = jacobson_truax_cutoff(
        mean_clinical=10.0, sd_clinical=4.0, mean_functional=30.0, sd_functional=8.0
    )
    assert swapped == pytest.approx(c, rel=1e-15)
    with pytest.raises(ValueError, match="both SDs must be positive"):
        jacobson_truax_cutoff(30.0, 0.0, 10.0, 4.0)
