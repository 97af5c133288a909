"""Readers: every layout and file format, messy real-world exports, the flow and provenance."""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd
import pytest

import outcomes as oc
from outcomes.errors import ReadError, SchemaError

LONG = """client_id,session,timepoint,measure,score,condition,age_band
C1,1,pre,pain_nrs,6,pelvic_pain,25-34
C1,1,post,pain_nrs,4,pelvic_pain,25-34
C1,2,pre,pain_nrs,5,pelvic_pain,25-34
C1,2,post,pain_nrs,3.5,pelvic_pain,25-34
C2,1,pre,stress_nrs,7,headache;tmj,35-44
C2,1,followup,stress_nrs,5,headache;tmj,35-44
"""


def _canon(data: oc.SessionData) -> pd.DataFrame:
    f = data.frame
    return f.sort_values(["client_id", "session", "measure", "timepoint"]).reset_index(drop=True)


def test_long_csv(tmp_path):
    p = tmp_path / "visits.csv"
    p.write_text(LONG, encoding="utf-8")
    data = oc.read_sessions(p)
    assert data.layout == "long"
    assert len(data.frame) == 6
    assert data.frame["score"].tolist() == [6, 4, 5, 3.5, 7, 5]
    assert data.provenance["sha256"] == hashlib.sha256(p.read_bytes()).hexdigest()
    assert data.provenance["rows_read"] == 6 and data.provenance["file"] == "visits.csv"
    assert {"read_at", "package_version", "layout_reason"} <= set(data.provenance)


def test_messy_export_bom_semicolon_decimal_comma_blank_rows_and_columns(tmp_path):
    text = (
        "\ufeffClient ID;Session;Timepoint;Measure;Score;Condition;;\n"
        "C1;1;Pre; Pain NRS ;6;Pelvic pain;;\n"
        "C1;1;POST;PAIN_NRS;4,5;Pelvic pain;;\n"
        ";;;;;;;\n"
        "C2;1;pre;Stress;7;TMJ;;\n"
        ";;;;;;;\n"
        ";;;;;;;\n"
    )
    p = tmp_path / "export.csv"
    p.write_bytes(text.encode("utf-8"))
    data = oc.read_sessions(p)
    assert data.frame["score"].tolist() == [6.0, 4.5, 7.0]
    assert data.frame["measure"].tolist() == ["pain_nrs", "pain_nrs", "stress_nrs"]
    assert data.frame["condition"].tolist() == ["pelvic_pain", "pelvic_pain", "tmj"]
    assert data.provenance["separator"] == ";" and data.provenance["decimal_comma"]
    assert data.provenance["dropped_empty_columns"] == 2
    flow = data.flow.set_index(["unit", "reason"])["count"]
    assert flow[("rows", "rows read")] == 6
    assert flow[("rows", "blank row")] == 3
    assert flow[("rows", "rows kept (at least one score in the table)")] == 3


def test_latin1_file(tmp_path):
    p = tmp_path / "latin.csv"
    p.write_bytes(LONG.replace("25-34", "Fran\xe7aise").encode("latin-1"))
    data = oc.read_sessions(p)
    assert data.provenance["encoding"] == "cp1252"
    assert "Fran\xe7aise" in set(data.frame["age_band"])


@pytest.mark.parametrize(
    ("name", "encode"),
    [
        ("unicode_text.txt", lambda t: t.replace(",", "\t").encode("utf-16")),  # Excel "Unicode Text"
        ("export.csv", lambda t: t.encode("utf-16")),  # little-endian, with its byte-order mark
        ("export.tsv", lambda t: b"\xfe\xff" + t.replace(",", "\t").encode("utf-16-be")),
    ],
)
def test_utf16_text_is_read_like_utf8(tmp_path, name, encode):
    """UTF-16 text has a zero byte beside every ASCII character; with its byte-order mark it is
    text, not a binary file, and reads exactly like the same table in UTF-8."""
    text = LONG.replace("25-34", "Fran\xe7aise")
    base = oc.read_sessions(_write(tmp_path / "a.csv", text))
    p = tmp_path / name
    p.write_bytes(encode(text))
    data = oc.read_sessions(p)
    assert data.provenance["encoding"] == "utf-16"
    pd.testing.assert_frame_equal(data.frame, base.frame)
    pd.testing.assert_frame_equal(data.flow, base.flow)


