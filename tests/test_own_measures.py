"""A practice's own measure, registered from a file, travels with the data through every command.

Nothing is registered process-wide: the registry the data were read with goes into every
summary, figure and report, through the API and the command line.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

import outcomes as oc
from outcomes import plots
from outcomes.cli import main

WEIGHT = """\
[instruments.weight_lb]
label = "Body weight"
unit = "lb"
min = 50
max = 600
direction = "lower"
construct = "weight"
"""


@pytest.fixture(scope="module")
def export(tmp_path_factory) -> tuple[Path, Path]:
    """24 clients, 3 sessions each, pain and body weight before and after; and the measure's file."""
    folder = tmp_path_factory.mktemp("own")
    rng = np.random.default_rng(7)
    rows = []
    for c in range(24):
        weight, pain = rng.normal(190, 25), int(rng.integers(3, 9))
        for s in (1, 2, 3):
            for tp, shift in (("pre", 0.0), ("post", -0.4)):
                rows.append((f"C{c:03d}", s, tp, "weight_lb", round(weight - 1.5 * s + shift, 1)))
                rows.append((f"C{c:03d}", s, tp, "pain_nrs", max(0, pain - s + (tp == "post") * -1)))
    frame = pd.DataFrame(rows, columns=["client_id", "session", "timepoint", "measure", "score"])
    frame["condition"] = np.where(frame["client_id"].str[-1].astype(int) % 2, "pelvic_pain", "postpartum")
    frame["year"] = 2025
    frame["payer"] = "Medicaid"
    csv = folder / "visits.csv"
    frame.to_csv(csv, index=False)
    toml = folder / "weight.toml"
    toml.write_text(WEIGHT, encoding="utf-8")
    return csv, toml


def test_the_default_registry_does_not_know_the_measure():
    assert oc.default_registry().resolve("weight_lb") is None


def test_every_command_takes_the_measures_file(export, tmp_path, capsys):
    csv, toml = export
    common = [str(csv), "--instruments", str(toml), "-q"]
    assert main(["validate", *common]) == 0
    summary = tmp_path / "s.csv"
    assert main(["summarize", *common, "--by", "condition", "-o", str(summary)]) == 0
    table = pd.read_csv(summary)
    weight = table[(table["measure"] == "weight_lb") & (table["level"] == "course")]
    assert len(weight) == 2 and (weight["n_clients"] == 12).all()
    assert weight["mean_change"].round(6).eq(-3.0).all()  # 1.5 lb a session, sessions 1 -> 3
    report = tmp_path / "r.html"
    assert main(["report", *common, "--n-boot", "200", "-o", str(report)]) == 0
    html = report.read_text(encoding="utf-8")
    assert "Body weight" in html and "Unknown measure" not in html
    grant = tmp_path / "g.xlsx"
    assert main(["grant", *common, "--period", "2025", "--min-cell", "5", "-o", str(grant)]) == 0
    cells = [c for ws in load_workbook(grant) for row in ws.iter_rows(values_only=True) for c in row if c]
    assert "Body weight" in cells
    assert oc.default_registry().resolve("weight_lb") is None
    assert "Unknown measure" not in capsys.readouterr().err


def test_the_api_and_every_figure_use_the_datas_registry(export, tmp_path):
    csv, toml = export
    data = oc.read_sessions(csv, instruments=toml)
    assert data.registry.resolve("Weight LB") == "weight_lb"
    analysis = oc.analyze(data, n_boot=200)
    assert "weight_lb" in set(analysis.summary("course")["measure"])
    assert "weight_lb" in set(oc.summarize(data, level="course")["measure"])
    assert "weight_lb" in set(oc.classify_change(data)["measure"])
    oc.report(data, tmp_path / "api.html", n_boot=200)
    assert oc.grant_report(data, period=2025, min_cell=5).tables["outcomes"]["measure"].eq("weight_lb").any()
    for ax in (
        plots.plot_paired(analysis, measure="weight_lb"),
        plots.plot_change_estimation(analysis, measure="weight_lb"),
        plots.plot_jacobson_truax(analysis, measure="weight_lb"),
        plots.plot_trajectory(analysis, measure="weight_lb"),
        plots.plot_condition_forest(analysis, measure="weight_lb"),
        plots.plot_responders(analysis, measure="weight_lb"),
        plots.plot_paired(data, measure="weight_lb", n_boot=200),
    ):
        words = [
            ax.get_ylabel(),
            ax.get_xlabel(),
            ax.get_title(loc="left"),
            getattr(ax, "outcomes_title", ""),
        ]
        assert "Body weight" in " ".join(words)
    assert oc.default_registry().resolve("weight_lb") is None


def test_a_table_drawn_on_its_own_takes_instruments(export):
    csv, toml = export
    data = oc.read_sessions(csv, instruments=toml)
    table = oc.summarize(data, level="course", n_boot=200)
    with pytest.raises(oc.UnknownInstrumentError, match="weight_lb"):
        plots.plot_condition_forest(table, measure="weight_lb")
    ax = plots.plot_condition_forest(table, measure="weight_lb", instruments=toml)
    assert "lb" in ax.get_xlabel()
