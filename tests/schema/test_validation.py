"""outcomes.schema.validation: validate_sessions types a valid frame and collects every violation with
its row."""

from __future__ import annotations

import pandas as pd
import pytest

from outcomes.errors import SchemaError
from outcomes.schema import CANONICAL_COLUMNS, TIMEPOINT_DTYPE, validate_sessions


def test_valid_frame_is_typed(tiny_long):
    out = validate_sessions(tiny_long)
    assert list(out.columns[:6]) == list(CANONICAL_COLUMNS)
    assert out["timepoint"].dtype == TIMEPOINT_DTYPE
    assert out["session"].dtype == "int64" and out["score"].dtype == "float64"
    assert list(out.columns[6:]) == ["technique", "age_band"]
    assert len(out) == len(tiny_long)


def test_every_violation_is_collected_with_its_row(tiny_long):
    df = tiny_long.astype(str)
    df.loc[0, "measure"] = "pian_nrs"  # unknown measure
    df.loc[1, "score"] = "14"  # out of range
    df.loc[2, "score"] = "UNK"  # missing-value code
    df.loc[3, "score"] = "-999"  # numeric missing-value code
    df.loc[4, "score"] = ""  # empty score: not recorded, not a problem
    df.loc[5, "score"] = "4-5"  # not a number
    df.loc[6, "timepoint"] = "during"
    df.loc[7, "session"] = "1.5"
    df.loc[8, "client_id"] = ""
    df.loc[9, "condition"] = " "
    df.loc[11] = df.loc[10]  # duplicate key
    with pytest.raises(SchemaError) as err:
        validate_sessions(df, file="visits.csv")
    fc = err.value.failure_cases
    got = set(zip(fc["row"], fc["column"], fc["check"], strict=True))
    assert got == {
        (0, "measure", "unknown_measure"),
        (1, "score", "out_of_range"),
        (2, "score", "missing_code"),
        (3, "score", "missing_code"),
        (5, "score", "not_numeric"),
        (6, "timepoint", "unknown_timepoint"),
        (7, "session", "session_not_positive_integer"),
        (8, "client_id", "missing_value"),
        (9, "condition", "missing_value"),
        (10, "client_id, session, timepoint, measure", "duplicate"),
        (11, "client_id, session, timepoint, measure", "duplicate"),
    }
    assert set(fc["file"]) == {"visits.csv"}
    msg = str(err.value)
    assert msg.startswith("11 problems of 8 kinds in visits.csv; nothing was read.")
    assert "did you mean 'pain_nrs'" in msg
    assert "score outside 0..10 for measure 'pain_nrs' [row 1; column score]" in msg
    assert "na_values=" in msg and "register the measure" in msg
    assert "same client, session, timepoint and measure in rows 10, 11" in set(fc["message"])


def test_client_ids_are_never_echoed(tiny_long):
    df = tiny_long.astype(str)
    df.loc[0, "client_id"] = "Jane Doe"
    df.loc[1] = df.loc[0]
    with pytest.raises(SchemaError) as err:
        validate_sessions(df)
    assert "Jane" not in str(err.value)
    assert not err.value.failure_cases.astype(str).apply(lambda c: c.str.contains("Jane")).any().any()


def test_missing_columns_reported_together(tiny_long):
    with pytest.raises(SchemaError) as err:
        validate_sessions(tiny_long.drop(columns=["condition", "score"]))
    fc = err.value.failure_cases
    assert list(fc["column"]) == ["score", "condition"]
    assert set(fc["check"]) == {"missing_column"}
    assert "add the column to the export" in str(err.value)


def test_declared_missing_codes_are_dropped_not_reported(tiny_long):
    df = tiny_long.astype(str)
    df.loc[0, "score"] = "UNK"
    out = validate_sessions(df, na_values=["unk"])
    assert len(out) == len(df) - 1


def test_sentinel_inside_the_range_is_a_score():
    df = pd.DataFrame(
        {
            "client_id": ["a"],
            "session": [1],
            "timepoint": ["pre"],
            "measure": ["pfdi20"],
            "score": ["99"],
            "condition": ["prolapse"],
        }
    )
    assert validate_sessions(df)["score"].iloc[0] == 99.0


def test_frames_with_repeated_index_odd_column_names_and_float_ids():
    """Positions, not index labels, locate problems (an index may repeat or hold client ids);
    integer column names and float client ids (101.0) are handled; repeated columns are reported."""
    df = pd.DataFrame(
        {
            "client_id": [101.0, 102.0],
            "session": [1, 1],
            "timepoint": ["pre", "post"],
            "measure": ["pain", "pain"],
            "score": [5, 14],
            "condition": ["tmj", "tmj"],
        },
        index=["kx7q", "kx7q"],
    )
    with pytest.raises(SchemaError) as err:
        validate_sessions(df)
    assert err.value.failure_cases["row"].tolist() == [1] and "kx7q" not in str(err.value)
    ok = validate_sessions(df.assign(score=[5, 4]))
    assert ok["client_id"].tolist() == ["101", "102"]
    with pytest.raises(SchemaError, match="column 'score' appears more than once"):
        validate_sessions(pd.concat([df, df["score"]], axis=1))
    with pytest.raises(SchemaError, match="missing_column"):
        validate_sessions(df.set_axis(range(6), axis=1))
