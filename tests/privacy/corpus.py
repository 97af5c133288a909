"""A corpus of small, realistic exports for measuring the identifier scan (issue 16, point 5).

Data and builders only, no tests: ``tests/privacy/conftest.py`` hands the cases to the tests (a
test file never imports another module of the tests), and ``benchmarks/privacy_corpus.py`` loads
this file by its path. It imports nothing from the tests.

Every case is one long-layout export (unless it says otherwise) of 20-40 rows: 5-6 clients (or
the number the case asks for), two or three sessions each, pain (and for some clients stress)
before and after, valid scores, and the attributes a practice keeps (technique, payer, age band,
site, year, days from the first session). An **identifier case** hides ONE direct identifier of
the HIPAA Safe Harbor list (45 CFR 164.514(b)(2)(i)) in ONE way: its ``kind`` (a key of
:data:`SAFE_HARBOR`), its ``place`` (a key of :data:`PLACES`) and ``where`` exactly, its
``secrets`` (the strings that must never appear in any message or output, refused or not) and its
file format. A **clean case** (``kind == "clean"``) holds nothing identifying and must be read.

:func:`run_api` reads a case with :func:`outcomes.read_sessions` and collects every text the read
gives back (the error's message and ``failure_cases``, warnings, the provenance and flow);
:func:`find_leaks` looks for the secrets in them (case-folded, whole words, also as snake_case:
``Jane Doe`` is found as ``jane_doe``); :func:`tally` and :func:`report_lines` sum a run up.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import time
import warnings
import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

import outcomes as oc
from outcomes.datasets import to_layout
from outcomes.errors import OutcomesError, PrivacyError

#: The 18 kinds of direct identifier of HIPAA Safe Harbor, 45 CFR 164.514(b)(2)(i) (A)-(R); (C) is
#: split into dates and ages over 89, which the scan checks apart.
SAFE_HARBOR = {
    "names": "(A) names",
    "geographic": "(B) geographic subdivisions smaller than a state: street, city, county, ZIP",
    "dates": "(C) all elements of dates (except year) related to the individual",
    "ages": "(C) ages over 89, and elements of dates indicating such an age",
    "phone": "(D) telephone numbers",
    "fax": "(E) fax numbers",
    "email": "(F) e-mail addresses",
    "ssn": "(G) Social Security numbers",
    "medical_record": "(H) medical record numbers",
    "health_plan": "(I) health plan beneficiary numbers",
    "account": "(J) account numbers",
    "license": "(K) certificate and licence numbers",
    "vehicle": "(L) vehicle identifiers and serial numbers, licence plates",
    "device": "(M) device identifiers and serial numbers",
    "url": "(N) web addresses (URLs)",
    "ip": "(O) IP addresses",
    "biometric": "(P) biometric identifiers (finger and voice prints)",
    "photo": "(Q) full-face photographs and comparable images",
    "other": "(R) any other unique identifying number, characteristic or code",
}

#: Where a case hides its identifier.
PLACES = {
    "column": "the values of an extra column whose header does not give it away",
    "contract": "one value of a column the reports read (condition, technique, site, payer, age_band)",
    "client_id": "the client_id column",
    "echoed": "a value validation reports back (measure, timepoint, session, score, year, days)",
    "header": "a column header",
    "comment": "a comment or title line before the header",
    "footer": "a line after the data",
    "unnamed": "a column without a header",
    "encoding": "an extra column of a file in another encoding or separator",
    "sheet": "another part of a workbook: a second sheet, the sheet's title, a hidden column",
    "workbook": "the workbook's properties (author, title)",
    "cell_comment": "a cell comment of a workbook",
    "parquet_metadata": "Parquet key-value (file) metadata",
    "field_metadata": "Parquet field (column) metadata",
    "parquet_index": "a Parquet (pandas) index: its values or its name",
    "binary": "a binary (bytes) column",
}

CONDITIONS = ("pelvic_pain", "tmj", "headache;tmj", "neck_pain", "postpartum", "back_pain")
TECHNIQUES = ("CST", "CST + pelvic floor", "pelvic floor")
PAYERS = ("Medicaid", "Commercial", "Medicare", "Self-pay")
AGE_BANDS = ("25-34", "35-44", "45-54", "18-24", "55-64", "65-74")
SITES = ("S01", "S02")

Mod = Callable[[pd.DataFrame], pd.DataFrame]


# ---------------------------------------------------------------------------------------
# The export every case starts from
# ---------------------------------------------------------------------------------------
def base_export(
    seed: str,
    *,
    n_clients: int | None = None,
    sessions: int = 2,
    conditions: Sequence[str] = CONDITIONS,
    stress_every: int = 3,
) -> pd.DataFrame:
    """A valid long export: ``n_clients`` (5 or 6 by default) with ``sessions`` sessions each (the
    first client one more), pain 0-10 before and after (stress too for every ``stress_every``-th
    client; 0: none).

    Same ``seed``, same export. Numbers are numbers (``session``, ``score``, ``year``,
    ``days_from_first``); the rest is text."""
    rng = np.random.default_rng(zlib.crc32(seed.encode("utf-8")))
    n = n_clients or int(rng.integers(5, 7))
    rows = []
    for k in range(n):
        measures = ("pain_nrs", "stress_nrs") if stress_every and k % stress_every == 0 else ("pain_nrs",)
        level = {m: int(rng.integers(4, 9)) for m in measures}
        day = 0
        for s in range(1, sessions + (2 if k == 0 and sessions > 1 else 1)):
            if s > 1:
                day += int(rng.integers(7, 22))
            for m in measures:
                pre = float(np.clip(level[m] - (s - 1) + int(rng.integers(-1, 2)), 0, 10))
                post = float(np.clip(pre - float(rng.choice([0, 0.5, 1, 2])), 0, 10))
                for tp, score in (("pre", pre), ("post", post)):
                    rows.append(
                        {
                            "client_id": f"C{k + 1:04d}",
                            "session": s,
                            "timepoint": tp,
                            "measure": m,
                            "score": score,
                            "condition": conditions[k % len(conditions)],
                            "technique": TECHNIQUES[(k + s) % len(TECHNIQUES)],
                            "payer": PAYERS[k % len(PAYERS)],
                            "age_band": AGE_BANDS[k % len(AGE_BANDS)],
                            "site": SITES[k % len(SITES)],
                            "year": 2024 + k % 2,
                            "days_from_first": day,
                        }
                    )
    return pd.DataFrame(rows)


# ---------------------------------------------------------------------------------------
# How a case changes the export (each a function frame -> frame)
# ---------------------------------------------------------------------------------------
def _key(frame: pd.DataFrame) -> str:
    return "client_id" if "client_id" in frame else "record_id"


def _client_order(frame: pd.DataFrame) -> np.ndarray:
    ids = frame[_key(frame)]
    order = {c: i for i, c in enumerate(pd.unique(ids))}
    return np.array([order[c] for c in ids])


def per_client(column: str, values: Sequence[Any], *, before: str | None = None) -> Mod:
    """A column holding ``values[k]`` for the k-th client (cycling); inserted before ``before``."""

    def mod(frame: pd.DataFrame) -> pd.DataFrame:
        new = [values[k % len(values)] for k in _client_order(frame)]
        if before is not None:
            frame.insert(list(frame.columns).index(before), column, new)
        else:
            frame[column] = new
        return frame

    return mod


def per_session(column: str, value: Callable[[int, int], Any]) -> Mod:
    """A column holding ``value(k, session)`` for the k-th client's session."""

    def mod(frame: pd.DataFrame) -> pd.DataFrame:
        ks = _client_order(frame)
        sessions = frame["session"] if "session" in frame else frame["redcap_repeat_instance"]
        frame[column] = [value(int(k), int(s)) for k, s in zip(ks, sessions, strict=True)]
        return frame

    return mod


def per_row(column: str, values: Sequence[Any]) -> Mod:
    def mod(frame: pd.DataFrame) -> pd.DataFrame:
        frame[column] = [values[i % len(values)] for i in range(len(frame))]
        return frame

    return mod


def one_cell(column: str, value: Any, *, row: int = 5, rest: Any = "") -> Mod:
    """One cell of ``column`` (made, holding ``rest`` elsewhere, when it is not there) set to ``value``."""

    def mod(frame: pd.DataFrame) -> pd.DataFrame:
        if column not in frame:
            frame[column] = rest
        if not isinstance(value, (int, float)) or frame[column].dtype.kind not in "if":
            frame[column] = frame[column].astype(object)
        frame.loc[row, column] = value
        return frame

    return mod


def client_ids(values: Sequence[str]) -> Mod:
    """The k-th client's id becomes ``values[k]`` (give at least as many as there are clients)."""

    def mod(frame: pd.DataFrame) -> pd.DataFrame:
        frame[_key(frame)] = [values[k] for k in _client_order(frame)]
        return frame

    return mod


def rename(old: str, new: str) -> Mod:
    def mod(frame: pd.DataFrame) -> pd.DataFrame:
        return frame.rename(columns={old: new})

    return mod


def visit_date(k: int, s: int) -> dt.date:
    """The date of the k-th client's session ``s`` in the cases that show visit dates."""
    return dt.date(2023, 3, 5) + dt.timedelta(days=9 * k + 14 * (s - 1))


def visit_dates(form: Callable[[dt.date], str]) -> tuple[str, ...]:
    """Every visit date a case may show, written with ``form`` (its secrets)."""
    return tuple(sorted({form(visit_date(k, s)) for k in range(8) for s in range(1, 5)}))


