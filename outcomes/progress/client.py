""":func:`client_progress`: one client's course, measure by measure, with the expected band, the
MCID and reliable-change lines and the status of :func:`.signal.not_on_track`.

Everything a client's progress page and :func:`outcomes.plots.plot_client` draw comes from here;
the expected band is the one the client is judged by (the model of their cross-fitting fold,
fitted without them).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .. import effects as fx
from ..instruments import InstrumentRegistry, registry_for
from ..summary.prepare import canonical_frame
from .signal import FALLBACK_SESSION, MIN_CLIENTS, fit_folds, not_on_track
from .trajectory import time_axis

__all__ = ["ClientProgress", "client_progress"]


@dataclass
class ClientProgress:
    """One client's course (see :func:`client_progress`).

    Attributes
    ----------
    client_id : str
    scores : DataFrame
        ``measure``, ``session``, ``timepoint`` (``pre``, ``post``, ``followup``), ``score``.
    expected : DataFrame
        ``measure``, ``session``, ``expected``, ``band_low``, ``band_high``: the score expected
        before each session given the intake, and the band (empty for a measure judged by the
        published rule, or whose better is toward a target).
    lines : DataFrame
        Per measure: ``intake``, ``mcid_line`` (the intake improved by the MCID),
        ``better_line`` and ``worse_line`` (the intake ± the reliable change), NaN where the
        registry has no MCID or reliability.
    status : DataFrame
        The client's rows of :func:`outcomes.not_on_track`.
    """

    client_id: str
    scores: pd.DataFrame
    expected: pd.DataFrame
    lines: pd.DataFrame
    status: pd.DataFrame


def client_progress(
    data: Any,
    client_id: str,
    *,
    measures: list[str] | None = None,
    time: str = "log_session",
    band: float = 0.6,
    min_clients: int = MIN_CLIENTS,
    folds: int = 5,
    fallback_session: int = FALLBACK_SESSION,
    by_condition: bool = True,
    instruments: InstrumentRegistry | None = None,
) -> ClientProgress:
    """One client's scores per session and measure, with what they are judged against.

    The settings are those of :func:`outcomes.not_on_track`, so that the page and the list agree.

    Raises
    ------
    KeyError
        ``client_id`` is not in the data (the message names no other client).
    """
    registry = registry_for(data, instruments)
    frame = canonical_frame(data, registry)
    client_id = str(client_id)
    mine = frame[frame["client_id"].astype(str) == client_id]
    if mine.empty:
        raise KeyError(f"no client {client_id!r} in the data")
    present = [m for m in pd.unique(mine["measure"].astype(str)) if registry[m].kind == "score"]
    keys = [registry.get_instrument(m).key for m in measures] if measures else present
    scores = mine[mine["measure"].astype(str).isin(keys)][["measure", "session", "timepoint", "score"]]
    scores = scores.astype({"measure": str, "timepoint": str}).sort_values(
        ["measure", "session", "timepoint"]
    )
    status = pd.concat(
        [
            not_on_track(
                data,
                measure=k,
                time=time,
                band=band,
                min_clients=min_clients,
                folds=folds,
                fallback_session=fallback_session,
                by_condition=by_condition,
                instruments=registry,
            )
            for k in keys
        ],
        ignore_index=True,
    )
    status = status[status["client_id"] == client_id].reset_index(drop=True)
    expected, lines = [], []
    pre = frame[frame["timepoint"].astype(str) == "pre"]
    for key in keys:
        inst = registry[key]
        rows = pre[pre["measure"].astype(str) == key]
        rows = rows.assign(score=inst.to_analysis_scale(rows["score"].astype(float)))
        own = rows[rows["client_id"].astype(str) == client_id].sort_values("session")
        if own.empty:
            continue
        intake = float(own["score"].iloc[0])
        sign = inst.improvement_sign()
        sd = float(rows.groupby("client_id")["score"].first().std(ddof=1))
        rc = (
            fx.reliable_change_threshold(sd, inst.test_retest)
            if inst.test_retest is not None and np.isfinite(sd) and sd > 0
            else np.nan
        )
        mcid = inst.mcid_points if inst.mcid_points is not None else np.nan
        raw_intake = float(
            mine[(mine["measure"].astype(str) == key) & (mine["timepoint"].astype(str) == "pre")]
            .sort_values("session")["score"]
            .iloc[0]
        )
        toward = inst.direction == "toward"
        lines.append(
            {
                "measure": key,
                "intake": raw_intake,
                "mcid_line": np.nan if toward else intake + sign * mcid,
                "better_line": np.nan if toward else intake + sign * rc,
                "worse_line": np.nan if toward else intake - sign * rc,
            }
        )
        if toward:
            continue
        fold_of, models = fit_folds(
            rows, inst, registry, time=time, min_clients=min_clients, folds=folds, by_condition=by_condition
        )
        fold = fold_of.get(client_id)
        if fold is None or fold not in models:
            continue
        last = int(own["session"].max())
        sessions = np.arange(int(own["session"].iloc[0]) + 1, max(last, fallback_session) + 1)
        t = time_axis(pd.DataFrame({"session": sessions}), time) - time_axis(own.iloc[:1], time)[0]
        condition = str(own["condition"].iloc[0]) if "condition" in own else ""
        exp = models[fold].expect(
            np.full(len(sessions), intake), t, np.full(len(sessions), condition, dtype=object), level=band
        )
        expected.append(exp.drop(columns=["sd", "by_condition"]).assign(measure=key, session=sessions))
    expected_frame = (
        pd.concat(expected, ignore_index=True)[["measure", "session", "expected", "band_low", "band_high"]]
        if expected
        else pd.DataFrame(columns=["measure", "session", "expected", "band_low", "band_high"])
    )
    return ClientProgress(
        client_id=client_id,
        scores=scores.reset_index(drop=True),
        expected=expected_frame,
        lines=pd.DataFrame(lines, columns=["measure", "intake", "mcid_line", "better_line", "worse_line"]),
        status=status,
    )
