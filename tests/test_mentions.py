"""The "mentions" component on its own sentences, through the real nlp layer."""

from __future__ import annotations

import pytest

from letopis import Pipeline
from letopis.extract.mentions import load_rules
from letopis.ingest.article import Article


@pytest.fixture(scope="module")
def mentions_pipeline() -> Pipeline:
    return Pipeline(components=("nlp", "mentions"))


def spans_of(pipeline: Pipeline, text: str) -> dict[str, tuple[str, str]]:
    doc = pipeline.process(Article(id="t", text=text))
    for span in doc.spans:  # every span is consistent with the text and the tokens
        assert doc.text[span.start : span.end] == span.text
        assert doc.tokens[span.tokens.start].start == span.start
        assert doc.tokens[span.tokens.stop - 1].end == span.end
    return {span.text: (span.type, span.normal) for span in doc.spans}


@pytest.mark.parametrize(
    ("text", "mention", "normal"),
    [
        (
            "Пресс-секретарь МИДа Норвегии отказался от комментариев.",
            "МИДа Норвегии",
            "МИД Норвегии",
        ),
        (
            "Вчера Совет безопасности ООН собрался на заседание.",
            "Совет безопасности ООН",
            "Совет безопасности ООН",
        ),
        (
            "Заявление правительства Казахстана опубликовано вчера.",
            "правительства Казахстана",
            "правительство Казахстана",
        ),
        ("В этом убеждены в Минобороны РФ и в полиции.", "Минобороны РФ", "Минобороны РФ"),
        (
            "Иск подан в Верховный суд Испании в марте.",
            "Верховный суд Испании",
            "Верховный суд Испании",
        ),
    ],
)
def test_nested_organisation_is_one_mention(mentions_pipeline, text, mention, normal):
    spans = spans_of(mentions_pipeline, text)
    assert spans[mention] == ("ORG", normal)
    inner = mention.split()[-1]
    assert inner not in spans  # the place is no longer a mention of its own


def test_place_that_is_not_a_dependent_stays_a_place(mentions_pipeline):
    spans = spans_of(mentions_pipeline, "Посольство США в России сообщило о встрече.")
    assert spans["Посольство США"][0] == "ORG"
    assert spans["России"] == ("LOC", "Россия")


def test_boundaries_titles_and_aliases(mentions_pipeline):
    spans = spans_of(
        mentions_pipeline,
        "Император Акихито принял посла. Рэпер Джей Зи (Jay Z) выступил в Москве.\n"
        "Акции ЗАО «Ренова» выросли.",
    )
    assert spans["Акихито"][0] == "PER"
    assert "Император Акихито" not in spans
    assert spans["Джей Зи"][0] == "PER"
    assert spans["Jay Z"][0] == "PER"
    assert spans["Ренова"][0] == "ORG"


def test_complement_with_po_belongs_to_the_name(mentions_pipeline):
    spans = spans_of(
        mentions_pipeline, "Жалобу рассмотрит Европейский суд по правам человека в Страсбурге."
    )
    assert spans["Европейский суд по правам человека"][0] == "ORG"
    assert spans["Страсбурге"][0] == "LOC"


def test_name_repeated_without_ner_tag_is_found(mentions_pipeline):
    text = (
        "Главным тренером клуба стал Жолт Хорняк. По словам Хорняка, команда готова. "
        "Кто из игроков уйдёт, пока неизвестно."
    )
    doc = mentions_pipeline.process(Article(id="t", text=text))
    persons = [span.text for span in doc.spans if span.type == "PER"]
    assert "Жолт Хорняк" in persons
    assert "Хорняка" in persons
    assert "Кто" not in persons


def test_correct_spans_are_kept(mentions_pipeline):
    spans = spans_of(
        mentions_pipeline, "Владимир Путин провёл переговоры с Си Цзиньпином в Пекине."
    )
    assert spans["Владимир Путин"][0] == "PER"
    assert spans["Си Цзиньпином"][0] == "PER"
    assert spans["Пекине"] == ("LOC", "Пекин")


def test_rules_are_loaded_from_data():
    rules = load_rules()
    assert {"мид", "правительство", "посольство", "министерство"} <= rules.org_heads
    assert "император" in rules.person_titles
    assert "зао" in rules.legal_forms


def test_initials_and_leading_words(mentions_pipeline):
    spans = spans_of(
        mentions_pipeline,
        "Вчера Б.Обама охарактеризовал Дж.Коми как профессионала. Роль сыграл Макс фон Сюдов.",
    )
    assert spans["Б.Обама"][0] == "PER"
    assert spans["Дж.Коми"][0] == "PER"
    assert "Дж" not in spans and "Вчера Б.Обама" not in spans
    assert spans["Макс фон Сюдов"][0] == "PER"


def test_seat_of_power_is_an_organisation(mentions_pipeline):
    spans = spans_of(mentions_pipeline, "В пятницу в Кремле заявили, что Пентагон ошибается.")
    assert spans["Кремле"][0] == "ORG"
    assert spans["Пентагон"][0] == "ORG"


def test_bracketed_abbreviation_is_not_joined(mentions_pipeline):
    spans = spans_of(
        mentions_pipeline,
        "Об этом сообщила Федеральная служба по надзору в сфере связи (Роскомнадзор) в среду.",
    )
    assert spans["Федеральная служба по надзору в сфере связи"][0] == "ORG"
    assert spans["Роскомнадзор"][0] == "ORG"
