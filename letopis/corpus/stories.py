"""Same-story grouping: articles that report the same event share a story id.

API
---
``StoryIndex(window_days=3.0, threshold=None, tense_veto=False, model=None)`` (the model and its
threshold default to ``letopis/data/story_model.yaml``)
  - ``add(article_id, text, title=None, published=None, entity_names=(), dates=(),
    story_id=None) -> str``:
    indexes the article and returns its story id. The story id of a new story is the id of its
    first article. Pass ``story_id`` to replay a stored assignment (no matching is done), e.g. to
    rebuild the index from the store's rows: ``StoryIndex.from_rows(rows)`` does exactly that for
    an iterable of ``StoryRow`` (or any object with those attributes).
  - ``document(text, title=None, published=None, entity_names=(), dates=(), article_id="")``:
    the ``StoryDoc`` (weighted, normalised term vector + publication time) under the current
    statistics, without indexing it; ``observe(text, title, entity_names)`` only updates the
    document frequencies (unlabelled statistics).
  - ``same_story(a, b) -> (bool, score)``: THE decision used by ``add`` — the model's
    probability over ``features(a, b)`` (tf-idf cosine, navec cosine, entity-name overlap),
    ``score >= threshold``, publication times (when both are known) at most ``window_days``
    apart, and no ``conflict(a, b)`` (``veto(a, b)`` names what failed of the last two). ``a``
    and ``b`` are ``StoryDoc`` objects or indexed article ids. The score is the probability,
    also when a veto applies.
  - ``conflict(a, b) -> str | None``: why two similar texts report different events, or None:
    ``"days"`` — both name days of their own (see ``event_days``) and no day is shared (a
    forecast for 8 vs 16 November, a ranking on 4 vs 9 May); ``"tense"``, only with
    ``tense_veto=True`` — one lead is wholly in the past tense and the other wholly in the future
    (a ceremony held vs announced; see ``lead_tense``).
  - ``story_of(article_id)``, ``stories()`` (story id → article ids).

Representation: content-word lemmas of title + text (channel boilerplate removed; pymorphy2,
function words dropped), weight ``(1 + ln tf) * idf``; the title counts once (prepended unless the
text already starts with it). Entity
names from the article's Record (normalised, e.g. "Владимир Путин") are extra terms
``"@владимир путин"`` whose idf is computed over the articles that carried entity names.
Lemma document frequencies start from a prior shipped in ``letopis/data/story_df.tsv.gz``
(content lemmas of the 17.7k tg-news-posts-2024 posts, lemmas seen in ≥2 posts; regenerate with
``write_document_frequencies``) and grow with every indexed article. A vector is fixed when its
article is indexed.

Conflicts are computed from the article's record: its date mentions (``Record.dates``, resolved
against the publication date) and publication time. Only days the text writes out count
("8 ноября", not "вчера": a relative day resolved across midnight or time zones is often a day
off). A text's current days are its full dates
within ``CURRENT_REACH_DAYS`` of publication ("8 ноября" resolves to the publication's year) and,
when the publication date is unknown, its day dates without a year and its full dates in the
latest year it gives one in; "впервые с 16 марта 2022 года" is background. Two
texts conflict when both have current days, and the nearest two are ``DAYS_APART`` (2 to 14)
days apart: adjacent days are often one event told across a night or time zones, and days
weeks apart more likely mean one of them is background. Tense (optional): the lead is the first
``LEAD_SEGMENTS`` lines or sentences (title, then two sentences); its finite indicative verbs
(pymorphy2: past; future or perfective present) must be all past or all future to count.

Paraphrase: besides the tf-idf vector each document keeps the tf-idf-weighted mean of its
lemmas' navec vectors (``natasha.NewsEmbedding``, shipped with natasha), so two reports of one
event in different words still score close; and the folded names of its entities, whose
Jaccard overlap is the third feature. ``StoryModel`` is a logistic model of the three features
with a probability threshold; its weights and threshold are fitted on both development pair
files by ``letopis eval stories … --fit-model letopis/data/story_model.yaml`` and measured by
cross-validation (README, Quality). The tense veto is off by default: on Telegram posts it
vetoes many joins of one story told in two tenses.

Incremental and sub-quadratic: each article is compared only with candidates from an inverted
index over its ``KEY_TERMS`` highest-weighted terms (rare lemmas and entities); each posting list
keeps its newest ``POSTING_SCAN`` entries, and candidates outside the time window are skipped
before their documents are read. The index's memory (documents, postings, document frequencies,
story assignments) is a ``letopis.corpus.state.State``: in memory, or the corpus store's.
It joins the story of its best-scoring candidate that passes ``same_story`` and
whose story began at most ``window_days`` before it (stories do not chain on for weeks).
"""

