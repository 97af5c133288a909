"""Published effects, and the practice beside them, like with like.

Published effects come in kinds that answer different questions, and only like
is compared with like:

* a **within-arm change** of a CST arm (baseline -> end of treatment) is
  compared with the practice's ``course`` change: the *efficacy benchmark*;
* a within-arm change of a **sham** arm, or of a **wait-list / no-treatment**
  arm, shows what happens without CST (placebo response, natural history,
  regression to the mean): the *control benchmarks*;
* a **between-group** effect (CST minus sham or usual care) is a contrast of two
  randomised arms. A practice without a control group has no such contrast, so
  these rows are listed in their own part of the output and never set against
  a pre/post change.

All within-arm changes are put on one metric, the standardized mean change
(change / SD of the baseline, Hedges-corrected; Becker 1988), turned so that a
positive value means improvement. Published arms rarely report the pre-post
correlation *r* that the variance of that metric needs (and sometimes not the
baseline SD either), so every comparison is made for each of several assumed
values of *r* and says which.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike
from scipy import stats

from . import effects as fx
from .errors import ReadError, SchemaError
from .instruments import InstrumentRegistry, default_registry, normalize_key
from .summary import SMALL_N, summarize

__all__ = [
    "ARM_ROLES",
    "EFFECT_KINDS",
    "ESTIMATE_TYPES",
    "compare_literature",
    "literature_arms",
    "load_literature",
    "pool_arms",
]

EFFECT_KINDS = ("within_arm", "between_groups")
ESTIMATE_TYPES = ("means", "mean_change", "mean_difference", "smd", "median_difference")
#: Roles of a published row: CST arm, control arms, another active treatment, or a contrast.
ARM_ROLES = ("cst", "sham", "natural_history", "other_active", "between_groups")
_ROLE_LABEL = {
    "cst": "CST arm",
    "sham": "sham arm",
    "natural_history": "wait-list / no-treatment arm",
    "other_active": "other manual therapy arm",
}
_REQUIRED = (
    "id",
    "citation",
    "doi_or_url",
    "effect_kind",
    "arm",
    "condition",
    "construct",
    "estimate_type",
    "higher_is_better",
    "verification",
)
_NUMERIC = (
    "year",
    "scale_min",
    "scale_max",
    "n",
    "n_control",
    "estimate",
    "ci_low",
    "ci_high",
    "sd_change",
    "mean_baseline",
    "sd_baseline",
    "mean_endpoint",
    "sd_endpoint",
)


# ---------------------------------------------------------------------------------------
# The table
# ---------------------------------------------------------------------------------------
def _derive_role(row: pd.Series) -> str:
    if row["effect_kind"] == "between_groups":
        return "between_groups"
    arm = str(row.get("arm", "")).strip().lower()
    modality = str(row.get("modality", "")).strip().lower()
    if arm == "sham":
        return "sham"
    if (
        arm in {"wait-list", "waitlist", "wait list", "no treatment", "none", "usual care"}
        or modality == "none"
    ):
        return "natural_history"
    return "cst" if modality == "cst" else "other_active"


def _check_rows(table: pd.DataFrame, file: str, registry: InstrumentRegistry) -> pd.DataFrame:
    """Every problem of a literature table as failure cases (file, row, column, value, check, message)."""
    problems: list[tuple[Any, str, Any, str, str]] = []
    rows = table["_row"]
    for col in _REQUIRED:
        if col not in table.columns:
            problems.append((1, col, None, "missing_column", f"required column {col!r} is missing"))
    if problems:
        return _fc(problems, file)
    for col in _REQUIRED:
        blank = table[col].isna() | (table[col].astype("str").str.strip() == "")
        problems += [(rows[i], col, None, "missing_value", f"{col} is empty") for i in table.index[blank]]
    for i in table.index[~table["effect_kind"].isin(EFFECT_KINDS) & table["effect_kind"].notna()]:
        problems.append(
            (
                rows[i],
                "effect_kind",
                table.at[i, "effect_kind"],
                "unknown_effect_kind",
                f"effect_kind must be one of {', '.join(EFFECT_KINDS)}",
            )
        )
    for i in table.index[~table["estimate_type"].isin(ESTIMATE_TYPES) & table["estimate_type"].notna()]:
        problems.append(
            (
                rows[i],
                "estimate_type",
                table.at[i, "estimate_type"],
                "unknown_estimate_type",
                f"estimate_type must be one of {', '.join(ESTIMATE_TYPES)}",
            )
        )
    hib = table["higher_is_better"].astype("str").str.strip().str.lower()
    for i in table.index[~hib.isin(["true", "false"]) & table["higher_is_better"].notna()]:
        problems.append(
            (
                rows[i],
                "higher_is_better",
                table.at[i, "higher_is_better"],
                "not_boolean",
                "higher_is_better must be true or false",
            )
        )
    num = {}
    for col in _NUMERIC:
        if col not in table.columns:
            num[col] = pd.Series(np.nan, index=table.index)
            continue
        raw = table[col]
        parsed = pd.to_numeric(raw, errors="coerce")
        bad = raw.notna() & (raw.astype("str").str.strip() != "") & parsed.isna()
        problems += [
            (rows[i], col, raw[i], "not_numeric", f"{col} is not a number") for i in table.index[bad]
        ]
        num[col] = parsed
    lo, hi, est = num["ci_low"], num["ci_high"], num["estimate"]
    for i in table.index[lo.notna() & hi.notna() & (lo > hi)]:
        problems.append(
            (rows[i], "ci_low", lo[i], "ci_order", f"ci_low {lo[i]:g} is above ci_high {hi[i]:g}")
        )
    inside = est.notna() & lo.notna() & hi.notna() & (lo <= hi) & ((est < lo) | (est > hi))
    for i in table.index[inside]:
        problems.append(
            (
                rows[i],
                "estimate",
                est[i],
                "estimate_outside_ci",
                f"estimate {est[i]:g} lies outside its CI {lo[i]:g} to {hi[i]:g}",
            )
        )
    change = num["mean_endpoint"] - num["mean_baseline"]
    means = (table["estimate_type"] == "means") & change.notna() & lo.notna() & hi.notna()
    for i in table.index[means & ((change < lo) | (change > hi))]:
        problems.append(
            (
                rows[i],
                "ci_low",
                lo[i],
                "estimate_outside_ci",
                f"endpoint − baseline = {change[i]:g} lies outside the CI of the change",
            )
        )
    for i in table.index[num["n"].notna() & (num["n"] < 1)]:
        problems.append((rows[i], "n", num["n"][i], "not_positive", "n must be a positive count"))
    if "instrument_key" in table.columns:
        for i in table.index[table["instrument_key"].notna() & (table["instrument_key"].astype("str") != "")]:
            key = str(table.at[i, "instrument_key"])
            if registry.resolve(key) is None:
                problems.append(
                    (
                        rows[i],
                        "instrument_key",
                        key,
                        "unknown_instrument",
                        f"instrument_key {key!r} is not in the instrument registry",
                    )
                )
                continue
            inst = registry.get_instrument(key)
            smin, smax = num["scale_min"][i], num["scale_max"][i]
            if (not np.isnan(smin) and smin != inst.min) or (not np.isnan(smax) and smax != inst.max):
                problems.append(
                    (
                        rows[i],
                        "scale_min",
                        f"{smin:g}..{smax:g}",
                        "scale_mismatch",
                        f"scale {smin:g}..{smax:g} differs from the registry's {inst.min:g}..{inst.max:g}",
                    )
                )
            if hib[i] in ("true", "false") and (hib[i] == "true") != (inst.analysis_direction == "higher"):
                problems.append(
                    (
                        rows[i],
                        "higher_is_better",
                        hib[i],
                        "direction_mismatch",
                        f"higher_is_better disagrees with the registry direction of {key!r}",
                    )
                )
    if "arm_role" in table.columns:
        for i in table.index[table["arm_role"].notna() & ~table["arm_role"].isin([*ARM_ROLES, ""])]:
            problems.append(
                (
                    rows[i],
                    "arm_role",
                    table.at[i, "arm_role"],
                    "unknown_arm_role",
                    f"arm_role must be one of {', '.join(ARM_ROLES)}",
                )
            )
    dup = table["id"].duplicated(keep=False) & table["id"].notna()
    problems += [
        (rows[i], "id", table.at[i, "id"], "duplicate", "id is used by another row") for i in table.index[dup]
    ]
    return _fc(problems, file)


def _fc(problems: list[tuple[Any, str, Any, str, str]], file: str) -> pd.DataFrame:
    return pd.DataFrame(problems, columns=["row", "column", "value", "check", "message"]).assign(file=file)[
        ["file", "row", "column", "value", "check", "message"]
    ]


def _read_table(text: str, file: str) -> pd.DataFrame:
    try:
        table = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, comment=None)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise ReadError(f"{file} could not be read as CSV: {exc}".rstrip(".") + ".") from None
    table = table.replace("", np.nan)
    table["_row"] = np.arange(len(table)) + 2
    return table


def _finish(table: pd.DataFrame, source: str) -> pd.DataFrame:
    for col in _NUMERIC:
        if col in table.columns:
            table[col] = pd.to_numeric(table[col])
    table["higher_is_better"] = table["higher_is_better"].astype("str").str.strip().str.lower() == "true"
    if "arm_role" not in table.columns:
        table["arm_role"] = np.nan
    role = table["arm_role"].astype(object).where(table["arm_role"].notna(), "")
    derived = table.apply(_derive_role, axis=1) if len(table) else pd.Series(dtype=str)
    table["arm_role"] = role.where(role != "", derived)
    if "practice_conditions" not in table.columns:
        table["practice_conditions"] = table["condition"].map(normalize_key)
    if "practice_construct" not in table.columns:
        table["practice_construct"] = table["construct"].map(normalize_key)
    if "construct_match" not in table.columns:
        table["construct_match"] = "exact"
    if "instrument_key" not in table.columns:
        table["instrument_key"] = np.nan
    table["source"] = source
    return table.drop(columns="_row")


def load_literature(
    extra: str | Path | pd.DataFrame | None = None, *, instruments: InstrumentRegistry | None = None
) -> pd.DataFrame:
    """The published effects shipped with the package, plus the user's own rows.

    Parameters
    ----------
    extra : path to a CSV, DataFrame, or None
        Rows to add, with the columns of the packaged table (at least ``id,
        citation, doi_or_url, effect_kind, arm, condition, construct,
        estimate_type, higher_is_better, verification`` and the numbers the
        row has). Missing mapping columns are derived: ``arm_role`` from
        ``arm``/``modality``, ``practice_conditions`` from ``condition``,
        ``practice_construct`` from ``construct``.
    instruments : InstrumentRegistry, optional
        Registry used to check ``instrument_key`` and scale facts.

    Returns
    -------
    DataFrame
        One row per published effect. The reference columns (``id, citation,
        year, doi_or_url, design, modality, condition, condition_as_published,
        construct, instrument, scale_min, scale_max, higher_is_better,
        effect_kind, arm, comparator, timepoint, n, n_control, estimate_type,
        estimate, ci_low, ci_high, sd_change, mean_baseline, sd_baseline,
        mean_endpoint, sd_endpoint, verification, source_location, note``), then
        ``practice_conditions`` (practice condition keys the row speaks to,
        ``;``-joined; ``all`` for mixed populations), ``practice_construct``
        (registry construct), ``construct_match`` (``exact`` / ``approximate``
        / ``none``), ``arm_role`` (one of :data:`ARM_ROLES`), ``instrument_key``
        (registry key where the instrument is in the registry) and ``source``
        (``packaged`` or the user's file name).

        Sign convention: a within-arm ``estimate`` is endpoint − baseline; a
        between-group estimate is treatment − comparator; both on the
        instrument's own scale, with ``higher_is_better`` giving the direction.

    Raises
    ------
    SchemaError
        For the user's rows, listing every problem (row as numbered in the CSV,
        column, value, check, message): missing fields, unknown effect kinds or
        estimate types, CIs out of order or not containing their estimate,
        scale facts that disagree with the registry, duplicate ids.
    """
    registry = instruments if instruments is not None else default_registry()
    text = resources.files("outcomes").joinpath("_data/literature.csv").read_text(encoding="utf-8")
    base = _finish(_read_table(text, "literature.csv"), "packaged")
    if extra is None:
        return base.reset_index(drop=True)
    if isinstance(extra, pd.DataFrame):
        user = extra.astype(object).where(extra.notna(), np.nan).copy()
        user["_row"] = np.arange(len(user)) + 2
        name = "<DataFrame>"
    else:
        path = Path(extra)
        if not path.is_file():
            raise ReadError(f"Literature file {path.name!r} not found at {path}.")
        name = path.name
        user = _read_table(path.read_text(encoding="utf-8-sig"), name)
    fc = _check_rows(user.reset_index(drop=True), name, registry)
    clash = user["id"].isin(base["id"]) if "id" in user.columns else pd.Series(False, index=user.index)
    if clash.any():
        fc = pd.concat(
            [
                fc,
                _fc(
                    [
                        (
                            user["_row"][i],
                            "id",
                            user.at[i, "id"],
                            "duplicate",
                            "id is already used by a packaged row",
                        )
                        for i in user.index[clash]
                    ],
                    name,
                ),
            ]
        )
    if len(fc):
        listing = "\n".join(f"  row {r.row}, {r.column}: {r.message}" for r in fc.itertuples())
        raise SchemaError(
            f"{len(fc)} problem(s) in the literature rows of {name}:\n{listing}\n"
            "Fix them (see docs/methods.md, 'Pairing with the literature', for the columns) and load again.",
            failure_cases=fc.reset_index(drop=True),
        )
    return pd.concat([base, _finish(user, name)], ignore_index=True)


# ---------------------------------------------------------------------------------------
# Published arms on the practice's metric
# ---------------------------------------------------------------------------------------
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
    if np.isfinite(row["sd_baseline"]):
        sd, how = row["sd_baseline"], "published baseline SD"
    elif np.isfinite(row["sd_change"]):
        sd, how = row["sd_change"] / math.sqrt(2 * (1 - r)), "baseline SD from the published SD of the change"
    elif np.isfinite(row["ci_low"]) and np.isfinite(row["ci_high"]):
        sd_change = _sd_change_from_ci(row["ci_low"], row["ci_high"], n)
        sd, how = sd_change / math.sqrt(2 * (1 - r)), "baseline SD from the CI of the change"
    else:
        return np.nan, np.nan, "", "no SD and no CI published: shown as percent change only"
    g, var = fx.smc_from_summary_arrays(0.0, sd, change, n, r)
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
        ``id``, ``citation``, ``doi_or_url``, ``verification``, ``arm_role``,
        ``practice_conditions``, ``practice_construct``, ``construct_match``,
        ``instrument``, ``timepoint``, ``n``, ``assumed_r``, ``smc`` (Hedges-corrected
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
                    "doi_or_url": row["doi_or_url"],
                    "verification": row["verification"],
                    "arm_role": row["arm_role"],
                    "practice_conditions": row["practice_conditions"],
                    "practice_construct": row["practice_construct"],
                    "construct_match": row["construct_match"],
                    "instrument": row["instrument"],
                    "timepoint": row["timepoint"],
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


def pool_arms(
    smc: ArrayLike, var: ArrayLike, *, method: str = "pm", confidence: float = 0.95
) -> dict[str, float]:
    """Random-effects pooling of standardized mean changes (statsmodels ``combine_effects``).

    Parameters
    ----------
    smc, var : sequences of float
        Effect estimates and their within-study variances.
    method : {'pm', 'dl'}
        Between-study variance estimator: Paule–Mandel (iterated) or
        DerSimonian–Laird.

    Returns
    -------
    dict
        ``k``, ``estimate``, ``se``, ``ci_low``, ``ci_high`` (normal interval),
        ``tau2``, ``i2`` (Higgins & Thompson 2002, from Cochran's Q, truncated
        at 0, in percent), ``pi_low``, ``pi_high`` (prediction interval for a
        new setting, Higgins, Thompson & Spiegelhalter 2009:
        estimate ± t_{k−2} √(τ² + se²); NaN for k < 3). With one study the
        estimate is that study's, and τ², I² and the prediction interval are NaN.
    """
    from statsmodels.stats.meta_analysis import combine_effects

    y = np.asarray(smc, dtype=float)
    v = np.asarray(var, dtype=float)
    k = y.size
    z = stats.norm.ppf(0.5 + confidence / 2)
    nan = float("nan")
    if k == 0:
        return dict(
            k=0, estimate=nan, se=nan, ci_low=nan, ci_high=nan, tau2=nan, i2=nan, pi_low=nan, pi_high=nan
        )
    if k == 1:
        se = math.sqrt(v[0])
        return dict(
            k=1,
            estimate=float(y[0]),
            se=se,
            ci_low=float(y[0] - z * se),
            ci_high=float(y[0] + z * se),
            tau2=nan,
            i2=nan,
            pi_low=nan,
            pi_high=nan,
        )
    method_re = {"pm": "iterated", "dl": "chi2"}[method]
    res = combine_effects(y, v, method_re=method_re, use_t=False, alpha=1 - confidence)
    est, se = float(res.mean_effect_re), float(res.sd_eff_w_re)
    q, df = float(res.q), k - 1
    i2 = 100.0 * max(0.0, (q - df) / q) if q > 0 else 0.0
    pi_low = pi_high = nan
    if k >= 3:
        half = stats.t.ppf(0.5 + confidence / 2, k - 2) * math.sqrt(float(res.tau2) + se**2)
        pi_low, pi_high = est - half, est + half
    return dict(
        k=k,
        estimate=est,
        se=se,
        ci_low=est - z * se,
        ci_high=est + z * se,
        tau2=float(res.tau2),
        i2=i2,
        pi_low=pi_low,
        pi_high=pi_high,
    )


# ---------------------------------------------------------------------------------------
# The comparison
# ---------------------------------------------------------------------------------------
def _fieller(a: float, va: float, b: float, vb: float, confidence: float) -> tuple[float, float]:
    """Fieller interval of a / b for independent normal estimates; NaN when unbounded."""
    z2 = stats.norm.ppf(0.5 + confidence / 2) ** 2
    qa = b * b - z2 * vb
    if qa <= 0:
        return float("nan"), float("nan")
    qb = -2 * a * b
    qc = a * a - z2 * va
    disc = qb * qb - 4 * qa * qc
    if disc < 0:
        return float("nan"), float("nan")
    root = math.sqrt(disc)
    return (-qb - root) / (2 * qa), (-qb + root) / (2 * qa)


def _practice_rows(
    data_or_summary: Any, registry: InstrumentRegistry, confidence: float, seed: int | None
) -> pd.DataFrame:
    cols = {"condition", "measure", "level", "smc", "smc_ci_low", "smc_ci_high", "n_clients"}
    if isinstance(data_or_summary, pd.DataFrame) and cols <= set(data_or_summary.columns):
        table = data_or_summary.copy()
    else:
        levels = ["course", "session"]
        by_cond = summarize(
            data_or_summary,
            by="condition",
            level=levels,
            confidence=confidence,
            seed=seed,
            instruments=registry,
        )
        whole = summarize(
            data_or_summary, by=None, level=levels, confidence=confidence, seed=seed, instruments=registry
        ).assign(condition="all")
        table = pd.concat([by_cond, whole], ignore_index=True)
    table = table[table["level"].astype("str").isin(["course", "session"])].copy()
    table["construct"] = table["measure"].map(lambda m: registry.get_instrument(m).construct)
    sign = table["measure"].map(lambda m: registry.get_instrument(m).improvement_sign()).astype(float)
    lo = sign * table["smc_ci_low"]
    hi = sign * table["smc_ci_high"]
    table["smc_improvement"] = sign * table["smc"]
    table["smc_improvement_ci_low"] = np.minimum(lo, hi)
    table["smc_improvement_ci_high"] = np.maximum(lo, hi)
    table["pct_change"] = (
        100.0 * table["mean_improvement"] / table["mean_pre"] if "mean_pre" in table else np.nan
    )
    return table.reset_index(drop=True)


def _matches(conditions: Any, condition: str) -> bool:
    return condition in str(conditions).split(";") if isinstance(conditions, str) else False


_CONDITION_LABELS = {"all": "the whole practice", "tmj": "TMJ", "stress_anxiety": "stress and anxiety"}


def _label(condition: str) -> str:
    return _CONDITION_LABELS.get(condition, condition.replace("_", " "))


def _pct(x: float) -> str:
    return f"{100 * x + 0.0:.0f}%"


def _verdict(
    p: float,
    vp: float,
    b: dict[str, float],
    controls: dict[str, dict[str, float]],
    *,
    margin: float,
    confidence: float,
    measure_label: str,
    condition: str,
    r: float,
    n: int,
    approximate: bool,
) -> dict[str, Any]:
    """Numbers and words of one benchmark comparison (after Minami et al. 2008)."""
    z = stats.norm.ppf(0.5 + confidence / 2)
    z1 = stats.norm.ppf(1 - (1 - confidence))  # one-sided, as Minami et al.
    out: dict[str, Any] = {}
    sp = math.sqrt(vp)
    words = [
        f"Course change in {measure_label} for {_label(condition)}: standardized mean change "
        f"{p + 0.0:.2f} (95% CI {p - z * sp:.2f} to {p + z * sp:.2f}, n = {n})."
    ]
    if b["k"]:
        vb = b["se"] ** 2
        share = p / b["estimate"] if b["estimate"] != 0 else np.nan
        lo, hi = _fieller(p, vp, b["estimate"], vb, confidence)
        stat = (p - (1 - margin) * b["estimate"]) / math.sqrt(vp + (1 - margin) ** 2 * vb)
        out.update(share=share, share_ci_low=lo, share_ci_high=hi, noninferiority_z=stat)
        ci_text = (
            f"95% CI {_pct(lo)} to {_pct(hi)}"
            if np.isfinite(lo)
            else "its CI is unbounded because the benchmark is uncertain"
        )
        match = "; the published measure is only an approximate match" if approximate else ""
        words.append(
            f"That is {_pct(share)} of the CST-arm benchmark (SMC {b['estimate']:.2f} from "
            f"{b['k']} arm{'s' if b['k'] != 1 else ''}; {ci_text}{match})."
        )
        if stat > z1:
            words.append(
                f"It is shown to be at least {_pct(1 - margin)} of the benchmark (one-sided test, "
                f"margin {_pct(margin)}): comparable to published CST arms."
            )
        elif stat < -z1:
            words.append(
                f"It is shown to be below {_pct(1 - margin)} of the benchmark: smaller than in "
                "published CST arms."
            )
        else:
            words.append(
                f"The data can show neither that it reaches {_pct(1 - margin)} of the benchmark "
                "nor that it falls short: inconclusive."
            )
    else:
        words.append(f"No published CST arm with a comparable measure for {_label(condition)}.")
    for role, c in controls.items():
        if not c["k"]:
            continue
        diff = p - c["estimate"]
        sd = math.sqrt(vp + c["se"] ** 2)
        out[f"diff_vs_{role}"] = diff
        out[f"diff_vs_{role}_ci_low"] = diff - z * sd
        out[f"diff_vs_{role}_ci_high"] = diff + z * sd
        label = _ROLE_LABEL[role]
        if diff - z * sd > 0:
            words.append(
                f"It is larger than the {label} benchmark (SMC {c['estimate']:.2f}; difference {diff:.2f}, "
                f"95% CI {diff - z * sd:.2f} to {diff + z * sd:.2f})."
            )
        elif diff + z * sd < 0:
            words.append(f"It is smaller than the {label} benchmark (SMC {c['estimate']:.2f}).")
        else:
            words.append(
                f"It cannot be told apart from the {label} benchmark (SMC {c['estimate']:.2f}; "
                f"difference {diff:.2f}, 95% CI {diff - z * sd:.2f} to {diff + z * sd:.2f})."
            )
    if n < SMALL_N:
        words.append(f"With fewer than {SMALL_N} clients this is a rough indication only.")
    words.append(f"Published arms assume a pre-post correlation r = {r:.1f}.")
    out["verdict"] = " ".join(words)
    return out


def _practice_row(
    base: dict[str, Any], measure: str, role: str, *, part: str = "benchmark", **fields: Any
) -> dict[str, Any]:
    """One row of the practice's own side of :func:`compare_literature`."""
    return dict(base, part=part, role=role, source="practice", measure=measure, **fields)


