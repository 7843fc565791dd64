"""What runs in a worker process: the pipeline, loaded once per process, and the analysis of
one shard into its table rows. A failing article becomes a failure row, never a failed shard."""

from __future__ import annotations

import resource
import time
from dataclasses import dataclass

import pyarrow as pa

from letopis.batch.tables import add_failure, add_record, empty_rows, to_tables
from letopis.ingest.article import Article

_pipeline = None


def load_pipeline() -> None:
    """Load the models in this process (a pool initializer, a Dask worker plugin)."""
    global _pipeline
    if _pipeline is None:
        from letopis.pipeline import Pipeline

        _pipeline = Pipeline()


@dataclass
class Shard:
    name: str
    digest: str
    start: int  # position of its first article in the input order
    articles: list[Article]


@dataclass
class ShardResult:
    shard: Shard
    tables: dict[str, pa.Table]  # built here, so the process that writes only writes
    failures: int
    peak_rss_mb: float  # of the worker process that analyzed it, so far
    cpu_seconds: float  # the worker's CPU time on this shard


@dataclass
class ShardError:
    """A shard the engine could not analyze (its worker died too often, the pool broke)."""

    shard: Shard
    message: str


Outcome = ShardResult | ShardError


def analyze_shard(shard: Shard) -> ShardResult:
    load_pipeline()
    cpu_started = time.process_time()
    rows = empty_rows()
    failures = 0
    for offset, article in enumerate(shard.articles):
        position = shard.start + offset
        try:
            record = _pipeline.analyze(article)
        except Exception as error:  # noqa: BLE001 - one article must not stop the batch
            add_failure(rows, position, article, _describe(error))
            failures += 1
            continue
        add_record(rows, position, article, record)
    tables = to_tables(rows)
    cpu_seconds = time.process_time() - cpu_started
    return ShardResult(shard, tables, failures, _peak_rss_mb(), cpu_seconds)


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _describe(error: Exception) -> str:
    lines = str(error).strip().splitlines()
    return f"{type(error).__name__}: {lines[0]}" if lines else type(error).__name__
