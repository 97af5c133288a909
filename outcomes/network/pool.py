""":func:`pool_sites`: the network's summary from the sites' client-level files.

Each site file (:func:`.site.export_site`) is read and checked; a file that cannot be read or
does not hold what a site file holds is reported with its reason, never dropped in silence. The
pooled summary runs the same statistics code on the sites' client rows
(:func:`outcomes.summarize_pairs`), so it equals the summary of the pooled session rows.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from ..instruments import InstrumentRegistry, default_registry
from ..summary import LEVELS, summarize_pairs
from .moments import MOMENT_COLUMNS, MOMENT_KEYS, combine_moments, moments_of, summary_from_moments
from .site import EXPORT_VERSION, LEVEL_VALUES, SITE_COLUMNS

__all__ = ["PooledNetwork", "pool_sites", "read_site"]


def read_site(path: str | Path) -> tuple[pd.DataFrame, dict[str, Any]]:
    """A site file's table and metadata.

    Raises
    ------
    ValueError
        The file is not a site file of this version, or lacks its columns (the message says which).
    """
    import pyarrow.parquet as pq

    path = Path(path)
    try:
        arrow = pq.read_table(path)
    except Exception as exc:  # any unreadable file is a site to report, whatever pyarrow says
        raise ValueError(f"{path.name}: not a Parquet file that can be read ({type(exc).__name__})") from None
    raw = (arrow.schema.metadata or {}).get(b"outcomes_network")
    if raw is None:
        raise ValueError(
            f"{path.name}: not a site file (no outcomes_network metadata); write it with "
            "'outcomes network export'"
        )
    meta = json.loads(raw)
    if meta.get("version") != EXPORT_VERSION:
        raise ValueError(f"{path.name}: site file version {meta.get('version')!r}, expected {EXPORT_VERSION}")
    table = arrow.to_pandas()
    mode = meta.setdefault("mode", "clients")
    if mode not in ("clients", "aggregate"):
        raise ValueError(f"{path.name}: unknown site file mode {mode!r} (clients or aggregate)")
    needed = (
        (*SITE_COLUMNS, "pre", "post", "paired") if mode == "clients" else (*MOMENT_KEYS, *MOMENT_COLUMNS)
    )
    lacking = [c for c in needed if c not in table.columns]
    if lacking:
        raise ValueError(f"{path.name}: no column {', '.join(lacking)}")
    return table, meta


def _clients(table: pd.DataFrame, aggregate: bool) -> int:
    """A site's clients: its distinct pseudonyms, or for counts only the most clients any measure
    has at any level (a lower bound: moments do not say who had which measure)."""
    if not aggregate:
        return int(table["network_id"].nunique())
    whole = table[table["grouping"] == ""]
    return int((whole["n_clients"] + whole["n_clients_unpaired"]).max()) if len(whole) else 0


@dataclass
class PooledNetwork:
    """The sites pooled (see :func:`pool_sites`).

    ``table``: the client rows of every site that sent them, with a ``site`` column;
    ``aggregates``: the counts and moments of every aggregate-only site (:mod:`.moments`), with a
    ``site`` column; ``withheld``: the keys of the small groups an aggregate-only site did not
    send; ``sites``: per site its file, mode, clients, rows read and groups withheld; ``failed``:
    each file that was not pooled and why.
    """

    table: pd.DataFrame
    sites: pd.DataFrame
    failed: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["file", "reason"]))
    registry: InstrumentRegistry = field(default_factory=default_registry)
    aggregates: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=[*MOMENT_KEYS, "site"]))
    withheld: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=[*MOMENT_KEYS, "site"]))

    @property
    def aggregate_only(self) -> bool:
        """Whether some site sent counts and moments only (the summary then lacks what needs
        client values: :data:`.moments.UNAVAILABLE`)."""
        return len(self.aggregates) > 0

    def _rows(self, frame: pd.DataFrame, by: str | None) -> pd.DataFrame:
        """The rows of grouping ``by`` (``"site"``: each site's whole-site rows, the site as group),
        after checking that every site exported it."""
        if by == "site":
            rows = frame[frame["grouping"] == ""]
            return rows.assign(group=rows["site"].astype(str))
        grouping = by or ""
        every = pd.concat([self.table[["site", "grouping"]], self.aggregates[["site", "grouping"]]])
        have = every.groupby("site")["grouping"].agg(lambda g: grouping in set(g))
        lacking = sorted(have.index[~have.to_numpy(dtype=bool)])
        if lacking and len(lacking) < len(have):
            raise ValueError(
                f"site(s) {', '.join(lacking)} did not export grouping {by!r}: a pooled summary by it would "
                f"leave their clients out; ask them to export with --by {by}"
            )
        if not (every["grouping"] == grouping).any():
            available = sorted(g or "(the whole site)" for g in pd.unique(every["grouping"]))
            raise ValueError(f"no site exported grouping {by!r}; the files hold: {', '.join(available)}")
        return frame[frame["grouping"] == grouping]

    def client_tables(self, by: str | None = None) -> dict[str, pd.DataFrame]:
        """Per level, the pooled client rows of grouping ``by`` in the columns of
        :func:`outcomes.client_changes` (``client_id`` = the network pseudonym); ``by="site"``
        groups by site. Aggregate-only sites have no client rows to give."""
        rows = self._rows(self.table, by)
        out = {}
        for level in LEVELS:
            sub = rows[rows["level"] == level]
            if sub.empty:
                continue
            keys = {"measure": sub["measure"], "client_id": sub["network_id"]}
            if by:
                keys = {by: sub["group"], **keys}
            values = sub[[c for c in LEVEL_VALUES[level] if c in sub.columns]]
            out[level] = pd.concat([pd.DataFrame(keys), values], axis=1).reset_index(drop=True)
        return out

    def moments(self, by: str | None = None) -> pd.DataFrame:
        """Counts and moments of every site combined, per group of ``by`` x level x measure."""
        parts = [self._rows(self.aggregates, by)] if self.aggregate_only else []
        if len(self.table):
            client_rows = self._rows(self.table, by)
            parts.append(moments_of(client_rows))
        keys = ["group", "level", "measure"]
        combined = combine_moments(pd.concat(parts, ignore_index=True), keys)
        return combined.rename(columns={"group": by}) if by else combined.drop(columns="group")

    def summary(
        self,
        by: str | None = None,
        *,
        n_boot: int = 2000,
        seed: int | None = 0,
        confidence: float = 0.95,
        **kwargs: Any,
    ) -> pd.DataFrame:
        """The network's summary by ``by`` (``None``, ``condition``, an exported attribute, or
        ``"site"``).

        From client rows it is :func:`outcomes.summarize_pairs`, equal to the summary of the pooled
        session rows. When some site sent counts and moments only, every row comes from the
        combined moments (:func:`.moments.summary_from_moments`): the statistics that need client
        values are missing, ``flags`` says ``aggregate_only``, and ``n_boot``, ``seed`` and the
        other options of :func:`outcomes.summarize_pairs` have nothing to act on. A row that lacks
        a small group some site did not send has the flag ``site_withheld``: it counts the other
        sites' clients only.
        """
        if self.aggregate_only:
            table = summary_from_moments(
                self.moments(by), [by] if by else [], self.registry, confidence=confidence
            )
            return self._mark_withheld(table, by)
        return summarize_pairs(
            self.client_tables(by),
            by=by,
            n_boot=n_boot,
            seed=seed,
            confidence=confidence,
            instruments=self.registry,
            **kwargs,
        )

    def _mark_withheld(self, table: pd.DataFrame, by: str | None) -> pd.DataFrame:
        """Flag ``site_withheld`` on the rows a site's withheld group belongs to."""
        if by == "site" or self.withheld.empty:
            return table  # a site's withheld whole-site row is simply not there
        grouping = by or ""
        rows = self.withheld[self.withheld["grouping"] == grouping]
        missing = set(zip(rows["group"], rows["level"], rows["measure"], strict=True))
        group = table[by].astype(str) if by else pd.Series("", index=table.index)
        keys = zip(group, table["level"].astype(str), table["measure"].astype(str), strict=True)
        hit = [k in missing for k in keys]
        table["flags"] = [
            ";".join(f for f in (flag, "site_withheld") if f) if h else flag
            for flag, h in zip(table["flags"].astype(str), hit, strict=True)
        ]
        return table


