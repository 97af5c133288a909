"""The flow of a read: every source row and every score either kept or excluded with its reason
(CONSORT-style counts).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import numpy as np
import pandas as pd

from ..privacy import suspicious_values
from ..schema import CHECKS, MISSING_CODES


def flow_table(
    n_read: int,
    row_reasons: pd.Series,
    n_rows_kept: int,
    n_found: int,
    score_reasons: pd.Series,
    n_scores_kept: int,
    forms: Iterable[tuple[str, str, str, int]] = (),
) -> pd.DataFrame:
    """The flow: rows read, excluded by reason and kept; scores found, excluded and kept; and,
    where the export held questionnaires as items, the ``forms`` lines (found, not scored by
    reason, scored)."""
    recs: list[tuple[str, str, str, int]] = [("rows", "read", "rows read", n_read)]
    recs += [("rows", "excluded", str(r), int(c)) for r, c in row_reasons.items()]
    recs.append(("rows", "kept", "rows kept (at least one score in the table)", n_rows_kept))
    recs.append(("scores", "read", "scores found", n_found))
    recs += [("scores", "excluded", str(r), int(c)) for r, c in score_reasons.items()]
    recs.append(("scores", "kept", "scores in the table", n_scores_kept))
    recs += list(forms)
    flow = pd.DataFrame(recs, columns=["unit", "step", "reason", "count"])
    flow["count"] = flow["count"].astype("int64")
    return flow


_CODE_LIKE = re.compile(r"[^A-Z\s]{1,30}")  # no capital letter, no space: pain_nsr, fol, 4-5, -999, unk


def quotable(value: str) -> bool:
    """Whether a value may be quoted in a message: a number, a code or a lower-case word
    (``pain_nsr``, ``fol``, ``4-5``, ``-999``) or a missing-value code (``UNK``, ``N/A``); never
    capitalised words or a phrase, which may be a name the scan does not know (``Okafor``).

    >>> [quotable(v) for v in ["pain_nsr", "4-5", "UNK", "Okafor", "Kwame Mensah", "5 Mar"]]
    [True, True, True, False, False, False]
    """
    text = value.strip()
    return bool(_CODE_LIKE.fullmatch(text)) or text.lower() in MISSING_CODES


def hide_values(fc: pd.DataFrame, columns: Iterable[str]) -> pd.DataFrame:
    """Blank the value, and any message that could quote it, of failures in identifying columns and
    of every failure whose value looks like a direct identifier wherever it stands (a name typed as
    a measure, a phone number as a score: :func:`outcomes.privacy.suspicious_values`)."""
    if not len(fc):
        return fc
    in_column = fc["column"].isin(list(columns)).to_numpy()
    quoted = fc["value"].notna().to_numpy()
    looks = np.zeros(len(fc), dtype=bool)
    if quoted.any():
        texts = [str(v) for v in fc["value"].to_numpy()[quoted]]
        looks[quoted] = suspicious_values(texts) | ~np.array([quotable(t) for t in texts], dtype=bool)
    looks &= ~in_column
    if not (in_column.any() or looks.any()):
        return fc
    fc = fc.copy()
    fc.loc[in_column | looks, "value"] = None
    fc.loc[in_column, "message"] = [
        f"{str(c).replace('_', ' ')} (value not shown: the column holds identifiers)"
        for c in fc.loc[in_column, "check"]
    ]
    fc.loc[looks, "message"] = [
        f"{str(c).replace('_', ' ')} (value not shown: it looks like a name, date or contact detail, or "
        "is not a plain code)"
        for c in fc.loc[looks, "check"]
    ]
    return fc


REASON_TEXT = {
    "declared_missing": "score recorded as missing (na_values)",
    "blank": "no score recorded (blank cell)",
    **{k: f"invalid: {k.replace('_', ' ')}" for k in CHECKS},
}