from __future__ import annotations

import base64
import gzip
import heapq
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

from letopis.analyze.models import news_embedding
from letopis.corpus.state import Codec, State, StateMap, counter
from letopis.corpus.text import lemmatizer, strip_boilerplate
from letopis.data import data_path, load_yaml
from letopis.record import DateMention
from letopis.text import CACHED_WORDS, fold, morph, parse_moment

MODEL_RESOURCE = "story_model.yaml"
FEATURES = ("tfidf", "embedding", "entities")
WINDOW_DAYS = 3.0
KEY_TERMS = 12
POSTING_SCAN = 300
ENTITY_PREFIX = "@"
DF_RESOURCE = "story_df.tsv.gz"
LEAD_SEGMENTS = 3  # title line and two sentences: where a news text states its event
CURRENT_REACH_DAYS = 62  # a full date this close to publication is the news' own (see event_days)
# Current days of two texts at least this far apart, and at most this far: two events. Adjacent
# days are often one event across a night or time zones ("в ночь на 4 ноября" / "3 ноября");
# farther than two weeks, one of the days is more likely background than the event's own.
DAYS_APART = (2, 14)
LEAP_YEAR_DAYS = 366
PAST, FUTURE = "past", "future"

_DAY_NUMBER = re.compile(r"\d")
_LEAD_BREAK = re.compile(r"(?<=[.!?…])\s+|\n+")
_CYRILLIC_WORD = re.compile(r"[а-яё]+")


@dataclass(frozen=True)
class StoryModel:
    """Same story when ``sigmoid(bias + weights · features) >= threshold`` (and no veto)."""

    weights: tuple[float, ...]
    bias: float
    threshold: float

    def score(self, features: Sequence[float]) -> float:
        value = self.bias + sum(w * x for w, x in zip(self.weights, features, strict=True))
        return 1.0 / (1.0 + math.exp(-value))

    def to_dict(self) -> dict[str, Any]:
        return {
            "weights": {name: round(w, 6) for name, w in zip(FEATURES, self.weights, strict=True)},
            "bias": round(self.bias, 6),
            "threshold": round(self.threshold, 6),
        }


@lru_cache(maxsize=1)
def shipped_model() -> StoryModel:
    data = load_yaml(MODEL_RESOURCE)
    weights = data["weights"]
    if set(weights) != set(FEATURES):
        raise ValueError(f"{MODEL_RESOURCE}: weights must name exactly {', '.join(FEATURES)}")
    return StoryModel(
        tuple(float(weights[f]) for f in FEATURES), float(data["bias"]), float(data["threshold"])
    )


@dataclass
class StoryDoc:
    article_id: str
    published: datetime | None
    vector: dict[str, float]  # unit-length tf-idf weights
    days: frozenset[int] = frozenset()  # its current days (see event_days)
    tense: str | None = None  # PAST or FUTURE when its lead is wholly in that tense
    embedding: Any = None  # unit-length tf-idf-weighted mean of its lemmas' navec vectors
    entities: frozenset[str] = frozenset()  # folded names of its entities

    def key_terms(self, count: int = KEY_TERMS) -> list[str]:
        return heapq.nlargest(count, self.vector, key=self.vector.__getitem__)


def _encode_doc(doc: StoryDoc) -> dict[str, Any]:
    embedding = doc.embedding
    return {
        "id": doc.article_id,
        "published": doc.published.isoformat() if doc.published else None,
        "vector": doc.vector,
        "days": sorted(doc.days),
        "tense": doc.tense,
        "embedding": None
        if embedding is None
        else [str(embedding.dtype), base64.b64encode(embedding.tobytes()).decode()],
        "entities": sorted(doc.entities),
    }


