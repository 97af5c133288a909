"""outcomes.plots.literature: the practice beside published arms (plot_literature_forest) and
between-group results on their own axes (plot_between_groups).

The fixtures ``data``, ``table`` and the text helpers are in tests/plots/conftest.py, ``comparison`` in
tests/conftest.py.
"""

from __future__ import annotations

import re

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import LineCollection

import outcomes as oc
from outcomes import plots


def test_literature_forest_never_shows_between_group_results(comparison, texts_of, title_of):
    _, ax = plt.subplots()
    out = plots.plot_literature_forest(comparison, condition="all", ax=ax)
    assert out is ax
    labels = " ".join(t.get_text() for t in ax.get_yticklabels())
    between = set(comparison.between_groups["source"])
    assert between and not any(b in labels for b in between)
    assert "haller2021_mymop_symptoms" in labels  # the default measure for 'all' is pain
    assert "This practice" in labels and "Published CST arms" in labels
    assert "Immediate, not comparable" in labels
    assert any(
        "8 published CST-versus-control results" in t and "listed separately" in t for t in texts_of(ax)
    )
    assert "positive = improvement" in ax.get_xlabel()
    assert "Pain NRS 0-10" in title_of(ax)


def test_literature_forest_marks_partial_and_unstandardizable_arms(comparison, texts_of):
    ax = plots.plot_literature_forest(comparison, condition="neck_pain", measure="pain_nrs")
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert "haller2016_vas_cst_w8 (n = 27, partial)" in labels
    assert "haller2016_vas_sham_w8 (n = 27, sham, partial)" in labels
    assert sum("50% improvement, not standardizable" in t for t in texts_of(ax)) == 2


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


def test_between_groups_have_their_own_axes_one_per_scale(comparison, plain_text, title_of):
    ax = plots.plot_between_groups(comparison, condition="pelvic_pain")
    rows = comparison.between_groups[comparison.between_groups.condition.str.contains("pelvic_pain")]
    assert len(ax.outcomes_panels) == rows.groupby(["estimate_type", "instrument"]).ngroups == 3
    labels = [plain_text(t.get_text()) for p in ax.outcomes_panels for t in p.get_yticklabels()]
    assert len(labels) == len(rows)
    assert any(
        "CST vs wait-list, mean difference, NRS 0-10" in lab and "dysmenorrhea2014_between" in lab
        for lab in labels
    )
    assert "not comparable" in title_of(ax)
    all_ax = plots.plot_between_groups(comparison, condition="all")
    (panel,) = all_ax.outcomes_panels  # every 'all' result is an SMD: one panel
    assert "haller2020_pain_vs_sham" in " ".join(t.get_text() for t in panel.get_yticklabels())
