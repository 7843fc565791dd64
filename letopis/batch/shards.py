"""Cutting the input into shards with stable names: the same inputs cut the same way give the
same shards, so a re-run recognises the ones it finished."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator

from letopis.batch.worker import Shard
from letopis.ingest.article import Article
from letopis.store.write import input_hash


def cut(articles: Iterable[Article], size: int) -> Iterator[Shard]:
    batch: list[Article] = []
    start = 0
    for article in articles:
        batch.append(article)
        if len(batch) == size:
            yield _shard(start // size, start, batch)
            start += size
            batch = []
    if batch:
        yield _shard(start // size, start, batch)


def _shard(index: int, start: int, articles: list[Article]) -> Shard:
    digest = hashlib.sha256()
    for article in articles:
        digest.update(input_hash(article).encode("ascii"))
    return Shard(f"{index:06d}", digest.hexdigest()[:16], start, articles)
