"""Questionnaires scored from their items, by each instrument's published rule.

:func:`score_questionnaire` takes one row per completed form (item answers in columns) and
returns, aligned to its index, the total and the subscale scores, the number of items answered
and, where a score cannot be computed, the reason. Each rule is in :data:`QUESTIONNAIRES`, with
its source; ``docs/methods.md`` ("Questionnaires scored from items") gives them in words.

Item columns are found by name: ``<prefix><item>`` (``gad7_1`` … ``gad7_7``, ``pfdi20_1`` …,
``psqi_q1`` … ``psqi_q5j`` …), in any case, with ``-``, ``.`` or a space for ``_``; or
through ``columns`` (item → column).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..errors import SchemaError
from .instrument import normalize_key
from .psqi import PSQI_ITEMS, psqi_components, psqi_invalid

__all__ = [
    "QUESTIONNAIRES",
    "Questionnaire",
    "Scale",
    "answer_problems",
    "is_item_column",
    "item_columns",
    "item_points",
    "required_items",
    "score_questionnaire",
]


@dataclass(frozen=True)
class Scale:
    """One score of a questionnaire: the items it takes and how they combine.

    ``rule`` is ``sum`` (the points added), ``mean`` (their mean), ``mean_x25`` (the mean × 25,
    0–100 for items 0–4), ``percent`` (the sum over the most the answered items could score,
    × 100) or ``prorated_sum`` (the mean × the number of items: a sum with missing items
    replaced by the mean of the others). ``max_missing`` is how many of its items may be
    unanswered under the published rule.
    """

    name: str
    items: tuple[str, ...]
    rule: str = "sum"
    max_missing: int = 0
    of: tuple[str, ...] = ()  # for a scale made of other scales (PFDI-20's total): their names


@dataclass(frozen=True)
class Questionnaire:
    """A questionnaire's items, their answers and points, its scales and its source."""

    key: str
    label: str
    prefix: str
    items: tuple[str, ...]
    low: float
    high: float
    scales: tuple[Scale, ...]
    source: str
    reversed: tuple[str, ...] = ()
    points: Mapping[str, Mapping[float, float]] = field(default_factory=dict)
    words: Mapping[str, float] = field(default_factory=dict)
    safety_item: str | None = None
    custom: Callable[[pd.DataFrame], pd.DataFrame] | None = None
    invalid: Callable[[pd.DataFrame], pd.DataFrame] | None = None  # for a custom rule: bad answers
    optional: tuple[str, ...] = ()  # items a form may leave out (PSQI's 5j, COPM's problems 2-5)
    note: str = ""

    @property
    def total(self) -> Scale:
        return self.scales[0]


def _n(k: int, start: int = 1) -> tuple[str, ...]:
    return tuple(str(i) for i in range(start, start + k))


_COPM_P = tuple(f"performance_{i}" for i in range(1, 6))
_COPM_S = tuple(f"satisfaction_{i}" for i in range(1, 6))
_HIT6_POINTS: dict[float, float] = {1: 6, 2: 8, 3: 10, 4: 11, 5: 13, 6: 6, 8: 8, 10: 10, 11: 11, 13: 13}
_HIT6_WORDS = {"never": 6, "rarely": 8, "sometimes": 10, "very often": 11, "always": 13}

