"""The flow of a read: every source row and every score either kept or excluded with its reason
(CONSORT-style counts).
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from ..schema import CHECKS


def flow_table(
    n_read: int,
    row_reasons: pd.Series,
    n_rows_kept: int,
    n_found: int,
    score_reasons: pd.Series,
    n_scores_kept: int,
) -> pd.DataFrame:
    recs: list[tuple[str, str, str, int]] = [("rows", "read", "rows read", n_read)]
    recs += [("rows", "excluded", str(r), int(c)) for r, c in row_reasons.items()]
    recs.append(("rows", "kept", "rows kept (at least one score in the table)", n_rows_kept))
    recs.append(("scores", "read", "scores found", n_found))
    recs += [("scores", "excluded", str(r), int(c)) for r, c in score_reasons.items()]
    recs.append(("scores", "kept", "scores in the table", n_scores_kept))
    flow = pd.DataFrame(recs, columns=["unit", "step", "reason", "count"])
    flow["count"] = flow["count"].astype("int64")
    return flow


def hide_values(fc: pd.DataFrame, columns: Iterable[str]) -> pd.DataFrame:
    """Blank the value, and any message that could quote it, of failures in identifying columns."""
    mask = fc["column"].isin(list(columns)).to_numpy() if len(fc) else np.zeros(0, dtype=bool)
    if not mask.any():
        return fc
    fc = fc.copy()
    fc.loc[mask, "value"] = None
    fc.loc[mask, "message"] = [
        f"{str(c).replace('_', ' ')} (value not shown: the column holds identifiers)"
        for c in fc.loc[mask, "check"]
    ]
    return fc


REASON_TEXT = {
    "declared_missing": "score recorded as missing (na_values)",
    "blank": "no score recorded (blank cell)",
    **{k: f"invalid: {k.replace('_', ' ')}" for k in CHECKS},
}
