"""The suppression ledger (issue 16, point 3): two grant reports over overlapping periods give
counts by subtraction, so a period that overlaps a published one is refused unless asked for,
and then the report says what it overlaps."""

from __future__ import annotations

import json

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
