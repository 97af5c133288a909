"""Figures: assertions on the artists drawn, not on pixels."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

os.environ.setdefault("MPLBACKEND", "Agg")

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import LineCollection, PolyCollection
from matplotlib.text import Text

import outcomes as oc
from outcomes import plots

SAMPLE = "synthetic_practice_long.csv"


@pytest.fixture(scope="module")
def data():
    return oc.read_sessions(Path(__file__).resolve().parents[1] / "data_samples" / SAMPLE)


@pytest.fixture(scope="module")
def table(data):
    return oc.summarize(data, level=["session", "course"], n_boot=200)


@pytest.fixture(scope="module")
def comparison(data):
    return oc.compare_literature(data)


def _plain(text: str) -> str:
    """Text as read: wrapping newlines and non-breaking spaces as single spaces."""
    return " ".join(text.split())


def _texts(ax) -> list[str]:
    return [_plain(t.get_text()) for t in ax.figure.findobj(Text) if t.get_text()]


def _title(ax) -> str:
    return _plain(ax.get_title(loc="left") or getattr(ax, "outcomes_title", ""))


def _padded(lo: float, hi: float) -> tuple[float, float]:
    """The instrument's range plus plots.PAD (3%) of it on each side."""
    pad = plots.PAD * (hi - lo)
    return lo - pad, hi + pad


# ---------------------------------------------------------------------------------------
# architecture and look
# ---------------------------------------------------------------------------------------
def test_import_outcomes_does_not_import_matplotlib():
    code = "import sys, outcomes, outcomes.plots; print('matplotlib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_default_figure_is_grant_sized_and_no_text_is_below_9_pt(data, table, comparison):
    axes = [
        plots.plot_paired(data, measure="pain_nrs", condition="pelvic_pain"),
        plots.plot_change_estimation(data, measure="pain_nrs", n_boot=200),
        plots.plot_condition_forest(table, measure="pain_nrs"),
        plots.plot_trajectory(data, measure="pain_nrs"),
        plots.plot_responders(table, measure="pain_nrs"),
        plots.plot_jacobson_truax(data, measure="psqi"),
        plots.plot_literature_forest(comparison, condition="neck_pain"),
        plots.plot_between_groups(comparison, condition="pelvic_pain"),
    ]
    assert tuple(axes[0].figure.get_size_inches()) == pytest.approx((6.5, 4.0))
    for ax in axes:
        assert ax.figure.get_figwidth() == pytest.approx(6.5)
        sizes = [t.get_fontsize() for t in ax.figure.findobj(Text) if t.get_text() and t.get_visible()]
        assert min(sizes) >= 9


def test_every_function_returns_the_ax_it_was_given(data, table, comparison):
    calls = [
        lambda ax: plots.plot_paired(data, measure="pain_nrs", ax=ax),
        lambda ax: plots.plot_change_estimation(data, measure="pain_nrs", n_boot=200, ax=ax),
        lambda ax: plots.plot_condition_forest(table, measure="pain_nrs", ax=ax),
        lambda ax: plots.plot_trajectory(data, measure="pain_nrs", ax=ax),
        lambda ax: plots.plot_responders(table, measure="pain_nrs", ax=ax),
        lambda ax: plots.plot_jacobson_truax(data, measure="pain_nrs", ax=ax),
        lambda ax: plots.plot_literature_forest(comparison, condition="all", ax=ax),
        lambda ax: plots.plot_between_groups(comparison, condition="all", ax=ax),
    ]
    for call in calls:
        _, ax = plt.subplots()
        assert call(ax) is ax


def test_bad_arguments_say_what_is_allowed(data, table):
    with pytest.raises(ValueError, match="metric must be one of 'mean_improvement', 'smc'"):
        plots.plot_condition_forest(table, measure="pain_nrs", metric="median")
    with pytest.raises(ValueError, match="level must be one of"):
        plots.plot_paired(data, measure="pain_nrs", level="week8")
    with pytest.raises(ValueError, match=r"Conditions present: .*pelvic_pain"):
        plots.plot_paired(data, measure="pain_nrs", condition="migraine")
    with pytest.raises(ValueError, match=re.escape("summary must be a table from outcomes.summarize()")):
        plots.plot_responders(pd.DataFrame({"x": [1]}), measure="pain_nrs")


# ---------------------------------------------------------------------------------------
# 1. paired
# ---------------------------------------------------------------------------------------
def test_plot_paired_draws_one_line_per_complete_pair(data):
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
    assert ax.get_ylim() == pytest.approx(_padded(0, 10))
    assert "Pain NRS 0-10" in ax.get_ylabel() and "lower is better" in ax.get_ylabel()
    title = _title(ax)
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


