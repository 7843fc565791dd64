"""Reading the corpus: events, full-text search, entities, stories, timelines. Every query runs
the same on SQLite and PostgreSQL; results are plain dataclasses (`to_dict()` for JSON).

Name filters (actor, recipient, place, entity name) match literally: a case-folded substring of
a name or alias, with `%` and `_` ordinary characters (escaped in LIKE) on both backends."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import date, datetime

from sqlalchemy import func, or_, select, text, true
from sqlalchemy.orm import Session, selectinload

from letopis.record import EVENT_TYPES
from letopis.store import models
from letopis.text import name_key


class AsDict:
    def to_dict(self) -> dict:
        return asdict(self)  # type: ignore[call-overload]


@dataclass
class Participant(AsDict):
    name: str
    country: str | None
    canonical: int | None


@dataclass
class Report(AsDict):
    """One article's report of a corpus event: where to read it."""

    article: int
    key: str
    title: str | None
    source: str | None
    url: str | None
    published: str | None
    sentence: str  # the sentence that states the event
    trigger: str


@dataclass
class CorpusEvent(AsDict):
    id: int
    type: str
    date: str | None
    actors: list[Participant]
    recipients: list[Participant]
    place: str | None
    country: str | None
    lat: float | None
    lon: float | None
    mentions: int
    articles: int
    sources: int
    status: str | None = None  # reported | future | hypothetical | negated
    reports: list[Report] = field(default_factory=list)


@dataclass
class ArticleHit(AsDict):
    id: int
    key: str
    title: str
    published: str | None
    source: str | None
    url: str | None
    story: int | None
    duplicates: int  # stored copies of this article (reposts)


@dataclass
class CorpusEntity(AsDict):
    id: int
    type: str
    name: str
    country: str | None
    sector: str | None
    aliases: list[str]
    mentions: int
    articles: int


@dataclass
class StoryInfo(AsDict):
    id: int
    title: str | None
    first_published: str | None
    last_published: str | None
    articles: int
    sources: int
    headlines: list[ArticleHit] = field(default_factory=list)


@dataclass
class TimelineDay(AsDict):
    day: str
    articles: int
    events: int


@dataclass
class Timeline(AsDict):
    entity: CorpusEntity
    days: list[TimelineDay]
    events: list[CorpusEvent]


@dataclass
class EventFilter:
    actor: str | None = None
    recipient: str | None = None
    type: str | None = None
    country: str | None = None
    place: str | None = None
    date_from: str | None = None
    date_to: str | None = None


# ---- events ------------------------------------------------------------------------------


def events(
    session: Session, where: EventFilter, *, limit: int | None = None, reports: bool = True
) -> list[CorpusEvent]:
    query = select(models.MergedEvent)
    for condition in event_conditions(where):
        query = query.where(condition)
    query = query.order_by(
        models.MergedEvent.date.is_(None), models.MergedEvent.date, models.MergedEvent.id
    )
    if limit:
        query = query.limit(limit)
    merged = list(session.scalars(query))
    return corpus_events(session, merged, reports=reports)


def event_conditions(where: EventFilter) -> list:
    merged = models.MergedEvent
    conditions = []
    if where.type:
        conditions.append(merged.type == _event_type(where.type))
    if where.actor:
        conditions.append(merged.id.in_(_merged_with_participant("actor", where.actor)))
    if where.recipient:
        conditions.append(merged.id.in_(_merged_with_participant("recipient", where.recipient)))
    if where.country:
        code = where.country.strip().upper()
        with_country = (
            select(models.Event.merged_id)
            .join(models.EventArgument)
            .where(models.EventArgument.country == code)
        )
        conditions.append(or_(merged.country == code, merged.id.in_(with_country)))
    if where.place:
        key = name_key(where.place)
        in_place = select(models.Event.merged_id).where(_contains(models.Event.place_key, key))
        conditions.append(or_(_contains(merged.place_key, key), merged.id.in_(in_place)))
    if where.date_from:
        conditions.append(merged.date >= _day(where.date_from))
    if where.date_to:
        # "2024-05" and "2024-05-31" both end the range inclusively.
        conditions.append(merged.date <= _day(where.date_to) + "\uffff")
    return conditions


