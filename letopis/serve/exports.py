"""Streamed exports: rows are produced page by page (keyset cursor), so an export of any size
needs no more memory than one page."""

from __future__ import annotations

import csv
import io
import json
import tempfile
from collections.abc import Iterator
from typing import Any

from letopis.output import spreadsheet_safe
from letopis.store.browse import EventQuery
from letopis.store.queries import CorpusEvent

PAGE = 500
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
    from letopis.corpus.corpus import event_row as corpus_row

    extras = extras or {}
    row = corpus_row(event)
    row["confidence"] = extras.get("confidence")
    row["geonameid"] = extras.get("geonameid")
    row["triggers"] = "; ".join(dict.fromkeys(r.trigger for r in event.reports))
    row["article_ids"] = "; ".join(str(a) for a in dict.fromkeys(r.article for r in event.reports))
    return row


def stream(corpus, format: str, where: EventQuery) -> tuple[str, Iterator[bytes]]:
    """The media type and the body's chunks. Bad filters fail here, before the response
    starts, so they get an error response rather than a cut stream."""
    corpus.event_page(where, limit=1)
    if format == "csv":
        return MEDIA[format], _csv(corpus, where)
    if format == "geojson":
        return MEDIA[format], _geojson(corpus, where)
    if format == "parquet":
        return MEDIA[format], _parquet(corpus, where)
    return MEDIA[format], _records(corpus, plover=format == "plover")


def _records(corpus, *, plover: bool) -> Iterator[bytes]:
    from letopis.extract.events.plover import to_plover

    for record in corpus.records():
        data = record.to_dict()
        yield (json.dumps(to_plover(data) if plover else data, ensure_ascii=False) + "\n").encode()


def _csv(corpus, where: EventQuery) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = None
    for event, extras in events(corpus, where):
        row = event_row(event, extras)
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


def _geojson(corpus, where: EventQuery) -> Iterator[bytes]:
    yield b'{"type": "FeatureCollection", "features": ['
    first = True
    for event, extras in events(corpus, where):
        if event.lat is None or event.lon is None:
            continue
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


def _parquet(corpus, where: EventQuery) -> Iterator[bytes]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    with tempfile.TemporaryFile() as file:
        writer = None
        batch: list[dict] = []
        for event, extras in events(corpus, where):
            batch.append(event_row(event, extras))
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
