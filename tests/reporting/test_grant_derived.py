"""Suppression that holds across the tables of one grant report (issue 16, point 3): counts one
table gives by subtraction from another, and shares that give a small count with their n."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import outcomes as oc
from outcomes.datasets import generate_practice

MIN = oc.privacy.DEFAULT_MIN_CELL
TOTAL = "Total"  # the total row and column of the grant tables


@pytest.fixture(scope="module")
def report():
    return oc.grant_report(generate_practice(n_clients=400, seed=7), period=2025, n_boot=200)


def _small(k: float) -> bool:
    return 1 <= k < MIN


def _outcome_rows(report):
    for name, table in report.tables.items():
        if name == "outcomes" or name.startswith("outcomes_by_"):
            yield name, table


def test_no_shown_outcome_count_leaves_a_small_group_by_subtraction(report):
    conditions = report.tables["conditions"].set_index("condition")["clients"]
    demo = report.tables["demographics"]
    checked = 0
    for name, table in _outcome_rows(report):
        shown = table[table["flags"].astype(str) != "suppressed"]
        if name == "outcomes":
            published = conditions.rename(index={"total": "all"})
            groups = shown["condition"]
        else:
            b = name.removeprefix("outcomes_by_")
            published = demo[demo["characteristic"] == b].set_index("value")["clients"]
            published = published.rename(index={"total": "all"})
            groups = shown["group"]
        for group, n in zip(groups, shown["n_clients"], strict=True):
            total = published.get(group, pd.NA)
            if pd.isna(total) or pd.isna(n):
                continue
            checked += 1
            assert not _small(int(total) - int(n)), (name, group, int(total), int(n))
    assert checked > 20


def test_no_shown_share_gives_a_small_count_with_its_n(report):
    forced = 0
    for _, table in _outcome_rows(report):
        shown = table[table["pct_mcid"].notna()]
        k = np.rint(shown["pct_mcid"].to_numpy(float) / 100 * shown["n_clients"].to_numpy(float))
        n = shown["n_clients"].to_numpy(float)
        assert not any(_small(x) for x in k) and not any(_small(x) for x in n - k)
        forced += int(table["share_suppressed"].sum())
    assert forced > 0  # the rule had something to do on this practice


def test_the_rules_fire_where_they_should():
    """By hand: a condition with 14 clients of whom 11 have an outcome (3 without: a small group),
    and a share of 7 of 11 reaching the MCID."""
    from outcomes.reporting.grant_suppression import small_differences, suppress_small_shares

    n = pd.Series({"tmj": 11, "neck_pain": 20, "all": 31})
    published = {"tmj": 14, "neck_pain": 20, "all": pd.NA}
    assert small_differences(n, published, MIN) == ["tmj"]
    table = pd.DataFrame(
        {
            "n_clients": [11, 30, 22],
            "pct_mcid": [100 * 7 / 11, 50.0, 50.0],
            "pct_mcid_ci_low": 1.0,
            "pct_mcid_ci_high": 2.0,
        }
    )
    out = suppress_small_shares(table, MIN)
    assert out["share_suppressed"].tolist() == [True, False, False]
    assert out.loc[0, ["pct_mcid", "pct_mcid_ci_low", "pct_mcid_ci_high"]].isna().all()


def test_returning_clients_are_not_given_by_served_minus_new():
    """Served 78 and new 71 would publish 7 returning clients: new is hidden; 'Conditions seen'
    counts no one and is shown."""
    frame = generate_practice(n_clients=400, seed=7)
    report = oc.grant_report(frame, period=2025, n_boot=200)
    ov = report.tables["overview"].set_index("item")
    served = ov.loc["Clients served", "count"]
    new = ov.loc["New clients (first session in the period)", "count"]
    if not pd.isna(new):
        assert not _small(int(served) - int(new))
    assert not pd.isna(ov.loc["Conditions seen", "count"])
    # a period where most clients are new: their difference is small, so 'new' is hidden
    period = frame[frame["year"] == 2025]
    first_in_period = period.groupby("client_id")["days_from_first"].transform("min")
    new_ids = period.loc[first_in_period == 0, "client_id"].unique()
    returning_ids = period.loc[first_in_period > 0, "client_id"].unique()[:3]
    crafted = period[period["client_id"].isin([*new_ids, *returning_ids])]
    ov2 = oc.grant_report(crafted, period=2025, n_boot=200).tables["overview"].set_index("item")
    assert pd.isna(ov2.loc["New clients (first session in the period)", "count"])


@pytest.mark.parametrize("seed", [7, 11, 23])
def test_a_count_two_tables_share_is_hidden_in_both_or_neither(seed):
    """A condition's clients stand in the conditions table and in the total column of every
    cross-table; a group's clients in the characteristics table and in the total row of its
    cross-table. Suppressed table by table, one could show what the other hides (issue 16: the
    cross-tables' totals narrowed a hidden count to within one)."""
    report = oc.grant_report(generate_practice(n_clients=250, seed=seed), period=2025, n_boot=200)
    conditions = report.tables["conditions"].set_index("condition")["clients"]
    demo = report.tables["demographics"]
    compared = 0
    for name, xt in report.tables.items():
        if not name.startswith("condition_by_"):
            continue
        b = name.removeprefix("condition_by_")
        xt = xt.set_index("condition")
        for condition, value in xt[TOTAL].items():
            assert pd.isna(value) == pd.isna(conditions[condition]), (name, condition)
            compared += 1
        groups = demo[demo["characteristic"] == b].set_index("value")["clients"]
        for group, value in xt.loc[TOTAL].items():
            assert pd.isna(value) == pd.isna(groups[group]), (name, group)
            compared += 1
    assert compared > 40


def _practice(spec: dict[str, dict[str, int]]) -> pd.DataFrame:
    """Clients of each condition and race, two sessions each in 2025, pain 7 then 5 to 7."""
    rows = []
    k = 0
    for condition, races in spec.items():
        for race, n in races.items():
            for _ in range(n):
                k += 1
                for session, pre in ((1, 7.0), (2, 5.0 + k % 3)):
                    for tp, score in (("pre", pre), ("post", pre - 0.5)):
                        rows.append(
                            dict(
                                client_id=f"ZX{k:04d}Q",
                                session=session,
                                timepoint=tp,
                                measure="pain_nrs",
                                score=score,
                                condition=condition,
                                race_ethnicity=race,
                                year=2025,
                                days_from_first=0 if session == 1 else 14,
                            )
                        )
    return pd.DataFrame(rows)


def test_a_count_left_one_of_two_values_is_hidden_further(feasible_range):
    """Pelvic pain's 23 clients are 1 Black, 2 White and 20 Asian. Suppressed table by table, the 1
    and the 2 are hidden and nothing pins either, yet each is 1 or 2 (they sum to 3). The audit
    over the whole report asks for at least three possible values and hides more (issue 16: "3,
    bounds 3–4")."""
    from outcomes.reporting.grant_audit import PROTECTION

    spec = {
        "pelvic_pain": {"Black": 1, "White": 2, "Asian": 20},
        "tmj": {"Black": 15, "White": 12, "Asian": 13},
        "headache": {"Black": 12, "White": 12, "Asian": 16},
    }
    truth = pd.DataFrame(spec).T.loc[["headache", "pelvic_pain", "tmj"], ["Asian", "Black", "White"]]
    truth[TOTAL] = truth.sum(axis=1)
    truth.loc[TOTAL] = truth.sum(axis=0)
    _, alone = oc.privacy.suppress_counts(truth, min_cell=MIN, row_total=TOTAL, col_total=TOTAL)
    lo, hi = feasible_range(truth, alone, ("pelvic_pain", "Black"), MIN)
    assert (lo, hi) == (1, 2)  # what one table's rule leaves

    report = oc.grant_report(_practice(spec), period=2025, by=("race_ethnicity",), n_boot=200)
    shown = report.tables["condition_by_race_ethnicity"].set_index("condition")
    shown = shown.loc[truth.index, truth.columns]
    hidden = shown.isna()
    assert hidden.sum().sum() > alone.sum().sum()
    small = [
        (c, v) for c in truth.index for v in truth.columns if hidden.loc[c, v] and 1 <= truth.loc[c, v] < MIN
    ]
    assert ("pelvic_pain", "Black") in small and ("pelvic_pain", "White") in small
    for cell in small:
        lo, hi = feasible_range(truth, hidden, cell, MIN)
        assert hi - lo >= PROTECTION, cell
    assert "counts hidden by the check" in report.provenance["suppression_audit"]
    assert not report.provenance["suppression_audit"].endswith("; 0 more counts hidden by the check")


def _attacker(report, frame: pd.DataFrame) -> list[tuple[object, float, float]]:
    """The integer range of each small hidden count of the conditions, characteristics and
    cross-tables, to someone who reads all of them at once. Built here from the published tables
    and the true counts (pandas on the rows), not from the package's own model: every count is a
    variable, shown ones fixed; a cross-table's row adds up to its condition's clients; its
    column adds up to at least its group's clients (a client in two conditions counts in both);
    one count in two tables is one variable."""
    from scipy.optimize import Bounds, LinearConstraint, milp

    period = frame[frame["year"] == 2025]
    conds = oc.schema.split_conditions(period["condition"])
    per_cond = period.loc[conds.index].assign(condition=conds.to_numpy())
    first = period.sort_values(["client_id", "session"]).groupby("client_id").first()
    keys: dict[object, int] = {}
    true: list[float] = []
    shown: list[bool] = []

    def var(key, value, is_shown):
        if key not in keys:
            keys[key] = len(true)
            true.append(float(value))
            shown.append(bool(is_shown))
        shown[keys[key]] = shown[keys[key]] or bool(is_shown)
        return keys[key]

    rows, lo, hi = [], [], []

    def relation(parts, whole, exact):
        rows.append((parts, whole))
        lo.append(0.0)
        hi.append(0.0 if exact else np.inf)

    published = report.tables["conditions"].set_index("condition")["clients"]
    clients = per_cond.groupby("condition")["client_id"].nunique()
    clients[TOTAL] = period["client_id"].nunique()
    for c, k in clients.items():
        var(("C", c), k, not pd.isna(published[c]))
    demo = report.tables["demographics"]
    for name, table in report.tables.items():
        if not name.startswith("condition_by_"):
            continue
        b = name.removeprefix("condition_by_")
        values = first[b].fillna("not recorded").astype(str)
        shown_b = demo[demo["characteristic"] == b].set_index("value")["clients"]
        xt = table.set_index("condition")
        pc = per_cond.drop_duplicates(["client_id", "condition"])
        truth = pd.crosstab(pc["condition"], pc["client_id"].map(values))
        groups = values.value_counts()
        for v in groups.index:
            var(("D", b, v), groups[v], not pd.isna(shown_b[v]))
        for c in truth.index:
            for v in truth.columns:
                var(("X", b, c, v), truth.loc[c, v], not pd.isna(xt.loc[c, v]))
            relation([("X", b, c, v) for v in truth.columns], ("C", c), exact=True)
        relation([("D", b, v) for v in groups.index], ("C", TOTAL), exact=True)
        for v in truth.columns:
            relation([("X", b, c, v) for c in truth.index], ("D", b, v), exact=False)
    n = len(true)
    a = np.zeros((len(rows), n))
    for r, (parts, whole) in enumerate(rows):
        for p in parts:
            a[r, keys[p]] += 1
        a[r, keys[whole]] -= 1
    t = np.array(true)
    s = np.array(shown)
    small = ~s & (t >= 1) & (t < MIN)
    bounds = Bounds(np.where(s, t, np.where(small, 1, 0)), np.where(s, t, np.where(small, MIN - 1, np.inf)))
    constraint = LinearConstraint(a, lo, hi)
    out = []
    for key, k in keys.items():
        if small[k]:
            c = np.zeros(n)
            c[k] = 1
            low = milp(c, integrality=np.ones(n), bounds=bounds, constraints=constraint).fun
            high = -milp(-c, integrality=np.ones(n), bounds=bounds, constraints=constraint).fun
            out.append((key, low, high))
    return out


@pytest.mark.parametrize("seed", [7, 23])
def test_no_small_count_is_narrowed_by_reading_every_table(seed):
    from outcomes.reporting.grant_audit import PROTECTION

    frame = generate_practice(n_clients=250, seed=seed)
    report = oc.grant_report(frame, period=2025, n_boot=200)
    ranges = _attacker(report, frame)
    assert len(ranges) > 50
    narrow = [(key, lo, hi) for key, lo, hi in ranges if hi - lo < PROTECTION]
    assert not narrow
