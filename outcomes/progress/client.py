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

from ..instruments import InstrumentRegistry, registry_for
from ..summary.prepare import canonical_frame
from .signal import COLUMNS, FALLBACK_SESSION, MIN_CLIENTS, judge_measure
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
    expected, lines, status = [], [], []
    pre = frame[frame["timepoint"].astype(str) == "pre"]
    for key in keys:
        inst = registry[key]
        judged = judge_measure(
            pre[pre["measure"].astype(str) == key],
            inst,
            registry,
            time=time,
            band=band,
            min_clients=min_clients,
            folds=folds,
            fallback_session=fallback_session,
            by_condition=by_condition,
        )
        row = judged.clients[judged.clients["client_id"] == client_id]
        if row.empty:  # no score before a session of this measure
            continue
        status.append(row)
        r = row.iloc[0]
        intake, sign, toward = float(r["intake"]), inst.improvement_sign(), inst.direction == "toward"
        mcid = inst.mcid_points if inst.mcid_points is not None else np.nan
        raw = scores[(scores["measure"] == key) & (scores["timepoint"] == "pre")]["score"]
        lines.append(
            {
                "measure": key,
                "intake": float(raw.iloc[0]),
                "mcid_line": np.nan if toward else intake + sign * mcid,
                "better_line": np.nan if toward else intake + sign * judged.threshold,
                "worse_line": np.nan if toward else intake - sign * judged.threshold,
            }
        )
        fold = judged.fold_of.get(client_id)
        if toward or fold is None or fold not in judged.models:
            continue
        first = int(r["first_session"])
        if time in ("weeks", "days"):  # days are known only for the sessions the client came to
            own = pre[(pre["measure"].astype(str) == key) & (pre["client_id"].astype(str) == client_id)]
            own = own.sort_values("session")
            sessions = own["session"].to_numpy(dtype=int)[1:]
            t = (time_axis(own, time) - time_axis(own, time)[0])[1:]
        else:  # the sessions so far and on to the published rule's session
            sessions = np.arange(first + 1, max(int(r["latest_session"]), fallback_session) + 1)
            t = (
                time_axis(pd.DataFrame({"session": sessions}), time)
                - time_axis(pd.DataFrame({"session": [first]}), time)[0]
            )
        exp = judged.models[fold].expect(
            np.full(len(sessions), intake),
            t,
            np.full(len(sessions), r["condition"], dtype=object),
            level=band,
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
        status=pd.concat(status, ignore_index=True) if status else pd.DataFrame(columns=COLUMNS),
    )
