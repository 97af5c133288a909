"""Shared fixtures: Agg backend, closed figures, a seeded rng, small canonical frames, and every helper
that test files in more than one place need (a test file never imports another test file).

Fixtures that return a function (``feasible_range``, ``crafted_grant_frame``, ``no_leaks``,
``identifier_export``, ...) are session-scoped: the function is the helper itself, so module-scoped
fixtures and hypothesis tests can use them too.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import linprog

import outcomes as oc
from outcomes.datasets.model import KEY
from outcomes.privacy import keygen

os.environ.setdefault("MPLBACKEND", "Agg")

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "data_samples"


@pytest.fixture
def rng() -> np.random.Generator:
    return np.random.default_rng(20261126)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    import sys

    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")


@pytest.fixture
def tiny_long() -> pd.DataFrame:
    """Two clients, two sessions, pain and stress: a canonical long frame."""
    rows = []
    for client, cond, base in (("C01", "pelvic_pain", 6), ("C02", "headache;tmj", 4)):
        for session in (1, 2):
            for measure, shift in (("pain_nrs", 0), ("stress_nrs", -1)):
                pre = base - session + shift
                rows.append((client, session, "pre", measure, pre, cond, "CST", "25-34"))
                rows.append((client, session, "post", measure, pre - 1, cond, "CST", "25-34"))
    return pd.DataFrame(
        rows,
        columns=[
            "client_id",
            "session",
            "timepoint",
            "measure",
            "score",
            "condition",
            "technique",
            "age_band",
        ],
    )


@pytest.fixture(scope="session")
def samples() -> Path:
    return SAMPLES


def _sort_by_key(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.sort_values(list(KEY), kind="stable").reset_index(drop=True)


@pytest.fixture(scope="session")
def sort_by_key():
    """``sort_by_key(frame)``: the rows in the generator's order (client, session, measure, timepoint)."""
    return _sort_by_key


# ---------------------------------------------------------------------------------------
# The literature comparison of the long sample (tests/literature, tests/plots)
# ---------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def comparison() -> oc.LiteratureComparison:
    return oc.compare_literature(oc.read_sessions(SAMPLES / "synthetic_practice_long.csv"))


# ---------------------------------------------------------------------------------------
# Small-cell suppression: an attacker's linear programme (tests/privacy, tests/reporting)
# ---------------------------------------------------------------------------------------
def _feasible_range(table: pd.DataFrame, hidden: pd.DataFrame, cell: tuple[str, str], min_cell: int):
    """Min and max of a hidden cell given every shown value and the additive structure of the table.

    Unknowns: the hidden cells. Constraints: each row's parts sum to its total, each column's parts
    sum to its total (shown values as constants). Bounds: a primary-suppressed cell lies in
    1..min_cell−1 to an attacker; any other hidden cell is just ≥ 0."""
    values = table.to_numpy(dtype=float)
    mask = hidden.to_numpy()
    idx = {pos: k for k, pos in enumerate(zip(*np.nonzero(mask), strict=True))}
    n_r, n_c = values.shape
    a_eq, b_eq = [], []
    lines = [[(i, j) for j in range(n_c - 1)] + [(i, n_c - 1)] for i in range(n_r)]
    lines += [[(i, j) for i in range(n_r - 1)] + [(n_r - 1, j)] for j in range(n_c)]
    for line in lines:
        parts, total = line[:-1], line[-1]
        row = np.zeros(len(idx))
        rhs = 0.0
        for pos, coef in [*((p, 1.0) for p in parts), (total, -1.0)]:
            if pos in idx:
                row[idx[pos]] += coef
            else:
                rhs -= coef * values[pos]
        if row.any():
            a_eq.append(row)
            b_eq.append(rhs)
        else:
            assert abs(rhs) < 1e-9
    bounds = []
    for pos in idx:
        v = values[pos]
        bounds.append((1, min_cell - 1) if 1 <= v < min_cell else (0, None))
    target = idx[(table.index.get_loc(cell[0]), table.columns.get_loc(cell[1]))]
    c = np.zeros(len(idx))
    c[target] = 1
    lo = linprog(c, A_eq=a_eq or None, b_eq=b_eq or None, bounds=bounds)
    hi = linprog(-c, A_eq=a_eq or None, b_eq=b_eq or None, bounds=bounds)
    return lo.fun, -hi.fun


