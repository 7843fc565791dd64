"""Browsing the corpus: filtered, sorted, paged event lists with a total; aggregates for charts;
the actor → recipient network; one event, article, entity or story with everything behind it;
reviews; and the change feed. Shared by the CLI, the HTTP API and the web page."""

from __future__ import annotations

import base64
import json
import threading
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from letopis.record import EVENT_TYPES, Record
from letopis.store import models
from letopis.store.queries import (
    ArticleHit,
    AsDict,
    CorpusEntity,
    CorpusEvent,
    EventFilter,
    StoryInfo,
    article_hit,
    article_hits,
    corpus_entity,
    corpus_events,
    headline,
    iso,
)
from letopis.store.queries import (
    event_conditions as filter_conditions,
)
from letopis.text import name_key

STATUSES = ("reported", "future", "hypothetical", "negated")
SORTS = ("newest", "oldest", "most_reported")
PERIODS = ("day", "week", "month")
VERDICTS = ("correct", "wrong", "corrected")
CORRECTABLE = ("type", "status", "actors", "recipients", "place", "date")
MAX_PAGE = 1000
MATERIALIZE = 3000  # matching ids up to this many are fetched once and reused
LARGEST_ID = 2**53  # ids and counts in cursors; anything larger was not made by this API


@dataclass
class EventQuery(EventFilter):
    """Every filter of the event list: EventFilter's, and status, confidence, source, sector
    and whether an analyst has reviewed the event."""

    status: str | None = None
    min_confidence: float | None = None
    source: str | None = None
    sector: str | None = None
    reviewed: bool | None = None


@dataclass
class EventPage(AsDict):
    events: list[CorpusEvent]
    total: int  # events matching the filters, on every page
    next: str | None  # the cursor of the next page; None on the last
    truncated: bool  # more events match than this page holds


@dataclass
class StatsBucket(AsDict):
    period: str  # 2024-11-27, 2024-W48 or 2024-11
    type: str
    country: str | None
    events: int


@dataclass
class Stats(AsDict):
    period: str
    total: int
    buckets: list[StatsBucket]
    by_type: dict[str, int]
    by_country: dict[str, int]

    def to_dict(self) -> dict:
        # asdict() deep-copies every bucket; thousands of flat ones are built directly.
        return {
            "period": self.period,
            "total": self.total,
            "buckets": [
                {"period": b.period, "type": b.type, "country": b.country, "events": b.events}
                for b in self.buckets
            ],
            "by_type": dict(self.by_type),
            "by_country": dict(self.by_country),
        }


@dataclass
class Edge(AsDict):
    actor: str
    actor_id: int | None
    recipient: str
    recipient_id: int | None
    events: int
    types: dict[str, int]
    event_ids: list[int]


@dataclass
class ReviewInfo(AsDict):
    id: int
    event: int
    reviewer: str
    created_at: str
    verdict: str
    correction: dict | None
    note: str | None


@dataclass
class Evidence(AsDict):
    """One article's report of an event: the sentence, where the trigger is in it, and how
    the coder read that report."""

    article: int
    title: str | None
    source: str | None
    url: str | None
    published: str | None
    sentence: str
    trigger: str
    trigger_start: int  # in `sentence`
    trigger_end: int
    status: str
    confidence: float


@dataclass
class EventDetail(AsDict):
    event: CorpusEvent
    confidence: float  # the highest of its reports
    evidence: list[Evidence]
    reviews: list[ReviewInfo]


@dataclass
class ArticleDetail(AsDict):
    article: ArticleHit
    text: str
    record: dict | None
    duplicate_of: int | None
    duplicates: list[ArticleHit]
    events: list[int]  # corpus events it reports


@dataclass
class MonthRoles(AsDict):
    month: str
    as_actor: int
    as_recipient: int


@dataclass
class Counterpart(AsDict):
    id: int | None
    name: str
    events: int


