"""The registry: instruments looked up by key or alias, the built-in table, and the practice's own
measures read from a TOML or CSV file."""

from __future__ import annotations

import csv
import difflib
import io
import tomllib
from collections.abc import Iterable, Iterator, Mapping
from importlib import resources
from pathlib import Path
from typing import Any

from ..errors import SchemaError, UnknownInstrumentError
from .instrument import FIELD_NAMES, Instrument, instrument_from_record, normalize_key


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

    def __contains__(self, key: object) -> bool:
        """``"psqi" in registry`` (a key or an alias); False for an unknown one, not an error."""
        return isinstance(key, str) and self.resolve(key) is not None

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

        return pd.DataFrame([inst.to_dict() for inst in self._by_key.values()], columns=list(FIELD_NAMES))


def _read_csv_records(text: str) -> list[dict[str, str]]:
    return [dict(r) for r in csv.DictReader(io.StringIO(text))]


def _builtin_registry() -> InstrumentRegistry:
    text = resources.files("outcomes").joinpath("_data/instruments.csv").read_text(encoding="utf-8")
    return InstrumentRegistry(
        instrument_from_record(rec, default_verification="") for rec in _read_csv_records(text)
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
        instrument = instrument_from_record(definition, default_verification="user")
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
        from ..errors import ReadError

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
            built.append(instrument_from_record(record, default_verification="user"))
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
