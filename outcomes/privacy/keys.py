"""The anonymizer's secret: making a key, reading it back, refusing weak ones, its fingerprint, and the
keyed pseudonyms.
"""

from __future__ import annotations

import codecs
import hashlib
import hmac
import itertools
import os
import re
import secrets
import shlex
import stat
import warnings
from collections.abc import Sequence
from pathlib import Path

from ..errors import OutputExistsError, PrivacyError, PrivacyWarning, ReadError

_KEY_BYTES = 32


_FINGERPRINT_DOMAIN = b"outcomes/key-fingerprint/v1\x00"


_PSEUDONYM_DOMAIN = b"outcomes/pseudonym/v1\x00"


_WEAK_WORDS = (
    b"changeme",
    b"change_me",
    b"change-me",
    b"secret",
    b"password",
    b"passw0rd",
    b"default",
    b"outcomes",
    b"example",
    b"admin",
    b"letmein",
    b"qwerty",
    b"test",
    b"hmac",
    b"key",
    b"0123456789",
    b"1234",
    b"abcd",
)


def key_fingerprint(key: bytes) -> str:
    """First 16 hex characters of SHA-256 over a fixed domain prefix and the key.

    It tells two keys apart (the manifest of :func:`anonymize` records it) and
    reveals nothing usable about the key.

    >>> key_fingerprint(bytes(range(32)))
    '032ee4b5db81f88a'
    """
    return hashlib.sha256(_FINGERPRINT_DOMAIN + bytes(key)).hexdigest()[:16]


def check_key(key: object) -> bytes:
    """The key as bytes, or PrivacyError when it cannot be a random key of at least 32 bytes."""
    how = "Make a key with `outcomes keygen KEYFILE` and read it with outcomes.privacy.read_key(KEYFILE)."
    if key is None:
        raise PrivacyError(f"Keyed pseudonyms need a key (at least {_KEY_BYTES} random bytes). {how}")
    if isinstance(key, str):
        raise TypeError(f"key must be bytes, not text. {how}")
    if not isinstance(key, (bytes, bytearray, memoryview)):
        raise TypeError(f"key must be bytes, not {type(key).__name__}. {how}")
    raw = bytes(key)
    problem = None
    if not raw:
        problem = "it is empty"
    elif len(raw) < _KEY_BYTES:
        problem = f"it has {len(raw)} bytes; at least {_KEY_BYTES} random bytes are needed"
    elif len(set(raw)) == 1:
        problem = "all its bytes are the same"
    else:
        lowered = raw.lower()
        for word in _WEAK_WORDS:
            rest = lowered.replace(word, b"")
            if len(rest) < len(lowered) and len(set(rest)) <= 1:
                problem = (
                    "it is a well-known default key (such as 'changeme', 'secret' or 'password', padded)"
                )
                break
        if problem is None:
            steps = {b - a for a, b in itertools.pairwise(raw)}
            if len(steps) == 1:
                problem = "it is a counting sequence"
            elif all(32 <= b < 127 for b in raw):
                problem = (
                    "it is printable text (a passphrase, or the hex text of a key file), not random bytes"
                )
            elif len(set(raw)) < 16:
                problem = "it has too few different byte values to be random"
    if problem:
        raise PrivacyError(f"This key cannot be used: {problem}. {how}")
    return raw


def read_key(path: str | Path) -> bytes:
    """Read a key file written by :func:`keygen` (64 hex characters) and check the key.

    A leading UTF-8 byte-order mark (left by some editors) and whitespace or
    line ends around the key are ignored.

    Warns
    -----
    PrivacyWarning
        The file can be read (or written) by other users: its mode is not
        ``0600``. The warning names the file and the fix (``chmod 600 FILE``),
        never the key. (Not checked on Windows, whose files have no such mode.)

    Raises
    ------
    ReadError
        The file does not exist or cannot be read.
    PrivacyError
        The file does not hold a hex key, or the key is too short, empty or a
        well-known default.
    """
    p = Path(path)
    try:
        data = p.read_bytes()
        mode = os.stat(p).st_mode
    except FileNotFoundError:
        raise ReadError(
            f"Key file {p.name!r} not found at {p}. Make one with `outcomes keygen {p}`."
        ) from None
    except OSError as exc:
        raise ReadError(f"Key file {p.name!r} could not be read: {exc.strerror}.") from None
    text = data.strip()
    if text.startswith(codecs.BOM_UTF8):
        text = text[len(codecs.BOM_UTF8) :].strip()
    try:
        hex_text = text.decode("ascii")
    except UnicodeDecodeError:
        hex_text = "?"
    if not re.fullmatch(r"(?:[0-9a-fA-F]{2})+", hex_text):
        raise PrivacyError(
            f"Key file {p.name!r} does not hold a key as written by `outcomes keygen` "
            f"(at least {2 * _KEY_BYTES} hexadecimal characters on one line)."
        )
    key = check_key(bytes.fromhex(hex_text))
    bits = stat.S_IMODE(mode)
    if os.name != "nt" and bits & 0o077:
        how = "read" if bits & 0o044 else "changed"
        warnings.warn(
            f"Key file {str(p)!r} can be {how} by other users of this computer (mode {bits:04o}); "
            "anyone who can read it can recompute your clients' pseudonyms. Make it readable by you only: "
            f"chmod 600 {shlex.quote(str(p))}",
            PrivacyWarning,
            stacklevel=2,
        )
    return key


def keygen(path: str | Path) -> str:
    """Write a new random key (32 bytes as 64 hex characters and a newline), readable by you only.

    The file is created with mode 0600 and never overwritten: pseudonyms made
    with a key match later ones only while the same key is used.

    Parameters
    ----------
    path : str or Path
        The key file to create. Keep it at the practice, away from the
        anonymized data.

    Returns
    -------
    str
        The key's fingerprint (:func:`key_fingerprint`).

    Raises
    ------
    OutputExistsError
        ``path`` already exists (also a ``FileExistsError``).
    """
    p = Path(path)
    if p.exists() or p.is_symlink():
        raise OutputExistsError(
            f"{p} already exists; outcomes keygen never overwrites a key (pseudonyms made with it would no "
            "longer match). Choose another file name, or move the old key away first."
        )
    key = secrets.token_bytes(_KEY_BYTES)
    fd = os.open(p, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii", newline="\n") as fh:
        fh.write(key.hex() + "\n")
    os.chmod(p, 0o600)
    return key_fingerprint(key)


def pseudonyms(ids: Sequence[str], key: bytes) -> dict[str, str]:
    return {
        i: "P" + hmac.new(key, _PSEUDONYM_DOMAIN + i.encode("utf-8"), hashlib.sha256).hexdigest()[:16]
        for i in ids
    }
