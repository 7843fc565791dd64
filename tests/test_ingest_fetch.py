"""URLs are fetched over real HTTP from a server on 127.0.0.1 running in a thread."""

from __future__ import annotations

import functools
import socket
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from conftest import shared_path

from letopis.errors import InputError
from letopis.ingest.fetch import fetch
from letopis.ingest.html import read_html
from letopis.ingest.readers import Problems
from letopis.ingest.sources import read_inputs


class _Handler(SimpleHTTPRequestHandler):
    """Static files, plus /flaky/NAME that answers 503 until its second request."""

    attempts: dict[str, int] = {}

    def do_GET(self):  # noqa: N802 - the http.server API
        if self.path.startswith("/flaky/"):
            seen = self.attempts.get(self.path, 0) + 1
            self.attempts[self.path] = seen
            if seen < 2:
                self.send_error(503, "busy")
                return
            self.path = self.path.removeprefix("/flaky")
        super().do_GET()

    def guess_type(self, path):
        if str(path).endswith(".xml"):
            return "application/rss+xml"
        return super().guess_type(path)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A directory with real pages and feeds, served on a free port; yields its base URL."""
    root = tmp_path_factory.mktemp("site")
    html = shared_path("data/tgcontest-html") / "4042890082496547000.html"
    feed = shared_path("data/rss-fixtures-ua") / "stub_pravda_rss.xml"
    (root / "page.html").write_bytes(html.read_bytes())
    (root / "feed.xml").write_bytes(feed.read_bytes())
    (root / "download").write_bytes(feed.read_bytes())  # no suffix: sniffed
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Handler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", html
    server.shutdown()
    server.server_close()


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_fetched_page_reads_like_the_file(site):
    base, html_file = site
    problems = Problems()
    [article] = read_inputs([f"{base}/page.html"], problems)
    from_file = read_html(Path(html_file).read_bytes(), name="file")
    assert problems.errors == []
    assert article.title == from_file.title == "В Госдуме обсудили идею переноса майских праздников"
    assert article.text == from_file.text
    assert article.published == "2020-04-27T00:05:00+00:00"


def test_fetched_windows_1251_feed(site):
    base, _ = site
    for path in ("feed.xml", "download"):
        problems = Problems()
        articles = list(read_inputs([f"{base}/{path}"], problems))
        assert problems.errors == []
        assert len(articles) == 20
        assert articles[0].title == 'День сердца: инфаркты и инсульты значительно "помолодели"'
        assert articles[0].source == "Украинская правда"


def test_transient_errors_are_retried(site):
    base, _ = site
    fetched = fetch(f"{base}/flaky/page.html", retries=2)
    assert fetched.content.startswith(b"<!DOCTYPE html>")
    assert _Handler.attempts["/flaky/page.html"] == 2


def test_missing_page_is_a_one_line_error(site):
    base, _ = site
    with pytest.raises(InputError) as error:
        fetch(f"{base}/absent.html")
    assert str(error.value) == f"{base}/absent.html: HTTP 404 File not found"


def test_unreachable_url_is_a_one_line_error():
    url = f"http://127.0.0.1:{_closed_port()}/news.xml"
    problems = Problems()
    assert list(read_inputs([url], problems)) == []
    [message] = problems.errors
    assert message.startswith(f"{url}: cannot connect")
    assert "\n" not in message


def test_timeout_is_a_one_line_error():
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(1)  # accepts connections, never answers
    url = f"http://127.0.0.1:{silent.getsockname()[1]}/"
    try:
        with pytest.raises(InputError) as error:
            fetch(url, timeout=0.3, retries=0)
    finally:
        silent.close()
    assert str(error.value) == f"{url}: timed out after 0.3 s"