def _contains(column, key: str):
    """`column` holds `key` as a substring, literally (LIKE with `%`, `_` escaped)."""
    return column.contains(key, autoescape=True)


def _merged_with_participant(role: str, name: str):
    """Merged events one of whose `role` arguments is called `name`, directly or through the
    aliases of its canonical entity."""
    key = name_key(name)
    aliased = select(models.Entity.canonical_id).where(
        _contains(models.Entity.name_key, key),
        models.Entity.canonical_id.is_not(None),
    )
    canonical = select(models.CanonicalEntity.id).where(
        _contains(models.CanonicalEntity.name_key, key)
    )
    argument = models.EventArgument
    return (
        select(models.Event.merged_id)
        .join(argument)
        .where(
            argument.role == role,
            or_(
                _contains(argument.name_key, key),
                argument.canonical_id.in_(aliased),
                argument.canonical_id.in_(canonical),
            ),
        )
    )


def _event_type(value: str) -> str:
    event_type = value.strip().upper()
    if event_type not in EVENT_TYPES:
        raise ValueError(f"unknown event type {value!r} (one of {', '.join(EVENT_TYPES)})")
    return event_type


_PARTIAL_DATE = re.compile(r"\d{4}(-(0[1-9]|1[0-2]))?")


def _day(value: str) -> str:
    value = value.strip()
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        if _PARTIAL_DATE.fullmatch(value):
            return value
        raise ValueError(f"not a date: {value!r} (use YYYY-MM-DD, YYYY-MM or YYYY)") from None


CHUNK = 500  # ids per IN (...) list: SQLite allows 32,766 parameters per statement


def corpus_events(
    session: Session, merged: list[models.MergedEvent], *, reports: bool
) -> list[CorpusEvent]:
    result = []
    for start in range(0, len(merged), CHUNK):
        result += _corpus_events_chunk(session, merged[start : start + CHUNK], reports=reports)
    return result


def _corpus_events_chunk(
    session: Session, merged: list[models.MergedEvent], *, reports: bool
) -> list[CorpusEvent]:
    if not merged:
        return []
    ids = [m.id for m in merged]
    participants = _participants(session, ids)
    report_rows = _reports(session, ids) if reports else {}
    return [
        CorpusEvent(
            id=m.id,
            type=m.type,
            date=m.date,
            actors=participants.get((m.id, "actor"), []),
            recipients=participants.get((m.id, "recipient"), []),
            place=m.place,
            country=m.country,
            lat=m.lat,
            lon=m.lon,
            mentions=m.mention_count,
            articles=m.article_count,
            sources=m.source_count,
            status=m.status,
            reports=report_rows.get(m.id, []),
        )
        for m in merged
    ]


def _participants(session: Session, merged_ids: list[int]) -> dict:
    """The distinct participants per (merged event, role), by canonical name when resolved;
    one that acts in some report and receives in another is listed as an actor only."""
    argument = models.EventArgument
    rows = session.execute(
        select(
            models.Event.merged_id,
            argument.role,
            argument.name,
            argument.country,
            argument.canonical_id,
            models.CanonicalEntity.name,
        )
        .join(models.Event, argument.event_id == models.Event.id)
        .outerjoin(models.CanonicalEntity, argument.canonical_id == models.CanonicalEntity.id)
        .where(models.Event.merged_id.in_(merged_ids))
        .order_by(argument.role, models.Event.id, argument.id)  # actors first
    ).all()
    result: dict[tuple[int, str], list[Participant]] = {}
    seen: set[tuple[int, str, object]] = set()
    for merged_id, role, name, country, canonical_id, canonical_name in rows:
        identity = canonical_id if canonical_id is not None else name_key(name)
        if (merged_id, role, identity) in seen or (
            role == "recipient" and (merged_id, "actor", identity) in seen
        ):
            continue
        seen.add((merged_id, role, identity))
        result.setdefault((merged_id, role), []).append(
            Participant(name=canonical_name or name, country=country, canonical=canonical_id)
        )
    return result


