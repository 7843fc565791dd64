"""`letopis watch`: keep a corpus up with live feeds and pages.

A `Watcher` polls its sources (RSS/Atom feeds, pages, anything `letopis ingest` reads from a URL)
in rounds. A round polls every source that is due: each is asked with a conditional request (the
ETag and Last-Modified of its last answer), so an unchanged feed costs a 304 and no parsing; a
changed one is read into articles and added to the corpus, which skips the items it stored
before, so exactly the new items are analyzed. A source that fails waits `every * 2**failures`
(capped) before it is asked again; a success resets it. Requests to one host are at least
`per_host_delay` seconds apart, and a round takes the sources of different hosts in turns.

What the watcher knows of each source (validators, failures, when it was last polled) is kept in
the corpus database (`watched_sources`), written in the same turn as the articles it brought, so
a watcher started again, on the same database, goes on where the last one stopped.
"""

from __future__ import annotations

import hashlib
import itertools
import re
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
from sqlalchemy import func, select

from letopis.corpus.corpus import Corpus, IngestSummary
from letopis.data import load_yaml_file
from letopis.errors import DataError, InputError
from letopis.ingest.article import Article
from letopis.ingest.fetch import BACKOFF_S, TIMEOUT_S, Fetched, fetch_conditional, make_client
from letopis.ingest.readers import Problems
from letopis.ingest.sources import read_fetched
from letopis.store import models

DEFAULT_EVERY_S = 15 * 60.0  # GDELT's cadence
DEFAULT_PER_HOST_DELAY_S = 1.0
MAX_BACKOFF_S = 24 * 3600.0
RETRIES = 1  # within a poll; failing polls back off across rounds
SOURCES_SCHEMA = "watch_sources.yaml"  # its JSON Schema in letopis/data/schemas.yaml

_UNITS = {"s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0}
_DURATION = re.compile(r"(?:\d+(?:\.\d+)?[smhd])+")
_DURATION_PART = re.compile(r"(\d+(?:\.\d+)?)([smhd])")
_COLUMN = models.WatchedSource.__table__.columns
MAX_URL = _COLUMN["url"].type.length


# ---- what to watch -------------------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    """A feed or page to poll; `every` (seconds) overrides the watcher's own cadence."""

    url: str
    every: float | None = None


def parse_duration(text: str, what: str = "duration") -> float:
    """Seconds in `30s`, `15m`, `1h`, `1h30m`, `1d`, `0.5s`; InputError naming `what` otherwise."""
    compact = "".join(str(text).split()).lower()
    if not _DURATION.fullmatch(compact):
        raise InputError(f"{what}: {text!r} is not a duration (like 30s, 15m, 1h or 1h30m)")
    seconds = sum(float(number) * _UNITS[unit] for number, unit in _DURATION_PART.findall(compact))
    if seconds <= 0:
        raise InputError(f"{what}: {text!r} is not longer than zero")
    return seconds


def format_duration(seconds: float) -> str:
    """`1h30m`, `15m`, `30s`, `0.5s`: the shortest form `parse_duration` reads back."""
    if seconds < 60 and seconds != int(seconds):
        return f"{seconds:g}s"
    whole = round(seconds)
    parts = []
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60), ("s", 1)):
        count, whole = divmod(whole, size)
        if count:
            parts.append(f"{count}{unit}")
    return "".join(parts) or "0s"


def check_url(url: str, where: str | None = None) -> str:
    """The URL, stripped, if it is an http(s) one Letopis can keep state for."""
    url = str(url).strip()
    label = f"{where}: " if where else ""
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise InputError(f"{label}{url!r} is not an http(s) URL")
    if len(url) > MAX_URL:
        raise InputError(f"{label}the URL is longer than {MAX_URL} characters")
    return url


