"""The grant report for people: rounded, labelled tables, as an Excel workbook or one HTML page."""

from __future__ import annotations

import datetime as _dt
from pathlib import Path
from typing import Any

import pandas as pd

from .._format import SUPPRESSED, count, is_missing, number
from .._words import attribute_label, attribute_phrase, condition_label
from .grant import ALL, TOTAL, GrantReport

__all__ = ["grant_html", "presentation_tables", "write_grant_html", "write_grant_xlsx"]


def presentation_tables(report: GrantReport) -> dict[str, pd.DataFrame]:
    """Rounded, labelled tables for people: suppressed values as ``*``; used by HTML and Excel."""
    out: dict[str, pd.DataFrame] = {}
    for name, t in report.tables.items():
        if name == "overview":
            out[name] = pd.DataFrame({"": t["item"], "Count": [count(v) for v in t["count"]]})
        elif name in ("conditions",):
            out[name] = pd.DataFrame(
                {
                    "Condition": t["condition"].map(_nice),
                    "Clients": [count(v) for v in t["clients"]],
                    "Sessions": [count(v) for v in t["sessions"]],
                }
            )
        elif name == "demographics":
            out[name] = pd.DataFrame(
                {
                    "Characteristic": t["characteristic"].map(attribute_label),
                    "Group": t["value"],
                    "Clients": [count(v) for v in t["clients"]],
                }
            )
        elif name.startswith("condition_by_"):
            d = t.copy()
            d["condition"] = d["condition"].map(_nice)
            for c in d.columns[1:]:
                d[c] = [count(v) for v in d[c]]
            out[name] = d.rename(columns={"condition": "Condition"})
        else:
            group_col = "condition" if "condition" in t.columns else "group"
            out[name] = pd.DataFrame(
                {
                    ("Condition" if group_col == "condition" else "Group"): t[group_col].map(_nice),
                    "Measure": t["measure_label"],
                    "Clients": [count(v) for v in t["n_clients"]],
                    "Before (mean)": [_stat(v, 1) for v in t["mean_pre"]],
                    "After (mean)": [_stat(v, 1) for v in t["mean_post"]],
                    "Improvement (95% CI)": [
                        "*"
                        if is_missing(m)
                        else f"{_stat(m, 1)} ({_stat(lo, 1)} to {_stat(hi, 1)})"
                        if not is_missing(lo)
                        else _stat(m, 1)
                        for m, lo, hi in zip(
                            t["mean_improvement"],
                            t["improvement_ci_low"],
                            t["improvement_ci_high"],
                            strict=True,
                        )
                    ],
                    "Reached MCID, % (95% CI)": [
                        "no published MCID"
                        if is_missing(mc) and not s
                        else "*"
                        if is_missing(p)
                        else f"{number(p, 0)}% ({number(lo, 0)}–{number(hi, 0)}%)"
                        for p, lo, hi, mc, s in zip(
                            t["pct_mcid"],
                            t["pct_mcid_ci_low"],
                            t["pct_mcid_ci_high"],
                            t["mcid"],
                            t["flags"].eq("suppressed"),
                            strict=True,
                        )
                    ],
                }
            )
    return out


def _nice(v: Any) -> str:
    """A key as a label (``pelvic_pain`` -> ``Pelvic pain``); a label as it is (``Self-pay``)."""
    text = str(v)
    if text in (ALL, TOTAL) or " " in text or not text.islower():
        return text
    return condition_label(text)


def _stat(value: Any, digits: int) -> str:
    return number(value, digits, missing=SUPPRESSED)


def write_grant_xlsx(report: GrantReport, path: str | Path, *, synthetic: bool = False) -> Path:
    """The grant report as an Excel workbook: a README sheet, then one sheet per table."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    path = Path(path)
    wb = Workbook()
    ws = wb.active
    ws.title = "README"
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    lines: list[tuple[str, str]] = [
        ("Outcomes report for the funder", "SYNTHETIC SAMPLE DATA: not real clients" if synthetic else ""),
        ("Reporting period", report.period),
        ("Generated", _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%d %H:%M UTC")),
        *((k.replace("_", " ").capitalize(), str(v)) for k, v in report.provenance.items()),
        ("Small-cell suppression", report.suppression_rule),
        ("Methods", report.methods),
        ("Limitations", report.limitations),
        *(("Note", w) for w in report.warnings),
        ("Sheets", "; ".join(_sheet_title(n) for n in report.tables)),
    ]
    for r, (k, v) in enumerate(lines, start=1):
        ws.cell(row=r, column=1, value=k).font = bold
        c = ws.cell(row=r, column=2, value=v)
        c.alignment = wrap
    ws.column_dimensions["A"].width = 26
    ws.column_dimensions["B"].width = 110
    ws["A1"].font = Font(bold=True, size=14)
    header_fill = PatternFill("solid", fgColor="DDE6F0")
    for name, table in presentation_tables(report).items():
        sh = wb.create_sheet(_sheet_title(name))
        sh.cell(row=1, column=1, value=report.captions.get(name, "")).font = Font(italic=True)
        for j, col in enumerate(table.columns, start=1):
            cell = sh.cell(row=3, column=j, value=str(col))
            cell.font = bold
            cell.fill = header_fill
            cell.alignment = Alignment(wrap_text=True, vertical="bottom")
        for i, row in enumerate(table.itertuples(index=False), start=4):
            for j, value in enumerate(row, start=1):
                sh.cell(row=i, column=j, value=value)
        for j, col in enumerate(table.columns, start=1):
            width = max([len(str(col))] + [len(str(v)) for v in table.iloc[:, j - 1]]) + 2
            sh.column_dimensions[get_column_letter(j)].width = min(max(width, 8), 48)
        sh.freeze_panes = "A4"
        sh.cell(row=len(table) + 5, column=1, value="* suppressed: see the README sheet").font = Font(
            italic=True
        )
    wb.save(path)
    return path


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
    text_cols = {"overview": 1, "conditions": 1, "demographics": 2}
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
    """Write :func:`grant_html` to ``path``."""
    path = Path(path)
    path.write_text(grant_html(report, synthetic=synthetic), encoding="utf-8")
    return path
