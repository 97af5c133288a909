""":func:`trajectory_model`: how scores change along the course of care, as a mixed-effects model.

Each client has their own start and their own rate of change (a random intercept and slope); the
fixed effects are the practice's average start and average change per unit of time, with their
standard errors. Fitted by statsmodels' ``MixedLM`` (REML by default), the model lme4 writes
``score ~ time + (time | client)``.
"""

from __future__ import annotations

import html
import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from .._checks import check_argument
from ..errors import SchemaError
from ..instruments import InstrumentRegistry, registry_for
from ..summary.prepare import canonical_frame, check_by

__all__ = ["TIME_SCALES", "TrajectoryModel", "time_axis", "trajectory_model"]

#: Time scales of a trajectory, each 0 at the client's first session: ``session`` (sessions since
#: the first), ``log_session`` (log of the session number: change slows as care goes on),
#: ``weeks`` and ``days`` (from ``days_from_first``).
TIME_SCALES = ("log_session", "session", "weeks", "days")

_TIME_WORDS = {
    "log_session": "per unit of log(session) (from session 1 to about 2.7)",
    "session": "per session",
    "weeks": "per week",
    "days": "per day",
}


def time_axis(frame: pd.DataFrame, time: str) -> np.ndarray:
    """Each row's place on the time scale (:data:`TIME_SCALES`), 0 at the first session.

    >>> time_axis(pd.DataFrame({"session": [1, 2, 4], "days_from_first": [0, 7, 21]}), "weeks").tolist()
    [0.0, 1.0, 3.0]
    """
    check_argument("time", TIME_SCALES, time)
    if time in ("session", "log_session"):
        session = frame["session"].to_numpy(dtype=float)
        return np.log(session) if time == "log_session" else session - 1.0
    if "days_from_first" not in frame:
        raise SchemaError(
            f"time={time!r} needs a days_from_first column (days since each client's first session); "
            "use time='session' or 'log_session' for data without one"
        )
    days = pd.to_numeric(frame["days_from_first"], errors="coerce").to_numpy(dtype=float)
    return days / 7.0 if time == "weeks" else days


@dataclass
class TrajectoryModel:
    """A fitted trajectory model (see :func:`trajectory_model`).

    Attributes
    ----------
    measure, time, by, method : str
        What was modelled, on which time scale, grouped by which attribute, REML or ML.
    fixed : DataFrame
        One row per fixed effect: ``term`` (``intercept``, ``time``, and for ``by`` the group's
        difference at the start ``<group>`` and in the rate ``time:<group>``), ``label``,
        ``estimate`` (points), ``std_error``, ``z``, ``p_value``, ``ci_low``, ``ci_high`` (Wald,
        normal quantile).
    random : DataFrame
        ``sd_intercept``, ``sd_slope``, ``corr`` (of client starts and rates) and
        ``sd_residual``, with the variances.
    n_clients, n_scores : int
    log_likelihood : float
        At the optimum (REML criterion = −2 × this for REML fits).
    converged : bool
    notes : list of str
        Warnings of the fit, in words.
    result : statsmodels MixedLMResults
        The fit itself, for everything else.
    """

    measure: str
    time: str
    by: str | None
    method: str
    fixed: pd.DataFrame
    random: pd.DataFrame
    n_clients: int
    n_scores: int
    log_likelihood: float
    converged: bool
    notes: list[str] = field(default_factory=list)
    result: Any = None
    direction: str = "lower"

    def __repr__(self) -> str:
        rate = self.fixed.loc[self.fixed["term"] == "time"].iloc[0]
        return (
            f"TrajectoryModel({self.measure}: {rate['estimate']:+.3g} points {_TIME_WORDS[self.time]} "
            f"(95% CI {rate['ci_low']:.3g} to {rate['ci_high']:.3g}); {self.n_clients} clients, "
            f"{self.n_scores} scores, {self.method.upper()})"
        )

    def _repr_html_(self) -> str:
        better = (
            "a fall" if self.direction == "lower" else "a rise" if self.direction == "higher" else "a change"
        )
        head = (
            f"<p><strong>{html.escape(self.measure)}</strong>: score ~ time + (time | client), "
            f"{self.method.upper()}, time {html.escape(_TIME_WORDS[self.time])}; {self.n_clients} clients, "
            f"{self.n_scores} scores. For this measure {better} is better.</p>"
        )
        cols = ["label", "estimate", "std_error", "ci_low", "ci_high", "p_value"]
        table = self.fixed[cols].to_html(index=False, float_format=lambda v: f"{v:.4g}", border=0)
        rand = self.random.to_html(index=False, float_format=lambda v: f"{v:.4g}", border=0)
        notes = "".join(f"<p><em>{html.escape(n)}</em></p>" for n in self.notes)
        return f"<div>{head}{table}<p>Client variation:</p>{rand}{notes}</div>"


