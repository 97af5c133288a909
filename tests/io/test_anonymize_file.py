"""outcomes.io.anonymize_file: a raw export file to an anonymized CSV and its manifest, never the key;
the private crosswalk of random ids; errors that never show values."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import os
import stat

import pandas as pd
import pytest

import outcomes as oc
from outcomes.datasets import LAYOUTS
from outcomes.errors import SchemaError
from outcomes.io import anonymize_file, manifest_path
from outcomes.privacy import key_fingerprint, read_key


def test_every_sample_layout_survives_anonymization(samples, tmp_path, practice_key):
    for layout in LAYOUTS:
        source = samples / f"synthetic_practice_{layout}.csv"
        out = tmp_path / f"{layout}.csv"
        manifest = anonymize_file(source, out, key=practice_key)
        assert manifest["dropped"] == []
        before, after = oc.read_sessions(source), oc.read_sessions(out)
        assert after.layout == layout
        assert len(after.frame) == len(before.frame)
        assert after.frame["client_id"].nunique() == before.frame["client_id"].nunique()
        assert not set(after.frame["client_id"]) & set(before.frame["client_id"])


def test_anonymize_file_writes_output_and_manifest_and_never_the_key(raw_export, tmp_path, new_key):
    raw, _ = raw_export
    keydir, outdir = tmp_path / "keys", tmp_path / "share"
    keydir.mkdir()
    outdir.mkdir()
    key_file = new_key(keydir / "practice.key")
    key = read_key(key_file)
    source = tmp_path / "raw.csv"
    raw.to_csv(source, index=False)
    out = outdir / "clean.csv"
    anonymize_file(source, out, key=key, id_column="Client Name", date_column="Visit Date", age_column="Age")
    written = json.loads(manifest_path(out).read_text(encoding="utf-8"))
    assert manifest_path(out).name == "clean.manifest.json"
    assert written["key_fingerprint"] == key_fingerprint(key)
    assert written["input"]["file"] == "raw.csv"
    assert written["input"]["sha256"] == hashlib.sha256(source.read_bytes()).hexdigest()
    assert written["output"] == {"file": "clean.csv", "sha256": hashlib.sha256(out.read_bytes()).hexdigest()}
    assert written["package_version"] == oc.__version__ and written["method"] == "hmac-sha256"
    assert written["rows"] == len(raw)
    assert dt.datetime.fromisoformat(written["created_at"]).tzinfo is not None
    assert {t["column"] for t in written["transformed"]} == {"Client Name", "Visit Date", "Age"}
    # the key, in any spelling, is in no file that was written next to the data
    for path in outdir.iterdir():
        blob = path.read_bytes()
        for form in (key, key.hex().encode(), key.hex().upper().encode(), key_file.read_bytes().strip()):
            assert form not in blob, path.name
        for secret in ("Jane", "example.com", "Elm Street", "MRN 00", "(555)", "/2024"):
            assert secret.encode() not in blob, (path.name, secret)
    data = oc.read_sessions(out, columns={"When": "timepoint"})
    assert data.frame["client_id"].nunique() == raw["Client Name"].nunique()


def test_random_ids_write_a_private_crosswalk_that_is_never_overwritten(raw_export, tmp_path):
    raw, _ = raw_export
    source = tmp_path / "raw.csv"
    raw.head(200).to_csv(source, index=False)
    crosswalk = tmp_path / "practice" / "crosswalk.csv"
    crosswalk.parent.mkdir()
    manifest = anonymize_file(
        source,
        tmp_path / "clean.csv",
        key=None,
        id_column="Client Name",
        method="random",
        crosswalk=crosswalk,
    )
    assert manifest["crosswalk"]["file"] == "crosswalk.csv"
    assert stat.S_IMODE(os.stat(crosswalk).st_mode) == 0o600
    table = pd.read_csv(crosswalk)
    assert list(table.columns) == ["practice_id", "client_id"]
    assert set(table["practice_id"]) == set(raw.head(200)["Client Name"])
    assert b"Jane" not in (tmp_path / "clean.csv").read_bytes()
    with pytest.raises(FileExistsError, match="never overwritten"):
        anonymize_file(
            source,
            tmp_path / "again.csv",
            key=None,
            id_column="Client Name",
            method="random",
            crosswalk=crosswalk,
        )
    with pytest.raises(ValueError, match="crosswalk"):
        anonymize_file(source, tmp_path / "c.csv", key=None, id_column="Client Name", method="random")


def test_anonymize_reads_the_raw_file_without_scanning_or_validating(tmp_path, practice_key):
    source = tmp_path / "raw.xlsx"
    pd.DataFrame(
        {
            "Client Name": ["Jane Doe", "Jane Doe"],
            "Visit Date": ["2025-01-02", "2025-01-09"],
            "Measure": ["not a registered measure", "pain_nrs"],
            "Score": ["x", "4"],
        }
    ).to_excel(source, index=False)
    manifest = anonymize_file(
        source, tmp_path / "clean.csv", key=practice_key, id_column="Client Name", date_column="Visit Date"
    )
    assert manifest["input"]["format"] == "xlsx" and manifest["rows"] == 2
    with pytest.raises(ValueError, match="overwrite the raw export"):
        anonymize_file(tmp_path / "clean.csv", tmp_path / "clean.csv", key=practice_key)


def test_anonymize_errors_never_show_values(tmp_path, practice_key):
    source = tmp_path / "raw.csv"
    pd.DataFrame(
        {"Client Name": ["Jane Doe", "John Smith"], "Visit Date": ["2025-01-02", "Jane's birthday"]}
    ).to_csv(source, index=False)
    messages = []
    for kwargs in (
        {"id_column": "Client Name", "date_column": "Visit Date"},
        {"id_column": "Client Name", "age_column": "Visit Date"},
        {"id_column": "Client Nme"},
        {},
    ):
        with pytest.raises(SchemaError) as err:
            anonymize_file(source, tmp_path / "clean.csv", key=practice_key, **kwargs)
        messages.append(str(err.value))
    assert "(row 3;" in messages[0] and "(rows 2, 3)" in messages[1]  # row numbers as in the file
    for message in messages:
        assert "Jane" not in message and "John" not in message and "2025-01-02" not in message
    assert not (tmp_path / "clean.csv").exists()


#: One text for each first character a spreadsheet reads as a formula (OWASP, "CSV Injection").
HOSTILE = ["=1+2", "+SUM(A1)", "-2+3", "@cmd", "\t=1", "\r=1"]


def _csv_rows(path):
    text = path.read_bytes().decode("utf-8")  # no newline translation
    assert "\r" not in text, f"a carriage return in {path.name}"
    return list(csv.reader(io.StringIO(text, newline="")))


def test_anonymized_csv_and_crosswalk_write_formulas_as_text(tmp_path):
    """Issue 16: a condition, a client id or a column name spelled as a formula gets a single quote in
    front in the anonymized file and the crosswalk; a carriage return inside a text is a line feed in
    one quoted cell; tone grades (-2, -0.5, +1) stay numbers, and the file reads back."""
    raw = pd.DataFrame(
        {
            "Client Name": ['=HYPERLINK("http://x","Jane")'] * 4 + ["-Doe"] * 4,
            "Visit Date": ["2025-01-02", "2025-01-02", "2025-01-09", "2025-01-09"] * 2,
            "Session": ["1", "1", "2", "2"] * 2,
            "When": ["pre", "post"] * 4,
            "Measure": ["jaw_tone"] * 8,
            "Score": ["-2", "-1", "-0.5", "+1", "3", "2", "-3", "0"],
            "Condition": [*HOSTILE, "tmj", "x\r=1"],
            "=cmd|' /C calc'!A0": ["a"] * 8,
        }
    )
    source, out, crosswalk = tmp_path / "raw.csv", tmp_path / "clean.csv", tmp_path / "crosswalk.csv"
    raw.to_csv(source, index=False, quoting=csv.QUOTE_ALL)  # the carriage returns quoted
    anonymize_file(
        source,
        out,
        key=None,
        id_column="Client Name",
        date_column="Visit Date",
        method="random",
        crosswalk=crosswalk,
        rng_seed=1,
    )
    header, *rows = _csv_rows(out)
    assert header[-1] == "'=cmd|' /C calc'!A0"
    column = {name: [r[j] for r in rows] for j, name in enumerate(header)}
    assert column["Condition"] == ["'" + h.replace("\r", "\n") for h in HOSTILE] + ["tmj", "x\n=1"]
    assert [float(v) for v in column["Score"]] == [-2, -1, -0.5, 1, 3, 2, -3, 0]
    assert not any(v.startswith("'") for v in column["Score"] + column["client_id"])
    ids = dict(_csv_rows(crosswalk)[1:])
    assert set(ids) == {"'-Doe", '\'=HYPERLINK("http://x","Jane")'}
    data = oc.read_sessions(out, columns={"When": "timepoint"})
    assert sorted(data.frame["score"]) == [-3, -2, -1, -0.5, 0, 1, 2, 3]


def test_ordinary_values_are_written_as_they_are(samples, tmp_path, practice_key):
    """The quote is for text that could run as a formula only: no cell of an anonymized sample has one,
    and its negative tone grades are written as numbers."""
    out = tmp_path / "clean.csv"
    anonymize_file(samples / "synthetic_practice_long.csv", out, key=practice_key)
    header, *rows = _csv_rows(out)
    assert not [v for r in [header, *rows] for v in r if v.startswith("'")]
    scores = [float(r[header.index("score")]) for r in rows]
    assert min(scores) < 0
