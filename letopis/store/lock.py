"""One writer at a time per corpus, and schema migrations one process at a time.

SQLite: an exclusive `flock` on `<database>.lock` beside the database. PostgreSQL: an advisory
lock keyed by the purpose and the current schema, so corpora in different schemas of one database
do not wait for each other. Readers never take these locks. A process that has to wait says so
once (`notify`) and then waits as long as it takes.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Connection, Engine, text

from letopis.errors import InputError

Notify = Callable[[str], None]


@contextmanager
def file_lock(path: Path, notify: Notify, waiting: str) -> Iterator[None]:
    try:
        handle = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
    except OSError as error:
        raise InputError(f"cannot lock {path}: {error.strerror}") from None
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            notify(waiting)
            fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)  # closing releases the lock


@contextmanager
def advisory_lock(engine: Engine, purpose: str, notify: Notify, waiting: str) -> Iterator[None]:
    """A session-level advisory lock held on a connection of its own."""
    with engine.connect() as connection:
        key = _key(connection, purpose)
        acquired = connection.scalar(text("SELECT pg_try_advisory_lock(:key)"), {"key": key})
        if not acquired:
            notify(waiting)
            connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": key})
        connection.commit()
        try:
            yield
        finally:
            connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": key})
            connection.commit()


def advisory_transaction_lock(connection: Connection, purpose: str) -> None:
    """Held until the connection's transaction ends."""
    key = _key(connection, purpose)
    connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})


def _key(connection: Connection, purpose: str) -> int:
    return connection.scalar(
        text("SELECT hashtext(:purpose || ':' || current_schema())::bigint"), {"purpose": purpose}
    )
