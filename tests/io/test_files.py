"""outcomes.io.files: bytes to a raw table: encodings, separators, comment lines, blank rows and
columns, Excel, Parquet, folders of site files, clear errors; and arbitrary input never raises
anything but OutcomesError."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import outcomes as oc
from outcomes.errors import OutcomesError, ReadError, SchemaError


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


def test_latin1_file(tmp_path, long_csv):
    p = tmp_path / "latin.csv"
    p.write_bytes(long_csv.replace("25-34", "Fran\xe7aise").encode("latin-1"))
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
def test_utf16_text_is_read_like_utf8(tmp_path, long_csv, write_file, name, encode):
    """UTF-16 text has a zero byte beside every ASCII character; with its byte-order mark it is
    text, not a binary file, and reads exactly like the same table in UTF-8."""
    text = long_csv.replace("25-34", "Fran\xe7aise")
    base = oc.read_sessions(write_file(tmp_path / "a.csv", text))
    p = tmp_path / name
    p.write_bytes(encode(text))
    data = oc.read_sessions(p)
    assert data.provenance["encoding"] == "utf-16"
    pd.testing.assert_frame_equal(data.frame, base.frame)
    pd.testing.assert_frame_equal(data.flow, base.flow)


def test_tsv_xlsx_parquet_and_frame_agree(tmp_path, long_csv, write_file, canon):
    base = oc.read_sessions(write_file(tmp_path / "a.csv", long_csv))
    df = pd.read_csv(tmp_path / "a.csv", dtype=str)
    (tmp_path / "a.tsv").write_text(long_csv.replace(",", "\t"), encoding="utf-8")
    df.to_excel(tmp_path / "a.xlsx", index=False)
    df.to_parquet(tmp_path / "a.parquet")
    for src in (tmp_path / "a.tsv", tmp_path / "a.xlsx", tmp_path / "a.parquet", df):
        other = oc.read_sessions(src)
        pd.testing.assert_frame_equal(canon(other), canon(base))


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


def test_ragged_rows_are_reported(tmp_path, long_csv, write_file):
    text = long_csv + "C3,1,pre,pain_nrs,5,tmj,18-24,extra\n"
    with pytest.raises(ReadError, match="more cells than the header"):
        oc.read_sessions(write_file(tmp_path / "r.csv", text))


def test_row_numbers_are_file_lines_after_comments(tmp_path, long_csv, write_file):
    text = "# SYNTHETIC\n" + long_csv.replace("C1,2,pre,pain_nrs,5", "C1,2,pre,pain_nrs,55")
    with pytest.raises(SchemaError) as err:
        oc.read_sessions(write_file(tmp_path / "c.csv", text))
    fc = err.value.failure_cases
    assert fc[["row", "check"]].values.tolist() == [[5, "out_of_range"]]


def test_repeated_header_in_a_csv_is_an_error_not_a_lost_column(tmp_path, write_file):
    text = "client_id,session,timepoint,measure,score,condition,score\nC1,1,pre,pain,6,tmj,7\n"
    with pytest.raises(SchemaError) as err:
        oc.read_sessions(write_file(tmp_path / "d.csv", text))
    assert err.value.failure_cases[["row", "column", "check"]].values.tolist() == [
        [1, "score", "duplicate_column"]
    ]


def test_header_with_only_blank_lines_is_not_data(tmp_path, long_csv, write_file):
    with pytest.raises(ReadError, match="no data rows"):
        oc.read_sessions(write_file(tmp_path / "b.csv", long_csv.splitlines()[0] + "\n,,,,,,\n\n,,,,,,\n"))


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
# Fuzzing the readers: arbitrary input never raises anything but OutcomesError
# ---------------------------------------------------------------------------------------
_FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
HEADER = "client_id,session,timepoint,measure,score,condition\n"
_PIECES = st.sampled_from(
    [*"abcXYZ019 ,;\t\"'\n\r#|.-+@/:", "pre", "post", "pain_nrs", "C1", "é", "\x00", "\ufeff", "2024-03-15"]
)


def _read_all_ways(path: Path) -> None:
    for kwargs in ({}, {"errors": "exclude"}, {"allow_identifiers": "DUA"}):
        try:
            oc.read_sessions(path, **kwargs)
        except OutcomesError:
            pass


@_FUZZ
@given(
    data=st.binary(max_size=300),
    suffix=st.sampled_from([".csv", ".tsv", ".xlsx", ".parquet"]),
    magic=st.sampled_from([b"", b"PK\x03\x04", b"PAR1"]),
)
def test_readers_survive_arbitrary_bytes(tmp_path_factory, data, suffix, magic):
    path = tmp_path_factory.mktemp("fuzz") / f"export{suffix}"
    path.write_bytes(magic + data)
    _read_all_ways(path)


@_FUZZ
@given(
    body=st.lists(_PIECES, max_size=120).map("".join),
    header=st.booleans(),
    suffix=st.sampled_from([".csv", ".tsv"]),
    encoding=st.sampled_from(["utf-8", "utf-16", "cp1252"]),
)
def test_readers_survive_malformed_text(tmp_path_factory, body, header, suffix, encoding):
    path = tmp_path_factory.mktemp("fuzz") / f"export{suffix}"
    path.write_bytes(((HEADER if header else "") + body).encode(encoding, errors="replace"))
    _read_all_ways(path)


_HEADERS = st.sampled_from(
    [
        "client_id",
        "session",
        "timepoint",
        "measure",
        "score",
        "condition",
        "pre",
        "post",
        "pain_nrs_pre",
        "pain_nrs_post",
        "record_id",
        "redcap_event_name",
        "redcap_repeat_instance",
        "Notes",
        "Age",
        "",
        "a",
    ]
)
_CELLS = st.one_of(
    st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=10),
    st.sampled_from(
        ["pre", "post", "pain_nrs", "C1", "1", "4.5", "", "UNK", "2024-03-15", "Jane Doe", "x@y.org"]
    ),
)


@_FUZZ
@given(
    columns=st.lists(_HEADERS, min_size=1, max_size=7),
    cells=st.lists(st.lists(_CELLS, min_size=7, max_size=7), max_size=5),
    suffix=st.sampled_from([".csv", ".xlsx", ".parquet"]),
)
def test_readers_survive_random_tables(tmp_path_factory, columns, cells, suffix):
    path = tmp_path_factory.mktemp("fuzz") / f"export{suffix}"
    rows = [row[: len(columns)] for row in cells]
    if suffix == ".csv":
        with path.open("w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            writer.writerow(columns)
            writer.writerows(rows)
    elif suffix == ".xlsx":
        import openpyxl

        book = openpyxl.Workbook()
        sheet = book.active
        sheet.append(columns)
        for row in rows:
            sheet.append(row)
        book.save(path)
    else:
        import pyarrow as pa
        import pyarrow.parquet as pq

        names = [c if columns.index(c) == i else f"{c}.{i}" for i, c in enumerate(columns)]
        table = pa.table({n: pa.array([r[i] for r in rows], pa.string()) for i, n in enumerate(names)})
        pq.write_table(table, path)
    _read_all_ways(path)


def test_a_folder_scans_every_files_metadata_and_keeps_text_coded(tmp_path):
    """A name in one site file's metadata stops the read as it does for the file alone, and names
    the file (never the name); text columns are coded across files (one set of categories)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from outcomes.datasets import generate_practice
    from outcomes.errors import PrivacyError
    from outcomes.io import load_table

    frame = generate_practice(n_clients=30, seed=2)
    ids = frame["client_id"].drop_duplicates()
    frame[frame["client_id"].isin(ids[:15])].to_parquet(tmp_path / "a.parquet", index=False)
    b = pa.Table.from_pandas(frame[frame["client_id"].isin(ids[15:])], preserve_index=False)
    raw = load_table(tmp_path)
    assert isinstance(raw.table["client_id"].dtype, pd.CategoricalDtype)
    assert {"client_id", "measure", "site"} <= raw.coded
    b = b.replace_schema_metadata({**(b.schema.metadata or {}), b"exported_by": b"Sarah Kim"})
    pq.write_table(b, tmp_path / "b.parquet")
    with pytest.raises(PrivacyError, match=r"b\.parquet") as err:
        oc.read_sessions(tmp_path)
    assert "Sarah" not in str(err.value)


