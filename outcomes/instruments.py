"""Registry of measures: range, direction, MCID, reliability and their sources.

Every score in the canonical table names a measure by its registry key
(``pain_nrs``, ``pelvic_tone``, ``psqi`` ...). The registry knows what a
number on that scale means: its range, which direction is better, the minimal
clinically important difference (MCID) and where it was published, the
test-retest reliability used by the reliable change index, and a clinical
cut-off where one is published.

The built-in table ships as ``outcomes/_data/instruments.csv`` and keeps every
source and verification field of the project's reference table. Users add
their own measures in code (:func:`register_instrument`) or from a TOML or
CSV file (:func:`load_instruments`).
"""

from __future__ import annotations

import csv
import difflib
import io
import math
import re
import tomllib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass, field, fields
from importlib import resources
from pathlib import Path
from typing import Any

from .errors import SchemaError, UnknownInstrumentError

__all__ = [
    "DIRECTIONS",
    "Instrument",
    "InstrumentRegistry",
    "default_registry",
    "get_instrument",
    "load_instruments",
    "normalize_key",
    "register_instrument",
    "registry_for",
]

DIRECTIONS = ("lower", "higher", "toward")
KINDS = ("score", "global_change")
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
        p.append(f"direction must be one of {', '.join(DIRECTIONS)} (got {inst.direction!r})")
    if inst.direction == "toward":
        if inst.target is None:
            p.append("direction 'toward' needs a target value")
        elif not lo <= inst.target <= hi:
            p.append(f"target {inst.target} lies outside {lo}..{hi}")
    elif inst.target is not None:
        p.append("target is only used with direction 'toward'")
    if inst.kind not in KINDS:
        p.append(f"kind must be one of {', '.join(KINDS)} (got {inst.kind!r})")
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
            p.append(f"cutoff_rule must be one of {' '.join(CUTOFF_RULES)} when a clinical_cutoff is given")
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


_FIELD_NAMES = tuple(f.name for f in fields(Instrument))
_FLOAT_FIELDS = ("min", "max", "target", "mcid_points", "mcid_percent", "test_retest", "clinical_cutoff")


def _instrument_from_record(record: Mapping[str, Any], *, default_verification: str) -> Instrument:
    """Build an :class:`Instrument` from a CSV row or TOML table (strings allowed)."""
    unknown = sorted(set(record) - set(_FIELD_NAMES))
    if unknown:
        raise ValueError(f"unknown field(s) {', '.join(unknown)}; known fields are {', '.join(_FIELD_NAMES)}")
    missing = [k for k in ("key", "label", "min", "max", "direction") if _opt_str(record.get(k)) == ""]
    if missing:
        raise ValueError(f"missing required field(s) {', '.join(missing)}")
    kwargs: dict[str, Any] = {}
    for name in _FIELD_NAMES:
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