def test_toward_measures_are_drawn_as_distance_from_normal(data):
    ax = plots.plot_paired(data, measure="pelvic_tone", level="session")
    assert ax.get_ylim() == pytest.approx(_padded(0, 3))  # analysis_range of a -3..+3 scale
    assert "distance from normal tone (0 = normal)" in ax.get_ylabel()


def test_small_groups_are_flagged_in_the_paired_plot(data):
    ax = plots.plot_paired(data, measure="hit6", condition="headache")
    assert "small group (n < 10)" in _title(ax)
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


# ---------------------------------------------------------------------------------------
# 3. condition forest
# ---------------------------------------------------------------------------------------
def test_condition_forest_rows_n_and_mcid(table):
    _, ax = plt.subplots()
    out = plots.plot_condition_forest(table, measure="pain_nrs", level="course", ax=ax)
    assert out is ax
    rows = table[(table.measure == "pain_nrs") & (table.level == "course")]
    assert [t.get_text() for t in ax.get_yticklabels()][:2] == ["Back pain", "Bladder"]
    assert len(ax.get_yticks()) == len(rows)
    assert sum(t.startswith("n = ") for t in _texts(ax)) == len(rows)
    assert ax.outcomes_mcid == 2
    (mcid,) = [line for line in ax.get_lines() if line.get_linestyle() == "--"]
    assert np.allclose(mcid.get_xdata(), [2, 2])
    assert "Pain NRS 0-10" in _title(ax)
    assert "better →" in ax.get_xlabel() and "← worse" in ax.get_xlabel()


def test_condition_forest_has_no_mcid_line_when_none_is_published(table):
    ax = plots.plot_condition_forest(table, measure="stress_nrs", level="course")
    assert ax.outcomes_mcid is None
    assert not any(t.strip().startswith("MCID") for t in _texts(ax))
    assert any("No published MCID for Stress NRS 0-10" in t for t in _texts(ax))
    assert not [line for line in ax.get_lines() if line.get_linestyle() == "--"]  # no reference line


def test_condition_forest_smc_is_turned_to_improvement(table):
    ax = plots.plot_condition_forest(table, measure="pain_nrs", metric="smc")
    row = table[
        (table.measure == "pain_nrs") & (table.level == "course") & (table.condition == "pelvic_pain")
    ]
    y = [t.get_text() for t in ax.get_yticklabels()].index("Pelvic pain")
    points = [line for line in ax.get_lines() if list(line.get_ydata()) == [y] and line.get_marker() == "o"]
    assert points[0].get_xdata()[0] == pytest.approx(-row["smc"].iloc[0])  # pain fell: positive
    assert ax.outcomes_mcid is None


def test_suppressed_rows_are_not_drawn(table):
    crafted = table[(table.measure == "pain_nrs") & (table.level == "course")].copy()
    crafted.loc[crafted["condition"] == "tmj", "flags"] = "suppressed"
    ax = plots.plot_condition_forest(crafted, measure="pain_nrs")
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert "TMJ" not in labels and len(labels) == len(crafted) - 1
    assert not any("TMJ" in t for t in _texts(ax))
    assert sum(t.startswith("n = ") for t in _texts(ax)) == len(crafted) - 1
    assert any("1 group not shown" in t for t in _texts(ax))
    ax2 = plots.plot_responders(crafted, measure="pain_nrs")
    assert "TMJ" not in [t.get_text() for t in ax2.get_yticklabels()]
    assert all(len(bars.patches) == len(crafted) - 1 for bars in ax2.outcomes_bars)


def test_small_groups_are_flagged(table):
    ax = plots.plot_condition_forest(table, measure="pain_nrs", level="course")
    rows = table[(table.measure == "pain_nrs") & (table.level == "course")]
    small = rows["flags"].str.contains("small_n|insufficient")
    assert small.sum() == 2
    assert sum(t.endswith(", small") for t in _texts(ax)) == small.sum()
    hollow = [
        line for line in ax.get_lines() if line.get_marker() == "o" and line.get_markerfacecolor() == "white"
    ]
    assert len(hollow) == small.sum()


# ---------------------------------------------------------------------------------------
# 4. trajectory
# ---------------------------------------------------------------------------------------
def test_trajectory_draws_a_sawtooth_per_condition(data):
    ax = plots.plot_trajectory(data, measure="pain_nrs", conditions=["pelvic_pain", "postpartum"])
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels[:2] == ["Pelvic pain", "Postpartum"]
    assert ax.get_ylim() == pytest.approx(_padded(0, 10))
    traj = oc.trajectory(data, measure="pain_nrs")
    t = traj[(traj.condition == "pelvic_pain") & (traj.n_clients >= plots.MIN_TRAJECTORY_N)]
    pre = set(t.loc[t.timepoint == "pre", "session"])
    post = set(t.loc[t.timepoint == "post", "session"])
    colour = plots.SERIES[0]
    mine = [line for line in ax.get_lines() if line.get_color() == colour and len(line.get_xdata()) == 2]
    solid = [line for line in mine if line.get_linestyle() == "-"]
    dashed = [line for line in mine if line.get_linestyle() != "-"]
    assert len(solid) == len(pre & post)  # within each session
    assert len(dashed) == len({s for s in post if s + 1 in pre})  # until the next session
    # before and after averages drawn where they are
    xs = [line.get_xdata()[0] for line in solid]
    assert all(abs(x - round(x)) < 0.1 for x in xs)
    assert "Pain NRS 0-10" in _title(ax)
    assert any(t == "45" for t in _texts(ax))  # clients before the first session


