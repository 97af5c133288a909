"""The grant report for people: rounded, labelled tables, as an Excel workbook or one HTML page."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any, NamedTuple

import pandas as pd

from .._format import MISSING, SUPPRESSED, count, is_missing, number, percent, rounded
from .._spreadsheet import neutralize_text
from .._words import attribute_label, attribute_phrase, condition_label
from .grant import ALL, TOTAL, GrantReport
from .ledger import record

__all__ = [
    "Column",
    "grant_html",
    "presentation_tables",
    "report_columns",
    "write_grant_html",
    "write_grant_xlsx",
]


class Column(NamedTuple):
    """One column of a funder table: its heading, its cells and how they are written.

    ``kind`` is ``label`` (text), ``count`` (whole numbers), ``mean`` (one decimal)
    or ``share`` (a fraction shown as a percentage). A cell is a number, ``None``
    (nothing to show) or ``SUPPRESSED`` (``*``).
    """

    heading: str
    cells: list[Any]
    kind: str


#: Number formats of the workbook's cells, per kind of column.
NUMBER_FORMATS = {"count": "#,##0", "mean": "0.0", "share": "0%"}
#: The words under every table and on the README sheet that say what the marker means.
LEGEND = (
    f"{SUPPRESSED} = suppressed: a small count, or a cell hidden so that totals, other tables or a share "
    "and its count cannot reveal one"
)


def report_columns(report: GrantReport) -> dict[str, list[Column]]:
    """The funder tables as typed columns, one source for the workbook and the HTML page.

    Counts are whole numbers, means and shares are rounded as they are shown
    (:func:`outcomes._format.rounded`: never ``-0.0``), labels read as in the
    practice's report (``Stress / anxiety``, or a condition as the export spells it).
    """
    labels = report.condition_labels
    out: dict[str, list[Column]] = {}
    for name, t in report.tables.items():
        if name == "overview":
            out[name] = [Column("", list(t["item"]), "label"), _counts("Count", t["count"])]
        elif name == "conditions":
            out[name] = [
                Column("Condition", [_nice(v, labels) for v in t["condition"]], "label"),
                _counts("Clients", t["clients"]),
                _counts("Sessions", t["sessions"]),
            ]
        elif name == "demographics":
            out[name] = [
                Column("Characteristic", [attribute_label(v) for v in t["characteristic"]], "label"),
                Column("Group", list(t["value"]), "label"),
                _counts("Clients", t["clients"]),
            ]
        elif name.startswith("condition_by_"):
            out[name] = [
                Column("Condition", [_nice(v, labels) for v in t["condition"]], "label"),
                *(_counts(str(c), t[c]) for c in t.columns[1:]),
            ]
        elif name == "screening":
            hidden = t["flags"].eq("suppressed").to_numpy()
            pre_hidden = hidden | t["clinical_pre_suppressed"].fillna(False).to_numpy(dtype=bool)
            post_hidden = hidden | t["clinical_post_suppressed"].fillna(False).to_numpy(dtype=bool)
            out[name] = [
                Column("Condition", [_nice(v, labels) for v in t["condition"]], "label"),
                Column("Measure", list(t["measure_label"]), "label"),
                Column("Cut-off", [c.replace(">=", "≥").replace("<=", "≤") for c in t["cutoff"]], "label"),
                _counts("Clients", t["n_clients"]),
                Column(
                    "Above the cut-off at the start",
                    _cells(t["pct_clinical_pre"] / 100, pre_hidden, 2),
                    "share",
                ),
                Column(
                    "Above the cut-off at the end",
                    _cells(t["pct_clinical_post"] / 100, post_hidden, 2),
                    "share",
                ),
            ]
        else:
            group_col = "condition" if "condition" in t.columns else "group"
            hidden = t["flags"].eq("suppressed").to_numpy()
            # a share hidden on its own: with its n it would give a small count of clients
            share_hidden = hidden | (
                t["share_suppressed"].fillna(False).to_numpy(dtype=bool) if "share_suppressed" in t else False
            )
            no_mcid = t["mcid"].isna().to_numpy() & ~hidden
            mcid = [
                "no published MCID" if none else v
                for none, v in zip(no_mcid, _cells(t["pct_mcid"] / 100, share_hidden, 2), strict=True)
            ]
            out[name] = [
                Column(
                    "Condition" if group_col == "condition" else "Group",
                    [_nice(v, labels) for v in t[group_col]],
                    "label",
                ),
                Column("Measure", list(t["measure_label"]), "label"),
                _counts("Clients", t["n_clients"]),
                Column("Before (mean)", _cells(t["mean_pre"], hidden, 1), "mean"),
                Column("After (mean)", _cells(t["mean_post"], hidden, 1), "mean"),
                Column("Improvement (mean)", _cells(t["mean_improvement"], hidden, 1), "mean"),
                Column("Improvement: 95% CI from", _cells(t["improvement_ci_low"], hidden, 1), "mean"),
                Column("Improvement: 95% CI to", _cells(t["improvement_ci_high"], hidden, 1), "mean"),
                Column("Reached MCID", mcid, "share"),
                Column(
                    "Reached MCID: 95% CI from", _cells(t["pct_mcid_ci_low"] / 100, share_hidden, 2), "share"
                ),
                Column(
                    "Reached MCID: 95% CI to", _cells(t["pct_mcid_ci_high"] / 100, share_hidden, 2), "share"
                ),
            ]
    return out


def _counts(heading: str, values: Any) -> Column:
    """Counts: a missing one is a suppressed one."""
    return Column(heading, [SUPPRESSED if is_missing(v) else int(v) for v in values], "count")


def _cells(values: Any, hidden: Any, digits: int) -> list[Any]:
    """Numbers rounded as shown; ``*`` on a suppressed row; ``None`` where there is no number."""
    return [SUPPRESSED if h else rounded(v, digits) for v, h in zip(values, hidden, strict=True)]


def _shown(cell: Any, kind: str) -> str:
    """A typed cell as the HTML page prints it."""
    if cell is None:
        return MISSING
    if isinstance(cell, str) or kind == "label":
        return str(cell)
    if kind == "count":
        return count(cell)
    if kind == "share":
        return percent(cell)
    return number(cell, 1)


def _with_interval(est: Column, lo: Column, hi: Column, heading: str) -> Column:
    """An estimate and its interval in one cell: ``1.1 (0.3 to 1.9)``."""
    cells = []
    for e, a, b in zip(est.cells, lo.cells, hi.cells, strict=True):
        text = _shown(e, est.kind)
        if not isinstance(e, str) and a is not None and b is not None:
            text += f" ({_shown(a, lo.kind)} to {_shown(b, hi.kind)})"
        cells.append(text)
    return Column(heading, cells, "label")


def presentation_tables(report: GrantReport) -> dict[str, pd.DataFrame]:
    """The funder tables as text for people (the HTML page): suppressed values as ``*``, each
    estimate with its interval in one cell. The same rows, labels and rounding as the workbook."""
    out: dict[str, pd.DataFrame] = {}
    for name, columns in report_columns(report).items():
        if name.startswith("outcomes"):  # an estimate and its interval side by side
            columns = [
                *columns[:5],
                _with_interval(*columns[5:8], "Improvement (95% CI)"),
                _with_interval(*columns[8:11], "Reached MCID (95% CI)"),
            ]
        out[name] = pd.DataFrame({c.heading: [_shown(v, c.kind) for v in c.cells] for c in columns})
    return out


def _nice(v: Any, labels: Mapping[str, str] | None = None) -> str:
    """A key as a label (``pelvic_pain`` -> ``Pelvic pain``); a label as it is (``Self-pay``)."""
    text = str(v)
    if text in (ALL, TOTAL) or " " in text or not text.islower():
        return text
    return condition_label(text, labels)


def write_grant_xlsx(report: GrantReport, path: str | Path, *, synthetic: bool = False) -> Path:
    """The grant report as an Excel workbook: a README sheet, then one sheet per table.

    Counts, means and percentages are stored as numbers with number formats
    (``#,##0``, ``0.0``, ``0%``), rounded as the HTML page shows them, so that
    Excel can sum and sort them; a suppressed cell holds the marker ``*``,
    explained under every table and on the README sheet. Every text is stored
    as text, never as a formula: one that a spreadsheet would run (it begins
    with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return, such as a
    payer spelled ``=HYPERLINK(...)`` in the export) gets a single quote in
    front (:func:`outcomes._spreadsheet.neutralize_text`). A report checked
    against a suppression ledger (``grant_report(..., ledger=)``) is recorded in it.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    path = Path(path)
    wb = Workbook()
    ws = wb.active
    ws.title = "README"
    bold = Font(bold=True)
    columns = report_columns(report)
    lines: list[tuple[str, Any]] = [
        ("Outcomes report for the funder", "SYNTHETIC SAMPLE DATA: not real clients" if synthetic else ""),
        ("Reporting period", report.period),
        ("Generated", _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%d %H:%M UTC")),
        *(
            (k.replace("_", " ").capitalize(), v if isinstance(v, int | float) else str(v))
            for k, v in report.provenance.items()
            if k != "reporting_period"  # said once, above
        ),
        ("Small-cell suppression", report.suppression_rule),
        ("Legend", LEGEND + ". Numbers are rounded as shown; `outcomes summarize` gives them unrounded."),
        ("Methods", report.methods),
        ("Limitations", report.limitations),
        *(("Note", w) for w in report.warnings),
        ("Sheets", "; ".join(_sheet_title(n) for n in columns)),
    ]
    for r, (k, v) in enumerate(lines, start=1):
        _put(ws, r, 1, k).font = bold
        c = _put(ws, r, 2, v)
        c.alignment = Alignment(wrap_text=True, vertical="top", horizontal="left")
    ws.column_dimensions["A"].width = 26
    ws.column_dimensions["B"].width = 110
    ws["A1"].font = Font(bold=True, size=14)
    header_fill = PatternFill("solid", fgColor="DDE6F0")
    right = Alignment(horizontal="right")
    for name, cols in columns.items():
        sh = wb.create_sheet(_sheet_title(name))
        _put(sh, 1, 1, report.captions.get(name, "")).font = Font(italic=True)
        for j, col in enumerate(cols, start=1):
            cell = _put(sh, 3, j, col.heading)
            cell.font = bold
            cell.fill = header_fill
            cell.alignment = Alignment(wrap_text=True, vertical="bottom")
            for i, value in enumerate(col.cells, start=4):
                cell = _put(sh, i, j, value)
                if col.kind in NUMBER_FORMATS:
                    cell.number_format = NUMBER_FORMATS[col.kind]
                    cell.alignment = right  # a marker or a note lines up with the numbers
            shown = [len(_shown(v, col.kind)) for v in col.cells]
            width = max([min(len(col.heading), 18), *shown]) + 2
            sh.column_dimensions[get_column_letter(j)].width = min(max(width, 8), 48)
        sh.freeze_panes = "A4"
        n_rows = len(cols[0].cells) if cols else 0
        _put(sh, n_rows + 5, 1, LEGEND + ".").font = Font(italic=True)
    wb.save(path)
    _record(report, path)
    return path


def _record(report: GrantReport, path: Path) -> None:
    """Add a written report to its suppression ledger (when it was checked against one)."""
    if report.ledger is not None and report.years is not None:
        record(
            report.ledger,
            report.years,
            path.name,
            path.read_bytes(),
            min_cell=report.min_cell,
            counts=report.counts,
        )


def _put(sheet: Any, row: int, column: int, value: Any) -> Any:
    """Write one cell: a number as it is, a text as text that no spreadsheet runs as a formula.

    openpyxl would store a text beginning with ``=`` as a formula, and one such as
    ``#N/A`` as an error; a text cell is therefore neutralized and typed as a string.
    """
    cell = sheet.cell(row=row, column=column, value=neutralize_text(value))
    if isinstance(value, str):
        cell.data_type = "s"
    return cell


def _sheet_title(name: str) -> str:
    title = (
        name.replace("_", " ").replace("condition by ", "cond by ").replace("outcomes by ", "outcomes by ")
    )
    return title[:31].capitalize()


_HEADINGS = {
    "overview": "Clients served",
    "conditions": "Conditions",
    "demographics": "Who we served",
    "outcomes": "Outcomes per condition",
    "screening": "Above a screening cut-off",
}


def _heading(name: str) -> str:
    if name in _HEADINGS:
        return _HEADINGS[name]
    if name.startswith("condition_by_"):
        return f"Conditions by {attribute_phrase(name.removeprefix('condition_by_'))}"
    return f"Outcomes by {attribute_phrase(name.removeprefix('outcomes_by_'))}"


def grant_html(report: GrantReport, *, synthetic: bool = False) -> str:
    """The grant report as one self-contained HTML page (same content as the workbook)."""
    from .pages import render, table_html

    pres = presentation_tables(report)
    text_cols = {"overview": 1, "conditions": 1, "demographics": 2, "screening": 3}
    tables = {
        n: table_html(
            t,
            caption=report.captions.get(n, ""),
            text_columns=text_cols.get(n, 2 if n.startswith("outcomes") else 1),
        )
        for n, t in pres.items()
    }
    return render(
        "grant.html.j2",
        title="Outcomes report for the funder",
        report=report,
        tables=tables,
        headings={n: _heading(n) for n in pres},
        generated=_dt.datetime.now(_dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        synthetic=synthetic,
    )


def write_grant_html(report: GrantReport, path: str | Path, *, synthetic: bool = False) -> Path:
    """Write :func:`grant_html` to ``path`` (and record it in the report's ledger, if any)."""
    path = Path(path)
    path.write_text(grant_html(report, synthetic=synthetic), encoding="utf-8")
    _record(report, path)
    return path
