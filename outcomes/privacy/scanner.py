"""The identifier scan run on every read: :func:`scan`, :func:`check_anonymized`, :func:`screen`.

Columns whose name or content looks like a direct identifier (HIPAA Safe
Harbor) stop the read with a :class:`~outcomes.errors.PrivacyError` that names
each column and why, never a value."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import NamedTuple

import numpy as np
import pandas as pd

from ..errors import PrivacyError
from ..instruments import normalize_key
from ..schema.contract import CONDITION_SPLIT
from .names import full_names, initial_and_surname, names_in_text
from .rules import (
    ADDRESS,
    ADDRESS_ANY_CASE,
    AGE_NAME,
    AGE_NOT,
    AGE_TEXT,
    AGE_WORDS,
    CARD,
    CJK_DATE,
    CODE_COLUMN,
    COMPACT_DATE,
    DASHES,
    DATE,
    DIGITS9,
    DIGITS10,
    EMAIL,
    EMAIL_KNOWN_DOMAIN,
    EMAIL_SPELLED,
    FIX_HINT,
    GIVEN_NAMES,
    ID_COLUMNS,
    IP,
    KNOWN_COLUMNS,
    LABEL_COLUMNS,
    LABELLED_NUMBER,
    LONG_CELL,
    LONG_DIGITS,
    MBI,
    MONTH_YEAR,
    MRN,
    NAME_RULES,
    NAME_SHAPE,
    NOT_NAME_WORDS,
    NOUNS,
    NUMBER,
    NUMERIC_COLUMNS,
    OLD_BAND,
    PHONE_INTL,
    PHONE_SLASH,
    PHONE_US,
    SAMPLE_DISTINCT,
    SAMPLE_ROWS,
    SINGLE_NAME,
    SPACED_EMAIL,
    SSN,
    STATE_ZIP,
    UPPER_NAME,
    URL,
    VIN,
    WIDE_VALUE,
    WORDS,
    ZIP4,
    ZIP5,
    card_number,
    checked,
    digit_count,
    matches,
    valid_ssn,
    valid_vin,
)
from .suspicious import suspicious_values


class _Column(NamedTuple):
    values: list[str]  # distinct non-blank texts, most frequent first
    counts: np.ndarray  # rows holding each value
    examined: int  # non-blank rows looked at
    sampled: bool


def _column_sample(s: pd.Series) -> _Column:
    """Distinct non-blank values of a column as text, from an evenly spaced sample of its rows."""
    n = len(s)
    sampled = n > SAMPLE_ROWS
    if sampled:
        s = s.iloc[np.linspace(0, n - 1, SAMPLE_ROWS).astype("int64")]
    if isinstance(s.dtype, pd.CategoricalDtype) and not sampled:
        # a coded column: count its labels from the codes (no Series work per column)
        # the Categorical itself: the .cat accessor builds a Series per call (a file may have 10,000 columns)
        codes, categories = s.array.codes, s.dtype.categories
        tally = np.bincount(codes[codes >= 0], minlength=len(categories))
        merged: dict[str, int] = {}
        for label, c in zip(categories, tally, strict=True):
            key = str(label).strip()
            if key and c:
                merged[key] = merged.get(key, 0) + int(c)
        return _ordered(merged)
    s = s[s.notna()]
    if pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s):
        vc = s.value_counts(sort=True)
        num = vc.index.to_numpy(dtype="float64")
        finite = np.isfinite(num)
        vc, num = vc[finite], num[finite]
        whole = (np.floor(num) == num) & (np.abs(num) < 1e15)
        values = [str(int(v)) if w else repr(float(v)) for v, w in zip(num, whole, strict=True)]
        counts = vc.to_numpy(dtype="int64")
    else:
        merged = {}
        for v, c in s.value_counts(sort=False).items():
            key = str(v).strip()
            if key:
                merged[key] = merged.get(key, 0) + int(c)
        return _ordered(merged, sampled)
    examined = int(counts.sum())
    if len(values) > SAMPLE_DISTINCT:
        values, counts = values[:SAMPLE_DISTINCT], counts[:SAMPLE_DISTINCT]
    return _Column(values, counts, examined, sampled)


def _ordered(merged: dict[str, int], sampled: bool = False) -> _Column:
    """A column's distinct texts with their rows, most frequent first (at most SAMPLE_DISTINCT)."""
    ordered = sorted(merged.items(), key=lambda kv: -kv[1])
    values = [k for k, _ in ordered]
    counts = np.array([c for _, c in ordered], dtype="int64")
    examined = int(counts.sum())
    if len(values) > SAMPLE_DISTINCT:
        values, counts = values[:SAMPLE_DISTINCT], counts[:SAMPLE_DISTINCT]
    return _Column(values, counts, examined, sampled)


