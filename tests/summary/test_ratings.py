"""outcomes.summary.ratings: ratings of change (PGIC) are summarised as a distribution, not as a
pre/post change."""

from __future__ import annotations

import pandas as pd
import pytest
from statsmodels.stats.proportion import proportion_confint

from outcomes.summary import summarize, summarize_ratings


def test_ratings_are_summarised_as_a_distribution():
    df = pd.DataFrame(
        {
            "client_id": list("ABCDE"),
            "session": 3,
            "timepoint": "post",
            "measure": "pgic",
            "score": [1, 2, 2, 4, 6],
            "condition": "tmj",
        }
    )
    with pytest.raises(ValueError, match="summarize_ratings"):
        summarize(df, measures=["pgic"])
    assert summarize(df).empty
    row = summarize_ratings(df).iloc[0]
    assert row["n_clients"] == 5 and row["n_2"] == 2 and row["n_7"] == 0
    lo, _ = proportion_confint(3, 5, method="wilson")
    assert row["pct_responders"] == pytest.approx(60.0)
    assert row["pct_responders_ci_low"] == pytest.approx(100 * lo)
    assert row["flags"] == "small_n"
