"""Options several commands share, declared once."""

from __future__ import annotations

from typing import Annotated

import typer

from letopis.ingest.limits import DEFAULT_MAX_ARTICLE_MB as DEFAULT_MAX_ARTICLE_MB

Db = Annotated[
    str | None,
    typer.Option(
        "--db",
        envvar="LETOPIS_DB",
        help="Database: a SQLite file (default letopis.db here) or postgresql://user@host/db.",
        show_default=False,
    ),
]
Limit = Annotated[int, typer.Option("--limit", "-n", min=1, help="Show at most this many.")]
MaxArticleMb = Annotated[
    float,
    typer.Option(
        "--max-article-mb",
        min=0.001,
        help="Refuse articles (and standard input, JSONL lines) larger than this many MB.",
    ),
]
