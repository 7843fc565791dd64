"""The batch output tables: one row per article, entity, mention, place, date, event and event
argument, with columns named after the record's fields (letopis/record.py), plus the failures.
Every row carries the article's `position` (its place in the input order), which is unique
across the whole output; `article_id` is the id the input gave."""

from __future__ import annotations

import json
from typing import Any

import pyarrow as pa

from letopis.ingest.article import Article
from letopis.record import Record

_STR, _INT, _FLOAT, _BOOL = pa.string(), pa.int64(), pa.float64(), pa.bool_()

SCHEMAS: dict[str, pa.Schema] = {
    "articles": pa.schema(
        [
            ("position", _INT),
            ("article_id", _STR),
            ("title", _STR),
            ("published", _STR),
            ("source", _STR),
            ("url", _STR),
            ("text", _STR),
            ("record", _STR),  # the full record JSON
        ]
    ),
    "entities": pa.schema(
        [
            ("position", _INT),
            ("article_id", _STR),
            ("entity_id", _STR),
            ("type", _STR),
            ("subtype", _STR),
            ("name", _STR),
            ("country", _STR),
            ("sector", _STR),
            ("roles", _STR),  # JSON list of {title, of, start, end}
        ]
    ),
    "mentions": pa.schema(
        [
            ("position", _INT),
            ("article_id", _STR),
            ("entity_id", _STR),
            ("start", _INT),
            ("end", _INT),
            ("text", _STR),
        ]
    ),
    "places": pa.schema(
        [
            ("position", _INT),
            ("article_id", _STR),
            ("name", _STR),
            ("geonameid", _INT),
            ("lat", _FLOAT),
            ("lon", _FLOAT),
            ("country", _STR),
            ("feature", _STR),
            ("entity", _STR),
            ("mentions", _STR),  # JSON list of {start, end, text}
        ]
    ),
    "dates": pa.schema(
        [
            ("position", _INT),
            ("article_id", _STR),
            ("text", _STR),
            ("start", _INT),
            ("end", _INT),
            ("value", _STR),
        ]
    ),
    "events": pa.schema(
        [
            ("position", _INT),
            ("article_id", _STR),
            ("event_id", _STR),
            ("type", _STR),
            ("mode", pa.list_(_STR)),
            ("status", _STR),
            ("date", _STR),
            ("place", _STR),
            ("place_geonameid", _INT),
            ("place_country", _STR),
            ("lat", _FLOAT),
            ("lon", _FLOAT),
            ("trigger", _STR),
            ("trigger_start", _INT),
            ("trigger_end", _INT),
            ("confidence", _FLOAT),
            ("mentions", _STR),  # JSON list of {sentence_start, sentence_end, trigger_...}
        ]
    ),
    "event_arguments": pa.schema(
        [
            ("position", _INT),
            ("article_id", _STR),
            ("event_id", _STR),
            ("role", _STR),  # actor | recipient | source
            ("entity", _STR),
            ("name", _STR),
            ("text", _STR),
            ("country", _STR),
            ("sector", _STR),
            ("start", _INT),
            ("end", _INT),
            ("inferred", _BOOL),
        ]
    ),
    "failures": pa.schema(
        [
            ("position", _INT),
            ("article_id", _STR),
            ("error", _STR),
        ]
    ),
}
TABLES = tuple(SCHEMAS)

Rows = dict[str, list[dict[str, Any]]]


def empty_rows() -> Rows:
    return {name: [] for name in TABLES}


def add_record(rows: Rows, position: int, article: Article, record: Record) -> None:
    """Append the rows of one analyzed article."""
    key = {"position": position, "article_id": article.id}
    rows["articles"].append(
        {
            **key,
            "title": article.title,
            "published": article.published,
            "source": article.source,
            "url": article.url,
            "text": article.text,
            "record": record.to_json(),
        }
    )
    for entity in record.entities:
        rows["entities"].append(
            {
                **key,
                "entity_id": entity.id,
                "type": entity.type,
                "subtype": entity.subtype,
                "name": entity.name,
                "country": entity.country,
                "sector": entity.sector,
                "roles": _json([vars(role) for role in entity.roles]),
            }
        )
        rows["mentions"] += [
            {**key, "entity_id": entity.id, "start": m.start, "end": m.end, "text": m.text}
            for m in entity.mentions
        ]
    rows["places"] += [_place_row(key, place) for place in record.places]
    rows["dates"] += [{**key, **vars(date)} for date in record.dates]
    for event in record.events:
        rows["events"].append(_event_row(key, event))
        rows["event_arguments"] += _argument_rows(key, event)


def add_failure(rows: Rows, position: int, article: Article, error: str) -> None:
    rows["failures"].append({"position": position, "article_id": article.id, "error": error})


def to_tables(rows: Rows) -> dict[str, pa.Table]:
    return {
        name: pa.Table.from_pylist(rows[name], schema=schema) for name, schema in SCHEMAS.items()
    }


def _place_row(key: dict, place) -> dict[str, Any]:
    return {
        **key,
        "name": place.name,
        "geonameid": place.geonameid,
        "lat": place.lat,
        "lon": place.lon,
        "country": place.country,
        "feature": place.feature,
        "entity": place.entity,
        "mentions": _json([vars(m) for m in place.mentions]),
    }


def _event_row(key: dict, event) -> dict[str, Any]:
    place = event.place
    return {
        **key,
        "event_id": event.id,
        "type": event.type,
        "mode": list(event.mode),
        "status": event.status,
        "date": event.date,
        "place": place.name if place else None,
        "place_geonameid": place.geonameid if place else None,
        "place_country": place.country if place else None,
        "lat": place.lat if place else None,
        "lon": place.lon if place else None,
        "trigger": event.trigger.text,
        "trigger_start": event.trigger.start,
        "trigger_end": event.trigger.end,
        "confidence": event.confidence,
        "mentions": _json([vars(m) for m in event.mentions]),
    }


def _argument_rows(key: dict, event) -> list[dict[str, Any]]:
    groups = (
        ("actor", event.actors),
        ("recipient", event.recipients),
        ("source", [event.source] if event.source else []),
    )
    return [
        {**key, "event_id": event.id, "role": role, **vars(argument)}
        for role, arguments in groups
        for argument in arguments
    ]


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)
