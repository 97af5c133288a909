"""The trajectory model against R's lme4 on lme4's own ``sleepstudy`` (Belenky et al. 2003), the
example of Bates et al. 2015 (J Stat Softw 67(1), section 1)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import outcomes as oc

SLEEPSTUDY = Path(__file__).resolve().parents[1] / "reference" / "sleepstudy.csv"


def _sleep_practice() -> tuple[pd.DataFrame, oc.InstrumentRegistry]:
    """sleepstudy as a practice: each subject a client, day d their session d + 1, the reaction
    time (ms) a measure of the practice's own."""
    s = pd.read_csv(SLEEPSTUDY)
    registry = oc.default_registry().copy()
    registry.register(
        oc.Instrument(key="reaction_ms", label="Reaction time (ms)", min=0, max=1000, direction="lower")
    )
    frame = pd.DataFrame(
        {
            "client_id": "S" + s["Subject"].astype(str),
            "session": s["Days"] + 1,
            "timepoint": "pre",
            "measure": "reaction_ms",
            "score": s["Reaction"],
            "condition": "sleep",
            "days_from_first": s["Days"],
        }
    )
    return frame, registry


# R 4.2, lme4 1.1.31:
#   fm1 <- lmer(Reaction ~ Days + (Days | Subject), sleepstudy)
#   fixef(fm1); sqrt(diag(vcov(fm1))); as.data.frame(VarCorr(fm1)); logLik(fm1)
LME4_REML = {
    "estimate": [251.405104848485, 10.467285959596],
    "std_error": [6.82459669495491, 1.54578964390598],
    "var": [612.10015802476880, 35.07171445093885, 9.60440895115776, 654.94000825996079],
    "loglik": -871.814135979976,
}
#   fm2 <- update(fm1, REML = FALSE)
LME4_ML = {
    "estimate": [251.4051048484856, 10.4672859595958],
    "std_error": [6.63212274219029, 1.50223021383204],
    "var": [565.4769661324192, 32.6817852488527, 11.0551223919533, 654.9457057641911],
    "loglik": -875.969672244495,
}


@pytest.mark.parametrize(("method", "r"), [("reml", LME4_REML), ("ml", LME4_ML)])
def test_trajectory_model_matches_lme4_on_sleepstudy(method, r):
    frame, registry = _sleep_practice()
    for time in ("session", "days"):  # both 0 at day 0: the same model as lme4's
        fit = oc.trajectory_model(frame, "reaction_ms", time=time, method=method, instruments=registry)
        fixed = fit.fixed.set_index("term")
        np.testing.assert_allclose(fixed.loc[["intercept", "time"], "estimate"], r["estimate"], rtol=1e-8)
        # statsmodels' optimiser stops a little before lme4's: the likelihood agrees to 1e-9, the
        # standard errors to 3e-5 and the variance components to 1e-4 relative
        np.testing.assert_allclose(fixed.loc[["intercept", "time"], "std_error"], r["std_error"], rtol=5e-5)
        got = fit.random.iloc[0][["var_intercept", "var_slope", "cov", "var_residual"]].to_numpy(dtype=float)
        np.testing.assert_allclose(got, r["var"], rtol=2e-4)
        assert fit.log_likelihood == pytest.approx(r["loglik"], rel=1e-9)
        assert fit.converged and (fit.n_clients, fit.n_scores) == (18, 180)


def test_intervals_are_wald_intervals():
    frame, registry = _sleep_practice()
    fit = oc.trajectory_model(frame, "reaction_ms", time="days", instruments=registry)
    rate = fit.fixed.set_index("term").loc["time"]
    assert rate["ci_low"] == pytest.approx(rate["estimate"] - 1.959963984540054 * rate["std_error"])
    assert "per day" in repr(fit) and "<table" in fit._repr_html_()


def test_by_a_group_gives_differences_from_the_reference_group():
    frame, registry = _sleep_practice()
    late = frame["client_id"].isin(frame["client_id"].unique()[:9])
    frame["arm"] = np.where(late, "a", "b")
    fit = oc.trajectory_model(frame, "reaction_ms", time="days", by="arm", instruments=registry)
    assert fit.fixed["term"].tolist() == ["intercept", "b", "time", "time:b"]
    # the group means of the two halves' own fits equal the reference + difference
    alone = oc.trajectory_model(frame[~late], "reaction_ms", time="days", instruments=registry)
    fixed = fit.fixed.set_index("term")["estimate"]
    assert fixed["intercept"] + fixed["b"] == pytest.approx(
        alone.fixed.set_index("term").loc["intercept", "estimate"], rel=0.02
    )


def test_too_little_history_is_refused_in_words():
    frame, registry = _sleep_practice()
    two = frame[frame["client_id"].isin(frame["client_id"].unique()[:2])]
    with pytest.raises(ValueError, match="at least 3 clients with scores at two or more sessions"):
        oc.trajectory_model(two, "reaction_ms", instruments=registry)
