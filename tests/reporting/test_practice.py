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

SECTIONS = ["glance", "change", "literature", "limitations", "appendix"]
#: The appendix' parts, each a <details> element (closed on screen, open in print).
APPENDIX = ["results", "flow", "figures", "evidence", "methods", "provenance"]
#: A screen of the report at 1280 px: the filer's measure (20 screens = 22,600 px).
SCREEN_PX = 1130
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def report_path(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("report") / "report.html"
    assert main(["report", "-q", "-o", str(path)]) == 0
    return path


def test_report_is_self_contained_and_complete(report_path):
    html = report_path.read_text(encoding="utf-8")
    for section in SECTIONS:
        assert f'<section id="{section}"' in html
    for part in APPENDIX:
        assert f'<details id="{part}"' in html
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


def _browser(p):
    return p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])


@pytest.mark.skipif(
    CHROMIUM is None and not os.environ.get("CI"), reason="Debian's chromium is not installed"
)
def test_report_reads_in_a_few_screens_on_a_desktop_and_fits_a_phone(report_path):
    """At 1280 px the report's own part (before the appendix) is at most 8 screens (the page was
    about 20 screens before the redesign); the answer table and its figure come first; at a phone's
    390 px nothing but a table's own scroll box is wider than the screen."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = _browser(p)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(report_path.as_uri())
        top = page.eval_on_selector("#appendix", "e => e.getBoundingClientRect().top + window.scrollY")
        assert top <= 8 * SCREEN_PX, f"the appendix starts at {top:.0f} px"
        answer = page.eval_on_selector("table.answers", "e => e.getBoundingClientRect().top + window.scrollY")
        assert answer < SCREEN_PX  # the first screen answers "are my clients getting better?"
        assert page.locator("#glance figure").count() == 1
        phone = browser.new_page(viewport={"width": 390, "height": 844})
        phone.goto(report_path.as_uri())
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390
        browser.close()


@pytest.mark.skipif(
    CHROMIUM is None and not os.environ.get("CI"), reason="Debian's chromium is not installed"
)
def test_printed_report_opens_the_appendix_and_keeps_figures_whole(report_path, tmp_path):
    """In print the appendix' closed <details> are laid out (their tables take room), every figure
    fits on an A4 page, and the PDF prints."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = _browser(p)
        page = browser.new_page()
        page.goto(report_path.as_uri())
        table = page.locator("#results table").first
        assert not table.is_visible()  # closed on screen
        page.emulate_media(media="print")
        assert table.is_visible()
        heights = page.eval_on_selector_all(
            "figure img", "imgs => imgs.map(i => i.getBoundingClientRect().height)"
        )
        a4_body_px = (297 - 2 * 16) / 25.4 * 96  # the page box of @page, at 96 px per inch
        assert heights and max(heights) < a4_body_px
        pdf = page.pdf(path=str(tmp_path / "r.pdf"), format="A4")
        assert pdf[:4] == b"%PDF"
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


# --------------------------------------------------------------------------- a trial's export, end to end

WEIGHT_LB = """\
[instruments.weight]
label = "Body weight (lb)"
unit = "lb"
min = 50
max = 150
direction = "higher"
construct = "weight"
"""


@pytest.fixture(scope="module")
def trial_report(tmp_path_factory):
    """A three-arm trial exported in the pre/post layout: one visit per client, weight before and
    after, arms spelled as the trial spells them. Cont loses a little weight on average (its interval
    includes 0); CBT and FT gain."""
    import numpy as np
    import pandas as pd

    folder = tmp_path_factory.mktemp("trial")
    rng = np.random.default_rng(11)
    rows = []
    for arm, n, gain in (("CBT", 29, 3.0), ("Cont", 26, -0.5), ("FT", 17, 7.0)):
        pre = rng.normal(82, 5, n).round(1)
        post = (pre + gain + rng.normal(0, 7, n)).round(1)
        rows += [
            (f"{arm}{i:02d}", 1, "weight", a, b, arm) for i, (a, b) in enumerate(zip(pre, post, strict=True))
        ]
    frame = pd.DataFrame(rows, columns=["client_id", "session", "measure", "pre", "post", "condition"])
    csv, toml = folder / "trial.csv", folder / "weight.toml"
    frame.to_csv(csv, index=False)
    toml.write_text(WEIGHT_LB, encoding="utf-8")
    data = oc.read_sessions(csv, instruments=toml)
    analysis = oc.analyze(data, n_boot=300)
    html = oc.reporting.practice_report_html(analysis)
    return analysis, html