def test_tsv_xlsx_parquet_and_frame_agree(tmp_path):
    base = oc.read_sessions(_write(tmp_path / "a.csv", LONG))
    df = pd.read_csv(tmp_path / "a.csv", dtype=str)
    (tmp_path / "a.tsv").write_text(LONG.replace(",", "\t"), encoding="utf-8")
    df.to_excel(tmp_path / "a.xlsx", index=False)
    df.to_parquet(tmp_path / "a.parquet")
    for src in (tmp_path / "a.tsv", tmp_path / "a.xlsx", tmp_path / "a.parquet", df):
        other = oc.read_sessions(src)
        pd.testing.assert_frame_equal(_canon(other), _canon(base))


def _write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


def test_prepost_and_wide_layouts_match_long(tmp_path):
    prepost = (
        "client_id,session,measure,pre,post,followup,condition,age_band\n"
        "C1,1,pain_nrs,6,4,,pelvic_pain,25-34\n"
        "C1,2,pain_nrs,5,3.5,,pelvic_pain,25-34\n"
        "C2,1,stress_nrs,7,,5,headache;tmj,35-44\n"
    )
    wide = (
        "client_id,session,condition,age_band,pain_nrs_pre,pain_nrs_post,stress_nrs_pre,stress_follow_up\n"
        "C1,1,pelvic_pain,25-34,6,4,,\n"
        "C1,2,pelvic_pain,25-34,5,3.5,,\n"
        "C2,1,headache;tmj,35-44,,,7,5\n"
    )
    base = _canon(oc.read_sessions(_write(tmp_path / "l.csv", LONG)))
    for text, layout in ((prepost, "prepost"), (wide, "wide")):
        data = oc.read_sessions(_write(tmp_path / f"{layout}.csv", text))
        assert data.layout == layout
        pd.testing.assert_frame_equal(_canon(data), base)


def test_redcap_layout_merges_record_rows(tmp_path):
    text = (
        "record_id,redcap_event_name,redcap_repeat_instrument,redcap_repeat_instance,condition,age_band,"
        "pain_nrs_pre,pain_nrs_post,stress_nrs_pre,stress_nrs_followup\n"
        "C1,intake_arm_1,,,pelvic_pain,25-34,,,,\n"
        "C1,treatment_arm_1,session,1,,,6,4,,\n"
        "C1,treatment_arm_1,session,2,,,5,3.5,,\n"
        "C2,intake_arm_1,,,headache;tmj,35-44,,,,\n"
        "C2,treatment_arm_1,session,1,,,,,7,5\n"
    )
    data = oc.read_sessions(_write(tmp_path / "redcap.csv", text))
    assert data.layout == "redcap"
    pd.testing.assert_frame_equal(_canon(data), _canon(oc.read_sessions(_write(tmp_path / "l.csv", LONG))))
    flow = data.flow.set_index(["unit", "step", "reason"])["count"]
    assert (
        flow[
            (
                "rows",
                "excluded",
                "REDCap record-level row (its fields were copied into the record's sessions)",
            )
        ]
        == 2
    )
    assert flow[("rows", "kept", "rows kept (at least one score in the table)")] == 3


def test_column_mapping_from_toml(tmp_path):
    text = (
        "Client,Visit #,When,What,Value,Dx\n"
        "C1,1,Before,Pain level,6,Pelvic pain\n"
        "C1,1,After,Pain level,4,Pelvic pain\n"
        "C1,2,Before,Pain level,NR,Pelvic pain\n"
    )
    mapping = tmp_path / "columns.toml"
    mapping.write_text(
        'na_values = ["NR"]\n'
        '[columns]\n"Client" = "client_id"\n"Visit #" = "session"\n"When" = "timepoint"\n'
        '"What" = "measure"\n"Value" = "score"\n"Dx" = "condition"\n'
        '[measures]\n"Pain level" = "pain_nrs"\n'
        '[timepoints]\n"Before" = "pre"\n"After" = "post"\n',
        encoding="utf-8",
    )
    data = oc.read_sessions(_write(tmp_path / "x.csv", text), columns=mapping)
    assert data.frame["measure"].tolist() == ["pain_nrs", "pain_nrs"]
    assert data.frame["timepoint"].tolist() == ["pre", "post"]
    flow = data.flow.set_index(["unit", "reason"])["count"]
    assert flow[("scores", "score recorded as missing (na_values)")] == 1
    assert flow[("rows", "score recorded as missing (na_values)")] == 1


