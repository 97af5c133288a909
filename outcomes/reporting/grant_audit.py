"""Suppression of the grant report as a whole, audited by an attacker who reads every table.

:func:`suppress_grant` suppresses the report's counts table by table (the rules of
:mod:`.grant_suppression`), then gives all of them, with the identities that tie them together,
to :class:`outcomes.privacy.audit.Disclosure`. Where a protected count (a hidden small count, or
a small count one published count leaves when taken from another) can be narrowed to fewer than
:data:`PROTECTION` + 1 values, one more count next to it is hidden and the report is suppressed
again, until none can. ``docs/methods.md``, "Suppression in the grant report", gives the
identities and the rule.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field

import pandas as pd

from ..privacy import suppress_counts
from ..privacy.audit import Disclosure
from .grant_suppression import ALL, TOTAL, published_counts, suppress_outcomes, suppress_together

__all__ = ["PROTECTION", "GrantCounts", "GrantSuppression", "suppress_grant"]

#: A protected count must keep at least this spread of values to an attacker (high − low): 2
#: means three or more whole numbers stay possible ("3 or 4" is not protection).
PROTECTION = 2

#: An outcome block's key: ("outcomes", measure) by condition, or (attribute, measure).
BlockKey = tuple[str, str]


@dataclass
class GrantCounts:
    """The true counts of a grant report, before suppression.

    ``clients`` and ``sessions`` per condition with a ``Total`` entry; ``groups`` the clients
    per value of each attribute with a ``Total``; ``crosstabs`` conditions × values with a total
    row and column; ``new`` the clients whose first session is in the period (None without
    ``days_from_first``); ``blocks`` one outcome table per (table, measure), indexed by group
    with the all-clients row, holding ``n_clients`` and the statistics.
    """

    clients: pd.Series
    sessions: pd.Series
    groups: dict[str, pd.Series]
    crosstabs: dict[str, pd.DataFrame]
    new: int | None
    blocks: dict[BlockKey, pd.DataFrame]


@dataclass
class GrantSuppression:
    """What :func:`suppress_grant` hides: a mask per table, the suppressed outcome blocks, the
    number of protected counts audited, the counts the audit hid (``forced``, in order) and
    every count of the report as published (``shown``: its value, or None where hidden; the
    keys of :func:`suppress_grant`)."""

    clients: pd.Series
    sessions: pd.Series
    groups: dict[str, pd.Series]
    crosstabs: dict[str, pd.DataFrame]
    new: bool
    blocks: dict[BlockKey, pd.DataFrame]
    protected: int = 0
    forced: list[Hashable] = field(default_factory=list)
    shown: dict[Hashable, float | None] = field(default_factory=dict)

    def provenance(self) -> str:
        """The audit in a sentence, for the report's provenance."""
        hid = len(self.forced)
        return (
            f"all tables checked together with an integer programme (HiGHS, scipy.optimize.milp): "
            f"{self.protected} protected counts, each left with at least {PROTECTION + 1} possible "
            f"values; {hid} more {'count' if hid == 1 else 'counts'} hidden by the check"
        )


