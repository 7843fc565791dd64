"""How much one input may hold, so that no article, line or document makes the work unbounded.

The article limit is configurable (`--max-article-mb` on `analyze` and `ingest`); documents that
hold many articles (Telegram exports, feeds, HTML pages, JSONL files) are bounded per article, and
JSON documents also in nesting depth.
"""

from __future__ import annotations

import json
from typing import Any, BinaryIO

from letopis.errors import InputError

DEFAULT_MAX_ARTICLE_MB = 2.0
OPTION = "--max-article-mb"
# A Telegram export or a feed holds many articles; a page holds one plus its markup.
DOCUMENT_FACTOR = 64

_max_article_bytes = int(DEFAULT_MAX_ARTICLE_MB * 1_000_000)


def set_max_article_mb(megabytes: float) -> None:
    global _max_article_bytes
    if megabytes <= 0:
        raise InputError(f"{OPTION} must be positive, got {megabytes}")
    _max_article_bytes = int(megabytes * 1_000_000)


def max_article_bytes() -> int:
    return _max_article_bytes


def max_document_bytes() -> int:
    return _max_article_bytes * DOCUMENT_FACTOR


def too_big(what: str, size: int | None, limit: int) -> InputError:
    """The one-line refusal; `size` None when reading stopped at the limit."""
    how_big = f"is {_mb(size)}, over" if size is not None else "is over"
    return InputError(f"{what} {how_big} the {_mb(limit)} limit (raise it with {OPTION})")


def check_article(name: str, text: str, limit: int | None = None) -> None:
    limit = limit or _max_article_bytes
    if len(text) * 4 <= limit:  # cheap: no character takes more than 4 bytes
        return
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > limit:
        raise too_big(f"{name}: the article", size, limit)


def read_capped(stream: BinaryIO, name: str, limit: int) -> bytes:
    """At most `limit` bytes of a stream; more is refused without reading it all."""
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise too_big(name, None, limit)
    return data


def check_file_size(path, size: int, limit: int) -> None:
    if size > limit:
        raise too_big(str(path), size, limit)


def parse_json(text: str, name: str) -> Any:
    """json.loads with one-line errors; nesting deep enough to exhaust the parser's stack is
    refused like any other malformed document."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise InputError(
            f"{name}: not valid JSON ({error.msg} at line {error.lineno} column {error.colno})"
        ) from None
    except RecursionError:
        raise InputError(f"{name}: JSON nested too deeply") from None


def _mb(size: int) -> str:
    return f"{size / 1_000_000:.3g} MB"
