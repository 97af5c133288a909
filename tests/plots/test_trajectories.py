"""outcomes.plots.trajectories: session by session (plot_trajectory): a sawtooth per condition,
individual lines, toward scales as distance from normal.

The fixtures ``data``, ``table`` and the text helpers are in tests/plots/conftest.py, ``comparison`` in
tests/conftest.py.
"""

from __future__ import annotations

import pytest
from matplotlib.collections import LineCollection

import outcomes as oc
from outcomes import plots


def test_trajectory_draws_a_sawtooth_per_condition(data, texts_of, title_of, padded):
    ax = plots.plot_trajectory(data, measure="pain_nrs", conditions=["pelvic_pain", "postpartum"])
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels[:2] == ["Pelvic pain", "Postpartum"]
    assert ax.get_ylim() == pytest.approx(padded(0, 10))
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
    assert "Pain NRS 0-10" in title_of(ax)
    assert any(t == "45" for t in texts_of(ax))  # clients before the first session


def test_trajectory_individual_lines_one_per_client(data):
    ax = plots.plot_trajectory(data, measure="pain_nrs", conditions=["pelvic_pain"], individual=True)
    (lines,) = [c for c in ax.collections if isinstance(c, LineCollection) and c.get_alpha() == 0.12]
    frame = data.frame
    clients = frame.loc[
        frame["condition"].str.split(";").map(lambda cs: "pelvic_pain" in cs) & (frame.measure == "pain_nrs"),
        "client_id",
    ]
    assert len(lines.get_segments()) == clients.nunique()


def test_trajectory_of_a_toward_scale_shows_distance_from_normal(data, padded):
    """Averages of raw tone grades would let clients above and below normal cancel out."""
    ax = plots.plot_trajectory(data, measure="pelvic_tone", conditions=["pelvic_pain"])
    assert ax.get_ylim() == pytest.approx(padded(0, 3))
    assert "distance from normal" in ax.get_ylabel()


def test_trajectory_on_a_weeks_axis(data, title_of):
    ax = plots.plot_trajectory(data, measure="pain_nrs", conditions=["pelvic_pain"], time="weeks")
    assert ax.get_xlabel() == "Weeks since the first session"
    assert "week by week" in title_of(ax)
    traj = oc.trajectory(data, measure="pain_nrs", time="weeks")
    t = traj[(traj.condition == "pelvic_pain") & (traj.n_clients >= plots.MIN_TRAJECTORY_N)]
    from matplotlib.collections import PathCollection

    points = [c for c in ax.collections if isinstance(c, PathCollection)]  # before, then after
    xs = sorted(round(float(x)) for x in points[0].get_offsets()[:, 0])
    assert xs == sorted(t.loc[t.timepoint == "pre", "weeks"].tolist())


def test_a_trajectory_of_before_scores_only_does_not_promise_after_scores(data, title_of):
    """The title once said 'before and right after' with no after-score in the data (issue 15)."""
    pre_only = oc.analyze(data.frame[data.frame["timepoint"] == "pre"], n_boot=200)
    ax = plots.plot_trajectory(pre_only, measure="pain_nrs", conditions=["pelvic_pain"])
    assert "right after" not in title_of(ax)
    assert title_of(ax).startswith("Pain NRS 0-10 before each session")
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "right after it" not in labels and "within a session" not in labels
