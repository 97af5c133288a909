"""Questionnaires exported as items, scored on read: recognised, scored by the same rule as
:func:`outcomes.score_questionnaire`, and every form counted in the flow."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

import outcomes as oc
from outcomes.errors import DataQualityWarning, SchemaError


def _forms(n: int = 8, seed: int = 3) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    df = pd.DataFrame(
        {
            "client_id": [f"C{i // 2:03d}" for i in range(n)],
            "session": [1, 5] * (n // 2),
            "condition": "postpartum",
            "pain_nrs_pre": rng.integers(2, 9, n),
            "pain_nrs_post": rng.integers(0, 6, n),
        }
    )
    for i in range(1, 11):
        df[f"epds_{i}"] = rng.integers(0, 4, n)
    for i in range(1, 8):
        df[f"GAD-7 {i}"] = rng.integers(0, 4, n)
    return df


def _flow(data: oc.SessionData) -> pd.Series:
    return data.flow.set_index(["unit", "step", "reason"])["count"]


def test_item_columns_are_scored_on_read_as_by_score_questionnaire(tmp_path):
    df = _forms()
    df.to_csv(tmp_path / "forms.csv", index=False)
    data = oc.read_sessions(tmp_path / "forms.csv")
    assert data.layout == "wide"
    epds = oc.score_questionnaire(df, "epds")
    gad7 = oc.score_questionnaire(df, "gad7")
    frame = data.frame.sort_values(["client_id", "session"])
    for key, expected in (
        ("epds", epds["epds"]),
        ("gad7", gad7["gad7"]),
        ("epds_item10", epds["epds_item10"]),
    ):
        got = frame.loc[frame["measure"] == key]
        assert (got["timepoint"] == "pre").all()  # a form is answered before its session
        np.testing.assert_array_equal(got["score"].to_numpy(), expected.to_numpy())
    assert data.provenance["questionnaires_scored"] == {"gad7": 8, "epds": 8}
    flow = _flow(data)
    assert flow[("forms", "read", "questionnaire forms found (item columns)")] == 16
    assert flow[("forms", "kept", "forms scored from their items")] == 16
    assert not any(c.startswith(("epds_", "gad")) for c in data.frame.columns)  # items do not stay


def test_a_safety_item_is_kept_but_never_summarised(tmp_path):
    df = _forms()
    df.to_csv(tmp_path / "forms.csv", index=False)
    data = oc.read_sessions(tmp_path / "forms.csv")
    assert data.registry["epds_item10"].kind == "safety_item"
    assert "epds_item10" in set(data.frame["measure"])
    assert "epds_item10" not in set(oc.summarize(data)["measure"])


def test_an_invalid_answer_is_a_failure_case_with_its_row_and_column(tmp_path):
    df = _forms().astype({"GAD-7 2": object})
    df.loc[3, "epds_5"] = 7  # file row 5 (header = row 1)
    df.loc[6, "GAD-7 2"] = "often"
    df.to_csv(tmp_path / "bad.csv", index=False)
    with pytest.raises(SchemaError) as err:
        oc.read_sessions(tmp_path / "bad.csv")
    fc = err.value.failure_cases
    assert set(fc["check"]) == {"invalid_answer"}  # both problems at once
    assert sorted(zip(fc["row"], fc["column"], strict=True)) == [(5, "epds_5"), (8, "GAD-7 2")]
    assert "EPDS answer 7" in str(err.value) and "rows 5, 8" in str(err.value)

    data = oc.read_sessions(tmp_path / "bad.csv", errors="exclude")
    flow = _flow(data)
    assert flow[("forms", "excluded", "EPDS: not scored, an answer not valid")] == 1
    assert flow[("forms", "excluded", "GAD-7: not scored, an answer not valid")] == 1
    assert flow[("forms", "kept", "forms scored from their items")] == 14
    assert len(data.failure_cases) == 2


def test_unanswered_items_beyond_the_rule_are_counted_not_dropped(tmp_path):
    df = _forms()
    df["epds_4"] = df["epds_4"].astype(float)
    df.loc[0, "epds_4"] = np.nan  # EPDS allows none missing
    df.loc[1, [f"GAD-7 {i}" for i in range(1, 8)]] = np.nan  # no GAD-7 form in that row at all
    df.to_csv(tmp_path / "gaps.csv", index=False)
    data = oc.read_sessions(tmp_path / "gaps.csv")
    flow = _flow(data)
    assert flow[("forms", "read", "questionnaire forms found (item columns)")] == 15
    assert flow[("forms", "excluded", "EPDS: not scored, more items unanswered than its rule allows")] == 1
    assert flow[("forms", "kept", "forms scored from their items")] == 14
    found = data.flow[(data.flow["unit"] == "forms") & (data.flow["step"] == "read")]["count"].sum()
    rest = data.flow[(data.flow["unit"] == "forms") & (data.flow["step"] != "read")]["count"].sum()
    assert found == rest


def test_a_row_with_only_an_unscorable_form_is_counted_with_that_reason(tmp_path):
    df = pd.DataFrame({"client_id": ["C1", "C2"], "session": [1, 1], "condition": "tmj"})
    for i in range(1, 8):
        df[f"gad7_{i}"] = [1, 2]
    df.loc[1, "gad7_3"] = np.nan
    df.to_csv(tmp_path / "only.csv", index=False)
    data = oc.read_sessions(tmp_path / "only.csv")
    assert data.layout == "wide"  # found from the scored column gad7_pre
    flow = _flow(data)
    assert (
        flow[("rows", "excluded", "only a questionnaire form that could not be scored (see the forms)")] == 1
    )
    assert data.frame["score"].tolist() == [7.0]


def test_a_missing_item_column_is_reported(tmp_path):
    df = _forms().drop(columns=["epds_3"])
    df.to_csv(tmp_path / "lack.csv", index=False)
    with pytest.raises(SchemaError, match=r"missing_item_column.*epds_3"):
        oc.read_sessions(tmp_path / "lack.csv")
    data = oc.read_sessions(tmp_path / "lack.csv", errors="exclude")
    assert _flow(data)[("forms", "excluded", "EPDS: not scored, the export lacks item columns")] == 8
    assert "epds" not in set(data.frame["measure"])


def test_item_columns_in_a_long_file_are_refused_with_the_fix(tmp_path, long_csv, write_file):
    lines = long_csv.strip().splitlines()
    text = "\n".join([lines[0] + ",gad7_1"] + [line + ",2" for line in lines[1:]]) + "\n"
    with pytest.raises(SchemaError, match="items_in_long_file"):
        oc.read_sessions(write_file(tmp_path / "long.csv", text))


def test_the_exports_own_total_stands_and_a_disagreement_is_warned(tmp_path):
    df = _forms()
    scored = oc.score_questionnaire(df, "gad7")["gad7"]
    df["gad7_pre"] = scored
    df.loc[2, "gad7_pre"] = scored[2] + 1
    df.loc[4, "gad7_pre"] = np.nan  # blank: the items' score fills it
    df.to_csv(tmp_path / "both.csv", index=False)
    with pytest.warns(DataQualityWarning, match="1 form of the export give a total"):
        data = oc.read_sessions(tmp_path / "both.csv")
    got = data.frame[data.frame["measure"] == "gad7"].sort_values(["client_id", "session"])["score"]
    expected = scored.copy()
    expected[2] += 1
    np.testing.assert_array_equal(got.to_numpy(), expected.to_numpy())


def test_the_safety_item_alone_is_read_next_to_a_total(tmp_path):
    df = pd.DataFrame(
        {"client_id": ["C1", "C2"], "session": [1, 1], "condition": "postpartum", "epds_pre": [14, 6]}
    )
    df["epds_10"] = [1, 0]  # the box ticked (0 = the first, 'yes, quite often'): 2 and 3 points
    df.to_csv(tmp_path / "safety.csv", index=False)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        data = oc.read_sessions(tmp_path / "safety.csv")
    item = data.frame[data.frame["measure"] == "epds_item10"].sort_values("client_id")
    assert item["score"].tolist() == [2.0, 3.0]  # reversed, as score_questionnaire does


def test_redcap_repeating_questionnaire_instrument(tmp_path):
    head = (
        "record_id,redcap_event_name,redcap_repeat_instrument,redcap_repeat_instance,condition,pain_nrs_pre,"
    )
    items = ",".join(f"phq9_{i}" for i in range(1, 10))
    text = (
        head
        + items
        + "\n"
        + "R1,intake_arm_1,,,headache,,"
        + "," * 8
        + "\n"
        + "R1,treatment_arm_1,session,1,,6,"
        + ",".join(["1"] * 9)
        + "\n"
        + "R1,treatment_arm_1,session,2,,4,"
        + ",".join(["0"] * 8 + ["2"])
        + "\n"
    )
    (tmp_path / "redcap.csv").write_text(text, encoding="utf-8")
    data = oc.read_sessions(tmp_path / "redcap.csv")
    assert data.layout == "redcap"
    got = data.frame.set_index(["measure", "session"])["score"]
    assert got[("phq9", 1)] == 9 and got[("phq9", 2)] == 2 and got[("phq9_item9", 2)] == 2
    assert set(data.frame["condition"]) == {"headache"}


def test_attribute_selection_keeps_item_columns(tmp_path):
    df = _forms()
    df.to_parquet(tmp_path / "forms.parquet")
    data = oc.read_sessions(tmp_path / "forms.parquet", attributes=[])
    assert {"epds", "gad7"} <= set(data.frame["measure"])


def test_psqi_items_on_read():
    best = pd.DataFrame(
        {"client_id": ["C1"], "session": [1], "condition": "sleep", "psqi_q1": ["22:00"], "psqi_q2": [5]}
        | {"psqi_q3": ["7:00"], "psqi_q4": [9]}
        | {f"psqi_q5{c}": [0] for c in "abcdefghi"}
        | {"psqi_q6": [0], "psqi_q7": [0], "psqi_q8": [1], "psqi_q9": [1]}
    )
    data = oc.read_sessions(best)
    assert data.frame.set_index("measure")["score"]["psqi"] == 1  # daytime dysfunction 1-2 → 1
