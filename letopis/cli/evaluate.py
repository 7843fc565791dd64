"""`letopis eval ...`: quality on real data sets."""

from __future__ import annotations

import typer

from letopis.eval.arguments import arguments_command
from letopis.eval.events import events_command
from letopis.eval.ner import ner_command
from letopis.eval.stories import stories_command


def register(app: typer.Typer) -> None:
    eval_app = typer.Typer(
        help="Measure quality (precision, recall, F1) on real data sets.", no_args_is_help=True
    )
    eval_app.command("ner")(ner_command)
    eval_app.command("stories")(stories_command)
    eval_app.command("events")(events_command)
    eval_app.command("arguments")(arguments_command)
    app.add_typer(eval_app, name="eval")
