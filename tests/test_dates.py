"""The dates component: Russian date expressions found and resolved against the publication date."""

from __future__ import annotations

import re
from datetime import date

import pytest

from letopis.analyze.doc import Doc
from letopis.extract.dates import extract_dates, make_dates
from letopis.registry import FACTORIES

ANCHOR = date(2022, 1, 11)  # a Tuesday


def found(text: str, anchor: date | None = ANCHOR) -> list[tuple[str, str]]:
    return [(m.text, m.value) for m in extract_dates(text, anchor)]


def only(text: str, anchor: date | None = ANCHOR) -> tuple[str, str] | None:
    mentions = found(text, anchor)
    assert len(mentions) <= 1, mentions
    return mentions[0] if mentions else None


@pytest.mark.parametrize(
    ("sentence", "span", "with_anchor", "without_anchor"),
    [
        ("Протесты начались 2 января в Жанаозене.", "2 января", "2022-01-02", "--01-02"),
        ("Указ подписан 10 января 2022 года.", "10 января 2022 года", "2022-01-10", "2022-01-10"),
        ("Документ датирован 10.01.2022 и опубликован.", "10.01.2022", "2022-01-10", "2022-01-10"),
        ("Запись от 2022-01-10 удалили.", "от 2022-01-10", "2022-01-10", "2022-01-10"),
        ("Об этом вчера сообщил МИД.", "вчера", "2022-01-10", None),
        ("Сегодня парламент собрался снова.", "Сегодня", "2022-01-11", None),
        ("Позавчера прошли обыски.", "Позавчера", "2022-01-09", None),
        ("Переговоры продолжатся завтра.", "завтра", "2022-01-12", None),
        ("Министр прилетел в Минск в четверг.", "в четверг", "2022-01-06", None),
        ("На прошлой неделе стороны обменялись нотами.", "На прошлой неделе", "2022-01", None),
        ("На этой неделе суд вынес приговор.", "На этой неделе", "2022-01", None),
        ("Утром 6 января начались аресты.", "Утром 6 января", "2022-01-06", "--01-06"),
        (
            "В ночь на 6 января толпа захватила здание.",
            "В ночь на 6 января",
            "2022-01-06",
            "--01-06",
        ),
        (
            "Он выступил 6 января вечером по телевидению.",
            "6 января вечером",
            "2022-01-06",
            "--01-06",
        ),
        ("Выборы прошли в 2021 году.", "в 2021 году", "2021", "2021"),
        ("Саммит пройдёт в начале марта в Москве.", "в начале марта", "2022-03", None),
        ("Закон примут в конце 2021 года.", "в конце 2021 года", "2021", "2021"),
        ("Посол вернулся в марте.", "в марте", "2022-03", None),
        ("Границы закрыли в марте 2020 года.", "в марте 2020 года", "2020-03", "2020-03"),
        ("Визит состоялся 2-го января.", "2-го января", "2022-01-02", "--01-02"),
        ("В марте прошлого года начались протесты.", "В марте прошлого года", "2021-03", None),
        ("Летом 2018 года прошёл чемпионат мира.", "Летом 2018 года", "2018", "2018"),
        ("В прошлом году инфляция выросла.", "В прошлом году", "2021", None),
        (
            "В субботу, 14 марта 2020 года, объявили карантин.",
            "В субботу, 14 марта 2020 года",
            "2020-03-14",
            "2020-03-14",
        ),
    ],
)
def test_expression(sentence: str, span: str, with_anchor: str, without_anchor: str | None):
    assert only(sentence) == (span, with_anchor)
    assert only(sentence, None) == ((span, without_anchor) if without_anchor else None)


