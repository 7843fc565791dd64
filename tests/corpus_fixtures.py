"""Fixtures for the corpus, store and ingest tests: database URLs for both backends (SQLite in
tmp_path; PostgreSQL in a schema of its own on the local server, dropped afterwards), real
inputs from ../shared, and a small real corpus ingested once per backend."""

from __future__ import annotations

import json
import os
import uuid
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote

import pytest
from conftest import shared_path

PG_HOST = os.environ.get("LETOPIS_TEST_PG", "127.0.0.1:5432/test")
PG_USERS = ("postgres", "root")
BACKENDS = ("sqlite", "postgresql")


@lru_cache(maxsize=1)
def postgres_base() -> str | None:
    """postgresql://USER@HOST/DB for the first user the local server lets in, or None."""
    try:
        import psycopg
    except ImportError:
        return None
    for user in PG_USERS:
        url = f"postgresql://{user}@{PG_HOST}"
        try:
            psycopg.connect(url, connect_timeout=3).close()
            return url
        except psycopg.Error:
            continue
    return None


def _pg_admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(postgres_base(), autocommit=True) as connection:
        connection.execute(sql)


def database_url(backend: str, directory: Path):
    """A context-free URL generator: yields a fresh, empty database URL for `backend`."""
    if backend == "sqlite":
        yield str(directory / f"corpus-{uuid.uuid4().hex[:8]}.db")
        return
    if postgres_base() is None:
        pytest.skip(
            f"no PostgreSQL server answers at {PG_HOST} (users tried: "
            f"{', '.join(PG_USERS)}); the PostgreSQL half of the store tests is skipped"
        )
    schema = f"letopis_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    _pg_admin(f'CREATE SCHEMA "{schema}"')
    try:
        yield f"{postgres_base()}?options={quote(f'-csearch_path={schema}')}"
    finally:
        _pg_admin(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture(params=BACKENDS)
def db_url(request, tmp_path):
    """An empty database on each backend, removed after the test."""
    yield from database_url(request.param, tmp_path)


# ---- real inputs ---------------------------------------------------------------------------

HTML_DIR = "data/tgcontest-html"
RSS_DIR = "data/rss-fixtures-ua"
TELEGRAM_DIR = "data/tg-news-posts-2024/raw"
# Two channels that repost each other ("Москва - новостная", "Москва с огоньком Live").
MIRROR_CHANNELS = ("1001326203371", "1001699803165")


def telegram_posts(count: int, channels: tuple[str, ...] = MIRROR_CHANNELS) -> list[dict]:
    """The newest `count` posts (by date) of the given channels, oldest first."""
    directory = shared_path(TELEGRAM_DIR)
    posts = []
    for channel in channels:
        posts += json.loads((directory / f"{channel}_messages.json").read_text(encoding="utf-8"))
    posts.sort(key=lambda post: post["date"], reverse=True)
    return sorted(posts[:count], key=lambda post: post["date"])


def write_telegram_jsonl(path: Path, posts: list[dict]) -> Path:
    """Posts as Letopis JSONL articles (the conversion `letopis ingest` users can do too)."""
    with path.open("w", encoding="utf-8") as out:
        for post in posts:
            out.write(
                json.dumps(
                    {
                        "id": f"tg-{abs(post['sender_id'])}-{post['message_id']}",
                        "text": post["text"],
                        "published": post["date"],
                        "source": post["channel"],
                    },
                    ensure_ascii=False,
                )
                + "\n"
            )
    return path


def real_inputs(directory: Path) -> list[str]:
    """~40 real articles: 8 HTML pages, one RSS feed in windows-1251 (20 items), 14 Telegram
    posts from two channels that repost each other."""
    html = sorted(shared_path(HTML_DIR).glob("*.html"))[:8]
    feed = shared_path(RSS_DIR) / "stub_pravda_rss.xml"
    posts = write_telegram_jsonl(directory / "posts.jsonl", telegram_posts(14))
    return [*map(str, html), str(feed), str(posts)]


@pytest.fixture(scope="module", params=BACKENDS)
def real_corpus(request, tmp_path_factory, pipeline):
    """(Corpus, IngestSummary) of `real_inputs`, ingested once per backend and module."""
    from letopis.corpus.corpus import Corpus

    directory = tmp_path_factory.mktemp("corpus")
    inputs = real_inputs(directory)
    for url in database_url(request.param, directory):
        corpus = Corpus(url, pipeline=pipeline)
        summary = corpus.ingest(inputs)
        yield corpus, summary, url
        corpus.close()
