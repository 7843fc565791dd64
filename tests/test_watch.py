"""`letopis watch` against a real HTTP server on 127.0.0.1 whose feeds change between rounds:
each round ingests exactly the new items, sends conditional requests, backs off a failing source,
keeps requests to one host apart, and goes on where it stopped after a restart (the state is in
the corpus database). Bad options and sources files are one-line errors."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import timedelta
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from conftest import REPO

from letopis.corpus.corpus import Corpus
from letopis.corpus.watch import (
    Source,
    Watcher,
    format_duration,
    parse_duration,
    read_sources_file,
    utc_now,
)
from letopis.errors import InputError

ITEMS = {
    "lavrov": (
        "Лавров встретился с главой МИД Турции",
        "Министр иностранных дел России Сергей Лавров встретился в Анкаре с главой МИД Турции "
        "Мевлютом Чавушоглу.",
    ),
    "putin": (
        "Путин провёл переговоры с Токаевым",
        "Президент России Владимир Путин провёл телефонные переговоры с президентом Казахстана "
        "Касым-Жомартом Токаевым.",
    ),
    "shoigu": (
        "Шойгу прибыл в Минск",
        "Министр обороны России Сергей Шойгу прибыл с визитом в Минск и провёл переговоры с "
        "Александром Лукашенко.",
    ),
    "protest": (
        "В Алма-Ате задержали протестующих",
        "Полиция Алма-Аты задержала десятки протестующих на центральной площади города.",
    ),
    "minsk": (
        "Лукашенко встретился с Токаевым",
        "Президент Белоруссии Александр Лукашенко встретился в Минске с президентом Казахстана "
        "Касым-Жомартом Токаевым.",
    ),
}


def rss(title: str, keys: list[str]) -> bytes:
    """An RSS feed of these items; an item is the same (guid, text, date) in every feed."""
    items = "".join(
        f"<item><guid>urn:test:{key}</guid><title>{escape(ITEMS[key][0])}</title>"
        f"<description>{escape(ITEMS[key][1])}</description>"
        f"<pubDate>Mon, 10 Jan 2022 0{list(ITEMS).index(key)}:00:00 +0300</pubDate></item>"
        for key in keys
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{title}</title>{items}</channel></rss>"
    ).encode()


@dataclass
class Request:
    path: str
    if_none_match: str | None
    if_modified_since: str | None
    at: float


@dataclass
class Site:
    """Feeds by path, each served with an ETag, a Last-Modified date or neither; a broken path
    answers 500. Every request is recorded."""

    feeds: dict[str, bytes] = field(default_factory=dict)
    validators: dict[str, str] = field(default_factory=dict)  # path → etag | modified | none
    modified: dict[str, str] = field(default_factory=dict)  # path → its Last-Modified
    broken: set[str] = field(default_factory=set)
    requests: list[Request] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def publish(self, path: str, body: bytes) -> None:
        with self.lock:
            self.feeds[path] = body
            hours_ago = 3600 * (len(self.modified) + 1)
            self.modified[path] = formatdate(time.time() - hours_ago, usegmt=True)

    def seen(self, path: str) -> list[Request]:
        with self.lock:
            return [r for r in self.requests if r.path == path]


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 - the http.server API
        site: Site = self.server.site  # type: ignore[attr-defined]
        request = Request(
            self.path,
            self.headers.get("If-None-Match"),
            self.headers.get("If-Modified-Since"),
            time.monotonic(),
        )
        with site.lock:
            site.requests.append(request)
            body = site.feeds.get(self.path)
            kind = site.validators.get(self.path, "none")
            modified = site.modified.get(self.path)
        if self.path in site.broken:
            self.send_error(500)
            return
        if body is None:
            self.send_error(404)
            return
        etag = f'"{hashlib.sha1(body).hexdigest()[:12]}"'
        if (kind == "etag" and request.if_none_match == etag) or (
            kind == "modified" and request.if_modified_since == modified
        ):
            self.send_response(304)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        if kind == "etag":
            self.send_header("ETag", etag)
        elif kind == "modified":
            self.send_header("Last-Modified", modified)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def site():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.site = Site()  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.site, f"http://127.0.0.1:{server.server_address[1]}"  # type: ignore[attr-defined]
    server.shutdown()
    server.server_close()


def _keys(db: Path) -> list[str]:
    with sqlite3.connect(db) as connection:
        return sorted(key for (key,) in connection.execute("SELECT key FROM articles"))


def _cli(*args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    """`python -m letopis ...` in a process of its own, importing this checkout."""
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")]),
    }
    return subprocess.run(
        [sys.executable, "-m", "letopis", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        cwd=REPO,
    )


def test_three_rounds_ingest_only_new_items_conditionally_and_survive_restarts(
    site, tmp_path, pipeline
):
    site, base = site
    db = tmp_path / "watch.db"
    tass, ria, plain, down = (f"{base}{p}" for p in ("/tass", "/ria", "/plain", "/down"))
    site.validators.update({"/tass": "etag", "/ria": "modified"})
    site.publish("/tass", rss("ТАСС", ["lavrov", "putin"]))
    site.publish("/ria", rss("РИА Новости", ["shoigu"]))
    site.publish("/plain", rss("Без заголовков", ["protest"]))  # neither ETag nor Last-Modified
    site.broken.add("/down")
    sources = [tass, ria, plain, down]
    every = 60.0
    # Round 1 happened 100 s ago: the feeds (every 60 s) are due again now; the broken source
    # (one failure: it waits 2 × 60 s) only in 20 s.
    first = utc_now() - timedelta(seconds=100)

    # ---- round 1: every item is new; requests to the one host are kept apart ----------------
    with Corpus(str(db), pipeline=pipeline) as corpus:
        watcher = Watcher(corpus, sources, every=every, per_host_delay=0.2, retries=0)
        summary = watcher.poll(now=first)
        events = corpus.counts()["events"]
        watcher.close()
    assert (summary.polled, summary.unchanged, summary.new) == (4, 0, 4)
    assert summary.events == events > 0
    assert summary.failed == []
    [failure] = summary.source_failures
    assert failure == f"{down}: HTTP 500 Internal Server Error (next try in 2m)"
    assert _keys(db) == ["urn:test:lavrov", "urn:test:protest", "urn:test:putin", "urn:test:shoigu"]
    assert all(r.if_none_match is None and r.if_modified_since is None for r in site.requests)
    arrivals = [r.at for r in site.requests]
    assert len(arrivals) == 4
    assert min(b - a for a, b in zip(arrivals, arrivals[1:], strict=False)) >= 0.18
    assert summary.line().startswith(f"round 1 · {first:%Y-%m-%d %H:%M:%S} · 4 sources (1 failed)")
    assert summary.line().endswith(f"· 4 new articles, {events} events, 0 failed")

    # ---- round 2, after a restart, from the command line: nothing changed -------------------
    site.requests.clear()
    result = _cli(
        "watch", tass, ria, plain, down,
        "--db", str(db), "--every", "1m", "--rounds", "1", "--per-host-delay", "0",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()
    assert lines[0].startswith("watching 4 sources every 1m → ") and lines[0].endswith(str(db))
    assert (
        " · 3 sources (3 unchanged, 1 backing off) · 0 new articles, 0 events, 0 failed"
        in (lines[1])
    )
    assert lines[1].startswith("round 1 · ")
    assert lines[2] == "watched 1 round: 0 new articles, 0 events, 0 failed, 0 failed polls"
    [tass_request] = site.seen("/tass")
    [ria_request] = site.seen("/ria")
    [plain_request] = site.seen("/plain")
    assert tass_request.if_none_match == f'"{hashlib.sha1(site.feeds["/tass"]).hexdigest()[:12]}"'
    assert ria_request.if_modified_since == site.modified["/ria"]
    assert plain_request.if_none_match is plain_request.if_modified_since is None
    assert site.seen("/down") == []  # still backing off
    assert len(_keys(db)) == 4

    # ---- round 3, after another restart: exactly the new item; the broken source again -----
    site.publish("/tass", rss("ТАСС", ["minsk", "lavrov", "putin"]))
    site.requests.clear()
    with Corpus(str(db), pipeline=pipeline) as corpus:
        before = corpus.counts()["events"]
        watcher = Watcher(corpus, sources, every=every, per_host_delay=0, retries=0)
        summary = watcher.poll(now=utc_now() + timedelta(minutes=2))
        after = corpus.counts()["events"]
        states = watcher.states()
        watcher.close()
    assert (summary.polled, summary.unchanged, summary.new, summary.already_stored) == (4, 2, 1, 2)
    assert summary.events == after - before > 0
    assert summary.source_failures == [f"{down}: HTTP 500 Internal Server Error (next try in 4m)"]
    assert "urn:test:minsk" in _keys(db) and len(_keys(db)) == 5
    [tass_request] = site.seen("/tass")
    assert tass_request.if_none_match is not None  # the validator of round 1, kept through a 304
    assert site.seen("/ria")[0].if_modified_since == site.modified["/ria"]
    assert len(site.seen("/down")) == 1
    assert states[tass].articles == 3 and states[tass].failures == 0
    assert states[down].failures == 2 and "HTTP 500" in states[down].last_error
    assert states[ria].articles == 1 and states[ria].etag is None


def test_watch_run_stops_after_its_rounds_and_when_told(site, tmp_path):
    """`run` waits for the next due source between rounds and stops when `stop` is set."""
    site, base = site
    site.publish("/empty", rss("Пусто", []))
    source = Source(f"{base}/empty", every=0.3)
    with (
        Corpus(str(tmp_path / "c.db")) as corpus,
        Watcher(corpus, [source], per_host_delay=0) as watcher,
    ):
        seen = []
        started = time.monotonic()
        totals = watcher.run(2, on_round=seen.append)
        assert time.monotonic() - started >= 0.25  # the second round waited its turn
        assert [s.polled for s in seen] == [1, 1] and totals.rounds == 2
        assert [s.unchanged for s in seen] == [0, 1]  # the same bytes: not parsed again
        stop = threading.Event()
        stop.set()
        assert watcher.run(on_round=seen.append, stop=stop).rounds == 0


def test_durations_and_sources_files(tmp_path):
    assert parse_duration("15m") == 900
    assert parse_duration("1h30m") == 5400
    assert parse_duration(" 30s ") == 30
    assert parse_duration("0.5s") == 0.5
    assert [format_duration(s) for s in (900, 5400, 30, 0.5, 86400)] == [
        "15m",
        "1h30m",
        "30s",
        "0.5s",
        "1d",
    ]
    for bad in ("15", "15x", "m", "0s", "-1m", ""):
        with pytest.raises(InputError, match="--every"):
            parse_duration(bad, "--every")
    feeds = tmp_path / "feeds.yaml"
    feeds.write_text(
        "- https://tass.ru/rss/v2.xml\n"
        "- url: https://ria.ru/export/rss2/archive/index.xml\n"
        "  every: 5m\n"
        "- https://tass.ru/rss/v2.xml\n",
        encoding="utf-8",
    )
    sources = read_sources_file(feeds)
    assert sources[1] == Source("https://ria.ru/export/rss2/archive/index.xml", 300.0)
    with Corpus(str(tmp_path / "c.db")) as corpus:
        watcher = Watcher(corpus, sources)
        assert [s.url for s in watcher.sources] == [sources[0].url, sources[1].url]
        assert watcher.interval(sources[1], failures=3) == 300 * 8
        assert watcher.interval(sources[0], failures=30) == 24 * 3600  # capped
        with pytest.raises(InputError, match="no sources"):
            Watcher(corpus, [])


NO_KEY = "- http://a/rss\n- {link: http://b/rss}\n"
NOT_HTTP = "- http://a/rss\n- {url: ftp://b/rss}\n"
NOT_YAML = "- http://a/rss\n  every: [\n"


@pytest.mark.parametrize(
    ("args", "content", "message"),
    [
        (["--every", "15x", "http://127.0.0.1:9/rss"], None, "--every: '15x' is not a duration"),
        (["--sources", "FILE"], NO_KEY, "FILE:2: 1: 'url' is a required property"),
        (["--sources", "FILE"], NOT_HTTP, "FILE: source 2: 'ftp://b/rss' is not an http(s) URL"),
        (["--sources", "FILE"], NOT_YAML, "FILE:2: not valid YAML"),
        (["--sources", "FILE"], None, "FILE: no such sources file"),
        ([], None, "no sources to watch"),
    ],
)
def test_bad_options_and_sources_files_are_one_line_errors(tmp_path, args, content, message):
    feeds = tmp_path / "feeds.yaml"
    if content is not None:
        feeds.write_text(content, encoding="utf-8")
    db = tmp_path / "never.db"
    result = _cli("watch", *[str(feeds) if a == "FILE" else a for a in args], "--db", str(db))
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(
        "error: " + message.replace("FILE", str(feeds))
    ), lines
    assert not db.exists()