QUESTIONNAIRES: dict[str, Questionnaire] = {
    q.key: q
    for q in (
        Questionnaire(
            key="psqi",
            label="Pittsburgh Sleep Quality Index",
            prefix="psqi_",
            items=PSQI_ITEMS,
            low=0,
            high=24,
            scales=(Scale("psqi", ()),),
            source="Buysse DJ et al. Psychiatry Res 1989;28:193-213, doi 10.1016/0165-1781(89)90047-4",
            custom=psqi_components,
            invalid=psqi_invalid,
            optional=("q5j",),
            note="Q1 and Q3 are clock times; Q2 minutes; Q4 hours; the rest 0-3",
        ),
        Questionnaire(
            key="pfdi20",
            label="Pelvic Floor Distress Inventory-20",
            prefix="pfdi20_",
            items=_n(20),
            low=0,
            high=4,
            scales=(
                Scale("pfdi20", (), rule="sum", of=("popdi6", "cradi8", "udi6")),
                Scale("popdi6", _n(6), rule="mean_x25", max_missing=5),
                Scale("cradi8", _n(8, 7), rule="mean_x25", max_missing=7),
                Scale("udi6", _n(6, 15), rule="mean_x25", max_missing=5),
            ),
            source="Barber MD et al. Am J Obstet Gynecol 2005;193:103-113, doi 10.1016/j.ajog.2004.12.025",
            note="the scoring sheet: 'Missing items are dealt with by using the mean from answered items "
            "only', with no limit; missing=3 asks for at least half of each scale (as urogynScorer does)",
        ),
        Questionnaire(
            key="hit6",
            label="Headache Impact Test-6",
            prefix="hit6_",
            items=_n(6),
            low=6,
            high=13,
            scales=(Scale("hit6", _n(6)),),
            points={str(i): _HIT6_POINTS for i in range(1, 7)},
            words=_HIT6_WORDS,
            source="Kosinski M et al. Qual Life Res 2003;12:963-974, doi 10.1023/a:1026119331193",
            note="answers as words, as 1-5 (never to always) or as their points 6, 8, 10, 11, 13",
        ),
        Questionnaire(
            key="odi",
            label="Oswestry Disability Index",
            prefix="odi_",
            items=_n(10),
            low=0,
            high=5,
            scales=(Scale("odi", _n(10), rule="percent", max_missing=1),),
            source="Fairbank JC, Pynsent PB. Spine 2000;25:2940-2952, doi 10.1097/00007632-200011150-00017",
        ),
        Questionnaire(
            key="ndi",
            label="Neck Disability Index",
            prefix="ndi_",
            items=_n(10),
            low=0,
            high=5,
            scales=(Scale("ndi", _n(10), rule="prorated_sum", max_missing=1),),
            source="Vernon H, Mior S. J Manipulative Physiol Ther 1991;14:409-415",
        ),
        Questionnaire(
            key="gad7",
            label="Generalized Anxiety Disorder-7",
            prefix="gad7_",
            items=_n(7),
            low=0,
            high=3,
            scales=(Scale("gad7", _n(7)),),
            source="Spitzer RL et al. Arch Intern Med 2006;166:1092-1097, doi 10.1001/archinte.166.10.1092",
        ),
        Questionnaire(
            key="phq9",
            label="Patient Health Questionnaire-9",
            prefix="phq9_",
            items=_n(9),
            low=0,
            high=3,
            scales=(Scale("phq9", _n(9)),),
            safety_item="9",
            source="Kroenke K, Spitzer RL, Williams JB. J Gen Intern Med 2001;16:606-613, "
            "doi 10.1046/j.1525-1497.2001.016009606.x",
        ),
        Questionnaire(
            key="epds",
            label="Edinburgh Postnatal Depression Scale",
            prefix="epds_",
            items=_n(10),
            low=0,
            high=3,
            scales=(Scale("epds", _n(10)),),
            reversed=("3", "5", "6", "7", "8", "9", "10"),
            safety_item="10",
            source="Cox JL, Holden JM, Sagovsky R. Br J Psychiatry 1987;150:782-786, "
            "doi 10.1192/bjp.150.6.782",
            note="each answer as the position of the box ticked, 0 for the first; items 3 and 5-10 are "
            "reverse-scored (their first box scores 3)",
        ),
        Questionnaire(
            key="pcs",
            label="Pain Catastrophizing Scale",
            prefix="pcs_",
            items=_n(13),
            low=0,
            high=4,
            scales=(
                Scale("pcs", _n(13)),
                Scale("pcs_rumination", ("8", "9", "10", "11")),
                Scale("pcs_magnification", ("6", "7", "13")),
                Scale("pcs_helplessness", ("1", "2", "3", "4", "5", "12")),
            ),
            source="Sullivan MJL, Bishop SR, Pivik J. Psychol Assess 1995;7:524-532, "
            "doi 10.1037/1040-3590.7.4.524",
        ),
        Questionnaire(
            key="iciq_uisf",
            label="ICIQ Urinary Incontinence Short Form",
            prefix="iciq_uisf_",
            items=("3", "4", "5"),
            low=0,
            high=10,
            scales=(Scale("iciq_uisf", ("3", "4", "5")),),
            points={
                "3": {i: i for i in range(6)},
                "4": {0: 0, 2: 2, 4: 4, 6: 6},
                "5": {i: i for i in range(11)},
            },
            source="Avery K et al. Neurourol Urodyn 2004;23:322-330, doi 10.1002/nau.20041",
            note="item 3 (how often) 0-5, item 4 (how much) 0, 2, 4 or 6, item 5 (interference) 0-10",
        ),
        Questionnaire(
            key="copm",
            label="Canadian Occupational Performance Measure",
            prefix="copm_",
            items=(*_COPM_P, *_COPM_S),
            low=1,
            high=10,
            optional=(*_COPM_P[1:], *_COPM_S[1:]),
            scales=(
                Scale(
                    "copm_performance",
                    tuple(f"performance_{i}" for i in range(1, 6)),
                    rule="mean",
                    max_missing=4,
                ),
                Scale(
                    "copm_satisfaction",
                    tuple(f"satisfaction_{i}" for i in range(1, 6)),
                    rule="mean",
                    max_missing=4,
                ),
            ),
            source="Law M et al. COPM manual; Carswell A et al. Can J Occup Ther 2004;71:210-222, "
            "doi 10.1177/000841740407100406",
            note="one rating 1-10 per problem the client chose (up to five); the score is their mean",
        ),
    )
}

