"""outcomes.reporting.grant and .grant_writers: the funder report: tables, suppression that totals
cannot undo, workbook and HTML read back. The crafted practice, the leak check and the attacker's
linear programme are fixtures of tests/conftest.py."""

from __future__ import annotations

import dataclasses
import math
import re
import zipfile

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook
from scipy import stats

import outcomes as oc
from outcomes._spreadsheet import FORMULA_STARTS
from outcomes.privacy import DEFAULT_MIN_CELL
from outcomes.reporting import grant_html, grant_report, write_grant_html, write_grant_xlsx
from outcomes.reporting.grant_audit import PROTECTION

#: One text for each first character a spreadsheet reads as a formula (OWASP, "CSV Injection").
HOSTILE = ["=1+2", "+SUM(A1)", "-2+3", "@cmd", "\t=1", "\r=1"]
IMG = "<img src=x onerror=alert(1)>"
IMG_SPELLED = "<img src=x onerror=alert('XSS')>"  # a capital: the export's spelling is kept as the label
SCRIPT = "<script>alert(1)</script>"


@pytest.fixture(scope="module")
def report(crafted_grant_frame):
    return grant_report(crafted_grant_frame(), period=2025, by=("race_ethnicity", "payer"))


def test_period_filter_and_counts(report):
    ov = report.tables["overview"].set_index("item")["count"]
    assert ov["Clients served"] == 49 and ov["Sessions delivered"] == 98
    assert report.period == "2025"
    cond = report.tables["conditions"].set_index("condition")
    assert cond.loc["pelvic_pain", "clients"] == 30
    assert pd.isna(cond.loc["headache", "clients"])  # 4: suppressed
    assert pd.isna(cond.loc["tmj", "clients"])  # 15: hidden so that 49 − 30 − x cannot give headache
    assert cond.loc["Total", "clients"] == 49


def test_outcome_statistics_match_scipy(report):
    out = report.tables["outcomes"].set_index("condition")
    row = out.loc["pelvic_pain"]
    gains = np.array([1.5 if k % 2 else 2.5 for k in range(1, 31)])
    lo, hi = stats.t.interval(0.95, 29, loc=gains.mean(), scale=stats.sem(gains))
    assert row["n_clients"] == 30
    assert row["mean_improvement"] == pytest.approx(gains.mean())
    assert row["improvement_ci_low"] == pytest.approx(lo) and row["improvement_ci_high"] == pytest.approx(hi)
    assert row["pct_mcid"] == pytest.approx(100 * np.mean(gains >= 2))
    assert out.loc["headache", "flags"] == "suppressed" and np.isnan(out.loc["headache", "mean_improvement"])
    # "All clients" (49) minus pelvic pain (30) minus TMJ would reveal headache: TMJ is hidden too
    assert out.loc["tmj", "flags"] == "suppressed"


def test_cross_table_cells_stay_unrecoverable(report, crafted_grant_frame, feasible_range):
    """Every hidden cell of condition × race has a range of possible values given everything shown
    (checked with the linear programme of the feasible_range fixture)."""
    shown = report.tables["condition_by_race_ethnicity"].set_index("condition")
    pc = crafted_grant_frame().query("year == 2025").drop_duplicates("client_id")
    truth = pd.crosstab(pc["condition"], pc["race_ethnicity"])
    truth["Total"] = truth.sum(axis=1)
    truth.loc["Total"] = truth.sum(axis=0)
    truth = truth.loc[shown.index, shown.columns]
    hidden = shown.isna()
    assert hidden.to_numpy().any()
    pd.testing.assert_frame_equal(
        shown.where(~hidden).astype(float), truth.where(~hidden).astype(float), check_names=False
    )
    for i, j in zip(*np.nonzero(hidden.to_numpy()), strict=True):
        if 1 <= truth.iat[i, j] < DEFAULT_MIN_CELL:
            lo, hi = feasible_range(truth, hidden, (truth.index[i], truth.columns[j]), DEFAULT_MIN_CELL)
            assert hi - lo >= PROTECTION, (truth.index[i], truth.columns[j])


