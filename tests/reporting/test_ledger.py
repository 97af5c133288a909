"""The suppression ledger (issue 16, point 3): two grant reports over overlapping periods give
counts by subtraction, so a period that overlaps a published one is refused unless asked for,
and then the report says what it overlaps."""

from __future__ import annotations

import json

import pandas as pd
import pytest

import outcomes as oc
from outcomes.cli import main
from outcomes.reporting import ledger as ledger_mod


@pytest.fixture(scope="module")
def data():
    return oc.sample_data()


def test_an_overlapping_period_is_refused_and_the_same_years_are_not(data, tmp_path):
    book = tmp_path / "ledger.json"
    report = oc.grant_report(data, period=2025, n_boot=200, ledger=book)
    oc.write_grant_xlsx(report, tmp_path / "grant_2025.xlsx")
    entry = json.loads(book.read_text())["published"][0]
    assert (
        entry["years"] == [2025, 2025] and entry["file"] == "grant_2025.xlsx" and len(entry["sha256"]) == 64
    )
    with pytest.raises(ValueError, match=r"2024–2025 overlaps reports already published \(grant_2025.xlsx"):
        oc.grant_report(data, period="2024-2025", n_boot=200, ledger=book)
    # the same years again (a corrected report) and years that do not touch are fine
    oc.grant_report(data, period=2025, n_boot=200, ledger=book)
    oc.grant_report(data, period=2024, n_boot=200, ledger=book)
    allowed = oc.grant_report(data, period="2024-2025", n_boot=200, ledger=book, allow_overlap=True)
    assert any("overlaps reports published before (grant_2025.xlsx" in w for w in allowed.warnings)
    oc.write_grant_html(allowed, tmp_path / "grant_2024_2025.html")
    assert [e["years"] for e in ledger_mod.published(book)] == [[2025, 2025], [2024, 2025]]


def test_without_a_ledger_nothing_is_recorded(data, tmp_path):
    report = oc.grant_report(data, period=2025, n_boot=200)
    oc.write_grant_xlsx(report, tmp_path / "g.xlsx")
    assert report.ledger is None and list(tmp_path.iterdir()) == [tmp_path / "g.xlsx"]


def test_a_file_that_is_not_a_ledger_is_a_clear_error(tmp_path):
    bad = tmp_path / "ledger.json"
    bad.write_text("not json", encoding="utf-8")
    with pytest.raises(ValueError, match="is not a ledger written by outcomes"):
        ledger_mod.published(bad)


def test_the_command_line_keeps_the_ledger(tmp_path, capsys):
    book = tmp_path / "ledger.json"
    base = ["grant", "--ledger", str(book), "-q"]
    assert main([*base, "--period", "2025", "-o", str(tmp_path / "a.xlsx")]) == 0
    assert main([*base, "--period", "2024-2025", "-o", str(tmp_path / "b.xlsx")]) == 2
    assert "overlaps reports already published" in capsys.readouterr().err
    assert not (tmp_path / "b.xlsx").exists()
    assert main([*base, "--period", "2024-2025", "--allow-overlap", "-o", str(tmp_path / "b.xlsx")]) == 0
    assert len(ledger_mod.published(book)) == 2


def _rows(report) -> dict[str, tuple[object, object]]:
    t = report.tables["conditions"].set_index("condition")
    return {c: (t.loc[c, "clients"], t.loc[c, "sessions"]) for c in t.index}


def _publish(data, book, tmp_path, period, **kw):
    report = oc.grant_report(data, period=period, n_boot=200, ledger=book, **kw)
    oc.write_grant_xlsx(report, tmp_path / f"grant_{period}.xlsx")
    return report


def test_an_overlapping_report_gives_back_nothing_the_published_ones_hid(data, tmp_path):
    """Issue 16 (b): 2025 and 2024 published, then 2024–2025. Without the ledger it shows neck
    pain's 75 sessions while 2025 showed 41 and 2024 hid them (75 − 41 gives 2024's 34 back), and
    18 clients where 2025 showed 12 (six clients seen only in 2024: a small count). With the ledger,
    no shown count differs from a nested published one by 1 to 10, and no sessions count a report
    hid follows from the others by subtraction."""
    book = tmp_path / "ledger.json"
    r25 = _publish(data, book, tmp_path, 2025)
    r24 = _publish(data, book, tmp_path, 2024)
    free = _rows(oc.grant_report(data, period="2024-2025", n_boot=200))
    assert free["neck_pain"] == (18, 75) and _rows(r25)["neck_pain"] == (12, 41)
    assert pd.isna(_rows(r24)["neck_pain"][1])
    both = oc.grant_report(data, period="2024-2025", n_boot=200, ledger=book, allow_overlap=True)
    assert any("hidden because of the reports published before" in w for w in both.warnings)
    rows = _rows(both)
    assert pd.isna(rows["neck_pain"][0]) and pd.isna(rows["neck_pain"][1])
    compared = 0
    for condition, (clients, sessions) in rows.items():
        for part, rest in ((r24, r25), (r25, r24)):
            p_clients, p_sessions = _rows(part)[condition]
            for whole, piece in ((clients, p_clients), (sessions, p_sessions)):
                if not (pd.isna(whole) or pd.isna(piece)):
                    compared += 1
                    assert not 1 <= whole - piece < oc.privacy.DEFAULT_MIN_CELL, condition
            r_sessions = _rows(rest)[condition][1]
            if pd.isna(r_sessions):  # hidden by the other year: not given back by whole − part
                assert pd.isna(sessions) or pd.isna(p_sessions), condition
    assert compared >= 8
    counts = json.loads(book.read_text())["published"][0]["counts"]
    assert [["C", "pelvic_pain"], 15] in counts and [["C", "headache"], None] in counts


def test_sessions_of_a_year_do_not_follow_from_three_reports(data, tmp_path):
    """2024, 2025 and 2026 published on their own, then 2024–2026: the sessions of a condition
    over the three years minus two of the years' would give the third's; where that one was
    hidden, the whole is hidden too (clients do not add up over years; sessions do)."""
    book = tmp_path / "ledger.json"
    years = {y: _rows(_publish(data, book, tmp_path, y)) for y in (2024, 2025, 2026)}
    whole = _rows(oc.grant_report(data, period="2024-2026", n_boot=200, ledger=book, allow_overlap=True))
    checked = 0
    for condition, (_, sessions) in whole.items():
        if pd.isna(sessions):
            continue
        per_year = [years[y][condition][1] for y in years]
        hidden = [pd.isna(s) for s in per_year]
        assert sum(hidden) != 1, condition  # one hidden year would be the whole minus the others
        checked += 1
    assert checked >= 2
