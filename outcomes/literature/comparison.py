""":func:`compare_literature`: the practice's course change beside published arms of the same condition
and construct.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, cast

import numpy as np
import pandas as pd
from scipy import special

from .._checks import check_argument
from .._format import number, percent
from .._words import ALL, ARM_ROLE_LABELS, condition_phrase
from ..effects.meta_analysis import TAU2_METHODS, pool_arms
from ..errors import StatisticalWarning
from ..instruments import InstrumentRegistry, registry_for
from ..summary import summarize
from ..summary.course import course_lengths
from .arms import literature_arms
from .result import LiteratureComparison
from .table import load_literature
from .verdicts import verdict


def _practice_rows(
    data_or_summary: Any, registry: InstrumentRegistry, confidence: float, seed: int | None
) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    cols = {"condition", "measure", "level", "smc", "smc_ci_low", "smc_ci_high", "n_clients"}
    course = None
    if isinstance(data_or_summary, pd.DataFrame) and cols <= set(data_or_summary.columns):
        table = data_or_summary.copy()
    else:
        course = pd.concat(
            [
                course_lengths(data_or_summary, by="condition", instruments=registry),
                course_lengths(data_or_summary, by=None, instruments=registry).assign(condition=ALL),
            ],
            ignore_index=True,
        )
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
    return table.reset_index(drop=True), course


def _matches(conditions: Any, condition: str) -> bool:
    return condition in str(conditions).split(";") if isinstance(conditions, str) else False


def _practice_row(
    base: dict[str, Any], measure: str, role: str, *, part: str = "benchmark", **fields: Any
) -> dict[str, Any]:
    """One row of the practice's own side of :func:`compare_literature`."""
    return dict(base, part=part, role=role, source="practice", measure=measure, **fields)


def _course_words(course: pd.DataFrame | None, condition: str, measure: str) -> tuple[str, float, float]:
    """The practice's median course in words, and its medians in weeks and sessions (NaN: unknown)."""
    if course is None:
        return "", np.nan, np.nan
    row = course[(course["condition"].astype(str) == condition) & (course["measure"] == measure)]
    if row.empty:
        return "", np.nan, np.nan
    sessions, weeks = float(row["sessions_median"].iloc[0]), float(row["weeks_median"].iloc[0])
    text = f"median course {sessions:g} sessions"
    if np.isfinite(weeks):
        text += f" over {number(weeks, 0)} weeks"
    return text, weeks, sessions


def _when(arm: dict[str, Any]) -> str:
    """An arm's timepoint in words: ``week 8``, ``week 2, 4 sessions``, or as published."""
    parts = []
    if np.isfinite(arm["weeks"]):
        parts.append(f"week {arm['weeks']:g}")
    if np.isfinite(arm["sessions"]):
        parts.append(f"{arm['sessions']:g} sessions")
    return ", ".join(parts) or str(arm["timepoint"])


def _arm_time(arm: dict[str, Any]) -> str:
    """An arm as a verdict names it: ``Haller et al. 2016 (week 8)``."""
    return f"{arm['short_citation']} ({_when(arm)})"


def _by_paper(arms: list[dict[str, Any]], what: Any) -> str:
    """Arms condensed per paper: ``Haller et al. 2016: CST arm 50% (week 8), 50% (week 20); ...``."""
    papers: dict[str, dict[str, list[str]]] = {}

    def order(a: dict[str, Any]) -> tuple[str, str, float, str]:
        weeks = float(a["weeks"]) if np.isfinite(a["weeks"]) else np.inf
        return (str(a["short_citation"]), str(a["arm_role"]), weeks, str(a["id"]))

    for a in sorted(arms, key=order):
        roles = papers.setdefault(str(a["short_citation"]), {})
        roles.setdefault(ARM_ROLE_LABELS[a["arm_role"]], []).append(what(a))
    return "; ".join(
        f"{paper}: "
        + ", ".join(f"{role} {', '.join(x for x in items if x)}".strip() for role, items in roles.items())
        for paper, roles in papers.items()
    )


