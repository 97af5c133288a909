"""The table of published effects shipped with the package, the user's own rows added to it, and the
checks of both.
"""

from __future__ import annotations

import io
import re
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .._checks import one_of
from ..errors import ReadError, SchemaError
from ..instruments import InstrumentRegistry, default_registry, normalize_key

EFFECT_KINDS = ("within_arm", "between_groups")


ESTIMATE_TYPES = ("means", "mean_change", "mean_difference", "smd", "median_difference")


#: Roles of a published row: CST arm, control arms, another active treatment, or a contrast.
ARM_ROLES = ("cst", "sham", "natural_history", "other_active", "between_groups")


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
    "weeks",
    "sessions",
)


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
                one_of("effect_kind", EFFECT_KINDS),
            )
        )
    for i in table.index[~table["estimate_type"].isin(ESTIMATE_TYPES) & table["estimate_type"].notna()]:
        problems.append(
            (
                rows[i],
                "estimate_type",
                table.at[i, "estimate_type"],
                "unknown_estimate_type",
                one_of("estimate_type", ESTIMATE_TYPES),
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
                    one_of("arm_role", ARM_ROLES),
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


#: An author as citations here begin: a surname (hyphens and particles allowed) and initials.
_AUTHOR = re.compile(r"\s*((?:[A-Z][\w'’-]*\s)?[A-Z][\w'’-]+)\s+[A-Z]{1,3}(?=[,.]|\s+et al)")


def short_citation(citation: Any, year: Any = None) -> str:
    """A citation as the text of a page cites it: ``Haller 2016``, ``Domaranczyk & Truszczynska-Baszak 2020``.

    One author gives the surname, two give both joined by ``&``, three or more the
    first with ``et al.``; a citation that does not start with authors (``Osteopathic
    treatment in primary dysmenorrhoea: RCT. ...``) gives its title up to the first
    colon or full stop. The year follows when known.

    >>> short_citation("Haller H, Lauche R, Cramer H, et al. Clin J Pain 2016;32(5):441-449", 2016)
    'Haller et al. 2016'
    >>> short_citation("Domaranczyk K, Truszczynska-Baszak A. Advances in Rehabilitation 2020", 2020)
    'Domaranczyk & Truszczynska-Baszak 2020'
    >>> short_citation("Osteopathic treatment in primary dysmenorrhoea: RCT. Int J Osteopath Med", "2014")
    'Osteopathic treatment in primary dysmenorrhoea 2014'
    """
    text = "" if citation is None or (isinstance(citation, float) and np.isnan(citation)) else str(citation)
    authors_part = text.split(". ", 1)[0] if ". " in text else text
    names = []
    for piece in authors_part.split(","):
        m = _AUTHOR.match(piece + ",")
        if not m:
            break
        names.append(m.group(1))
    et_al = "et al" in authors_part
    if not names:
        who = re.split(r"[:.]", text, maxsplit=1)[0].strip() or "unnamed source"
    elif len(names) >= 3 or et_al:
        who = f"{names[0]} et al."
    elif len(names) == 2:
        who = f"{names[0]} & {names[1]}"
    else:
        who = names[0]
    try:
        yr = str(int(float(year))) if year is not None and str(year).strip() not in ("", "nan") else ""
    except ValueError:
        yr = str(year).strip()
    return f"{who} {yr}".strip()


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
    # arms of one trial share its id; a row without one is a trial of its own
    trial = (
        table["trial"].astype(object) if "trial" in table.columns else pd.Series(np.nan, index=table.index)
    )
    table["trial"] = trial.where(trial.notna() & (trial.astype(str).str.strip() != ""), table["id"])
    for col in ("weeks", "sessions"):
        if col not in table.columns:
            table[col] = np.nan
    given = (
        table["short_citation"].astype(object)
        if "short_citation" in table.columns
        else pd.Series(np.nan, index=table.index, dtype=object)
    )
    years = table["year"] if "year" in table.columns else pd.Series(None, index=table.index, dtype=object)
    derived_short = pd.Series(
        [short_citation(c, y) for c, y in zip(table["citation"], years, strict=True)],
        index=table.index,
        dtype=object,
    )
    table["short_citation"] = given.where(
        given.notna() & (given.astype(str).str.strip() != ""), derived_short
    )
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
        (registry key where the instrument is in the registry), ``trial`` (arms
        of one trial share it; a row's own ``id`` when not given), ``weeks`` and
        ``sessions``, ``short_citation`` (as a page cites it, "Haller et al. 2016";
        derived from ``citation`` and ``year`` unless given, see
        :func:`short_citation`) and ``source`` (``packaged`` or the user's file name).

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
