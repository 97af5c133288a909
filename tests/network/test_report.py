"""The network report: what may leave the coordinator, small cells suppressed, failures listed."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pandas as pd
import pytest

from outcomes.cli import main
from outcomes.datasets import generate_practice
from outcomes.network import export_site, network_report, pool_sites, read_site
from outcomes.plots import plot_condition_forest


class _Tables(HTMLParser):
    """The cells of every table of a page, per section id."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.section = ""
        self.cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "section":
            self.section = dict(attrs).get("id", "")
        elif tag == "tr":
            self.tables.setdefault(self.section, []).append([])
        elif tag in ("td", "th"):
            self.cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.cell is not None:
            self.tables[self.section][-1].append("".join(self.cell).strip())
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def _tables(text: str) -> dict[str, pd.DataFrame]:
    parser = _Tables()
    parser.feed(text)
    return {k: pd.DataFrame(rows[1:], columns=rows[0]) for k, rows in parser.tables.items() if rows}


@pytest.fixture(scope="module")
def network(tmp_path_factory):
    """Five sites of 400, 300, 150, 45 and 5 clients (one sends counts only) and a broken file."""
    frame = generate_practice(n_clients=900, seed=8)
    clients = frame["client_id"].drop_duplicates()
    folder = tmp_path_factory.mktemp("sites")
    start = 0
    for name, n in zip(["north", "east", "south", "west", "tiny"], [400, 300, 150, 45, 5], strict=True):
        rows = frame[frame["client_id"].isin(clients.iloc[start : start + n])]
        start += n
        export_site(rows, folder / f"{name}.parquet", site=name, aggregate_only=name == "east")
    (folder / "broken.parquet").write_text("not parquet")
    return frame, folder


@pytest.fixture(scope="module")
def page(network):
    _, folder = network
    return network_report(pool_sites(folder))


def test_the_sites_table_hides_a_small_site_and_what_would_give_it_back(page):
    sites = _tables(page)["sites"].set_index("Site")
    assert sites.loc["tiny", "Clients"] == "*"  # 5 clients
    assert sites.loc["west", "Clients"] == "*"  # 45, hidden so that the total cannot give tiny's 5
    assert sites.loc["north", "Clients"] == "400" and sites.loc["Total", "Clients"] == "900"
    assert (
        sites.loc["east", "Sent"].startswith("counts and moments only (")
        and "small groups not sent" in sites.loc["east", "Sent"]
    )


def test_no_count_of_one_to_ten_clients_is_shown(page):
    outcomes = _tables(page)["outcomes"]
    shown = pd.to_numeric(outcomes["Clients"].str.replace(",", ""), errors="coerce").dropna()
    assert not ((shown >= 1) & (shown <= 10)).any()
    hidden = outcomes["Clients"] == "*"
    assert hidden.any() and (outcomes.loc[hidden, "Improvement (95% CI)"] == "*").all()


def test_the_figures_draw_no_small_site(network, monkeypatch):
    """What each per-site figure is drawn from: no site with 1-10 clients keeps a number."""
    import outcomes.reporting.network as page_module

    drawn = []

    def recording(block, **kwargs):
        drawn.append(block.copy())
        return plot_condition_forest(block, **kwargs)

    monkeypatch.setattr(page_module, "plot_condition_forest", recording)
    _, folder = network
    page = network_report(pool_sites(folder))
    assert len(drawn) == page.count("<figure>") > 0
    assert any(block["site"].eq("tiny").any() for block in drawn)  # drawn blank, not left out
    for block in drawn:
        n = pd.to_numeric(block["n_clients"], errors="coerce")
        assert not ((n >= 1) & (n <= 10)).any()
        small = block["site"].isin(["tiny"])  # 5 clients: every number of its row is gone
        assert block.loc[small, ["mean_improvement", "improvement_ci_low", "mean_pre"]].isna().all().all()


def test_the_page_holds_no_pseudonym_or_client_id(network, page):
    frame, _ = network
    assert not re.search(r"N[0-9a-f]{20}", page)
    assert not any(cid in page for cid in frame["client_id"].unique()[:200])


def test_a_file_not_pooled_and_the_counts_only_site_are_said(page):
    assert "broken.parquet" in page and "were not pooled" in page
    assert "east sent counts and averages only" in page
    outcomes = _tables(page)["outcomes"]
    assert (outcomes["Reached the MCID"].isin(["*", "not available (counts only)"])).all()


