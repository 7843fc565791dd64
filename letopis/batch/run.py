"""`run_batch`: read the inputs, skip the shards a previous run finished, analyze the rest on
an engine and write each finished shard as it comes back."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from letopis.batch.output import BatchOutput, ShardEntry
from letopis.batch.shards import cut
from letopis.batch.worker import Shard, ShardError, ShardResult
from letopis.errors import InputError
from letopis.ingest.readers import Problems
from letopis.ingest.sources import read_inputs

DEFAULT_SHARD_SIZE = 100


class Engine(StrEnum):
    local = "local"
    dask = "dask"


@dataclass
class BatchSummary:
    articles: int = 0  # read from the inputs
    analyzed: int = 0  # in this run (failures included)
    skipped: int = 0  # in shards a previous run finished
    failed: int = 0  # articles whose analysis failed, in this run
    shards: int = 0
    input_errors: list[str] = field(default_factory=list)
    lost_shards: list[str] = field(default_factory=list)  # not written: a re-run retries them
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0  # analysis and writing, after the engine started
    peak_worker_rss_mb: float = 0.0
    worker_cpu_seconds: float = 0.0  # all workers together, on the shards of this run
    dashboard: str | None = None

    @property
    def articles_per_second(self) -> float:
        return self.analyzed / self.seconds if self.seconds else 0.0


@dataclass
class BatchEvents:
    """Callbacks the command line draws progress from; all optional."""

    started: Callable[[int, int], None] = lambda total, skipped: None  # articles
    engine_ready: Callable[[str | None], None] = lambda dashboard: None
    shard_done: Callable[[ShardResult], None] = lambda result: None
    notify: Callable[[str], None] = lambda message: None


def run_batch(
    inputs: Iterable[str],
    out: str | Path,
    *,
    engine: Engine | str = Engine.local,
    workers: int = 1,
    scheduler: str | None = None,
    shard_size: int = DEFAULT_SHARD_SIZE,
    published: str | None = None,
    events: BatchEvents | None = None,
) -> BatchSummary:
    events = events or BatchEvents()
    if workers < 1 or shard_size < 1:
        raise InputError("--workers and --shard-size must be at least 1")
    output = BatchOutput(out, shard_size)
    problems = Problems(notify=events.notify)
    articles = list(read_inputs(list(inputs), problems, published))
    summary = BatchSummary(
        articles=len(articles),
        input_errors=problems.errors,
        warnings=problems.warnings,
    )
    todo: list[Shard] = []
    for shard in cut(articles, shard_size):
        if output.finished(shard.name, shard.digest):
            summary.skipped += len(shard.articles)
        else:
            todo.append(shard)
    events.started(summary.articles, summary.skipped)
    if not todo:
        return summary
    with _engine(Engine(engine), workers, scheduler) as running:
        summary.dashboard = running.dashboard
        events.engine_ready(running.dashboard)
        started = time.perf_counter()
        for result in running.run(todo):
            if isinstance(result, ShardError):
                summary.lost_shards.append(_lost(result))
                events.notify(f"error: {summary.lost_shards[-1]}")
                continue
            _write(output, result)
            summary.analyzed += len(result.shard.articles)
            summary.failed += result.failures
            summary.shards += 1
            summary.peak_worker_rss_mb = max(summary.peak_worker_rss_mb, result.peak_rss_mb)
            summary.worker_cpu_seconds += result.cpu_seconds
            events.shard_done(result)
        summary.seconds = time.perf_counter() - started
    return summary


def _engine(engine: Engine, workers: int, scheduler: str | None):
    from letopis.batch.engines import DaskEngine, LocalEngine

    if engine is Engine.dask:
        return DaskEngine(workers, scheduler)
    if scheduler is not None:
        raise InputError("--scheduler needs --engine dask")
    return LocalEngine(workers)


def _lost(error: ShardError) -> str:
    shard = error.shard
    last = shard.start + len(shard.articles) - 1
    return f"shard {shard.name} (articles {shard.start}-{last}) not analyzed: {error.message}"


def _write(output: BatchOutput, result: ShardResult) -> None:
    shard = result.shard
    entry = ShardEntry(shard.name, shard.digest, len(shard.articles), result.failures)
    output.write_shard(entry, result.tables)
