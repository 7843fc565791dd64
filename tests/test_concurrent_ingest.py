"""Many writers, one consistent store: two `letopis ingest` processes at once, into a new and
into an existing store, on SQLite and PostgreSQL, exit 0 and leave exactly the tables that running
them one after the other leaves."""

from __future__ import annotations

import json
import multiprocessing
import os
import sys
from pathlib import Path

import pytest
from corpus_fixtures import BACKENDS, database_url, telegram_posts, write_telegram_jsonl
from store_dump import dump

from letopis.corpus.corpus import Corpus


def _cli_ingest(path, url: str, log: str) -> None:
    """`letopis ingest PATH --db URL` in a forked child, stderr into `log`."""
    descriptor = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
    os.dup2(descriptor, 2)
    from letopis.cli import main

    sys.argv = ["letopis", "ingest", str(path), "--db", url]
    main()


def _ingest_at_once(url: str, first, second, pipeline) -> list[tuple[int, str]]:
    """Two `letopis ingest` processes started together. They are forked from this one with the
    models already loaded (the CLI's shared pipeline), which saves loading them twice."""
    import letopis.pipeline

    letopis.pipeline._shared = pipeline
    context = multiprocessing.get_context("fork")
    logs = [f"{path}.log" for path in (first, second)]
    processes = [
        context.Process(target=_cli_ingest, args=(path, url, log))
        for path, log in zip((first, second), logs, strict=True)
    ]
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=300)
    return [
        (process.exitcode, Path(log).read_text(encoding="utf-8"))
        for process, log in zip(processes, logs, strict=True)
    ]


def _order(url: str, files: dict[str, object], before: int) -> list[object]:
    """Which file's articles came first after the `before` stored already (the write lock keeps
    each run's articles together)."""
    first_key = dump(url)["articles"][before][1]
    first = next(path for path in files.values() if _first_id(path) == first_key)
    return [first, *(path for path in files.values() if path is not first)]


def _first_id(path) -> str:
    return json.loads(path.read_text("utf-8").splitlines()[0])["id"]


@pytest.mark.parametrize("backend", BACKENDS)
def test_concurrent_ingests_equal_a_sequential_run(backend, tmp_path, pipeline):
    posts = telegram_posts(14)
    files = {
        name: write_telegram_jsonl(tmp_path / f"{name}.jsonl", chunk)
        for name, chunk in {
            "a": posts[0:4],
            "b": posts[3:7],  # one post in both: the second run finds it stored
            "c": posts[7:10],
            "d": posts[10:14],
        }.items()
    }
    for url, reference in zip(
        database_url(backend, tmp_path), database_url(backend, tmp_path), strict=True
    ):
        with Corpus(reference, pipeline=pipeline) as sequential:
            for pair in (("a", "b"), ("c", "d")):  # into a new store, then into an existing one
                before = len(dump(url)["articles"]) if pair[0] == "c" else 0
                runs = _ingest_at_once(url, files[pair[0]], files[pair[1]], pipeline)
                for exitcode, stderr in runs:
                    assert exitcode == 0, stderr[-2000:]
                    assert "Traceback" not in stderr
                order = _order(url, {name: files[name] for name in pair}, before)
                for path in order:
                    assert sequential.ingest(str(path)).failed == []
                assert dump(url) == dump(reference)
