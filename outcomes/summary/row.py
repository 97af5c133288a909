"""The statistics of one row of a summary (one group x measure x level), from its clients' pairs."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from scipy import stats

from .. import effects as fx
from ..effects.core import sample_sd
from ..instruments import Instrument

#: Groups with fewer clients than this are flagged ``small_n`` (never hidden here).
SMALL_N = 10


#: Share of clients at a bound of the scale that flags a floor or ceiling (Terwee et al. 2007).
FLOOR_CEILING_SHARE = 0.15


#: Absolute skewness of the client changes above which the t-based results are flagged.
SKEW_LIMIT = 1.0


#: Relative tolerance for comparisons of client means with published thresholds.
_TOL = 1e-9


_CATEGORIES = ("reliably_improved", "no_reliable_change", "reliably_deteriorated")


#: Summary column of each Jacobson-Truax category (column names as the methods contract gives them).
_CATEGORY_COLUMNS = dict(
    zip(
        _CATEGORIES,
        ("pct_reliable_improved", "pct_no_reliable_change", "pct_reliable_deteriorated"),
        strict=True,
    )
)


def mcid_reached(inst: Instrument, pre: np.ndarray, improvement: np.ndarray) -> tuple[np.ndarray, float]:
    """Per client: did the improvement reach the MCID? Uses points when published, else percent."""
    # client means of session changes carry floating-point noise (2.0 can come out 1.9999999999999998):
    # compare with a tolerance far below any meaningful difference
    if inst.mcid_points is not None:
        return improvement >= inst.mcid_points - _TOL * max(1.0, inst.mcid_points), float(inst.mcid_points)
    if inst.mcid_percent is not None:
        with np.errstate(divide="ignore", invalid="ignore"):
            pct = 100.0 * improvement / np.abs(pre)
        return pct >= inst.mcid_percent - _TOL * 100, np.nan
    return np.full(pre.shape, False), np.nan


def in_clinical_range(inst: Instrument, scores: np.ndarray) -> np.ndarray:
    c = float("nan") if inst.clinical_cutoff is None else inst.clinical_cutoff
    ops = {">": np.greater, ">=": np.greater_equal, "<": np.less, "<=": np.less_equal}
    return ops[inst.cutoff_rule](scores, c)


def retention(sub: dict[str, np.ndarray], *, confidence: float) -> dict[str, Any]:
    """Share of the immediate change still present a few days later, with Fieller's interval.

    Over the clients with sessions that have a pre, a post and a follow-up score:
    R = mean follow-up change / mean immediate change (both per client, over those
    sessions). Reported only where the immediate change is distinguishable from zero
    (its t interval excludes 0, or every client's is the same non-zero number):
    dividing by a change that may be nothing gives any number at all. The interval
    is Fieller's for the ratio of two means of the same clients (their covariance
    included, t quantile with n − 1 df); it is bounded exactly when the immediate
    change's interval excludes 0.

    Returns
    -------
    dict
        ``retention``, ``retention_ci_low``, ``retention_ci_high`` and
        ``retention_note`` (why there is no ratio, or ``""``).
    """
    nan = float("nan")
    out: dict[str, Any] = dict(retention=nan, retention_ci_low=nan, retention_ci_high=nan, retention_note="")
    both = sub["paired"] & ~np.isnan(sub["immediate_change"])
    immediate, held = sub["immediate_change"][both], sub["followup_change_same_sessions"][both]
    n = int(both.sum())
    if n < 2:
        out["retention_note"] = "too few clients with a score right after and a few days later"
        return out
    mean_i, mean_f = float(immediate.mean()), float(held.mean())
    est = fx.mean_change(np.zeros(n), immediate, confidence=confidence)
    every_equal = np.isnan(est.ci_low) and mean_i != 0.0  # the same immediate change in every client
    if not (every_equal or est.ci_low > 0 or est.ci_high < 0):
        out["retention_note"] = "immediate change too small to divide by (its interval includes 0)"
        return out
    cov = np.cov(immediate, held, ddof=1)
    low, high = fx.fieller_interval(
        mean_f, cov[1, 1] / n, mean_i, cov[0, 0] / n, confidence, cov=cov[0, 1] / n, df=n - 1
    )
    if low == high:  # every client kept the same share of the same change: no interval to give
        low = high = nan
        out["retention_note"] = "no interval: every client's changes are equal"
    out.update(retention=mean_f / mean_i, retention_ci_low=low, retention_ci_high=high)
    return out


#: The statistics :func:`change_statistics` gives.
_CHANGE_KEYS = (
    "ci_low",
    "ci_high",
    "d_z",
    "g_av",
    "smc",
    "smc_ci_low",
    "smc_ci_high",
    "r_pre_post",
    "p_ttest",
)


def change_statistics(
    n: int,
    mean_pre: float,
    mean_post: float,
    sd_pre: float,
    sd_post: float,
    sd_change: float,
    r: float,
    *,
    confidence: float,
) -> dict[str, float]:
    """The statistics of a row that follow from ``n``, the means, the SDs and the correlation.

    Both the client rows and a site's counts and moments (:mod:`outcomes.network.moments`) come
    here, so that the two give the same numbers. The SDs are sample SDs that are exactly 0 where
    the spread is floating-point noise (:func:`outcomes.effects.core.sample_sd`); ``r`` is NaN
    when either SD is 0. The definitions are those of :mod:`outcomes.effects`: the mean change's
    t interval and two-sided paired t-test (:func:`~outcomes.effects.mean_change`,
    :func:`~outcomes.effects.paired_ttest`; NaN when every change is equal), d_z
    (:func:`~outcomes.effects.cohens_dz`), g_av with ``J(n - 1)``
    (:func:`~outcomes.effects.hedges_g_av`; NaN when both SDs are 0) and the standardized mean
    change with Bonett's variance, with ``r = 0`` when it is undefined
    (:func:`~outcomes.effects.standardized_mean_change`). ``n`` is at least 2.
    """
    out = dict.fromkeys(_CHANGE_KEYS, np.nan)
    change = mean_post - mean_pre
    if sd_change > 0:
        half = float(stats.t.ppf(0.5 + confidence / 2, n - 1)) * sd_change / math.sqrt(n)
        t = change / (sd_change / math.sqrt(n))
        out.update(
            ci_low=change - half,
            ci_high=change + half,
            d_z=change / sd_change,
            p_ttest=float(2.0 * stats.t.sf(abs(t), n - 1)),
        )
    if sd_pre + sd_post > 0:
        out["g_av"] = float(fx.hedges_correction(n - 1)) * change / ((sd_pre + sd_post) / 2.0)
    if sd_pre > 0:
        smc = fx.smc_from_summary(
            mean_pre,
            sd_pre,
            mean_post,
            n,
            0.0 if math.isnan(r) else r,
            sd_post=sd_post,
            confidence=confidence,
        )
        out.update(smc=smc.value, smc_ci_low=smc.ci_low, smc_ci_high=smc.ci_high)
    out["r_pre_post"] = r
    return out


def row_stats(
    sub: dict[str, np.ndarray],
    inst: Instrument,
    level: str,
    *,
    confidence: float,
    sd_baseline: float,
) -> dict[str, Any]:
    paired = sub["paired"]
    pre = sub["pre"][paired]
    post = sub["post"][paired]
    change = post - pre
    n = len(pre)
    sign = inst.improvement_sign()
    lo_scale, hi_scale = inst.analysis_range
    row: dict[str, Any] = {
        "n_clients": n,
        "n_sessions": int(sub["n_sessions"][paired].sum()),
        "n_clients_unpaired": int((~paired).sum()),
        "n_sessions_unpaired": int(sub["n_sessions_unpaired"].sum()),
        "mean_pre": pre.mean() if n else np.nan,
        "sd_pre": pre.std(ddof=1) if n > 1 else np.nan,
        "mean_post": post.mean() if n else np.nan,
        "sd_post": post.std(ddof=1) if n > 1 else np.nan,
        "mean_change": change.mean() if n else np.nan,
        "sd_change": change.std(ddof=1) if n > 1 else np.nan,
        "median_change": float(np.median(change)) if n else np.nan,
    }
    flags: list[str] = []
    row.update(dict.fromkeys(("boot_ci_low", "boot_ci_high", "p_wilcoxon", *_CHANGE_KEYS), np.nan))
    if n < 2:
        flags.append("insufficient")
    else:
        scale = float(np.max(np.abs(np.concatenate([pre, post]))))
        sd_pre, sd_post = sample_sd(pre), sample_sd(post)
        r = np.nan
        if sd_pre > 0 and sd_post > 0:
            r = float(np.clip(np.corrcoef(pre, post)[0, 1], -1.0, 1.0))
        row.update(
            change_statistics(
                n,
                float(np.mean(pre)),
                float(np.mean(post)),
                sd_pre,
                sd_post,
                sample_sd(change, scale),
                r,
                confidence=confidence,
            )
        )
        row["p_wilcoxon"] = fx.wilcoxon_signed_rank(pre, post).pvalue
        if n < SMALL_N:
            flags.append("small_n")
        if np.isnan(row["d_z"]):  # NaN exactly when the SD of the changes is zero
            flags.append("zero_variance")
        elif n >= 3:
            dev = change - change.mean()
            skew = np.mean(dev**3) / np.mean(dev**2) ** 1.5
            if abs(skew) > SKEW_LIMIT:
                flags.append("skewed")
    if n:
        bounds = np.concatenate([pre, post])
        if np.mean(bounds == lo_scale) >= FLOOR_CEILING_SHARE:
            flags.append("floor")
        if np.mean(bounds == hi_scale) >= FLOOR_CEILING_SHARE:
            flags.append("ceiling")
    improvement = sign * change
    row["mean_improvement"] = sign * row["mean_change"]
    ci = sorted((sign * row["ci_low"], sign * row["ci_high"]))
    row["improvement_ci_low"], row["improvement_ci_high"] = ci

    # MCID
    reached, mcid = mcid_reached(inst, pre, improvement)
    row["mcid"] = mcid if inst.mcid_points is not None else np.nan
    row["mcid_percent"] = inst.mcid_percent if inst.mcid_points is None and inst.mcid_percent else np.nan
    if inst.has_mcid and n:
        k = int(reached.sum())
        row["pct_mcid"] = 100.0 * k / n
        lo, hi = fx.wilson_interval(k, n, confidence=confidence)
        row["pct_mcid_ci_low"], row["pct_mcid_ci_high"] = 100.0 * lo, 100.0 * hi
    else:
        row["pct_mcid"] = row["pct_mcid_ci_low"] = row["pct_mcid_ci_high"] = np.nan

    # Jacobson-Truax
    for cat in _CATEGORIES:
        row[_CATEGORY_COLUMNS[cat]] = np.nan
    row["pct_recovered"] = np.nan
    row["n_clinical_baseline"] = np.nan
    # Jacobson-Truax assumes one baseline and one endpoint measurement per client: course level only
    if (
        level == "course"
        and inst.test_retest is not None
        and n
        and np.isfinite(sd_baseline)
        and sd_baseline > 0
    ):
        cats = fx.classify_reliable_change(
            pre,
            post,
            sd_baseline=sd_baseline,
            reliability=inst.test_retest,
            improvement_sign=sign,
            confidence=confidence,
        )
        for cat in _CATEGORIES:
            row[_CATEGORY_COLUMNS[cat]] = 100.0 * float(np.mean(cats == cat))
        if inst.clinical_cutoff is not None and inst.direction != "toward":
            clinical_pre = in_clinical_range(inst, pre)
            recovered = clinical_pre & ~in_clinical_range(inst, post) & (cats == "reliably_improved")
            n_clin = int(clinical_pre.sum())
            row["n_clinical_baseline"] = n_clin
            row["pct_recovered"] = 100.0 * recovered.sum() / n_clin if n_clin else np.nan
    # screening cut-off: share of the clients in the clinical range at intake and at discharge
    row["pct_clinical_pre"] = row["pct_clinical_post"] = np.nan
    if level == "course" and n and inst.clinical_cutoff is not None and inst.direction != "toward":
        row["pct_clinical_pre"] = 100.0 * float(np.mean(in_clinical_range(inst, pre)))
        row["pct_clinical_post"] = 100.0 * float(np.mean(in_clinical_range(inst, post)))
    row["flags"] = ";".join(flags)
    return row


SUMMARY_COLUMNS = [
    "measure",
    "level",
    "course_end",
    "scale",
    "n_clients",
    "n_sessions",
    "n_clients_unpaired",
    "n_sessions_unpaired",
    "mean_pre",
    "sd_pre",
    "mean_post",
    "sd_post",
    "mean_change",
    "sd_change",
    "median_change",
    "ci_low",
    "ci_high",
    "boot_ci_low",
    "boot_ci_high",
    "mean_improvement",
    "improvement_ci_low",
    "improvement_ci_high",
    "d_z",
    "g_av",
    "smc",
    "smc_ci_low",
    "smc_ci_high",
    "r_pre_post",
    "p_ttest",
    "p_wilcoxon",
    "p_holm",
    "mcid",
    "mcid_percent",
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
    "retention_note",
    "confidence",
    "flags",
]