def _reports(session: Session, merged_ids: list[int]) -> dict[int, list[Report]]:
    rows = session.execute(
        select(models.Event, models.Article)
        .join(models.Article, models.Event.article_id == models.Article.id)
        .where(models.Event.merged_id.in_(merged_ids))
        .options(selectinload(models.Event.mentions))
        .order_by(models.Article.published_at, models.Event.id)
    ).all()
    result: dict[int, list[Report]] = {}
    for event, article in rows:
        sentence = next(
            (article.text[m.sentence_start : m.sentence_end] for m in event.mentions),
            event.trigger,
        )
        result.setdefault(event.merged_id, []).append(
            Report(
                article=article.id,
                key=article.key,
                title=headline(article),
                source=article.source,
                url=article.url,
                published=article.published,
                sentence=" ".join(sentence.split()),
                trigger=event.trigger,
            )
        )
    return result


# ---- search --------------------------------------------------------------------------------


def search(session: Session, lemmas: list[str], *, limit: int = 20) -> list[ArticleHit]:
    """Articles containing every lemma, best first (BM25 on SQLite, ts_rank on PostgreSQL)."""
    if not lemmas:
        return []
    dialect = session.get_bind().dialect.name
    if dialect == "sqlite":
        match = " ".join('"' + lemma.replace('"', '""') + '"' for lemma in lemmas)
        ids = session.scalars(
            text(
                "SELECT rowid FROM article_search WHERE article_search MATCH :match "
                "ORDER BY rank LIMIT :limit"
            ),
            {"match": match, "limit": limit},
        ).all()
    else:
        # 'simple': lemmas matched as they are, as SQLite's FTS5 does (migration 0003).
        vector = func.to_tsvector(text("'simple'"), func.coalesce(models.Article.lemmas, ""))
        query = func.plainto_tsquery(text("'simple'"), " ".join(lemmas))
        ids = session.scalars(
            select(models.Article.id)
            .where(vector.op("@@")(query))
            .order_by(func.ts_rank(vector, query).desc(), models.Article.id)
            .limit(limit)
        ).all()
    return article_hits(session, list(ids))


def article_hits(session: Session, ids: list[int]) -> list[ArticleHit]:
    if not ids:
        return []
    found = session.scalars(select(models.Article).where(models.Article.id.in_(ids)))
    rows = {article.id: article for article in found}
    copies = dict(
        session.execute(
            select(models.Article.duplicate_of, func.count())
            .where(models.Article.duplicate_of.in_(ids))
            .group_by(models.Article.duplicate_of)
        ).all()
    )
    return [article_hit(rows[i], copies.get(i, 0)) for i in ids if i in rows]


def article_hit(article: models.Article, duplicates: int = 0) -> ArticleHit:
    return ArticleHit(
        id=article.id,
        key=article.key,
        title=headline(article),
        published=article.published,
        source=article.source,
        url=article.url,
        story=article.story_id,
        duplicates=duplicates,
    )


def headline(article: models.Article, width: int = 160) -> str:
    """The title, or the text's first line for untitled posts, shortened to `width`."""
    line = article.title or next((ln for ln in article.text.splitlines() if ln.strip()), "")
    line = " ".join(line.replace("**", "").split())  # Telegram bold markers
    return line if len(line) <= width else line[: width - 1].rstrip() + "…"


# ---- entities ------------------------------------------------------------------------------


def entities(
    session: Session, *, type: str | None = None, name: str | None = None, limit: int | None = 50
) -> list[CorpusEntity]:
    canonical = models.CanonicalEntity
    query = select(canonical)
    if type:
        query = query.where(canonical.type == type.strip().upper())
    if name:
        key = name_key(name)
        aliased = select(models.Entity.canonical_id).where(_contains(models.Entity.name_key, key))
        query = query.where(or_(_contains(canonical.name_key, key), canonical.id.in_(aliased)))
    query = query.order_by(
        canonical.article_count.desc(), canonical.mention_count.desc(), canonical.id
    )
    if limit:
        query = query.limit(limit)
    return [corpus_entity(row) for row in session.scalars(query)]


def corpus_entity(row: models.CanonicalEntity) -> CorpusEntity:
    return CorpusEntity(
        id=row.id,
        type=row.type,
        name=row.name,
        country=row.country,
        sector=row.sector,
        aliases=list(row.aliases or []),
        mentions=row.mention_count,
        articles=row.article_count,
    )


