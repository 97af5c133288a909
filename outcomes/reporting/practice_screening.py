"""The practice report's screening cut-offs and safety items.

Where a measure has a published screening cut-off (EPDS ≥ 11, PHQ-9 ≥ 10, PSQI > 5), the share
of clients above it at intake and at discharge, per condition, and the Jacobson–Truax
"recovered". And every positive answer to a self-harm item (EPDS item 10, PHQ-9 item 9): a
safety signal shown to the therapist, session by session, never averaged into a summary.
"""

from __future__ import annotations

import html
from typing import Any

import numpy as np
import pandas as pd

from .._format import MISSING, is_missing, number
from .._words import ALL, condition_label, plural
from ..summary.row import in_clinical_range
from .pages import table_html

__all__ = ["safety_html", "safety_measures", "safety_signals", "screening_html"]


def _cutoff_words(inst: Any) -> str:
    symbol = {">=": "≥", "<=": "≤"}.get(inst.cutoff_rule, inst.cutoff_rule)
    return f"{symbol} {number(inst.clinical_cutoff, 0)}"


def _share(pct: float, n: int) -> str:
    if is_missing(pct) or not n:
        return MISSING
    k = round(pct * n / 100.0)
    return f"{k} of {n} ({number(pct, 0)}%)"


def screening_html(analysis: Any) -> str:
    """Per condition and measure with a published cut-off: clients above it at their first and
    their last score, and how many of those who started above it recovered (Jacobson–Truax:
    ended below it with a reliable improvement)."""
    table = analysis.table("course")  # the groups, then the whole practice as group 'all'
    table = table[table["pct_clinical_pre"].notna()] if "pct_clinical_pre" in table else table.iloc[0:0]
    if table.empty:
        return ""
    registry = analysis.registry
    group = analysis.by[0] if analysis.by else None
    if group is not None:  # the whole practice first, then the groups
        table = table.assign(_whole=table[group].astype(str) != ALL).sort_values(["_whole", group, "measure"])
    rows = []
    for r in table.itertuples(index=False):
        inst = registry.get_instrument(r.measure)
        n = int(r.n_clients)
        n_clinical = 0 if is_missing(r.n_clinical_baseline) else int(r.n_clinical_baseline)
        recovered = (
            f"{round(r.pct_recovered * n_clinical / 100.0)} of {n_clinical}"
            if n_clinical and not is_missing(r.pct_recovered)
            else MISSING
        )
        row = {
            "Measure": inst.label,
            "Cut-off": _cutoff_words(inst),
            "Clients": str(n),
            "Above the cut-off at the start": _share(r.pct_clinical_pre, n),
            "At the last score": _share(r.pct_clinical_post, n),
            "Recovered": recovered,
        }
        if group is not None:
            value = getattr(r, group)
            label = (
                condition_label(str(value), analysis.data.condition_labels) if group == "condition" else value
            )
            row = {group.replace("_", " ").capitalize(): str(label), **row}
        rows.append(row)
    return (
        '<div class="scroll">'
        + table_html(pd.DataFrame(rows), text_columns=3 if group else 2, total_labels=(condition_label(ALL),))
        + '</div><p class="note">Each client\'s first and last score of the measure. A screening cut-off '
        "marks who may need more than this care (a referral, a conversation); it is not a diagnosis. "
        "Recovered: started above the cut-off, ended below it, and the change was larger than the "
        "measure's own error (Jacobson–Truax reliable change; a dash where the reliability is not known). "
        "Few clients per row: read these as counts, not rates.</p>"
    )


def safety_measures(frame: pd.DataFrame, registry: Any) -> list[str]:
    """The safety items (``kind='safety_item'``) among the frame's measures."""
    present = pd.unique(frame["measure"].astype(str))
    return [m for m in present if m in registry and registry[m].kind == "safety_item"]


def safety_signals(frame: pd.DataFrame, registry: Any) -> pd.DataFrame:
    """Every positive answer to a safety item: ``client_id``, ``session``, ``date`` (where
    recorded), ``measure``, ``label`` and ``answer``, in client and session order."""
    keys = [
        m
        for m in pd.unique(frame["measure"].astype(str))
        if m in registry and registry[m].kind == "safety_item"
    ]
    columns = ["client_id", "session", "date", "measure", "label", "answer"]
    if not keys:
        return pd.DataFrame(columns=columns)
    parts = []
    for key in keys:
        inst = registry[key]
        sub = frame[frame["measure"].astype(str) == key]
        positive = in_clinical_range(inst, sub["score"].to_numpy(dtype="float64"))
        hit = sub[positive]
        parts.append(
            pd.DataFrame(
                {
                    "client_id": hit["client_id"].astype(str).to_numpy(),
                    "session": hit["session"].to_numpy(),
                    "date": hit["date"].to_numpy() if "date" in hit else np.full(len(hit), None),
                    "measure": key,
                    "label": inst.label,
                    "answer": hit["score"].to_numpy(dtype="float64"),
                }
            )
        )
    out = pd.concat(parts, ignore_index=True)
    return out.sort_values(["client_id", "session", "measure"], ignore_index=True)[columns]


def safety_html(analysis: Any, *, sessions: bool = True) -> str:
    """The safety box: how many answers to a self-harm item were positive and, in the practice's
    own view (``sessions=True``), which clients and sessions; empty when no safety item was read."""
    frame = analysis.frame
    registry = analysis.registry
    asked = [
        m
        for m in pd.unique(frame["measure"].astype(str))
        if m in registry and registry[m].kind == "safety_item"
    ]
    if not asked:
        return ""
    signals = safety_signals(frame, registry)
    n_asked = int(frame["measure"].astype(str).isin(asked).sum())
    items = " and ".join(registry[m].label for m in asked)
    if signals.empty:
        return (
            f'<div class="callout" id="safety-box"><strong>Safety items:</strong> {html.escape(items)}: '
            f"no positive answer in {plural(n_asked, 'form')}.</div>"
        )
    n_clients = signals["client_id"].nunique()
    text = (
        f'<div class="callout warning" id="safety-box"><strong>Safety items need your review.</strong> '
        f"{html.escape(items)}: {plural(len(signals), 'positive answer')} from "
        f"{plural(n_clients, 'client')}, "
        f"in {plural(n_asked, 'form')}. A positive answer means the client reported thoughts of harming "
        "themselves at that time: follow your practice's safety protocol and make sure each was followed up. "
        "These answers are never averaged into a summary, and no grant output shows them."
    )
    if not sessions:
        return text + "</div>"
    shown = pd.DataFrame(
        {
            "Client": signals["client_id"],
            "Session": signals["session"].astype(str),
            "Date": [MISSING if is_missing(d) else str(d)[:10] for d in signals["date"]],
            "Item": signals["label"],
            "Answer (points)": [number(a, 0) for a in signals["answer"]],
        }
    )
    return (
        text
        + " For the practice's own view only: pseudonymous ids, not for sharing.</div>"
        + '<div class="scroll">'
        + table_html(shown, text_columns=4)
        + "</div>"
    )
