"""Imperfective partners derived from the dictionary when the lexicon is compiled."""

from __future__ import annotations

import pytest

from letopis.extract.events.aspect import imperfective
from letopis.extract.events.lexicon import load_lexicon


@pytest.mark.parametrize(
    ("perfective", "expected"),
    [
        ("выразить", "выражать"),  # з → ж
        ("освободить", "освобождать"),  # д → жд
        ("запретить", "запрещать"),  # т → щ
        ("объявить", "объявлять"),  # в → вл
        ("задержать", "задерживать"),
        ("убить", "убивать"),  # not the unrelated "убывать"
        ("отвергнуть", "отвергать"),
        ("перекрыть", "перекрывать"),
        ("согласиться", "соглашаться"),
    ],
)
def test_regular_imperfectives(perfective, expected):
    assert imperfective(perfective) == expected


@pytest.mark.parametrize("word", ["атаковать", "задерживать", "протест", "выйти"])
def test_no_partner_for_imperfectives_biaspectual_verbs_nouns_or_irregular_verbs(word):
    assert imperfective(word) is None


def test_the_lexicon_codes_both_aspects_and_its_conditions_name_both():
    lexicon = load_lexicon()
    assert [e.type for e in lexicon.triggers["оттеснять"]] == [
        e.type for e in lexicon.triggers["оттеснить"]
    ]
    protest = next(e for e in lexicon.triggers["протест"] if e.type == "PROTEST")
    assert {"выразить", "выражать"} <= protest.without


def test_a_listed_pair_wins_over_the_derived_one():
    triggers = load_lexicon().triggers
    assert "брать" in triggers  # "взять" → "брать", listed
    assert "взывать" not in triggers  # the derived look-alike ("to appeal")


def test_the_verb_lists_name_both_aspects():
    lexicon = load_lexicon()
    assert {"принять", "принимать"} <= lexicon.light_verbs  # a listed irregular pair
    assert {"заявить", "заявлять"} <= lexicon.speech_verbs  # a derived one
