"""Filters and search mean the same on SQLite and PostgreSQL: names match literally as
case-folded substrings (`%` / `_` are ordinary characters, never wildcards), and search matches
lemmas as they are on both."""

from __future__ import annotations

import pytest
from corpus_fixtures import BACKENDS, database_url

from letopis.corpus.corpus import Corpus
from letopis.ingest.article import Article
from letopis.store import models
from letopis.text import name_key

TEXT = (
    "Министр иностранных дел России Сергей Лавров встретился в Анкаре с главой МИД Турции "
    "Хаканом Фиданом."
)


@pytest.fixture(scope="module", params=BACKENDS)
def corpus(request, tmp_path_factory, pipeline):
    """One small corpus per backend for the whole module (the queries only read it)."""
    for url in database_url(request.param, tmp_path_factory.mktemp("filters")):
        yield from _filled(url, pipeline)


def _filled(url: str, pipeline):
    corpus = Corpus(url, pipeline=pipeline)
    corpus.add_articles(
        [
            Article(id="lavrov", text=TEXT, published="2024-05-01"),
            Article(id="strike", text="Армия нанесла удар по складу.", published="2024-05-02"),
            Article(id="drone", text="Дрон ударил по складу.", published="2024-05-03"),
        ]
    )
    with corpus.store.session() as session:  # a name with the LIKE metacharacters in it
        session.add(
            models.CanonicalEntity(
                key="ORG:100% раз_два", type="ORG", name="100% раз_два", name_key="100% раз_два"
            )
        )
        session.commit()
    yield corpus
    corpus.close()


CASES = [
    ("%", ["100% раз_два"]),
    ("_", ["100% раз_два"]),
    ("0%", ["100% раз_два"]),
    ("0_%", []),
    ("%%", []),
    ("л_вров", []),
    ("ЛАВРОВ", ["Сергей Лавров"]),
    ("лавр", ["Сергей Лавров"]),
]


@pytest.mark.parametrize(("name", "expected"), CASES)
def test_entity_names_match_literally(corpus, name, expected):
    assert [e.name for e in corpus.entities(name=name)] == expected


@pytest.mark.parametrize("actor", ["%", "_%", "Л%", "лавров%"])
def test_metacharacters_in_event_filters_match_nothing(corpus, actor):
    assert corpus.events(actor="Лавров")  # the event is there
    assert corpus.events(actor=actor) == []
    assert corpus.events(place="%") == [] and corpus.events(recipient="_") == []


def test_name_keys_are_folded_the_same_way():
    assert name_key("  Сергей   ЛАВРОВ ") == "сергей лавров"


SEARCHES = [
    ("удар", {"strike"}),  # not "ударить": lemmas match as they are, no stemming
    ("ударили", {"drone"}),
    ("склад", {"strike", "drone"}),
    ('"удар"', {"strike"}),
    ("Пут*", set()),
    ("Лаврова", {"lavrov"}),
    ("% _", set()),
]


@pytest.mark.parametrize(("query", "expected"), SEARCHES)
def test_search_means_the_same_on_both_backends(corpus, query, expected):
    assert {hit.key for hit in corpus.search(query)} == expected
