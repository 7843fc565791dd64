"""`letopis watch`: poll feeds and pages on a schedule into a corpus (`letopis.corpus.watch`)."""

from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from letopis.cli.errors import user_errors
from letopis.cli.options import DEFAULT_MAX_ARTICLE_MB, Db, MaxArticleMb
from letopis.errors import InputError


def watch_command(
    sources: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="SOURCE...",
            help="RSS/Atom feeds or pages to poll: http(s) URLs.",
            show_default=False,
        ),
    ] = None,
    sources_file: Annotated[
        Path | None,
        typer.Option(
            "--sources",
            "-s",
            help="A YAML file listing sources: each item a URL or {url: URL, every: 30m}.",
            show_default=False,
        ),
    ] = None,
    every: Annotated[
        str,
        typer.Option(
            help="How often to poll each source: 30s, 15m, 1h, 1h30m (GDELT's cadence is 15m).",
        ),
    ] = "15m",
    rounds: Annotated[
        int | None,
        typer.Option(
            min=1, help="Stop after this many rounds (default: until Ctrl-C).", show_default=False
        ),
    ] = None,
    per_host_delay: Annotated[
        float,
        typer.Option(min=0, help="Seconds at least between two requests to the same host."),
    ] = 1.0,
    max_backoff: Annotated[
        str,
        typer.Option(
            help="The longest wait before asking a failing source again (the wait doubles "
            "with each failure in a row, from twice --every).",
        ),
    ] = "24h",
    db: Db = None,
    max_article_mb: MaxArticleMb = DEFAULT_MAX_ARTICLE_MB,
) -> None:
    """Keep a corpus up with live feeds: poll SOURCE... and the --sources file on a schedule
    with conditional requests (ETag / Last-Modified) and ingest the new items. A failing source
    waits longer each time; what is known of each source is kept in the corpus database, so a
    restarted watch goes on where it stopped. One summary line per round on stderr; Ctrl-C ends
    after the current round (twice: at once)."""
    stderr = Console(stderr=True)

    def say(message: str, style: str | None = None) -> None:
        stderr.print(message, style=style, markup=False, highlight=False, soft_wrap=True)

    with user_errors():
        from letopis.corpus.watch import (
            Watcher,
            check_url,
            format_duration,
            parse_duration,
            read_sources_file,
        )
        from letopis.ingest.limits import set_max_article_mb

        seconds = parse_duration(every, "--every")
        backoff = parse_duration(max_backoff, "--max-backoff")
        listed = [check_url(url, "SOURCE") for url in sources or []]
        if sources_file is not None:
            listed += read_sources_file(sources_file)
        if not listed:
            raise InputError("no sources to watch: give feed or page URLs, or --sources FILE")
        set_max_article_mb(max_article_mb)
        from letopis.corpus.corpus import Corpus

        stop = threading.Event()
        with (
            Corpus(db) as corpus,
            Watcher(
                corpus,
                listed,
                every=seconds,
                per_host_delay=per_host_delay,
                max_backoff=backoff,
                notify=say,
            ) as watcher,
            _stop_on_interrupt(stop),
        ):
            say(
                f"watching {len(watcher.sources)} source{'s' if len(watcher.sources) != 1 else ''}"
                f" every {format_duration(seconds)} → {corpus.store.display_url}"
            )

            def report(summary) -> None:
                say(summary.line())
                for line in summary.source_failures + summary.failed:
                    say(f"  failed: {line}", style="red")

            totals = watcher.run(rounds, on_round=report, stop=stop)
        say(totals.line())


@contextmanager
def _stop_on_interrupt(stop: threading.Event) -> Iterator[None]:
    """The first Ctrl-C sets `stop`, so the round under way is finished; a second interrupts."""

    def interrupt(signum, frame) -> None:
        if stop.is_set():
            raise KeyboardInterrupt
        stop.set()
        sys.stderr.write("stopping once the round under way is done (Ctrl-C again: at once)\n")

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def register(app: typer.Typer) -> None:
    app.command("watch")(watch_command)
