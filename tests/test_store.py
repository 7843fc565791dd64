"""The store on SQLite and on the local PostgreSQL server: migrations, idempotent writes,
duplicates, full-text search and clear errors. Articles are small hand-written ones."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from corpus_fixtures import db_url  # noqa: F401  (fixture)
from sqlalchemy import inspect, select, text

from letopis.corpus.corpus import Corpus
from letopis.errors import InputError
from letopis.ingest.article import Article
from letopis.store import models
from letopis.store.db import Store, database_url, described_by_models

ARTICLES = [
    Article(
        id="a1",
        title="Путин провёл переговоры с Токаевым",
        text="Путин провёл переговоры с Токаевым\nПрезидент России Владимир Путин провёл "
        "телефонные переговоры с президентом Казахстана Касым-Жомартом Токаевым.",
        published="2022-01-10",
        source="ТАСС",
    ),
    Article(
        id="a2",
        title="В Алма-Ате прошли протесты",
        text="В Алма-Ате прошли протесты\nТысячи жителей Алма-Аты вышли на площадь, "
        "требуя снижения цен на газ. Полиция задержала десятки протестующих.",
        published="2022-01-05T08:00:00+06:00",
        source="Интерфакс",
    ),
]


@pytest.fixture
def corpus(db_url, pipeline):  # noqa: F811
    corpus = Corpus(db_url, pipeline=pipeline)
    yield corpus
    corpus.close()


def test_migrations_build_the_schema_the_models_describe(db_url):  # noqa: F811
    store = Store(db_url)
    with store.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"include_name": described_by_models})
        assert compare_metadata(context, models.Base.metadata) == []
        assert context.get_current_revision() == "0006"
        names = set(inspect(connection).get_table_names())
    assert {
        "articles",
        "entities",
        "mentions",
        "places",
        "events",
        "event_arguments",
        "event_mentions",
        "canonical_entities",
        "stories",
        "merged_events",
        "index_state",
        "watched_sources",
    } <= names
    Store(db_url).close()  # opening again is a no-op
    store.close()


def test_the_same_article_twice_is_stored_once(corpus):
    assert corpus.add(ARTICLES[0]) == "new"
    assert corpus.add(ARTICLES[0]) == "stored"
    counts = corpus.counts()
    assert counts["articles"] == 1 and counts["analyzed"] == 1
    [record] = corpus.records()
    assert record.id == "a1"
    assert record.text == ARTICLES[0].text
    assert any(e.name == "Владимир Путин" for e in record.entities)


def test_a_repost_is_an_unanalyzed_duplicate_in_the_same_story(corpus):
    corpus.add(ARTICLES[0])
    repost = Article(
        id="r1",
        text=ARTICLES[0].text.upper() + "\n\nПодписаться на канал",
        published="2022-01-10T12:00:00",
        source="Канал",
    )
    assert corpus.add(repost) == "duplicate"
    with corpus.store.session() as session:
        original, copy = session.scalars(select(models.Article).order_by(models.Article.id))
        assert copy.duplicate_of == original.id and copy.duplicate_kind == "exact"
        assert copy.record is None and copy.story_id == original.story_id
        story = session.get(models.Story, original.story_id)
        assert story.article_count == 2 and story.source_count == 2


def test_search_matches_any_word_form(corpus):
    corpus.add_articles(ARTICLES)
    assert [h.key for h in corpus.search("переговорами")] == ["a1"]
    assert [h.key for h in corpus.search("протестующие жители газа")] == ["a2"]
    assert corpus.search("переговоры протесты") == []
    assert corpus.search("") == []


def test_entities_resolve_across_articles(corpus):
    corpus.add(ARTICLES[0])
    corpus.add(
        Article(
            id="a3",
            text="В среду Токаев заявил о завершении миссии ОДКБ в Казахстане.",
            published="2022-01-11",
            source="РИА Новости",
        )
    )
    [tokayev] = corpus.entities(name="Токаев")
    assert tokayev.type == "PER" and tokayev.articles == 2
    assert tokayev.name == "Касым-Жомарт Токаев"


def test_published_timestamps_are_normalised_to_utc(corpus):
    corpus.add(ARTICLES[1])
    with corpus.store.session() as session:
        row = session.scalars(select(models.Article)).one()
    assert row.published == "2022-01-05T08:00:00+06:00"
    assert row.published_at.isoformat() == "2022-01-05T02:00:00"


def test_sqlite_store_passes_integrity_check(tmp_path, pipeline):
    path = tmp_path / "corpus.db"
    with Corpus(str(path), pipeline=pipeline) as corpus:
        corpus.add_articles(ARTICLES)
    store = Store(str(path))
    with store.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
        assert connection.execute(text("SELECT count(*) FROM article_search")).scalar() == 2
    store.close()


@pytest.mark.parametrize(
    "url, message",
    [
        ("postgresql://nobody@127.0.0.1:1/none", "cannot open the database postgresql"),
        ("/no/such/directory/letopis.db", "cannot open the database /no/such/directory/letopis.db"),
        ("mysql://user@host/db", "unsupported database 'mysql'"),
    ],
)
def test_a_database_that_cannot_be_opened_is_a_one_line_error(url, message):
    with pytest.raises(InputError) as error:
        Store(url)
    assert str(error.value).startswith(message)
    assert "\n" not in str(error.value)


def test_a_file_that_is_not_a_database(tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("not a database " * 100, encoding="utf-8")
    with pytest.raises(InputError, match="file is not a database"):
        Store(str(path))
    assert path.read_text(encoding="utf-8").startswith("not a database")


def test_database_urls():
    assert database_url(None).database == "letopis.db"
    assert database_url("postgresql://u@h/db").drivername == "postgresql+psycopg"
    assert database_url("x/corpus.db").get_backend_name() == "sqlite"
