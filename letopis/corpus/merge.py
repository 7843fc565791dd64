"""Merged corpus events: one event per action, however many articles report it.

API
---
``EventMerger(rules=None)`` (rules default to ``letopis/data/merge.yaml``)
  - ``add_record(record, canonical=None) -> dict[str, str]``: merges every event of a
    ``letopis.record.Record``; returns record event id → corpus event id. ``canonical`` maps the
    record's entity ids (``"e1"``) to canonical entity ids (``EntityResolver.add``'s answer);
    without it participants are compared by their normalised names.
  - ``add_event(article_id, event, source=None, published=None, canonical=None, url=None) -> str``:
    the same for one ``letopis.record.Event``. Re-adding an (article, event) pair is a no-op.
  - ``events()``: the ``CorpusEvent`` objects; ``get(corpus_id)``; ``from_records(records)`` to
    rebuild from stored records in arrival order (corpus ids come out the same).
``CorpusEvent``: ``id`` (= ``"<article id>/<event id>"`` of its first mention), ``type``,
``status``, ``actors`` / ``recipients`` (participant key → display name), ``place``, ``date``,
``refs`` (``EventRef``: article, event, source, sentence and trigger spans of every mention) and
the counts ``mentions`` (sentences), ``articles`` and ``sources`` (distinct source names; an
article without ``source`` counts by its URL's host, else as its own source).

Two events merge when all hold:
- same ``type`` and ``status`` (a planned meeting is not the meeting);
- participants overlap: actors share a participant or one side has none, recipients likewise,
  and at least one participant is shared overall; for symmetric types (``symmetric_types``,
  e.g. CONSULT) actors and recipients form one set and the smaller set must lie inside the
  larger, or they share two participants ("Путин — Токаев" ≠ "Путин — Лукашенко");
- places compatible: one unknown, same GeoNames id, or one is a whole country that contains
  the other; otherwise equal folded names;
- dates: every two mentions at most ``window_days`` apart (``date_span``: the event's own date,
  else the article's publication date; a coarse own date — "2021", "2024-05" — is the span it
  covers, so a 2021 conviction never joins a 2024 protest; an undated mention of an undated
  article is compatible);
- places: no two mentions' places in different countries.
Events with no participants merge only on an equal known place. The best candidate shares the
most participants, then is closest in time. Candidates come from an index (type, participant
or place) that keeps the newest ``SCAN`` entries of each list, each with the event's date
bounds, so candidates far in time are skipped unread: cost per event is bounded. The merger's
memory is a ``letopis.corpus.state.State``: in memory, or the corpus store's.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from typing import Any
from urllib.parse import urlparse

from letopis.corpus.state import Codec, State, StateMap, counter
from letopis.data import load_yaml
from letopis.record import Argument, Event, Place, Record, build
from letopis.text import fold, parse_moment

SCAN = 200


@dataclass(frozen=True)
class MergeRules:
    symmetric_types: frozenset[str]
    window_days: float
    country_features: frozenset[str]


@lru_cache(maxsize=1)
def default_rules() -> MergeRules:
    data = load_yaml("merge.yaml")
    return MergeRules(
        frozenset(data["symmetric_types"]),
        float(data["window_days"]),
        frozenset(data["country_features"]),
    )


@dataclass
class EventRef:
    article_id: str
    event_id: str
    source: str
    sentence_start: int
    sentence_end: int
    trigger_start: int
    trigger_end: int
    trigger_text: str


@dataclass
class CorpusEvent:
    id: str
    type: str
    status: str
    actors: dict[str, str]
    recipients: dict[str, str]
    place: Place | None
    date: str | None
    anchor: date | None  # the first mention's day
    refs: list[EventRef] = field(default_factory=list)
    latest_start: date | None = None  # of the mentions' date spans: the latest first day
    earliest_end: date | None = None  # and the earliest last day
    countries: set[str] = field(default_factory=set)  # of the mentions' places
    arrival: int = 0  # position in creation order
    indexed: set[str] = field(default_factory=set)  # its candidate-index keys

    @property
    def mentions(self) -> int:
        return len(self.refs)

    @property
    def articles(self) -> int:
        return len({ref.article_id for ref in self.refs})

    @property
    def sources(self) -> int:
        return len({ref.source for ref in self.refs})

    def participants(self) -> set[str]:
        return set(self.actors) | set(self.recipients)


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _encode_event(event: CorpusEvent) -> dict[str, Any]:
    return {
        "id": event.id,
        "type": event.type,
        "status": event.status,
        "actors": event.actors,
        "recipients": event.recipients,
        "place": asdict(event.place) if event.place else None,
        "date": event.date,
        "anchor": _iso(event.anchor),
        "refs": [list(asdict(ref).values()) for ref in event.refs],
        "latest_start": _iso(event.latest_start),
        "earliest_end": _iso(event.earliest_end),
        "countries": sorted(event.countries),
        "arrival": event.arrival,
        "indexed": sorted(event.indexed),
    }


def _decode_event(data: dict[str, Any]) -> CorpusEvent:
    return CorpusEvent(
        data["id"],
        data["type"],
        data["status"],
        data["actors"],
        data["recipients"],
        build(Place, data["place"]) if data["place"] else None,
        data["date"],
        _day(data["anchor"]),
        [EventRef(*ref) for ref in data["refs"]],
        _day(data["latest_start"]),
        _day(data["earliest_end"]),
        set(data["countries"]),
        data["arrival"],
        set(data["indexed"]),
    )


EVENT = Codec(_encode_event, _decode_event)


@dataclass(frozen=True)
class Listed:
    """An entry of a candidate list: the event and its date bounds when it was listed (they
    only narrow later, so a test on them never drops a compatible event)."""

    event_id: str
    arrival: int
    latest_start: date | None
    earliest_end: date | None


LISTED: Codec[list[Listed]] = Codec(
    lambda entries: [
        [e.event_id, e.arrival, _iso(e.latest_start), _iso(e.earliest_end)] for e in entries
    ],
    lambda data: [Listed(i, n, _day(start), _day(end)) for i, n, start, end in data],
)


@dataclass
class _Incoming:
    """One article's event, its participants keyed and its date resolved."""

    article_id: str
    event: Event
    actors: dict[str, str]
    recipients: dict[str, str]
    day: date | None
    span: tuple[date, date] | None
    source: str

    def participants(self) -> set[str]:
        return set(self.actors) | set(self.recipients)