@dataclass
class EntityDetail(AsDict):
    entity: CorpusEntity
    roles: dict[str, int]
    months: list[MonthRoles]
    counterparts: list[Counterpart]
    events: list[CorpusEvent]


@dataclass
class StoryDetail(AsDict):
    story: StoryInfo
    articles: list[ArticleHit]
    events: list[CorpusEvent] = field(default_factory=list)  # reported by 2+ of its articles


@dataclass
class ChangeInfo(AsDict):
    cursor: int
    kind: str
    id: int
    action: str
    at: str


@dataclass
class ChangePage(AsDict):
    changes: list[ChangeInfo]
    next: str  # give it as `since` to get what changed after
    truncated: bool


# ---- event lists ---------------------------------------------------------------------------


class _NameIndex:
    """Every (folded name, canonical id) of the stored entities, held per process and rebuilt
    when entities were added: matching a name fragment against the aliases in memory is much
    faster than a LIKE over every entity row, and gives the same ids."""

    def __init__(self):
        self.names: dict[str, set[int]] = {}
        self.newest: int | None = -1
        self.lock = threading.Lock()

    def canonical_ids(self, session: Session, fragment: str) -> set[int]:
        newest = session.scalar(select(func.max(models.Entity.id)))
        with self.lock:
            if newest != self.newest:
                self._load(session)
                self.newest = newest
            return {i for name, ids in self.names.items() if fragment in name for i in ids}

    def _load(self, session: Session) -> None:
        names: dict[str, set[int]] = defaultdict(set)
        rows = session.execute(
            select(models.Entity.name_key, models.Entity.canonical_id)
            .where(models.Entity.canonical_id.is_not(None))
            .distinct()
        )
        for key, canonical_id in rows:
            names[key].add(canonical_id)
        for key, canonical_id in session.execute(
            select(models.CanonicalEntity.name_key, models.CanonicalEntity.id)
        ):
            names[key].add(canonical_id)
        self.names = dict(names)


_NAMES = _NameIndex()


def _with_participant(session: Session, role: str, name: str):
    """Corpus events one of whose `role` arguments is called `name` (any part of it), directly
    or through a name or alias of its canonical entity."""
    fragment = name_key(name) or ""
    canonical = sorted(_NAMES.canonical_ids(session, fragment))
    argument = models.EventArgument
    named = argument.name_key.contains(fragment, autoescape=True)  # % and _ literally
    return (
        select(models.Event.merged_id)
        .join(argument)
        .where(
            argument.role == role,
            or_(named, argument.canonical_id.in_(canonical)) if canonical else named,
        )
    )


def sources_like(session: Session, text: str) -> list[str]:
    """The stored sources whose name contains `text`, in any case (SQLite's lower() folds
    ASCII only, so the folding happens here; sources are few)."""
    wanted = text.strip().casefold()
    stored = session.scalars(select(models.Article.source).distinct())
    return [s for s in stored if s and wanted in s.casefold()]


def event_conditions(session: Session, where: EventQuery) -> list:
    merged = models.MergedEvent
    base = EventFilter(
        type=where.type,
        country=where.country,
        place=where.place,
        date_from=where.date_from,
        date_to=where.date_to,
    )
    conditions = filter_conditions(base)
    for role, name in (("actor", where.actor), ("recipient", where.recipient)):
        if name:
            conditions.append(merged.id.in_(_with_participant(session, role, name)))
    if where.status:
        status = where.status.strip().lower()
        if status not in STATUSES:
            raise ValueError(f"unknown status {where.status!r} (one of {', '.join(STATUSES)})")
        conditions.append(merged.status == status)
    if where.min_confidence is not None:
        sure = select(models.Event.merged_id).where(models.Event.confidence >= where.min_confidence)
        conditions.append(merged.id.in_(sure))
    if where.source:
        sourced = (
            select(models.Event.merged_id)
            .join(models.Article, models.Event.article_id == models.Article.id)
            .where(models.Article.source.in_(sources_like(session, where.source)))
        )
        conditions.append(merged.id.in_(sourced))
    if where.sector:
        in_sector = (
            select(models.Event.merged_id)
            .join(models.EventArgument)
            .where(models.EventArgument.sector == where.sector.strip().upper())
        )
        conditions.append(merged.id.in_(in_sector))
    if where.reviewed is not None:
        reviewed = merged.id.in_(select(models.Review.merged_id))
        conditions.append(reviewed if where.reviewed else ~reviewed)
    return conditions