@pytest.fixture(scope="session")
def feasible_range():
    """``feasible_range(table, hidden, cell, min_cell) -> (lo, hi)``: the attacker's linear programme."""
    return _feasible_range


# ---------------------------------------------------------------------------------------
# The funder report's crafted practice and the leak check (tests/reporting)
# ---------------------------------------------------------------------------------------
def _crafted_grant_frame() -> pd.DataFrame:
    """49 clients in 2025 (30 pelvic pain, 15 TMJ, 4 headache) and 6 in 2024; two sessions each.

    Scores have three decimals so that any row-level value would be recognisable in an output
    (statistics are shown with at most two). Improvement alternates 1.5 and 2.5 points (mean 2.0)."""
    rows = []
    spec = [("pelvic_pain", 30, 2025), ("tmj", 15, 2025), ("headache", 4, 2025), ("tmj", 6, 2024)]
    races = ["Black or African American", "White", "Asian"]
    k = 0
    for condition, n, year in spec:
        for i in range(n):
            k += 1
            cid = f"ZX{k:04d}Q"
            race = races[0] if i % 2 == 0 else races[1]
            if condition == "pelvic_pain" and i < 4:
                race = races[2]
            base = 6.0 + (k % 7) * 0.131 + 0.001 * (k % 3 + 1)
            gain = 1.5 if k % 2 else 2.5
            for session, pre in ((1, base), (2, base - gain)):
                for tp, score in (("pre", pre), ("post", pre - 0.77)):
                    rows.append(
                        dict(
                            client_id=cid,
                            session=session,
                            timepoint=tp,
                            measure="pain_nrs",
                            score=round(score, 3),
                            condition=condition,
                            race_ethnicity=race,
                            payer="Medicaid" if k % 3 else "Commercial",
                            year=year,
                            days_from_first=0 if session == 1 else 14,
                        )
                    )
    return pd.DataFrame(rows)


@pytest.fixture(scope="session")
def crafted_grant_frame():
    """``crafted_grant_frame()``: a new copy of the crafted practice at each call."""
    return _crafted_grant_frame


def _no_leaks(text: str):
    frame = _crafted_grant_frame()
    for cid in frame["client_id"].unique():
        assert cid not in text
    for score in frame["score"].unique():
        if score != round(score, 2):  # three-decimal scores: any appearance would be row-level data
            assert not re.search(rf"(?<![\d.]){re.escape(f'{score:.3f}')}(?!\d)", text), score


@pytest.fixture(scope="session")
def no_leaks():
    """``no_leaks(text)``: no client id and no row-level score of the crafted practice in ``text``."""
    return _no_leaks


# ---------------------------------------------------------------------------------------
# Keys and a raw, identifying export (tests/privacy, tests/io, tests/test_cli.py)
# ---------------------------------------------------------------------------------------
#: The practice key of the anonymizer tests (tests/privacy/test_keys.py has the same bytes as KEY).
PRACTICE_KEY = bytes.fromhex("f94ff9e0786ed7da80332b8e62a24314cf6db12cc42d2342e147c04e387b3cbf")


@pytest.fixture(scope="session")
def practice_key() -> bytes:
    return PRACTICE_KEY


def _new_key(path: Path) -> Path:
    keygen(path)
    return path


@pytest.fixture(scope="session")
def new_key():
    """``new_key(path) -> path``: a fresh key written by keygen."""
    return _new_key


