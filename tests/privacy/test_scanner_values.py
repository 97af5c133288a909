"""The scanner reasons about values (issue 16, point 1): person names by the 1990 census lists,
identifiers written to dodge a pattern, check digits, ages as text, headers and comment lines
that are identifiers. Each identifying case beside a clean one of the same shape."""

from __future__ import annotations

import pandas as pd
import pytest

import outcomes as oc
from outcomes.errors import PrivacyError
from outcomes.privacy import scan

N = 12


def _export(**extra: list[str]) -> pd.DataFrame:
    base = pd.DataFrame(
        {
            "client_id": [f"C{i // 2 + 1:03d}" for i in range(N)],
            "session": [1] * N,
            "timepoint": ["pre", "post"] * (N // 2),
            "measure": ["pain_nrs"] * N,
            "score": [5, 3] * (N // 2),
            "condition": ["pelvic_pain"] * N,
        }
    )
    for column, values in extra.items():
        base[column] = (values * N)[:N]
    return base


def _one(value: str, column: str = "technique", others: str = "CST") -> pd.DataFrame:
    """An export whose ``column`` holds ``value`` once and ``others`` elsewhere."""
    return _export(**{column: [value, *([others] * (N - 1))]})


def _checks(frame: pd.DataFrame, column: str) -> set[str]:
    found = scan(frame)
    return set(found.loc[found["column"] == column, "check"])


@pytest.mark.parametrize(
    ("value", "column"),
    [
        ("Sarah Kim", "technique"),
        ("JANE DOE", "condition"),
        ("jane doe", "site"),
        ("José García", "technique"),
        ("Doe, Jane", "payer"),
        ("Mrs Mary Smith", "site"),
    ],
)
def test_one_full_name_in_any_column_is_found(value, column):
    others = {"condition": "pelvic_pain", "payer": "Medicaid"}.get(column, "CST")
    assert "person_name" in _checks(_one(value, column, others), column)


@pytest.mark.parametrize(
    "value",
    [
        "Pelvic Pain",
        "Still Point",
        "Bell's palsy protocol",
        "Upledger 10-step",
        "CV4",
        "97140",
        "M54.5",
        "reduce pain during sitting to 3/10",
        "Blue Cross",
        "Self-pay",
        "Low Back Pain",
        "Postpartum Recovery",
    ],
)
def test_labels_codes_and_goals_are_not_names(value):
    assert _checks(_one(value), "technique") == set()


def test_ids_made_from_names():
    assert "person_name" in _checks(_export(client_id=["jdoe", "msmith", "kjones", "alee"]), "client_id")
    assert "person_name" in _checks(_export(client_id=["Doe, J.", "Smith, M.", "Jones, K."]), "client_id")
    assert _checks(_export(client_id=["C001", "P-17", "9f86d081884c7d65"]), "client_id") == set()


@pytest.mark.parametrize(
    ("value", "check"),
    [
        ("jane at gmail dot com", "email"),
        ("jane(at)gmail(dot)com", "email"),
        ("555–123–4567", "phone"),  # en dashes
        ("123.45.6789", "ssn"),
        ("1EG4-TE5-MK73", "record_number"),  # a Medicare beneficiary identifier (CMS's example)
        ("4111 1111 1111 1111", "record_number"),  # a card number with its Luhn digit
        ("1HGCM82633A004352", "license"),  # a VIN with its check digit
        ("92 years", "age_over_89"),
        ("91 yrs old", "age_over_89"),
        ("93y", "age_over_89"),
        ("jane . doe @ gmail . com", "email"),
        ("555/123/4567", "phone"),
        ("123/45/6789", "ssn"),
        ("SSN 123456789", "ssn"),
        ("1985年3月15日", "date"),
        ("2024년 3월 15일", "date"),
        ("MR-0012345", "record_number"),
        ("chart 4512", "record_number"),
        ("member 884213377", "record_number"),
        ("#0012345", "record_number"),
        ("DL 123 456 789", "record_number"),
        ("SN-TX4421-0098", "record_number"),  # a device serial
        ("00:1B:44:11:3A:B7", "record_number"),  # a MAC address
        ("(01)00643169007222(17)160128", "record_number"),  # a GS1 unique device identifier
    ],
)
def test_identifiers_written_to_dodge_a_pattern(value, check):
    assert check in _checks(_one(value), "technique")


@pytest.mark.parametrize(
    "value",
    [
        "pain at rest dot scale",
        "000.12.3456",
        "4111 1111 1111 1112",
        "1HGCM82633A004353",
        "9 years",
        "3 yrs",
        "45y",
        "120/80",  # a blood pressure
        "seen @ clinic . Next visit",
        "2024年",  # a year alone
        "chart 12",
        "#12",
        "CST 10-step",
        "10:30:15",
        "SN",
    ],
)
def test_the_same_shapes_without_the_structure_are_not_identifiers(value):
    """An SSN area of 000, a card or VIN whose check digit fails, a young age, a blood pressure,
    a year alone, short numbers after a label, a time."""
    assert _checks(_one(value), "technique") == set()


def test_age_bands_above_89_but_not_90_plus():
    assert "age_over_89" in _checks(_export(age_band=["90-94", "25-34"]), "age_band")
    assert "age_over_89" in _checks(_export(age_band=["92", "25-34"]), "age_band")
    assert _checks(_export(age_band=["90+", "25-34", "75-89"]), "age_band") == set()


def test_a_header_that_is_an_identifier_is_named_by_its_position(tmp_path):
    frame = _export(**{"Jane Doe": ["x"]})
    path = tmp_path / "visits.csv"
    frame.to_csv(path, index=False)
    with pytest.raises(PrivacyError) as exc:
        oc.read_sessions(path)
    message = str(exc.value)
    assert "the header of column 7 looks like a name, date or contact detail (not shown)" in message
    assert "Jane" not in message and "jane" not in message


def test_a_comment_line_before_the_header_is_scanned(tmp_path):
    path = tmp_path / "visits.csv"
    body = _export().to_csv(index=False)
    path.write_text("# exported by Jane Doe for the clinic\n" + body, encoding="utf-8")
    with pytest.raises(PrivacyError) as exc:
        oc.read_sessions(path)
    assert "comment line 1 looks like person names: delete the comment lines" in str(exc.value)
    assert "Jane" not in str(exc.value)
    path.write_text("# export of 2025, pain scores\n" + body, encoding="utf-8")
    assert len(oc.read_sessions(path).frame) == N


def test_what_a_workbook_holds_besides_its_first_sheet_is_reported_not_ignored(tmp_path):
    import openpyxl
    from openpyxl.comments import Comment

    from outcomes.errors import DataQualityWarning

    book = openpyxl.Workbook()
    sheet = book.active
    for row in [list(_export().columns), *_export().itertuples(index=False)]:
        sheet.append(list(row))
    sheet["A2"].comment = Comment("call Jane Doe", "therapist")
    book.create_sheet("Jane Doe").append(["private"])
    path = tmp_path / "visits.xlsx"
    book.save(path)
    with pytest.warns(
        DataQualityWarning, match="1 other sheet of the workbook .* and its cell comments"
    ) as w:
        data = oc.read_sessions(path)
    assert data.provenance["sheets_not_read"] == 1 and data.provenance["comment_parts_not_read"] == 1
    assert not any("Jane" in str(x.message) for x in w)


def test_parquet_metadata_and_a_stored_index_are_scanned(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    frame = _export()
    table = pa.Table.from_pandas(frame, preserve_index=False)
    pq.write_table(table.replace_schema_metadata({b"exported_by": b"Jane Doe"}), tmp_path / "meta.parquet")
    with pytest.raises(PrivacyError, match="the file's metadata looks like person names"):
        oc.read_sessions(tmp_path / "meta.parquet")
    frame.set_index(pd.Index(["Jane Doe"] * N, name="patient")).to_parquet(tmp_path / "index.parquet")
    with pytest.raises(PrivacyError, match="the index looks like person names") as exc:
        oc.read_sessions(tmp_path / "index.parquet")
    assert "Jane" not in str(exc.value)
    frame.to_parquet(tmp_path / "clean.parquet")
    assert len(oc.read_sessions(tmp_path / "clean.parquet").frame) == N


def test_under_an_agreement_a_flagged_value_reaches_no_output(tmp_path):
    """With allow_identifiers, names in the condition column once flowed into the report, the
    summary and the grant outputs (issue 16, point 2): they are read as their kind now."""
    frame = _export(condition=["Jane Doe", "tmj"], site=["555-123-4567", "A"])
    data = oc.read_sessions(frame, allow_identifiers="data-use agreement #7")
    assert set(data.frame["condition"]) == {"[name 1]", "tmj"}
    assert set(data.frame["site"]) == {"[phone 1]", "[phone 2]"}
    summary = oc.summarize(data, level="session", n_boot=200)
    grant = oc.grant_report(data, n_boot=200)
    pages = [
        summary.to_csv(),
        oc.reporting.practice_report_html(oc.analyze(data, n_boot=200)),
        str(grant.tables),
    ]
    for text in pages:
        assert "Jane" not in text and "555-123" not in text
    assert "[name 1]" in summary["condition"].tolist()


@pytest.mark.parametrize(
    ("value", "column", "check"),
    [
        ("pelvic_pain;Jane Doe", "condition", "person_name"),  # one part of a list of conditions
        ("pelvic_pain (age 94)", "condition", "age_over_89"),
        ("aged: 91", "technique", "age_over_89"),
        ("12 elm st", "technique", "address"),  # an address in lower case, in a vocabulary
        ("Aetna W123456789", "payer", "record_number"),  # a member id beside the payer
        ("MR-0012345", "technique", "record_number"),
        ("02139", "site", "zip"),
    ],
)
def test_a_label_column_holds_no_person_or_record(value, column, check):
    others = {"condition": "pelvic_pain", "payer": "Medicaid", "site": "north"}.get(column, "CST")
    assert check in _checks(_one(value, column, others), column)


@pytest.mark.parametrize(
    ("value", "column"),
    [
        ("97140", "technique"),  # a CPT code
        ("60054", "payer"),  # a payer id has five digits
        ("Aetna 2025", "payer"),
        ("Clinic 2", "site"),
        ("headache;tmj", "condition"),
        ("CST 10-step", "technique"),
        ("age 45", "condition"),
    ],
)
def test_labels_of_the_same_shape_are_categories(value, column):
    others = {"condition": "pelvic_pain", "payer": "Medicaid", "site": "north"}.get(column, "CST")
    assert _checks(_one(value, column, others), column) == set()


@pytest.mark.parametrize(
    ("values", "flagged"),
    [
        (["D1234567", "F7654321", "B5550123"], True),  # driver's licence numbers
        (["XYZ123456789", "ABC987654321"], True),  # member ids
        (["GRP-004512", "GRP-004513"], True),
        (["97140", "97112", "97530"], False),  # CPT codes have five digits
        (["G0283", "97140"], False),
        (["v2", "v3"], False),
        (["120000", "3600"], False),  # a number column of mostly short values is not a list of codes
    ],
)
def test_a_column_of_long_codes_is_one_number_per_person(values, flagged):
    """Most values of an extra column a number of six digits or more after a short prefix:
    member, licence, record or badge numbers (Safe Harbor's "any other unique identifying number")."""
    assert ("record_number" in _checks(_export(extra_codes=values), "extra_codes")) == flagged
