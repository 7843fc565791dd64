"""Exports of the corpus, for the CLI, the library and the API alike: rows are produced page by
page (keyset cursor), so an export of any size needs no more memory than one page."""

from __future__ import annotations

import csv
import io
import json
import tempfile
from collections.abc import Iterator
from enum import StrEnum
from typing import Any

from letopis.errors import InputError
from letopis.output import spreadsheet_safe
from letopis.store.browse import EventQuery
from letopis.store.queries import CorpusEvent

PAGE = 500


class ExportFormat(StrEnum):
    jsonl = "jsonl"  # one record per article
    csv = "csv"  # one row per corpus event
    parquet = "parquet"
    plover = "plover"  # PLOVER-strict events per article, JSONL
    geojson = "geojson"  # corpus events with a place


MEDIA = {
    "jsonl": "application/x-ndjson",
    "plover": "application/x-ndjson",
    "csv": "text/csv; charset=utf-8",
    "geojson": "application/geo+json",
    "parquet": "application/vnd.apache.parquet",
}


def events(corpus, where: EventQuery) -> Iterator[tuple[CorpusEvent, dict]]:
    """Every matching corpus event, oldest first, with its reports and coding extras (highest
    confidence, place geonameid)."""
    cursor = None
    while True:
        page = corpus.event_page(where, sort="oldest", limit=PAGE, cursor=cursor, reports=True)
        extras = corpus.event_extras([e.id for e in page.events])
        for event in page.events:
            yield event, extras.get(event.id, {})
        if page.next is None:
            return
        cursor = page.next


def event_row(event: CorpusEvent, extras: dict | None = None) -> dict[str, Any]:
    """A corpus event flattened into one table row (names and codes joined with ';'), with
    its coding extras (highest confidence, place geonameid) when given."""
    first = event.reports[0] if event.reports else None
    extras = extras or {}
    return {
        "id": event.id,
        "type": event.type,
        "date": event.date,
        "status": event.status,
        "actors": "; ".join(p.name for p in event.actors),
        "actor_countries": "; ".join(sorted({p.country for p in event.actors if p.country})),
        "recipients": "; ".join(p.name for p in event.recipients),
        "recipient_countries": "; ".join(
            sorted({p.country for p in event.recipients if p.country})
        ),
        "place": event.place,
        "country": event.country,
        "lat": event.lat,
        "lon": event.lon,
        "mentions": event.mentions,
        "articles": event.articles,
        "sources": event.sources,
        "first_source": first.source if first else None,
        "first_url": first.url if first else None,
        "first_sentence": first.sentence if first else None,
        "confidence": extras.get("confidence"),
        "geonameid": extras.get("geonameid"),
        "triggers": "; ".join(dict.fromkeys(r.trigger for r in event.reports)),
        "article_ids": "; ".join(str(a) for a in dict.fromkeys(r.article for r in event.reports)),
    }


class Export:
    """One export: its media type, and its body as chunks of bytes; `rows` counts the rows
    (records or events) written so far."""

    def __init__(self, corpus, format: str, where: EventQuery | None = None):
        if format not in MEDIA:
            known = ", ".join(MEDIA)
            raise InputError(f"unknown export format {format!r}: use {known}")
        self.corpus, self.format, self.where = corpus, format, where or EventQuery()
        self.rows = 0
        corpus.event_page(self.where, limit=1)  # bad filters fail before the first byte

    @property
    def media_type(self) -> str:
        return MEDIA[self.format]

    def chunks(self) -> Iterator[bytes]:
        if self.format == "csv":
            return _csv(self)
        if self.format == "geojson":
            return _geojson(self)
        if self.format == "parquet":
            return _parquet(self)
        return _records(self)


def _records(export: Export) -> Iterator[bytes]:
    from letopis.extract.events.plover import to_plover

    for record in export.corpus.records():
        data = record.to_dict()
        export.rows += 1
        if export.format == "plover":
            data = to_plover(data)
        yield (json.dumps(data, ensure_ascii=False) + "\n").encode()


def _rows(export: Export) -> Iterator[dict[str, Any]]:
    for event, extras in events(export.corpus, export.where):
        export.rows += 1
        yield event_row(event, extras)


def _csv(export: Export) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = None
    for row in _rows(export):
        if writer is None:
            writer = csv.DictWriter(buffer, fieldnames=list(row))
            writer.writeheader()
        writer.writerow(spreadsheet_safe(row))
        if buffer.tell() > 64_000:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    if writer is None:
        yield b""
    yield buffer.getvalue().encode("utf-8")


def _geojson(export: Export) -> Iterator[bytes]:
    yield b'{"type": "FeatureCollection", "features": ['
    first = True
    for event, extras in events(export.corpus, export.where):
        if event.lat is None or event.lon is None:
            continue
        export.rows += 1
        row = event_row(event, extras)
        properties = {k: v for k, v in row.items() if k not in ("lat", "lon")}
        feature = {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [event.lon, event.lat]},
            "properties": properties,
        }
        yield (("" if first else ",") + json.dumps(feature, ensure_ascii=False)).encode()
        first = False
    yield b"]}\n"


def _parquet(export: Export) -> Iterator[bytes]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    with tempfile.TemporaryFile() as file:
        writer = None
        batch: list[dict] = []
        for row in _rows(export):
            batch.append(row)
            if len(batch) >= PAGE:
                writer = _write_batch(pa, pq, file, writer, batch)
                batch = []
        if batch or writer is None:
            writer = _write_batch(pa, pq, file, writer, batch)
        writer.close()
        file.seek(0)
        while chunk := file.read(1 << 16):
            yield chunk


def _write_batch(pa, pq, file, writer, rows: list[dict]):
    table = pa.Table.from_pylist(rows, schema=_schema(pa))
    if writer is None:
        writer = pq.ParquetWriter(file, table.schema)
    writer.write_table(table)
    return writer


def _schema(pa):
    ints = {"id", "mentions", "articles", "sources", "geonameid"}
    floats = {"lat", "lon", "confidence"}
    names = [
        "id", "type", "date", "status", "actors", "actor_countries", "recipients",
        "recipient_countries", "place", "country", "lat", "lon", "mentions", "articles",
        "sources", "first_source", "first_url", "first_sentence", "confidence", "geonameid",
        "triggers", "article_ids",
    ]  # fmt: skip
    return pa.schema(
        [
            (n, pa.int64() if n in ints else pa.float64() if n in floats else pa.string())
            for n in names
        ]
    )
