"""The Dask engine: a folder of site Parquet files read one file per partition on a
``distributed.LocalCluster`` of two worker processes, summarised with the same numbers as in memory.

The per-client step runs per file on the workers; the statistics then run on the client rows by
the same code as for data in memory, on the same values in the same order, so every comparison
below is exact (``check_exact=True``), not to a tolerance.
"""

from __future__ import annotations

import sys

import numpy as np
import pandas as pd
import pytest
from distributed import Client, LocalCluster, get_task_stream

import outcomes as oc
from outcomes.datasets import generate_practice
from outcomes.errors import PrivacyError, SchemaError
from outcomes.io import LazySessionData
from outcomes.summary import LEVELS


@pytest.fixture(scope="module")
def cluster():
    with (
        LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as lc,
        Client(lc) as client,
    ):
        yield client


def _sites(folder, frame, n_sites=4):
    ids = pd.unique(frame["client_id"])
    for i in range(n_sites):
        frame[frame["client_id"].isin(ids[i::n_sites])].to_parquet(folder / f"site{i}.parquet", index=False)
    return folder


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    return _sites(tmp_path_factory.mktemp("sites"), generate_practice(n_clients=240, seed=3))


def test_the_dask_read_is_lazy_and_knows_its_files(sites, cluster):
    lazy = oc.read_sessions(sites, engine="dask")
    assert isinstance(lazy, LazySessionData)
    assert [f.name for f in lazy.files] == [f"site{i}.parquet" for i in range(4)]
    assert "4 site files" in repr(lazy)
    assert lazy._parts is None  # nothing read until something asks


@pytest.mark.parametrize("by", ["condition", None, "site", ["condition", "age_band"]])
def test_the_summary_on_dask_is_the_summary_in_memory(sites, cluster, by):
    lazy = oc.read_sessions(sites, engine="dask")
    memory = oc.read_sessions(sites)
    got = oc.summarize(lazy, by=by, level=list(LEVELS), n_boot=400, seed=7)
    want = oc.summarize(memory, by=by, level=list(LEVELS), n_boot=400, seed=7)
    pd.testing.assert_frame_equal(got, want, check_exact=True)


def test_the_files_are_read_on_both_worker_processes(sites, cluster):
    lazy = oc.read_sessions(sites, engine="dask")
    with get_task_stream(cluster) as stream:
        oc.summarize(lazy, n_boot=200)
    reads = [t for t in stream.data if t["key"].startswith("_run-")]
    assert len(reads) == 4  # one task per file
    assert len({t["worker"] for t in reads}) == 2
    assert all(p.value is None for p in lazy._parts)  # the client tables are not kept with the reads


def test_the_flow_is_the_sum_of_the_files_flows(sites, cluster):
    lazy = oc.read_sessions(sites, engine="dask")
    memory = oc.read_sessions(sites)
    pd.testing.assert_frame_equal(lazy.flow, memory.flow, check_exact=True)
    assert lazy.provenance["rows_read"] == memory.provenance["rows_read"]
    assert lazy.provenance["files"] == memory.provenance["files"]  # names, sha256 and rows of each file


def test_client_changes_and_an_analysis_on_dask(sites, cluster):
    lazy = oc.read_sessions(sites, engine="dask")
    memory = oc.read_sessions(sites)
    text = {"client_id": str, "condition": str, "measure": str}
    got = oc.client_changes(lazy, level="followup", by="condition").astype(text)
    want = oc.client_changes(memory, level="followup", by="condition").astype(text)
    pd.testing.assert_frame_equal(got, want, check_exact=True)
    analysis = oc.analyze(lazy, n_boot=300)
    pd.testing.assert_frame_equal(analysis.table("course"), oc.analyze(memory, n_boot=300).table("course"))
    with pytest.raises(TypeError, match="stay on the Dask workers"):
        analysis.trajectory("pain_nrs")


