""":func:`classify_change`: one row per client x measure, with reliable change and whether the MCID was
reached.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .. import effects as fx
from ..instruments import InstrumentRegistry, default_registry
from .pairs import client_level
from .prepare import LEVELS, as_list, canonical_frame, prepare
from .row import mcid_reached

if TYPE_CHECKING:
    pass


def classify_change(
    data: Any,
    *,
    level: str = "course",
    measures: Sequence[str] | None = None,
    confidence: float = 0.95,
    instruments: InstrumentRegistry | None = None,
) -> pd.DataFrame:
    """One row per client x measure: baseline, endpoint, change and its categories.

    For drilling into a summary: who improved reliably, who reached the MCID.

    Parameters
    ----------
    data : SessionData or DataFrame
        What :func:`outcomes.read_sessions` returns, or a canonical frame.
    level : {'session', 'followup', 'course'}, default 'course'
        Which pair of timepoints (see :func:`summarize`). Reliable change is
        defined at the ``course`` level only (one baseline and one endpoint per
        client, as Jacobson & Truax assume); elsewhere ``rci`` is NaN and
        ``category`` is ``not_applicable``.
    measures : list of str, optional
        Measures to keep (registry keys or aliases); default every score measure.
    confidence : float, default 0.95
        Level of the reliable change threshold (z = 1.96 for 0.95).
    instruments : InstrumentRegistry, optional
        Registry (default registry when omitted).

    Returns
    -------
    DataFrame
        ``client_id``, ``condition`` (the client's conditions, ``;``-joined),
        ``measure``, ``level``, ``scale``, ``baseline``, ``endpoint``
        (client-level earlier and later score on the analysis scale),
        ``change`` (endpoint − baseline), ``improvement`` (change signed so that
        positive is better), ``n_sessions``, ``rci`` (Jacobson–Truax reliable
        change index, NaN without a published reliability), ``rc_threshold``
        (the smallest change in points that counts as reliable,
        z · SD_baseline · √(2(1 − r_xx)), the same for every client of a
        measure; SD_baseline over all clients of the measure), ``category``
        (``reliably_improved``, ``no_reliable_change``, ``reliably_deteriorated``,
        ``unknown`` without a published reliability, ``not_applicable`` below the
        course level), ``reached_mcid`` (bool; NA when the measure has no
        published MCID). Only clients with a complete pair at this level.

    Raises
    ------
    ValueError
        For an unknown ``level``.
    UnknownInstrumentError
        For a measure not in the registry.

    References
    ----------
    Jacobson NS, Truax P. Clinical significance: a statistical approach to defining
    meaningful change in psychotherapy research. J Consult Clin Psychol 1991;59(1):12-19.
    doi:10.1037/0022-006X.59.1.12

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"client_id": ["A"] * 4, "session": [1, 1, 2, 2],
    ...                    "timepoint": ["pre", "post"] * 2, "measure": "pain_nrs",
    ...                    "score": [7, 5, 4, 3], "condition": "tmj"})
    >>> classify_change(df)[["baseline", "endpoint", "improvement", "reached_mcid"]]
       baseline  endpoint  improvement  reached_mcid
    0       7.0       4.0          3.0          True
    """
    registry = instruments if instruments is not None else default_registry()
    if level not in LEVELS:
        raise ValueError(f"level must be one of {', '.join(LEVELS)} (got {level!r})")
    frame = prepare(
        canonical_frame(data, instruments), [], as_list(measures, "measures") or None, registry, kind="score"
    )
    clients = client_level(frame, [], level)
    clients = clients.loc[clients["paired"]].reset_index(drop=True)
    cond = frame.groupby("client_id", observed=True)["condition"].agg(
        lambda s: ";".join(sorted({c for v in pd.unique(s) for c in str(v).split(";")}))
    )
    parts = []
    for measure, sub in clients.groupby("measure", sort=True, observed=True):
        inst = registry[str(measure)]
        pre, post = sub["pre"].to_numpy(float), sub["post"].to_numpy(float)
        sign = inst.improvement_sign()
        improvement = sign * (post - pre)
        sd = float(np.std(pre, ddof=1)) if len(pre) > 1 else np.nan
        if level == "course" and inst.test_retest is not None and np.isfinite(sd) and sd > 0:
            rci = fx.reliable_change_index(pre, post, sd_baseline=sd, reliability=inst.test_retest)
            cats = fx.classify_reliable_change(
                pre,
                post,
                sd_baseline=sd,
                reliability=inst.test_retest,
                improvement_sign=sign,
                confidence=confidence,
            )
            threshold = fx.reliable_change_threshold(sd, inst.test_retest, confidence=confidence)
        else:
            rci = np.full(len(pre), np.nan)
            cats = np.full(len(pre), "unknown" if level == "course" else "not_applicable", dtype=object)
            threshold = np.nan
        reached, _ = mcid_reached(inst, pre, improvement)
        parts.append(
            pd.DataFrame(
                {
                    "client_id": sub["client_id"].to_numpy(),
                    "condition": sub["client_id"].map(cond).to_numpy(),
                    "measure": measure,
                    "level": level,
                    "scale": inst.analysis_scale,
                    "baseline": pre,
                    "endpoint": post,
                    "change": post - pre,
                    "improvement": improvement,
                    "n_sessions": sub["n_sessions"].to_numpy(),
                    "rci": rci,
                    "rc_threshold": threshold,
                    "category": cats,
                    "reached_mcid": pd.array(
                        reached if inst.has_mcid else [pd.NA] * len(pre), dtype="boolean"
                    ),
                }
            )
        )
    cols = [
        "client_id",
        "condition",
        "measure",
        "level",
        "scale",
        "baseline",
        "endpoint",
        "change",
        "improvement",
        "n_sessions",
        "rci",
        "rc_threshold",
        "category",
        "reached_mcid",
    ]
    if not parts:
        return pd.DataFrame(columns=cols)
    return pd.concat(parts, ignore_index=True)[cols]
