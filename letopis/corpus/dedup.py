"""Exact and near duplicates among articles, found incrementally as they arrive.

API
---
- ``content_hash(text) -> str``: SHA-256 (hex) of ``letopis.corpus.text.normalise(text)``.
  Two texts that differ only in case, ``ё``/``е``, whitespace, punctuation, emoji, Markdown
  markup, URLs, @handles or channel boilerplate lines ("Подписаться", "Прислать новость", ...
  listed in ``letopis/data/telegram_boilerplate.txt``) hash alike; so a repost with another
  channel's footer is an exact duplicate. Digits and words are kept: "121 заболевший" and
  "120 заболевших" differ. A text with no words left hashes to ``EMPTY_HASH`` and is never
  reported as anyone's duplicate.
- ``DuplicateIndex(threshold=0.8, num_perm=128, shingle=3)``:
  - ``add(article_id, text) -> Duplicate | None``: indexes the article; returns
    ``Duplicate(kind="exact" | "near", of=<first article of the group>, similarity)`` or None.
    ``of`` always names the group's first (canonical) article, never a duplicate.
  - ``from_rows(rows)``: rebuild from ``(article_id, text)`` pairs in arrival order.
  Re-adding an id already indexed returns its earlier answer.

Near duplicates: MinHash (datasketch, ``num_perm`` permutations) over word ``shingle``-grams of
the normalised text (texts shorter than a shingle use their words), banded as datasketch's LSH
bands them for Jaccard ``threshold``; a candidate counts when its estimated Jaccard similarity
is ≥ ``threshold``. Texts with fewer than ``MIN_NEAR_WORDS`` words are matched only exactly
(MinHash on a handful of words says nothing). The index keeps, per article, its answer and
signature, and per band key the newest ``BAND_SCAN`` articles: its memory is a
``letopis.corpus.state.State`` (in memory, or the store's), so a look-up reads a bounded number
of entries whatever the corpus size.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy
from datasketch import MinHash, MinHashLSH

from letopis.corpus.state import Codec, State, counter
from letopis.corpus.text import normalise

EMPTY_HASH = hashlib.sha256(b"").hexdigest()
MIN_NEAR_WORDS = 8
BAND_SCAN = 200  # the newest articles kept per band key


@dataclass(frozen=True)
class Duplicate:
    kind: str  # "exact" | "near"
    of: str  # the first article of the duplicate group
    similarity: float  # 1.0 for exact; estimated Jaccard of word shingles for near


@dataclass
class _Seen:
    """What the index keeps of one article."""

    arrival: int
    answer: Duplicate | None
    signature: numpy.ndarray | None  # MinHash values

    @property
    def group(self) -> str | None:
        return self.answer.of if self.answer else None


def _encode_seen(seen: _Seen) -> dict[str, Any]:
    answer = seen.answer
    return {
        "n": seen.arrival,
        "answer": [answer.kind, answer.of, answer.similarity] if answer else None,
        "sig": base64.b64encode(seen.signature.tobytes()).decode()
        if seen.signature is not None
        else None,
    }


def _decode_seen(data: dict[str, Any]) -> _Seen:
    answer = Duplicate(*data["answer"]) if data["answer"] else None
    signature = (
        numpy.frombuffer(base64.b64decode(data["sig"]), dtype=numpy.uint32) if data["sig"] else None
    )
    return _Seen(data["n"], answer, signature)


SEEN = Codec(_encode_seen, _decode_seen)


def content_hash(text: str) -> str:
    return hashlib.sha256(normalise(text).encode("utf-8")).hexdigest()


def shingles(words: list[str], size: int) -> set[str]:
    if len(words) <= size:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i : i + size]) for i in range(len(words) - size + 1)}


class DuplicateIndex:
    def __init__(
        self,
        threshold: float = 0.8,
        num_perm: int = 128,
        shingle: int = 3,
        state: State | None = None,
    ):
        self.threshold = threshold
        self.num_perm = num_perm
        self.shingle = shingle
        self._bands = MinHashLSH(threshold=threshold, num_perm=num_perm).hashranges
        state = state or State()
        self._state = state
        self._by_hash = state.map("dup.hash")  # normalised-text digest → its first article
        self._seen = state.map("dup.seen", SEEN)  # article id → _Seen
        self._band = state.map("dup.band")  # band key → newest article ids with it
        self._count = state.map("dup.count")

    @classmethod
    def from_rows(cls, rows: Iterable[tuple[str, str]], **options) -> DuplicateIndex:
        index = cls(**options)
        for article_id, text in rows:
            index.add(article_id, text)
        return index

    def add(self, article_id: str, text: str) -> Duplicate | None:
        normalised = normalise(text)
        digest = _digest(normalised)
        words = normalised.split()
        signature = self._signature(words) if len(words) >= MIN_NEAR_WORDS else None
        bands = self._band_keys(signature) if signature is not None else []
        self._state.load((self._seen, [article_id]), (self._by_hash, [digest]), (self._band, bands))
        seen = self._seen.get(article_id)
        if seen is not None:
            return seen.answer
        answer = self._match(digest, signature, bands)
        if digest != EMPTY_HASH and digest not in self._by_hash:
            self._by_hash[digest] = article_id
        for key in bands:
            self._band[key] = [*self._band.get(key, []), article_id][-BAND_SCAN:]
        arrival = counter(self._count, "articles")
        self._seen[article_id] = _Seen(arrival, answer, signature)
        return answer

    def __len__(self) -> int:
        return self._count.get("articles", 0)

    def _match(
        self, digest: str, signature: numpy.ndarray | None, bands: list[str]
    ) -> Duplicate | None:
        if digest != EMPTY_HASH and digest in self._by_hash:
            return Duplicate("exact", self._group(self._by_hash[digest]), 1.0)
        if signature is None:
            return None
        candidates = {c for key in bands for c in self._band.get(key, [])}
        self._seen.load(candidates)
        best_id, best_similarity = None, 0.0
        # In arrival order, so that ties go the same way every run.
        for candidate in sorted(candidates, key=lambda c: self._seen[c].arrival):
            other = self._seen[candidate].signature
            similarity = float(numpy.count_nonzero(signature == other)) / len(signature)
            if similarity >= self.threshold and similarity > best_similarity:
                best_id, best_similarity = candidate, similarity
        if best_id is None:
            return None
        return Duplicate("near", self._group(best_id), round(best_similarity, 3))

    def _group(self, article_id: str) -> str:
        return self._seen[article_id].group or article_id

    def _signature(self, words: list[str]) -> numpy.ndarray:
        minhash = MinHash(num_perm=self.num_perm)
        minhash.update_batch([s.encode("utf-8") for s in shingles(words, self.shingle)])
        return minhash.hashvalues.astype(numpy.uint32)

    def _band_keys(self, signature: numpy.ndarray) -> list[str]:
        return [
            f"{number}:{hashlib.blake2b(signature[start:end].tobytes(), digest_size=8).hexdigest()}"
            for number, (start, end) in enumerate(self._bands)
        ]


def _digest(normalised: str) -> str:
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()
