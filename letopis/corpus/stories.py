"""Same-story grouping: articles that report the same event share a story id.

API
---
``StoryIndex(window_days=3.0, threshold=SAME_STORY_THRESHOLD)``
  - ``add(article_id, text, title=None, published=None, entity_names=(), story_id=None) -> str``:
    indexes the article and returns its story id. The story id of a new story is the id of its
    first article. Pass ``story_id`` to replay a stored assignment (no matching is done), e.g. to
    rebuild the index from the store's rows: ``StoryIndex.from_rows(rows)`` does exactly that for
    an iterable of ``StoryRow`` (or any object with those attributes).
  - ``document(text, title=None, published=None, entity_names=(), article_id="")``:
    the ``StoryDoc`` (weighted, normalised term vector + publication time) under the current
    statistics, without indexing it; ``observe(text, title, entity_names)`` only updates the
    document frequencies (unlabelled statistics).
  - ``same_story(a, b) -> (bool, score)``: THE decision used by ``add`` — cosine similarity of
    the two term vectors, ``score >= threshold`` and publication times (when both are known) at
    most ``window_days`` apart. ``a`` and ``b`` are ``StoryDoc`` objects or indexed article ids.
  - ``story_of(article_id)``, ``stories()`` (story id → article ids).

Representation: content-word lemmas of title + text (channel boilerplate removed; pymorphy2,
function words dropped), weight ``(1 + ln tf) * idf``; the title counts once (prepended unless the
text already starts with it; extra title weight did not help on the development pairs). Entity
names from the article's Record (normalised, e.g. "Владимир Путин") are extra terms
``"@владимир путин"`` whose idf is computed over the articles that carried entity names.
Lemma document frequencies start from a prior shipped in ``letopis/data/story_df.tsv.gz``
(content lemmas of the 17.7k tg-news-posts-2024 posts, lemmas seen in ≥2 posts; regenerate with
``write_document_frequencies``) and grow with every indexed article. A vector is fixed when its
article is indexed.

Incremental and sub-quadratic: each article is compared only with candidates from an inverted
index over its ``KEY_TERMS`` highest-weighted terms (rare lemmas and entities); only the newest
``POSTING_SCAN`` entries of each posting list are read and candidates outside the time window
are skipped. It joins the story of its best-scoring candidate that passes ``same_story`` and
whose story began at most ``window_days`` before it (stories do not chain on for weeks).

Threshold: ``SAME_STORY_THRESHOLD`` = 0.38 — the only fitted parameter: the F1-optimal cut on
the development pairs (``../shared/eval/dev/story_pairs.jsonl``), taken as the midpoint of the
gap between the neighbouring scores (0.364 and 0.391) and rounded; leave-one-out over those
pairs (threshold refitted on 39, applied to the 40th) also gives F1 0.86. See
``letopis eval stories``.
"""

from __future__ import annotations

import gzip
import heapq
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from importlib import resources
from pathlib import Path
from typing import Any

from letopis.corpus.text import fold, lemmatizer, strip_boilerplate

SAME_STORY_THRESHOLD = 0.38
WINDOW_DAYS = 3.0
KEY_TERMS = 12
POSTING_SCAN = 300
ENTITY_PREFIX = "@"
DF_RESOURCE = "story_df.tsv.gz"


@dataclass
class StoryDoc:
    article_id: str
    published: datetime | None
    vector: dict[str, float]  # unit-length tf-idf weights

    def key_terms(self, count: int = KEY_TERMS) -> list[str]:
        return heapq.nlargest(count, self.vector, key=self.vector.__getitem__)


@dataclass
class StoryRow:
    """What the store keeps to rebuild the index."""

    article_id: str
    text: str
    title: str | None
    published: Any
    entity_names: Sequence[str]
    story_id: str


