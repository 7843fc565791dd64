"""The content of a store's tables, for comparing two stores row for row (ingest times left out)."""

from __future__ import annotations

from sqlalchemy import select

from letopis.store import models
from letopis.store.db import Store

TABLES = (
    "articles",
    "stories",
    "canonical_entities",
    "merged_events",
    "entities",
    "events",
    "event_arguments",
)
VOLATILE = frozenset({"ingested_at"})


def dump(url: str) -> dict[str, list[tuple]]:
    store = Store(url)
    try:
        with store.engine.connect() as connection:
            out = {}
            for name in TABLES:
                table = models.Base.metadata.tables[name]
                columns = [c for c in table.columns if c.name not in VOLATILE]
                rows = connection.execute(select(*columns).order_by(*table.primary_key.columns))
                out[name] = [tuple(_plain(v) for v in row) for row in rows]
            return out
    finally:
        store.close()


def _plain(value):
    """JSON columns come back as lists and dicts: make them comparable and printable."""
    if isinstance(value, list | dict):
        import json

        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return value
