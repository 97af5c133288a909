"""summarize(course_end=...): the course level's endpoint at a fixed session or in a window of days,
hand-computed on a small frame; the default unchanged; clear errors; the command line's option."""

from __future__ import annotations

import pandas as pd
import pytest

import outcomes as oc
from outcomes.cli import main
from outcomes.errors import SchemaError


@pytest.fixture
def courses() -> pd.DataFrame:
    """Three clients, before-scores only. A: sessions 1-4 on days 0, 14, 42, 70 (8, 6, 5, 3);
    B: sessions 1-2 on days 0, 30 (7, 6); C: sessions 1 and 3 on days 0, 50 (9, 4)."""
    return pd.DataFrame(
        {
            "client_id": ["A"] * 4 + ["B"] * 2 + ["C"] * 2,
            "session": [1, 2, 3, 4, 1, 2, 1, 3],
            "timepoint": "pre",
            "measure": "pain_nrs",
            "score": [8, 6, 5, 3, 7, 6, 9, 4],
            "condition": "tmj",
            "days_from_first": [0, 14, 42, 70, 0, 30, 0, 50],
        }
    )


def _course(frame, **kw) -> pd.Series:
    return oc.summarize(frame, level="course", n_boot=200, **kw).iloc[0]


def test_the_default_is_the_last_session_and_says_so(courses):
    row = _course(courses)
    assert row["course_end"] == "last session"
    # changes A 8->3, B 7->6, C 9->4: mean (-5 - 1 - 5) / 3
    assert row["mean_change"] == pytest.approx(-11 / 3)
    assert (row["n_clients"], row["n_sessions"], row["n_clients_unpaired"]) == (3, 8, 0)
    table = oc.summarize(courses, level=["session", "course"], n_boot=200)
    assert table.loc[table["level"] == "session", "course_end"].eq("").all()


def test_course_end_at_a_session_by_hand(courses):
    """Session 3: A 8->5 and C 9->4 (C's second session is session 3); B has no session 3."""
    row = _course(courses, course_end=3)
    assert row["course_end"] == "session 3"
    assert row["mean_change"] == pytest.approx((-3 - 5) / 2)
    assert row["mean_pre"] == pytest.approx(8.5) and row["mean_post"] == pytest.approx(4.5)
    # sessions with a before-score from the baseline to session 3: A 1, 2, 3; C 1, 3
    assert (row["n_clients"], row["n_sessions"], row["n_clients_unpaired"]) == (2, 5, 1)
    pairs = oc.client_changes(courses, level="course", course_end=3).set_index("client_id")
    assert pairs.loc["B", "paired"] == False  # noqa: E712 (a numpy bool)
    assert pairs.loc[["A", "C"], "last_session"].tolist() == [3, 3]
    assert pairs.loc[["A", "C"], "first_session"].tolist() == [1, 1]
    two = _course(courses, course_end=2)
    assert two["mean_change"] == pytest.approx((-2 - 1) / 2) and two["n_clients_unpaired"] == 1


def test_course_end_in_a_window_of_days_by_hand(courses):
    """Days 40-60: A's session 3 (day 42) and C's session 3 (day 50); B's day 30 is outside.
    Days 0-100: every client's last session, as the default."""
    row = _course(courses, course_end=(40, 60))
    assert row["course_end"] == "days 40-60"
    assert row["mean_change"] == pytest.approx(-4.0) and row["n_clients_unpaired"] == 1
    wide = _course(courses, course_end=(0, 100))
    assert wide["mean_change"] == pytest.approx(_course(courses)["mean_change"])
    # both ends included: day 70 is A's session 4
    assert _course(courses, course_end=(70, 70))["mean_change"] == pytest.approx(-5.0)


def test_course_lengths_follow_the_course_end(courses):
    lengths = oc.course_lengths(courses, course_end=3).iloc[0]
    # A: sessions 1-3 (3 sessions, 6 weeks); C: sessions 1-3 (3 sessions, 50 days)
    assert lengths["n_clients"] == 2 and lengths["sessions_median"] == 3
    assert lengths["weeks_max"] == pytest.approx(50 / 7)
    assert oc.course_lengths(courses).iloc[0]["sessions_max"] == 4


def test_the_analysis_and_its_report_use_the_course_end(courses):
    analysis = oc.analyze(courses, n_boot=200, course_end=3)
    row = analysis.summary("course").iloc[0]
    assert row["course_end"] == "session 3" and row["n_clients"] == 2
    from outcomes.reporting.practice_sections import course_text

    text = course_text(analysis, "pain_nrs")
    assert "first session with session 3" in text and "1 other client has no score there" in text


@pytest.mark.parametrize(
    ("value", "error", "words"),
    [
        (1, ValueError, "session 2 or later"),
        ((50, 40), ValueError, "first_day <= last_day"),
        ("six", TypeError, "a session number such as 6"),
        (True, TypeError, "a session number such as 6"),
    ],
)
def test_a_bad_course_end_is_a_clear_error(courses, value, error, words):
    with pytest.raises(error, match=words):
        _course(courses, course_end=value)


def test_a_window_of_days_needs_days_from_first(courses):
    with pytest.raises(SchemaError, match="no days_from_first column"):
        _course(courses.drop(columns="days_from_first"), course_end=(40, 60))
    with pytest.raises(SchemaError, match="no days_from_first column"):
        oc.analyze(courses.drop(columns="days_from_first"), course_end=(40, 60))


def test_the_command_line_takes_a_session_or_days(courses, tmp_path, capsys):
    csv = tmp_path / "visits.csv"
    courses.to_csv(csv, index=False)
    out = tmp_path / "s.csv"
    base = ["summarize", str(csv), "--level", "course", "--n-boot", "200", "-o", str(out), "-q"]
    assert main([*base, "--course-end", "days:40-60"]) == 0
    assert pd.read_csv(out)["course_end"].tolist() == ["days 40-60"]
    assert main([*base, "--course-end", "3"]) == 0
    assert pd.read_csv(out).loc[0, "mean_change"] == pytest.approx(-4.0)
    capsys.readouterr()
    assert main([*base, "--course-end", "week 6"]) == 2
    err = capsys.readouterr().err
    assert "--course-end takes a session number (6) or a window of days (days:42-70)" in err
    assert main([*base, "--course-end", "1"]) == 2
    assert "session 2 or later" in capsys.readouterr().err
