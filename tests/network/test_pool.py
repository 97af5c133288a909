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


#: The summary's statistics that follow from counts and moments alone.
FROM_MOMENTS = [
    "n_clients", "n_sessions", "n_clients_unpaired", "n_sessions_unpaired", "mean_pre", "sd_pre",
    "mean_post", "sd_post", "mean_change", "sd_change", "ci_low", "ci_high", "mean_improvement",
    "improvement_ci_low", "improvement_ci_high", "d_z", "g_av", "smc", "smc_ci_low", "smc_ci_high",
    "r_pre_post", "p_ttest", "p_holm", "mcid",
]  # fmt: skip


@pytest.fixture(scope="module")
def mixed_network(tmp_path_factory):
    """Three sites: one sends client rows, two may send counts and moments only."""
    frame = generate_practice(n_clients=210, seed=8)
    clients = frame["client_id"].drop_duplicates()
    folder = tmp_path_factory.mktemp("mixed")
    for i, name in enumerate(("north", "east", "south")):
        rows = frame[frame["client_id"].isin(clients.iloc[i::3])]
        export_site(
            rows, folder / f"{name}.parquet", site=name, aggregate_only=name != "north", min_cell=None
        )
    return frame, folder


@pytest.mark.parametrize("by", [None, "condition"])
def test_aggregate_only_sites_give_what_moments_allow_and_mark_the_rest(mixed_network, by):
    """Counts, means, SDs, the t interval and p, d_z, g_av, the standardized mean change and r equal
    the summary of the pooled rows to 1e-12 (combined moments: a different order of additions);
    what needs client values is missing, not approximated, and flagged ``aggregate_only``."""
    from outcomes.network.moments import UNAVAILABLE

    frame, folder = mixed_network
    net = pool_sites(folder)
    assert net.aggregate_only and sorted(net.sites["mode"]) == ["aggregate", "aggregate", "clients"]
    got = net.summary(by)
    want = oc.summarize(frame, by=by, level=list(LEVELS), n_boot=200)
    keys = [*([by] if by else []), "measure", "level"]
    got = got.astype({k: str for k in keys}).sort_values(keys).reset_index(drop=True)
    want = want.astype({k: str for k in keys}).sort_values(keys).reset_index(drop=True)
    assert len(got) == len(want)
    pd.testing.assert_frame_equal(got[[*keys, "course_end", "scale"]], want[[*keys, "course_end", "scale"]])
    pd.testing.assert_frame_equal(
        got[FROM_MOMENTS].astype(float),
        want[FROM_MOMENTS].astype(float),
        check_exact=False,
        rtol=0,
        atol=1e-12,
    )
    assert got[UNAVAILABLE].isna().all().all()
    assert want["pct_mcid"].notna().any()  # the rows do have what the moments cannot give
    client_only = {"skewed", "floor", "ceiling"}
    expected = [
        ";".join([*(f for f in s.split(";") if f and f not in client_only), "aggregate_only"])
        for s in want["flags"]
    ]
    assert got["flags"].tolist() == expected


def test_an_aggregate_site_file_holds_no_client_row(mixed_network):
    from outcomes.network.moments import MOMENT_COLUMNS

    _, folder = mixed_network
    table, meta = read_site(folder / "east.parquet")
    assert meta["mode"] == "aggregate"
    assert list(table.columns) == ["grouping", "group", "level", "measure", *MOMENT_COLUMNS]
    assert not {"network_id", "pre", "post", "change"} & set(table.columns)


def test_the_summary_by_site_is_each_sites_own_summary(network):
    _, folder = network
    net = pool_sites(folder)
    by_site = net.summary("site", n_boot=300, seed=2)
    north = oc.read_sessions(folder / "north.csv")
    own = oc.summarize(north, by=None, level=list(LEVELS), n_boot=300, seed=2)
    got = by_site[by_site["site"] == "north"].drop(columns="site").reset_index(drop=True)
    # the bootstrap streams are keyed by the row's keys, which include the site here; reliable change
    # uses the SD of the intake over every client of the table (all sites), as it does by condition
    other = ("p_holm", "boot_ci_low", "boot_ci_high", "pct_reliable_improved", "pct_no_reliable_change")
    cols = [c for c in own.columns if c not in (*other, "pct_reliable_deteriorated", "pct_recovered")]
    pd.testing.assert_frame_equal(got[cols], own[cols], check_exact=False, rtol=0, atol=1e-12)