def _text(html: str) -> str:
    """The page's words: no data URIs, no tags."""
    return re.sub(r"<[^>]+>", " ", re.sub(r'src="data:[^"]+"', "", html))


def test_words_follow_the_estimate_and_its_interval(trial_report):
    """A group whose interval includes 0 is 'no clear change', never 'improved by -0.6' (issue 15)."""
    analysis, html = trial_report
    head = analysis.headline("session").set_index("condition")
    cont = head.loc["cont"]
    assert cont["improvement_ci_low"] < 0 < cont["improvement_ci_high"]
    assert cont["direction"] == "no clear change" and "no clear change" in cont["sentence"]
    assert head.loc["ft", "direction"] == "improved"
    text = _text(html)
    assert not re.search(r"improved by -", text)
    row = re.search(r"Cont\s+(.{0,80})", text, flags=re.S)
    assert row and "no clear change" in row.group(1)


def test_the_headline_uses_the_level_the_data_have(trial_report):
    """One visit per client: no course change, so the page leads with the change within a session
    (the first figure once said 'no client with a complete pair, n = 0')."""
    from outcomes.reporting.practice_sections import headline_level

    analysis, html = trial_report
    assert headline_level(analysis.table(), ["condition"]) == "session"
    glance = html[html.index('<section id="glance"') : html.index('<section id="change"')]
    assert "Immediate effect of a session" in glance and "immediate change within a session" in glance
    assert "no client with a complete pair" not in _text(html)
    assert "session by session is not drawn: every client has Body weight (lb) scores at one session" in html


def test_units_once_no_negative_zero_and_the_period_said(trial_report, report_path):
    analysis, html = trial_report
    from outcomes.plots.style import scale_label

    assert scale_label(analysis.registry.get_instrument("weight")).startswith("Body weight (lb)\n")
    for page in (html, report_path.read_text(encoding="utf-8")):
        text = _text(page)
        assert "(lb) (lb)" not in text
        assert not re.search(r"(?<![\w.])-0(\.0+)?(?![\d.])", text), "a negative zero is printed"
    assert "not recorded (no year column)" in html


def test_conditions_read_as_the_export_spells_them(trial_report):
    """'CBT' and 'FT' once showed as 'Cbt' and 'Ft' (issue 15): the page, its figures' titles and
    the analysis keep the export's spelling; lower-case keys still read as words."""
    analysis, html = trial_report
    assert analysis.data.condition_labels == {"cbt": "CBT", "cont": "Cont", "ft": "FT"}
    text = _text(html)
    for spelled in ("CBT", "FT", "Cont"):
        assert re.search(rf"\b{spelled}\b", text), spelled
    assert not re.search(r"\b(Cbt|Ft)\b", text)


def test_each_level_heads_its_columns_with_its_own_scores(report_path):
    """The follow-up table's second score is 'A few days later', not 'After' (issue 15)."""
    html = report_path.read_text(encoding="utf-8")
    follow = html[html.index('id="level-followup"') : html.index('id="level-course"')]
    assert ">A few days later<" in follow and ">After<" not in follow
    course = html[html.index('id="level-course"') :]
    assert ">First session<" in course and ">Last session<" in course


def test_the_literature_reads_in_plain_words(report_path):
    """Short citations instead of database ids, a measure column, and one sign convention: the
    published CST-versus-sham difference on a lower-is-better VAS is shown as positive (CST better)."""
    html = report_path.read_text(encoding="utf-8")
    text = _text(html)
    assert "Haller et al. 2016" in text and "Haller et al. 2021" in text
    assert not re.search(r"\b[a-z]+20\d\d_[a-z0-9_]+\b", text), "a database id is shown"
    lit = html[html.index('<section id="literature"') : html.index('<section id="limitations"')]
    assert ">Measure<" in lit
    between = html[html.index("Published comparisons of CST with a control group") :]
    assert "positive = CST better" in between and "21.00 (9.40 to 32.60)" in between


