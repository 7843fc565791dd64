"""`letopis batch` (analyze a corpus in parallel into Parquet tables) and `letopis load` (put
those tables into a corpus database)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from letopis.cli.corpus import print_ingest_summary
from letopis.cli.errors import user_errors
from letopis.cli.options import Db
from letopis.cli.progress import progress_bar
from letopis.store.db import database_url

_stderr = Console(stderr=True)


def batch_command(
    inputs: Annotated[
        list[str],
        typer.Argument(
            metavar="PATH_OR_URL...",
            help="Articles to analyze: anything `letopis ingest` reads (.txt, .jsonl, HTML, "
            "RSS/Atom, Telegram JSON, directories, URLs).",
            show_default=False,
        ),
    ],
    out: Annotated[
        Path,
        typer.Option(
            "--out",
            "-o",
            help="Output directory: Parquet tables per shard and manifest.json. Running "
            "again with the same inputs skips the shards already finished there.",
        ),
    ],
    engine: Annotated[
        str,
        typer.Option(
            help="local: a pool of processes on this machine; dask: dask.distributed "
            "(a local cluster, or the one at --scheduler).",
        ),
    ] = "local",
    scheduler: Annotated[
        str | None,
        typer.Option(help="Address of a running Dask scheduler (tcp://host:8786)."),
    ] = None,
    workers: Annotated[
        int, typer.Option(min=1, help="Worker processes (ignored with --scheduler).")
    ] = 1,
    shard_size: Annotated[
        int, typer.Option(min=1, help="Articles per shard: the unit of work and of resuming.")
    ] = 100,
    published: Annotated[
        str | None, typer.Option(help="Date for articles that carry none (YYYY-MM-DD).")
    ] = None,
) -> None:
    """Analyze many articles in parallel into Parquet tables (articles, entities, mentions,
    places, dates, events, event_arguments, failures); `letopis load` stores them."""
    with user_errors():
        from letopis.batch.run import Engine, run_batch
        from letopis.errors import InputError

        if engine not in Engine.__members__:
            raise InputError(f"unknown engine {engine!r}: use local or dask")
        with _BatchProgress() as progress:
            summary = run_batch(
                inputs,
                out,
                engine=engine,
                workers=workers,
                scheduler=scheduler,
                shard_size=shard_size,
                published=published,
                events=progress.events(),
            )
    _print_summary(summary, out)
    if summary.lost_shards:
        _stderr.print(
            f"{len(summary.lost_shards)} shards were not analyzed: run the same command again "
            "to retry them",
            style="red",
            markup=False,
        )
    if summary.input_errors or summary.failed or summary.lost_shards:
        raise typer.Exit(1)


def load_command(
    directory: Annotated[
        Path, typer.Argument(help="A `letopis batch --out` directory.", show_default=False)
    ],
    db: Db = None,
) -> None:
    """Store a batch output in a corpus, with duplicates, stories, canonical entities and
    merged events, exactly as `letopis ingest` of the same inputs would."""
    with user_errors():
        from letopis.batch.load import load, total_articles

        bar = progress_bar(_stderr)
        with bar:
            task = bar.add_task("loading", total=total_articles(directory))
            summary = load(directory, db, progress=lambda done, _: bar.update(task, completed=done))
    print_ingest_summary(_stderr, summary, database_url(db).render_as_string(hide_password=True))
    if summary.failed:
        raise typer.Exit(1)


class _BatchProgress:
    """A bar over the articles still to analyze, advanced shard by shard."""

    def __init__(self):
        self.bar = progress_bar(_stderr)
        self.task = None

    def __enter__(self) -> _BatchProgress:
        self.status = _stderr.status("reading inputs", spinner="dots")
        self.status.start()
        return self

    def __exit__(self, *exc) -> None:
        self.status.stop()
        self.bar.stop()

    def events(self):
        from letopis.batch.run import BatchEvents

        return BatchEvents(
            started=self._started,
            engine_ready=self._engine_ready,
            shard_done=self._shard_done,
            notify=lambda message: _stderr.print(message, markup=False, soft_wrap=True),
        )

    def _started(self, total: int, skipped: int) -> None:
        if skipped:
            _stderr.print(f"{skipped} of {total} articles done in an earlier run: skipped")
        self.status.update("starting workers and loading models")
        self.todo = total - skipped

    def _engine_ready(self, dashboard: str | None) -> None:
        self.status.stop()
        if dashboard:
            _stderr.print(f"Dask dashboard: {dashboard}", markup=False, highlight=False)
        self.task = self.bar.add_task("analyzing", total=self.todo)
        self.bar.start()

    def _shard_done(self, result) -> None:
        self.bar.advance(self.task, len(result.shard.articles))


def _print_summary(summary, out: Path) -> None:
    rate = f", {summary.articles_per_second:.1f} articles/s" if summary.analyzed else ""
    unread = f", {len(summary.input_errors)} inputs unreadable" if summary.input_errors else ""
    failures = f" (listed in {out / 'failures'})" if summary.failed else ""
    _stderr.print(
        f"{summary.analyzed} analyzed, {summary.failed} failed{failures}, in {summary.shards} "
        f"shards; {summary.skipped} skipped as done before{unread}{rate} → {out}",
        markup=False,
        highlight=False,
        soft_wrap=True,
    )


def register(app: typer.Typer) -> None:
    app.command("batch")(batch_command)
    app.command("load")(load_command)
