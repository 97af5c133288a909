"""A research network: what a site sends, and the pooled summary equal to that of the pooled rows."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import outcomes as oc
from outcomes.datasets import generate_practice
from outcomes.network import SITE_COLUMNS, export_site, pool_sites, read_site, site_table
from outcomes.summary import LEVELS


@pytest.fixture(scope="module")
def network(tmp_path_factory):
    frame = generate_practice(n_clients=160, seed=5)
    clients = frame["client_id"].drop_duplicates()
    folder = tmp_path_factory.mktemp("sites")
    for name, ids in (("north", clients.iloc[::2]), ("south", clients.iloc[1::2])):
        rows = frame[frame["client_id"].isin(ids)]
        rows.to_csv(folder / f"{name}.csv", index=False)  # each clinic's own export, read as usual
        site = oc.read_sessions(folder / f"{name}.csv")
        export_site(site, folder / f"{name}.parquet", site=name, by=("condition", "age_band"))
    return frame, folder


@pytest.mark.parametrize("by", [None, "condition", "age_band"])
def test_the_pooled_summary_equals_the_summary_of_the_pooled_rows(network, by):
    """The same statistics code on the same client values; only the order in which clients are
    summed differs (they are ordered by network pseudonym), so floats agree to 1e-12 and every
    count, flag and label exactly."""
    frame, folder = network
    pooled = pool_sites(folder).summary(by, n_boot=400, seed=11)
    whole = oc.summarize(frame, by=by, level=list(LEVELS), n_boot=400, seed=11)
    pd.testing.assert_frame_equal(pooled, whole, check_exact=False, rtol=0, atol=1e-12)


def test_a_site_file_holds_client_rows_under_network_pseudonyms_only(network):
    frame, folder = network
    table, meta = read_site(folder / "north.parquet")
    assert list(table.columns[: len(SITE_COLUMNS)]) == SITE_COLUMNS
    assert not {"client_id", "session", "timepoint", "score", "days_from_first", "year"} & set(table.columns)
    assert not set(table["network_id"]) & set(frame["client_id"].astype(str))
    assert meta["site"] == "north" and meta["groupings"] == ["", "age_band", "condition"]
    flow = pd.DataFrame(meta["flow"])  # the site's flow travels with it, counts only
    rows_read = flow.loc[(flow["unit"] == "rows") & (flow["step"] == "read"), "count"].item()
    assert rows_read == len(pd.read_csv(folder / "north.csv"))
    assert pool_sites(folder).sites.set_index("site").loc["north", "rows_read"] == rows_read


def test_a_site_file_that_fails_is_reported_not_dropped(network, tmp_path):
    _, folder = network
    for f in folder.glob("*.parquet"):
        (tmp_path / f.name).write_bytes(f.read_bytes())
    (tmp_path / "east.parquet").write_bytes(b"this is not a parquet file")
    plain = generate_practice(n_clients=20, seed=1)
    pq.write_table(pa.Table.from_pandas(plain), tmp_path / "west.parquet")
    net = pool_sites(tmp_path)
    reasons = dict(zip(net.failed["file"], net.failed["reason"], strict=True))
    assert set(reasons) == {"east.parquet", "west.parquet"}
    assert "not a Parquet file" in reasons["east.parquet"] and "not a site file" in reasons["west.parquet"]
    assert sorted(net.sites["site"]) == ["north", "south"]


def test_a_session_level_attribute_cannot_be_pooled_from_client_rows():
    frame = generate_practice(n_clients=40, seed=2)
    with pytest.raises(ValueError, match="'technique' changes within"):
        site_table(frame, by=("technique",))


def test_two_sites_with_the_same_pseudonyms_are_refused(tmp_path):
    frame = generate_practice(n_clients=30, seed=3)
    key = b"k" * 32
    for name in ("a", "b"):
        export_site(oc.SessionData.from_frame(frame), tmp_path / f"{name}.parquet", site=name, key=key)
    with pytest.raises(ValueError, match="appear in more than one site"):
        pool_sites(tmp_path)


def test_a_grouping_some_sites_did_not_export_is_refused(tmp_path):
    frame = generate_practice(n_clients=40, seed=4)
    clients = frame["client_id"].drop_duplicates()
    export_site(frame[frame["client_id"].isin(clients.iloc[::2])], tmp_path / "a.parquet", site="a")
    export_site(
        frame[~frame["client_id"].isin(clients.iloc[::2])], tmp_path / "b.parquet", site="b", by=("age_band",)
    )
    with pytest.raises(ValueError, match="site\\(s\\) a did not export grouping 'age_band'"):
        pool_sites(tmp_path).summary("age_band", n_boot=200)


def test_cli_network_export_and_pool(tmp_path, capsys):
    from outcomes.cli import main

    frame = generate_practice(n_clients=40, seed=6)
    clients = frame["client_id"].drop_duplicates()
    sites = tmp_path / "sites"
    sites.mkdir()
    for name, ids in (("north", clients.iloc[::2]), ("south", clients.iloc[1::2])):
        frame[frame["client_id"].isin(ids)].to_csv(tmp_path / f"{name}.csv", index=False)
        args = [
            "network",
            "export",
            str(tmp_path / f"{name}.csv"),
            "--site",
            name,
            "-o",
            str(sites / f"{name}.parquet"),
        ]
        assert main(args) == 0
    assert main(["network", "pool", str(sites)]) == 0
    assert "Pooled 2 site(s)" in capsys.readouterr().out
    (sites / "bad.parquet").write_text("junk")
    assert main(["network", "pool", str(sites)]) == 1  # a file not pooled is a problem to fix
    assert "bad.parquet: not a Parquet file" in capsys.readouterr().out
    bad = [
        "network",
        "export",
        str(tmp_path / "north.csv"),
        "--site",
        "n",
        "--by",
        "technique",
        "-o",
        str(tmp_path / "x.parquet"),
    ]
    assert main(bad) == 1
    assert "'technique' changes within" in capsys.readouterr().err
