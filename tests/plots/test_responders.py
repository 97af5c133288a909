"""outcomes.plots.responders: reliable change and the MCID (plot_responders) and the Jacobson-Truax plot
(plot_jacobson_truax).

The fixtures ``data``, ``table`` and the text helpers are in tests/plots/conftest.py, ``comparison`` in
tests/conftest.py.
"""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.collections import PolyCollection

import outcomes as oc
from outcomes import plots


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


def test_responders_without_reliability_say_so(table, texts_of):
    ax = plots.plot_responders(table, measure="stress_nrs", level="course")
    assert any("no published test–retest reliability" in t for t in texts_of(ax))
    assert not ax.patches
    gad = plots.plot_responders(table, measure="gad7", level="course")  # an MCID but no reliability
    assert not gad.patches and any("reliable change not assessed" in t for t in texts_of(gad))
    assert [line for line in gad.get_lines() if line.get_marker() == "D"]


# ---------------------------------------------------------------------------------------
# 6. Jacobson-Truax
# ---------------------------------------------------------------------------------------
def test_jacobson_truax_band_and_cutoff(data, texts_of, title_of, padded):
    ax = plots.plot_jacobson_truax(data, measure="psqi", level="course")
    cc = oc.classify_change(data, level="course", measures=["psqi"])
    assert ax.get_xlim() == ax.get_ylim() == pytest.approx(padded(0, 21))
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
    assert any("left the clinical range" in t for t in texts_of(ax))
    assert "Pittsburgh Sleep Quality Index" in title_of(ax)


def test_jacobson_truax_for_one_condition_and_without_a_cutoff(data, texts_of, padded):
    ax = plots.plot_jacobson_truax(data, measure="pain_nrs", condition="pelvic_pain")
    assert int(ax.outcomes_points["n"].sum()) == 36
    assert not any("clinical cut-off" in t for t in texts_of(ax))
    assert ax.get_xlim() == pytest.approx(padded(0, 10))
