"""outcomes.datasets.broken: the deliberately broken export and the problems it is expected to raise."""

from __future__ import annotations

import pandas as pd

from outcomes.datasets import broken_export
from outcomes.datasets.model import ATTRIBUTES
from outcomes.datasets.model import KEY as ROW_KEY
from outcomes.schema import CANONICAL_COLUMNS

#: The columns of generate_practice(): the contract's canonical columns, then the generator's attributes.
COLUMNS = [*CANONICAL_COLUMNS, *ATTRIBUTES]
KEY = list(ROW_KEY)  # the generator's sort key, as a list of columns

#: The checks the broken export is documented to exercise, one per problem row: eight of
#: outcomes.schema.CHECKS, named here on purpose (the export must keep raising each of them).
CHECKS = {
    "unknown_measure",
    "out_of_range",
    "missing_code",
    "not_numeric",
    "duplicate",
    "unknown_timepoint",
    "session_not_positive_integer",
    "missing_value",
}


def test_broken_export_expectations() -> None:
    frame, expected = broken_export()
    assert 40 <= len(frame) <= 80
    assert list(frame.columns) == COLUMNS
    assert all(pd.api.types.is_string_dtype(frame[c].dtype) for c in frame.columns)
    assert list(expected.columns) == ["row", "column", "check"]
    assert len(expected) >= 10
    assert set(expected["check"]) == CHECKS
    assert expected["row"].is_unique and expected["row"].is_monotonic_increasing  # one problem per row
    assert expected["row"].between(3, len(frame) + 2).all()

    cell = {(r.row, r.column): r.check for r in expected.itertuples()}

    def at(row: int, column: str) -> str:
        return frame.at[row - 3, column]

    codes = {at(r, c) for (r, c), k in cell.items() if k == "missing_code"}
    assert codes == {"UNK", "-999", "N/A", "n/a", "?", "--"}  # a blank score is not recorded, not a problem
    assert {at(r, c) for (r, c), k in cell.items() if k == "session_not_positive_integer"} == {
        "0",
        "1.5",
        "two",
    }
    assert {c for (r, c), k in cell.items() if k == "missing_value"} == {"client_id", "condition"}
    assert all(at(r, c) == "" for (r, c), k in cell.items() if k == "missing_value")
    assert {at(r, c) for (r, c), k in cell.items() if k == "unknown_measure"} == {"pian_nrs"}
    assert {at(r, c) for (r, c), k in cell.items() if k == "not_numeric"} == {"4-5"}
    assert {at(r, c) for (r, c), k in cell.items() if k == "unknown_timepoint"} == {"during"}
    dup_rows = expected.loc[expected["check"] == "duplicate", "row"].to_numpy() - 3
    assert len(dup_rows) == 2
    assert frame.iloc[dup_rows][KEY].drop_duplicates().shape[0] == 1
    # no accidental problems: the clean rows have unique keys and in-range integer scores
    clean = frame.drop(index=expected["row"].to_numpy() - 3)
    assert not clean.duplicated(KEY).any()
    assert pd.to_numeric(clean["score"]).between(-3, 300).all()


def test_broken_export_is_seeded() -> None:
    a, ea = broken_export(seed=3)
    b, eb = broken_export(seed=3)
    pd.testing.assert_frame_equal(a, b)
    pd.testing.assert_frame_equal(ea, eb)
    assert not broken_export(seed=4)[1].equals(ea)
