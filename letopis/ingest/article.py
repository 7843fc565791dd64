"""The input article: what every reader produces and the pipeline consumes.

Every text field is made storable on creation, the same way whatever the backend: lone
surrogates (from JSON escapes like "\\ud800") become U+FFFD, NUL characters are removed, and an id
longer than MAX_ID_CHARS is cut and given a hash of the whole id, so it stays unique.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, fields
from datetime import date, datetime

from letopis.errors import InputError
from letopis.text import parse_iso

MAX_ID_CHARS = 200
# Publication dates outside this range are typos or junk, and break date arithmetic.
EARLIEST_YEAR = 1800
LATEST_YEAR = 2200


@dataclass
class Article:
    id: str
    text: str
    title: str | None = None
    published: str | None = None  # YYYY-MM-DD or an ISO timestamp
    source: str | None = None
    url: str | None = None

    def __post_init__(self) -> None:
        for field in fields(self):
            value = getattr(self, field.name)
            if isinstance(value, str):
                setattr(self, field.name, storable(value))
        if len(self.id) > MAX_ID_CHARS:
            self.id = bounded_id(self.id)


_UNSTORABLE = re.compile(r"[\ud800-\udfff]|\x00")


def storable(text: str) -> str:
    """Lone surrogates → U+FFFD, NUL removed: text that UTF-8, SQLite and PostgreSQL all keep."""
    if not _UNSTORABLE.search(text):
        return text
    return _UNSTORABLE.sub(lambda m: "" if m[0] == "\x00" else "\ufffd", text)


def bounded_id(value: str) -> str:
    digest = hashlib.sha1(value.encode("utf-8")).hexdigest()[:16]
    return f"{value[: MAX_ID_CHARS - 17]}-{digest}"


_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def normalise_published(value: object) -> str | None:
    """Accept YYYY-MM-DD, an ISO timestamp, a date or a datetime within EARLIEST_YEAR..LATEST_YEAR;
    reject anything else."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime | date):
        _check_year(value.year, value.isoformat())
        return value.isoformat()
    if not isinstance(value, str):
        raise InputError(f"published must be a date string, got {type(value).__name__}")
    text = storable(value.strip())
    if not _DATE.match(text):
        raise InputError(f"published must be YYYY-MM-DD or an ISO timestamp, got {text[:40]!r}")
    moment = parse_iso(text)
    if moment is None:
        raise InputError(f"published is not a valid date: {text[:40]!r}")
    _check_year(moment.year, text)
    return text


def _check_year(year: int, text: str) -> None:
    if not EARLIEST_YEAR <= year <= LATEST_YEAR:
        raise InputError(
            f"published {text[:40]!r} is outside {EARLIEST_YEAR}-{LATEST_YEAR}: not a "
            "publication date"
        )