GIVEN = [
    "Jane",
    "John",
    "Mary",
    "Linda",
    "James",
    "Susan",
    "Karen",
    "Paul",
    "Nancy",
    "Laura",
    "Maria",
    "David",
]
FAMILY = ["Doe", "Smith", "Garcia", "Nguyen", "Brown", "Okafor", "Kowalski", "Rossi", "Haddad", "Lee"]
FAMILY += ["Moore", "Walsh", "Park", "Silva", "Cohen", "Novak", "Adams", "Baker", "Clark", "Evans"]


def _names(n: int) -> list[str]:
    assert n <= len(GIVEN) * len(FAMILY)
    return [f"{GIVEN[i % len(GIVEN)]} {FAMILY[(i // len(GIVEN)) % len(FAMILY)]}" for i in range(n)]


@pytest.fixture(scope="module")
def raw_export() -> tuple[pd.DataFrame, pd.DataFrame]:
    """The synthetic long sample made identifying, as a records system exports it; and the sample."""
    sample = oc.sample_data("long").frame
    clients = sorted(sample["client_id"].unique())
    rng = np.random.default_rng(11)
    names = dict(zip(clients, _names(len(clients)), strict=True))
    start = {
        c: dt.date(2024, 1, 2) + dt.timedelta(days=int(d))
        for c, d in zip(clients, rng.integers(0, 600, len(clients)), strict=True)
    }
    ages = {c: int(a) for c, a in zip(clients, rng.integers(19, 97, len(clients)), strict=True)}
    visit = [
        start[c] + dt.timedelta(days=int(d))
        for c, d in zip(sample["client_id"], sample["days_from_first"], strict=True)
    ]
    raw = pd.DataFrame(
        {
            "Client Name": sample["client_id"].map(names),
            "Visit Date": [d.strftime("%m/%d/%Y") for d in visit],
            "Age": sample["client_id"].map(ages).astype(str),
            "Phone": [f"(555) {100 + i % 800:03d}-{i % 10_000:04d}" for i in range(len(sample))],
            "Email": sample["client_id"].map(lambda c: f"{names[c].replace(' ', '.').lower()}@example.com"),
            "Address": [f"{10 + i % 90} Elm Street" for i in range(len(sample))],
            "Zip": [f"{2100 + i % 50:05d}" for i in range(len(sample))],
            "MRN": sample["client_id"].map(lambda c: f"MRN {int(c[1:]) + 4500:06d}"),
            "Session": sample["session"].astype(str),
            "When": sample["timepoint"].astype(str),
            "Measure": sample["measure"],
            "Score": sample["score"].map(lambda s: f"{s:g}"),
            "Condition": sample["condition"],
            "Technique": sample["technique"],
            "Payer": sample["payer"],
            "Notes": [
                "felt lighter after the session, slept better" if i % 50 == 0 else ""
                for i in range(len(sample))
            ],
        }
    )
    return raw, sample


# ---------------------------------------------------------------------------------------
# Little exports for the identifier scan (tests/privacy/test_scanner.py, tests/test_cli.py)
# ---------------------------------------------------------------------------------------
#: Rows of the little exports (tests/privacy/test_scanner.py's N).
EXPORT_ROWS = 24


