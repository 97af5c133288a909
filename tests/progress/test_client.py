"""One client's progress: the same band as the list, the figure, the page and the command."""

from __future__ import annotations

import re

import numpy as np
import pytest

import outcomes as oc
from outcomes.progress import client_progress


@pytest.fixture(scope="module")
def practice(make_practice):
    return make_practice().drop(columns="kind")


def test_the_page_and_the_list_judge_by_the_same_band(practice):
    listed = oc.not_on_track(practice, measure="pain_nrs").set_index("client_id")
    progress = client_progress(practice, "C061")  # a client who stalls
    at = progress.expected.set_index("session").loc[6]
    np.testing.assert_allclose(
        at[["expected", "band_low", "band_high"]].to_numpy(float),
        listed.loc["C061", ["expected", "band_low", "band_high"]].to_numpy(float),
    )
    assert progress.status["status"].tolist() == [listed.loc["C061", "status"]]
    assert progress.expected["session"].tolist() == [2, 3, 4, 5, 6]  # from the session after the first
    lines = progress.lines.iloc[0]
    assert lines["mcid_line"] == lines["intake"] - 2  # pain: lower is better, MCID 2 points
    with pytest.raises(KeyError, match="no client 'X999'"):
        client_progress(practice, "X999")


def test_plot_client_draws_the_scores_and_the_band(practice, tmp_path):
    import matplotlib

    matplotlib.use("Agg")
    progress = client_progress(practice, "C061")
    ax = oc.plots.plot_client(progress, "pain_nrs")
    line = ax.get_lines()
    pre = next(ln for ln in line if ln.get_marker() == "o" and ln.get_linestyle() == "-")
    np.testing.assert_array_equal(pre.get_ydata(), progress.scores["score"].to_numpy())
    assert len(ax.collections) == 1  # the band
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "a change people notice (MCID)" in labels and "most clients who started like this" in labels
    ax.figure.savefig(tmp_path / "c.png")


def test_client_page_and_command(practice, tmp_path, capsys):
    from outcomes.cli import main

    listed = oc.not_on_track(practice, measure="pain_nrs")
    flagged = listed.loc[listed["status"] == "not on track", "client_id"].iloc[0]
    html = oc.reporting.client_page_html(practice, flagged)
    assert f"Progress of client {flagged}" in html and "worth talking about together" in html
    assert set(re.findall(r"\bC\d{3}\b", html)) == {flagged}  # no other client's id
    calm = oc.reporting.client_page_html(practice, "C061")  # stalls, but within the band
    assert "This is within the range most clients who started like this were in" in calm
    practice.to_csv(tmp_path / "visits.csv", index=False)
    out = tmp_path / "C061.html"
    assert main(["client", "C061", str(tmp_path / "visits.csv"), "-o", str(out), "-q"]) == 0
    assert out.read_text(encoding="utf-8").count("<img") == 1
    assert main(["client", "X999", str(tmp_path / "visits.csv"), "-o", str(tmp_path / "x.html")]) == 2
    assert "no client 'X999'" in capsys.readouterr().err


def test_the_practice_report_states_the_models_average_course(practice, tmp_path):
    model = oc.trajectory_model(practice, "pain_nrs")
    fixed = model.fixed.set_index("term")["estimate"]
    html = oc.report(practice, tmp_path / "r.html").read_text(encoding="utf-8")
    fall = -fixed["time"] * np.log(4)
    assert (
        f"average at {fixed['intercept']:.1f} at the first session; it falls by {fall:.1f} points by "
        "session 4" in html
    )


def test_on_a_days_scale_the_band_stands_at_the_clients_own_sessions(practice):
    timed = practice.assign(days_from_first=(practice["session"] - 1) * 7)
    progress = client_progress(timed, "C061", time="days")
    assert progress.expected["session"].tolist() == [2, 3, 4, 5, 6]
    listed = oc.not_on_track(timed, measure="pain_nrs", time="days").set_index("client_id")
    at = progress.expected.set_index("session").loc[6, "expected"]
    assert at == pytest.approx(listed.loc["C061", "expected"], rel=1e-12)