def _decode_doc(data: dict[str, Any]) -> StoryDoc:
    import numpy

    embedding = data["embedding"]
    return StoryDoc(
        data["id"],
        datetime.fromisoformat(data["published"]) if data["published"] else None,
        data["vector"],
        frozenset(data["days"]),
        data["tense"],
        None
        if embedding is None
        else numpy.frombuffer(base64.b64decode(embedding[1]), dtype=embedding[0]),
        frozenset(data["entities"]),
    )


DOC = Codec(_encode_doc, _decode_doc)
MOMENT: Codec[datetime] = Codec(datetime.isoformat, datetime.fromisoformat)


@dataclass(frozen=True)
class Posting:
    """An entry of a posting list: enough to skip an article outside the window unread."""

    article_id: str
    arrival: int
    published: datetime | None


POSTINGS: Codec[list[Posting]] = Codec(
    lambda postings: [
        [p.article_id, p.arrival, p.published.isoformat() if p.published else None]
        for p in postings
    ],
    lambda data: [
        Posting(a, n, datetime.fromisoformat(when) if when else None) for a, n, when in data
    ],
)


@dataclass
class StoryRow:
    """What the store keeps to rebuild the index."""

    article_id: str
    text: str
    title: str | None
    published: Any
    entity_names: Sequence[str]
    story_id: str
    dates: Sequence[DateMention] = ()


def document_terms(text: str, title: str | None, entity_names: Iterable[str]) -> Counter[str]:
    """Term counts: content lemmas of text and title (the title once more), entity terms."""
    lem = lemmatizer()
    terms = Counter(lem.content_lemmas(strip_boilerplate(text)))
    if title:
        terms.update(lem.content_lemmas(title))
    terms.update({ENTITY_PREFIX + fold(name) for name in entity_names if name and name.strip()})
    return terms


def _with_title(text: str, title: str | None) -> tuple[str, None]:
    """Title and text once each: records already keep the title as the text's first line."""
    if not title or text.lstrip().startswith(title.strip()):
        return text, None
    return f"{title}\n{text}", None


class DocumentFrequencies:
    """Lemma and entity document frequencies: a shipped prior plus every observed article."""

    def __init__(
        self,
        prior: dict[str, int] | None = None,
        prior_documents: int = 0,
        state: State | None = None,
    ):
        self.prior: dict[str, int] = dict(prior or {})
        self.prior_documents = prior_documents
        state = state or State()
        self._observed: StateMap[int] = state.map("story.df")
        self._count: StateMap[int] = state.map("story.documents")

    @classmethod
    def shipped(cls, state: State | None = None) -> DocumentFrequencies:
        documents, prior = shipped_document_frequencies()
        return cls(prior, documents, state)

    @property
    def documents(self) -> int:
        return self.prior_documents + self._count.get("documents", 0)

    @property
    def entity_documents(self) -> int:
        return self._count.get("entity_documents", 0)

    def wanted(self, terms: Iterable[str]) -> tuple[StateMap[int], Iterable[str]]:
        """What `observe` and `vector` of these terms read (for `State.load`)."""
        return self._observed, terms

    def df(self, term: str) -> int:
        return self.prior.get(term, 0) + self._observed.get(term, 0)

    def observe(self, terms: Iterable[str]) -> None:
        distinct = sorted(set(terms))
        self._observed.load(distinct)
        for term in distinct:
            counter(self._observed, term)
        counter(self._count, "documents")
        if any(term.startswith(ENTITY_PREFIX) for term in distinct):
            counter(self._count, "entity_documents")

    def idf(self, term: str) -> float:
        total = self.entity_documents if term.startswith(ENTITY_PREFIX) else self.documents
        return math.log((total + 1) / (self.df(term) + 1)) + 1.0

    def vector(self, terms: Counter[str]) -> dict[str, float]:
        self._observed.load(terms)
        weights = {t: (1.0 + math.log(n)) * self.idf(t) for t, n in terms.items() if n > 0}
        norm = math.sqrt(sum(w * w for w in weights.values()))
        return {t: w / norm for t, w in weights.items()} if norm else {}