def _person_names(col: _Column, *, id_column: bool) -> int:
    """Rows whose value looks like a person's name, when the column as a whole holds names; else 0."""
    values = col.values
    words = [WORDS.findall(v.lower()) for v in values]
    category = np.array([any(w in NOT_NAME_WORDS for w in ws) for ws in words], dtype=bool)
    shaped = matches(values, NAME_SHAPE, full=True) & ~category
    upper = matches(values, UPPER_NAME, full=True) & ~category
    known = np.array(
        [bool(ws) and (ws[0] in GIVEN_NAMES or (len(ws) > 1 and ws[1] in GIVEN_NAMES)) for ws in words],
        dtype=bool,
    )
    namelike = shaped | (upper & known)
    rows = int(col.counts[namelike].sum()) if len(values) else 0
    n_names, n_known = int(namelike.sum()), int((namelike & known).sum())
    share = rows / col.examined if col.examined else 0.0
    if share >= 0.5 and (id_column or n_names >= 20 or n_known >= min(2, n_names)):
        return rows
    single = matches(values, SINGLE_NAME, full=True) & np.array(
        [len(ws) == 1 and ws[0] in GIVEN_NAMES for ws in words], dtype=bool
    )
    single_rows = int(col.counts[single].sum()) if len(values) else 0
    if col.examined and single_rows / col.examined >= 0.5 and (id_column or int(single.sum()) >= 3):
        return single_rows
    return 0


def _free_text(col: _Column) -> int:
    """Rows of free text (long, varied, sentence-like values), when the column holds notes; else 0."""
    if not col.values:
        return 0
    n_words = np.array([len(v.split()) for v in col.values])
    lengths = np.array([len(v) for v in col.values])
    long = (n_words >= 5) | ((lengths >= 40) & (n_words >= 2))
    if not long.any():
        return 0
    rows = int(col.counts[long].sum())
    n_long = int(long.sum())
    if n_long >= 10 and rows / col.examined >= 0.2:
        return rows
    if n_long >= 3 and n_long / rows >= 0.8 and float(np.median(n_words[long])) >= 8:
        return rows
    return 0


