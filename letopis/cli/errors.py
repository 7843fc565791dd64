"""User mistakes end in one line on stderr and a non-zero exit, never a traceback."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import NoReturn

import typer
from rich.console import Console

from letopis.errors import InputError

_stderr = Console(stderr=True)


def report(message: str) -> None:
    _stderr.print(f"error: {message}", style="red", markup=False, highlight=False, soft_wrap=True)


def fail(message: str, code: int = 2) -> NoReturn:
    report(message)
    raise typer.Exit(code)


@contextmanager
def user_errors() -> Iterator[None]:
    try:
        yield
    except InputError as error:
        fail(str(error))
    except KeyboardInterrupt:
        fail("interrupted", code=130)
