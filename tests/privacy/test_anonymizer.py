"""outcomes.privacy.anonymizer: anonymize() on a whole export: pseudonymous or random ids, dropped
columns, age bands; the output passes the scan and the reader."""

from __future__ import annotations

import json

import pandas as pd
import pytest

import outcomes as oc
from outcomes.datasets import ADULT_AGE_BANDS
from outcomes.errors import PrivacyError, SchemaError
from outcomes.privacy import AGE_BANDS, age_bands, anonymize, check_anonymized, scan
from outcomes.privacy.anonymizer import check_shareable, id_key


def test_random_ids_with_a_crosswalk(raw_export):
    raw, _ = raw_export
    result = anonymize(raw, key=None, id_column="Client Name", method="random", rng_seed=3)
    assert result.manifest["key_fingerprint"] is None and result.manifest["method"] == "random"
    ids = result.frame["client_id"]
    assert ids.str.fullmatch(r"R[0-9a-f]{10}").all()
    back = ids.map(dict(zip(result.crosswalk["client_id"], result.crosswalk["practice_id"], strict=True)))
    assert back.tolist() == raw["Client Name"].tolist()
    again = anonymize(raw, key=None, id_column="Client Name", method="random", rng_seed=3)
    assert again.frame["client_id"].tolist() == ids.tolist()
    other = anonymize(raw, key=None, id_column="Client Name", method="random", rng_seed=4)
    assert not set(other.frame["client_id"]) & set(ids)
    assert "practice_id" not in json.dumps(result.manifest)


def test_anonymized_export_passes_the_scan_and_the_reader(raw_export, tmp_path, practice_key):
    raw, sample = raw_export
    result = anonymize(
        raw, key=practice_key, id_column="Client Name", date_column="Visit Date", age_column="Age"
    )
    clean = result.frame
    assert scan(clean).empty
    assert list(clean.columns) == [
        "client_id",
        "days_from_first",
        "year",
        "age_band",
        "Session",
        "When",
        "Measure",
        "Score",
        "Condition",
        "Technique",
        "Payer",
    ]
    dropped = {d["column"]: d["reason"] for d in result.manifest["dropped"]}
    assert set(dropped) == {"Phone", "Email", "Address", "Zip", "MRN", "Notes"}
    assert dropped["Phone"] == "looks like phone or fax numbers"
    # days from first, per client, are the sample's own (counted from the client's first row here)
    days = sample.groupby("client_id")["days_from_first"].transform(lambda d: d - d.min())
    assert clean["days_from_first"].tolist() == days.tolist()
    path = tmp_path / "clean.csv"
    clean.to_csv(path, index=False)
    data = oc.read_sessions(path, columns={"When": "timepoint"})
    assert (
        len(data.frame) == len(sample) and data.frame["client_id"].nunique() == sample["client_id"].nunique()
    )
    assert data.frame["age_band"].isin(AGE_BANDS).all()


def test_age_bands_match_the_synthetic_data():
    assert AGE_BANDS[1:] == ADULT_AGE_BANDS
    assert age_bands([17.9, 18, 24.99, 75, 89.5, 90, None]).tolist() == [
        "under 18",
        "18-24",
        "18-24",
        "75-89",
        "75-89",
        "90+",
        None,
    ]


def test_drop_and_unknown_columns(practice_key):
    raw = pd.DataFrame({"Client": ["Jane Doe"], "Therapist": ["OT"], "Room": ["3"], "score": ["4"]})
    result = anonymize(raw, key=practice_key, id_column="Client", drop=["Therapist", "room"])
    assert list(result.frame.columns) == ["client_id", "score"]
    assert result.manifest["dropped"] == [
        {"column": "Therapist", "reason": "listed in drop"},
        {"column": "Room", "reason": "listed in drop"},
    ]
    with pytest.raises(SchemaError, match="date_column 'Visit' is not a column of the export"):
        anonymize(raw, key=practice_key, id_column="Client", date_column="Visit")