# ---------------------------------------------------------------------------------------
# A case and how it is written
# ---------------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class Case:
    """One export of the corpus (see the module docstring)."""

    id: str
    kind: str  # a key of SAFE_HARBOR, or "clean"
    place: str  # a key of PLACES ("" for a clean file)
    where: str  # the exact spot, in words
    secrets: tuple[str, ...]  # never in any message or output
    fmt: str = "csv"  # csv, xlsx or parquet
    mods: tuple[Mod, ...] = ()
    layout: str = "long"  # the package's own layouts (outcomes.datasets.to_layout)
    base: dict[str, Any] = field(default_factory=dict)  # base_export's keywords
    extras: dict[str, Any] = field(default_factory=dict)  # what the writer adds (see write)
    column: str | None = None  # the column holding the identifier, when it is in one with a name

    def frame(self) -> pd.DataFrame:
        frame = base_export(self.id, **self.base)
        if self.layout != "long":
            frame = to_layout(frame, self.layout)
        for mod in self.mods:
            frame = mod(frame)
        return frame

    def write(self, directory: Path) -> Path:
        """Write the export into ``directory`` (``export.<fmt>``: the name tells nothing) and return it."""
        directory.mkdir(parents=True, exist_ok=True)
        frame = self.frame()
        writer = {"csv": _write_csv, "xlsx": _write_xlsx, "parquet": _write_parquet}[self.fmt]
        return writer(frame, directory, self.extras)


def _write_csv(frame: pd.DataFrame, directory: Path, extras: dict[str, Any]) -> Path:
    """``extras``: ``comment_lines`` and ``title_line`` before the header, ``footer_line`` after the
    data, ``sep``, ``decimal``, ``encoding``, ``suffix``."""
    sep, decimal = extras.get("sep", ","), extras.get("decimal", ".")
    text = frame.to_csv(index=False, lineterminator="\n", sep=sep, decimal=decimal, float_format="%g")
    head = [*extras.get("comment_lines", ()), *([extras["title_line"]] if "title_line" in extras else [])]
    if head:
        text = "\n".join(head) + "\n" + text
    if "footer_line" in extras:
        text += extras["footer_line"] + "\n"
    path = directory / f"export{extras.get('suffix', '.csv')}"
    path.write_bytes(text.encode(extras.get("encoding", "utf-8")))
    return path


def _cell(value: Any) -> Any:
    if isinstance(value, float) and np.isnan(value):
        return None
    if isinstance(value, np.generic):
        return value.item()
    if value is pd.NA:
        return None
    return value


def _write_xlsx(frame: pd.DataFrame, directory: Path, extras: dict[str, Any]) -> Path:
    """``extras``: ``comment_lines`` (rows before the header), ``sheet_title``, ``second_sheet`` (a
    frame and its title), ``cell_comment`` (text, author: on the score of the fourth data row),
    ``hidden_columns``, ``properties`` (creator, lastModifiedBy, title ...)."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = extras.get("sheet_title", "Sessions")
    for line in extras.get("comment_lines", ()):
        ws.append([line])
    header_row = ws.max_row + 1 if extras.get("comment_lines") else 1
    ws.append([str(c) for c in frame.columns])
    for row in frame.itertuples(index=False):
        ws.append([_cell(v) for v in row])
    if "cell_comment" in extras:
        text, author = extras["cell_comment"]
        col = list(frame.columns).index("score") + 1
        ws.cell(row=header_row + 4, column=col).comment = Comment(text, author)
    for name in extras.get("hidden_columns", ()):
        letter = get_column_letter(list(frame.columns).index(name) + 1)
        ws.column_dimensions[letter].hidden = True
    if "second_sheet" in extras:
        other, title = extras["second_sheet"]
        ws2 = wb.create_sheet(title)
        ws2.append(list(other.columns))
        for row in other.itertuples(index=False):
            ws2.append([_cell(v) for v in row])
    for key, value in extras.get("properties", {}).items():
        setattr(wb.properties, key, value)
    path = directory / "export.xlsx"
    wb.save(path)
    return path


def _write_parquet(frame: pd.DataFrame, directory: Path, extras: dict[str, Any]) -> Path:
    """``extras``: ``metadata`` (key-value pairs of the file), ``field_metadata`` (column, pairs),
    ``index`` (values or None, and a name: written as the pandas index), ``binary`` (columns written
    as bytes)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    frame = frame.copy()
    for name in extras.get("binary", ()):
        frame[name] = [v.encode("utf-8") if isinstance(v, str) else v for v in frame[name]]
    preserve = False
    if "index" in extras:
        values, name = extras["index"]
        if values is not None:
            frame.index = pd.Index([values[i % len(values)] for i in range(len(frame))], name=name)
            preserve = True
        else:
            frame.index.name = name
            preserve = None  # a RangeIndex: kept as metadata only
    table = pa.Table.from_pandas(frame, preserve_index=preserve)
    if "field_metadata" in extras:
        column, meta = extras["field_metadata"]
        schema = table.schema
        i = schema.get_field_index(column)
        schema = schema.set(i, schema.field(i).with_metadata(meta))
        table = pa.Table.from_arrays(table.columns, schema=schema)
    if "metadata" in extras:
        table = table.replace_schema_metadata({**(table.schema.metadata or {}), **extras["metadata"]})
    path = directory / "export.parquet"
    pq.write_table(table, path)
    return path


# ---------------------------------------------------------------------------------------
# The identifier cases
# ---------------------------------------------------------------------------------------
IDENTIFYING: list[Case] = []


def _case(
    id: str, kind: str, place: str, where: str, secrets: Iterable[str], *mods: Mod, **options: Any
) -> None:
    if kind not in SAFE_HARBOR or place not in PLACES:
        raise ValueError(f"case {id}: unknown kind {kind!r} or place {place!r}")
    secrets = tuple(str(s) for s in secrets if str(s))
    known = {"fmt", "layout", "base", "column"}
    kwargs = {k: v for k, v in options.items() if k in known}
    extras = {k: v for k, v in options.items() if k not in known}
    IDENTIFYING.append(Case(id, kind, place, where, secrets, mods=mods, extras=extras, **kwargs))


def _column(id: str, kind: str, column: str, values: Sequence[str], secrets=None, **options: Any) -> None:
    """A case with an extra column holding ``values`` per client (its secrets: the values)."""
    place = options.pop("place", "column")
    where = f"values of column {column!r}"
    secrets = values if secrets is None else secrets
    _case(id, kind, place, where, secrets, per_client(column, values), column=column, **options)


def _cell_case(id: str, kind: str, column: str, value: Any, secrets=None, **options: Any) -> None:
    """A case with one cell of ``column`` holding ``value``."""
    contract = {"condition", "technique", "site", "payer", "age_band", "client_id"}
    echoed = {"measure", "timepoint", "session", "score", "year", "days_from_first"}
    place = options.pop(
        "place", "contract" if column in contract else "echoed" if column in echoed else "column"
    )
    where = f"one value of column {column!r}"
    secrets = (str(value),) if secrets is None else secrets
    _case(id, kind, place, where, secrets, one_cell(column, value), column=column, **options)


def _ids(id: str, kind: str, values: Sequence[str], secrets=None, **options: Any) -> None:
    base = {"n_clients": min(len(values), 6)}
    where = "client_id values"
    secrets = values if secrets is None else secrets
    mod = client_ids(values)
    _case(id, kind, "client_id", where, secrets, mod, base=base, column="client_id", **options)


def _header(id: str, kind: str, header: str, values: Sequence[Any], **options: Any) -> None:
    where = "a column header"
    _case(id, kind, "header", where, (header,), per_client(header, values), column=header, **options)


THERAPISTS = ("Sarah Kim", "Tom Ito", "Priya Raman")
NAMES = ("Jane Doe", "John Smith", "Maria Garcia", "Linda Nguyen", "David Okafor", "Susan Kowalski")

# (A) names in columns whose header does not say "name"
for fmt in ("csv", "xlsx", "parquet"):
    _column(f"names_therapist_column_{fmt}", "names", "therapist", THERAPISTS, fmt=fmt)
