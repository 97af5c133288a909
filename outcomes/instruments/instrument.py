"""One measure: :class:`Instrument`, its fields and their checks, and how a record (a row of a CSV
file, a TOML table, keyword arguments) becomes one."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field, fields
from typing import Any

from .._checks import one_of
from ..errors import SchemaError

DIRECTIONS = ("lower", "higher", "toward")


KINDS = ("score", "global_change", "safety_item")


CUTOFF_RULES = (">", ">=", "<", "<=")


_KEY_RE = re.compile(r"^[a-z][a-z0-9_]*$")


def normalize_key(name: object) -> str:
    """Return ``name`` as a registry-style key: lower case, words joined by ``_``.

    >>> normalize_key("  Pain NRS ")
    'pain_nrs'
    >>> normalize_key("HIT-6")
    'hit_6'
    """
    text = str(name).strip().lower()
    return re.sub(r"[^0-9a-z]+", "_", text).strip("_")


def _opt_float(value: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = value.strip()
        if value == "":
            return None
    out = float(value)
    return None if math.isnan(out) else out


def _opt_str(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and math.isnan(value):
        return ""
    return str(value).strip()


@dataclass(frozen=True, repr=False)
class Instrument:
    """One measure: what a score on its scale means.

    Parameters
    ----------
    key : str
        Registry key, snake_case (``pain_nrs``).
    label : str
        Human label with the scale (``Pain NRS 0-10``), used on axes and in reports.
    min, max : float
        The possible range of a score. Scores outside it are data errors.
    direction : {'lower', 'higher', 'toward'}
        Which way is better: a lower score, a higher score, or a score closer to
        ``target`` (bidirectional tone scales where 0 is normal).
    target : float or None
        The normal value for ``direction='toward'``; ``None`` otherwise.
    unit : str
        Unit of the score (``points``, ``mm``, ``grade``).
    construct : str
        What is measured (``pain``, ``sleep``, ``tone`` ...); used to pair with
        published effects.
    mcid_points, mcid_percent : float or None
        Minimal clinically important improvement in scale points and/or as a
        percentage of the baseline score; ``None`` when nothing is published.
    mcid_source : str
        Citation of the MCID.
    test_retest : float or None
        Test-retest reliability (ICC or r) used by the reliable change index.
    test_retest_source : str
        Citation of the reliability.
    clinical_cutoff : float or None
        Published cut-off between the clinical and the non-clinical range.
    cutoff_rule : {'>', '>=', '<', '<='} or ''
        For ``kind='score'``: a score ``<rule> clinical_cutoff`` is in the clinical
        range (PSQI: ``'>'``, a global score above 5 marks a poor sleeper). For
        ``kind='global_change'``: a rating ``<rule> clinical_cutoff`` counts as
        a responder (PGIC: ``'<='`` 2, much or very much improved).
    cutoff_source : str
        Citation of the cut-off.
    verification : str
        How the facts were checked (``verified``, ``partial``, ``practice-defined``,
        ``user``).
    note : str
        Free-text caveats.
    kind : {'score', 'global_change'}
        ``score`` for a state measured before and after; ``global_change`` for a
        rating of change asked after treatment only (PGIC), which is summarised
        as a distribution, never as a pre/post change.
    aliases : tuple of str
        Other names a practice export may use for this measure (``pain``).
    """

    key: str
    label: str
    min: float
    max: float
    direction: str
    target: float | None = None
    unit: str = "points"
    construct: str = ""
    mcid_points: float | None = None
    mcid_percent: float | None = None
    mcid_source: str = ""
    test_retest: float | None = None
    test_retest_source: str = ""
    clinical_cutoff: float | None = None
    cutoff_rule: str = ""
    cutoff_source: str = ""
    verification: str = "user"
    note: str = ""
    kind: str = "score"
    aliases: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        problems = _definition_problems(self)
        if problems:
            raise SchemaError(
                f"Instrument {self.key!r} is not a valid definition: " + "; ".join(problems) + ".",
                failure_cases=_problems_frame([(self.key, p) for p in problems]),
            )

    def __repr__(self) -> str:
        return (
            f"Instrument(key={self.key!r}, label={self.label!r}, range={self.min:g}..{self.max:g}, "
            f"direction={self.direction!r}, ...)"
        )

    # -- what a score means -------------------------------------------------------------
    @property
    def analysis_direction(self) -> str:
        """Direction on the scale the statistics use (``toward`` becomes ``lower``
        because a ``toward`` measure is analysed as the distance to its target)."""
        return "lower" if self.direction == "toward" else self.direction

    @property
    def analysis_scale(self) -> str:
        """``'score'``, or ``'distance_to_target'`` for a ``toward`` measure."""
        return "distance_to_target" if self.direction == "toward" else "score"

    @property
    def analysis_range(self) -> tuple[float, float]:
        """Range of the values the statistics work on (see :meth:`to_analysis_scale`)."""
        if self.direction == "toward" and self.target is not None:
            return 0.0, max(self.target - self.min, self.max - self.target)
        return self.min, self.max

    def to_analysis_scale(self, scores: Any) -> Any:
        """Map scores onto the scale the statistics use.

        For ``lower``/``higher`` measures this is the score itself. For a
        ``toward`` measure it is the distance to the target, ``|score - target|``,
        so that a change from -2 to +2 on a tone scale is no improvement at all.
        Works on floats, NumPy arrays and pandas Series.
        """
        if self.direction == "toward":
            return abs(scores - self.target)
        return scores

    def improvement_sign(self) -> int:
        """``+1`` if a positive change on the analysis scale is an improvement, else ``-1``."""
        return 1 if self.analysis_direction == "higher" else -1

    @property
    def has_mcid(self) -> bool:
        return self.mcid_points is not None or self.mcid_percent is not None

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["aliases"] = "|".join(self.aliases)
        return out


def _definition_problems(inst: Instrument) -> list[str]:
    p: list[str] = []
    if not isinstance(inst.key, str) or not _KEY_RE.match(inst.key):
        p.append("key must be snake_case letters, digits and '_' starting with a letter")
    if not str(inst.label).strip():
        p.append("label is empty")
    lo, hi = inst.min, inst.max
    if not (math.isfinite(lo) and math.isfinite(hi)) or lo >= hi:
        p.append(f"min ({lo}) must be below max ({hi})")
    if inst.direction not in DIRECTIONS:
        p.append(f"{one_of('direction', DIRECTIONS)} (got {inst.direction!r})")
    if inst.direction == "toward":
        if inst.target is None:
            p.append("direction 'toward' needs a target value")
        elif not lo <= inst.target <= hi:
            p.append(f"target {inst.target} lies outside {lo}..{hi}")
    elif inst.target is not None:
        p.append("target is only used with direction 'toward'")
    if inst.kind not in KINDS:
        p.append(f"{one_of('kind', KINDS)} (got {inst.kind!r})")
    if inst.mcid_points is not None and not 0 < inst.mcid_points <= hi - lo:
        p.append(f"mcid_points {inst.mcid_points} must be positive and at most the range {hi - lo}")
    if inst.mcid_percent is not None and not 0 < inst.mcid_percent <= 100:
        p.append(f"mcid_percent {inst.mcid_percent} must be in (0, 100]")
    if inst.test_retest is not None and not 0 < inst.test_retest < 1:
        p.append(f"test_retest {inst.test_retest} must lie strictly between 0 and 1")
    if inst.clinical_cutoff is not None:
        if not lo <= inst.clinical_cutoff <= hi:
            p.append(f"clinical_cutoff {inst.clinical_cutoff} lies outside {lo}..{hi}")
        if inst.cutoff_rule not in CUTOFF_RULES:
            p.append(f"{one_of('cutoff_rule', CUTOFF_RULES)} when a clinical_cutoff is given")
    elif inst.cutoff_rule:
        p.append("cutoff_rule given without a clinical_cutoff")
    for alias in inst.aliases:
        if normalize_key(alias) != alias or not alias:
            p.append(f"alias {alias!r} must be snake_case")
    return p


def _problems_frame(rows: list[tuple[str, str]], file: str | None = None) -> Any:
    import pandas as pd

    return pd.DataFrame(
        {
            "file": [file] * len(rows),
            "row": [None] * len(rows),
            "column": ["instrument"] * len(rows),
            "value": [k for k, _ in rows],
            "check": ["instrument_definition"] * len(rows),
            "message": [m for _, m in rows],
        }
    )


FIELD_NAMES = tuple(f.name for f in fields(Instrument))


_FLOAT_FIELDS = ("min", "max", "target", "mcid_points", "mcid_percent", "test_retest", "clinical_cutoff")


def instrument_from_record(record: Mapping[str, Any], *, default_verification: str) -> Instrument:
    """Build an :class:`Instrument` from a CSV row or TOML table (strings allowed)."""
    unknown = sorted(set(record) - set(FIELD_NAMES))
    if unknown:
        raise ValueError(f"unknown field(s) {', '.join(unknown)}; known fields are {', '.join(FIELD_NAMES)}")
    missing = [k for k in ("key", "label", "min", "max", "direction") if _opt_str(record.get(k)) == ""]
    if missing:
        raise ValueError(f"missing required field(s) {', '.join(missing)}")
    kwargs: dict[str, Any] = {}
    for name in FIELD_NAMES:
        if name not in record:
            continue
        value = record[name]
        if name in _FLOAT_FIELDS:
            try:
                kwargs[name] = _opt_float(value)
            except (TypeError, ValueError):
                raise ValueError(f"{name} must be a number (got {value!r})") from None
        elif name == "aliases":
            if isinstance(value, str):
                parts: Iterable[Any] = value.split("|")
            else:
                parts = value or ()
            kwargs[name] = tuple(str(a).strip() for a in parts if str(a).strip())
        else:
            kwargs[name] = _opt_str(value)
    kwargs["key"] = kwargs["key"].strip()
    kwargs["direction"] = kwargs["direction"].lower()
    kwargs["kind"] = kwargs.get("kind") or "score"
    kwargs["unit"] = kwargs.get("unit") or "points"
    kwargs["verification"] = kwargs.get("verification") or default_verification
    return Instrument(**kwargs)
