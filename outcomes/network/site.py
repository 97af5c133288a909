""":func:`export_site`: what a clinic sends a research network, and nothing more.

Per grouping the network may pool by (the whole site, and each client attribute asked for) and
per level, each client's earlier and later score as :func:`outcomes.client_changes` gives them,
keyed by a network pseudonym that is not the clinic's own id. No session rows, no dates, no
other attribute; the site's flow (counts only) goes with it in the file's metadata.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .._version import __version__
from ..instruments import InstrumentRegistry, registry_for
from ..privacy.suppression import DEFAULT_MIN_CELL, suppress_counts
from ..summary import LEVELS, client_changes
from ..summary.prepare import canonical_frame
from .moments import MOMENT_KEYS, moments_of

__all__ = [
    "EXPORT_VERSION",
    "LEVEL_VALUES",
    "SITE_COLUMNS",
    "export_site",
    "site_table",
    "withhold_small_groups",
    "write_site",
]

#: Version of the site file's layout.
EXPORT_VERSION = 1
#: The key columns of a site table, then the values of :func:`outcomes.client_changes`.
SITE_COLUMNS = ["grouping", "group", "level", "measure", "network_id"]
#: The values of :func:`outcomes.client_changes` at each level.
_BASE = ["pre", "post", "change", "n_sessions", "n_sessions_unpaired"]
LEVEL_VALUES = {
    "session": [*_BASE, "paired"],
    "followup": [*_BASE, "immediate_change", "followup_change_same_sessions", "paired"],
    "course": [*_BASE, "first_session", "last_session", "paired"],
}
_DOMAIN = b"outcomes network pseudonym v1\x00"


def _network_ids(ids: Sequence[str], key: bytes) -> dict[str, str]:
    return {i: "N" + hmac.new(key, _DOMAIN + i.encode("utf-8"), hashlib.sha256).hexdigest()[:20] for i in ids}


def site_table(
    data: Any,
    *,
    by: Sequence[str] = ("condition",),
    levels: Sequence[str] = LEVELS,
    key: bytes | None = None,
    instruments: InstrumentRegistry | None = None,
) -> pd.DataFrame:
    """The client-level rows a site sends: one per grouping × group × level × measure × client.

    ``grouping`` is ``""`` for the whole site (``group`` empty) or the attribute (``condition``,
    ``age_band`` …) with the client's value in ``group``. ``key`` keys the network pseudonyms (a
    fresh random key by default, so that two exports cannot be linked to each other or to the
    clinic's ids).

    Raises
    ------
    ValueError
        An attribute of ``by`` is not in the data, or varies within a client (a session-level
        attribute such as ``technique`` cannot be pooled from client-level rows).
    """
    registry = registry_for(data, instruments)
    frame = canonical_frame(data, registry)
    problems = [b for b in by if b not in frame.columns]
    if problems:
        raise ValueError(f"no column {', '.join(map(repr, problems))} in the data to group the export by")
    for b in by:
        if b == "condition":
            continue
        varying = frame.groupby("client_id")[b].nunique(dropna=False) > 1
        if varying.any():
            raise ValueError(
                f"{b!r} changes within {int(varying.sum())} clients: only an attribute of the client "
                "(one value per client) can be pooled from client-level rows"
            )
    ids = _network_ids(sorted(pd.unique(frame["client_id"].astype(str))), key or secrets.token_bytes(32))
    parts = []
    for grouping in ("", *by):
        for level in levels:
            table = client_changes(frame, level=level, by=grouping or None, instruments=registry)
            if table.empty:
                continue
            group = table[grouping].astype(str) if grouping else pd.Series("", index=table.index)
            part = pd.DataFrame(
                {
                    "grouping": grouping,
                    "group": group.to_numpy(),
                    "level": level,
                    "measure": table["measure"].astype(str).to_numpy(),
                    "network_id": table["client_id"].astype(str).map(ids).to_numpy(),
                }
            )
            values = table.drop(columns=[c for c in (grouping, "measure", "client_id") if c])
            parts.append(pd.concat([part, values.reset_index(drop=True)], axis=1))
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=SITE_COLUMNS)


def write_site(
    table: pd.DataFrame,
    path: str | Path,
    *,
    site: str,
    flow: pd.DataFrame | None = None,
    mode: str = "clients",
    withheld: dict[str, Any] | None = None,
) -> Path:
    """Write a site table (``mode="clients"``) or its moments (``mode="aggregate"``) as Parquet,
    with the site's name, its flow (counts), the mode, the layout's version and (for moments) the
    small groups withheld (``{"min_cell": k, "rows": m, "groups": [[grouping, group, level,
    measure], ...]}``: keys, never counts) in the file's metadata."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = Path(path)
    meta = {
        "outcomes_network": json.dumps(
            {
                "version": EXPORT_VERSION,
                "site": site,
                "mode": mode,
                "package_version": __version__,
                "flow": [] if flow is None else flow.astype({"count": "int64"}).to_dict("records"),
                "groupings": sorted(set(table["grouping"])) if len(table) else [],
                "withheld": withheld or {},
            }
        )
    }
    arrow = pa.Table.from_pandas(table, preserve_index=False)
    arrow = arrow.replace_schema_metadata({**(arrow.schema.metadata or {}), **meta})
    pq.write_table(arrow, path)
    return path