_column(
    "names_emergency_contact_with_relation",
    "names",
    "emergency_contact",
    ("John Doe (husband)", "Eve Stone (wife)", "Tim Ray (brother)", "Ana Ruiz (mother)"),
    secrets=("John Doe", "Eve Stone", "Tim Ray", "Ana Ruiz"),
)
_column("names_referred_by_doctors", "names", "referred_by", ("Dr. Susan Moore", "Dr. Okafor", "Karen Walsh"))
_column("names_companion_column", "names", "companion", ("Maria Garcia", "David Lee", "Nancy Park"))
_column("names_pcp_column", "names", "pcp", ("Dr. Alan Weiss", "Dr. Mei Chen", "Dr. Robert Brown"))
_column("names_interpreter_some_rows", "names", "interpreter", ("Ahmed Hassan", "", "", "Olga Petrova", ""))
_column("names_booked_with_first_names", "names", "booked_with", ("Sarah", "Tom", "Priya"))
_column("names_guardian_lower_case", "names", "guardian", ("jane doe", "john smith", "maria garcia"))
_column("names_responsible_upper_case", "names", "responsible", ("JANE DOE", "JOHN SMITH", "LINDA NGUYEN"))
_column("names_family_surnames_only", "names", "family", ("Okafor", "Kowalski", "Nguyen", "Haddad"))
_column("names_attending_with_titles", "names", "attending", ("Mrs. Kowalski", "Mr. Haddad", "Dr. Park"))
_column("names_signed_by_slash_s", "names", "signed", ("/s/ Sarah Kim", "/s/ Tom Ito"))
_column("names_middle_and_hyphen", "names", "companion", ("Mary-Kate O'Neil", "Robert J. Brown", "Ann Ray"))
_column("names_staff_prepost_layout", "names", "staff", THERAPISTS, layout="prepost")
_column("names_staff_wide_layout", "names", "staff", THERAPISTS, layout="wide")
_column(
    "names_mother_redcap_layout", "names", "mother", ("Ana Ruiz", "Eve Stone", "Mei Chen"), layout="redcap"
)
# (A) one name in a column the reports read
_cell_case("names_one_in_condition", "names", "condition", "Jane Doe")
_cell_case("names_one_in_condition_list", "names", "condition", "pelvic_pain;Jane Doe", secrets=("Jane Doe",))
_cell_case("names_one_in_technique", "names", "technique", "Sarah Kim")
_cell_case("names_one_in_site", "names", "site", "Kwame Mensah")
_cell_case("names_one_in_payer", "names", "payer", "Robert Brown")
_cell_case("names_one_in_age_band", "names", "age_band", "Linda Nguyen")
_cell_case("names_one_in_condition_xlsx", "names", "condition", "Jane Doe", fmt="xlsx")
_cell_case("names_one_in_site_parquet", "names", "site", "Kwame Mensah", fmt="parquet")
# (A) diacritics and other scripts
_column("names_diacritics_column", "names", "companion", ("José Núñez", "Zoë Ångström", "François Lefèvre"))
_ids(
    "names_diacritics_client_id",
    "names",
    ("José Núñez", "Björn Ødegård", "Łukasz Wójcik", "Renée Dubois", "Ana Söderström"),
)
_column(
    "names_diacritics_cp1252_file",
    "names",
    "seen_with",
    ("José Núñez", "Renée Lefèvre", "Zoë Müller"),
    place="encoding",
    encoding="cp1252",
)
_ids("names_cjk_client_id", "names", ("王小明", "李娜", "张伟", "佐藤花子", "田中太郎"))
_column("names_cjk_column", "names", "companion", ("王小明", "李娜", "佐藤花子"))
_ids("names_korean_client_id", "names", ("김민준", "이서연", "박지훈", "최유진", "정하은"))
_column("names_cyrillic_column", "names", "companion", ("Ольга Иванова", "Сергей Петров"))
_ids("names_arabic_client_id", "names", ("محمد علي", "فاطمة حسن", "أحمد خالد", "مريم يوسف", "علي حسين"))
_ids(
    "names_cjk_client_id_parquet", "names", ("王小明", "李娜", "张伟", "佐藤花子", "田中太郎"), fmt="parquet"
)
# (A) names as client ids
_ids("names_client_id_full_names", "names", NAMES)
_ids("names_client_id_usernames", "names", ("jdoe", "jsmith", "mgarcia", "lnguyen", "dokafor", "skowalski"))
_ids(
    "names_client_id_surname_initial",
    "names",
    ("Doe, J.", "Smith, J.", "Garcia, M.", "Nguyen, L.", "Okafor, D."),
)
_ids(
    "names_client_id_upper_surname_first",
    "names",
    ("DOE JANE", "SMITH JOHN", "GARCIA MARIA", "NGUYEN LINDA", "OKAFOR DAVID"),
)
_ids("names_client_id_first_names", "names", ("Jane", "Maria", "Linda", "Susan", "Karen", "Nancy"))
_ids("names_client_id_nicknames", "names", ("Janie", "Bobby", "Lexi", "Kat", "Mo", "Deb"))
_ids("names_client_id_initials_and_number", "names", ("JD01", "JS02", "MG03", "LN04", "DO05", "SK06"))
_ids(
    "names_client_id_dotted_usernames",
    "names",
    ("jane.doe", "john.smith", "maria.garcia", "linda.nguyen", "david.okafor"),
)
_ids("names_client_id_full_names_parquet", "names", NAMES, fmt="parquet")
_ids(
    "names_client_id_usernames_xlsx", "names", ("jdoe", "jsmith", "mgarcia", "lnguyen", "dokafor"), fmt="xlsx"
)
# (A) names in a header, before the header, after the data, in an unnamed column
_header("names_header_person", "names", "Jane Doe", ("yes", "no"))
_header("names_header_surname_first", "names", "Doe, Jane", ("1", "0"))
_header("names_header_wide_layout", "names", "Maria Garcia", (3, 5, 4), layout="wide")
_header("names_header_parquet", "names", "Jane Doe", ("yes", "no"), fmt="parquet")
_case(
    "names_comment_line_clients",
    "names",
    "comment",
    "a '#' line before the header",
    ("Jane Doe", "Maria Garcia"),
    comment_lines=("# Session scores for Jane Doe and Maria Garcia",),
)
_case(
    "names_comment_line_exported_by",
    "names",
    "comment",
    "a '#' line before the header",
    ("Sarah Kim",),
    comment_lines=("# Exported by Sarah Kim from the practice EHR",),
)
_case(
    "names_title_line_without_hash",
    "names",
    "comment",
    "a title line (no '#') before the header",
    ("Jane Doe",),
    title_line="Outcomes for Jane Doe",
)
_case(
    "names_footer_line",
    "names",
    "footer",
    "a line after the last row",
    ("Sarah Kim",),
    footer_line="Prepared by Sarah Kim",
)
_case(
    "names_unnamed_column_sentence",
    "names",
    "unnamed",
    "one cell of a column without a header",
    ("Jane Doe",),
    one_cell("", "Jane Doe called to move her appointment to Friday"),
)
_case(
    "names_unnamed_column_names",
    "names",
    "unnamed",
    "a column without a header, one name per client",
    NAMES[:3],
    per_client("", NAMES[:3]),
)
# (A) names in other parts of a workbook
_case(
    "names_xlsx_second_sheet_key",
    "names",
    "sheet",
    "a second sheet 'Key' (client_id, name)",
    NAMES[:5],
    fmt="xlsx",
    second_sheet=(pd.DataFrame({"client_id": [f"C{k:04d}" for k in range(1, 6)], "name": NAMES[:5]}), "Key"),
)
_case(
    "names_xlsx_cell_comment",
    "names",
    "cell_comment",
    "a comment on a score cell (text and author)",
    ("Jane Doe", "Sarah Kim"),
    fmt="xlsx",
    cell_comment=("Jane Doe said this felt worse than last week", "Sarah Kim"),
)
_case(
    "names_xlsx_sheet_title",
    "names",
    "sheet",
    "the title of the first sheet",
    ("Jane Doe",),
    fmt="xlsx",
    sheet_title="Jane Doe",
)
_case(
    "names_xlsx_workbook_author",
    "names",
    "workbook",
    "the workbook's creator and last-modified-by",
    ("Sarah Kim",),
    fmt="xlsx",
    properties={"creator": "Sarah Kim", "lastModifiedBy": "Sarah Kim"},
)
_case(
    "names_xlsx_hidden_column",
    "names",
    "sheet",
    "a hidden column 'ref' holding names",
    NAMES[:3],
    per_client("ref", NAMES[:3]),
    fmt="xlsx",
    hidden_columns=("ref",),
    column="ref",
)
_case(
    "names_xlsx_comment_row",
    "names",
    "comment",
    "a '#' row before the header",
    ("Jane Doe",),
    fmt="xlsx",
    comment_lines=("# for Jane Doe's insurer",),
)
# (A) names in Parquet metadata, index and bytes
_case(
    "names_parquet_kv_exported_by",
    "names",
    "parquet_metadata",
    "file metadata 'exported_by'",
    ("Sarah Kim",),
    fmt="parquet",
    metadata={b"exported_by": b"Sarah Kim"},
)
_case(
    "names_parquet_kv_client_list",
    "names",
    "parquet_metadata",
    "file metadata 'clients'",
    ("Jane Doe", "John Smith"),
    fmt="parquet",
    metadata={b"clients": b"Jane Doe; John Smith"},
)
_case(
    "names_parquet_field_metadata",
    "names",
    "field_metadata",
    "metadata of the client_id field",
    ("Jane Doe", "John Smith"),
    fmt="parquet",
    field_metadata=("client_id", {b"description": b"C0001 = Jane Doe, C0002 = John Smith"}),
)
_case(
    "names_parquet_index_values",
    "names",
    "parquet_index",
    "the pandas index (named 'client') holding names",
    NAMES,
    fmt="parquet",
    index=(NAMES, "client"),
)
_case(
    "names_parquet_index_name",
    "names",
    "parquet_index",
    "the name of the pandas RangeIndex",
    ("Jane Doe",),
    fmt="parquet",
    index=(None, "Jane Doe"),
)
_case(
    "names_parquet_binary_column",
    "names",
    "binary",
    "a binary column 'label' holding names",
    NAMES[:3],
    per_client("label", NAMES[:3]),
    fmt="parquet",
    binary=("label",),
    column="label",
)
# (A) names in the columns validation reports values of
_cell_case("names_echo_measure_uncommon", "names", "measure", "Kwame Mensah")
_cell_case("names_echo_measure_common", "names", "measure", "Jane Doe")
_cell_case("names_echo_timepoint", "names", "timepoint", "Siobhan Kearney")
_cell_case("names_echo_session", "names", "session", "Thandiwe Nkosi")
_cell_case("names_echo_score", "names", "score", "Okafor")
_cell_case("names_echo_year", "names", "year", "Ngozi Adeyemi")
_cell_case("names_echo_days_from_first", "names", "days_from_first", "Tariq Haddad")
_cell_case("names_echo_measure_xlsx", "names", "measure", "Kwame Mensah", fmt="xlsx")

