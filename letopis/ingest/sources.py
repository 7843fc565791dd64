"""The one front door for input: what each PATH_OR_URL given to `letopis analyze` or `letopis
ingest` holds, and the articles read from it.

By name first (`.txt`, `.jsonl`, `.json`, `.html`/`.htm`, `.xml`/`.rss`/`.atom`, a directory,
an http(s) URL, `-` for standard input), by the first bytes when the name says nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from enum import StrEnum
from pathlib import Path

import httpx

from letopis.errors import InputError
from letopis.ingest import limits
from letopis.ingest.article import Article
from letopis.ingest.feeds import looks_like_feed, read_feed
from letopis.ingest.fetch import Fetched, fetch, make_client
from letopis.ingest.html import read_html
from letopis.ingest.readers import (
    Problems,
    article_from_text,
    decode,
    parse_jsonl,
    read_bytes,
    read_jsonl,
    read_stdin,
    read_txt,
)
from letopis.ingest.telegram import read_telegram, telegram_articles


class Kind(StrEnum):
    TXT = "txt"
    JSONL = "jsonl"
    TELEGRAM = "telegram"
    HTML = "html"
    FEED = "feed"
    DIRECTORY = "directory"
    URL = "url"
    STDIN = "stdin"


_BY_SUFFIX = {
    ".txt": Kind.TXT,
    ".jsonl": Kind.JSONL,
    ".json": Kind.TELEGRAM,
    ".html": Kind.HTML,
    ".htm": Kind.HTML,
    ".xml": Kind.FEED,
    ".rss": Kind.FEED,
    ".atom": Kind.FEED,
}
_SNIFF_BYTES = 2048


def detect(name: str) -> Kind:
    """The kind of one input; raises InputError for a path that does not exist."""
    if name == "-":
        return Kind.STDIN
    if name.lower().startswith(("http://", "https://")):
        return Kind.URL
    path = Path(name)
    if path.is_dir():
        return Kind.DIRECTORY
    if not path.exists():
        raise InputError(f"{name}: no such file or directory")
    kind = _BY_SUFFIX.get(path.suffix.lower())
    if kind is not None:
        return kind
    try:
        with path.open("rb") as file:
            return sniff(file.read(_SNIFF_BYTES))
    except OSError as error:
        raise InputError(f"{name}: cannot read ({error.strerror})") from None


def sniff(head: bytes) -> Kind:
    """The kind of a document from its first bytes: a feed, an HTML page, JSON(L) or text."""
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:200].lower()
    if looks_like_feed(head):
        return Kind.FEED
    if start.startswith((b"<!doctype html", b"<html")) or b"<html" in start:
        return Kind.HTML
    if start.startswith(b"{"):
        return Kind.JSONL
    if start.startswith(b"["):
        return Kind.TELEGRAM
    return Kind.TXT


def read_inputs(
    names: Iterable[str], problems: Problems, published: str | None = None
) -> Iterator[Article]:
    """Every article in the inputs, in order; `published` dates the articles that carry no date
    of their own. An input that cannot be read is reported to `problems` (one line each) and
    skipped, so one bad input does not stop the others."""
    for article in _read_all(names, problems):
        if published and not article.published:
            article.published = published
        yield article


def _read_all(names: Iterable[str], problems: Problems) -> Iterator[Article]:
    client: httpx.Client | None = None
    try:
        for name in names:
            try:
                kind = detect(name)
                if kind is Kind.URL:
                    client = client or make_client()
                    yield from read_url(name, problems, client)
                elif kind is Kind.DIRECTORY:
                    yield from _read_directory(Path(name), problems)
                else:
                    yield from read_one(name, kind, problems)
            except InputError as error:
                problems.error(str(error))
    finally:
        if client is not None:
            client.close()


def read_one(name: str, kind: Kind, problems: Problems) -> Iterator[Article]:
    path = Path(name)
    if kind is Kind.STDIN:
        yield from read_stdin(problems=problems)
    elif kind is Kind.TXT:
        yield read_txt(path, problems=problems)
    elif kind is Kind.JSONL:
        yield from read_jsonl(path, problems=problems)
    elif kind is Kind.TELEGRAM:
        yield from read_telegram(path, problems=problems)
    elif kind is Kind.HTML:
        yield read_html(read_bytes(path), name=name, id=path.stem)
    elif kind is Kind.FEED:
        yield from read_feed(read_bytes(path), name=name)
    else:
        raise InputError(f"{name}: cannot read a {kind} here")


def read_url(url: str, problems: Problems, client: httpx.Client | None = None) -> Iterator[Article]:
    yield from read_fetched(fetch(url, client=client), url, problems)


def read_fetched(fetched: Fetched, url: str, problems: Problems) -> Iterator[Article]:
    """The articles of a fetched document: a feed's items, an HTML page, JSONL, Telegram JSON
    or plain text, told by its Content-Type and first bytes."""
    kind = _kind_of_response(fetched.content_type, fetched.content)
    if kind is Kind.FEED:
        yield from read_feed(fetched.content, name=url)
    elif kind is Kind.HTML:
        yield read_html(fetched.content, name=url, url=fetched.url, charset=fetched.charset)
    else:
        text = (
            fetched.content.decode(fetched.charset, errors="replace")
            if fetched.charset
            else decode(fetched.content, url, problems)
        )
        yield from _read_text_document(text, url, kind, problems)


def _kind_of_response(content_type: str, content: bytes) -> Kind:
    if content_type in ("text/html", "application/xhtml+xml"):
        return Kind.HTML
    if "rss" in content_type or "atom" in content_type:
        return Kind.FEED
    return sniff(content[:_SNIFF_BYTES])


def _read_text_document(text: str, name: str, kind: Kind, problems: Problems) -> Iterator[Article]:
    if kind is Kind.JSONL:
        yield from parse_jsonl(text.splitlines(), name, None, problems)
    elif kind is Kind.TELEGRAM:
        data = limits.parse_json(text, name)
        yield from telegram_articles(data, name, problems)
    else:
        yield article_from_text(text, id=name)


def _read_directory(directory: Path, problems: Problems) -> Iterator[Article]:
    files = sorted(
        p
        for p in directory.rglob("*")
        if p.is_file() and p.suffix.lower() in _BY_SUFFIX and not p.name.startswith(".")
    )
    if not files:
        raise InputError(f"{directory}: no article files in this directory")
    for path in files:
        try:
            yield from read_one(str(path), _BY_SUFFIX[path.suffix.lower()], problems)
        except InputError as error:
            problems.error(str(error))
