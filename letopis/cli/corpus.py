"""The corpus commands: `letopis ingest`, `events`, `search`, `entities`, `stories`, `timeline`
and `export`. Each is a thin layer over `letopis.Corpus`."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy.exc import SQLAlchemyError

from letopis.cli.errors import fail, user_errors
from letopis.cli.progress import IngestProgress
from letopis.ingest.limits import DEFAULT_MAX_ARTICLE_MB
from letopis.output import atomic_output, spreadsheet_safe

Db = Annotated[
    str | None,
    typer.Option(
        "--db",
        envvar="LETOPIS_DB",
        help="Database: a SQLite file (default letopis.db here) or postgresql://user@host/db.",
        show_default=False,
    ),
]
Limit = Annotated[int, typer.Option("--limit", "-n", min=1, help="Show at most this many.")]


class Format(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


class ExportFormat(StrEnum):
    jsonl = "jsonl"
    csv = "csv"
    parquet = "parquet"
    plover = "plover"


FormatOption = Annotated[Format, typer.Option("--format", "-f", help="Output format.")]


# ---- ingest --------------------------------------------------------------------------------


def ingest_command(
    inputs: Annotated[
        list[str],
        typer.Argument(
            metavar="PATH_OR_URL...",
            help="Articles to add: .txt, .jsonl, .html, RSS/Atom feeds, Telegram JSON, "
            "directories of them, http(s) URLs, or - for standard input.",
            show_default=False,
        ),
    ],
    db: Db = None,
    max_article_mb: Annotated[
        float,
        typer.Option(
            "--max-article-mb",
            min=0.001,
            help="Refuse articles (and standard input, JSONL lines) larger than this many MB.",
        ),
    ] = DEFAULT_MAX_ARTICLE_MB,
) -> None:
    """Analyze and store articles; what is stored already is skipped, so re-running is safe."""
    stderr = Console(stderr=True)
    with _errors():
        from letopis.ingest.limits import set_max_article_mb

        set_max_article_mb(max_article_mb)
        from letopis.corpus.corpus import Corpus

        with Corpus(db) as corpus, IngestProgress(stderr) as progress:
            summary = corpus.ingest(
                inputs,
                progress=progress,
                notify=lambda m: stderr.print(m, markup=False, soft_wrap=True),
            )
        _print_summary(stderr, summary, corpus.store.display_url)
        if summary.failed:
            raise typer.Exit(1)


def _print_summary(console: Console, summary, where: str) -> None:
    near = f" ({summary.near_duplicates} near duplicates)" if summary.near_duplicates else ""
    rate = f", {summary.articles_per_second:.1f} articles/s" if summary.articles_per_second else ""
    warned = f", {len(summary.warnings)} warnings" if summary.warnings else ""
    console.print(
        f"{summary.new} new{near}, {summary.duplicates} duplicates, "
        f"{summary.already_stored} already stored, {len(summary.failed)} failed{warned}{rate} "
        f"→ {where}",
        markup=False,
        soft_wrap=True,
        highlight=False,
    )
    for line in summary.failed:
        console.print(f"  failed: {line}", style="red", markup=False, soft_wrap=True)


# ---- events --------------------------------------------------------------------------------


def events_command(
    actor: Annotated[
        str | None, typer.Option(help="An actor's name (any form, or part of it).")
    ] = None,
    recipient: Annotated[str | None, typer.Option(help="A recipient's name.")] = None,
    type: Annotated[str | None, typer.Option("--type", help="Event type, e.g. CONSULT.")] = None,
    country: Annotated[
        str | None, typer.Option(help="ISO 3166 alpha-3 code of a participant or the place.")
    ] = None,
    place: Annotated[str | None, typer.Option(help="A place name.")] = None,
    date_from: Annotated[
        str | None, typer.Option("--from", help="From this date (YYYY-MM-DD, YYYY-MM, YYYY).")
    ] = None,
    date_to: Annotated[str | None, typer.Option("--to", help="Up to this date, inclusive.")] = None,
    format: FormatOption = Format.table,
    limit: Annotated[int | None, typer.Option("--limit", "-n", min=1)] = None,
    db: Db = None,
) -> None:
    """Corpus events: each merges every article that reports the same action."""
    with _errors(), _corpus(db) as corpus:
        found = corpus.events(
            actor,
            recipient,
            type,
            country,
            place,
            date_from,
            date_to,
            limit=limit,
            reports=format is not Format.table,
        )
        if format is Format.json:
            _print_json([e.to_dict() for e in found])
        elif format is Format.csv:
            from letopis.corpus.corpus import event_row

            _print_csv([event_row(e) for e in found])
        else:
            table = Table(
                "date", "type", "actors", "recipients", "place", "mentions", "articles", "sources"
            )
            for e in found:
                table.add_row(
                    e.date or "",
                    e.type,
                    _names(e.actors),
                    _names(e.recipients),
                    e.place or "",
                    str(e.mentions),
                    str(e.articles),
                    str(e.sources),
                )
            _print_table(table, len(found), "events")


def _names(participants) -> str:
    return "; ".join(p.name for p in participants)


# ---- search, entities, stories -------------------------------------------------------------


def search_command(
    text: Annotated[str, typer.Argument(help="Words to find, in any grammatical form.")],
    format: FormatOption = Format.table,
    limit: Limit = 20,
    db: Db = None,
) -> None:
    """Full-text search: articles containing every word (matched by lemma), best first."""
    if not any(ch.isalnum() for ch in text):
        fail("nothing to search for: give at least one word")
    with _errors(), _corpus(db) as corpus:
        hits = corpus.search(text, limit=limit)
        rows = [h.to_dict() for h in hits]
        if format is Format.json:
            _print_json(rows)
        elif format is Format.csv:
            _print_csv(rows)
        else:
            table = Table("id", "published", "source", "title")
            for h in hits:
                table.add_row(str(h.id), (h.published or "")[:16], h.source or "", h.title)
            _print_table(table, len(hits), "articles")


def entities_command(
    type: Annotated[str | None, typer.Option("--type", help="PER, ORG or LOC.")] = None,
    name: Annotated[
        str | None, typer.Option(help="Only entities whose name contains this.")
    ] = None,
    format: FormatOption = Format.table,
    limit: Limit = 50,
    db: Db = None,
) -> None:
    """Canonical entities across the corpus, most written-about first, with their aliases."""
    with _errors(), _corpus(db) as corpus:
        found = corpus.entities(type=type, name=name, limit=limit)
        if format is Format.json:
            _print_json([e.to_dict() for e in found])
        elif format is Format.csv:
            _print_csv([{**e.to_dict(), "aliases": "; ".join(e.aliases)} for e in found])
        else:
            table = Table("id", "type", "name", "country", "articles", "mentions", "aliases")
            for e in found:
                table.add_row(
                    str(e.id),
                    e.type,
                    e.name,
                    e.country or "",
                    str(e.articles),
                    str(e.mentions),
                    ", ".join(e.aliases[:5]),
                )
            _print_table(table, len(found), "entities")


def stories_command(
    min_articles: Annotated[
        int, typer.Option(min=1, help="Only stories told by at least this many articles.")
    ] = 2,
    format: FormatOption = Format.table,
    limit: Limit = 20,
    db: Db = None,
) -> None:
    """Stories: groups of articles reporting the same event, largest first."""
    with _errors(), _corpus(db) as corpus:
        found = corpus.stories(min_articles=min_articles, limit=limit)
        if format is Format.json:
            _print_json([s.to_dict() for s in found])
        elif format is Format.csv:
            _print_csv([{k: v for k, v in s.to_dict().items() if k != "headlines"} for s in found])
        else:
            table = Table("story", "articles", "sources", "first", "last", "headlines")
            for s in found:
                headlines = "\n".join(f"{h.source or '?'}: {h.title}" for h in s.headlines)
                table.add_row(
                    str(s.id),
                    str(s.articles),
                    str(s.sources),
                    (s.first_published or "")[:16],
                    (s.last_published or "")[:16],
                    headlines,
                )
            _print_table(table, len(found), "stories")


# ---- timeline ------------------------------------------------------------------------------


def timeline_command(
    entity: Annotated[str, typer.Argument(help="An entity's name, e.g. 'Путин'.")],
    plot: Annotated[
        Path | None, typer.Option(help="Also draw the timeline into this PNG file.")
    ] = None,
    format: FormatOption = Format.table,
    db: Db = None,
) -> None:
    """An entity's timeline: articles mentioning it and events it takes part in, per day."""
    with _errors(), _corpus(db) as corpus:
        timeline = corpus.timeline(entity)
        if plot is not None:
            _plot_timeline(timeline, plot, corpus.store.files())
        if format is Format.json:
            _print_json(timeline.to_dict())
            return
        if format is Format.csv:
            _print_csv([d.to_dict() for d in timeline.days])
            return
        out = Console()
        e = timeline.entity
        out.print(
            f"{e.name} ({e.type}{', ' + e.country if e.country else ''}): "
            f"{e.articles} articles, {e.mentions} mentions",
            markup=False,
            highlight=False,
        )
        widest = max((d.articles for d in timeline.days), default=0) or 1
        for day in timeline.days:
            bar = "█" * max(1, round(30 * day.articles / widest)) if day.articles else ""
            events = f"  {day.events} events" if day.events else ""
            out.print(
                f"{day.day}  {bar:<30} {day.articles:>4} articles{events}",
                markup=False,
                highlight=False,
            )
        for event in timeline.events:
            out.print(
                f"  {event.date or '????'}  {event.type:<10} {_names(event.actors)} → "
                f"{_names(event.recipients)}",
                markup=False,
                highlight=False,
            )
        if plot is not None:
            Console(stderr=True).print(f"timeline drawn in {plot}", markup=False)


