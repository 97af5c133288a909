"""Text work done once per distinct value and spread back over the rows (exports repeat a few values
over millions of rows).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from ..instruments import normalize_key
from .contract import CONDITION_SPLIT


def per_value(values: pd.Series, fn: Callable[[pd.Series], pd.Series]) -> pd.Series:
    """``fn(values)``, computed once per distinct value and spread back over the rows.

    Exports repeat a few values (measures, timepoints, conditions, scores of
    integer scales) over millions of rows, so text work on the distinct values
    costs almost nothing. ``fn`` must treat each element on its own; missing
    values are passed to it like any other. A column of mixed Python objects
    is worked row by row: ``1``, ``1.0`` and ``True`` are equal as keys but
    not as text.
    """
    if values.dtype == object and pd.api.types.infer_dtype(values, skipna=True) not in ("string", "empty"):
        codes = np.arange(len(values))
        out = fn(values.reset_index(drop=True))
    else:
        codes, uniques = pd.factorize(values, use_na_sentinel=False)
        if isinstance(uniques, pd.CategoricalIndex):
            uniques = uniques.astype("object")
        out = fn(pd.Series(uniques, dtype=uniques.dtype))
    if out.dtype == object or pd.api.types.is_string_dtype(out.dtype):
        # text stays coded (a Categorical): a few bytes per row instead of a string per row
        text_codes, labels = pd.factorize(out)
        return pd.Series(
            pd.Categorical.from_codes(text_codes[codes], categories=labels),
            index=values.index,
            name=values.name,
        )
    return pd.Series(out.array.take(codes), index=values.index, name=values.name)


def normalize_conditions(values: pd.Series) -> pd.Series:
    """``"Pelvic pain, TMJ"`` -> ``"pelvic_pain;tmj"`` (sorted, de-duplicated)."""

    def normalize(text: str) -> str:
        return ";".join(sorted({normalize_key(p) for p in CONDITION_SPLIT.split(text) if normalize_key(p)}))

    return per_value(values, lambda u: u.astype("str").map(normalize).astype("str"))


def condition_spellings(values: pd.Series) -> dict[str, str]:
    """Each condition key with the spelling the export uses for it: the most frequent, ties by first seen.

    Keys are what :func:`normalize_conditions` makes (``"CBT"`` -> ``cbt``); the
    spelling is the text of one condition as written (``"CBT"``), whitespace
    trimmed. Only the distinct cell texts are looked at.

    >>> condition_spellings(pd.Series(["CBT", "cbt", "CBT", "Pelvic pain; TMJ"]))
    {'cbt': 'CBT', 'pelvic_pain': 'Pelvic pain', 'tmj': 'TMJ'}
    """
    counts = values.dropna().astype("str").value_counts(sort=False)
    seen: dict[str, dict[str, int]] = {}
    for text, n in counts.items():
        for part in CONDITION_SPLIT.split(str(text)):
            key = normalize_key(part)
            if key:
                spelled = seen.setdefault(key, {})
                spelled[part.strip()] = spelled.get(part.strip(), 0) + int(n)
    return {key: max(spelled, key=lambda t: spelled[t]) for key, spelled in seen.items()}


def parse_numbers(text: pd.Series, *, decimal_comma: bool) -> pd.Series:
    """Parse a column of strings or numbers as float; failures become NaN."""
    if pd.api.types.is_numeric_dtype(text) and not pd.api.types.is_bool_dtype(text):
        return text.astype("float64")

    def parse(u: pd.Series) -> pd.Series:
        s = u.astype("str").str.strip()
        if decimal_comma:
            s = s.str.replace(",", ".", regex=False)
        return pd.to_numeric(s, errors="coerce").astype("float64")

    return per_value(text, parse)


def label_order(values: pd.Series) -> np.ndarray:
    """Per row, the rank of its label among the sorted labels (what sorting by the text gives)."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        n = len(values.cat.categories)
        ranks = np.full(n + 1, -1, dtype="int64")  # the last one, -1, serves missing values (code -1)
        ranks[values.cat.categories.argsort()] = np.arange(n)
        return ranks[values.cat.codes.to_numpy()]
    return pd.factorize(values, sort=True)[0]


def typed_codes(values: pd.Categorical, rows: np.ndarray | None = None) -> Any:
    """:func:`type_attribute` of a coded column as an array (of the positions ``rows`` only, if given),
    worked on its labels as plain arrays: a file with thousands of columns would otherwise pay
    pandas' cost per operation thousands of times. The type is decided on every row."""
    texts = [str(v).strip() for v in values.categories]
    given = np.array([t != "" for t in texts], dtype=bool)
    codes = values.codes
    present = np.zeros(len(texts), dtype=bool)
    present[codes[codes >= 0]] = True  # labels no row uses do not decide the type
    if rows is not None:
        codes = codes[rows]
    num = pd.to_numeric(np.array([t if t else None for t in texts], dtype=object), errors="coerce")
    num = np.asarray(num, dtype="float64")
    used = given & present
    if used.any() and not np.isnan(num[used]).any():
        at = np.where((codes >= 0) & given[np.maximum(codes, 0)], codes, -1)  # -1: missing or blank
        picked = num[np.maximum(at, 0)]
        if (np.floor(num[used]) == num[used]).all():  # built as IntegerArray.take builds it, at less cost
            missing = (at < 0) | np.isnan(picked)
            return pd.arrays.IntegerArray(np.where(missing, 0, picked).astype("int64"), missing)
        return np.where(at >= 0, picked, np.nan)
    label_codes, labels = pd.factorize(np.array(texts, dtype=object))
    label_codes = np.where(given, label_codes, -1)
    recoded = np.where(codes >= 0, label_codes[np.maximum(codes, 0)], -1)
    return pd.Categorical.from_codes(recoded, categories=pd.Index(labels, dtype=object))


def type_attribute(values: pd.Series, categories_are_text: bool = False) -> pd.Series:
    """Attribute columns: strings stripped; all-numeric columns as numbers.

    A categorical column is kept as it is, unless ``categories_are_text`` (a reader
    coded the file's text): then its labels are typed like any text.
    """
    categorical = isinstance(values.dtype, pd.CategoricalDtype)
    if pd.api.types.is_numeric_dtype(values) or (categorical and not categories_are_text):
        return values

    def typed(u: pd.Series) -> pd.Series:
        # decided on the distinct values: all of them numbers <=> every cell a number
        text = u.astype("str").str.strip().where(u.notna())
        text = text.where(text != "")
        num = pd.to_numeric(text, errors="coerce")
        if text.notna().any() and num.notna().sum() == text.notna().sum():
            whole = num.dropna()
            if (np.floor(whole) == whole).all():
                return num.astype("Int64")
            return num.astype("float64")
        return text.astype("str").where(text.notna())

    if categorical:  # a coded column: type its few labels, then index them (no Series per row)
        return pd.Series(typed_codes(values.array), index=values.index, name=values.name)
    return per_value(values, typed)
