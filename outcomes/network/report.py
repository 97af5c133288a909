""":func:`network_report`: the network's pooled outcomes as one HTML page that may leave the coordinator.

Every count and every figure per site or per condition is small-cell suppressed as the grant
report is (:mod:`outcomes.privacy.suppression`): a group of 1 to ``min_cell − 1`` clients shows no
number, and further groups are hidden where a shown total would give a hidden one back. The page
holds no client row, no pseudonym and no session.
"""

from __future__ import annotations

import datetime as dt
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
from ..reporting.grant_suppression import suppress_small_shares
from ..reporting.pages import figure_png, render, table_html
from .moments import UNAVAILABLE
from .pool import PooledNetwork

__all__ = ["network_report"]

_LEVEL = "course"


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


def _grouped(network: PooledNetwork, by: str, *, n_boot: int, seed: int | None) -> pd.DataFrame:
    groups = network.summary(by, n_boot=n_boot, seed=seed)
    whole = network.summary(None, n_boot=n_boot, seed=seed).assign(**{by: ALL})
    table = pd.concat([groups, whole[[by, *groups.columns.drop(by)]]], ignore_index=True)
    table[by] = table[by].astype(str)
    return table[table["level"].astype(str) == _LEVEL].reset_index(drop=True)


def _sites_table(network: PooledNetwork, min_cell: int) -> pd.DataFrame:
    sites = network.sites.set_index("site")
    counts = pd.concat(
        [sites[["clients"]], pd.DataFrame({"clients": [sites["clients"].sum()]}, index=["Total"])]
    )
    shown, hidden = suppress_counts(counts.astype("int64"), min_cell=min_cell, col_total="Total")
    sent = sites["mode"].map({"clients": "client rows", "aggregate": "counts and moments only"})
    return pd.DataFrame(
        {
            "Site": [*sites.index, "Total"],
            "Sent": [*sent, ""],
            "Clients": [
                "*" if h else f"{int(v):,}" for v, h in zip(shown["clients"], hidden["clients"], strict=True)
            ],
        }
    )


def _outcome_rows(table: pd.DataFrame, network: PooledNetwork) -> pd.DataFrame:
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
        mcid = (
            "n/a"
            if pd.isna(r.pct_mcid) and "aggregate_only" not in str(r.flags)
            else f"{number(r.pct_mcid, 0)}%"
        )
        rows.append(
            {
                "Condition": condition_label(r.condition),
                "Measure": inst.label,
                "Clients": count(r.n_clients),
                "Before": star or number(r.mean_pre),
                "After": star or number(r.mean_post),
                "Improvement (95% CI)": star
                or f"{number(r.mean_improvement)} ({interval(r.improvement_ci_low, r.improvement_ci_high)})",
                "Reached the MCID": star
                or ("not available (counts only)" if "aggregate_only" in str(r.flags) else mcid),
            }
        )
    return pd.DataFrame(rows)


def network_report(
    network: PooledNetwork,
    path: str | Path | None = None,
    *,
    min_cell: int = DEFAULT_MIN_CELL,
    n_boot: int = 2000,
    seed: int | None = 0,
    title: str = "Research network: pooled outcomes",
) -> str:
    """The network's pooled outcomes (course level) as a self-contained HTML page.

    Sections: the sites pooled (clients per site, suppressed), every file not pooled and why,
    the network's change per condition and measure, and per measure a figure of each site's change
    beside the network's, in which sites with too few clients are not drawn. Writes ``path`` when
    given; returns the HTML.
    """
    by_condition = _suppressed(
        _grouped(network, "condition", n_boot=n_boot, seed=seed), "condition", min_cell
    )
    by_site = _suppressed(_grouped(network, "site", n_boot=n_boot, seed=seed), "site", min_cell)
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
    unavailable = ", ".join(c.replace("_", " ") for c in UNAVAILABLE[:5])
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
        unavailable=unavailable,
        outcomes=table_html(
            _outcome_rows(by_condition, network), text_columns=2, total_labels=(condition_label(ALL),)
        ),
        figures=figures,
        min_cell=min_cell,
        n_boot=n_boot,
    )
    if path is not None:
        Path(path).write_text(html, encoding="utf-8")
    return html
