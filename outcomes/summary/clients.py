""" "Per-client tables: :func:`client_changes` (each client's earlier and later score) and
:func:`classify_change` (with reliable change and whether the MCID was reached).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from .. import effects as fx
from .._checks import check_argument
from ..instruments import InstrumentRegistry, registry_for
from .engine import Summaries
from .lazy import summaries_of
from .prepare import LEVELS, as_list, canonical_frame
from .row import mcid_reached


def classify_change(
    data: Any,
    *,
    level: str = "course",
    measures: Sequence[str] | None = None,
    confidence: float = 0.95,
    instruments: InstrumentRegistry | None = None,
    course_end: int | tuple[float, float] | None = None,
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
    instruments : InstrumentRegistry or path, optional
        Registry, or a TOML/CSV file of the practice's own measures (default: the
        registry ``data`` was read with, else the default registry).
    course_end : int, (float, float) or None
        The endpoint of the ``course`` level (see :func:`summarize`).

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
    registry = registry_for(data, instruments)
    check_argument("level", LEVELS, level)
    measure_list = as_list(measures, "measures") or None
    frame = canonical_frame(data, registry)
    engine = Summaries(frame, (), registry, levels=[level], measures=measure_list, course_end=course_end)
    return classify_pairs(
        engine.pairs(level).frame(),
        client_conditions(frame, registry, measure_list),
        registry,
        level=level,
        confidence=confidence,
    )


def client_conditions(
    frame: pd.DataFrame, registry: InstrumentRegistry, measures: Sequence[str] | None = None
) -> pd.Series:
    """Each client's conditions, ``;``-joined and sorted, over the rows of their score measures.

    Indexed by ``client_id``. A client's condition is normally one value for all
    their rows; only clients whose rows name different conditions are merged one
    by one.
    """
    keys = {registry.get_instrument(m).key for m in measures} if measures else None
    kinds = {m: registry[m].kind for m in pd.unique(frame["measure"])}
    score = frame["measure"].map(
        {m: kind == "score" and (keys is None or m in keys) for m, kind in kinds.items()}
    )
    pairs = frame.loc[score.to_numpy(dtype=bool), ["client_id", "condition"]].drop_duplicates()
    several = pairs["client_id"].duplicated(keep=False).to_numpy()
    out = pairs.loc[~several].set_index("client_id")["condition"].astype(object)
    if several.any():
        merged = (
            pairs.loc[several]
            .groupby("client_id", sort=False)["condition"]
            .agg(lambda s: ";".join(sorted({c for v in s for c in str(v).split(";")})))
        )
        out = pd.concat([out, merged])
    return out


def classify_pairs(
    clients: pd.DataFrame,
    conditions: pd.Series,
    registry: InstrumentRegistry,
    *,
    level: str,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """:func:`classify_change` from client pairs already made (:func:`client_changes` with ``by=None``).

    ``conditions`` maps ``client_id`` to the client's conditions
    (:func:`client_conditions`).
    """
    clients = clients.loc[clients["paired"]].reset_index(drop=True)
    cond = conditions
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


def client_changes(
    data: Any,
    *,
    level: str = "session",
    by: str | Sequence[str] | None = None,
    measures: Sequence[str] | None = None,
    instruments: InstrumentRegistry | None = None,
    course_end: int | tuple[float, float] | None = None,
) -> pd.DataFrame:
    """One row per group x measure x client: the client's earlier and later score.

    This is the client-level table every statistic of :func:`summarize` is
    computed from.

    Parameters
    ----------
    data : SessionData or DataFrame
        What :func:`outcomes.read_sessions` returns, or a canonical frame.
    level : {'session', 'followup', 'course'}
        Which pair of timepoints.
    by : str or list of str, optional
        Attribute columns to group by; ``condition`` counts a client with two
        conditions in each.
    measures : list of str, optional
        Measures to keep (default: all score measures present).
    instruments : InstrumentRegistry or path, optional
        Registry, or a TOML/CSV file of the practice's own measures (default: the
        registry ``data`` was read with, else the default registry).
    course_end : int, (float, float) or None
        The endpoint of the ``course`` level (see :func:`summarize`).

    Returns
    -------
    DataFrame
        Group keys, then ``measure``, ``client_id``, ``pre`` (the client's
        earlier score on the analysis scale: the mean over paired sessions at
        the ``session``/``followup`` levels, the first session's ``pre`` at
        ``course``), ``post`` (the later score likewise), ``change`` (post − pre),
        ``n_sessions`` (sessions paired, or sessions with a ``pre`` spanned by
        the course), ``n_sessions_unpaired`` (sessions with only one score of
        the pair), ``immediate_change`` and ``followup_change_same_sessions``
        (``followup`` level only: the mean pre -> post and pre -> follow-up
        changes over the sessions that have all three scores, for the retention
        ratio), ``first_session`` and ``last_session`` (``course`` level only: the
        session numbers of the two scores, NaN without a pair), and ``paired`` (False for a client who has
        scores at this level but no complete pair; ``pre``/``post`` are then NaN).
        Scores of ``toward`` measures are distances to their target.
    """
    registry = registry_for(data, instruments)
    check_argument("level", LEVELS, level)
    engine = summaries_of(
        data,
        registry,
        as_list(by, "by"),
        levels=[level],
        measures=as_list(measures, "measures") or None,
        course_end=course_end,
    )
    return engine.pairs(level).frame()
