"""The document every pipeline component takes and returns; layers accumulate on it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from letopis.ingest.article import Article
from letopis.record import DateMention, Entity, Event, Place, Record

ARTICLE_FIELDS = ("id", "text", "title", "published", "source", "url")  # Article = Doc = Record


@dataclass
class Token:
    """One token with its morphology and its UD dependency arc (ids are sentence-local)."""

    start: int
    end: int
    text: str
    lemma: str
    pos: str
    feats: dict[str, str]
    index: int  # position in Doc.tokens
    head: int | None  # Doc.tokens index of the syntactic head, None for the root
    rel: str
    sent: int  # index in Doc.sents


@dataclass
class Sentence:
    start: int
    end: int
    tokens: range  # indices into Doc.tokens


@dataclass
class Span:
    """A named-entity mention: NER output refined by the mention rules."""

    start: int
    end: int
    type: str  # PER | ORG | LOC
    text: str
    normal: str  # nominative form
    tokens: range  # indices into Doc.tokens
    entity: str | None = None  # id of the Entity it belongs to


@dataclass
class Doc:
    text: str
    id: str
    title: str | None = None
    published: str | None = None  # ISO date or timestamp, as the article gave it
    source: str | None = None
    url: str | None = None
    tokens: list[Token] = field(default_factory=list)
    sents: list[Sentence] = field(default_factory=list)
    spans: list[Span] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)

    @classmethod
    def from_article(cls, article: Article) -> Doc:
        return cls(**{name: getattr(article, name) for name in ARTICLE_FIELDS})

    @property
    def anchor(self) -> date | None:
        """The publication date that relative dates resolve against."""
        return date.fromisoformat(self.published[:10]) if self.published else None

    def entity(self, entity_id: str) -> Entity | None:
        return next((e for e in self.entities if e.id == entity_id), None)

    def sentence_of(self, offset: int) -> Sentence | None:
        return next((s for s in self.sents if s.start <= offset < s.end), None)

    def to_record(self) -> Record:
        return Record(
            **{name: getattr(self, name) for name in ARTICLE_FIELDS},
            entities=self.entities,
            dates=self.dates,
            places=self.places,
            events=self.events,
        )