def test_two_files_with_one_site_name_are_refused(network, tmp_path):
    _, folder = network
    (tmp_path / "a.parquet").write_bytes((folder / "north.parquet").read_bytes())
    (tmp_path / "b.parquet").write_bytes((folder / "north.parquet").read_bytes())
    with pytest.raises(ValueError, match="same site name"):
        pool_sites(tmp_path)


def test_moments_give_the_client_rows_numbers_in_small_and_degenerate_groups(tmp_path):
    """Where every client changed by the same amount (no t interval, but g_av), every client ended
    at 0 (no r, but the standardized mean change with r = 0) and a group of two, the moments give
    what the client rows give."""
    pre = {"same_change": [5, 6, 7, 8], "all_at_zero": [5, 6, 7, 8], "two": [5, 7]}
    post = {"same_change": [3, 4, 5, 6], "all_at_zero": [0, 0, 0, 0], "two": [4, 4]}
    rows = [
        {
            "client_id": f"{c}{i}",
            "session": 1,
            "timepoint": t,
            "measure": "pain_nrs",
            "score": s,
            "condition": c,
        }
        for c in pre
        for i, (a, b) in enumerate(zip(pre[c], post[c], strict=True))
        for t, s in (("pre", a), ("post", b))
    ]
    frame = pd.DataFrame(rows)
    ids = frame["client_id"].drop_duplicates()
    for k, name in enumerate(("east", "west")):
        site = frame[frame["client_id"].isin(ids.iloc[k::2])]
        export_site(
            site,
            tmp_path / f"{name}.parquet",
            site=name,
            by=("condition",),
            aggregate_only=True,
            min_cell=None,
        )
    got = pool_sites(tmp_path).summary("condition").astype({"condition": str, "level": str})
    want = oc.summarize(frame, by="condition", level=["session", "course"], n_boot=200)
    want = want.astype({"condition": str, "level": str})
    key = ["condition", "level"]
    got, want = (t.sort_values(key).reset_index(drop=True) for t in (got, want))
    pd.testing.assert_frame_equal(
        got[FROM_MOMENTS].astype(float),
        want[FROM_MOMENTS].astype(float),
        check_exact=False,
        rtol=0,
        atol=1e-12,
    )
    session = want[want["level"] == "session"].set_index("condition")  # one session each: no course
    same = session.loc["same_change"]
    assert same["ci_low"] != same["ci_low"] and same["g_av"] == same["g_av"]  # no interval; g_av is defined
    zero = session.loc["all_at_zero"]
    assert zero["r_pre_post"] != zero["r_pre_post"] and zero["smc_ci_low"] == zero["smc_ci_low"]


def test_an_aggregate_site_withholds_small_groups_and_what_would_give_them_back(tmp_path):
    """A group's moments describe its clients (a group of one is that client's scores): groups of
    1-10 clients, or of 1-10 paired clients (whose scores make the moments), are not sent, nor a
    further group where the whole site's row minus the others would give one back, nor where
    what the whole site's row minus the groups sent leaves is 1-10 clients (their moments taken
    together); the metadata and the pooled sites table count them."""
    from outcomes.network.moments import moments_of
    from outcomes.network.site import site_table, withhold_small_groups

    frame = generate_practice(n_clients=70, seed=8)
    moments = moments_of(site_table(frame, by=("condition",)))
    kept, withheld = withhold_small_groups(moments, min_cell=11)
    assert len(withheld) == len(moments) - len(kept) > 0

    def counts(rows):
        return pd.DataFrame(
            {"paired": rows["n_clients"], "clients": rows["n_clients"] + rows["n_clients_unpaired"]}
        )

    def not_small(values):
        return ((values == 0) | (values >= 11)).all(axis=None)

    assert not_small(counts(kept)) and (counts(kept)["clients"] >= 11).all()
    lines = 0
    for (level, measure), rows in moments[moments["grouping"] == "condition"].groupby(["level", "measure"]):
        here = (kept["level"] == level) & (kept["measure"] == measure)
        whole_sent = kept[here & (kept["grouping"] == "")]
        if whole_sent.empty:
            continue
        sent = kept[here & (kept["grouping"] == "condition")]
        left = counts(whole_sent).sum() - counts(sent).sum()
        assert not_small(left), (level, measure, left.tolist())  # no small remainder by subtraction
        not_sent = rows[~rows["group"].isin(sent["group"])]
        # a shown total never gives back the one group not sent (unless that group is empty)
        assert len(not_sent) != 1 or int(counts(not_sent)["clients"].iloc[0]) == 0
        lines += 1
    assert lines > 0
    export_site(frame, tmp_path / "east.parquet", site="east", aggregate_only=True)
    table, meta = read_site(tmp_path / "east.parquet")
    keys = withheld[["grouping", "group", "level", "measure"]].to_numpy().tolist()
    assert meta["withheld"] == {"min_cell": 11, "rows": len(withheld), "groups": keys}  # keys, no counts
    assert ((table["n_clients"] + table["n_clients_unpaired"]) >= 11).all() and not_small(counts(table))
    export_site(generate_practice(n_clients=300, seed=9), tmp_path / "north.parquet", site="north")
    net = pool_sites(tmp_path)
    assert net.sites["groups_withheld"].tolist() == [len(withheld), 0]
    # the network's rows that lack a withheld group say so; the others do not
    summary = net.summary("condition")
    lacking = set(
        map(
            tuple, withheld.loc[withheld["grouping"] == "condition", ["group", "level", "measure"]].to_numpy()
        )
    )
    marked = summary["flags"].str.contains("site_withheld")
    keyed = list(
        zip(summary["condition"].astype(str), summary["level"].astype(str), summary["measure"], strict=True)
    )
    assert marked.tolist() == [k in lacking for k in keyed] and marked.any()