def _sort_key(sort: str):
    merged = models.MergedEvent
    if sort == "most_reported":
        return merged.article_count, True
    return func.coalesce(merged.date, ""), sort != "oldest"


def event_page(
    session: Session,
    where: EventQuery,
    *,
    sort: str = "newest",
    limit: int = 50,
    cursor: str | None = None,
    reports: bool = False,
) -> EventPage:
    """One page of corpus events, newest first by default; `next` continues after it."""
    if sort not in SORTS:
        raise ValueError(f"unknown sort {sort!r} (one of {', '.join(SORTS)})")
    limit = max(1, min(limit, MAX_PAGE))
    merged = models.MergedEvent
    conditions = event_conditions(session, where)
    total, conditions = _evaluate_once(session, conditions)
    key, descending = _sort_key(sort)
    query = select(merged, key).where(*conditions)
    if cursor:
        after_key, after_id = _decode_cursor(cursor, sort)
        if descending:
            query = query.where(or_(key < after_key, and_(key == after_key, merged.id < after_id)))
        else:
            query = query.where(or_(key > after_key, and_(key == after_key, merged.id > after_id)))
    order = (key.desc(), merged.id.desc()) if descending else (key.asc(), merged.id.asc())
    rows = session.execute(query.order_by(*order).limit(limit + 1)).all()
    more = len(rows) > limit
    rows = rows[:limit]
    events = corpus_events(session, [row[0] for row in rows], reports=reports)
    next_cursor = _encode_cursor(sort, rows[-1][1], rows[-1][0].id) if more and rows else None
    return EventPage(events=events, total=total, next=next_cursor, truncated=more)


def _evaluate_once(session: Session, conditions: list) -> tuple[int, list]:
    """The total, and conditions for the page query: filters (name LIKEs over every argument
    and entity, say) are evaluated once, and a small result stands in for them as ids."""
    merged = models.MergedEvent
    if not conditions:
        return session.scalar(select(func.count()).select_from(merged)) or 0, conditions
    ids = session.scalars(select(merged.id).where(*conditions).limit(MATERIALIZE + 1)).all()
    if len(ids) > MATERIALIZE:
        total = session.scalar(select(func.count()).select_from(merged).where(*conditions))
        return total or 0, conditions
    return len(ids), [merged.id.in_(ids)]


def _encode_cursor(sort: str, key, last_id: int) -> str:
    raw = json.dumps([sort, key, last_id], ensure_ascii=False).encode("utf-8")
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def _decode_cursor(cursor: str, sort: str) -> tuple:
    """(sort key, id) of the last row of the page before; the cursor must come from a page
    sorted the same way."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        made_for, key, last_id = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
        expected = int if sort in ("most_reported", "articles") else str
        if made_for != sort or not isinstance(key, expected) or not _id_like(last_id):
            raise ValueError
        if expected is int and not _id_like(key):
            raise ValueError
    except (ValueError, TypeError, UnicodeError):
        raise ValueError(f"not a cursor from this API: {cursor!r}") from None
    return key, last_id


def _id_like(value) -> bool:
    return isinstance(value, int) and 0 <= value < LARGEST_ID


def event_extras(session: Session, ids: list[int]) -> dict[int, dict]:
    """Per corpus event: the highest confidence of its reports and its place's geonameid."""
    rows = session.execute(
        select(
            models.Event.merged_id,
            func.max(models.Event.confidence),
            func.max(models.Event.place_geonameid),
        )
        .where(models.Event.merged_id.in_(ids or [-1]))
        .group_by(models.Event.merged_id)
    ).all()
    return {m: {"confidence": c, "geonameid": g} for m, c, g in rows}