def _suppress_once(counts: GrantCounts, min_cell: int, forced: set[Hashable]) -> GrantSuppression:
    force_c = counts.clients.index.isin([k[1] for k in forced if k[0] == "C"])
    force_d = {b: g.index.isin([k[2] for k in forced if k[:2] == ("D", b)]) for b, g in counts.groups.items()}
    force_x = {
        b: pd.DataFrame(
            [[("X", b, c, v) in forced for v in x.columns] for c in x.index], index=x.index, columns=x.columns
        )
        for b, x in counts.crosstabs.items()
    }
    hidden_c, hidden_d, hidden_x = suppress_together(
        counts.clients.to_frame("clients"),
        {b: g.to_frame("clients") for b, g in counts.groups.items()},
        counts.crosstabs,
        min_cell,
        force=(force_c, force_d, force_x),
    )
    # a condition's sessions are hidden with its clients (they are computed from them), and
    # protected like any hidden count
    force_s = hidden_c.to_numpy() | counts.sessions.index.isin([k[1] for k in forced if k[0] == "S"])
    _, hs = suppress_counts(
        counts.sessions.to_frame("sessions"), min_cell=min_cell, col_total=TOTAL, force=force_s.reshape(-1, 1)
    )
    hidden_s = hs["sessions"]
    new = False
    if counts.new is not None:
        served = int(counts.clients[TOTAL])
        returning = served - counts.new
        new = 1 <= counts.new < min_cell or 1 <= returning < min_cell or ("N",) in forced
    shown_c = counts.clients.astype("Int64").mask(hidden_c)
    blocks: dict[BlockKey, pd.DataFrame] = {}
    hide_all: set[str] = set()
    for _ in range(3):  # the all-clients row of a measure is one count in every table
        for (table, m), block in counts.blocks.items():
            if table == "outcomes":
                published = published_counts(shown_c.index, shown_c.to_numpy())
            else:
                g = counts.groups[table].astype("Int64").mask(hidden_d[table])
                published = published_counts(g.index, g.to_numpy())
            rows = [k[3] for k in forced if k[:3] == ("O", table, m)]
            if m in hide_all:
                rows.append(ALL)
            blocks[(table, m)] = suppress_outcomes(block, published, min_cell, force=rows)
        now = {m for (_, m), b in blocks.items() if _hidden_rows(b).get(ALL, False)}
        if now <= hide_all:
            break
        hide_all |= now
    return GrantSuppression(
        clients=hidden_c,
        sessions=hidden_s,
        groups=hidden_d,
        crosstabs=hidden_x,
        new=bool(new),
        blocks=blocks,
    )


def _hidden_rows(block: pd.DataFrame) -> pd.Series:
    """Which groups of a suppressed outcome block are hidden."""
    key = "condition" if "condition" in block.columns else "group"
    return pd.Series((block["flags"].astype(str) == "suppressed").to_numpy(), index=block[key].to_numpy())


def _model(
    counts: GrantCounts, sup: GrantSuppression, min_cell: int
) -> tuple[Disclosure, dict[Hashable, dict[Hashable, float]]]:
    """The report as an attacker sees it: every count, shown or hidden, and the identities."""
    d = Disclosure(min_cell)

    def total(parts: list[Hashable], whole: Hashable) -> None:
        """The parts add up to the whole, or, where a client counts in several parts (several
        conditions, or sessions of several techniques), to at least the whole: whichever the
        true counts satisfy (an attacker may know either; one they break gives nothing)."""
        known = sum(d.value(k) for k in parts)
        if known == d.value(whole):
            d.equal({**{k: 1.0 for k in parts}, whole: -1.0})
        elif known > d.value(whole):
            d.at_most({**{k: -1.0 for k in parts}, whole: 1.0})

    def within(part: Hashable, whole: Hashable) -> None:
        """No more in the part than in the whole (where the true counts say so)."""
        if d.value(part) <= d.value(whole):
            d.at_most({part: 1.0, whole: -1.0})

    conditions = [c for c in counts.clients.index if c != TOTAL]
    for c, v in counts.clients.items():
        d.count(("C", c), v, shown=not sup.clients[c])
        d.count(("S", c), counts.sessions[c], shown=not sup.sessions[c])
    total([("C", c) for c in conditions], ("C", TOTAL))
    total([("S", c) for c in conditions], ("S", TOTAL))
    for c in conditions:
        within(("C", c), ("C", TOTAL))
        within(("C", c), ("S", c))  # each client has a session
        within(("S", c), ("S", TOTAL))
    if counts.new is not None:
        d.count(("N",), counts.new, shown=not sup.new)
        within(("N",), ("C", TOTAL))

    def cell(b: str, c: Hashable, v: Hashable) -> Hashable:
        if v == TOTAL:
            return ("C", c)
        if c == TOTAL:
            return ("D", b, v)
        return ("X", b, c, v)

    for b, x in counts.crosstabs.items():
        for v, k in counts.groups[b].items():
            if v != TOTAL:
                d.count(("D", b, v), k, shown=not sup.groups[b][v])
        values = [v for v in x.columns if v != TOTAL]
        for c in x.index:
            for v in values:
                d.count(cell(b, c, v), x.loc[c, v], shown=not sup.crosstabs[b].loc[c, v])
            total([cell(b, c, v) for v in values], ("C", c))  # each client has one value
        for v in values:
            total([cell(b, c, v) for c in conditions], cell(b, TOTAL, v))
            for c in conditions:
                within(cell(b, c, v), cell(b, TOTAL, v))

    targets: dict[Hashable, dict[Hashable, float]] = {}
    for (table, m), block in sup.blocks.items():
        hidden = _hidden_rows(block)
        n = counts.blocks[(table, m)]["n_clients"]
        groups = [g for g in n.index if g != ALL]
        for g, k in n.items():
            key = ("O", "outcomes" if g == ALL else table, m, g)
            d.count(key, k, shown=not hidden[g])
            whole = ("C", TOTAL) if g == ALL else (("C", g) if table == "outcomes" else ("D", table, g))
            within(key, whole)
            if 1 <= d.value(whole) - k < min_cell:  # the group's clients without an outcome
                targets[("without outcome", table, m, g)] = {whole: 1.0, key: -1.0}
        whole_key = ("O", "outcomes", m, ALL)
        parts = [("O", table, m, g) for g in groups]
        if whole_key in d and parts:
            total(parts, whole_key)
    for key in d.keys():
        if not d.shown(key) and 1 <= d.value(key) < min_cell:
            targets[key] = {key: 1.0}
    if counts.new is not None and 1 <= counts.clients[TOTAL] - counts.new < min_cell:
        targets[("returning",)] = {("C", TOTAL): 1.0, ("N",): -1.0}
    return d, targets


