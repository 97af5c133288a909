""":func:`anonymize`: a raw export frame to one that can leave the practice.

Client ids, normalised (:func:`id_key`), to keyed HMAC-SHA256 pseudonyms (or
random ids with a crosswalk that stays at the practice), dates to days from
each client's first date plus the year, ages to bands with 90+, identifier
columns dropped, the result checked with the scan of every read
(:func:`check_shareable`), and a manifest of what was changed with the key's
fingerprint, never the key."""

from __future__ import annotations

import datetime as _dt
import secrets
import shlex
import string
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Literal, NamedTuple

import numpy as np
import pandas as pd

from .._checks import check_argument
from ..errors import PrivacyError, SchemaError
from ..instruments import normalize_key
from ..schema.contract import AGE_BANDS
from .dates import parse_ages, parse_dates
from .keys import check_key, key_fingerprint, pseudonyms
from .rules import ID_COLUMNS, KNOWN_COLUMNS, WIDE_VALUE
from .scanner import finding_lines, scan

_AGE_EDGES = (-np.inf, 18, 25, 35, 45, 55, 65, 75, 90, np.inf)


class Anonymized(NamedTuple):
    """What :func:`anonymize` returns.

    Attributes
    ----------
    frame : DataFrame
        The anonymized table.
    manifest : dict
        What was changed (JSON-ready; the key's fingerprint, never the key).
    crosswalk : DataFrame or None
        With ``method="random"``: the practice's id and the random id of each
        client. It links the anonymized data back to people: keep it at the
        practice, never with the anonymized file. ``None`` for keyed pseudonyms
        (the key plays that role).
    """

    frame: pd.DataFrame
    manifest: dict[str, Any]
    crosswalk: pd.DataFrame | None


def age_bands(ages: Sequence[float] | pd.Series) -> pd.Series:
    """Ages in years -> the bands of :data:`AGE_BANDS` (missing stays missing).

    >>> age_bands([17, 18, 34.9, 89, 90, 104]).tolist()
    ['under 18', '18-24', '25-34', '75-89', '90+', '90+']
    """
    values = pd.Series(ages, dtype="float64")
    bands = pd.cut(values, bins=list(_AGE_EDGES), right=False, labels=list(AGE_BANDS))
    return pd.Series(bands.astype(object).where(bands.notna(), None), index=values.index, dtype=object)


def _resolve(columns: Sequence[str], name: str, what: str) -> str:
    if name in columns:
        return name
    hits = [c for c in columns if normalize_key(c) == normalize_key(name)]
    if len(hits) == 1:
        return hits[0]
    listing = ", ".join(repr(c) for c in columns[:30]) + (" ..." if len(columns) > 30 else "")
    raise SchemaError(f"{what} {name!r} is not a column of the export. Its columns are: {listing}.")


#: How an id is normalised before it is keyed (in the manifest and in the docs).
ID_RULE = (
    "Unicode NFKC, case-folded (str.casefold) and NFKC again, surrounding whitespace removed and every run "
    "of whitespace made one space; the letters a-z are then written as capitals"
)


_CAPITALS = str.maketrans(string.ascii_lowercase, string.ascii_uppercase)


def id_key(text: str) -> str:
    """The normalised form of a client id that is keyed: one form for every spelling of the same id.

    NFKC, case-folded and NFKC again, whitespace trimmed and collapsed, then
    the letters a-z written as capitals (so that codes already in capitals
    keep the pseudonyms of earlier versions, which keyed the id as written).

    >>> id_key("  jane\u00a0 DOE "), id_key("Jane Doe"), id_key("C001"), id_key("\uff23\uff10\uff10\uff11")
    ('JANE DOE', 'JANE DOE', 'C001', 'C001')
    """
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold())
    return " ".join(folded.split()).translate(_CAPITALS)


def _id_text(s: pd.Series) -> pd.Series:
    """Client ids as written ("" when blank): NFC, surrounding and repeated spaces removed."""
    if pd.api.types.is_float_dtype(s):
        whole = s.notna() & (np.floor(s) == s)
        text = s.astype(object).where(~whole, s[whole].astype("int64").astype(str))
    else:
        text = s.astype(object)
    return pd.Series(
        [
            ""
            if v is None or (isinstance(v, float) and np.isnan(v)) or v is pd.NA
            else " ".join(unicodedata.normalize("NFC", str(v)).split())
            for v in text
        ],
        index=s.index,
        dtype=object,
    )


