"""The corpus lemmatiser: every form of a word, hyphenated names and names the dictionary lacks
included, gives one search key, so full-text search finds the word in any form."""

import pytest

import letopis
from letopis.corpus.text import lemmatizer
from letopis.text import name_stem


def keys(*forms: str) -> set[str]:
    return {lemmatizer().lemma(form) for form in forms}


def test_forms_of_a_hyphenated_city_give_one_key():
    assert keys("Алма-Аты", "Алма-Ате", "Алма-Ата", "Алма-Атой") == {"алма-ата"}
    assert keys("Ростова-на-Дону", "Ростове-на-Дону", "Ростов-на-Дону") == {"ростов-на-дону"}
    assert keys("Йошкар-Олы", "Йошкар-Ола") == {"йошкар-ола"}


def test_an_unknown_hyphenated_name_is_keyed_part_by_part():
    assert keys("Нур-Султан", "Нур-Султана", "Нур-Султаном", "Нур-Султане") == {"нур-султан"}


def test_names_the_dictionary_lacks_meet_at_one_stem():
    assert len(keys("Жанаозен", "Жанаозена", "Жанаозене", "Жанаозеном", "Жанаозену")) == 1
    assert len(keys("Байбеков", "Байбекова", "Байбекову", "Байбековым", "Байбекове")) == 1
    assert len(keys("Шымкент", "Шымкента", "Шымкенте")) == 1


def test_different_words_keep_different_keys():
    assert len(keys("Алма-Ата", "Ата", "Алма")) == 3
    assert len(keys("Жанаозен", "Шымкент", "Байбеков")) == 3
    assert len(keys("Байбекова", "Байбек")) == 2  # -ов belongs to a surname's stem
    assert keys("Москвы") == {"москва"}  # dictionary words keep their dictionary lemma


def test_a_stem_keeps_at_least_three_letters():
    assert name_stem("абая") == "аба"
    assert name_stem("уфе") == "уфе"


def test_hyphenated_function_words_are_not_content():
    lemmas = lemmatizer().content_lemmas("Из-за того, что кто-то опоздал, по-прежнему ждут.")
    assert {"из-за", "кто-то", "по-прежнему"}.isdisjoint(lemmas)
    assert "опоздать" in lemmas


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    path = tmp_path_factory.mktemp("search") / "c.db"
    with letopis.Corpus(str(path)) as corpus:
        corpus.add_articles(
            [
                letopis.Article(
                    id="almaty",
                    text="В Алма-Ате прошёл митинг. Полиция задержала активистов.",
                    published="2022-01-05",
                ),
                letopis.Article(
                    id="zhanaozen",
                    text="Жители Жанаозена вышли на площадь, в Ростове-на-Дону прошли выборы.",
                    published="2022-01-04",
                ),
            ]
        )
        yield corpus


def found(corpus, query: str) -> list[str]:
    return [hit.key for hit in corpus.search(query)]


def test_search_finds_a_hyphenated_city_in_another_case(corpus):
    assert found(corpus, "Алма-Ата") == ["almaty"]
    assert found(corpus, "Алма-Аты") == ["almaty"]


def test_search_finds_names_in_any_case(corpus):
    assert found(corpus, "Жанаозен") == ["zhanaozen"]
    assert found(corpus, "Ростов-на-Дону") == ["zhanaozen"]
    assert found(corpus, "митинги Алма-Аты") == ["almaty"]
    assert found(corpus, "Шымкент") == []