_ITEM_NAMES: frozenset[str] = frozenset()  # set once QUESTIONNAIRES exists (below)

#: How each questionnaire is named in short (flow lines, report tables).
ABBREVIATIONS = {
    "psqi": "PSQI",
    "pfdi20": "PFDI-20",
    "hit6": "HIT-6",
    "odi": "ODI",
    "ndi": "NDI",
    "gad7": "GAD-7",
    "phq9": "PHQ-9",
    "epds": "EPDS",
    "pcs": "PCS",
    "iciq_uisf": "ICIQ-UI SF",
    "copm": "COPM",
}

#: Other spellings of the questionnaires' keys.
_ALIASES = {"pfdi_20": "pfdi20", "hit_6": "hit6", "gad_7": "gad7", "phq_9": "phq9", "iciq": "iciq_uisf"}


def _questionnaire(instrument: str | Questionnaire) -> Questionnaire:
    if isinstance(instrument, Questionnaire):
        return instrument
    key = normalize_key(instrument)
    key = _ALIASES.get(key, key)
    if key not in QUESTIONNAIRES:
        raise ValueError(
            f"no scoring rule for {instrument!r}; questionnaires scored from items: "
            + ", ".join(sorted(QUESTIONNAIRES))
        )
    return QUESTIONNAIRES[key]


def _squash(name: object) -> str:
    return normalize_key(name).replace("_", "")


def required_items(instrument: str | Questionnaire) -> tuple[str, ...]:
    """The items every export of the questionnaire must have a column for (all but the optional)."""
    q = _questionnaire(instrument)
    return tuple(i for i in q.items if i not in q.optional)


def _item_names() -> frozenset[str]:
    names = set()
    for q in QUESTIONNAIRES.values():
        for item in q.items:
            names.add(_squash(q.prefix + item))
            if item.startswith("q"):
                names.add(_squash(q.prefix + item[1:]))
    return frozenset(names)


def is_item_column(name: object) -> bool:
    """Whether a column's name is that of a questionnaire item (``psqi_q5a``, ``GAD-7 1``).

    >>> is_item_column("PFDI-20 12"), is_item_column("pain_nrs_pre")
    (True, False)
    """
    return _squash(name) in _ITEM_NAMES


def item_columns(
    frame: pd.DataFrame, instrument: str | Questionnaire, columns: Mapping[str, str] | None = None
) -> dict[str, str]:
    """Which column of ``frame`` holds each item (``columns`` maps item → column; the rest are
    found by name: ``<prefix><item>``, in any case and spelling of the separators).

    >>> frame = pd.DataFrame(columns=["client_id", "GAD-7 1", "gad7_2"])
    >>> item_columns(frame, "gad7")["1"], item_columns(frame, "gad7")["2"]
    ('GAD-7 1', 'gad7_2')
    """
    q = _questionnaire(instrument)
    by_name = {_squash(c): c for c in frame.columns}
    out = {}
    for item in q.items:
        if columns and item in columns:
            out[item] = columns[item]
            continue
        found = by_name.get(_squash(q.prefix + item))
        if found is None and item.startswith("q"):  # psqi_1 for psqi_q1
            found = by_name.get(_squash(q.prefix + item[1:]))
        if found is not None:
            out[item] = found
    return out


