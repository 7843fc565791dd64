"""The corpus commands: `letopis ingest`, `events`, `search`, `entities`, `stories`, `timeline`
and `export`. Each is a thin layer over `letopis.Corpus`."""

from __future__ import annotations

import csv
import json
import sys
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from letopis.cli.errors import fail, user_errors
from letopis.cli.options import DEFAULT_MAX_ARTICLE_MB, Db, Limit, MaxArticleMb
from letopis.cli.progress import IngestProgress
from letopis.corpus.exports import ExportFormat
from letopis.output import atomic_output, spreadsheet_safe


class Format(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


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
    max_article_mb: MaxArticleMb = DEFAULT_MAX_ARTICLE_MB,
) -> None:
    """Analyze and store articles; what is stored already is skipped, so re-running is safe."""
    stderr = Console(stderr=True)
    with user_errors():
        from letopis.ingest.limits import set_max_article_mb

        set_max_article_mb(max_article_mb)
        from letopis.corpus.corpus import Corpus

        with Corpus(db) as corpus, IngestProgress(stderr) as progress:
            summary = corpus.ingest(
                inputs,
                progress=progress,
                notify=lambda m: stderr.print(m, markup=False, soft_wrap=True),
            )
        print_ingest_summary(stderr, summary, corpus.store.display_url)
        if summary.failed:
            raise typer.Exit(1)


def print_ingest_summary(console: Console, summary, where: str) -> None:
    """One line of counts, then each failure: after `ingest` and `load`."""
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


class Sort(StrEnum):
    newest = "newest"
    oldest = "oldest"
    most_reported = "most_reported"


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
    status: Annotated[
        str | None, typer.Option(help="reported, future, hypothetical or negated.")
    ] = None,
    min_confidence: Annotated[
        float | None,
        typer.Option(
            "--min-confidence", min=0, max=1, help="Only events a report is this sure of."
        ),
    ] = None,
    source: Annotated[
        str | None,
        typer.Option(help="Only events a source (channel, site) whose name has this reported."),
    ] = None,
    sector: Annotated[
        str | None, typer.Option(help="A participant's sector code, e.g. GOV, MIL, IGO.")
    ] = None,
    reviewed: Annotated[
        bool | None,
        typer.Option("--reviewed/--unreviewed", help="Only events analysts have (not) reviewed."),
    ] = None,
    sort: Annotated[Sort, typer.Option(help="Order of the events.")] = Sort.newest,
    format: FormatOption = Format.table,
    limit: Annotated[int | None, typer.Option("--limit", "-n", min=1)] = None,
    db: Db = None,
) -> None:
    """Corpus events, newest first: each merges every article that reports the same action."""
    from letopis.store.browse import EventQuery

    where = EventQuery(
        actor, recipient, type, country, place, date_from, date_to,
        status=status, min_confidence=min_confidence, source=source, sector=sector,
        reviewed=reviewed,
    )  # fmt: skip
    with user_errors(), _corpus(db) as corpus:
        found, total = _event_pages(corpus, where, sort.value, limit, format is not Format.table)
        if format is Format.json:
            _print_json([e.to_dict() for e in found])
        elif format is Format.csv:
            from letopis.corpus.exports import event_row

            extras = corpus.event_extras([e.id for e in found])
            _print_csv([event_row(e, extras.get(e.id)) for e in found])
        else:
            table = Table("date", "type", "status", "who → whom", "place", "art.")
            for e in found:
                table.add_row(
                    e.date or "",
                    e.type,
                    e.status or "",
                    f"{_names(e.actors)} → {_names(e.recipients)}".strip(" →"),
                    e.place or "",
                    str(e.articles),
                )
            _print_table(table, len(found), "events")
            if len(found) < total:
                Console(stderr=True).print(
                    f"{len(found)} of {total} events shown", markup=False, highlight=False
                )