def test_one_figure_per_measure_with_a_site_to_show(network, page):
    """A measure gets a figure when some site has a number to draw (its clients at the course level
    are at least 11 and not hidden to protect another site's count)."""
    _, folder = network
    by_site = pool_sites(folder).summary("site")
    course = by_site[(by_site["level"].astype(str) == "course") & (by_site["n_clients"] >= 11)]
    drawable = course[~course["site"].isin(["west", "tiny"])]  # west hides with tiny (the total)
    assert page.count("<figure>") == drawable["measure"].nunique()
    assert "What these numbers cannot say" in page and "regression to the mean" in page


def _export(rows: pd.DataFrame, folder, out) -> list[str]:
    """The command line of ``outcomes network export`` for ``rows`` written as a CSV in ``folder``."""
    rows.to_csv(folder / "visits.csv", index=False)
    return ["network", "export", str(folder / "visits.csv"), "--site", "x", "-o", str(out)]


def test_cli_pool_writes_the_report_and_export_sends_counts_only(network, tmp_path, capsys):
    frame, folder = network
    out = tmp_path / "agg.parquet"
    assert main([*_export(frame.head(3000), tmp_path, out), "--aggregate-only"]) == 0
    said = capsys.readouterr().out
    assert "counts and moments per group and measure, no client's row" in said
    table, meta = read_site(out)
    assert meta["mode"] == "aggregate" and meta["withheld"]["min_cell"] == 11
    assert f"{meta['withheld']['rows']} group rows of fewer than 11 clients" in said
    assert ((table["n_clients"] + table["n_clients_unpaired"]) >= 11).all()
    assert ((table["n_clients"] == 0) | (table["n_clients"] >= 11)).all()  # the moments' clients
    assert not {"network_id", "pre", "post"} & set(table.columns)
    report = tmp_path / "network_report.html"
    assert main(["network", "pool", str(folder), "-o", str(report), "--min-cell", "20"]) == 1  # broken file
    text = capsys.readouterr().out
    assert f"Wrote {report}" in text and "counts of 1 to 19 hidden" in text
    sites = _tables(report.read_text())["sites"].set_index("Site")
    assert sites.loc["tiny", "Clients"] == "*"


def test_a_network_of_client_rows_shows_shares_hidden_as_stars(tmp_path):
    """With client rows only the MCID share is shown, and hidden (*) where it would give a count
    of 1-10 clients with its n, never written as if there were no MCID."""
    frame = generate_practice(n_clients=400, seed=9)
    clients = frame["client_id"].drop_duplicates()
    for i, name in enumerate(("north", "south")):
        export_site(
            frame[frame["client_id"].isin(clients.iloc[i::2])], tmp_path / f"{name}.parquet", site=name
        )
    outcomes = _tables(network_report(pool_sites(tmp_path)))["outcomes"]
    mcid = outcomes["Reached the MCID"]
    assert mcid.str.endswith("%").any() and not mcid.str.contains("counts only").any()
    shown = outcomes["Clients"] != "*"
    assert (mcid[shown] == "*").any()  # a share hidden in a row whose other numbers show
    assert "n/a" not in set(mcid)


def test_min_cell_on_an_export_of_client_rows_is_a_usage_error(network, tmp_path, capsys):
    frame, _ = network
    args = _export(frame.head(500), tmp_path, tmp_path / "x.parquet")
    assert main([*args, "--min-cell", "20"]) == 2
    assert "--min-cell goes with --aggregate-only" in capsys.readouterr().err
    assert not (tmp_path / "x.parquet").exists()


def test_the_report_keeps_its_earlier_keywords_and_module(network):
    """``n_boot`` and ``seed`` (the page shows t intervals) warn and change nothing; the first
    module the report lived in still gives it."""
    from outcomes.network.report import network_report as first

    _, folder = network
    net = pool_sites(folder)
    with pytest.warns(DeprecationWarning, match="n_boot and seed have no effect"):
        old = first(net, n_boot=300, seed=1)
    new = network_report(net)
    assert old.count("<figure>") == new.count("<figure>") > 0
    for name, table in _tables(new).items():
        pd.testing.assert_frame_equal(_tables(old)[name], table)
