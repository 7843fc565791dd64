"""Shared pieces of the batch tests: real Telegram posts, the reference records of one
in-process pipeline, and what a batch output holds, table by table."""

from __future__ import annotations

import json
from pathlib import Path

from corpus_fixtures import telegram_posts, write_telegram_jsonl

from letopis.batch.output import BatchOutput
from letopis.batch.tables import TABLES
from letopis.ingest.readers import Problems
from letopis.ingest.sources import read_inputs

POSTS = 48


def posts_file(directory: Path) -> Path:
    return write_telegram_jsonl(directory / "posts.jsonl", telegram_posts(POSTS))


def reference_records(pipeline, path: Path) -> list[dict]:
    """What `Pipeline.analyze_many` makes of the posts in one process."""
    articles = read_inputs([str(path)], Problems())
    return [record.to_dict() for record in pipeline.analyze_many(articles)]


def output_records(directory: Path) -> list[dict]:
    table = BatchOutput(directory).read_table("articles")
    return [json.loads(data) for data in table.column("record").to_pylist()]


def output_tables(directory: Path) -> dict[str, list[dict]]:
    output = BatchOutput(directory)
    return {name: output.read_table(name).to_pylist() for name in TABLES}


def corpus_snapshot(corpus) -> dict:
    """What a corpus holds, in terms that do not depend on row ids: each article with what it
    duplicates and its story's members; each merged event with its reports' articles; the
    canonical entities; and the answers of the corpus queries."""
    from sqlalchemy import select

    from letopis.store import models

    with corpus.store.session() as session:
        articles = session.execute(
            select(models.Article.id, models.Article.key, models.Article.duplicate_of,
                   models.Article.duplicate_kind, models.Article.story_id)
        ).all()  # fmt: skip
        keys = {row.id: row.key for row in articles}
        stories: dict = {}
        for row in articles:
            stories.setdefault(row.story_id, []).append(row.key)
        reports: dict = {}
        for merged_id, article_id in session.execute(
            select(models.Event.merged_id, models.Event.article_id)
        ):
            reports.setdefault(merged_id, []).append(keys[article_id])
        merged = session.scalars(select(models.MergedEvent)).all()
        canonical = session.scalars(select(models.CanonicalEntity)).all()
        return {
            "articles": sorted(
                (r.key, keys.get(r.duplicate_of), r.duplicate_kind, sorted(stories[r.story_id]))
                for r in articles
            ),
            "merged_events": sorted(
                (
                    m.key,
                    m.type,
                    m.date,
                    m.actors,
                    m.recipients,
                    m.mention_count,
                    sorted(reports.get(m.id, [])),
                )
                for m in merged
            ),  # fmt: skip
            "canonical_entities": sorted(
                (c.key, c.type, c.name, c.country, c.aliases, c.mention_count, c.article_count)
                for c in canonical
            ),
            "events": [_without_id(row) for row in corpus.event_rows()],
            "stories": [
                (s.title, s.first_published, s.last_published, s.articles, s.sources)
                for s in corpus.stories(min_articles=1, limit=None)
            ],
            "entities": [
                (e.name, e.type, e.country, e.aliases, e.mentions, e.articles)
                for e in corpus.entities(limit=None)
            ],
            "counts": corpus.counts(),
        }


def _without_id(row: dict) -> dict:
    return {key: value for key, value in row.items() if key != "id"}
