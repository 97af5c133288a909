"""Figures: assertions on the artists drawn, not on pixels."""

from __future__ import annotations

import subprocess
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import PolyCollection

import outcomes as oc
from outcomes import plots


@pytest.fixture(scope="module")
def data():
    return oc.sample_data()


@pytest.fixture(scope="module")
def table(data):
    return oc.summarize(data, level=["session", "course"], n_boot=200)


@pytest.fixture(scope="module")
def comparison(data):
    return oc.compare_literature(data)


def test_import_outcomes_does_not_import_matplotlib():
    code = "import sys, outcomes, outcomes.plots; print('matplotlib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_plot_paired_draws_one_line_per_complete_pair(data):
    _, ax = plt.subplots()
    out = plots.plot_paired(data, measure="pain_nrs", condition="pelvic_pain", level="course", ax=ax)
    assert out is ax
    pairs = oc.client_changes(data, level="course", by="condition", measures=["pain_nrs"])
    n = int((pairs["paired"] & (pairs["condition"] == "pelvic_pain")).sum())
    assert len(ax.outcomes_client_lines.get_segments()) == n
    assert ax.get_ylim() == pytest.approx((-0.3, 10.3))  # the 0-10 range with 3% padding
    assert "Pain NRS 0-10" in ax.get_ylabel() and "lower is better" in ax.get_ylabel()
    assert "Pelvic pain" in ax.get_title(loc="left") and f"n = {n}" in ax.get_title(loc="left")
    assert [t.get_text() for t in ax.get_xticklabels()] == ["First session", "Last session"]


def test_toward_measures_are_drawn_as_distance_from_normal(data):
    ax = plots.plot_paired(data, measure="pelvic_tone", level="session")
    assert ax.get_ylim() == pytest.approx((-0.09, 3.09))
    assert "distance from normal tone" in ax.get_ylabel()


def test_estimation_plot_has_a_floating_axis_aligned_at_the_earlier_mean(data):
    ax = plots.plot_change_estimation(data, measure="pain_nrs", level="course", n_boot=300)
    delta = ax.outcomes_delta_ax
    row = oc.summarize(data, by=None, level="course", measures=["pain_nrs"], n_boot=300).iloc[0]
    lo, hi = ax.get_ylim()
    assert delta.get_ylim() == pytest.approx((lo - row["mean_pre"], hi - row["mean_pre"]))
    assert any(isinstance(c, PolyCollection) for c in delta.collections)  # the bootstrap distribution
    assert f"{row['mean_change']:+.2f}" in delta.get_xlabel()


def test_condition_forest_rows_n_and_mcid(table):
    _, ax = plt.subplots()
    out = plots.plot_condition_forest(table, measure="pain_nrs", level="course", ax=ax)
    assert out is ax
    rows = table[(table.measure == "pain_nrs") & (table.level == "course")]
    assert len(ax.get_yticks()) == len(rows)
    texts = [t.get_text() for t in ax.texts]
    assert sum(t.startswith("n = ") for t in texts) == len(rows)
    assert ax.outcomes_mcid == 2
    assert any(np.allclose(line.get_xdata(), [2, 2]) for line in ax.get_lines())
    no_mcid = plots.plot_condition_forest(table, measure="stress_nrs", level="course")
    assert no_mcid.outcomes_mcid is None
    assert not any(t.get_text().startswith("MCID") for t in no_mcid.texts)


def test_suppressed_rows_are_not_drawn(table):
    crafted = table[(table.measure == "pain_nrs") & (table.level == "course")].copy()
    crafted.loc[crafted["condition"] == "tmj", "flags"] = "suppressed"
    ax = plots.plot_condition_forest(crafted, measure="pain_nrs")
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert "TMJ" not in labels and len(labels) == len(crafted) - 1
    ax2 = plots.plot_responders(crafted, measure="pain_nrs")
    assert "TMJ" not in [t.get_text() for t in ax2.get_yticklabels()]


def test_small_groups_are_flagged(table):
    ax = plots.plot_condition_forest(table, measure="pain_nrs", level="course")
    small = table[
        (table.measure == "pain_nrs") & (table.level == "course") & table["flags"].str.contains("small")
    ]
    assert sum("(small)" in t.get_text() for t in ax.texts) == len(small)


def test_trajectory_draws_pre_and_post_per_condition(data):
    ax = plots.plot_trajectory(data, measure="pain_nrs", conditions=["pelvic_pain", "postpartum"])
    assert [t.get_text().split(" (")[0] for t in ax.get_legend().get_texts()] == ["Pelvic pain", "Postpartum"]
    assert ax.get_ylim() == pytest.approx((-0.3, 10.3))
    assert len(ax.collections) >= 4  # before and after markers for each condition


def test_responders_bars_and_mcid_markers(table):
    ax = plots.plot_responders(table, measure="pain_nrs", level="course")
    rows = table[(table.measure == "pain_nrs") & (table.level == "course")]
    assert len(ax.patches) == 3 * len(rows)
    assert ax.get_xlim() == (0, 100)


def test_responders_without_reliability_say_so(table):
    ax = plots.plot_responders(table, measure="stress_nrs", level="course")
    assert any("no published reliability" in t.get_text() for t in ax.texts)


def test_jacobson_truax_band_and_cutoff(data):
    ax = plots.plot_jacobson_truax(data, measure="psqi", level="course")
    cc = oc.classify_change(data, level="course", measures=["psqi"])
    assert ax.get_xlim() == ax.get_ylim()
    assert any("clinical cut-off (5)" in t.get_text() for t in ax.get_legend().get_texts())
    assert any(f"±{cc['rc_threshold'].iloc[0]:.1f}" in t.get_text() for t in ax.get_legend().get_texts())
    n_points = sum(
        len(c.get_offsets())
        for c in ax.collections
        if c.get_offsets().ndim == 2 and c.get_offsets().shape[1] == 2 and not isinstance(c, PolyCollection)
    )
    assert n_points == len(cc)


def test_literature_forest_never_shows_between_group_results(comparison):
    _, ax = plt.subplots()
    out = plots.plot_literature_forest(comparison, condition="all", measure="pain_nrs", ax=ax)
    assert out is ax
    labels = " ".join(t.get_text() for t in ax.get_yticklabels())
    between = set(comparison.loc[comparison.part == "between_groups", "source"])
    assert between and not any(b in labels for b in between)
    assert "haller2021_mymop_symptoms" in labels and "This practice" not in labels
    assert any("listed separately" in t.get_text() for t in ax.texts)
    assert "positive = improvement" in ax.get_xlabel()


def test_between_groups_have_their_own_axis(comparison):
    ax = plots.plot_between_groups(comparison, condition="all")
    labels = " ".join(t.get_text() for t in ax.get_yticklabels())
    assert "haller2020_pain_vs_sham" in labels
    assert "not comparable" in ax.get_title(loc="left")


def test_bad_metric():
    with pytest.raises(ValueError, match="metric"):
        plots.plot_condition_forest(pd.DataFrame(), measure="pain_nrs", metric="median")
