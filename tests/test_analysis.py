"""One analysis, computed once: its tables equal the functions', its figures draw its numbers."""

from __future__ import annotations

import collections

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pandas as pd
import pytest

import outcomes as oc
from outcomes import effects, plots
from outcomes.summary import LEVELS
from outcomes.summary import engine as summary_engine


@pytest.fixture(scope="module")
def data():
    return oc.sample_data()


@pytest.fixture(scope="module")
def analysis(data):
    return oc.analyze(data, n_boot=400, seed=3)


def test_tables_equal_the_functions_that_compute_them_one_by_one(data, analysis):
    """The kept rows are exactly what summarize() gives for the same arguments (check_exact)."""
    for by in ("condition", None):
        for level in (list(LEVELS), "course"):
            got = analysis.summary(level, by=by)
            want = oc.summarize(data, by=by, level=level, n_boot=400, seed=3)
            pd.testing.assert_frame_equal(got, want, check_exact=True)
    for level in LEVELS:
        pd.testing.assert_frame_equal(
            analysis.client_changes(level),
            oc.client_changes(data, level=level, by="condition"),
            check_exact=True,
        )
    pd.testing.assert_frame_equal(
        analysis.classify_change("course"), oc.classify_change(data), check_exact=True
    )
    pd.testing.assert_frame_equal(
        analysis.trajectory("pain_nrs", scale="analysis"),
        oc.trajectory(data, measure="pain_nrs", scale="analysis"),
        check_exact=True,
    )
    pd.testing.assert_frame_equal(analysis.ratings(by=None), oc.summarize_ratings(data, by=None))


def test_measures_subset_equals_summarize_with_measures(data, analysis):
    got = analysis.summary("session", measures=["pain", "stress_nrs"])
    want = oc.summarize(data, level="session", measures=["pain", "stress_nrs"], n_boot=400, seed=3)
    pd.testing.assert_frame_equal(got, want, check_exact=True)


def test_literature_equals_the_comparison_of_the_same_table(data, analysis):
    direct = oc.compare_literature(data, seed=3)
    for name in ("practice", "arms", "pooled", "verdicts", "between_groups", "no_comparator"):
        pd.testing.assert_frame_equal(
            getattr(analysis.literature, name), getattr(direct, name), check_exact=True
        )


def test_tables_returned_are_copies(analysis):
    first = analysis.client_changes("course")
    first.loc[:, "pre"] = -1.0
    assert (analysis.client_changes("course")["pre"] != -1.0).all()


def test_a_report_computes_each_row_once(data, monkeypatch, tmp_path):
    """One report: every summary row (grouping x level x row) and its bootstrap computed exactly once,
    every grouping prepared once, and no bootstrap outside the summary rows."""
    computed = collections.Counter()
    prepared = collections.Counter()
    boots = collections.Counter()
    compute, init, bootstrap = (
        summary_engine.Summaries._compute,
        summary_engine.Summaries.__init__,
        effects.bootstrap_mean,
    )

    def counting_compute(self, jobs, progress):
        computed.update((self.by, level, i) for level, i in jobs)
        return compute(self, jobs, progress)

    def counting_init(self, frame, by, *args, **kwargs):
        prepared[tuple(by)] += 1
        return init(self, frame, by, *args, **kwargs)

    def counting_bootstrap(x, **kwargs):
        boots[len(x)] += 1
        return bootstrap(x, **kwargs)

    monkeypatch.setattr(summary_engine.Summaries, "_compute", counting_compute)
    monkeypatch.setattr(summary_engine.Summaries, "__init__", counting_init)
    monkeypatch.setattr(effects, "bootstrap_mean", counting_bootstrap)
    monkeypatch.setattr(
        effects, "bootstrap_means", lambda *a, **k: pytest.fail("a figure ran its own bootstrap")
    )
    analysis = oc.analyze(data, n_boot=200)
    oc.report(analysis, tmp_path / "r.html")
    assert computed and max(computed.values()) == 1
    assert set(prepared) == {("condition",), ()} and max(prepared.values()) == 1
    levels = {level for _, level, _ in computed}
    assert levels == set(LEVELS)  # each level's summary, once per grouping
    rows_with_two = sum(
        int((analysis.summary(level, by=list(by) or None)["n_clients"] >= 2).sum())
        for by in prepared
        for level in LEVELS
    )
    assert sum(boots.values()) == rows_with_two


def test_the_estimation_plot_draws_the_resamples_behind_the_interval(analysis):
    ax = plots.plot_change_estimation(analysis, measure="pain_nrs", condition="pelvic_pain")
    drawn = ax.outcomes_delta_ax.outcomes_resamples
    kept = analysis.resamples("course", ("pelvic_pain", "pain_nrs"))
    assert drawn is not None and np.array_equal(drawn, kept) and len(kept) == analysis.n_boot
    row = analysis.summary("course").query("condition == 'pelvic_pain' and measure == 'pain_nrs'").iloc[0]
    change = analysis.client_changes("course").query(
        "condition == 'pelvic_pain' and measure == 'pain_nrs' and paired"
    )
    x = np.sort(change["change"].to_numpy())
    dev = x - x.mean()
    accel = float(np.sum(dev**3)) / (6.0 * float(np.sum(dev**2)) ** 1.5)
    lo, hi = effects.bca_interval(x.mean(), kept, accel, 0.95)
    assert (lo, hi) == (row["boot_ci_low"], row["boot_ci_high"])


def test_figures_given_an_analysis_take_no_settings_of_their_own(analysis):
    with pytest.raises(TypeError, match=r"seed belongs to the analysis: pass it to outcomes.analyze\(\)"):
        plots.plot_paired(analysis, measure="pain_nrs", seed=1)
    with pytest.raises(TypeError, match="instruments belong to the analysis"):
        plots.plot_condition_forest(analysis, measure="pain_nrs", instruments=oc.default_registry())


def test_figures_given_data_analyse_them_first(data):
    ax = plots.plot_paired(data, measure="pain_nrs", n_boot=200)
    assert len(ax.outcomes_client_lines.get_segments()) > 0


def test_analysis_of_a_dataframe_validates_it(tiny_long):
    analysis = oc.analyze(tiny_long, n_boot=200)
    assert analysis.data.provenance["file"] == "data passed in memory"
    table = analysis.summary("session", by=None)
    assert table["n_clients"].tolist() == [2, 2]
    with pytest.raises(oc.SchemaError):
        oc.analyze(tiny_long.assign(score="x"))


def test_bad_settings_are_refused(data):
    with pytest.raises(ValueError, match="n_boot must be at least 100"):
        oc.analyze(data, n_boot=10)
    with pytest.raises(ValueError, match="confidence"):
        oc.analyze(data, confidence=1.5)
    with pytest.raises(oc.SchemaError, match="Cannot group by 'clinic'"):
        oc.analyze(data, by="clinic")
    with pytest.raises(TypeError, match="data must be"):
        oc.analyze([1, 2, 3])


def test_repr_and_notebook_display(analysis):
    assert "PracticeAnalysis(200 clients" in repr(analysis)
    html = analysis._repr_html_()
    assert "outcomes.PracticeAnalysis" in html and "<table" in html and "Over the course of care" in html


def test_literature_comparison_object_displays(analysis):
    comp = analysis.literature
    assert "verdicts" in repr(comp)
    assert "<li>" in comp._repr_html_()
