"""Fixtures for the server tests: a real corpus (Telegram posts from ../shared, the sample
article, and the payload articles of tests/fixtures/serve) ingested once per backend and
session, and a test client on an app over it."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import shared_path
from corpus_fixtures import BACKENDS, database_url, telegram_posts, write_telegram_jsonl

KEY = "test-key-letopis"
PAYLOADS = Path(__file__).parent / "fixtures" / "serve" / "payloads.jsonl"


def serve_inputs(directory: Path) -> list[str]:
    posts = write_telegram_jsonl(directory / "posts.jsonl", telegram_posts(30))
    sample = shared_path("samples/kazakhstan-csto-withdrawal.txt")
    return [str(posts), str(sample), str(PAYLOADS)]


@pytest.fixture(scope="session", params=BACKENDS)
def served_url(request, tmp_path_factory, pipeline):
    """The URL of a corpus ingested from `serve_inputs`, on each backend."""
    from letopis.corpus.corpus import Corpus

    directory = tmp_path_factory.mktemp("serve")
    inputs = serve_inputs(directory)
    for url in database_url(request.param, directory):
        corpus = Corpus(url, pipeline=pipeline)
        summary = corpus.ingest(inputs)
        assert summary.failed == [] and summary.new > 10, summary.to_dict()
        corpus.close()
        yield url


def make_app(url: str, pipeline, **settings):
    from letopis.serve import Settings, create_app

    return create_app(Settings(db=url, api_key=KEY, **settings), pipeline=pipeline)


@pytest.fixture(scope="session")
def client(served_url, pipeline):
    from fastapi.testclient import TestClient

    with TestClient(make_app(served_url, pipeline)) as test_client:
        yield test_client
