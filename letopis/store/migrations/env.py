"""Alembic environment: Letopis runs migrations programmatically on a connection it passes in
`config.attributes["connection"]` (see letopis.store.db); `alembic` on the command line works too
with `-x url=...`."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from letopis.store.db import described_by_models
from letopis.store.models import Base

target_metadata = Base.metadata


def run_migrations_online() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = context.get_x_argument(as_dictionary=True).get("url") or context.config.get_main_option(
        "sqlalchemy.url"
    )
    engine = create_engine(url)
    with engine.connect() as connection:
        _run(connection)
        connection.commit()


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        include_name=described_by_models,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("Letopis migrations run online only: pass -x url=DATABASE_URL")
run_migrations_online()
