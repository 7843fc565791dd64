"""The store's side of the corpus indexes' memory (letopis.corpus.state): the `index_state`
table, read and written in the session of the article being added."""

from __future__ import annotations

import hashlib

from sqlalchemy import select
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

    def read(self, kind: str, keys: list[str]) -> dict[str, str]:
        stored = {stored_key(key): key for key in keys}
        found: dict[str, str] = {}
        listed = list(stored)
        for first in range(0, len(listed), READ_BATCH):
            chunk = listed[first : first + READ_BATCH]
            rows = self._session().execute(
                select(IndexState.key, IndexState.value).where(
                    IndexState.kind == kind, IndexState.key.in_(chunk)
                )
            )
            found.update({stored[key]: value for key, value in rows})
        return found

    def write(self, kind: str, values: dict[str, str]) -> None:
        session = self._session()
        insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else None
        insert = insert or sqlite.insert
        statement = insert(IndexState)
        statement = statement.on_conflict_do_update(
            index_elements=[IndexState.kind, IndexState.key],
            set_={"value": statement.excluded.value},
        )
        session.execute(
            statement,
            [
                {"kind": kind, "key": stored_key(key), "value": value}
                for key, value in values.items()
            ],
        )

    def _session(self) -> Session:
        if self.session is None:
            raise RuntimeError("index state used outside a corpus transaction")
        return self.session


def stored_key(key: str) -> str:
    if len(key) <= KEY_LENGTH and "\x00" not in key:
        return key
    return "#" + hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()
