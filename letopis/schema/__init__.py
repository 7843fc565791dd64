"""The record contract as a JSON Schema, and a validator that also checks the offsets."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib.resources import files
from typing import Any

from jsonschema import Draft202012Validator


@lru_cache(maxsize=1)
def record_schema() -> dict[str, Any]:
    return json.loads(files("letopis.schema").joinpath("record.schema.json").read_text("utf-8"))


@lru_cache(maxsize=1)
def _validator() -> Draft202012Validator:
    return Draft202012Validator(record_schema())


def validation_errors(record: dict[str, Any]) -> list[str]:
    """Schema violations, and offsets whose text does not match the article text."""
    errors = [
        f"{'/'.join(map(str, e.absolute_path)) or '<record>'}: {e.message}"
        for e in _validator().iter_errors(record)
    ]
    return errors or _offset_errors(record)


def validate(record: dict[str, Any]) -> None:
    errors = validation_errors(record)
    if errors:
        raise ValueError("record does not follow the contract:\n" + "\n".join(errors[:20]))


def _offset_errors(record: dict[str, Any]) -> list[str]:
    text = record["text"]
    spans = [
        m for group in record["entities"] + record["places"] for m in group["mentions"]
    ] + record["dates"]
    for event in record["events"]:
        spans += [a for a in event["actors"] + event["recipients"]]
        spans.append(event["trigger"])
    return [
        f"span {s['start']}:{s['end']} is {found!r}, record says {s['text']!r}"
        for s in spans
        if (found := text[s["start"] : s["end"]]) != s["text"]
    ]