@pytest.mark.parametrize(
    ("sentence", "span", "with_anchor", "without_anchor"),
    [
        ("Срок продлили до первого октября.", "до первого октября", "2021-10-01", "--10-01"),
        ("Это было двадцать второе июня.", "двадцать второе июня", "2021-06-22", "--06-22"),
        ("Справка от 24/06/2016 не подошла.", "от 24/06/2016", "2016-06-24", "2016-06-24"),
        ("Его приняли в 2008 и повысили.", "в 2008", "2008", "2008"),
        ("Он вернулся в 2007-м и ушёл.", "в 2007-м", "2007", "2007"),
        ("Фильм «Лили» (1953) забыт.", "1953", "1953", "1953"),
        ("Олимпиада Сочи-2014 закончилась.", "2014", "2014", "2014"),
        ("Иванов (1980 г.р.) задержан.", "1980 г.р.", "1980", "1980"),
        ("Итоги сегодняшнего заседания известны.", "сегодняшнего", "2022-01-11", None),
        ("Решение принято на декабрьском заседании.", "на декабрьском", "2021-12", None),
        (
            "Индекс вырос в первом квартале 2021 года.",
            "в первом квартале 2021 года",
            "2021",
            "2021",
        ),
        ("Цены заморозят до конца года.", "до конца года", "2022", None),
        ("Об этом сообщили в прошлом месяце.", "в прошлом месяце", "2021-12", None),
    ],
)
def test_more_expressions(sentence: str, span: str, with_anchor: str, without_anchor: str | None):
    assert only(sentence) == (span, with_anchor)
    assert only(sentence, None) == ((span, without_anchor) if without_anchor else None)


def test_year_lists_and_seasons():
    assert found("Он играл в сезоне 2016/17 и (1994, 1997).", None) == [
        ("2016", "2016"),
        ("17", "2017"),
        ("1994", "1994"),
        ("1997", "1997"),
    ]
    assert found("Курфюрст (1658-1716) правил долго.", None) == [
        ("1658", "1658"),
        ("1716", "1716"),
    ]


def test_offsets_point_at_the_text():
    text = "Митинг прошёл 5 декабря, а 7 декабря вечером — снова."
    for mention in extract_dates(text, ANCHOR):
        assert text[mention.start : mention.end] == mention.text
    assert found(text) == [("5 декабря", "2021-12-05"), ("7 декабря вечером", "2021-12-07")]


def test_day_month_takes_the_year_within_two_months_after_the_anchor():
    assert only("Это случилось 20 декабря.") == ("20 декабря", "2021-12-20")
    assert only("Это случится 10 марта.") == ("10 марта", "2022-03-10")
    assert only("Это случилось 20 марта.") == ("20 марта", "2021-03-20")
    assert only("Встреча намечена на 10 января.", date(2022, 12, 20)) == (
        "на 10 января",
        "2023-01-10",
    )


def test_weekday_with_a_date_chooses_the_year():
    # 29 June was a Tuesday in 2021 and is a Wednesday in 2022
    assert only("Сессия открылась во вторник, 29 июня.") == ("во вторник, 29 июня", "2021-06-29")
    assert only("Сессия откроется в среду, 29 июня.") == ("в среду, 29 июня", "2022-06-29")
    assert only("Сессия откроется в среду, 29 июня.", None) == ("в среду, 29 июня", "--06-29")


def test_weekday_resolution():
    assert only("Он уехал в понедельник.") == ("в понедельник", "2022-01-10")
    assert only("Он уехал во вторник.") == ("во вторник", "2022-01-11")  # the anchor's own day
    assert only("Он уехал в прошлый вторник.") == ("в прошлый вторник", "2022-01-04")
    assert only("Он приедет в следующий четверг.") == ("в следующий четверг", "2022-01-13")
    assert only("Голосование состоится в четверг.") == ("в четверг", "2022-01-13")
    assert only("Обстрел начался в ночь на пятницу.") == ("в ночь на пятницу", "2022-01-07")


def test_week_is_the_month_of_its_thursday():
    # the week before 2022-02-01 runs Monday 24 to Sunday 30 January
    assert only("На прошлой неделе шли бои.", date(2022, 2, 1)) == ("На прошлой неделе", "2022-01")
    # the week of 2022-02-01 runs 31 January to 6 February; Thursday is 3 February
    assert only("На этой неделе шли бои.", date(2022, 2, 1)) == ("На этой неделе", "2022-02")