# (B) geographic subdivisions smaller than a state
_column(
    "geo_address_lower_case", "geographic", "lives_at", ("12 elm street", "400 n main st", "77 oak avenue")
)
_column("geo_address_no_suffix", "geographic", "home", ("12 Elm", "400 North Main", "77 Willow Creek"))
_column("geo_address_title_case", "geographic", "location", ("12 Elm Street", "400 N Main St Apt 3"))
_column("geo_address_with_city_zip", "geographic", "mailing", ("12 Elm Street, Springfield, IL 62704",))
_column("geo_po_box_lower_case", "geographic", "mail_to", ("po box 77", "p.o. box 12"))
_column("geo_address_german", "geographic", "adresse", ("Hauptstraße 5", "Lindenweg 12"))
_column("geo_address_unit_only", "geographic", "unit", ("Apt 4B", "Unit 12"))
_cell_case("geo_address_one_in_condition", "geographic", "condition", "12 Elm Street")
_cell_case("geo_address_lower_one_in_technique", "geographic", "technique", "12 elm st")
_cell_case("geo_address_echo_measure", "geographic", "measure", "12 Elm Street")
_column("geo_zip_lost_leading_zero", "geographic", "area", ("2139", "2474", "1002", "2861"))
_column(
    "geo_zip_lost_leading_zero_parquet",
    "geographic",
    "area",
    (2139, 2474, 1002, 2861),
    fmt="parquet",
    secrets=("2139", "2474", "1002", "2861"),
)
_column(
    "geo_zip_lost_leading_zero_xlsx",
    "geographic",
    "area",
    (2139, 2474, 1002, 2861),
    fmt="xlsx",
    secrets=("2139", "2474", "1002", "2861"),
)
_column("geo_zip_plus_4", "geographic", "area", ("02139-4307", "10001-0001"))
_column("geo_zip5_per_client", "geographic", "area", ("02139", "02474", "10001", "60614"))
_cell_case("geo_zip5_one_in_site", "geographic", "site", "02139")
_column(
    "geo_city_in_site", "geographic", "site", ("Springfield", "Cambridge", "Somerville"), place="contract"
)
_column("geo_city_state", "geographic", "from", ("Cambridge, MA", "Austin, TX"))
_column("geo_county", "geographic", "region", ("Middlesex County", "Suffolk County"))
_column("geo_gps_coordinates", "geographic", "geo", ("42.3736, -71.1097", "42.3601, -71.0589"))
_column("geo_uk_postcode", "geographic", "area", ("SW1A 1AA", "EC1A 1BB", "M1 1AE"))
_column("geo_canadian_postal_code", "geographic", "area", ("K1A 0B1", "M5V 2T6"))
_case(
    "geo_address_comment_line",
    "geographic",
    "comment",
    "a '#' line before the header",
    ("12 Elm Street",),
    comment_lines=("# mail the report to 12 Elm Street, Springfield",),
)
_case(
    "geo_address_parquet_metadata",
    "geographic",
    "parquet_metadata",
    "file metadata 'practice_client'",
    ("12 Elm Street",),
    fmt="parquet",
    metadata={b"practice_client": b"C0003, 12 Elm Street"},
)
_case(
    "geo_address_xlsx_second_sheet",
    "geographic",
    "sheet",
    "a second sheet 'Mailing'",
    ("12 Elm Street", "400 N Main St"),
    fmt="xlsx",
    second_sheet=(
        pd.DataFrame({"client_id": ["C0001", "C0002"], "mail": ["12 Elm Street", "400 N Main St"]}),
        "Mailing",
    ),
)


# (C) dates
def _dated(id: str, column: str, form: Callable[[dt.date], Any], shown=None, **options: Any) -> None:
    """A case with a column holding each session's visit date as ``form(date)``; its secrets are the
    dates as ``shown(date)`` (default: as ``form`` writes them)."""
    shown = shown or form
    mod = per_session(column, lambda k, s: form(visit_date(k, s)))
    where = f"values of column {column!r}"
    secrets = visit_dates(lambda d: str(shown(d)))
    _case(id, "dates", "column", where, secrets, mod, column=column, **options)


_dated("dates_iso_column", "visit", dt.date.isoformat)
_dated("dates_us_column", "seen", lambda d: d.strftime("%m/%d/%Y"))
_dated("dates_day_month_name_year", "seen", lambda d: f"{d.day} {d:%B %Y}")
_dated("dates_month_day_year", "seen", lambda d: f"{d:%B} {d.day}, {d.year}")
_dated("dates_dots", "seen", lambda d: d.strftime("%d.%m.%Y"))
_dated("dates_two_digit_year", "seen", lambda d: f"{d.month}/{d.day}/{d:%y}")
_dated("dates_year_month_column", "visit_month", lambda d: d.strftime("%Y-%m"))
_dated("dates_cjk_visit", "visit", lambda d: f"{d.year}年{d.month}月{d.day}日")
_dated(
    "dates_xlsx_date_cells",
    "visit",
    lambda d: dt.datetime.combine(d, dt.time()),
    shown=dt.date.isoformat,
    fmt="xlsx",
)
_dated("dates_parquet_timestamps", "seen_at", pd.Timestamp, shown=dt.date.isoformat, fmt="parquet")
_dated("dates_parquet_date32", "visit", lambda d: d, shown=dt.date.isoformat, fmt="parquet")
_column("dates_korean_visit", "dates", "visit", ("2023년 3월 5일", "2023년 3월 19일"))
_column("dates_day_month_without_year", "dates", "appt", ("5 March", "19 March", "2 April"))
_column("dates_weekday_day_month", "dates", "appt", ("Tue 5 Mar", "Tue 19 Mar"))
_column("dates_unicode_hyphens", "dates", "visit", ("2023‐03‐05", "2023‐03‐19"))
_column("dates_spaces_between", "dates", "visit", ("2023 03 05", "2023 03 19"))
_cell_case("dates_compact_one_cell", "dates", "ref", "20230305")
_column("dates_year_month_some_rows", "dates", "since", ("2023-03", "", "", "", ""))
_column("dates_month_name_year", "dates", "since", ("March 2023", "April 2023", "June 2022"))
_header("dates_header", "dates", "2023-03-05", (3, 4, 6))
_case(
    "dates_comment_line",
    "dates",
    "comment",
    "a '#' line before the header",
    ("2023-03-05",),
    comment_lines=("# C0003 intake visit 2023-03-05",),
)
_case(
    "dates_parquet_metadata",
    "dates",
    "parquet_metadata",
    "file metadata 'first_visit'",
    ("2023-03-05",),
    fmt="parquet",
    metadata={b"first_visit": b"2023-03-05"},
)
_case(
    "dates_xlsx_second_sheet",
    "dates",
    "sheet",
    "a second sheet 'Visits'",
    ("2023-03-05", "2023-03-19"),
    fmt="xlsx",
    second_sheet=(
        pd.DataFrame({"client_id": ["C0001", "C0001"], "visit": ["2023-03-05", "2023-03-19"]}),
        "Visits",
    ),
)
_cell_case("dates_echo_year_month", "dates", "year", "2023-03")
_cell_case("dates_echo_timepoint", "dates", "timepoint", "2023-03-05")
_cell_case("dates_echo_days_from_first", "dates", "days_from_first", "5 Mar")
_cell_case("dates_one_in_technique", "dates", "technique", "CST 2023-03-05")
_column(
    "dates_death_in_status",
    "dates",
    "status",
    ("deceased 2023-11-02", "active", "active"),
    secrets=("2023-11-02",),
)
_column("dates_discharge_ordinal", "dates", "discharged", ("Mar 30th, 2023", "Apr 2nd, 2023"))
# dates of birth
_column("dates_dob_german_header", "dates", "Geburtsdatum", ("15.03.1985", "01.12.1990", "22.07.1978"))
_column("dates_dob_cjk_header_and_value", "dates", "生日", ("1985年3月15日", "1990年12月1日"))
_column("dates_dob_cjk_value", "dates", "b", ("1985年3月15日", "1990年12月1日"))
_column("dates_dob_year_month", "dates", "birth_ym", ("1985-03", "1990-12", "1978-07"))
_ids(
    "dates_dob_in_client_id_compact",
    "dates",
    ("JD19850315", "JS19901201", "MG19780722", "LN19660410", "DO19920930"),
)
_ids(
    "dates_dob_in_client_id_dashed",
    "dates",
    ("JD-1985-03-15", "JS-1990-12-01", "MG-1978-07-22", "LN-1966-04-10", "DO-1992-09-30"),
)
_ids("dates_dob_in_client_id_ddmmyy", "dates", ("150385", "011290", "220778", "100466", "300992"))

# (C) ages over 89
_column("ages_text_years", "ages", "age", ("92 years", "45 years", "38 years"), secrets=("92 years",))
_column(
    "ages_text_yrs_old", "ages", "age", ("91 yrs old", "52 yrs old", "33 yrs old"), secrets=("91 yrs old",)
)
_column("ages_number_in_age_column", "ages", "age", ("92", "45", "38"), secrets=("92",))
_column("ages_decimal", "ages", "age", ("92.5", "45.0", "38.2"), secrets=("92.5",))
_column("ages_y_suffix", "ages", "age_at_intake", ("93y", "41y", "29y"), secrets=("93y",))
_column("ages_words", "ages", "age", ("ninety-two", "forty-five"), secrets=("ninety-two",))
_column("ages_years_old_header", "ages", "years_old", ("92", "45", "38"), secrets=("92",))
_column("ages_birth_year_over_89", "ages", "birth_year", ("1931", "1975", "1988"), secrets=("1931",))
_cell_case("ages_band_90_94", "ages", "age_band", "90-94")
_cell_case("ages_band_95_plus", "ages", "age_band", "95+")
_cell_case("ages_number_in_age_band", "ages", "age_band", "93")
_cell_case("ages_band_90_99_xlsx", "ages", "age_band", "90-99", fmt="xlsx")
_cell_case("ages_in_condition", "ages", "condition", "pelvic_pain (age 94)", secrets=("age 94",))
_column("ages_parquet_int", "ages", "age", (92, 45, 38), fmt="parquet", secrets=("92",))

