"""outcomes.summary.clients: per-client change (distance to target for toward scales) and the
Jacobson & Truax classification (course level only, threshold reported)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from outcomes.summary import classify_change, client_changes, summarize


def test_toward_measures_use_distance_to_target(pairs_frame):
    # tone from +2 to −2 is no improvement; from −3 to −1 is an improvement of 2
    df = pairs_frame([2, -3, 1], [-2, -1, 0], measure="pelvic_tone")
    changes = client_changes(df).set_index("client_id")
    assert changes["change"].tolist() == [0.0, -2.0, -1.0]
    row = summarize(df).iloc[0]
    assert row["scale"] == "distance_to_target" and row["mean_improvement"] == pytest.approx(1.0)


def test_reliable_change_is_course_level_only(pairs_frame):
    """Jacobson & Truax assume one baseline and one endpoint per client: at the session level,
    where a client's changes are averaged over sessions, no categories are given."""
    df = pairs_frame([8, 7, 6, 9, 5], [2, 7, 6, 9, 5])
    assert summarize(df)[["pct_reliable_improved", "pct_recovered"]].isna().all(axis=None)
    assert set(classify_change(df, level="session")["category"]) == {"not_applicable"}
    with pytest.raises(ValueError, match="level must be one of"):
        classify_change(df, level="weekly")


def test_reliable_change_categories_follow_jacobson_truax(course_frame):
    """RCI = change / (SD_pre · sqrt(2 · (1 − r))) with r = 0.76 for pain NRS (Cleland 2008)."""
    pre = np.array([8, 7, 6, 9, 5, 8, 7, 6, 4, 8], dtype=float)
    post = np.array([2, 7, 6, 9, 5, 8, 7, 6, 10, 8], dtype=float)
    df = course_frame(pre, post)
    s_diff = np.std(pre, ddof=1) * np.sqrt(2 * (1 - 0.76))
    expected = (post - pre) / s_diff
    cc = classify_change(df, level="course")
    assert cc["rci"].to_numpy() == pytest.approx(expected)
    assert cc["category"].tolist()[0] == "reliably_improved"
    assert cc["category"].tolist()[8] == "reliably_deteriorated"
    row = summarize(df, level="course").iloc[0]
    assert row["pct_reliable_improved"] == pytest.approx(10.0)
    assert row["pct_reliable_deteriorated"] == pytest.approx(10.0)
    assert row["pct_no_reliable_change"] == pytest.approx(80.0)


def test_classify_change_reports_the_reliable_change_threshold(course_frame):
    """Jacobson & Truax: threshold = 1.96 · SD_pre · sqrt(2 (1 − r_xx)), r_xx = 0.76 for pain NRS."""
    pre = np.array([8, 7, 6, 9, 5, 8, 7, 6, 4, 8], dtype=float)
    post = pre - 1
    cc = classify_change(course_frame(pre, post), level="course")
    expected = stats.norm.ppf(0.975) * np.std(pre, ddof=1) * np.sqrt(2 * (1 - 0.76))
    assert cc["rc_threshold"].to_numpy() == pytest.approx(np.full(10, expected))
