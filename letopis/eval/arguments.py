"""`letopis eval arguments --dataset nerel PATH`: argument attachment against NEREL's links.

For every Letopis event whose trigger overlaps a NEREL EVENT mention, the participants it
attaches (actors and recipients read from the text) are compared with the mention's
AGENT / PARTICIPANT_IN links, and its place (any mention of that place in the article) with
the TAKES_PLACE_IN links; spans match when they overlap. Roles: each WORKS_AS link
(person -> profession) and WORKPLACE link (person or profession -> organisation) against
the `roles` of the Letopis entity with that person's mention.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

import typer

from letopis.errors import InputError
from letopis.eval.ner import natural_key, read_text
from letopis.ingest.article import Article

PARTICIPANT_LINKS = frozenset({"AGENT", "PARTICIPANT_IN"})
Span = tuple[int, int]


@dataclass
class NerelDoc:
    id: str
    text: str
    spans: dict[str, tuple[str, Span]]  # T id -> (label, extent)
    links: list[tuple[str, str, str]]  # (relation, Arg1, Arg2)

    def events(self) -> dict[str, Span]:
        return {t: span for t, (label, span) in self.spans.items() if label == "EVENT"}

    def linked(self, relation: Iterable[str], arg: int, other: str) -> list[Span]:
        """Spans linked to `other` by these relations; `arg` is which end `other` is (1, 2)."""
        out = []
        for rel, a1, a2 in self.links:
            if rel in relation and (a1, a2)[arg - 1] == other:
                target = a2 if arg == 1 else a1
                if target in self.spans:
                    out.append(self.spans[target][1])
        return out


def read_nerel_links(folder: Path) -> list[NerelDoc]:
    if not folder.is_dir():
        raise InputError(f"not a NEREL folder: {folder}")
    docs = []
    for text_path in sorted(folder.glob("*.txt"), key=natural_key):
        ann = text_path.with_suffix(".ann")
        if not ann.exists():
            continue
        spans: dict[str, tuple[str, Span]] = {}
        links: list[tuple[str, str, str]] = []
        for line in ann.read_text(encoding="utf-8").splitlines():
            fields = line.split("\t")
            if line.startswith("T") and len(fields) >= 2:
                label, _, offsets = fields[1].partition(" ")
                numbers = [int(n) for n in re.split(r"[ ;]", offsets) if n]
                if numbers:
                    spans[fields[0]] = (label, (min(numbers), max(numbers)))
            elif line.startswith("R") and len(fields) >= 2:
                parts = fields[1].split()
                if len(parts) == 3:
                    links.append((parts[0], parts[1][5:], parts[2][5:]))
        docs.append(NerelDoc(text_path.stem, read_text(text_path), spans, links))
    if not docs:
        raise InputError(f"no NEREL documents (N.txt + N.ann) in {folder}")
    return docs


def _overlaps(a: Span, b: Span) -> bool:
    return a[0] < b[1] and b[0] < a[1]


@dataclass
class Tally:
    system: int = 0
    system_right: int = 0
    gold: int = 0
    gold_found: int = 0

    def add(self, system: list[Span], gold: list[Span]) -> None:
        self.system += len(system)
        self.system_right += sum(any(_overlaps(s, g) for g in gold) for s in system)
        self.gold += len(gold)
        self.gold_found += sum(any(_overlaps(s, g) for s in system) for g in gold)

    def as_dict(self) -> dict[str, float | int]:
        p = self.system_right / self.system if self.system else 0.0
        r = self.gold_found / self.gold if self.gold else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return {
            "precision": round(p, 3),
            "recall": round(r, 3),
            "f1": round(f, 3),
            "system": self.system,
            "gold": self.gold,
        }


@dataclass
class ArgumentScores:
    coded_events: int = 0
    nerel_events: int = 0
    tallies: dict[str, Tally] = field(
        default_factory=lambda: {
            k: Tally() for k in ("participants", "place", "works_as", "workplace")
        }
    )


def _event_spans(event: dict[str, Any]) -> tuple[Span, list[Span], list[Span]]:
    trigger = event["trigger"]
    args = [
        (a["start"], a["end"])
        for a in event.get("actors", []) + event.get("recipients", [])
        if a.get("text") and a["end"] > a["start"]
    ]
    place = event.get("place") or {}
    places = [(m["start"], m["end"]) for m in place.get("mentions", [])]
    return (trigger["start"], trigger["end"]), args, places


def score_events(doc: NerelDoc, record: dict[str, Any], scores: ArgumentScores) -> None:
    events = doc.events()
    scores.nerel_events += len(events)
    for event in record.get("events", []):
        trigger, args, places = _event_spans(event)
        gold_id = next((t for t, span in events.items() if _overlaps(trigger, span)), None)
        if gold_id is None:
            continue
        scores.coded_events += 1
        scores.tallies["participants"].add(args, doc.linked(PARTICIPANT_LINKS, 2, gold_id))
        gold_places = doc.linked({"TAKES_PLACE_IN"}, 1, gold_id)
        # The event's place is one place, named by any of its mentions in the article.
        tally = scores.tallies["place"]
        tally.system += bool(places)
        tally.system_right += bool(places) and any(
            _overlaps(m, g) for m in places for g in gold_places
        )
        tally.gold += len(gold_places)
        tally.gold_found += sum(any(_overlaps(m, g) for m in places) for g in gold_places)


def score_roles(doc: NerelDoc, record: dict[str, Any], scores: ArgumentScores) -> None:
    entities = record.get("entities", [])
    by_name: dict[str, list[Span]] = {}
    for entity in entities:
        by_name.setdefault(entity["name"], []).extend(
            (m["start"], m["end"]) for m in entity.get("mentions", [])
        )
    for rel, key in (("WORKS_AS", "works_as"), ("WORKPLACE", "workplace")):
        gold_pairs = [
            (doc.spans[a1][1], doc.spans[a2][1])
            for r, a1, a2 in doc.links
            if r == rel and a1 in doc.spans and a2 in doc.spans
        ]
        system_pairs: list[tuple[list[Span], Span]] = []
        for entity in entities:
            mentions = [(m["start"], m["end"]) for m in entity.get("mentions", [])]
            for role in entity.get("roles", []):
                if key == "works_as":
                    system_pairs.append((mentions, (role["start"], role["end"])))
                elif role.get("of"):
                    for span in by_name.get(role["of"], []):
                        system_pairs.append((mentions + [(role["start"], role["end"])], span))
                        break
        _add_pairs(scores.tallies[key], system_pairs, gold_pairs)


def _add_pairs(
    tally: Tally, system: list[tuple[list[Span], Span]], gold: list[tuple[Span, Span]]
) -> None:
    def same(s: tuple[list[Span], Span], g: tuple[Span, Span]) -> bool:
        holders, target = s
        return _overlaps(target, g[1]) and any(_overlaps(h, g[0]) for h in holders)

    tally.system += len(system)
    tally.system_right += sum(any(same(s, g) for g in gold) for s in system)
    tally.gold += len(gold)
    tally.gold_found += sum(any(same(s, g) for s in system) for g in gold)


def evaluate(docs: list[NerelDoc], analyze: Any, progress: Any = None) -> ArgumentScores:
    scores = ArgumentScores()
    for doc in docs:
        record = analyze(Article(id=doc.id, text=doc.text)).to_dict()
        score_events(doc, record, scores)
        score_roles(doc, record, scores)
        if progress is not None:
            progress()
    return scores


def arguments_command(
    path: Annotated[Path, typer.Argument(metavar="PATH", help="NEREL folder, e.g. its test split")],
    dataset: Annotated[str, typer.Option("--dataset", "-d", help="nerel (the only one)")] = "nerel",
    as_json: Annotated[bool, typer.Option("--json", help="Print the scores as JSON.")] = False,
    limit: Annotated[int, typer.Option(help="Score only the first N documents.")] = 0,
) -> None:
    """Participants, places and roles that Letopis attaches, against NEREL's links."""
    from letopis.pipeline import shared_pipeline

    if dataset != "nerel":
        raise InputError(f"unknown dataset {dataset!r} (known: nerel)")
    docs = read_nerel_links(path)
    docs = docs[:limit] if limit > 0 else docs
    scores = evaluate(docs, shared_pipeline().analyze)
    result = {
        "documents": len(docs),
        "nerel_events": scores.nerel_events,
        "coded_events": scores.coded_events,
        **{k: t.as_dict() for k, t in scores.tallies.items()},
    }
    if as_json:
        typer.echo(json.dumps(result, ensure_ascii=False, indent=1))
        return
    typer.echo(
        f"{len(docs)} documents; Letopis events on NEREL EVENT mentions: "
        f"{scores.coded_events} (NEREL has {scores.nerel_events})"
    )
    for key, tally in scores.tallies.items():
        r = tally.as_dict()
        typer.echo(
            f"{key:12s} P={r['precision']:.3f} R={r['recall']:.3f} F1={r['f1']:.3f} "
            f"(system {r['system']}, gold {r['gold']})"
        )
