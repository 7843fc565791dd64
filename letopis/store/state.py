"""The store's side of the corpus indexes' memory (letopis.corpus.state): the `index_state`
table, read and written in the session of the article being added."""

from __future__ import annotations

import hashlib
from functools import lru_cache

from sqlalchemy import bindparam, select, union_all
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from letopis.store.models import IndexState

KEY_LENGTH = 200  # longer keys (and keys PostgreSQL cannot hold) are stored as a digest
READ_BATCH = 500


class StateTable:
    """`letopis.corpus.state.Backend` over the index_state table; `session` is the
    transaction the corpus is writing in."""

    def __init__(self) -> None:
        self.session: Session | None = None

    def read(self, wanted: list[tuple[str, str]]) -> dict[tuple[str, str], str]:
        """One statement: a select per kind (each on the primary key), united."""
        stored = {(kind, stored_key(key)): (kind, key) for kind, key in wanted}
        by_kind: dict[str, list[str]] = {}
        for kind, key in stored:
            by_kind.setdefault(kind, []).append(key)
        parts = [
            (kind, keys[first : first + READ_BATCH])
            for kind, keys in by_kind.items()
            for first in range(0, len(keys), READ_BATCH)
        ]
        parameters = {}
        for number, (kind, keys) in enumerate(parts):
            parameters[f"kind{number}"] = kind
            parameters[f"keys{number}"] = keys
        rows = self._session().connection().execute(_read_statement(len(parts)), parameters)
        return {stored[(kind, key)]: value for kind, key, value in rows}

    def write(self, values: list[tuple[str, str, str]]) -> None:
        connection = self._session().connection()
        insert = postgresql.insert if connection.dialect.name == "postgresql" else sqlite.insert
        table = IndexState.__table__
        statement = insert(table)
        statement = statement.on_conflict_do_update(
            index_elements=[table.c.kind, table.c.key], set_={"value": statement.excluded.value}
        )
        connection.execute(
            statement,
            [{"kind": kind, "key": stored_key(key), "value": value} for kind, key, value in values],
        )

    def _session(self) -> Session:
        if self.session is None:
            raise RuntimeError("index state used outside a corpus transaction")
        return self.session


@lru_cache(maxsize=32)
def _read_statement(parts: int):
    """Rows of `parts` (kind, keys) pairs: built once per count, so SQLAlchemy's compiled
    cache serves every later read."""
    table = IndexState.__table__
    selects = [
        select(table.c.kind, table.c.key, table.c.value).where(
            table.c.kind == bindparam(f"kind{number}"),
            table.c.key.in_(bindparam(f"keys{number}", expanding=True)),
        )
        for number in range(parts)
    ]
    return selects[0] if parts == 1 else union_all(*selects)


def stored_key(key: str) -> str:
    if len(key) <= KEY_LENGTH and "\x00" not in key:
        return key
    return "#" + hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()