def read_sources_file(path: str | Path) -> list[Source]:
    """The sources listed in a YAML file: a list whose items are URLs or {url, every}."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: no such sources file")
    try:
        items = load_yaml_file(path, schema_name=SOURCES_SCHEMA)
    except DataError as error:  # the user's own file: an input error, not a broken rule file
        raise InputError(str(error)) from None
    sources = []
    for number, item in enumerate(items, start=1):
        where = f"{path}: source {number}"
        url, every = (item, None) if isinstance(item, str) else (item["url"], item.get("every"))
        seconds = parse_duration(every, f"{where}: every") if every is not None else None
        sources.append(Source(check_url(url, where), seconds))
    return sources


def unique_sources(sources: Iterable[Source | str]) -> list[Source]:
    """Sources (URLs are checked), each URL once: its first mention wins."""
    seen: dict[str, Source] = {}
    for source in sources:
        if isinstance(source, str):
            source = Source(source)
        source = Source(check_url(source.url), source.every)
        seen.setdefault(source.url, source)
    return list(seen.values())


# ---- what is remembered --------------------------------------------------------------------


@dataclass
class SourceState:
    """A source as the corpus remembers it (the `watched_sources` row). Times are naive UTC."""

    url: str
    etag: str | None = None
    last_modified: str | None = None
    body_hash: str | None = None
    last_polled: datetime | None = None
    last_changed: datetime | None = None
    failures: int = 0
    last_error: str | None = None
    articles: int = 0

    @classmethod
    def from_row(cls, row: models.WatchedSource) -> SourceState:
        return cls(**{name: getattr(row, name) for name in _STATE_FIELDS})


_STATE_FIELDS = (
    "url",
    "etag",
    "last_modified",
    "body_hash",
    "last_polled",
    "last_changed",
    "failures",
    "last_error",
    "articles",
)


# ---- what a round did ----------------------------------------------------------------------


@dataclass
class RoundSummary:
    number: int
    started: datetime  # naive UTC
    polled: int = 0  # sources asked this round
    unchanged: int = 0  # of those: 304 Not Modified, or the same bytes as last time
    backing_off: int = 0  # sources not asked: they failed lately and wait longer
    source_failures: list[str] = field(default_factory=list)  # one line each: what and why
    new: int = 0  # new articles stored (near duplicates included)
    events: int = 0  # events in the new articles
    duplicates: int = 0
    already_stored: int = 0
    failed: list[str] = field(default_factory=list)  # articles that could not be stored
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def line(self) -> str:
        """`round 3 · 2026-12-07 18:30:00 · 5 sources (2 unchanged, 1 failed) · 4 new
        articles, 7 events, 1 failed`"""
        notes = [
            f"{count} {label}"
            for count, label in (
                (self.unchanged, "unchanged"),
                (len(self.source_failures), "failed"),
                (self.backing_off, "backing off"),
            )
            if count
        ]
        sources = _plural(self.polled, "source") + (f" ({', '.join(notes)})" if notes else "")
        return (
            f"round {self.number} · {self.started:%Y-%m-%d %H:%M:%S} · {sources} · "
            f"{_plural(self.new, 'new article')}, {_plural(self.events, 'event')}, "
            f"{len(self.failed)} failed"
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "round": self.number,
            "started": self.started.isoformat(),
            "polled": self.polled,
            "unchanged": self.unchanged,
            "backing_off": self.backing_off,
            "source_failures": list(self.source_failures),
            "new": self.new,
            "events": self.events,
            "duplicates": self.duplicates,
            "already_stored": self.already_stored,
            "failed": list(self.failed),
            "warnings": list(self.warnings),
            "seconds": round(self.seconds, 2),
        }

    def add_ingest(self, ingest: IngestSummary) -> None:
        """Count what storing one source's articles did."""
        self.new += ingest.new
        self.duplicates += ingest.duplicates
        self.already_stored += ingest.already_stored
        self.failed += ingest.failed
        self.warnings += ingest.warnings


@dataclass
class WatchTotals:
    """All rounds of one `Watcher.run` together."""

    rounds: int = 0
    new: int = 0
    events: int = 0
    source_failures: int = 0
    failed: int = 0

    def add(self, summary: RoundSummary) -> None:
        self.rounds += 1
        self.new += summary.new
        self.events += summary.events
        self.source_failures += len(summary.source_failures)
        self.failed += len(summary.failed)

    def line(self) -> str:
        return (
            f"watched {_plural(self.rounds, 'round')}: {_plural(self.new, 'new article')}, "
            f"{_plural(self.events, 'event')}, {self.failed} failed, "
            f"{_plural(self.source_failures, 'failed poll')}"
        )


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


# ---- the watcher ---------------------------------------------------------------------------