class InstrumentRegistry(Mapping[str, Instrument]):
    """A set of :class:`Instrument` definitions, looked up by key or alias.

    Behaves as a read-only mapping ``key -> Instrument``; use :meth:`register`
    to add definitions and :meth:`resolve` to turn the name a practice used
    (``"Pain"``, ``"HIT-6"``) into a registry key.
    """

    def __init__(self, instruments: Iterable[Instrument] = ()) -> None:
        self._by_key: dict[str, Instrument] = {}
        self._alias: dict[str, str] = {}
        for inst in instruments:
            self.register(inst)

    # Mapping protocol
    def __getitem__(self, key: str) -> Instrument:
        return self.get_instrument(key)

    def __iter__(self) -> Iterator[str]:
        return iter(self._by_key)

    def __len__(self) -> int:
        return len(self._by_key)

    def __repr__(self) -> str:
        return f"InstrumentRegistry({len(self)} instruments: {', '.join(self._by_key)})"

    def copy(self) -> InstrumentRegistry:
        return InstrumentRegistry(self._by_key.values())

    def register(self, instrument: Instrument, *, overwrite: bool = False) -> Instrument:
        """Add ``instrument``; refuse to replace an existing key or alias unless ``overwrite``."""
        if not isinstance(instrument, Instrument):
            raise TypeError(f"expected an Instrument, got {type(instrument).__name__}")
        names = (instrument.key, *instrument.aliases)
        if not overwrite:
            taken = [n for n in names if n in self._alias and self._alias[n] != instrument.key]
            if instrument.key in self._by_key:
                taken.insert(0, instrument.key)
            if taken:
                raise ValueError(
                    f"instrument name(s) {', '.join(repr(t) for t in taken)} already registered; "
                    "choose another key or pass overwrite=True"
                )
        elif instrument.key in self._by_key:
            old = self._by_key[instrument.key]
            for alias in (old.key, *old.aliases):
                self._alias.pop(alias, None)
        self._by_key[instrument.key] = instrument
        for name in names:
            self._alias[name] = instrument.key
        return instrument

    def unregister(self, key: str) -> None:
        """Remove the instrument ``key`` (or one of its aliases) and its aliases.

        Raises
        ------
        UnknownInstrumentError
            When nothing of that name is registered.
        """
        inst = self.get_instrument(key)
        for alias in (inst.key, *inst.aliases):
            self._alias.pop(alias, None)
        del self._by_key[inst.key]

    def resolve(self, name: object) -> str | None:
        """Return the registry key for a measure name or alias, or ``None``.

        Case, spaces and punctuation are ignored: ``" Pain NRS"`` resolves to
        ``pain_nrs`` and ``"HIT-6"`` to ``hit6``.
        """
        norm = normalize_key(name)
        if norm in self._alias:
            return self._alias[norm]
        squashed = norm.replace("_", "")
        for alias, key in self._alias.items():
            if alias.replace("_", "") == squashed:
                return key
        return None

    def suggest(self, name: object, n: int = 3) -> tuple[str, ...]:
        """Registry keys closest to ``name`` (by spelling), best first."""
        norm = normalize_key(name)
        matches = difflib.get_close_matches(norm, list(self._alias), n=n * 3, cutoff=0.6)
        out: list[str] = []
        for m in matches:
            key = self._alias[m]
            if key not in out:
                out.append(key)
        return tuple(out[:n])

    def get_instrument(self, key: str) -> Instrument:
        """Return the instrument for ``key`` (or one of its aliases).

        Raises
        ------
        UnknownInstrumentError
            With the closest registered keys when nothing matches.
        """
        resolved = self.resolve(key)
        if resolved is not None:
            return self._by_key[resolved]
        close = self.suggest(key)
        hint = f" Did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
        raise UnknownInstrumentError(
            f"Unknown measure {str(key)!r}.{hint} Known measures: {', '.join(self._by_key)}. "
            "Register your own with outcomes.register_instrument() or an instruments TOML/CSV file.",
            key=str(key),
            suggestions=close,
        )

    def to_frame(self) -> Any:
        """The registry as a DataFrame, one row per instrument, every field a column."""
        import pandas as pd

        return pd.DataFrame([inst.to_dict() for inst in self._by_key.values()], columns=list(_FIELD_NAMES))


def _read_csv_records(text: str) -> list[dict[str, str]]:
    return [dict(r) for r in csv.DictReader(io.StringIO(text))]


def _builtin_registry() -> InstrumentRegistry:
    text = resources.files("outcomes").joinpath("_data/instruments.csv").read_text(encoding="utf-8")
    return InstrumentRegistry(
        _instrument_from_record(rec, default_verification="") for rec in _read_csv_records(text)
    )


_DEFAULT: InstrumentRegistry | None = None


