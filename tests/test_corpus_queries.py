"""Every query and export on a small real corpus (HTML pages, a windows-1251 feed, Telegram
posts), through the Python API and the CLI, on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter

import pytest
from corpus_fixtures import real_corpus  # noqa: F401  (fixture)
from typer.testing import CliRunner

from letopis.cli import app
from letopis.corpus.dedup import content_hash
from letopis.errors import InputError
from letopis.store import models

runner = CliRunner()


def _cli(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False)


def test_ingest_summary_counts_every_input(real_corpus):  # noqa: F811
    corpus, summary, _ = real_corpus
    assert summary.failed == []
    assert summary.read == 8 + 20 + 14
    counts = corpus.counts()
    assert counts["articles"] == summary.read
    assert counts["analyzed"] == summary.new
    assert counts["exact_duplicates"] == summary.duplicates
    assert 0 < summary.analyzed_seconds <= summary.seconds
    assert summary.articles_per_second == summary.new / summary.analyzed_seconds


def test_reposts_are_exact_duplicates(real_corpus):  # noqa: F811
    corpus, summary, _ = real_corpus
    with corpus.store.session() as session:
        texts = [a.text for a in session.query(models.Article).order_by(models.Article.id)]
    repeated = sum(n - 1 for n in Counter(map(content_hash, texts)).values())
    assert summary.duplicates == repeated
    assert repeated > 0, "the two mirror channels repost each other; the sample should show it"


def test_reingesting_is_a_no_op(real_corpus, tmp_path):  # noqa: F811
    from corpus_fixtures import real_inputs

    corpus, summary, _ = real_corpus
    before = corpus.counts()
    again = corpus.ingest(real_inputs(tmp_path))
    assert again.new == again.duplicates == 0
    assert again.already_stored == summary.read
    assert corpus.counts() == before


def test_events_filter_by_actor_type_country_and_date(real_corpus):  # noqa: F811
    corpus, _, _ = real_corpus
    everything = corpus.events()
    assert everything, "the event coder found no events in ~40 news articles"
    assert sum(e.mentions for e in everything) >= len(everything)
    with_actor = [e for e in everything if e.actors and e.actors[0].name]
    name = Counter(e.actors[0].name for e in with_actor).most_common(1)[0][0]
    found = corpus.events(actor=name)
    assert found and all(e.actors for e in found)  # matched by name or a canonical alias
    assert {e.id for e in found} >= {e.id for e in with_actor if e.actors[0].name == name}
    event_type = Counter(e.type for e in everything).most_common(1)[0][0]
    typed = corpus.events(type=event_type.lower())
    assert typed and {e.type for e in typed} == {event_type}
    assert len(typed) == sum(e.type == event_type for e in everything)
    dated = sorted(e.date for e in everything if e.date and len(e.date) == 10)
    middle = dated[len(dated) // 2]
    later = corpus.events(date_from=middle)
    assert later and all(e.date >= middle for e in later)
    earlier = corpus.events(date_to=middle)
    assert all(e.date <= middle + "\uffff" for e in earlier)
    assert {e.id for e in later} | {e.id for e in earlier} >= {
        e.id for e in everything if e.date and len(e.date) == 10
    }
    countries = Counter(p.country for e in everything for p in e.actors + e.recipients if p.country)
    if countries:
        code = countries.most_common(1)[0][0]
        assert corpus.events(country=code)
    with pytest.raises(InputError, match="not a date"):
        corpus.events(date_from="вчера")


def test_events_link_back_to_articles_and_sentences(real_corpus):  # noqa: F811
    corpus, _, _ = real_corpus
    for event in corpus.events():
        assert event.reports and len({r.article for r in event.reports}) == event.articles
        for report in event.reports:
            assert report.trigger and report.sentence


def test_search_finds_articles_by_any_word_form(real_corpus):  # noqa: F811
    corpus, _, _ = real_corpus
    hits = corpus.search("Госдуме")
    assert "4042890082496547000" in {h.key for h in hits}
    heart = corpus.search("инсультами")
    assert [h.title for h in heart][:1] == [
        'День сердца: инфаркты и инсульты значительно "помолодели"'
    ]
    assert corpus.search("абракадабра") == []


def test_entities_are_canonical_with_counts(real_corpus):  # noqa: F811
    corpus, _, _ = real_corpus
    found = corpus.entities(limit=None)
    assert found
    assert found == sorted(found, key=lambda e: (-e.articles, -e.mentions, e.id))
    assert all(e.mentions >= e.articles >= 1 for e in found)
    assert {e.type for e in found} <= {"PER", "ORG", "LOC"}
    ukraine = corpus.entities(name="Украина")
    assert ukraine and ukraine[0].type == "LOC" and ukraine[0].articles >= 2


def test_stories_group_articles(real_corpus):  # noqa: F811
    corpus, _, _ = real_corpus
    stories = corpus.stories(min_articles=2, limit=None)
    assert stories, "reposts alone make stories of two or more articles"
    assert all(s.articles >= 2 and s.headlines for s in stories)
    assert (
        sum(s.articles for s in corpus.stories(min_articles=1, limit=None))
        == corpus.counts()["articles"]
    )


def test_timeline_of_an_entity(real_corpus):  # noqa: F811
    corpus, _, _ = real_corpus
    top = corpus.entities(limit=1)[0]
    timeline = corpus.timeline(top.name)
    assert timeline.entity.id == top.id
    assert sum(d.articles for d in timeline.days) == top.articles
    assert [d.day for d in timeline.days] == sorted(d.day for d in timeline.days)
    with pytest.raises(InputError, match="no entity called"):
        corpus.timeline("Несуществующий Человек")


def test_export_jsonl_records_and_plover(real_corpus, tmp_path):  # noqa: F811
    corpus, summary, _ = real_corpus
    path = tmp_path / "records.jsonl"
    assert corpus.export("jsonl", path) == summary.new
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert len(records) == summary.new
    assert all(set(r) >= {"id", "text", "entities", "events", "places", "dates"} for r in records)
    plover = tmp_path / "plover.jsonl"
    corpus.export("plover", plover)
    rows = [json.loads(line) for line in plover.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in rows] == [r["id"] for r in records]
    assert all("event_type" in e for r in rows for e in r["events"])


def test_export_csv_and_parquet(real_corpus, tmp_path):  # noqa: F811
    import pandas

    corpus, _, _ = real_corpus
    events = corpus.events()
    out = io.StringIO()
    assert corpus.export("csv", out) == len(events)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert [int(r["id"]) for r in rows] == [e.id for e in events]
    path = tmp_path / "events.parquet"
    corpus.export("parquet", path)
    frame = pandas.read_parquet(path)
    assert len(frame) == len(events)
    assert list(frame["type"]) == [e.type for e in events]
    assert frame["articles"].sum() == sum(e.articles for e in events)


# ---- the CLI on the same corpus ------------------------------------------------------------


def test_cli_events_in_three_formats(real_corpus):  # noqa: F811
    corpus, _, url = real_corpus
    events = corpus.events()
    as_json = json.loads(_cli("events", "--db", url, "--format", "json").stdout)
    assert [e["id"] for e in as_json] == [e.id for e in events]
    as_csv = list(csv.DictReader(io.StringIO(_cli("events", "--db", url, "-f", "csv").stdout)))
    assert len(as_csv) == len(events)
    table = _cli("events", "--db", url, "--type", events[0].type)
    assert table.exit_code == 0 and events[0].type in table.stdout


def test_cli_search_entities_stories(real_corpus):  # noqa: F811
    corpus, _, url = real_corpus
    found = json.loads(_cli("search", "Госдума", "--db", url, "-f", "json").stdout)
    assert "4042890082496547000" in {h["key"] for h in found}
    entities = json.loads(_cli("entities", "--db", url, "-f", "json", "-n", "5").stdout)
    assert [e["id"] for e in entities] == [e.id for e in corpus.entities(limit=5)]
    assert _cli("entities", "--db", url).exit_code == 0
    stories = json.loads(_cli("stories", "--db", url, "-f", "json").stdout)
    assert [s["id"] for s in stories] == [s.id for s in corpus.stories()]
    assert _cli("stories", "--db", url).exit_code == 0


def test_cli_timeline_with_plot(real_corpus, tmp_path):  # noqa: F811
    corpus, _, url = real_corpus
    top = corpus.entities(limit=1)[0]
    png = tmp_path / "timeline.png"
    result = _cli("timeline", top.name, "--db", url, "--plot", str(png))
    assert result.exit_code == 0
    assert top.name in result.stdout and "articles" in result.stdout
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_cli_export_parquet_opens_in_pandas(real_corpus, tmp_path):  # noqa: F811
    import pandas

    corpus, _, url = real_corpus
    path = tmp_path / "events.parquet"
    assert _cli("export", "--format", "parquet", "--output", str(path), "--db", url).exit_code == 0
    assert len(pandas.read_parquet(path)) == len(corpus.events())
    jsonl = _cli("export", "--format", "jsonl", "--db", url).stdout.splitlines()
    assert len(jsonl) == corpus.counts()["analyzed"]


def test_stored_records_keep_titles_dates_and_sources(real_corpus):  # noqa: F811
    corpus, _, _ = real_corpus
    records = {r.id: r for r in corpus.records()}
    page = records["4042890082496547000"]
    assert page.title == "В Госдуме обсудили идею переноса майских праздников"
    assert page.published == "2020-04-27T00:05:00+00:00"
    assert page.source == "ВашГород.ру" and page.url == "https://vashgorod.ru/news/1132992"
    feed_item = records["https://life.pravda.com.ua/columns/2020/09/29/242489/"]
    assert feed_item.title == 'День сердца: инфаркты и инсульты значительно "помолодели"'
    assert feed_item.published == "2020-09-29T15:00:00+03:00"
    assert feed_item.source == "Украинская правда"
    assert "Сердце для жизни" in feed_item.text