def test_trajectory_individual_lines_one_per_client(data):
    ax = plots.plot_trajectory(data, measure="pain_nrs", conditions=["pelvic_pain"], individual=True)
    (lines,) = [c for c in ax.collections if isinstance(c, LineCollection) and c.get_alpha() == 0.12]
    frame = data.frame
    clients = frame.loc[
        frame["condition"].str.split(";").map(lambda cs: "pelvic_pain" in cs) & (frame.measure == "pain_nrs"),
        "client_id",
    ]
    assert len(lines.get_segments()) == clients.nunique()


def test_trajectory_of_a_toward_scale_shows_distance_from_normal(data):
    """Averages of raw tone grades would let clients above and below normal cancel out."""
    ax = plots.plot_trajectory(data, measure="pelvic_tone", conditions=["pelvic_pain"])
    assert ax.get_ylim() == pytest.approx(_padded(0, 3))
    assert "distance from normal" in ax.get_ylabel()


# ---------------------------------------------------------------------------------------
# 5. responders
# ---------------------------------------------------------------------------------------
def test_responders_bars_and_mcid_markers(table):
    ax = plots.plot_responders(table, measure="pain_nrs", level="course")
    rows = table[(table.measure == "pain_nrs") & (table.level == "course")]
    assert len(ax.patches) == 3 * len(rows)
    improved = [p.get_width() for p in ax.outcomes_bars[0].patches]
    assert improved == pytest.approx(list(rows["pct_reliable_improved"]))
    assert ax.get_xlim() == (0, 100)
    diamonds = [line for line in ax.get_lines() if line.get_marker() == "D"]
    assert sum(len(d.get_xdata()) for d in diamonds) == rows["pct_mcid"].notna().sum()
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "reached the MCID (2 points), 95% CI" in legend


def test_responders_without_reliability_say_so(table):
    ax = plots.plot_responders(table, measure="stress_nrs", level="course")
    assert any("no published test–retest reliability" in t for t in _texts(ax))
    assert not ax.patches
    gad = plots.plot_responders(table, measure="gad7", level="course")  # an MCID but no reliability
    assert not gad.patches and any("reliable change not assessed" in t for t in _texts(gad))
    assert [line for line in gad.get_lines() if line.get_marker() == "D"]


# ---------------------------------------------------------------------------------------
# 6. Jacobson-Truax
# ---------------------------------------------------------------------------------------
def test_jacobson_truax_band_and_cutoff(data):
    ax = plots.plot_jacobson_truax(data, measure="psqi", level="course")
    cc = oc.classify_change(data, level="course", measures=["psqi"])
    assert ax.get_xlim() == ax.get_ylim() == pytest.approx(_padded(0, 21))
    assert ax.get_aspect() == 1
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "clinical cut-off (5)" in legend
    threshold = cc["rc_threshold"].iloc[0]
    assert any(f"± {threshold:.1f}" in t for t in legend)
    (band,) = [c for c in ax.collections if isinstance(c, PolyCollection)]
    offsets = {round(float(y - x), 6) for x, y in band.get_paths()[0].vertices}
    assert offsets >= {round(threshold, 6), round(-threshold, 6)}
    assert int(ax.outcomes_points["n"].sum()) == len(cc)
    assert any(np.allclose(line.get_xdata(), [5, 5]) for line in ax.get_lines())
    assert any("left the clinical range" in t for t in _texts(ax))
    assert "Pittsburgh Sleep Quality Index" in _title(ax)


def test_jacobson_truax_for_one_condition_and_without_a_cutoff(data):
    ax = plots.plot_jacobson_truax(data, measure="pain_nrs", condition="pelvic_pain")
    assert int(ax.outcomes_points["n"].sum()) == 36
    assert not any("clinical cut-off" in t for t in _texts(ax))
    assert ax.get_xlim() == pytest.approx(_padded(0, 10))