def test_mapping_to_a_missing_column_is_reported(tmp_path):
    with pytest.raises(SchemaError) as err:
        oc.read_sessions(_write(tmp_path / "x.csv", LONG), columns={"Klient": "client_id"})
    assert "the mapping names column 'Klient', which is not in the file" in str(err.value)


def test_ambiguous_layout_asks_for_layout(tmp_path):
    text = (
        LONG.splitlines()[0] + ",pain_nrs_post\n" + "\n".join(r + ",3" for r in LONG.splitlines()[1:]) + "\n"
    )
    p = _write(tmp_path / "amb.csv", text)
    with pytest.raises(SchemaError, match=r"ambiguous.*Pass layout="):
        oc.read_sessions(p)
    with pytest.warns(oc.DataQualityWarning, match="look like scores"):
        data = oc.read_sessions(p, layout="long")
    assert data.provenance["layout_reason"] == "given by the caller"


def test_unknown_layout_explains_each_layout(tmp_path):
    with pytest.raises(SchemaError, match="none of the known layouts") as err:
        oc.read_sessions(_write(tmp_path / "x.csv", "a,b\n1,2\n"))
    assert "redcap" in str(err.value) and "pain_nrs_pre" in str(err.value)


@pytest.mark.parametrize(
    "name,content,match",
    [
        ("missing.csv", None, "not found"),
        ("empty.csv", b"", "is empty"),
        ("blank.csv", b"\n\n  \n", "is empty"),
        ("header_only.csv", b"client_id,session\n", "no data rows"),
        ("notes.pdf", b"%PDF-1.4", "cannot be read"),
        ("binary.csv", bytes(range(256)) * 4, "binary"),
        ("fake.xlsx", b"client_id,session\n1,2\n", "not an Excel"),
        ("fake.parquet", b"hello", "not a Parquet"),
        ("old.xls", b"\xd0\xcf\x11\xe0", "old .xls"),
    ],
)
def test_unreadable_files_get_a_clear_error(tmp_path, name, content, match):
    p = tmp_path / name
    if content is not None:
        p.write_bytes(content)
    with pytest.raises(ReadError, match=match) as err:
        oc.read_sessions(p)
    assert name in str(err.value)


def test_ragged_rows_are_reported(tmp_path):
    text = LONG + "C3,1,pre,pain_nrs,5,tmj,18-24,extra\n"
    with pytest.raises(ReadError, match="more cells than the header"):
        oc.read_sessions(_write(tmp_path / "r.csv", text))


def test_row_numbers_are_file_lines_after_comments(tmp_path):
    text = "# SYNTHETIC\n" + LONG.replace("C1,2,pre,pain_nrs,5", "C1,2,pre,pain_nrs,55")
    with pytest.raises(SchemaError) as err:
        oc.read_sessions(_write(tmp_path / "c.csv", text))
    fc = err.value.failure_cases
    assert fc[["row", "check"]].values.tolist() == [[5, "out_of_range"]]


def test_errors_exclude_keeps_good_rows_and_counts_the_rest(tmp_path):
    text = LONG + "C3,1,pre,pain_nrs,55,tmj,18-24\nC3,1,post,pian,5,tmj,18-24\n"
    data = oc.read_sessions(_write(tmp_path / "x.csv", text), errors="exclude")
    assert len(data.frame) == 6
    flow = data.flow.set_index(["unit", "reason"])["count"]
    assert flow[("rows", "invalid: out of range")] == 1
    assert flow[("rows", "invalid: unknown measure")] == 1
    assert list(data.failure_cases["check"]) == ["out_of_range", "unknown_measure"]


