"""Persistence: SQLAlchemy models over SQLite (default) or PostgreSQL, migrated by Alembic on
open (letopis/store/migrations), with full-text search over article lemmas."""

from letopis.store import changes as _changes  # noqa: F401  (registers the change feed)
from letopis.store.db import DEFAULT_DB, Store, database_url

__all__ = ["DEFAULT_DB", "Store", "database_url"]