def trajectory_model(
    data: Any,
    measure: str,
    *,
    by: str | None = None,
    time: str = "log_session",
    timepoint: str = "pre",
    method: str = "reml",
    confidence: float = 0.95,
    instruments: InstrumentRegistry | None = None,
) -> TrajectoryModel:
    """Fit ``score ~ time (* by) + (time | client)`` to one measure's scores along the course.

    Parameters
    ----------
    data : SessionData or DataFrame
        What :func:`outcomes.read_sessions` returns, or a canonical frame.
    measure : str
        The measure (its scores at ``timepoint``, one per client and session).
    by : str, optional
        An attribute (``condition`` is split: a client with two conditions is in both groups' rows
        only when ``by`` is not ``condition``; with ``by='condition'`` such clients are left out
        and counted in ``notes``). Each group gets its own start and rate.
    time : {'log_session', 'session', 'weeks', 'days'}
        The time scale (:func:`time_axis`), 0 at the first session.
    timepoint : str, default 'pre'
        Which score of a session: ``pre`` (the state the client arrives in) by default.
    method : {'reml', 'ml'}
        Restricted maximum likelihood (as lme4's default) or maximum likelihood.
    confidence : float, default 0.95
        Level of the Wald intervals of the fixed effects.

    Returns
    -------
    TrajectoryModel

    Notes
    -----
    The model is lme4's ``lmer(score ~ time + (time | client))``: a random intercept and slope per
    client, correlated. Fixed effects are identical to lme4's at the optimum; statsmodels'
    optimiser stops a little earlier than lme4's, so on lme4's ``sleepstudy`` the standard errors
    agree to about 3e-5 and the variance components to about 1e-4 relative
    (``tests/progress/test_trajectory.py``). Intervals are Wald intervals with the normal
    quantile (lme4 prints t values without degrees of freedom).

    References
    ----------
    Bates D, Mächler M, Bolker B, Walker S. Fitting linear mixed-effects models using lme4.
    J Stat Softw 2015;67(1):1-48. doi:10.18637/jss.v067.i01
    """
    import statsmodels.formula.api as smf

    check_argument("method", ("reml", "ml"), method)
    registry = registry_for(data, instruments)
    key = registry.get_instrument(measure).key
    frame = canonical_frame(data, registry)
    rows = frame[(frame["measure"].astype(str) == key) & (frame["timepoint"].astype(str) == timepoint)]
    notes: list[str] = []
    columns = ["client_id", "session", *(["days_from_first"] if "days_from_first" in rows else [])]
    if by is not None:
        check_by(rows, [by])
        columns.append(by)
    model_frame = rows[[*columns, "score"]].copy()
    model_frame["t"] = time_axis(model_frame, time)
    if by is not None:
        values = model_frame[by].astype(str)
        several = values.str.contains(";", regex=False)
        if several.any():
            notes.append(
                f"{model_frame.loc[several, 'client_id'].nunique()} clients with more than one {by} "
                "left out (a client's trajectory cannot belong to two groups)"
            )
        model_frame = model_frame.loc[~several].assign(group=values[~several])
    model_frame = model_frame.dropna(subset=["t", "score"])
    n_clients = int(model_frame["client_id"].nunique())
    repeated = model_frame.groupby("client_id")["t"].nunique()
    if n_clients < 3 or int((repeated >= 2).sum()) < 3:
        raise ValueError(
            f"{key}: a trajectory model needs at least 3 clients with scores at two or more sessions "
            f"({int((repeated >= 2).sum())} here)"
        )
    formula = "score ~ t" if by is None else "score ~ t * C(group)"
    model = smf.mixedlm(formula, model_frame, groups=model_frame["client_id"].astype(str), re_formula="~t")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fit = model.fit(reml=method == "reml", method=["lbfgs"])
    for w in caught:
        text = str(w.message).split("\n")[0]
        if text and text not in notes:
            notes.append(text)
    z = stats.norm.ppf(0.5 + confidence / 2)
    est = fit.fe_params
    se = fit.bse_fe
    fixed = pd.DataFrame(
        {
            "term": [_term(n) for n in est.index],
            "label": [_label(n, time) for n in est.index],
            "estimate": est.to_numpy(dtype=float),
            "std_error": se.to_numpy(dtype=float),
        }
    )
    fixed["z"] = fixed["estimate"] / fixed["std_error"]
    fixed["p_value"] = 2 * stats.norm.sf(np.abs(fixed["z"]))
    fixed["ci_low"] = fixed["estimate"] - z * fixed["std_error"]
    fixed["ci_high"] = fixed["estimate"] + z * fixed["std_error"]
    cov = np.asarray(fit.cov_re, dtype=float)
    random = pd.DataFrame(
        {
            "var_intercept": [cov[0, 0]],
            "var_slope": [cov[1, 1]],
            "cov": [cov[0, 1]],
            "var_residual": [float(fit.scale)],
        }
    )
    random.insert(0, "sd_intercept", np.sqrt(random["var_intercept"]))
    random.insert(1, "sd_slope", np.sqrt(random["var_slope"]))
    random.insert(2, "corr", random["cov"] / (random["sd_intercept"] * random["sd_slope"]))
    random.insert(3, "sd_residual", np.sqrt(random["var_residual"]))
    return TrajectoryModel(
        measure=key,
        time=time,
        by=by,
        method=method,
        fixed=fixed,
        random=random,
        n_clients=n_clients,
        n_scores=len(model_frame),
        log_likelihood=float(fit.llf),
        converged=bool(fit.converged),
        notes=notes,
        result=fit,
        direction=registry.get_instrument(key).direction,
    )


def _term(name: str) -> str:
    """statsmodels' name of a fixed effect as the tidy table's ``term``."""
    if name == "Intercept":
        return "intercept"
    if name == "t":
        return "time"
    group = name.split("[T.", 1)[1].rstrip("]") if "[T." in name else name
    return f"time:{group}" if name.startswith("t:") else group


def _label(name: str, time: str) -> str:
    term = _term(name)
    if term == "intercept":
        return "score at the first session"
    if term == "time":
        return f"change {_TIME_WORDS[time]}"
    if term.startswith("time:"):
        return f"{term.removeprefix('time:')}: difference in the change {_TIME_WORDS[time]}"
    return f"{term}: difference at the first session"
