"""outcomes.datasets.generator: the synthetic practice: the canonical table, plausible (not flattering)
numbers, the arguments. The ``practice`` fixture is in tests/datasets/conftest.py."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from outcomes.datasets import (
    ADULT_AGE_BANDS,
    PAYERS,
    RACE_ETHNICITY,
    TECHNIQUES,
    generate_practice,
    generate_rows,
)
from outcomes.datasets.model import ATTRIBUTES, CLIENT_FIELDS, CONDITION_KEYS, SESSION_FIELDS
from outcomes.datasets.model import KEY as ROW_KEY
from outcomes.schema import CANONICAL_COLUMNS, TIMEPOINTS

INSTRUMENTS_CSV = Path(__file__).resolve().parents[2] / "outcomes" / "_data" / "instruments.csv"
#: The columns of generate_practice(): the contract's canonical columns, then the generator's attributes.
COLUMNS = [*CANONICAL_COLUMNS, *ATTRIBUTES]
KEY = list(ROW_KEY)  # the generator's sort key, as a list of columns
CLIENT_ATTRIBUTES = ["condition", *CLIENT_FIELDS]
SESSION_ATTRIBUTES = list(SESSION_FIELDS)
NRS = ["pain_nrs", "sleep_quality_nrs", "stress_nrs"]
QUESTIONNAIRES = ["psqi", "hit6", "pfdi20", "ndi", "odi", "gad7"]
CONDITIONS = set(CONDITION_KEYS)


@pytest.fixture(scope="module")
def large() -> pd.DataFrame:
    """Enough clients for stable effect estimates (still a fraction of a second)."""
    return generate_practice(n_clients=3000, seed=7)


@pytest.fixture(scope="module")
def ranges() -> dict[str, tuple[float, float]]:
    with INSTRUMENTS_CSV.open(newline="", encoding="utf-8") as fh:
        return {row["key"]: (float(row["min"]), float(row["max"])) for row in csv.DictReader(fh)}


def explode_conditions(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.assign(condition=frame["condition"].str.split(";")).explode("condition")


def test_same_seed_gives_identical_frame(practice: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(generate_practice(), practice)
    rng_a, rng_b = np.random.default_rng(5), np.random.default_rng(5)
    pd.testing.assert_frame_equal(generate_practice(seed=rng_a), generate_practice(seed=rng_b))


def test_different_seed_gives_different_frame(practice: pd.DataFrame) -> None:
    other = generate_practice(seed=2027)
    assert not other.equals(practice)
    assert other["client_id"].nunique() == practice["client_id"].nunique() == 200


def test_columns_dtypes_and_order(practice: pd.DataFrame) -> None:
    assert list(practice.columns) == COLUMNS
    assert isinstance(practice.index, pd.RangeIndex)
    tp = practice["timepoint"].dtype
    assert isinstance(tp, pd.CategoricalDtype) and tp.ordered
    assert list(tp.categories) == list(TIMEPOINTS)
    for col in ("session", "year", "days_from_first"):
        assert practice[col].dtype == np.int64
    assert practice["score"].dtype == np.float64
    for col in ("client_id", "measure", "condition", "technique", "age_band", "race_ethnicity", "payer"):
        assert pd.api.types.is_string_dtype(practice[col].dtype)
    assert practice.notna().all().all()


def test_sorted_without_duplicate_keys(practice: pd.DataFrame) -> None:
    assert not practice.duplicated(KEY).any()
    resorted = practice.sort_values(KEY, kind="stable").reset_index(drop=True)
    pd.testing.assert_frame_equal(resorted, practice)


def test_scores_within_registry_range(large: pd.DataFrame, ranges: dict[str, tuple[float, float]]) -> None:
    assert set(large["measure"]) <= set(ranges)
    lo = large["measure"].map(lambda m: ranges[m][0])
    hi = large["measure"].map(lambda m: ranges[m][1])
    assert ((large["score"] >= lo) & (large["score"] <= hi)).all()


def test_scores_have_the_granularity_of_the_instruments(large: pd.DataFrame) -> None:
    score = large["score"]
    pfdi = large["measure"] == "pfdi20"
    assert (score[~pfdi] == np.rint(score[~pfdi])).all()
    # PFDI-20 = 25 x (UDI-6 mean + POPDI-6 mean + CRADI-8 mean) = 25 (4a + 4b + 3c) / 24
    steps = score[pfdi] * 24 / 25
    assert np.allclose(steps, np.rint(steps), atol=0.01)
    assert (score[large["measure"] == "odi"] % 2 == 0).all()
    hit6 = score[large["measure"] == "hit6"]
    assert not hit6.isin([37, 39]).any()  # sums of six items scored 6/8/10/11/13 cannot be 37 or 39
    tones = large[large["measure"].isin(["jaw_tone", "pelvic_tone"])]["score"]
    assert (tones < 0).any() and (tones > 0).any() and (tones == 0).any()


def test_attributes_constant_where_they_should_be(practice: pd.DataFrame) -> None:
    per_client = practice.groupby("client_id")[CLIENT_ATTRIBUTES].nunique()
    assert (per_client == 1).all().all()
    per_session = practice.groupby(["client_id", "session"])[SESSION_ATTRIBUTES].nunique()
    assert (per_session == 1).all().all()
    sessions = practice.drop_duplicates(["client_id", "session"])
    assert (sessions.groupby("client_id")["technique"].nunique() > 1).any()  # technique may change
    assert set(practice["technique"]) <= set(TECHNIQUES)
    assert set(practice["age_band"]) <= set(ADULT_AGE_BANDS)
    assert set(practice["race_ethnicity"]) <= set(RACE_ETHNICITY)
    assert set(practice["payer"]) <= set(PAYERS)
    assert set(practice["postpartum"]) == {"yes", "no"}
    assert practice["client_id"].str.fullmatch(r"C\d{4}").all()


def test_sessions_days_and_years(practice: pd.DataFrame) -> None:
    sessions = practice.drop_duplicates(["client_id", "session"])
    by_client = sessions.groupby("client_id")
    assert practice["client_id"].nunique() == 200
    assert (by_client["session"].min() == 1).all()
    assert (by_client["session"].max() == by_client["session"].nunique()).all()  # 1..n without gaps
    assert sessions["session"].between(1, 12).all()
    assert (sessions.loc[sessions["session"] == 1, "days_from_first"] == 0).all()
    assert (by_client["days_from_first"].diff().dropna() > 0).all()
    assert (by_client["year"].diff().dropna() >= 0).all()
    assert set(practice["year"]) == {2024, 2025, 2026}
    assert set(generate_practice(n_clients=50, start_year=2020, n_years=2)["year"]) <= {2020, 2021}


def test_dropout_and_long_tail(large: pd.DataFrame) -> None:
    n_sessions = large.groupby("client_id")["session"].max()
    assert 0.35 < (n_sessions <= 3).mean() < 0.7
    assert (n_sessions == 12).sum() > 0
    assert 3 < n_sessions.mean() < 6


def test_condition_and_attribute_mix(large: pd.DataFrame) -> None:
    clients = large.drop_duplicates("client_id")
    parts = clients["condition"].str.split(";")
    assert set(parts.explode()) == CONDITIONS
    assert (parts.map(sorted) == parts).all()
    assert 0.10 < (parts.str.len() == 2).mean() < 0.20
    single = explode_conditions(clients)["condition"].value_counts()
    assert set(single.index[:2]) == {"pelvic_pain", "postpartum"}
    race = clients["race_ethnicity"].value_counts(normalize=True)
    assert race.index[0] == "Black or African American" and race.iloc[0] > 0.3
    pp = clients.assign(pp=clients["condition"].str.contains("postpartum"))
    assert pp.groupby("pp")["postpartum"].apply(lambda s: (s == "yes").mean()).is_monotonic_increasing
    assert (clients["age_band"] == "90+").mean() < 0.02


def test_measures_follow_the_protocol(large: pd.DataFrame) -> None:
    conditions = large["condition"]
    jaw = large["measure"] == "jaw_tone"
    assert conditions[jaw].str.contains("tmj|headache").all()
    pelvic = large["measure"] == "pelvic_tone"
    assert conditions[pelvic].str.contains("pelvic_pain|postpartum|bladder|prolapse").all()
    assert (large.loc[large["timepoint"] == "followup", "measure"].isin(NRS)).all()
    last = large.groupby("client_id")["session"].transform("max")
    forms = large["measure"].isin(QUESTIONNAIRES)
    assert (large.loc[forms, "timepoint"] == "pre").all()
    assert (large.loc[forms, "session"].eq(1) | large.loc[forms, "session"].eq(last[forms])).all()
    assert (last[forms] >= 2).all()
    pgic = large["measure"] == "pgic"
    assert (large.loc[pgic, "timepoint"] == "post").all() and (large.loc[pgic, "session"] == last[pgic]).all()
    assert large.loc[large["measure"] == "hit6", "condition"].str.contains("headache").all()
    pain = large[large["measure"] == "pain_nrs"]
    n_sessions = len(large.drop_duplicates(["client_id", "session"]))
    counts = pain["timepoint"].value_counts()
    assert counts["pre"] == n_sessions  # pain is always recorded before the session
    assert 0.01 < 1 - counts["post"] / n_sessions < 0.06  # a few post ratings missing
    assert 0.25 < counts["followup"] / n_sessions < 0.35


def session_changes(frame: pd.DataFrame, measure: str) -> pd.DataFrame:
    """Client-level mean pre -> post change of ``measure`` (complete pairs only)."""
    sub = frame[frame["measure"] == measure]
    pairs = sub.pivot_table(
        index=["client_id", "session", "condition"], columns="timepoint", values="score", observed=True
    )
    change = (pairs["post"] - pairs["pre"]).dropna().rename("change").reset_index()
    return change.groupby(["client_id", "condition"], as_index=False)["change"].mean()


def course_changes(frame: pd.DataFrame, measure: str) -> pd.DataFrame:
    """Per client: last session pre minus first session pre (clients with >= 2 sessions)."""
    pre = frame[(frame["measure"] == measure) & (frame["timepoint"] == "pre")]
    grouped = pre.groupby(["client_id", "condition"])
    first, last = grouped["session"].min(), grouped["session"].max()
    score = pre.set_index(["client_id", "condition", "session"])["score"]
    change = pd.Series(
        score.loc[[(c, k, s) for (c, k), s in last.items()]].to_numpy()
        - score.loc[[(c, k, s) for (c, k), s in first.items()]].to_numpy(),
        index=first.index,
        name="change",
    )
    return change[last > first].reset_index()


def test_session_level_change_plausible_not_flattering(large: pd.DataFrame) -> None:
    pain = session_changes(large, "pain_nrs")
    assert -2.0 < pain["change"].mean() < -0.3
    assert (pain["change"] > 0).any()  # some clients feel worse right after sessions
    assert session_changes(large, "sleep_quality_nrs")["change"].mean() > 0  # higher = better
    assert session_changes(large, "stress_nrs")["change"].mean() < 0


def test_course_level_change_modest_and_heterogeneous(large: pd.DataFrame) -> None:
    course = course_changes(large, "pain_nrs")
    assert -1.5 < course["change"].mean() < -0.2
    assert (course["change"] > 0).mean() > 0.1  # some clients get worse
    by_condition = explode_conditions(course).groupby("condition")["change"].agg(["mean", "size"])
    assert by_condition["size"].min() >= 20
    assert (by_condition["mean"].abs() < 0.5).any()  # e.g. prolapse, bladder
    assert (by_condition["mean"] < -0.7).any()
    baseline_sd = large[
        (large["measure"] == "pain_nrs") & (large["timepoint"] == "pre") & (large["session"] == 1)
    ]["score"].std()
    assert 0.1 < -course["change"].mean() / baseline_sd < 0.8  # standardized change in the published range


def test_tone_moves_toward_normal(large: pd.DataFrame) -> None:
    for measure in ("jaw_tone", "pelvic_tone"):
        tone = large[large["measure"] == measure].assign(score=lambda d: d["score"].abs())
        assert session_changes(tone, measure)["change"].mean() < 0
        assert course_changes(tone, measure)["change"].mean() < 0


def test_invalid_arguments_raise() -> None:
    with pytest.raises(ValueError, match="n_clients must be a positive whole number"):
        generate_practice(n_clients=0)
    with pytest.raises(ValueError, match="n_years"):
        generate_practice(n_years=0)
    with pytest.raises(ValueError, match="n_rows"):
        generate_rows(-5)


def test_generate_rows_lands_near_target() -> None:
    frame = generate_rows(40_000, seed=11)
    assert abs(len(frame) - 40_000) / 40_000 < 0.1
