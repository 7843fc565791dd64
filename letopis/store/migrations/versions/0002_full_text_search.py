"""full-text search over article lemmas

SQLite: an FTS5 table whose rowid is the article id (FTS5 has no Russian stemmer, so the
lemmatised text is indexed). PostgreSQL: a GIN index on to_tsvector('russian', lemmas).

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute(
            "CREATE VIRTUAL TABLE article_search USING fts5("
            "lemmas, tokenize = 'unicode61 remove_diacritics 0')"
        )
    elif dialect == "postgresql":
        op.execute(
            "CREATE INDEX ix_articles_lemmas_fts ON articles "
            "USING gin (to_tsvector('russian', coalesce(lemmas, '')))"
        )


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute("DROP TABLE article_search")
    elif dialect == "postgresql":
        op.execute("DROP INDEX ix_articles_lemmas_fts")
