"""Roles and actor codes: titles next to a person become Roles ("Президент России Владимир
Путин" → президент of Россия), and every entity gets its country and PLOVER sector.

Finding roles (titles from data/roles.yaml, matched on lemmas, longest first):
- The title belongs to the person right after it and its "of" phrase, when that person is
  in the title's case ("глава МИД Литвы Линас Линкявичюс", "обращением президента Казахстана
  Касым-Жомарта Токаева"); a person in the genitive after a title in another case is its
  "of" instead ("представитель Путина Иван Петров").
- Or to the person right before it, across a comma or dash and a few words such as
  "занимающий должность" ("Никол Пашинян, занимающий должность председателя ОДКБ,").
- Its "of" is the state or organisation named right after it, or the state of a demonym
  adjective right before it ("казахский коллега" → Казахстан). A generic title joins a state
  institution and a title in the genitive joins the title before it: "глава МИД" of Литва,
  "пресс-секретарь президента" of Россия. A capitalised title word inside a sentence is a
  name, not a title ("депутат Госдумы Султан Хамзаев").

Codes:
- PER: country from the first role "of" a state or of a national organisation; roles "of" an
  international organisation do not make the person's country (Пашинян stays ARM), but make it
  IGO when no other role names a state (Гутерриш). Sector from that role, else from the first
  role with one. A role's sector comes from roles.yaml, else from the organisation it is "of"
  (председатель ОДКБ → IGO, глава МИД → GOV), else GOV when it is "of" a state.
  "коллега" has the sector of the other person named in the sentence: a president's
  counterpart holds the same kind of office ("Путин пообщался с казахским коллегой Токаевым" →
  Токаев KAZ GOV); with no such person it has no sector.
- ORG: IGOs are IGO/IGO (set by entities); others take the sector of the first org word of
  data/orgs.yaml in their name, and the state named in or next to them ("МИД Норвегии",
  "российский МИД"), else the state data/orgs.yaml `national` gives ("ВСУ" → UKR).
- States (LOC, and ORG spans that name a state): their ISO-3 and GOV, set by entities (a state
  acting stands for its government); partially recognised ones the claimant's ISO-3 and PRE.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from letopis.analyze.doc import Doc, Span, Token
from letopis.data import load_yaml
from letopis.extract.entities import (
    IGO_CODE,
    PARTIAL_SECTOR,
    Lexicons,
    country_codes,
    lexicons,
    words_of,
)
from letopis.record import Entity, Role
from letopis.registry import component
from letopis.text import Morph, fold

_ORG_GAP_MAX = 3  # tokens a national institution's country may stand after its org word


@dataclass(frozen=True)
class Title:
    title: str
    sector: str | None
    combines: bool = False
    genitive: bool = False
    peer: bool = False
    needs_of: bool = False


@dataclass(frozen=True)
class Phrase:
    """A lexicon phrase as one set of acceptable lemmas per word."""

    words: tuple[frozenset[str], ...]
    value: Any


class PhraseIndex:
    """Phrases found in token sequences by lemma or lower-cased text, longest first."""

    def __init__(self) -> None:
        self._by_first: dict[str, list[Phrase]] = {}

    def add(self, text: str, value: Any, morph: Morph) -> None:
        words = tuple(morph.normal_forms(w) for w in words_of(text))
        phrase = Phrase(words, value)
        for key in words[0]:
            bucket = self._by_first.setdefault(key, [])
            bucket.append(phrase)
            bucket.sort(key=lambda p: -len(p.words))

    def match(self, tokens: list[Token], start: int, stop: int) -> tuple[int, Any] | None:
        """(end index, value) of the longest phrase starting at tokens[start]."""
        best: tuple[int, Any] | None = None
        if start >= stop:
            return None
        for key in _token_keys(tokens[start]):
            for phrase in self._by_first.get(key, ()):
                end = start + len(phrase.words)
                if end > stop or (best and end <= best[0]):
                    continue
                if all(
                    _token_keys(tokens[start + k]) & phrase.words[k]
                    for k in range(1, len(phrase.words))
                ):
                    best = (end, phrase.value)
        return best


_LEADING_SYMBOLS = re.compile(r"^[^\w]+")


def _token_keys(token: Token) -> set[str]:
    """Lemma and lower-cased text; symbols glued in front ("❗️Губернатор") do not count."""
    keys = {fold(token.lemma), fold(token.text)}
    if token.text[:1].isalnum():
        return keys
    return {_LEADING_SYMBOLS.sub("", key) for key in keys}


@dataclass(frozen=True)
class RoleLexicons:
    titles: PhraseIndex
    org_heads: PhraseIndex  # institutions a generic title combines with: value = sector
    org_words: PhraseIndex  # every sector word: value = sector
    national: PhraseIndex  # institutions that name no country but belong to one: value = ISO-3
    fillers: frozenset[str]  # lemmas allowed between a person and the title after it
    max_fillers: int


def load_role_lexicons(morph: Morph) -> RoleLexicons:
    titles = PhraseIndex()
    for sector, groups in load_yaml("roles.yaml")["titles"].items():
        sector = None if sector in (None, "null") else sector
        for group in groups:
            for entry in group if isinstance(group, list) else [group]:
                _add_title(titles, entry, sector, morph)
    heads, words = PhraseIndex(), PhraseIndex()
    for sector, kinds in load_yaml("orgs.yaml")["sectors"].items():
        for phrase in kinds.get("head", []):
            heads.add(phrase, sector, morph)
            words.add(phrase, sector, morph)
        for phrase in kinds.get("words", []):
            words.add(phrase, sector, morph)
    national = PhraseIndex()
    for iso3, phrases in load_yaml("orgs.yaml")["national"].items():
        for phrase in phrases:
            national.add(phrase, iso3, morph)
    fillers = load_yaml("roles.yaml")["fillers"]
    return RoleLexicons(
        titles, heads, words, national, frozenset(fillers["lemmas"]), int(fillers["max"])
    )


def _add_title(index: PhraseIndex, entry: Any, sector: str | None, morph: Morph) -> None:
    if isinstance(entry, str):
        entry = {"title": entry}
    title = Title(
        title=entry.get("as", entry["title"]),
        sector=sector,
        combines=entry.get("combines", False),
        genitive=entry.get("genitive", False),
        peer=entry.get("peer", False),
        needs_of=entry.get("needs_of", False),
    )
    for form in [entry["title"], *entry.get("also", [])]:
        index.add(form, title, morph)


# ---------------------------------------------------------------- finding roles


@dataclass
class Of:
    name: str
    country: str | None  # ISO-3 or IGO
    sector: str | None  # the sector a generic title takes from it
    end_token: int  # index after the of-phrase


@dataclass
class FoundRole:
    role: Role
    holder: str  # entity id
    country: str | None
    sector: str | None
    peer: bool
    sentence: int


class DocView:
    """Lookups over one document that the role rules share."""

    def __init__(self, doc: Doc, lex: Lexicons, roles: RoleLexicons):
        self.doc, self.lex, self.roles = doc, lex, roles
        self.span_at: dict[int, Span] = {}
        for span in doc.spans:
            for index in span.tokens:
                self.span_at[index] = span
        self.entities = {e.id: e for e in doc.entities}

    def span_starting(self, index: int, types: Iterable[str]) -> Span | None:
        span = self.span_at.get(index)
        return span if span and span.type in types and span.tokens.start == index else None

    def place_country(self, span: Span) -> str | None:
        """The ISO-3 of the place a LOC span names, as the places component resolved it."""
        for place in self.doc.places:
            if any(m.start == span.start and m.end == span.end for m in place.mentions):
                return place.country
        return None

    def country_at(self, index: int) -> Any:
        """The state named from token `index` to the end of its (non-PER) span."""
        span = self.span_at.get(index)
        if span is None or span.type == "PER":
            return None
        if span.tokens.start == index:
            return self.country_of_span(span)
        return self.lex.countries.by_name(self.doc.text[self.doc.tokens[index].start : span.end])

    def country_of_span(self, span: Span) -> Any:
        entity = self.entities.get(span.entity or "")
        if entity is not None and entity.subtype == "country":
            return self.lex.countries.by_name(entity.name)
        return self.lex.countries.by_name(span.normal)


def find_roles(view: DocView) -> list[FoundRole]:
    found = []
    for sent_index, sent in enumerate(view.doc.sents):
        index, stop = sent.tokens.start, sent.tokens.stop
        while index < stop:
            match = None
            if _may_start_title(view, index):
                match = view.roles.titles.match(view.doc.tokens, index, stop)
            if match is None:
                index += 1
                continue
            end, title = match
            role, index = _role_at(view, index, end, title, stop, sent_index)
            if role:
                found.append(role)
    return found


def _may_start_title(view: DocView, index: int) -> bool:
    """Not inside a person's name, and capitalised only where a sentence or quote starts
    ("Депутат Госдумы Султан Хамзаев": "Султан" is a name here, not the title)."""
    span = view.span_at.get(index)
    if span is not None and span.type == "PER":
        return False
    token = view.doc.tokens[index]
    if not token.text[:1].isupper() or index == view.doc.sents[token.sent].tokens.start:
        return True
    previous = view.doc.tokens[index - 1]
    line_start = "\n" in view.doc.text[previous.end : token.start]  # a headline ends above
    return line_start or not previous.text[:1].isalnum()


def _role_at(
    view: DocView, start: int, end: int, title: Title, stop: int, sent_index: int
) -> tuple[FoundRole | None, int]:
    """The role a title found at tokens[start:end] makes, and where the title phrase ends."""
    tokens = view.doc.tokens
    title_text = title.title
    sector = title.sector
    if title.combines:
        org = view.roles.org_heads.match(tokens, end, stop)
        if org and _country_follows(view, org[0], stop):
            title_text += " " + view.doc.text[tokens[end].start : tokens[org[0] - 1].end]
            sector, end = sector or org[1], org[0]
    if title.genitive:
        extra = end
        while extra < stop and _common_genitive(view, tokens[extra]):
            extra += 1
        if extra > end:
            title_text += " " + view.doc.text[tokens[end].start : tokens[extra - 1].end]
            end = extra
    chained = _chained_title(view, end, stop)
    adjective_of = None
    if chained:
        inner_start, end, inner = chained
        title_text += " " + view.doc.text[tokens[inner_start].start : tokens[end - 1].end]
        sector = sector or inner.sector
        adjective_of = _of_before(view, inner_start)
    of = _of_after(view, start, end, stop) or adjective_of or _of_before(view, start)
    after = of.end_token if of and of.end_token > end else end
    holder = _holder_after(view, start, after, stop) or _holder_before(view, start)
    if holder is None or (title.needs_of and of is None):
        return None, end
    role = Role(title_text, of.name if of else None, tokens[start].start, tokens[after - 1].end)
    if of is not None and of.sector == PARTIAL_SECTOR:
        sector = PARTIAL_SECTOR  # office in a partially recognised state (codebook §3.7)
    elif sector is None and of is not None and not title.peer:
        sector = of.sector
    found = FoundRole(
        role=role,
        holder=holder,
        country=of.country if of else None,
        sector=sector,
        peer=title.peer,
        sentence=sent_index,
    )
    return found, end


def _chained_title(view: DocView, index: int, stop: int) -> tuple[int, int, Title] | None:
    """A title in the genitive right after a title ("пресс-секретарь [российского]
    президента", "первый заместитель губернатора"): (its start, its end, it)."""
    tokens = view.doc.tokens
    while index < stop and tokens[index].pos == "ADJ" and index not in view.span_at:
        index += 1
    if index >= stop or tokens[index].feats.get("Case") != "Gen":
        return None
    match = view.roles.titles.match(tokens, index, stop) if _may_start_title(view, index) else None
    return (index, match[0], match[1]) if match else None


def _country_follows(view: DocView, index: int, stop: int) -> bool:
    """A national institution: its org word is followed by a state ("МИД Литвы")."""
    for k in range(index, min(index + _ORG_GAP_MAX, stop)):
        if view.country_at(k):
            return True
        if k not in view.span_at and tokens_is_boundary(view.doc.tokens[k]):
            return False
    return False


def tokens_is_boundary(token: Token) -> bool:
    return token.pos in ("PUNCT", "VERB", "CCONJ")


def _common_genitive(view: DocView, token: Token) -> bool:
    return (
        token.index not in view.span_at
        and token.pos in ("NOUN", "ADJ")
        and token.feats.get("Case") == "Gen"
        and token.text[:1].islower()
    )


def _of_after(view: DocView, title_start: int, index: int, stop: int) -> Of | None:
    if index >= stop:
        return None
    span = view.span_at.get(index)
    if span is None:
        return None
    if span.type == "PER":
        # "представитель Путина Иван Петров": the person in the genitive is the "of"
        person = view.entities.get(span.entity or "")
        genitive = view.doc.tokens[index].feats.get("Case") == "Gen"
        title_case = view.doc.tokens[title_start].feats.get("Case")
        if person is None or not genitive or title_case == "Gen" or span.tokens.start != index:
            return None
        return Of(person.name, None, None, span.tokens.stop)
    country = view.country_at(index)
    if country is not None:
        return Of(country.name, *_country_codes(country), span.tokens.stop)
    entity = view.entities.get(span.entity or "")
    if span.tokens.start < index or entity is None:
        return None
    if entity.type == "LOC" and entity.subtype != "country":
        # a region or city: "губернатор Самарской области" holds office in Russia
        country = entity.country or view.place_country(span)
        return Of(entity.name, country, "GOV", span.tokens.stop)
    return Of(entity.name, entity.country, entity.sector, span.tokens.stop)


def _of_before(view: DocView, start: int) -> Of | None:
    """A country adjective right before the title: "казахский коллега", "российский лидер"."""
    first = view.doc.sents[view.doc.tokens[start].sent].tokens.start
    for index in range(start - 1, max(first, start - 3) - 1, -1):
        token = view.doc.tokens[index]
        if token.pos != "ADJ":
            return None
        country = view.lex.countries.by_adjective(token.lemma)
        if country is not None:
            return Of(country.name, *_country_codes(country), start)
    return None


def _country_codes(country: Any) -> tuple[str, str]:
    return country_codes(country)


def _holder_after(view: DocView, title_start: int, index: int, stop: int) -> str | None:
    """The person named right after the title phrase, in the title's case: "президента(Gen)
    Казахстана Касым-Жомарта(Gen) Токаева"; "представитель(Nom) Путина(Gen)" is someone else's.
    One capitalised word outside any span may stand before the person's span (a first name
    that NER left out: "депутат Госдумы Султан Хамзаев")."""
    span = view.span_starting(index, ("PER",)) if index < stop else None
    if span is None and index + 1 < stop and _stray_name_word(view, index):
        span = view.span_starting(index + 1, ("PER",))
    if span is None:
        return None
    case = view.doc.tokens[title_start].feats.get("Case")
    cases = {view.doc.tokens[i].feats.get("Case") for i in span.tokens} - {None}
    if case and cases and case not in cases:
        return None
    return span.entity


def _stray_name_word(view: DocView, index: int) -> bool:
    token = view.doc.tokens[index]
    return index not in view.span_at and token.pos == "PROPN" and token.text[:1].isupper()


def _holder_before(view: DocView, start: int) -> str | None:
    """A person before the title, across a comma or dash and a few filler words."""
    tokens = view.doc.tokens
    first = view.doc.sents[tokens[start].sent].tokens.start
    index = start - 1
    fillers = 0
    while index >= first and tokens[index].pos != "PUNCT":
        if (
            tokens[index].lemma.lower() not in view.roles.fillers
            or fillers == view.roles.max_fillers
        ):
            return None
        fillers += 1
        index -= 1
    if index < first or tokens[index].text not in (",", "—", "–", "-"):
        return None
    span = view.span_at.get(index - 1)
    if span and span.type == "PER" and span.tokens.stop == index:
        return span.entity
    return None


# ---------------------------------------------------------------- codes


def assign_org_codes(view: DocView) -> None:
    for entity in view.doc.entities:
        if entity.type == "ORG" and entity.country != IGO_CODE:
            _org_codes(view, entity)


def assign_codes(view: DocView, found: list[FoundRole]) -> None:
    by_holder: dict[str, list[FoundRole]] = {}
    for item in found:
        by_holder.setdefault(item.holder, []).append(item)
    for holder, items in by_holder.items():
        entity = view.entities.get(holder)
        if entity is not None:
            entity.roles = _distinct([item.role for item in items])
    _person_codes(view, by_holder)
    _peer_sectors(view, found)
    _person_codes(view, by_holder)


def _distinct(roles: list[Role]) -> list[Role]:
    """One role per (title, of): the first mention of it."""
    seen: set[tuple[str, str | None]] = set()
    kept = []
    for role in roles:
        if (role.title, role.of) not in seen:
            seen.add((role.title, role.of))
            kept.append(role)
    return kept


def _person_codes(view: DocView, by_holder: dict[str, list[FoundRole]]) -> None:
    for holder, items in by_holder.items():
        entity = view.entities.get(holder)
        if entity is None:
            continue
        national = next((i for i in items if i.country and i.country != IGO_CODE), None)
        with_sector = next((i for i in items if i.sector), None)
        if national:
            entity.country = national.country
            entity.sector = national.sector or (with_sector.sector if with_sector else None)
        else:
            entity.country = next((i.country for i in items if i.country), None)
            entity.sector = with_sector.sector if with_sector else None


def _peer_sectors(view: DocView, found: list[FoundRole]) -> None:
    """ "коллега" takes the sector of the other person the sentence names."""
    for item in found:
        if not item.peer or item.sector:
            continue
        sent = view.doc.sents[item.sentence]
        for span in view.doc.spans:
            if span.type != "PER" or span.entity == item.holder:
                continue
            if sent.start <= span.start < sent.end:
                other = view.entities.get(span.entity or "")
                if other is not None and other.sector:
                    item.sector = other.sector
                    break


def _org_codes(view: DocView, entity: Entity) -> None:
    spans = [s for s in view.doc.spans if s.entity == entity.id]
    tokens = view.doc.tokens
    for span in spans:
        if entity.sector is None:
            for index in span.tokens:
                match = view.roles.org_words.match(tokens, index, span.tokens.stop)
                if match:
                    entity.sector = match[1]
                    break
        if entity.country is None:
            country = _country_in_or_near(view, span)
            if country is not None:
                entity.country = country_codes(country)[0]
    if entity.country is None:
        entity.country = _national_country(view, spans)


def _national_country(view: DocView, spans: list[Span]) -> str | None:
    """The country of an institution known to belong to one ("ВСУ", "Госдума", "Пентагон")."""
    for span in spans:
        for index in span.tokens:
            match = view.roles.national.match(view.doc.tokens, index, span.tokens.stop)
            if match:
                return match[1]
    return None


def _country_in_or_near(view: DocView, span: Span) -> Any:
    tokens = view.doc.tokens
    countries = view.lex.countries
    for index in span.tokens:
        token = tokens[index]
        if token.pos == "ADJ":
            country = countries.by_adjective(token.lemma)
        else:
            country = countries.by_name(token.text) if token.text[:1].isupper() else None
        if country is not None and index != span.tokens.start:
            return country
        if country is not None and token.pos == "ADJ":
            return country
    before = span.tokens.start - 1
    if (
        before >= 0
        and tokens[before].pos == "ADJ"
        and tokens[before].sent == tokens[span.tokens.start].sent
    ):
        country = countries.by_adjective(tokens[before].lemma)
        if country is not None:
            return country
    after = view.span_starting(span.tokens.stop, ("LOC",))
    if after is not None and tokens[span.tokens.stop].feats.get("Case") == "Gen":
        return view.country_of_span(after)
    return None


@component("roles", requires=("syntax", "entities", "places"), assigns=("roles",))
def make_roles(models):
    lex = lexicons(models.morph)
    role_lexicons = load_role_lexicons(lex.morph)

    def roles(doc: Doc) -> Doc:
        view = DocView(doc, lex, role_lexicons)
        assign_org_codes(view)  # first: a role "of" an organisation takes its codes
        assign_codes(view, find_roles(view))
        return doc

    return roles