def test_workbook_cell_by_cell(report, tmp_path):
    """Numbers are stored as numbers with number formats (Excel can sum them), a suppressed cell is the
    marker with a legend under every table, and the reporting period is said once (issue 15)."""
    path = write_grant_xlsx(report, tmp_path / "grant.xlsx")
    wb = load_workbook(path)
    assert wb.sheetnames[0] == "README"
    readme_rows = [r for r in wb["README"].iter_rows(values_only=True) if r[0]]
    assert [r[0] for r in readme_rows].count("Reporting period") == 1
    readme = {r[0]: r[1] for r in readme_rows}
    assert readme["Reporting period"] == "2025"
    assert readme["Rows read"] == 220 and readme["Min cell"] == 11  # numbers, not text
    # the documented default min_cell is 11: counts 1 to 10 suppressed (asserted on purpose)
    assert "Counts from 1 to 10 are suppressed" in readme["Small-cell suppression"]
    assert readme["Legend"].startswith("* = suppressed")
    assert "minimal clinically important difference" in readme["Methods"]
    assert "without a control group" in readme["Limitations"]
    ov = wb["Overview"]
    assert [c.value for c in ov[3]] == [None, "Count"]
    assert [ov.cell(row=r, column=2).value for r in range(4, 6)] == [49, 98]
    assert ov.cell(row=4, column=2).number_format == "#,##0"
    cs = wb["Conditions"]
    rows = {
        cs.cell(row=r, column=1).value: (cs.cell(row=r, column=2).value, cs.cell(row=r, column=3).value)
        for r in range(4, 8)
    }
    assert rows == {"Headache": ("*", "*"), "Pelvic pain": (30, 60), "TMJ": ("*", "*"), "Total": (49, 98)}
    assert cs.cell(row=9, column=1).value.startswith("* = suppressed")
    oc_sheet = wb["Outcomes"]
    header = [c.value for c in oc_sheet[3]]
    assert header == [
        "Condition",
        "Measure",
        "Clients",
        "Before (mean)",
        "After (mean)",
        "Improvement (mean)",
        "Improvement: 95% CI from",
        "Improvement: 95% CI to",
        "Reached MCID",
        "Reached MCID: 95% CI from",
        "Reached MCID: 95% CI to",
    ]
    cells = {r[0].value: r for r in oc_sheet.iter_rows(min_row=4) if r[0].value}
    gains = np.array([1.5 if k % 2 else 2.5 for k in range(1, 31)])
    lo, hi = stats.t.interval(0.95, 29, loc=gains.mean(), scale=stats.sem(gains))
    pelvic = cells["Pelvic pain"]
    assert pelvic[2].value == 30
    assert [c.value for c in pelvic[5:8]] == [round(gains.mean(), 1), round(lo, 1), round(hi, 1)]
    assert {c.number_format for c in pelvic[3:8]} == {"0.0"}
    assert pelvic[8].number_format == "0%" and 0 <= pelvic[8].value <= 1
    assert tuple(c.value for c in cells["Headache"][2:]) == ("*",) * 9


def test_workbook_and_page_agree(report, tmp_path):
    """The workbook and the HTML page show the same labels, rows and rounded numbers."""
    from outcomes.reporting.grant_writers import presentation_tables, report_columns

    wb = load_workbook(write_grant_xlsx(report, tmp_path / "g.xlsx"))
    pages = presentation_tables(report)
    for name, columns in report_columns(report).items():
        sheet = wb[wb.sheetnames[1 + list(report.tables).index(name)]]
        labels = [sheet.cell(row=4 + i, column=1).value for i in range(len(columns[0].cells))]
        assert labels == list(pages[name].iloc[:, 0]), name
    html = grant_html(report)
    out = pages["outcomes"].set_index("Condition")
    assert out.loc["Pelvic pain", "Improvement (95% CI)"] in html
    assert out.loc["Headache", "Improvement (95% CI)"] == "*"


