"""outcomes.effects.proportions: the Wilson interval against statsmodels' proportion_confint."""

from __future__ import annotations

import numpy as np
import pytest
from statsmodels.stats.proportion import proportion_confint

from outcomes.effects import wilson_interval

# No numpy/scipy RuntimeWarning may escape from effects, degenerate cases included.
pytestmark = pytest.mark.filterwarnings("error::RuntimeWarning")


# --------------------------------------------------------------------------- Wilson interval


@pytest.mark.parametrize(("k", "n"), [(0, 5), (1, 5), (7, 10), (10, 10), (33, 120)])
@pytest.mark.parametrize("confidence", [0.9, 0.95])
def test_wilson_interval_matches_statsmodels_proportion_confint(k, n, confidence):
    """statsmodels proportion_confint(method="wilson") computes the same interval."""
    low, high = wilson_interval(k, n, confidence=confidence)
    ref_low, ref_high = proportion_confint(k, n, alpha=1 - confidence, method="wilson")
    assert isinstance(low, float) and isinstance(high, float)
    assert low == pytest.approx(ref_low, abs=1e-12)
    assert high == pytest.approx(ref_high, abs=1e-12)
    assert low <= k / n <= high


def test_wilson_interval_vectorized_matches_statsmodels():
    """Array input, compared element by element with statsmodels; n = 0 gives NaN."""
    k = np.array([0, 3, 12, 40, 0])
    n = np.array([4, 9, 12, 100, 0])
    low, high = wilson_interval(k, n)
    assert isinstance(low, np.ndarray) and low.shape == (5,)
    ref_low, ref_high = proportion_confint(k[:4], n[:4], method="wilson")
    np.testing.assert_allclose(low[:4], ref_low, atol=1e-12)
    np.testing.assert_allclose(high[:4], ref_high, atol=1e-12)
    assert np.isnan(low[4]) and np.isnan(high[4])
    with pytest.raises(ValueError, match="cannot exceed n"):
        wilson_interval([3], [2])
