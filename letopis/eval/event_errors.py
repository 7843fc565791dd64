"""Event errors by cause, computed with the shared scorer's own matching.

False positives (system events matched to no gold event at the type level):
  wrong_type    a gold event is stated in the trigger's sentence, none of the system's type
  duplicate     the gold event of that sentence and type is already matched by another event
  not_an_event  no gold event is stated in the trigger's sentence
Misses (required gold events matched by no system event at the type level):
  wrong_type    a system trigger lies in the sentence of the gold evidence, of another type
  no_trigger    no system event has its trigger there
Wrong arguments (matched at the type level, lost at the next level):
  actor_missing / actor_wrong, recipient_missing / recipient_wrong
"""

from __future__ import annotations

from collections import Counter
from types import ModuleType
from typing import Any

FP_CAUSES = ("not_an_event", "wrong_type", "duplicate")
MISS_CAUSES = ("no_trigger", "wrong_type")
ARGUMENT_CAUSES = ("actor_missing", "actor_wrong", "recipient_missing", "recipient_wrong")


def _sentence_bounds(text: str, offset: int) -> tuple[int, int]:
    """The sentence (between . ! ? or line breaks) around an offset: a cheap, parse-free
    window that is the same for the system's trigger and the gold evidence."""
    start = max(text.rfind(ch, 0, offset) for ch in ".!?\n") + 1
    ends = [i for i in (text.find(ch, offset) for ch in ".!?\n") if i >= 0]
    return start, min(ends) if ends else len(text)


def _evidence_span(text: str, gold_event: dict[str, Any]) -> tuple[int, int] | None:
    evidence = gold_event.get("evidence") or ""
    at = text.find(evidence) if evidence else -1
    if at < 0:
        return None
    start, _ = _sentence_bounds(text, at)
    _, end = _sentence_bounds(text, at + len(evidence) - 1)
    return start, end


def _trigger_offset(event: dict[str, Any]) -> int | None:
    trigger = event.get("trigger") or {}
    start = trigger.get("start")
    return start if isinstance(start, int) else None


def _inside(offset: int | None, span: tuple[int, int] | None) -> bool:
    return offset is not None and span is not None and span[0] <= offset <= span[1]


def _has_text_participant(participants: list[dict[str, Any]] | None) -> bool:
    return any(p.get("text") for p in participants or [])


def doc_errors(scorer: ModuleType, gold_doc: dict[str, Any], record: dict[str, Any]) -> Counter:
    text = gold_doc.get("text", "")
    gold = gold_doc.get("events", [])
    system = (record or {}).get("events", [])
    spans = [_evidence_span(text, g) for g in gold]
    by_level = {lv: dict(scorer.match(system, gold, lv)) for lv in ("type", "actor", "recipient")}
    type_pairs = by_level["type"]
    matched_gold = set(type_pairs.values())
    counts: Counter = Counter()
    for i, event in enumerate(system):
        if i in type_pairs:
            if not gold[type_pairs[i]].get("required", True):
                counts["fp_optional_not_counted"] += 1
            continue
        offset = _trigger_offset(event)
        here = [j for j, span in enumerate(spans) if _inside(offset, span)]
        if not here:
            counts["fp_not_an_event"] += 1
        elif any(event.get("type") in gold[j]["types"] for j in here if j in matched_gold):
            counts["fp_duplicate"] += 1
        else:
            counts["fp_wrong_type"] += 1
    for j, g in enumerate(gold):
        if not g.get("required", True) or j in matched_gold:
            continue
        near = any(_inside(_trigger_offset(e), spans[j]) for e in system)
        counts["miss_wrong_type" if near else "miss_no_trigger"] += 1
    for level, next_level in (("type", "actor"), ("actor", "recipient")):
        found_next = set(by_level[next_level].values())
        for i, j in by_level[level].items():
            if j in found_next or not gold[j].get("required", True):
                continue
            role = "actor" if next_level == "actor" else "recipient"
            key = "actors" if role == "actor" else "recipients"
            has = _has_text_participant(system[i].get(key))
            counts[f"{role}_{'wrong' if has else 'missing'}"] += 1
    return counts


def error_counts(
    scorer: ModuleType, gold_docs: list[dict[str, Any]], records: dict[str, dict[str, Any]]
) -> Counter:
    total: Counter = Counter()
    for doc in gold_docs:
        total += doc_errors(scorer, doc, records.get(doc["id"]) or {})
    return total


def format_errors(counts: Counter) -> list[str]:
    def row(prefix: str, causes: tuple[str, ...]) -> str:
        return ", ".join(f"{c} {counts.get(prefix + c, 0)}" for c in causes)

    return [
        "false positives: "
        + row("fp_", FP_CAUSES)
        + f" (on optional gold, not counted: {counts.get('fp_optional_not_counted', 0)})",
        "misses:          " + row("miss_", MISS_CAUSES),
        "arguments:       " + row("", ARGUMENT_CAUSES),
    ]