def test_excluded_problems_in_two_files_are_counted_as_in_memory(tmp_path, cluster):
    frame = generate_practice(n_clients=60, seed=4)
    frame["score"] = frame["score"].astype(str)  # a text column, as some exports are
    ids = pd.unique(frame["client_id"])
    in_site0 = frame.index[frame["client_id"] == ids[0]]
    in_site1 = frame.index[frame["client_id"] == ids[1]]
    frame.loc[[in_site0[0], in_site1[3]], "score"] = "lots"  # not a number
    frame.loc[[in_site1[5]], "measure"] = "pain_nsr"  # not a measure
    _sites(tmp_path, frame, n_sites=2)
    lazy = oc.read_sessions(tmp_path, engine="dask", errors="exclude")
    memory = oc.read_sessions(tmp_path, errors="exclude")
    pd.testing.assert_frame_equal(lazy.flow, memory.flow, check_exact=True)
    key = ["file", "row", "column", "check"]
    pd.testing.assert_frame_equal(
        lazy.failure_cases.sort_values(key).reset_index(drop=True),
        memory.failure_cases.sort_values(key).reset_index(drop=True),
    )
    assert set(lazy.failure_cases["file"]) == {"site0.parquet", "site1.parquet"}
    pd.testing.assert_frame_equal(oc.summarize(lazy, n_boot=200), oc.summarize(memory, n_boot=200))


def test_every_files_problems_are_raised_together(tmp_path, cluster):
    frame = generate_practice(n_clients=60, seed=4)
    frame["score"] = frame["score"].astype(str)  # a text column, as some exports are
    ids = pd.unique(frame["client_id"])
    first = frame.index[frame["client_id"] == ids[0]][0]  # in site0
    second = frame.index[frame["client_id"] == ids[1]][0]  # in site1
    frame.loc[[first, second], "score"] = "lots"
    _sites(tmp_path, frame, n_sites=3)
    lazy = oc.read_sessions(tmp_path, engine="dask")
    with pytest.raises(SchemaError, match="2 of 3 site files could not be read") as err:
        oc.summarize(lazy, n_boot=200)
    assert "site0.parquet" in str(err.value) and "site1.parquet" in str(err.value)
    assert set(err.value.failure_cases["file"]) == {"site0.parquet", "site1.parquet"}


def test_a_file_with_identifiers_stops_the_read_and_is_named(tmp_path, cluster):
    frame = generate_practice(n_clients=40, seed=2)
    _sites(tmp_path, frame, n_sites=2)
    leaked = pd.read_parquet(tmp_path / "site1.parquet")
    leaked["email"] = [f"person{i}@example.org" for i in range(len(leaked))]
    leaked.to_parquet(tmp_path / "site1.parquet", index=False)
    with pytest.raises(PrivacyError, match="1 of 2 site files") as err:
        oc.summarize(oc.read_sessions(tmp_path, engine="dask"), n_boot=200)
    assert "site1.parquet" in str(err.value) and "example.org" not in str(err.value)


def test_clients_in_more_than_one_file_are_shuffled_to_one_partition(tmp_path, cluster):
    """A client's later sessions in another site's file: the rows are shuffled by client first."""
    frame = generate_practice(n_clients=80, seed=6)
    late = frame["session"] >= 3
    frame[~late].to_parquet(tmp_path / "a.parquet", index=False)
    frame[late].assign(site="a").to_parquet(tmp_path / "b.parquet", index=False)
    lazy = oc.read_sessions(tmp_path, engine="dask")
    got = oc.summarize(lazy, level=["session", "course"], n_boot=300)
    assert lazy.shared_clients() > 0
    want = oc.summarize(oc.read_sessions(tmp_path), level=["session", "course"], n_boot=300)
    pd.testing.assert_frame_equal(got, want, check_exact=True)


def test_the_dask_engine_reads_folders_of_parquet_only(samples):
    with pytest.raises(ValueError, match="folder or pattern of Parquet files"):
        oc.read_sessions(samples / "sessions_long.csv", engine="dask")
    with pytest.raises(ValueError, match="engine"):
        oc.read_sessions(samples / "sessions_long.csv", engine="spark")


