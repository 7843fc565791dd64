"""The input article: what every reader produces and the pipeline consumes."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from letopis.errors import InputError
from letopis.text import parse_iso


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
    if parse_iso(text) is None:
        raise InputError(f"published is not a valid date: {text!r}")
    return text
