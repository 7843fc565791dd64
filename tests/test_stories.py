import time

import pytest

from letopis.corpus.stories import (
    DocumentFrequencies,
    StoryIndex,
    StoryRow,
    cosine,
    parse_published,
    read_document_frequencies,
)

FIRE_1 = ("Пожар в жилом доме на Большой Тульской улице в Москве",
          "Ночью загорелся жилой дом на Большой Тульской улице. Пожарные эвакуировали жильцов, "
          "площадь возгорания составила 40 квадратных метров.")
FIRE_2 = ("На Большой Тульской улице горит жилой дом",
          "В Москве горит дом на Большой Тульской улице, жильцов эвакуировали. По данным МЧС, "
          "площадь пожара — 40 квадратных метров.")
SNOW = ("В Подмосковье выпал первый снег",
        "Первый снег выпал в Подмосковье утром в понедельник, синоптики обещают его быстрое "
        "таяние и плюсовую температуру днем.")


def test_shipped_document_frequencies_load():
    documents, table = read_document_frequencies()
    assert documents > 10_000
    assert table["год"] > table["пожар"] > 1


def test_same_story_pair_scores_above_unrelated_pair():
    index = StoryIndex()
    fire_1, fire_2, snow = (index.document(text, title) for title, text in (FIRE_1, FIRE_2, SNOW))
    same, score = index.same_story(fire_1, fire_2)
    other, other_score = index.same_story(fire_1, snow)
    assert same and not other
    assert score > other_score


def test_time_window_separates_identical_topics_far_apart():
    index = StoryIndex(window_days=3)
    a = index.document(FIRE_1[1], FIRE_1[0], "2024-10-10")
    b = index.document(FIRE_2[1], FIRE_2[0], "2024-10-11T08:00:00+03:00")
    c = index.document(FIRE_2[1], FIRE_2[0], "2024-11-20")
    assert index.same_story(a, b)[0]
    same, score = index.same_story(a, c)
    assert not same and score >= index.threshold


def test_add_assigns_story_ids_incrementally():
    index = StoryIndex()
    assert index.add("f1", FIRE_1[1], FIRE_1[0], "2024-10-10") == "f1"
    assert index.add("s1", SNOW[1], SNOW[0], "2024-10-10") == "s1"
    assert index.add("f2", FIRE_2[1], FIRE_2[0], "2024-10-10") == "f1"
    assert index.stories() == {"f1": ["f1", "f2"], "s1": ["s1"]}
    assert index.add("f2", "другой текст") == "f1"  # re-adding is a no-op


def test_title_already_in_text_is_not_counted_again():
    index = StoryIndex()
    with_title = index.document(FIRE_1[0] + "\n" + FIRE_1[1], FIRE_1[0])
    separate = index.document(FIRE_1[1], FIRE_1[0])
    assert cosine(with_title.vector, separate.vector) == pytest.approx(1.0)


def test_entity_names_are_terms():
    index = StoryIndex()
    doc = index.document(SNOW[1], SNOW[0], entity_names=["Подмосковье"])
    assert "@подмосковье" in doc.vector


def test_idf_grows_with_observed_articles():
    frequencies = DocumentFrequencies({"пожар": 1}, 10)
    before = frequencies.idf("пожар")
    frequencies.observe(["пожар"])
    assert frequencies.idf("пожар") < before


def test_from_rows_replays_stored_assignments():
    rows = [StoryRow("f1", FIRE_1[1], FIRE_1[0], "2024-10-10", [], "f1"),
            StoryRow("f2", FIRE_2[1], FIRE_2[0], "2024-10-10", [], "f1")]
    index = StoryIndex.from_rows(rows)
    assert index.story_of("f2") == "f1"
    assert index.add("f3", FIRE_2[1] + " Пострадавших нет.", FIRE_2[0], "2024-10-10") == "f1"


def test_parse_published_forms():
    assert parse_published("2024-10-10").day == 10
    assert parse_published("2024-10-10T23:30:00-02:00").day == 11
    assert parse_published("not a date") is None
    assert parse_published(None) is None


def test_per_article_cost_stays_small_with_many_articles():
    index = StoryIndex()
    started = time.perf_counter()
    for number in range(300):
        title, text = (FIRE_1, FIRE_2, SNOW)[number % 3]
        index.add(f"a{number}", f"{text} Номер {number}.", title, "2024-10-10")
    per_article = (time.perf_counter() - started) / 300
    assert per_article < 0.02
    assert len(index.stories()) == 2
