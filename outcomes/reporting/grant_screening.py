"""The grant report's screening table and safety count, suppressed like every count it shows.

Screening: per condition and measure with a published cut-off, the share of clients above it at
their first and at their last session. A share and its number of clients give a count, so a share
is hidden where that count or its complement is small (:func:`.grant_suppression.suppress_small_shares`);
and where any condition's share of a measure is hidden, the all-clients share is hidden too, so
that no total is left to take the others from.

Safety: how many clients answered a self-harm item (EPDS item 10, PHQ-9 item 9) above 0 — a count,
never which clients — hidden when it or the clients served less it is small.

Both are entered in the report's published counts (``GrantSuppression.shown``), so that the ledger
compares them with the reports published before like any other count.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

import numpy as np
import pandas as pd

from ..instruments import InstrumentRegistry
from .grant_suppression import ALL, TOTAL
from .practice_screening import safety_measures

__all__ = [
    "SAFETY_ITEM",
    "SAFETY_KEY",
    "SCREENING_COLUMNS",
    "safety_clients",
    "screen_and_safety",
    "screening_table",
]

#: The overview's line of clients with a positive answer to a safety item, and its count's key.
SAFETY_ITEM = "Clients with a positive answer to a self-harm safety item (followed up by the practice)"
SAFETY_KEY = ("F", "safety")
#: The columns of an outcome row that only the screening table shows.
SCREENING_COLUMNS = [
    "pct_clinical_pre",
    "pct_clinical_post",
    "clinical_pre_suppressed",
    "clinical_post_suppressed",
]
_SHARES = (
    ("pct_clinical_pre", "clinical_pre_suppressed", "pre"),
    ("pct_clinical_post", "clinical_post_suppressed", "post"),
)


def safety_clients(frame: pd.DataFrame, registry: InstrumentRegistry) -> int | None:
    """How many clients answered a safety item above 0 in the period; None where none was asked."""
    keys = safety_measures(frame, registry)
    if not keys:
        return None
    asked = frame[frame["measure"].astype(str).isin(keys).to_numpy()]
    positive = (pd.to_numeric(asked["score"], errors="coerce") > 0).to_numpy()
    return int(asked.loc[positive, "client_id"].nunique())


def screen_and_safety(
    sup: Any,
    registry: InstrumentRegistry,
    safety: int | None,
    served: int,
    min_cell: int,
    forced: set[Hashable],
) -> None:
    """Settle the screening shares and the safety count of a suppressed report, in place.

    ``sup`` is what :func:`.grant_audit.suppress_grant` returned; ``forced`` the keys the ledger
    asks to hide. Each share's count is entered in ``sup.shown`` as ``("K", measure, condition,
    "pre" | "post")``, the safety count as :data:`SAFETY_KEY` (None where hidden).
    """
    for (table, measure), block in sup.blocks.items():
        inst = registry.get_instrument(measure)
        if table != "outcomes" or inst.clinical_cutoff is None or "pct_clinical_pre" not in block:
            continue
        groups = block["condition"].astype(str).to_numpy()
        n = pd.to_numeric(block["n_clients"], errors="coerce").to_numpy(dtype=float)
        row_hidden = block["flags"].eq("suppressed").to_numpy()
        for column, flag, when in _SHARES:
            share = pd.to_numeric(block[column], errors="coerce").to_numpy(dtype=float)
            hidden = row_hidden | block[flag].fillna(False).to_numpy(dtype=bool) | ~np.isfinite(share)
            hidden |= np.array([("K", measure, g, when) in forced for g in groups], dtype=bool)
            whole = groups == ALL
            if (hidden & ~whole & np.isfinite(n) & (n > 0)).any():
                hidden |= whole  # no total left to subtract the shown shares from
            block.loc[hidden, column] = np.nan
            block[flag] = hidden & ~row_hidden
            for g, k, h in zip(groups, np.rint(share / 100 * n), hidden, strict=True):
                sup.shown[("K", measure, g, when)] = None if h else float(k)
    if safety is not None:
        small = 1 <= safety < min_cell or 1 <= served - safety < min_cell
        hidden = small or bool(sup.clients[TOTAL]) or SAFETY_KEY in forced
        sup.shown[SAFETY_KEY] = None if hidden else float(safety)


def screening_table(outcomes: pd.DataFrame, registry: InstrumentRegistry) -> pd.DataFrame:
    """The outcome rows of measures with a published cut-off: clients, and the share above it at
    the start and at the end (hidden as :func:`screen_and_safety` settled)."""
    if outcomes.empty or "pct_clinical_pre" not in outcomes:
        return pd.DataFrame()
    cutoff = outcomes["measure"].map(lambda m: registry.get_instrument(m).clinical_cutoff)
    rows = outcomes[cutoff.notna().to_numpy()].copy()
    rows["cutoff"] = [
        f"{registry.get_instrument(m).cutoff_rule} {registry.get_instrument(m).clinical_cutoff:g}"
        for m in rows["measure"]
    ]
    keep = ["condition", "measure", "measure_label", "cutoff", "n_clients", *SCREENING_COLUMNS, "flags"]
    return rows[[c for c in keep if c in rows]].reset_index(drop=True)
