""":func:`not_on_track`: which clients are not improving as the practice's history expects.

For each client and measure, the latest score is set beside the score expected at that session
given the client's intake score (:mod:`.expected`), from a model fitted on the *other* clients
(cross-fitting: the clients are split into folds, and each fold is judged by a model fitted
without it). Where the practice's history is too thin, a published rule stands in: a reliable
change or the MCID by a given session. A flag is a prompt for clinical review, not a diagnosis.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .. import effects as fx
from .._checks import check_argument
from ..instruments import Instrument, InstrumentRegistry, registry_for
from ..summary.prepare import canonical_frame
from .expected import ExpectedRecovery, expected_from_model
from .trajectory import TIME_SCALES, time_axis, trajectory_model

__all__ = [
    "FALLBACK_SESSION",
    "MIN_CLIENTS",
    "STATUSES",
    "FoldModel",
    "Judged",
    "fit_folds",
    "judge_measure",
    "not_on_track",
]

#: The statuses, those that need attention first.
STATUSES = ("reliably worse", "not on track", "too little history", "on track", "reliably improved")
#: A practice model needs at least this many clients with scores at two or more sessions (in the
#: data it is fitted on, the judged clients left out); below it the published rule stands in.
MIN_CLIENTS = 20
#: The published rule's session: by then a client should have reached the MCID or a reliable
#: improvement.
FALLBACK_SESSION = 4

COLUMNS = [
    "client_id",
    "measure",
    "condition",
    "first_session",
    "intake",
    "latest_session",
    "latest",
    "expected",
    "band_low",
    "band_high",
    "improvement",
    "status",
    "rule",
    "reason",
]


def not_on_track(
    data: Any,
    *,
    measure: str | None = None,
    instruments: InstrumentRegistry | None = None,
    time: str = "log_session",
    band: float = 0.6,
    min_clients: int = MIN_CLIENTS,
    folds: int = 5,
    fallback_session: int = FALLBACK_SESSION,
    timepoint: str = "pre",
    confidence: float = 0.95,
    by_condition: bool = True,
) -> pd.DataFrame:
    """One row per client × measure: the latest score beside the expected one, and a status.

    Parameters
    ----------
    data : SessionData or DataFrame
        What :func:`outcomes.read_sessions` returns, or a canonical frame. Anonymized exports
        carry no calendar dates, so every client of the export is listed (filter the result, or
        the data, to the clients still in care).
    measure : str, optional
        One measure (default: every score measure with a client seen at two sessions).
    time : {'log_session', 'session', 'weeks', 'days'}
        The time scale of the expected course (:data:`.trajectory.TIME_SCALES`).
    band : float, default 0.6
        Central coverage of the prediction band: a client whose latest score is worse than the
        band's worse edge is not on track; with the default, worse than 80% of clients with the
        same intake score are expected to be at that session. (On simulated practices where 15%
        of clients stall and 5% get worse it flags 67% of them by session 3 and 78% by session 6,
        and 6-9% of those who improve; the published rule alone flags 95% at session 4 but 30% of
        those who improve: ``benchmarks/NOT_ON_TRACK.md``.)
    min_clients : int, default 20
        Clients with scores at two or more sessions a practice model needs, the judged fold
        left out; with fewer, the published rule is used (and the ``rule`` column says so).
    folds : int, default 5
        Cross-fitting folds: each client is judged by a model fitted without their fold.
    fallback_session : int, default 4
        The published rule: by this session a client should have improved by the measure's
        MCID or by a reliable change (Jacobson–Truax, the registry's test–retest reliability).
    timepoint : str, default 'pre'
        Which score of a session: the state the client arrives in.
    confidence : float, default 0.95
        Level of the reliable-change criterion.
    by_condition : bool, default True
        Where two or more conditions each have ``min_clients`` clients with history (with that
        one condition), a client with one of them is judged by the course of clients with the
        same condition; everyone else by the practice's pooled course.

    Returns
    -------
    DataFrame
        ``client_id``, ``measure``, ``condition``, ``first_session``, ``intake`` (the score at the
        first session), ``latest_session``, ``latest``, ``expected``, ``band_low``,
        ``band_high`` (NaN under the published rule), ``improvement`` (positive = better; for a
        measure whose better is toward a target, such as a tone grade, the scores are distances
        from the target), ``status`` (:data:`STATUSES`), ``rule`` and ``reason``;
        sorted with the clients who need attention first.
    """
    check_argument("time", TIME_SCALES, time)
    registry = registry_for(data, instruments)
    frame = canonical_frame(data, registry)
    frame = frame[frame["timepoint"].astype(str) == timepoint]
    present = pd.unique(frame["measure"].astype(str))
    if measure is not None:
        keys = [registry.get_instrument(measure).key]
    else:
        keys = [m for m in present if m in registry and registry[m].kind == "score"]
    parts = [
        judge_measure(
            frame[frame["measure"].astype(str) == k],
            registry[k],
            registry,
            time=time,
            band=band,
            min_clients=min_clients,
            folds=folds,
            fallback_session=fallback_session,
            confidence=confidence,
            by_condition=by_condition,
        ).clients
        for k in keys
    ]
    parts = [p for p in parts if len(p)]
    if not parts:
        return pd.DataFrame(columns=COLUMNS)
    out = pd.concat(parts, ignore_index=True)
    order = out["status"].map({s: i for i, s in enumerate(STATUSES)})
    # within a status, the furthest from the expected score first, in widths of the band
    width = (out["band_high"] - out["band_low"]).where(lambda w: w > 0)
    beyond = ((out["latest"] - out["expected"]).abs() / width).fillna(0.0)
    out = out.assign(_o=order, _b=-beyond).sort_values(["_o", "_b", "client_id", "measure"], kind="stable")
    return out.drop(columns=["_o", "_b"]).reset_index(drop=True)[COLUMNS]


@dataclass(frozen=True)
class Judged:
    """One measure's clients judged (``clients``: the columns of :func:`not_on_track`), with the
    cross-fitting folds and models they were judged by and the reliable change in points."""

    clients: pd.DataFrame
    fold_of: dict[str, int]
    models: dict[int, FoldModel]
    threshold: float


def judge_measure(
    rows: pd.DataFrame,
    inst: Instrument,
    registry: InstrumentRegistry,
    *,
    time: str = "log_session",
    band: float = 0.6,
    min_clients: int = MIN_CLIENTS,
    folds: int = 5,
    fallback_session: int = FALLBACK_SESSION,
    confidence: float = 0.95,
    by_condition: bool = True,
) -> Judged:
    """The clients of one measure judged, from its rows at the judged timepoint (the settings of
    :func:`not_on_track`)."""
    if rows.empty:
        return Judged(pd.DataFrame(columns=COLUMNS), {}, {}, float("nan"))
    rows = rows.assign(score=inst.to_analysis_scale(rows["score"].astype(float)))
    rows = rows.sort_values(["client_id", "session"])
    g = rows.groupby("client_id", sort=True)
    first, last = g.head(1).set_index("client_id"), g.tail(1).set_index("client_id")
    clients = pd.DataFrame(
        {
            "client_id": first.index.astype(str),
            "measure": inst.key,
            "condition": first["condition"].astype(str).to_numpy() if "condition" in first else "",
            "first_session": first["session"].to_numpy(dtype=int),
            "intake": first["score"].to_numpy(dtype=float),
            "latest_session": last["session"].to_numpy(dtype=int),
            "latest": last["score"].to_numpy(dtype=float),
        }
    )
    sign = inst.improvement_sign()
    clients["improvement"] = sign * (clients["latest"] - clients["intake"])
    clients["t"] = time_axis(last.reset_index(), time) - time_axis(first.reset_index(), time)
    for col in ("expected", "band_low", "band_high"):
        clients[col] = np.nan
    clients["rule"] = ""
    history = clients["latest_session"] > clients["first_session"]
    fold_of, models = fit_folds(
        rows, inst, registry, time=time, min_clients=min_clients, folds=folds, by_condition=by_condition
    )
    clients["fold"] = clients["client_id"].map(fold_of).fillna(-1).astype(int)
    for f, model in models.items():
        judged = (clients["fold"] == f).to_numpy()
        exp = model.expect(
            clients.loc[judged, "intake"].to_numpy(),
            clients.loc[judged, "t"].to_numpy(),
            clients.loc[judged, "condition"].to_numpy(),
            level=band,
        )
        clients.loc[judged, ["expected", "band_low", "band_high"]] = exp[
            ["expected", "band_low", "band_high"]
        ].to_numpy(dtype=float)
        how = f"{time.replace('_', ' ')} model, {band:.0%} band"
        same = clients.loc[judged, "condition"].astype(str).map(model.groups)
        clients.loc[judged, "rule"] = [
            f"practice history of the same condition: {int(n)} other clients, {how}"
            if by
            else f"practice history: {model.n_train} other clients, {how}"
            for by, n in zip(exp["by_condition"].to_numpy(dtype=bool), same.fillna(0), strict=True)
        ]
    clients["status"], clients["reason"], threshold = _status(
        clients, inst, sign, fallback_session, confidence
    )
    clients.loc[clients["rule"] == "", "rule"] = np.where(
        history[clients["rule"] == ""],
        f"published rule: the MCID or a reliable improvement by session {fallback_session}",
        "",
    )
    return Judged(clients.drop(columns=["t", "fold"]), fold_of, models, threshold)


@dataclass(frozen=True)
class FoldModel:
    """The expectation a fold is judged by: fitted on the other folds' clients (``n_train`` of them
    with history), and, where enough of them share a condition, a model by condition
    (``groups``: each modelled condition with its number of clients with history)."""

    base: ExpectedRecovery
    n_train: int
    grouped: ExpectedRecovery | None = None
    groups: dict[str, int] = field(default_factory=dict)

    def expect(
        self, intake: np.ndarray, t: np.ndarray, condition: np.ndarray, *, level: float
    ) -> pd.DataFrame:
        """The expectation of each client: by their condition where it was modelled, else pooled;
        ``by_condition`` says which."""
        out = self.base.expect(intake, t, level=level)
        out["by_condition"] = False
        if self.grouped is not None:
            mine = np.isin(condition.astype(str), list(self.groups))
            if mine.any():
                by = self.grouped.expect(intake[mine], t[mine], condition.astype(str)[mine], level=level)
                out.loc[mine, by.columns] = by.to_numpy()
                out.loc[mine, "by_condition"] = True
        return out


def fit_folds(
    rows: pd.DataFrame,
    inst: Instrument,
    registry: InstrumentRegistry,
    *,
    time: str,
    min_clients: int,
    folds: int,
    by_condition: bool = True,
) -> tuple[dict[str, int], dict[int, FoldModel]]:
    """Cross-fitting: the fold of each client with scores at two or more sessions (in client order,
    no seed: the same data give the same folds), and per fold the expectation fitted on the other
    folds' clients; a fold whose others have fewer than ``min_clients`` clients with history has no
    model. With ``by_condition``, where two or more conditions each have ``min_clients`` such
    clients (with that one condition), a model by condition is fitted on them too. ``rows`` are one
    measure's scores on the analysis scale."""
    per_client = rows.groupby(rows["client_id"].astype(str))["session"].nunique().sort_index()
    with_history = per_client.index[per_client.to_numpy() >= 2]
    k = max(int(folds), 2)
    fold_of = {c: i % k for i, c in enumerate(with_history)}
    client = rows["client_id"].astype(str)
    row_fold = client.map(fold_of).fillna(-1).to_numpy()
    models: dict[int, FoldModel] = {}
    for f in range(k):
        if f not in fold_of.values():
            continue
        train = rows[row_fold != f]
        history = train.groupby(train["client_id"].astype(str))["session"].nunique() >= 2
        n_train = int(history.sum())
        if n_train < min_clients:
            continue
        base = expected_from_model(trajectory_model(train, inst.key, time=time, instruments=registry))
        model = FoldModel(base=base, n_train=n_train)
        if by_condition and "condition" in train:
            first = train.groupby(train["client_id"].astype(str))["condition"].first().astype(str)
            single = first[
                ~first.str.contains(";", regex=False) & history.reindex(first.index, fill_value=False)
            ]
            counts = single.value_counts()
            groups = {str(c): int(n) for c, n in counts.items() if n >= min_clients}
            if len(groups) >= 2:
                keep = train["condition"].astype(str).isin(list(groups))
                fit = trajectory_model(train[keep], inst.key, time=time, by="condition", instruments=registry)
                model = FoldModel(base=base, n_train=n_train, grouped=expected_from_model(fit), groups=groups)
        models[f] = model
    return fold_of, models


