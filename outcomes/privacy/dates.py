"""Reading the dates and ages of a raw export (formats detected, ambiguous day/month refused) for the
anonymizer.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .._words import rows_text
from ..errors import SchemaError

_DATE_FORMATS = (
    "ISO8601",
    "%m/%d/%Y",
    "%d/%m/%Y",
    "%m/%d/%y",
    "%d/%m/%y",
    "%d.%m.%Y",
    "%d.%m.%y",
    "%m-%d-%Y",
    "%d-%m-%Y",
    "%Y/%m/%d",
    "%Y.%m.%d",
    "%Y%m%d",
    "%B %d, %Y",
    "%b %d, %Y",
    "%B %d %Y",
    "%b %d %Y",
    "%d %B %Y",
    "%d %b %Y",
    "%d-%b-%Y",
    "%d-%b-%y",
)


# month-first and day-first formats that can read the same text two ways
_AMBIGUOUS = {"%m/%d/%Y": "%d/%m/%Y", "%m/%d/%y": "%d/%m/%y", "%m-%d-%Y": "%d-%m-%Y"}


def parse_dates(s: pd.Series, label: str, date_format: str | None) -> pd.Series:
    """Dates as datetime64 (day precision); SchemaError naming the rows that cannot be read."""
    if pd.api.types.is_datetime64_any_dtype(s):
        out = pd.Series(s)
        if getattr(out.dt, "tz", None) is not None:
            out = out.dt.tz_localize(None)
        return out.dt.normalize()
    text = pd.Series(
        [
            ""
            if v is None or (isinstance(v, float) and np.isnan(v)) or v is pd.NA or v is pd.NaT
            else str(v).strip()
            for v in s.astype(object)
        ],
        index=s.index,
        dtype=object,
    )
    present = text != ""
    uniques = pd.unique(text[present])
    parsed: pd.Series | None = None
    if len(uniques) == 0:
        return pd.Series(pd.NaT, index=s.index, dtype="datetime64[ns]")
    formats = (date_format,) if date_format else _DATE_FORMATS
    best: tuple[int, str, pd.Series] | None = None
    fits: dict[str, pd.Series] = {}
    for fmt in formats:
        try:
            p = pd.to_datetime(
                pd.Series(uniques, dtype=object), format=fmt, errors="coerce", utc=fmt == "ISO8601"
            )
        except (ValueError, TypeError):
            continue
        if fmt == "ISO8601":
            p = p.dt.tz_localize(None)
        n_ok = int(p.notna().sum())
        if n_ok == len(uniques):
            fits[fmt] = p
        if best is None or n_ok > best[0]:
            best = (n_ok, fmt, p)
    if fits:
        fmt = next(iter(fits))
        other = _AMBIGUOUS.get(fmt)
        if other in fits and not fits[fmt].equals(fits[other]):
            raise SchemaError(
                f"The dates in column {label!r} can be read month-first or day-first "
                f"({fmt} or {other}). Say which with date_format= (command line: --date-format "
                f"'{fmt}' or '{other}')."
            )
        parsed = fits[fmt]
    else:
        if best is None:
            raise ValueError(f"date_format {date_format!r} is not a format pandas can read dates with")
        n_ok, fmt, parsed = best
        bad_text = set(pd.Series(uniques, dtype=object)[parsed.isna().to_numpy()])
        bad_rows = [r for r, v in zip(s.index, text, strict=True) if v in bad_text]
        raise SchemaError(
            f"{len(bad_rows)} date{'s' if len(bad_rows) != 1 else ''} in column {label!r} could not be read "
            f"({rows_text(bad_rows)}"
            + (
                f"; the closest format, {fmt}, reads the others). Correct them, or give"
                if n_ok
                else "). Give"
            )
            + " their format with date_format= (command line: --date-format, e.g. '%d/%m/%Y')."
        )
    lookup = dict(zip(uniques, parsed.dt.normalize(), strict=True))
    return pd.Series([lookup.get(v, pd.NaT) for v in text], index=s.index, dtype="datetime64[ns]")


def parse_ages(s: pd.Series, label: str) -> pd.Series:
    text = s.astype(object).where(s.notna(), None)
    cleaned = pd.Series(
        [None if v is None else str(v).strip().replace(",", ".") for v in text], index=s.index, dtype=object
    )
    present = cleaned.notna() & (cleaned != "")
    ages = pd.to_numeric(cleaned.where(present), errors="coerce").astype("float64")
    bad = present & (ages.isna() | (ages < 0) | (ages > 130))
    if bad.any():
        rows = list(s.index[bad.to_numpy()])
        raise SchemaError(
            f"{len(rows)} value{'s' if len(rows) != 1 else ''} in age column {label!r} "
            f"{'are' if len(rows) != 1 else 'is'} not an age in years ({rows_text(rows)}). "
            "Correct them, or leave the cells empty."
        )
    return ages
