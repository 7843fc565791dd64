"""Telegram channel posts in JSON: each post with text becomes an article.

Two layouts are read:
- a list of posts `{"message_id", "sender_id", "text", "date", "channel", ...}` (the
  tg-news-posts-2024 data set, one file per channel);
- Telegram Desktop's export `{"name", "id", "messages": [{"id", "type", "date", "text"}]}`,
  where `text` may be a list of plain strings and `{"type", "text"}` pieces.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from letopis.errors import InputError
from letopis.ingest.article import Article, normalise_published
from letopis.ingest.readers import Problems, decode


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
    if not is_telegram_json(data):
        raise InputError(f"{path}: JSON that is neither Telegram posts nor a Telegram export")
    yield from telegram_articles(data, str(path), problems)


def load_json(path: Path, problems: Problems) -> Any:
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise InputError(f"{path}: cannot read ({error.strerror})") from None
    try:
        return json.loads(decode(raw, str(path), problems))
    except json.JSONDecodeError as error:
        raise InputError(f"{path}: not valid JSON ({error.msg} at line {error.lineno})") from None


def telegram_articles(data: Any, name: str, problems: Problems) -> Iterator[Article]:
    if isinstance(data, dict):
        channel_id = data.get("id")
        posts = [
            {
                **message,
                "message_id": message.get("id"),
                "channel": data.get("name"),
                "sender_id": channel_id,
            }
            for message in data["messages"]
            if message.get("type", "message") == "message"
        ]
    else:
        posts = data
    without_text = 0
    for number, post in enumerate(posts, start=1):
        try:
            article = _article(post)
        except InputError as error:
            problems.error(f"{name}: post {number}: {error}")
            continue
        if article is None:
            without_text += 1
        else:
            yield article
    if without_text:
        problems.warn(f"{name}: {without_text} posts without text skipped")


def _article(post: dict[str, Any]) -> Article | None:
    text = _text(post.get("text")).strip()
    if not text:
        return None
    channel = _channel_number(post.get("sender_id"))
    message = post.get("message_id")
    if message is None:
        raise InputError("no message_id")
    return Article(
        id=f"tg-{channel}-{message}" if channel else f"tg-{message}",
        text=text,
        title=None,
        published=normalise_published(post.get("date")),
        source=post.get("channel") or None,
        url=f"https://t.me/c/{channel}/{message}" if channel else None,
    )


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "".join(
            piece if isinstance(piece, str) else str(piece.get("text", "")) for piece in value
        )
    return ""


def _channel_number(sender: Any) -> str | None:
    """Bot API ids of channels are -100 followed by the channel's own id (used in t.me/c/ links)."""
    if sender is None:
        return None
    digits = str(sender).lstrip("-")
    return digits[3:] if digits.startswith("100") and len(digits) > 10 else digits
