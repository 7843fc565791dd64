"""full-text search without stemming on PostgreSQL, as on SQLite

The lemmas are already normalised; the 'russian' configuration stemmed them once more, so that
"удар" also found "ударить" on PostgreSQL but not on SQLite. The 'simple' configuration matches
lemmas as they are, like SQLite's FTS5 table.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_articles_lemmas_fts")
        op.execute(
            "CREATE INDEX ix_articles_lemmas_fts_simple ON articles "
            "USING gin (to_tsvector('simple', coalesce(lemmas, '')))"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_articles_lemmas_fts_simple")
        op.execute(
            "CREATE INDEX ix_articles_lemmas_fts ON articles "
            "USING gin (to_tsvector('russian', coalesce(lemmas, '')))"
        )
