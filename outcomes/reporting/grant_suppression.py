"""Suppression across the tables of one grant report: a count two tables share hidden in both or
neither, counts one table gives by subtraction from another, shares that give a small count with
their denominator (``docs/methods.md``, "Suppression in the grant report")."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .._format import is_missing
from .._words import ALL as ALL_KEY
from .._words import condition_label
from ..privacy import suppress_counts, suppress_rows

__all__ = [
    "published_counts",
    "small_differences",
    "suppress_outcomes",
    "suppress_small_shares",
    "suppress_together",
]

#: The label of the all-clients row of the outcome tables and of the total row/column of counts.
ALL = condition_label(ALL_KEY)
TOTAL = "Total"


def suppress_together(
    conditions: pd.DataFrame,
    characteristics: dict[str, pd.DataFrame],
    crosstabs: dict[str, pd.DataFrame],
    min_cell: int,
    *,
    force: tuple[Any, dict[str, Any], dict[str, Any]] | None = None,
) -> tuple[pd.Series, dict[str, pd.DataFrame], dict[str, pd.DataFrame]]:
    """Suppress the condition, characteristic and cross-tables so that a count they share is
    hidden in all of them or in none.

    A condition's clients appear in the conditions table and as the total column of every
    cross-table; a group's clients in the characteristics table and as the total row of its
    cross-table; all clients in each. A count hidden in one table and shown in another is not
    hidden, so the tables are suppressed again, each forced to hide what another hides, until
    nothing changes. ``force`` gives cells to hide from the start (masks of the conditions, of
    each characteristic and of each cross-table). Returns the hidden masks (conditions and
    characteristics as Series over their index).
    """
    force_c = pd.Series(False, index=conditions.index)
    force_d = {b: pd.Series(False, index=t.index) for b, t in characteristics.items()}
    force_x = {b: pd.DataFrame(False, index=t.index, columns=t.columns) for b, t in crosstabs.items()}
    if force is not None:
        force_c |= np.asarray(force[0], dtype=bool)
        for b in force_d:
            force_d[b] |= np.asarray(force[1][b], dtype=bool)
            force_x[b] |= np.asarray(force[2][b], dtype=bool)
    for _ in range(50):  # each round only adds hidden cells: it ends
        _, hc = suppress_counts(
            conditions, min_cell=min_cell, col_total=TOTAL, force=force_c.to_numpy().reshape(-1, 1)
        )
        hidden_c = hc.iloc[:, 0]
        hidden_d = {}
        for b, t in characteristics.items():
            _, hd = suppress_counts(
                t, min_cell=min_cell, col_total=TOTAL, force=force_d[b].to_numpy().reshape(-1, 1)
            )
            hidden_d[b] = hd.iloc[:, 0]
        hidden_x = {}
        for b, t in crosstabs.items():
            _, hx = suppress_counts(
                t, min_cell=min_cell, row_total=TOTAL, col_total=TOTAL, force=force_x[b].to_numpy()
            )
            hidden_x[b] = hx
        new_c = hidden_c.copy()
        new_d = {b: h.copy() for b, h in hidden_d.items()}
        new_x = {b: h.copy() for b, h in hidden_x.items()}
        for b, hx in hidden_x.items():
            new_c |= hx[TOTAL].reindex(new_c.index, fill_value=False)
            new_d[b] |= hx.loc[TOTAL].reindex(new_d[b].index, fill_value=False)
        total = bool(new_c.get(TOTAL, False)) or any(bool(h.get(TOTAL, False)) for h in new_d.values())
        for b in new_x:
            new_x[b][TOTAL] |= new_c.reindex(new_x[b].index, fill_value=False)
            new_x[b].loc[TOTAL] |= new_d[b].reindex(new_x[b].columns, fill_value=False)
            total = total or bool(new_x[b].loc[TOTAL, TOTAL])
        if total:  # all clients: one count everywhere
            new_c[TOTAL] = True
            for b in new_x:
                new_d[b][TOTAL] = True
                new_x[b].loc[TOTAL, TOTAL] = True
        if (
            new_c.equals(hidden_c)
            and all(new_d[b].equals(hidden_d[b]) for b in new_d)
            and all(new_x[b].equals(hidden_x[b]) for b in new_x)
        ):
            return hidden_c, hidden_d, hidden_x
        force_c, force_d, force_x = new_c, new_d, new_x
    raise RuntimeError("internal error: the grant tables' suppression did not settle")  # pragma: no cover


def published_counts(groups: pd.Series, counts: pd.Series) -> dict[Any, Any]:
    """Each group's published count of clients, the total under the outcome tables' all-clients label."""
    out = dict(zip(groups, counts, strict=True))
    out[ALL] = out.pop(TOTAL, pd.NA)
    return out


def suppress_outcomes(
    block: pd.DataFrame, published: dict[Any, Any], min_cell: int, force: list[Any] | None = None
) -> pd.DataFrame:
    """One measure's outcome rows (indexed by group, the all-clients row among them) suppressed: small
    groups, their complements, rows a published count would reveal by subtraction, the rows
    ``force`` names, and shares that give a small count with their n."""
    sup = suppress_rows(
        block,
        n_col="n_clients",
        min_cell=min_cell,
        total_row=ALL,
        keep=["measure", "mcid"],
        force=[*small_differences(block["n_clients"], published, min_cell), *(force or [])],
    )
    return suppress_small_shares(sup, min_cell).reset_index()


def small_differences(n: pd.Series, published: dict[Any, Any], min_cell: int) -> list[Any]:
    """Rows whose count, taken from their group's published count, leaves a small count.

    ``n`` is indexed by group (the clients with an outcome); ``published`` maps a group to its
    count in another table of the report (missing when suppressed there). A difference from 1 to
    ``min_cell − 1`` (three of a condition's 14 clients without an outcome) would publish a small
    group by subtraction, so such rows are suppressed too.
    """
    out = []
    for group, k in n.items():
        total = published.get(group, pd.NA)
        if is_missing(total) or is_missing(k):
            continue
        if 1 <= int(total) - int(k) < min_cell:
            out.append(group)
    return out


#: Each share of an outcome row that stands for a count of its clients: the share, the columns
#: hidden with it, and the column that says it was hidden.
SHARES = (
    ("pct_mcid", ("pct_mcid", "pct_mcid_ci_low", "pct_mcid_ci_high"), "share_suppressed"),
    ("pct_clinical_pre", ("pct_clinical_pre",), "clinical_pre_suppressed"),
    ("pct_clinical_post", ("pct_clinical_post",), "clinical_post_suppressed"),
)


def suppress_small_shares(table: pd.DataFrame, min_cell: int) -> pd.DataFrame:
    """Hide a share where it gives a small count with its denominator.

    A share and its ``n`` give the clients who reached the MCID (64% of 11 is 7) and those who
    did not, or those above a screening cut-off at the start or at the end and those below it;
    when either is from 1 to ``min_cell − 1`` the share (and its interval) is hidden
    (``share_suppressed``, ``clinical_pre_suppressed``, ``clinical_post_suppressed``), and the
    row's other statistics stay.
    """
    table = table.copy()
    n = pd.to_numeric(table["n_clients"], errors="coerce").to_numpy(dtype=float)
    for name, columns, flag in SHARES:
        if name not in table:
            continue
        share = pd.to_numeric(table[name], errors="coerce").to_numpy(dtype=float)
        k = np.rint(share / 100 * n)
        small = ((k >= 1) & (k < min_cell)) | ((n - k >= 1) & (n - k < min_cell))
        small &= np.isfinite(share) & np.isfinite(n)
        for col in columns:
            table.loc[small, col] = np.nan
        table[flag] = small
    return table
