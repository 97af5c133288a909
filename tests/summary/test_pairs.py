"""outcomes.summary.pairs: each client's earlier and later score at a level (client-level means,
unpaired sessions counted, repeated cells refused), against a client-by-client reference."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

import outcomes as oc
from outcomes.datasets import generate_practice
from outcomes.summary import LEVELS, client_changes, summarize


def test_session_level_weighs_clients_equally(pairs_frame):
    """Hand-computed: client A has 10 sessions each improving by 1 point, client B one session
    improving by 3 and client C one by 2. Client-level mean change = (−1 − 3 − 2) / 3 = −2;
    a session-weighted mean would be −15 / 12 = −1.25."""
    pre = [5] * 10 + [6, 7]
    post = [4] * 10 + [3, 5]
    ids = ["A"] * 10 + ["B", "C"]
    row = summarize(pairs_frame(pre, post, sessions=ids)).iloc[0]
    assert row["mean_change"] == pytest.approx(-2.0)
    assert row["n_clients"] == 3 and row["n_sessions"] == 12
    assert row["mean_pre"] == pytest.approx((5 + 6 + 7) / 3)
    assert row["sd_change"] == pytest.approx(np.std([-1, -3, -2], ddof=1))


def test_course_level_first_pre_to_last_pre():
    df = pd.DataFrame(
        {
            "client_id": ["A"] * 6 + ["B"] * 2,
            "session": [1, 1, 2, 2, 3, 3, 1, 1],
            "timepoint": ["pre", "post"] * 4,
            "measure": "pain_nrs",
            "score": [8, 6, 7, 5, 5, 3, 4, 2],
            "condition": "tmj",
        }
    )
    changes = client_changes(df, level="course")
    a = changes.set_index("client_id").loc["A"]
    assert (a["pre"], a["post"], a["change"], a["n_sessions"]) == (8, 5, -3, 3)
    assert not changes.set_index("client_id").loc["B", "paired"]  # one session: no course
    row = summarize(df, level="course").iloc[0]
    assert row["n_clients"] == 1 and row["n_clients_unpaired"] == 1 and "insufficient" in row["flags"]


def test_unpaired_sessions_of_paired_clients_are_counted():
    """Client A has a complete session 1 and a session 2 with only a pre score: the lone pre is
    left out of the session-level change and counted in n_sessions_unpaired."""
    df = pd.DataFrame(
        {
            "client_id": ["A", "A", "A", "B", "B"],
            "session": [1, 1, 2, 1, 1],
            "timepoint": ["pre", "post", "pre", "pre", "post"],
            "measure": "pain_nrs",
            "score": [6, 4, 5, 7, 6],
            "condition": "tmj",
        }
    )
    row = summarize(df).iloc[0]
    assert (row["n_clients"], row["n_sessions"], row["n_sessions_unpaired"]) == (2, 2, 1)
    assert summarize(df, level="course").iloc[0]["n_sessions_unpaired"] == 0


def test_client_means_are_summed_with_compensation(pairs_frame):
    """0.1, 0.2 and 0.3 average to fsum / 3 = 0.19999999999999998; a plain running sum gives
    0.20000000000000004. The client means keep the compensated value (as pandas' groupby mean)."""
    frame = pairs_frame([0.1, 0.2, 0.3, 5.0], [0.0, 0.0, 0.0, 4.0], sessions=["A", "A", "A", "B"])
    changes = client_changes(frame).set_index("client_id")
    assert changes.loc["A", "pre"] == math.fsum([0.1, 0.2, 0.3]) / 3
    assert changes.loc["A", "n_sessions"] == 3


def test_a_frame_with_a_repeated_cell_is_refused(pairs_frame):
    """A SessionData built by hand skips validation; two scores in one cell must not be averaged
    or silently overwritten."""
    frame = pairs_frame([5.0, 6.0], [3.0, 4.0])
    frame = pd.concat([frame, frame.iloc[[0]].assign(score=9.0)], ignore_index=True)
    data = oc.SessionData(frame=frame, flow=pd.DataFrame(), provenance={})
    with pytest.raises(
        oc.SchemaError, match="1 client x session x timepoint x measure cell has more than one"
    ):
        summarize(data)


def _client_changes_by_hand(frame: pd.DataFrame, by: list[str], level: str) -> pd.DataFrame:
    """client_changes written out client by client from its documented definition (slow, plain
    Python): the independent reference for the vectorized version. Means from math.fsum, the
    correctly rounded sum."""

    def mean(values: list[float]) -> float:
        return math.fsum(values) / len(values) if values else np.nan

    rows = []
    keys = [*by, "measure", "client_id"]
    for key, sub in frame.groupby(keys, dropna=False, sort=True, observed=True):
        per = {
            s: dict(zip(g["timepoint"].astype(str), g["score"], strict=True))
            for s, g in sub.groupby("session")
        }
        row = dict(zip(keys, key, strict=True))
        if level == "course":
            pres = [(s, v["pre"]) for s, v in sorted(per.items()) if "pre" in v]
            if not pres:
                continue
            ok = len(pres) >= 2
            row.update(
                pre=pres[0][1] if ok else np.nan,
                post=pres[-1][1] if ok else np.nan,
                n_sessions=len(pres) if ok else 0,
                n_sessions_unpaired=0,
                paired=ok,
            )
        else:
            later = "post" if level == "session" else "followup"
            seen = (
                [v for v in per.values() if ("pre" in v or later in v)]
                if level == "session"
                else [v for v in per.values() if later in v]
            )
            if not seen:
                continue
            both = [v for v in seen if "pre" in v and later in v]
            row.update(
                pre=mean([v["pre"] for v in both]) if both else np.nan,
                post=mean([v[later] for v in both]) if both else np.nan,
                n_sessions=len(both),
                n_sessions_unpaired=len(seen) - len(both),
                paired=bool(both),
            )
            if level == "followup":
                trio = [v for v in both if "post" in v]
                row["immediate_change"] = mean([v["post"] - v["pre"] for v in trio]) if trio else np.nan
                row["followup_change_same_sessions"] = (
                    mean([v["followup"] - v["pre"] for v in trio]) if trio else np.nan
                )
        rows.append(row)
    return pd.DataFrame(rows)


@pytest.mark.parametrize("level", LEVELS)
def test_client_changes_match_a_client_by_client_reference(level):
    """Decimal scores, session gaps, clients without a pre score or without any pair, a missing
    label in a grouping column: the vectorized client table equals the one written out by hand."""
    rng = np.random.default_rng(4)
    frame = generate_practice(n_clients=40, seed=9)
    frame = frame.loc[rng.random(len(frame)) > 0.25].copy()  # gaps: missing pre, post, follow-ups
    decimal = frame["measure"] == "pain_nrs"
    frame.loc[decimal, "score"] = np.clip(
        frame.loc[decimal, "score"] + rng.choice([-0.3, -0.1, 0.1, 0.2], decimal.sum()), 0, 10
    ).round(1)
    frame["session"] = frame["session"] * 3  # session numbers need not run 1, 2, 3
    frame["technique"] = frame["technique"].where(rng.random(len(frame)) > 0.2)  # missing labels
    data = oc.validate_sessions(frame)
    ours = client_changes(data, level=level, by="technique")
    canon = data.loc[data["measure"].map(lambda m: oc.default_registry()[m].kind == "score")]
    canon = canon.assign(
        score=[
            oc.default_registry()[m].to_analysis_scale(pd.Series([v])).iloc[0]
            for m, v in zip(canon["measure"], canon["score"], strict=True)
        ]
    )
    ref = _client_changes_by_hand(canon, ["technique"], level)
    assert len(ours) == len(ref) > 50
    assert (~ours["paired"]).any() and ours["paired"].any()
    for col in ["technique", "measure", "client_id"]:
        labels = [[None if pd.isna(v) else str(v) for v in table[col]] for table in (ours, ref)]
        assert labels[0] == labels[1], col
    for col in ["n_sessions", "n_sessions_unpaired", "paired"]:
        assert ours[col].tolist() == ref[col].tolist(), col
    # means: pandas' compensated sum against the correctly rounded one, within an ulp or two
    for col in ref.columns.drop(
        ["technique", "measure", "client_id", "n_sessions", "n_sessions_unpaired", "paired"]
    ):
        np.testing.assert_allclose(
            ours[col].to_numpy(float), ref[col].to_numpy(float), rtol=1e-15, err_msg=col
        )
    pd.testing.assert_series_equal(ours["change"], ours["post"] - ours["pre"], check_names=False)


@pytest.mark.parametrize("by", [None, "condition", "age_band"])
def test_the_summary_of_client_tables_from_two_sites_equals_the_summary_of_their_rows(by):
    """The per-client step and the statistics are separable: client tables made at two sites,
    put together in any order, give exactly the summary of the pooled session rows (the basis of
    a network's pooling and of a cluster's workers)."""
    from outcomes.summary import summarize_pairs

    frame = generate_practice(n_clients=160, seed=5)
    clients = frame["client_id"].drop_duplicates()
    site_a = frame[frame["client_id"].isin(clients.iloc[::2])]
    site_b = frame[~frame["client_id"].isin(clients.iloc[::2])]
    tables = {
        lv: pd.concat(
            [client_changes(site, level=lv, by=by) for site in (site_b, site_a)], ignore_index=True
        ).sample(frac=1, random_state=3)
        for lv in LEVELS
    }
    pooled = summarize_pairs(tables, by=by, n_boot=400, seed=11)
    whole = summarize(frame, by=by, level=list(LEVELS), n_boot=400, seed=11)
    pd.testing.assert_frame_equal(pooled, whole, check_exact=True)


def test_client_tables_without_their_keys_are_refused():
    from outcomes.summary import summarize_pairs

    table = client_changes(generate_practice(n_clients=30, seed=2), level="session")
    with pytest.raises(ValueError, match="session: condition"):
        summarize_pairs({"session": table}, by="condition")
