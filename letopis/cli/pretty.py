"""The readable terminal view of a record: highlighted text, then tables."""

from __future__ import annotations

from rich.console import Console
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from letopis.record import Argument, Event, Record

ENTITY_STYLES = {"PER": "bold cyan", "ORG": "bold magenta", "LOC": "bold green"}
DATE_STYLE = "yellow"
TRIGGER_STYLE = "bold red underline"


def render(record: Record, console: Console) -> None:
    title = record.title or record.id
    subtitle = " · ".join(x for x in (record.published, record.source, record.url) if x)
    console.print(Panel(highlighted_text(record), title=title, subtitle=subtitle or None))
    for table in (_entities(record), _dates(record), _places(record), _events(record)):
        if table.row_count:
            console.print(table)


def highlighted_text(record: Record) -> Text:
    text = Text(record.text)
    for entity in record.entities:
        for mention in entity.mentions:
            text.stylize(ENTITY_STYLES.get(entity.type, "bold"), mention.start, mention.end)
    for date in record.dates:
        text.stylize(DATE_STYLE, date.start, date.end)
    for event in record.events:
        for mention in event.mentions:
            text.stylize(TRIGGER_STYLE, mention.trigger_start, mention.trigger_end)
    return text


def _entities(record: Record) -> Table:
    table = Table("id", "name", "type", "country", "sector", "roles", "mentions", title="Entities")
    for entity in record.entities:
        roles = "; ".join(f"{r.title} ({r.of})" if r.of else r.title for r in entity.roles)
        table.add_row(
            entity.id,
            Text(entity.name, style=ENTITY_STYLES.get(entity.type, "")),
            entity.type,
            entity.country or "",
            entity.sector or "",
            roles,
            str(len(entity.mentions)),
        )
    return table


def _dates(record: Record) -> Table:
    table = Table("text", "value", title="Dates")
    for date in record.dates:
        table.add_row(date.text, date.value)
    return table


def _places(record: Record) -> Table:
    table = Table("name", "geonameid", "lat, lon", "country", "as written", title="Places")
    for place in record.places:
        coords = f"{place.lat:.3f}, {place.lon:.3f}" if place.lat is not None else ""
        written = ", ".join(sorted({m.text for m in place.mentions}))
        table.add_row(place.name, str(place.geonameid or ""), coords, place.country or "", written)
    return table


def _events(record: Record) -> Table:
    table = Table(
        "type",
        "status",
        "actors → recipients",
        "place",
        "date",
        "evidence",
        "conf",
        title="Events",
    )
    for event in record.events:
        table.add_row(
            _type(event),
            event.status,
            f"{_names(event.actors)} → {_names(event.recipients)}",
            event.place.name if event.place else "",
            event.date or "",
            _evidence(record, event),
            f"{event.confidence:.2f}",
        )
    return table


def _type(event: Event) -> str:
    return f"{event.type} ({', '.join(event.mode)})" if event.mode else event.type


def _names(arguments: list[Argument]) -> str:
    return ", ".join(a.name for a in arguments) or "—"


def _evidence(record: Record, event: Event, context: int = 40) -> Text:
    """The trigger highlighted inside a window of its sentence."""
    mention = event.mentions[0] if event.mentions else None
    if mention is None:
        return Text(event.trigger.text, style=TRIGGER_STYLE)
    start = max(mention.sentence_start, mention.trigger_start - context)
    end = min(mention.sentence_end, mention.trigger_end + context)
    before = "…" if start > mention.sentence_start else ""
    after = "…" if end < mention.sentence_end else ""
    snippet = Text(before + record.text[start:end].replace("\n", " ") + after)
    offset = len(before) - start
    snippet.stylize(TRIGGER_STYLE, mention.trigger_start + offset, mention.trigger_end + offset)
    return snippet
