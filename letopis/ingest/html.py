"""HTML pages: main text, title, publication date, URL and site name (trafilatura)."""

from __future__ import annotations

import hashlib
import logging
from urllib.parse import urlparse

import lxml.html
import trafilatura
from lxml.etree import ParserError

from letopis.errors import InputError
from letopis.ingest.article import Article, normalise_published
from letopis.text import parse_iso

# trafilatura logs every page it finds nothing in; the caller reports that once, as an error.
logging.getLogger("trafilatura").setLevel(logging.CRITICAL)

# Where pages state their exact publication time; trafilatura only keeps the day.
_PUBLISHED_XPATHS = (
    "//meta[@property='article:published_time']/@content",
    "//meta[@itemprop='datePublished']/@content",
    "//meta[@name='pubdate']/@content",
    "//time[@itemprop='datePublished']/@datetime",
    "//article//time/@datetime",
)


def read_html(
    content: bytes | str,
    *,
    name: str,
    url: str | None = None,
    id: str | None = None,
    charset: str | None = None,
) -> Article:
    """One article from an HTML page. `name` (a path or URL) is used in error messages."""
    if isinstance(content, bytes) and charset:
        content = content.decode(charset, errors="replace")
    if not content or not content.strip():
        raise InputError(f"{name}: the page is empty")
    try:
        extracted = trafilatura.bare_extraction(
            content, url=url, with_metadata=True, include_comments=False, include_tables=False
        )
    except (ValueError, TypeError, ParserError) as error:
        raise InputError(f"{name}: cannot parse the HTML ({error})") from None
    if extracted is None:
        raise InputError(f"{name}: no article text found in the HTML")
    data = extracted.as_dict() if hasattr(extracted, "as_dict") else dict(extracted)
    body = (data.get("text") or "").strip()
    if not body:
        raise InputError(f"{name}: no article text found in the HTML")
    title = _clean(data.get("title"))
    page_url = data.get("url") or url
    return Article(
        id=id or _id_for(page_url, body),
        text=_with_title(title, body),
        title=title,
        published=_published(content, data.get("date")),
        source=_clean(data.get("sitename")) or _host(page_url),
        url=page_url,
    )


def _with_title(title: str | None, body: str) -> str:
    """The title leads the text, as in a .txt article, so headlines are analyzed too."""
    if not title or body.startswith(title):
        return body
    return f"{title}\n\n{body}"


def _published(content: bytes | str, day: str | None) -> str | None:
    """The page's exact timestamp when it states one, else trafilatura's day."""
    try:
        tree = lxml.html.fromstring(content)
    except (ValueError, ParserError):
        tree = None
    if tree is not None:
        for xpath in _PUBLISHED_XPATHS:
            for value in tree.xpath(xpath):
                moment = parse_iso(str(value))
                stamp = moment.isoformat() if moment else None
                if stamp and (day is None or stamp.startswith(day)):
                    return stamp
    try:
        return normalise_published(day)
    except InputError:
        return None


def _id_for(url: str | None, body: str) -> str:
    if url:
        return url
    return "html-" + hashlib.sha1(body.encode("utf-8")).hexdigest()[:12]


def _host(url: str | None) -> str | None:
    return urlparse(url).hostname if url else None


def _clean(value: object) -> str | None:
    text = " ".join(str(value).split()) if value else ""
    return text or None
