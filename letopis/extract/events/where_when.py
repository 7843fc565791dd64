"""Place and date of an event: a mention in its clause, else in its sentence, else the nearest
preceding mention in the same paragraph (line)."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

from letopis.analyze.doc import Doc, Token
from letopis.extract.events.tree import Tree
from letopis.record import Mention, Place


@dataclass
class Located:
    start: int
    end: int
    item: object  # a Place or a date value


class WhereWhen:
    def __init__(self, doc: Doc, tree: Tree):
        self.doc = doc
        self.tree = tree
        self.breaks = [i for i, ch in enumerate(doc.text) if ch == "\n"]
        self.places = sorted(_place_mentions(doc), key=lambda m: m.start)
        self.dates = sorted(
            (Located(d.start, d.end, d.value) for d in doc.dates), key=lambda m: m.start
        )

    def _line(self, offset: int) -> int:
        return bisect_right(self.breaks, offset)

    def _pick(
        self,
        found: list[Located],
        clause: tuple[int, int],
        sentence: tuple[int, int],
        trigger: Token,
        taken: set[str],
    ) -> Located | None:
        # A place that is an argument ("поблагодарил Россию") is not where the event happened.
        usable = [m for m in found if _place_key(m.item) not in taken]
        for lo, hi in (clause, sentence):
            inside = [m for m in usable if lo <= m.start and m.end <= hi]
            if inside:
                return min(inside, key=lambda m: abs(m.start - trigger.start))
        line = self._line(trigger.start)
        before = [m for m in usable if m.end <= sentence[0] and self._line(m.start) == line]
        return before[-1] if before else None

    def locate(
        self,
        trigger: Token,
        chain: list[Token],
        sentence: tuple[int, int],
        argument_keys: set[str],
    ) -> tuple[Place | None, str | None]:
        """Place and date for a trigger; `argument_keys` are the participants' entity ids and
        case-folded names, which are not places of the event."""
        clause = self._clause(chain)
        place = self._pick(self.places, clause, sentence, trigger, argument_keys)
        date = self._pick(self.dates, clause, sentence, trigger, set())
        return (place.item if place else None), (date.item if date else None)

    def _clause(self, chain: list[Token]) -> tuple[int, int]:
        """The extent of the highest predicate the trigger hangs from, on the trigger's line."""
        top = chain[-1]
        lo, hi = top.start, top.end
        for c in self.tree.descendants(top.index):
            lo, hi = min(lo, c.start), max(hi, c.end)
        return lo, hi


def _place_key(item: object) -> str:
    if isinstance(item, Place):
        return item.entity or item.name.casefold()
    return ""


def argument_keys(args) -> set[str]:
    keys = set()
    for arg in args:
        keys.add(arg.name.casefold())
        if arg.entity:
            keys.add(arg.entity)
    return keys


def _place_mentions(doc: Doc) -> list[Located]:
    """Mentions of resolved places; without a places layer, LOC entity spans stand in."""
    if doc.places:
        return [Located(m.start, m.end, place) for place in doc.places for m in place.mentions]
    out = []
    for span in doc.spans:
        if span.type == "LOC":
            place = Place(
                name=span.normal or span.text,
                geonameid=None,
                lat=None,
                lon=None,
                country=None,
                mentions=[Mention(span.start, span.end, span.text)],
            )
            out.append(Located(span.start, span.end, place))
    return out
