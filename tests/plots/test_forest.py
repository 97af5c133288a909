"""outcomes.plots.forest: change per condition (plot_condition_forest): rows, n, MCID line, the smc turned
to improvement, suppressed rows not drawn, small groups hollow.

The fixtures ``data``, ``table`` and the text helpers are in tests/plots/conftest.py, ``comparison`` in
tests/conftest.py.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest

from outcomes import plots


def test_condition_forest_rows_n_and_mcid(table, texts_of, title_of):
    _, ax = plt.subplots()
    out = plots.plot_condition_forest(table, measure="pain_nrs", level="course", ax=ax)
    assert out is ax
    rows = table[(table.measure == "pain_nrs") & (table.level == "course")]
    assert [t.get_text() for t in ax.get_yticklabels()][:2] == ["Back pain", "Bladder"]
    assert len(ax.get_yticks()) == len(rows)
    assert sum(t.startswith("n = ") for t in texts_of(ax)) == len(rows)
    assert ax.outcomes_mcid == 2
    (mcid,) = [line for line in ax.get_lines() if line.get_linestyle() == "--"]
    assert np.allclose(mcid.get_xdata(), [2, 2])
    assert "Pain NRS 0-10" in title_of(ax)
    assert "better →" in ax.get_xlabel() and "← worse" in ax.get_xlabel()


def test_condition_forest_has_no_mcid_line_when_none_is_published(table, texts_of):
    ax = plots.plot_condition_forest(table, measure="stress_nrs", level="course")
    assert ax.outcomes_mcid is None
    assert not any(t.strip().startswith("MCID") for t in texts_of(ax))
    assert any("No published MCID for Stress NRS 0-10" in t for t in texts_of(ax))
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


def test_suppressed_rows_are_not_drawn(table, texts_of):
    crafted = table[(table.measure == "pain_nrs") & (table.level == "course")].copy()
    crafted.loc[crafted["condition"] == "tmj", "flags"] = "suppressed"
    ax = plots.plot_condition_forest(crafted, measure="pain_nrs")
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert "TMJ" not in labels and len(labels) == len(crafted) - 1
    assert not any("TMJ" in t for t in texts_of(ax))
    assert sum(t.startswith("n = ") for t in texts_of(ax)) == len(crafted) - 1
    assert any("1 group not shown" in t for t in texts_of(ax))
    ax2 = plots.plot_responders(crafted, measure="pain_nrs")
    assert "TMJ" not in [t.get_text() for t in ax2.get_yticklabels()]
    assert all(len(bars.patches) == len(crafted) - 1 for bars in ax2.outcomes_bars)


def test_small_groups_are_flagged(table, texts_of):
    ax = plots.plot_condition_forest(table, measure="pain_nrs", level="course")
    rows = table[(table.measure == "pain_nrs") & (table.level == "course")]
    small = rows["flags"].str.contains("small_n|insufficient")
    assert small.sum() == 2
    assert sum(t.endswith(", small") for t in texts_of(ax)) == small.sum()
    hollow = [
        line for line in ax.get_lines() if line.get_marker() == "o" and line.get_markerfacecolor() == "white"
    ]
    assert len(hollow) == small.sum()