def _answers(
    q: Questionnaire, item: str, column: pd.Series, scored_items: bool
) -> tuple[pd.Series, pd.Series]:
    """An item's points (NaN where unanswered or invalid) and where the answer was invalid."""
    raw = column
    if q.words and not pd.api.types.is_numeric_dtype(raw):
        lowered = raw.astype("string").str.strip().str.lower()
        raw = raw.where(~lowered.isin(list(q.words)), lowered.map(q.words))
    num = pd.to_numeric(raw, errors="coerce").astype("float64")
    blank = column.isna() | column.astype("string").str.strip().eq("")
    invalid = num.isna() & ~blank
    table = q.points.get(item)
    if table is not None:
        mapped = num.map(table)
        invalid |= mapped.isna() & num.notna()
        num = mapped.astype("float64")
    else:
        bad = num.notna() & ((num < q.low) | (num > q.high) | (num != np.round(num)))
        invalid |= bad
        num = num.where(~bad)
        if item in q.reversed and not scored_items:
            num = q.low + q.high - num
    return num, invalid


def item_points(
    column: pd.Series, instrument: str | Questionnaire, item: str, *, scored_items: bool = False
) -> tuple[pd.Series, pd.Series]:
    """One item's points (NaN where unanswered or not a valid answer, reverse-scored items turned
    around unless ``scored_items``) and where the answer was not valid."""
    return _answers(_questionnaire(instrument), item, column, scored_items)


def answer_problems(
    items: pd.DataFrame,
    instrument: str | Questionnaire,
    *,
    columns: Mapping[str, str] | None = None,
    scored_items: bool = False,
) -> pd.DataFrame:
    """Where an item is answered with something that is not one of its answers.

    Returns a boolean DataFrame aligned to ``items``, one column per item column found (named as
    in ``items``): True where the cell holds an answer that is not valid (``7`` for a 0–3 item,
    ``often`` for a number, a clock time that cannot be read). Blank cells are unanswered, not
    invalid.

    >>> answer_problems(pd.DataFrame({f"gad7_{i}": [1, 4] for i in range(1, 8)}), "gad7")["gad7_1"].tolist()
    [False, True]
    """
    q = _questionnaire(instrument)
    found = item_columns(items, q, columns)
    if q.invalid is not None:
        frame = pd.DataFrame({i: items[c] for i, c in found.items()}, index=items.index)
        return q.invalid(frame).rename(columns=found)
    return pd.DataFrame(
        {c: _answers(q, i, items[c], scored_items)[1] for i, c in found.items()}, index=items.index
    )


def _scale(scale: Scale, points: pd.DataFrame, allowed: int, high: float) -> tuple[pd.Series, pd.Series]:
    sub = points[[i for i in scale.items if i in points.columns]]
    answered = sub.notna().sum(axis=1)
    n = len(scale.items)
    ok = (n - answered) <= allowed
    total = sub.sum(axis=1, min_count=1)
    mean = sub.mean(axis=1)
    value = {
        "sum": total.where(answered == n, mean * n),
        "prorated_sum": mean * n,
        "mean": mean,
        "mean_x25": mean * 25,
        "percent": 100 * total / (high * answered.where(answered > 0)),
    }[scale.rule]
    return value.where(ok & (answered > 0)), ok & (answered > 0)


