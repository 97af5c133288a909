"""The anonymizer and its key: deterministic, unlinkable across keys, never writes the key, output passes."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import stat
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import outcomes as oc
from outcomes.cli import main
from outcomes.datasets import ADULT_AGE_BANDS
from outcomes.errors import PrivacyError, ReadError, SchemaError
from outcomes.io import anonymize_file, manifest_path
from outcomes.privacy import (
    AGE_BANDS,
    age_bands,
    anonymize,
    key_fingerprint,
    keygen,
    read_key,
    scan,
)

KEY = bytes.fromhex("f94ff9e0786ed7da80332b8e62a24314cf6db12cc42d2342e147c04e387b3cbf")
OTHER_KEY = bytes.fromhex("5b0e9c1d2a7f44e3b8c6d1f0a9e27b3c4d5e6f708192a3b4c5d6e7f8091a2b3c")
GIVEN = [
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
    "Maria",
    "David",
]
FAMILY = ["Doe", "Smith", "Garcia", "Nguyen", "Brown", "Okafor", "Kowalski", "Rossi", "Haddad", "Lee"]
FAMILY += ["Moore", "Walsh", "Park", "Silva", "Cohen", "Novak", "Adams", "Baker", "Clark", "Evans"]


def _names(n: int) -> list[str]:
    assert n <= len(GIVEN) * len(FAMILY)
    return [f"{GIVEN[i % len(GIVEN)]} {FAMILY[(i // len(GIVEN)) % len(FAMILY)]}" for i in range(n)]


@pytest.fixture(scope="module")
def raw_export() -> tuple[pd.DataFrame, pd.DataFrame]:
    """The synthetic long sample made identifying, as a records system exports it; and the sample."""
    sample = oc.sample_data("long").frame
    clients = sorted(sample["client_id"].unique())
    rng = np.random.default_rng(11)
    names = dict(zip(clients, _names(len(clients)), strict=True))
    start = {
        c: dt.date(2024, 1, 2) + dt.timedelta(days=int(d))
        for c, d in zip(clients, rng.integers(0, 600, len(clients)), strict=True)
    }
    ages = {c: int(a) for c, a in zip(clients, rng.integers(19, 97, len(clients)), strict=True)}
    visit = [
        start[c] + dt.timedelta(days=int(d))
        for c, d in zip(sample["client_id"], sample["days_from_first"], strict=True)
    ]
    raw = pd.DataFrame(
        {
            "Client Name": sample["client_id"].map(names),
            "Visit Date": [d.strftime("%m/%d/%Y") for d in visit],
            "Age": sample["client_id"].map(ages).astype(str),
            "Phone": [f"(555) {100 + i % 800:03d}-{i % 10_000:04d}" for i in range(len(sample))],
            "Email": sample["client_id"].map(lambda c: f"{names[c].replace(' ', '.').lower()}@example.com"),
            "Address": [f"{10 + i % 90} Elm Street" for i in range(len(sample))],
            "Zip": [f"{2100 + i % 50:05d}" for i in range(len(sample))],
            "MRN": sample["client_id"].map(lambda c: f"MRN {int(c[1:]) + 4500:06d}"),
            "Session": sample["session"].astype(str),
            "When": sample["timepoint"].astype(str),
            "Measure": sample["measure"],
            "Score": sample["score"].map(lambda s: f"{s:g}"),
            "Condition": sample["condition"],
            "Technique": sample["technique"],
            "Payer": sample["payer"],
            "Notes": [
                "felt lighter after the session, slept better" if i % 50 == 0 else ""
                for i in range(len(sample))
            ],
        }
    )
    return raw, sample


def _clean_of(raw: pd.DataFrame, key: bytes = KEY, **kw) -> pd.DataFrame:
    kw.setdefault("id_column", "Client Name")
    return anonymize(raw, key=key, **kw).frame


# ---------------------------------------------------------------------------------------
# keys
# ---------------------------------------------------------------------------------------
def test_keygen_writes_32_random_bytes_as_hex_with_mode_0600(tmp_path):
    path = tmp_path / "practice.key"
    fingerprint = keygen(path)
    text = path.read_text(encoding="ascii")
    assert len(text) == 65 and text.endswith("\n") and int(text[:64], 16) >= 0
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    key = read_key(path)
    assert len(key) == 32 and fingerprint == key_fingerprint(key)
    assert fingerprint != key_fingerprint(read_key(_new_key(tmp_path / "second.key")))


def _new_key(path: Path) -> Path:
    keygen(path)
    return path


def test_keygen_refuses_to_overwrite(tmp_path):
    path = _new_key(tmp_path / "practice.key")
    before = path.read_bytes()
    with pytest.raises(FileExistsError, match="never overwrites"):
        keygen(path)
    assert path.read_bytes() == before
    assert main(["keygen", str(path)]) == 1
    assert path.read_bytes() == before


def test_key_fingerprint_is_domain_separated_sha256():
    assert key_fingerprint(KEY) == hashlib.sha256(b"outcomes/key-fingerprint/v1\x00" + KEY).hexdigest()[:16]
    assert key_fingerprint(KEY) != hashlib.sha256(KEY).hexdigest()[:16]


@pytest.mark.parametrize(
    ("key", "why"),
    [
        (b"", "empty"),
        (b"\x8f\x12\xa0" * 5, "15 bytes"),
        (KEY[:31], "31 bytes"),
        (b"\x00" * 32, "all its bytes are the same"),
        (b"\xff" * 64, "all its bytes are the same"),
        (b"changeme" * 4, "well-known default"),
        (b"secret".ljust(32, b"\x00"), "well-known default"),
        (b"password".ljust(40, b" "), "well-known default"),
        (b"PASSWORD" * 4, "well-known default"),
        (b"secret" + b"=" * 26, "well-known default"),
        (bytes(range(32)), "counting sequence"),
        (b"correct horse battery staple 1234", "printable text"),
        (KEY.hex().encode(), "printable text"),
        (bytes([1, 2, 3, 4, 5, 6, 7, 8] * 4), "too few different byte values"),
    ],
)
def test_weak_keys_are_refused(raw_export, key, why):
    raw, _ = raw_export
    with pytest.raises(PrivacyError, match=why) as err:
        anonymize(raw.head(4), key=key, id_column="Client Name")
    assert "keygen" in str(err.value)
    if key:
        assert key.hex() not in str(err.value) and repr(key) not in str(err.value)


def test_a_key_must_be_given_as_bytes(raw_export):
    raw, _ = raw_export
    with pytest.raises(PrivacyError, match="need a key"):
        anonymize(raw.head(4), key=None, id_column="Client Name")
    with pytest.raises(TypeError, match="bytes, not text"):
        anonymize(raw.head(4), key=KEY.hex(), id_column="Client Name")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("content", "error", "match"),
    [
        (b"changeme\n", PrivacyError, "does not hold a key"),
        ((b"ab" * 16) + b"\n", PrivacyError, "16 bytes"),
        (b"00" * 32 + b"\n", PrivacyError, "all its bytes are the same"),
        (b"\xff\xfe garbage", PrivacyError, "does not hold a key"),
    ],
)
def test_read_key_refuses_bad_key_files(tmp_path, content, error, match):
    path = tmp_path / "bad.key"
    path.write_bytes(content)
    with pytest.raises(error, match=match):
        read_key(path)
    with pytest.raises(ReadError, match="not found"):
        read_key(tmp_path / "missing.key")


# ---------------------------------------------------------------------------------------
# pseudonyms
# ---------------------------------------------------------------------------------------
def test_same_key_gives_the_same_pseudonyms(raw_export):
    raw, _ = raw_export
    first, second = _clean_of(raw), _clean_of(raw)
    pd.testing.assert_frame_equal(first, second)
    assert first["client_id"].str.fullmatch(r"P[0-9a-f]{16}").all()
    # linkable across exports: a later export of some of the same clients gets the same codes
    later = raw.iloc[::-1].head(500).reset_index(drop=True)
    mapping = dict(zip(raw["Client Name"], first["client_id"], strict=True))
    assert _clean_of(later)["client_id"].tolist() == later["Client Name"].map(mapping).tolist()


def test_another_key_gives_unlinkable_pseudonyms(raw_export):
    raw, _ = raw_export
    a, b = _clean_of(raw)["client_id"], _clean_of(raw, key=OTHER_KEY)["client_id"]
    assert not set(a) & set(b)
    assert a.nunique() == b.nunique() == raw["Client Name"].nunique()


def test_pseudonyms_are_hmac_sha256_of_the_normalised_id():
    import hmac

    raw = pd.DataFrame({"client_id": [" Jane   Doe", "Jane Doe ", "John Smith", ""], "score": ["1"] * 4})
    out = anonymize(raw, key=KEY, id_column="client_id").frame
    want = "P" + hmac.new(KEY, b"outcomes/pseudonym/v1\x00Jane Doe", hashlib.sha256).hexdigest()[:16]
    assert out["client_id"].tolist()[:2] == [want, want]
    assert out["client_id"].iloc[3] == ""  # blank stays blank, for validation to report


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


# ---------------------------------------------------------------------------------------
# the whole export: dates, ages, dropped columns; the output passes the scan and the reader
# ---------------------------------------------------------------------------------------
def test_anonymized_export_passes_the_scan_and_the_reader(raw_export, tmp_path):
    raw, sample = raw_export
    result = anonymize(raw, key=KEY, id_column="Client Name", date_column="Visit Date", age_column="Age")
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


def test_every_sample_layout_survives_anonymization(samples, tmp_path):
    for layout in ("long", "prepost", "wide", "redcap"):
        source = samples / f"synthetic_practice_{layout}.csv"
        out = tmp_path / f"{layout}.csv"
        manifest = anonymize_file(source, out, key=KEY)
        assert manifest["dropped"] == []
        before, after = oc.read_sessions(source), oc.read_sessions(out)
        assert after.layout == layout
        assert len(after.frame) == len(before.frame)
        assert after.frame["client_id"].nunique() == before.frame["client_id"].nunique()
        assert not set(after.frame["client_id"]) & set(before.frame["client_id"])


@pytest.mark.parametrize(
    ("dates", "fmt"),
    [
        (["2024-03-15", "2024-03-29", "2024-04-12"], None),
        (["03/15/2024", "03/29/2024", "04/12/2024"], None),
        (["15/03/2024", "29/03/2024", "12/04/2024"], None),
        (["15.03.2024", "29.03.2024", "12.04.2024"], None),
        (["March 15, 2024", "March 29, 2024", "April 12, 2024"], None),
        (["15 Mar 2024", "29 Mar 2024", "12 Apr 2024"], None),
        (["2024-03-15T09:30:00", "2024-03-29 16:00:00", "2024-04-12"], None),
        (["03/04/2024", "03/18/2024", "05/02/2024"], "%m/%d/%Y"),
    ],
)
def test_dates_become_days_from_first_year_and_sessions(dates, fmt):
    raw = pd.DataFrame({"Client": ["Jane Doe"] * 3, "Visit Date": dates, "score": ["4", "3", "2"]})
    clean = anonymize(raw, key=KEY, id_column="Client", date_column="Visit Date", date_format=fmt).frame
    expected = [0, 14, 28] if fmt is None else [0, 14, 59]
    assert clean["days_from_first"].tolist() == expected
    assert clean["year"].tolist() == [2024] * 3
    assert clean["session"].tolist() == [1, 2, 3]


def test_ambiguous_and_unreadable_dates_stop_without_showing_them():
    raw = pd.DataFrame({"Client": ["Jane Doe"] * 3, "Visit": ["03/04/2024", "05/06/2024", "07/08/2024"]})
    with pytest.raises(SchemaError, match="month-first or day-first") as err:
        anonymize(raw, key=KEY, id_column="Client", date_column="Visit")
    assert "03/04/2024" not in str(err.value) and "Jane" not in str(err.value)
    raw["Visit"] = ["2024-03-15", "the 2nd of May", "2024-03-29"]
    with pytest.raises(SchemaError, match=r"1 date in column 'Visit' could not be read \(row 1;") as err:
        anonymize(raw, key=KEY, id_column="Client", date_column="Visit")
    assert "May" not in str(err.value) and "2024-03" not in str(err.value)


def test_ages_become_bands_at_the_first_visit():
    raw = pd.DataFrame(
        {
            "Client": ["A B", "A B", "C D", "E F", "G H", "I J"],
            "Age": ["34", "35", "17", "89", "90", "104"],
            "score": ["1"] * 6,
        }
    )
    clean = anonymize(raw, key=KEY, id_column="Client", age_column="Age").frame
    assert clean["age_band"].tolist() == ["25-34", "25-34", "under 18", "75-89", "90+", "90+"]
    assert "Age" not in clean.columns
    raw.loc[2, "Age"] = "Jane's age"
    with pytest.raises(SchemaError, match=r"age column 'Age' is not an age in years \(row 2\)") as err:
        anonymize(raw, key=KEY, id_column="Client", age_column="Age")
    assert "Jane" not in str(err.value)


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


def test_date_of_birth_becomes_an_age_band_at_the_first_visit_and_is_dropped():
    raw = pd.DataFrame(
        {
            "Client": ["Jane Doe", "Jane Doe", "John Smith"],
            "Visit": ["2024-03-15", "2025-03-16", "2024-06-01"],
            "DOB": ["1990-03-16", "1990-03-16", "1930-06-01"],
            "score": ["4", "3", "2"],
        }
    )
    result = anonymize(raw, key=KEY, id_column="Client", date_column="Visit", dob_column="DOB")
    assert result.frame["age_band"].tolist() == ["25-34", "25-34", "90+"]  # 33 the day before her birthday
    assert "DOB" not in result.frame.columns and scan(result.frame).empty
    with_age = raw.assign(Age=["33", "34", "94"])
    result = anonymize(
        with_age, key=KEY, id_column="Client", date_column="Visit", dob_column="DOB", age_column="Age"
    )
    assert {"column": "DOB", "reason": "dates of birth"} in result.manifest["dropped"]


def test_drop_and_unknown_columns():
    raw = pd.DataFrame({"Client": ["Jane Doe"], "Therapist": ["OT"], "Room": ["3"], "score": ["4"]})
    result = anonymize(raw, key=KEY, id_column="Client", drop=["Therapist", "room"])
    assert list(result.frame.columns) == ["client_id", "score"]
    assert result.manifest["dropped"] == [
        {"column": "Therapist", "reason": "listed in drop"},
        {"column": "Room", "reason": "listed in drop"},
    ]
    with pytest.raises(SchemaError, match="date_column 'Visit' is not a column of the export"):
        anonymize(raw, key=KEY, id_column="Client", date_column="Visit")


# ---------------------------------------------------------------------------------------
# files: the manifest, never the key
# ---------------------------------------------------------------------------------------
def test_anonymize_file_writes_output_and_manifest_and_never_the_key(raw_export, tmp_path):
    raw, _ = raw_export
    keydir, outdir = tmp_path / "keys", tmp_path / "share"
    keydir.mkdir()
    outdir.mkdir()
    key_file = _new_key(keydir / "practice.key")
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


def test_anonymize_reads_the_raw_file_without_scanning_or_validating(tmp_path):
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
        source, tmp_path / "clean.csv", key=KEY, id_column="Client Name", date_column="Visit Date"
    )
    assert manifest["input"]["format"] == "xlsx" and manifest["rows"] == 2
    with pytest.raises(ValueError, match="overwrite the raw export"):
        anonymize_file(tmp_path / "clean.csv", tmp_path / "clean.csv", key=KEY)


def test_anonymize_errors_never_show_values(tmp_path):
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
            anonymize_file(source, tmp_path / "clean.csv", key=KEY, **kwargs)
        messages.append(str(err.value))
    assert "(row 3;" in messages[0] and "(rows 2, 3)" in messages[1]  # row numbers as in the file
    for message in messages:
        assert "Jane" not in message and "John" not in message and "2025-01-02" not in message
    assert not (tmp_path / "clean.csv").exists()


# ---------------------------------------------------------------------------------------
# the command line
# ---------------------------------------------------------------------------------------
def test_cli_keygen_anonymize_validate(raw_export, tmp_path, capsys):
    raw, _ = raw_export
    source = tmp_path / "raw.csv"
    raw.head(300).to_csv(source, index=False)
    key = tmp_path / "practice.key"
    assert main(["keygen", str(key)]) == 0
    assert "fingerprint" in capsys.readouterr().out
    out = tmp_path / "clean.csv"
    code = main(
        [
            "anonymize",
            str(source),
            "-o",
            str(out),
            "--key-file",
            str(key),
            "--id-column",
            "Client Name",
            "--date-column",
            "Visit Date",
            "--age-column",
            "Age",
            "--drop",
            "Technique",
        ]
    )
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert f"Wrote {out}: 300 rows" in captured.out and "dropped 'Phone'" in captured.out
    assert "dropped 'Technique': listed in drop" in captured.out
    assert "Jane" not in captured.out + captured.err
    assert manifest_path(out).exists()
    assert main(["validate", str(out), "--columns", _when_map(tmp_path)]) == 0
    assert main(["validate", str(source)]) == 1  # the raw file itself stops at the scan


def _when_map(tmp_path: Path) -> str:
    path = tmp_path / "map.toml"
    path.write_text('[columns]\n"When" = "timepoint"\n', encoding="utf-8")
    return str(path)


def test_cli_anonymize_usage_and_key_errors(tmp_path, capsys, samples):
    source = samples / "synthetic_practice_long.csv"
    out = str(tmp_path / "clean.csv")
    assert main(["anonymize", str(source), "-o", out]) == 2
    assert "keygen" in capsys.readouterr().err
    assert main(["anonymize", str(source), "-o", out, "--random-ids"]) == 2
    assert main(["anonymize", str(source), "-o", str(tmp_path / "clean.xlsx"), "--random-ids"]) == 2
    weak = tmp_path / "weak.key"
    weak.write_text("changeme\n", encoding="ascii")
    assert main(["anonymize", str(source), "-o", out, "--key-file", str(weak)]) == 1
    assert "does not hold a key" in capsys.readouterr().err
    crosswalk = tmp_path / "cw.csv"
    assert (
        main(["anonymize", str(source), "-o", out, "--random-ids", "--crosswalk", str(crosswalk), "-q"]) == 0
    )
    assert crosswalk.exists() and stat.S_IMODE(os.stat(crosswalk).st_mode) == 0o600


@pytest.mark.parametrize("command", ["anonymize", "keygen"])
def test_cli_help_has_examples(command, capsys):
    assert main([command, "--help"]) == 0
    out = capsys.readouterr().out
    assert "Examples:" in out and f"outcomes {command} " in out
