"""The canonical columns, timepoints, conditions, missing-value codes and checks, and the message that
lists failures.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from .._words import rows_text

#: Required columns of the canonical table, in order.
CANONICAL_COLUMNS = ("client_id", "session", "timepoint", "measure", "score", "condition")


#: Attribute columns the package knows by name (others are kept too).
ATTRIBUTE_COLUMNS = (
    "technique",
    "age_band",
    "race_ethnicity",
    "postpartum",
    "payer",
    "year",
    "days_from_first",
    "site",
)


#: Age bands of the data contract, as ``outcomes anonymize`` writes them (HIPAA Safe Harbor: every age
#: over 89 is one group).
AGE_BANDS = ("under 18", "18-24", "25-34", "35-44", "45-54", "55-64", "65-74", "75-89", "90+")
TIMEPOINTS = ("pre", "post", "followup")


TIMEPOINT_DTYPE = pd.CategoricalDtype(list(TIMEPOINTS), ordered=True)


#: Condition keys a pelvic-health / CST practice typically uses (others are allowed).
CONDITIONS = (
    "headache",
    "tmj",
    "neck_pain",
    "back_pain",
    "pelvic_pain",
    "postpartum",
    "bladder",
    "prolapse",
    "fibromyalgia",
    "sleep",
    "stress_anxiety",
)


#: Names a practice may use for each timepoint (normalised keys), in every layout.
TIMEPOINT_ALIASES = {
    "pre": "pre",
    "before": "pre",
    "baseline": "pre",
    "pre_session": "pre",
    "post": "post",
    "after": "post",
    "post_session": "post",
    "followup": "followup",
    "follow_up": "followup",
    "fu": "followup",
    "later": "followup",
}


#: Cell texts that practices use for "not recorded". They are never read as a
#: score: unless declared with ``na_values`` they are reported as ``missing_code``.
MISSING_CODES = frozenset(
    {
        "",
        "na",
        "n/a",
        "n.a.",
        "nan",
        "null",
        "none",
        "unk",
        "unknown",
        "?",
        "-",
        "--",
        ".",
        "missing",
        "nr",
        "not recorded",
    }
)


MISSING_NUMBERS = frozenset({-9.0, -99.0, -999.0, -9999.0, 99.0, 999.0, 9999.0})


#: The largest session number the contract accepts (a client's sessions are counted 1, 2, 3 ...).
SESSION_MAX = 100_000

#: Attribute columns the package computes with, and what their cells must be: column, lowest and
#: highest value, whole numbers only, the check's name and its message.
NUMERIC_ATTRIBUTES = (
    ("year", 1900, 2100, True, "not_a_year", "year must be a year written as a number, such as 2025"),
    (
        "days_from_first",
        0,
        36_500,
        False,
        "not_days",
        "days_from_first must be a number of days since the first session, 0 or more",
    ),
)

#: Every check name that can appear in ``failure_cases['check']``, with its fix.
CHECKS: dict[str, str] = {
    "missing_column": "add the column to the export, or map your column name to it with columns=",
    "missing_value": "fill in the cell; every row needs a client, session, timepoint, measure and condition",
    "unknown_measure": "correct the measure name, map it with columns= ([measures] table), "
    "or register the measure with outcomes.register_instrument()",
    "unknown_timepoint": "use pre, post or followup (or map your labels with a [timepoints] table)",
    "session_not_positive_integer": "number each client's sessions 1, 2, 3 and so on",
    "not_a_year": "write the year as a number (2025), or leave the cell empty",
    "not_days": "write the number of days since the client's first session (0 for that session)",
    "missing_code": "enter the real score, or declare the code as missing with na_values= (CLI: --na-values) "
    "so these rows are counted as not recorded",
    "not_numeric": "enter a single number on the measure's scale",
    "out_of_range": "check the column mapping and the scale, or register the measure with its real range",
    "duplicate": "keep one value per client, session, measure and timepoint",
    "duplicate_column": "give every column its own name (two headers mean the same column)",
    "unknown_column": "the column mapping names a column that is not in the file; correct the mapping",
    "cut_row": "export the file again (it was cut off), or delete its incomplete last line",
    "invalid_answer": "enter the answer as the questionnaire's form has it (the box ticked, or its points), "
    "or leave the item blank if it was not answered",
    "missing_item_column": "export every item of the questionnaire, or map your item columns to "
    "<questionnaire>_<item> names with columns=",
    "items_in_long_file": "export the item columns in a file with one row per session (a wide or REDCap "
    "export), or score them first with outcomes.score_questionnaire and add the totals as rows",
}


CONDITION_SPLIT = re.compile(r"\s*[;|,]\s*")


def split_condition_codes(condition: pd.Series) -> tuple[np.ndarray, pd.Categorical]:
    """Split a ``condition`` column into one condition per element, as integer codes.

    Returns the position of the source row of each element (positions repeat
    for a row with several conditions) and the conditions as a Categorical with
    sorted categories. Only the distinct values are split as text, so the cost
    does not grow with the length of the strings times the rows.

    >>> pos, cat = split_condition_codes(pd.Series(["headache;tmj", "pelvic_pain"]))
    >>> pos.tolist(), cat.tolist()
    ([0, 0, 1], ['headache', 'tmj', 'pelvic_pain'])
    """
    codes, uniques = pd.factorize(condition)
    parts = [str(u).split(";") for u in uniques]
    categories = sorted({c for p in parts for c in p})
    at = {c: i for i, c in enumerate(categories)}
    counts = np.array([len(p) for p in parts], dtype="int64")
    flat = np.array([at[c] for p in parts for c in p], dtype="int64")
    starts = np.cumsum(counts) - counts
    # a missing condition (code -1) stays one element with a missing value
    counts = np.append(counts, 1)
    starts = np.append(starts, len(flat))
    flat = np.append(flat, -1)
    reps = counts[codes]
    positions = np.repeat(np.arange(len(codes)), reps)
    # position of each element in `flat`: the start of its row's parts plus 0, 1, ...
    offsets = np.arange(len(positions)) - np.repeat(np.cumsum(reps) - reps, reps)
    values = flat[np.repeat(starts[codes], reps) + offsets]
    return positions, pd.Categorical.from_codes(values, categories=pd.Index(categories, dtype="str"))


def split_conditions(condition: pd.Series) -> pd.Series:
    """Split a ``condition`` column into one condition per element.

    Returns a Series with the same index repeated once per condition
    (``"headache;tmj"`` gives two elements), in the style of ``Series.explode``.

    >>> split_conditions(pd.Series(["headache;tmj", "pelvic_pain"])).tolist()
    ['headache', 'tmj', 'pelvic_pain']
    """
    positions, values = split_condition_codes(condition)
    return pd.Series(
        np.asarray(values, dtype=object),
        index=condition.index[positions],
        name=condition.name,
        dtype="str",
    )


_READ_ENDING = "; nothing was read. Fix them and read again (the error's failure_cases table lists each one):"


def failure_message(
    failure_cases: pd.DataFrame,
    *,
    file: str | None = None,
    what: str = "the data",
    ending: str = _READ_ENDING,
) -> str:
    """One readable line per kind of problem: what is wrong, where, how to fix it."""
    where = f"{what} of {file}" if file and what != "the data" else (file or what)
    n_fail = len(failure_cases)
    checks = failure_cases["check"].unique()
    lines = [
        f"{n_fail} problem{'s' if n_fail != 1 else ''} of {len(checks)} "
        f"kind{'s' if len(checks) != 1 else ''} "
        f"in {where}{ending}"
    ]
    for check in CHECKS:
        sub = failure_cases[failure_cases["check"] == check]
        if sub.empty:
            continue
        rows = [
            r for r in pd.unique(sub["row"]) if r is not None and not (isinstance(r, float) and np.isnan(r))
        ]
        named = [str(c) for c in pd.unique(sub["column"]) if isinstance(c, str) and c]
        examples = [m for m in pd.unique(sub["message"])][:3]
        loc = rows_text(rows) if rows else "the header"
        where_in = f"{loc}; column {', '.join(named)}" if named else loc  # a whole row names no column
        lines.append(
            f"- {check} ({len(sub)}): {'; '.join(examples)}{' ...' if sub['message'].nunique() > 3 else ''} "
            f"[{where_in}]. Fix: {CHECKS[check]}."
        )
    return "\n".join(lines)