# (D) telephone and (E) fax numbers
_column("phone_en_dashes", "phone", "callback", ("555–123–4567", "617–555–0101"))
_column("phone_dots", "phone", "callback", ("555.123.4567", "617.555.0101"))
_column("phone_plus1_spaces", "phone", "callback", ("+1 555 123 4567", "+1 617 555 0101"))
_column("phone_plus1_dashes", "phone", "callback", ("+1-555-123-4567", "+1-617-555-0101"))
_column("phone_slashes", "phone", "callback", ("555/123/4567", "617/555/0101"))
_column("phone_local_seven_digits", "phone", "callback", ("555-1234", "555-9876"))
_column("phone_fullwidth_digits", "phone", "callback", ("５５５-１２３-４５６７",))
_column("phone_uk", "phone", "callback", ("+44 20 7946 0958", "+44 7700 900123"))
_cell_case("phone_ten_digits_one_cell", "phone", "callback", "5551234567")
_ids(
    "phone_in_client_id",
    "phone",
    ("555-123-4567", "617-555-0101", "212-555-0188", "312-555-0144", "415-555-0132"),
)
_header("phone_header", "phone", "555-123-4567", ("yes", "no"))
_cell_case("phone_one_in_condition", "phone", "condition", "call 555-123-4567", secrets=("555-123-4567",))
_cell_case("phone_echo_score_en_dash", "phone", "score", "555–123–4567")
_cell_case("phone_echo_measure", "phone", "measure", "617-555-0101")
_cell_case("phone_echo_session_dots", "phone", "session", "555.123.4567")
_column(
    "phone_xlsx_numbers",
    "phone",
    "callback",
    (5551234567, 6175550101, 2125550188),
    fmt="xlsx",
    secrets=("5551234567", "6175550101", "2125550188"),
)
_column(
    "phone_parquet_int64",
    "phone",
    "callback",
    (5551234567, 6175550101, 2125550188),
    fmt="parquet",
    secrets=("5551234567", "6175550101", "2125550188"),
)
_case(
    "phone_comment_line",
    "phone",
    "comment",
    "a '#' line before the header",
    ("555-123-4567",),
    comment_lines=("# questions: front desk 555-123-4567",),
)
_case(
    "phone_parquet_metadata",
    "phone",
    "parquet_metadata",
    "file metadata 'contact'",
    ("555-123-4567",),
    fmt="parquet",
    metadata={b"contact": b"555-123-4567"},
)
_column(
    "fax_labelled",
    "fax",
    "contact_info",
    ("Fax: 555-123-4568", "Fax: 617-555-0102"),
    secrets=("555-123-4568", "617-555-0102"),
)
_column(
    "fax_en_dashes",
    "fax",
    "contact_info",
    ("fax 555–123–4568", "fax 617–555–0102"),
    secrets=("555–123–4568", "617–555–0102"),
)
_case(
    "fax_comment_line",
    "fax",
    "comment",
    "a '#' line before the header",
    ("(555) 123-4568",),
    comment_lines=("# fax results to (555) 123-4568",),
)

# (F) e-mail addresses
_column("email_at_dot_words", "email", "reminders_to", ("jane at gmail dot com", "maria at yahoo dot com"))
_column(
    "email_obfuscated_parentheses",
    "email",
    "reminders_to",
    ("jane(at)gmail(dot)com", "maria(at)yahoo(dot)com"),
)
_column(
    "email_obfuscated_brackets",
    "email",
    "reminders_to",
    ("jane [at] gmail [dot] com", "maria [at] yahoo [dot] com"),
)
_column("email_fullwidth_at", "email", "reminders_to", ("jane＠gmail.com", "maria＠yahoo.com"))
_column("email_spaced_out", "email", "reminders_to", ("jane . doe @ gmail . com",))
_column("email_upper_case", "email", "reminders_to", ("JANE.DOE@GMAIL.COM", "MARIA.G@YAHOO.COM"))
_column(
    "email_mailto_link", "email", "link", ("mailto:jane.doe@example.com",), secrets=("jane.doe@example.com",)
)
_ids(
    "email_in_client_id",
    "email",
    (
        "jane.doe@example.com",
        "jsmith@example.org",
        "m.garcia@mail.com",
        "lnguyen@example.net",
        "dokafor@example.com",
    ),
)
_header("email_header", "email", "jane.doe@example.com", ("yes", "no"))
_cell_case("email_one_in_technique", "email", "technique", "jane.doe@example.com")
_cell_case("email_dodged_echo_measure", "email", "measure", "jane at gmail dot com")
_case(
    "email_comment_line",
    "email",
    "comment",
    "a '#' line before the header",
    ("jane.doe@example.com",),
    comment_lines=("# send questions to jane.doe@example.com",),
)
_case(
    "email_parquet_metadata",
    "email",
    "parquet_metadata",
    "file metadata 'owner'",
    ("jane.doe@example.com",),
    fmt="parquet",
    metadata={b"owner": b"jane.doe@example.com"},
)
_case(
    "email_xlsx_cell_comment",
    "email",
    "cell_comment",
    "a comment on a score cell",
    ("jane.doe@example.com",),
    fmt="xlsx",
    cell_comment=("send to jane.doe@example.com", "front desk"),
)

# (G) Social Security numbers
_column("ssn_dots", "ssn", "ref", ("123.45.6789", "987.65.4320"))
_column("ssn_spaces", "ssn", "ref", ("123 45 6789", "987 65 4320"))
_column("ssn_dashes", "ssn", "ref", ("123-45-6789", "987-65-4320"))
_column("ssn_en_dashes", "ssn", "ref", ("123–45–6789", "987–65–4320"))
_column("ssn_slashes", "ssn", "ref", ("123/45/6789", "987/65/4320"))
_column("ssn_labelled_no_separators", "ssn", "ref", ("SSN 123456789", "", ""), secrets=("123456789",))
_ids("ssn_in_client_id", "ssn", ("123-45-6789", "987-65-4320", "234-56-7890", "345-67-8901", "456-78-9012"))
_cell_case("ssn_one_in_condition", "ssn", "condition", "123-45-6789")
_column(
    "ssn_parquet_int",
    "ssn",
    "ref",
    (123456789, 987654320, 234567890),
    fmt="parquet",
    secrets=("123456789", "987654320", "234567890"),
)
_cell_case("ssn_echo_session_dots", "ssn", "session", "123.45.6789")
_case(
    "ssn_comment_line",
    "ssn",
    "comment",
    "a '#' line before the header",
    ("123-45-6789",),
    comment_lines=("# SSN on file for C0002: 123-45-6789",),
)

# (H) medical record numbers
_column("mrn_dash_prefix", "medical_record", "ref", ("MR-0012345", "MR-0012346", "MR-0012399"))
_column("mrn_labelled", "medical_record", "ref", ("MRN 004512", "MRN 004513"))
_column("mrn_chart_lower_case", "medical_record", "ref", ("chart 4512", "chart 4513"))
_column("mrn_ehr_style", "medical_record", "ehr", ("E1234567", "E1234568", "E1234601"))
_column("mrn_hash_number", "medical_record", "ref", ("#0012345", "#0012346"))
_ids(
    "mrn_in_client_id",
    "medical_record",
    ("MR-0012345", "MR-0012346", "MR-0012399", "MR-0012400", "MR-0012411"),
)
_cell_case("mrn_one_in_technique", "medical_record", "technique", "MR-0012345")
_cell_case("mrn_echo_measure", "medical_record", "measure", "MR-0012345")
_header("mrn_header", "medical_record", "MRN 004512", ("1", "0"))
_case(
    "mrn_parquet_field_metadata",
    "medical_record",
    "field_metadata",
    "metadata of the client_id field",
    ("MR-0012345",),
    fmt="parquet",
    field_metadata=("client_id", {b"source": b"C0001 = MR-0012345"}),
)
_case(
    "mrn_xlsx_second_sheet",
    "medical_record",
    "sheet",
    "a second sheet 'Charts'",
    ("MR-0012345", "MR-0012346"),
    fmt="xlsx",
    second_sheet=(
        pd.DataFrame({"client_id": ["C0001", "C0002"], "chart": ["MR-0012345", "MR-0012346"]}),
        "Charts",
    ),
)

# (I) health plan beneficiary numbers
_column("mbi_with_dashes", "health_plan", "coverage", ("1EG4-TE5-MK73", "2GH7-KD9-PT12"))
_column("mbi_plain", "health_plan", "coverage", ("1EG4TE5MK73", "2GH7KD9PT12"))
_column("member_id_plain", "health_plan", "coverage", ("XYZ123456789", "ABC987654321"))
_column("member_id_lower_label", "health_plan", "coverage", ("member 884213377", "member 884213378"))
_column("medicaid_id_labelled", "health_plan", "coverage", ("Medicaid ID 12345678901",))
_column("group_number", "health_plan", "plan_group", ("GRP-004512", "GRP-004513"))
_cell_case("member_id_in_payer", "health_plan", "payer", "Aetna W123456789", secrets=("W123456789",))
_ids(
    "mbi_in_client_id",
    "health_plan",
    ("1EG4-TE5-MK73", "2GH7-KD9-PT12", "3AC2-RT4-WE56", "4DF8-GH2-JK34", "5EM1-NP3-QR78"),
)
_column("member_id_parquet", "health_plan", "coverage", ("XYZ123456789", "ABC987654321"), fmt="parquet")

# (J) account numbers
_column("account_acct_labelled", "account", "billing", ("Acct 55312", "Acct 55313"))
_column("account_lower_case_label", "account", "billing", ("account 00123345", "account 00123346"))
_column("account_invoice_numbers", "account", "billing", ("INV-2023-00017", "INV-2023-00018"))
_column("account_credit_card", "account", "card", ("4111 1111 1111 1111", "5500 0000 0000 0004"))
_column("account_iban", "account", "bank", ("DE89 3704 0044 0532 0130 00", "GB29 NWBK 6016 1331 9268 19"))
_ids(
    "account_in_client_id", "account", ("ACCT-55312", "ACCT-55313", "ACCT-55320", "ACCT-55321", "ACCT-55340")
)

