"""Tests of the synthetic practice generator, its layouts, the broken export and the sample files."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from outcomes.datasets import (
    ADULT_AGE_BANDS,
    LAYOUTS,
    PAYERS,
    RACE_ETHNICITY,
    TECHNIQUES,
    broken_export,
    generate_practice,
    generate_rows,
    main,
    to_layout,
    write_samples,
)

INSTRUMENTS_CSV = Path(__file__).resolve().parents[1] / "outcomes" / "_data" / "instruments.csv"
COLUMNS = [
    "client_id",
    "session",
    "timepoint",
    "measure",
    "score",
    "condition",
    "technique",
    "age_band",
    "race_ethnicity",
    "postpartum",
    "payer",
    "year",
    "days_from_first",
]
KEY = ["client_id", "session", "measure", "timepoint"]
CLIENT_ATTRIBUTES = ["condition", "age_band", "race_ethnicity", "postpartum", "payer"]
SESSION_ATTRIBUTES = ["technique", "year", "days_from_first"]
NRS = ["pain_nrs", "sleep_quality_nrs", "stress_nrs"]
QUESTIONNAIRES = ["psqi", "hit6", "pfdi20", "ndi", "odi", "gad7"]
CONDITIONS = {
    "headache",
    "tmj",
    "neck_pain",
    "back_pain",
    "pelvic_pain",
    "postpartum",
    "bladder",
    "prolapse",
    "fibromyalgia",
    "sleep",
    "stress_anxiety",
}
CHECKS = {
    "unknown_measure",
    "out_of_range",
    "missing_code",
    "not_numeric",
    "duplicate",
    "unknown_timepoint",
    "session_not_positive_integer",
    "missing_value",
}


@pytest.fixture(scope="module")
def practice() -> pd.DataFrame:
    return generate_practice()


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


# ---------------------------------------------------------------------------------------
# the canonical table
# ---------------------------------------------------------------------------------------
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
    assert list(tp.categories) == ["pre", "post", "followup"]
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


# ---------------------------------------------------------------------------------------
# layouts
# ---------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def layouts(practice: pd.DataFrame) -> dict[str, pd.DataFrame]:
    return {layout: to_layout(practice, layout) for layout in LAYOUTS}


def value_columns(layout: str, table: pd.DataFrame) -> list[str]:
    if layout == "long":
        return ["score"]
    if layout == "prepost":
        return ["pre", "post", "followup"]
    return [c for c in table.columns if c.endswith(("_pre", "_post", "_followup"))]


@pytest.mark.parametrize("layout", LAYOUTS)
def test_every_layout_keeps_every_value(
    practice: pd.DataFrame, layouts: dict[str, pd.DataFrame], layout: str
) -> None:
    table = layouts[layout]
    cols = value_columns(layout, table)
    assert int(table[cols].notna().sum().sum()) == len(practice)
    assert np.isclose(table[cols].sum().sum(), practice["score"].sum())


def test_long_layout_has_string_timepoints(practice: pd.DataFrame, layouts: dict[str, pd.DataFrame]) -> None:
    long = layouts["long"]
    assert pd.api.types.is_string_dtype(long["timepoint"].dtype)
    assert long["timepoint"].tolist() == practice["timepoint"].astype(str).tolist()
    assert long.drop(columns="timepoint").equals(practice.drop(columns="timepoint"))


def test_prepost_and_wide_melt_back_to_the_canonical_table(
    practice: pd.DataFrame, layouts: dict[str, pd.DataFrame]
) -> None:
    attrs = COLUMNS[5:]
    prepost = layouts["prepost"]
    assert list(prepost.columns) == ["client_id", "session", "measure", "pre", "post", "followup", *attrs]
    back = prepost.melt(
        id_vars=["client_id", "session", "measure", *attrs], var_name="timepoint", value_name="score"
    ).dropna(subset=["score"])
    wide = layouts["wide"]
    assert list(wide.columns[:10]) == ["client_id", "session", *attrs]
    assert wide.columns[10:13].tolist() == ["pain_nrs_pre", "pain_nrs_post", "pain_nrs_followup"]
    melted = wide.melt(id_vars=["client_id", "session", *attrs], var_name="column", value_name="score")
    melted = melted.dropna(subset=["score"])
    parts = melted["column"].str.extract(r"^(?P<measure>.+)_(?P<timepoint>pre|post|followup)$")
    wide_back = pd.concat([melted.drop(columns="column"), parts], axis=1)
    for table in (back, wide_back):
        table = table.assign(timepoint=pd.Categorical(table["timepoint"], dtype=practice["timepoint"].dtype))
        table = table[COLUMNS].sort_values(KEY).reset_index(drop=True)
        pd.testing.assert_frame_equal(table, practice, check_dtype=False)


def test_redcap_structure(practice: pd.DataFrame, layouts: dict[str, pd.DataFrame]) -> None:
    redcap = layouts["redcap"]
    first = ["record_id", "redcap_event_name", "redcap_repeat_instrument", "redcap_repeat_instance"]
    record_fields = ["condition", "age_band", "race_ethnicity", "postpartum", "payer"]
    assert list(redcap.columns[:12]) == [*first, *record_fields, *SESSION_ATTRIBUTES]
    intake = redcap["redcap_event_name"] == "intake_arm_1"
    assert intake.sum() == practice["client_id"].nunique()
    assert (~intake).sum() == len(practice.drop_duplicates(["client_id", "session"]))
    assert set(redcap.loc[~intake, "redcap_event_name"]) == {"treatment_arm_1"}
    assert (redcap.loc[~intake, "redcap_repeat_instrument"] == "session").all()
    assert redcap.loc[intake, ["redcap_repeat_instrument", "redcap_repeat_instance"]].isna().all().all()
    assert redcap.loc[intake, [*SESSION_ATTRIBUTES, *redcap.columns[12:]]].isna().all().all()
    assert redcap.loc[~intake, record_fields].isna().all().all()
    assert redcap.loc[intake, record_fields].notna().all().all()
    # each record row comes first, then the sessions in order
    assert (redcap.groupby("record_id")["redcap_event_name"].first() == "intake_arm_1").all()
    sessions = redcap.loc[~intake, ["record_id", "redcap_repeat_instance"]]
    expected = practice.drop_duplicates(["client_id", "session"])[["client_id", "session"]]
    assert sessions.to_numpy().tolist() == expected.to_numpy().tolist()


def test_to_layout_refuses_to_lose_values(practice: pd.DataFrame) -> None:
    with pytest.raises(ValueError, match="layout must be one of"):
        to_layout(practice, "tall")
    varied = practice.copy()
    varied.loc[varied.index[1], "technique"] = "something else"  # differs within one session
    with pytest.raises(ValueError, match="'technique' vary within one client"):
        to_layout(varied, "wide")
    assert len(to_layout(varied, "long")) == len(practice)


# ---------------------------------------------------------------------------------------
# broken export
# ---------------------------------------------------------------------------------------
def test_broken_export_expectations() -> None:
    frame, expected = broken_export()
    assert 40 <= len(frame) <= 80
    assert list(frame.columns) == COLUMNS
    assert all(pd.api.types.is_string_dtype(frame[c].dtype) for c in frame.columns)
    assert list(expected.columns) == ["row", "column", "check"]
    assert len(expected) >= 10
    assert set(expected["check"]) == CHECKS
    assert expected["row"].is_unique and expected["row"].is_monotonic_increasing  # one problem per row
    assert expected["row"].between(3, len(frame) + 2).all()

    cell = {(r.row, r.column): r.check for r in expected.itertuples()}

    def at(row: int, column: str) -> str:
        return frame.at[row - 3, column]

    codes = {at(r, c) for (r, c), k in cell.items() if k == "missing_code"}
    assert codes == {"UNK", "-999", "N/A", "n/a", "?", ""}
    assert {at(r, c) for (r, c), k in cell.items() if k == "session_not_positive_integer"} == {
        "0",
        "1.5",
        "two",
    }
    assert {c for (r, c), k in cell.items() if k == "missing_value"} == {"client_id", "condition"}
    assert all(at(r, c) == "" for (r, c), k in cell.items() if k == "missing_value")
    assert {at(r, c) for (r, c), k in cell.items() if k == "unknown_measure"} == {"pian_nrs"}
    assert {at(r, c) for (r, c), k in cell.items() if k == "not_numeric"} == {"4-5"}
    assert {at(r, c) for (r, c), k in cell.items() if k == "unknown_timepoint"} == {"during"}
    dup_rows = expected.loc[expected["check"] == "duplicate", "row"].to_numpy() - 3
    assert len(dup_rows) == 2
    assert frame.iloc[dup_rows][KEY].drop_duplicates().shape[0] == 1
    # no accidental problems: the clean rows have unique keys and in-range integer scores
    clean = frame.drop(index=expected["row"].to_numpy() - 3)
    assert not clean.duplicated(KEY).any()
    assert pd.to_numeric(clean["score"]).between(-3, 300).all()


def test_broken_export_is_seeded() -> None:
    a, ea = broken_export(seed=3)
    b, eb = broken_export(seed=3)
    pd.testing.assert_frame_equal(a, b)
    pd.testing.assert_frame_equal(ea, eb)
    assert not broken_export(seed=4)[1].equals(ea)


# ---------------------------------------------------------------------------------------
# sample files
# ---------------------------------------------------------------------------------------
def test_write_samples_is_byte_identical(tmp_path: Path) -> None:
    first = write_samples(tmp_path / "a")
    second = write_samples(tmp_path / "b")
    names = [p.name for p in first]
    assert names == [p.name for p in second]
    assert set(names) == {
        "synthetic_practice_long.csv",
        "synthetic_practice_prepost.csv",
        "synthetic_practice_wide.csv",
        "synthetic_practice_redcap.csv",
        "broken_export.csv",
        "broken_export_expected.csv",
        "README.md",
    }
    for a, b in zip(first, second, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name
    for path in first:
        data = path.read_bytes()
        assert b"\r" not in data
        if path.suffix == ".csv":
            assert data.startswith(b"# SYNTHETIC DATA generated by outcomes.datasets (seed=2026, n_clients=")
            assert data.splitlines()[0].endswith(b"): not real clients.")
    assert "synthetic" in (tmp_path / "a" / "README.md").read_text(encoding="utf-8").lower()


def test_sample_csv_number_format(tmp_path: Path, practice: pd.DataFrame) -> None:
    write_samples(tmp_path)
    long = pd.read_csv(
        tmp_path / "synthetic_practice_long.csv", comment="#", dtype=str, keep_default_na=False
    )
    assert len(long) == len(practice)
    not_pfdi = long["measure"] != "pfdi20"
    assert long.loc[not_pfdi, "score"].str.fullmatch(r"-?\d+").all()  # "7", not "7.0"
    assert long["score"].str.fullmatch(r"-?\d+(\.\d{1,2})?").all()
    assert long["year"].str.fullmatch(r"\d{4}").all()
    assert np.allclose(long["score"].astype(float), practice["score"], atol=0.005)
    wide = pd.read_csv(
        tmp_path / "synthetic_practice_wide.csv", comment="#", dtype=str, keep_default_na=False
    )
    assert (wide == "").any().any()  # missing values are empty cells
    assert not wide.apply(lambda s: s.str.endswith(".0")).any().any()
    expected = pd.read_csv(tmp_path / "broken_export_expected.csv", comment="#")
    pd.testing.assert_frame_equal(expected, broken_export()[1], check_dtype=False)
    broken = (tmp_path / "broken_export.csv").read_text(encoding="utf-8").splitlines()
    for row in expected.itertuples():
        if row.check == "unknown_timepoint":
            assert ",during," in broken[row.row - 1]  # row numbers are file line numbers


def test_main_writes_samples(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(tmp_path / "out"), "--n-clients", "20", "--seed", "1"]) == 0
    assert (tmp_path / "out" / "synthetic_practice_redcap.csv").exists()
    assert "README.md" in capsys.readouterr().out
    header = (tmp_path / "out" / "synthetic_practice_long.csv").read_text(encoding="utf-8").splitlines()[0]
    assert (
        header == "# SYNTHETIC DATA generated by outcomes.datasets (seed=1, n_clients=20): not real clients."
    )
