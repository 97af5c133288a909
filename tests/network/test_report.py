"""The network report: what may leave the coordinator, small cells suppressed, failures listed."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pandas as pd
import pytest

from outcomes.cli import main
from outcomes.datasets import generate_practice
from outcomes.network import export_site, network_report, pool_sites


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
    return network_report(pool_sites(folder), n_boot=300)


def test_the_sites_table_hides_a_small_site_and_what_would_give_it_back(page):
    sites = _tables(page)["sites"].set_index("Site")
    assert sites.loc["tiny", "Clients"] == "*"  # 5 clients
    assert sites.loc["west", "Clients"] == "*"  # 45, hidden so that the total cannot give tiny's 5
    assert sites.loc["north", "Clients"] == "400" and sites.loc["Total", "Clients"] == "900"
    assert sites.loc["east", "Sent"] == "counts and moments only"


def test_no_count_of_one_to_ten_clients_is_shown(page):
    outcomes = _tables(page)["outcomes"]
    shown = pd.to_numeric(outcomes["Clients"].str.replace(",", ""), errors="coerce").dropna()
    assert not ((shown >= 1) & (shown <= 10)).any()
    hidden = outcomes["Clients"] == "*"
    assert hidden.any() and (outcomes.loc[hidden, "Improvement (95% CI)"] == "*").all()
    alt = re.findall(r'alt="([^"]*)"', page)
    notes = re.findall(r"n = (\d+)", page)  # the figures are images: their counts are not in the text
    assert alt and not notes


def test_the_page_holds_no_pseudonym_or_client_id(network, page):
    frame, _ = network
    assert not re.search(r"N[0-9a-f]{20}", page)
    assert not any(cid in page for cid in frame["client_id"].unique()[:200])


def test_a_file_not_pooled_and_the_counts_only_site_are_said(page):
    assert "broken.parquet" in page and "were not pooled" in page
    assert "east sent counts and averages only" in page
    outcomes = _tables(page)["outcomes"]
    assert (outcomes["Reached the MCID"].isin(["*", "not available (counts only)"])).all()


def test_one_figure_per_measure_with_a_site_to_show(page):
    assert page.count("<figure>") >= 5
    assert "What these numbers cannot say" in page and "regression to the mean" in page


def test_cli_pool_writes_the_report_and_export_sends_counts_only(network, tmp_path, capsys):
    frame, folder = network
    frame.head(3000).to_csv(tmp_path / "visits.csv", index=False)
    out = tmp_path / "agg.parquet"
    export = [
        "network",
        "export",
        str(tmp_path / "visits.csv"),
        "--site",
        "x",
        "-o",
        str(out),
        "--aggregate-only",
    ]
    assert main(export) == 0
    assert "counts and moments per group and measure, no client rows" in capsys.readouterr().out
    report = tmp_path / "network_report.html"
    assert main(["network", "pool", str(folder), "-o", str(report), "--min-cell", "20"]) == 1  # broken file
    text = capsys.readouterr().out
    assert f"Wrote {report}" in text and "counts of 1 to 19 hidden" in text
    sites = _tables(report.read_text())["sites"].set_index("Site")
    assert sites.loc["tiny", "Clients"] == "*"
