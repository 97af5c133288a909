"""A text export with many columns, coded as :func:`pandas.read_csv` codes it, in one pass for all columns.

``read_csv(dtype="category")`` costs about a millisecond per column whatever
the column holds (ten seconds for 10,000 columns of 80 rows). Here the cells
are read as text in blocks of at most :data:`BLOCK_CELLS` cells, every distinct
text of the file gets one number, and each column's categories come from
those numbers: the same Categoricals, at a cost that grows with the cells.
Columns of text or of whole numbers are coded here; any other column
(decimals, ``TRUE``/``FALSE``, numbers pandas reads in another type) is read
again by pandas itself, so that its categories are exactly pandas' own.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

#: Text cells held at once while a wide file is read (a block of rows).
BLOCK_CELLS = 1 << 20

#: A whole number pandas reads as int64 (at most 18 digits: no overflow to uint64 or float).
_INT = re.compile(r"-?\d{1,18}")

#: What pandas reads as a boolean category (any case).
_BOOL_WORDS = frozenset({"true", "false"})


def read_coded(open_body: Callable[[], Any], n_columns: int, kwargs: dict[str, Any]) -> pd.DataFrame:
    """``pd.read_csv(open_body(), dtype="category", **kwargs)``, the categories found once for all columns.

    ``open_body`` opens the text at its header line; ``kwargs`` are the
    reader's options but ``dtype``. Raises what ``read_csv`` raises.
    """
    ids: list[np.ndarray] = []  # per block of rows: each cell's text as a number, (rows, columns)
    number: dict[str, int] = {}  # each distinct text of the file -> its number
    with (
        open_body() as fh,
        pd.read_csv(fh, dtype=object, chunksize=max(1, BLOCK_CELLS // max(n_columns, 1)), **kwargs) as reader,
    ):
        labels: Any = None
        for block in reader:
            labels = block.columns
            codes, uniques = pd.factorize(block.to_numpy(dtype=object).ravel(order="F"))
            if not isinstance(block.index, pd.RangeIndex) or (codes < 0).any():
                labels = None  # a column read as the index, or a missing cell: pandas knows best
                break
            known = np.array([number.setdefault(u, len(number)) for u in uniques], dtype="int64")
            ids.append(known[codes].reshape(block.shape, order="F"))
    n_rows = sum(len(part) for part in ids)
    if labels is None or n_rows == 0:  # nothing to code, or a file shaped unlike a table
        with open_body() as fh:
            return pd.read_csv(fh, dtype="category", **kwargs)
    cell = np.asfortranarray(np.concatenate(ids) if len(ids) > 1 else ids[0])  # a column at a time
    texts = np.array(list(number), dtype=object)
    order = np.argsort(texts, kind="stable")  # the order pandas sorts text categories in
    rank = np.empty(len(texts), dtype="int64")
    rank[order] = np.arange(len(texts))
    whole = np.array([_INT.fullmatch(t) is not None for t in texts], dtype=bool)
    value = np.array([int(t) if w else 0 for t, w in zip(texts, whole, strict=True)], dtype="int64")
    words = np.array([t.lower() in _BOOL_WORDS for t in texts], dtype=bool)
    number_like = ~np.isnan(np.asarray(pd.to_numeric(texts, errors="coerce"), dtype="float64"))
    text = ~number_like & ~words  # one such text keeps a column's categories text
    columns: dict[int, Any] = {}
    again: list[int] = []
    dtypes: dict[tuple[str, tuple[Any, ...]], pd.CategoricalDtype] = {}  # columns share equal dtypes

    def dtype(kind: str, categories: np.ndarray) -> pd.CategoricalDtype:
        key = (kind, tuple(categories.tolist()))
        if key not in dtypes:
            index = pd.Index(categories, dtype="str" if kind == "text" else "int64")
            dtypes[key] = pd.CategoricalDtype(index)
        return dtypes[key]

    for j in range(cell.shape[1]):
        ranks, codes = np.unique(rank[cell[:, j]], return_inverse=True)
        present = order[ranks]  # the column's distinct texts, sorted
        if text[present].any():
            columns[j] = pd.Categorical.from_codes(codes, dtype=dtype("text", texts[present]), validate=False)
        elif whole[present].all():  # "7" and "007" are one category, 7, as pandas reads them
            numbers, recode = np.unique(value[present], return_inverse=True)
            columns[j] = pd.Categorical.from_codes(recode[codes], dtype=dtype("int", numbers), validate=False)
        else:
            again.append(j)
    if again:  # decimals, booleans, numbers of other types: pandas codes these columns itself
        with open_body() as fh:
            rest = pd.read_csv(fh, dtype="category", usecols=again, **kwargs)
        for j, k in zip(again, range(rest.shape[1]), strict=True):
            columns[j] = rest.iloc[:, k].array
    table = pd.DataFrame({j: columns[j] for j in range(cell.shape[1])}, copy=False)
    table.columns = labels
    return table