def _event_pages(corpus, where, sort: str, limit: int | None, reports: bool):
    found, cursor, total = [], None, 0
    while limit is None or len(found) < limit:
        size = min(1000, limit - len(found)) if limit else 1000
        page = corpus.event_page(where, sort=sort, limit=size, cursor=cursor, reports=reports)
        found += page.events
        total = page.total
        if page.next is None:
            break
        cursor = page.next
    return found, total


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
    with user_errors(), _corpus(db) as corpus:
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
    with user_errors(), _corpus(db) as corpus:
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
    with user_errors(), _corpus(db) as corpus:
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
    all_statuses: Annotated[
        bool,
        typer.Option(
            "--all-statuses",
            help="Count future, hypothetical and negated events too (default: reported only).",
        ),
    ] = False,
    format: FormatOption = Format.table,
    db: Db = None,
) -> None:
    """An entity's timeline: articles mentioning it and events it takes part in, per day."""
    with user_errors(), _corpus(db) as corpus:
        timeline = corpus.timeline(entity, all_statuses=all_statuses)
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
        ExportFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="jsonl: one record per article; csv / parquet: one "
            "row per corpus event; plover: PLOVER-strict events per article (JSONL); "
            "geojson: corpus events with a place.",
        ),
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File to write (default: stdout).")
    ] = None,
    reviews: Annotated[
        bool,
        typer.Option(
            "--reviews",
            help="Write the reviewed events as gold documents (the format of ../shared/eval), "
            "for `letopis eval events`.",
        ),
    ] = False,
    db: Db = None,
) -> None:
    """Export the corpus, or with --reviews the analysts' reviews as gold events."""
    if reviews and format is not None:
        fail("--reviews writes gold JSONL: leave out --format")
    if not reviews and format is None:
        fail(f"give --format ({', '.join(ExportFormat)}) or --reviews")
    with user_errors(), _corpus(db) as corpus:
        if reviews:
            from letopis.cli.reviews import export_reviews

            written = export_reviews(corpus, output)
            if written == 0:
                fail("no reviewed events in this corpus", code=1)
            Console(stderr=True).print(f"{written} gold documents written", markup=False)
            return
        if format is ExportFormat.parquet and output is None:
            fail("parquet is binary: give --output FILE.parquet")
        written = corpus.export(format.value, output)
        if output is not None:
            Console(stderr=True).print(f"{written} rows written to {output}", markup=False)


# ---- shared --------------------------------------------------------------------------------


def show_command(
    ident: Annotated[
        str,
        typer.Argument(
            metavar="EVENT_ID|ARTICLE_ID",
            help="A corpus event's id (12), or an article's: a12, or the id its input gave.",
        ),
    ],
    format: Annotated[Format, typer.Option("--format", "-f", help="table or json.")] = Format.table,
    db: Db = None,
) -> None:
    """One event with the sentence behind it in every article, or one article with its events."""
    with user_errors(), _corpus(db) as corpus:
        if ident.isdigit():
            detail = corpus.event(int(ident))
            if detail is None:
                fail(f"no corpus event {ident}")
            _print_json(detail.to_dict()) if format is Format.json else _show_event(detail)
            return
        article_id = _article_id(corpus, ident)
        detail = corpus.article(article_id) if article_id is not None else None
        if detail is None:
            fail(f"no article {ident}")
        _print_json(detail.to_dict()) if format is Format.json else _show_article(corpus, detail)


def _article_id(corpus, ident: str) -> int | None:
    if ident[:1] in "aA" and ident[1:].isdigit():
        return int(ident[1:])
    from sqlalchemy import select

    from letopis.store import models

    with corpus.store.session() as session:
        return session.scalar(
            select(models.Article.id).where(models.Article.key == ident).order_by(models.Article.id)
        )


def _show_event(detail) -> None:
    out = Console()
    e = detail.event
    say = lambda text: out.print(text, markup=False, highlight=False, soft_wrap=True)  # noqa: E731
    say(f"event {e.id}: {e.type} ({e.status}) {e.date or '????'}")
    say(f"  who:   {_names(e.actors) or '-'}")
    say(f"  whom:  {_names(e.recipients) or '-'}")
    say(f"  where: {e.place or '-'} {e.country or ''}".rstrip())
    say(f"  {e.mentions} mentions in {e.articles} articles from {e.sources} sources, "
        f"confidence {detail.confidence:.2f}")  # fmt: skip
    for item in detail.evidence:
        say(f"- a{item.article} {item.source or ''} {(item.published or '')[:16]}")
        say(f"  «{' '.join(item.sentence.split())}» [{item.trigger}]")
    for review in detail.reviews:
        say(f"review: {review.verdict} by {review.reviewer} {review.created_at[:16]}"
            f"{' ' + str(review.correction) if review.correction else ''}")  # fmt: skip


def _show_article(corpus, detail) -> None:
    out = Console()
    a = detail.article
    say = lambda text: out.print(text, markup=False, highlight=False, soft_wrap=True)  # noqa: E731
    say(f"article a{a.id} ({a.key}): {a.title}")
    say(f"  {a.source or ''} {a.published or ''} {a.url or ''}".rstrip())
    if detail.duplicate_of:
        say(f"  a copy of a{detail.duplicate_of}")
    for event_id in detail.events:
        event = corpus.event(event_id)
        if event is not None:
            e = event.event
            say(
                f"- event {e.id}: {e.type} ({e.status}) {_names(e.actors)} → {_names(e.recipients)}"
            )


def register(app: typer.Typer) -> None:
    app.command("ingest")(ingest_command)
    app.command("events")(events_command)
    app.command("show")(show_command)
    app.command("search")(search_command)
    app.command("entities")(entities_command)
    app.command("stories")(stories_command)
    app.command("timeline")(timeline_command)
    app.command("export")(export_command)


@contextmanager
def open_corpus(db: str | None):
    """The corpus at `db`, which must exist, closed afterwards."""
    with _corpus(db) as corpus:
        yield corpus


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