def is_contract_column(name: str) -> bool:
    """Whether the reports read a column of this name (the data contract, a wide score column).

    The anonymizer drops a flagged column by itself only when this is false:
    dropping ``condition`` or ``score`` would change every report made from the
    copy, so a flagged one stops :func:`anonymize` instead (:func:`check_shareable`).

    >>> is_contract_column("Condition"), is_contract_column("pain_nrs_pre"), is_contract_column("Phone")
    (True, True, False)
    """
    norm = normalize_key(name)
    return (norm in KNOWN_COLUMNS and norm not in ID_COLUMNS) or WIDE_VALUE.match(norm) is not None


def check_shareable(
    frame: pd.DataFrame, *, file: str | None = None, labels: Mapping[str, str] | None = None
) -> None:
    """Stop with :class:`PrivacyError` unless an anonymized table passes the scan of every read.

    The scan is :func:`scan`, which :func:`check_anonymized` and every read run.
    The message names each flagged column and why (never a value), and how to
    clear it: fix the values in the raw export, or drop the column
    (``--drop COLUMN``, ``drop=[...]``).

    Parameters
    ----------
    frame : DataFrame
        The anonymized table (before it is written, or as read back).
    file : str, optional
        The output file's name, for the message.
    labels : mapping, optional
        Column label in ``frame`` -> its name in the output, for the message.

    Raises
    ------
    PrivacyError
        A column still looks identifying.
    """
    findings = scan(frame, file=file)
    if findings.empty:
        return
    lines = finding_lines(findings, labels)
    names = [(labels or {}).get(str(c), str(c)) for c in pd.unique(findings["column"])]
    n = len(names)
    some = f"{n} column{'s' if n != 1 else ''}"
    them = "them" if n != 1 else "it"
    needed = [c for c in names if is_contract_column(c)]
    why = (
        f"{', '.join(repr(c) for c in needed)} {'are columns' if len(needed) != 1 else 'is a column'} "
        "the reports read (the data contract: session, timepoint, measure, score, condition ...), which "
        "the anonymizer never drops unasked. "
        if needed
        else ""
    )
    raise PrivacyError(
        f"The anonymized copy{f' {file}' if file else ''} would still hold {some} that "
        f"look{'s' if n == 1 else ''} like direct identifiers (the scan every read runs), so nothing was "
        "written:\n"
        + "\n".join(f"- {line}" for line in lines)
        + f"\n{why}To fix it: correct those values in the raw export, or drop {them}: "
        f"--drop {shlex.quote(','.join(names))} (in Python: drop={names!r})."
    )


def _random_ids(ids: Sequence[str], rng_seed: int | np.random.Generator | None) -> dict[str, str]:
    rng = (
        rng_seed
        if isinstance(rng_seed, np.random.Generator)
        else np.random.default_rng(secrets.randbits(128) if rng_seed is None else rng_seed)
    )
    codes: set[str] = set()
    while len(codes) < len(ids):
        draw = rng.integers(0, 2**40, size=len(ids) - len(codes), dtype="int64")
        codes.update(f"R{int(d):010x}" for d in draw)
    order = rng.permutation(len(ids))
    ordered = sorted(codes)
    return {ids[int(i)]: ordered[k] for k, i in enumerate(order)}