# ---------------------------------------------------------------------------------------
# 7. literature
# ---------------------------------------------------------------------------------------
def test_literature_forest_never_shows_between_group_results(comparison):
    _, ax = plt.subplots()
    out = plots.plot_literature_forest(comparison, condition="all", ax=ax)
    assert out is ax
    labels = " ".join(t.get_text() for t in ax.get_yticklabels())
    between = set(comparison.between_groups["source"])
    assert between and not any(b in labels for b in between)
    assert "haller2021_mymop_symptoms" in labels  # the default measure for 'all' is pain
    assert "This practice" in labels and "Published CST arms" in labels
    assert "Immediate, not comparable" in labels
    assert any("8 published CST-versus-control results" in t and "listed separately" in t for t in _texts(ax))
    assert "positive = improvement" in ax.get_xlabel()
    assert "Pain NRS 0-10" in _title(ax)


def test_literature_forest_marks_partial_and_unstandardizable_arms(comparison):
    ax = plots.plot_literature_forest(comparison, condition="neck_pain", measure="pain_nrs")
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert "haller2016_vas_cst_w8 (n = 27, partial)" in labels
    assert "haller2016_vas_sham_w8 (n = 27, sham, partial)" in labels
    assert sum("50% improvement, not standardizable" in t for t in _texts(ax)) == 2


def test_literature_forest_pools_with_a_prediction_interval(comparison):
    long = comparison.to_frame().assign(practice_measure=lambda f: f["measure"])
    practice = long[(long.condition == "all") & (long.measure == "pain_nrs")]
    practice = practice[practice.role.isin(["practice_course", "practice_session"])]
    arms = pd.DataFrame(
        {
            "part": "benchmark",
            "condition": "all",
            "practice_measure": "pain_nrs",
            "construct": "pain",
            "role": ["cst", "cst", "cst", "pooled_cst"],
            "source": ["a2001", "b2002", "c2003", "pooled"],
            "assumed_r": 0.5,
            "verification": ["verified", "partial", "verified", np.nan],
            "n": [30, 40, 50, 120],
            "smc": [1.0, 1.4, 0.8, 1.05],
            "smc_ci_low": [0.6, 1.0, 0.5, 0.7],
            "smc_ci_high": [1.4, 1.8, 1.1, 1.4],
            "pct_change": np.nan,
            "k": [np.nan, np.nan, np.nan, 3],
            "pi_low": [np.nan, np.nan, np.nan, 0.2],
            "pi_high": [np.nan, np.nan, np.nan, 1.9],
        }
    )
    crafted = oc.LiteratureComparison(pd.concat([practice, arms], ignore_index=True), settings={})
    ax = plots.plot_literature_forest(crafted, condition="all")
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert "Pooled CST arms (k = 3)" in labels and "b2002 (n = 40, partial)" in labels
    (diamond,) = [p for p in ax.patches if len(p.get_xy()) >= 4]
    assert diamond.get_xy()[:, 0].min() == pytest.approx(0.7) and diamond.get_xy()[
        :, 0
    ].max() == pytest.approx(1.4)
    y = labels.index("Pooled CST arms (k = 3)")
    whiskers = [
        seg
        for c in ax.collections
        if isinstance(c, LineCollection)
        for seg in c.get_segments()
        if np.allclose(seg[:, 1], ax.get_yticks()[y])
    ]
    assert any(np.allclose(sorted(seg[:, 0]), [0.2, 1.9]) for seg in whiskers)
    partial = [
        line for line in ax.get_lines() if line.get_marker() == "o" and line.get_markerfacecolor() == "white"
    ]
    assert any(list(line.get_xdata()) == [1.4] for line in partial)


def test_literature_forest_rejects_an_assumed_r_it_was_not_given(comparison):
    with pytest.raises(ValueError, match=re.escape("assumed_r must be one of 0.3, 0.5, 0.7 (got 0.9)")):
        plots.plot_literature_forest(comparison, condition="all", assumed_r=0.9)


def test_between_groups_have_their_own_axes_one_per_scale(comparison):
    ax = plots.plot_between_groups(comparison, condition="pelvic_pain")
    rows = comparison.between_groups[comparison.between_groups.condition.str.contains("pelvic_pain")]
    assert len(ax.outcomes_panels) == rows.groupby(["estimate_type", "instrument"]).ngroups == 3
    labels = [_plain(t.get_text()) for p in ax.outcomes_panels for t in p.get_yticklabels()]
    assert len(labels) == len(rows)
    assert any(
        "CST vs wait-list, mean difference, NRS 0-10" in lab and "dysmenorrhea2014_between" in lab
        for lab in labels
    )
    assert "not comparable" in _title(ax)
    all_ax = plots.plot_between_groups(comparison, condition="all")
    (panel,) = all_ax.outcomes_panels  # every 'all' result is an SMD: one panel
    assert "haller2020_pain_vs_sham" in " ".join(t.get_text() for t in panel.get_yticklabels())