@lru_cache(maxsize=1)
def shipped_document_frequencies() -> tuple[int, dict[str, int]]:
    """Read once per process: every index shares the prior, never changing it."""
    return read_document_frequencies()


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(weight * b.get(term, 0.0) for term, weight in a.items())


def embed(vector: dict[str, float]):
    """The tf-idf-weighted sum of the terms' navec vectors, unit length (None: no known term)."""
    import numpy

    total = None
    for term, weight in vector.items():
        known = _word_vector(term)
        if known is not None:
            row = known * weight
            total = row if total is None else total + row
    if total is None:
        return None
    norm = float(numpy.linalg.norm(total))
    return total / norm if norm else None


@lru_cache(maxsize=CACHED_WORDS)
def _word_vector(term: str):
    """One lemma's navec vector (decoding it is the slow part; news repeats its lemmas)."""
    vectors = news_embedding()
    return vectors.get(term)


def features(a: StoryDoc, b: StoryDoc) -> tuple[float, float, float]:
    """(tf-idf cosine, navec cosine, Jaccard overlap of entity names): ``FEATURES``."""
    meaning = (
        float(a.embedding @ b.embedding)
        if a.embedding is not None and (b.embedding is not None)
        else 0.0
    )
    union = a.entities | b.entities
    shared = len(a.entities & b.entities) / len(union) if union else 0.0
    return cosine(a.vector, b.vector), meaning, shared


def event_days(dates: Iterable[DateMention], published: datetime | None = None) -> frozenset[int]:
    """The current days among a record's date mentions that write a day out, as days of a leap
    year (1 January = 1):
    day dates without a year ("--11-08": the text left out the year and nothing resolved it)
    and full dates that are current — within ``CURRENT_REACH_DAYS`` of the publication time,
    or, when that is unknown, in the latest year the text gives a full date in. Other full
    dates ("впервые с 16 марта 2022 года") are background."""
    undated: set[int] = set()
    by_year: dict[int, set[int]] = defaultdict(set)
    for value in (d.value for d in dates if _DAY_NUMBER.search(d.text)):
        if len(value) == 7 and value.startswith("--"):  # --MM-DD
            undated.add(_day_of_year(int(value[2:4]), int(value[5:])))
        elif len(value) == 10:  # YYYY-MM-DD
            day = date.fromisoformat(value)
            if published is None or abs((day - published.date()).days) <= CURRENT_REACH_DAYS:
                by_year[day.year].add(_day_of_year(day.month, day.day))
    return frozenset(undated | by_year[max(by_year)]) if by_year else frozenset(undated)


def _day_of_year(month: int, day: int) -> int:
    return date(2000, month, day).timetuple().tm_yday


def days_apart(a: Iterable[int], b: Iterable[int]) -> int:
    """The smallest distance in days between two sets of days of the year (across New Year)."""
    return min(min(abs(x - y), LEAP_YEAR_DAYS - abs(x - y)) for x in a for y in b)


def lead(text: str, segments: int = LEAD_SEGMENTS) -> str:
    """The first lines or sentences of a text (its title when it starts with one)."""
    parts = [part for part in _LEAD_BREAK.split(text.strip(), maxsplit=segments) if part]
    return " ".join(parts[:segments])


@lru_cache(maxsize=CACHED_WORDS)
def _verb_tense(word: str) -> str | None:
    """PAST or FUTURE for a finite indicative verb form (perfective present is future)."""
    tag = morph().parses(word)[0].tag
    if tag.POS != "VERB" or tag.mood != "indc":
        return None
    if tag.tense == "past":
        return PAST
    if tag.tense == "futr" or tag.aspect == "perf":
        return FUTURE
    return None  # imperfective present: ongoing, either side of a report