# ---- aggregates ----------------------------------------------------------------------------


def stats(session: Session, where: EventQuery, *, period: str = "day") -> Stats:
    """Corpus events counted per period × type × country (the event's place country)."""
    if period not in PERIODS:
        raise ValueError(f"unknown period {period!r} (one of {', '.join(PERIODS)})")
    merged = models.MergedEvent
    rows = session.execute(
        select(merged.date, merged.type, merged.country, func.count())
        .where(*event_conditions(session, where), merged.date.is_not(None))
        .group_by(merged.date, merged.type, merged.country)
    ).all()
    buckets: Counter = Counter()
    for day, event_type, country, count in rows:
        label = _period(day, period)
        if label is not None:
            buckets[(label, event_type, country)] += count
    by_type: Counter = Counter()
    by_country: Counter = Counter()
    for (_, event_type, country), count in buckets.items():
        by_type[event_type] += count
        by_country[country or ""] += count
    return Stats(
        period=period,
        total=sum(buckets.values()),
        buckets=[
            StatsBucket(period=p, type=t, country=c, events=n)
            for (p, t, c), n in sorted(buckets.items(), key=lambda item: (item[0][0], item[0][1]))
        ],
        by_type=dict(by_type.most_common()),
        by_country=dict(by_country.most_common()),
    )


def _period(day: str, period: str) -> str | None:
    """The bucket of a YYYY-MM-DD day; coarser dates count only in coarser buckets."""
    if period == "month":
        return day[:7] if len(day) >= 7 and day[:4].isdigit() else None
    if len(day) != 10:
        return None
    if period == "day":
        return day
    try:
        year, week, _ = date.fromisoformat(day).isocalendar()
    except ValueError:
        return None
    return f"{year}-W{week:02d}"


def network(session: Session, where: EventQuery, *, limit: int = 200) -> list[Edge]:
    """Actor → recipient edges of the matching events, by canonical entity where resolved,
    heaviest first."""
    argument = models.EventArgument
    conditions = event_conditions(session, where)
    query = (
        select(
            models.Event.merged_id,
            models.MergedEvent.type,
            argument.role,
            argument.canonical_id,
            func.coalesce(models.CanonicalEntity.name, argument.name),
        )
        .join(models.Event, argument.event_id == models.Event.id)
        .join(models.MergedEvent, models.Event.merged_id == models.MergedEvent.id)
        .outerjoin(models.CanonicalEntity, argument.canonical_id == models.CanonicalEntity.id)
        .where(argument.role.in_(("actor", "recipient")))
    )
    if conditions:
        query = query.where(
            models.Event.merged_id.in_(select(models.MergedEvent.id).where(*conditions))
        )
    rows = session.execute(query).all()
    sides: dict[int, dict[str, dict]] = defaultdict(lambda: {"actor": {}, "recipient": {}})
    types: dict[int, str] = {}
    for merged_id, event_type, role, canonical_id, name in rows:
        identity = canonical_id if canonical_id is not None else name_key(name)
        sides[merged_id][role].setdefault(identity, (canonical_id, name))
        types[merged_id] = event_type
    edges: dict[tuple, Edge] = {}
    for merged_id, roles in sorted(sides.items()):
        for a_key, (a_id, a_name) in roles["actor"].items():
            for r_key, (r_id, r_name) in roles["recipient"].items():
                if a_key == r_key:
                    continue
                edge = edges.setdefault((a_key, r_key), Edge(a_name, a_id, r_name, r_id, 0, {}, []))
                edge.events += 1
                edge.types[types[merged_id]] = edge.types.get(types[merged_id], 0) + 1
                edge.event_ids.append(merged_id)
    ranked = sorted(edges.values(), key=lambda e: (-e.events, e.actor, e.recipient))
    return ranked[: max(1, limit)]


