import time
from datetime import date

import pytest

from letopis.corpus.stories import (
    DAYS_APART,
    DocumentFrequencies,
    StoryIndex,
    StoryRow,
    conflict,
    cosine,
    days_apart,
    event_days,
    lead,
    lead_tense,
    read_document_frequencies,
)
from letopis.extract.dates import extract_dates
from letopis.text import parse_iso, parse_moment


def dates(text: str, published: str | None = None) -> list:
    """The date mentions a record of the text holds (resolved against its publication day)."""
    moment = parse_iso(published) if published else None
    return extract_dates(text, moment.date() if moment else None)


FIRE_1 = (
    "Пожар в жилом доме на Большой Тульской улице в Москве",
    "Ночью загорелся жилой дом на Большой Тульской улице. Пожарные эвакуировали жильцов, "
    "площадь возгорания составила 40 квадратных метров.",
)
FIRE_2 = (
    "На Большой Тульской улице горит жилой дом",
    "В Москве горит дом на Большой Тульской улице, жильцов эвакуировали. По данным МЧС, "
    "площадь пожара — 40 квадратных метров.",
)
SNOW = (
    "В Подмосковье выпал первый снег",
    "Первый снег выпал в Подмосковье утром в понедельник, синоптики обещают его быстрое "
    "таяние и плюсовую температуру днем.",
)


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
    rows = [
        StoryRow("f1", FIRE_1[1], FIRE_1[0], "2024-10-10", [], "f1"),
        StoryRow("f2", FIRE_2[1], FIRE_2[0], "2024-10-10", [], "f1"),
    ]
    index = StoryIndex.from_rows(rows)
    assert index.story_of("f2") == "f1"
    assert index.add("f3", FIRE_2[1] + " Пострадавших нет.", FIRE_2[0], "2024-10-10") == "f1"


def test_parse_published_forms():
    assert parse_moment("2024-10-10").day == 10
    assert parse_moment("2024-10-10T23:30:00-02:00").day == 11
    assert parse_moment("not a date") is None
    assert parse_moment(None) is None


def test_per_article_cost_stays_small_with_many_articles():
    index = StoryIndex()
    started = time.perf_counter()
    for number in range(300):
        title, text = (FIRE_1, FIRE_2, SNOW)[number % 3]
        index.add(f"a{number}", f"{text} Номер {number}.", title, "2024-10-10")
    per_article = (time.perf_counter() - started) / 300
    assert per_article < 0.02
    assert len(index.stories()) == 2


FORECAST = (
    "Прогноз погоды на {day} ноября",
    "По информации гидрометцентра, в пятницу, {day} ноября, в области ожидается слабый "
    "снег. Ветер северо-западный, 7-12 метров в секунду. Температура ночью -10, днем -5.",
)


def forecast(day: int) -> tuple[str, str]:
    title, text = FORECAST
    return title.format(day=day), text.format(day=day)


def test_event_days_keep_current_days_and_drop_background_years():
    text = (
        "Авария произошла 5 ноября на трассе. Напомним, похожая авария случилась 5 июля 2019 года."
    )
    fifth_november, fifth_july = (date(2000, m, 5).timetuple().tm_yday for m in (11, 7))
    published = "2019-11-06"
    assert event_days(dates(text, published), parse_moment(published)) == {fifth_november}
    # without a publication date: undated days and the latest year's
    assert event_days(dates(text)) == {fifth_november, fifth_july}
    full = "Заседание прошло 4 мая 2020 года, а 2 мая 2016 года он был назначен."
    assert event_days(dates(full)) == {date(2000, 5, 4).timetuple().tm_yday}
    background = "Курс впервые с 16 марта 2022 года превысил 110 рублей."
    assert event_days(dates(background, "2024-11-27"), parse_moment("2024-11-27")) == frozenset()
    assert event_days(dates("Погода без дат.")) == frozenset()
    yesterday = "Вчера в городе прошел митинг."  # a relative day is not written out
    assert dates(yesterday, "2024-11-27")
    assert event_days(dates(yesterday, "2024-11-27"), parse_moment("2024-11-27")) == frozenset()


def test_days_apart_wraps_around_new_year():
    assert days_apart({366}, {2}) == 2
    assert days_apart({10, 100}, {95}) == 5


def test_forecasts_for_different_days_are_different_stories():
    index = StoryIndex()
    eighth, eighth_again, sixteenth, ninth = (
        index.document(text, title, dates=dates(text))
        for title, text in (forecast(8), forecast(8), forecast(16), forecast(9))
    )
    same, score = index.same_story(eighth, sixteenth)
    assert not same and score >= index.threshold
    assert index.veto(eighth, sixteenth) == "days"
    assert index.same_story(eighth, eighth_again)[0]
    assert DAYS_APART[0] > 1 and index.same_story(eighth, ninth)[0]  # adjacent days: one event


def test_distant_days_are_background_not_conflict():
    index = StoryIndex()
    first_text = FIRE_1[1] + " Пожар начался 5 ноября."
    second_text = FIRE_2[1] + " Напомним, 1 августа здесь уже горел склад."
    first = index.document(first_text, FIRE_1[0], dates=dates(first_text))
    second = index.document(second_text, FIRE_2[0], dates=dates(second_text))
    assert conflict(first, second) is None
    assert index.same_story(first, second)[0]


def test_lead_is_title_and_first_sentences():
    text = "Заголовок новости\nПервое предложение. Второе предложение! Третье предложение."
    assert lead(text) == "Заголовок новости Первое предложение. Второе предложение!"


HELD = (
    "В Иерусалиме заложили памятник блокадникам",
    "Церемония закладки первого камня памятника защитникам блокадного Ленинграда прошла в "
    "Иерусалиме. Капсулу с землей заложили в основание памятника.",
)
ANNOUNCED = (
    "В Иерусалиме заложат памятник блокадникам",
    "Церемония закладки первого камня памятника защитникам блокадного Ленинграда "
    "пройдет в Иерусалиме. Капсулу с землей заложат в основание памятника.",
)


def test_tense_veto_is_optional():
    assert lead_tense(HELD[0] + "\n" + HELD[1]) == "past"
    assert lead_tense(ANNOUNCED[0] + "\n" + ANNOUNCED[1]) == "future"
    assert (
        lead_tense("Суд рассматривает дело. Решение будет вынесено завтра, сказал судья.") is None
    )  # mixed tenses: no evidence
    for veto, expected in ((False, True), (True, False)):
        index = StoryIndex(tense_veto=veto)
        held, announced = (index.document(text, title) for title, text in (HELD, ANNOUNCED))
        same, score = index.same_story(held, announced)
        assert same is expected and score >= index.threshold


def test_add_keeps_conflicting_days_apart():
    index = StoryIndex()

    def add(key: str, title: str, text: str, published: str) -> str:
        return index.add(key, text, title, published, dates=dates(text, published))

    assert add("w8", *forecast(8), "2024-11-07") == "w8"
    assert add("w16", *forecast(16), "2024-11-08") == "w16"
    title, text = forecast(8)
    assert add("w8b", title, text + " Гололед.", "2024-11-07") == "w8"