def anonymize(
    raw: pd.DataFrame,
    *,
    key: bytes | None,
    id_column: str,
    date_column: str | None = None,
    dob_column: str | None = None,
    age_column: str | None = None,
    drop: Iterable[str] = (),
    method: Literal["hmac", "random"] = "hmac",
    rng_seed: int | np.random.Generator | None = None,
    date_format: str | None = None,
) -> Anonymized:
    """Turn a raw export into one that can leave the practice.

    Parameters
    ----------
    raw : DataFrame
        The export as read (raw column names). Row labels are used as row
        numbers in error messages.
    key : bytes or None
        At least 32 random bytes (:func:`keygen`, :func:`read_key`); empty,
        short, repetitive, printable-text and well-known default keys are
        refused. Not used with ``method="random"``.
    id_column : str
        The column identifying the client (a name, a chart number, the
        practice's own code). It becomes ``client_id`` (``record_id`` when it
        is called so: REDCap) holding the pseudonym. Ids are normalised before
        they are keyed (see Notes): ``Jane Doe``, ``JANE DOE`` and
        `` jane  doe`` are one client with one pseudonym.
    date_column : str, optional
        Service dates. They become ``days_from_first`` (0 at each client's
        first date) and ``year``; when the export has no ``session`` column,
        ``session`` numbers each client's dates 1, 2, 3 ... .
    dob_column : str, optional
        Dates of birth: dropped. When there is no ``age_column`` and no
        ``age_band`` column, but a ``date_column``, the client's age at the
        first visit becomes ``age_band``.
    age_column : str, optional
        Ages in years: each client's age at the first visit (the smallest)
        becomes ``age_band`` (:data:`AGE_BANDS`: under 18, 18-24, ..., 75-89,
        90+); the ages are dropped.
    drop : iterable of str
        Further columns to drop (names matched ignoring case and punctuation),
        before anything else: a dropped ``session`` column is numbered anew
        from ``date_column``. Not the id, date, dob or age column.
    method : {'hmac', 'random'}
        ``hmac``: ``"P"`` + the first 16 hex characters of HMAC-SHA256 under
        ``key`` of the normalised id (see Notes): the same with the same key,
        unlinkable with another. ``random``: ``"R"`` + 10 random hex
        characters, and a crosswalk to the practice's ids.
    rng_seed : int or Generator, optional
        Seed of the random ids (tests); the default draws from the operating
        system.
    date_format : str, optional
        strftime format of the dates (``"%d/%m/%Y"``) when it cannot be
        detected or is ambiguous.

    Returns
    -------
    Anonymized
        ``frame`` (the anonymized table), ``manifest`` (a JSON-ready dict:
        ``tool``, ``package_version``, ``created_at``, ``rows``, ``clients``,
        ``clients_spelled_several_ways`` (clients whose id comes in more than
        one spelling), ``id_normalisation`` (the rule of Notes),
        ``rows_without_client_id``, ``method``, ``key_fingerprint``,
        ``pseudonyms``, ``columns_in``, ``columns_out``, ``transformed``,
        ``dropped`` (column and reason), ``kept``) and ``crosswalk``
        (``method="random"`` only: one row per client, ``practice_id`` (the
        spelling of the id used most often; of equally frequent ones, the
        first in the export) and the random id).

    Raises
    ------
    PrivacyError
        The key is missing or cannot be a random key; or the result would
        still hold a column the scan flags (:func:`check_shareable`: a column
        of the data contract, such as ``condition`` or ``session``, with
        identifying values); the message names the column and why, never a
        value, and the fix (correct the values, or ``drop=[COLUMN]``, command
        line ``--drop COLUMN``).
    SchemaError
        A named column is not in the export, or dates or ages cannot be read
        (the message gives rows, never values).

    Notes
    -----
    **Ids are normalised before they are keyed** (:func:`id_key`): Unicode
    NFKC, case-folded (``str.casefold``) and NFKC again, surrounding
    whitespace removed and every run of whitespace (spaces, tabs, no-break
    spaces) made one space; the letters a-z are then written as capitals. Two
    ids with the same normalised form are one client: one pseudonym, one
    random id, one row of the crosswalk, one first date. The capitals keep the
    pseudonyms of codes already written in capitals (``C001``, ``P-17``,
    ``00123``) as earlier versions, which keyed the id as written, made them;
    an id with small letters (``Jane Doe``) gets a new one. Blank ids stay
    blank.

    After the transformations every column :func:`scan` flags (names,
    contacts, therapists, insurance numbers, addresses, other dates, notes,
    ...) is dropped too, except a column the reports read
    (:func:`is_contract_column`: ``session``, ``timepoint``, ``measure``,
    ``score``, ``condition``, ``technique``, ``payer``, ``site``, wide score
    columns ...): dropping it would change every report, so it is left for the
    last step. That step runs the scan of every read (:func:`scan`, as
    :func:`check_anonymized`) on the result and stops with a
    :class:`PrivacyError` on any column still flagged: what this returns
    passes the scan of every read.

    Examples
    --------
    >>> raw = pd.DataFrame({"Client": ["Ann Lee", "Ann Lee"], "Visit": ["2025-03-01", "2025-03-15"],
    ...                     "Phone": ["555-123-4567"] * 2, "Score": [6, 4]})
    >>> key = bytes.fromhex("f94ff9e0786ed7da80332b8e62a24314cf6db12cc42d2342e147c04e387b3cbf")
    >>> clean, manifest, _ = anonymize(raw, key=key, id_column="Client", date_column="Visit")
    >>> list(clean.columns)
    ['client_id', 'session', 'days_from_first', 'year', 'Score']
    >>> clean["days_from_first"].tolist(), [d["column"] for d in manifest["dropped"]]
    ([0, 14], ['Phone'])
    """
    from .._version import __version__

    check_argument("method", ("hmac", "random"), method)
    checked_key = check_key(key) if method == "hmac" else None
    columns = [str(c) for c in raw.columns]
    out = raw.copy()
    out.columns = columns
    idc = _resolve(columns, id_column, "id_column")
    datec = _resolve(columns, date_column, "date_column") if date_column else None
    dobc = _resolve(columns, dob_column, "dob_column") if dob_column else None
    agec = _resolve(columns, age_column, "age_column") if age_column else None
    drops = [_resolve(columns, d, "drop") for d in drop]
    roles = [c for c in (idc, datec, dobc, agec) if c]
    if len(set(roles)) != len(roles):
        raise ValueError("id_column, date_column, dob_column and age_column must be different columns")
    both = [c for c in drops if c in roles]
    if both:
        raise ValueError(
            f"{both[0]!r} is given both to drop and as the id, date, dob or age column; it is transformed "
            "as that column, so leave it out of drop"
        )

    transformed: list[dict[str, Any]] = []
    dropped: list[dict[str, str]] = []
    norms = {c: normalize_key(c) for c in columns}

    def remove(col: str, reason: str, shown: str | None = None) -> None:
        if col in out.columns:
            del out[col]
            dropped.append({"column": shown or col, "reason": reason})

    def put(col: str, values: Any, at: str) -> None:
        pos = list(out.columns).index(at)
        out.insert(pos, col, values)

    # -- the columns listed in drop go first (a dropped 'session' is numbered from the dates) --
    for col in drops:
        remove(col, "listed in drop")

    # -- client ids: every spelling of an id (case, spaces, Unicode forms) is one client -----
    spelled = _id_text(out[idc])
    spellings = sorted(set(spelled) - {""})
    key_of = {v: id_key(v) for v in spellings}
    ids = spelled.map(lambda v: key_of.get(v, ""))
    uniques = sorted(set(key_of.values()))
    mapping = pseudonyms(uniques, checked_key) if checked_key is not None else _random_ids(uniques, rng_seed)
    if len(set(mapping.values())) != len(mapping):  # pragma: no cover - 64-bit collision
        raise RuntimeError("two client ids got the same pseudonym; this should not happen")
    pseud = pd.Series([mapping.get(i, "") for i in ids], index=out.index, dtype=object)
    redcap = "redcap_event_name" in norms.values()
    id_out = (
        "record_id"
        if norms[idc] == "record_id" or (redcap and "record_id" in norms.values())
        else "client_id"
    )
    for col in columns:
        if col != idc and norms[col] in ("client_id", "record_id"):
            remove(col, "another client identifier (the pseudonym replaces it)")
    if idc == id_out:
        out[idc] = pseud
    else:
        put(id_out, pseud, idc)
        del out[idc]
    how = (
        "keyed pseudonym: P + first 16 hex characters of HMAC-SHA256(key, normalised id)"
        if checked_key is not None
        else "random id (R + 10 hex characters); the crosswalk stays at the practice"
    )
    transformed.append({"column": idc, "into": [id_out], "how": how})

    # -- service dates -----------------------------------------------------------------
    first_date: pd.Series | None = None
    if datec:
        dates = parse_dates(out[datec], datec, date_format)
        client_key = pseud.where(pseud != "", "__blank__")
        first_date = dates.groupby(client_key).transform("min")
        days = (dates - first_date).dt.days.astype("Int64")
        year = dates.dt.year.astype("Int64")
        for col in list(out.columns):
            if col != datec and normalize_key(col) in ("days_from_first", "year"):
                remove(col, f"replaced by the values computed from {datec!r}")
        into = ["days_from_first", "year"]
        has_session = any(normalize_key(c) in ("session", "redcap_repeat_instance") for c in out.columns)
        if not has_session:
            session = dates.groupby(client_key).rank(method="dense").astype("Int64")
            out.insert(list(out.columns).index(id_out) + 1, "session", session)
            into.insert(0, "session")
        put("days_from_first", days, datec)
        put("year", year, datec)
        del out[datec]
        transformed.append(
            {
                "column": datec,
                "into": into,
                "how": "days since the client's first date (0 at the first), and the year"
                + ("; session numbers the client's dates 1, 2, 3 ..." if not has_session else ""),
            }
        )

    # -- ages --------------------------------------------------------------------------
    has_band = any(normalize_key(c) == "age_band" for c in out.columns)
    if agec:
        ages = parse_ages(out[agec], agec)
        client_age = ages.groupby(pseud.where(pseud != "", "__blank__")).transform("min")
        for col in list(out.columns):
            if normalize_key(col) == "age_band":
                remove(col, f"replaced by the bands computed from {agec!r}")
        put("age_band", age_bands(client_age).to_numpy(), agec)
        del out[agec]
        transformed.append(
            {
                "column": agec,
                "into": ["age_band"],
                "how": "the client's age at the first visit, in bands with 90+",
            }
        )
    if dobc:
        if not agec and not has_band and first_date is not None:
            dob = parse_dates(out[dobc], dobc, date_format)
            client_key = pseud.where(pseud != "", "__blank__")
            dob = dob.groupby(client_key).transform("first")
            years = first_date.dt.year - dob.dt.year
            before = (first_date.dt.month < dob.dt.month) | (
                (first_date.dt.month == dob.dt.month) & (first_date.dt.day < dob.dt.day)
            )
            age = (years - before.astype("float64")).astype("float64")
            put("age_band", age_bands(age).to_numpy(), dobc)
            del out[dobc]
            transformed.append(
                {
                    "column": dobc,
                    "into": ["age_band"],
                    "how": "the client's age at the first visit, in bands with 90+ (dates of birth dropped)",
                }
            )
        else:
            remove(dobc, "dates of birth")

    # -- everything the scan flags, then the scan of every read -------------------------------
    findings = scan(out)
    made = {id_out, "session", "days_from_first", "year", "age_band"}
    for flagged, sub in findings.groupby("column", sort=False):
        col = str(flagged)
        if col == id_out:  # pragma: no cover - pseudonyms are never flagged
            raise RuntimeError("the pseudonyms were flagged by the identifier scan")
        if col in made and col not in columns:  # pragma: no cover
            raise RuntimeError(f"the computed column {col!r} was flagged by the identifier scan")
        if not is_contract_column(col):  # a column the reports read is never dropped unasked
            # a header that is itself an identifier is named by its position, in the manifest too
            shown = None
            if (sub["by"] == "header").any():
                shown = f"column {list(out.columns).index(col) + 1} (header not shown)"
            remove(col, "; ".join(dict.fromkeys(str(r) for r in sub["reason"])), shown)
    check_shareable(out)

    out = out.reset_index(drop=True)
    manifest: dict[str, Any] = {
        "tool": "outcomes anonymize",
        "package_version": __version__,
        "created_at": _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
        "rows": len(out),
        "clients": len(uniques),
        "clients_spelled_several_ways": sum(n > 1 for n in Counter(key_of.values()).values()),
        "id_normalisation": ID_RULE,
        "rows_without_client_id": int((ids == "").sum()),
        "method": "hmac-sha256" if checked_key is not None else "random",
        "key_fingerprint": key_fingerprint(checked_key) if checked_key is not None else None,
        "pseudonyms": how,
        "columns_in": columns,
        "columns_out": [str(c) for c in out.columns],
        "transformed": transformed,
        "dropped": dropped,
        "kept": [c for c in columns if c in out.columns],
    }
    crosswalk = None
    if checked_key is None:
        # one row per client: the spelling of its id used most often (of equal ones, the first)
        spelling = pd.DataFrame({"key": ids, "spelling": spelled})[ids != ""]
        counts = spelling.groupby(["key", "spelling"], sort=False).size()
        ranked = counts.sort_values(ascending=False, kind="stable").reset_index()
        usual = ranked.drop_duplicates("key").set_index("key")["spelling"]
        crosswalk = pd.DataFrame({"practice_id": [usual[k] for k in mapping], id_out: list(mapping.values())})
        crosswalk = crosswalk.sort_values(id_out, kind="stable").reset_index(drop=True)
    return Anonymized(out, manifest, crosswalk)