def _content_findings(norm: str, col: _Column) -> list[tuple[str, int]]:
    """``(check, rows matching)`` for every content rule a column trips."""
    role = (
        "id"
        if norm in ID_COLUMNS
        else "numeric"
        if norm in NUMERIC_COLUMNS or WIDE_VALUE.match(norm)
        else "code"
        if CODE_COLUMN.search(norm)
        else "other"
    )
    values, counts, examined = col.values, col.counts, col.examined
    if examined == 0:
        return []
    # a cell longer than any code, label or score is free text by itself; the patterns below look at
    # its start only, so that the scan stays linear in the length of a cell (a 5 MB cell in a second)
    long_cell = np.array([len(v) > LONG_CELL for v in values], dtype=bool)
    # en dashes, minus signs and non-breaking spaces read as the ASCII the patterns expect
    values = [(v[:LONG_CELL] if len(v) > LONG_CELL else v).translate(DASHES) for v in values]
    numeric = matches(values, NUMBER, full=True)
    keep = np.flatnonzero(~numeric)
    text = [values[i] for i in keep]
    tcounts = counts[keep]
    found: list[tuple[str, int]] = []
    if long_cell.any():
        found.append(("free_text", int(counts[long_cell].sum())))

    def strong(check: str, hit: np.ndarray) -> None:
        rows = int(tcounts[hit].sum()) if len(hit) else 0
        if rows:
            found.append((check, rows))

    def weak(check: str, hit: np.ndarray, share: float = 0.5) -> None:
        rows = int(counts[hit].sum()) if len(hit) else 0
        if rows and rows / examined >= share:
            found.append((check, rows))

    # identifiers with a distinctive shape: one is enough, in any column
    if text:
        # a census given name and surname ("Sarah Kim", "JANE DOE", "José García", "Doe, Jane"):
        # one is enough too, whatever the column says it holds
        strong("person_name", full_names(text, NOT_NAME_WORDS))
        if norm in LABEL_COLUMNS:
            # a vocabulary names categories: a name in a list of labels ("pelvic_pain;Jane Doe"), a
            # street address in any case ("12 elm st") or, below, a long number (a member id
            # W123456789) or a ZIP code as a site is about a person or a place, not a category
            parts = [CONDITION_SPLIT.split(v) for v in text]  # a one-part cell was checked whole above
            listed = [len(p) > 1 and bool(full_names(p, NOT_NAME_WORDS).any()) for p in parts]
            strong("person_name", np.array(listed, dtype=bool))
            strong("address", matches(text, ADDRESS_ANY_CASE))
        email = matches(text, EMAIL)
        spaced = np.array(
            ["@" in v and bool(EMAIL_KNOWN_DOMAIN.search(SPACED_EMAIL.sub(r"\1", v))) for v in text]
        )
        strong("email", email | spaced | matches(text, EMAIL_SPELLED))
        phone = matches(text, PHONE_US) | matches(text, PHONE_SLASH)
        strong("phone", phone | digit_count(text, PHONE_INTL, 8, 15))
        strong("ssn", checked(text, SSN, valid_ssn))
        strong("record_number", matches(text, MRN) | matches(text, MBI) | matches(text, LABELLED_NUMBER))
        if role != "id":  # pseudonymous codes may take any shape; a VIN or card number has a check digit
            strong("record_number", checked(text, CARD, card_number))
            strong("license", checked(text, VIN, valid_vin))
        strong("age_over_89", matches(text, AGE_TEXT))
        strong("url", matches(text, URL) & ~email)
        strong("ip", matches(text, IP))
        strong("date", matches(text, DATE) | matches(text, CJK_DATE))
    if norm in LABEL_COLUMNS and norm != "age_band":
        weak("record_number", matches(values, LONG_DIGITS), share=0.0)
    if norm == "site":  # five digits for a place are a ZIP code (Safe Harbor lets out three)
        weak("zip", matches(values, ZIP5, full=True) | matches(values, ZIP4, full=True), share=0.0)
    if role == "id":
        # codes built from a date of birth or visit (JD19850302): most codes, not a chance hex run
        weak("date", matches(values, COMPACT_DATE))
        # ids made from a name: "jdoe", "j.doe", "Doe, J." (an initial and a census surname)
        weak("person_name", initial_and_surname(values))
        rows = _person_names(col, id_column=True)
        if rows:
            found.append(("person_name", rows))
        return _merge(found)
    if text:
        strong("address", matches(text, ADDRESS))
        strong("zip", matches(text, STATE_ZIP) | matches(text, ZIP4, full=True))
    if role == "other":
        # bare numbers: only when most values have the shape (scores, sessions and ids never do)
        weak("zip", matches(values, ZIP5, full=True))
        weak("ssn", matches(values, DIGITS9, full=True))
        weak("phone", matches(values, DIGITS10, full=True))
        weak("date", matches(values, COMPACT_DATE, full=True))
        weak("month", matches(values, MONTH_YEAR, full=True))
        # a column of codes each a number of six digits or more after a short prefix (XYZ123456789,
        # D1234567, GRP-004512): member, licence, record or badge numbers, one per person (a plain
        # number of up to seven digits is a quantity)
        weak("record_number", matches(values, LONG_DIGITS, full=True) & ~numeric)
    if text:
        sub = _Column(text, tcounts, examined, col.sampled)
        # the contract's label columns hold a vocabulary (conditions, techniques, payers, sites):
        # there a name is only one the census lists know, not any run of capitalised words
        rows = 0 if norm in LABEL_COLUMNS else _person_names(sub, id_column=False)
        if rows:
            found.append(("person_name", rows))
        rows = _free_text(sub)
        if rows:
            found.append(("free_text", rows))
    return _merge(found)


def _merge(found: list[tuple[str, int]]) -> list[tuple[str, int]]:
    out: dict[str, int] = {}
    for check, rows in found:
        out[check] = max(rows, out.get(check, 0))
    return list(out.items())


