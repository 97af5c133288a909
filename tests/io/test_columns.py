"""outcomes.io.columns: the column map (a TOML file or a dict) and its application."""

from __future__ import annotations

import pytest

import outcomes as oc
from outcomes.errors import SchemaError


def test_column_mapping_from_toml(tmp_path, write_file):
    text = (
        "Client,Visit #,When,What,Value,Dx\n"
        "C1,1,Before,Pain level,6,Pelvic pain\n"
        "C1,1,After,Pain level,4,Pelvic pain\n"
        "C1,2,Before,Pain level,NR,Pelvic pain\n"
    )
    mapping = tmp_path / "columns.toml"
    mapping.write_text(
        'na_values = ["NR"]\n'
        '[columns]\n"Client" = "client_id"\n"Visit #" = "session"\n"When" = "timepoint"\n'
        '"What" = "measure"\n"Value" = "score"\n"Dx" = "condition"\n'
        '[measures]\n"Pain level" = "pain_nrs"\n'
        '[timepoints]\n"Before" = "pre"\n"After" = "post"\n',
        encoding="utf-8",
    )
    data = oc.read_sessions(write_file(tmp_path / "x.csv", text), columns=mapping)
    assert data.frame["measure"].tolist() == ["pain_nrs", "pain_nrs"]
    assert data.frame["timepoint"].tolist() == ["pre", "post"]
    flow = data.flow.set_index(["unit", "reason"])["count"]
    assert flow[("scores", "score recorded as missing (na_values)")] == 1
    assert flow[("rows", "score recorded as missing (na_values)")] == 1


def test_mapping_to_a_missing_column_is_reported(tmp_path, long_csv, write_file):
    with pytest.raises(SchemaError) as err:
        oc.read_sessions(write_file(tmp_path / "x.csv", long_csv), columns={"Klient": "client_id"})
    assert "the mapping names column 'Klient', which is not in the file" in str(err.value)