def lead_tense(text: str) -> str | None:
    """PAST or FUTURE when the lead's finite verbs are all in that tense, else None."""
    tenses = {_verb_tense(word) for word in _CYRILLIC_WORD.findall(fold(lead(text)))}
    tenses.discard(None)
    return tenses.pop() if len(tenses) == 1 else None


def conflict(a: StoryDoc, b: StoryDoc) -> str | None:
    """Why two similar documents report different events ("days", "tense"), or None."""
    if a.days and b.days and DAYS_APART[0] <= days_apart(a.days, b.days) <= DAYS_APART[1]:
        return "days"
    if a.tense and b.tense and a.tense != b.tense:
        return "tense"
    return None


class StoryIndex:
    def __init__(
        self,
        window_days: float = WINDOW_DAYS,
        threshold: float | None = None,
        frequencies: DocumentFrequencies | None = None,
        tense_veto: bool = False,
        model: StoryModel | None = None,
        state: State | None = None,
    ):
        self.window = timedelta(days=window_days)
        self.tense_veto = tense_veto
        self.model = model or shipped_model()
        self.threshold = self.model.threshold if threshold is None else threshold
        state = state or State()
        self._state = state
        self.frequencies = frequencies or DocumentFrequencies.shipped(state)
        self._docs: StateMap[StoryDoc] = state.map("story.doc", DOC)
        self._story: StateMap[str] = state.map("story.of")  # article id → story id
        self._story_start: StateMap[datetime] = state.map("story.start", MOMENT)
        self._postings: StateMap[list[Posting]] = state.map("story.postings", POSTINGS)
        self._count: StateMap[int] = state.map("story.articles")

    @classmethod
    def from_rows(cls, rows: Iterable[Any], **options: Any) -> StoryIndex:
        index = cls(**options)
        for row in rows:
            index.add(
                row.article_id,
                row.text,
                row.title,
                row.published,
                row.entity_names,
                row.dates,
                story_id=row.story_id,
            )
        return index

    def observe(self, text: str, title: str | None = None, entity_names: Iterable[str] = ()):
        text, title = _with_title(text, title)
        self.frequencies.observe(document_terms(text, title, entity_names))

    def document(
        self,
        text: str,
        title: str | None = None,
        published: Any = None,
        entity_names: Iterable[str] = (),
        dates: Iterable[DateMention] = (),
        article_id: str = "",
    ) -> StoryDoc:
        """``dates``: the record's date mentions, for the days veto."""
        text, title = _with_title(text, title)
        entity_names = list(entity_names)
        terms = document_terms(text, title, entity_names)
        return self._doc(article_id, text, published, terms, entity_names, dates)

    def same_story(self, a: StoryDoc | str, b: StoryDoc | str) -> tuple[bool, float]:
        first, second = self._resolve(a), self._resolve(b)
        score = self.model.score(features(first, second))
        return score >= self.threshold and self.veto(first, second) is None, score

    def veto(self, a: StoryDoc | str, b: StoryDoc | str) -> str | None:
        """What keeps two documents apart whatever their similarity: "window" (published
        too far apart), a ``conflict`` ("days", "tense"), or None."""
        first, second = self._resolve(a), self._resolve(b)
        return "window" if not self._within_window(first, second) else conflict(first, second)

    def add(
        self,
        article_id: str,
        text: str,
        title: str | None = None,
        published: Any = None,
        entity_names: Iterable[str] = (),
        dates: Iterable[DateMention] = (),
        story_id: str | None = None,
    ) -> str:
        text, title = _with_title(text, title)
        entity_names = list(entity_names)
        terms = document_terms(text, title, entity_names)
        self._state.load((self._story, [article_id]), self.frequencies.wanted(terms))
        known = self._story.get(article_id)
        if known is not None:
            return known
        self.frequencies.observe(terms)
        doc = self._doc(article_id, text, published, terms, entity_names, dates)
        keys = doc.key_terms()
        if story_id is None:
            story_id = self._best_story(doc, keys) or article_id
        self._docs[article_id] = doc
        self._story[article_id] = story_id
        self._state.load((self._story_start, [story_id]), (self._postings, keys))
        start = self._story_start.get(story_id)
        if doc.published is not None and (start is None or doc.published < start):
            self._story_start[story_id] = doc.published
        posting = Posting(article_id, counter(self._count, "articles"), doc.published)
        for term in keys:
            self._postings[term] = [*self._postings.get(term, []), posting][-POSTING_SCAN:]
        return story_id

    def story_of(self, article_id: str) -> str | None:
        return self._story.get(article_id)

    def stories(self) -> dict[str, list[str]]:
        """Story id → article ids, of the articles indexed by this process."""
        grouped: dict[str, list[str]] = defaultdict(list)
        for doc in self._docs.values():
            grouped[self._story[doc.article_id]].append(doc.article_id)
        return dict(grouped)

    def __len__(self) -> int:
        return self._count.get("articles", 0)

    def _doc(
        self,
        article_id: str,
        text: str,
        published: Any,
        terms: Counter[str],
        entity_names: Iterable[str] = (),
        dates: Iterable[DateMention] = (),
    ) -> StoryDoc:
        """``text`` already carries the title as its first line (see ``_with_title``)."""
        moment = parse_moment(published)
        vector = self.frequencies.vector(terms)
        return StoryDoc(
            article_id,
            moment,
            vector,
            event_days(dates, moment),
            lead_tense(text) if self.tense_veto else None,
            embed(vector),
            frozenset(fold(name) for name in entity_names if name and name.strip()),
        )

    def _resolve(self, doc: StoryDoc | str) -> StoryDoc:
        return self._docs[doc] if isinstance(doc, str) else doc

    def _within_window(self, a: StoryDoc | Posting, b: StoryDoc | Posting) -> bool:
        if a.published is None or b.published is None:
            return True
        return abs(a.published - b.published) <= self.window

    def _candidates(self, doc: StoryDoc, keys: list[str]) -> list[str]:
        """Articles sharing a key term and published within the window, in arrival order (so
        that ties go the same way whatever the hash seed)."""
        self._postings.load(keys)
        found = {
            posting.article_id: posting
            for term in keys
            for posting in self._postings.get(term, [])
            if self._within_window(doc, posting)
        }
        ordered = [p.article_id for p in sorted(found.values(), key=lambda p: p.arrival)]
        self._state.load((self._docs, ordered), (self._story, ordered))
        self._story_start.load(self._story[article_id] for article_id in ordered)
        return ordered

    def _best_story(self, doc: StoryDoc, keys: list[str]) -> str | None:
        best_score, best_story = -1.0, None
        for candidate_id in self._candidates(doc, keys):
            same, score = self.same_story(doc, self._docs[candidate_id])
            story_id = self._story[candidate_id]
            if same and score > best_score and self._within_span(doc, story_id):
                best_score, best_story = score, story_id
        return best_story

    def _within_span(self, doc: StoryDoc, story_id: str) -> bool:
        """A story spans at most the window from its first article: no chains of daily
        reports (each night's drone attack is its own event)."""
        start = self._story_start.get(story_id)
        return start is None or doc.published is None or doc.published - start <= self.window


def read_document_frequencies(path: Path | None = None) -> tuple[int, dict[str, int]]:
    """(number of documents, lemma → document frequency) from the shipped TSV."""
    source = path or data_path(DF_RESOURCE)
    with source.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as lines:
        header = next(lines).rstrip("\n").split("\t")
        documents = int(header[1])
        table = {}
        for line in lines:
            term, count = line.rstrip("\n").split("\t")
            table[term] = int(count)
    return documents, table


def write_document_frequencies(texts: Iterable[str], path: Path, min_df: int = 2) -> int:
    """Count content-lemma document frequencies over texts; keep lemmas in ≥ min_df texts."""
    lem = lemmatizer()
    counts: Counter[str] = Counter()
    documents = 0
    for text in texts:
        lemmas = set(lem.content_lemmas(strip_boilerplate(text)))
        if lemmas:
            documents += 1
            counts.update(lemmas)
    with gzip.open(path, "wt", encoding="utf-8") as out:
        out.write(f"#documents\t{documents}\n")
        for term, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
            if count >= min_df:
                out.write(f"{term}\t{count}\n")
    return documents
