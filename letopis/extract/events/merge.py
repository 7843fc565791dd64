"""One event, many mentions: the same action told in the title, the lead and the body."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cache

from letopis.data import load_yaml
from letopis.record import Argument, Event, EventMention
from letopis.text import fold

# Mentions of an aftermath ("двое убиты", "ранена женщина") join an event of the same type
# this many sentences around them.
AFTERMATH_WINDOW = 2


@cache
def symmetric_types() -> frozenset[str]:
    """Types whose actors and recipients are interchangeable (codebook §3.3)."""
    return frozenset(load_yaml("merge.yaml")["symmetric_types"])


@dataclass
class Candidate:
    event: Event
    lemma: str  # the trigger's lemma
    sentences: set[int]  # indices of the sentences that mention it
    aftermath: bool  # an agentless result mention that may belong to a nearby event
    features: dict[str, float] = field(default_factory=dict)  # for the eventivity model


def _key(arg: Argument) -> str:
    return arg.entity or fold(arg.name)


class Merger:
    def __init__(self, wildcards: frozenset[str]):
        self.wildcards = wildcards

    def keys(self, args: list[Argument]) -> set[str]:
        return {_key(a) for a in args if a.name.casefold() not in self.wildcards}

    def _conflict(self, a: list[Argument], b: list[Argument]) -> bool:
        """Different named participants on both sides, or, where neither side names one,
        different group nouns read from the text. A group noun ("журналист") may describe a
        named participant, and an inferred actor (no text) never conflicts."""
        named_a, named_b = _named(a), _named(b)
        if named_a and named_b:
            return not named_a & named_b
        if named_a or named_b:
            return False
        groups_a, groups_b = self.keys(_read(a)), self.keys(_read(b))
        return bool(groups_a and groups_b and not groups_a & groups_b)

    def compatible(self, kept: Candidate, new: Candidate) -> bool:
        a, b = kept.event, new.event
        if a.type != b.type or (a.status == "negated") != (b.status == "negated"):
            return False
        if a.type in symmetric_types():  # "A met B" and "B met A" are one meeting
            shared = self.keys(a.actors + a.recipients) & self.keys(b.actors + b.recipients)
        else:  # the attacked is not the attacker: shared participants keep their roles
            shared = (self.keys(a.actors) & self.keys(b.actors)) | (
                self.keys(a.recipients) & self.keys(b.recipients)
            )
        if self._conflict(a.actors, b.actors) and not shared:
            return False
        if self._conflict(a.recipients, b.recipients) and not shared:
            return False
        if not shared and _place_date_conflict(a, b):
            return False
        if shared or kept.lemma == new.lemma:
            return True
        near = any(abs(i - j) <= AFTERMATH_WINDOW for i in kept.sentences for j in new.sentences)
        # "Стороны обсудили …" after the call between the two: the same event told again.
        return near and (kept.aftermath or new.aftermath or self.only_anaphoric(b))

    def only_anaphoric(self, event: Event) -> bool:
        """Participants read from the text, all of them words that point back ("стороны")."""
        read = _read(event.actors + event.recipients)
        return bool(read) and all(a.name.casefold() in self.wildcards for a in read)


def _named(args: list[Argument]) -> set[str]:
    return {_key(x) for x in args if x.entity or (x.text and x.name[:1].isupper())}


def _read(args: list[Argument]) -> list[Argument]:
    return [x for x in args if x.text]


def _place_date_conflict(a: Event, b: Event) -> bool:
    if a.place and b.place and a.place.name != b.place.name:
        return True
    return bool(a.date and b.date and a.date != b.date)


def _union(into: list[Argument], extra: list[Argument], exclude: set[str]) -> None:
    keys = {_key(x) for x in into} | exclude
    for arg in extra:
        if _key(arg) not in keys:
            into.append(arg)
            keys.add(_key(arg))


def _mention_key(mention: EventMention) -> tuple[int, int, int, int]:
    return (
        mention.sentence_start,
        mention.sentence_end,
        mention.trigger_start,
        mention.trigger_end,
    )


def _absorb(
    kept: Event, other: Event, known: set[tuple[int, int, int, int]], anaphoric: bool = False
) -> None:
    """`known` holds the keys of kept's mentions, kept across calls so that absorbing many
    mentions into one event stays linear. An `anaphoric` mention's participants are the
    kept event's own and add nothing."""
    if anaphoric:
        other = replace(other, actors=[], recipients=[])
    _union(kept.actors, other.actors, set())
    if any(a.text for a in kept.actors):
        # An actor read from the text replaces one inferred for an agentless mention.
        kept.actors[:] = [a for a in kept.actors if a.text]
    _union(kept.recipients, other.recipients, {_key(a) for a in kept.actors})
    for mention in other.mentions:
        if _mention_key(mention) not in known:
            known.add(_mention_key(mention))
            kept.mentions.append(mention)
    kept.mode.extend(m for m in other.mode if m not in kept.mode)
    kept.place = kept.place or other.place
    kept.date = kept.date or other.date
    kept.source = kept.source or other.source
    kept.confidence = max(kept.confidence, other.confidence)


def merge_events(
    candidates: list[Candidate], wildcards: frozenset[str] = frozenset()
) -> list[Event]:
    """The events of `merge_candidates`."""
    return [k.event for k in merge_candidates(candidates, wildcards)]


def merge_candidates(
    candidates: list[Candidate], wildcards: frozenset[str] = frozenset()
) -> list[Candidate]:
    """Merge mentions of one event: same type, no conflicting participants, and evidence that
    they are the same (a shared participant, the same trigger word, or an agentless aftermath
    mention next to it). The first mention keeps its trigger and status; ids are v1, v2, ..."""
    merger = Merger(wildcards)
    kept: list[Candidate] = []
    known: dict[int, set[tuple[int, int, int, int]]] = {}  # by id() of the kept candidate
    for candidate in candidates:
        target = next((k for k in kept if merger.compatible(k, candidate)), None)
        if target is None:
            kept.append(candidate)
            known[id(candidate)] = {_mention_key(m) for m in candidate.event.mentions}
        else:
            anaphoric = merger.only_anaphoric(candidate.event)
            _absorb(target.event, candidate.event, known[id(target)], anaphoric)
            target.sentences |= candidate.sentences
    for number, k in enumerate(kept, start=1):
        k.event.id = f"v{number}"
    return kept
