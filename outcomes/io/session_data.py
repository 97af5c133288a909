""":class:`SessionData`: what a read returns, the canonical frame with its flow, provenance and registry."""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from .._words import plural
from ..instruments import InstrumentRegistry, default_registry
from ..schema import condition_spellings, split_conditions, validate_sessions
from .columns import ColumnMap


@dataclass
class SessionData:
    """What :func:`read_sessions` returns.

    Attributes
    ----------
    frame : DataFrame
        The canonical long table (see :mod:`outcomes.schema`).
    flow : DataFrame
        Ledger of every source row and every score cell, columns
        ``unit`` (``rows``, ``scores``, and ``forms`` where questionnaires were
        exported as items), ``step`` (``read``, ``excluded``, ``kept``), ``reason``
        and ``count``. For rows, read = kept + excluded always; for scores, found =
        kept + excluded; for forms, found = scored + not scored.
    provenance : dict
        ``file``, ``sha256``, ``rows_read``, ``read_at`` (UTC, ISO 8601),
        ``package_version``, ``layout``, ``layout_reason`` and format details;
        when read with ``allow_identifiers``, also ``privacy_override`` (the
        reason) and ``privacy_findings`` (flagged columns and why, no values).
    failure_cases : DataFrame
        Problems that were excluded with ``errors="exclude"`` (empty otherwise).
    registry : InstrumentRegistry
        The instruments the data were read with. Every later call that is given
        this object and no ``instruments=`` uses it, so a measure registered from
        a file (``read_sessions(..., instruments="measures.toml")``) works through
        summaries, figures and reports without registering it process-wide.
    column_map : ColumnMap
        How the export's names were mapped onto the contract.
    condition_labels : dict of str to str
        Each condition key (``cbt``) with the export's spelling of it (``CBT``),
        which reports and figures show (see :func:`outcomes._words.condition_label`).
        Empty when the condition column was flagged as identifying.
    """

    frame: pd.DataFrame
    flow: pd.DataFrame
    provenance: dict[str, Any]
    failure_cases: pd.DataFrame = field(default_factory=pd.DataFrame)
    registry: InstrumentRegistry = field(default_factory=default_registry)
    column_map: ColumnMap = field(default_factory=ColumnMap)
    condition_labels: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_frame(cls, frame: pd.DataFrame, *, instruments: InstrumentRegistry | None = None) -> SessionData:
        """A canonical frame held in memory, validated, as SessionData (no file: no flow or provenance).

        Raises
        ------
        SchemaError
            When ``frame`` breaks the data contract (see :func:`outcomes.validate_sessions`).
        """
        registry = instruments if instruments is not None else default_registry()
        typed = validate_sessions(frame, instruments=registry)
        labels = condition_spellings(frame["condition"]) if "condition" in frame.columns else {}
        return cls(
            frame=typed,
            flow=pd.DataFrame(columns=["unit", "step", "reason", "count"]),
            provenance={"file": "data passed in memory", "rows_read": len(frame)},
            registry=registry,
            condition_labels=labels,
        )

    @property
    def layout(self) -> str:
        return str(self.provenance.get("layout"))

    def counts(self, by: str = "condition") -> pd.DataFrame:
        """Clients, sessions and scores per group (a client with two conditions counts in each).

        Returns
        -------
        DataFrame
            ``by``, ``clients``, ``sessions``, ``scores``, ``measures``; one row per
            group, none when the frame is empty.
        """
        f = self.frame
        if by == "condition":
            cond = split_conditions(f["condition"])
            f = f.loc[cond.index].assign(condition=cond.to_numpy())
        g = f.groupby(by, observed=True, sort=True)
        sessions = f[[by, "client_id", "session"]].drop_duplicates().groupby(by, observed=True, sort=True)
        out = pd.DataFrame(
            {
                "clients": g["client_id"].nunique(),
                "sessions": sessions.size(),
                "scores": g.size(),
                "measures": g["measure"].nunique(),
            }
        )
        return out.rename_axis(by).reset_index().astype({c: "int64" for c in out.columns})

    def flow_text(self) -> str:
        """The flow as aligned text lines (for the command line)."""
        lines = []
        for unit in ("rows", "scores", "forms"):
            sub = self.flow[self.flow["unit"] == unit]
            if sub.empty:
                continue
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