def score_questionnaire(
    items: pd.DataFrame,
    instrument: str | Questionnaire,
    *,
    columns: Mapping[str, str] | None = None,
    missing: str | int = "published",
    scored_items: bool = False,
) -> pd.DataFrame:
    """Score a questionnaire from its item answers, by the instrument's published rule.

    Parameters
    ----------
    items : DataFrame
        One row per completed form; the items in columns (see :func:`item_columns`).
    instrument : str
        ``psqi``, ``pfdi20``, ``hit6``, ``odi``, ``ndi``, ``gad7``, ``phq9``, ``epds``, ``pcs``,
        ``iciq_uisf`` or ``copm`` (:data:`QUESTIONNAIRES`, each with its source).
    columns : mapping of str to str, optional
        Item → column, for columns named otherwise (``{"1": "Q1 nervous"}``).
    missing : 'published' or int, default 'published'
        How many unanswered items a score may have: the published rule of each scale (none for
        most; one section of the ODI and the NDI; the COPM scores the problems the client
        chose), or at most this many per scale. A sum with missing items allowed is prorated
        (the mean of the answered items × the number of items).
    scored_items : bool, default False
        The columns already hold each item's points (reverse-scoring done). By default an
        answer is the position of the box ticked, and reverse-scored items (EPDS 3, 5–10) are
        turned around here.

    Returns
    -------
    DataFrame
        Aligned to ``items.index``: the total (named by the instrument's key, ``pfdi20``), the
        subscales (``popdi6``, ``cradi8``, ``udi6``; ``pcs_rumination`` …; the PSQI's seven
        components), ``items_answered``, the points of a self-harm item where the questionnaire
        has one (``epds_item10``, ``phq9_item9``), and ``reason`` (empty where every score was
        computed; else why not, naming the items).

    Raises
    ------
    SchemaError
        An item column is missing from ``items``.

    Examples
    --------
    >>> forms = pd.DataFrame({f"gad7_{i}": [1, 3] for i in range(1, 8)})
    >>> score_questionnaire(forms, "gad7")[["gad7", "items_answered"]].to_dict("list")
    {'gad7': [7.0, 21.0], 'items_answered': [7, 7]}
    """
    q = _questionnaire(instrument)
    found = item_columns(items, q, columns)
    optional = q.optional
    absent = [q.prefix + i for i in q.items if i not in found and i not in optional]
    if absent:
        raise SchemaError(
            f"{q.label}: no column for item(s) {', '.join(absent)}. Name the item columns "
            f"{q.prefix}<item> ({q.prefix}{q.items[0]}, {q.prefix}{q.items[1]}, ...) or pass "
            "columns={item: column}."
        )
    if q.custom is not None:
        frame = pd.DataFrame({i: items[c] for i, c in found.items()}, index=items.index)
        for i in q.items:
            if i not in frame:
                frame[i] = np.nan
        out = q.custom(frame)
        bad = answer_problems(items, q, columns=columns)
        answered = (frame.notna() & ~bad.rename(columns={c: i for i, c in found.items()})).sum(axis=1)
        out.insert(len(out.columns) - 1, "items_answered", answered.astype("int64"))
        invalid_items = [
            ", ".join(f"item {i}: not a valid answer" for i, c in found.items() if flags[c])
            for flags in bad.to_dict("records")
        ]
        out["reason"] = [
            "; ".join(r for r in pair if r) for pair in zip(invalid_items, out["reason"], strict=True)
        ]
        return out
    points = pd.DataFrame(index=items.index)
    invalid = pd.DataFrame(index=items.index)
    for item, col in found.items():
        points[item], invalid[item] = _answers(q, item, items[col], scored_items)
    out = pd.DataFrame(index=items.index)
    reasons: list[list[str]] = [[] for _ in range(len(items))]
    for item in invalid.columns:
        for pos in np.flatnonzero(invalid[item].to_numpy()):
            reasons[pos].append(f"item {item}: not a valid answer")
    high = max(max(t.values()) for t in q.points.values()) if q.points else q.high
    for scale in sorted(q.scales, key=lambda s: bool(s.of)):  # scales of scales last
        if scale.of:
            parts = out[list(scale.of)]
            out[scale.name] = parts.sum(axis=1, min_count=len(scale.of)).where(parts.notna().all(axis=1))
            continue
        allowed = scale.max_missing if missing == "published" else int(missing)
        value, ok = _scale(scale, points, allowed, high)
        out[scale.name] = value
        blank = points.isna()
        for form in (int(p) for p in np.flatnonzero(~ok.to_numpy())):
            unanswered = [i for i in scale.items if i not in points or bool(blank[i].iat[form])]
            reasons[form].append(
                f"{scale.name}: {len(unanswered)} of {len(scale.items)} items unanswered "
                f"({', '.join(unanswered[:6])}{', ...' if len(unanswered) > 6 else ''}); "
                f"the rule allows {allowed}"
            )
    out = out[[s.name for s in q.scales]]
    out["items_answered"] = points.notna().sum(axis=1).astype("int64")
    if q.safety_item is not None:
        out[f"{q.key}_item{q.safety_item}"] = points[q.safety_item]
    out["reason"] = ["; ".join(r) for r in reasons]
    return out


_ITEM_NAMES = _item_names()
