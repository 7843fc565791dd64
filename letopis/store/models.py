"""The corpus schema (SQLAlchemy 2). Migrations in letopis/store/migrations create it; a test
checks that the migrated database and these models agree.

Per-article rows (entities, mentions, places, events, their arguments and mentions) are a
queryable copy of the article's record, whose full JSON is kept in `articles.record`. Corpus-wide
rows (canonical entities, stories, merged events) are what deduplication, story grouping, entity
resolution and event merging make of all articles together.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    event,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    pass


class Article(Base):
    __tablename__ = "articles"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(512), index=True)  # the id the input gave
    # sha256 of every input field: the same item ingested again is recognised and skipped.
    content_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # sha256 of the normalised text: reposts and copies share it.
    text_hash: Mapped[str] = mapped_column(String(64), index=True)
    title: Mapped[str | None] = mapped_column(Text)
    published: Mapped[str | None] = mapped_column(String(40))  # as the input gave it
    published_at: Mapped[datetime | None] = mapped_column(DateTime, index=True)  # naive UTC
    source: Mapped[str | None] = mapped_column(String(512), index=True)
    url: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    record: Mapped[str | None] = mapped_column(Text)  # the Record JSON; None for duplicates
    lemmas: Mapped[str | None] = mapped_column(Text)  # what full-text search indexes
    duplicate_of: Mapped[int | None] = mapped_column(ForeignKey("articles.id"), index=True)
    duplicate_kind: Mapped[str | None] = mapped_column(String(16))  # exact | near
    story_id: Mapped[int | None] = mapped_column(ForeignKey("stories.id"), index=True)
    ingested_at: Mapped[datetime] = mapped_column(DateTime)

    entities: Mapped[list[Entity]] = relationship(
        back_populates="article", cascade="all, delete-orphan", passive_deletes=True
    )
    places: Mapped[list[Place]] = relationship(
        back_populates="article", cascade="all, delete-orphan", passive_deletes=True
    )
    events: Mapped[list[Event]] = relationship(
        back_populates="article", cascade="all, delete-orphan", passive_deletes=True
    )


class CanonicalEntity(Base):
    """One real-world person, organisation or location across the corpus."""

    __tablename__ = "canonical_entities"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(600), unique=True)  # the resolver's id
    type: Mapped[str] = mapped_column(String(8), index=True)
    name: Mapped[str] = mapped_column(String(512))
    name_key: Mapped[str] = mapped_column(String(512), index=True)  # folded, for matching
    country: Mapped[str | None] = mapped_column(String(8))
    sector: Mapped[str | None] = mapped_column(String(16))
    aliases: Mapped[list[str]] = mapped_column(JSON, default=list)  # most frequent first
    roles: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)  # "президент Россия" → n
    mention_count: Mapped[int] = mapped_column(Integer, default=0)
    article_count: Mapped[int] = mapped_column(Integer, default=0)


class Entity(Base):
    __tablename__ = "entities"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), index=True
    )
    local_id: Mapped[str] = mapped_column(String(32))  # "e1" in the record
    type: Mapped[str] = mapped_column(String(8))
    subtype: Mapped[str | None] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(512))
    name_key: Mapped[str] = mapped_column(String(512), index=True)
    country: Mapped[str | None] = mapped_column(String(8))
    sector: Mapped[str | None] = mapped_column(String(16))
    roles: Mapped[list] = mapped_column(JSON, default=list)
    canonical_id: Mapped[int | None] = mapped_column(
        ForeignKey("canonical_entities.id"), index=True
    )

    article: Mapped[Article] = relationship(back_populates="entities")
    canonical: Mapped[CanonicalEntity | None] = relationship()
    mentions: Mapped[list[Mention]] = relationship(
        back_populates="entity", cascade="all, delete-orphan", passive_deletes=True
    )


class Mention(Base):
    __tablename__ = "mentions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entity_id: Mapped[int] = mapped_column(
        ForeignKey("entities.id", ondelete="CASCADE"), index=True
    )
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)

    entity: Mapped[Entity] = relationship(back_populates="mentions")


class Place(Base):
    __tablename__ = "places"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(512), index=True)
    geonameid: Mapped[int | None] = mapped_column(Integer)
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    country: Mapped[str | None] = mapped_column(String(8), index=True)
    feature: Mapped[str | None] = mapped_column(String(16))
    entity_local_id: Mapped[str | None] = mapped_column(String(32))
    mentions: Mapped[list] = mapped_column(JSON, default=list)

    article: Mapped[Article] = relationship(back_populates="places")


class Story(Base):
    """Articles reporting the same event or development."""

    __tablename__ = "stories"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str | None] = mapped_column(Text)  # of its first article
    first_published: Mapped[datetime | None] = mapped_column(DateTime)
    last_published: Mapped[datetime | None] = mapped_column(DateTime)
    article_count: Mapped[int] = mapped_column(Integer, default=0)
    source_count: Mapped[int] = mapped_column(Integer, default=0)


class MergedEvent(Base):
    """One action in the world, however many articles and sentences report it."""

    __tablename__ = "merged_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(600), unique=True)  # the merger's id
    type: Mapped[str] = mapped_column(String(32), index=True)
    status: Mapped[str] = mapped_column(String(16))
    # The event's own date when it has a year, else its first report's day.
    date: Mapped[str | None] = mapped_column(String(10), index=True)
    place: Mapped[str | None] = mapped_column(String(512))
    place_key: Mapped[str | None] = mapped_column(String(512), index=True)
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    country: Mapped[str | None] = mapped_column(String(8))
    actors: Mapped[list[str]] = mapped_column(JSON, default=list)
    recipients: Mapped[list[str]] = mapped_column(JSON, default=list)
    mention_count: Mapped[int] = mapped_column(Integer, default=0)
    article_count: Mapped[int] = mapped_column(Integer, default=0)
    source_count: Mapped[int] = mapped_column(Integer, default=0)
    first_published: Mapped[datetime | None] = mapped_column(DateTime)
    last_published: Mapped[datetime | None] = mapped_column(DateTime)


class Event(Base):
    __tablename__ = "events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), index=True
    )
    local_id: Mapped[str] = mapped_column(String(32))
    type: Mapped[str] = mapped_column(String(32), index=True)
    mode: Mapped[list[str]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(16))
    date: Mapped[str | None] = mapped_column(String(10), index=True)
    place: Mapped[str | None] = mapped_column(String(512))
    place_key: Mapped[str | None] = mapped_column(String(512), index=True)
    place_geonameid: Mapped[int | None] = mapped_column(Integer)
    place_country: Mapped[str | None] = mapped_column(String(8))
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    trigger: Mapped[str] = mapped_column(Text)
    trigger_start: Mapped[int] = mapped_column(Integer)
    trigger_end: Mapped[int] = mapped_column(Integer)
    confidence: Mapped[float] = mapped_column(Float)
    merged_id: Mapped[int | None] = mapped_column(ForeignKey("merged_events.id"), index=True)

    article: Mapped[Article] = relationship(back_populates="events")
    merged: Mapped[MergedEvent | None] = relationship()
    arguments: Mapped[list[EventArgument]] = relationship(
        back_populates="event", cascade="all, delete-orphan", passive_deletes=True
    )
    mentions: Mapped[list[EventMention]] = relationship(
        back_populates="event", cascade="all, delete-orphan", passive_deletes=True
    )


class EventArgument(Base):
    """An actor, recipient or source of an event."""

    __tablename__ = "event_arguments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(16))  # actor | recipient | source
    entity_id: Mapped[int | None] = mapped_column(ForeignKey("entities.id", ondelete="CASCADE"))
    canonical_id: Mapped[int | None] = mapped_column(
        ForeignKey("canonical_entities.id"), index=True
    )
    name: Mapped[str] = mapped_column(String(512))
    name_key: Mapped[str] = mapped_column(String(512), index=True)
    text: Mapped[str] = mapped_column(Text)
    country: Mapped[str | None] = mapped_column(String(8), index=True)
    sector: Mapped[str | None] = mapped_column(String(16))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)

    event: Mapped[Event] = relationship(back_populates="arguments")
    entity: Mapped[Entity | None] = relationship()
    canonical: Mapped[CanonicalEntity | None] = relationship()


class EventMention(Base):
    __tablename__ = "event_mentions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    sentence_start: Mapped[int] = mapped_column(Integer)
    sentence_end: Mapped[int] = mapped_column(Integer)
    trigger_start: Mapped[int] = mapped_column(Integer)
    trigger_end: Mapped[int] = mapped_column(Integer)

    event: Mapped[Event] = relationship(back_populates="mentions")


@event.listens_for(Base, "before_insert", propagate=True)
@event.listens_for(Base, "before_update", propagate=True)
def _fit_bounded_strings(mapper, _connection, target) -> None:
    """PostgreSQL refuses a string longer than its VARCHAR, SQLite keeps it whole: strings are
    cut to their column's length here, so that both backends store the same (a hostile input's
    2,000-character source or name no longer fails the article on PostgreSQL alone)."""
    for column in mapper.columns:
        length = getattr(column.type, "length", None)
        if not length or not isinstance(column.type, String):
            continue
        key = mapper.get_property_by_column(column).key
        value = getattr(target, key, None)
        if isinstance(value, str) and len(value) > length:
            setattr(target, key, value[:length])


class Review(Base):
    """An analyst's verdict on a corpus event. The machine coding is never changed: a
    correction is kept here, beside it."""

    __tablename__ = "reviews"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    merged_id: Mapped[int] = mapped_column(ForeignKey("merged_events.id"), index=True)
    reviewer: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(DateTime)  # naive UTC
    verdict: Mapped[str] = mapped_column(String(16))  # correct | wrong | corrected
    # For `corrected`: any of type, status, actors, recipients, place, date.
    correction: Mapped[dict | None] = mapped_column(JSON)
    note: Mapped[str | None] = mapped_column(Text)


class Change(Base):
    """The change feed: one row per article, corpus event or review written, in order."""

    __tablename__ = "changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # article | event | review
    object_id: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(16))  # new | changed | deleted
    at: Mapped[datetime] = mapped_column(DateTime)  # naive UTC


class IndexState(Base):
    """What the corpus indexes remember between articles (letopis.corpus.state): one JSON
    value per kind and key, written in the transaction of the article that changed it."""

    __tablename__ = "index_state"

    kind: Mapped[str] = mapped_column(String(32), primary_key=True)
    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class WatchedSource(Base):
    """What `letopis watch` remembers of each feed or page it polls, so that a restart goes on
    where it stopped: the validators for conditional requests, and the failures it backs off."""

    __tablename__ = "watched_sources"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    url: Mapped[str] = mapped_column(String(2000), unique=True)
    etag: Mapped[str | None] = mapped_column(String(512))  # sent back as If-None-Match
    last_modified: Mapped[str | None] = mapped_column(String(64))  # as If-Modified-Since
    body_hash: Mapped[str | None] = mapped_column(String(64))  # sha256 of the last body read
    last_polled: Mapped[datetime | None] = mapped_column(DateTime)  # naive UTC
    last_changed: Mapped[datetime | None] = mapped_column(DateTime)  # last new content read
    failures: Mapped[int] = mapped_column(Integer, default=0)  # in a row; a success resets
    last_error: Mapped[str | None] = mapped_column(Text)
    articles: Mapped[int] = mapped_column(Integer, default=0)  # new articles stored from it
