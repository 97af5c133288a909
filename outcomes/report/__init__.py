"""Reports: the practice report (HTML) and the funder report (HTML + Excel)."""

from .grant import (
    GrantReport,
    grant_html,
    grant_report,
    presentation_tables,
    write_grant_html,
    write_grant_xlsx,
)

__all__ = [
    "GrantReport",
    "grant_html",
    "grant_report",
    "presentation_tables",
    "write_grant_html",
    "write_grant_xlsx",
]
