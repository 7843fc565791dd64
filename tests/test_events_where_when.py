"""Place and date of events (codebook §3.8) on sentences written for these tests."""

from __future__ import annotations

import pytest

from letopis.ingest.article import Article
from letopis.pipeline import Pipeline
from letopis.record import Event
from tests.conftest import rules_pipeline

PUBLISHED = "2024-03-10"


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return rules_pipeline()


def event(pipeline: Pipeline, text: str, trigger: str) -> Event:
    record = pipeline.analyze(Article(id="t", text=text, published=PUBLISHED))
    found = [e for e in record.events if e.trigger.text == trigger]
    assert found, [(e.type, e.trigger.text) for e in record.events]
    return found[0]


def place_name(ev: Event) -> str | None:
    return ev.place.name if ev.place else None


def test_locative_place_beats_the_actors_country(pipeline):
    text = "Президент Казахстана Касым-Жомарт Токаев встретился с Владимиром Путиным в Москве."
    assert place_name(event(pipeline, text, "встретился")) == "Москва"


def test_city_beats_its_country(pipeline):
    text = "Полиция задержала десять активистов в Николаеве, Украина."
    ev = event(pipeline, text, "задержала")
    assert place_name(ev) == "Николаев"
    assert ev.place is not None and ev.place.feature == "city"


def test_a_place_someone_comes_from_is_not_the_event_place(pipeline):
    text = "Выходцы из Казани задержаны в Москве."
    assert place_name(event(pipeline, text, "задержаны")) == "Москва"


def test_a_participant_country_is_no_place(pipeline):
    text = "Полиция задержала 30 человек. Власти поблагодарили Россию за помощь."
    assert event(pipeline, text, "задержала").place is None
    assert place_name(event(pipeline, text, "поблагодарили")) != "Россия"


def test_each_clause_keeps_its_own_date(pipeline):
    text = "Полиция задержала двадцать человек 8 марта, а суд арестовал их 9 марта."
    assert event(pipeline, text, "задержала").date == "2024-03-08"
    assert event(pipeline, text, "арестовал").date == "2024-03-09"


def test_no_date_when_the_text_gives_none(pipeline):
    ev = event(pipeline, "Полиция задержала 30 человек в Казани.", "задержала")
    assert ev.date is None
    assert place_name(ev) == "Казань"


def test_today_dates_the_event_by_publication(pipeline):
    ev = event(pipeline, "Сегодня полиция задержала 30 человек в Самаре.", "задержала")
    assert ev.date == PUBLISHED


def test_a_deadline_is_not_the_date_of_the_action(pipeline):
    ev = event(pipeline, "Министр пообещал выплатить пенсии до 1 мая.", "пообещал")
    assert ev.date is None


def test_place_falls_back_to_the_paragraph(pipeline):
    text = "В Ереване прошла акция протеста. Полиция задержала 30 человек."
    assert place_name(event(pipeline, text, "задержала")) == "Ереван"


def test_a_date_of_another_sentence_is_not_reused(pipeline):
    text = "Суд арестовал журналиста 1 июля. Позже полиция задержала 40 человек."
    arrested = event(pipeline, text, "арестовал").date
    assert arrested is not None and arrested.endswith("-07-01")
    assert event(pipeline, text, "задержала").date is None
    text = "Видео опубликовали в сети 1 марта. Полиция задержала 40 человек."
    assert event(pipeline, text, "задержала").date is None


def test_the_next_sentence_of_a_story_keeps_its_date(pipeline):
    text = "В Самаре 3 марта прошла акция протеста. Полиция задержала 40 человек."
    assert event(pipeline, text, "задержала").date == "2024-03-03"


def test_then_takes_the_date_named_before(pipeline):
    text = "Суд арестовал журналиста 1 июля 2019 года.\n\nТогда же полиция задержала 40 человек."
    assert event(pipeline, text, "задержала").date == "2019-07-01"


def test_a_day_takes_the_year_of_the_date_before_it(pipeline):
    record = pipeline.analyze(
        Article(
            id="t",
            text="1 июля 2019 года суд арестовал журналиста, а 9 июля полиция задержала его брата.",
        )
    )
    dates = {e.trigger.text: e.date for e in record.events}
    assert dates.get("арестовал") == "2019-07-01"
    assert dates.get("задержала") == "2019-07-09"


def test_story_setting_carries_across_paragraphs(pipeline):
    text = "В Перми прошла акция протеста.\n\nПолиция задержала 30 человек."
    assert place_name(event(pipeline, text, "задержала")) == "Пермь"


def test_digest_items_do_not_share_a_setting(pipeline):
    text = "▪️В Тбилиси прошла акция протеста.\n▪️Полиция задержала 30 человек в ходе рейда."
    assert event(pipeline, text, "задержала").place is None


def test_speaker_country_is_not_the_event_place(pipeline):
    doc = pipeline.process(
        Article(
            id="t",
            text="Беспорядки в Казахстане\nВ Казахстане продолжаются беспорядки.\n"
            "Премьер-министр Армении Никол Пашинян заявил, что совет ОДКБ принял решение "
            "направить миротворческие силы для стабилизации обстановки.",
        )
    )
    aid = [e for e in doc.events if e.type == "AID"]
    assert aid and all(e.place is None or e.place.country == "KAZ" for e in aid)
