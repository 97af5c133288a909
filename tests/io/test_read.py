"""outcomes.io.read: read_sessions end to end: provenance, score-like attribute columns, text coded
while an export is checked and given back as strings, and properties of the reader on generated
inputs."""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import outcomes as oc
from outcomes.datasets import generate_practice
from outcomes.errors import SchemaError


def test_long_csv(tmp_path, long_csv):
    p = tmp_path / "visits.csv"
    p.write_text(long_csv, encoding="utf-8")
    data = oc.read_sessions(p)
    assert data.layout == "long"
    assert len(data.frame) == 6
    assert data.frame["score"].tolist() == [6, 4, 5, 3.5, 7, 5]
    assert data.provenance["sha256"] == hashlib.sha256(p.read_bytes()).hexdigest()
    assert data.provenance["rows_read"] == 6 and data.provenance["file"] == "visits.csv"
    assert {"read_at", "package_version", "layout_reason"} <= set(data.provenance)


def test_score_like_attribute_columns_are_warned_about(tmp_path, long_csv, write_file):
    text = (
        long_csv.splitlines()[0]
        + ",pain_nrs_followup\n"
        + "\n".join(r + ",3" for r in long_csv.splitlines()[1:])
        + "\n"
    )
    with pytest.warns(oc.DataQualityWarning, match="'pain_nrs_followup' look like scores"):
        data = oc.read_sessions(write_file(tmp_path / "s.csv", text), layout="long")
    assert "pain_nrs_followup" in data.frame.columns


# ---------------------------------------------------------------------------------------
# Text is coded while an export is checked, and comes back as strings
# ---------------------------------------------------------------------------------------
def _small_export() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "client_id": ["c2", "c1", "c1", "c2"],
            "session": [1, 1, 1, 1],
            "timepoint": ["post", "pre", "post", "pre"],
            "measure": ["pain_nrs"] * 4,
            "score": [3.0, 6.0, 4.0, 7.0],
            "condition": ["TMJ", "pelvic pain", "pelvic pain", "TMJ"],
            "technique": [" CST", "CST", "CST", None],
            "year": ["2025", "2025", "2025", "2026"],
        }
    )


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_files_give_strings_numbers_and_canonical_order(tmp_path, suffix):
    path = tmp_path / f"export{suffix}"
    export = _small_export()
    if suffix == ".csv":
        export.to_csv(path, index=False)
    else:
        export.to_parquet(path, index=False)
    frame = oc.read_sessions(path).frame
    for col in ("client_id", "measure", "condition", "technique"):
        assert frame[col].dtype == "str", col
    assert str(frame["year"].dtype) == "Int64"
    assert frame[["client_id", "timepoint"]].astype(str).values.tolist() == [
        ["c1", "pre"],
        ["c1", "post"],
        ["c2", "pre"],
        ["c2", "post"],
    ]
    # stripped, and a missing value stays missing (c2's pre row)
    technique = frame["technique"].tolist()
    assert technique[0:2] == ["CST", "CST"] and pd.isna(technique[2]) and technique[3] == "CST"
    assert frame["condition"].tolist() == ["pelvic_pain", "pelvic_pain", "tmj", "tmj"]


def test_a_categorical_attribute_of_a_dataframe_stays_categorical():
    export = _small_export().astype({"technique": "category"})
    for frame in (oc.read_sessions(export).frame, oc.validate_sessions(export)):
        assert isinstance(frame["technique"].dtype, pd.CategoricalDtype)
        assert frame["client_id"].dtype == "str"


def test_a_file_whose_key_columns_are_all_empty_gets_a_schema_error(tmp_path):
    # every client_id, session and timepoint empty: no labels at all to sort or decode
    path = tmp_path / "empty_keys.csv"
    path.write_text("client_id,session,timepoint,measure,score,condition\n,,,a,,\n,,,a,,\n")
    with pytest.raises(SchemaError) as err:
        oc.read_sessions(path)
    assert set(err.value.failure_cases["check"]) >= {"missing_value", "unknown_measure"}
    data = oc.read_sessions(path, errors="exclude")
    assert len(data.frame) == 0 and data.frame["client_id"].dtype == "str"


def test_mixed_python_objects_keep_their_own_text():
    # 7 and 7.0, or True and 1, are equal as keys but not the same text
    export = pd.DataFrame(
        {
            "client_id": pd.Series([7, 7, 7.5, 7.5], dtype=object),
            "session": pd.Series([1, 1, True, True], dtype=object),
            "timepoint": ["pre", "post"] * 2,
            "measure": ["pain_nrs"] * 4,
            "score": [5.0, 3.0, 6.0, 2.0],
            "condition": ["tmj"] * 4,
            "flag": pd.Series([True, 1, 1.0, "yes"], dtype=object),
        }
    )
    with pytest.raises(SchemaError) as err:  # True is no session number, as before
        oc.read_sessions(export)
    fc = err.value.failure_cases
    assert set(fc["check"]) == {"session_not_positive_integer"} and len(fc) == 2
    frame = oc.read_sessions(export, errors="exclude").frame
    assert frame["client_id"].tolist() == ["7", "7"]
    assert frame["flag"].tolist() == ["True", "1"]


