"""`load`: put a batch output into a corpus database. The records are not analyzed again; each
article goes through the corpus's own steps (duplicates, stories, canonical entities, merged
events) in input order, so the corpus is the one `letopis ingest` of the same inputs makes."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from letopis.batch.output import BatchOutput
from letopis.corpus.corpus import Corpus, IngestSummary, Progress
from letopis.ingest.article import Article
from letopis.record import Record


def load(
    directory: str | Path, db: str | None = None, progress: Progress | None = None
) -> IngestSummary:
    """Add every analyzed article of a batch output to the corpus at `db`; the articles whose
    analysis failed in the batch are listed in `failed` with their error."""
    output = BatchOutput(directory)
    with Corpus(db) as corpus:
        summary = corpus.add_records(analyzed_articles(output), progress=progress)
    summary.failed += [f"{row['article_id']}: {row['error']}" for row in output.rows("failures")]
    return summary


def analyzed_articles(output: BatchOutput) -> Iterator[tuple[Article, Record]]:
    """(article, record) of every analyzed article, in input order."""
    for row in output.rows("articles"):
        article = Article(
            id=row["article_id"],
            text=row["text"],
            title=row["title"],
            published=row["published"],
            source=row["source"],
            url=row["url"],
        )
        yield article, Record.from_dict(json.loads(row["record"]))


def total_articles(directory: str | Path) -> int:
    return sum(entry.articles - entry.failures for entry in BatchOutput(directory).shards.values())