def suppress_grant(counts: GrantCounts, min_cell: int, force: Iterable[Hashable] = ()) -> GrantSuppression:
    """Suppress the grant report's counts so that no protected count can be narrowed to fewer
    than ``PROTECTION + 1`` values by anyone who reads every table (see the module's text).

    ``force`` names counts to hide from the start (what earlier reports would otherwise give
    away, :func:`outcomes.reporting.ledger.derived_hides`). A count's key is ``("C", condition)``
    (clients), ``("S", condition)`` (sessions; ``Total`` for all), ``("D", attribute, value)``,
    ``("X", attribute, condition, value)``, ``("N",)`` (new clients) or ``("O", table,
    measure, group)`` (the clients of an outcome row; ``table`` is ``outcomes`` or the
    attribute).
    """
    start = list(force)
    forced: list[Hashable] = []
    for _ in range(500):  # each round hides one more count: it ends
        sup = _suppress_once(counts, min_cell, {*start, *forced})
        model, targets = _model(counts, sup, min_cell)
        weak = model.narrowed(targets, PROTECTION)
        if weak.empty:
            sup.protected, sup.forced = len(targets), forced
            sup.shown = {k: (model.value(k) if model.shown(k) else None) for k in model.keys()}
            return sup
        target = targets[weak["target"].iloc[0]]
        key = _next_to_hide(model, list(target))
        forced.append(key)
    raise RuntimeError("internal error: the grant report's suppression did not settle")  # pragma: no cover


def _next_to_hide(model: Disclosure, keys: list[Hashable]) -> Hashable:
    """The smallest shown non-zero count that shares an identity with ``keys`` (looking further
    out, one identity at a time, when every such count is hidden or zero)."""
    near = keys
    for _ in range(10):
        wider = model.neighbours(near)
        shown = [k for k in wider if model.shown(k) and model.value(k) > 0]
        if shown:
            return min(shown, key=lambda k: (model.value(k), str(k)))
        if len(wider) == len(near):
            break
        near = wider
    raise RuntimeError("internal error: nothing left to hide next to a narrowed count")  # pragma: no cover
