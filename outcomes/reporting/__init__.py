"""Reports: the practice report (HTML) and the funder report (HTML + Excel).

Named ``reporting`` so that ``outcomes.report(data, path)`` can be the function
that writes the practice report.
"""

from .client_page import client_page_html, client_report
from .grant import GrantReport, grant_report
from .grant_writers import grant_html, presentation_tables, write_grant_html, write_grant_xlsx
from .practice import practice_report_html, report

__all__ = [
    "GrantReport",
    "client_page_html",
    "client_report",
    "grant_html",
    "grant_report",
    "practice_report_html",
    "presentation_tables",
    "report",
    "write_grant_html",
    "write_grant_xlsx",
]