def export_site(
    data: Any,
    path: str | Path,
    *,
    site: str,
    by: Sequence[str] = ("condition",),
    key: bytes | None = None,
    instruments: InstrumentRegistry | None = None,
    aggregate_only: bool = False,
    min_cell: int | None = DEFAULT_MIN_CELL,
) -> Path:
    """Write what a clinic sends the network to ``path``; see ``docs/scale.md``.

    By default the client rows of :func:`site_table`, under network pseudonyms. With
    ``aggregate_only=True``, for a site that may share counts and moments only, their counts and
    moments per grouping x group x level x measure (:func:`.moments.moments_of`) instead: no
    client's row, but a group's moments still describe its clients (a group of one is that
    client's scores), so a group of 1 to ``min_cell - 1`` clients is withheld, with further
    groups where the whole site's row would give it back by subtraction
    (:func:`withhold_small_groups`); the file's metadata counts them. ``min_cell=None`` sends every
    group (for a network whose agreement allows it). The network's summary then lacks what needs
    client values (see :func:`pool_sites`).
    """
    table = site_table(data, by=by, key=key, instruments=instruments)
    flow = getattr(data, "flow", None)
    if aggregate_only:
        moments = moments_of(table)
        withheld = moments.iloc[:0]
        if min_cell is not None:
            moments, withheld = withhold_small_groups(moments, min_cell=min_cell)
        keys = withheld[MOMENT_KEYS].astype(str).to_numpy().tolist()
        return write_site(
            moments,
            path,
            site=site,
            flow=flow,
            mode="aggregate",
            withheld={"min_cell": min_cell, "rows": len(keys), "groups": keys},
        )
    return write_site(table, path, site=site, flow=flow)


def withhold_small_groups(
    moments: pd.DataFrame, *, min_cell: int = DEFAULT_MIN_CELL
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The moments without the rows of small groups, and the rows withheld.

    The keys of the rows withheld (never their counts) go in the site file's metadata, as a
    published table shows ``*``: the network can then say which of its rows lack some clients.

    Two counts describe a row: its paired clients (``n_clients``, whose scores make the moments)
    and all its clients (paired and unpaired). A row where either is 1 to ``min_cell - 1`` is
    withheld, whole-site rows included. Within a grouping, level and measure the groups add up
    to the whole-site row, so further groups are withheld by complementary suppression
    (:func:`outcomes.privacy.suppress_counts`) until no withheld group's count follows by
    subtraction, and until what the whole-site row minus the groups sent leaves, counts and
    moments, is of no client or of at least ``min_cell`` (else the withheld groups' clients,
    taken together, would be a small group sent after all). Where the whole-site row itself would
    give a withheld group back (every group small, their sum the largest or smallest that small
    counts make), the level and measure is withheld in every grouping: the groups of any other
    grouping add up to it.
    """
    paired = moments["n_clients"].astype("int64")
    clients = paired + moments["n_clients_unpaired"].astype("int64")
    counts = pd.DataFrame({"paired": paired, "clients": clients})

    def small(n: pd.Series) -> pd.Series:
        return (n >= 1) & (n < min_cell)

    hidden = pd.Series(False, index=moments.index)
    whole = moments["grouping"] == ""
    hidden[whole] = small(counts.loc[whole, "paired"]) | small(counts.loc[whole, "clients"])
    total_of = {
        (level, measure): counts.loc[i]
        for i, level, measure in zip(
            moments.index[whole], moments.loc[whole, "level"], moments.loc[whole, "measure"], strict=True
        )
    }
    whole_withheld: set[tuple[Any, Any]] = set()
    for (_, level, measure), rows in moments[~whole].groupby(["grouping", "level", "measure"], sort=False):
        table = counts.loc[rows.index].copy()
        total = total_of.get((level, measure))
        if total is not None:
            table.loc["total"] = total
        force = np.zeros(table.shape, dtype=bool)
        while True:
            _, mask = suppress_counts(
                table, min_cell=min_cell, col_total="total" if total is not None else None, force=force
            )
            withheld = mask.loc[rows.index].any(axis=1)
            if total is None or hidden[total.name]:
                break
            left = total - table.loc[rows.index][~withheld].sum()
            if not (small(left).any()):
                break
            # not empty: with every group withheld, what is left is the total, and it is shown
            sent = table.loc[rows.index][~withheld & (table.loc[rows.index, "clients"] > 0)]
            force[table.index.get_loc(sent["clients"].idxmin()), :] = True
        hidden[rows.index] = withheld.to_numpy()
        if total is not None and mask.loc["total"].any():
            whole_withheld.add((level, measure))
    if whole_withheld:
        # the whole-site row would pin this grouping's withheld groups; every other grouping's
        # groups add up to it, so the level and measure is withheld in every grouping
        hidden |= pd.MultiIndex.from_frame(moments[["level", "measure"]]).isin(list(whole_withheld))
    hide = hidden.to_numpy()
    return moments[~hide].reset_index(drop=True), moments[hide].reset_index(drop=True)