def test_a_folder_names_every_file_it_cannot_read_at_once(tmp_path):
    """An empty export and a file that is not Parquet: one error naming both, nothing read."""
    from outcomes.datasets import generate_practice

    frame = generate_practice(n_clients=10, seed=2)
    frame.to_parquet(tmp_path / "a.parquet", index=False)
    frame.iloc[:0].to_parquet(tmp_path / "b.parquet", index=False)
    (tmp_path / "c.parquet").write_text("client_id,session\n")
    with pytest.raises(ReadError, match=r"2 of 3 Parquet files in .* could not be read") as err:
        oc.read_sessions(tmp_path)
    assert "- b.parquet has a header but no data rows" in str(err.value)
    assert "- c.parquet is not a Parquet file" in str(err.value)


def test_a_folder_whose_files_code_a_column_differently_is_read(tmp_path):
    """Ordered categories in one file, codes of another type in the next (as pandas may write
    them): read as values, never a pandas error."""
    from outcomes.datasets import generate_practice

    frame = generate_practice(n_clients=20, seed=2)
    ids = frame["client_id"].drop_duplicates()
    a = frame[frame["client_id"].isin(ids[:10])].copy()
    b = frame[frame["client_id"].isin(ids[10:])].copy()
    a["payer"] = pd.Categorical(a["payer"], ordered=True)
    b["payer"] = pd.Categorical(b["payer"].iloc[::-1].to_numpy(), ordered=True)[::-1]
    b["year"] = pd.Categorical(b["year"].astype(str))  # text codes here, numbers in the other file
    a["year"] = pd.Categorical(a["year"])
    a.to_parquet(tmp_path / "a.parquet", index=False)
    b.to_parquet(tmp_path / "b.parquet", index=False)
    data = oc.read_sessions(tmp_path)
    want = pd.concat([a, b], ignore_index=True)
    assert sorted(data.frame["payer"].astype(str)) == sorted(want["payer"].astype(str))
    assert sorted(data.frame["year"].astype(str)) == sorted(want["year"].astype(str))
