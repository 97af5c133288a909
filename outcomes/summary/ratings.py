""":func:`summarize_ratings`: the distribution of a rating of change (PGIC) per group."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from .. import effects as fx
from ..instruments import InstrumentRegistry, registry_for
from .prepare import as_list, canonical_frame, prepare
from .row import SMALL_N, in_clinical_range


def summarize_ratings(
    data: Any,
    *,
    by: str | Sequence[str] | None = "condition",
    measures: Sequence[str] | None = None,
    confidence: float = 0.95,
    instruments: InstrumentRegistry | None = None,
) -> pd.DataFrame:
    """Distribution of a rating of change (PGIC) per group.

    A PGIC is asked after treatment only: it is summarised as a distribution,
    never as a pre/post change. Each client's last rating counts once.

    Parameters
    ----------
    data : SessionData or DataFrame
        What :func:`outcomes.read_sessions` returns, or a canonical frame.
    by : str or list of str or None, default 'condition'
        Attribute columns to group by.
    measures : list of str, optional
        Ratings to summarise (default every ``global_change`` measure present).
    confidence : float, default 0.95
        Level of the Wilson interval.
    instruments : InstrumentRegistry, optional
        Registry (default registry when omitted).

    Returns
    -------
    DataFrame
        Group keys, ``measure``, ``n_clients``, ``n_<value>`` for every possible
        rating (``n_1`` ... ``n_7`` for PGIC), ``pct_responders`` (percent of
        clients whose rating meets the registry's responder rule, for PGIC a
        rating of 1 or 2: much or very much improved) with
        ``pct_responders_ci_low``/``pct_responders_ci_high`` (Wilson), and
        ``flags`` (``small_n``, ``insufficient``).

    References
    ----------
    Dworkin RH, Turk DC, Wyrwich KW, et al. Interpreting the clinical importance of
    treatment outcomes in chronic pain clinical trials: IMMPACT recommendations. J Pain
    2008;9(2):105-121. doi:10.1016/j.jpain.2007.09.005

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"client_id": list("ABC"), "session": 4, "timepoint": "post",
    ...                    "measure": "pgic", "score": [1, 2, 5], "condition": "tmj"})
    >>> round(float(summarize_ratings(df)["pct_responders"].iloc[0]), 1)
    66.7
    """
    registry = registry_for(data, instruments)
    by_cols = as_list(by, "by")
    frame = prepare(
        canonical_frame(data, registry),
        by_cols,
        as_list(measures, "measures") or None,
        registry,
        kind="global_change",
    )
    rows = []
    last = (
        frame.sort_values(["session", "timepoint"])
        .groupby([*by_cols, "measure", "client_id"], dropna=False, observed=True)
        .tail(1)
    )
    for key, sub in last.groupby([*by_cols, "measure"], sort=True, dropna=False, observed=True):
        key = key if isinstance(key, tuple) else (key,)
        inst = registry[str(key[-1])]
        values = sub["score"].to_numpy(float)
        n = len(values)
        row: dict[str, Any] = {
            **dict(zip(by_cols, key[:-1], strict=True)),
            "measure": key[-1],
            "n_clients": n,
        }
        for v in np.arange(inst.min, inst.max + 1):
            row[f"n_{int(v)}"] = int(np.sum(values == v))
        if inst.clinical_cutoff is not None:
            k = int(in_clinical_range(inst, values).sum())
            lo, hi = fx.wilson_interval(k, n, confidence=confidence)
            row.update(
                pct_responders=100.0 * k / n,
                pct_responders_ci_low=100.0 * lo,
                pct_responders_ci_high=100.0 * hi,
            )
        row["flags"] = "insufficient" if n < 2 else ("small_n" if n < SMALL_N else "")
        rows.append(row)
    return pd.DataFrame(rows)