def test_measure_is_text_even_when_no_row_has_one(tmp_path):
    path = tmp_path / "no_measure.csv"
    path.write_text("client_id,session,timepoint,measure,score,condition\nc1,1,pre,,5,tmj\n")
    frame = oc.read_sessions(path, errors="exclude").frame
    assert len(frame) == 0
    assert {c: str(frame[c].dtype) for c in ("client_id", "measure", "condition")} == dict.fromkeys(
        ("client_id", "measure", "condition"), "str"
    )


def test_a_categorical_column_stored_in_a_parquet_file_stays_categorical(tmp_path):
    # the file's own categories (with their order) are the user's; only text the reader coded
    # comes back as strings
    export = _small_export().assign(technique=["CST", "CST", "CST", "CST"])
    bands = pd.CategoricalDtype(["18-29", "30-44"], ordered=True)
    export["age_band"] = pd.Categorical(["30-44", "18-29", "18-29", "30-44"], dtype=bands)
    path = tmp_path / "ordered.parquet"
    export.to_parquet(path, index=False)
    frame = oc.read_sessions(path).frame
    assert frame["age_band"].dtype == bands
    assert frame["technique"].dtype == "str" and frame["client_id"].dtype == "str"


# ---------------------------------------------------------------------------------------
# Properties of the reader on generated inputs
# ---------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def small_wide() -> pd.DataFrame:
    from outcomes.datasets import to_layout

    return to_layout(generate_practice(n_clients=15, seed=7), "wide")


_settings = settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@_settings
@given(st.randoms(use_true_random=False))
def test_row_and_column_order_do_not_change_the_result(sort_by_key, small_wide, random):
    rows = list(range(len(small_wide)))
    cols = list(small_wide.columns)
    random.shuffle(rows)
    random.shuffle(cols)
    shuffled = small_wide.iloc[rows][cols].reset_index(drop=True)
    a = sort_by_key(oc.read_sessions(small_wide).frame)
    b = sort_by_key(oc.read_sessions(shuffled).frame)
    pd.testing.assert_frame_equal(a[sorted(a.columns)], b[sorted(b.columns)])


MESS = ["", " ", "UNK", "-999", "n/a", "?", "4-5", "14", "2,5", "7"]


@_settings
@given(st.data())
def test_no_source_row_is_ever_unaccounted_for(small_wide, data):
    frame = small_wide.astype(object).copy()
    score_cols = [c for c in frame.columns if c.endswith(("_pre", "_post", "_followup"))]
    n_cells = data.draw(st.integers(0, 40))
    for _ in range(n_cells):
        r = data.draw(st.integers(0, len(frame) - 1))
        c = data.draw(st.sampled_from([*score_cols, "session", "client_id", "condition"]))
        frame.iat[r, frame.columns.get_loc(c)] = data.draw(st.sampled_from(MESS))
    blanks = data.draw(st.integers(0, 3))
    if blanks:
        frame = pd.concat(
            [frame, pd.DataFrame([[np.nan] * frame.shape[1]] * blanks, columns=frame.columns)],
            ignore_index=True,
        )
    result = oc.read_sessions(frame, errors="exclude", layout="wide")
    flow = result.flow
    for unit in ("rows", "scores"):
        part = flow[flow.unit == unit]
        assert part.loc[part.step == "read", "count"].item() == part.loc[part.step != "read", "count"].sum()
    assert flow.loc[(flow.unit == "rows") & (flow.step == "read"), "count"].item() == len(frame)
    assert flow.loc[(flow.unit == "scores") & (flow.step == "kept"), "count"].item() == len(result.frame)


def test_conditions_keep_the_export_spelling(tmp_path):
    """Keys are normalized for grouping; the export's spelling is kept for labels (the most
    frequent spelling of a key wins), and only for conditions left to analyse (issue 15)."""
    text = (
        "client_id,session,timepoint,measure,score,condition\n"
        "C1,1,pre,pain_nrs,6,TMJ\n"
        "C1,1,post,pain_nrs,4,TMJ\n"
        "C2,1,pre,pain_nrs,5,tmj; Neck pain\n"
        "C2,1,post,pain_nrs,3,tmj; Neck pain\n"
        "C3,1,pre,pain_nrs,15,CBT\n"
    )
    path = tmp_path / "visits.csv"
    path.write_text(text, encoding="utf-8")
    data = oc.read_sessions(path, errors="exclude")
    assert data.condition_labels == {"tmj": "TMJ", "neck_pain": "Neck pain"}
    assert "C3" not in set(data.frame["client_id"])