# ---------------------------------------------------------------------------------------
# one client, however its id is spelled (issue 16)
# ---------------------------------------------------------------------------------------
SPELLINGS = pd.DataFrame(
    {
        "Client": [
            *["Jane Doe", "JANE DOE", "jane doe", " Jane\u00a0 Doe"],
            *["José Ruiz", "JOSE\u0301 RUIZ"],  # composed and decomposed accent
            "Ann Lee",
        ],
        "Visit": [
            *["2025-03-01", "2025-03-08", "2025-03-15", "2025-03-22"],
            *["2025-04-01", "2025-04-11"],
            "2025-05-02",
        ],
        "score": ["6", "5", "4", "3", "7", "6", "2"],
    }
)


def test_spellings_of_one_id_are_one_client(practice_key):
    result = anonymize(SPELLINGS, key=practice_key, id_column="Client", date_column="Visit")
    clean = result.frame
    assert clean["client_id"].nunique() == 3 and result.manifest["clients"] == 3
    assert clean["client_id"].iloc[:4].nunique() == 1 and clean["client_id"].iloc[4:6].nunique() == 1
    # one client: one first date, sessions numbered across the spellings
    assert clean["days_from_first"].tolist() == [0, 7, 14, 21, 0, 10, 0]
    assert clean["session"].tolist() == [1, 2, 3, 4, 1, 2, 1]
    assert result.manifest["clients_spelled_several_ways"] == 2
    assert (
        "NFKC" in result.manifest["id_normalisation"] and "case-folded" in result.manifest["id_normalisation"]
    )


def test_the_crosswalk_has_one_row_per_client_with_its_usual_spelling():
    # 'Jane Doe' twice (the no-break space is whitespace), 'JANE DOE' three times now
    raw = pd.concat([SPELLINGS, SPELLINGS.iloc[[1, 1]]], ignore_index=True)
    result = anonymize(raw, key=None, id_column="Client", method="random", rng_seed=5)
    crosswalk = result.crosswalk
    assert len(crosswalk) == 3 and crosswalk["client_id"].is_unique
    assert set(crosswalk["practice_id"]) == {"JANE DOE", "José Ruiz", "Ann Lee"}
    back = dict(zip(crosswalk["client_id"], crosswalk["practice_id"], strict=True))
    assert [back[c] for c in result.frame["client_id"]] == (
        ["JANE DOE"] * 4 + ["José Ruiz"] * 2 + ["Ann Lee"] + ["JANE DOE"] * 2
    )
    # of equally frequent spellings, the first in the export
    tie = anonymize(SPELLINGS, key=None, id_column="Client", method="random", rng_seed=5).crosswalk
    assert set(tie["practice_id"]) == {"Jane Doe", "José Ruiz", "Ann Lee"}


@pytest.mark.parametrize(
    ("spellings", "key"),
    [
        (["Jane Doe", "JANE DOE", "jane doe", "  jane \t doe "], "JANE DOE"),
        (["C001", "c001", "\uff23\uff10\uff10\uff11"], "C001"),  # full-width (NFKC)
        (["Straße", "STRASSE", "strasse"], "STRASSE"),  # case-folding
        (["José", "JOSÉ", "jose\u0301"], "JOSé"),  # composed and decomposed accents; only a-z as capitals
        (["ﬁona", "FIONA"], "FIONA"),  # a ligature (NFKC)
    ],
)
def test_id_key_is_nfkc_casefold_and_collapsed_whitespace(spellings, key):
    assert {id_key(s) for s in spellings} == {key}


