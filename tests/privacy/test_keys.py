"""outcomes.privacy.keys: the practice key (written once, never overwritten, weak keys refused) and the
keyed pseudonyms (deterministic, unlinkable across keys)."""

from __future__ import annotations

import codecs
import hashlib
import os
import stat
import warnings

import pandas as pd
import pytest

from outcomes.cli import main
from outcomes.errors import PrivacyError, PrivacyWarning, ReadError
from outcomes.privacy import anonymize, key_fingerprint, keygen, read_key

# The practice key of these tests (the ``practice_key`` fixture of tests/conftest.py gives other files
# the same bytes): module-level here because the weak-key cases below are built from it at collection.
KEY = bytes.fromhex("f94ff9e0786ed7da80332b8e62a24314cf6db12cc42d2342e147c04e387b3cbf")
OTHER_KEY = bytes.fromhex("5b0e9c1d2a7f44e3b8c6d1f0a9e27b3c4d5e6f708192a3b4c5d6e7f8091a2b3c")


def _clean_of(raw: pd.DataFrame, key: bytes = KEY, **kw) -> pd.DataFrame:
    kw.setdefault("id_column", "Client Name")
    return anonymize(raw, key=key, **kw).frame


# ---------------------------------------------------------------------------------------
# keys
# ---------------------------------------------------------------------------------------
def test_keygen_writes_32_random_bytes_as_hex_with_mode_0600(tmp_path, new_key):
    path = tmp_path / "practice.key"
    fingerprint = keygen(path)
    text = path.read_text(encoding="ascii")
    assert len(text) == 65 and text.endswith("\n") and int(text[:64], 16) >= 0
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    key = read_key(path)
    assert len(key) == 32 and fingerprint == key_fingerprint(key)
    assert fingerprint != key_fingerprint(read_key(new_key(tmp_path / "second.key")))


def test_keygen_refuses_to_overwrite(tmp_path, new_key):
    path = new_key(tmp_path / "practice.key")
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
    path.chmod(0o600)
    with pytest.raises(error, match=match):
        read_key(path)
    with pytest.raises(ReadError, match="not found"):
        read_key(tmp_path / "missing.key")


@pytest.mark.parametrize(
    "content",
    [
        codecs.BOM_UTF8 + KEY.hex().encode() + b"\n",  # saved by an editor "as UTF-8 with BOM"
        codecs.BOM_UTF8 + KEY.hex().encode() + b"\r\n",
        b"\n  " + codecs.BOM_UTF8 + KEY.hex().upper().encode() + b" \r\n\n",
        b"\t" + KEY.hex().encode(),
    ],
)
def test_read_key_accepts_a_byte_order_mark_and_surrounding_whitespace(tmp_path, content):
    path = tmp_path / "practice.key"
    path.write_bytes(content)
    path.chmod(0o600)
    assert read_key(path) == KEY


@pytest.mark.skipif(os.name == "nt", reason="Windows files have no Unix mode")
@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604, 0o660])
def test_a_key_file_other_users_can_read_is_used_with_a_warning(tmp_path, new_key, mode):
    path = new_key(tmp_path / "practice.key")
    path.chmod(mode)
    with pytest.warns(PrivacyWarning) as caught:
        key = read_key(path)
    assert len(key) == 32 and len(caught) == 1
    message = str(caught[0].message)
    assert str(path) in message and f"chmod 600 {path}" in message and f"mode 0{mode:o}" in message
    for form in (key.hex(), key.hex().upper(), repr(key)):
        assert form not in message
    assert issubclass(PrivacyWarning, UserWarning)


@pytest.mark.skipif(os.name == "nt", reason="Windows files have no Unix mode")
@pytest.mark.parametrize("mode", [0o600, 0o400])
def test_a_key_file_only_you_can_read_gives_no_warning(tmp_path, new_key, mode):
    path = new_key(tmp_path / "practice.key")
    path.chmod(mode)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert len(read_key(path)) == 32


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


def _hmac_pseudonym(text: bytes) -> str:
    import hmac

    return "P" + hmac.new(KEY, b"outcomes/pseudonym/v1\x00" + text, hashlib.sha256).hexdigest()[:16]


def test_pseudonyms_are_hmac_sha256_of_the_normalised_id():
    """Issue 16 changed the keyed form of ids with small letters: 'Jane Doe' was keyed as written,
    it is now keyed as 'JANE DOE' (case-folded, then a-z as capitals), with every other spelling."""
    raw = pd.DataFrame(
        {
            "client_id": [" Jane   Doe", "Jane Doe ", "JANE DOE", "jane\tdoe", "John Smith", ""],
            "score": ["1"] * 6,
        }
    )
    out = anonymize(raw, key=KEY, id_column="client_id").frame
    want = _hmac_pseudonym(b"JANE DOE")
    assert out["client_id"].tolist()[:4] == [want] * 4
    assert out["client_id"].iloc[4] == _hmac_pseudonym(b"JOHN SMITH")
    assert out["client_id"].iloc[5] == ""  # blank stays blank, for validation to report


def test_codes_in_capitals_keep_the_pseudonyms_of_earlier_versions():
    """Before issue 16 the id was keyed as written (NFC, spaces collapsed): a code in capitals or
    digits is keyed the same now, so later exports still link up with earlier ones."""
    raw = pd.DataFrame({"client_id": ["C001", "c001", "P-17", "00123", "\uff23\uff10\uff10\uff11"]})
    out = anonymize(raw, key=KEY, id_column="client_id").frame["client_id"].tolist()
    assert out == [_hmac_pseudonym(b"C001")] * 2 + [_hmac_pseudonym(b"P-17"), _hmac_pseudonym(b"00123")] + [
        _hmac_pseudonym(b"C001")  # full-width letters and digits (NFKC)
    ]