def compare_literature(
    data_or_summary: Any,
    *,
    literature: pd.DataFrame | None = None,
    assumed_r: Sequence[float] = (0.3, 0.5, 0.7),
    margin: float = 0.1,
    method: str = "pm",
    confidence: float = 0.95,
    seed: int | None = 0,
    instruments: InstrumentRegistry | None = None,
) -> pd.DataFrame:
    """The practice beside published effects, like with like, with a benchmark verdict.

    Parameters
    ----------
    data_or_summary : SessionData, DataFrame of sessions, or a summary
        What :func:`outcomes.read_sessions` returns (or a canonical frame), or
        a table from :func:`outcomes.summarize` with ``course`` rows grouped by
        ``condition``. From data, the whole practice is also compared
        (``condition = 'all'``) with published mixed-condition cohorts.
    literature : DataFrame, optional
        From :func:`load_literature` (the packaged table when omitted).
    assumed_r : sequence of float
        Pre–post correlations assumed for published arms, which do not report
        them; every verdict is given for each.
    margin : float, default 0.1
        Non-inferiority margin as a fraction of the CST benchmark: the practice
        is called comparable when its effect is shown (one-sided, at the
        confidence level) to exceed (1 − margin) x benchmark.
    method : {'pm', 'dl'}
        τ² estimator for pooling published arms (Paule–Mandel or DerSimonian–Laird).
    confidence : float, default 0.95
    seed : int or None
        Seed of the practice summary's bootstrap (the comparison uses the
        analytic SMC interval).
    instruments : InstrumentRegistry, optional

    Returns
    -------
    DataFrame
        Long table, one row per estimate, ``RangeIndex``. Identity columns:
        ``part`` (``benchmark`` for within-arm comparisons, ``between_groups``
        for published contrasts, listed apart and never compared with a change,
        ``no_comparator`` for practice rows with nothing comparable published),
        ``condition``, ``construct``, ``role`` (``practice_course``,
        ``practice_session``, ``cst``, ``sham``, ``natural_history``,
        ``other_active``, ``pooled_cst``, ``pooled_sham``,
        ``pooled_natural_history``, ``verdict``, ``between_groups``),
        ``source`` (study id, or ``practice``), ``measure`` (practice measure
        key or published instrument), ``assumed_r`` (NaN for practice rows, which
        use their observed r), ``citation``, ``doi_or_url``, ``verification``.

        Numbers: ``n`` (clients or arm size), ``smc``, ``smc_ci_low``,
        ``smc_ci_high`` (standardized mean change, positive = improvement),
        ``pct_change`` (change as percent of baseline, positive = improvement),
        ``sd_source``, ``comparable``; for pooled rows ``k``, ``tau2``, ``i2``,
        ``pi_low``, ``pi_high``; for verdict rows ``share`` (practice / CST
        benchmark) with ``share_ci_low``/``share_ci_high`` (Fieller),
        ``noninferiority_z``, ``diff_vs_sham``, ``diff_vs_natural_history`` with
        CIs, and ``verdict`` (the comparison in words; also the message of
        ``no_comparator`` rows); for between-group rows the published
        ``estimate_type``, ``estimate``, ``ci_low``, ``ci_high``, ``comparator`` and
        ``higher_is_better`` (so a negative difference favours CST when it is False);
        ``note``.

    Notes
    -----
    See ``docs/methods.md``, "Pairing with the literature": why pre/post
    changes cannot be compared with between-group effects, and what the
    verdict means and does not mean.
    """
    registry = instruments if instruments is not None else default_registry()
    if not 0 <= margin < 1:
        raise ValueError(f"margin must be a fraction in [0, 1) (got {margin})")
    rs = [float(r) for r in assumed_r]
    if not rs or any(not -1 < r < 1 for r in rs):
        raise ValueError(f"assumed_r must be correlations strictly between -1 and 1 (got {assumed_r!r})")
    lit = load_literature(instruments=registry) if literature is None else literature
    practice = _practice_rows(data_or_summary, registry, confidence, seed)
    arms = literature_arms(lit, assumed_r=rs, confidence=confidence)
    z = stats.norm.ppf(0.5 + confidence / 2)
    rows: list[dict[str, Any]] = []
    course = practice[practice["level"].astype("str") == "course"]
    session = practice[practice["level"].astype("str") == "session"]
    for _, pr in course.sort_values(["condition", "measure"]).iterrows():
        cond, construct, measure = str(pr["condition"]), str(pr["construct"]), str(pr["measure"])
        inst = registry.get_instrument(measure)
        base = dict(condition=cond, construct=construct)
        matched = arms[
            arms["practice_conditions"].map(lambda c, cond=cond: _matches(c, cond))
            & (arms["practice_construct"] == construct)
        ]
        if matched.empty:
            rows.append(
                _practice_row(
                    base,
                    measure,
                    "practice_course",
                    part="no_comparator",
                    n=pr["n_clients"],
                    verdict=f"No published CST data with a comparable measure for "
                    f"{_label(cond)} ({inst.label}).",
                )
            )
            continue
        p, lo, hi = pr["smc_improvement"], pr["smc_improvement_ci_low"], pr["smc_improvement_ci_high"]
        rows.append(
            _practice_row(
                base,
                measure,
                "practice_course",
                n=pr["n_clients"],
                smc=p,
                smc_ci_low=lo,
                smc_ci_high=hi,
                pct_change=pr["pct_change"],
                sd_source="practice baseline SD; observed r",
                comparable=bool(np.isfinite(p)),
                note="course: first session's pre to last session's pre",
            )
        )
        sess = session[(session["condition"] == cond) & (session["measure"] == measure)]
        for _, sr in sess.iterrows():
            rows.append(
                _practice_row(
                    base,
                    measure,
                    "practice_session",
                    n=sr["n_clients"],
                    smc=sr["smc_improvement"],
                    smc_ci_low=sr["smc_improvement_ci_low"],
                    smc_ci_high=sr["smc_improvement_ci_high"],
                    pct_change=sr["pct_change"],
                    comparable=False,
                    note="immediate pre-to-post change of a session: shown for context, "
                    "not comparable with trial arms measured over weeks",
                )
            )

        vp = ((hi - lo) / (2 * z)) ** 2 if np.isfinite(hi) and np.isfinite(lo) else np.nan
        for r in rs:
            at_r = matched[matched["assumed_r"] == r]
            for _, arm in at_r.iterrows():
                rows.append(
                    dict(
                        base,
                        part="benchmark",
                        role=arm["arm_role"],
                        source=arm["id"],
                        measure=arm["instrument"],
                        assumed_r=r,
                        citation=arm["citation"],
                        doi_or_url=arm["doi_or_url"],
                        verification=arm["verification"],
                        n=arm["n"],
                        smc=arm["smc"],
                        smc_ci_low=arm["smc_ci_low"],
                        smc_ci_high=arm["smc_ci_high"],
                        pct_change=arm["pct_change"],
                        sd_source=arm["sd_source"],
                        comparable=arm["comparable"],
                        note="; ".join(
                            x
                            for x in (
                                arm["why_not"],
                                "approximate construct match"
                                if arm["construct_match"] == "approximate"
                                else "",
                            )
                            if x
                        ),
                    )
                )
            pooled: dict[str, dict[str, float]] = {}
            for role in ("cst", "sham", "natural_history"):
                ok = at_r[(at_r["arm_role"] == role) & at_r["comparable"]]
                pooled[role] = pool_arms(ok["smc"], ok["smc_var"], method=method, confidence=confidence)
                if pooled[role]["k"]:
                    pr_ = pooled[role]
                    rows.append(
                        dict(
                            base,
                            part="benchmark",
                            role=f"pooled_{role}",
                            source="pooled",
                            assumed_r=r,
                            n=float(ok["n"].sum()),
                            smc=pr_["estimate"],
                            smc_ci_low=pr_["ci_low"],
                            smc_ci_high=pr_["ci_high"],
                            k=pr_["k"],
                            tau2=pr_["tau2"],
                            i2=pr_["i2"],
                            pi_low=pr_["pi_low"],
                            pi_high=pr_["pi_high"],
                            comparable=True,
                            note=f"random effects ({method.upper()})",
                        )
                    )
            if not np.isfinite(p) or not np.isfinite(vp):
                rows.append(
                    _practice_row(
                        base,
                        measure,
                        "verdict",
                        assumed_r=r,
                        verdict=f"Too few clients with a course change in {inst.label} for "
                        f"{_label(cond)} to compare.",
                    )
                )
                continue
            if not any(pooled[role]["k"] for role in pooled):
                reasons = "; ".join(
                    f"{a['id']} ({_ROLE_LABEL[a['arm_role']]}): "
                    + (a["why_not"] or "not a CST arm, shown for context only")
                    for _, a in at_r.sort_values("id").iterrows()
                )
                text = (
                    f"No CST or control benchmark on the standardized metric for {_label(cond)}, so no "
                    f"verdict. Published arms: {reasons}."
                )
                pcts = at_r[np.isfinite(at_r["pct_change"].astype(float))]
                if np.isfinite(pr["pct_change"]) and len(pcts):
                    listed = ", ".join(
                        f"{a['id']} {a['pct_change']:.0f}%" for _, a in pcts.sort_values("id").iterrows()
                    )
                    text += (
                        " Descriptively (not a test; scales and timescales differ): the practice's "
                        f"{inst.label} improved by {pr['pct_change']:.0f}% of its baseline over the course; "
                        f"published arms improved by {listed}."
                    )
                rows.append(_practice_row(base, measure, "verdict", assumed_r=r, verdict=text))
                continue
            approx = bool((at_r.loc[at_r["arm_role"] == "cst", "construct_match"] == "approximate").any())
            v = _verdict(
                p,
                vp,
                pooled["cst"],
                {k: pooled[k] for k in ("sham", "natural_history")},
                margin=margin,
                confidence=confidence,
                measure_label=inst.label,
                condition=cond,
                r=r,
                n=int(pr["n_clients"]),
                approximate=approx,
            )
            rows.append(
                _practice_row(
                    base, measure, "verdict", assumed_r=r, verdict=v.pop("verdict"), n=pr["n_clients"], **v
                )
            )
    # between-group contrasts for the conditions the practice has, in their own part
    conditions = set(course["condition"].astype("str"))
    between = lit[lit["effect_kind"] == "between_groups"]
    for _, b in between.iterrows():
        hit = sorted(c for c in conditions if _matches(b["practice_conditions"], c))
        if not hit:
            continue
        rows.append(
            dict(
                part="between_groups",
                condition=";".join(hit),
                construct=b["practice_construct"],
                role="between_groups",
                source=b["id"],
                measure=b["instrument"],
                citation=b["citation"],
                doi_or_url=b["doi_or_url"],
                verification=b["verification"],
                n=b["n"],
                estimate_type=b["estimate_type"],
                estimate=b["estimate"],
                ci_low=b["ci_low"],
                ci_high=b["ci_high"],
                comparator=b["comparator"],
                higher_is_better=bool(b["higher_is_better"]),
                note="CST versus a control group in a trial: a different question from a pre/post change; "
                "never compared with the practice's numbers",
            )
        )
    columns = [
        "part",
        "condition",
        "construct",
        "role",
        "source",
        "measure",
        "assumed_r",
        "citation",
        "doi_or_url",
        "verification",
        "n",
        "smc",
        "smc_ci_low",
        "smc_ci_high",
        "pct_change",
        "sd_source",
        "comparable",
        "k",
        "tau2",
        "i2",
        "pi_low",
        "pi_high",
        "share",
        "share_ci_low",
        "share_ci_high",
        "noninferiority_z",
        "diff_vs_sham",
        "diff_vs_sham_ci_low",
        "diff_vs_sham_ci_high",
        "diff_vs_natural_history",
        "diff_vs_natural_history_ci_low",
        "diff_vs_natural_history_ci_high",
        "verdict",
        "estimate_type",
        "estimate",
        "ci_low",
        "ci_high",
        "comparator",
        "higher_is_better",
        "note",
    ]
    return pd.DataFrame(rows, columns=columns)
