"""outcomes.privacy.anonymizer: anonymize() on a whole export: pseudonymous or random ids, dropped
columns, age bands; the output passes the scan and the reader."""

from __future__ import annotations

import json

import pandas as pd
import pytest

import outcomes as oc
from outcomes.datasets import ADULT_AGE_BANDS
from outcomes.errors import SchemaError
from outcomes.privacy import AGE_BANDS, age_bands, anonymize, scan


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
