"""Questionnaire forms exported item by item, found by their column names and scored on read.

A row of a wide or REDCap export may hold a form's items (``psqi_q1`` … ``psqi_q9``,
``pfdi20_1`` … ``pfdi20_20``, ``epds_1`` … ``epds_10``). Each questionnaire found is scored by
its published rule (:func:`outcomes.instruments.score_questionnaire`); the item columns give way
to the score columns (``psqi_pre``, the form being answered before that session), so the rest of
the read sees scores as if the export had held them. Every form found is counted in the flow:
scored, or not scored with its reason; an answer that is not one of the item's answers is a
failure case with its row and column, like any other bad cell.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .._words import plural
from ..errors import DataQualityWarning
from ..instruments import InstrumentRegistry
from ..instruments.scoring import (
    ABBREVIATIONS,
    QUESTIONNAIRES,
    Questionnaire,
    answer_problems,
    is_item_column,
    item_columns,
    item_points,
    required_items,
    score_questionnaire,
)
from .layouts import blank_cells

#: The timepoint a form's scores are read at: a form is filled in before the session it belongs to.
FORM_TIMEPOINT = "pre"


@dataclass
class ScoredForms:
    """What :func:`score_forms` gives the read.

    ``table``: the export with every questionnaire's item columns replaced by its score columns.
    ``failures``: failure cases (``file``, ``row``, ``column``, ``value``, ``check``,
    ``message``). ``flow``: the forms lines of the flow (unit ``forms``). ``unscored``: the rows
    holding a form whose score could not be computed. ``scored``: forms scored per questionnaire,
    for the provenance.
    """

    table: pd.DataFrame
    failures: pd.DataFrame
    flow: list[tuple[str, str, str, int]] = field(default_factory=list)
    unscored: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    scored: dict[str, int] = field(default_factory=dict)


def find_forms(columns: list[str]) -> dict[str, dict[str, str]]:
    """The questionnaires whose item columns are among ``columns``: ``{key: {item: column}}``.

    >>> find_forms(["client_id", "gad7_1", "GAD-7 2", "pain_nrs_pre"])
    {'gad7': {'1': 'gad7_1', '2': 'GAD-7 2'}}
    """
    header = pd.DataFrame(columns=[c for c in columns if is_item_column(c)])
    if header.columns.empty:
        return {}
    found = {key: item_columns(header, q) for key, q in QUESTIONNAIRES.items()}
    return {key: items for key, items in found.items() if items}


def _failures(
    file: str,
    rows: list[int | None],
    columns: list[str],
    values: list[object],
    checks: list[str],
    messages: list[str],
) -> pd.DataFrame:
    return pd.DataFrame(
        {"file": file, "row": rows, "column": columns, "value": values, "check": checks, "message": messages},
        columns=["file", "row", "column", "value", "check", "message"],
    )


def _plain(value: object) -> object:
    """A cell as it reads: ``7`` for 7.0 or ``np.int64(7)``, text as it is."""
    if isinstance(value, (int, float, np.integer, np.floating)) and float(value).is_integer():
        return int(value)
    return value.item() if isinstance(value, np.generic) else value


def _answer_text(q: Questionnaire) -> str:
    if q.words:
        return "its words (" + ", ".join(q.words) + ") or their points"
    if q.points:
        return "one of its answers"
    return f"a whole number from {q.low:g} to {q.high:g}"


def score_forms(
    table: pd.DataFrame,
    registry: InstrumentRegistry,
    *,
    rows: np.ndarray,
    file: str,
    labels: Mapping[str, str],
    scored_items: bool = False,
) -> ScoredForms:
    """Score every questionnaire whose item columns ``table`` holds, one form per row.

    ``rows`` gives each row's number in the file, ``labels`` each column's name in the export
    (for messages). Rows whose items are all blank hold no form of that questionnaire.
    """
    forms = find_forms([str(c) for c in table.columns])
    out = ScoredForms(
        table=table, failures=_failures(file, [], [], [], [], []), unscored=np.zeros(len(table), dtype=bool)
    )
    if not forms:
        return out
    table = table.copy()
    fails: list[pd.DataFrame] = []
    flow_read = flow_kept = 0
    excluded: dict[str, int] = {}
    for key, found in forms.items():
        q = QUESTIONNAIRES[key]
        short = ABBREVIATIONS.get(key, q.label)
        cols = list(found.values())
        present = ~np.logical_and.reduce([blank_cells(table[c]) for c in cols])
        n_forms = int(present.sum())
        safety = f"{q.key}_item{q.safety_item}" if q.safety_item else None
        lacking = [q.prefix + i for i in required_items(q) if i not in found]
        if lacking and not (safety and set(found) == {q.safety_item}):
            named = ", ".join(labels.get(c, c) for c in cols[:4]) + (" ..." if len(cols) > 4 else "")
            fails.append(
                _failures(
                    file,
                    [None],
                    [lacking[0]],
                    [None],
                    ["missing_item_column"],
                    [
                        f"{q.label}: the export has item column(s) {named} but none for item(s) "
                        f"{', '.join(lacking[:6])}{' ...' if len(lacking) > 6 else ''}, "
                        "so no form can be scored"
                    ],
                )
            )
            flow_read += n_forms
            if n_forms:
                excluded[f"{short}: not scored, the export lacks item columns"] = n_forms
            out.unscored |= present
            table = table.drop(columns=cols)
            continue
        sub = table.loc[present, cols]
        if lacking:  # only the safety item: its points are kept, no total is computed
            points, _ = item_points(
                sub[found[str(q.safety_item)]], q, str(q.safety_item), scored_items=scored_items
            )
            scored = pd.DataFrame({safety: points}, index=sub.index)
            names = [safety] if safety in registry else []
        else:
            scored = score_questionnaire(sub, q, columns=found, scored_items=scored_items)
            names = [s.name for s in q.scales if s.name in registry]
            if safety and safety in registry:
                names.append(safety)
            bad = answer_problems(sub, q, columns=found, scored_items=scored_items)
            at_row, at_col = np.nonzero(bad.to_numpy())
            if len(at_row):
                bad_cols = [str(bad.columns[int(j)]) for j in at_col]
                answers = [_plain(sub[c].iat[i]) for i, c in zip(at_row, bad_cols, strict=True)]
                fails.append(
                    _failures(
                        file,
                        [int(r) for r in rows[np.flatnonzero(present)[at_row]]],
                        [labels.get(c, c) for c in bad_cols],
                        answers,
                        ["invalid_answer"] * len(at_row),
                        [
                            f"{short} answer {v!r} in column {labels.get(c, c)!r} is not {_answer_text(q)}"
                            for v, c in zip(answers, bad_cols, strict=True)
                        ],
                    )
                )
            total = q.total.name
            not_scored = scored[total].isna().to_numpy()
            flow_read += n_forms
            flow_kept += n_forms - int(not_scored.sum())
            invalid_form = bad.any(axis=1).to_numpy()
            for why, mask in (
                ("an answer not valid", not_scored & invalid_form),
                ("more items unanswered than its rule allows", not_scored & ~invalid_form),
            ):
                if mask.any():
                    excluded[f"{short}: not scored, {why}"] = int(mask.sum())
            out.scored[key] = n_forms - int(not_scored.sum())
            out.unscored[np.flatnonzero(present)[not_scored]] = True
        table = table.drop(columns=cols)
        for name in names:
            column = f"{name}_{FORM_TIMEPOINT}"
            values = pd.Series(np.nan, index=table.index, dtype="float64")
            values.loc[sub.index] = scored[name].to_numpy(dtype="float64")
            if column in table.columns:  # the export holds the total too: its own value stands
                given = table[column]
                _compare(given, values, q.label, column, labels)
                if isinstance(given.dtype, pd.CategoricalDtype):
                    given = given.astype(object)
                table[column] = given.where(~blank_cells(given), values)
            else:
                table[column] = values
    if flow_read:
        out.flow = [("forms", "read", "questionnaire forms found (item columns)", flow_read)]
        out.flow += [("forms", "excluded", reason, n) for reason, n in excluded.items()]
        out.flow.append(("forms", "kept", "forms scored from their items", flow_kept))
    out.table = table
    if fails:
        out.failures = pd.concat(fails, ignore_index=True).sort_values(
            "row", kind="stable", ignore_index=True
        )
    return out


def _compare(given: pd.Series, scored: pd.Series, label: str, column: str, labels: Mapping[str, str]) -> None:
    """Warn where an export's own total differs from the score of its items."""
    number = pd.to_numeric(given, errors="coerce")
    differs = number.notna() & scored.notna() & ((number - scored).abs() > 1e-9)
    if differs.any():
        warnings.warn(
            f"{label}: {plural(int(differs.sum()), 'form')} of the export give a total in column "
            f"{labels.get(column, column)!r} that differs from the score of its items; the export's "
            "total is used. Check the export's scoring, or drop the total column to use the items.",
            DataQualityWarning,
            stacklevel=4,
        )
