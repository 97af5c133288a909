""":class:`LiteratureComparison`: what :func:`compare_literature` returns, one documented table per part."""

from __future__ import annotations

import html
import warnings
from collections.abc import Iterator
from typing import Any

import pandas as pd

__all__ = ["LiteratureComparison"]

_PRACTICE = ("practice_course", "practice_session")
_ARMS = ("cst", "sham", "natural_history", "other_active")
_POOLED = ("pooled_cst", "pooled_sham", "pooled_natural_history")

_COLUMNS = {
    "practice": [
        "condition",
        "construct",
        "measure",
        "level",
        "n",
        "smc",
        "smc_ci_low",
        "smc_ci_high",
        "pct_change",
        "comparable",
        "has_comparator",
        "note",
    ],
    "arms": [
        "condition",
        "construct",
        "measure",
        "role",
        "source",
        "trial",
        "instrument",
        "timepoint",
        "assumed_r",
        "citation",
        "short_citation",
        "doi_or_url",
        "verification",
        "n",
        "smc",
        "smc_ci_low",
        "smc_ci_high",
        "pct_change",
        "sd_source",
        "comparable",
        "pooled",
        "note",
    ],
    "pooled": [
        "condition",
        "construct",
        "measure",
        "role",
        "assumed_r",
        "k",
        "n",
        "smc",
        "smc_ci_low",
        "smc_ci_high",
        "tau2",
        "i2",
        "i2_q",
        "pi_low",
        "pi_high",
        "note",
    ],
    "verdicts": [
        "condition",
        "construct",
        "measure",
        "assumed_r",
        "n",
        "share",
        "share_ci_low",
        "share_ci_high",
        "conclusion",
        "diff_vs_cst",
        "diff_vs_cst_ci_low",
        "diff_vs_cst_ci_high",
        "equivalence_z_low",
        "equivalence_z_high",
        "course_sessions",
        "course_weeks",
        "diff_vs_sham",
        "diff_vs_sham_ci_low",
        "diff_vs_sham_ci_high",
        "diff_vs_natural_history",
        "diff_vs_natural_history_ci_low",
        "diff_vs_natural_history_ci_high",
        "verdict",
    ],
    "between_groups": [
        "condition",
        "construct",
        "source",
        "trial",
        "instrument",
        "timepoint",
        "citation",
        "short_citation",
        "doi_or_url",
        "verification",
        "n",
        "estimate_type",
        "estimate",
        "ci_low",
        "ci_high",
        "comparator",
        "higher_is_better",
        "note",
    ],
    "no_comparator": ["condition", "construct", "measure", "n", "message"],
}


