"""HTML pages and RSS/Atom feeds become articles with the right title, date, source and text."""

from __future__ import annotations

import pytest
from conftest import shared_path

from letopis.errors import InputError
from letopis.ingest.feeds import read_feed
from letopis.ingest.html import read_html
from letopis.ingest.readers import Problems
from letopis.ingest.sources import Kind, detect, read_inputs, sniff
from letopis.ingest.telegram import read_telegram


def _html(name: str):
    path = shared_path("data/tgcontest-html") / name
    return read_html(path.read_bytes(), name=str(path), id=path.stem)


def _feed(name: str):
    path = shared_path("data/rss-fixtures-ua") / name
    return read_feed(path.read_bytes(), name=str(path))


# ---- HTML ----------------------------------------------------------------------------------


def test_html_page_gives_title_timestamp_site_url_and_main_text():
    article = _html("4042890082496547000.html")
    assert article.title == "В Госдуме обсудили идею переноса майских праздников"
    assert article.published == "2020-04-27T00:05:00+00:00"
    assert article.source == "ВашГород.ру"
    assert article.url == "https://vashgorod.ru/news/1132992"
    assert article.id == "4042890082496547000"
    assert article.text.startswith(article.title)
    assert "Ярослав Нилов выступил против этого предложения" in article.text
    assert "<" not in article.text


def test_html_pages_from_other_sites():
    shmygal = _html("4169793923571739984.html")
    assert shmygal.title == "Шмыгаль объяснил увольнение Нефедова и Верланова"
    assert shmygal.source == "ВРЕМЯ"
    assert shmygal.published.startswith("2020-04-27")
    assert "премьер-министр Денис Ш" in shmygal.text
    lebanon = _html("4311596830716234434.html")
    assert lebanon.title == "Ливанская «всеобщая мобилизация» смягчает меры борьбы с коронавирусом"
    assert lebanon.published == "2020-04-27T00:39:00+00:00"
    assert lebanon.source == "EADaily"
    assert "Ливан с сегодняшнего дня ослабляет некоторые ограничения" in lebanon.text


def test_all_thirty_pages_read_with_title_date_and_text():
    problems = Problems()
    articles = list(read_inputs([str(shared_path("data/tgcontest-html"))], problems))
    assert problems.errors == []
    assert len(articles) == 30
    assert len({a.id for a in articles}) == 30
    for article in articles:
        assert article.title and article.url and article.source
        assert article.published.startswith("2020-04-2")
        assert len(article.text) > len(article.title) + 200


@pytest.mark.parametrize(
    "content", [b"", b"   ", b"<html><body><div></div></body></html>", b"\x00\x01\x02 binary"]
)
def test_html_without_article_text_is_a_one_line_error(content):
    with pytest.raises(InputError) as error:
        read_html(content, name="broken.html")
    assert str(error.value).startswith("broken.html: ")
    assert "\n" not in str(error.value)


def test_unclosed_html_still_gives_its_text():
    page = (
        "<html><head><title>Митинг в Хабаровске</title></head><body><article><p>"
        + "Жители Хабаровска снова вышли на улицы в поддержку бывшего губернатора. " * 5
    )
    article = read_html(page.encode("utf-8"), name="unclosed.html")
    assert "Жители Хабаровска снова вышли" in article.text


# ---- feeds ---------------------------------------------------------------------------------


def test_windows_1251_feed_decodes_with_titles_dates_and_text():
    articles = _feed("stub_pravda_rss.xml")
    assert len(articles) == 20
    first = articles[0]
    assert first.title == 'День сердца: инфаркты и инсульты значительно "помолодели"'
    assert first.published == "2020-09-29T15:00:00+03:00"
    assert first.source == "Украинская правда"
    assert first.url == "https://life.pravda.com.ua/columns/2020/09/29/242489/"
    assert 'Этот день проходит под девизом "Сердце для жизни"' in first.text
    second = articles[1]
    assert second.title == (
        "В Украине усиливают ответственность за продажу электронных сигарет детям"
    )
    assert second.published == "2020-09-29T14:59:24+03:00"
    # Mis-decoded cp1251 shows up as Latin-1 letters; none may remain.
    assert not any(ch in a.text for a in articles for ch in "ÐÑÃâ")


def test_summary_only_items_keep_summary_and_link():
    articles = _feed("stub_liga_rss.xml")
    assert len(articles) == 20
    first = articles[0]
    assert first.title == (
        "Украина в день местных выборов перейдет на зимнее время: куда переводить стрелки"
    )
    assert first.text == f"{first.title}\n\n25 октября в Украине пройдут местные выборы"
    assert first.url.startswith("https://news.liga.net/society/news/ukraina-v-den-mestnyh")
    assert first.published == "2020-09-29T15:05:59+03:00"
    assert first.source == "ЛІГА.Новости"


