"""A deliberately broken export: one of each problem the readers must report, with the list of what
they should find.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .generator import generate_practice
from .layouts import to_layout
from .model import DEFAULT_SEED

_DUPLICATE_COLUMN = "client_id, session, timepoint, measure"


#: (column, cell text, check, measure the row must have or None)
_PROBLEMS: tuple[tuple[str, str, str, str | None], ...] = (
    ("measure", "pian_nrs", "unknown_measure", "pain_nrs"),
    ("score", "14", "out_of_range", "pain_nrs"),
    ("score", "11", "out_of_range", "sleep_quality_nrs"),
    ("score", "UNK", "missing_code", None),
    ("score", "-999", "missing_code", None),
    ("score", "N/A", "missing_code", None),
    ("score", "n/a", "missing_code", None),
    ("score", "?", "missing_code", None),
    ("score", "--", "missing_code", None),  # a blank score is "not recorded", never a problem
    ("score", "4-5", "not_numeric", "pain_nrs"),
    ("timepoint", "during", "unknown_timepoint", None),
    ("session", "0", "session_not_positive_integer", None),
    ("session", "1.5", "session_not_positive_integer", None),
    ("session", "two", "session_not_positive_integer", None),
    ("client_id", "", "missing_value", None),
    ("condition", "", "missing_value", None),
)


_BROKEN_CLIENTS = 12


_BROKEN_ROWS = 56  # rows taken from the generated practice (one more is added: a duplicate)


def _format_numbers(values: pd.Series) -> pd.Series:
    """Numbers as file text: whole numbers without ``.0``, others with up to 2 decimals, NaN blank."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        return values.astype("str")
    if pd.api.types.is_integer_dtype(values.dtype):
        return values.astype("Int64").astype("str").fillna("")
    if not pd.api.types.is_float_dtype(values.dtype):
        return values
    x = values.to_numpy(dtype=np.float64)
    whole = np.isfinite(x) & (np.round(x, 2) == np.rint(x))
    cells = np.where(
        whole,
        np.char.mod("%d", np.rint(np.nan_to_num(x)).astype(np.int64)),
        np.char.mod("%.2f", np.nan_to_num(x)),
    ).astype(object)
    text = pd.Series(cells, index=values.index, dtype="str").str.replace(r"(\.\d*?)0+$", r"\1", regex=True)
    return text.where(np.isfinite(x), "")


def as_text(frame: pd.DataFrame) -> pd.DataFrame:
    """Every column as the text a CSV file holds."""
    return pd.DataFrame({col: _format_numbers(frame[col]).astype("str") for col in frame.columns})


def broken_export(*, seed: int = DEFAULT_SEED) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A small long-layout export with known problems, and the problems a reader must report.

    Parameters
    ----------
    seed : int
        Seed of the small practice the rows come from and of where the problems go.

    Returns
    -------
    frame : DataFrame
        57 rows in the ``long`` layout, every cell a string (as read from a CSV
        file without type conversion). 16 cells are broken on purpose (one
        problem per row) and one clean row appears twice.
    expected : DataFrame
        One row per problem, sorted by row, with columns

        - ``row`` (int64): line number in the CSV file written with one comment
          line and the header above the data (the first data row is line 3),
          as :func:`write_samples` writes it
        - ``column`` (str): the column holding the problem
          (``client_id, session, timepoint, measure`` for a duplicate)
        - ``check`` (str): ``unknown_measure``, ``out_of_range``,
          ``missing_code``, ``not_numeric``, ``duplicate`` (both rows are
          listed), ``unknown_timepoint``, ``session_not_positive_integer`` or
          ``missing_value``.

    Examples
    --------
    >>> frame, expected = broken_export()
    >>> sorted(expected["check"].unique())[:3]
    ['duplicate', 'missing_code', 'missing_value']
    """
    practice = generate_practice(n_clients=_BROKEN_CLIENTS, seed=seed)
    frame = as_text(to_layout(practice, "long")).iloc[:_BROKEN_ROWS].reset_index(drop=True)
    rng = np.random.default_rng(seed)
    nrs = frame["measure"].isin(["pain_nrs", "sleep_quality_nrs", "stress_nrs"]) & frame["timepoint"].isin(
        ["pre", "post"]
    )
    candidates = list(rng.permutation(np.flatnonzero(nrs.to_numpy())))
    problem_column = np.full(len(frame), "", dtype=object)
    problem_check = np.full(len(frame), "", dtype=object)
    for column, text, check, measure in _PROBLEMS:
        pos = next(p for p in candidates if measure is None or frame.at[p, "measure"] == measure)
        candidates.remove(pos)
        frame.loc[pos, column] = text
        problem_column[pos], problem_check[pos] = column, check
    source = candidates[0]
    problem_column[source], problem_check[source] = _DUPLICATE_COLUMN, "duplicate"
    order = np.r_[np.arange(source + 1), source, np.arange(source + 1, len(frame))]
    frame = frame.take(order).reset_index(drop=True)
    problem_column, problem_check = problem_column[order], problem_check[order]
    broken = np.flatnonzero(problem_check != "")
    expected = pd.DataFrame(
        {
            "row": (broken + 3).astype(np.int64),
            "column": pd.array(problem_column[broken], dtype="str"),
            "check": pd.array(problem_check[broken], dtype="str"),
        }
    )
    return frame.astype("str"), expected
