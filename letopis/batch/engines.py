"""Where shards are analyzed: a local process pool, or a Dask cluster (a LocalCluster started
here, or a running one by its scheduler address). Both load the models once per process and
keep a bounded number of shards in flight, so memory does not grow with the corpus."""

from __future__ import annotations

import multiprocessing
import os
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor
from concurrent.futures import wait as wait_local
from contextlib import AbstractContextManager
from typing import Any

import dask
from distributed import WorkerPlugin

from letopis.batch.worker import Outcome, Shard, ShardError, analyze_shard, load_pipeline
from letopis.errors import InputError

IN_FLIGHT_PER_WORKER = 2
MAX_START_ROUNDS = 50
# Dask's statistical profiler samples every thread's stack every 10 ms, which costs the
# single-threaded analysis a share of its CPU; the local cluster runs without it. Dask also
# sets MALLOC_TRIM_THRESHOLD_=65536 in its workers, which makes the analysis take a third more
# CPU (glibc returns memory after nearly every free); the local cluster's workers keep glibc's
# default and the other variables.
WORKER_CONFIG = {
    "distributed.worker.profile.enabled": False,
    "distributed.nanny.pre-spawn-environ": {
        "OMP_NUM_THREADS": 1,
        "MKL_NUM_THREADS": 1,
        "OPENBLAS_NUM_THREADS": 1,
    },
}


class LocalEngine(AbstractContextManager):
    """A pool of spawned processes (safe with threads and on every platform)."""

    def __init__(self, workers: int):
        self.workers = workers
        self.dashboard: str | None = None
        self._pool = ProcessPoolExecutor(
            max_workers=workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=load_pipeline,
        )
        self._start_all()

    def run(self, shards: Iterable[Shard]) -> Iterator[Outcome]:
        return _bounded(shards, self._pool.submit, _wait_local, self.workers)

    def _start_all(self) -> None:
        """Start every process and load its models now, so that the run's time is analysis:
        the pool starts a process only when no idle one can take a task, so tasks that wait
        a moment make it start them all; a process answers only once its models are loaded."""
        ready: set[int] = set()
        for _ in range(MAX_START_ROUNDS):
            ready |= {f.result() for f in [self._pool.submit(_hold) for _ in range(self.workers)]}
            if len(ready) >= self.workers:
                return

    def __exit__(self, *exc) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


class DaskEngine(AbstractContextManager):
    """dask.distributed: `scheduler` is a running cluster's address (tcp://host:8786); without
    one a LocalCluster of `workers` single-threaded processes is started and stopped here."""

    def __init__(self, workers: int, scheduler: str | None = None):
        from distributed import Client, LocalCluster

        self._cluster = None
        try:
            if scheduler is None:
                with dask.config.set(WORKER_CONFIG):
                    self._cluster = LocalCluster(
                        n_workers=workers,
                        threads_per_worker=1,
                        processes=True,
                        dashboard_address=":0",
                    )
                self._client = Client(self._cluster)
            else:
                self._client = Client(scheduler, timeout="10s")
        except (OSError, TimeoutError) as error:
            self.close()
            raise InputError(f"cannot reach the Dask scheduler {scheduler}: {error}") from None
        self._client.register_plugin(PipelinePlugin(), name="letopis-pipeline")
        self.dashboard = self._client.dashboard_link
        self.workers = max(1, len(self._client.scheduler_info()["workers"]))

    @property
    def client(self):
        return self._client

    def run(self, shards: Iterable[Shard]) -> Iterator[Outcome]:
        def submit(function, shard: Shard):
            # The key names the shard and the digest of its inputs: two runs sharing a
            # cluster get the same result only for the same articles.
            key = f"letopis-shard-{shard.name}-{shard.digest}"
            return self._client.submit(function, shard, key=key)

        return _bounded(shards, submit, _wait_dask, self.workers)

    def close(self) -> None:
        client = getattr(self, "_client", None)
        if client is not None:
            client.close()
        if self._cluster is not None:
            self._cluster.close()

    def __exit__(self, *exc) -> None:
        self.close()


class PipelinePlugin(WorkerPlugin):
    """Loads the pipeline when a worker starts (and again in a worker that replaces a lost one)."""

    def setup(self, worker: Any) -> None:
        load_pipeline()


def _hold() -> int:
    time.sleep(0.2)
    return os.getpid()


def _bounded(shards: Iterable[Shard], submit, wait, workers: int) -> Iterator[Outcome]:
    """Submit shards as results come back, at most IN_FLIGHT_PER_WORKER per worker pending."""
    limit = max(1, workers * IN_FLIGHT_PER_WORKER)
    pending: dict = {}  # future -> its shard
    for shard in shards:
        try:
            pending[submit(analyze_shard, shard)] = shard
        except Exception as error:  # noqa: BLE001 - a broken pool takes no more shards
            yield ShardError(shard, _describe(error))
            continue
        if len(pending) >= limit:
            yield from _collect(pending, wait)
    while pending:
        yield from _collect(pending, wait)


def _collect(pending: dict, wait) -> Iterator[Outcome]:
    done, _ = wait(set(pending))
    for future in done:
        shard = pending.pop(future)
        try:
            yield future.result()
        except Exception as error:  # noqa: BLE001 - a lost shard must not end the others
            yield ShardError(shard, _describe(error))


def _describe(error: Exception) -> str:
    lines = str(error).strip().splitlines()
    return f"{type(error).__name__}: {lines[0]}" if lines else type(error).__name__


def _wait_local(pending: set) -> tuple[set, set]:
    done, rest = wait_local(pending, return_when=FIRST_COMPLETED)
    return set(done), set(rest)


def _wait_dask(pending: set) -> tuple[set, set]:
    from distributed import wait

    done, rest = wait(list(pending), return_when="FIRST_COMPLETED")
    return set(done), set(rest)