def participant_key(argument: Argument, canonical: Mapping[str, str] | None) -> str:
    if argument.entity and canonical and argument.entity in canonical:
        return canonical[argument.entity]
    return "name:" + fold(argument.name or argument.text)


def resolve_day(value: str | None, published: date | None) -> date | None:
    """YYYY-MM-DD, or --MM-DD with the publication year; coarser dates give no day."""
    if not value:
        return published
    try:
        if value.startswith("--") and len(value) == 7:
            if published is None:
                return None
            return date(published.year, int(value[2:4]), int(value[5:7]))
        if len(value) == 10:
            return date.fromisoformat(value)
    except ValueError:
        return published
    return published


def date_span(value: str | None, published: date | None) -> tuple[date, date] | None:
    """The days an event's date may denote: one day, a month ("2024-05"), a year ("2021");
    without an own date (or an unreadable one), the publication day."""
    day = resolve_day(value, published)
    if value and value[:4].isdigit() and len(value) in (4, 7):
        try:
            year = int(value[:4])
            if len(value) == 4:
                return date(year, 1, 1), date(year, 12, 31)
            month = int(value[5:7])
            following = date(year + month // 12, month % 12 + 1, 1)
            return date(year, month, 1), following - timedelta(days=1)
        except ValueError:
            pass
    return (day, day) if day else None


def source_key(article_id: str, source: str | None, url: str | None) -> str:
    if source:
        return fold(source)
    host = urlparse(url).hostname if url else None
    return host.removeprefix("www.") if host else f"article:{article_id}"


class EventMerger:
    def __init__(self, rules: MergeRules | None = None, state: State | None = None):
        self.rules = rules or default_rules()
        self.window = timedelta(days=self.rules.window_days)
        state = state or State()
        self._state = state
        self._events: StateMap[CorpusEvent] = state.map("merge.event", EVENT)
        self._index: StateMap[list[Listed]] = state.map("merge.index", LISTED)
        self._seen: StateMap[str] = state.map("merge.seen")  # "article/event" → corpus id
        self._count: StateMap[int] = state.map("merge.events")

    @classmethod
    def from_records(
        cls, records: Iterable[tuple[Record, Mapping[str, str] | None]], **options: Any
    ) -> EventMerger:
        merger = cls(**options)
        for record, canonical in records:
            merger.add_record(record, canonical)
        return merger

    def add_record(
        self, record: Record, canonical: Mapping[str, str] | None = None
    ) -> dict[str, str]:
        return {
            event.id: self.add_event(
                record.id, event, record.source, record.published, canonical, record.url
            )
            for event in record.events
        }

    def add_event(
        self,
        article_id: str,
        event: Event,
        source: str | None = None,
        published: Any = None,
        canonical: Mapping[str, str] | None = None,
        url: str | None = None,
    ) -> str:
        moment = parse_moment(published)
        day = moment.date() if moment else None
        incoming = _Incoming(
            article_id,
            event,
            {participant_key(a, canonical): a.name for a in event.actors},
            {participant_key(a, canonical): a.name for a in event.recipients},
            resolve_day(event.date, day),
            date_span(event.date, day),
            source_key(article_id, source, url),
        )
        keys = self._index_keys(event.type, incoming.participants(), event.place)
        self._state.load((self._seen, [f"{article_id}/{event.id}"]), (self._index, keys))
        seen = self._seen.get(f"{article_id}/{event.id}")
        if seen is not None:
            return seen
        target = self._best_match(incoming, keys) or self._create(incoming)
        self._attach(target, incoming)
        self._events[target.id] = target
        self._seen[f"{article_id}/{event.id}"] = target.id
        return target.id

    def events(self) -> list[CorpusEvent]:
        """The corpus events this process has read or made (standalone: all of them)."""
        return self._events.values()

    def get(self, corpus_id: str) -> CorpusEvent | None:
        return self._events.get(corpus_id)

    def _index_keys(
        self, event_type: str, participants: Iterable[str], place: Place | None
    ) -> list[str]:
        keys = [f"{event_type} {key}" for key in sorted(participants)]
        if not keys and place is not None:
            keys.append(f"{event_type} place:{_place_key(place)}")
        return keys

    def _candidates(self, incoming: _Incoming, keys: list[str]) -> list[str]:
        """Events listed under `keys` whose dates may be compatible, in arrival order (so that
        ties go the same way whatever the hash seed)."""
        found = {
            entry.event_id: entry
            for key in keys
            for entry in self._index.get(key, [])
            if self._bounds_compatible(entry.latest_start, entry.earliest_end, incoming.span)
        }
        ordered = [entry.event_id for entry in sorted(found.values(), key=lambda e: e.arrival)]
        self._events.load(ordered)
        return ordered

    def _best_match(self, incoming: _Incoming, keys: list[str]) -> CorpusEvent | None:
        participants = incoming.participants()
        best, best_rank = None, None
        for corpus_id in self._candidates(incoming, keys):
            candidate = self._events[corpus_id]
            if not self.compatible(candidate, incoming):
                continue
            distance = (
                abs((candidate.anchor - incoming.day).days)
                if candidate.anchor and incoming.day
                else 0
            )
            rank = (len(candidate.participants() & participants), -distance)
            if best_rank is None or rank > best_rank:
                best, best_rank = candidate, rank
        return best

    def compatible(self, candidate: CorpusEvent, incoming: _Incoming) -> bool:
        event = incoming.event
        return (
            candidate.type == event.type
            and candidate.status == event.status
            and self._participants_compatible(candidate, incoming)
            and places_compatible(candidate.place, event.place, self.rules.country_features)
            and _countries_compatible(candidate.countries, event.place)
            and self._dates_compatible(candidate, incoming.span)
        )

    def _participants_compatible(self, candidate: CorpusEvent, incoming: _Incoming) -> bool:
        if candidate.type in self.rules.symmetric_types:
            mine, theirs = candidate.participants(), incoming.participants()
            shared = mine & theirs
            return bool(shared) and (len(shared) >= 2 or shared == min(mine, theirs, key=len))
        actors = _overlap(set(candidate.actors), set(incoming.actors))
        recipients = _overlap(set(candidate.recipients), set(incoming.recipients))
        if actors is False or recipients is False:
            return False
        if not candidate.participants() and not incoming.actors and not incoming.recipients:
            return candidate.place is not None and incoming.event.place is not None
        return bool(actors) or bool(recipients)

    def _dates_compatible(self, candidate: CorpusEvent, span: tuple[date, date] | None) -> bool:
        """Every mention's span, this one's included, can fall within the window."""
        return self._bounds_compatible(candidate.latest_start, candidate.earliest_end, span)

    def _bounds_compatible(
        self, latest_start: date | None, earliest_end: date | None, span: tuple[date, date] | None
    ) -> bool:
        if span is None or latest_start is None or earliest_end is None:
            return True
        return max(latest_start, span[0]) - min(earliest_end, span[1]) <= self.window

    def _create(self, incoming: _Incoming) -> CorpusEvent:
        event = incoming.event
        corpus_id = f"{incoming.article_id}/{event.id}"
        created = CorpusEvent(corpus_id, event.type, event.status, {}, {}, None, None, incoming.day)
        created.arrival = counter(self._count, "events")
        return created

    def _attach(self, target: CorpusEvent, incoming: _Incoming) -> None:
        event = incoming.event
        for key, name in incoming.actors.items():
            target.actors.setdefault(key, name)
        for key, name in incoming.recipients.items():
            if key not in target.actors:
                target.recipients.setdefault(key, name)
        target.place = more_specific(target.place, event.place, self.rules.country_features)
        if target.date is None and event.date:
            target.date = event.date
        if target.anchor is None:
            target.anchor = incoming.day
        if incoming.span is not None:
            start, end = incoming.span
            target.latest_start = max(filter(None, (target.latest_start, start)))
            target.earliest_end = min(filter(None, (target.earliest_end, end)))
        if event.place is not None and event.place.country:
            target.countries.add(event.place.country)
        for mention in event.mentions or []:
            target.refs.append(
                EventRef(
                    incoming.article_id,
                    event.id,
                    incoming.source,
                    mention.sentence_start,
                    mention.sentence_end,
                    mention.trigger_start,
                    mention.trigger_end,
                    event.trigger.text,
                )
            )
        if not event.mentions:
            target.refs.append(
                EventRef(
                    incoming.article_id,
                    event.id,
                    incoming.source,
                    -1,
                    -1,
                    event.trigger.start,
                    event.trigger.end,
                    event.trigger.text,
                )
            )
        entry = Listed(target.id, target.arrival, target.latest_start, target.earliest_end)
        keys = self._index_keys(target.type, target.participants(), target.place)
        self._index.load(keys)
        for key in keys:
            if key not in target.indexed:
                target.indexed.add(key)
                self._index[key] = [*self._index.get(key, []), entry][-SCAN:]


def _overlap(mine: set[str], theirs: set[str]) -> bool | None:
    """None when either side is empty (no evidence), else whether they share a participant."""
    if not mine or not theirs:
        return None
    return bool(mine & theirs)


def _countries_compatible(countries: set[str], place: Place | None) -> bool:
    return not countries or place is None or not place.country or place.country in countries


def _place_key(place: Place) -> str:
    return str(place.geonameid) if place.geonameid is not None else fold(place.name)


def _is_country(place: Place, country_features: frozenset[str]) -> bool:
    return place.feature in country_features


def places_compatible(a: Place | None, b: Place | None, country_features: frozenset[str]) -> bool:
    if a is None or b is None:
        return True
    if _place_key(a) == _place_key(b):
        return True
    if a.country and b.country and a.country != b.country:
        return False
    if _is_country(a, country_features) or _is_country(b, country_features):
        return bool(a.country) and a.country == b.country
    return False


def more_specific(
    a: Place | None, b: Place | None, country_features: frozenset[str]
) -> Place | None:
    if a is None:
        return b
    if b is not None and _is_country(a, country_features) and not _is_country(b, country_features):
        return b
    return a
