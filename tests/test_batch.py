"""`letopis batch` on real Telegram posts: the local pool and a Dask cluster give the records one
in-process pipeline gives; a Dask worker killed mid-batch loses nothing and doubles nothing; a
killed `letopis batch` run again ends with the output of an uninterrupted run."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from batch_fixtures import (
    POSTS,
    corpus_snapshot,
    output_records,
    output_tables,
    posts_file,
    reference_records,
)
from corpus_fixtures import database_url, db_url  # noqa: F401  (fixture)

from letopis.batch.output import BatchOutput
from letopis.batch.run import BatchEvents, run_batch

LETOPIS = Path(sys.executable).with_name("letopis")


@pytest.fixture(scope="module")
def posts(tmp_path_factory) -> Path:
    return posts_file(tmp_path_factory.mktemp("posts"))


@pytest.fixture(scope="module")
def reference(pipeline, posts) -> list[dict]:
    return reference_records(pipeline, posts)


@pytest.fixture(scope="module")
def local_output(posts, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("local")
    summary = run_batch([str(posts)], out, engine="local", workers=2, shard_size=8)
    assert summary.analyzed == POSTS and summary.failed == 0
    return out


def test_local_batch_gives_the_records_of_one_process(local_output, reference):
    assert len(reference) == POSTS
    assert output_records(local_output) == reference
    tables = output_tables(local_output)
    assert len(tables["entities"]) == sum(len(r["entities"]) for r in reference)
    assert len(tables["events"]) == sum(len(r["events"]) for r in reference)
    assert len(tables["mentions"]) == sum(
        len(e["mentions"]) for r in reference for e in r["entities"]
    )
    assert [row["position"] for row in tables["articles"]] == list(range(POSTS))


def test_a_second_run_skips_every_finished_shard(local_output, posts):
    before = output_tables(local_output)
    summary = run_batch([str(posts)], local_output, engine="local", workers=2, shard_size=8)
    assert summary.analyzed == 0 and summary.skipped == POSTS
    assert output_tables(local_output) == before


def test_dask_batch_survives_a_killed_worker(posts, reference, tmp_path):
    from distributed import Client, LocalCluster

    with (
        LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None) as cluster,
        Client(cluster) as client,
    ):
        killed: list[int] = []

        def kill_a_busy_worker(result) -> None:
            if killed:
                return
            busy = [address for address, keys in client.processing().items() if keys]
            pids = client.run(os.getpid, workers=busy[:1] or None)
            pid = next(iter(pids.values()))
            os.kill(pid, signal.SIGKILL)
            killed.append(pid)

        summary = run_batch(
            [str(posts)],
            tmp_path,
            engine="dask",
            scheduler=cluster.scheduler_address,
            shard_size=4,
            events=BatchEvents(shard_done=kill_a_busy_worker),
        )
        assert killed, "no worker was killed"
        with pytest.raises(ProcessLookupError):
            os.kill(killed[0], 0)
    assert summary.analyzed == POSTS
    positions = [
        row["position"] for row in BatchOutput(tmp_path).read_table("articles").to_pylist()
    ]
    assert positions == list(range(POSTS))
    assert output_records(tmp_path) == reference


def _batch(posts: Path, out: Path) -> subprocess.Popen:
    command = [str(LETOPIS), "batch", str(posts), "--out", str(out), "--shard-size", "3"]
    return subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True
    )


def _finished_shards(out: Path) -> int:
    try:
        return len(BatchOutput(out).shards)
    except Exception:  # noqa: BLE001 - the manifest does not exist yet
        return 0


def test_a_killed_batch_run_again_gives_the_uninterrupted_output(posts, local_output, tmp_path):
    process = _batch(posts, tmp_path)
    deadline = time.monotonic() + 120
    while _finished_shards(tmp_path) < 2 and process.poll() is None:
        assert time.monotonic() < deadline, "batch made no progress"
        time.sleep(0.02)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    shards = POSTS // 3
    assert 0 < _finished_shards(tmp_path) < shards, "the run was not interrupted mid-way"
    rerun = _batch(posts, tmp_path)
    _, errors = rerun.communicate(timeout=300)
    assert rerun.returncode == 0, errors.decode()
    assert _finished_shards(tmp_path) == shards
    assert output_tables(tmp_path) == output_tables(local_output)


@pytest.fixture
def second_db_url(db_url, tmp_path):  # noqa: F811
    """Another empty database on the backend of `db_url`."""
    yield from database_url("sqlite" if "://" not in db_url else "postgresql", tmp_path)


def test_load_gives_the_corpus_ingest_gives(local_output, posts, pipeline, db_url, second_db_url):  # noqa: F811
    from letopis.batch.load import load
    from letopis.corpus.corpus import Corpus

    summary = load(local_output, db_url)
    assert summary.new + summary.duplicates == POSTS and not summary.failed
    with Corpus(second_db_url, pipeline=pipeline) as ingested:
        ingested.ingest([str(posts)])
        expected = corpus_snapshot(ingested)
    with Corpus(db_url) as loaded:
        assert corpus_snapshot(loaded) == expected
    assert expected["merged_events"] and expected["canonical_entities"]
    assert len(expected["stories"]) < POSTS  # some posts share a story


def _pool_workers() -> list[int]:
    import psutil

    return [
        child.pid
        for child in psutil.Process().children(recursive=True)
        if "spawn_main" in " ".join(child.cmdline())
        and "resource_tracker" not in " ".join(child.cmdline())
    ]


def test_shards_a_dead_pool_loses_are_reported_and_a_rerun_completes(posts, local_output, tmp_path):
    def kill_the_worker(result) -> None:
        for pid in _pool_workers():
            os.kill(pid, signal.SIGKILL)

    summary = run_batch(
        [str(posts)], tmp_path, shard_size=4, events=BatchEvents(shard_done=kill_the_worker)
    )
    assert summary.lost_shards and summary.shards >= 1
    assert len(BatchOutput(tmp_path).shards) == summary.shards
    rerun = run_batch([str(posts)], tmp_path, shard_size=4)
    assert not rerun.lost_shards and rerun.skipped == 4 * summary.shards
    assert output_tables(tmp_path) == output_tables(local_output)
