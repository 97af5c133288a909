"""summarize / classify_change / summarize_ratings against outside references and properties."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy import stats
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import proportion_confint

import outcomes as oc
from outcomes.datasets import generate_practice
from outcomes.instruments import Instrument, InstrumentRegistry
from outcomes.summary import classify_change, client_changes, summarize, summarize_ratings

# Student (1908) / Cushny & Peebles (1905): R datasets::sleep
DRUG_1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]
DRUG_2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4]


def _registry_with(*extra: Instrument) -> InstrumentRegistry:
    reg = oc.default_registry().copy()
    for inst in extra:
        reg.register(inst)
    return reg


EXTRA_SLEEP = Instrument(
    key="extra_sleep_h", label="Extra sleep (hours)", unit="hours", min=-10, max=10, direction="higher"
)


def _pairs_frame(pre, post, *, measure="pain_nrs", condition="tmj", sessions=None) -> pd.DataFrame:
    """One client per pair (or several sessions per client when ``sessions`` gives client ids)."""
    rows = []
    ids = sessions if sessions is not None else [f"C{i:03d}" for i in range(len(pre))]
    counter: dict[str, int] = {}
    for cid, a, b in zip(ids, pre, post, strict=True):
        counter[cid] = counter.get(cid, 0) + 1
        rows.append((cid, counter[cid], "pre", measure, a, condition))
        rows.append((cid, counter[cid], "post", measure, b, condition))
    return pd.DataFrame(rows, columns=["client_id", "session", "timepoint", "measure", "score", "condition"])


def test_summarize_matches_R_t_test_on_student_sleep():
    """R: t.test(extra ~ group, data = sleep, paired = TRUE) with drug 1 − drug 2:
    t = −4.0621, df = 9, p = 0.002833, 95% CI −2.4598858 to −0.7001142, mean −1.58.
    Here pre = drug 2 and post = drug 1, so change = drug 1 − drug 2."""
    reg = _registry_with(EXTRA_SLEEP)
    df = _pairs_frame(DRUG_2, DRUG_1, measure="extra_sleep_h")
    row = summarize(df, instruments=reg).iloc[0]
    assert row["n_clients"] == 10 and row["n_sessions"] == 10
    assert row["mean_change"] == pytest.approx(-1.58)
    assert row["ci_low"] == pytest.approx(-2.4598858, abs=1e-6)
    assert row["ci_high"] == pytest.approx(-0.7001142, abs=1e-6)
    assert row["p_ttest"] == pytest.approx(0.002833, abs=5e-7)
    assert row["d_z"] == pytest.approx(-1.2846, abs=5e-5)
    # R: wilcox.test(drug_1, drug_2, paired = TRUE): V = 0, p-value = 0.009091
    assert row["p_wilcoxon"] == pytest.approx(0.009091, abs=5e-7)
    assert row["mean_improvement"] == pytest.approx(-1.58)  # higher is better: drug 1 gives less sleep


def test_summarize_matches_scipy_and_statsmodels(rng):
    """p-values from scipy.stats on the client-level arrays, Holm from statsmodels.multipletests,
    Wilson intervals from statsmodels.proportion_confint, on the same data."""
    pre = rng.integers(3, 9, size=40).astype(float)
    post = np.clip(pre - rng.integers(-1, 4, size=40), 0, 10)
    df = pd.concat(
        [
            _pairs_frame(pre[:25], post[:25], condition="tmj"),
            _pairs_frame(pre[25:], post[25:], condition="headache").assign(
                client_id=lambda d: "H" + d["client_id"]
            ),
        ]
    )
    table = summarize(df)
    for cond, sl in (("headache", slice(25, 40)), ("tmj", slice(0, 25))):
        row = table.set_index("condition").loc[cond]
        a, b = pre[sl], post[sl]
        assert row["p_ttest"] == pytest.approx(stats.ttest_rel(b, a).pvalue, rel=1e-10)
        d = b - a
        assert row["p_wilcoxon"] == pytest.approx(
            stats.wilcoxon(d[d != 0], zero_method="wilcox", correction=True, method="approx").pvalue,
            rel=1e-10,
        )
        k = int(np.sum(-(b - a) >= 2))
        lo, hi = proportion_confint(k, len(a), alpha=0.05, method="wilson")
        assert row["pct_mcid"] == pytest.approx(100 * k / len(a))
        assert row["pct_mcid_ci_low"] == pytest.approx(100 * lo) and row["pct_mcid_ci_high"] == pytest.approx(
            100 * hi
        )
    assert table["p_holm"].to_numpy() == pytest.approx(multipletests(table["p_ttest"], method="holm")[1])


def test_session_level_weighs_clients_equally():
    """Hand-computed: client A has 10 sessions each improving by 1 point, client B one session
    improving by 3 and client C one by 2. Client-level mean change = (−1 − 3 − 2) / 3 = −2;
    a session-weighted mean would be −15 / 12 = −1.25."""
    pre = [5] * 10 + [6, 7]
    post = [4] * 10 + [3, 5]
    ids = ["A"] * 10 + ["B", "C"]
    row = summarize(_pairs_frame(pre, post, sessions=ids)).iloc[0]
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


def test_followup_level_and_retention():
    df = pd.DataFrame(
        {
            "client_id": ["A", "A", "A", "B", "B", "B", "C", "C"],
            "session": 1,
            "timepoint": ["pre", "post", "followup"] * 2 + ["pre", "post"],
            "measure": "pain_nrs",
            "score": [6, 2, 4, 8, 4, 6, 5, 3],
            "condition": "tmj",
        }
    )
    row = summarize(df, level="followup").iloc[0]
    assert row["n_clients"] == 2 and row["n_clients_unpaired"] == 0  # C has no follow-up: not in this level
    assert row["mean_change"] == pytest.approx(-2.0)
    assert row["retention"] == pytest.approx(2.0 / 4.0)  # follow-up change −2 of an immediate −4


def test_retention_uses_the_same_sessions():
    """Session 1: 8 -> 4 right after, 6 a few days later; session 2: 8 with a follow-up of 8 but no
    post. Retention compares follow-up and immediate change over the sessions that have both:
    session 1 only, (6 - 8) / (4 - 8) = 0.5 (using session 2's follow-up would give 0.25)."""
    df = pd.DataFrame(
        {
            "client_id": "A",
            "session": [1, 1, 1, 2, 2],
            "timepoint": ["pre", "post", "followup", "pre", "followup"],
            "measure": "pain_nrs",
            "score": [8, 4, 6, 8, 8],
            "condition": "tmj",
        }
    )
    row = summarize(df, level="followup").iloc[0]
    assert row["retention"] == pytest.approx(0.5)
    assert row["mean_change"] == pytest.approx(-1.0)  # the follow-up change uses every session with both


def test_mcid_is_reached_despite_floating_point_noise():
    """Every client improves by exactly 2 points (the MCID of pain NRS) at each of three sessions;
    averaging 0.1-step decimals must not make some of them fall short."""
    rows = []
    for i in range(40):
        for s, pre in enumerate((7.3, 6.1, 5.7), start=1):
            rows += [
                (f"C{i}", s, "pre", "pain_nrs", pre + i % 3 / 10, "tmj"),
                (f"C{i}", s, "post", "pain_nrs", pre + i % 3 / 10 - 2, "tmj"),
            ]
    df = pd.DataFrame(rows, columns=["client_id", "session", "timepoint", "measure", "score", "condition"])
    assert summarize(df).iloc[0]["pct_mcid"] == 100.0
    assert classify_change(df, level="session")["reached_mcid"].all()


def test_toward_measures_use_distance_to_target():
    # tone from +2 to −2 is no improvement; from −3 to −1 is an improvement of 2
    df = _pairs_frame([2, -3, 1], [-2, -1, 0], measure="pelvic_tone")
    changes = client_changes(df).set_index("client_id")
    assert changes["change"].tolist() == [0.0, -2.0, -1.0]
    row = summarize(df).iloc[0]
    assert row["scale"] == "distance_to_target" and row["mean_improvement"] == pytest.approx(1.0)


def test_client_with_several_conditions_counts_in_each():
    df = _pairs_frame([6, 5], [4, 5], condition="headache;tmj")
    table = summarize(df)
    assert table["condition"].tolist() == ["headache", "tmj"]
    assert table["n_clients"].tolist() == [2, 2]


def test_groups_with_zero_or_one_client_give_nan_rows_and_flags():
    df = pd.concat(
        [
            _pairs_frame([6], [4], condition="tmj"),
            _pairs_frame([6, 7, 5], [4, 4, 4], condition="headache").assign(
                client_id=lambda d: "H" + d.client_id
            ),
        ]
    )
    table = summarize(df).set_index("condition")
    assert table.loc["tmj", "flags"] == "insufficient"
    assert np.isnan(table.loc["tmj", ["ci_low", "p_ttest", "d_z", "boot_ci_low"]].astype(float)).all()
    assert table.loc["headache", "flags"] == "small_n"
    # pre only: counted as unpaired, never silently dropped
    only_pre = pd.DataFrame(
        {
            "client_id": ["Z"],
            "session": [1],
            "timepoint": ["pre"],
            "measure": ["pain_nrs"],
            "score": [5.0],
            "condition": ["tmj"],
        }
    )
    row = summarize(pd.concat([df, only_pre])).set_index("condition").loc["tmj"]
    assert row["n_clients"] == 1 and row["n_clients_unpaired"] == 1


def test_measure_absent_from_a_group_gives_no_row():
    df = pd.concat(
        [
            _pairs_frame([6, 5], [4, 4], condition="tmj"),
            _pairs_frame([6, 5], [4, 4], condition="headache", measure="stress_nrs"),
        ]
    )
    table = summarize(df)
    assert sorted(zip(table["condition"], table["measure"], strict=True)) == [
        ("headache", "stress_nrs"),
        ("tmj", "pain_nrs"),
    ]


def test_zero_variance_of_differences_is_defined():
    row = summarize(_pairs_frame([6, 5, 7], [5, 4, 6])).iloc[0]
    assert row["mean_change"] == -1 and row["ci_low"] == -1 and row["ci_high"] == -1
    assert np.isnan(row["d_z"]) and np.isnan(row["p_ttest"])
    assert "zero_variance" in row["flags"]


def _course_frame(first, last, *, measure="pain_nrs", condition="tmj") -> pd.DataFrame:
    """One client per pair: ``first`` at session 1 pre, ``last`` at session 2 pre (the course level)."""
    rows = []
    for i, (a, b) in enumerate(zip(first, last, strict=True)):
        rows.append((f"C{i:03d}", 1, "pre", measure, a, condition))
        rows.append((f"C{i:03d}", 2, "pre", measure, b, condition))
    return pd.DataFrame(rows, columns=["client_id", "session", "timepoint", "measure", "score", "condition"])


def test_reliable_change_is_course_level_only():
    """Jacobson & Truax assume one baseline and one endpoint per client: at the session level,
    where a client's changes are averaged over sessions, no categories are given."""
    df = _pairs_frame([8, 7, 6, 9, 5], [2, 7, 6, 9, 5])
    assert summarize(df)[["pct_reliable_improved", "pct_recovered"]].isna().all(axis=None)
    assert set(classify_change(df, level="session")["category"]) == {"not_applicable"}
    with pytest.raises(ValueError, match="level must be one of"):
        classify_change(df, level="weekly")


def test_reliable_change_categories_follow_jacobson_truax():
    """RCI = change / (SD_pre · sqrt(2 · (1 − r))) with r = 0.76 for pain NRS (Cleland 2008)."""
    pre = np.array([8, 7, 6, 9, 5, 8, 7, 6, 4, 8], dtype=float)
    post = np.array([2, 7, 6, 9, 5, 8, 7, 6, 10, 8], dtype=float)
    df = _course_frame(pre, post)
    s_diff = np.std(pre, ddof=1) * np.sqrt(2 * (1 - 0.76))
    expected = (post - pre) / s_diff
    cc = classify_change(df, level="course")
    assert cc["rci"].to_numpy() == pytest.approx(expected)
    assert cc["category"].tolist()[0] == "reliably_improved"
    assert cc["category"].tolist()[8] == "reliably_deteriorated"
    row = summarize(df, level="course").iloc[0]
    assert row["pct_reliable_improved"] == pytest.approx(10.0)
    assert row["pct_reliable_deteriorated"] == pytest.approx(10.0)
    assert row["pct_no_reliable_change"] == pytest.approx(80.0)


def test_recovered_uses_the_published_cutoff():
    """PSQI: a global score above 5 marks a poor sleeper (Buysse 1989); r_tt = 0.85."""
    pre = np.array([12, 10, 9, 4, 15, 11], dtype=float)
    post = np.array([4, 9, 5, 3, 14, 5], dtype=float)
    row = summarize(_course_frame(pre, post, measure="psqi"), level="course").iloc[0]
    sd = np.std(pre, ddof=1)
    threshold = 1.959963984540054 * sd * np.sqrt(2 * 0.15)
    reliable = (pre - post) > threshold
    recovered = (pre > 5) & (post <= 5) & reliable
    assert row["n_clinical_baseline"] == 5
    assert row["pct_recovered"] == pytest.approx(100 * recovered.sum() / 5)


def test_bootstrap_is_seeded_and_rows_are_independent(rng):
    pre = rng.integers(2, 10, size=60).astype(float)
    post = np.clip(pre - rng.normal(1, 1.5, size=60).round(1), 0, 10)
    df = pd.concat(
        [
            _pairs_frame(pre[:30], post[:30], condition="tmj"),
            _pairs_frame(pre[30:], post[30:], condition="headache").assign(
                client_id=lambda d: "H" + d.client_id
            ),
        ]
    )
    a = summarize(df, seed=3)
    pd.testing.assert_frame_equal(a, summarize(df, seed=3))
    c = summarize(df, seed=4)
    assert not np.allclose(a["boot_ci_low"], c["boot_ci_low"])
    only_tmj = summarize(df[df.condition == "tmj"], seed=3)
    assert only_tmj["boot_ci_low"].iloc[0] == a.set_index("condition").loc["tmj", "boot_ci_low"]


def test_threads_do_not_change_the_table():
    """The bootstrap intervals run on a thread pool; each row keeps its own stream, so any number
    of threads (and the order in which they finish) gives the same table, bit for bit."""
    practice = generate_practice(n_clients=80, seed=2)
    levels = ["session", "followup", "course"]
    one = summarize(practice, level=levels, n_boot=300, workers=1)
    assert one["boot_ci_low"].notna().sum() > 20
    for workers in (2, 5, None):
        pd.testing.assert_frame_equal(summarize(practice, level=levels, n_boot=300, workers=workers), one)


@pytest.mark.parametrize("workers", [0, -1, 1.5, "2", True])
def test_workers_must_be_a_positive_integer(workers):
    with pytest.raises(ValueError, match="workers must be a positive integer or None"):
        summarize(generate_practice(n_clients=5, seed=1), workers=workers)


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


@pytest.mark.parametrize("level", ["session", "followup", "course"])
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


def test_client_means_are_summed_with_compensation():
    """0.1, 0.2 and 0.3 average to fsum / 3 = 0.19999999999999998; a plain running sum gives
    0.20000000000000004. The client means keep the compensated value (as pandas' groupby mean)."""
    frame = _pairs_frame([0.1, 0.2, 0.3, 5.0], [0.0, 0.0, 0.0, 4.0], sessions=["A", "A", "A", "B"])
    changes = client_changes(frame).set_index("client_id")
    assert changes.loc["A", "pre"] == math.fsum([0.1, 0.2, 0.3]) / 3
    assert changes.loc["A", "n_sessions"] == 3


def test_a_frame_with_a_repeated_cell_is_refused():
    """A SessionData built by hand skips validation; two scores in one cell must not be averaged
    or silently overwritten."""
    frame = _pairs_frame([5.0, 6.0], [3.0, 4.0])
    frame = pd.concat([frame, frame.iloc[[0]].assign(score=9.0)], ignore_index=True)
    data = oc.SessionData(frame=frame, flow=pd.DataFrame(), provenance={})
    with pytest.raises(
        oc.SchemaError, match="1 client x session x timepoint x measure cell has more than one"
    ):
        summarize(data)


def test_ratings_are_summarised_as_a_distribution():
    df = pd.DataFrame(
        {
            "client_id": list("ABCDE"),
            "session": 3,
            "timepoint": "post",
            "measure": "pgic",
            "score": [1, 2, 2, 4, 6],
            "condition": "tmj",
        }
    )
    with pytest.raises(ValueError, match="summarize_ratings"):
        summarize(df, measures=["pgic"])
    assert summarize(df).empty
    row = summarize_ratings(df).iloc[0]
    assert row["n_clients"] == 5 and row["n_2"] == 2 and row["n_7"] == 0
    lo, _ = proportion_confint(3, 5, method="wilson")
    assert row["pct_responders"] == pytest.approx(60.0)
    assert row["pct_responders_ci_low"] == pytest.approx(100 * lo)
    assert row["flags"] == "small_n"


def test_bad_arguments():
    df = _pairs_frame([6, 5], [4, 4])
    with pytest.raises(ValueError, match="level must be one of"):
        summarize(df, level="weekly")
    with pytest.raises(oc.SchemaError, match="Cannot group by 'payer'"):
        summarize(df, by="payer")
    with pytest.raises(oc.UnknownInstrumentError):
        summarize(df, measures=["pian"])
    for reserved in ("session", "timepoint", "score", "measure"):
        with pytest.raises(ValueError, match="attribute columns"):
            summarize(df, by=reserved)
    a = summarize(df.assign(year=2025), by="year")
    b = summarize(df.assign(year=2025.0), by="year")
    assert a["boot_ci_low"].tolist() == b["boot_ci_low"].tolist()  # the seed does not depend on dtype
    gen = summarize(df, seed=np.random.default_rng(1))
    assert np.isfinite(gen["boot_ci_low"]).all()


def test_columns_are_the_documented_api():
    table = summarize(_pairs_frame([6, 5, 7], [4, 4, 3]), level=["session", "course"])
    doc = summarize.__doc__ or ""
    for col in table.columns:
        assert f"``{col}``" in doc, col
    assert isinstance(table.index, pd.RangeIndex)


# ---------------------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------------------
scores = st.lists(st.integers(0, 10), min_size=3, max_size=25)


@st.composite
def paired_scores(draw):
    pre = draw(scores)
    post = draw(st.lists(st.integers(0, 10), min_size=len(pre), max_size=len(pre)))
    return np.array(pre, float), np.array(post, float)


_settings = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_settings
@given(paired_scores())
def test_swapping_pre_and_post_flips_the_sign(pair):
    pre, post = pair
    a = summarize(_pairs_frame(pre, post), n_boot=200).iloc[0]
    b = summarize(_pairs_frame(post, pre), n_boot=200).iloc[0]
    assert b["mean_change"] == pytest.approx(-a["mean_change"])
    assert (np.isnan(a["d_z"]) and np.isnan(b["d_z"])) or b["d_z"] == pytest.approx(-a["d_z"])
    assert b["ci_low"] == pytest.approx(-a["ci_high"]) or np.isnan(a["ci_low"])


@_settings
@given(paired_scores(), st.floats(-50, 50))
def test_shifting_all_scores_leaves_effect_sizes_unchanged(pair, shift):
    pre, post = pair
    reg = _registry_with(Instrument(key="wide_nrs", label="wide", min=-100, max=100, direction="lower"))
    a = summarize(_pairs_frame(pre, post, measure="wide_nrs"), n_boot=200, instruments=reg).iloc[0]
    b = summarize(
        _pairs_frame(pre + shift, post + shift, measure="wide_nrs"), n_boot=200, instruments=reg
    ).iloc[0]
    for col in ("d_z", "g_av", "smc", "mean_change"):
        assert (np.isnan(a[col]) and np.isnan(b[col])) or b[col] == pytest.approx(a[col], rel=1e-6, abs=1e-9)


@_settings
@given(paired_scores(), st.randoms(use_true_random=False))
def test_permuting_clients_changes_nothing(pair, random):
    pre, post = pair
    df = _pairs_frame(pre, post)
    order = list(range(len(df) // 2))
    random.shuffle(order)
    shuffled = pd.concat([df.iloc[2 * i : 2 * i + 2] for i in order])
    pd.testing.assert_frame_equal(summarize(df, n_boot=200), summarize(shuffled, n_boot=200))


@_settings
@given(paired_scores())
def test_every_interval_contains_its_estimate(pair):
    pre, post = pair
    row = summarize(_pairs_frame(pre, post), n_boot=200).iloc[0]
    for est, lo, hi in (
        ("mean_change", "ci_low", "ci_high"),
        ("mean_change", "boot_ci_low", "boot_ci_high"),
        ("smc", "smc_ci_low", "smc_ci_high"),
        ("pct_mcid", "pct_mcid_ci_low", "pct_mcid_ci_high"),
        ("mean_improvement", "improvement_ci_low", "improvement_ci_high"),
    ):
        if np.isfinite(row[lo]) and np.isfinite(row[hi]):
            assert row[lo] - 1e-9 <= row[est] <= row[hi] + 1e-9, est


def test_trajectory_matches_scipy_t_interval(rng):
    """Per session and timepoint: mean and t interval of the clients' scores (scipy.stats.t.interval)."""
    from outcomes.summary import trajectory

    pre = rng.integers(3, 9, size=12).astype(float)
    post = np.clip(pre - rng.integers(0, 3, size=12), 0, 10)
    df = _pairs_frame(pre, post)
    out = trajectory(df, measure="pain").set_index(["condition", "session", "timepoint"])
    for tp, values in (("pre", pre), ("post", post)):
        row = out.loc[("tmj", 1, tp)]
        lo, hi = stats.t.interval(0.95, len(values) - 1, loc=values.mean(), scale=stats.sem(values))
        assert row["n_clients"] == 12 and row["mean"] == pytest.approx(values.mean())
        assert row["ci_low"] == pytest.approx(lo) and row["ci_high"] == pytest.approx(hi)


def test_classify_change_reports_the_reliable_change_threshold():
    """Jacobson & Truax: threshold = 1.96 · SD_pre · sqrt(2 (1 − r_xx)), r_xx = 0.76 for pain NRS."""
    pre = np.array([8, 7, 6, 9, 5, 8, 7, 6, 4, 8], dtype=float)
    post = pre - 1
    cc = classify_change(_course_frame(pre, post), level="course")
    expected = stats.norm.ppf(0.975) * np.std(pre, ddof=1) * np.sqrt(2 * (1 - 0.76))
    assert cc["rc_threshold"].to_numpy() == pytest.approx(np.full(10, expected))


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
