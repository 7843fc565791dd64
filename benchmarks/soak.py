"""Memory soak: ingest N Telegram posts into a fresh SQLite corpus, RSS every --every posts,
then the time to add one article to that corpus vs to an empty one.

    .venv/bin/python benchmarks/soak.py [--data ../shared/data/tg-news-posts-2024/raw]
                                        [--posts 5000] [--every 500] [--keep DIR]

Posts are the oldest --posts posts with text across all channel files, in date order (as a
crawl would deliver them). RSS is the process's resident set (VmRSS) after each batch, so the
models (~0.4 GB) are in every number; growth is measured from the first 1,000 posts on, when
caches have warmed up. "One more article" is a separate `letopis ingest` process of one new post
into the full corpus and into an empty one (model loading and index rebuilding included), run
alternately --repeat times, best of each.

Not a test: it prints numbers and ratios, and skips when the data is absent.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from telegram_posts import DEFAULT_DATA, posts_in_date_order


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--posts", type=int, default=5000)
    parser.add_argument("--every", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--keep", type=Path, help="Keep the corpora in this directory.")
    options = parser.parse_args()
    if not options.data.is_dir():
        print(f"skipped: no Telegram posts at {options.data}")
        return
    workdir = options.keep or Path(tempfile.mkdtemp(prefix="letopis-soak-"))
    workdir.mkdir(parents=True, exist_ok=True)
    articles = posts_in_date_order(options.data)[: options.posts + 1]
    extra, articles = articles[-1], articles[:-1]
    full = workdir / "soak.db"
    full.unlink(missing_ok=True)
    rss = _soak(full, articles, options.every)
    print_growth(rss)
    _one_more(workdir, full, extra, options.repeat)


def _soak(db: Path, articles, every: int) -> list[tuple[int, float, float]]:
    from letopis.corpus.corpus import Corpus

    rows = []
    started = time.perf_counter()
    with Corpus(str(db)) as corpus:
        print(f"{'posts':>6} {'RSS MB':>8} {'seconds':>8} {'posts/s':>8}  (batch)", flush=True)
        for first in range(0, len(articles), every):
            batch_started = time.perf_counter()
            summary = corpus.add_articles(articles[first : first + every])
            done = min(first + every, len(articles))
            seconds = time.perf_counter() - batch_started
            rss = _rss_mb()
            rows.append((done, rss, time.perf_counter() - started))
            rate = len(articles[first : first + every]) / seconds
            print(
                f"{done:>6} {rss:>8.0f} {rows[-1][2]:>8.0f} {rate:>8.1f}  "
                f"({summary.new} new, {summary.duplicates} duplicates, "
                f"{len(summary.failed)} failed)",
                flush=True,
            )
    return rows


def print_growth(rows: list[tuple[int, float, float]]) -> None:
    base = next((rss for done, rss, _ in rows if done >= 1000), rows[0][1])
    last = rows[-1][1]
    print(f"RSS growth after 1,000 posts: {base:.0f} → {last:.0f} MB ({(last - base) / base:+.1%})")


def _one_more(workdir: Path, full: Path, article, repeat: int) -> None:
    empty = workdir / "empty.db"
    one = workdir / "one.jsonl"
    one.write_text(
        json.dumps(
            {
                "id": article.id,
                "text": article.text,
                "published": article.published,
                "source": article.source,
            },
            ensure_ascii=False,
        )
        + "\n",
        encoding="utf-8",
    )
    best = {"empty": float("inf"), "full": float("inf")}
    for _ in range(repeat):
        for name, db in (("empty", empty), ("full", full)):
            snapshot = workdir / f"{name}-copy.db"
            snapshot.unlink(missing_ok=True)
            if db.exists():
                _copy_sqlite(db, snapshot)
            started = time.perf_counter()
            command = [sys.executable, "-m", "letopis", "ingest", str(one), "--db", str(snapshot)]
            done = subprocess.run(command, capture_output=True, text=True)
            seconds = time.perf_counter() - started
            if done.returncode != 0:
                print(f"ingest failed: {done.stderr.strip().splitlines()[-1:]}")
            best[name] = min(best[name], seconds)
    print(
        f"one more article (separate process, best of {repeat}): empty corpus "
        f"{best['empty']:.1f} s, {len(_keys(full))}-article corpus {best['full']:.1f} s "
        f"(ratio {best['full'] / best['empty']:.2f})"
    )


def _copy_sqlite(source: Path, target: Path) -> None:
    import sqlite3

    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)


def _keys(db: Path) -> list[str]:
    import sqlite3

    with sqlite3.connect(db) as connection:
        return [key for (key,) in connection.execute("SELECT key FROM articles")]


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


if __name__ == "__main__":
    main()
