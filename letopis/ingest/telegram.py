"""Telegram channel posts in JSON: each post with text becomes an article.

Two layouts are read:
- a list of posts `{"message_id", "sender_id", "text", "date", "channel", ...}` (the
  tg-news-posts-2024 data set, one file per channel);
- Telegram Desktop's export `{"name", "id", "messages": [{"id", "type", "date", "text"}]}`,
  where `text` may be a list of plain strings and `{"type", "text"}` pieces.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from letopis.errors import InputError
from letopis.ingest import limits
from letopis.ingest.article import Article
from letopis.ingest.readers import Problems, decode, published_or_warn


def is_telegram_json(data: Any) -> bool:
    """Whether a parsed JSON document has one of the two Telegram layouts."""
    if isinstance(data, dict):
        return isinstance(data.get("messages"), list)
    if isinstance(data, list) and data:
        first = data[0]
        return isinstance(first, dict) and "message_id" in first and "text" in first
    return False


def read_telegram(path: Path, problems: Problems | None = None) -> Iterator[Article]:
    problems = problems or Problems()
    data = load_json(path, problems)
    yield from telegram_articles(data, str(path), problems)


def load_json(path: Path, problems: Problems) -> Any:
    try:
        with path.open("rb") as file:
            raw = limits.read_capped(file, str(path), limits.max_document_bytes())
    except OSError as error:
        raise InputError(f"{path}: cannot read ({error.strerror})") from None
    return limits.parse_json(decode(raw, str(path), problems), str(path))


def telegram_articles(data: Any, name: str, problems: Problems) -> Iterator[Article]:
    """Each post's article; a post of the wrong shape is reported (`name: post N: what`) and
    the others go on."""
    if not is_telegram_json(data):
        raise InputError(f"{name}: JSON that is neither Telegram posts nor a Telegram export")
    if isinstance(data, dict):
        channel_id = data.get("id")
        channel = data.get("name") if isinstance(data.get("name"), str) else None
        posts = [
            _as_post(message, channel, channel_id) if isinstance(message, dict) else message
            for message in data["messages"]
            if not isinstance(message, dict) or message.get("type", "message") == "message"
        ]
    else:
        posts = data
    without_text = 0
    for number, post in enumerate(posts, start=1):
        try:
            article = _article(post, f"{name}: post {number}", problems)
        except InputError as error:
            problems.error(f"{name}: post {number}: {error}")
            continue
        if article is None:
            without_text += 1
        else:
            yield article
    if without_text:
        problems.warn(f"{name}: {without_text} posts without text skipped")


def _as_post(message: dict[str, Any], channel: str | None, channel_id: Any) -> dict[str, Any]:
    return {**message, "message_id": message.get("id"), "channel": channel, "sender_id": channel_id}


def _article(post: Any, where: str, problems: Problems) -> Article | None:
    if not isinstance(post, dict):
        raise InputError(f"a post must be a JSON object, got {type(post).__name__}")
    text = _text(post.get("text")).strip()
    if not text:
        return None
    channel = _channel_number(post.get("sender_id"))
    message = post.get("message_id")
    if message is None:
        raise InputError("no message_id")
    if isinstance(message, bool) or not isinstance(message, int | str):
        raise InputError(f"message_id must be a number or a string, got {type(message).__name__}")
    source = post.get("channel")
    return Article(
        id=f"tg-{channel}-{message}" if channel else f"tg-{message}",
        text=text,
        title=None,
        published=published_or_warn(post.get("date"), where, problems),
        source=source if isinstance(source, str) and source else None,
        url=f"https://t.me/c/{channel}/{message}" if channel else None,
    )


def _text(value: Any) -> str:
    """A post's text: a string, or a list of strings and `{"type", "text"}` pieces."""
    if value is None or isinstance(value, str):
        return value or ""
    if not isinstance(value, list):
        raise InputError(f"text must be a string or a list, got {type(value).__name__}")
    pieces = []
    for piece in value:
        if isinstance(piece, dict):
            piece = piece.get("text", "")
        if not isinstance(piece, str):
            raise InputError(f"a text piece must be a string, got {type(piece).__name__}")
        pieces.append(piece)
    return "".join(pieces)


def _channel_number(sender: Any) -> str | None:
    """Bot API ids of channels are -100 followed by the channel's own id (used in t.me/c/ links)."""
    if sender is None or isinstance(sender, bool) or not isinstance(sender, int | str):
        return None
    digits = str(sender).lstrip("-")
    return digits[3:] if digits.startswith("100") and len(digits) > 10 else digits
