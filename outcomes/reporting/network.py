""":func:`network_report`: the network's pooled outcomes as one HTML page that may leave the coordinator.

Every count and every figure per site or per condition is small-cell suppressed as the grant
report is (:mod:`outcomes.privacy.suppression`): a group of 1 to ``min_cell − 1`` clients shows no
number, and further groups are hidden where a shown total would give a hidden one back. The page
holds no client row, no pseudonym and no session.
"""

from __future__ import annotations

import datetime as dt
import warnings
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from .._format import SUPPRESSED, count, interval, number
from .._words import ALL, condition_label, plural
from ..plots import plot_condition_forest
from ..privacy import DEFAULT_MIN_CELL, suppress_counts, suppress_rows
from .grant_suppression import suppress_small_shares
from .pages import figure_png, render, table_html

__all__ = ["network_report"]

_LEVEL = "course"
#: The page shows t intervals only: the fewest resamples the summary takes for the bootstrap
#: columns it does not show.
_N_BOOT = 100
#: Marks a row that lacks a small group some clinic did not send.
_PART = "†"


def _suppressed(table: pd.DataFrame, key: str, min_cell: int) -> pd.DataFrame:
    """Each measure's rows (groups of ``key`` and the network row ``all``) small-cell suppressed."""
    parts = []
    for _, block in table.groupby("measure", sort=False):
        block = block.set_index(key)
        total = ALL if ALL in block.index else None
        sup = suppress_rows(
            block, n_col="n_clients", min_cell=min_cell, total_row=total, keep=["measure", "level"]
        )
        parts.append(suppress_small_shares(sup, min_cell).reset_index())
    return pd.concat(parts, ignore_index=True) if parts else table


def _grouped(network: Any, by: str) -> pd.DataFrame:
    groups = network.summary(by, n_boot=_N_BOOT)
    whole = network.summary(None, n_boot=_N_BOOT).assign(**{by: ALL})
    table = pd.concat([groups, whole[[by, *groups.columns.drop(by)]]], ignore_index=True)
    table[by] = table[by].astype(str)
    return table[table["level"].astype(str) == _LEVEL].reset_index(drop=True)


def _sites_table(network: Any, min_cell: int) -> pd.DataFrame:
    sites = network.sites.set_index("site")
    counts = pd.concat(
        [sites[["clients"]], pd.DataFrame({"clients": [sites["clients"].sum()]}, index=["Total"])]
    )
    shown, hidden = suppress_counts(counts.astype("int64"), min_cell=min_cell, col_total="Total")
    withheld = sites["groups_withheld"] if "groups_withheld" in sites else pd.Series(0, index=sites.index)
    sent = [
        "client rows"
        if mode == "clients"
        else "counts and moments only" + (f" ({plural(int(k), 'small group')} not sent)" if k else "")
        for mode, k in zip(sites["mode"], withheld.fillna(0), strict=True)
    ]
    return pd.DataFrame(
        {
            "Site": [*sites.index, "Total"],
            "Sent": [*sent, ""],
            "Clients": [
                "*" if h else f"{int(v):,}" for v, h in zip(shown["clients"], hidden["clients"], strict=True)
            ],
        }
    )


