"""Placeholder: the corpus commands (ingest, events, search, ...) are being written."""

import typer


def register(app: typer.Typer) -> None:
    pass
