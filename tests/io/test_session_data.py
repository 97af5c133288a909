"""outcomes.io.session_data: what a read returns: its repr, HTML and counts."""

from __future__ import annotations

import outcomes as oc


def test_repr_and_html(tmp_path, long_csv, write_file):
    data = oc.read_sessions(write_file(tmp_path / "v.csv", long_csv))
    assert "layout long" in repr(data) and "2 clients" in repr(data)
    html = data._repr_html_()
    assert "<table" in html and "rows read" in html


def test_counts_per_condition(tmp_path, long_csv, write_file):
    counts = oc.read_sessions(write_file(tmp_path / "v.csv", long_csv)).counts()
    assert counts.set_index("condition")["clients"].to_dict() == {"headache": 1, "pelvic_pain": 1, "tmj": 1}
    assert counts.set_index("condition").loc["pelvic_pain", "sessions"] == 2
