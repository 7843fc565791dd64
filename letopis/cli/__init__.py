"""The `letopis` command line: one command per library function."""

from __future__ import annotations

import typer

from letopis.cli import analyze, batch, corpus, evaluate, serve, watch
from letopis.cli.errors import exit_code, report
from letopis.errors import LetopisError

app = typer.Typer(
    help="Letopis: a chronicle of political events read natively from Russian-language news.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
analyze.register(app)
evaluate.register(app)
corpus.register(app)
watch.register(app)
serve.register(app)
batch.register(app)


def main() -> None:
    try:
        app()
    except LetopisError as error:  # commands report their own; this is the last line of defence
        report(str(error))
        raise SystemExit(exit_code(error)) from None
