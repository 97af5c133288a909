"""A text export with many columns is coded in one pass (outcomes.io.wide), exactly as pandas codes it."""

from __future__ import annotations

import io
import random
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import outcomes as oc
import outcomes.io.files as files
import outcomes.io.wide as wide

#: Texts whose categories pandas types in every way it can: text, whole numbers ("007" is 7),
#: decimals, booleans in any case, numbers too large for int64, NaN spellings, blanks.
TEXTS = [
    "0", "1", "007", "-3", "-0", "1.5", "1e3", "TRUE", "false", "True", "nan", "NaN", "inf", "",
    " ", " 1", "x", "Zed", "é", "99999999999999999999", "123456789012345678", "+4", "0x10", "N/A",
    "2024-01-01", "-",
]  # fmt: skip

KWARGS = dict(sep=",", keep_default_na=False, skip_blank_lines=False, quotechar='"')


def _text(rng: random.Random, n_columns: int, n_rows: int) -> str:
    header = ",".join(f"c{i}" for i in range(n_columns))
    pools = [rng.sample(TEXTS, rng.randint(1, 4)) for _ in range(n_columns)]
    rows = [",".join(rng.choice(pool) for pool in pools) for _ in range(n_rows)]
    return "\n".join([header, *rows, ""])


@pytest.mark.parametrize("block", [1, 7, wide.BLOCK_CELLS])
def test_read_coded_matches_pandas(monkeypatch: pytest.MonkeyPatch, block: int) -> None:
    """The same frame as ``pd.read_csv(dtype="category")``: codes, categories and their dtypes."""
    monkeypatch.setattr(wide, "BLOCK_CELLS", block)
    rng = random.Random(16)
    for _ in range(20):
        text = _text(rng, rng.randint(1, 30), rng.randint(1, 12))
        expected = pd.read_csv(io.StringIO(text), dtype="category", **KWARGS)
        got = wide.read_coded(lambda text=text: io.StringIO(text), len(expected.columns), KWARGS)
        pd.testing.assert_frame_equal(got, expected, check_exact=True)
        assert list(got.dtypes) == list(expected.dtypes)


@pytest.mark.parametrize("text", ["a,b\n", "a,b\n1\n\n2,x\n", "a,b\n1,2,3\n"])
def test_read_coded_matches_pandas_on_odd_shapes(text: str) -> None:
    """A header alone, short and blank rows, a row with one cell more than the header."""
    expected = pd.read_csv(io.StringIO(text), dtype="category", **KWARGS)
    got = wide.read_coded(lambda: io.StringIO(text), 2, KWARGS)
    pd.testing.assert_frame_equal(got, expected, check_exact=True)


def test_wide_export_reads_as_narrow(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """150 extra columns: the same read whether the file is coded at once or by pandas."""
    base = oc.sample_data().frame.head(40).reset_index(drop=True)
    extra = pd.DataFrame({f"x{i}": np.arange(len(base)) % (i + 2) if i % 2 else "v" for i in range(150)})
    path = tmp_path / "wide.csv"
    pd.concat([base, extra], axis=1).to_csv(path, index=False)
    coded = oc.read_sessions(path)
    monkeypatch.setattr(files, "WIDE_COLUMNS", 10_000)
    by_pandas = oc.read_sessions(path)
    pd.testing.assert_frame_equal(coded.frame, by_pandas.frame)
    pd.testing.assert_frame_equal(coded.flow, by_pandas.flow)
