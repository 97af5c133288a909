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
from outcomes.errors import OutcomesError, OutputExistsError, PrivacyError, SchemaError
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


# ---------------------------------------------------------------------------------------
# issue 16: nothing left behind, nothing overwritten unasked
# ---------------------------------------------------------------------------------------
def _attacked_file(tmp_path, attacked_export):
    source = tmp_path / "raw.csv"
    attacked_export().to_csv(source, index=False)
    return source


ROLES = {"id_column": "Client Name", "date_column": "Visit Date", "dob_column": "DOB"}


def test_the_attacked_export_file_passes_every_read(tmp_path, attacked_export, attack_secrets, practice_key):
    out = tmp_path / "clean.csv"
    manifest = anonymize_file(_attacked_file(tmp_path, attacked_export), out, key=practice_key, **ROLES)
    assert {"Therapist", "Emergency Contact", "Insurance Member"} <= {
        d["column"] for d in manifest["dropped"]
    }
    assert manifest["clients"] == 3 and manifest["clients_spelled_several_ways"] == 1
    data = oc.read_sessions(out)  # the scan of every read, with no override
    assert "privacy_findings" not in data.provenance and data.frame["client_id"].nunique() == 3
    for path in (out, manifest_path(out)):
        text = path.read_text(encoding="utf-8")
        for secret in attack_secrets:
            assert secret not in text, (path.name, secret)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["clean.csv", "clean.manifest.json", "raw.csv"]


def test_an_existing_output_or_manifest_is_kept_unless_force(tmp_path, attacked_export, practice_key):
    source = _attacked_file(tmp_path, attacked_export)
    out = tmp_path / "clean.csv"
    out.write_text("an older copy\n", encoding="utf-8")
    with pytest.raises(OutputExistsError) as err:
        anonymize_file(source, out, key=practice_key, **ROLES)
    assert isinstance(err.value, FileExistsError) and isinstance(err.value, OutcomesError)
    assert str(err.value) == (
        f"{out} already exists; outcomes anonymize does not overwrite an output or its manifest. Choose "
        "another output name, or replace it: --force on the command line (force=True in Python)."
    )
    assert out.read_text(encoding="utf-8") == "an older copy\n" and not manifest_path(out).exists()
    # the manifest alone is kept too
    out.unlink()
    manifest_path(out).write_text("{}\n", encoding="utf-8")
    with pytest.raises(OutputExistsError, match=r"clean\.manifest\.json already exists"):
        anonymize_file(source, out, key=practice_key, **ROLES)
    assert not out.exists() and manifest_path(out).read_text(encoding="utf-8") == "{}\n"
    # both, replaced with force
    out.write_text("an older copy\n", encoding="utf-8")
    with pytest.raises(OutputExistsError, match=r"clean\.manifest\.json already exist; .* replace them"):
        anonymize_file(source, out, key=practice_key, **ROLES)
    manifest = anonymize_file(source, out, key=practice_key, force=True, **ROLES)
    assert out.read_text(encoding="utf-8").startswith("client_id,")
    written = json.loads(manifest_path(out).read_text(encoding="utf-8"))
    assert (
        written["output"]["sha256"]
        == hashlib.sha256(out.read_bytes()).hexdigest()
        == (manifest["output"]["sha256"])
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["clean.csv", "clean.manifest.json", "raw.csv"]


def test_a_column_it_cannot_clear_stops_before_anything_is_written(tmp_path, practice_key):
    source = tmp_path / "raw.csv"
    pd.DataFrame(
        {
            "Client Name": ["Jane Doe", "John Smith", "Jane Doe"],
            "Condition": ["pelvic_pain", "call jane.doe@example.com", "tmj"],
            "Score": ["4", "5", "3"],
        }
    ).to_csv(source, index=False)
    out = tmp_path / "clean.csv"
    out.write_text("an older copy\n", encoding="utf-8")
    with pytest.raises(PrivacyError) as err:
        anonymize_file(source, out, key=practice_key, id_column="Client Name", force=True)
    message = str(err.value)
    assert "- column 'Condition' looks like e-mail addresses (1 of 3 values)" in message
    assert "--drop Condition (in Python: drop=['Condition'])" in message
    assert "jane" not in message.lower() and "John" not in message
    # nothing written, not even with force: the older copy stays, no manifest, no partial file
    assert out.read_text(encoding="utf-8") == "an older copy\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["clean.csv", "raw.csv"]
    anonymize_file(source, out, key=practice_key, id_column="Client Name", drop=["Condition"], force=True)
    assert list(pd.read_csv(out).columns) == ["client_id", "Score"]


def test_the_copy_is_scanned_as_every_read_sees_it_before_it_is_put_in_place(
    tmp_path, practice_key, monkeypatch
):
    """A second line of defence: should anonymize() ever let an identifying column through, the CSV
    read back (as text, names mapped) stops at the scan and never reaches the output's name."""
    import sys

    from outcomes.privacy import Anonymized

    module = sys.modules["outcomes.io.anonymize_file"]  # the attribute of outcomes.io is the function

    def leaky(table, **kwargs):
        frame = pd.DataFrame({"client_id": ["P1", "P2"], "Reach": ["555-123-4567", "555-987-6543"]})
        return Anonymized(frame, {"dropped": []}, None)

    monkeypatch.setattr(module, "anonymize", leaky)
    source = tmp_path / "raw.csv"
    source.write_text("client_id,score\nC1,4\nC2,5\n", encoding="utf-8")
    with pytest.raises(PrivacyError) as err:
        anonymize_file(source, tmp_path / "clean.csv", key=practice_key)
    message = str(err.value)
    assert message.startswith("The anonymized copy clean.csv would still hold 1 column")
    assert "- column 'Reach' looks like phone or fax numbers (2 of 2 values)" in message
    assert "555" not in message and "--drop Reach " in message
    assert sorted(p.name for p in tmp_path.iterdir()) == ["raw.csv"]
