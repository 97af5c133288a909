"""Expected recovery from the practice's own history: the score a client is expected to have at a
session, given their intake score, with a prediction band for a new client.

The practice's scores of a measure are fitted with the trajectory model (random intercept and
slope per client on the time scale, :func:`.trajectory.trajectory_model`). Under that model a
client's intake score ``y0`` (time 0) and later score ``yt`` are jointly normal:

    Var(y0) = τ0² + σ²,  Var(yt) = τ0² + 2t·τ01 + t²·τ1² + σ²,  Cov(y0, yt) = τ0² + t·τ01

so the expected score at ``t`` given the intake is ``μt + w·(y0 − μ0)`` with
``w = Cov(y0, yt) / Var(y0)`` (the pull back towards the practice's mean: regression to the mean
is in the expectation), and a new client's score falls around it with variance
``Var(yt) − Cov(y0, yt)² / Var(y0)`` plus the uncertainty of the fixed effects. The band a client is
judged by comes from a fit without that client (cross-fitting by client).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from .trajectory import TrajectoryModel

__all__ = ["ExpectedRecovery", "expected_from_model"]


@dataclass(frozen=True)
class ExpectedRecovery:
    """The pieces of a fitted model the expectation needs (on the analysis scale)."""

    beta: pd.Series  # fixed effects by statsmodels' names
    cov_beta: np.ndarray  # their covariance, in the same order
    tau: np.ndarray  # 2 × 2 covariance of client intercepts and slopes
    sigma2: float  # residual variance
    groups: tuple[str, ...] = ()  # the groups of a model fitted by a group ('' for none)

    def _design(self, t: np.ndarray, group: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
        """Design rows of the fixed effects at time 0 and at ``t`` (one row per client)."""
        names = list(self.beta.index)
        x0 = np.zeros((len(t), len(names)))
        xt = np.zeros((len(t), len(names)))
        for j, name in enumerate(names):
            if name == "Intercept":
                x0[:, j] = 1.0
                xt[:, j] = 1.0
            elif name == "t":
                xt[:, j] = t
            elif group is not None and "[T." in name:
                level = name.split("[T.", 1)[1].rstrip("]")
                member = (group == level).astype(float)
                if name.startswith("t:"):
                    xt[:, j] = member * t
                else:
                    x0[:, j] = member
                    xt[:, j] = member
        return x0, xt

    def expect(
        self, intake: np.ndarray, t: np.ndarray, group: np.ndarray | None = None, *, level: float = 0.8
    ) -> pd.DataFrame:
        """Expected score at ``t`` given the intake, and the central ``level`` prediction band.

        Vectorised over clients: ``intake``, ``t`` and ``group`` are arrays of the same length.
        """
        intake = np.asarray(intake, dtype=float)
        t = np.asarray(t, dtype=float)
        x0, xt = self._design(t, group)
        beta = self.beta.to_numpy(dtype=float)
        mu0, mut = x0 @ beta, xt @ beta
        t00, t01, t11 = self.tau[0, 0], self.tau[0, 1], self.tau[1, 1]
        var0 = t00 + self.sigma2
        vart = t00 + 2 * t * t01 + t * t * t11 + self.sigma2
        cov = t00 + t * t01
        w = cov / var0
        mean = mut + w * (intake - mu0)
        x = xt - w[:, None] * x0  # the fixed effects' share of the expectation
        param = np.einsum("ij,jk,ik->i", x, self.cov_beta, x)
        sd = np.sqrt(np.maximum(vart - cov * cov / var0, 0.0) + np.maximum(param, 0.0))
        z = stats.norm.ppf(0.5 + level / 2)
        return pd.DataFrame(
            {"expected": mean, "band_low": mean - z * sd, "band_high": mean + z * sd, "sd": sd}
        )


def expected_from_model(model: TrajectoryModel) -> ExpectedRecovery:
    """The expectation's pieces from a fitted :class:`.trajectory.TrajectoryModel`."""
    fit = model.result
    names = list(fit.fe_params.index)
    cov = np.asarray(fit.cov_params().loc[names, names], dtype=float)
    groups = tuple(sorted({n.split("[T.", 1)[1].rstrip("]") for n in names if "[T." in n}))
    return ExpectedRecovery(
        beta=fit.fe_params.astype(float),
        cov_beta=cov,
        tau=np.asarray(fit.cov_re, dtype=float),
        sigma2=float(fit.scale),
        groups=groups,
    )
