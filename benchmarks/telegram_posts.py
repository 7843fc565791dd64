"""The Telegram news posts the corpus benchmarks ingest, read as `letopis ingest` reads them."""

from __future__ import annotations

from pathlib import Path

DEFAULT_DATA = Path(__file__).resolve().parents[1].parent / "shared/data/tg-news-posts-2024/raw"


def posts_in_date_order(data: Path) -> list:
    """Every post with text across all channel files, oldest first (as a crawl delivers them)."""
    from letopis.ingest.readers import Problems
    from letopis.ingest.telegram import read_telegram

    problems = Problems()
    posts = [a for path in sorted(data.glob("*.json")) for a in read_telegram(path, problems)]
    posts.sort(key=lambda a: (a.published or "", a.id))
    return posts
