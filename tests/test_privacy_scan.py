"""The identifier scan: identifying inputs caught, realistic data not, no leaks, readers never crash."""

from __future__ import annotations

import csv
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import outcomes as oc
from outcomes.cli import main
from outcomes.errors import OutcomesError, PrivacyError, SchemaError
from outcomes.privacy import check_anonymized, scan

SAMPLE_FILES = sorted(
    p.name for p in (Path(__file__).resolve().parents[1] / "data_samples").glob("synthetic_practice_*.csv")
)
N = 24  # rows of the little exports below


def _export(extra: dict[str, list[str]], n: int = N) -> pd.DataFrame:
    """A valid long export of ``n`` rows (12 clients, pain before and after) plus ``extra`` columns."""
    base = pd.DataFrame(
        {
            "client_id": [f"C{i // 2 + 1:04d}" for i in range(n)],
            "session": ["1"] * n,
            "timepoint": ["pre", "post"] * (n // 2),
            "measure": ["pain_nrs"] * n,
            "score": [str(6 - i % 2) for i in range(n)],
            "condition": ["pelvic_pain"] * n,
        },
        dtype="str",
    )
    for name, values in extra.items():
        base[name] = pd.Series([values[i % len(values)] for i in range(n)], dtype="str")
    return base


def _write(tmp_path: Path, frame: pd.DataFrame, name: str = "visits.csv") -> Path:
    p = tmp_path / name
    frame.to_csv(p, index=False, lineterminator="\n")
    return p


# ---------------------------------------------------------------------------------------
# A corpus of identifying inputs, each in a realistic column whose name does not give it away
# ---------------------------------------------------------------------------------------
IDENTIFYING = [
    # (column, values, check)
    (
        "Client",
        ["Jane Doe", "John Smith", "Maria Garcia", "Robert J. Brown", "Mary-Kate O'Neil"],
        "person_name",
    ),
    ("Client", ["Doe, Jane", "Smith, John A.", "Garcia, Maria"], "person_name"),
    ("Client", ["JANE DOE", "JOHN SMITH", "LINDA NGUYEN"], "person_name"),
    ("Referred by", ["Ms Linda Park", "Dr. Susan Moore", "Karen Walsh"], "person_name"),
    ("Contact", ["jane.doe@example.com", "j.smith+pt@clinic.org"], "email"),
    ("Contact", ["(555) 123-4567", "(212) 555-0188"], "phone"),
    ("Contact", ["555-123-4567", "312-555-0144"], "phone"),
    ("Contact", ["555.123.4567", "617.555.0101"], "phone"),
    ("Contact", ["+1 555 123 4567", "1-800-555-0199"], "phone"),
    ("Contact", ["+44 20 7946 0958", "+44 7700 900123"], "phone"),  # UK
    ("Contact", ["+49 30 1234567", "+49 89 12345678"], "phone"),  # Germany
    ("Contact", ["0044 20 7946 0958"], "phone"),
    ("Contact", ["+33 1 23 45 67 89", "01 23 45 67 89"], "phone"),  # France
    ("Contact", ["020 7946 0958", "030 1234567"], "phone"),  # national trunk prefix
    ("Contact", ["+4930123456"], "phone"),
    ("Contact", ["5551234567", "2125550188", "3125550144"], "phone"),
    ("Reference", ["123-45-6789", "987-65-4320"], "ssn"),
    ("Reference", ["123456789", "987654320"], "ssn"),
    ("Lives at", ["12 Elm Street", "400 N Main St Apt 3", "1600 Pennsylvania Avenue NW"], "address"),
    ("Lives at", ["221B Baker Street", "PO Box 123", "Hauptstraße 5"], "address"),
    ("Area", ["02139", "10001", "94110", "60614"], "zip"),
    ("Area", ["02139-4307", "10001-0001"], "zip"),
    ("Area", ["Springfield, IL 62704", "Austin, TX 78701"], "zip"),
    ("Born", ["1985-03-15", "1990-12-01"], "date"),
    ("Born", ["03/15/1985", "12/01/1990"], "date"),
    ("Born", ["15.03.1985", "01.12.1990"], "date"),
    ("Born", ["15/03/1985", "31/12/1990"], "date"),
    ("Born", ["3/15/85", "12/1/90"], "date"),
    ("Born", ["March 15, 1985", "December 1, 1990"], "date"),
    ("Born", ["15 Mar 1985", "1 Dec 1990"], "date"),
    ("Born", ["15-Mar-1985"], "date"),
    ("Seen", ["2024-03-15T10:30:00", "2024-03-15 14:00:00"], "date"),
    ("Seen", ["19850315", "19901201"], "date"),
    ("Seen", ["2024-03", "2024-04"], "month"),
    ("Record", ["MRN 004512", "MRN 004513"], "record_number"),
    ("Record", ["MR#12345", "Acct# 55312", "Chart No. 1234"], "record_number"),
    ("Link", ["https://example.com/patients/123", "www.janedoe.net"], "url"),
    ("Host", ["192.168.1.23", "10.0.0.7"], "ip"),
    ("Host", ["2001:0db8:85a3:0000:0000:8a2e:0370:7334"], "ip"),
    (
        "Observations",
        [
            f"Client said the pain woke her {i} times this week; jaw tense on palpation, better after"
            for i in range(N)
        ],
        "free_text",
    ),
]


@pytest.mark.parametrize(("column", "values", "check"), IDENTIFYING)
def test_identifying_content_is_caught(column, values, check):
    findings = scan(_export({column: values}))
    assert set(findings["column"]) == {column}, findings
    assert check in set(findings["check"])
    assert (findings["evidence_count"] > 0).all()


IDENTIFYING_NAMES = [
    ("Client Name", "person_name"),
    ("First Name", "person_name"),
    ("Last Name", "person_name"),
    ("Surname", "person_name"),
    ("E-mail Address", "email"),
    ("Home Phone", "phone"),
    ("Fax", "phone"),
    ("Mobile", "phone"),
    ("SSN", "ssn"),
    ("Street Address", "address"),
    ("City", "city"),
    ("Zip Code", "zip"),
    ("Postal Code", "zip"),
    ("MRN", "record_number"),
    ("Medical Record Number", "record_number"),
    ("Chart #", "record_number"),
    ("Account", "record_number"),
    ("Member ID", "record_number"),
    ("Insurance ID", "record_number"),
    ("Policy Number", "record_number"),
    ("Medicaid ID", "record_number"),
    ("Website", "url"),
    ("IP Address", "ip"),
    ("DOB", "birth_date"),
    ("Date of Birth", "birth_date"),
    ("Visit Date", "date"),
    ("Service Date", "date"),
    ("Appointment Date", "date"),
    ("Date", "date"),
    ("Notes", "free_text"),
    ("Comments", "free_text"),
    ("Narrative", "free_text"),
]


@pytest.mark.parametrize(("column", "check"), IDENTIFYING_NAMES)
def test_identifying_column_names_are_caught(column, check):
    findings = scan(_export({column: ["x", "y"]}))
    assert findings[["column", "check", "by"]].values.tolist() == [[column, check, "name"]]


def test_a_named_column_left_empty_is_not_flagged():
    assert scan(_export({"Notes": [""], "Phone": [""]})).empty


def test_ages_over_89_are_caught_and_younger_ones_and_bands_are_not():
    findings = scan(_export({"Age": ["34", "91", "56"], "age_band": ["90+", "25-34"]}))
    assert findings[["column", "check"]].values.tolist() == [["Age", "age_over_89"]]
    assert int(findings["evidence_count"].iloc[0]) == 8  # every third of 24 rows
    assert scan(_export({"Age": ["34", "89", "56"]})).empty


# ---------------------------------------------------------------------------------------
# Realistic data that must not be flagged
# ---------------------------------------------------------------------------------------
NOT_IDENTIFYING = {
    "score": ["3", "4.5", "10", "0", "-1", "UNK", "-999", "4-5", "+2"],
    "condition": [
        "pelvic_pain",
        "headache;tmj",
        "Pelvic pain",
        "Low Back Pain",
        "Chronic Pelvic Pain",
        "Neck Pain",
        "TMJ",
        "Fibromyalgia",
        "Postpartum Recovery",
        "Stress Anxiety",
    ],
    "technique": [
        "CST",
        "CST + pelvic floor",
        "pelvic floor",
        "Visceral Manipulation",
        "Myofascial Release",
        "Lymphatic Drainage",
        "Craniosacral Therapy",
    ],
    "age_band": ["18-24", "25-34", "35-44", "45-54", "55-64", "65-74", "75-89", "90+", "under 18"],
    "year": ["2024", "2025", "2026"],
    "session": [str(i) for i in range(1, 40)],
    "days_from_first": [str(i) for i in range(0, 900, 7)],
    "payer": [
        "Self-pay",
        "Medicaid",
        "Medicare",
        "Commercial",
        "Blue Cross Blue Shield",
        "United Healthcare",
        "Aetna",
        "Sliding Scale",
        "Workers Comp",
    ],
    "race_ethnicity": [
        "Black or African American",
        "White",
        "Hispanic or Latina",
        "Asian",
        "Multiracial",
        "Another race or ethnicity",
        "Not reported",
        "American Indian or Alaska Native",
        "Native Hawaiian or Other Pacific Islander",
        "Two or More Races",
    ],
    "postpartum": ["yes", "no"],
    "site": ["Main Clinic", "Downtown Office", "Austin Clinic", "Telehealth"],
    "Therapist role": ["OT", "PT", "PTA"],
    "Sex": ["Female", "Male", "Nonbinary"],
    "Language": ["English", "Spanish", "Other"],
    "pelvic_tone_pre": ["-3", "+2", "0", "1"],
    "hit6_pre": ["36", "58", "78"],
    "pfdi20_pre": ["0", "112.5", "300"],
}


@pytest.mark.parametrize("column", sorted(NOT_IDENTIFYING))
def test_realistic_columns_are_not_flagged(column):
    assert scan(_export({column: NOT_IDENTIFYING[column]}, n=400)).empty


@pytest.mark.parametrize(
    "codes",
    [
        [f"C{i:04d}" for i in range(1, 201)],
        [f"P-{i}" for i in range(1, 201)],
        [f"{i:05d}" for i in range(1, 201)],  # 00123: numeric codes are not ZIPs in client_id
        [f"{i}" for i in range(10_000, 10_200)],
        ["P" + f"{(i * 2654435761) % 2**64:016x}" for i in range(1, 201)],  # HMAC-like hex
    ],
)
def test_pseudonymous_client_codes_are_fine(codes):
    frame = pd.DataFrame({"client_id": codes, "record_id": codes, "score": ["4"] * len(codes)})
    assert scan(frame).empty


@pytest.mark.parametrize(
    "ids",
    [
        ["Jane Doe", "John Smith"],
        ["jane@example.com", "john@example.org"],
        ["555-123-4567", "555-987-6543"],
        ["123-45-6789", "987-65-4320"],
        ["MRN 004512", "MRN 004513"],
        ["JD19850315", "JS19901201"],  # initials + date of birth
    ],
)
def test_client_ids_are_checked_by_content(ids, tmp_path):
    frame = _export({})
    frame["client_id"] = [ids[i % len(ids)] for i in range(len(frame))]
    findings = scan(frame)
    assert set(findings["column"]) == {"client_id"}
    with pytest.raises(PrivacyError, match="column 'client_id'"):
        oc.read_sessions(_write(tmp_path, frame))


@pytest.mark.parametrize("name", SAMPLE_FILES)
def test_every_sample_file_passes_the_scan(samples, name):
    data = oc.read_sessions(samples / name)
    assert "privacy_override" not in data.provenance
    from outcomes.io import load_table

    assert scan(load_table(samples / name).table).empty


def test_broken_sample_passes_the_scan(samples):
    data = oc.read_sessions(samples / "broken_export.csv", errors="exclude")
    assert len(data.failure_cases) == 18


def test_scanning_the_7000_row_sample_takes_milliseconds(samples):
    from outcomes.io import load_table

    table = load_table(samples / "synthetic_practice_long.csv").table
    scan(table)
    start = time.perf_counter()
    for _ in range(5):
        scan(table)
    per_scan = (time.perf_counter() - start) / 5
    assert per_scan < 0.25, f"{per_scan * 1000:.0f} ms"


def test_large_columns_are_sampled():
    n = 300_000
    rng = np.random.default_rng(7)
    frame = pd.DataFrame(
        {
            "client_id": pd.Series([f"C{i:06d}" for i in rng.integers(0, 50_000, n)], dtype="str"),
            "score": rng.integers(0, 11, n).astype(float),
            "Phone": pd.Series(["555-123-4567"] * n, dtype="str"),
        }
    )
    findings = scan(frame)
    assert findings[["column", "check"]].values.tolist() == [["Phone", "phone"]]
    assert int(findings["examined"].iloc[0]) == 20_000


def test_datetime_columns_are_flagged_and_numeric_scores_are_not():
    frame = pd.DataFrame(
        {
            "client_id": ["C1", "C2"],
            "when": pd.to_datetime(["2024-03-15", "2024-04-01"]),
            "score": [4.0, 5.5],
            "session": [1, 2],
        }
    )
    assert scan(frame)[["column", "check"]].values.tolist() == [["when", "date"]]


def test_scan_returns_no_values_and_documented_columns():
    findings = scan(_export({"Contact": ["jane.doe@example.com"]}), file="visits.csv")
    assert list(findings.columns) == ["file", "column", "check", "reason", "evidence_count", "examined", "by"]
    assert findings["file"].tolist() == ["visits.csv"]
    assert "jane" not in findings.to_csv()
    assert scan(_export({"Contact": ["jane.doe@example.com"]}), ignore=["Contact"]).empty


# ---------------------------------------------------------------------------------------
# The error, the override and the command line
# ---------------------------------------------------------------------------------------
def test_privacy_error_names_columns_and_reasons_and_how_to_fix(tmp_path):
    frame = _export({"Phone": ["(555) 123-4567", "555-987-6543"], "Client Name": ["Jane Doe", "John Smith"]})
    path = _write(tmp_path, frame)
    with pytest.raises(PrivacyError) as err:
        oc.read_sessions(path)
    msg = str(err.value)
    assert msg.startswith("visits.csv holds 2 columns that look like direct identifiers")
    assert "- column 'Phone' looks like phone or fax numbers (24 of 24 values)" in msg
    assert "- column 'Client Name' looks like person names (24 of 24 values)" in msg
    assert "outcomes anonymize RAW -o clean.csv --key-file KEY" in msg
    assert "drop these columns" in msg
    assert "expert determination" in msg and "data-use agreement" in msg
    assert "--allow-identifiers" in msg
    assert isinstance(err.value, OutcomesError) and isinstance(err.value, ValueError)


def test_a_mapped_column_is_named_as_in_the_file(tmp_path):
    frame = _export({}).rename(columns={"client_id": "Client"})
    frame["Client"] = ["Jane Doe", "John Smith"] * (N // 2)
    with pytest.raises(
        PrivacyError, match=r"column 'Client' \(read as 'client_id'\) looks like person names"
    ):
        oc.read_sessions(_write(tmp_path, frame), columns={"Client": "client_id"})


def test_override_is_recorded_in_the_provenance(tmp_path):
    path = _write(tmp_path, _export({"Phone": ["555-123-4567"]}))
    data = oc.read_sessions(path, allow_identifiers="data use agreement with University X")
    assert data.provenance["privacy_override"] == "data use agreement with University X"
    assert data.provenance["privacy_findings"] == [
        {"column": "Phone", "read_as": "phone", "reason": "looks like phone or fax numbers"}
    ]
    assert "555" not in repr(data.provenance)
    clean = oc.read_sessions(_write(tmp_path, _export({}), "clean.csv"), allow_identifiers="DUA #4")
    assert clean.provenance["privacy_override"] == "DUA #4" and clean.provenance["privacy_findings"] == []
    with pytest.raises(ValueError, match="non-empty reason"):
        oc.read_sessions(path, allow_identifiers="  ")


def test_check_anonymized_returns_notes_under_an_override():
    frame = _export({"Phone": ["555-123-4567"]})
    with pytest.raises(PrivacyError):
        check_anonymized(frame)
    notes = check_anonymized(frame, allow_identifiers="expert determination #2025-14")
    assert notes == ["column 'Phone' looks like phone or fax numbers (24 of 24 values)"]
    assert check_anonymized(_export({})) == []


def test_cli_privacy_error_and_override(tmp_path, capsys):
    path = _write(tmp_path, _export({"E-mail": ["jane.doe@example.com", "john@example.org"]}))
    assert main(["validate", str(path)]) == 1
    err = capsys.readouterr().err
    assert "column 'E-mail'" in err and "example" not in err
    assert main(["validate", str(path), "--allow-identifiers", "expert determination #2025-14"]) == 0
    captured = capsys.readouterr()
    assert "identifiers allowed (expert determination #2025-14)" in captured.err
    assert "example" not in captured.out + captured.err
    assert main(["validate", str(path), "--allow-identifiers", ""]) == 2
    out = tmp_path / "s.csv"
    assert (
        main(["summarize", str(path), "-q", "-o", str(out), "--n-boot", "200", "--allow-identifiers", "DUA"])
        == 0
    )


# ---------------------------------------------------------------------------------------
# No leaks: identifying values never appear in messages or failure_cases
# ---------------------------------------------------------------------------------------
SECRETS = ["Jane Doe", "jane.doe@example.com", "555-123-4567", "123-45-6789", "2024-03-15", "MRN 004512"]


def _assert_no_secret(*texts: str) -> None:
    for text in texts:
        for secret in SECRETS:
            assert secret not in text, secret
        assert "Jane" not in text and "004512" not in text


def _leaky_export() -> pd.DataFrame:
    """Identifying values in columns that validation reports values of: session, timepoint, measure."""
    frame = _export({"Client Name": ["Jane Doe"]})
    frame.loc[0, "session"] = "123-45-6789"
    frame.loc[1, "timepoint"] = "2024-03-15"
    frame.loc[2, "measure"] = "jane.doe@example.com"
    frame.loc[3, "score"] = "555-123-4567"
    frame.loc[4, "condition"] = "MRN 004512"
    return frame


def test_no_identifying_value_in_privacy_errors(tmp_path):
    with pytest.raises(PrivacyError) as err:
        oc.read_sessions(_write(tmp_path, _leaky_export()))
    _assert_no_secret(str(err.value))
    for col in ("session", "timepoint", "measure", "score", "condition", "Client Name"):
        assert f"column '{col}'" in str(err.value)


def test_no_identifying_value_in_validation_errors_under_an_override(tmp_path):
    path = _write(tmp_path, _leaky_export())
    with pytest.raises(SchemaError) as err:
        oc.read_sessions(path, allow_identifiers="DUA with University X")
    fc = err.value.failure_cases
    assert {"session_not_positive_integer", "unknown_timepoint", "unknown_measure", "not_numeric"} <= set(
        fc["check"]
    )
    _assert_no_secret(str(err.value), fc.to_csv(), repr(fc.to_dict()))
    data = oc.read_sessions(path, allow_identifiers="DUA with University X", errors="exclude")
    _assert_no_secret(data.failure_cases.to_csv(), repr(data.provenance), data.flow_text())
    assert data.failure_cases["value"].isna().all()


def test_no_identifying_value_from_the_command_line(tmp_path, capsys):
    path = _write(tmp_path, _leaky_export())
    assert main(["validate", str(path)]) == 1
    assert main(["validate", str(path), "--allow-identifiers", "DUA"]) == 1
    captured = capsys.readouterr()
    _assert_no_secret(captured.out, captured.err)


def test_client_ids_are_never_echoed_in_failure_cases(tmp_path):
    frame = _export({})
    given = [
        "Jane",
        "John",
        "Mary",
        "Linda",
        "James",
        "Susan",
        "Karen",
        "Paul",
        "Nancy",
        "Laura",
        "Mark",
        "Ruth",
    ]
    frame["client_id"] = [f"{given[i // 2]} Doe" for i in range(N)]  # two rows (pre, post) per client
    frame.loc[0, "score"] = "14"
    with pytest.raises(SchemaError) as err:
        oc.read_sessions(_write(tmp_path, frame), allow_identifiers="DUA")
    assert err.value.failure_cases["check"].tolist() == ["out_of_range"]
    _assert_no_secret(str(err.value), err.value.failure_cases.to_csv())


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