def _age_over_89(norm: str, col: _Column) -> int:
    if AGE_NOT.search(norm) and re.search(r"(?:^|_)age(?:_|$)", norm):
        # an age band column: a band above 89 (90-94) or a bare age over 89 in it; only 90+ is safe
        band = matches(col.values, OLD_BAND, full=True)
        bare = pd.to_numeric(pd.Series(col.values, dtype=object), errors="coerce")
        years = bare.to_numpy(dtype="float64", na_value=np.nan)
        return int(col.counts[band | (np.nan_to_num(years, nan=0.0) > 89)].sum())
    if not AGE_NAME.match(norm) or AGE_NOT.search(norm):
        return 0
    parsed = pd.to_numeric(
        pd.Series([v.replace(",", ".") for v in col.values], dtype=object), errors="coerce"
    )
    ages = parsed.to_numpy(dtype="float64", na_value=np.nan)
    old = (np.nan_to_num(ages, nan=0.0) > 89) | matches(col.values, AGE_WORDS)
    return int(col.counts[old].sum())


def scan(
    frame: pd.DataFrame,
    *,
    file: str | None = None,
    ignore: Iterable[str] = (),
    labels: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Find columns that look like direct identifiers, by name and by content.

    The checklist is the HIPAA Safe Harbor list of identifiers (45 CFR
    164.514(b)(2)). A column is flagged when its name says it holds one
    (``Client Name``, ``DOB``, ``Phone``, ``Zip``, ``MRN``, ``Member ID``,
    ``Visit Date``, ``Notes``, ``Therapist``, ``Emergency Contact``,
    ``Referred by`` …; only when it holds any value) or when its values look like
    one: e-mail addresses, phone and fax numbers (US and international formats),
    SSNs, street addresses, ZIP / ZIP+4 codes, record numbers with prefixes
    (``MRN 004512``), URLs, IP addresses, full dates (``2024-03-15``,
    ``03/15/2024``, ``15.03.2024``, ``March 15, 2024`` …; a year alone is
    fine), ages over 89 in an age column, person names and free-text notes.

    Parameters
    ----------
    frame : DataFrame
        The table as read, with canonical column names where they are known
        (``client_id`` and ``record_id`` are expected to hold pseudonymous codes:
        they are checked for e-mails, phones, SSNs, record numbers, dates and
        names, not for ZIP-like numbers).
    file : str, optional
        File name put in the ``file`` column.
    ignore : iterable of str
        Columns not to scan.
    labels : mapping, optional
        Each column's header as the file writes it (the reader's mapping), for the check of
        the headers themselves: a header that is a person's name, a date or a contact detail
        is a finding (``check`` ``header``), and messages name that column by its position.

    Returns
    -------
    DataFrame
        One row per finding, never a value: ``file``, ``column`` (the column's
        label in ``frame``), ``check`` (``person_name``, ``email``, ``phone``,
        ``ssn``, ``address``, ``city``, ``zip``, ``record_number``, ``url``,
        ``ip``, ``device``, ``license``, ``photo``, ``birth_date``, ``date``,
        ``month``, ``age_over_89``, ``free_text``), ``reason`` (a phrase such as
        ``"looks like phone or fax numbers"``), ``evidence_count`` (rows that
        look so; for a finding by name, the non-empty rows), ``examined``
        (non-empty rows looked at) and ``by`` (``name`` or ``content``).

    Notes
    -----
    Cost stays small on large files: each column contributes an evenly spaced
    sample of at most 20,000 rows, and patterns run on its (at most 5,000 most
    frequent) distinct values. Distinctive shapes (an e-mail address, a
    formatted phone number or SSN, a date, a street address) flag a column on
    one value; bare numbers (5-digit ZIPs, 9-digit SSNs, 10-digit phones) only
    when they are most of a column other than the ids, sessions and scores.
    A person's full name flags a column on one value too: a given name and a
    surname of the 1990 census lists (:mod:`outcomes.privacy.names`; accents,
    case, titles and initials aside), with no category word (``pelvic``,
    ``clinic``, ``African``, ``Medicaid`` …) in it, so that race/ethnicity,
    payer, technique and condition labels are not flagged. Ids made of an
    initial and a surname (``jdoe``, ``Doe, J.``) flag the id column when they
    are most of it. Other capitalised two- or three-word values need to be most
    of a column and either many different values or common given names.

    Examples
    --------
    >>> df = pd.DataFrame({"client_id": ["C01", "C02"], "Phone": ["(555) 123-4567", "555.987.6543"]})
    >>> scan(df)[["column", "check", "evidence_count"]]
      column  check  evidence_count
    0  Phone  phone               2
    """
    skip = {str(c) for c in ignore}
    recs: list[tuple[str, str, str, int, int, str]] = []
    # a header can be an identifier itself (a wide export with a column per client, a name typed
    # over a header): such a column is named by its position, never by its header
    headers = [str(c) for c in frame.columns]
    as_written = [(labels or {}).get(h, h) for h in headers]  # the file's header, before any mapping
    in_header = suspicious_values(as_written) | np.array(
        [names_in_text(h, NOT_NAME_WORDS) for h in as_written], dtype=bool
    )  # "Outcomes for Jane Doe": a title line read as the header
    for position in np.flatnonzero(in_header):
        if headers[position] not in skip:
            reason = (
                f"the header of column {position + 1} looks like a name, date or contact detail (not shown)"
            )
            recs.append((headers[position], "header", reason, 1, 1, "header"))
    for label, part in frame.items():  # each column once, duplicated labels too; no lookup by label
        if str(label) not in skip:
            recs.extend(_scan_column(str(label), part))
    out = pd.DataFrame(recs, columns=["column", "check", "reason", "evidence_count", "examined", "by"])
    out = out.drop_duplicates(["column", "check", "by"]).reset_index(drop=True)
    out.insert(0, "file", file)
    out["evidence_count"] = out["evidence_count"].astype("int64")
    out["examined"] = out["examined"].astype("int64")
    return out


def _scan_column(label: str, s: pd.Series) -> list[tuple[str, str, str, int, int, str]]:
    norm = normalize_key(label)
    out: list[tuple[str, str, str, int, int, str]] = []
    if pd.api.types.is_datetime64_any_dtype(s):
        n = int(s.notna().sum())
        if n:
            out.append((label, "date", f"holds {NOUNS['date']} (a date column)", n, n, "content"))
        return out
    if pd.api.types.is_bool_dtype(s) or pd.api.types.is_timedelta64_dtype(s):
        return out
    col = _column_sample(s)
    if col.examined == 0:
        return out
    content = _content_findings(norm, col)
    by_content = {check for check, _ in content}
    if norm not in KNOWN_COLUMNS:
        for check, pattern in NAME_RULES:
            if pattern.search(norm):
                if check not in by_content:
                    out.append(
                        (
                            label,
                            check,
                            f"has a name that suggests {NOUNS[check]}",
                            col.examined,
                            col.examined,
                            "name",
                        )
                    )
                break
    old = _age_over_89(norm, col)
    if old:
        out.append((label, "age_over_89", "holds ages over 89", old, col.examined, "content"))
    for check, rows in content:
        out.append((label, check, f"looks like {NOUNS[check]}", rows, col.examined, "content"))
    return out


def finding_lines(findings: pd.DataFrame, labels: Mapping[str, str] | None = None) -> list[str]:
    """One line per flagged column: its label (as in the file) and every reason, with counts."""
    lines = []
    for column, sub in findings.groupby("column", sort=False):
        source = (labels or {}).get(str(column), str(column))
        read_as = str(column) not in (source, normalize_key(source))
        label = f"{source!r} (read as {column!r})" if read_as else f"{source!r}"
        header = sub[sub["by"] == "header"]
        if len(header):  # named by its position: the header itself is what must not be shown
            others = sub[sub["by"] != "header"]
            lines.append("; ".join([str(header["reason"].iloc[0]), *(str(r) for r in others["reason"])]))
            continue
        parts = []
        for reason, by, hits, seen in zip(
            sub["reason"], sub["by"], sub["evidence_count"].tolist(), sub["examined"].tolist(), strict=True
        ):
            count = (
                f"{hits:,} non-empty value{'s' if hits != 1 else ''}"
                if by == "name"
                else f"{hits:,} of {seen:,} value{'s' if seen != 1 else ''}"
            )
            parts.append(f"{reason} ({count})")
        lines.append(f"column {label} " + "; ".join(parts))
    return lines


def _unread_fix(where: str) -> str:
    """How to clear a finding outside the columns (``where`` as the reader names it)."""
    if where.startswith("comment line"):
        return "delete the comment lines before the header"
    if "index" in where:
        return "write the file without its index (DataFrame.to_parquet(..., index=False))"
    return "write the file without that metadata"


def scan_unread(unread: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    """``(where, check)`` for each piece of text the reader saw but does not analyse (comment lines
    before the header, say) that holds an identifier: any pattern of a column, or a name in a
    sentence."""
    out = []
    for where, text in unread:
        found = _content_findings("comment", _Column([text], np.array([1]), 1, False))
        checks = [check for check, _ in found if check != "free_text"]
        if not checks and names_in_text(text, NOT_NAME_WORDS):
            checks = ["person_name"]
        out += [(where, check) for check in dict.fromkeys(checks)]
    return out


def screen(
    frame: pd.DataFrame,
    *,
    file: str | None = None,
    allow_identifiers: str | None = None,
    labels: Mapping[str, str] | None = None,
    unread: Sequence[tuple[str, str]] = (),
) -> tuple[pd.DataFrame, list[str]]:
    """Scan ``frame``, and the text around it the reader saw (``unread``: comment lines); raise
    :class:`PrivacyError` on findings unless identifiers are allowed."""
    if allow_identifiers is not None and (
        not isinstance(allow_identifiers, str) or not allow_identifiers.strip()
    ):
        raise ValueError(
            "allow_identifiers must be a non-empty reason, such as 'expert determination #2025-14' "
            "or 'data use agreement with University X' (or None)"
        )
    findings = scan(frame, file=file, labels=labels)
    notes = finding_lines(findings, labels)
    around = scan_unread(unread)
    if around:
        extra = pd.DataFrame(
            [(file, where, check, f"looks like {NOUNS[check]}", 1, 1, "content") for where, check in around],
            columns=findings.columns,
        )
        findings = pd.concat([findings, extra], ignore_index=True)
        notes += [f"{where} looks like {NOUNS[check]}: {_unread_fix(where)}" for where, check in around]
    if notes and allow_identifiers is None:
        where = file or "the data"
        n, lines = len(notes) - len(around), len(around)
        held = [
            *([f"{n} column{'s' if n != 1 else ''}"] if n else []),
            *([f"{lines} other part{'s' if lines != 1 else ''} of the file"] if lines else []),
        ]
        look = "looks" if n + lines == 1 else "look"
        raise PrivacyError(
            f"{where} holds {' and '.join(held)} that {look} like direct "
            "identifiers (HIPAA Safe Harbor), so nothing was read:\n"
            + "\n".join(f"- {line}" for line in notes)
            + "\n"
            + FIX_HINT
        )
    return findings, notes


def check_anonymized(
    frame: pd.DataFrame,
    *,
    file: str | None = None,
    allow_identifiers: str | None = None,
    labels: Mapping[str, str] | None = None,
) -> list[str]:
    """Raise :class:`~outcomes.errors.PrivacyError` if ``frame`` looks like it holds direct identifiers.

    Parameters
    ----------
    frame : DataFrame
        The table to check (see :func:`scan`).
    file : str, optional
        File name for the message.
    allow_identifiers : str, optional
        For data held under an expert determination or a data-use agreement:
        the reason the identifiers may be read (``"expert determination
        #2025-14"``). The findings are then returned instead of raised.
    labels : mapping, optional
        Column label in ``frame`` -> the column's name in the file, for messages.

    Returns
    -------
    list of str
        One note per flagged column (its name and why, never a value); empty
        when nothing was found.

    Raises
    ------
    PrivacyError
        Findings and no ``allow_identifiers``. The message names each column and
        why, says how to fix the export (drop the columns, or
        ``outcomes anonymize``) and how to record an override.
    ValueError
        ``allow_identifiers`` is given but empty.

    Examples
    --------
    >>> check_anonymized(pd.DataFrame({"client_id": ["C01"], "score": [4]}))
    []
    """
    return screen(frame, file=file, allow_identifiers=allow_identifiers, labels=labels)[1]
