"""outcomes.reporting.practice: the practice report: self-contained, opened in headless Chromium,
complete, deterministic, private.

The ``report_path`` fixture writes the report with ``outcomes report`` and its defaults (the bundled
sample, seed 0), and test_same_input_and_seed_give_identical_outputs writes its summary CSVs with
``outcomes summarize``: these tests are about the page and the outputs, not the command, so they stay
beside the module that builds the report. The command line itself is tested in tests/test_cli.py."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

import outcomes as oc
from outcomes.cli import main

SECTIONS = ["glance", "flow", "figures", "results", "literature", "methods", "limitations", "provenance"]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def report_path(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("report") / "report.html"
    assert main(["report", "-q", "-o", str(path)]) == 0
    return path


def test_report_is_self_contained_and_complete(report_path):
    html = report_path.read_text(encoding="utf-8")
    for section in SECTIONS:
        assert f'id="{section}"' in html
    assert "Synthetic sample data" in html
    assert not re.search(r'(src|href)="(https?:)?//', html)
    assert "<script" not in html and "<link" not in html
    assert html.count('src="data:image/png;base64,') == 7
    assert "@media print" in html
    prov = html[html.index('id="provenance"') :]
    for item in (
        "synthetic_practice_long.csv",
        "SHA-256",
        f"outcomes {oc.__version__}",
        "seed 0",  # the documented default seed of the command line
        "Reporting period",
        "Generated",
    ):
        assert item in prov
    assert "no control group" in html.lower() and "regression to the mean" in html.lower()
    assert "Jacobson NS, Truax P" in html


def test_trajectory_caption_names_the_markers_the_figure_draws(report_path):
    """The caption tells a therapist which shape is before and which is after a session; it must
    name the markers the legend shows (it once said triangles beside square markers)."""
    from outcomes import plots
    from outcomes.datasets import sample_data

    ax = plots.plot_trajectory(sample_data(), measure="pain_nrs")
    shapes = {"o": "circles", "s": "squares", "^": "triangles", "D": "diamonds"}
    handles = dict(
        zip([t.get_text() for t in ax.get_legend().get_texts()], ax.get_legend().legend_handles, strict=True)
    )
    before = shapes[handles["before the session"].get_marker()]
    after = shapes[handles["right after it"].get_marker()]
    html = report_path.read_text(encoding="utf-8")
    assert f"before ({before}) and right after ({after}) each session" in html


@pytest.mark.skipif(
    CHROMIUM is None and not os.environ.get("CI"), reason="Debian's chromium is not installed"
)
def test_report_in_headless_chromium(report_path):
    """Loads with no console errors and no network requests; every section and figure is there."""
    from playwright.sync_api import sync_playwright

    assert CHROMIUM, "CI installs Debian's chromium (.ci/run)"
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
            ],
        )
        page = browser.new_page()
        console, requests = [], []
        page.on("console", lambda m: console.append((m.type, m.text)))
        page.on("pageerror", lambda e: console.append(("pageerror", str(e))))
        page.on("request", lambda r: requests.append(r.url))
        page.goto(report_path.as_uri())
        page.wait_for_load_state("load")
        assert [m for m in console if m[0] in ("error", "pageerror")] == []
        assert [u for u in requests if not u.startswith(("file:", "data:"))] == []
        for section in SECTIONS:
            assert page.locator(f"section#{section}").count() == 1
        widths = page.eval_on_selector_all("figure img", "imgs => imgs.map(i => i.naturalWidth)")
        assert len(widths) == 7 and all(w > 300 for w in widths)
        page.emulate_media(media="print")
        assert page.locator("nav.toc").is_hidden()
        browser.close()


def test_report_holds_no_client_id_or_row_level_score(tmp_path, crafted_grant_frame, no_leaks):
    path = oc.report(crafted_grant_frame(), tmp_path / "r.html", n_boot=200)
    no_leaks(path.read_text(encoding="utf-8"))


def _strip_time(text: str) -> str:
    return re.sub(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC", "<time>", text)


def test_same_input_and_seed_give_identical_outputs(tmp_path):
    data = oc.sample_data()
    a = oc.report(data, tmp_path / "a.html", n_boot=300, synthetic=True).read_text(encoding="utf-8")
    b = oc.report(data, tmp_path / "b.html", n_boot=300, synthetic=True).read_text(encoding="utf-8")
    assert _strip_time(a) == _strip_time(b)
    for name in ("a.csv", "b.csv"):
        assert main(["summarize", "-q", "-o", str(tmp_path / name), "--n-boot", "300"]) == 0
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()
    g1 = oc.reporting.grant_html(oc.grant_report(data, period=2025))
    g2 = oc.reporting.grant_html(oc.grant_report(data, period=2025))
    assert _strip_time(g1) == _strip_time(g2)
