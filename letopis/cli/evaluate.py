"""`letopis eval ...`: quality on real data sets."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import typer

from letopis.cli.errors import user_errors
from letopis.eval.arguments import arguments_command
from letopis.eval.entities import entities_command
from letopis.eval.events import events_command
from letopis.eval.ner import ner_command
from letopis.eval.stories import stories_command


def _one_line_errors(command: Callable[..., Any]) -> Callable[..., Any]:
    """The eval commands raise Letopis errors; the CLI reports them in one line."""

    @functools.wraps(command)
    def run(*args: Any, **kwargs: Any) -> Any:
        with user_errors():
            return command(*args, **kwargs)

    return run


def register(app: typer.Typer) -> None:
    eval_app = typer.Typer(
        help="Measure quality (precision, recall, F1) on real data sets.", no_args_is_help=True
    )
    eval_app.command("ner")(_one_line_errors(ner_command))
    eval_app.command("stories")(_one_line_errors(stories_command))
    eval_app.command("events")(_one_line_errors(events_command))
    eval_app.command("arguments")(_one_line_errors(arguments_command))
    eval_app.command("entities")(_one_line_errors(entities_command))
    from letopis.cli.reviews import reviews_command

    eval_app.command("reviews")(reviews_command)
    app.add_typer(eval_app, name="eval")
