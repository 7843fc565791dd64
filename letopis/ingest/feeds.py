"""RSS and Atom feeds (feedparser): each item becomes an article.

An item's text is its full content when the feed carries it (`content:encoded`, Atom content,
`yandex:full-text`), else its summary; the title leads the text and the link is kept, so a
summary-only item still points at the whole story. feedparser reads the XML declaration's
encoding, so windows-1251 feeds decode correctly when given as bytes.
"""

from __future__ import annotations

import email.utils
import html
import re
from datetime import UTC, datetime

import feedparser
import lxml.html
from lxml.etree import ParserError

from letopis.errors import InputError
from letopis.ingest.article import Article
from letopis.text import parse_iso

_FULL_TEXT_KEYS = ("yandex_full-text", "fulltext", "full-text")
_BLOCK_TAGS = ("p", "div", "br", "li", "h1", "h2", "h3", "h4", "blockquote", "tr")
_BLANK_LINES = re.compile(r"\n\s*\n+")
_ENTITY_DECLARATION = re.compile(rb"<!ENTITY", re.IGNORECASE)


def read_feed(content: bytes, *, name: str) -> list[Article]:
    """The items of an RSS/Atom document; `name` (path or URL) is used in messages. A document
    declaring entities in a DTD is refused: no feed needs them, and they are how XML bombs and
    external-entity reads work."""
    if _ENTITY_DECLARATION.search(content):
        raise InputError(f"{name}: XML with entity declarations (<!ENTITY) is refused")
    parsed = feedparser.parse(content)
    if parsed.bozo and not parsed.entries:
        reason = _first_line(parsed.get("bozo_exception")) or "unreadable"
        raise InputError(f"{name}: not an RSS/Atom feed ({reason})")
    if not parsed.entries and not parsed.get("version"):
        raise InputError(f"{name}: not an RSS/Atom feed")
    source = _clean(parsed.feed.get("title"))
    articles = []
    for number, entry in enumerate(parsed.entries, start=1):
        article = _article(entry, source, f"{name}#{number}")
        if article is not None:
            articles.append(article)
    return articles


def looks_like_feed(head: bytes) -> bool:
    """Sniff the first bytes of a document for an RSS, RDF or Atom root element."""
    text = head[:2048].decode("latin-1").lower()
    return any(marker in text for marker in ("<rss", "<feed", "<rdf:rdf"))


def _article(entry, source: str | None, fallback_id: str) -> Article | None:
    title = _clean(entry.get("title"))
    body = _body(entry)
    if not body and not title:
        return None
    text = body if not title or body.startswith(title) else f"{title}\n\n{body}".rstrip()
    link = entry.get("link") or None
    return Article(
        id=entry.get("id") or link or fallback_id,
        text=text,
        title=title,
        published=_published(entry),
        source=source,
        url=link,
    )


def _body(entry) -> str:
    for key in _FULL_TEXT_KEYS:
        if entry.get(key):
            return _html_to_text(html.unescape(entry[key]))
    for content in entry.get("content", []):
        if content.get("value"):
            return _html_to_text(content["value"])
    return _html_to_text(entry.get("summary") or "")


def _html_to_text(fragment: str) -> str:
    """Paragraphs on their own lines, markup dropped, whitespace inside lines collapsed."""
    if "<" not in fragment:
        return _tidy(html.unescape(fragment))
    try:
        tree = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (ValueError, ParserError):
        return _tidy(re.sub(r"<[^>]+>", " ", fragment))
    for element in tree.iter(*_BLOCK_TAGS):
        element.tail = "\n\n" + (element.tail or "")
    return _tidy(tree.text_content())


def _tidy(text: str) -> str:
    paragraphs = (" ".join(part.split()) for part in _BLANK_LINES.split(text))
    return "\n\n".join(p for p in paragraphs if p)


def _published(entry) -> str | None:
    """ISO timestamp keeping the feed's own UTC offset (RFC 822 in RSS, ISO 8601 in Atom)."""
    for key in ("published", "updated", "created"):
        raw = entry.get(key)
        if not raw:
            continue
        try:
            return email.utils.parsedate_to_datetime(raw).isoformat()
        except (TypeError, ValueError, IndexError):
            pass
        moment = parse_iso(raw)
        if moment is not None:
            return moment.isoformat()
        parsed = entry.get(f"{key}_parsed")
        if parsed:
            return datetime(*parsed[:6], tzinfo=UTC).isoformat()
    return None


def _clean(value: object) -> str | None:
    text = " ".join(html.unescape(str(value)).split()) if value else ""
    return text or None


_EXPAT_POSITION = re.compile(r"^<unknown>:(\d+):(\d+): (.*)$")


def _first_line(error: object) -> str:
    """'<unknown>:2:0: syntax error' reads better as 'syntax error at line 2'."""
    line = str(error).splitlines()[0] if error else ""
    match = _EXPAT_POSITION.match(line)
    return f"XML {match[3]} at line {match[1]}" if match else line
