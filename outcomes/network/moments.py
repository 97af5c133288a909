"""Aggregate-only sites: counts and moments instead of client rows, and the summary they allow.

A site that may share counts and moments only sends, per grouping x group x level x measure,
the number of clients with a pair and their sessions, the unpaired counts, the means of the
earlier and later score, and their centred sums of squares and cross-products
(:func:`moments_of`). Sites' moments are combined exactly (Chan, Golub & LeVeque 1979:
:func:`combine_moments`); from them follow the means, SDs, the mean change with its t interval and
p value, d_z, g_av, the standardized mean change with its interval and the pre-post correlation
(:func:`summary_from_moments`), the same numbers as from the client rows to rounding.

Everything that needs the clients' own values (the bootstrap interval, the median, the Wilcoxon
test, the share reaching the MCID, reliable change and recovery, the shares in the clinical
range, the retention ratio, and the skew, floor and ceiling checks) cannot be had from moments:
those columns are missing and the row's ``flags`` say ``aggregate_only``. They are not
approximated.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from types import SimpleNamespace
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from .. import effects as fx
from ..instruments import InstrumentRegistry
from ..summary.row import SMALL_N, SUMMARY_COLUMNS

__all__ = ["MOMENT_COLUMNS", "UNAVAILABLE", "combine_moments", "moments_of", "summary_from_moments"]

#: What an aggregate-only site sends per key (besides the keys of a site table but ``network_id``).
MOMENT_COLUMNS = [
    "n_clients",
    "n_sessions",
    "n_clients_unpaired",
    "n_sessions_unpaired",
    "mean_pre",
    "mean_post",
    "m2_pre",
    "m2_post",
    "c_pre_post",
]
#: The summary's columns that need client values: missing for rows pooled from moments.
UNAVAILABLE = [
    "median_change",
    "boot_ci_low",
    "boot_ci_high",
    "p_wilcoxon",
    "pct_mcid",
    "pct_mcid_ci_low",
    "pct_mcid_ci_high",
    "pct_reliable_improved",
    "pct_no_reliable_change",
    "pct_reliable_deteriorated",
    "n_clinical_baseline",
    "pct_recovered",
    "pct_clinical_pre",
    "pct_clinical_post",
    "retention",
    "retention_ci_low",
    "retention_ci_high",
]
_KEYS = ["grouping", "group", "level", "measure"]
_FROM_MOMENTS = [
    "sd_pre",
    "sd_post",
    "sd_change",
    "ci_low",
    "ci_high",
    "d_z",
    "g_av",
    "smc",
    "smc_ci_low",
    "smc_ci_high",
    "r_pre_post",
    "p_ttest",
]


def moments_of(rows: pd.DataFrame) -> pd.DataFrame:
    """Counts and moments per grouping x group x level x measure of a site table's client rows."""
    paired = rows["paired"].to_numpy(dtype=bool)
    pre = rows["pre"].to_numpy(dtype=float)
    post = rows["post"].to_numpy(dtype=float)
    keys = rows[_KEYS].astype(str)
    g = keys.assign(
        _p=paired.astype("int64"),
        _s=np.where(paired, rows["n_sessions"], 0),
        _u=(~paired).astype("int64"),
        _su=rows["n_sessions_unpaired"].to_numpy(),
        _pre=np.where(paired, pre, 0.0),
        _post=np.where(paired, post, 0.0),
    ).groupby(_KEYS, sort=True)
    out = g[["_p", "_s", "_u", "_su"]].sum()
    out.columns = ["n_clients", "n_sessions", "n_clients_unpaired", "n_sessions_unpaired"]
    n = out["n_clients"].to_numpy(dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        out["mean_pre"] = g["_pre"].sum().to_numpy() / n
        out["mean_post"] = g["_post"].sum().to_numpy() / n
    means = out[["mean_pre", "mean_post"]].reset_index()
    centred = keys.merge(means, on=_KEYS, how="left")
    dp = np.where(paired, pre - centred["mean_pre"].to_numpy(), 0.0)
    dq = np.where(paired, post - centred["mean_post"].to_numpy(), 0.0)
    sums = keys.assign(_a=dp * dp, _b=dq * dq, _c=dp * dq).groupby(_KEYS, sort=True)[["_a", "_b", "_c"]].sum()
    out["m2_pre"], out["m2_post"], out["c_pre_post"] = sums["_a"], sums["_b"], sums["_c"]
    return out.reset_index()


def combine_moments(parts: pd.DataFrame, keys: Sequence[str] = _KEYS) -> pd.DataFrame:
    """Moments of several sites for the same keys combined into those of all their clients.

    With counts ``n_a``, ``n_b``, means and centred sums ``M2``, ``C``: ``n = n_a + n_b``, the mean is
    the weighted mean, and ``M2 = M2_a + M2_b + δ_x² n_a n_b / n``, ``C = C_a + C_b + δ_x δ_y n_a n_b / n``
    (Chan, Golub & LeVeque 1979). Applied to the per-site totals at once, by the law of total variance.
    """
    keys = list(keys)
    frame = parts.copy()
    n = frame["n_clients"].astype(float)
    frame["_sx"] = n * frame["mean_pre"].fillna(0.0)
    frame["_sy"] = n * frame["mean_post"].fillna(0.0)
    g = frame.groupby(keys, sort=True)
    out = g[["n_clients", "n_sessions", "n_clients_unpaired", "n_sessions_unpaired"]].sum()
    total = out["n_clients"].astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_x = g["_sx"].sum() / total
        mean_y = g["_sy"].sum() / total
    frame = frame.join(pd.DataFrame({"_mx": mean_x, "_my": mean_y}), on=keys)
    dx = (frame["mean_pre"] - frame["_mx"]).fillna(0.0)
    dy = (frame["mean_post"] - frame["_my"]).fillna(0.0)
    frame["_a"] = frame["m2_pre"].fillna(0.0) + n * dx * dx
    frame["_b"] = frame["m2_post"].fillna(0.0) + n * dy * dy
    frame["_c"] = frame["c_pre_post"].fillna(0.0) + n * dx * dy
    g = frame.groupby(keys, sort=True)
    out["mean_pre"], out["mean_post"] = mean_x, mean_y
    out["m2_pre"], out["m2_post"], out["c_pre_post"] = g["_a"].sum(), g["_b"].sum(), g["_c"].sum()
    return out.reset_index()


def summary_from_moments(
    moments: pd.DataFrame,
    by: Sequence[str],
    registry: InstrumentRegistry,
    *,
    confidence: float = 0.95,
    course_end: str = "last session",
) -> pd.DataFrame:
    """Summary rows (the columns of :func:`outcomes.summarize`) from combined moments.

    ``moments`` has the ``by`` columns, ``measure``, ``level`` and :data:`MOMENT_COLUMNS`. The
    statistics of :data:`UNAVAILABLE` are missing and ``flags`` holds ``aggregate_only``.
    """
    t_crit = stats.t.ppf
    rows = []
    for record in moments.to_dict("records"):
        r: Any = SimpleNamespace(**{str(k): v for k, v in record.items()})
        inst = registry.get_instrument(str(r.measure))
        n = int(r.n_clients)
        row: dict[str, Any] = {k: record[k] for k in by}
        row.update(
            measure=inst.key,
            level=r.level,
            course_end=course_end if r.level == "course" else "",
            scale="distance_to_target" if inst.direction == "toward" else "score",
            n_clients=n,
            n_sessions=int(r.n_sessions),
            n_clients_unpaired=int(r.n_clients_unpaired),
            n_sessions_unpaired=int(r.n_sessions_unpaired),
        )
        flags = []
        mean_pre, mean_post = (float(r.mean_pre), float(r.mean_post)) if n else (math.nan, math.nan)
        change = mean_post - mean_pre
        values = dict.fromkeys(_FROM_MOMENTS, math.nan)
        if n < 2:
            flags.append("insufficient")
        else:
            if n < SMALL_N:
                flags.append("small_n")
            var_x, var_y = r.m2_pre / (n - 1), r.m2_post / (n - 1)
            var_d = max((r.m2_pre + r.m2_post - 2 * r.c_pre_post) / (n - 1), 0.0)
            sd_x, sd_y, sd_d = math.sqrt(var_x), math.sqrt(var_y), math.sqrt(var_d)
            values.update(sd_pre=sd_x, sd_post=sd_y, sd_change=sd_d)
            scale = max(1.0, abs(mean_pre), abs(mean_post))
            if sd_d > 1e-12 * scale:
                half = float(t_crit(0.5 + confidence / 2, n - 1)) * sd_d / math.sqrt(n)
                t = change / (sd_d / math.sqrt(n))
                values.update(
                    ci_low=change - half,
                    ci_high=change + half,
                    d_z=change / sd_d,
                    p_ttest=float(2 * stats.t.sf(abs(t), n - 1)),
                )
                if sd_x + sd_y > 0:
                    values["g_av"] = float(fx.hedges_correction(n - 1)) * change / ((sd_x + sd_y) / 2)
            else:
                flags.append("zero_variance")
            if sd_x > 1e-12 * scale and sd_y > 1e-12 * scale:
                corr = min(1.0, max(-1.0, r.c_pre_post / math.sqrt(r.m2_pre * r.m2_post)))  # rounding
                values["r_pre_post"] = corr
                smc = fx.smc_from_summary(
                    mean_pre, sd_x, mean_post, n, corr, sd_post=sd_y, confidence=confidence
                )
                values.update(smc=smc.value, smc_ci_low=smc.ci_low, smc_ci_high=smc.ci_high)
        sign = inst.improvement_sign()
        ci = sorted((sign * values["ci_low"], sign * values["ci_high"]))
        row.update(
            mean_pre=mean_pre,
            mean_post=mean_post,
            mean_change=change,
            mean_improvement=sign * change,
            improvement_ci_low=ci[0],
            improvement_ci_high=ci[1],
            mcid=inst.mcid_points if inst.mcid_points is not None else math.nan,
            mcid_percent=inst.mcid_percent if inst.mcid_points is None and inst.mcid_percent else math.nan,
            confidence=confidence,
            retention_note="",
            flags=";".join([*flags, "aggregate_only"]),
            **values,
        )
        row.update(dict.fromkeys(UNAVAILABLE, math.nan))
        row["retention_note"] = "needs client values (aggregate-only site)" if r.level == "followup" else ""
        rows.append(row)
    columns = [*by, *SUMMARY_COLUMNS]
    table = pd.DataFrame(rows, columns=columns)
    if len(table):
        table["p_holm"] = fx.holm(table["p_ttest"].to_numpy(dtype=float))
    return table
