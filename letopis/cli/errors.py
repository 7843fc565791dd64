"""User mistakes end in one line on stderr and a non-zero exit, never a traceback."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import NoReturn

import typer
from rich.console import Console
from sqlalchemy.exc import SQLAlchemyError

from letopis.errors import DataError, InputError, LetopisError

_stderr = Console(stderr=True)


def report(message: str) -> None:
    _stderr.print(f"error: {message}", style="red", markup=False, highlight=False, soft_wrap=True)


def fail(message: str, code: int = 2) -> NoReturn:
    report(message)
    raise typer.Exit(code)


def exit_code(error: LetopisError) -> int:
    """2 for the user's own input, 3 for a broken rule or data file, 1 for anything else."""
    if isinstance(error, InputError):
        return 2
    return 3 if isinstance(error, DataError) else 1


@contextmanager
def user_errors() -> Iterator[None]:
    try:
        yield
    except LetopisError as error:
        fail(str(error), exit_code(error))
    except SQLAlchemyError as error:
        original = getattr(error, "orig", None) or error
        fail(f"database error: {str(original).strip().splitlines()[0]}")
    except KeyboardInterrupt:
        fail("interrupted", code=130)