# ---- one event -----------------------------------------------------------------------------


def event_detail(session: Session, event_id: int) -> EventDetail | None:
    merged = session.get(models.MergedEvent, event_id)
    if merged is None:
        return None
    event = corpus_events(session, [merged], reports=True)[0]
    rows = session.execute(
        select(models.Event, models.Article)
        .join(models.Article, models.Event.article_id == models.Article.id)
        .where(models.Event.merged_id == event_id)
        .order_by(models.Article.published_at, models.Event.id)
    ).all()
    evidence = [_evidence(e, a) for e, a in rows]
    return EventDetail(
        event=event,
        confidence=max((e.confidence for e in evidence), default=0.0),
        evidence=evidence,
        reviews=reviews(session, event_id),
    )


def _evidence(event: models.Event, article: models.Article) -> Evidence:
    mention = event.mentions[0] if event.mentions else None
    start = mention.sentence_start if mention else event.trigger_start
    end = mention.sentence_end if mention else event.trigger_end
    return Evidence(
        article=article.id,
        title=headline(article),
        source=article.source,
        url=article.url,
        published=article.published,
        sentence=article.text[start:end],
        trigger=event.trigger,
        trigger_start=max(0, event.trigger_start - start),
        trigger_end=max(0, event.trigger_end - start),
        status=event.status,
        confidence=event.confidence,
    )


# ---- reviews -------------------------------------------------------------------------------


def add_review(
    session: Session,
    event_id: int,
    *,
    reviewer: str,
    verdict: str,
    correction: dict | None = None,
    note: str | None = None,
) -> ReviewInfo:
    """Store an analyst's verdict beside the machine coding (which stays as it is)."""
    if session.get(models.MergedEvent, event_id) is None:
        raise LookupError(f"no corpus event {event_id}")
    verdict = (verdict or "").strip().lower()
    if verdict not in VERDICTS:
        raise ValueError(f"unknown verdict {verdict!r} (one of {', '.join(VERDICTS)})")
    reviewer = (reviewer or "").strip()
    if not reviewer:
        raise ValueError("a review needs the reviewer's name")
    correction = _clean_correction(correction) if verdict == "corrected" else None
    if verdict == "corrected" and not correction:
        raise ValueError(
            f"a 'corrected' review needs at least one of {', '.join(CORRECTABLE)} corrected"
        )
    row = models.Review(
        merged_id=event_id,
        reviewer=reviewer[:128],
        created_at=datetime.now(UTC).replace(tzinfo=None),
        verdict=verdict,
        correction=correction,
        note=(note or "").strip() or None,
    )
    session.add(row)
    session.commit()
    return _review(row)


def _clean_correction(correction: dict | None) -> dict:
    cleaned: dict = {}
    for name, value in (correction or {}).items():
        if name not in CORRECTABLE:
            raise ValueError(f"cannot correct {name!r} (only {', '.join(CORRECTABLE)})")
        if value in (None, "", []):
            continue
        if name == "type":
            value = str(value).strip().upper()
            if value not in EVENT_TYPES:
                raise ValueError(f"unknown event type {value!r}")
        elif name == "status":
            value = str(value).strip().lower()
            if value not in STATUSES:
                raise ValueError(f"unknown status {value!r}")
        elif name in ("actors", "recipients"):
            names = value if isinstance(value, list) else str(value).split(";")
            value = [str(n).strip() for n in names if str(n).strip()]
        else:
            value = str(value).strip()
        cleaned[name] = value
    return cleaned


def reviews(session: Session, event_id: int | None = None) -> list[ReviewInfo]:
    query = select(models.Review).order_by(models.Review.id)
    if event_id is not None:
        query = query.where(models.Review.merged_id == event_id)
    return [_review(row) for row in session.scalars(query)]


