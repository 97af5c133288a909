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