class LiteratureComparison:
    """The practice beside published effects: one table per kind of row.

    Every table has a ``RangeIndex`` and unrounded numbers. Standardized mean
    changes (``smc``) are signed so that positive means improvement, everywhere.

    Attributes
    ----------
    practice : DataFrame
        The practice's own rows: ``condition``, ``construct``, ``measure``,
        ``level`` (``course``, compared with published arms; ``session``, shown
        for context only), ``n`` (clients), ``smc`` with ``smc_ci_low`` and
        ``smc_ci_high`` (observed pre–post r), ``pct_change`` (mean improvement
        as percent of the mean baseline), ``comparable`` (True for a course row
        with a finite smc), ``has_comparator`` (published arms of the same
        condition and construct exist) and ``note``.
    arms : DataFrame
        Published within-arm changes beside a practice course row, one per arm
        and assumed r: ``condition``, ``construct``, ``measure`` (the practice's
        measure they are compared with), ``role`` (``cst``, ``sham``,
        ``natural_history``, ``other_active``), ``source`` (study id), ``trial``
        (arms of one trial share it), ``instrument`` (as published),
        ``timepoint``, ``assumed_r``, ``citation``, ``doi_or_url``,
        ``verification``, ``n``, ``smc``, ``smc_ci_low``, ``smc_ci_high``,
        ``pct_change``, ``sd_source`` (how the baseline SD was obtained, and which
        variance), ``comparable`` (False when the arm cannot be standardized),
        ``pooled`` (True for the arm of its trial that enters the pool: one
        timepoint per trial, the one closest to the practice's median course) and
        ``note``.
    pooled : DataFrame
        Random-effects pools of the comparable arms of one role:
        ``condition``, ``construct``, ``measure``, ``role`` (``pooled_cst``,
        ``pooled_sham``, ``pooled_natural_history``), ``assumed_r``, ``k``
        (arms), ``n`` (their participants), ``smc`` with its interval, ``tau2``,
        ``i2`` (from the τ² in use) and ``i2_q`` (from Cochran's Q),
        ``pi_low``/``pi_high`` (prediction interval) and ``note`` (the τ²
        estimator and interval, and whether the pool rests on one arm).
    verdicts : DataFrame
        One per practice course row with arms beside it and assumed r:
        ``condition``, ``construct``, ``measure``, ``assumed_r``, ``n``,
        ``share`` (practice / CST benchmark) with ``share_ci_low`` and
        ``share_ci_high`` (Fieller), ``conclusion`` (``comparable``: shown to lie
        within the margin by two one-sided tests; ``larger`` or ``smaller``: the
        interval of the difference excludes 0; ``inconclusive``; ``no
        benchmark``), ``diff_vs_cst`` with its interval, ``equivalence_z_low`` and
        ``equivalence_z_high`` (the two one-sided statistics), ``course_sessions``
        and ``course_weeks`` (the practice's median course), ``diff_vs_sham`` and
        ``diff_vs_natural_history`` with their intervals, and ``verdict`` (the
        comparison in words).
    between_groups : DataFrame
        Published CST-versus-control contrasts for the practice's conditions
        (``condition`` lists them, ``;``-joined): ``construct``, ``source``,
        ``trial``, ``instrument``, ``timepoint``, ``citation``, ``doi_or_url``, ``verification``, ``n``,
        ``estimate_type``, ``estimate``, ``ci_low``, ``ci_high``,
        ``comparator``, ``higher_is_better`` (the published sign: a negative
        difference favours CST when it is False) and ``note``. A different
        question from a pre/post change; never compared with one.
    no_comparator : DataFrame
        Practice course rows with nothing comparable published: ``condition``,
        ``construct``, ``measure``, ``n``, ``message``.
    settings : dict
        ``assumed_r``, ``margin``, ``method``, ``ci`` and ``confidence`` of the comparison.

    Notes
    -----
    Earlier versions returned one long table; :meth:`to_frame` gives it. Using the
    object itself as that table (``comparison["part"]``, ``len(comparison)``)
    still works and warns ``DeprecationWarning``.
    """

    def __init__(self, long: pd.DataFrame, *, settings: dict[str, Any]) -> None:
        self._long = long.reset_index(drop=True)
        self.settings = dict(settings)
        self.practice = self._practice()
        self.arms = self._part(
            (self._long["part"] == "benchmark") & self._long["role"].isin(_ARMS), "arms", instrument="measure"
        )
        self.pooled = self._part(self._long["role"].isin(_POOLED), "pooled")
        self.verdicts = self._part(self._long["role"] == "verdict", "verdicts")
        self.between_groups = self._part(
            self._long["part"] == "between_groups", "between_groups", instrument="measure"
        )
        self.no_comparator = self._part(
            self._long["part"] == "no_comparator", "no_comparator", message="verdict"
        )

    def _part(self, mask: pd.Series, name: str, **renamed: str) -> pd.DataFrame:
        rows = self._long.loc[mask.to_numpy(dtype=bool)]
        out = pd.DataFrame(index=range(len(rows)))
        for col in _COLUMNS[name]:
            source = renamed.get(col, "practice_measure" if col == "measure" else col)
            out[col] = rows[source].to_numpy() if source in rows else pd.NA
        return out

    def _practice(self) -> pd.DataFrame:
        rows = self._long[self._long["role"].isin(_PRACTICE)]
        out = pd.DataFrame(
            {
                "condition": rows["condition"].to_numpy(),
                "construct": rows["construct"].to_numpy(),
                "measure": rows["measure"].to_numpy(),
                "level": ["course" if r == "practice_course" else "session" for r in rows["role"]],
                "n": rows["n"].to_numpy(),
                "smc": rows["smc"].to_numpy(dtype=float),
                "smc_ci_low": rows["smc_ci_low"].to_numpy(dtype=float),
                "smc_ci_high": rows["smc_ci_high"].to_numpy(dtype=float),
                "pct_change": rows["pct_change"].to_numpy(dtype=float),
                "comparable": rows["comparable"].astype(object).eq(True).to_numpy(dtype=bool),
                "has_comparator": (rows["part"] == "benchmark").to_numpy(),
                "note": rows["note"].to_numpy(),
            }
        )
        return out[_COLUMNS["practice"]]

    # -- the long table of earlier versions ---------------------------------------------
    def to_frame(self) -> pd.DataFrame:
        """Every part in one long table (columns ``part``, ``role``, ... as documented before 0.2)."""
        return self._long.drop(columns="practice_measure").copy()

    def _deprecated(self) -> pd.DataFrame:
        warnings.warn(
            "compare_literature() now returns a LiteratureComparison with separate tables (.practice, "
            ".arms, .pooled, .verdicts, .between_groups, .no_comparator); use .to_frame() for the long "
            "table",
            DeprecationWarning,
            stacklevel=3,
        )
        return self.to_frame()

    def __getitem__(self, key: Any) -> Any:
        return self._deprecated()[key]

    def __len__(self) -> int:
        return len(self._deprecated())

    def __bool__(self) -> bool:
        return True

    def __iter__(self) -> Iterator[Any]:
        return iter(self._deprecated())

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_") or name in _COLUMNS:
            raise AttributeError(name)
        return getattr(self._deprecated(), name)

    # -- display ------------------------------------------------------------------------
    def __repr__(self) -> str:
        parts = ", ".join(f"{name} ({len(getattr(self, name))} rows)" for name in _COLUMNS)
        return f"LiteratureComparison({parts})"

    def _repr_html_(self) -> str:
        verdicts = self.verdicts
        r = (
            0.5
            if 0.5 in set(verdicts["assumed_r"])
            else (verdicts["assumed_r"].iloc[0] if len(verdicts) else None)
        )
        shown = verdicts[verdicts["assumed_r"] == r] if r is not None else verdicts
        items = "".join(f"<li>{html.escape(str(v))}</li>" for v in shown["verdict"])
        counts = ", ".join(f"{name}: {len(getattr(self, name))}" for name in _COLUMNS)
        return (
            f"<div><strong>outcomes.LiteratureComparison</strong> ({html.escape(counts)} rows)"
            + (f"<p>Verdicts at assumed r = {r:g}:</p><ul>{items}</ul>" if r is not None else "")
            + "</div>"
        )