def _review(row: models.Review) -> ReviewInfo:
    return ReviewInfo(
        id=row.id,
        event=row.merged_id,
        reviewer=row.reviewer,
        created_at=row.created_at.isoformat(),
        verdict=row.verdict,
        correction=row.correction,
        note=row.note,
    )


# ---- one article, entity, story ------------------------------------------------------------


def article_page(
    session: Session, *, source: str | None = None, limit: int = 50, cursor: str | None = None
) -> tuple[list[ArticleHit], int, str | None]:
    """Articles newest first (by ingest order), with the total and the next cursor."""
    article = models.Article
    conditions = []
    if source:
        conditions.append(article.source.in_(sources_like(session, source)))
    total = session.scalar(select(func.count()).select_from(article).where(*conditions)) or 0
    query = select(article.id).where(*conditions)
    if cursor:
        _, last_id = _decode_cursor(cursor, "articles")
        query = query.where(article.id < last_id)
    limit = max(1, min(limit, MAX_PAGE))
    ids = list(session.scalars(query.order_by(article.id.desc()).limit(limit + 1)))
    more = len(ids) > limit
    ids = ids[:limit]
    next_cursor = _encode_cursor("articles", 0, ids[-1]) if more and ids else None
    return article_hits(session, ids), total, next_cursor


def article_detail(session: Session, article_id: int) -> ArticleDetail | None:
    row = session.get(models.Article, article_id)
    if row is None:
        return None
    copies = list(
        session.scalars(
            select(models.Article)
            .where(models.Article.duplicate_of == article_id)
            .order_by(models.Article.id)
        )
    )
    merged_ids = sorted(
        {
            m
            for m in session.scalars(
                select(models.Event.merged_id).where(models.Event.article_id == article_id)
            )
            if m is not None
        }
    )
    return ArticleDetail(
        article=article_hit(row, len(copies)),
        text=row.text,
        record=json.loads(row.record) if row.record else None,
        duplicate_of=row.duplicate_of,
        duplicates=[article_hit(c) for c in copies],
        events=merged_ids,
    )


def article_record(session: Session, article_id: int) -> Record | None:
    """The record shown for an article: its own, or its original's for an exact copy."""
    row = session.get(models.Article, article_id)
    while row is not None and row.record is None and row.duplicate_of is not None:
        row = session.get(models.Article, row.duplicate_of)
    return Record.from_dict(json.loads(row.record)) if row is not None and row.record else None


def entity_detail(session: Session, entity_id: int, *, events: int = 100) -> EntityDetail | None:
    row = session.get(models.CanonicalEntity, entity_id)
    if row is None:
        return None
    argument = models.EventArgument
    mine = session.execute(
        select(models.MergedEvent.id, models.MergedEvent.date, argument.role)
        .join(models.Event, argument.event_id == models.Event.id)
        .join(models.MergedEvent, models.Event.merged_id == models.MergedEvent.id)
        .where(argument.canonical_id == entity_id, argument.role.in_(("actor", "recipient")))
    ).all()
    roles_of: dict[int, set[str]] = defaultdict(set)
    dates: dict[int, str | None] = {}
    for merged_id, day, role in mine:
        roles_of[merged_id].add(role)
        dates[merged_id] = day
    months: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for merged_id, roles in roles_of.items():
        day = dates[merged_id]
        if day and len(day) >= 7 and day[:4].isdigit():
            months[day[:7]][0] += "actor" in roles
            months[day[:7]][1] += "recipient" in roles
    merged_rows = list(
        session.scalars(
            select(models.MergedEvent)
            .where(models.MergedEvent.id.in_(list(roles_of)[:5000]))
            .order_by(func.coalesce(models.MergedEvent.date, "").desc(), models.MergedEvent.id)
            .limit(events)
        )
    )
    return EntityDetail(
        entity=corpus_entity(row),
        roles=dict(row.roles or {}),
        months=[MonthRoles(m, a, r) for m, (a, r) in sorted(months.items())],
        counterparts=_counterparts(session, entity_id, list(roles_of)),
        events=corpus_events(session, merged_rows, reports=False),
    )