def _outcome_rows(table: pd.DataFrame, network: Any) -> pd.DataFrame:
    """The outcome table's cells in words and rounded numbers, ``*`` where suppressed, measure by
    measure with the network's row last."""
    order = {m: i for i, m in enumerate(pd.unique(table["measure"]))}
    table = table.assign(_m=table["measure"].map(order), _all=table["condition"] == ALL)
    rows = []
    table = table[table["n_clients"].fillna(1) > 0]  # a group with no complete pair has nothing to show
    for record in table.sort_values(["_m", "_all"], kind="stable").to_dict("records"):
        r: Any = SimpleNamespace(**{str(k): v for k, v in record.items()})
        inst = network.registry.get_instrument(str(r.measure))
        hidden = "suppressed" in str(r.flags)
        star = SUPPRESSED if hidden else None
        if "aggregate_only" in str(r.flags):
            mcid = "not available (counts only)"
        elif bool(getattr(r, "share_suppressed", False)):  # the share would give a small count
            mcid = SUPPRESSED
        elif pd.isna(r.pct_mcid):
            mcid = "no published MCID" if not inst.has_mcid else "n/a"
        else:
            mcid = f"{number(r.pct_mcid, 0)}%"
        rows.append(
            {
                "Condition": condition_label(r.condition),
                "Measure": inst.label,
                "Clients": count(r.n_clients)
                + (_PART if not hidden and "site_withheld" in str(r.flags) else ""),
                "Before": star or number(r.mean_pre),
                "After": star or number(r.mean_post),
                "Improvement (95% CI)": star
                or f"{number(r.mean_improvement)} ({interval(r.improvement_ci_low, r.improvement_ci_high)})",
                "Reached the MCID": star or mcid,
            }
        )
    return pd.DataFrame(rows)


def network_report(
    network: Any,
    path: str | Path | None = None,
    *,
    min_cell: int = DEFAULT_MIN_CELL,
    title: str = "Research network: pooled outcomes",
    n_boot: int | None = None,
    seed: int | None = None,
) -> str:
    """The network's pooled outcomes (course level) as a self-contained HTML page.

    ``network`` is what :func:`outcomes.network.pool_sites` returns. ``n_boot`` and ``seed`` are
    accepted for earlier callers and do nothing (the page's intervals are t intervals); passing
    them warns.

    Sections: the sites pooled (clients per site, suppressed), every file not pooled and why,
    the network's change per condition and measure, and per measure a figure of each site's change
    beside the network's, in which sites with too few clients are not drawn. Writes ``path`` when
    given; returns the HTML.
    """
    if n_boot is not None or seed is not None:
        warnings.warn(
            "network_report: n_boot and seed have no effect (the page shows t intervals, no bootstrap "
            "interval) and will be removed; leave them out",
            DeprecationWarning,
            stacklevel=2,
        )
    by_condition = _suppressed(_grouped(network, "condition"), "condition", min_cell)
    by_site = _suppressed(_grouped(network, "site"), "site", min_cell)
    figures = []
    for measure in pd.unique(by_site["measure"]):
        block = by_site[by_site["measure"] == measure]
        if (
            not block["n_clients"].notna().any()
            or not np.isfinite(block["mean_improvement"].astype(float)).any()
        ):
            continue
        inst = network.registry.get_instrument(str(measure))
        ax = plot_condition_forest(block, measure=str(measure), level=_LEVEL, instruments=network.registry)
        figures.append(
            {
                "label": inst.label,
                "src": figure_png(ax.figure),
                "alt": f"Average improvement in {inst.label}, 95% interval, per site and network-wide",
            }
        )
        plt.close(ax.figure)
    outcome_rows = _outcome_rows(by_condition, network)
    html = render(
        "network.html.j2",
        title=title,
        subtitle=f"{plural(len(network.sites), 'site')} pooled · made {dt.date.today():%d %B %Y}",
        sites=table_html(
            _sites_table(network, min_cell),
            text_columns=2,
            caption="Clients: each site's clients with a score; for a site that sent counts only, the most "
            "clients any one measure has (counts do not say who had which measure).",
        ),
        failed=[{"file": r.file, "reason": r.reason} for r in network.failed.itertuples(index=False)],
        aggregate_sites=[
            s for s, m in zip(network.sites["site"], network.sites["mode"], strict=True) if m == "aggregate"
        ],
        outcomes=table_html(
            outcome_rows,
            text_columns=2,
            total_labels=(condition_label(ALL),),
            caption=(
                f"{_PART} A clinic that sent counts only did not send its part of this group (too few "
                "clients to share, or a part that would give such a part back): the row counts the "
                "other clinics' clients only."
                if outcome_rows["Clients"].str.endswith(_PART).any()
                else ""
            ),
        ),
        figures=figures,
        min_cell=min_cell,
        from_moments=network.aggregate_only,
    )
    if path is not None:
        Path(path).write_text(html, encoding="utf-8")
    return html