def find_entity(session: Session, name: str) -> CorpusEntity | None:
    """The canonical entity a user means by `name`: an exact name or alias first, then the
    most frequent one whose name or alias contains it."""
    key = name_key(name) or ""
    canonical = models.CanonicalEntity
    exact = session.scalars(
        select(canonical)
        .where(
            or_(
                canonical.name_key == key,
                canonical.id.in_(
                    select(models.Entity.canonical_id).where(models.Entity.name_key == key)
                ),
            )
        )
        .order_by(canonical.article_count.desc(), canonical.id)
        .limit(1)
    ).first()
    if exact is not None:
        return corpus_entity(exact)
    found = entities(session, name=name, limit=1)
    return found[0] if found else None


# ---- stories -------------------------------------------------------------------------------


def stories(
    session: Session, *, min_articles: int = 2, limit: int | None = 20, headlines: int = 5
) -> list[StoryInfo]:
    story = models.Story
    query = (
        select(story)
        .where(story.article_count >= min_articles)
        .order_by(story.article_count.desc(), story.last_published.desc(), story.id)
    )
    if limit:
        query = query.limit(limit)
    result = []
    for row in session.scalars(query):
        members = session.scalars(
            select(models.Article)
            .where(models.Article.story_id == row.id, models.Article.duplicate_of.is_(None))
            .order_by(models.Article.published_at, models.Article.id)
            .limit(headlines)
        ).all()
        result.append(
            StoryInfo(
                id=row.id,
                title=row.title,
                first_published=iso(row.first_published),
                last_published=iso(row.last_published),
                articles=row.article_count,
                sources=row.source_count,
                headlines=[article_hit(a) for a in members],
            )
        )
    return result


# ---- timeline ------------------------------------------------------------------------------


def timeline(
    session: Session, entity: CorpusEntity, *, statuses: tuple[str, ...] | None = None
) -> Timeline:
    """Per day: the articles mentioning the entity and the corpus events it takes part in
    (only those of these statuses, when given)."""
    article = models.Article
    day = func.substr(func.coalesce(article.published, ""), 1, 10)
    per_day = session.execute(
        select(day, func.count(func.distinct(article.id)))
        .join(models.Entity, models.Entity.article_id == article.id)
        .where(models.Entity.canonical_id == entity.id, article.published.is_not(None))
        .group_by(day)
    ).all()
    merged_ids = (
        select(models.Event.merged_id)
        .join(models.EventArgument)
        .where(
            models.EventArgument.canonical_id == entity.id,
            models.EventArgument.role.in_(("actor", "recipient")),
        )
    )
    merged = list(
        session.scalars(
            select(models.MergedEvent)
            .where(
                models.MergedEvent.id.in_(merged_ids),
                models.MergedEvent.status.in_(statuses) if statuses else true(),
            )
            .order_by(models.MergedEvent.date, models.MergedEvent.id)
        )
    )
    event_days = Counter(m.date for m in merged if m.date and len(m.date) == 10)
    days = sorted(set(dict(per_day)) | set(event_days))
    articles_on = dict(per_day)
    return Timeline(
        entity=entity,
        days=[
            TimelineDay(day=d, articles=articles_on.get(d, 0), events=event_days.get(d, 0))
            for d in days
        ],
        events=corpus_events(session, merged, reports=False),
    )


# ---- counts --------------------------------------------------------------------------------


def counts(session: Session) -> dict[str, int]:
    article = models.Article
    return {
        "articles": session.scalar(select(func.count()).select_from(article)) or 0,
        "analyzed": session.scalar(
            select(func.count()).select_from(article).where(article.record.is_not(None))
        )
        or 0,
        "exact_duplicates": session.scalar(
            select(func.count()).select_from(article).where(article.duplicate_kind == "exact")
        )
        or 0,
        "near_duplicates": session.scalar(
            select(func.count()).select_from(article).where(article.duplicate_kind == "near")
        )
        or 0,
        "stories": session.scalar(select(func.count()).select_from(models.Story)) or 0,
        "events": session.scalar(select(func.count()).select_from(models.Event)) or 0,
        "merged_events": session.scalar(select(func.count()).select_from(models.MergedEvent)) or 0,
        "entities": session.scalar(select(func.count()).select_from(models.CanonicalEntity)) or 0,
    }


def iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None