def _counterparts(session: Session, entity_id: int, merged_ids: list[int]) -> list[Counterpart]:
    argument = models.EventArgument
    counts: Counter = Counter()
    names: dict = {}
    for start in range(0, len(merged_ids), 500):
        rows = session.execute(
            select(
                models.Event.merged_id,
                argument.canonical_id,
                func.coalesce(models.CanonicalEntity.name, argument.name),
            )
            .join(models.Event, argument.event_id == models.Event.id)
            .outerjoin(models.CanonicalEntity, argument.canonical_id == models.CanonicalEntity.id)
            .where(
                models.Event.merged_id.in_(merged_ids[start : start + 500]),
                argument.role.in_(("actor", "recipient")),
                or_(argument.canonical_id.is_(None), argument.canonical_id != entity_id),
            )
        ).all()
        seen = set()
        for merged_id, canonical_id, name in rows:
            identity = canonical_id if canonical_id is not None else name_key(name)
            if (merged_id, identity) in seen:
                continue
            seen.add((merged_id, identity))
            counts[identity] += 1
            names[identity] = (canonical_id, name)
    return [
        Counterpart(id=names[k][0], name=names[k][1], events=n) for k, n in counts.most_common(50)
    ]


def story_detail(session: Session, story_id: int) -> StoryDetail | None:
    row = session.get(models.Story, story_id)
    if row is None:
        return None
    members = list(
        session.scalars(
            select(models.Article)
            .where(models.Article.story_id == story_id)
            .order_by(models.Article.published_at, models.Article.id)
        )
    )
    per_event = Counter(
        merged_id
        for merged_id, _ in session.execute(
            select(models.Event.merged_id, models.Event.article_id)
            .where(models.Event.article_id.in_([a.id for a in members] or [-1]))
            .distinct()
        )
        if merged_id is not None
    )
    shared = [m for m, n in per_event.items() if n >= 2] or list(per_event)
    merged_rows = list(
        session.scalars(
            select(models.MergedEvent)
            .where(models.MergedEvent.id.in_(shared or [-1]))
            .order_by(func.coalesce(models.MergedEvent.date, ""), models.MergedEvent.id)
        )
    )
    info = StoryInfo(
        id=row.id,
        title=row.title,
        first_published=iso(row.first_published),
        last_published=iso(row.last_published),
        articles=row.article_count,
        sources=row.source_count,
    )
    return StoryDetail(
        story=info,
        articles=[article_hit(a) for a in members],
        events=corpus_events(session, merged_rows, reports=True),
    )


# ---- change feed ---------------------------------------------------------------------------


def changes(session: Session, since: str | None = None, *, limit: int = 500) -> ChangePage:
    """What was created, changed or deleted after the cursor `since` (from the start without
    one), oldest first; one entry per object, its last action within the page."""
    after = 0
    if since:
        try:
            after = int(since)
            if not _id_like(after):
                raise ValueError
        except ValueError:
            raise ValueError(f"not a change cursor: {since!r} (use the `next` of a page)") from None
    limit = max(1, min(limit, 10_000))
    rows = list(
        session.scalars(
            select(models.Change)
            .where(models.Change.id > after)
            .order_by(models.Change.id)
            .limit(limit + 1)
        )
    )
    more = len(rows) > limit
    rows = rows[:limit]
    latest: dict[tuple[str, int], models.Change] = {}
    for row in rows:
        first = latest.get((row.kind, row.object_id))
        if first is not None and first.action == "new" and row.action == "changed":
            continue  # created within the page: "new" says it all
        latest.pop((row.kind, row.object_id), None)
        latest[(row.kind, row.object_id)] = row
    return ChangePage(
        changes=[
            ChangeInfo(cursor=r.id, kind=r.kind, id=r.object_id, action=r.action, at=iso(r.at))
            for r in latest.values()
        ],
        next=str(rows[-1].id if rows else after),
        truncated=more,
    )