# (K) certificate and licence numbers
_column("license_drivers_california", "license", "id_doc", ("D1234567", "F7654321", "B5550123"))
_column("license_drivers_labelled", "license", "id_doc", ("DL 123 456 789", "DL 987 654 321"))
_column("license_drivers_header", "license", "drivers_license", ("D1234567", "F7654321"))
_column("license_passport", "license", "travel_doc", ("X12345678", "Y87654321"))
_ids("license_in_client_id", "license", ("D1234567", "F7654321", "B5550123", "K0012345", "M7777777"))


# (L) vehicle identifiers
def vin_check_digit(vin: str) -> str:
    """The check digit (position 9) of a 17-character VIN, as 49 CFR 565.15 computes it."""
    letters = "ABCDEFGHJKLMNPRSTUVWXYZ"
    values = dict(
        zip(letters, [1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4, 5, 7, 9, 2, 3, 4, 5, 6, 7, 8, 9], strict=True)
    )
    weights = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2]
    total = sum((int(ch) if ch.isdigit() else values[ch]) * w for ch, w in zip(vin, weights, strict=True))
    return "X" if total % 11 == 10 else str(total % 11)


#: VINs with a valid check digit (the first is a well-known example: 1HGCM82633A004352)
VINS = tuple(v[:8] + vin_check_digit(v) + v[9:] for v in ("1HGCM82603A004352", "1M8GDM9A0KP042788"))
_column("vin_valid_check_digit", "vehicle", "vehicle", VINS)
_cell_case("vin_one_in_condition", "vehicle", "condition", VINS[0])
_column("vehicle_plate", "vehicle", "parking", ("7ABC123", "8XYZ456"))
_column("vehicle_plate_labelled", "vehicle", "parking", ("plate MA 1AB 234", "plate NY KDT 4421"))
_column("vin_parquet", "vehicle", "vehicle", VINS, fmt="parquet")

# (M) device identifiers and serial numbers
_column("device_tens_serial", "device", "tens_unit", ("SN-TX4421-0098", "SN-TX4421-0107"))
_column("device_mac_address", "device", "sensor", ("00:1B:44:11:3A:B7", "00:1B:44:11:3A:C2"))
_column("device_imei", "device", "app_handset", ("490154203237518", "356938035643809"))
_column("device_serial_header", "device", "serial_number", ("SN-TX4421-0098", "SN-TX4421-0107"))
_column("device_implant_serial", "device", "implant", ("PM-88213-A", "PM-88214-B"))
_column(
    "device_udi",
    "device",
    "device",
    ("(01)00643169007222(17)160128(21)BOS1234",),
    secrets=("BOS1234", "00643169007222"),
)

# (N) web addresses
_column("url_no_scheme_com", "url", "link", ("janedoe.com", "mariagarcia.com"))
_column("url_no_scheme_other_tld", "url", "link", ("linktr.ee/janedoe", "bio.link/mgarcia"))
_column("url_no_scheme_co_uk", "url", "link", ("janedoe.co.uk", "mariagarcia.de"))
_column("url_social_profile", "url", "link", ("instagram.com/jane.doe", "facebook.com/maria.garcia"))
_column("url_telegram", "url", "link", ("t.me/janedoe", "t.me/mgarcia"))
_cell_case("url_one_in_condition", "url", "condition", "www.janedoe.net")
_case(
    "url_parquet_metadata",
    "url",
    "parquet_metadata",
    "file metadata 'source'",
    ("ehr.example.org/patients/4512",),
    fmt="parquet",
    metadata={b"source": b"https://ehr.example.org/patients/4512"},
)

# (O) IP addresses
_column("ip_v4", "ip", "host", ("192.168.1.23", "10.0.0.7"))
_column("ip_with_port", "ip", "host", ("10.0.0.7:8080", "192.168.1.23:443"))
_column("ip_v6_compressed", "ip", "host", ("2001:db8::1", "fe80::1ff:fe23:4567:890a"))
_cell_case("ip_one_in_site", "ip", "site", "203.0.113.7")
_case(
    "ip_parquet_metadata",
    "ip",
    "parquet_metadata",
    "file metadata 'uploaded_from'",
    ("203.0.113.7",),
    fmt="parquet",
    metadata={b"uploaded_from": b"203.0.113.7"},
)
_case(
    "ip_comment_line",
    "ip",
    "comment",
    "a '#' line before the header",
    ("203.0.113.7",),
    comment_lines=("# uploaded from 203.0.113.7",),
)

# (P) biometric identifiers, (Q) photographs
_column(
    "biometric_voice_files", "biometric", "voice_sample", ("voice_jdoe_2023.wav", "voice_mgarcia_2023.wav")
)
_column(
    "biometric_fingerprint_template",
    "biometric",
    "thumb",
    ("FMR:4a3f9c0e8b1d22f7a9c04e5b", "FMR:9b1e77c2d4a0f3e8b6c1a905"),
)
_column(
    "biometric_template_under_its_name",
    "biometric",
    "fingerprint",
    ("FMR:77ab03c9e1d24f60", "FMR:1c9e5a7b3d0f8e24"),
)
_column("photo_column_file_names", "photo", "photo", ("jane_doe.jpg", "maria_garcia.jpg"))
_column(
    "photo_file_names_other_header", "photo", "intake_picture", ("IMG_jane_doe.jpeg", "IMG_maria_garcia.jpeg")
)
_column(
    "photo_url", "photo", "avatar", ("https://cdn.example.com/u/jane_doe.jpg",), secrets=("jane_doe.jpg",)
)
_case(
    "photo_parquet_binary_jpeg",
    "photo",
    "binary",
    "a binary column 'picture' holding JPEG bytes (with the file name in them)",
    ("jane_doe",),
    per_client(
        "picture", (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00jane_doe.jpg\x00", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00")
    ),
    fmt="parquet",
    column="picture",
)

# (R) other unique identifying numbers and codes
_column("other_student_id", "other", "school_id", ("S12345678", "S87654321"))
_column("other_nhs_number", "other", "ref", ("943 476 5919", "401 023 2137"))
_column("other_canadian_sin", "other", "ref", ("046 454 286", "130 692 544"))
_column("other_uk_national_insurance", "other", "ref", ("QQ 12 34 56 C", "AB 98 76 54 D"))
_column("other_social_handle", "other", "handle", ("@jane_doe_92", "@mgarcia.pt"))
_column("other_employee_badge", "other", "badge", ("EMP-004512", "EMP-004513"))
_column("other_court_case_number", "other", "case", ("2023-CV-001234", "2022-FA-000871"))


# ---------------------------------------------------------------------------------------
# The clean exports (nothing identifying: every one must be read)
# ---------------------------------------------------------------------------------------
CLEAN: list[Case] = []


def _clean(id: str, where: str, *mods: Mod, **options: Any) -> None:
    known = {"fmt", "layout", "base"}
    kwargs = {k: v for k, v in options.items() if k in known}
    extras = {k: v for k, v in options.items() if k not in known}
    CLEAN.append(Case(id, "clean", "", where, (), mods=mods, extras=extras, **kwargs))


