""":func:`compare_literature`: the practice's course change beside published arms of the same condition
and construct.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from .._words import ARM_ROLE_LABELS, condition_phrase
from ..effects.meta_analysis import pool_arms
from ..instruments import InstrumentRegistry, registry_for
from ..summary import summarize
from .arms import literature_arms
from .result import LiteratureComparison
from .table import load_literature
from .verdicts import verdict


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
) -> LiteratureComparison:
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
    LiteratureComparison
        Separate tables: ``practice`` (the practice's course and session rows),
        ``arms`` (published arms beside each practice row, per assumed r),
        ``pooled`` (the random-effects benchmarks), ``verdicts`` (the comparison
        in words and numbers), ``between_groups`` (published CST-versus-control
        contrasts, never compared with a change) and ``no_comparator`` (practice
        rows with nothing comparable published); each is documented on the class.
        ``to_frame()`` gives them as the one long table of earlier versions.

    Notes
    -----
    See ``docs/methods.md``, "Pairing with the literature": why pre/post
    changes cannot be compared with between-group effects, and what the
    verdict means and does not mean.
    """
    registry = registry_for(data_or_summary, instruments)
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
        base = dict(condition=cond, construct=construct, practice_measure=measure)
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
                    f"{condition_phrase(cond)} ({inst.label}).",
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
                        f"{condition_phrase(cond)} to compare.",
                    )
                )
                continue
            if not any(pooled[role]["k"] for role in pooled):
                reasons = "; ".join(
                    f"{a['id']} ({ARM_ROLE_LABELS[a['arm_role']]}): "
                    + (a["why_not"] or "not a CST arm, shown for context only")
                    for _, a in at_r.sort_values("id").iterrows()
                )
                text = (
                    "No CST or control benchmark on the standardized metric for "
                    f"{condition_phrase(cond)}, so no verdict. Published arms: {reasons}."
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
            v = verdict(
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
    return LiteratureComparison(
        pd.DataFrame(rows, columns=[*columns, "practice_measure"]),
        settings={"assumed_r": tuple(rs), "margin": margin, "method": method, "confidence": confidence},
    )