def test_without_dask_the_message_names_the_extra(sites, monkeypatch):
    monkeypatch.setitem(sys.modules, "dask", None)
    with pytest.raises(ImportError, match=r"outcomes\[network\]"):
        oc.read_sessions(sites, engine="dask")


def test_the_lazy_frame_is_a_dask_frame_of_the_checked_rows(sites, cluster):
    lazy = oc.read_sessions(sites, engine="dask")
    frame = lazy.frame
    assert frame.npartitions == 4
    n = int(frame["score"].count().compute())
    assert n == len(oc.read_sessions(sites).frame)
    assert np.isclose(float(frame["score"].sum().compute()), oc.read_sessions(sites).frame["score"].sum())


def test_a_level_no_client_reached_is_an_empty_level_as_in_memory(tmp_path, cluster):
    """A practice without follow-up reports: no follow-up rows, the other levels as in memory."""
    frame = generate_practice(n_clients=80, seed=3)
    _sites(tmp_path, frame[frame["timepoint"] != "followup"], n_sites=2)
    lazy, memory = oc.read_sessions(tmp_path, engine="dask"), oc.read_sessions(tmp_path)
    got = oc.summarize(lazy, level=list(LEVELS), n_boot=200, seed=1)
    want = oc.summarize(memory, level=list(LEVELS), n_boot=200, seed=1)
    assert "followup" not in set(want["level"]) and len(want)
    pd.testing.assert_frame_equal(got, want, check_exact=True)
    assert oc.client_changes(lazy, level="followup").empty
    pd.testing.assert_frame_equal(
        oc.analyze(lazy, n_boot=200).table("session"), oc.analyze(memory, n_boot=200).table("session")
    )


def test_a_problem_of_every_file_is_said_once_with_its_files(tmp_path, cluster):
    _sites(tmp_path, generate_practice(n_clients=60, seed=4), n_sites=5)
    lazy = oc.read_sessions(tmp_path, engine="dask")
    with pytest.raises(SchemaError, match="Cannot group by 'nope'") as err:
        oc.summarize(lazy, by="nope", n_boot=200)
    message = str(err.value)
    assert message.count("Cannot group by") == 1
    assert "5 of 5 site files" in message
    assert "site0.parquet, site1.parquet, site2.parquet and 2 more" in message
    assert sorted(err.value.failure_cases["file"]) == [f"site{i}.parquet" for i in range(5)]


def test_a_course_end_in_days_without_days_is_refused_per_file(tmp_path, cluster):
    frame = generate_practice(n_clients=40, seed=4).drop(columns="days_from_first", errors="ignore")
    _sites(tmp_path, frame, n_sites=2)
    lazy = oc.read_sessions(tmp_path, engine="dask")
    with pytest.raises(SchemaError, match="no days_from_first column") as err:
        oc.summarize(lazy, course_end=(0, 90), n_boot=200)
    assert set(err.value.failure_cases["column"]) == {"days_from_first"}


def test_files_whose_layout_cannot_be_told_are_one_error(tmp_path, cluster):
    """Problems found before any row carry no failure cases of their own."""
    for i in range(2):
        pd.DataFrame({"a": [1, 2], "b": ["x", "y"]}).to_parquet(tmp_path / f"s{i}.parquet", index=False)
    with pytest.raises(SchemaError, match="Could not tell the layout") as err:
        oc.summarize(oc.read_sessions(tmp_path, engine="dask"), n_boot=200)
    assert str(err.value).startswith("2 of 2 site files could not be read:\n- s0.parquet, s1.parquet: ")


def test_compute_brings_the_same_table_into_memory(sites, cluster):
    lazy = oc.read_sessions(sites, engine="dask")
    memory = oc.read_sessions(sites)
    data = lazy.compute()
    pd.testing.assert_frame_equal(data.frame, memory.frame.astype({"site": str}), check_exact=True)
    pd.testing.assert_frame_equal(data.flow, memory.flow, check_exact=True)
