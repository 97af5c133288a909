"""Text a spreadsheet will not run: the one guard against formula ("CSV") injection.

Excel, LibreOffice Calc and Google Sheets read a cell whose text begins with
``=``, ``+``, ``-`` or ``@`` as a formula, and a leading tab or carriage return
can hide one; a condition, payer or column name such as ``=HYPERLINK(...)`` in
an export would then run on the computer of whoever opens the file (OWASP,
"CSV Injection"). Every CSV and Excel file the package writes for someone else
(the anonymized export and its crosswalk, ``outcomes summarize``, the grant
workbook) passes its text through :func:`neutralize_text` (one value),
:func:`neutralize_frame` (a table) or :func:`write_csv` (a table as a CSV file):
a text that begins with one of :data:`FORMULA_STARTS` gets a single quote in
front, as OWASP recommends, and so reads as text. Every other value is written
as it is, numbers as numbers.

>>> neutralize_text("=1+2"), neutralize_text("@cmd"), neutralize_text("Pelvic pain")
("'=1+2", "'@cmd", 'Pelvic pain')

A text that is a plain number (``-2``, ``+1``, ``-0.5``) is a number to a
spreadsheet too, not a formula, and is left alone, so that a tone grade of
``-2`` in an anonymized export still reads as ``-2``:

>>> neutralize_text("-2"), neutralize_text("-2+3"), neutralize_text(-0.5)
('-2', "'-2+3", -0.5)
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any, TypeVar, overload

import pandas as pd

__all__ = ["FORMULA_STARTS", "QUOTE", "neutralize_frame", "neutralize_text", "write_csv"]

#: The first characters that make a spreadsheet read a cell as a formula (OWASP).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: What goes in front of such a text: a spreadsheet shows the rest as text.
QUOTE = "'"

_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")

_T = TypeVar("_T")


def _dangerous(text: str) -> bool:
    return text.startswith(FORMULA_STARTS) and _NUMBER.fullmatch(text) is None


@overload
def neutralize_text(value: str) -> str: ...
@overload
def neutralize_text(value: _T) -> _T: ...
def neutralize_text(value: Any) -> Any:
    """A cell value as a spreadsheet must show it: text that could run as a formula made plain text.

    A text beginning with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
    (:data:`FORMULA_STARTS`) gets a single quote in front (``=1+2`` becomes
    ``'=1+2``), the OWASP recommendation against formula injection; a
    spreadsheet then shows it as text and never evaluates it. A text that is a
    plain number (``-2``, ``+1.5``, ``-1e3``) evaluates to that number, not to a
    formula, and is returned unchanged, as is every other text and every value
    that is not text (numbers, ``None``, NaN).

    Parameters
    ----------
    value : object
        A cell's value.

    Returns
    -------
    object
        ``value``, or ``"'" + value`` when it is text that could run as a formula.

    See Also
    --------
    neutralize_frame : the same for every text cell of a table.

    References
    ----------
    OWASP Foundation. CSV Injection. https://owasp.org/www-community/attacks/CSV_Injection

    Examples
    --------
    >>> [neutralize_text(v) for v in ("+SUM(A1)", "\\t=1", "-", "CBT", 3)]
    ["'+SUM(A1)", "'\\t=1", "'-", 'CBT', 3]
    """
    if isinstance(value, str) and _dangerous(value):
        return QUOTE + value
    return value


def neutralize_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells and column names are safe to open in a spreadsheet.

    :func:`neutralize_text` is applied to the column names and to the cells of
    text columns (object, string and categorical); numeric, boolean and date
    columns are not touched, so a negative number stays a number. Only a text
    that could run as a formula changes (it gets a single quote in front);
    every other value, and every dtype, is kept.

    Parameters
    ----------
    frame : DataFrame
        The table about to be written as CSV or Excel.

    Returns
    -------
    DataFrame
        A new frame; ``frame`` itself is not changed.

    Examples
    --------
    >>> t = pd.DataFrame({"payer": ["=1+2", "Medicaid", "-3"], "change": [-0.5, 1.0, 2.0]})
    >>> neutralize_frame(t)
          payer  change
    0     '=1+2    -0.5
    1  Medicaid     1.0
    2        -3     2.0
    """
    return _map_text(frame, neutralize_text)


def write_csv(frame: pd.DataFrame, target: str | Path | IO[str]) -> None:
    """Write ``frame`` as a CSV file that someone else can open in a spreadsheet.

    Text cells and column names are written as :func:`neutralize_frame` makes
    them; the index is left out and lines end in ``\\n``. A carriage return
    inside a text is written as a line feed: Python's CSV writer leaves a field
    with a carriage return unquoted when lines end in ``\\n``, and a spreadsheet
    starts a new row there, so ``x\\r=1`` would put ``=1`` at the start of a
    line. With a line feed the field is quoted and stays one cell.

    Parameters
    ----------
    frame : DataFrame
    target : path or text file
        Where to write (a file opened with ``newline=""``).

    Examples
    --------
    >>> import io
    >>> buffer = io.StringIO()
    >>> write_csv(pd.DataFrame({"payer": ["=1+2", "x\\r=1"], "change": [-0.5, 1.0]}), buffer)
    >>> print(buffer.getvalue())
    payer,change
    '=1+2,-0.5
    "x
    =1",1.0
    """
    _map_text(frame, _csv_text).to_csv(target, index=False, lineterminator="\n")


def _csv_text(text: str) -> str:
    return neutralize_text(text).replace("\r\n", "\n").replace("\r", "\n")


def _map_text(frame: pd.DataFrame, change: Callable[[str], str]) -> pd.DataFrame:
    """A copy of ``frame`` with ``change`` applied to its column names and the cells of its text columns."""
    out = frame.copy()
    names = [change(c) if isinstance(c, str) else c for c in frame.columns]
    if names != list(frame.columns):
        out.columns = pd.Index(names, dtype=object)
    for j in range(frame.shape[1]):
        column = frame.iloc[:, j]
        if isinstance(column.dtype, pd.CategoricalDtype):
            renamed = [change(c) if isinstance(c, str) else c for c in column.cat.categories]
            if renamed == list(column.cat.categories):
                continue
            if len(set(renamed)) == len(renamed):
                out.isetitem(j, column.cat.rename_categories(renamed).array)
                continue
            column = column.astype(object)  # "=x" and "'=x" both there: no longer two categories
        elif not (pd.api.types.is_object_dtype(column.dtype) or pd.api.types.is_string_dtype(column.dtype)):
            continue
        # text work once per distinct value: an export may have a million rows
        changed = {v: w for v in column.dropna().unique() if isinstance(v, str) and (w := change(v)) != v}
        if changed:
            hit = column.isin(list(changed))
            fixed = column.copy()
            fixed[hit] = column[hit].map(changed)
            out.isetitem(j, fixed.array)
    return out
