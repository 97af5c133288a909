""":class:`SessionData`: what a read returns, the canonical frame with its flow, provenance and registry."""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from .._words import plural


@dataclass
class SessionData:
    """What :func:`read_sessions` returns.

    Attributes
    ----------
    frame : DataFrame
        The canonical long table (see :mod:`outcomes.schema`).
    flow : DataFrame
        Ledger of every source row and every score cell, columns
        ``unit`` (``rows`` or ``scores``), ``step`` (``read``, ``excluded``,
        ``kept``), ``reason`` and ``count``. For rows, read = kept + excluded
        always; for scores, found = kept + excluded.
    provenance : dict
        ``file``, ``sha256``, ``rows_read``, ``read_at`` (UTC, ISO 8601),
        ``package_version``, ``layout``, ``layout_reason`` and format details;
        when read with ``allow_identifiers``, also ``privacy_override`` (the
        reason) and ``privacy_findings`` (flagged columns and why, no values).
    failure_cases : DataFrame
        Problems that were excluded with ``errors="exclude"`` (empty otherwise).
    """

    frame: pd.DataFrame
    flow: pd.DataFrame
    provenance: dict[str, Any]
    failure_cases: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def layout(self) -> str:
        return str(self.provenance.get("layout"))

    def counts(self, by: str = "condition") -> pd.DataFrame:
        """Clients, sessions and scores per group (a client with two conditions counts in each)."""
        from ..schema import split_conditions

        f = self.frame
        if by == "condition":
            cond = split_conditions(f["condition"])
            f = f.loc[cond.index].assign(condition=cond.to_numpy())
        g = f.groupby(by, observed=True, sort=True)
        out = pd.DataFrame(
            {
                "clients": g["client_id"].nunique(),
                "sessions": g[["client_id", "session"]].apply(lambda d: len(d.drop_duplicates())),
                "scores": g.size(),
                "measures": g["measure"].nunique(),
            }
        ).reset_index()
        return out

    def flow_text(self) -> str:
        """The flow as aligned text lines (for the command line)."""
        lines = []
        for unit in ("rows", "scores"):
            sub = self.flow[self.flow["unit"] == unit]
            for _, r in sub.iterrows():
                indent = "    " if r["step"] == "excluded" else ""
                label = f"{indent}{r['reason']}"
                lines.append(f"{label:<72} {int(r['count']):>9,}")
            lines.append("")
        return "\n".join(lines).rstrip()

    def __repr__(self) -> str:
        p = self.provenance
        return (
            f"SessionData({p.get('file')}: layout {p.get('layout')}, {p.get('rows_read'):,} rows read, "
            f"{len(self.frame):,} scores from {plural(self.frame['client_id'].nunique(), 'client')})"
        )

    def _repr_html_(self) -> str:
        p = self.provenance
        prov = "".join(
            f"<tr><th style='text-align:left'>{html.escape(str(k))}</th><td style='text-align:left'>"
            f"{html.escape(str(v))}</td></tr>"
            for k, v in p.items()
        )
        flow = self.flow.to_html(index=False, border=0)
        return (
            f"<div><strong>outcomes.SessionData</strong>: {len(self.frame):,} scores, "
            f"{self.frame['client_id'].nunique():,} clients, layout <code>{html.escape(self.layout)}</code>"
            f"<details open><summary>Flow</summary>{flow}</details>"
            f"<details><summary>Provenance</summary><table>{prov}</table></details></div>"
        )
