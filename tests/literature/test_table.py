"""outcomes.literature.table: the packaged table of published effects (every reference field kept, every
row valid) and the user's own rows (validated with every problem, added)."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

import outcomes as oc
from outcomes.literature import load_literature
from outcomes.literature.table import _check_rows, _read_table

REFERENCE = Path(__file__).resolve().parents[1] / "reference" / "literature_effects.csv"
PACKAGED = Path(oc.__file__).parent / "_data" / "literature.csv"


def test_packaged_table_keeps_every_reference_field():
    packaged = {r["id"]: r for r in csv.DictReader(PACKAGED.read_text(encoding="utf-8").splitlines())}
    for ref in csv.DictReader(REFERENCE.read_text(encoding="utf-8").splitlines()):
        for field, value in ref.items():
            assert packaged[ref["id"]][field] == value, (ref["id"], field)


def test_packaged_table_is_valid():
    """Every row has a source and a known effect kind; CIs are ordered and contain their estimate;
    scale facts agree with the registry where the instrument is known."""
    table = _read_table(PACKAGED.read_text(encoding="utf-8"), "literature.csv")
    fc = _check_rows(table, "literature.csv", oc.default_registry())
    assert fc.empty, fc.to_string()
    lit = load_literature()
    assert lit["citation"].notna().all() and lit["doi_or_url"].notna().all()
    assert set(lit["effect_kind"]) <= {"within_arm", "between_groups"}
    has_ci = lit["ci_low"].notna() & lit["ci_high"].notna()
    assert (lit.loc[has_ci, "ci_low"] <= lit.loc[has_ci, "ci_high"]).all()
    keyed = lit[lit["instrument_key"].notna()]
    assert {"hit6", "psqi", "pain_vas", "pain_nrs"} <= set(keyed["instrument_key"])
    assert (lit.loc[lit.effect_kind == "between_groups", "arm_role"] == "between_groups").all()
    assert set(lit.loc[lit.id.str.contains("sham_w"), "arm_role"]) == {"sham"}
    assert set(lit.loc[lit.id.str.contains("waitlist"), "arm_role"]) == {"natural_history"}


def test_user_rows_are_validated_with_every_problem(tmp_path):
    path = tmp_path / "mine.csv"
    path.write_text(
        "id,citation,doi_or_url,effect_kind,arm,condition,construct,estimate_type,higher_is_better,verification,"
        "estimate,ci_low,ci_high,instrument_key,scale_min,scale_max\n"
        "a1,A 2024,10.1/a,within_arm,cst,tmj,pain,mean_change,false,user,-2,-3,-1,pain_nrs,0,10\n"
        "a2,,10.1/a,sideways,cst,tmj,pain,mean_change,false,user,-2,-1,-3,,,\n"
        "a3,A 2024,10.1/a,within_arm,cst,tmj,pain,guess,maybe,user,5,-3,-1,hit6,0,10\n"
        "haller2016_vas_cst_w8,A,10.1/a,within_arm,cst,tmj,pain,means,false,user,,,,,,\n",
        encoding="utf-8",
    )
    with pytest.raises(oc.SchemaError) as err:
        load_literature(path)
    fc = err.value.failure_cases
    got = set(zip(fc["row"], fc["check"], strict=True))
    assert got == {
        (3, "missing_value"),
        (3, "unknown_effect_kind"),
        (3, "ci_order"),
        (4, "unknown_estimate_type"),
        (4, "not_boolean"),
        (4, "estimate_outside_ci"),
        (4, "scale_mismatch"),
        (5, "duplicate"),
    }
    assert "problem(s) in the literature rows of mine.csv" in str(err.value)


def test_user_rows_are_added():
    extra = pd.DataFrame(
        [
            dict(
                id="u1",
                citation="U 2025",
                doi_or_url="10.9/u",
                effect_kind="within_arm",
                arm="cst",
                modality="cst",
                condition="TMJ",
                construct="pain",
                estimate_type="mean_change",
                higher_is_better="false",
                verification="user",
                estimate=-2.0,
                ci_low=-2.6,
                ci_high=-1.4,
                n=25,
            )
        ]
    )
    lit = load_literature(extra)
    row = lit.set_index("id").loc["u1"]
    assert row["arm_role"] == "cst" and row["practice_conditions"] == "tmj" and row["source"] == "<DataFrame>"
    assert len(lit) == len(load_literature()) + 1
