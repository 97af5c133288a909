"""outcomes.schema.values (text work done once per distinct value: names normalised) and the condition
splitting of outcomes.schema.contract."""

from __future__ import annotations

import numpy as np
import pandas as pd

from outcomes.schema import split_conditions, validate_sessions


def test_names_are_normalised(tiny_long):
    df = tiny_long.astype({"score": str, "session": str})
    df.loc[0, "measure"] = "  Pain "
    df.loc[1, "timepoint"] = "POST"
    df.loc[2, "condition"] = "Pelvic pain; TMJ"
    out = validate_sessions(df)
    assert out.loc[0, "measure"] == "pain_nrs"
    assert out.loc[1, "timepoint"] == "post"
    assert out.loc[2, "condition"] == "pelvic_pain;tmj"


def test_split_conditions():
    s = pd.Series(["headache;tmj", "pelvic_pain"], index=[10, 11])
    out = split_conditions(s)
    assert out.tolist() == ["headache", "tmj", "pelvic_pain"]
    assert out.index.tolist() == [10, 10, 11]


def test_work_per_distinct_value_equals_work_per_row():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from outcomes.schema import per_value

    def text_fn(u):
        return u.astype("str").str.strip().str.lower().where(u.notna(), "")

    def number_fn(u):
        return pd.to_numeric(u.astype("str").str.strip(), errors="coerce")

    @settings(max_examples=60, deadline=None)
    @given(st.lists(st.one_of(st.none(), st.sampled_from([" A", "a", "A ", "3", " 3.5", "x"])), max_size=40))
    def check(values):
        s = pd.Series(values, dtype="str", index=np.arange(len(values)) * 2)
        for fn in (text_fn, number_fn):
            got = per_value(s, fn)
            want = fn(s)
            assert got.index.equals(s.index)
            assert (
                got.astype(object).where(got.notna(), None).tolist()
                == want.astype(object).where(want.notna(), None).tolist()
            )

    check()
