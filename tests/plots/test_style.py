"""outcomes.plots.style and what every figure shares: matplotlib loads on first use, grant-sized figures
with no text below 9 pt, the ax given is the ax returned, bad arguments say what is allowed.

The fixtures ``data``, ``table`` and the text helpers are in tests/plots/conftest.py, ``comparison`` in
tests/conftest.py.
"""

from __future__ import annotations

import re
import subprocess
import sys

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from matplotlib.text import Text

from outcomes import plots


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
    # the documented default size (6.5 x 4 in, the text width of a grant document) and the
    # documented 9 pt minimum, asserted on purpose: not read from plots.style
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
