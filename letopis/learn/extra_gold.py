"""Training-only gold events kept without their texts (training/events-extra.jsonl).

The texts come from the data sets in ../shared/data, which are never copied into the project:
each line names where its text is (`origin`: the data set, a file in it and, for a Telegram
export, the post's id as Letopis reads it) and the text's sha256, so a changed or missing source
is an error, never a silently different document. Everything else is a gold document as
`eval/ANNOTATE.md` defines it."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from letopis.errors import InputError
from letopis.eval.events import read_gold
from letopis.ingest.readers import Problems
from letopis.ingest.sources import read_inputs


def text_digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def read_extra_gold(path: Path, data: Path) -> list[dict[str, Any]]:
    """The gold documents of `path` with their texts read from `data` (../shared/data)."""
    docs = []
    exports: dict[Path, dict[str, str]] = {}  # Telegram file -> post id -> text, read once
    for doc in read_gold(path, ("id", "origin", "text_sha256")):
        origin, digest = doc.pop("origin"), doc.pop("text_sha256")
        text = _cached_text(data, origin, exports)
        if text_digest(text) != digest:
            raise InputError(f"{path}: {doc['id']}: the text at {origin} has changed")
        docs.append({**doc, "text": text})
    return docs


def _cached_text(data: Path, origin: dict[str, str], exports: dict) -> str:
    """The text an origin names: a plain text file, or one post of a Telegram export."""
    path = data / origin["dataset"] / origin["file"]
    if not path.is_file():
        raise InputError(f"training text not found: {path}")
    item = origin.get("item")
    if item is None:
        return path.read_text(encoding="utf-8")
    if path not in exports:
        exports[path] = {a.id: a.text for a in read_inputs([str(path)], Problems())}
    if item not in exports[path]:
        raise InputError(f"{path}: no post {item}")
    return exports[path][item]
