"""Small-cell suppression for anything that leaves the practice.

Counts from 1 to ``min_cell − 1`` are suppressed (zero may show: "nobody" is
not identifying), every statistic computed from a suppressed cell is
suppressed with it, and further cells are suppressed (complementary
suppression) until no suppressed count can be recovered by subtraction from a
row, column or grand total that is shown."""

from __future__ import annotations

from collections.abc import Hashable, Sequence

import numpy as np
import pandas as pd

#: Counts below this are suppressed by default (CMS cell-size policy: no cell of 1–10).
DEFAULT_MIN_CELL = 11


def _check_min_cell(min_cell: int) -> int:
    if int(min_cell) != min_cell or min_cell < 2:
        raise ValueError(f"min_cell must be a whole number of at least 2 (got {min_cell!r})")
    return int(min_cell)


def suppress_counts(
    counts: pd.DataFrame,
    *,
    min_cell: int = DEFAULT_MIN_CELL,
    row_total: object | None = None,
    col_total: object | None = None,
    force: np.ndarray | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Suppress small counts in a table, with complementary suppression.

    Parameters
    ----------
    counts : DataFrame of non-negative integers
        Cells of a table. When ``row_total`` names a column it holds each
        row's total; when ``col_total`` names a row label (index) it holds each
        column's total. Totals are published too, so they are part of what an
        attacker can subtract from.
    min_cell : int, default 11
        Counts from 1 to ``min_cell − 1`` are suppressed; 0 is shown.
    row_total, col_total : label, optional
        Names of the total column / total row.
    force : array of bool, optional
        Further cells to hide whatever their count (shape of ``counts``): cells that
        another table would reveal a small count from. They are protected like any
        hidden cell (no line may give them away) but, being no small count
        themselves, an attacker can only assume they are at least 0.

    Returns
    -------
    table : DataFrame
        ``counts`` as nullable integers with suppressed cells as ``<NA>``.
    suppressed : DataFrame of bool
        ``True`` where a cell is suppressed (primary or complementary).

    Notes
    -----
    Primary suppression hides every count in ``1 .. min_cell − 1``, totals
    included. Then, repeatedly until nothing changes, a line (row or column,
    with its total) is *exposed* when exactly one of its cells is hidden (it
    equals the total minus the shown parts), or when its total is shown, every
    hidden cell is a primary one and their sum is the smallest or largest that
    small counts can make (each is then pinned at 1 or at ``min_cell − 1``). In
    an exposed line the smallest non-zero visible cell is hidden too (a zero is
    never chosen: hiding it protects nothing). Finally every small hidden cell
    is audited with an integer programme: its smallest and largest value
    consistent with everything shown, the line sums and the bounds an attacker
    who knows this rule can assume (1 .. ``min_cell − 1`` for a small cell, ≥ 0
    for any other hidden cell); while one is pinned to a single value, another
    cell of its lines is hidden. This is the standard
    iterative heuristic; ``tests/privacy/test_suppression.py`` checks with a linear
    programme that no hidden cell is pinned to one value by the shown totals.
    """
    min_cell = _check_min_cell(min_cell)
    values = counts.to_numpy(dtype=float)
    if np.any(values[~np.isnan(values)] < 0):
        raise ValueError("counts must be non-negative")
    hidden = (values >= 1) & (values < min_cell)
    primary = hidden.copy()
    if force is not None:
        hidden |= np.asarray(force, dtype=bool)
    rows: list[object] = list(counts.index)
    cols: list[object] = list(counts.columns)
    r_tot = cols.index(row_total) if row_total is not None else None
    c_tot = rows.index(col_total) if col_total is not None else None

    def lines() -> list[list[tuple[int, int]]]:
        out = []
        # each line lists its parts, then its total last
        if r_tot is not None:
            for i in range(len(rows)):
                out.append([(i, j) for j in range(len(cols)) if j != r_tot] + [(i, r_tot)])
        if c_tot is not None:
            for j in range(len(cols)):
                out.append([(i, j) for i in range(len(rows)) if i != c_tot] + [(c_tot, j)])
        return out

    def exposed(line: list[tuple[int, int]]) -> bool:
        """Can a hidden cell of this line be computed from what the line shows?"""
        cells = [(i, j) for i, j in line if hidden[i, j]]
        if len(cells) == 1:
            return True  # the one hidden cell = total − the shown parts
        total = line[-1]
        if not cells or hidden[total] or not all(primary[c] for c in cells):
            return False
        # every hidden cell is a small count (1 .. min_cell − 1 to anyone who knows the rule):
        # if their sum, known from the total, sits at an end of that range, each is pinned
        residual = sum(values[c] for c in cells)
        return residual in (len(cells), len(cells) * (min_cell - 1))

    changed = True
    while changed:
        changed = False
        for line in lines():
            if not exposed(line):
                continue
            candidates = [
                (values[i, j], i, j)
                for i, j in line
                if not hidden[i, j] and values[i, j] > 0 and not np.isnan(values[i, j])
            ]
            if not candidates:
                continue
            _, i, j = min(candidates)
            hidden[i, j] = True
            changed = True
    # the heuristic does not see pins that arise across lines (bounds of one line narrowing
    # another): audit with an integer programme and hide more until no small cell is pinned
    all_lines = lines()
    while all_lines:
        pinned = _pinned(values, hidden, primary, all_lines, min_cell)
        if not pinned:
            break
        i0, j0 = pinned[0]
        candidates = [
            (values[i, j], i, j)
            for line in all_lines
            if (i0, j0) in line
            for i, j in line
            if not hidden[i, j] and values[i, j] > 0
        ]
        if not candidates:  # every cell around it is hidden or zero: hide the largest visible cell
            visible = np.argwhere(~hidden & (values > 0))
            if not len(visible):
                break
            i, j = max(visible, key=lambda ij: values[ij[0], ij[1]])
        else:
            _, i, j = min(candidates)
        hidden[i, j] = True
    table = counts.astype("Int64").mask(hidden)
    return table, pd.DataFrame(hidden, index=counts.index, columns=counts.columns)


def _pinned(
    values: np.ndarray,
    hidden: np.ndarray,
    primary: np.ndarray,
    lines: list[list[tuple[int, int]]],
    min_cell: int,
) -> list[tuple[int, int]]:
    """Small hidden cells whose value follows from the shown cells, the line sums and the bounds.

    An attacker who knows the suppression rule knows each small hidden cell is in
    ``1 .. min_cell − 1`` and every other hidden cell is at least 0; the smallest and largest
    whole-number value of each small cell consistent with everything shown
    (:class:`~outcomes.privacy.audit.Disclosure`) give the range it could have. A single value
    pins it. A line whose parts add up to more than its total (a client counted under each of
    their conditions, once in the total) says only that the parts are at least the total.
    """
    from .audit import Disclosure

    model = Disclosure(min_cell)
    for (i, j), v in np.ndenumerate(values):
        model.count((i, j), v, shown=not hidden[i, j])
    for line in lines:
        parts = sum(values[p] for p in line[:-1])
        if parts == values[line[-1]]:
            model.equal({**{p: 1.0 for p in line[:-1]}, line[-1]: -1.0})
        elif parts > values[line[-1]]:  # a total that counts each client once: parts ≥ total
            model.at_most({**{p: -1.0 for p in line[:-1]}, line[-1]: 1.0})
    targets: dict[Hashable, dict[Hashable, float]] = {
        tuple(c): {tuple(c): 1.0} for c in np.argwhere(hidden & primary)
    }
    return [tuple(t) for t in model.narrowed(targets, 1)["target"]]


def suppress_rows(
    table: pd.DataFrame,
    *,
    n_col: str,
    min_cell: int = DEFAULT_MIN_CELL,
    total_row: object | None = None,
    keep: Sequence[str] = (),
    force: Sequence[object] = (),
) -> pd.DataFrame:
    """Suppress whole rows of a statistics table whose count is small.

    Every statistic in a row is computed from that row's clients, so a row
    whose ``n_col`` is in ``1 .. min_cell − 1`` loses every value except the
    ``keep`` columns (the group's name), and its ``flags`` column (created if
    needed) gets ``suppressed``. When ``total_row`` (an index label) holds the
    total of ``n_col`` over the other rows, complementary suppression of
    ``n_col`` follows :func:`suppress_counts`, and a row suppressed that way
    loses its statistics too. ``force`` lists further rows (index labels) to
    suppress whatever their count: rows whose count another table would turn
    into a small count by subtraction.

    Returns
    -------
    DataFrame
        A copy with suppressed values as missing.
    """
    min_cell = _check_min_cell(min_cell)
    counts = table[[n_col]].copy()
    forced = table.index.isin(list(force))
    if total_row is None:
        hidden = ((counts[n_col] >= 1) & (counts[n_col] < min_cell)).to_numpy() | forced
    else:
        _, mask = suppress_counts(counts, min_cell=min_cell, col_total=total_row, force=forced.reshape(-1, 1))
        hidden = mask[n_col].to_numpy()
    out = table.copy()
    stat_cols = [c for c in out.columns if c not in keep and c != "flags"]
    for col in stat_cols:
        if pd.api.types.is_integer_dtype(out[col]) or pd.api.types.is_bool_dtype(out[col]):
            out[col] = out[col].astype("Int64" if pd.api.types.is_integer_dtype(out[col]) else "boolean")
        elif not pd.api.types.is_float_dtype(out[col]):
            out[col] = out[col].astype(object)
        out.loc[hidden, col] = pd.NA if not pd.api.types.is_float_dtype(out[col]) else np.nan
    flags = (
        out["flags"].astype(object).fillna("")
        if "flags" in out
        else pd.Series("", index=out.index, dtype=object)
    )
    flags[hidden] = "suppressed"
    out["flags"] = flags
    return out