def test_wide_cells_excluded_individually(tmp_path):
    wide = (
        "client_id,session,condition,pain_nrs_pre,pain_nrs_post,stress_nrs_pre\n"
        "C1,1,tmj,6,UNK,5\n"
        "C1,2,tmj,,,\n"
    )
    data = oc.read_sessions(_write(tmp_path / "w.csv", wide), errors="exclude")
    flow = data.flow.set_index(["unit", "reason"])["count"]
    assert flow[("rows", "rows kept (at least one score in the table)")] == 1
    assert flow[("rows", "no score recorded in the row")] == 1
    assert flow[("scores", "invalid: missing code")] == 1
    assert flow[("scores", "scores in the table")] == 2
    assert data.failure_cases["column"].tolist() == ["pain_nrs_post"]


def test_unknown_wide_measure_column(tmp_path):
    wide = "client_id,session,condition,pian_pre,pain_nrs_post\nC1,1,tmj,6,4\n"
    with pytest.raises(SchemaError) as err:
        oc.read_sessions(_write(tmp_path / "w.csv", wide), layout="wide")
    fc = err.value.failure_cases
    assert fc[["row", "column", "check"]].values.tolist() == [[1, "pian_pre", "unknown_measure"]]
    assert "did you mean 'pain_nrs'" in fc["message"].iloc[0]


def test_repr_and_html(tmp_path):
    data = oc.read_sessions(_write(tmp_path / "v.csv", LONG))
    assert "layout long" in repr(data) and "2 clients" in repr(data)
    html = data._repr_html_()
    assert "<table" in html and "rows read" in html


def test_counts_per_condition(tmp_path):
    counts = oc.read_sessions(_write(tmp_path / "v.csv", LONG)).counts()
    assert counts.set_index("condition")["clients"].to_dict() == {"headache": 1, "pelvic_pain": 1, "tmj": 1}
    assert counts.set_index("condition").loc["pelvic_pain", "sessions"] == 2


def test_flow_accounts_for_every_row(tmp_path, rng):
    data = oc.read_sessions(_write(tmp_path / "x.csv", LONG + ",,,,,,\n"))
    rows = data.flow[data.flow.unit == "rows"]
    assert rows.loc[rows.step == "read", "count"].sum() == rows.loc[rows.step != "read", "count"].sum()
    assert np.all(data.flow["count"] >= 0)


def test_redcap_longitudinal_events_give_sessions(tmp_path):
    text = (
        "record_id,redcap_event_name,condition,pain_nrs_pre,pain_nrs_post\n"
        "C1,baseline_arm_1,tmj,,\n"
        "C1,visit_1_arm_1,,6,4\n"
        "C1,visit_2_arm_1,,5,3\n"
        "C1,treatment_arm_1,,,\n"
    )
    data = oc.read_sessions(_write(tmp_path / "r.csv", text))
    assert data.frame["session"].tolist() == [1, 1, 2, 2]
    assert set(data.frame["condition"]) == {"tmj"}
    flow = data.flow.set_index(["unit", "step", "reason"])["count"]
    assert (
        flow[
            (
                "rows",
                "excluded",
                "REDCap record-level row (its fields were copied into the record's sessions)",
            )
        ]
        == 2
    )


def test_timepoint_aliases_work_in_every_layout(tmp_path):
    prepost = "client_id,session,measure,Before,After,Follow-up,condition\nC1,1,pain,6,4,5,tmj\n"
    data = oc.read_sessions(_write(tmp_path / "p.csv", prepost))
    assert data.layout == "prepost"
    assert data.frame["timepoint"].tolist() == ["pre", "post", "followup"]
    wide = "client_id,session,condition,stress_before,stress_after,pain_fu\nC1,1,tmj,7,5,3\n"
    data = oc.read_sessions(_write(tmp_path / "w.csv", wide))
    assert sorted(zip(data.frame["measure"], data.frame["timepoint"].astype(str), strict=True)) == [
        ("pain_nrs", "followup"),
        ("stress_nrs", "post"),
        ("stress_nrs", "pre"),
    ]


