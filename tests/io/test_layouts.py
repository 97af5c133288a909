"""outcomes.io.layouts: layout detection and every layout (long, prepost, wide, REDCap) reshaped to the
same long rows; timepoint aliases in every layout."""

from __future__ import annotations

import pandas as pd
import pytest

import outcomes as oc
from outcomes.errors import SchemaError


def test_prepost_and_wide_layouts_match_long(tmp_path, long_csv, write_file, canon):
    prepost = (
        "client_id,session,measure,pre,post,followup,condition,age_band\n"
        "C1,1,pain_nrs,6,4,,pelvic_pain,25-34\n"
        "C1,2,pain_nrs,5,3.5,,pelvic_pain,25-34\n"
        "C2,1,stress_nrs,7,,5,headache;tmj,35-44\n"
    )
    wide = (
        "client_id,session,condition,age_band,pain_nrs_pre,pain_nrs_post,stress_nrs_pre,stress_follow_up\n"
        "C1,1,pelvic_pain,25-34,6,4,,\n"
        "C1,2,pelvic_pain,25-34,5,3.5,,\n"
        "C2,1,headache;tmj,35-44,,,7,5\n"
    )
    base = canon(oc.read_sessions(write_file(tmp_path / "l.csv", long_csv)))
    for text, layout in ((prepost, "prepost"), (wide, "wide")):
        data = oc.read_sessions(write_file(tmp_path / f"{layout}.csv", text))
        assert data.layout == layout
        pd.testing.assert_frame_equal(canon(data), base)


def test_redcap_layout_merges_record_rows(tmp_path, long_csv, write_file, canon):
    text = (
        "record_id,redcap_event_name,redcap_repeat_instrument,redcap_repeat_instance,condition,age_band,"
        "pain_nrs_pre,pain_nrs_post,stress_nrs_pre,stress_nrs_followup\n"
        "C1,intake_arm_1,,,pelvic_pain,25-34,,,,\n"
        "C1,treatment_arm_1,session,1,,,6,4,,\n"
        "C1,treatment_arm_1,session,2,,,5,3.5,,\n"
        "C2,intake_arm_1,,,headache;tmj,35-44,,,,\n"
        "C2,treatment_arm_1,session,1,,,,,7,5\n"
    )
    data = oc.read_sessions(write_file(tmp_path / "redcap.csv", text))
    assert data.layout == "redcap"
    pd.testing.assert_frame_equal(
        canon(data), canon(oc.read_sessions(write_file(tmp_path / "l.csv", long_csv)))
    )
    flow = data.flow.set_index(["unit", "step", "reason"])["count"]
    assert (
        flow[
            (
                "rows",
                "excluded",
                "REDCap record-level row (its fields were copied into the record's sessions)",
            )
        ]
        == 2
    )
    assert flow[("rows", "kept", "rows kept (at least one score in the table)")] == 3


def test_redcap_longitudinal_events_give_sessions(tmp_path, write_file):
    text = (
        "record_id,redcap_event_name,condition,pain_nrs_pre,pain_nrs_post\n"
        "C1,baseline_arm_1,tmj,,\n"
        "C1,visit_1_arm_1,,6,4\n"
        "C1,visit_2_arm_1,,5,3\n"
        "C1,treatment_arm_1,,,\n"
    )
    data = oc.read_sessions(write_file(tmp_path / "r.csv", text))
    assert data.frame["session"].tolist() == [1, 1, 2, 2]
    assert set(data.frame["condition"]) == {"tmj"}
    flow = data.flow.set_index(["unit", "step", "reason"])["count"]
    assert (
        flow[
            (
                "rows",
                "excluded",
                "REDCap record-level row (its fields were copied into the record's sessions)",
            )
        ]
        == 2
    )


def test_ambiguous_layout_asks_for_layout(tmp_path, long_csv, write_file):
    text = (
        long_csv.splitlines()[0]
        + ",pain_nrs_post\n"
        + "\n".join(r + ",3" for r in long_csv.splitlines()[1:])
        + "\n"
    )
    p = write_file(tmp_path / "amb.csv", text)
    with pytest.raises(SchemaError, match=r"ambiguous.*Pass layout="):
        oc.read_sessions(p)
    with pytest.warns(oc.DataQualityWarning, match="look like scores"):
        data = oc.read_sessions(p, layout="long")
    assert data.provenance["layout_reason"] == "given by the caller"


def test_unknown_layout_explains_each_layout(tmp_path, write_file):
    with pytest.raises(SchemaError, match="none of the known layouts") as err:
        oc.read_sessions(write_file(tmp_path / "x.csv", "a,b\n1,2\n"))
    assert "redcap" in str(err.value) and "pain_nrs_pre" in str(err.value)


def test_unknown_wide_measure_column(tmp_path, write_file):
    wide = "client_id,session,condition,pian_pre,pain_nrs_post\nC1,1,tmj,6,4\n"
    with pytest.raises(SchemaError) as err:
        oc.read_sessions(write_file(tmp_path / "w.csv", wide), layout="wide")
    fc = err.value.failure_cases
    assert fc[["row", "column", "check"]].values.tolist() == [[1, "pian_pre", "unknown_measure"]]
    assert "did you mean 'pain_nrs'" in fc["message"].iloc[0]


def test_timepoint_aliases_work_in_every_layout(tmp_path, write_file):
    prepost = "client_id,session,measure,Before,After,Follow-up,condition\nC1,1,pain,6,4,5,tmj\n"
    data = oc.read_sessions(write_file(tmp_path / "p.csv", prepost))
    assert data.layout == "prepost"
    assert data.frame["timepoint"].tolist() == ["pre", "post", "followup"]
    wide = "client_id,session,condition,stress_before,stress_after,pain_fu\nC1,1,tmj,7,5,3\n"
    data = oc.read_sessions(write_file(tmp_path / "w.csv", wide))
    assert sorted(zip(data.frame["measure"], data.frame["timepoint"].astype(str), strict=True)) == [
        ("pain_nrs", "followup"),
        ("stress_nrs", "post"),
        ("stress_nrs", "pre"),
    ]
