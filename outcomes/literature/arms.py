"""Published within-arm changes on the practice's metric: the standardized mean change, for each
assumed pre-post correlation.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

from .. import effects as fx
from .table import load_literature


def _sd_change_from_ci(lo: float, hi: float, n: float, confidence: float = 0.95) -> float:
    """SD of the changes behind a t interval of a mean change: (hi − lo) / (2 t) · √n."""
    t = stats.t.ppf(0.5 + confidence / 2, n - 1)
    return (hi - lo) / (2 * t) * math.sqrt(n)


def _arm_smc(row: pd.Series, r: float) -> tuple[float, float, str, str]:
    """(smc as improvement, its variance, how the SD was obtained, why not) for one within-arm row."""
    n = row["n"]
    sign = 1.0 if row["higher_is_better"] else -1.0
    if not np.isfinite(n) or n < 3:
        return np.nan, np.nan, "", "arm size not published: cannot be put on the standardized metric"
    change = np.nan
    if (
        row["estimate_type"] == "means"
        and np.isfinite(row["mean_baseline"])
        and np.isfinite(row["mean_endpoint"])
    ):
        change = row["mean_endpoint"] - row["mean_baseline"]
    elif row["estimate_type"] == "mean_change":
        change = row["estimate"]
    if not np.isfinite(change):
        return np.nan, np.nan, "", "no change published"
    sd_post = None
    if np.isfinite(row["sd_baseline"]) and np.isfinite(row["sd_endpoint"]):
        sd, sd_post = row["sd_baseline"], row["sd_endpoint"]
        how = "published baseline and endpoint SDs (variance from both, Bonett 2008)"
    elif np.isfinite(row["sd_baseline"]):
        sd, how = row["sd_baseline"], "published baseline SD (variance assumes equal SDs, Becker 1988)"
    elif np.isfinite(row["sd_change"]):
        sd, how = row["sd_change"] / math.sqrt(2 * (1 - r)), "baseline SD from the published SD of the change"
    elif np.isfinite(row["ci_low"]) and np.isfinite(row["ci_high"]):
        sd_change = _sd_change_from_ci(row["ci_low"], row["ci_high"], n)
        sd, how = sd_change / math.sqrt(2 * (1 - r)), "baseline SD from the CI of the change"
    else:
        return np.nan, np.nan, "", "no SD and no CI published: shown as percent change only"
    g, var = fx.smc_from_summary_arrays(0.0, sd, change, n, r, sd_post=sd_post)
    return float(sign * g), float(var), how, ""


def literature_arms(
    literature: pd.DataFrame | None = None,
    *,
    assumed_r: Sequence[float] = (0.3, 0.5, 0.7),
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Published within-arm changes on the standardized-mean-change metric, one row per arm x r.

    Returns
    -------
    DataFrame
        ``id``, ``citation``, ``short_citation`` ("Haller et al. 2016"), ``doi_or_url``,
        ``verification``, ``arm_role``,
        ``practice_conditions``, ``practice_construct``, ``construct_match``,
        ``instrument``, ``timepoint``, ``trial`` (arms of one trial share it),
        ``weeks`` and ``sessions`` (from baseline to the measurement, where published),
        ``n``, ``assumed_r``, ``smc`` (Hedges-corrected
        change / baseline SD, positive = improvement), ``smc_var``,
        ``smc_ci_low``, ``smc_ci_high``, ``sd_source`` (how the baseline SD was
        obtained; every route but a published baseline SD uses ``assumed_r``),
        ``pct_change`` (100 x change / baseline, signed so that positive is
        improvement; available whenever the means are), ``comparable`` (False
        when the arm cannot be standardized) and ``why_not``.
    """
    lit = load_literature() if literature is None else literature
    arms = lit[lit["effect_kind"] == "within_arm"]
    z = stats.norm.ppf(0.5 + confidence / 2)
    out = []
    for _, row in arms.iterrows():
        sign = 1.0 if row["higher_is_better"] else -1.0
        pct = np.nan
        if (
            np.isfinite(row["mean_baseline"])
            and np.isfinite(row["mean_endpoint"])
            and row["mean_baseline"] != 0
        ):
            pct = sign * 100.0 * (row["mean_endpoint"] - row["mean_baseline"]) / row["mean_baseline"]
        for r in assumed_r:
            g, var, how, why = _arm_smc(row, float(r))
            half = z * math.sqrt(var) if np.isfinite(var) else np.nan
            out.append(
                {
                    "id": row["id"],
                    "citation": row["citation"],
                    "short_citation": row["short_citation"],
                    "doi_or_url": row["doi_or_url"],
                    "verification": row["verification"],
                    "arm_role": row["arm_role"],
                    "practice_conditions": row["practice_conditions"],
                    "practice_construct": row["practice_construct"],
                    "construct_match": row["construct_match"],
                    "instrument": row["instrument"],
                    "timepoint": row["timepoint"],
                    "trial": row["trial"],
                    "weeks": row["weeks"],
                    "sessions": row["sessions"],
                    "n": row["n"],
                    "assumed_r": float(r),
                    "smc": g,
                    "smc_var": var,
                    "smc_ci_low": g - half,
                    "smc_ci_high": g + half,
                    "sd_source": how,
                    "pct_change": pct,
                    "comparable": bool(np.isfinite(g)),
                    "why_not": why,
                }
            )
    return pd.DataFrame(out)