def test_ranges_give_one_mention_per_end():
    assert found("Праздники продлятся 1-2 января.") == [
        ("1", "2022-01-01"),
        ("2 января", "2022-01-02"),
    ]
    assert found("Миссия работала с 6 по 13 января.", None) == [
        ("с 6", "--01-06"),
        ("по 13 января", "--01-13"),
    ]
    assert found("Форум прошёл с 30 ноября по 1 декабря 2018 года.", None) == [
        ("с 30 ноября", "2018-11-30"),
        ("по 1 декабря 2018 года", "2018-12-01"),
    ]
    assert found("Он правил с 2003 по 2011 годы.", None) == [
        ("с 2003", "2003"),
        ("по 2011 годы", "2011"),
    ]


def test_longest_match_wins_and_mentions_do_not_overlap():
    text = "Утром 6 января 2022 года, в четверг, на прошлой неделе и в 2021 году."
    mentions = extract_dates(text, ANCHOR)
    assert [m.text for m in mentions] == [
        "Утром 6 января 2022 года",
        "в четверг",
        "на прошлой неделе",
        "в 2021 году",
    ]
    assert all(a.end <= b.start for a, b in zip(mentions, mentions[1:], strict=False))
    # "марте прошлого года" is one mention, not "в марте" plus "прошлого года"
    assert found("В марте прошлого года.") == [("В марте прошлого года", "2021-03")]


def test_word_boundaries():
    assert found("Это было 12 января.") == [("12 января", "2022-01-12")]
    assert found("Цена выросла на 1,5 января не бывает.") == []


@pytest.mark.parametrize(
    "sentence",
    [
        "На митинг вышли 2000 человек.",
        "Рост составил 10.5 процента, а 3 из 12 депутатов воздержались.",
        "Марта Иванова ответила на вопросы.",
        "Тереза Мэй и Май встретились.",
        "Ей было 30 лет, ему три года.",
        "Он умер на 102-м году жизни.",
        "Понедельник начался с плохих новостей.",  # a weekday without "в"/"на" is no date
        "Такого не бывает 31 февраля.",
        "Как пишет газета «Сегодня», министр ушёл.",
        "Это случилось в середине 1970-х годов.",
        "Ущерб вырос в 2000 раз.",
        "Зарплата выросла с 1900 рублей.",
        "Цена 1990-2000 рублей.",
        "Ремонт обошёлся в 2019 тысяч.",
        "Ссылаются на Октябрьскую революцию и Майский указ.",
        "Полис 5.10.20 не действует.",
    ],
)
def test_no_false_positive(sentence: str):
    assert found(sentence) == []


def test_sample_article(sample_text: str):
    for anchor, year in ((None, "-"), (ANCHOR, "2022")):
        by_day = {
            re.search(r"\d+ января", m.text).group(): m.value
            for m in extract_dates(sample_text, anchor)
            if "января" in m.text
        }
        assert by_day == {
            "2 января": f"{year}-01-02",
            "6 января": f"{year}-01-06",
            "13 января": f"{year}-01-13",
        }
    for mention in extract_dates(sample_text, None):
        assert sample_text[mention.start : mention.end] == mention.text
        assert re.fullmatch(r"--\d\d-\d\d|\d{4}(-\d\d){0,2}", mention.value)


def test_component_sets_doc_dates():
    assert FACTORIES["dates"].factory is make_dates
    apply = make_dates(None)
    doc = apply(Doc(text="Вчера, 10 января, прошли переговоры.", id="t", published="2022-01-11"))
    assert [(d.text, d.value) for d in doc.dates] == [
        ("Вчера", "2022-01-10"),
        ("10 января", "2022-01-10"),
    ]
    undated = apply(Doc(text="Вчера, 10 января, прошли переговоры.", id="t"))
    assert [(d.text, d.value) for d in undated.dates] == [("10 января", "--01-10")]


def test_an_undated_text_is_anchored_on_its_dateline():
    apply = make_dates(None)
    text = (
        "Навальный вышел на свободу\n"
        "В четверг, 11 июля 2019 года, политик вышел на свободу. Вчера к нему пришли "
        "журналисты, а 12 июля он встретится со сторонниками."
    )
    values = {m.text: m.value for m in apply(Doc(text=text, id="t")).dates}
    assert values["Вчера"] == "2019-07-10"
    assert values["12 июля"] == "2019-07-12"
    published = apply(Doc(text=text, id="t", published="2019-07-20")).dates
    assert {m.text: m.value for m in published}["Вчера"] == "2019-07-19"