def _status(
    c: pd.DataFrame, inst: Instrument, sign: int, fallback_session: int, confidence: float
) -> tuple[np.ndarray, np.ndarray, float]:
    """Each client's status, the reason in words, and the reliable change in points (NaN without
    a published reliability)."""
    n = len(c)
    history = (c["latest_session"] > c["first_session"]).to_numpy()
    category = np.full(n, "", dtype=object)
    threshold = np.nan
    sd = float(np.std(c["intake"].to_numpy(dtype=float), ddof=1)) if n > 1 else np.nan
    if inst.test_retest is not None and np.isfinite(sd) and sd > 0:
        category = fx.classify_reliable_change(
            c["intake"].to_numpy(dtype=float),
            c["latest"].to_numpy(dtype=float),
            sd_baseline=sd,
            reliability=inst.test_retest,
            improvement_sign=sign,
            confidence=confidence,
        ).astype(object)
        threshold = fx.reliable_change_threshold(sd, inst.test_retest, confidence=confidence)
    modelled = c["expected"].notna().to_numpy()
    worse_edge = (c["band_high"] if sign < 0 else c["band_low"]).to_numpy(dtype=float)
    off = modelled & np.where(
        sign < 0, c["latest"].to_numpy() > worse_edge, c["latest"].to_numpy() < worse_edge
    )
    mcid = inst.mcid_points
    reached = c["improvement"].to_numpy() >= (mcid if mcid is not None else np.inf)
    judged_by_rule = ~modelled & history
    late = c["latest_session"].to_numpy() >= fallback_session
    can_rule = mcid is not None or inst.test_retest is not None
    rule_off = judged_by_rule & late & can_rule & ~reached & (category != "reliably_improved")

    status = np.full(n, "on track", dtype=object)
    status[category == "reliably_improved"] = "reliably improved"
    status[off | rule_off] = "not on track"
    status[category == "reliably_deteriorated"] = "reliably worse"
    status[~history] = "too little history"
    status[judged_by_rule & ~can_rule] = "too little history"

    def num(v: Any) -> str:
        return f"{float(v):.3g}"

    reasons = []
    for i, r in enumerate(c.itertuples(index=False)):
        s = status[i]
        where = f"session {r.latest_session}: {num(r.latest)} (intake {num(r.intake)})"
        if inst.direction == "toward":
            where = f"session {r.latest_session}: {num(r.latest)} from normal (intake {num(r.intake)})"
        if s == "too little history":
            reasons.append(
                "one session so far" if not history[i] else "no MCID or reliability published to judge by"
            )
        elif s == "reliably worse":
            reasons.append(
                f"{where}: worse than at intake by more than measurement error ({num(threshold)} points)"
            )
        elif modelled[i]:
            band_text = f"expected {num(r.expected)}, band {num(r.band_low)} to {num(r.band_high)}"
            lead = {"not on track": "worse than expected", "reliably improved": "reliably improved"}.get(
                s, "as expected"
            )
            reasons.append(f"{where}; {band_text}: {lead}")
        elif s == "not on track":
            goal = f"the MCID ({num(mcid)} points)" if mcid is not None else "a reliable improvement"
            reasons.append(f"{where}: has not reached {goal} by session {fallback_session}")
        elif s == "reliably improved":
            reasons.append(f"{where}: improved by more than measurement error ({num(threshold)} points)")
        elif reached[i]:
            reasons.append(f"{where}: reached the MCID ({num(mcid)} points)")
        else:
            reasons.append(f"{where}: too early for the published rule (session {fallback_session})")
    return status, np.array(reasons, dtype=object), float(threshold)
