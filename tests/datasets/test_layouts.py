"""outcomes.datasets.layouts: the practice laid out the ways practices export it, every value kept."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from outcomes.datasets import LAYOUTS, to_layout
from outcomes.datasets.model import ATTRIBUTES, SESSION_FIELDS
from outcomes.datasets.model import KEY as ROW_KEY
from outcomes.schema import CANONICAL_COLUMNS, TIMEPOINTS

#: The columns of generate_practice(): the contract's canonical columns, then the generator's attributes.
COLUMNS = [*CANONICAL_COLUMNS, *ATTRIBUTES]
KEY = list(ROW_KEY)  # the generator's sort key, as a list of columns
SESSION_ATTRIBUTES = list(SESSION_FIELDS)


@pytest.fixture(scope="module")
def layouts(practice: pd.DataFrame) -> dict[str, pd.DataFrame]:
    return {layout: to_layout(practice, layout) for layout in LAYOUTS}


def value_columns(layout: str, table: pd.DataFrame) -> list[str]:
    if layout == "long":
        return ["score"]
    if layout == "prepost":
        return list(TIMEPOINTS)
    return [c for c in table.columns if c.endswith(("_pre", "_post", "_followup"))]


@pytest.mark.parametrize("layout", LAYOUTS)
def test_every_layout_keeps_every_value(
    practice: pd.DataFrame, layouts: dict[str, pd.DataFrame], layout: str
) -> None:
    table = layouts[layout]
    cols = value_columns(layout, table)
    assert int(table[cols].notna().sum().sum()) == len(practice)
    assert np.isclose(table[cols].sum().sum(), practice["score"].sum())


def test_long_layout_has_string_timepoints(practice: pd.DataFrame, layouts: dict[str, pd.DataFrame]) -> None:
    long = layouts["long"]
    assert pd.api.types.is_string_dtype(long["timepoint"].dtype)
    assert long["timepoint"].tolist() == practice["timepoint"].astype(str).tolist()
    assert long.drop(columns="timepoint").equals(practice.drop(columns="timepoint"))


def test_prepost_and_wide_melt_back_to_the_canonical_table(
    practice: pd.DataFrame, layouts: dict[str, pd.DataFrame]
) -> None:
    attrs = COLUMNS[5:]
    prepost = layouts["prepost"]
    assert list(prepost.columns) == ["client_id", "session", "measure", *TIMEPOINTS, *attrs]
    back = prepost.melt(
        id_vars=["client_id", "session", "measure", *attrs], var_name="timepoint", value_name="score"
    ).dropna(subset=["score"])
    wide = layouts["wide"]
    assert list(wide.columns[:10]) == ["client_id", "session", *attrs]
    assert wide.columns[10:13].tolist() == ["pain_nrs_pre", "pain_nrs_post", "pain_nrs_followup"]
    melted = wide.melt(id_vars=["client_id", "session", *attrs], var_name="column", value_name="score")
    melted = melted.dropna(subset=["score"])
    parts = melted["column"].str.extract(r"^(?P<measure>.+)_(?P<timepoint>pre|post|followup)$")
    wide_back = pd.concat([melted.drop(columns="column"), parts], axis=1)
    for table in (back, wide_back):
        table = table.assign(timepoint=pd.Categorical(table["timepoint"], dtype=practice["timepoint"].dtype))
        table = table[COLUMNS].sort_values(KEY).reset_index(drop=True)
        pd.testing.assert_frame_equal(table, practice, check_dtype=False)


def test_redcap_structure(practice: pd.DataFrame, layouts: dict[str, pd.DataFrame]) -> None:
    redcap = layouts["redcap"]
    first = ["record_id", "redcap_event_name", "redcap_repeat_instrument", "redcap_repeat_instance"]
    record_fields = ["condition", "age_band", "race_ethnicity", "postpartum", "payer"]
    assert list(redcap.columns[:12]) == [*first, *record_fields, *SESSION_ATTRIBUTES]
    intake = redcap["redcap_event_name"] == "intake_arm_1"
    assert intake.sum() == practice["client_id"].nunique()
    assert (~intake).sum() == len(practice.drop_duplicates(["client_id", "session"]))
    assert set(redcap.loc[~intake, "redcap_event_name"]) == {"treatment_arm_1"}
    assert (redcap.loc[~intake, "redcap_repeat_instrument"] == "session").all()
    assert redcap.loc[intake, ["redcap_repeat_instrument", "redcap_repeat_instance"]].isna().all().all()
    assert redcap.loc[intake, [*SESSION_ATTRIBUTES, *redcap.columns[12:]]].isna().all().all()
    assert redcap.loc[~intake, record_fields].isna().all().all()
    assert redcap.loc[intake, record_fields].notna().all().all()
    # each record row comes first, then the sessions in order
    assert (redcap.groupby("record_id")["redcap_event_name"].first() == "intake_arm_1").all()
    sessions = redcap.loc[~intake, ["record_id", "redcap_repeat_instance"]]
    expected = practice.drop_duplicates(["client_id", "session"])[["client_id", "session"]]
    assert sessions.to_numpy().tolist() == expected.to_numpy().tolist()


def test_to_layout_refuses_to_lose_values(practice: pd.DataFrame) -> None:
    with pytest.raises(ValueError, match="layout must be one of"):
        to_layout(practice, "tall")
    varied = practice.copy()
    varied.loc[varied.index[1], "technique"] = "something else"  # differs within one session
    with pytest.raises(ValueError, match="'technique' vary within one client"):
        to_layout(varied, "wide")
    assert len(to_layout(varied, "long")) == len(practice)
