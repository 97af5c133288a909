"""HTML helpers shared by the practice and grant reports: the Jinja2 environment and tables."""

from __future__ import annotations

import base64
import html
import io
from typing import Any

import pandas as pd

from .._version import __version__


def environment() -> Any:
    from jinja2 import Environment, PackageLoader, select_autoescape

    return Environment(
        loader=PackageLoader("outcomes.reporting", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        keep_trailing_newline=True,
    )


def render(template: str, **context: Any) -> str:
    return environment().get_template(template).render(version=__version__, **context)


def table_html(
    frame: pd.DataFrame,
    *,
    caption: str = "",
    total_labels: tuple[str, ...] = ("Total", "All clients"),
    text_columns: int = 1,
    css_class: str = "",
) -> str:
    """A rounded, already-formatted table as HTML (values are escaped)."""
    head = "".join(
        f'<th class="{"text" if j < text_columns else ""}">{html.escape(str(c))}</th>'
        for j, c in enumerate(frame.columns)
    )
    body = []
    for row in frame.itertuples(index=False):
        cls = ' class="total"' if str(row[0]) in total_labels else ""
        cells = "".join(
            f'<td class="{"text" if j < text_columns else ""}">{html.escape(str(v))}</td>'
            for j, v in enumerate(row)
        )
        body.append(f"<tr{cls}>{cells}</tr>")
    cap = f'<p class="note">{html.escape(caption)}</p>' if caption else ""
    return (
        f'{cap}<table class="{css_class}"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table>"
    )


def figure_png(fig: Any, *, dpi: int = 144) -> str:
    """A matplotlib figure as a data: URI (self-contained HTML, no external requests).

    The figures of :mod:`outcomes.plots` are laid out by matplotlib's constrained
    layout, which keeps titles, legends and footnotes inside the figure, so the
    figure is saved as it is (a tight bounding box would draw it twice).
    """
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None})
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")
