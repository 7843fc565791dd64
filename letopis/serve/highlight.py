"""Text cut into plain and marked pieces (entities by type, event triggers) for templates,
which escape every piece: nothing from the article is ever rendered as HTML."""

from __future__ import annotations

from dataclasses import dataclass

from letopis.record import Record

TYPE_NAMES = {"PER": "персона", "ORG": "организация", "LOC": "место"}


@dataclass
class Piece:
    text: str
    kind: str | None = None  # PER | ORG | LOC | trigger
    title: str | None = None


def text_segments(text: str, record: Record | None) -> list[Piece]:
    spans: list[tuple[int, int, int, str, str]] = []  # start, -priority, end, kind, title
    if record is not None:
        for event in record.events:
            spans.append((event.trigger.start, -1, event.trigger.end, "trigger", event.type))
        for entity in record.entities:
            for mention in entity.mentions:
                title = f"{TYPE_NAMES.get(entity.type, entity.type)}: {entity.name}"
                spans.append((mention.start, 0, mention.end, entity.type, title))
    pieces, position = [], 0
    for start, _, end, kind, title in sorted(spans):
        if start < position or end <= start or end > len(text):
            continue
        if start > position:
            pieces.append(Piece(text[position:start]))
        pieces.append(Piece(text[start:end], kind, title))
        position = end
    if position < len(text):
        pieces.append(Piece(text[position:]))
    return pieces


def evidence_segments(evidence) -> list[Piece]:
    """An evidence sentence with its trigger marked."""
    sentence, start, end = evidence.sentence, evidence.trigger_start, evidence.trigger_end
    if not (0 <= start < end <= len(sentence)):
        return [Piece(" ".join(sentence.split()))]
    return [
        Piece(sentence[:start]),
        Piece(sentence[start:end], "trigger", evidence.trigger),
        Piece(sentence[end:]),
    ]
