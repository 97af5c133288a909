"""Damaged and hostile exports (issue 16, point 7): a NUL byte past the first block, mixed
encodings, a file cut off inside its last row, numbers that do not fit, years that are not years,
and cells long enough to stall a scan. Each is the package's own error (or a counted exclusion),
never a silent change."""

from __future__ import annotations

import pytest

import outcomes as oc
from outcomes.errors import PrivacyError, ReadError, SchemaError

HEADER = "client_id,session,timepoint,measure,score,condition,year,days_from_first\n"


def _rows(n: int) -> str:
    return "".join(
        f"C{i:03d},1,pre,pain_nrs,{i % 10},tmj,2025,0\nC{i:03d},1,post,pain_nrs,{(i + 3) % 10},tmj,2025,0\n"
        for i in range(n)
    )


def test_a_nul_byte_anywhere_is_reported_with_its_line(tmp_path):
    """The binary sniff reads the first 8 KB; a NUL after it was once read as '_' (tm\\x00j)."""
    body = (HEADER + _rows(300)).encode()
    assert len(body) > 9000
    at = body.rindex(b"tmj")
    path = tmp_path / "visits.csv"
    path.write_bytes(body[:at] + b"tm\x00j" + body[at + 3 :])
    line = body[:at].count(b"\n") + 1
    with pytest.raises(ReadError, match=rf"NUL \(zero\) byte on line {line}"):
        oc.read_sessions(path)


def test_mixed_encodings_are_reported_not_decoded(tmp_path):
    """UTF-8 on one line and Windows-1252 on another: read as either, some text would be wrong."""
    text = HEADER + _rows(3)
    lines = text.splitlines(keepends=True)
    body = b"".join(
        [
            lines[0].encode(),
            lines[1].replace("tmj", "tmj_é").encode("utf-8"),
            *[ln.encode() for ln in lines[2:-1]],
            lines[-1].replace("tmj", "tmj_é").encode("cp1252"),
        ]
    )
    path = tmp_path / "visits.csv"
    path.write_bytes(body)
    with pytest.raises(ReadError, match=r"mixes text encodings: line 2 has UTF-8 characters, line 7"):
        oc.read_sessions(path)
    # one encoding throughout reads as before
    path.write_bytes((HEADER + _rows(3)).replace("tmj", "tmj_é").encode("cp1252"))
    assert oc.read_sessions(path).provenance["encoding"] == "cp1252"


def test_a_file_cut_inside_its_last_row_is_reported_and_counted(tmp_path):
    """The cut row's required cells are all there (the last cells are missing): without the check it
    would be read as a whole row."""
    text = HEADER + _rows(3)
    cut = text.rstrip("\n").rsplit(",", 1)[0]  # the last row without its days_from_first
    path = tmp_path / "visits.csv"
    path.write_text(cut, encoding="utf-8")
    with pytest.raises(
        SchemaError, match=r"cut_row \(1\): the last row has 7 of the header's 8 cells"
    ) as exc:
        oc.read_sessions(path)
    assert exc.value.failure_cases["row"].tolist() == [7]
    data = oc.read_sessions(path, errors="exclude")
    assert len(data.frame) == 5
    flow = data.flow.set_index(["unit", "step"])
    assert flow.loc[("rows", "excluded"), "reason"] == "invalid: cut row"
    assert int(data.flow.loc[data.flow.step == "read", "count"].iloc[0]) == 6
    # a last row without a line break but with every cell is a whole row
    path.write_text(text.rstrip("\n"), encoding="utf-8")
    assert len(oc.read_sessions(path).frame) == 6


def test_a_session_number_that_does_not_fit_is_a_schema_error(tmp_path):
    """99999999999999999999 was once stored as -9223372036854775808 with only a numpy warning."""
    path = tmp_path / "visits.csv"
    path.write_text(HEADER + _rows(2).replace("C001,1,", "C001,99999999999999999999,", 1), encoding="utf-8")
    with pytest.raises(SchemaError, match="session must be a positive whole number") as exc:
        oc.read_sessions(path)
    assert exc.value.failure_cases["check"].tolist() == ["session_not_positive_integer"]


