"""Property-based fuzzing of `analyze` and of every reader: random Unicode (lone surrogates,
rare scripts, NUL, right-to-left marks, emoji), unpunctuated runs, repeated trigger words, digits
and odd `published` values. Whatever comes in, no exception but InputError escapes, every record
follows the JSON Schema, and every offset points into the text."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import letopis
from letopis.errors import InputError
from letopis.ingest.feeds import read_feed
from letopis.ingest.html import read_html
from letopis.ingest.readers import Problems
from letopis.ingest.sources import Kind, read_one
from letopis.ingest.telegram import telegram_articles
from letopis.schema import validate

FUZZ = settings(
    max_examples=60,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
READER_FUZZ = settings(FUZZ, max_examples=100)

WORDS = ["Путин", "ввели", "санкции", "против", "России", "встретился", "с", "Токаевым", "в"]
WORDS += ["Москве", "атаковали", "Киев", "протестующие", "задержали", "2024", "года", "заявил"]
RARE = "\U00017000\U0001b170\u0f00\u1200\u05d0\u0627\u202e\u200f\u2066\U0001f600\ufdfd\x00"

any_char = st.characters(codec=None, categories=None)  # surrogates and controls included
rare_text = st.text(st.sampled_from(list(RARE) + list("ПутинКиев .,\n")), max_size=200)
unpunctuated = st.lists(st.sampled_from(WORDS), min_size=1, max_size=400).map(" ".join)
repeated = st.integers(1, 300).map(lambda n: "ввели санкции " * n)
digits = st.text(st.sampled_from("0123456789 .-:/\n"), min_size=1, max_size=300)
texts = st.one_of(st.text(any_char, max_size=300), rare_text, unpunctuated, repeated, digits)
published = st.one_of(
    st.none(),
    st.dates().map(str),
    st.datetimes().map(lambda d: d.isoformat()),
    st.text(any_char, max_size=30),
    st.sampled_from(["9999-12-30", "0001-01-01", "2024-02-30", "2024-13-01", "2024-05-01Z"]),
)


def _check(record) -> None:
    data = record.to_dict()
    validate(data)
    length = len(data["text"])
    spans = [m for group in data["entities"] + data["places"] for m in group["mentions"]]
    spans += data["dates"]
    for event in data["events"]:
        spans += event["actors"] + event["recipients"] + [event["trigger"]]
        for mention in event["mentions"]:
            assert 0 <= mention["sentence_start"] <= mention["trigger_start"]
            assert mention["trigger_end"] <= mention["sentence_end"] <= length
    for span in spans:
        assert 0 <= span["start"] <= span["end"] <= length


@FUZZ
@given(text=texts, date=published)
def test_analyze_survives_anything(pipeline, text, date):
    try:
        article = letopis.Article(
            id="fuzz", text=text, published=letopis.ingest.article.normalise_published(date)
        )
    except InputError:
        return  # the published value is refused in one line: fine
    try:
        record = pipeline.analyze(article)
    except InputError:
        assert not article.text.strip()  # only an empty text is refused here
        return
    _check(record)


json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(any_char, max_size=20)),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=20,
)
posts = st.lists(
    st.one_of(
        json_values,
        st.fixed_dictionaries(
            {
                "message_id": st.one_of(st.integers(), st.text(max_size=5), json_values),
                "text": st.one_of(texts, st.lists(st.one_of(texts, json_values), max_size=3)),
                "date": published,
                "sender_id": json_values,
                "channel": json_values,
            }
        ),
    ),
    max_size=5,
)


def _articles_ok(articles) -> None:
    for article in articles:
        assert isinstance(article.id, str) and isinstance(article.text, str)
        for value in (article.title, article.source, article.url, article.published):
            assert value is None or isinstance(value, str)
        assert "\x00" not in article.text and len(article.id) <= 200


@READER_FUZZ
@given(data=st.one_of(posts, st.fixed_dictionaries({"messages": posts}), json_values))
def test_telegram_reader_survives_any_json(data):
    with contextlib.suppress(InputError):
        _articles_ok(list(telegram_articles(data, "fuzz.json", Problems())))


jsonl_lines = st.lists(
    st.one_of(
        json_values.map(json.dumps),
        st.fixed_dictionaries(
            {"text": texts, "id": json_values, "title": json_values, "published": published}
        ).map(json.dumps),
        st.text(any_char, max_size=50),
    ),
    max_size=5,
)
documents = st.one_of(
    st.binary(max_size=500),
    jsonl_lines.map(lambda ls: "\n".join(ls).encode("utf-8", "surrogatepass")),
)


@READER_FUZZ
@given(content=documents, kind=st.sampled_from([Kind.TXT, Kind.JSONL, Kind.TELEGRAM]))
def test_file_readers_survive_any_bytes(tmp_path_factory, content, kind):
    path = Path(tmp_path_factory.mktemp("fuzz")) / f"input.{kind.value}"
    path.write_bytes(content)
    with contextlib.suppress(InputError):
        _articles_ok(list(read_one(str(path), kind, Problems())))


markup = st.lists(
    st.one_of(
        texts,
        st.sampled_from(["<p>", "</p>", "<item>", "</item>", "<title>", "</title>", "<br/>"]),
        st.sampled_from(["<rss><channel>", "</channel></rss>", "<!DOCTYPE x>", "&amp;", "&#0;"]),
    ),
    max_size=12,
).map("".join)


@READER_FUZZ
@given(page=markup)
def test_feed_and_html_readers_survive_any_markup(page):
    content = page.encode("utf-8", "surrogatepass")
    with contextlib.suppress(InputError):
        _articles_ok(read_feed(content, name="fuzz.xml"))
    with contextlib.suppress(InputError):
        _articles_ok([read_html(content, name="fuzz.html")])
