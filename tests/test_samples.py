"""The committed sample files: equal to the generator's output, and every layout reads to the same data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import outcomes as oc
from outcomes.cli import main
from outcomes.datasets import generate_practice, write_samples

LAYOUT_FILES = {
    "long": "synthetic_practice_long.csv",
    "prepost": "synthetic_practice_prepost.csv",
    "wide": "synthetic_practice_wide.csv",
    "redcap": "synthetic_practice_redcap.csv",
}
KEY = ["client_id", "session", "measure", "timepoint"]


def _sorted(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.sort_values(KEY, kind="stable").reset_index(drop=True)


def test_committed_samples_equal_the_generator_output(tmp_path, samples):
    written = write_samples(tmp_path)
    assert {p.name for p in written} == {p.name for p in samples.iterdir()}
    for path in written:
        assert path.read_bytes() == (samples / path.name).read_bytes(), path.name


def test_every_sample_says_it_is_synthetic(samples):
    for path in samples.glob("*.csv"):
        assert path.read_text(encoding="utf-8").startswith("# SYNTHETIC DATA"), path.name
    assert "synthetic" in (samples / "README.md").read_text(encoding="utf-8").lower()


@pytest.fixture(scope="module")
def canonical() -> pd.DataFrame:
    return _sorted(oc.validate_sessions(generate_practice()))


@pytest.mark.parametrize("layout", list(LAYOUT_FILES))
def test_every_layout_gives_the_same_canonical_frame(samples, canonical, layout):
    data = oc.read_sessions(samples / LAYOUT_FILES[layout])
    assert data.layout == layout
    got = _sorted(data.frame)[canonical.columns]
    pd.testing.assert_frame_equal(got, canonical, check_dtype=False)
    rows = data.flow[data.flow.unit == "rows"]
    assert rows.loc[rows.step == "read", "count"].item() == rows.loc[rows.step != "read", "count"].sum()


def test_broken_export_reports_all_problems_at_once(samples):
    expected = pd.read_csv(samples / "broken_export_expected.csv", comment="#")
    with pytest.raises(oc.SchemaError) as err:
        oc.read_sessions(samples / "broken_export.csv")
    fc = err.value.failure_cases
    got = sorted(zip(fc["row"].astype(int), fc["column"], fc["check"], strict=True))
    want = sorted(zip(expected["row"], expected["column"], expected["check"], strict=True))
    assert got == want
    assert len(set(fc["check"])) >= 8
    assert str(err.value).startswith(
        f"{len(want)} problems of {fc['check'].nunique()} kinds in broken_export.csv"
    )


def test_broken_export_with_errors_exclude_counts_every_row(samples):
    data = oc.read_sessions(samples / "broken_export.csv", errors="exclude")
    rows = data.flow[data.flow.unit == "rows"].set_index("step")
    read = rows.loc["read", "count"]
    assert read == rows.loc[rows.index != "read", "count"].sum()
    assert len(data.failure_cases) == len(pd.read_csv(samples / "broken_export_expected.csv", comment="#"))


def test_cli_validate_on_samples(samples, capsys):
    assert main(["validate", str(samples / "synthetic_practice_redcap.csv")]) == 0
    out = capsys.readouterr().out
    assert "Layout:  redcap" in out and "pelvic_pain" in out
    assert main(["validate", str(samples / "broken_export.csv")]) == 1
    captured = capsys.readouterr()
    assert "Every problem, by row" in captured.err and "unknown_measure" in captured.err
    assert main(["validate"]) == 0  # the bundled sample
    assert "SYNTHETIC" in capsys.readouterr().out


# ---------------------------------------------------------------------------------------
# Properties of the reader on generated inputs
# ---------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def small_wide() -> pd.DataFrame:
    from outcomes.datasets import to_layout

    return to_layout(generate_practice(n_clients=15, seed=7), "wide")


_settings = settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@_settings
@given(st.randoms(use_true_random=False))
def test_row_and_column_order_do_not_change_the_result(small_wide, random):
    rows = list(range(len(small_wide)))
    cols = list(small_wide.columns)
    random.shuffle(rows)
    random.shuffle(cols)
    shuffled = small_wide.iloc[rows][cols].reset_index(drop=True)
    a = _sorted(oc.read_sessions(small_wide).frame)
    b = _sorted(oc.read_sessions(shuffled).frame)
    pd.testing.assert_frame_equal(a[sorted(a.columns)], b[sorted(b.columns)])


MESS = ["", " ", "UNK", "-999", "n/a", "?", "4-5", "14", "2,5", "7"]


@_settings
@given(st.data())
def test_no_source_row_is_ever_unaccounted_for(small_wide, data):
    frame = small_wide.astype(object).copy()
    score_cols = [c for c in frame.columns if c.endswith(("_pre", "_post", "_followup"))]
    n_cells = data.draw(st.integers(0, 40))
    for _ in range(n_cells):
        r = data.draw(st.integers(0, len(frame) - 1))
        c = data.draw(st.sampled_from([*score_cols, "session", "client_id", "condition"]))
        frame.iat[r, frame.columns.get_loc(c)] = data.draw(st.sampled_from(MESS))
    blanks = data.draw(st.integers(0, 3))
    if blanks:
        frame = pd.concat(
            [frame, pd.DataFrame([[np.nan] * frame.shape[1]] * blanks, columns=frame.columns)],
            ignore_index=True,
        )
    result = oc.read_sessions(frame, errors="exclude", layout="wide")
    flow = result.flow
    for unit in ("rows", "scores"):
        part = flow[flow.unit == unit]
        assert part.loc[part.step == "read", "count"].item() == part.loc[part.step != "read", "count"].sum()
    assert flow.loc[(flow.unit == "rows") & (flow.step == "read"), "count"].item() == len(frame)
    assert flow.loc[(flow.unit == "scores") & (flow.step == "kept"), "count"].item() == len(result.frame)
