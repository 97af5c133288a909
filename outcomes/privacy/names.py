"""Person names from public census data: given names and surnames, for telling a name from a label.

The lists are the U.S. Census Bureau's 1990 "Frequently Occurring Surnames and First
Names" (5,163 given names, 88,799 surnames covering 90% of the population; public
domain), shipped in ``outcomes/_data/census_names_1990.csv.gz`` as the PyPI package
``names`` 0.3.0 ships them. They are loaded on first use. A word list alone says little
(``grace``, ``bell`` and ``hope`` are names and words); the scanner uses it together with
the shape of a value and its column (:mod:`outcomes.privacy.scanner`).
"""

from __future__ import annotations

import functools
import gzip
import itertools
import re
import unicodedata
from collections.abc import Sequence
from importlib import resources

import numpy as np

__all__ = [
    "full_names",
    "given_names",
    "initial_and_surname",
    "name_words",
    "names_in_text",
    "person_name",
    "surnames",
]

_LETTERS = re.compile(r"[a-z]+(?:['’-][a-z]+)*")


@functools.cache
def _lists() -> tuple[frozenset[str], frozenset[str]]:
    raw = resources.files("outcomes").joinpath("_data/census_names_1990.csv.gz").read_bytes()
    given: set[str] = set()
    family: set[str] = set()
    for line in gzip.decompress(raw).decode("ascii").splitlines():
        if line.startswith("#") or line == "kind,name":
            continue
        kind, _, name = line.partition(",")
        (given if kind == "given" else family).add(name)
    return frozenset(given), frozenset(family)


def given_names() -> frozenset[str]:
    """Given names of the 1990 census, lower case."""
    return _lists()[0]


def surnames() -> frozenset[str]:
    """Surnames of the 1990 census, lower case."""
    return _lists()[1]


def name_words(text: str) -> list[str]:
    """The words of ``text`` in lower case without accents (``José García`` -> ``jose``, ``garcia``).

    >>> name_words("José García-López")
    ['jose', 'garcia-lopez']
    """
    plain = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch)).lower()
    return _LETTERS.findall(plain)


_TITLES = frozenset({"mr", "mrs", "ms", "miss", "mx", "dr", "prof"})
_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})


def person_name(text: str, not_names: frozenset[str] = frozenset()) -> bool:
    """Whether ``text`` is a person's full name: a census given name, then one or two more words,
    the last a census surname (``Jane Doe``, ``JANE DOE``, ``jane doe``, ``José García``,
    ``Doe, Jane``, ``Mrs Sarah Kim``), nothing else in it but a title, an initial or a suffix,
    and no word of ``not_names`` (category words such as ``pain`` or ``clinic``).

    >>> [person_name(t) for t in ["Jane Doe", "Doe, Jane", "jane doe", "Still Point", "pain_nrs"]]
    [True, True, True, False, False]
    """
    if len(text) > 60 or any(ch.isdigit() for ch in text) or "_" in text:
        return False
    given, family = _lists()
    words = [w for w in name_words(text) if w not in _TITLES and w not in _SUFFIXES]
    words = [w for w in words if len(w) > 1]  # initials
    if not 2 <= len(words) <= 3 or any(w in not_names for w in words):
        return False
    if "," in text:  # "Doe, Jane": the surname first
        words = [*words[1:], words[0]]
    last = words[-1].split("-")
    return words[0] in given and any(part in family for part in last)


def full_names(values: Sequence[str], not_names: frozenset[str] = frozenset()) -> np.ndarray:
    """Which values are a person's full name (:func:`person_name`), as booleans."""
    return np.fromiter((person_name(v, not_names) for v in values), dtype=bool, count=len(values))


_INITIAL_SURNAME = re.compile(r"([a-z])\.?\s?([a-z'-]{2,})|([a-z'-]{2,}),\s*([a-z])\.?", re.IGNORECASE)


def initial_and_surname(values: Sequence[str]) -> np.ndarray:
    """Which values are an initial and a census surname (``jdoe``, ``j.doe``, ``Doe, J.``).

    >>> initial_and_surname(["jdoe", "Doe, J.", "C0001", "tmj"]).tolist()
    [True, True, False, False]
    """
    family = surnames()

    def one(v: str) -> bool:
        m = _INITIAL_SURNAME.fullmatch(v.strip())
        if not m:
            return False
        surname = (m.group(2) or m.group(3)).lower()
        return len(surname) >= 3 and surname in family

    return np.fromiter((one(v) for v in values), dtype=bool, count=len(values))


def names_in_text(text: str, not_names: frozenset[str] = frozenset()) -> bool:
    """Whether a sentence holds a capitalised given name followed by a census surname.

    >>> names_in_text("# exported by Jane Doe for the clinic"), names_in_text("# export of 2025")
    (True, False)
    """
    words = re.findall(r"[^\W\d_][\w'’-]*", text)
    return any(
        a[:1].isupper() and b[:1].isupper() and person_name(f"{a} {b}", not_names)
        for a, b in itertools.pairwise(words)
    )
