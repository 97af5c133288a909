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

from .. import effects as fx
from ..effects.core import ZERO_SD_RTOL
from ..instruments import InstrumentRegistry
from ..summary.row import SMALL_N, SUMMARY_COLUMNS, change_statistics

__all__ = [
    "MOMENT_COLUMNS",
    "MOMENT_KEYS",
    "UNAVAILABLE",
    "combine_moments",
    "moments_of",
    "summary_from_moments",
]

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
#: The keys of an aggregate-only site's rows.
MOMENT_KEYS = ["grouping", "group", "level", "measure"]
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
    """Counts and moments per grouping x group x level x measure of a site table's client rows:
    each client a count of one (when paired) with its own scores, combined by :func:`combine_moments`."""
    paired = rows["paired"].to_numpy(dtype=bool)
    zero = np.zeros(len(rows))
    one_each = (
        rows[MOMENT_KEYS]
        .astype(str)
        .assign(
            n_clients=paired.astype("int64"),
            n_sessions=np.where(paired, rows["n_sessions"], 0),
            n_clients_unpaired=(~paired).astype("int64"),
            n_sessions_unpaired=rows["n_sessions_unpaired"].to_numpy(),
            mean_pre=np.where(paired, rows["pre"].to_numpy(dtype=float), np.nan),
            mean_post=np.where(paired, rows["post"].to_numpy(dtype=float), np.nan),
            m2_pre=zero,
            m2_post=zero,
            c_pre_post=zero,
        )
    )
    return combine_moments(one_each)


def combine_moments(parts: pd.DataFrame, keys: Sequence[str] = MOMENT_KEYS) -> pd.DataFrame:
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


def _sd(m2: float, n: int, scale: float) -> float:
    """The sample SD from a centred sum of squares, exactly 0 where it is floating-point noise
    (as :func:`outcomes.effects.core.sample_sd` treats client values)."""
    sd = math.sqrt(max(float(m2), 0.0) / (n - 1))
    return 0.0 if sd <= ZERO_SD_RTOL * scale else sd


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
            # the largest |score| is not sent; the means bound it from below, and where the SD is
            # noise every score is its mean
            scale = max(abs(mean_pre), abs(mean_post))
            sd_x, sd_y = _sd(r.m2_pre, n, abs(mean_pre)), _sd(r.m2_post, n, abs(mean_post))
            sd_d = _sd(r.m2_pre + r.m2_post - 2 * r.c_pre_post, n, scale)
            corr = math.nan
            if sd_x > 0 and sd_y > 0:
                corr = min(1.0, max(-1.0, r.c_pre_post / math.sqrt(r.m2_pre * r.m2_post)))
            values.update(
                sd_pre=math.sqrt(max(r.m2_pre, 0.0) / (n - 1)),
                sd_post=math.sqrt(max(r.m2_post, 0.0) / (n - 1)),
                sd_change=math.sqrt(max(r.m2_pre + r.m2_post - 2 * r.c_pre_post, 0.0) / (n - 1)),
            )
            values.update(
                change_statistics(n, mean_pre, mean_post, sd_x, sd_y, sd_d, corr, confidence=confidence)
            )
            if math.isnan(values["d_z"]):
                flags.append("zero_variance")
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
