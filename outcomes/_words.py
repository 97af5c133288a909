"""Words shown to people: labels of conditions, levels, arms and flags; plurals and row lists.

Reports, figures, verdicts and the command line take their wording from here,
so that a condition, a level of change or a kind of published arm reads the
same everywhere. A leaf module: it imports nothing from the package.

>>> condition_label("stress_anxiety"), condition_phrase("stress_anxiety"), who("tmj")
('Stress / anxiety', 'stress / anxiety', 'TMJ clients')
>>> condition_label("all"), condition_phrase("all"), who("all")
('All clients', 'all clients', 'all clients')
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

__all__ = [
    "ACRONYMS",
    "ALL",
    "ARM_ROLE_LABELS",
    "ATTRIBUTES",
    "FLAG_WORDS",
    "LEVEL_WORDS",
    "LevelWords",
    "attribute_label",
    "attribute_phrase",
    "condition_label",
    "condition_phrase",
    "plural",
    "rows_text",
    "who",
]

#: The group key of the whole practice in tables that put it beside the groups.
ALL = "all"
#: Words written in capitals wherever they appear in a key.
ACRONYMS = {"tmj": "TMJ", "lbp": "LBP", "cst": "CST", "omt": "OMT", "pgic": "PGIC", "ptsd": "PTSD"}
#: Keys whose words are not simply the key's words.
_SPECIAL = {ALL: "all clients", "stress_anxiety": "stress / anxiety"}


def _words(key: Any) -> str:
    text = str(key)
    if text in _SPECIAL:
        return _SPECIAL[text]
    return " ".join(ACRONYMS.get(w, w) for w in text.split("_"))


def _spelled(key: Any, labels: Mapping[str, str] | None) -> str | None:
    """The export's own spelling of a condition when it says more than the key (``CBT``, ``Cont``).

    An all-lower-case spelling (``pelvic pain``, ``stress_anxiety``) says nothing
    the built-in words do not, so the built-in words are used for it.
    """
    if not labels or str(key) == ALL:
        return None
    text = labels.get(str(key))
    return text if text and not text.islower() else None


def condition_phrase(key: Any, labels: Mapping[str, str] | None = None) -> str:
    """A condition key as it reads in a sentence: ``pelvic_pain`` -> ``pelvic pain``, ``tmj`` -> ``TMJ``.

    ``labels`` (:attr:`outcomes.SessionData.condition_labels`) gives the export's
    spelling: one with capitals after its first letter is kept as written.

    >>> spelled = {"cbt": "CBT", "cont": "Cont"}
    >>> condition_phrase("cbt"), condition_phrase("cbt", spelled), condition_phrase("cont", spelled)
    ('cbt', 'CBT', 'cont')
    """
    spelled = _spelled(key, labels)
    if spelled is not None and any(c.isupper() for c in spelled[1:]):
        return spelled
    return _words(key)


def condition_label(key: Any, labels: Mapping[str, str] | None = None) -> str:
    """A condition key as a label (a table cell, a row of a figure): ``pelvic_pain`` -> ``Pelvic pain``.

    ``labels`` (:attr:`outcomes.SessionData.condition_labels`) gives the export's
    spelling, used as written unless it is all lower case.

    >>> condition_label("cbt"), condition_label("cbt", {"cbt": "CBT"}), condition_label("ft", {"ft": "ft"})
    ('Cbt', 'CBT', 'Ft')
    """
    spelled = _spelled(key, labels)
    if spelled is not None:
        return spelled
    text = _words(key)
    return text[:1].upper() + text[1:]


def who(condition: Any, labels: Mapping[str, str] | None = None) -> str:
    """The clients of a condition: ``pelvic_pain`` -> ``pelvic pain clients``; ``all`` -> ``all clients``."""
    if condition is None or str(condition) == ALL:
        return _SPECIAL[ALL]
    return f"{condition_phrase(condition, labels)} clients"


#: Attributes of the data contract as they read in a sentence ("clients by race / ethnicity").
ATTRIBUTES = {
    "race_ethnicity": "race / ethnicity",
    "age_band": "age band",
    "postpartum": "postpartum status",
    "payer": "payer",
    "technique": "technique",
    "site": "site",
    "year": "year",
    "condition": "condition",
}


def attribute_phrase(key: Any) -> str:
    """An attribute column as it reads in a sentence: ``race_ethnicity`` -> ``race / ethnicity``."""
    return ATTRIBUTES.get(str(key), _words(key))


def attribute_label(key: Any) -> str:
    """An attribute column as a label: ``race_ethnicity`` -> ``Race / ethnicity``."""
    text = attribute_phrase(key)
    return text[:1].upper() + text[1:]


class LevelWords(NamedTuple):
    """How one level of change is named."""

    heading: str  # a section heading
    note: str  # one line under it: which two scores
    points: tuple[str, str]  # the two scores, as axis ticks
    title: str  # "... before and right after each session"
    change: str  # "immediate change within a session"
    span: str  # "from before to right after a session"


LEVEL_WORDS = {
    "session": LevelWords(
        "Immediate effect of a session",
        "Before → right after the same session; each client's sessions averaged first.",
        ("Before session", "After session"),
        "before and right after each session",
        "immediate change within a session",
        "from before to right after a session",
    ),
    "followup": LevelWords(
        "A few days later",
        "Before a session → the follow-up report a few days later; retention = share of the "
        "immediate change still present.",
        ("Before session", "A few days later"),
        "before a session and a few days later",
        "change from before a session to a few days later",
        "from before a session to a few days later",
    ),
    "course": LevelWords(
        "Over the course of care",
        "First session's before-score → last session's before-score (clients with two or more sessions).",
        ("First session", "Last session"),
        "at the first and the last session",
        "change from the first to the last session",
        "from the first to the last session",
    ),
}

#: Published arms (and pools of them) by role.
ARM_ROLE_LABELS = {
    "practice_course": "This practice (course)",
    "practice_session": "This practice (single session)",
    "cst": "CST arm",
    "sham": "sham arm",
    "natural_history": "wait-list / no-treatment arm",
    "other_active": "other manual therapy arm",
    "pooled_cst": "pooled CST arms",
    "pooled_sham": "pooled sham arms",
    "pooled_natural_history": "pooled wait-list arms",
}

#: Flags of a summary row (``flags`` column), as a short note.
FLAG_WORDS = {
    "small_n": "small (n<10)",
    "insufficient": "too few",
    "skewed": "skewed",
    "floor": "floor",
    "ceiling": "ceiling",
    "zero_variance": "every change equal: no interval",
    "suppressed": "suppressed",
}


def plural(n: int, word: str, many: str | None = None) -> str:
    """``1 client``, ``2 clients``, ``1,204 clients`` (``many`` for an irregular plural).

    >>> plural(1, "client"), plural(1204, "client"), plural(2, "analysis", "analyses")
    ('1 client', '1,204 clients', '2 analyses')
    """
    return f"{n:,} {word if n == 1 else (many or word + 's')}"


def rows_text(rows: Sequence[Any], limit: int = 8) -> str:
    """``row 4`` / ``rows 4, 17, 22`` / ``rows 4, 17, ... and 3 more`` (at most ``limit`` shown).

    >>> rows_text([4]), rows_text(list(range(2, 12)), limit=3)
    ('row 4', 'rows 2, 3, 4 and 7 more')
    """
    shown = ", ".join(str(r) for r in rows[:limit])
    more = f" and {len(rows) - limit} more" if len(rows) > limit else ""
    return f"row{'s' if len(rows) != 1 else ''} {shown}{more}"
