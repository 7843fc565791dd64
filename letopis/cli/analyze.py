"""`letopis analyze PATH...`: records for articles in files or on standard input."""

import typer


def register(app: typer.Typer) -> None:
    pass
