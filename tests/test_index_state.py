"""The corpus indexes keep their memory in the store: a new process adds to a corpus without
replaying the stored records, and a corpus stored before that memory existed is indexed into it
once — both leave exactly the tables of one uninterrupted run."""

from __future__ import annotations

import pytest
from corpus_fixtures import db_url, telegram_posts  # noqa: F401
from sqlalchemy import delete, select
from store_dump import dump

from letopis.corpus.corpus import Corpus
from letopis.corpus.state import CACHE_LIMIT, State
from letopis.ingest.article import Article
from letopis.record import Record
from letopis.store import models
from letopis.store.db import Store
from letopis.store.state import StateTable

POSTS = 14


@pytest.fixture(scope="module")
def articles() -> list[Article]:
    return [
        Article(
            id=f"tg-{abs(post['sender_id'])}-{post['message_id']}",
            text=post["text"],
            published=post["date"],
            source=post["channel"],
        )
        for post in telegram_posts(POSTS)
    ]


@pytest.fixture(scope="module")
def one_run(tmp_path_factory, articles, pipeline):
    """All articles added by one Corpus object: the reference tables."""
    db = str(tmp_path_factory.mktemp("one-run") / "corpus.db")
    with Corpus(db, pipeline=pipeline) as corpus:
        summary = corpus.add_articles(articles)
    assert summary.new + summary.duplicates == POSTS and not summary.failed
    return _tables(db)


def _tables(db: str) -> dict[str, list[tuple]]:
    tables = dump(db)
    store = Store(db)
    with store.engine.connect() as connection:
        state = models.IndexState
        tables["index_state"] = [
            tuple(row)
            for row in connection.execute(
                select(state.kind, state.key, state.value).order_by(state.kind, state.key)
            )
        ]
    store.close()
    return tables


def test_a_new_process_adds_without_decoding_stored_records(
    tmp_path, articles, pipeline, one_run, monkeypatch
):
    db = str(tmp_path / "corpus.db")
    with Corpus(db, pipeline=pipeline) as corpus:
        corpus.add_articles(articles[:-1])
    decoded = []
    original = Record.from_dict.__func__
    monkeypatch.setattr(
        Record, "from_dict", classmethod(lambda cls, data: decoded.append(1) or original(cls, data))
    )
    with Corpus(db, pipeline=pipeline) as corpus:  # a fresh object: nothing loaded
        assert corpus.add(articles[-1]) in ("new", "near", "duplicate")
    assert decoded == []
    monkeypatch.undo()
    assert _tables(db) == one_run


def test_a_corpus_without_index_state_is_indexed_once(tmp_path, articles, pipeline, one_run):
    db = str(tmp_path / "legacy.db")
    with Corpus(db, pipeline=pipeline) as corpus:
        corpus.add_articles(articles[:-3])
    store = Store(db)
    with store.session() as session:  # as a store written before the index state existed
        session.execute(delete(models.IndexState))
        session.commit()
    store.close()
    with Corpus(db, pipeline=pipeline) as corpus:
        corpus.add_articles(articles[-3:])
    assert _tables(db) == one_run


def test_state_keys_of_any_length_and_content_round_trip(db_url):  # noqa: F811
    keys = ["к" * 1000, "nul\x00key", "обычный ключ", "#" + "0" * 64]
    store = Store(db_url)
    table = StateTable()
    try:
        with store.session() as session:
            table.session = session
            state = State(table)
            values = state.map("test")
            for number, key in enumerate(keys):
                values[key] = {"n": number, "text": key}
            state.flush()
            session.commit()
        with store.session() as session:
            table.session = session
            fresh = State(table).map("test")
            fresh.load([*keys, "absent"])
            assert [fresh.get(key) for key in keys] == [
                {"n": number, "text": key} for number, key in enumerate(keys)
            ]
            assert fresh.get("absent") is None
    finally:
        store.close()


def test_an_index_without_a_store_keeps_everything_however_often_it_flushes():
    state = State()
    values = state.map("test")
    for number in range(CACHE_LIMIT + 10):
        values[str(number)] = number
        state.flush()
    assert values.get("0") == 0 and len(values.values()) == CACHE_LIMIT + 10