def test_full_text_items_give_the_whole_article_as_paragraphs():
    articles = _feed("stub_ukranews_rss.xml")
    assert [a.title for a in articles] == [
        "Херсонский губернатор Гусев купил квартиру в кредит",
        "Из-за сухого лета херсонские аграрии потеряли часть урожая ранних зерновых",
    ]
    text = articles[0].text
    assert "Глава Херсонской обладминистрации Юрий Гусев купил квартиру в кредит." in text
    assert "Об этом он сказал в интервью Українським Новинам." in text
    assert "<p>" not in text and "&lt;" not in text
    assert text.count("\n\n") >= 5


def test_all_four_feeds_read_through_detection():
    problems = Problems()
    articles = list(read_inputs([str(shared_path("data/rss-fixtures-ua"))], problems))
    assert problems.errors == []
    assert len(articles) == 20 + 20 + 2 + 50
    assert all(a.published and a.title and a.url for a in articles)


@pytest.mark.parametrize(
    "content",
    [b"this is not XML at all", b'{"items": []}', b"<html><body><p>a web page</p></body></html>"],
)
def test_a_feed_that_is_not_xml_is_a_one_line_error(content):
    with pytest.raises(InputError) as error:
        read_feed(content, name="news.xml")
    message = str(error.value)
    assert message.startswith("news.xml: not an RSS/Atom feed")
    assert "\n" not in message


def test_atom_feed_items():
    atom = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Лента</title>
<entry><title>Лавров встретился с Ван И</title><link href="https://example.org/1"/>
<id>urn:1</id><updated>2024-03-01T10:00:00+03:00</updated>
<content type="html">&lt;p&gt;Министры обсудили ситуацию.&lt;/p&gt;
&lt;p&gt;Второй абзац.&lt;/p&gt;</content>
</entry></feed>""".encode()
    [article] = read_feed(atom, name="atom.xml")
    assert article.id == "urn:1"
    assert article.published == "2024-03-01T10:00:00+03:00"
    assert article.text == (
        "Лавров встретился с Ван И\n\nМинистры обсудили ситуацию.\n\nВторой абзац."
    )
    assert article.source == "Лента"


# ---- detection -----------------------------------------------------------------------------


def test_detect_by_name_and_by_content(tmp_path):
    assert detect("https://example.org/feed") is Kind.URL
    assert detect("-") is Kind.STDIN
    assert detect(str(tmp_path)) is Kind.DIRECTORY
    unnamed = tmp_path / "download"
    unnamed.write_bytes(shared_path("data/rss-fixtures-ua/stub_pravda_rss.xml").read_bytes())
    assert detect(str(unnamed)) is Kind.FEED
    assert sniff(b"<!DOCTYPE html><html><body>") is Kind.HTML
    assert sniff(b'{"id": "1", "text": "..."}\n') is Kind.JSONL
    assert sniff("Заголовок\nТекст".encode()) is Kind.TXT
    with pytest.raises(InputError, match="no such file"):
        detect(str(tmp_path / "missing.txt"))


def test_bad_inputs_are_reported_one_line_each_and_others_still_read(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("Заголовок\nПутин провёл совещание с членами Совбеза.", encoding="utf-8")
    not_xml = tmp_path / "feed.rss"
    not_xml.write_text("just text", encoding="utf-8")
    broken = tmp_path / "page.html"
    broken.write_bytes(b"<html><body></body></html>")
    problems = Problems()
    names = [str(not_xml), str(broken), str(tmp_path / "absent.jsonl"), str(good)]
    articles = list(read_inputs(names, problems))
    assert [a.id for a in articles] == ["good"]
    assert len(problems.errors) == 3
    assert all("\n" not in e for e in problems.errors)
    assert problems.errors[0].startswith(f"{not_xml}: not an RSS/Atom feed")
    assert problems.errors[1] == f"{broken}: no article text found in the HTML"


# ---- Telegram ------------------------------------------------------------------------------


def test_telegram_channel_json_reads_every_post():
    path = shared_path("data/tg-news-posts-2024/raw") / "1001000724666_messages.json"
    articles = list(read_telegram(path))
    assert len(articles) > 500
    first = articles[0]
    assert first.id == "tg-1000724666-11877"
    assert first.source == "Naked Science"
    assert first.published == "2024-12-04T09:00:28+00:00"
    assert first.url == "https://t.me/c/1000724666/11877"
    assert first.text.startswith("В Китае нашли ударный кратер необычной формы")
    assert len({a.id for a in articles}) == len(articles)


def test_telegram_desktop_export_layout(tmp_path):
    path = tmp_path / "result.json"
    path.write_text(
        """{"name": "Канал", "id": 42, "messages": [
      {"id": 1, "type": "service", "date": "2024-01-01T10:00:00", "text": ""},
      {"id": 2, "type": "message", "date": "2024-01-01T11:00:00",
       "text": ["Шольц ", {"type": "bold", "text": "позвонил"}, " Макрону"]},
      {"id": 3, "type": "message", "date": "2024-01-01T12:00:00", "text": ""}]}""",
        encoding="utf-8",
    )
    problems = Problems()
    [article] = read_telegram(path, problems)
    assert article.text == "Шольц позвонил Макрону"
    assert article.source == "Канал" and article.published == "2024-01-01T11:00:00"
    assert problems.warnings == [f"{path}: 1 posts without text skipped"]