def parse_published(value: Any) -> datetime | None:
    """YYYY-MM-DD, an ISO timestamp, a date or a datetime → naive UTC datetime; else None."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime(value.year, value.month, value.day)
    else:
        try:
            moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
        except ValueError:
            return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment


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

    def __init__(self, prior: dict[str, int] | None = None, prior_documents: int = 0):
        self.df: Counter[str] = Counter(prior or {})
        self.documents = prior_documents
        self.entity_documents = 0

    @classmethod
    def shipped(cls) -> DocumentFrequencies:
        documents, prior = read_document_frequencies()
        return cls(prior, documents)

    def observe(self, terms: Iterable[str]) -> None:
        distinct = set(terms)
        self.df.update(distinct)
        self.documents += 1
        if any(term.startswith(ENTITY_PREFIX) for term in distinct):
            self.entity_documents += 1

    def idf(self, term: str) -> float:
        total = self.entity_documents if term.startswith(ENTITY_PREFIX) else self.documents
        return math.log((total + 1) / (self.df.get(term, 0) + 1)) + 1.0

    def vector(self, terms: Counter[str]) -> dict[str, float]:
        weights = {t: (1.0 + math.log(n)) * self.idf(t) for t, n in terms.items() if n > 0}
        norm = math.sqrt(sum(w * w for w in weights.values()))
        return {t: w / norm for t, w in weights.items()} if norm else {}


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(weight * b.get(term, 0.0) for term, weight in a.items())


class StoryIndex:
    def __init__(
        self,
        window_days: float = WINDOW_DAYS,
        threshold: float = SAME_STORY_THRESHOLD,
        frequencies: DocumentFrequencies | None = None,
    ):
        self.window = timedelta(days=window_days)
        self.threshold = threshold
        self.frequencies = frequencies or DocumentFrequencies.shipped()
        self._docs: dict[str, StoryDoc] = {}
        self._story: dict[str, str] = {}
        self._story_start: dict[str, datetime] = {}
        self._postings: dict[str, list[str]] = defaultdict(list)

    @classmethod
    def from_rows(cls, rows: Iterable[Any], **options: Any) -> StoryIndex:
        index = cls(**options)
        for row in rows:
            index.add(row.article_id, row.text, row.title, row.published, row.entity_names,
                      story_id=row.story_id)
        return index

    def observe(self, text: str, title: str | None = None, entity_names: Iterable[str] = ()):
        text, title = _with_title(text, title)
        self.frequencies.observe(document_terms(text, title, entity_names))

    def document(self, text: str, title: str | None = None, published: Any = None,
                 entity_names: Iterable[str] = (), article_id: str = "") -> StoryDoc:
        text, title = _with_title(text, title)
        terms = document_terms(text, title, entity_names)
        return StoryDoc(article_id, parse_published(published), self.frequencies.vector(terms))

    def same_story(self, a: StoryDoc | str, b: StoryDoc | str) -> tuple[bool, float]:
        first, second = self._resolve(a), self._resolve(b)
        score = cosine(first.vector, second.vector)
        return score >= self.threshold and self._within_window(first, second), score

    def add(self, article_id: str, text: str, title: str | None = None, published: Any = None,
            entity_names: Iterable[str] = (), story_id: str | None = None) -> str:
        if article_id in self._story:
            return self._story[article_id]
        text, title = _with_title(text, title)
        terms = document_terms(text, title, entity_names)
        self.frequencies.observe(terms)
        doc = StoryDoc(article_id, parse_published(published), self.frequencies.vector(terms))
        keys = doc.key_terms()
        if story_id is None:
            story_id = self._best_story(doc, keys) or article_id
        self._docs[article_id] = doc
        self._story[article_id] = story_id
        start = self._story_start.get(story_id)
        if doc.published is not None and (start is None or doc.published < start):
            self._story_start[story_id] = doc.published
        for term in keys:
            self._postings[term].append(article_id)
        return story_id

    def story_of(self, article_id: str) -> str | None:
        return self._story.get(article_id)

    def stories(self) -> dict[str, list[str]]:
        grouped: dict[str, list[str]] = defaultdict(list)
        for article_id, story_id in self._story.items():
            grouped[story_id].append(article_id)
        return dict(grouped)

    def __len__(self) -> int:
        return len(self._docs)

    def _resolve(self, doc: StoryDoc | str) -> StoryDoc:
        return self._docs[doc] if isinstance(doc, str) else doc

    def _within_window(self, a: StoryDoc, b: StoryDoc) -> bool:
        if a.published is None or b.published is None:
            return True
        return abs(a.published - b.published) <= self.window

    def _candidates(self, doc: StoryDoc, keys: list[str]) -> set[str]:
        found: set[str] = set()
        for term in keys:
            postings = self._postings.get(term)
            if postings:
                found.update(postings[-POSTING_SCAN:])
        return found

    def _best_story(self, doc: StoryDoc, keys: list[str]) -> str | None:
        best_score, best_story = -1.0, None
        for candidate_id in self._candidates(doc, keys):
            candidate = self._docs[candidate_id]
            if not self._within_window(doc, candidate):
                continue  # cheap test first: most old candidates fail it
            same, score = self.same_story(doc, candidate)
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
    source = path or resources.files("letopis.data").joinpath(DF_RESOURCE)
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
