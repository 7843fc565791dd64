"""The input article: what every reader produces and the pipeline consumes."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime


class InputError(ValueError):
    """A user's input that Letopis cannot read; the message is meant for the user."""


@dataclass
class Article:
    id: str
    text: str
    title: str | None = None
    published: str | None = None  # YYYY-MM-DD or an ISO timestamp
    source: str | None = None
    url: str | None = None


_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def normalise_published(value: object) -> str | None:
    """Accept YYYY-MM-DD, an ISO timestamp, a date or a datetime; reject anything else."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).strip()
    if not _DATE.match(text):
        raise InputError(f"published must be YYYY-MM-DD or an ISO timestamp, got {text!r}")
    try:
        if len(text) == 10:
            date.fromisoformat(text)
        else:
            datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as error:
        raise InputError(f"published is not a valid date: {text!r} ({error})") from None
    return text
