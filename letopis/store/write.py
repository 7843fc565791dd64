"""Writing an analyzed article into the store: the article row, its record JSON, the per-article
rows that make the record queryable, and its full-text index entry."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime

from sqlalchemy import text
from sqlalchemy.orm import Session

from letopis.ingest.article import Article
from letopis.record import Argument, Record
from letopis.record import Entity as RecordEntity
from letopis.record import Event as RecordEvent
from letopis.store import models
from letopis.text import name_key, parse_moment


def input_hash(article: Article) -> str:
    """The identity of an input item: the same item read again hashes the same."""
    fields = [
        article.id,
        article.title,
        article.published,
        article.source,
        article.url,
        article.text,
    ]
    return hashlib.sha256(json.dumps(fields, ensure_ascii=False).encode("utf-8")).hexdigest()


def add_article(
    session: Session,
    article: Article,
    *,
    text_hash: str,
    record: Record | None = None,
    lemmas: str | None = None,
    duplicate_of: int | None = None,
    duplicate_kind: str | None = None,
) -> models.Article:
    """The article row and, when it was analyzed, its record's rows; flushed, not committed."""
    row = models.Article(
        key=article.id,
        content_hash=input_hash(article),
        text_hash=text_hash,
        title=article.title,
        published=article.published,
        published_at=parse_moment(article.published),
        source=article.source,
        url=article.url,
        text=article.text,
        record=record.to_json() if record is not None else None,
        lemmas=lemmas,
        duplicate_of=duplicate_of,
        duplicate_kind=duplicate_kind,
        ingested_at=datetime.now(UTC).replace(tzinfo=None),
    )
    if record is not None:
        entity_rows = {entity.id: _entity_row(entity) for entity in record.entities}
        row.entities = list(entity_rows.values())
        row.places = [_place_row(place) for place in record.places]
        row.events = [_event_row(event, entity_rows) for event in record.events]
    session.add(row)
    session.flush()
    if lemmas and session.get_bind().dialect.name == "sqlite":
        session.execute(
            text("INSERT INTO article_search(rowid, lemmas) VALUES (:id, :lemmas)"),
            {"id": row.id, "lemmas": lemmas},
        )
    return row


def _entity_row(entity: RecordEntity) -> models.Entity:
    return models.Entity(
        local_id=entity.id,
        type=entity.type,
        subtype=entity.subtype,
        name=entity.name,
        name_key=name_key(entity.name),
        country=entity.country,
        sector=entity.sector,
        roles=[_plain(role) for role in entity.roles],
        mentions=[models.Mention(start=m.start, end=m.end, text=m.text) for m in entity.mentions],
    )


def _place_row(place) -> models.Place:
    return models.Place(
        name=place.name,
        geonameid=place.geonameid,
        lat=place.lat,
        lon=place.lon,
        country=place.country,
        feature=place.feature,
        entity_local_id=place.entity,
        mentions=[_plain(m) for m in place.mentions],
    )


def _event_row(event: RecordEvent, entities: dict[str, models.Entity]) -> models.Event:
    place = event.place
    arguments = [
        _argument_row(role, argument, entities)
        for role, group in (
            ("actor", event.actors),
            ("recipient", event.recipients),
            ("source", [event.source] if event.source else []),
        )
        for argument in group
    ]
    return models.Event(
        local_id=event.id,
        type=event.type,
        mode=list(event.mode),
        status=event.status,
        date=event.date,
        place=place.name if place else None,
        place_key=name_key(place.name) if place else None,
        place_geonameid=place.geonameid if place else None,
        place_country=place.country if place else None,
        lat=place.lat if place else None,
        lon=place.lon if place else None,
        trigger=event.trigger.text,
        trigger_start=event.trigger.start,
        trigger_end=event.trigger.end,
        confidence=event.confidence,
        arguments=arguments,
        mentions=[
            models.EventMention(
                sentence_start=m.sentence_start,
                sentence_end=m.sentence_end,
                trigger_start=m.trigger_start,
                trigger_end=m.trigger_end,
            )
            for m in event.mentions
        ],
    )


def _argument_row(
    role: str, argument: Argument, entities: dict[str, models.Entity]
) -> models.EventArgument:
    entity = entities.get(argument.entity) if argument.entity else None
    return models.EventArgument(
        role=role,
        entity=entity,
        name=argument.name,
        name_key=name_key(argument.name),
        text=argument.text,
        country=argument.country,
        sector=argument.sector,
        start=argument.start,
        end=argument.end,
    )


def _plain(value) -> dict:
    return dict(vars(value)) if not isinstance(value, dict) else value
