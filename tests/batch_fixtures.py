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
