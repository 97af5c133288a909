"""outcomes.plots.paired: each client's two scores (plot_paired) and the estimation plot
(plot_change_estimation): assertions on the artists drawn, not on pixels.

The fixtures ``data``, ``table`` and the text helpers are in tests/plots/conftest.py, ``comparison`` in
tests/conftest.py.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.collections import PolyCollection

import outcomes as oc
from outcomes import plots


# ---------------------------------------------------------------------------------------
# 1. paired
# ---------------------------------------------------------------------------------------
def test_plot_paired_draws_one_line_per_complete_pair(data, title_of, padded):
    _, ax = plt.subplots()
    out = plots.plot_paired(data, measure="pain_nrs", condition="pelvic_pain", level="course", ax=ax)
    assert out is ax
    pairs = oc.client_changes(data, level="course", by="condition", measures=["pain_nrs"])
    pairs = pairs[(pairs["condition"] == "pelvic_pain") & pairs["paired"]]
    segments = ax.outcomes_client_lines.get_segments()
    assert len(segments) == len(pairs) == 36
    # scores are drawn exactly (only a sideways shift for ties on this integer scale)
    starts = sorted(s[0][1] for s in segments)
    ends = sorted(s[1][1] for s in segments)
    assert starts == sorted(pairs["pre"]) and ends == sorted(pairs["post"])
    shifts = np.array([s[0][0] for s in segments])
    assert np.abs(shifts).max() <= 0.06 and np.allclose([s[1][0] - s[0][0] for s in segments], 1)
    assert ax.get_ylim() == pytest.approx(padded(0, 10))
    assert "Pain NRS 0-10" in ax.get_ylabel() and "lower is better" in ax.get_ylabel()
    title = title_of(ax)
    assert "Pain NRS 0-10" in title and "pelvic pain clients" in title and "36" in title
    assert [t.get_text() for t in ax.get_xticklabels()] == ["First session", "Last session"]


def test_plot_paired_colours_follow_the_direction_of_the_instrument(data):
    ax = plots.plot_paired(data, measure="sleep_quality_nrs", condition="tmj")
    pairs = oc.client_changes(data, level="course", by="condition", measures=["sleep_quality_nrs"])
    pairs = pairs[(pairs["condition"] == "tmj") & pairs["paired"]]
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    # higher sleep quality is better: a rise counts as improved
    assert f"improved ({int((pairs['change'] > 0).sum())})" in legend
    assert f"worse ({int((pairs['change'] < 0).sum())})" in legend
    assert "higher is better" in ax.get_ylabel()


def test_plot_paired_jitter_is_deterministic(data):
    a = plots.plot_paired(data, measure="pain_nrs", seed=3).outcomes_client_lines.get_segments()
    b = plots.plot_paired(data, measure="pain_nrs", seed=3).outcomes_client_lines.get_segments()
    assert all(np.array_equal(x, y) for x, y in zip(a, b, strict=True))


@pytest.mark.parametrize(
    ("level", "ticks"),
    [
        ("session", ["Before session", "After session"]),
        ("followup", ["Before session", "A few days later"]),
        ("course", ["First session", "Last session"]),
    ],
)
def test_plot_paired_says_what_the_two_points_are(data, level, ticks):
    ax = plots.plot_paired(data, measure="stress_nrs", level=level)
    assert [t.get_text() for t in ax.get_xticklabels()] == ticks
    n = int(
        oc.summarize(data, by=None, level=level, measures=["stress_nrs"], n_boot=100)["n_clients"].iloc[0]
    )
    assert len(ax.outcomes_client_lines.get_segments()) == n


def test_plot_paired_mean_ci_comes_from_the_summary(data):
    ax = plots.plot_paired(data, measure="pain_nrs", level="course")
    row = oc.summarize(data, by=None, level="course", measures=["pain_nrs"], n_boot=200).iloc[0]
    bars = [c for c in ax.containers]
    (bar,) = bars
    (segment,) = bar.lines[2][0].get_segments()
    assert sorted(segment[:, 1]) == pytest.approx(
        sorted([row["mean_pre"] + row["ci_low"], row["mean_pre"] + row["ci_high"]])
    )
    mean_line = next(line for line in ax.get_lines() if line.get_linewidth() == pytest.approx(2.8))
    assert list(mean_line.get_ydata()) == pytest.approx([row["mean_pre"], row["mean_post"]])


def test_toward_measures_are_drawn_as_distance_from_normal(data, padded):
    ax = plots.plot_paired(data, measure="pelvic_tone", level="session")
    assert ax.get_ylim() == pytest.approx(padded(0, 3))  # analysis_range of a -3..+3 scale
    assert "distance from normal tone (0 = normal)" in ax.get_ylabel()


def test_small_groups_are_flagged_in_the_paired_plot(data, title_of):
    ax = plots.plot_paired(data, measure="hit6", condition="headache")
    # the note as the figure writes it for a group under SMALL_N (10) clients: asserted as written
    assert "small group (n < 10)" in title_of(ax)
    assert any("(n < 10)" in t.get_text() for t in ax.get_legend().get_texts())


def test_plot_paired_accepts_a_canonical_frame(tiny_long):
    ax = plots.plot_paired(tiny_long, measure="pain_nrs", level="session")
    assert len(ax.outcomes_client_lines.get_segments()) == 2


# ---------------------------------------------------------------------------------------
# 2. estimation
# ---------------------------------------------------------------------------------------
def test_estimation_plot_has_a_floating_axis_aligned_at_the_earlier_mean(data):
    ax = plots.plot_change_estimation(data, measure="pain_nrs", condition="pelvic_pain", n_boot=300)
    delta = ax.outcomes_delta_ax
    row = oc.summarize(data, level="course", measures=["pain_nrs"], n_boot=300)
    row = row[row["condition"] == "pelvic_pain"].iloc[0]
    lo, hi = ax.get_ylim()
    assert delta.get_ylim() == pytest.approx((lo - row["mean_pre"], hi - row["mean_pre"]))
    assert any(isinstance(c, PolyCollection) for c in delta.collections)  # the bootstrap distribution
    (bar,) = delta.containers
    (segment,) = bar.lines[2][0].get_segments()
    assert sorted(segment[:, 1]) == pytest.approx([row["boot_ci_low"], row["boot_ci_high"]])  # BCa CI
    assert list(bar.lines[0].get_ydata()) == pytest.approx([row["mean_change"]])
    assert not ax.containers  # the t interval is not repeated on the data side
    assert len(ax.outcomes_client_lines.get_segments()) == row["n_clients"]
