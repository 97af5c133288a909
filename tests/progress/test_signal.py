"""Which clients are not on track: the expected course from the other clients, the band, the
published-rule fallback, and whether the signal finds the clients who stall."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import outcomes as oc
from outcomes.progress import STATUSES
from outcomes.progress.expected import ExpectedRecovery


def test_the_clients_who_stall_are_flagged_and_most_who_improve_are_not(make_practice):
    frame = make_practice()
    out = oc.not_on_track(frame.drop(columns="kind"), measure="pain_nrs")
    kinds = frame.drop_duplicates("client_id").set_index("client_id")["kind"]
    status = out.set_index("client_id")["status"]
    flagged = status.isin(["not on track", "reliably worse"])
    sensitivity = flagged[kinds[kinds != "improve"].index].mean()
    false_alarms = flagged[kinds[kinds == "improve"].index].mean()
    assert sensitivity >= 0.7 and false_alarms <= 0.05
    assert out["rule"].str.startswith("practice history").all()
    assert list(out["status"].map(STATUSES.index)) == sorted(
        out["status"].map(STATUSES.index)
    )  # attention first


def test_a_clients_band_never_uses_their_own_scores(make_practice):
    frame = make_practice()
    out = oc.not_on_track(frame.drop(columns="kind"), measure="pain_nrs").set_index("client_id")
    changed = frame.drop(columns="kind").copy()
    last = (changed["client_id"] == "C005") & (changed["session"] == 6)
    changed.loc[last, "score"] = 10  # the client's own latest score
    again = oc.not_on_track(changed, measure="pain_nrs").set_index("client_id")
    cols = ["expected", "band_low", "band_high"]
    np.testing.assert_allclose(again.loc["C005", cols].to_numpy(float), out.loc["C005", cols].to_numpy(float))
    assert again.loc["C005", "status"] in ("not on track", "reliably worse")


def test_thin_history_falls_back_to_the_published_rule(make_practice):
    frame = make_practice(n_improve=10, n_stall=3, n_worse=0)
    out = oc.not_on_track(frame.drop(columns="kind"), measure="pain_nrs")
    assert out["rule"].str.startswith("published rule: the MCID or a reliable improvement by session 4").all()
    assert out["expected"].isna().all()
    stall = out.set_index("client_id").loc[["C010", "C011", "C012"]]
    assert (stall["status"] == "not on track").all()
    assert stall["reason"].str.contains(r"has not reached the MCID \(2 points\) by session 4").all()


def test_a_client_seen_once_has_too_little_history(make_practice):
    frame = make_practice()
    frame = frame[~((frame["client_id"] == "C001") & (frame["session"] > 1))]
    out = oc.not_on_track(frame.drop(columns="kind"), measure="pain_nrs").set_index("client_id")
    assert (
        out.loc["C001", "status"] == "too little history"
        and out.loc["C001", "reason"] == "one session so far"
    )


def test_expected_score_is_the_conditional_mean_of_the_model():
    """The expectation given the intake against a brute-force draw from the same model."""
    tau = np.array([[1.2, -0.2], [-0.2, 0.5]])
    model = ExpectedRecovery(
        beta=pd.Series({"Intercept": 6.0, "t": -1.5}), cov_beta=np.zeros((2, 2)), tau=tau, sigma2=0.4
    )
    rng = np.random.default_rng(0)
    n, t = 400_000, np.log(5)
    b = rng.multivariate_normal([0, 0], tau, n)
    y0 = 6.0 + b[:, 0] + rng.normal(0, np.sqrt(0.4), n)
    yt = 6.0 - 1.5 * t + b[:, 0] + b[:, 1] * t + rng.normal(0, np.sqrt(0.4), n)
    near = np.abs(y0 - 8.0) < 0.05
    got = model.expect(np.array([8.0]), np.array([t]), level=0.8).iloc[0]
    assert got["expected"] == pytest.approx(yt[near].mean(), abs=0.03)
    assert got["sd"] == pytest.approx(yt[near].std(), rel=0.03)
    inside = (yt[near] > got["band_low"]) & (yt[near] < got["band_high"])
    assert inside.mean() == pytest.approx(0.8, abs=0.02)


def test_cli_clients_lists_who_needs_attention_first(make_practice, tmp_path, capsys):
    from outcomes.cli import main

    frame = make_practice().drop(columns="kind")
    frame.to_csv(tmp_path / "visits.csv", index=False)
    out = tmp_path / "clients.csv"
    assert main(["clients", str(tmp_path / "visits.csv"), "--measure", "pain_nrs", "-o", str(out)]) == 0
    text = capsys.readouterr().out
    assert "not on track" in text and "prompt for clinical review, not a diagnosis" in text
    assert "pain_nrs: practice history" in text
    written = pd.read_csv(out)
    assert len(written) == frame["client_id"].nunique()
    first_attention = text.index("not on track", text.index("client"))
    assert "on track " not in text[text.index("client") : first_attention]  # attention first


def _two_courses(seed: int = 8) -> pd.DataFrame:
    """Headache clients improve fast (-2.2 per log session), pelvic pain clients slowly (-0.5):
    every client on their condition's usual course."""
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(60):
        cond, slope = ("headache", -2.2) if i < 30 else ("pelvic_pain", -0.5)
        start = rng.normal(6.5, 0.8)
        for s in range(1, 7):
            score = np.clip(start + (slope + rng.normal(0, 0.2)) * np.log(s) + rng.normal(0, 0.4), 0, 10)
            rows.append((f"C{i:03d}", s, "pre", "pain_nrs", score, cond))
    return pd.DataFrame(rows, columns=["client_id", "session", "timepoint", "measure", "score", "condition"])


def test_where_enough_clients_share_a_condition_they_are_judged_by_its_course():
    frame = _two_courses()
    by = oc.not_on_track(frame, measure="pain_nrs").set_index("client_id")
    pooled = oc.not_on_track(frame, measure="pain_nrs", by_condition=False).set_index("client_id")
    slow = [f"C{i:03d}" for i in range(30, 60)]
    # the slow condition's usual course is not a failure once it is the yardstick
    assert (pooled.loc[slow, "status"] == "not on track").mean() > 0.5
    # with the 60% band about one in five clients on their usual course is worse than 80% of them
    assert (by.loc[slow, "status"] == "not on track").mean() < 0.3
    assert by["rule"].str.startswith("practice history of the same condition: 24 other clients").all()
    assert pooled["rule"].str.startswith("practice history: 48 other clients").all()
