"""`letopis serve`: the HTTP API and the web page over a corpus."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from letopis.cli.errors import user_errors
from letopis.cli.options import Db


def serve_command(
    db: Db = None,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option(min=1, help="Processes; each loads the models once.")] = 1,
    config: Annotated[
        Path | None,
        typer.Option(help="TOML file with api_key, open_reads, db (LETOPIS_API_KEY wins)."),
    ] = None,
) -> None:
    """Serve the chronicle: the API under /api/v1 (docs at /api/docs) and the web page at /.
    Writes (ingest, reviews) need the API key in LETOPIS_API_KEY or the config file."""
    import os

    import uvicorn

    from letopis.serve.settings import Settings

    with user_errors():
        settings = Settings.from_environment(db, config)
        if not settings.api_key:
            typer.echo("no API key set (LETOPIS_API_KEY): writes will be refused", err=True)
        if workers == 1:
            from letopis.serve.app import create_app

            app = create_app(settings, preload=True)
            uvicorn.run(app, host=host, port=port, log_level="info")
            return
        from letopis.corpus.corpus import Corpus

        Corpus(settings.db).close()  # migrate once, before the workers start
        os.environ.update(settings.to_environment())
        uvicorn.run(
            "letopis.serve.app:app_from_environment",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            log_level="info",
        )


def register(app: typer.Typer) -> None:
    app.command("serve")(serve_command)