@pytest.mark.parametrize(
    ("column", "value", "check"),
    [
        ("year", "twenty", "not_a_year"),
        ("year", "2025.5", "not_a_year"),
        ("days_from_first", "-3", "not_days"),
    ],
)
def test_year_and_days_must_be_numbers(tmp_path, column, value, check):
    """A non-numeric year once stopped the report and the grant with a raw ValueError/TypeError."""
    text = HEADER + _rows(2)
    lines = text.splitlines(keepends=True)
    cells = lines[1].rstrip("\n").split(",")
    cells[HEADER.rstrip("\n").split(",").index(column)] = value
    lines[1] = ",".join(cells) + "\n"
    path = tmp_path / "visits.csv"
    path.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(SchemaError) as exc:
        oc.read_sessions(path)
    assert exc.value.failure_cases["check"].tolist() == [check]
    assert exc.value.failure_cases["column"].tolist() == [column]


def test_years_written_as_text_become_numbers(tmp_path):
    """A year column that holds text ("2025" in a categorical or object column) is typed as numbers."""
    import pandas as pd

    frame = pd.read_csv(pd.io.common.StringIO(HEADER + _rows(2)))
    frame["year"] = frame["year"].astype(str)
    data = oc.read_sessions(frame)
    assert data.frame["year"].tolist() == [2025] * 4
    assert pd.api.types.is_integer_dtype(data.frame["year"])


def test_a_cell_longer_than_any_label_is_free_text(tmp_path):
    """A 5 MB cell is refused as free text, and the scan looks at its start only (linear in its length;
    benchmarks/bench_hostile.py times it)."""
    text = HEADER.rstrip("\n") + ",extra\n" + "".join(line + ",x\n" for line in _rows(10).splitlines())
    lines = text.splitlines(keepends=True)
    lines[1] = lines[1].rstrip("\n")[:-1] + "lorem ipsum " * 100_000 + "\n"
    path = tmp_path / "visits.csv"
    path.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(PrivacyError, match="column 'extra' looks like free-text notes"):
        oc.read_sessions(path)


@pytest.mark.parametrize("value", ["Jane Doe", "JANE DOE", "Doe, Jane", "Mrs Sarah Kim", "José García"])
def test_a_value_that_looks_like_an_identifier_is_never_quoted(tmp_path, capsys, value):
    """A name typed into the measure column once appeared in the exception, failure_cases and
    validate's output (issue 16, point 2): now the scan refuses the file, and read under a
    data-use agreement the column's values are listed by row, never quoted."""
    from outcomes.cli import main

    text = HEADER + _rows(3)
    lines = text.splitlines(keepends=True)
    lines[1] = lines[1].replace("pain_nrs", f'"{value}"')
    lines[3] = lines[3].replace("pain_nrs", "pain_nsr")
    path = tmp_path / "visits.csv"
    path.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(PrivacyError) as refused:  # the scan finds the name first
        oc.read_sessions(path)
    # read under a data-use agreement, the name is a bad measure: listed, never quoted
    with pytest.raises(SchemaError) as exc:
        oc.read_sessions(path, allow_identifiers="data-use agreement #7")
    shown = str(refused.value) + str(exc.value) + exc.value.failure_cases.to_string()
    # the scan flags the measure column, so none of its values is quoted under the agreement
    assert "unknown measure (value not shown: the column holds identifiers)" in shown
    assert main(["validate", str(path)]) == 1
    assert main(["validate", str(path), "--allow-identifiers", "data-use agreement #7"]) == 1
    captured = capsys.readouterr()
    for text in (shown, captured.out, captured.err):
        assert value not in text and value.replace(",", "").split()[-1] not in text


def test_a_phone_number_in_any_column_stops_the_read_without_being_shown(tmp_path):
    text = HEADER + _rows(3)
    path = tmp_path / "visits.csv"
    path.write_text(text.replace("pain_nrs", "555-123-4567", 1), encoding="utf-8")
    with pytest.raises(PrivacyError) as exc:
        oc.read_sessions(path)
    assert "555-123-4567" not in str(exc.value) and "phone or fax numbers" in str(exc.value)


def test_a_suspicious_value_in_a_column_the_scan_passes_is_not_quoted():
    """hide_values masks a single value that looks like an identifier even where its column as a
    whole was not flagged (a score cell holding a date, say)."""
    import pandas as pd

    from outcomes.io.flow import hide_values

    fc = pd.DataFrame(
        {
            "column": ["score", "measure"],
            "value": ["2024-03-05", "pain_nsr"],
            "check": ["not_numeric", "unknown_measure"],
            "message": ["score is not a number", "unknown measure 'pain_nsr'"],
        }
    )
    out = hide_values(fc, [])
    assert out["value"].isna().tolist() == [True, False]
    assert "2024-03-05" not in out.to_string() and "pain_nsr" in out.to_string()
