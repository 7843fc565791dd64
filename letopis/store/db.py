"""Opening a corpus database: URL handling, connection checks, SQLite settings, migrations."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from importlib import resources
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event, make_url
from sqlalchemy.engine import URL
from sqlalchemy.exc import ArgumentError, DatabaseError, NoSuchModuleError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from letopis.errors import InputError
from letopis.store import lock

DEFAULT_DB = "letopis.db"
CONNECT_TIMEOUT_S = 5
SQLITE_BUSY_TIMEOUT_MS = 30_000
SQLITE_SIDE_FILES = ("-wal", "-shm", "-journal", ".lock")


def database_url(value: str | None = None) -> URL:
    """A SQLAlchemy URL from what a user types: nothing (letopis.db here), a file path,
    `sqlite:///…`, or `postgresql://…` (driven by psycopg 3)."""
    value = (value or DEFAULT_DB).strip()
    if "://" not in value:
        return URL.create("sqlite", database=str(Path(value).expanduser()))
    try:
        url = make_url(value)
    except ArgumentError:
        raise InputError(f"not a database URL: {value!r}") from None
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
    if url.get_backend_name() not in ("sqlite", "postgresql"):
        raise InputError(
            f"unsupported database {url.get_backend_name()!r}: use SQLite or "
            "PostgreSQL (postgresql://user@host:port/database)"
        )
    return url


class Store:
    """A connection pool on one corpus database, migrated to the current schema on open."""

    def __init__(self, url: str | None = None, *, migrate: bool = True):
        self.url = database_url(url)
        self.display_url = self.url.render_as_string(hide_password=True)
        self.engine = _engine(self.url)
        self.dialect = self.engine.dialect.name
        self._check_connection()
        if migrate:
            self.migrate()
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)

    def session(self) -> Session:
        return self.sessions()

    def migrate(self) -> None:
        """Bring the schema to the newest migration (no-op when it is already there). Two
        processes opening a new store at once take turns: the second finds it migrated."""
        config = _alembic_config()
        head = ScriptDirectory.from_config(config).get_current_head()
        if self._revision() == head:
            return
        with self.lock("migrate", lambda message: None), self.engine.begin() as connection:
            if self.dialect == "postgresql":
                lock.advisory_transaction_lock(connection, "letopis-migrate")
            current = MigrationContext.configure(connection).get_current_revision()
            if current == head:
                return
            config.attributes["connection"] = connection
            command.upgrade(config, "head")

    def _revision(self) -> str | None:
        with self.engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()

    @contextmanager
    def lock(self, purpose: str, notify: lock.Notify) -> Iterator[None]:
        """Exclusive among processes using this store for `purpose` ("write", "migrate"): a
        lock file beside a SQLite database (one for both purposes), an advisory lock on
        PostgreSQL; an in-memory database needs none."""
        waiting = f"waiting for another letopis process to finish writing to {self.display_url}"
        lock_file = self._lock_file()
        if lock_file is not None:
            with lock.file_lock(lock_file, notify, waiting):
                yield
        elif self.dialect == "postgresql" and purpose != "migrate":
            with lock.advisory_lock(self.engine, f"letopis-{purpose}", notify, waiting):
                yield
        else:
            yield

    def close(self) -> None:
        self.engine.dispose()

    def _lock_file(self) -> Path | None:
        files = self.files()
        return next((f for f in files if f.name.endswith(".lock")), None)

    def files(self) -> list[Path]:
        """The files a SQLite store keeps (database, WAL, shared memory, journal, lock); none
        for PostgreSQL. Outputs must never be written over them."""
        database = self.url.database or ""
        if self.dialect != "sqlite" or database in ("", ":memory:"):
            return []
        path = Path(database)
        return [path, *(path.with_name(path.name + tail) for tail in SQLITE_SIDE_FILES)]

    def _check_connection(self) -> None:
        try:
            with self.engine.connect() as connection:
                if self.dialect == "sqlite":
                    # Opening a non-database file succeeds; the first read tells.
                    connection.exec_driver_sql("SELECT count(*) FROM sqlite_master")
        except (OperationalError, DatabaseError) as error:
            raise InputError(
                f"cannot open the database {self.display_url}: {_reason(error)}"
            ) from None


# Full-text search objects created by raw SQL in migrations 0002 and 0003, not in the models.
FULL_TEXT_OBJECTS = ("article_search", "ix_articles_lemmas_fts")


def described_by_models(name: str | None, type_: str, parent_names: dict) -> bool:
    """Alembic `include_name` hook: leave the full-text search objects out of comparisons."""
    return not (name and name.startswith(FULL_TEXT_OBJECTS))


def _engine(url: URL) -> Engine:
    if url.get_backend_name() == "sqlite":
        database = url.database or ""
        if database and database != ":memory:":
            parent = Path(database).expanduser().resolve().parent
            if not parent.is_dir():
                raise InputError(f"cannot open the database {database}: no directory {parent}")
        engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})
        event.listen(engine, "connect", _sqlite_settings)
        return engine
    try:
        return create_engine(
            url, pool_pre_ping=True, connect_args={"connect_timeout": CONNECT_TIMEOUT_S}
        )
    except NoSuchModuleError as error:
        raise InputError(f"no driver for {url.drivername}: {error}") from None


def _sqlite_settings(dbapi_connection, _record) -> None:
    """WAL keeps readers and the one writer apart, and a killed writer leaves the last committed
    state; NORMAL sync is durable across process kills (not power loss) and much faster."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.close()


@lru_cache(maxsize=1)
def _alembic_config() -> Config:
    config = Config()
    config.set_main_option(
        "script_location", str(resources.files("letopis.store").joinpath("migrations"))
    )
    return config


def _reason(error: Exception) -> str:
    original = getattr(error, "orig", None) or error
    lines = [line.strip() for line in str(original).splitlines() if line.strip()]
    return lines[0] if lines else type(original).__name__
