"""outcomes._spreadsheet: a single quote before text a spreadsheet would run as a formula (OWASP,
"CSV Injection"); every other value, and every dtype, as it was."""

from __future__ import annotations

import csv
import io

import numpy as np
import pandas as pd
import pytest

from outcomes._spreadsheet import FORMULA_STARTS, neutralize_frame, neutralize_text, write_csv

#: One text for each first character OWASP lists: = + - @ tab carriage return.
HOSTILE = ["=1+2", "+SUM(A1)", "-2+3", "@cmd", "\t=1", "\r=1"]


def test_every_formula_start_is_covered():
    assert {h[0] for h in HOSTILE} == set(FORMULA_STARTS)


@pytest.mark.parametrize("text", [*HOSTILE, "=", "-", "-inf", "+ve", '=HYPERLINK("http://x","y")'])
def test_text_that_could_run_gets_a_quote(text):
    assert neutralize_text(text) == "'" + text


@pytest.mark.parametrize(
    "value",
    ["Pelvic pain", "", " =1", "'=1", "a=1", "18-24", "-2", "+1", "-0.5", "-.5", "-1e3", "3", -0.5, 2, None],
)
def test_everything_else_is_written_as_it_is(value):
    """Ordinary text, text already quoted or not starting with a formula character, plain numbers
    written as text (a tone grade of -2), and values that are not text."""
    assert neutralize_text(value) is value


def test_the_frame_keeps_numbers_and_dtypes():
    frame = pd.DataFrame(
        {
            "payer": pd.Series(HOSTILE, dtype="str"),
            "mixed": pd.Series(["=1", 3, None, "x", "-2", "@y"], dtype=object),
            "group": pd.Categorical(["=a", "b", None, "b", "-1", "c"]),
            "change": [-0.5, -2.0, np.nan, 1.0, 0.0, 3.5],
            "n": [-1, 2, 3, 4, 5, 6],
            "=total": [True, False, True, False, True, False],
        }
    )
    before = frame.copy()
    out = neutralize_frame(frame)
    pd.testing.assert_frame_equal(frame, before)  # the input is not changed
    assert list(out.columns) == ["payer", "mixed", "group", "change", "n", "'=total"]
    assert list(out["payer"]) == ["'" + h for h in HOSTILE]
    assert list(out["mixed"]) == ["'=1", 3, None, "x", "-2", "'@y"]
    assert list(out["group"].astype(object)) == ["'=a", "b", np.nan, "b", "-1", "c"]
    assert isinstance(out["group"].dtype, pd.CategoricalDtype)
    assert out.dtypes.iloc[[0, 3, 4, 5]].tolist() == frame.dtypes.iloc[[0, 3, 4, 5]].tolist()
    pd.testing.assert_series_equal(out["change"], frame["change"])
    pd.testing.assert_series_equal(out["n"], frame["n"])


def test_a_frame_without_hostile_text_comes_back_equal():
    frame = pd.DataFrame(
        {"condition": pd.Categorical(["tmj", "pelvic_pain"]), "score": [-2.0, 3.0], "age": ["18-24", "-1"]}
    )
    pd.testing.assert_frame_equal(neutralize_frame(frame), frame)


def test_categories_that_would_collide_become_text():
    """A category ``=a`` quoted would be the category ``'=a`` already there: the column becomes text."""
    frame = pd.DataFrame({"c": pd.Categorical(["=a", "'=a", "b"])})
    assert list(neutralize_frame(frame)["c"]) == ["'=a", "'=a", "b"]


def test_csv_cells_stay_cells_and_numbers_stay_numbers():
    """A carriage return inside a text once went out unquoted (Python's CSV writer quotes only the line
    terminator, "\\n"): a spreadsheet starts a new row there, with "=1" at its start. Written as a line
    feed, it stays inside one quoted cell; every line of the file is one row of the table."""
    frame = pd.DataFrame(
        {"=group": [*HOSTILE, "x\r=1", "a\r\nb"], "change": [-0.5, -2, 0, 1, 2, 3, 4.5, -1e-3]}
    )
    buffer = io.StringIO(newline="")
    write_csv(frame, buffer)
    text = buffer.getvalue()
    assert "\r" not in text
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[0] == ["'=group", "change"] and len(rows) == 1 + len(frame)
    expected = ["'" + h.replace("\r", "\n") for h in HOSTILE] + ["x\n=1", "a\nb"]
    assert [r[0] for r in rows[1:]] == expected
    assert [float(r[1]) for r in rows[1:]] == list(frame["change"])
    assert not any(r[1].startswith("'") for r in rows[1:])
    back = pd.read_csv(io.StringIO(text))
    assert len(back) == len(frame) and back["change"].dtype == float