def test_repeated_header_in_a_csv_is_an_error_not_a_lost_column(tmp_path):
    text = "client_id,session,timepoint,measure,score,condition,score\nC1,1,pre,pain,6,tmj,7\n"
    with pytest.raises(SchemaError) as err:
        oc.read_sessions(_write(tmp_path / "d.csv", text))
    assert err.value.failure_cases[["row", "column", "check"]].values.tolist() == [
        [1, "score", "duplicate_column"]
    ]


def test_header_with_only_blank_lines_is_not_data(tmp_path):
    with pytest.raises(ReadError, match="no data rows"):
        oc.read_sessions(_write(tmp_path / "b.csv", LONG.splitlines()[0] + "\n,,,,,,\n\n,,,,,,\n"))


def test_score_like_attribute_columns_are_warned_about(tmp_path):
    text = (
        LONG.splitlines()[0]
        + ",pain_nrs_followup\n"
        + "\n".join(r + ",3" for r in LONG.splitlines()[1:])
        + "\n"
    )
    with pytest.warns(oc.DataQualityWarning, match="'pain_nrs_followup' look like scores"):
        data = oc.read_sessions(_write(tmp_path / "s.csv", text), layout="long")
    assert "pain_nrs_followup" in data.frame.columns


def test_a_folder_of_site_parquet_files(tmp_path):
    """One Parquet file per clinic: read as one table with a site column, problems reported with
    their file, only the needed columns read when attributes= is given."""
    from outcomes.datasets import generate_practice

    folder = tmp_path / "network"
    folder.mkdir()
    frames = {}
    for k, site in enumerate(("clinic_a", "clinic_b", "clinic_c")):
        f = generate_practice(n_clients=20, seed=k).assign(
            client_id=lambda d, s=site: s + "-" + d["client_id"]
        )
        f["timepoint"] = f["timepoint"].astype(str)
        f.to_parquet(folder / f"{site}.parquet")
        frames[site] = f
    data = oc.read_sessions(folder)
    assert len(data.frame) == sum(len(f) for f in frames.values())
    assert set(data.frame["site"]) == {"clinic_a", "clinic_b", "clinic_c"}
    assert [f["file"] for f in data.provenance["files"]] == [
        "clinic_a.parquet",
        "clinic_b.parquet",
        "clinic_c.parquet",
    ]
    table = oc.summarize(data, by=["site", "condition"], level="course", n_boot=200)
    assert set(table["site"]) == {"clinic_a", "clinic_b", "clinic_c"}
    slim = oc.read_sessions(str(folder / "*.parquet"), attributes=["site"])
    assert set(slim.frame.columns) == {
        "client_id",
        "session",
        "timepoint",
        "measure",
        "score",
        "condition",
        "site",
    }
    bad = frames["clinic_b"].copy()
    bad.loc[bad.index[3], "score"] = 14.0  # outside the range of its measure
    bad.to_parquet(folder / "clinic_b.parquet")
    with pytest.raises(SchemaError) as err:
        oc.read_sessions(folder)
    fc = err.value.failure_cases
    assert fc[["file", "row", "check"]].values.tolist() == [["clinic_b.parquet", 4, "out_of_range"]]
    with pytest.raises(ReadError, match="No Parquet files"):
        oc.read_sessions(tmp_path / "empty_*.parquet")


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


def test_work_per_distinct_value_equals_work_per_row():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from outcomes.schema import per_value

    def text_fn(u):
        return u.astype("str").str.strip().str.lower().where(u.notna(), "")

    def number_fn(u):
        return pd.to_numeric(u.astype("str").str.strip(), errors="coerce")

    @settings(max_examples=60, deadline=None)
    @given(st.lists(st.one_of(st.none(), st.sampled_from([" A", "a", "A ", "3", " 3.5", "x"])), max_size=40))
    def check(values):
        s = pd.Series(values, dtype="str", index=np.arange(len(values)) * 2)
        for fn in (text_fn, number_fn):
            got = per_value(s, fn)
            want = fn(s)
            assert got.index.equals(s.index)
            assert (
                got.astype(object).where(got.notna(), None).tolist()
                == want.astype(object).where(want.notna(), None).tolist()
            )

    check()


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