def _plot_timeline(timeline, path: Path, protected: list[Path]) -> None:
    import matplotlib

    matplotlib.use("Agg")
    from datetime import date

    import matplotlib.pyplot as plt

    days = [d for d in timeline.days if len(d.day) == 10]
    when = [date.fromisoformat(d.day) for d in days]
    figure, axis = plt.subplots(figsize=(10, 4))
    axis.bar(when, [d.articles for d in days], label="articles", color="#4c78a8")
    axis.bar(when, [d.events for d in days], label="events", color="#f58518", width=0.4)
    axis.set_title(f"{timeline.entity.name}: articles and events per day")
    axis.set_ylabel("count")
    axis.legend()
    figure.autofmt_xdate()
    figure.tight_layout()
    try:
        with atomic_output(path, binary=True, protected=protected) as out:
            figure.savefig(out, dpi=100, format="png")
    finally:
        plt.close(figure)


# ---- export --------------------------------------------------------------------------------


def export_command(
    format: Annotated[
        ExportFormat,
        typer.Option(
            "--format",
            "-f",
            help="jsonl: one record per article; csv / parquet: one "
            "row per corpus event; plover: PLOVER-strict events per article (JSONL).",
        ),
    ],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File to write (default: stdout).")
    ] = None,
    db: Db = None,
) -> None:
    """Export the corpus."""
    with _errors(), _corpus(db) as corpus:
        if format is ExportFormat.parquet and output is None:
            fail("parquet is binary: give --output FILE.parquet")
        written = corpus.export(format.value, output)
        if output is not None:
            Console(stderr=True).print(f"{written} rows written to {output}", markup=False)


# ---- shared --------------------------------------------------------------------------------


def register(app: typer.Typer) -> None:
    app.command("ingest")(ingest_command)
    app.command("events")(events_command)
    app.command("search")(search_command)
    app.command("entities")(entities_command)
    app.command("stories")(stories_command)
    app.command("timeline")(timeline_command)
    app.command("export")(export_command)


@contextmanager
def _errors() -> Iterator[None]:
    """InputError and database failures end in one line, never a traceback."""
    with user_errors():
        try:
            yield
        except SQLAlchemyError as error:
            original = getattr(error, "orig", None) or error
            fail(f"database error: {str(original).strip().splitlines()[0]}")


@contextmanager
def _corpus(db: str | None):
    from letopis.corpus.corpus import Corpus

    corpus = Corpus(db, create=False)
    try:
        yield corpus
    finally:
        corpus.close()


def _print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def _print_csv(rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    writer = csv.DictWriter(sys.stdout, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(spreadsheet_safe(row) for row in rows)


def _print_table(table: Table, count: int, what: str) -> None:
    console = Console()
    if count:
        console.print(table)
    else:
        Console(stderr=True).print(f"no {what} found", markup=False)
