"""outcomes.privacy.scanner: identifying inputs caught, realistic data not, the error and the override,
no identifying value in any message."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import outcomes as oc
from outcomes.errors import OutcomesError, PrivacyError, SchemaError
from outcomes.privacy import check_anonymized, scan
from outcomes.schema import AGE_BANDS

SAMPLE_FILES = sorted(
    p.name for p in (Path(__file__).resolve().parents[2] / "data_samples").glob("synthetic_practice_*.csv")
)
N = 24  # rows of the little exports (the default n of the identifier_export fixture)


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
def test_identifying_content_is_caught(identifier_export, column, values, check):
    findings = scan(identifier_export({column: values}))
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
    # the people around the client's care, and insurance numbers (issue 16: an anonymized copy kept
    # 'Therapist', 'Emergency Contact' and 'Insurance Member')
    ("therapist", "person_name"),
    ("Treating Therapist", "person_name"),
    ("provider", "person_name"),
    ("clinician", "person_name"),
    ("emergency contact", "person_name"),
    ("contact", "person_name"),
    ("referred by", "person_name"),
    ("referring", "person_name"),
    ("Referring Physician", "person_name"),
    ("insurance member", "record_number"),
    ("member id", "record_number"),
    ("policy", "record_number"),
    ("subscriber", "record_number"),
]


@pytest.mark.parametrize(("column", "check"), IDENTIFYING_NAMES)
def test_identifying_column_names_are_caught(identifier_export, column, check):
    findings = scan(identifier_export({column: ["x", "y"]}))
    assert findings[["column", "check", "by"]].values.tolist() == [[column, check, "name"]]


def test_a_named_column_left_empty_is_not_flagged(identifier_export):
    assert scan(identifier_export({"Notes": [""], "Phone": [""]})).empty


def test_ages_over_89_are_caught_and_younger_ones_and_bands_are_not(identifier_export):
    findings = scan(identifier_export({"Age": ["34", "91", "56"], "age_band": ["90+", "25-34"]}))
    assert findings[["column", "check"]].values.tolist() == [["Age", "age_over_89"]]
    assert int(findings["evidence_count"].iloc[0]) == 8  # every third of 24 rows
    assert scan(identifier_export({"Age": ["34", "89", "56"]})).empty


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
    "age_band": list(AGE_BANDS),
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
    "Insurance Provider": ["Medicaid", "Medicare", "Aetna", "Blue Cross Blue Shield", "Self-pay"],
    "Referral source": ["Self", "Physician", "Midwife", "Web search", "Friend or family"],
    "therapist_code": ["T1", "T2", "T3"],
    "provider_id": ["101", "102", "205"],
    "Sex": ["Female", "Male", "Nonbinary"],
    "Language": ["English", "Spanish", "Other"],
    "pelvic_tone_pre": ["-3", "+2", "0", "1"],
    "hit6_pre": ["36", "58", "78"],
    "pfdi20_pre": ["0", "112.5", "300"],
}


@pytest.mark.parametrize("column", sorted(NOT_IDENTIFYING))
def test_realistic_columns_are_not_flagged(identifier_export, column):
    assert scan(identifier_export({column: NOT_IDENTIFYING[column]}, n=400)).empty


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
def test_client_ids_are_checked_by_content(identifier_export, write_export, ids, tmp_path):
    frame = identifier_export({})
    frame["client_id"] = [ids[i % len(ids)] for i in range(len(frame))]
    findings = scan(frame)
    assert set(findings["column"]) == {"client_id"}
    with pytest.raises(PrivacyError, match="column 'client_id'"):
        oc.read_sessions(write_export(tmp_path, frame))


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


def test_scan_returns_no_values_and_documented_columns(identifier_export):
    findings = scan(identifier_export({"Contact": ["jane.doe@example.com"]}), file="visits.csv")
    assert list(findings.columns) == ["file", "column", "check", "reason", "evidence_count", "examined", "by"]
    # by content (e-mail addresses) and, since issue 16, by name ('Contact': person names)
    assert findings[["file", "check", "by"]].values.tolist() == [
        ["visits.csv", "person_name", "name"],
        ["visits.csv", "email", "content"],
    ]
    assert "jane" not in findings.to_csv()
    assert scan(identifier_export({"Contact": ["jane.doe@example.com"]}), ignore=["Contact"]).empty


# ---------------------------------------------------------------------------------------
# The error and the override (the command line: tests/test_cli.py)
# ---------------------------------------------------------------------------------------
def test_privacy_error_names_columns_and_reasons_and_how_to_fix(identifier_export, write_export, tmp_path):
    frame = identifier_export(
        {"Phone": ["(555) 123-4567", "555-987-6543"], "Client Name": ["Jane Doe", "John Smith"]}
    )
    path = write_export(tmp_path, frame)
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


def test_a_mapped_column_is_named_as_in_the_file(identifier_export, write_export, tmp_path):
    frame = identifier_export({}).rename(columns={"client_id": "Client"})
    frame["Client"] = ["Jane Doe", "John Smith"] * (N // 2)
    with pytest.raises(
        PrivacyError, match=r"column 'Client' \(read as 'client_id'\) looks like person names"
    ):
        oc.read_sessions(write_export(tmp_path, frame), columns={"Client": "client_id"})


def test_override_is_recorded_in_the_provenance(identifier_export, write_export, tmp_path):
    path = write_export(tmp_path, identifier_export({"Phone": ["555-123-4567"]}))
    data = oc.read_sessions(path, allow_identifiers="data use agreement with University X")
    assert data.provenance["privacy_override"] == "data use agreement with University X"
    assert data.provenance["privacy_findings"] == [
        {"column": "Phone", "read_as": "phone", "reason": "looks like phone or fax numbers"}
    ]
    assert "555" not in repr(data.provenance)
    clean = oc.read_sessions(
        write_export(tmp_path, identifier_export({}), "clean.csv"), allow_identifiers="DUA #4"
    )
    assert clean.provenance["privacy_override"] == "DUA #4" and clean.provenance["privacy_findings"] == []
    with pytest.raises(ValueError, match="non-empty reason"):
        oc.read_sessions(path, allow_identifiers="  ")


def test_check_anonymized_returns_notes_under_an_override(identifier_export):
    frame = identifier_export({"Phone": ["555-123-4567"]})
    with pytest.raises(PrivacyError):
        check_anonymized(frame)
    notes = check_anonymized(frame, allow_identifiers="expert determination #2025-14")
    assert notes == ["column 'Phone' looks like phone or fax numbers (24 of 24 values)"]
    assert check_anonymized(identifier_export({})) == []


# ---------------------------------------------------------------------------------------
# No leaks: identifying values never appear in messages or failure_cases
# ---------------------------------------------------------------------------------------
def test_no_identifying_value_in_privacy_errors(leaky_export, write_export, assert_no_secret, tmp_path):
    with pytest.raises(PrivacyError) as err:
        oc.read_sessions(write_export(tmp_path, leaky_export()))
    assert_no_secret(str(err.value))
    for col in ("session", "timepoint", "measure", "score", "condition", "Client Name"):
        assert f"column '{col}'" in str(err.value)


def test_no_identifying_value_in_validation_errors_under_an_override(
    leaky_export, write_export, assert_no_secret, tmp_path
):
    path = write_export(tmp_path, leaky_export())
    with pytest.raises(SchemaError) as err:
        oc.read_sessions(path, allow_identifiers="DUA with University X")
    fc = err.value.failure_cases
    assert {"session_not_positive_integer", "unknown_timepoint", "unknown_measure", "not_numeric"} <= set(
        fc["check"]
    )
    assert_no_secret(str(err.value), fc.to_csv(), repr(fc.to_dict()))
    data = oc.read_sessions(path, allow_identifiers="DUA with University X", errors="exclude")
    assert_no_secret(data.failure_cases.to_csv(), repr(data.provenance), data.flow_text())
    assert data.failure_cases["value"].isna().all()


def test_client_ids_are_never_echoed_in_failure_cases(
    identifier_export, write_export, assert_no_secret, tmp_path
):
    frame = identifier_export({})
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
        oc.read_sessions(write_export(tmp_path, frame), allow_identifiers="DUA")
    assert err.value.failure_cases["check"].tolist() == ["out_of_range"]
    assert_no_secret(str(err.value), err.value.failure_cases.to_csv())
