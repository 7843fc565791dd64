"""The progress bar every long-running command draws on stderr."""

from __future__ import annotations

from types import TracebackType

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.status import Status
from rich.text import Text

PROGRESS_FROM = 5  # articles; fewer finish before a bar would be worth drawing


class RateColumn(ProgressColumn):
    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed:.1f} art/s" if speed else "", style="progress.data.speed")


def progress_bar(console: Console | None = None, *, disable: bool = False) -> Progress:
    """A bar with count, rate and ETA; Rich draws nothing when stderr is not a terminal."""
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        RateColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=console or Console(stderr=True),
        disable=disable,
    )


class IngestProgress:
    """A spinner while inputs are read, then a bar once the number of articles is known (for
    `Corpus.ingest`'s `progress` callback)."""

    def __init__(self, console: Console, description: str = "ingesting"):
        self.console, self.description = console, description
        self._status: Status | None = None
        self._bar: Progress | None = None

    def __enter__(self) -> IngestProgress:
        self._status = self.console.status("reading inputs", spinner="dots")
        self._status.start()
        return self

    def __call__(self, done: int, total: int) -> None:
        if self._bar is None:
            self._stop_status()
            self._bar = progress_bar(self.console, disable=total < PROGRESS_FROM)
            self._bar.start()
            self._task = self._bar.add_task(self.description, total=total)
        self._bar.update(self._task, completed=done)

    def __exit__(
        self, kind: type | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self._stop_status()
        if self._bar is not None:
            self._bar.stop()

    def _stop_status(self) -> None:
        if self._status is not None:
            self._status.stop()
            self._status = None
