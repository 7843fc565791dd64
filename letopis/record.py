"""The Letopis record (contract v1): one per article, spoken by every interface."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields
from typing import Any

# The 16 PLOVER event types, in codebook order (verbal/material cooperation, then conflict).
EVENT_TYPES = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
)  # fmt: skip


@dataclass
class Mention:
    start: int
    end: int
    text: str
    normal: str | None = None  # this mention's own nominative form ("Британии" → "Британия")


@dataclass
class Role:
    title: str
    of: str | None
    start: int
    end: int


@dataclass
class Entity:
    id: str
    type: str  # PER | ORG | LOC
    name: str
    mentions: list[Mention]
    country: str | None = None
    sector: str | None = None
    roles: list[Role] = field(default_factory=list)
    subtype: str | None = None


@dataclass
class DateMention:
    text: str
    start: int
    end: int
    value: str  # YYYY-MM-DD | YYYY-MM | YYYY | --MM-DD | --MM


@dataclass
class Place:
    name: str
    geonameid: int | None
    lat: float | None
    lon: float | None
    country: str | None
    mentions: list[Mention]
    entity: str | None = None
    feature: str | None = None  # city | country | region


@dataclass
class Argument:
    entity: str | None
    name: str
    text: str
    country: str | None
    sector: str | None
    start: int
    end: int
    inferred: bool = False  # the text leaves this actor out ("задержали" → полиция)


@dataclass
class Trigger:
    text: str
    start: int
    end: int


@dataclass
class EventMention:
    sentence_start: int
    sentence_end: int
    trigger_start: int
    trigger_end: int


@dataclass
class Event:
    id: str
    type: str
    mode: list[str]
    status: str
    actors: list[Argument]
    recipients: list[Argument]
    place: Place | None
    date: str | None
    trigger: Trigger
    mentions: list[EventMention]
    confidence: float
    source: Argument | None = None


@dataclass
class Record:
    id: str
    title: str | None
    published: str | None
    source: str | None
    url: str | None
    text: str
    entities: list[Entity] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def to_json(self, indent: int | None = None) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Record:
        return build(cls, data)


_NESTED: dict[tuple[type, str], type] = {
    (Record, "entities"): Entity,
    (Record, "dates"): DateMention,
    (Record, "places"): Place,
    (Record, "events"): Event,
    (Entity, "mentions"): Mention,
    (Entity, "roles"): Role,
    (Place, "mentions"): Mention,
    (Event, "actors"): Argument,
    (Event, "recipients"): Argument,
    (Event, "place"): Place,
    (Event, "trigger"): Trigger,
    (Event, "mentions"): EventMention,
    (Event, "source"): Argument,
}


def build(cls: type, data: dict[str, Any]) -> Any:
    """One record type (`Record`, `Place`, ...) from its `asdict` form."""
    kwargs = {}
    for f in fields(cls):
        if f.name not in data:
            continue
        value = data[f.name]
        inner = _NESTED.get((cls, f.name))
        if inner is not None and value is not None:
            value = (
                [build(inner, v) for v in value] if isinstance(value, list) else build(inner, value)
            )
        kwargs[f.name] = value
    return cls(**kwargs)