def _identifier_export(extra: dict[str, list[str]], n: int = EXPORT_ROWS) -> pd.DataFrame:
    """A valid long export of ``n`` rows (12 clients, pain before and after) plus ``extra`` columns."""
    base = pd.DataFrame(
        {
            "client_id": [f"C{i // 2 + 1:04d}" for i in range(n)],
            "session": ["1"] * n,
            "timepoint": ["pre", "post"] * (n // 2),
            "measure": ["pain_nrs"] * n,
            "score": [str(6 - i % 2) for i in range(n)],
            "condition": ["pelvic_pain"] * n,
        },
        dtype="str",
    )
    for name, values in extra.items():
        base[name] = pd.Series([values[i % len(values)] for i in range(n)], dtype="str")
    return base


def _write_export(tmp_path: Path, frame: pd.DataFrame, name: str = "visits.csv") -> Path:
    p = tmp_path / name
    frame.to_csv(p, index=False, lineterminator="\n")
    return p


SECRETS = ["Jane Doe", "jane.doe@example.com", "555-123-4567", "123-45-6789", "2024-03-15", "MRN 004512"]


def _assert_no_secret(*texts: str) -> None:
    for text in texts:
        for secret in SECRETS:
            assert secret not in text, secret
        assert "Jane" not in text and "004512" not in text


def _leaky_export() -> pd.DataFrame:
    """Identifying values in columns that validation reports values of: session, timepoint, measure."""
    frame = _identifier_export({"Client Name": ["Jane Doe"]})
    frame.loc[0, "session"] = "123-45-6789"
    frame.loc[1, "timepoint"] = "2024-03-15"
    frame.loc[2, "measure"] = "jane.doe@example.com"
    frame.loc[3, "score"] = "555-123-4567"
    frame.loc[4, "condition"] = "MRN 004512"
    return frame


def _attacked_export() -> pd.DataFrame:
    """Issue 16's attack: a raw export whose therapist, emergency contact and insurance member number
    an earlier anonymizer kept, and whose client 'Jane Doe' is also spelled 'JANE DOE' and 'jane doe'."""
    clients = ["Jane Doe", "JANE DOE", "jane doe", "Bob Stone", "Bob Stone", "Ann Ray"]
    return pd.DataFrame(
        {
            "Client Name": clients * 2,
            "Visit Date": ["03/01/2025", "03/08/2025", "03/15/2025", "04/01/2025", "04/08/2025", "05/02/2025"]
            * 2,
            "DOB": (["01/22/1980"] * 3 + ["07/19/1975"] * 2 + ["11/12/1990"]) * 2,
            "Therapist": ["Sarah Kim", "Sarah Kim", "Sarah Kim", "Tom Ito", "Tom Ito", "Sarah Kim"] * 2,
            "Emergency Contact": (
                ["John Doe (husband)"] * 3 + ["Eve Stone (wife)"] * 2 + ["Tim Ray (brother)"]
            )
            * 2,
            "Insurance Member": (["XYZ123456780"] * 3 + ["XYZ998877665"] * 2 + ["ABC111222333"]) * 2,
            "Session": ["1", "2", "3", "1", "2", "1"] * 2,
            "Timepoint": ["pre"] * 6 + ["post"] * 6,
            "Measure": ["pain_nrs"] * 12,
            "Score": ["6", "5", "4", "7", "6", "3", "4", "4", "2", "5", "5", "1"],
            "Condition": ["pelvic_pain"] * 12,
        }
    )


#: The attacked export's identifying values: none may be in anything the anonymizer writes or says.
ATTACK_SECRETS = ("Jane", "JANE", "jane", "Sarah", "Kim", "John Doe", "XYZ123456780", "1980", "03/01/2025")


@pytest.fixture(scope="session")
def attacked_export():
    """``attacked_export()``: issue 16's raw export (12 rows of 3 clients; names, therapist, emergency
    contact, insurance member number, dates of birth and visit dates)."""
    return _attacked_export


@pytest.fixture(scope="session")
def attack_secrets() -> tuple[str, ...]:
    return ATTACK_SECRETS


@pytest.fixture(scope="session")
def identifier_export():
    """``identifier_export(extra, n=24)``: a valid long export plus ``extra`` columns (strings)."""
    return _identifier_export


@pytest.fixture(scope="session")
def write_export():
    """``write_export(tmp_path, frame, name="visits.csv") -> path``: the frame as a CSV file."""
    return _write_export


@pytest.fixture(scope="session")
def leaky_export():
    """``leaky_export()``: an export with identifying values in the columns validation reports."""
    return _leaky_export


@pytest.fixture(scope="session")
def assert_no_secret():
    """``assert_no_secret(*texts)``: none of the leaky export's identifying values in any text."""
    return _assert_no_secret