def _one_timepoint_per_trial(arms: list[dict[str, Any]], weeks: float, sessions: float) -> set[str]:
    """The ids of the arms a pool may use: of the arms of one trial and role, the one whose timepoint is
    closest to the practice's median course (in weeks, else in sessions; the earliest on a tie or when
    neither is known). Arms of one trial share their participants: pooled as independent they would
    count the same people twice."""
    chosen = set()
    groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for arm in arms:
        groups.setdefault((str(arm["trial"]), str(arm["arm_role"])), []).append(arm)
    for group in groups.values():

        def distance(arm: dict[str, Any]) -> tuple[float, float, str]:
            d_weeks = (
                abs(arm["weeks"] - weeks) if np.isfinite(arm["weeks"]) and np.isfinite(weeks) else np.inf
            )
            d_sessions = (
                abs(arm["sessions"] - sessions)
                if np.isfinite(arm["sessions"]) and np.isfinite(sessions)
                else np.inf
            )
            early = arm["weeks"] if np.isfinite(arm["weeks"]) else np.inf
            return (d_weeks if np.isfinite(d_weeks) else d_sessions, early, str(arm["id"]))

        chosen.add(str(min(group, key=distance)["id"]))
    return chosen


def compare_literature(
    data_or_summary: Any,
    *,
    literature: pd.DataFrame | None = None,
    assumed_r: Sequence[float] = (0.3, 0.5, 0.7),
    margin: float = 0.2,
    method: str = "reml",
    ci: str = "hksj",
    confidence: float = 0.95,
    seed: int | None = 0,
    course: pd.DataFrame | None = None,
    instruments: InstrumentRegistry | str | Path | None = None,
    condition_labels: Mapping[str, str] | None = None,
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
    margin : float, default 0.2
        Equivalence margin as a fraction of the CST benchmark: the practice is
        called comparable when its effect is shown (two one-sided tests at the
        confidence level) to lie between (1 − margin) and (1 + margin) times the
        benchmark. The default is the package's choice, justified in
        ``docs/methods.md``: set your own.
    method : {'reml', 'pm', 'dl'}, default 'reml'
        τ² estimator for pooling published arms (see :func:`outcomes.pool_arms`).
    ci : {'hksj', 'z'}, default 'hksj'
        Interval of a pooled benchmark (see :func:`outcomes.pool_arms`).
    confidence : float, default 0.95
    seed : int or None
        Seed of the practice summary's bootstrap when data are given (the
        comparison uses the analytic SMC interval).
    course : DataFrame, optional
        The practice's course lengths (:func:`outcomes.summary.course_lengths`
        per condition, with the whole practice as ``'all'``), computed from the
        data when data are given. The verdict states the median course beside the
        trials' timepoints, and of the arms of one trial at several timepoints the
        one closest to it is pooled.
    instruments : InstrumentRegistry or path, optional
    condition_labels : dict, optional
        The export's spelling of each condition for the verdicts' words
        (:attr:`outcomes.SessionData.condition_labels`; taken from data when given).

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
    labels = (
        condition_labels
        if condition_labels is not None
        else getattr(data_or_summary, "condition_labels", None)
    )
    if not 0 <= margin < 1:
        raise ValueError(f"margin must be a fraction in [0, 1) (got {margin})")
    check_argument("method", TAU2_METHODS, method)
    rs = [float(r) for r in assumed_r]
    if not rs or any(not -1 < r < 1 for r in rs):
        raise ValueError(f"assumed_r must be correlations strictly between -1 and 1 (got {assumed_r!r})")
    lit = load_literature(instruments=registry) if literature is None else literature
    practice, from_data = _practice_rows(data_or_summary, registry, confidence, seed)
    course = course if course is not None else from_data
    arms = literature_arms(lit, assumed_r=rs, confidence=confidence)
    arm_records = cast(list[dict[str, Any]], arms.to_dict("records"))
    z = float(special.ndtri(0.5 + confidence / 2))
    rows: list[dict[str, Any]] = []
    course_rows = practice[practice["level"].astype("str") == "course"]
    session = practice[practice["level"].astype("str") == "session"]
    for pr in course_rows.sort_values(["condition", "measure"]).to_dict("records"):
        cond, construct, measure = str(pr["condition"]), str(pr["construct"]), str(pr["measure"])
        inst = registry.get_instrument(measure)
        base = dict(condition=cond, construct=construct, practice_measure=measure)
        matched = [
            a
            for a in arm_records
            if _matches(a["practice_conditions"], cond) and a["practice_construct"] == construct
        ]
        if not matched:
            rows.append(
                _practice_row(
                    base,
                    measure,
                    "practice_course",
                    part="no_comparator",
                    n=pr["n_clients"],
                    verdict=f"No published CST data with a comparable measure for "
                    f"{condition_phrase(cond, labels)} ({inst.label}).",
                )
            )
            continue
        p, lo, hi = pr["smc_improvement"], pr["smc_improvement_ci_low"], pr["smc_improvement_ci_high"]
        course_text, weeks, sessions = _course_words(course, cond, measure)
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
                sd_source="practice baseline and last-session SDs (Bonett 2008); observed r",
                comparable=bool(np.isfinite(p)),
                note="course: first session's pre to last session's pre"
                + (f" ({course_text})" if course_text else ""),
            )
        )
        for sr in session[(session["condition"] == cond) & (session["measure"] == measure)].to_dict(
            "records"
        ):
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
        used = _one_timepoint_per_trial([a for a in matched if a["assumed_r"] == rs[0]], weeks, sessions)
        vp = ((hi - lo) / (2 * z)) ** 2 if np.isfinite(hi) and np.isfinite(lo) else np.nan
        for r in rs:
            at_r = [a for a in matched if a["assumed_r"] == r]
            for arm in at_r:
                notes = [
                    arm["why_not"],
                    "approximate construct match" if arm["construct_match"] == "approximate" else "",
                    ""
                    if arm["id"] in used or not arm["comparable"]
                    else "another timepoint of the same trial: not pooled (the arm closest to the "
                    "practice's course is)",
                ]
                rows.append(
                    dict(
                        base,
                        part="benchmark",
                        role=arm["arm_role"],
                        source=arm["id"],
                        measure=arm["instrument"],
                        assumed_r=r,
                        citation=arm["citation"],
                        short_citation=arm["short_citation"],
                        doi_or_url=arm["doi_or_url"],
                        verification=arm["verification"],
                        trial=arm["trial"],
                        timepoint=arm["timepoint"],
                        n=arm["n"],
                        smc=arm["smc"],
                        smc_ci_low=arm["smc_ci_low"],
                        smc_ci_high=arm["smc_ci_high"],
                        pct_change=arm["pct_change"],
                        sd_source=arm["sd_source"],
                        comparable=arm["comparable"],
                        pooled=bool(
                            arm["comparable"]
                            and arm["id"] in used
                            and arm["arm_role"] in ("cst", "sham", "natural_history")
                        ),
                        note="; ".join(x for x in notes if x),
                    )
                )
            pooled: dict[str, dict[str, Any]] = {}
            times: dict[str, str] = {}
            for role in ("cst", "sham", "natural_history"):
                ok = [a for a in at_r if a["arm_role"] == role and a["comparable"] and a["id"] in used]
                with warnings.catch_warnings():  # a pool of one is said in its note and the verdict
                    warnings.simplefilter("ignore", StatisticalWarning)
                    pooled[role] = pool_arms(
                        [a["smc"] for a in ok],
                        [a["smc_var"] for a in ok],
                        method=method,
                        ci=ci,
                        confidence=confidence,
                    )
                times[role] = "; ".join(_arm_time(a) for a in ok)
                if pooled[role]["k"]:
                    pr_ = pooled[role]
                    rows.append(
                        dict(
                            base,
                            part="benchmark",
                            role=f"pooled_{role}",
                            source="pooled",
                            assumed_r=r,
                            n=float(sum(a["n"] for a in ok)),
                            smc=pr_["estimate"],
                            smc_ci_low=pr_["ci_low"],
                            smc_ci_high=pr_["ci_high"],
                            k=pr_["k"],
                            tau2=pr_["tau2"],
                            i2=pr_["i2"],
                            i2_q=pr_["i2_q"],
                            pi_low=pr_["pi_low"],
                            pi_high=pr_["pi_high"],
                            comparable=True,
                            note="; ".join(
                                x
                                for x in (
                                    f"random effects ({method.upper()}, {ci.upper()} interval)",
                                    pr_["note"],
                                )
                                if x
                            ),
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
                        f"{condition_phrase(cond, labels)} to compare.",
                    )
                )
                continue
            if not any(pooled[role]["k"] for role in pooled):
                why: dict[str, list[dict[str, Any]]] = {}
                for a in at_r:
                    why.setdefault(a["why_not"] or "not a CST arm, shown for context only", []).append(a)
                reasons = "; ".join(
                    f"{_by_paper(group, lambda a: f'({_when(a)})')} ({reason})"
                    for reason, group in why.items()
                )
                text = (
                    "No CST or control benchmark on the standardized metric for "
                    f"{condition_phrase(cond, labels)}, so no verdict. Published arms: {reasons}."
                )
                pcts = [a for a in at_r if np.isfinite(a["pct_change"])]
                if np.isfinite(pr["pct_change"]) and pcts:
                    listed = _by_paper(pcts, lambda a: f"{percent(a['pct_change'] / 100)} ({_when(a)})")
                    text += (
                        " Descriptively (not a test; scales and timescales differ): the practice's "
                        f"{inst.label} improved by {percent(pr['pct_change'] / 100)} of its baseline "
                        f"over the course; published arms improved by {listed}."
                    )
                rows.append(_practice_row(base, measure, "verdict", assumed_r=r, verdict=text))
                continue
            approx = any(a["construct_match"] == "approximate" for a in at_r if a["arm_role"] == "cst")
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
                course=course_text,
                timepoints=times["cst"],
                labels=labels,
            )
            rows.append(
                _practice_row(
                    base,
                    measure,
                    "verdict",
                    assumed_r=r,
                    verdict=v.pop("verdict"),
                    n=pr["n_clients"],
                    course_sessions=sessions,
                    course_weeks=weeks,
                    **v,
                )
            )
    # between-group contrasts for the conditions the practice has, in their own part
    conditions = set(course_rows["condition"].astype("str"))
    between = lit[lit["effect_kind"] == "between_groups"]
    for b in between.to_dict("records"):
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
                short_citation=b["short_citation"],
                doi_or_url=b["doi_or_url"],
                verification=b["verification"],
                trial=b["trial"],
                timepoint=b["timepoint"],
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
    return LiteratureComparison(
        pd.DataFrame(rows, columns=[*LONG_COLUMNS, "practice_measure"]),
        settings={
            "assumed_r": tuple(rs),
            "margin": margin,
            "method": method,
            "ci": ci,
            "confidence": confidence,
        },
    )


#: Columns of the long table (:meth:`LiteratureComparison.to_frame`).
LONG_COLUMNS = [
    "part",
    "condition",
    "construct",
    "role",
    "source",
    "measure",
    "assumed_r",
    "citation",
    "short_citation",
    "doi_or_url",
    "verification",
    "trial",
    "timepoint",
    "n",
    "smc",
    "smc_ci_low",
    "smc_ci_high",
    "pct_change",
    "sd_source",
    "comparable",
    "pooled",
    "k",
    "tau2",
    "i2",
    "i2_q",
    "pi_low",
    "pi_high",
    "share",
    "share_ci_low",
    "share_ci_high",
    "diff_vs_cst",
    "diff_vs_cst_ci_low",
    "diff_vs_cst_ci_high",
    "equivalence_z_low",
    "equivalence_z_high",
    "conclusion",
    "course_sessions",
    "course_weeks",
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
