"""`letopis batch` speed: 1 and 2 workers on the local process pool and on a Dask LocalCluster,
against `Pipeline.analyze_many` in this process, all on the same Telegram posts in one run.

    .venv/bin/python benchmarks/batch.py [--posts 1000] [--shard-size 50] [--keep DIR]

Times exclude starting processes and loading models (each engine loads them before its clock
starts; the in-process pipeline is built before its clock starts). The in-process rate is
measured first and again last, and their mean is the baseline: a shared machine's speed drifts
over the minutes the runs take. Prints articles/s of each
run, the speed-up of 2 workers over 1 and its efficiency (speed-up / 2), each engine's 1-worker
rate against the in-process pipeline, and the peak RSS of any worker. Read the machine's load
first (`uptime`): on a shared two-core machine other people's work takes cores from the runs.
So each run also prints the CPU time its workers spent per article (what other processes on
the machine do not change much) and the speed-up that CPU time allows with 2 free cores:
2 x (CPU per article with 1 worker) / (CPU per article with 2 workers) — an upper bound of the
wall-clock speed-up, which the driver process and the machine's load lower.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TELEGRAM = REPO.parent / "shared" / "data" / "tg-news-posts-2024" / "raw"


def write_posts(count: int, path: Path) -> list:
    """The first `count` posts of the data set (channels in name order) as a JSONL file."""
    from letopis.ingest.readers import Problems
    from letopis.ingest.sources import read_inputs

    articles = []
    for article in read_inputs([str(TELEGRAM)], Problems()):
        articles.append(article)
        if len(articles) == count:
            break
    with path.open("w", encoding="utf-8") as out:
        for article in articles:
            out.write(json.dumps(vars(article), ensure_ascii=False) + "\n")
    return articles


def in_process_rate(articles: list) -> tuple[float, float]:
    """(articles/s, CPU ms per article) of Pipeline.analyze_many in this process."""
    from letopis.pipeline import Pipeline

    pipeline = Pipeline()
    started, cpu_started = time.perf_counter(), time.process_time()
    for _ in pipeline.analyze_many(articles):
        pass
    cpu = time.process_time() - cpu_started
    return len(articles) / (time.perf_counter() - started), 1000 * cpu / len(articles)


def report_in_process(articles: list) -> tuple[float, float]:
    rate, cpu = in_process_rate(articles)
    print(f"in process (Pipeline.analyze_many): {rate:.1f} articles/s, {cpu:.1f} CPU ms/article")
    return rate, cpu


def batch_run(posts: Path, out: Path, engine: str, workers: int, shard_size: int):
    from letopis.batch.run import run_batch

    shutil.rmtree(out, ignore_errors=True)
    return run_batch([str(posts)], out, engine=engine, workers=workers, shard_size=shard_size)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--shard-size", type=int, default=50)
    parser.add_argument("--keep", type=Path, help="keep the 2-worker local output here")
    args = parser.parse_args()
    if not TELEGRAM.is_dir():
        sys.exit(f"no Telegram posts at {TELEGRAM}")
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    work = Path(tempfile.mkdtemp(prefix="letopis-batch-bench-"))
    try:
        articles = write_posts(args.posts, work / "posts.jsonl")
        print(f"{len(articles)} Telegram posts")
        first = report_in_process(articles)
        print(f"peak RSS of this process: {_rss_mb():.0f} MB")
        runs = {}
        for engine in ("local", "dask"):
            rates, cpu = {}, {}
            for workers in (1, 2):
                out = work / f"{engine}-{workers}"
                summary = batch_run(work / "posts.jsonl", out, engine, workers, args.shard_size)
                rates[workers] = summary.articles_per_second
                cpu[workers] = 1000 * summary.worker_cpu_seconds / summary.analyzed
                print(
                    f"{engine:5} {workers} worker(s): {summary.articles_per_second:6.1f} "
                    f"articles/s, {summary.seconds:6.1f} s, {cpu[workers]:.1f} worker CPU "
                    f"ms/article, peak worker RSS {summary.peak_worker_rss_mb:.0f} MB, "
                    f"{summary.failed} failed"
                )
                if args.keep and engine == "local" and workers == 2:
                    shutil.rmtree(args.keep, ignore_errors=True)
                    shutil.copytree(out, args.keep)
            runs[engine] = rates, cpu
        last = report_in_process(articles)
        baseline, baseline_cpu = ((a + b) / 2 for a, b in zip(first, last, strict=True))
        print(f"in process, mean: {baseline:.1f} articles/s, {baseline_cpu:.1f} CPU ms/article")
        for engine, (rates, cpu) in runs.items():
            speedup = rates[2] / rates[1]
            cpu_bound = 2 * cpu[1] / cpu[2]
            print(
                f"{engine:5} speed-up 2 vs 1 worker: {speedup:.2f}x (efficiency "
                f"{speedup / 2:.2f}), allowed by CPU time {cpu_bound:.2f}x; 1 worker vs in "
                f"process: {rates[1] / baseline:.2f}x (CPU: {baseline_cpu / cpu[1]:.2f}x)"
            )
        print(f"load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


if __name__ == "__main__":
    main()
