"""Place and date of an event (codebook §3.8), read off the parse around its trigger.

A place or date mention is tied to the predicate it hangs from (its *anchor*): the trigger
and the words it takes its status from ("визит ... был запланирован") are the event's own;
another event word ("до развала в ФРГ") or a side clause ("активисты, которые 2 марта
провели акцию") keeps its mention to itself.

Place: a locative phrase of the sentence ("в Тбилиси", "удар по Харькову"; own before free),
cities before regions before countries; else the nearest preceding place of the paragraph;
else a bare or origin mention of the sentence ("парламент Южной Кореи", "жители Жанаозена"),
narrowed to the story's setting when that lies inside it; else the setting itself (the place
most often named as a location or origin; none in a digest of bulleted items). A participant
("поблагодарил Россию") is no place unless named in a locative phrase or a city.

Date: a date of the sentence that is not a bound ("до 7 мая", "с 2019 года"); else the date
of a report sentence right after ("Об этом 3 октября сообщает ..."), of the sentence before
when this one refers back ("Тогда ...") or goes on with the story it tells without moving in
time; else none. A day without a year takes the year of a full date before it in the
paragraph.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass
from functools import cache

from letopis.analyze.doc import Doc, Token
from letopis.data import load_yaml
from letopis.extract.events.tree import Tree
from letopis.record import Mention, Place


@dataclass(frozen=True)
class Words:
    """The place and time cue words of letopis/data/where_when.yaml."""

    locative_preps: frozenset[str]
    bound_preps: frozenset[str]
    origin_preps: frozenset[str]
    source_preps: frozenset[str]
    bullets: frozenset[str]
    report_openers: tuple[str, ...]
    then_words: tuple[str, ...]
    shift_words: tuple[str, ...]


@cache
def words() -> Words:
    data = load_yaml("where_when.yaml")
    sets = ("locative_preps", "bound_preps", "origin_preps", "source_preps", "bullets")
    sequences = ("report_openers", "then_words", "shift_words")
    return Words(
        **{key: frozenset(data[key]) for key in sets},
        **{key: tuple(data[key]) for key in sequences},
    )


SPECIFICITY = {"city": 0, "region": 1, "country": 2}
HOPS = 8


@dataclass
class Located:
    start: int
    end: int
    item: object  # a Place or a date value
    head: int = -1  # index of the mention's syntactic head, -1 when no token covers it


@dataclass(frozen=True)
class Scope:
    """Where the trigger sits: its chain of governors, sentence and line."""

    trigger: Token
    own: frozenset[int]  # the chain and the predicate the chain's top hangs from
    above: frozenset[int]  # every governor of the chain's top: the clauses it sits in
    sentence: tuple[int, int]
    line: int
    main: bool  # the trigger's chain reaches the root of the sentence


class WhereWhen:
    def __init__(self, doc: Doc, tree: Tree):
        self.doc = doc
        self.tree = tree
        self.breaks = [i for i, ch in enumerate(doc.text) if ch == "\n"]
        self.starts = [t.start for t in doc.tokens]
        self.places = sorted(_place_mentions(doc), key=lambda m: m.start)
        self.resolved = bool(doc.places)  # else the places are bare LOC spans
        self.dates = sorted(
            (Located(d.start, d.end, d.value) for d in doc.dates), key=lambda m: m.start
        )
        for m in (*self.places, *self.dates):
            m.head = self._head(m.start, m.end)
        self.digest = any(_is_bullet(line) for line in doc.text.split("\n"))
        self.setting = self._setting()

    def _setting(self) -> Place | None:
        """The place the story is set in: the one most often named as a location or an
        origin ("в Тбилиси", "суд Москвы"); a place only named as a participant ("помощь
        Украине") is none, and when a few places are named once each, none stands out."""
        counts: Counter[int] = Counter()
        first: dict[int, Located] = {}
        for m in self.places:
            if self._place_kind(m) in ("locative", "origin"):
                counts[id(m.item)] += 1
                first.setdefault(id(m.item), m)
        if not counts or (len(counts) > 1 and max(counts.values()) < 2):
            return None
        best = max(counts, key=lambda key: (counts[key], -first[key].start))
        return first[best].item  # type: ignore[return-value]

    def _line(self, offset: int) -> int:
        return bisect_right(self.breaks, offset)

    def _head(self, start: int, end: int) -> int:
        """The token of [start, end) whose syntactic head lies outside it."""
        lo = bisect_right(self.starts, start) - 1
        lo = max(lo, 0)
        hi = bisect_left(self.starts, end)
        inside = [i for i in range(lo, hi) if self.doc.tokens[i].end > start]
        if not inside:
            return -1
        for i in inside:
            head = self.doc.tokens[i].head
            if head is None or head not in inside:
                return i
        return inside[-1]

    def locate(
        self,
        trigger: Token,
        chain: list[Token],
        sentence: tuple[int, int],
        argument_keys: set[str],
    ) -> tuple[Place | None, str | None]:
        """Place and date for a trigger; `argument_keys` are the participants' entity ids and
        case-folded names, which are not places of the event (a city is: "атака на Николаев")."""
        own = {t.index for t in chain}
        top_parent = self.tree.parent(chain[-1].index)
        if top_parent is not None:
            own.add(top_parent.index)
        main = chain[-1].head is None
        above = frozenset(self._ancestors(chain[-1].index))
        scope = Scope(trigger, frozenset(own), above, sentence, self._line(trigger.start), main)
        place = self._place(scope, argument_keys)
        date = self._date(scope)
        return place, date

    # -- anchors -----------------------------------------------------------------------

    def _ancestors(self, i: int) -> list[int]:
        out, cur = [], self.tree.parent(i)
        while cur is not None and cur.index not in out and len(out) < HOPS:
            out.append(cur.index)
            cur = self.tree.parent(cur.index)
        return out

    def _anchor(self, m: Located, scope: Scope) -> str:
        """ "own" when the mention hangs from the event's chain, "other" when from another
        event word or from a side clause ("активистов, которые 2 марта провели"), "free"
        otherwise (the clause the event is embedded in, or no predicate)."""
        own, trigger = scope.own, scope.trigger
        if m.head < 0:
            return "free"
        cur, seen = m.head, {m.head}
        for _ in range(HOPS):
            parent = self.tree.parent(cur)
            if parent is None or parent.index in seen:
                return "free"
            if parent.index in own:
                return "own"
            if parent.lemma in self.tree.event_lemmas:
                return "other" if self._nearer(parent, m, trigger) else "free"
            if parent.pos in ("VERB", "AUX"):
                side = parent.index not in scope.above
                return "other" if side and self._nearer(parent, m, trigger) else "free"
            seen.add(parent.index)
            cur = parent.index
        return "free"

    def _nearer(self, other: Token, m: Located, trigger: Token) -> bool:
        """Whether another predicate is nearer the mention than the trigger: a parse arc to a
        far-off predicate is more likely an error than the mention's true anchor."""
        head = self.doc.tokens[m.head]
        return abs(other.index - head.index) < abs(trigger.index - head.index)

    def _prep(self, m: Located) -> str | None:
        """The preposition of the mention, or of the noun it names ("в городе Николаеве")."""
        if m.head < 0:
            return None
        prep = self.tree.prep(m.head)
        tok = self.doc.tokens[m.head]
        if prep is None and tok.rel in ("appos", "flat", "flat:name", "nmod"):
            parent = self.tree.parent(m.head)
            if (
                parent is not None
                and parent.pos == "NOUN"
                and parent.lemma not in self.tree.event_lemmas
            ):
                prep = self.tree.prep(parent.index)
        return prep

    # -- place -------------------------------------------------------------------------

    def _place(self, scope: Scope, taken: set[str]) -> Place | None:
        """A locative phrase of the sentence, else the nearest preceding place of the
        paragraph, else a bare or origin mention of the sentence, else the setting."""
        strong, weak = self._sentence_places(scope, taken)
        if strong is not None:
            return strong
        before = self._preceding(self.places, scope, taken)
        if before is not None:
            return before.item  # type: ignore[return-value]
        if weak is not None:
            return self._narrowed(weak)
        if not self.digest and self.setting is not None and _place_key(self.setting) not in taken:
            return self.setting
        return None

    def _sentence_places(self, scope: Scope, taken: set[str]) -> tuple[Place | None, Place | None]:
        """The best locative place of the event's own or embedding clauses, and the best
        other place of the sentence."""
        lo, hi = scope.sentence
        ranked: list[tuple[tuple[int, int, int], Place]] = []
        for m in self.places:
            if not (lo <= m.start and m.end <= hi):
                continue
            place = m.item
            assert isinstance(place, Place)
            kind = self._place_kind(m)
            # A participant is no place ("поблагодарил Россию"), unless named as a target
            # or destination ("атака на Николаев", "визит в Киев"); a city still may be
            # ("атаковали Николаев"), when nothing better is named.
            if _place_key(place) in taken and kind != "locative":
                if place.feature != "city":
                    continue
                kind = "origin"
            if kind == "origin" and place.feature == "country" and self._other_setting(place):
                continue  # "премьер-министр Армении заявил": who speaks, not where it happens
            anchor = self._anchor(m, scope)
            if anchor == "other" and kind != "locative":
                continue
            tier = {"own": 0, "free": 1, "other": 2}[anchor]
            tier += {"locative": 0, "bare": 3, "origin": 5}[kind]
            spec = SPECIFICITY.get(place.feature or "", 3)
            ranked.append(((tier, spec, abs(m.start - scope.trigger.start)), place))
        # Another event's locative ("до развала коалиции в ФРГ") ranks with the weak ones.
        strong = [r for r in ranked if r[0][0] < 2]
        weak = [r for r in ranked if r[0][0] >= 2]
        return (
            min(strong, key=lambda r: r[0])[1] if strong else None,
            min(weak, key=lambda r: r[0])[1] if weak else None,
        )

    def _other_setting(self, place: Place) -> bool:
        setting = self.setting
        return not self.digest and setting is not None and _place_key(setting) != _place_key(place)

    def _narrowed(self, place: Place) -> Place:
        """The document's setting instead of a weak candidate it lies in ("органы России" in
        a story set in Moscow)."""
        setting = self.setting
        if (
            setting is not None
            and not self.digest
            and setting.country is not None
            and setting.country == place.country
            and SPECIFICITY.get(setting.feature or "", 3) < SPECIFICITY.get(place.feature or "", 3)
        ):
            return setting
        return place

    def _place_kind(self, m: Located) -> str:
        """locative ("в Киеве"), origin ("президент Перу", a place inside an organisation's
        name) or bare."""
        place = m.item
        if self.resolved and isinstance(place, Place) and place.entity is None:
            return "origin"
        if m.head < 0:
            return "bare"
        prep = self._prep(m)
        if prep in words().source_preps and self._under_plain_noun(m.head):
            return "origin"  # "выходцы из Марракеша" (but "вывод войск из Казахстана")
        if prep in words().locative_preps:
            return "locative"
        if prep in words().origin_preps:
            return "origin"
        tok = self.doc.tokens[m.head]
        parent = self.tree.parent(m.head)
        if (
            tok.rel in ("nmod", "amod")
            and self.tree.prep(m.head) is None
            and parent is not None
            and parent.pos in ("NOUN", "PROPN")
        ):
            return "origin"
        return "bare"

    def _under_plain_noun(self, i: int) -> bool:
        parent = self.tree.parent(i)
        return (
            parent is not None
            and parent.pos in ("NOUN", "PROPN")
            and parent.lemma not in self.tree.event_lemmas
        )

    def _preceding(self, found: list[Located], scope: Scope, taken: set[str]) -> Located | None:
        """The nearest mention before the sentence on the same line (paragraph)."""
        for m in reversed(found):
            if m.end > scope.sentence[0]:
                continue
            if self._line(m.start) != scope.line:
                return None
            if _place_key(m.item) in taken or self._place_kind(m) == "origin":
                continue
            return m
        return None

    # -- date --------------------------------------------------------------------------

    def _date(self, scope: Scope) -> str | None:
        lo, hi = scope.sentence
        ranked: list[tuple[tuple[int, int], Located]] = []
        for m in self.dates:
            if not (lo <= m.start and m.end <= hi) or self._is_bound(m):
                continue
            anchor = self._anchor(m, scope)
            if anchor == "other":
                continue
            tier = 0 if anchor == "own" else 1
            ranked.append(((tier, abs(m.start - scope.trigger.start)), m))
        if ranked:
            return self._with_year(min(ranked, key=lambda r: r[0])[1])
        carried = self._report_date(scope) or self._then_date(scope) or self._story_date(scope)
        return self._with_year(carried) if carried is not None else None

    def _is_bound(self, m: Located) -> bool:
        first = self.doc.text[m.start : m.end].split(maxsplit=1)
        if first and first[0].casefold() in words().bound_preps:
            return True
        return m.head >= 0 and self.tree.prep(m.head) in words().bound_preps

    def _report_date(self, scope: Scope) -> Located | None:
        """A date in the next sentence of the paragraph when that sentence reports this one
        ("Об этом в среду, 3 октября, сообщает сайт"); only the sentence's main event is
        what is reported."""
        if not scope.main:
            return None
        sent = self.doc.tokens[scope.trigger.index].sent
        if sent + 1 >= len(self.doc.sents):
            return None
        nxt = self.doc.sents[sent + 1]
        text = self.doc.text[nxt.start : nxt.end].lstrip().casefold()
        if not text.startswith(words().report_openers):
            return None
        for m in self.dates:
            if nxt.start <= m.start and m.end <= nxt.end and not self._is_bound(m):
                return m
        return None

    def _story_date(self, scope: Scope) -> Located | None:
        """The date of the sentence just before, in the same paragraph, when that sentence
        reports an event and this one goes on with it ("В Минске 3 мая прошла акция.
        Полиция задержала участников."); a sentence that moves in time ("затем", "ранее")
        or follows a sentence about something else ("Видео появилось 9 ноября") keeps none."""
        sent = scope.trigger.sent
        if sent == 0 or _has_any(self._text(scope.sentence), words().shift_words):
            return None
        prev = self.doc.sents[sent - 1]
        if self._line(prev.start) != scope.line and self._line(prev.end - 1) != scope.line:
            return None
        tokens = self.doc.tokens
        if not any(tokens[i].lemma in self.tree.event_lemmas for i in prev.tokens):
            return None
        inside = [
            m
            for m in self.dates
            if prev.start <= m.start and m.end <= prev.end and not self._is_bound(m)
        ]
        return inside[-1] if len(inside) == 1 else None

    def _text(self, extent: tuple[int, int]) -> str:
        return self.doc.text[extent[0] : extent[1]].casefold()

    def _then_date(self, scope: Scope) -> Located | None:
        """The nearest preceding date when the sentence refers back to it ("Тогда ...")."""
        lo = scope.sentence[0]
        text = self._text(scope.sentence)
        opening = text.lstrip(" \"«'*-—–").startswith("тогда ")
        if not (_has_any(text, words().then_words) or opening):
            return None
        before = [m for m in self.dates if m.end <= lo and not self._is_bound(m)]
        return before[-1] if before else None

    def _with_year(self, m: Located) -> str:
        """A day without a year takes the year of the nearest full date before it in the
        paragraph ("1 июля 2019 года ... а 9 июля" → 2019-07-09); a bare year is too loose
        an anchor."""
        value = str(m.item)
        if not value.startswith("--"):
            return value
        line = self._line(m.start)
        for prev in reversed(self.dates):
            full = str(prev.item)
            if prev.end > m.start:
                continue
            if self._line(prev.start) != line:
                break
            if len(full) == 10 and full[:4].isdigit():
                return full[:4] + value[1:]
        return value


def _has_any(text: str, phrases: tuple[str, ...]) -> bool:
    return any(_has_phrase(text, phrase) for phrase in phrases)


def _has_phrase(text: str, phrase: str) -> bool:
    at = text.find(phrase)
    while at >= 0:
        end = at + len(phrase)
        if (at == 0 or not text[at - 1].isalpha()) and (
            end == len(text) or not text[end].isalpha()
        ):
            return True
        at = text.find(phrase, at + 1)
    return False


def _is_bullet(line: str) -> bool:
    stripped = line.lstrip()
    return bool(stripped) and stripped[0] in words().bullets


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
                mentions=[Mention(span.start, span.end, span.text, span.normal or span.text)],
            )
            out.append(Located(span.start, span.end, place))
    return out
