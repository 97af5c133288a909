"""The funder report's tables: clients served, sessions, conditions, demographics and outcomes,
with small cells suppressed so that no client can be singled out.

:func:`grant_report` computes the tables (unrounded, suppressed values missing)
from one analysis of the reporting period;
:func:`~outcomes.reporting.grant_writers.write_grant_xlsx` and
:func:`~outcomes.reporting.grant_writers.write_grant_html` present them.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from .._words import attribute_phrase
from ..analysis import PracticeAnalysis, analyze
from ..errors import SchemaError
from ..instruments import InstrumentRegistry, registry_for
from ..io import SessionData
from ..privacy import DEFAULT_MIN_CELL
from ..schema import split_conditions
from .grant_audit import PROTECTION, GrantCounts, suppress_grant
from .grant_screening import (
    SAFETY_ITEM,
    SAFETY_KEY,
    SCREENING_COLUMNS,
    safety_clients,
    screen_and_safety,
    screening_table,
)
from .grant_suppression import ALL, TOTAL
from .ledger import derived_hides, describe, overlapping, published

__all__ = ["DEFAULT_BY", "LIMITATIONS", "GrantReport", "grant_report"]

DEFAULT_BY = ("race_ethnicity", "postpartum", "payer", "age_band")

#: The columns of the outcome tables (by condition; by attribute "group" stands for "condition").
KEEP_COLUMNS = [
    "condition",
    "measure",
    "n_clients",
    "mean_pre",
    "mean_post",
    "mean_improvement",
    "improvement_ci_low",
    "improvement_ci_high",
    "mcid",
    "pct_mcid",
    "pct_mcid_ci_low",
    "pct_mcid_ci_high",
    "pct_clinical_pre",
    "pct_clinical_post",
    "flags",
]


@dataclass
class GrantReport:
    """Tables for a funder, suppressed, unrounded; see :func:`grant_report`.

    Attributes
    ----------
    tables : dict of str to DataFrame
        In reading order: ``overview``, ``conditions``, ``demographics``,
        ``condition_by_<attribute>`` (a cross-table per equity attribute),
        ``outcomes`` (per condition and measure) and ``outcomes_by_<attribute>``.
        Suppressed values are missing; a ``suppressed`` column or a ``flags``
        value says which.
    captions : dict of str to str
        One sentence per table.
    period : str
        The reporting period in words.
    min_cell : int
    provenance : dict
    methods : str
        The methods paragraph, with references.
    suppression_rule : str
    limitations : str
    warnings : list of str
    condition_labels : dict of str to str
        The export's spelling of each condition (:attr:`outcomes.SessionData.condition_labels`),
        so that the workbook and the page label conditions as the practice's report does.
    years : (int, int) or None
        The first and last year of the sessions reported (None without a ``year`` column).
    ledger : str or None
        The suppression ledger the report was checked against; the writers record it there.
    counts : dict
        Every count of the tables by key, with its published value (None where hidden): what the
        ledger keeps of the report, so that a later report can be checked against it.
    """

    tables: dict[str, pd.DataFrame]
    captions: dict[str, str]
    period: str
    min_cell: int
    provenance: dict[str, Any]
    methods: str
    suppression_rule: str
    limitations: str = ""
    warnings: list[str] = field(default_factory=list)
    condition_labels: dict[str, str] = field(default_factory=dict)
    years: tuple[int, int] | None = None
    ledger: str | None = None
    counts: dict[Any, float | None] = field(default_factory=dict)


def _period_filter(frame: pd.DataFrame, period: Any, start: Any, end: Any) -> tuple[pd.DataFrame, str]:
    if period is not None and (start is not None or end is not None):
        raise ValueError("give either period= or start=/end=, not both")
    if period is None and start is None and end is None:
        years = sorted(int(y) for y in pd.unique(frame["year"].dropna())) if "year" in frame else []
        label = f"{years[0]}–{years[-1]}" if len(years) > 1 else (str(years[0]) if years else "all records")
        return frame, f"all records ({label})"
    if "year" not in frame.columns:
        raise SchemaError(
            "A reporting period needs a 'year' column (the year of each session). Add it to the export "
            "(outcomes anonymize derives it from dates) or report without a period."
        )
    if period is not None:
        text = str(period).strip()
        try:
            if "-" in text[1:]:
                a, b = (int(x) for x in text.split("-", 1))
            else:
                a = b = int(text)
        except ValueError:
            raise ValueError(
                f"period must be a year (2025) or a range of years (2024-2025), not {period!r}"
            ) from None
        years = (a, b)
    else:
        s = _dt.date.fromisoformat(str(start)) if start is not None else None
        e = _dt.date.fromisoformat(str(end)) if end is not None else None
        if "service_date" in frame.columns:
            dates = pd.to_datetime(frame["service_date"]).dt.date
            keep = pd.Series(True, index=frame.index)
            if s:
                keep &= dates >= s
            if e:
                keep &= dates <= e
            return frame.loc[keep], f"{s or 'start'} to {e or 'end'}"
        whole = (s is None or (s.month, s.day) == (1, 1)) and (e is None or (e.month, e.day) == (12, 31))
        if not whole:
            raise ValueError(
                "The data hold only the year of each session (full dates identify clients under HIPAA Safe "
                "Harbor), so a period must be whole years: use --period 2025, "
                "or --from 2025-01-01 --to 2025-12-31."
            )
        lo = s.year if s else int(frame["year"].min())
        hi = e.year if e else int(frame["year"].max())
        years = (lo, hi)
    keep = frame["year"].between(years[0], years[1])
    label = str(years[0]) if years[0] == years[1] else f"{years[0]}–{years[1]}"
    if not keep.any():
        raise SchemaError(
            f"No sessions in the reporting period {label}: the data cover years "
            f"{', '.join(str(int(y)) for y in sorted(pd.unique(frame['year'].dropna())))}."
        )
    return frame.loc[keep], label


def grant_report(
    data: Any,
    *,
    period: Any = None,
    start: Any = None,
    end: Any = None,
    by: Sequence[str] = DEFAULT_BY,
    min_cell: int = DEFAULT_MIN_CELL,
    measures: Sequence[str] | None = None,
    equity_measures: Sequence[str] | None = None,
    level: str = "course",
    seed: int | None = 0,
    n_boot: int = 2000,
    instruments: InstrumentRegistry | str | Path | None = None,
    ledger: str | Path | None = None,
    allow_overlap: bool = False,
) -> GrantReport:
    """Funder-ready tables for a reporting period, small cells suppressed.

    Parameters
    ----------
    data : SessionData, DataFrame or PracticeAnalysis
        The practice's data (an analysis gives its data and registry); the
        report analyses the reporting period's sessions once.
    period : int or str, optional
        A year (``2025``) or a range of years (``"2024-2025"``).
    start, end : date or ISO string, optional
        Alternative to ``period``. Without a ``service_date`` column (which
        anonymized data do not have) they must fall on whole years.
    by : sequence of str
        Equity attributes; those absent from the data are skipped with a note.
    min_cell : int, default 11
        Counts from 1 to ``min_cell − 1`` are suppressed, with complementary
        suppression; every statistic from a suppressed group is suppressed.
    measures : sequence of str, optional
        Measures in the outcomes table (default: every score measure).
    equity_measures : sequence of str, optional
        Measures broken down by the equity attributes (default: the three
        measures with the most clients).
    level : str, default 'course'
        Level of change reported (see ``docs/methods.md``).
    seed : int or None
        Seed of the bootstrap (the tables show t intervals; the seed is recorded).
    n_boot : int, default 2000
    instruments : InstrumentRegistry or path, optional
        Registry, or a TOML/CSV file of the practice's own measures (default: the
        registry ``data`` was read with).
    ledger : path, optional
        The practice's suppression ledger (:mod:`outcomes.reporting.ledger`): the
        reports published before, by years. A period that overlaps a published one
        without being the same years is refused, because subtracting one report
        from the other can reveal a small count; the writers record the report in
        the ledger once written (``write_grant_xlsx(..., ledger=)``).
    allow_overlap : bool, default False
        Publish an overlapping period anyway; the report then names the
        published reports it overlaps in its warnings.

    Returns
    -------
    GrantReport

    Raises
    ------
    ValueError
        A period that overlaps a report in ``ledger`` (unless ``allow_overlap``).
    """
    registry = registry_for(data, instruments)
    if isinstance(data, PracticeAnalysis):  # the report analyses its data's reporting period
        data = data.data
    if isinstance(data, pd.DataFrame):
        data = SessionData.from_frame(data, instruments=registry)
    if not isinstance(data, SessionData):
        raise TypeError(f"data must be what read_sessions returns or a DataFrame, not {type(data).__name__}")
    frame = data.frame
    provenance = dict(getattr(data, "provenance", {}) or {})
    by = [by] if isinstance(by, str) else list(by)
    reserved = [b for b in by if b in ("client_id", "session", "timepoint", "measure", "score", "condition")]
    if reserved:
        raise ValueError(
            f"by names {', '.join(reserved)}: the grant report breaks results down by client attributes "
            "(race_ethnicity, postpartum, payer, age_band, ...); conditions are always shown, and a "
            "breakdown by client or session would publish row-level data"
        )
    frame, period_label = _period_filter(frame, period, start, end)
    notes: list[str] = []
    years = (int(frame["year"].min()), int(frame["year"].max())) if "year" in frame and len(frame) else None
    earlier: list[dict[str, Any]] = []
    if ledger is not None and years is not None:
        earlier = overlapping(ledger, years)
        if earlier and not allow_overlap:
            raise ValueError(
                f"the period {period_label} overlaps reports already published ({describe(earlier)}) "
                "without being the same years: subtracting one from the other can reveal small counts. "
                "Report periods that do not overlap, or pass allow_overlap=True (--allow-overlap) to "
                "publish it anyway; the report will say what it overlaps."
            )
        if earlier:
            notes.append(
                f"This period overlaps reports published before ({describe(earlier)}). Counts whose "
                "difference from those reports would be a small count, or would give back a count they "
                "hid, are hidden here too; counts of years they share but do not nest (2024–2025 and "
                "2025–2026) are not compared."
            )
    attrs = [b for b in by if b in frame.columns]
    for b in by:
        if b not in frame.columns:
            notes.append(f"No '{b}' column in the data: no breakdown by it.")
    tables: dict[str, pd.DataFrame] = {}
    captions: dict[str, str] = {}

    # the true counts: overview, conditions, characteristics and their cross-tables
    sessions = frame[["client_id", "session"]].drop_duplicates()
    first = frame.groupby("client_id")["days_from_first"].min() if "days_from_first" in frame else None
    cond = split_conditions(frame["condition"])
    per_cond = frame.loc[cond.index].assign(condition=cond.to_numpy())
    ctab = per_cond.groupby("condition").agg(clients=("client_id", "nunique"))
    ctab["sessions"] = (
        per_cond[["condition", "client_id", "session"]].drop_duplicates().groupby("condition").size()
    )
    ctab.loc[TOTAL] = [frame["client_id"].nunique(), len(sessions)]
    ctab = ctab.astype(int)
    # demographics (one client = one value; the value of their first session in the period)
    per_client = frame.sort_values(["client_id", "session"]).groupby("client_id").first()
    demo_counts: dict[str, pd.Series] = {}
    crosstabs: dict[str, pd.DataFrame] = {}
    for b in attrs:
        values = per_client[b].fillna("not recorded").astype(str)
        counts_b = values.value_counts().sort_index()
        counts_b.loc[TOTAL] = len(per_client)
        demo_counts[b] = counts_b.astype(int).rename("clients")
        pc = per_cond.drop_duplicates(["client_id", "condition"]).merge(
            values.rename(b).to_frame(), left_on="client_id", right_index=True, suffixes=("_row", "")
        )
        xt = pd.crosstab(pc["condition"], pc[b])
        xt[TOTAL] = per_cond.groupby("condition")["client_id"].nunique()
        xt.loc[TOTAL] = [*(counts_b.get(c, 0) for c in xt.columns[:-1]), len(per_client)]
        crosstabs[b] = xt.astype(int)

    # outcomes per condition x measure and per equity attribute, with an all-clients row per
    # measure: one analysis of the period, whose attributes read "not recorded" where missing
    analysis = analyze(
        SessionData(
            frame=frame.assign(**{b: frame[b].fillna("not recorded").astype(str) for b in attrs}),
            flow=getattr(data, "flow", pd.DataFrame()),
            provenance=provenance,
            registry=registry,
        ),
        seed=seed,
        n_boot=n_boot,
    )
    summ = analysis.summary(level, by="condition", measures=measures)
    whole = analysis.summary(level, by=None, measures=measures)
    order = whole.sort_values(["n_clients", "measure"], ascending=[False, True])["measure"].tolist()
    summ["measure"] = pd.Categorical(summ["measure"], categories=order, ordered=True)
    whole["measure"] = pd.Categorical(whole["measure"], categories=order, ordered=True)
    summ = summ.sort_values(["measure", "condition"]).astype({"measure": str})
    whole = whole.sort_values("measure").astype({"measure": str})
    whole.insert(0, "condition", ALL)
    blocks: dict[tuple[str, str], pd.DataFrame] = {}
    both = pd.concat([summ, whole], ignore_index=True)
    both = both[both["n_clients"] > 0]  # a group with no client changes has no outcome to report
    for m, sub in both.groupby("measure", sort=False):
        blocks[("outcomes", str(m))] = sub[KEEP_COLUMNS].set_index("condition")
    if equity_measures is None:
        counts_m = whole.set_index("measure")["n_clients"].sort_values(ascending=False)
        equity_measures = list(counts_m.index[:3])
    for b in attrs:
        eq = analysis.summary(level, by=b, measures=equity_measures).rename(columns={b: "group"})
        w = whole[whole["measure"].isin(equity_measures)].rename(columns={"condition": "group"})
        both = pd.concat([eq, w], ignore_index=True)
        for m, sub in both[both["n_clients"] > 0].groupby("measure", sort=False):
            blocks[(b, str(m))] = sub[["group", *KEEP_COLUMNS[1:]]].set_index("group")

    # one suppression of every table, audited as a whole
    first_count = int((first == 0).sum()) if first is not None else None
    grant_counts = GrantCounts(
        clients=ctab["clients"],
        sessions=ctab["sessions"],
        groups=demo_counts,
        crosstabs=crosstabs,
        new=first_count,
        blocks=blocks,
    )
    sup = suppress_grant(grant_counts, min_cell)
    safety = safety_clients(frame, registry)
    served = int(ctab.loc[TOTAL, "clients"])
    screen_and_safety(sup, registry, safety, served, min_cell, set())
    if earlier:  # what the published reports and this one would give away together
        book = published(ledger) if ledger is not None else []
        hides = derived_hides(book, years, sup.shown, min_cell) if years is not None else {}
        while hides:
            sup = suppress_grant(grant_counts, min_cell, force=hides)
            screen_and_safety(sup, registry, safety, served, min_cell, set(hides))
            more = derived_hides(book, years, sup.shown, min_cell) if years is not None else {}
            if not more:
                break
            hides = {**hides, **more}
        if hides:
            notes.append(
                f"{len(hides)} {'count' if len(hides) == 1 else 'counts'} hidden because of the reports "
                "published before (a difference from them would be a small count, or would give back a "
                "count one of them hid)."
            )

    ov = pd.Series({"Clients served": ctab.loc[TOTAL, "clients"], "Sessions delivered": len(sessions)})
    ov_hidden = pd.Series({"Clients served": sup.clients[TOTAL], "Sessions delivered": sup.sessions[TOTAL]})
    new_key = "New clients (first session in the period)"
    if first_count is not None:
        ov[new_key] = first_count
        ov_hidden[new_key] = sup.new
    # positive answers to a safety item: a count of clients, never which ones
    if safety is not None:
        ov[SAFETY_ITEM] = safety
        ov_hidden[SAFETY_ITEM] = sup.shown.get(SAFETY_KEY) is None
    # the number of conditions counts no one (the conditions table lists them): always shown
    ov["Conditions seen"] = cond.nunique()
    ov_hidden["Conditions seen"] = False
    overview = ov.astype("Int64").mask(ov_hidden.astype(bool)).rename("count")
    overview = overview.rename_axis("item").reset_index()
    overview["suppressed"] = ov_hidden.astype(bool).to_numpy()
    tables["overview"] = overview
    captions["overview"] = f"Clients and sessions in {period_label}."

    hidden_c = sup.clients.to_numpy()
    conditions = pd.DataFrame(
        {
            "clients": ctab["clients"].astype("Int64").mask(hidden_c),
            "sessions": ctab["sessions"].astype("Int64").mask(sup.sessions.to_numpy()),
        }
    ).reset_index(names="condition")
    conditions["suppressed"] = hidden_c | sup.sessions.to_numpy()
    tables["conditions"] = conditions
    captions["conditions"] = (
        "Clients and sessions per condition. A client with two conditions counts in "
        "each; the total counts every client once."
    )
    demo = []
    for b in attrs:
        t = demo_counts[b].astype("Int64").mask(sup.groups[b]).to_frame("clients")
        t = t.reset_index(names="value")
        t["suppressed"] = sup.groups[b].to_numpy()
        t.insert(0, "characteristic", b)
        demo.append(t)
    if demo:
        tables["demographics"] = pd.concat(demo, ignore_index=True)
        captions["demographics"] = "Clients by characteristic (each client once)."

    # condition x attribute cross-tables (equity)
    for b in attrs:
        out = crosstabs[b].astype("Int64").mask(sup.crosstabs[b])
        tables[f"condition_by_{b}"] = out.reset_index(names="condition")
        captions[f"condition_by_{b}"] = (
            f"Clients per condition and {attribute_phrase(b)} (suppressed cells "
            "shown as *, with further cells hidden so that totals cannot reveal them)."
        )

    parts = [t for (name, _), t in sup.blocks.items() if name == "outcomes"]
    outcomes = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=KEEP_COLUMNS)
    outcomes["measure_label"] = outcomes["measure"].map(lambda m: registry.get_instrument(m).label)
    tables["outcomes"] = outcomes
    captions["outcomes"] = (
        f"Change from the first to the last session in {period_label} ({level} level), "
        "per condition: mean improvement (positive = better) with its 95% confidence "
        "interval, and the share of clients whose improvement reached the published "
        "minimal clinically important difference (MCID)."
    )
    screening = screening_table(outcomes, registry)
    outcomes = outcomes.drop(columns=SCREENING_COLUMNS, errors="ignore")
    tables["outcomes"] = outcomes
    if len(screening):
        tables["screening"] = screening
        captions["screening"] = (
            f"Clients above a published screening cut-off at their first and at their last session in "
            f"{period_label}, per condition (a screening cut-off marks who may need more than this care; "
            "it is not a diagnosis). A share is hidden where it would give a small count of clients."
        )
    for b in attrs:
        table = pd.concat([t for (name, _), t in sup.blocks.items() if name == b], ignore_index=True)
        table["measure_label"] = table["measure"].map(lambda m: registry.get_instrument(m).label)
        tables[f"outcomes_by_{b}"] = table.drop(columns=SCREENING_COLUMNS, errors="ignore")
        captions[f"outcomes_by_{b}"] = (
            f"Outcomes by {attribute_phrase(b)}: are clients in every group "
            "improving? Groups with fewer than "
            f"{min_cell} clients are suppressed."
        )

    rule = (
        f"Counts from 1 to {min_cell - 1} are suppressed (shown as *); zero is shown. Every statistic "
        f"computed from a suppressed group is suppressed with it. Further cells are suppressed where a "
        "row, column or grand total would otherwise reveal a suppressed count (complementary suppression; "
        "a count two tables share is hidden in both), where one count taken from another would leave a "
        "small count "
        "(clients served minus new clients; a group's clients minus those with an outcome), and a share "
        "reaching the MCID, or above a screening cut-off, is hidden where it and its number of clients "
        "would give a small count (the all-clients share above a cut-off with any condition's); the "
        "clients with a positive safety answer are shown only as a count that is not small. Finally "
        "the tables are audited together, as by someone who reads all of them and knows how they add up: "
        f"wherever a protected count could be narrowed to fewer than {PROTECTION + 1} possible values, one "
        "more count next to it is hidden. A client with several conditions counts once per condition."
    )
    provenance = {
        **{
            k: provenance[k]
            for k in ("file", "sha256", "rows_read", "layout", "package_version", "privacy_override")
            if k in provenance
        },
        "reporting_period": period_label,
        "min_cell": min_cell,
        "seed": seed,
        "suppression_audit": sup.provenance(),
    }
    return GrantReport(
        tables=tables,
        captions=captions,
        period=period_label,
        min_cell=min_cell,
        provenance=provenance,
        methods=_methods_paragraph(level, registry, tables["outcomes"]),
        suppression_rule=rule,
        limitations=LIMITATIONS,
        warnings=notes,
        condition_labels=dict(getattr(data, "condition_labels", None) or {}),
        years=years,
        ledger=str(ledger) if ledger is not None else None,
        counts=dict(sup.shown),
    )


LIMITATIONS = (
    "These are routine-care outcomes without a control group. Improvement over a course of care includes "
    "the natural course of the condition, the general effects of attention and care, and regression to the "
    "mean (clients often start care when symptoms are at their worst), so it cannot be attributed to the "
    "treatment alone. Clients with a single session, or who stopped early, have no course change and are "
    "not in the outcome tables; their outcomes are unknown. Small groups are suppressed, so breakdowns may "
    "not add up."
)


def _methods_paragraph(level: str, registry: InstrumentRegistry, outcomes: pd.DataFrame) -> str:
    mcids = []
    for m in pd.unique(outcomes["measure"]):
        inst = registry.get_instrument(str(m))
        if inst.mcid_points is not None:
            mcids.append(f"{inst.label}: {inst.mcid_points:g} points ({inst.mcid_source})")
    mcid_text = "; ".join(mcids) if mcids else "none of the measures has a published MCID"
    what = {
        "course": "from each client's first to last session in the period "
        "(scores recorded before the session)",
        "session": "from before to right after each session, averaged per client",
        "followup": "from before a session to a few days later, averaged per client",
    }[level]
    return (
        f"Change was measured {what}. Each client counts once: statistics are computed on one change per "
        "client, and n is the number of clients. Mean improvements are given with 95% confidence intervals "
        "from the t distribution (Student 1908). Meaningful improvement means reaching the published minimal "
        f"clinically important difference (MCID) of the measure ({mcid_text}); its share is given with a 95% "
        "Wilson interval (Wilson 1927). Clients with several conditions are counted under each. "
        "Full formulas and references: docs/methods.md of the outcomes package."
    )
