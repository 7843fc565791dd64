"""`letopis analyze PATH...`: records for articles in files or on standard input."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated, TextIO

import typer
from rich.console import Console

from letopis.cli.errors import fail, user_errors
from letopis.cli.options import DEFAULT_MAX_ARTICLE_MB, MaxArticleMb
from letopis.cli.progress import PROGRESS_FROM, progress_bar
from letopis.errors import InputError
from letopis.ingest import limits
from letopis.ingest.article import normalise_published
from letopis.ingest.readers import Problems
from letopis.ingest.sources import read_inputs
from letopis.output import atomic_output
from letopis.record import Record


class Format(StrEnum):
    pretty = "pretty"
    json = "json"
    jsonl = "jsonl"


def analyze_command(
    paths: Annotated[
        list[str],
        typer.Argument(
            help="Articles: .txt (first line is the title), .jsonl (one article a line), "
            "Telegram .json exports, HTML pages, RSS/Atom feeds, directories of them, http(s) "
            "URLs, or - for standard input.",
            show_default=False,
        ),
    ],
    published: Annotated[
        str | None,
        typer.Option(
            help="Publication date (YYYY-MM-DD) that relative and year-less dates resolve "
            "against; a JSONL line's own 'published' field wins."
        ),
    ] = None,
    format: Annotated[
        Format,
        typer.Option("--format", "-f", help="pretty: a readable view; json / jsonl: records."),
    ] = Format.pretty,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here instead of standard output.")
    ] = None,
    min_confidence: Annotated[
        float, typer.Option(min=0.0, max=1.0, help="Drop events less confident than this.")
    ] = 0.0,
    max_article_mb: MaxArticleMb = DEFAULT_MAX_ARTICLE_MB,
    plover: Annotated[
        bool,
        typer.Option(
            help="Emit PLOVER-strict events (future RETREAT -> CONCEDE, future "
            "CONSULT/SUPPORT/COOPERATE/AID -> AGREE, negated dropped) instead of records."
        ),
    ] = False,
) -> None:
    """Analyze Russian news articles: entities, roles, dates, places and events."""
    with user_errors():
        limits.set_max_article_mb(max_article_mb)
        published = normalise_published(published)
        if plover and format is Format.pretty:
            format = Format.jsonl
        stderr = Console(stderr=True)
        problems = Problems(
            notify=lambda message: stderr.print(message, markup=False, soft_wrap=True)
        )
        articles = list(read_inputs(paths, problems, published))
        if not articles and not problems.errors:
            fail("no articles to analyze")
        with _open_output(output) as out:
            records = _analyze(articles, stderr, problems)
            _write(records, format, out, min_confidence, plover)
        if problems.errors:
            stderr.print(
                f"{len(problems.errors)} input(s) could not be analyzed",
                style="red",
                soft_wrap=True,
            )
            raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command("analyze")(analyze_command)


def _analyze(articles, stderr: Console, problems: Problems):
    if not articles:
        return
    from letopis.pipeline import shared_pipeline  # loads the models: only when needed

    pipeline = shared_pipeline()
    progress = progress_bar(stderr, disable=len(articles) < PROGRESS_FROM)
    with progress:
        task = progress.add_task("analyzing", total=len(articles))
        for article in articles:
            try:
                yield pipeline.analyze(article)
            except InputError as error:
                problems.error(str(error))
            progress.advance(task)


def _write(records, format: Format, out: TextIO, min_confidence: float, plover: bool) -> None:
    if format is Format.pretty:
        from letopis.cli.pretty import render

        console = Console(file=out, force_terminal=None if out is sys.stdout else False)
        for record in records:
            render(_filter_events(record, min_confidence), console)
        return
    dicts = (_as_dict(_filter_events(r, min_confidence), plover) for r in records)
    if format is Format.jsonl:
        for item in dicts:
            out.write(json.dumps(item, ensure_ascii=False) + "\n")
            out.flush()
    else:
        items = list(dicts)
        payload = items[0] if len(items) == 1 else items
        out.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")


def _filter_events(record: Record, min_confidence: float) -> Record:
    if min_confidence > 0:
        record.events = [e for e in record.events if e.confidence >= min_confidence]
    return record


def _as_dict(record: Record, plover: bool) -> dict:
    if plover:
        from letopis.extract.events import to_plover

        return to_plover(record.to_dict())
    return record.to_dict()


@contextmanager
def _open_output(path: Path | None) -> Iterator[TextIO]:
    if path is None:
        yield sys.stdout
        return
    with atomic_output(path) as file:
        yield file
