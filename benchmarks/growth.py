"""Corpus growth: ingest rate and corpus open time as a SQLite corpus grows to each --sizes.

    .venv/bin/python benchmarks/growth.py [--data ../shared/data/tg-news-posts-2024/raw]
                                          [--sizes 4000,16000,64000] [--keep DIR]

Articles are the Telegram posts in date order; past the last post they come round again as
copies with shifted ids, dates (a year later per round) and a marker line, so every one is
analyzed (a copy is a near duplicate of its original, not an exact one). At each size it prints
the ingest rate of the last stretch, the total ingest time, and the corpus open time: a new
`Corpus` on the file adding one exact copy of a stored text (which loads what the indexes need,
without the analysis models). Then the growth exponent of total ingest time between the last
two sizes (1.0: each article costs the same however large the corpus).

Not a test: it prints numbers, and skips when the data is absent.
"""

from __future__ import annotations

import argparse
import math
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

from telegram_posts import DEFAULT_DATA, posts_in_date_order


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--sizes", default="4000,16000,64000")
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--keep", type=Path, help="Keep the corpus in this directory.")
    options = parser.parse_args()
    if not options.data.is_dir():
        print(f"skipped: no Telegram posts at {options.data}")
        return
    sizes = sorted(int(size) for size in options.sizes.split(","))
    workdir = options.keep or Path(tempfile.mkdtemp(prefix="letopis-growth-"))
    workdir.mkdir(parents=True, exist_ok=True)
    db = workdir / "growth.db"
    db.unlink(missing_ok=True)
    posts = posts_in_date_order(options.data)
    totals = _grow(str(db), posts, sizes, options.batch)
    if len(totals) >= 2:
        (small, small_s), (large, large_s) = totals[-2], totals[-1]
        exponent = math.log(large_s / small_s) / math.log(large / small)
        print(f"growth exponent of total ingest time, {small:,} → {large:,}: {exponent:.2f}")


def _article(posts, number: int):
    """The `number`-th article (0-based): a post, or a shifted copy of one past the end."""
    from dataclasses import replace

    post = posts[number % len(posts)]
    copy = number // len(posts)
    if copy == 0:
        return post
    published = post.published
    if published:
        moment = datetime.fromisoformat(published.replace("Z", "+00:00"))
        published = (moment + timedelta(days=365 * copy)).isoformat()
    return replace(
        post, id=f"{post.id}-copy{copy}", published=published, text=f"{post.text}\nКопия {copy}."
    )


def _grow(db: str, posts, sizes: list[int], batch: int) -> list[tuple[int, float]]:
    from letopis.corpus.corpus import Corpus

    totals: list[tuple[int, float]] = []
    ingest_seconds = 0.0
    done = 0
    print(f"{'articles':>9} {'ingest s':>9} {'art/s':>7} {'open s':>7}", flush=True)
    with Corpus(db) as corpus:
        for size in sizes:
            stretch_started, stretch_start = time.perf_counter(), done
            while done < size:
                count = min(batch, size - done)
                started = time.perf_counter()
                corpus.add_articles(_article(posts, n) for n in range(done, done + count))
                ingest_seconds += time.perf_counter() - started
                done += count
            rate = (done - stretch_start) / (time.perf_counter() - stretch_started)
            opened = _open_time(db, _article(posts, 0), done)
            totals.append((done, ingest_seconds))
            print(f"{done:>9,} {ingest_seconds:>9.0f} {rate:>7.1f} {opened:>7.2f}", flush=True)
    return totals


def _open_time(db: str, stored, number: int) -> float:
    """A new Corpus adding an exact copy of a stored text: what opening costs before work."""
    from dataclasses import replace

    from letopis.corpus.corpus import Corpus

    started = time.perf_counter()
    with Corpus(db) as corpus:
        outcome = corpus.add(replace(stored, id=f"open-probe-{number}"))
    seconds = time.perf_counter() - started
    if outcome != "duplicate":
        print(f"(open probe stored as {outcome!r}, not as an exact duplicate)")
    return seconds


if __name__ == "__main__":
    main()