def pool_sites(
    sources: str | Path | Iterable[str | Path], *, instruments: InstrumentRegistry | None = None
) -> PooledNetwork:
    """Pool the site files of a folder (``*.parquet``) or a list of files.

    Returns
    -------
    PooledNetwork
        ``.summary(by)`` equals :func:`outcomes.summarize` of the pooled session rows; files that
        failed are in ``.failed`` with their reason.

    Raises
    ------
    ValueError
        No site file could be pooled, or two sites share a network pseudonym.
    """
    if isinstance(sources, (str, Path)) and Path(sources).is_dir():
        files = sorted(Path(sources).glob("*.parquet"))
    elif isinstance(sources, (str, Path)):
        files = [Path(sources)]
    else:
        files = [Path(s) for s in sources]
    tables: list[pd.DataFrame] = []
    aggregates: list[pd.DataFrame] = []
    sites: list[dict[str, Any]] = []
    failed: list[dict[str, str]] = []
    withheld: list[pd.DataFrame] = []
    for f in files:
        try:
            table, meta = read_site(f)
        except ValueError as exc:
            failed.append({"file": f.name, "reason": str(exc)})
            continue
        site = str(meta.get("site") or f.stem)
        aggregate = meta["mode"] == "aggregate"
        (aggregates if aggregate else tables).append(table.assign(site=site))
        groups = (meta.get("withheld") or {}).get("groups") or []
        withheld.append(pd.DataFrame(groups, columns=MOMENT_KEYS).assign(site=site))
        flow = pd.DataFrame(meta.get("flow") or [])
        rows_read = (
            int(flow.loc[(flow["unit"] == "rows") & (flow["step"] == "read"), "count"].sum())
            if len(flow)
            else 0
        )
        sites.append(
            {
                "site": site,
                "file": f.name,
                "mode": meta["mode"],
                "clients": _clients(table, aggregate),
                "rows_read": rows_read,
                "groups_withheld": int((meta.get("withheld") or {}).get("rows", 0)),
            }
        )
    if not tables and not aggregates:
        reasons = "; ".join(f"{x['file']}: {x['reason']}" for x in failed) or "no *.parquet file"
        raise ValueError(f"no site file could be pooled ({reasons})")
    names = pd.Series([s["site"] for s in sites])
    if names.duplicated().any():
        raise ValueError(
            f"two site files carry the same site name ({', '.join(sorted(set(names[names.duplicated()])))}): "
            "export each site under its own --site name"
        )
    table = pd.concat(tables, ignore_index=True) if tables else pd.DataFrame(columns=[*SITE_COLUMNS, "site"])
    owners = table.groupby("network_id")["site"].nunique()
    if (owners > 1).any():
        raise ValueError(
            f"{int((owners > 1).sum())} network pseudonyms appear in more than one site: export each "
            "site with its own key (the default: a fresh random key per export)"
        )
    return PooledNetwork(
        aggregates=pd.concat(aggregates, ignore_index=True)
        if aggregates
        else pd.DataFrame(columns=[*MOMENT_KEYS, "site"]),
        table=table,
        withheld=pd.concat(withheld, ignore_index=True),
        sites=pd.DataFrame(sites),
        failed=pd.DataFrame(failed, columns=["file", "reason"]),
        registry=instruments or default_registry(),
    )