TITLE_CONDITIONS = (
    "Pelvic Pain",
    "TMJ",
    "Neck Pain",
    "Postpartum Recovery",
    "Low Back Pain",
    "Tension Headache",
)
#: 20 title-case conditions: as many different name-shaped values as make the scan call a column names
MANY_CONDITIONS = (
    "Pelvic Pain",
    "TMJ",
    "Neck Pain",
    "Postpartum Recovery",
    "Low Back Pain",
    "Tension Headache",
    "Migraine",
    "Fibromyalgia",
    "Chronic Pelvic Pain",
    "Vulvodynia",
    "Interstitial Cystitis",
    "Pelvic Organ Prolapse",
    "Stress Urinary Incontinence",
    "Diastasis Recti",
    "Coccydynia",
    "Plantar Fasciitis",
    "Frozen Shoulder",
    "Tennis Elbow",
    "Sciatica",
    "Whiplash Injury",
)
#: 20 more, none holding a word the scan knows as a category word (pain, syndrome, disease ...)
PLAIN_CONDITIONS = (
    "Plantar Fasciitis",
    "Frozen Shoulder",
    "Tennis Elbow",
    "Whiplash Injury",
    "Diastasis Recti",
    "Interstitial Cystitis",
    "Carpal Tunnel",
    "Rotator Cuff Tear",
    "Trigeminal Neuralgia",
    "Occipital Neuralgia",
    "Piriformis Tightness",
    "Hip Bursitis",
    "Knee Osteoarthritis",
    "Spinal Stenosis",
    "Concussion Recovery",
    "Ankylosing Spondylitis",
    "Infant Torticollis",
    "Infant Colic",
    "Scar Adhesions",
    "Hernia Repair",
)
#: 20 CST and manual-therapy technique names without a category word
PLAIN_TECHNIQUES = (
    "Still Point",
    "Frontal Lift",
    "Parietal Lift",
    "Sphenobasilar Decompression",
    "Dural Tube Traction",
    "Temporal Ear Pull",
    "Lumbosacral Decompression",
    "Jones Strain-Counterstrain",
    "McKenzie Method",
    "Maitland Mobilization",
    "Feldenkrais Method",
    "Bowen Method",
    "Mulligan Concept",
    "Muscle Energy",
    "Trigger Point",
    "Sacral Rocking",
    "Occipital Cradle",
    "Cranial Vault Hold",
    "Vagus Nerve Work",
    "Thoracic Outlet Work",
)
EPONYM_CONDITIONS = (
    "Bell's Palsy",
    "Parkinson's Disease",
    "Crohn's Disease",
    "Sjögren's Syndrome",
    "Ehlers-Danlos Syndrome",
    "Raynaud's Phenomenon",
    "Hashimoto's Thyroiditis",
    "Graves' Disease",
    "Meniere's Disease",
    "Guillain-Barré Syndrome",
    "De Quervain's Tenosynovitis",
    "Dupuytren's Contracture",
    "Morton's Neuroma",
    "Tietze Syndrome",
    "Osgood-Schlatter Disease",
    "Scheuermann's Kyphosis",
    "Baker's Cyst",
    "Tourette Syndrome",
    "Addison's Disease",
    "Alzheimer's Disease",
)
EPONYM_TECHNIQUES = (
    "Still Point",
    "CV4",
    "Upledger 10-step",
    "Bell's palsy protocol",
    "Barral Visceral Manipulation",
    "Jones Strain-Counterstrain",
)
NAMED_METHODS = (
    "McKenzie Method",
    "Maitland Mobilization",
    "Feldenkrais Method",
    "Alexander Technique",
    "Bowen Technique",
    "Mulligan Concept",
)
#: 20 named techniques and methods, one client each
MANY_TECHNIQUES = (
    "Still Point",
    "Frontal Lift",
    "Parietal Lift",
    "Sphenobasilar Release",
    "Dural Tube Traction",
    "Hyoid Release",
    "Thoracic Inlet Release",
    "Temporal Ear Pull",
    "Lumbosacral Decompression",
    "Barral Visceral Manipulation",
    "Jones Strain-Counterstrain",
    "McKenzie Method",
    "Maitland Mobilization",
    "Feldenkrais Method",
    "Alexander Technique",
    "Bowen Technique",
    "Mulligan Concept",
    "Muscle Energy Technique",
    "Trigger Point Release",
    "Diaphragm Release",
)
CST_TECHNIQUES = (
    "Still Point",
    "Frontal Lift",
    "Parietal Lift",
    "Sphenobasilar Release",
    "Dural Tube Traction",
    "Hyoid Release",
)
GOALS = (
    "reduce pain during sitting to 3/10",
    "sleep 6 hours without waking from pain",
    "return to running 5 km pain-free",
    "open mouth 40 mm without clicking",
    "sit through a 2-hour meeting",
    "lift my toddler without back pain",
)
MANY_GOALS = (
    *GOALS,
    "walk 30 minutes without pelvic pain",
    "no headache on 5 of 7 days",
    "intercourse without pain above 2/10",
    "drive 1 hour without neck pain",
    "hold urine for 3 hours",
    "chew a full meal without jaw pain",
    "stand at work for a full shift",
    "return to yoga twice a week",
    "reduce stress to 4/10 on work days",
)
HMAC_IDS = (
    "P3f9a1c0b2d4e6f70",
    "P0b7e2c4d9a1f3e58",
    "P9c1d3e5f7a2b4c60",
    "P5e8a0c2b4d6f1a39",
    "Pd2f4a6c8e0b1d357",
    "P71b3d5f7a9c0e2f4",
)


_clean("clean_default_c0001_ids", "the base export: C0001 ids, CST techniques, payers, sites, years and days")
_clean("clean_title_case_conditions", "title-case condition names", per_client("condition", TITLE_CONDITIONS))
_clean(
    "clean_long_condition_list",
    "20 title-case conditions, one client each",
    per_client("condition", MANY_CONDITIONS),
    base={"n_clients": 20, "sessions": 1, "stress_every": 0},
)
_clean(
    "clean_several_conditions_per_client",
    "condition lists 'Pelvic Pain;Neck Pain'",
    per_client(
        "condition", ("Pelvic Pain;Neck Pain", "TMJ;Tension Headache", "Low Back Pain;Postpartum Recovery")
    ),
)
_clean(
    "clean_eponym_conditions",
    "20 conditions named after people (Bell's Palsy, Crohn's Disease)",
    per_client("condition", EPONYM_CONDITIONS),
    base={"n_clients": 20, "sessions": 1, "stress_every": 0},
)
_clean(
    "clean_twenty_plain_conditions",
    "20 title-case conditions without a category word",
    per_client("condition", PLAIN_CONDITIONS),
    base={"n_clients": 20, "sessions": 1, "stress_every": 0},
)
_clean(
    "clean_twenty_plain_techniques",
    "20 technique names without a category word",
    per_client("technique", PLAIN_TECHNIQUES),
    base={"n_clients": 20, "sessions": 1, "stress_every": 0},
)
_clean(
    "clean_many_named_techniques",
    "20 named techniques and methods, one client each",
    per_client("technique", MANY_TECHNIQUES),
    base={"n_clients": 20, "sessions": 1, "stress_every": 0},
)
_clean(
    "clean_eponym_techniques",
    "techniques named after people (Still Point, Upledger 10-step)",
    per_client("technique", EPONYM_TECHNIQUES),
)
_clean(
    "clean_named_methods",
    "methods named after people (McKenzie Method, Feldenkrais Method)",
    per_client("technique", NAMED_METHODS),
)
_clean("clean_cst_technique_names", "title-case CST technique names", per_client("technique", CST_TECHNIQUES))
_clean(
    "clean_technique_codes",
    "technique codes",
    per_client("technique", ("CV4", "SP", "SBR", "DTT", "LSD", "TIR")),
)
_clean(
    "clean_cpt_codes",
    "CPT procedure codes in column 'cpt'",
    per_session("cpt", lambda k, s: ("97140", "97112", "97530", "97110")[(k + s) % 4]),
)
_clean(
    "clean_cpt_code_lists",
    "CPT code lists in column 'cpt'",
    per_client("cpt", ("97140;97112", "97530;97140", "97161;97140")),
)
_clean(
    "clean_cpt_codes_parquet",
    "CPT codes as integers in a Parquet file",
    per_session("cpt", lambda k, s: (97140, 97112, 97530)[(k + s) % 3]),
    fmt="parquet",
)
_clean(
    "clean_icd10_codes",
    "ICD-10 codes in column 'icd10'",
    per_client("icd10", ("M54.5", "N94.89", "M26.60", "G44.209", "O90.89", "R10.2")),
)
_clean(
    "clean_icd10_descriptions",
    "ICD-10 descriptions in column 'diagnosis'",
    per_client(
        "diagnosis",
        (
            "Low back pain, unspecified",
            "Temporomandibular joint disorder, unspecified",
            "Tension-type headache, not intractable",
        ),
    ),
)
_clean("clean_goal_templates", "goal templates in column 'goal'", per_client("goal", GOALS))
_clean(
    "clean_many_goal_templates",
    "15 goal templates, one client each",
    per_client("goal", MANY_GOALS),
    base={"n_clients": 15, "sessions": 1, "stress_every": 0},
)
_clean(
    "clean_payer_categories",
    "payer categories",
    per_client(
        "payer", ("Medicaid", "Commercial", "Self-pay", "Medicare", "Blue Cross Blue Shield", "Sliding Scale")
    ),
)
_clean(
    "clean_insurer_names",
    "insurer names in 'Insurance Provider'",
    per_client("Insurance Provider", ("Aetna", "Cigna", "United Healthcare", "Tricare", "Humana")),
)
_clean("clean_site_codes", "site codes", per_client("site", ("S01", "NORTH-2", "Site A", "HQ")))
_clean(
    "clean_site_names",
    "site names (Riverside, Harbor View)",
    per_client("site", ("Riverside", "Harbor View", "Downtown Studio", "Oak Park Clinic")),
)
_clean(
    "clean_age_bands_with_90_plus",
    "age bands including 90+",
    per_client("age_band", ("90+", "75-89", "25-34", "under 18", "45-54")),
)
_clean(
    "clean_ages_under_90",
    "ages 89 and below in column 'age'",
    per_client("age", ("34", "56", "71", "89", "28")),
)
_clean(
    "clean_race_ethnicity",
    "race/ethnicity categories",
    per_client(
        "race_ethnicity",
        ("Black or African American", "White", "Hispanic or Latina", "Asian", "Not reported"),
    ),
)
_clean("clean_postpartum_yes_no", "postpartum yes/no", per_client("postpartum", ("yes", "no")))
_clean(
    "clean_hmac_pseudonyms", "anonymizer pseudonyms (P + 16 hex)", client_ids(HMAC_IDS), base={"n_clients": 6}
)
_clean(
    "clean_p_dash_ids",
    "ids P-17, P-3 ...",
    client_ids(("P-17", "P-3", "P-22", "P-8", "P-41", "P-5")),
    base={"n_clients": 6},
)
_clean(
    "clean_numeric_ids",
    "ids 00123, 00124 ...",
    client_ids(("00123", "00124", "00131", "00140", "00152", "00160")),
    base={"n_clients": 6},
)
_clean(
    "clean_uuid_ids",
    "random UUIDs as ids",
    client_ids(
        (
            "3f2b8c1e-9d4a-4f6b-8e2a-1c5d7e9f0a3b",
            "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d",
            "0c9d8e7f-6a5b-4c3d-2e1f-0a9b8c7d6e5f",
            "7e6d5c4b-3a29-4180-9f8e-7d6c5b4a3928",
            "5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d",
            "9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a",
        )
    ),
    base={"n_clients": 6},
)
_clean(
    "clean_hex_ids_upper",
    "short upper-case hex ids",
    client_ids(("A3F9C2", "0B7E2C", "9C1D3E", "5E8A0C", "D2F4A6", "71B3D5")),
    base={"n_clients": 6},
)
_clean(
    "clean_therapist_code",
    "therapist codes in 'therapist_code'",
    per_client("therapist_code", ("T01", "T02", "T03")),
)
_clean("clean_provider_id", "provider ids in 'provider_id'", per_client("provider_id", ("PR-3", "PR-7")))
_clean(
    "clean_session_minutes",
    "session length in minutes",
    per_session("session_minutes", lambda k, s: (45, 60, 90)[(k + s) % 3]),
)
_clean(
    "clean_body_regions",
    "treated body regions",
    per_client(
        "region", ("Sacrum", "Occiput", "Temporal Bone", "Pelvic Floor", "Left TMJ", "Thoracic Spine")
    ),
)
_clean(
    "clean_referral_sources",
    "referral source categories",
    per_client(
        "referral_source", ("Physician", "Self", "Midwife", "Web search", "Friend or family", "OB/GYN")
    ),
)
_clean(
    "clean_visit_type",
    "visit types",
    per_session("visit_type", lambda k, s: "Initial" if s == 1 else "Follow-up"),
)
_clean(
    "clean_home_program",
    "home programme labels",
    per_client(
        "home_program",
        ("Diaphragmatic breathing 5 min daily", "Pelvic floor relaxation", "Jaw stretches twice daily"),
    ),
)
_clean(
    "clean_months_and_weeks",
    "months from first and weeks postpartum",
    per_session("months_from_first", lambda k, s: s - 1),
    per_client("weeks_postpartum", (6, 12, 20)),
)
_clean(
    "clean_oxford_grade",
    "pelvic floor grades 'Grade 3 (Oxford)'",
    per_client("pf_grade", ("Grade 3 (Oxford)", "Grade 2 (Oxford)", "Grade 4 (Oxford)")),
)
_clean(
    "clean_programme_names",
    "programme names",
    per_client("program", ("Pelvic Health Program", "Jaw & Headache Clinic", "Postpartum Return to Run")),
)
_clean(
    "clean_comment_line_synthetic",
    "a '#' line saying the data are synthetic",
    comment_lines=("# SYNTHETIC data for testing, not real clients",),
)
_clean("clean_prepost_layout", "the package's pre/post layout", layout="prepost")
_clean("clean_wide_layout", "the package's wide layout", layout="wide")
_clean("clean_redcap_layout", "the package's REDCap layout", layout="redcap")
_clean(
    "clean_wide_title_case_conditions",
    "wide layout with title-case conditions",
    per_client("condition", TITLE_CONDITIONS),
    layout="wide",
)
_clean("clean_xlsx", "the base export as a workbook", fmt="xlsx")
_clean(
    "clean_xlsx_eponym_techniques",
    "eponym techniques in a workbook",
    per_client("technique", EPONYM_TECHNIQUES),
    fmt="xlsx",
)
_clean("clean_parquet", "the base export as Parquet", fmt="parquet")
_clean(
    "clean_parquet_hmac_ids",
    "pseudonyms in a Parquet file",
    client_ids(HMAC_IDS),
    fmt="parquet",
    base={"n_clients": 6},
)
_clean("clean_semicolon_decimal_comma", "semicolon-separated with decimal commas", sep=";", decimal=",")
_clean(
    "clean_utf16_tab_text",
    "Excel 'Unicode Text': UTF-16 tab-separated .txt",
    sep="\t",
    encoding="utf-16",
    suffix=".txt",
)
_clean(
    "clean_cp1252_eponyms",
    "Windows-1252 file with Sjögren's Syndrome",
    per_client("condition", ("Sjögren's Syndrome", "Ménière's Disease", "Pelvic Pain")),
    encoding="cp1252",
)