def _moment_counts(*groups) -> pd.DataFrame:
    """Moments rows with their counts only (what withholding reads): (grouping, group, n, unpaired)."""
    return pd.DataFrame(
        [
            {
                "grouping": g,
                "group": name,
                "level": "session",
                "measure": "pain",
                "n_clients": n,
                "n_clients_unpaired": u,
            }
            for g, name, n, u in groups
        ]
    )


@pytest.mark.parametrize(
    ("groups", "sent"),
    [
        pytest.param(
            [
                ("", "", 30, 0),
                ("condition", "tmj", 25, 0),
                ("condition", "sleep", 3, 0),
                ("condition", "neck", 2, 0),
            ],
            [""],
            id="3 and 2 withheld leave 5 clients under a total of 30: the 25 is withheld too",
        ),
        pytest.param(
            [
                ("", "", 40, 0),
                ("condition", "tmj", 25, 0),
                ("condition", "sleep", 8, 0),
                ("condition", "neck", 7, 0),
            ],
            ["", "tmj"],
            id="8 and 7 withheld leave 15 clients under a total of 40: the 25 is sent",
        ),
        pytest.param(
            [("", "", 40, 3), ("condition", "tmj", 9, 3), ("condition", "sleep", 31, 0)],
            [""],
            id="12 clients of whom 9 paired: the moments are the 9's, withheld, and the 31 with it",
        ),
        pytest.param(
            [
                ("", "", 32, 25),
                ("condition", "a", 2, 0),
                ("condition", "b", 0, 25),
                ("condition", "c", 30, 0),
            ],
            [""],
            id="a group of no paired client is no complement to 2 paired clients",
        ),
        pytest.param(
            [
                ("", "", 20, 0),
                ("condition", "a", 10, 0),
                ("condition", "b", 10, 0),
                ("age_band", "30-39", 20, 0),
            ],
            [],
            id="10 and 10 under 20 are pinned: the whole-site row goes, and every grouping with it",
        ),
    ],
)
def test_no_small_group_is_sent_by_subtraction(groups, sent):
    """A group's moments are its paired clients' scores; what the whole site's row minus the groups
    sent leaves is the withheld groups' moments taken together. Neither may be of 1-10 clients, and
    a whole-site row that pins a withheld group's count is withheld with its measure's groupings."""
    from outcomes.network.site import withhold_small_groups

    moments = _moment_counts(*groups)
    kept, withheld = withhold_small_groups(moments, min_cell=11)
    assert kept["group"].tolist() == sent and len(kept) + len(withheld) == len(moments)


def test_a_measure_withheld_whole_leaves_the_other_measures():
    from outcomes.network.site import withhold_small_groups

    pinned = _moment_counts(("", "", 20, 0), ("condition", "a", 10, 0), ("condition", "b", 10, 0))
    sleep = _moment_counts(("", "", 20, 0), ("condition", "a", 20, 0)).assign(measure="sleep")
    kept, _ = withhold_small_groups(pd.concat([pinned, sleep], ignore_index=True), min_cell=11)
    assert kept[["group", "measure"]].to_numpy().tolist() == [["", "sleep"], ["a", "sleep"]]