def test_no_negative_zero_and_the_export_spelling(crafted_grant_frame, tmp_path):
    """Pelvic-pain clients end 0.04 points worse than they began: the change rounds to zero and is stored
    as 0.0, never -0.0 (which Excel shows as "-0.0"); conditions read as the export spells them."""
    from outcomes.reporting.grant_writers import presentation_tables, report_columns

    frame = crafted_grant_frame()
    pelvic = frame["condition"].eq("pelvic_pain")
    first = frame[pelvic & frame["session"].eq(1)].set_index(["client_id", "timepoint"])["score"]
    later = pelvic & frame["session"].eq(2)
    keys = pd.MultiIndex.from_frame(frame.loc[later, ["client_id", "timepoint"]])
    spread = np.resize([0.03, 0.03, 0.05, 0.05], int(later.sum()))  # 0.03 or 0.05 worse, per client
    frame.loc[later, "score"] = first.reindex(keys).to_numpy() + spread
    frame["condition"] = frame["condition"].map(
        {"tmj": "TMJ", "pelvic_pain": "Pelvic pain", "headache": "HA"}
    )
    g = grant_report(oc.SessionData.from_frame(frame), period=2025)
    assert g.condition_labels == {"tmj": "TMJ", "pelvic_pain": "Pelvic pain", "ha": "HA"}
    out = g.tables["outcomes"].set_index("condition")
    assert -0.05 < out.loc["pelvic_pain", "mean_improvement"] < 0
    assert report_columns(g)["conditions"][0].cells[:3] == ["HA", "Pelvic pain", "TMJ"]
    page = presentation_tables(g)["outcomes"].set_index("Condition")
    assert page.loc["Pelvic pain", "Improvement (95% CI)"].startswith("0.0 (")
    path = write_grant_xlsx(g, tmp_path / "g.xlsx")
    row = next(r for r in load_workbook(path)["Outcomes"].iter_rows(min_row=4) if r[0].value == "Pelvic pain")
    assert row[5].value == 0 and math.copysign(1, row[5].value) > 0 and row[5].number_format == "0.0"
    with zipfile.ZipFile(path) as z:  # the stored cell values themselves
        sheets = [z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/")]
    assert not any(re.search(r"<v>-0(\.0*)?</v>", x) for x in sheets), "a negative zero is stored"


def test_no_client_id_or_row_level_score_in_outputs(report, tmp_path, no_leaks):
    html = grant_html(report)
    no_leaks(html)
    path = write_grant_xlsx(report, tmp_path / "g.xlsx")
    wb = load_workbook(path)
    text = "\n".join(
        str(v) for ws in wb for row in ws.iter_rows(values_only=True) for v in row if v is not None
    )
    no_leaks(text)


def test_html_has_the_same_tables(report, tmp_path):
    path = write_grant_html(report, tmp_path / "g.html", synthetic=True)
    html = path.read_text(encoding="utf-8")
    for heading in (
        "Clients served",
        "Conditions",
        "Who we served",
        "Outcomes per condition",
        "Conditions by race / ethnicity",
        "Outcomes by payer",
        "Methods",
        "Provenance",
    ):
        assert f">{heading}<" in html
    assert "Synthetic sample data" in html
    assert "<script" not in html and "http://" not in html and "https://" not in html


def test_dates_must_be_whole_years_without_service_dates(crafted_grant_frame):
    with pytest.raises(ValueError, match="whole years"):
        grant_report(crafted_grant_frame(), start="2025-03-01", end="2025-12-31")
    rep = grant_report(crafted_grant_frame(), start="2025-01-01", end="2025-12-31", by=())
    assert rep.period == "2025"
    with pytest.raises(oc.SchemaError, match="No sessions in the reporting period 2030"):
        grant_report(crafted_grant_frame(), period=2030)
    with pytest.raises(ValueError, match="period must be a year"):
        grant_report(crafted_grant_frame(), period="last year")


def test_missing_attributes_are_noted(crafted_grant_frame):
    rep = grant_report(crafted_grant_frame(), period=2025, by=("race_ethnicity", "age_band"))
    assert "No 'age_band' column" in rep.warnings[0]
    assert "condition_by_age_band" not in rep.tables


def test_workbook_stores_hostile_text_as_text_never_as_a_formula(crafted_grant_frame, tmp_path):
    """Issue 16: payers, races and a condition spelled as formulas in the export are stored as strings
    with a single quote in front, in every sheet, and no cell is a formula (checked in the sheets' XML);
    counts and means, a negative mean too, stay numbers with their number formats. The reader strips a
    leading tab or carriage return from a value, so those two reach the workbook as notes of the report.
    """
    frame = crafted_grant_frame()
    pelvic = frame["condition"].eq("pelvic_pain")
    first = frame[pelvic & frame["session"].eq(1)].set_index(["client_id", "timepoint"])["score"]
    later = pelvic & frame["session"].eq(2)
    keys = pd.MultiIndex.from_frame(frame.loc[later, ["client_id", "timepoint"]])
    worse = np.resize([0.5, 0.5, 1.5, 1.5], int(later.sum()))  # 0.5 or 1.5 points worse, per client
    frame.loc[later, "score"] = first.reindex(keys).to_numpy() + worse
    code = frame["client_id"].astype("category").cat.codes
    frame["payer"] = [HOSTILE[k % 4] for k in code]
    frame["race_ethnicity"] = [HOSTILE[(k // 4) % 6] for k in code]
    frame["condition"] = frame["condition"].replace({"tmj": "=SUM(A1)"})
    g = grant_report(oc.SessionData.from_frame(frame), period=2025, by=("race_ethnicity", "payer"))
    g = dataclasses.replace(g, warnings=[*g.warnings, *HOSTILE])
    path = write_grant_xlsx(g, tmp_path / "g.xlsx")
    wb = load_workbook(path)
    texts = [c for ws in wb for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert {c.data_type for c in texts} == {"s"}
    assert not [c.value for c in texts if c.value.startswith(FORMULA_STARTS)]
    stored = {c.value for c in texts}
    for text in [*HOSTILE, "=SUM(A1)"]:  # an XML reader reads a carriage return as a line feed
        assert "'" + text.replace("\r", "\n") in stored, text
    for sheet in ("Outcomes by payer", "Outcomes by race ethnicity"):
        assert wb[sheet].cell(row=4, column=1).value == "'+SUM(A1)"
    with zipfile.ZipFile(path) as z:
        sheets = {n: z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/")}
    formulas = [n for n, xml in sheets.items() if re.search(r"<f[ >/]", xml)]
    assert sheets and not formulas, f"a formula is stored in {formulas}"
    row = next(r for r in wb["Outcomes"].iter_rows(min_row=4) if r[0].value == "Pelvic pain")
    assert row[2].value == 30 and row[2].data_type == "n" and row[2].number_format == "#,##0"
    assert row[5].value == pytest.approx(-1.0) and row[5].data_type == "n" and row[5].number_format == "0.0"
    assert row[6].value < row[5].value < row[7].value < 0


def test_grant_page_escapes_every_label(crafted_grant_frame, tmp_path):
    """Issue 16: conditions and payers spelled as markup in the export are text on the page."""
    frame = crafted_grant_frame()
    frame["condition"] = frame["condition"].replace({"tmj": IMG_SPELLED, "headache": IMG})
    frame["payer"] = frame["payer"].replace({"Medicaid": SCRIPT})
    data = oc.SessionData.from_frame(frame)
    assert data.condition_labels["img_src_x_onerror_alert_xss"] == IMG_SPELLED
    g = grant_report(data, period=2025, by=("payer",))
    page = write_grant_html(g, tmp_path / "g.html").read_text(encoding="utf-8")
    assert "<img" not in page and "<script" not in page
    assert "&lt;img src=x onerror=alert(&#x27;XSS&#x27;)&gt;" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