# ---------------------------------------------------------------------------------------
# Reading a case and looking for its secrets
# ---------------------------------------------------------------------------------------
_WORD_CHAR = r"[^\W_]"  # a letter or digit of any script (an underscore is a boundary, as in jane_doe)


def _forms(secret: str) -> set[str]:
    low = secret.casefold()
    forms = {low}
    snake = re.sub(r"[\W_]+", "_", low).strip("_")
    if len(snake) >= 4:
        forms.add(snake)
    return forms


def find_leaks(secrets: Iterable[str], texts: dict[str, str]) -> list[tuple[str, str]]:
    """``(secret, channel)`` for each secret found in a text: case-folded, as a whole word (not inside
    a longer run of letters and digits, so that ``2139`` is not found inside a SHA-256), also written
    as snake_case (``Jane Doe`` as ``jane_doe``)."""
    found = []
    patterns = {
        s: [re.compile(rf"(?<!{_WORD_CHAR}){re.escape(f)}(?!{_WORD_CHAR})") for f in _forms(s)]
        for s in secrets
    }
    for channel, text in texts.items():
        low = text.casefold()
        for secret, pats in patterns.items():
            if any(p.search(low) for p in pats):
                found.append((secret, channel))
    return found


@dataclass
class Outcome:
    """How the read of one case ended, and every text it gave back."""

    case: Case
    error: str  # the class name of the exception raised, "" when the file was read
    findings: list[str]  # the PrivacyError's lines: "column 'X' looks like ...", "comment line 1 ..."
    texts: dict[str, str]  # channel -> text
    seconds: float
    crashed: bool = False  # ended with an exception that is not an OutcomesError (a bug of the reader)

    @property
    def refused(self) -> bool:
        """Stopped by the identifier scan (a PrivacyError)."""
        return self.error == "PrivacyError"

    @property
    def leaks(self) -> list[tuple[str, str]]:
        return find_leaks(self.case.secrets, self.texts)


def api_texts(
    exc: BaseException | None, data: Any, caught: Sequence[warnings.WarningMessage]
) -> dict[str, str]:
    """Every text a read gives back: the error's message and failure_cases, or the provenance, flow and
    failure_cases of the data (JSON with non-ASCII characters as they are); the warnings."""
    texts = {}
    if exc is not None:
        texts["message"] = str(exc)
        fc = getattr(exc, "failure_cases", None)
        if fc is not None and len(fc):
            texts["failure_cases"] = fc.to_json(orient="records", force_ascii=False)
    if data is not None:
        texts["provenance"] = json.dumps(data.provenance, default=str, ensure_ascii=False)
        texts["flow"] = data.flow.to_string()
        if len(data.failure_cases):
            texts["failure_cases"] = data.failure_cases.to_json(orient="records", force_ascii=False)
    texts["warnings"] = "\n".join(str(w.message) for w in caught)
    return texts


def run_api(case: Case, directory: Path) -> Outcome:
    """Write ``case`` into ``directory`` and read it with :func:`outcomes.read_sessions`."""
    path = case.write(directory)
    exc: Exception | None = None
    data = None
    start = time.perf_counter()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            data = oc.read_sessions(path)
        except Exception as error:  # an error that is not an OutcomesError is a crash: recorded, not raised
            exc = error
    seconds = time.perf_counter() - start
    findings = []
    if isinstance(exc, PrivacyError):
        # a column by its name, a column whose header is not shown by its position, or a part of the
        # file outside the columns (a comment line, the metadata, the index)
        findings = [line[2:] for line in str(exc).splitlines() if line.startswith("- ")]
    name = type(exc).__name__ if exc else ""
    crashed = exc is not None and not isinstance(exc, OutcomesError)
    return Outcome(case, name, findings, api_texts(exc, data, caught), seconds, crashed)


def cli_subset(cases: Sequence[Case], every: int = 4) -> list[Case]:
    """The cases also run through ``outcomes validate``: every ``every``-th case, and every case whose
    identifier sits where validate could print it (a value validation reports, a column the reports
    read, a header, a line around the data)."""
    printed = {"echoed", "contract", "header", "comment", "footer"}
    return [c for i, c in enumerate(cases) if i % every == 0 or c.place in printed]


def tally(outcomes: Sequence[Outcome], by: str) -> pd.DataFrame:
    """Identifier cases per ``kind`` or ``place``: cases, caught (PrivacyError), missed, leaked (a
    secret in some text), refused otherwise (another error), and seconds per file."""
    rows = [
        {
            by: getattr(o.case, by),
            "cases": 1,
            "caught": int(o.refused),
            "missed": int(not o.refused),
            "leaked": int(bool(o.leaks)),
            "other_error": int(bool(o.error) and not o.refused),
            "seconds": o.seconds,
        }
        for o in outcomes
        if o.case.kind != "clean"
    ]
    table = (
        pd.DataFrame(rows)
        .groupby(by, sort=False)
        .agg(
            cases=("cases", "sum"),
            caught=("caught", "sum"),
            missed=("missed", "sum"),
            leaked=("leaked", "sum"),
            other_error=("other_error", "sum"),
            ms_per_file=("seconds", lambda s: 1000 * float(np.mean(s))),
        )
    )
    return table.reset_index()


def report_lines(outcomes: Sequence[Outcome]) -> list[str]:
    """The corpus in a few lines: miss rate, false-positive rate, leaks, time per file."""
    ident = [o for o in outcomes if o.case.kind != "clean"]
    clean = [o for o in outcomes if o.case.kind == "clean"]
    missed = [o for o in ident if not o.refused]
    fps = [o for o in clean if o.refused]
    leaked = [o for o in outcomes if o.leaks]
    ms = 1000 * float(np.mean([o.seconds for o in outcomes])) if outcomes else 0.0
    return [
        f"privacy corpus: {len(ident)} identifier cases, {len(ident) - len(missed)} caught, "
        f"{len(missed)} missed (miss rate {len(missed) / max(len(ident), 1):.1%})",
        f"privacy corpus: {len(clean)} clean files, {len(fps)} refused "
        f"(false-positive rate {len(fps) / max(len(clean), 1):.1%})",
        f"privacy corpus: {len(leaked)} cases leak a secret into a message or output (API); "
        f"{ms:.0f} ms per file",
    ]
