"""`letopis eval ...`: quality on real data sets."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    eval_app = typer.Typer(help="Measure quality (precision, recall, F1) on real data sets.",
                           no_args_is_help=True)
    app.add_typer(eval_app, name="eval")