# ---------------------------------------------------------------------------------------
# nothing identifying left behind (issue 16)
# ---------------------------------------------------------------------------------------
def test_the_attacked_export_leaves_nothing_behind(attacked_export, attack_secrets, practice_key):
    result = anonymize(
        attacked_export(),
        key=practice_key,
        id_column="Client Name",
        date_column="Visit Date",
        dob_column="DOB",
    )
    clean = result.frame
    dropped = {d["column"]: d["reason"] for d in result.manifest["dropped"]}
    assert {"Therapist", "Emergency Contact", "Insurance Member"} <= set(dropped)
    # its values (XYZ123456780: a prefix and nine digits) are member numbers by their shape too
    assert dropped["Insurance Member"] == "looks like medical record, account, member or plan numbers"
    assert list(clean.columns) == [
        *["client_id", "days_from_first", "year", "age_band"],
        *["Session", "Timepoint", "Measure", "Score", "Condition"],
    ]
    assert check_anonymized(clean) == []  # the scan every read runs
    assert clean["client_id"].nunique() == 3  # Jane Doe, JANE DOE and jane doe are one client
    text = clean.to_csv() + json.dumps(result.manifest)
    for secret in attack_secrets:
        assert secret not in text, secret


def test_a_column_the_reports_read_is_never_dropped_unasked(leaky_export, practice_key, assert_no_secret):
    """Identifying values in session, timepoint, measure, score and condition: dropping those columns
    would change every report, so the anonymizer stops, naming each column and the option to drop it."""
    with pytest.raises(PrivacyError) as err:
        anonymize(leaky_export(), key=practice_key, id_column="Client Name")
    message = str(err.value)
    assert message.startswith(
        "The anonymized copy would still hold 5 columns that look like direct identifiers (the scan every "
        "read runs), so nothing was written:\n"
        "- column 'session' looks like Social Security or other national id numbers (1 of 24 values)\n"
    )
    for column in ("session", "timepoint", "measure", "score", "condition"):
        assert f"- column {column!r} " in message
    assert "'score', 'condition' are columns the reports read" in message
    assert message.endswith(
        "To fix it: correct those values in the raw export, or drop them: "
        "--drop session,timepoint,measure,score,condition "
        "(in Python: drop=['session', 'timepoint', 'measure', 'score', 'condition'])."
    )
    assert_no_secret(message)


def test_the_drop_the_message_names_clears_the_column(practice_key):
    raw = pd.DataFrame(
        {
            "Client": ["C001", "C001", "C002"],
            "Visit": ["2025-03-01", "2025-03-08", "2025-03-02"],
            "Session": ["2025-03-01", "2", "1"],  # a date typed into the session column
            "score": ["4", "3", "5"],
        }
    )
    with pytest.raises(PrivacyError) as err:
        anonymize(raw, key=practice_key, id_column="Client", date_column="Visit")
    message = str(err.value)
    assert "- column 'Session' looks like full dates (1 of 3 values)" in message
    assert "'Session' is a column the reports read" in message and "--drop Session " in message
    assert "2025-03-01" not in message
    result = anonymize(raw, key=practice_key, id_column="Client", date_column="Visit", drop=["Session"])
    assert list(result.frame.columns) == ["client_id", "session", "days_from_first", "year", "score"]
    assert result.frame["session"].tolist() == [1, 2, 1]  # numbered from the dates, the listed one gone
    assert result.manifest["dropped"][0] == {"column": "Session", "reason": "listed in drop"}


def test_a_column_with_spaces_is_quoted_in_the_drop_it_names():
    frame = pd.DataFrame({"client_id": ["P1", "P2"], "Pain Score": ["jane@example.com", "4"]})
    with pytest.raises(PrivacyError, match=r"--drop 'Pain Score' \(in Python: drop=\['Pain Score'\]\)"):
        check_shareable(frame)
    check_shareable(frame.drop(columns="Pain Score"))  # passes quietly


def test_a_column_cannot_be_both_dropped_and_transformed(practice_key):
    raw = pd.DataFrame({"Client": ["C001"], "Visit": ["2025-03-01"], "score": ["4"]})
    with pytest.raises(ValueError, match="'Visit' is given both to drop and as the id, date, dob or age"):
        anonymize(raw, key=practice_key, id_column="Client", date_column="Visit", drop=["visit"])