def test_the_report_states_how_long_the_courses_were(report_path):
    html = report_path.read_text(encoding="utf-8")
    glance = html[html.index('<section id="glance"') : html.index('<section id="change"')]
    assert "clients with two or more sessions, a median of 4 sessions" in glance
    assert "How long the courses of care were" in html


def test_report_by_any_column(tmp_path):
    """``outcomes report --by technique``: the groups are the techniques, the words say so."""
    path = tmp_path / "by.html"
    assert main(["report", "-q", "--by", "technique", "-o", str(path), "--n-boot", "200"]) == 0
    html = path.read_text(encoding="utf-8")
    glance = html[html.index('<section id="glance"') : html.index('<section id="change"')]
    assert ">Technique<" in glance and "per technique" in glance
    techniques = set(oc.sample_data().frame["technique"].dropna().astype(str))
    assert sum(f">{t}<" in glance for t in techniques) >= 2
    api = oc.report(oc.sample_data(), tmp_path / "api.html", by="technique", n_boot=200)
    assert ">Technique<" in api.read_text(encoding="utf-8")


# --------------------------------------------------------------------------- labels spelled as markup

IMG = "<img src=x onerror=alert(1)>"
IMG_SPELLED = "<img src=x onerror=alert('XSS')>"  # a capital: the export's spelling is kept as the label
SCRIPT = "<script>alert(1)</script>"


@pytest.fixture(scope="module")
def hostile_practice():
    """The synthetic practice with conditions, a technique and a payer spelled as markup."""
    frame = oc.datasets.generate_practice(n_clients=60, seed=3)
    frame["condition"] = (
        frame["condition"]
        .str.replace("pelvic_pain", IMG, regex=False)
        .str.replace("tmj", IMG_SPELLED, regex=False)
    )
    frame.loc[frame["technique"].eq("CST"), "technique"] = SCRIPT
    frame.loc[frame["payer"].eq(frame["payer"].iloc[0]), "payer"] = SCRIPT
    return frame


@pytest.mark.parametrize("by", ["condition", "technique"])
def test_report_escapes_every_label(hostile_practice, by):
    """Issue 16: no markup from the export gets into the page; labels are shown as text. An
    all-lower-case condition reads in the reader's words (``Img src x onerror alert 1``); one with a
    capital keeps the export's spelling, escaped."""
    analysis = oc.analyze(hostile_practice, by=by, n_boot=200)
    html = oc.reporting.practice_report_html(analysis)
    assert "<img src=x" not in html and "<script" not in html
    if by == "condition":
        labels = analysis.data.condition_labels
        assert labels["img_src_x_onerror_alert_1"] == IMG
        assert labels["img_src_x_onerror_alert_xss"] == IMG_SPELLED
        assert "Img src x onerror alert 1" in html
        assert "&lt;img src=x onerror=alert(&#x27;XSS&#x27;)&gt;" in html
    else:
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_grant_page_of_the_practice_escapes_every_label(hostile_practice, tmp_path):
    grant = oc.grant_report(hostile_practice, period=2025, by=("technique", "payer"))
    page = oc.write_grant_html(grant, tmp_path / "g.html").read_text(encoding="utf-8")
    assert "<img src=x" not in page and "<script" not in page
    assert "&lt;img src=x onerror=alert(&#x27;XSS&#x27;)&gt;" in page
    assert page.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 2  # a technique and a payer


def test_every_template_is_autoescaped():
    """The Jinja2 environment escapes every value of every template; what a template marks ``| safe``
    is a table the reporting functions built with every label escaped (the tests above)."""
    from outcomes.reporting.pages import environment

    env = environment()
    names = env.list_templates()
    assert set(names) >= {"base.html.j2", "practice.html.j2", "grant.html.j2"}
    assert all(env.autoescape(name) for name in names)
    page = env.from_string("{{ label }}").render(label=SCRIPT)
    assert page == "&lt;script&gt;alert(1)&lt;/script&gt;"