def default_registry() -> InstrumentRegistry:
    """The registry used when a function gets no ``instruments=``: built-ins plus
    whatever :func:`register_instrument` added in this Python session."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = _builtin_registry()
    return _DEFAULT


def registry_for(
    data: Any = None, instruments: InstrumentRegistry | str | Path | None = None
) -> InstrumentRegistry:
    """The registry a function uses: ``instruments`` when given, else the data's own, else the default.

    Parameters
    ----------
    data : SessionData, PracticeAnalysis, DataFrame or None
        What the function was given. What :func:`outcomes.read_sessions` returns
        carries the registry it was read with (``data.registry``), so a measure
        registered from a file travels with the data through every later call.
    instruments : InstrumentRegistry, path or None
        A registry, or a TOML/CSV file of the practice's own measures
        (:func:`load_instruments`, added to the built-ins).

    Examples
    --------
    >>> registry_for(None, None) is default_registry()
    True
    """
    if isinstance(instruments, (str, Path)):
        return load_instruments(instruments)
    if instruments is not None:
        if not isinstance(instruments, InstrumentRegistry):
            raise TypeError(
                "instruments must be an InstrumentRegistry or the path of a TOML/CSV file of measures, "
                f"not {type(instruments).__name__}"
            )
        return instruments
    own = getattr(data, "registry", None)
    return own if isinstance(own, InstrumentRegistry) else default_registry()


def get_instrument(key: str) -> Instrument:
    """Look up ``key`` (or an alias) in the default registry.

    >>> get_instrument("pain").key
    'pain_nrs'
    >>> get_instrument("psqi").clinical_cutoff
    5.0
    """
    return default_registry().get_instrument(key)


def register_instrument(
    instrument: Instrument | None = None, /, *, overwrite: bool = False, **definition: Any
) -> Instrument:
    """Add a measure to the default registry.

    Pass an :class:`Instrument`, or its fields as keywords.

    It is there for every later call in this Python session. To keep a
    practice's own measures with its data instead, read them from a file
    (``read_sessions(..., instruments="measures.toml")``, command line
    ``--instruments measures.toml``) or pass ``instruments=`` a registry of your
    own (:func:`load_instruments`, :meth:`InstrumentRegistry.register`).

    >>> register_instrument(key="urgency_nrs", label="Bladder urgency NRS 0-10",
    ...                     min=0, max=10, direction="lower", construct="bladder")
    Instrument(key='urgency_nrs', ...)
    >>> default_registry().unregister("urgency_nrs")  # and gone again
    """
    if instrument is None:
        instrument = _instrument_from_record(definition, default_verification="user")
    elif definition:
        raise TypeError("pass either an Instrument or keyword fields, not both")
    return default_registry().register(instrument, overwrite=overwrite)


def load_instruments(source: str | Path, *, base: InstrumentRegistry | None = None) -> InstrumentRegistry:
    """Read user-defined measures from a TOML or CSV file.

    Returns a new registry: ``base`` (the default registry when ``None``) plus
    the definitions in ``source``. A definition with a key that already exists
    replaces it (the file states the practice's own facts).

    TOML form, one table per measure::

        [instruments.urgency_nrs]
        label = "Bladder urgency NRS 0-10"
        min = 0
        max = 10
        direction = "lower"
        construct = "bladder"

    CSV form: a header with the field names of :class:`Instrument`
    (``key,label,min,max,direction,...``), one row per measure.

    Raises
    ------
    SchemaError
        Listing every invalid definition at once, with its row (CSV) or table
        name (TOML) and what to fix.
    """
    path = Path(source)
    if not path.is_file():
        from .errors import ReadError

        raise ReadError(f"Instrument file {path.name!r} not found at {path}.")
    records: list[tuple[str, dict[str, Any]]]
    if path.suffix.lower() == ".toml":
        try:
            doc = tomllib.loads(path.read_text(encoding="utf-8-sig"))
        except tomllib.TOMLDecodeError as exc:
            raise SchemaError(f"{path.name} is not valid TOML: {exc}.") from None
        tables = doc.get("instruments")
        if not isinstance(tables, dict) or not tables:
            raise SchemaError(
                f"{path.name} defines no instruments: expected tables like [instruments.my_measure] "
                "with label, min, max and direction."
            )
        records = []
        for key, table in tables.items():
            if not isinstance(table, dict):
                raise SchemaError(f"{path.name}: [instruments.{key}] must be a table of fields.")
            records.append((f"[instruments.{key}]", {"key": key, **table}))
    elif path.suffix.lower() == ".csv":
        rows = _read_csv_records(path.read_text(encoding="utf-8-sig"))
        records = [(f"row {i + 2}", r) for i, r in enumerate(rows)]
        if not records:
            raise SchemaError(f"{path.name} has a header but no instrument rows.")
    else:
        raise SchemaError(f"{path.name}: instrument definitions must be a .toml or .csv file.")

    registry = (base if base is not None else default_registry()).copy()
    problems: list[tuple[str, str, str]] = []
    built: list[Instrument] = []
    for where, record in records:
        try:
            built.append(_instrument_from_record(record, default_verification="user"))
        except SchemaError as exc:
            fc = exc.failure_cases
            msgs = list(fc["message"]) if fc is not None else [str(exc)]
            problems.extend((where, str(record.get("key", "")), m) for m in msgs)
        except ValueError as exc:
            problems.append((where, str(record.get("key", "")), str(exc)))
    if problems:
        import pandas as pd

        fc = pd.DataFrame(
            {
                "file": path.name,
                "row": [w for w, _, _ in problems],
                "column": "instrument",
                "value": [k for _, k, _ in problems],
                "check": "instrument_definition",
                "message": [m for _, _, m in problems],
            }
        )
        listing = "\n".join(f"  {w} ({k or 'no key'}): {m}" for w, k, m in problems)
        raise SchemaError(
            f"{len(problems)} problem(s) in the instrument definitions of {path.name}:\n{listing}\n"
            "Fix these fields and read the file again.",
            failure_cases=fc,
        )
    for inst in built:
        registry.register(inst, overwrite=True)
    return registry