class Watcher:
    """Polls `sources` into `corpus`: `poll()` runs one round, `run()` rounds on schedule.

    `every` is the default cadence in seconds (a `Source` may carry its own); a failing source
    waits `every * 2**failures` seconds, at most `max_backoff`. `per_host_delay` is the least
    time between two requests to one host. `retries` and `timeout` apply to each request.
    """

    def __init__(
        self,
        corpus: Corpus,
        sources: Iterable[Source | str],
        *,
        every: float = DEFAULT_EVERY_S,
        per_host_delay: float = DEFAULT_PER_HOST_DELAY_S,
        max_backoff: float = MAX_BACKOFF_S,
        retries: int = RETRIES,
        timeout: float = TIMEOUT_S,
        client: httpx.Client | None = None,
        notify: Callable[[str], None] | None = None,
    ):
        self.sources = unique_sources(sources)
        if not self.sources:
            raise InputError("no sources to watch: give feed or page URLs, or --sources FILE")
        if every <= 0:
            raise InputError("every: the cadence must be longer than zero")
        self.corpus = corpus
        self.every = every
        self.per_host_delay = max(0.0, per_host_delay)
        self.max_backoff = max_backoff
        self.retries = retries
        self.timeout = timeout
        self.notify = notify or (lambda message: None)
        self.rounds = 0
        self._client = client
        self._own_client = client is None
        self._last_request: dict[str, float] = {}  # host → time.monotonic() of its last request

    def close(self) -> None:
        if self._own_client and self._client is not None:
            self._client.close()
            self._client = None

    def __enter__(self) -> Watcher:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ---- schedule ----

    def interval(self, source: Source, failures: int = 0) -> float:
        """Seconds from one poll of `source` to the next, after `failures` failures in a row."""
        every = source.every or self.every
        if not failures:
            return every
        return min(every * 2 ** min(failures, 40), max(self.max_backoff, every))

    def due_at(self, source: Source, state: SourceState | None) -> datetime | None:
        """When `source` may be polled next (naive UTC); None: now (never polled)."""
        if state is None or state.last_polled is None:
            return None
        return state.last_polled + timedelta(seconds=self.interval(source, state.failures))

    def next_due(self) -> datetime | None:
        """The earliest time any source is due (naive UTC); None: one is due now."""
        states = self.states()
        times = [self.due_at(source, states.get(source.url)) for source in self.sources]
        return None if None in times else min(times)  # type: ignore[type-var]

    def states(self) -> dict[str, SourceState]:
        """What the corpus remembers of this watcher's sources, by URL."""
        urls = [source.url for source in self.sources]
        rows = models.WatchedSource
        with self.corpus.store.session() as session:
            found = session.scalars(select(rows).where(rows.url.in_(urls))).all()
            return {row.url: SourceState.from_row(row) for row in found}

    # ---- rounds ----

    def run(
        self,
        rounds: int | None = None,
        *,
        on_round: Callable[[RoundSummary], None] | None = None,
        stop: threading.Event | None = None,
    ) -> WatchTotals:
        """Poll round after round, each when a source is due, until `rounds` are done or `stop`
        is set (a round under way is finished first)."""
        stop = stop or threading.Event()
        totals = WatchTotals()
        while (rounds is None or totals.rounds < rounds) and not stop.is_set():
            if not self._wait_until_due(stop):
                break
            summary = self.poll()
            totals.add(summary)
            if on_round is not None:
                on_round(summary)
        return totals

    def _wait_until_due(self, stop: threading.Event) -> bool:
        """False when `stop` was set while waiting."""
        while True:
            due = self.next_due()
            delay = 0.0 if due is None else (due - utc_now()).total_seconds()
            if delay <= 0:
                return True
            if stop.wait(min(delay, 3600.0)):
                return False

    def poll(self, now: datetime | None = None) -> RoundSummary:
        """One round: every source due at `now` (naive UTC, default: now) is polled once."""
        now = now or utc_now()
        started = time.perf_counter()
        self.rounds += 1
        summary = RoundSummary(number=self.rounds, started=now)
        states = self.states()
        due = []
        for source in self.sources:
            state = states.get(source.url)
            at = self.due_at(source, state)
            if at is None or at <= now:
                due.append(source)
            elif state is not None and state.failures:
                summary.backing_off += 1
        for source in _hosts_in_turn(due):
            self._poll_one(source, states.get(source.url) or SourceState(source.url), now, summary)
        summary.seconds = time.perf_counter() - started
        return summary

    def _poll_one(
        self, source: Source, state: SourceState, now: datetime, summary: RoundSummary
    ) -> None:
        summary.polled += 1
        problems = Problems()
        articles: list[Article] = []
        try:
            fetched = self._fetch(source, state)
            digest = hashlib.sha256(fetched.content).hexdigest() if fetched else state.body_hash
            unchanged = fetched is None or digest == state.body_hash
            if not unchanged:
                articles = list(read_fetched(fetched, source.url, problems))
        except InputError as error:
            self._failed(source, state, now, summary, str(error))
            return
        except Exception as error:  # noqa: BLE001 - one source's surprise must not stop the rest
            reason = f"{type(error).__name__}: {_first_line(error)}"
            self._failed(source, state, now, summary, f"{source.url}: {reason}")
            return
        summary.unchanged += unchanged
        summary.failed += problems.errors
        summary.warnings += problems.warnings
        if fetched is not None:  # a 304 keeps the validators it answered
            state.etag = _fits(fetched.etag, "etag")
            state.last_modified = _fits(fetched.last_modified, "last_modified")
        if not unchanged:
            state.body_hash = digest
            state.last_changed = now
        state.last_polled = now
        state.failures = 0
        state.last_error = None
        with self.corpus.writing(self.notify):
            if articles:
                before = self._newest_article()
                ingest = self.corpus.add_articles(articles, notify=self.notify)
                summary.add_ingest(ingest)
                summary.events += self._events_since(before)
                state.articles += ingest.new
            self._save(state)

    def _fetch(self, source: Source, state: SourceState) -> Fetched | None:
        host = urlsplit(source.url).hostname or ""
        last = self._last_request.get(host)
        if last is not None:
            wait = last + self.per_host_delay - time.monotonic()
            if wait > 0:
                time.sleep(wait)
        if self._client is None:
            self._client = make_client(self.timeout)
        try:
            return fetch_conditional(
                source.url,
                etag=state.etag,
                last_modified=state.last_modified,
                timeout=self.timeout,
                retries=self.retries,
                client=self._client,
                backoff=max(BACKOFF_S, self.per_host_delay),
            )
        finally:
            self._last_request[host] = time.monotonic()

    def _failed(
        self, source: Source, state: SourceState, now: datetime, summary: RoundSummary, why: str
    ) -> None:
        state.failures += 1
        state.last_error = why
        state.last_polled = now
        wait = format_duration(self.interval(source, state.failures))
        summary.source_failures.append(f"{why} (next try in {wait})")
        with self.corpus.writing(self.notify):
            self._save(state)

    def _save(self, state: SourceState) -> None:
        rows = models.WatchedSource
        with self.corpus.store.session() as session:
            row = session.scalar(select(rows).where(rows.url == state.url))
            if row is None:
                row = rows(url=state.url)
                session.add(row)
            for name in _STATE_FIELDS[1:]:
                setattr(row, name, getattr(state, name))
            session.commit()

    def _newest_article(self) -> int:
        with self.corpus.store.session() as session:
            return session.scalar(select(func.max(models.Article.id))) or 0

    def _events_since(self, article_id: int) -> int:
        with self.corpus.store.session() as session:
            return (
                session.scalar(
                    select(func.count())
                    .select_from(models.Event)
                    .where(models.Event.article_id > article_id)
                )
                or 0
            )


def utc_now() -> datetime:
    """Now as the store keeps times: naive UTC."""
    return datetime.now(UTC).replace(tzinfo=None)


def _hosts_in_turn(sources: list[Source]) -> list[Source]:
    """The sources with their hosts taking turns (a, b, a, b, a), so that the delay between two
    requests to one host is spent on the others."""
    by_host: dict[str, list[Source]] = {}
    for source in sources:
        by_host.setdefault(urlsplit(source.url).hostname or "", []).append(source)
    turns = itertools.zip_longest(*by_host.values())
    return [source for turn in turns for source in turn if source is not None]


def _fits(value: str | None, column: str) -> str | None:
    """A validator too long for its column is not kept: a cut one would never match."""
    length = _COLUMN[column].type.length
    return value if value is None or len(value) <= length else None


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else ""


__all__ = [
    "RoundSummary",
    "Source",
    "SourceState",
    "WatchTotals",
    "Watcher",
    "format_duration",
    "parse_duration",
    "read_sources_file",
]
