"""Cross-article entity resolution: one canonical entity per person, organisation or place.

API
---
``EntityResolver(rules=None)`` (rules default to ``letopis/data/resolve.yaml``)
  - ``add(article_id, entities) -> dict[str, str]``: links an article's
    ``letopis.record.Entity`` objects; returns entity id in the article (``"e1"``) → canonical
    id. Re-adding an article returns its earlier answer.
  - ``canonical()``: all ``CanonicalEntity`` objects; ``get(canonical_id)``;
    ``from_rows(rows)``: rebuild from ``(article_id, entities)`` in arrival order (ids come out
    the same).
``CanonicalEntity``: ``id`` (``"PER:путин"``: type and folded name of the first mention, with a
``#2`` suffix on collision), ``type``, ``name`` (the fullest name seen; ties → most frequent),
``aliases`` (name and mention text → count), ``roles`` ("президент Россия" → count),
``mentions`` (mention count), ``articles`` (article count), ``country`` (most frequent).

Linking is type-aware (PER only with PER, ...):
- PER: names parse into first name, patronymic and surname ("Владимир Путин",
  "В. В. Путин", "Путин Владимир Владимирович", "Путин В.В."); candidates share the surname's
  spelling key (``spelling_key``: transliteration variants agree); first names and patronymics
  must agree where both are known (an initial agrees with a name beginning with it). The
  candidate seen in the same article wins, then the one agreeing on the most known parts, then
  the most mentioned. An article's full names are linked before its lone surnames, so
  "Джонсон" joins the article's (else the corpus's) "Борис Джонсон" even where the dictionary
  also knows the word as a given name; a lone given name with no full-name candidate
  ("Мария") stays on its own.
  An entity the article resolved through a role (``roles`` not empty) adds that role to the
  canonical person, so "президент России" resolved in-article to "Владимир Путин" joins Путин
  with alias "президент России"; an entity whose name *is* a role phrase and that names no
  person joins the person most recently seen holding that role.
- ORG / LOC / others (``named_keys``): equal folded names; an all-capital abbreviation and a
  full name only when a text defines it (the article's entity holds both) or
  ``resolve.yaml`` lists the expansion — never on initials ("МИД Турции" is not "Мариинский
  театр"); a generic national head ("МИД", "правительство") through its own or its article's
  country ("МИД" in an article about Турция → "МИД Турции"), never across countries; a generic
  local head ("суд", "область") alone stays within its article. Countries must not disagree.
Every lookup is a dictionary access: the cost per entity does not grow with the corpus.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from letopis.corpus.state import Codec, State, StateMap
from letopis.data import load_yaml
from letopis.extract.mentions import load_rules as mention_rules
from letopis.record import Entity
from letopis.text import acronym, fold, morph, name_stem, person_name_order

_ENGLISH_ARTICLE = re.compile(r"^the\s+(?=[a-z])")
_INITIALS = re.compile(r"^(?:[А-ЯЁA-Z]\.){1,2}$|^[А-ЯЁA-Z]$")


@dataclass(frozen=True)
class ResolveRules:
    abbreviation_length: tuple[int, int]
    expansions: dict[str, str] = field(default_factory=dict)  # folded expansion → abbreviation
    national_heads: frozenset[str] = frozenset()
    local_heads: frozenset[str] = frozenset()


@lru_cache(maxsize=1)
def default_rules() -> ResolveRules:
    data = load_yaml("resolve.yaml")
    low, high = data["abbreviation_length"]
    return ResolveRules(
        (int(low), int(high)),
        _expansions(data["abbreviations"]),
        frozenset(fold(h) for h in data["national_heads"]),
        frozenset(fold(h) for h in data["local_heads"]),
    )


def _expansions(listed: dict[str, list[str]]) -> dict[str, str]:
    table: dict[str, str] = {}
    for short, fulls in listed.items():
        if not isinstance(fulls, list) or not all(isinstance(f, str) for f in fulls):
            raise ValueError(f"resolve.yaml: abbreviation {short!r} needs a list of expansions")
        for full in fulls:
            table[fold(full)] = short
    return table


@dataclass(frozen=True)
class PersonName:
    first: str | None  # folded; one letter when only an initial is known
    patronymic: str | None
    surname: str | None


@dataclass
class CanonicalEntity:
    id: str
    type: str
    name: str
    aliases: Counter[str] = field(default_factory=Counter)
    roles: Counter[str] = field(default_factory=Counter)
    countries: Counter[str] = field(default_factory=Counter)
    mentions: int = 0
    articles: int = 0
    last_article: str | None = None  # the article that added to it last
    first: str | None = None
    patronymic: str | None = None

    @property
    def country(self) -> str | None:
        return self.countries.most_common(1)[0][0] if self.countries else None


def _encode_canonical(entity: CanonicalEntity) -> dict[str, Any]:
    return {
        "id": entity.id,
        "type": entity.type,
        "name": entity.name,
        "aliases": entity.aliases,
        "roles": entity.roles,
        "countries": entity.countries,
        "mentions": entity.mentions,
        "articles": entity.articles,
        "last_article": entity.last_article,
        "first": entity.first,
        "patronymic": entity.patronymic,
    }


def _decode_canonical(data: dict[str, Any]) -> CanonicalEntity:
    counters = {name: Counter(data[name]) for name in ("aliases", "roles", "countries")}
    return CanonicalEntity(**{**data, **counters})


CANONICAL = Codec(_encode_canonical, _decode_canonical)


def name_parts(name: str) -> PersonName:
    """A stored person name read as the article reads one (``text.person_name_order``)."""
    tokens = _split_initials(name.split())
    initials = [fold(t).rstrip(".") for t in tokens if _INITIALS.match(t)]
    words = [t for t in tokens if not _INITIALS.match(t)]
    # "Да Силва", "Макс фон Сюдов": a surname's particle is no given name.
    words = [w for w in words if w.lower() not in mention_rules().name_particles] or words
    if len(words) == 1 and not initials:
        return PersonName(None, None, fold(words[0]))  # a lone word may be a surname
    order = person_name_order(words, bool(initials))
    spelt = [fold(word) for word in words]
    given = [spelt[i] for i in (order.first, *order.middle) if i is not None] + initials
    surname = spelt[order.surname] if order.surname is not None else None
    return PersonName(given[0] if given else None, given[1] if len(given) > 1 else None, surname)


def _split_initials(tokens: list[str]) -> list[str]:
    """ "В.В." → "В.", "В."."""
    out: list[str] = []
    for token in tokens:
        if re.fullmatch(r"(?:[А-ЯЁA-Z]\.){2,}", token):
            out.extend(part + "." for part in token.split(".") if part)
        else:
            out.append(token)
    return out


def _agree(known: str | None, other: str | None) -> bool | None:
    """None when either is unknown; an initial agrees with a name that begins with it."""
    if not known or not other:
        return None
    if len(known) == 1 or len(other) == 1:
        return known[0] == other[0]
    return spelling_key(known) == spelling_key(other)


def abbreviation(name: str) -> str | None:
    initials = acronym(re.findall(r"[^\W\d_]+", name))
    return initials if len(initials) >= 2 else None


class EntityResolver:
    def __init__(self, rules: ResolveRules | None = None, state: State | None = None):
        self.rules = rules or default_rules()
        state = state or State()
        self._state = state
        self._entities: StateMap[CanonicalEntity] = state.map("entity.canonical", CANONICAL)
        self._by_key: StateMap[list[str]] = state.map("entity.key")  # key → canonical ids
        self._role_holder: StateMap[str] = state.map("entity.role")  # role → latest person
        self._answers: StateMap[dict[str, str]] = state.map("entity.answers")

    @classmethod
    def from_rows(
        cls, rows: Iterable[tuple[str, Iterable[Entity]]], **options: Any
    ) -> EntityResolver:
        resolver = cls(**options)
        for article_id, entities in rows:
            resolver.add(article_id, entities)
        return resolver

    def add(self, article_id: str, entities: Iterable[Entity]) -> dict[str, str]:
        entities = list(entities)
        context = _article_country(entities)
        keys_of = {entity.id: self._keys(entity, context) for entity in entities}
        self._prefetch(article_id, entities, keys_of)
        known = self._answers.get(article_id)
        if known is not None:
            return known
        long_forms = self._long_forms(entities)
        answer: dict[str, str] = {}
        # Full names first, so that a lone surname finds the article's own full name.
        for entity in sorted(entities, key=lambda e: -len(e.name.split())):
            keys = keys_of[entity.id]
            target = self._in_article(entity, long_forms, answer, context) or self._find(
                entity, keys, article_id
            )
            target = target or self._create(entity)
            self._absorb(target, entity, article_id, keys)
            self._entities[target.id] = target
            answer[entity.id] = target.id
        self._answers[article_id] = {e.id: answer[e.id] for e in entities}
        return self._answers[article_id]

    def _prefetch(
        self, article_id: str, entities: list[Entity], keys_of: dict[str, list[str]]
    ) -> None:
        """Read in two requests what linking the article's entities may look up."""
        keys: list[str] = []
        for entity in entities:
            keys += keys_of[entity.id]
            if entity.type == "PER":
                surname = name_parts(entity.name).surname
                keys += [f"PER:{surname_key(surname)}"] if surname else []
        roles = [_role_phrase(r.title, r.of) for e in entities for r in e.roles]
        new_ids = [f"{e.type}:{fold(e.name)}" for e in entities]
        self._state.load(
            (self._answers, [article_id]), (self._by_key, keys), (self._role_holder, roles)
        )
        listed = [i for key in keys for i in self._by_key.get(key, [])]
        holders = [h for role in roles if (h := self._role_holder.get(role))]
        self._entities.load([*new_ids, *listed, *holders])

    def canonical(self) -> list[CanonicalEntity]:
        """The canonical entities this process has read or made (standalone: all of them)."""
        return self._entities.values()

    def get(self, canonical_id: str) -> CanonicalEntity | None:
        return self._entities.get(canonical_id)

    def _long_forms(self, entities: list[Entity]) -> dict[tuple[str, str], Entity | None]:
        """(type, generic head) → the one entity of the article whose name begins with it
        ("Законодательное собрание Петербурга"); None when several do."""
        heads = self.rules.national_heads | self.rules.local_heads
        found: dict[tuple[str, str], Entity | None] = {}
        if not any(fold(entity.name) in heads for entity in entities):
            return found  # no bare head to resolve
        for entity in entities:
            name = fold(entity.name)
            for head in heads:
                if name.startswith(head + " "):
                    key = (entity.type, head)
                    found[key] = entity if key not in found else None
        return found

    def _in_article(
        self,
        entity: Entity,
        long_forms: dict[tuple[str, str], Entity | None],
        answer: dict[str, str],
        context: str | None = None,
    ) -> CanonicalEntity | None:
        """A bare generic head ("суд", "МИД") is the article's one body of that kind, if any
        and if their countries do not differ ("Генштаб" of Russia is not "Генштаб ВСУ")."""
        target = long_forms.get((entity.type, fold(entity.name)))
        if target is None or target.id not in answer:
            return None
        country = entity.country or context
        if country and target.country and country != target.country:
            return None
        return self._entities[answer[target.id]]

    def _keys(self, entity: Entity, context: str | None) -> list[str]:
        if entity.type == "PER":
            return []
        return named_keys(entity, self.rules, context)

    def _find(self, entity: Entity, keys: list[str], article_id: str) -> CanonicalEntity | None:
        if entity.type == "PER":
            role_holder = self._role_only_person(entity)
            return role_holder or self._find_person(entity, article_id)
        return self._find_named(entity, keys)

    def _role_only_person(self, entity: Entity) -> CanonicalEntity | None:
        if not _is_role_phrase(entity):
            return None
        for role in entity.roles:
            holder = self._role_holder.get(_role_phrase(role.title, role.of))
            if holder is not None:
                return self._entities[holder]
        return None

    def _find_person(self, entity: Entity, article_id: str) -> CanonicalEntity | None:
        """A lone surname joins a full name with that surname (the article's first, then the
        corpus's) before the given-name test can keep it apart."""
        person = name_parts(entity.name)
        if person.surname is None:
            return None
        lone_given = person.first is None and self._is_given_name(entity)
        best, best_rank = None, None
        listed = self._by_key.get(f"PER:{surname_key(person.surname)}", [])
        self._entities.load(listed)
        for canonical_id in listed:
            candidate = self._entities[canonical_id]
            if lone_given and candidate.first is None:
                continue  # "Мария" may be anyone's first name: only a full name vouches
            agreements = [
                _agree(person.first, candidate.first),
                _agree(person.patronymic, candidate.patronymic),
            ]
            if False in agreements or not _countries_agree(entity, candidate):
                continue
            rank = (
                candidate.last_article == article_id,
                sum(1 for a in agreements if a),
                candidate.mentions,
            )
            if best_rank is None or rank > best_rank:
                best, best_rank = candidate, rank
        return best

    def _is_given_name(self, entity: Entity) -> bool:
        words = entity.name.split()
        return len(words) == 1 and morph().is_given_name(words[0])

    def _find_named(self, entity: Entity, keys: list[str]) -> CanonicalEntity | None:
        for key in keys:
            for canonical_id in self._by_key.get(key, []):
                candidate = self._entities[canonical_id]
                if _countries_agree(entity, candidate):
                    return candidate
        return None

    def _create(self, entity: Entity) -> CanonicalEntity:
        base = f"{entity.type}:{fold(entity.name)}"
        canonical_id, number = base, 1
        while canonical_id in self._entities:
            number += 1
            canonical_id = f"{base}#{number}"
        created = CanonicalEntity(canonical_id, entity.type, entity.name)
        self._entities[canonical_id] = created
        return created

    def _absorb(
        self, target: CanonicalEntity, entity: Entity, article_id: str, keys: list[str]
    ) -> None:
        target.aliases[entity.name] += 1
        for mention in entity.mentions:
            if mention.text != entity.name:
                target.aliases[mention.text] += 1
        target.mentions += max(1, len(entity.mentions))
        if target.last_article != article_id:
            target.articles += 1
            target.last_article = article_id
        if entity.country:
            target.countries[entity.country] += 1
        for role in entity.roles:
            phrase = _role_phrase(role.title, role.of)
            target.roles[phrase] += 1
            if target.type == "PER":
                self._role_holder[phrase] = target.id
        if target.type == "PER" and _is_role_phrase(entity):
            return  # "президент России" is an alias, never the person's name
        if target.type == "PER":
            self._absorb_person_name(target, entity)
        else:
            self._index(target, keys)
        if _fuller(entity.name, target.name) or (
            len(entity.name) == len(target.name)
            and target.aliases[entity.name] > target.aliases[target.name]
        ):
            target.name = entity.name

    def _absorb_person_name(self, target: CanonicalEntity, entity: Entity) -> None:
        person = name_parts(entity.name)
        if person.surname is None:
            return
        if person.first and (target.first is None or len(target.first) < len(person.first)):
            target.first = person.first
        if person.patronymic and (
            target.patronymic is None or len(target.patronymic) < len(person.patronymic)
        ):
            target.patronymic = person.patronymic
        if person.first is None and self._is_given_name(entity):
            return
        self._index(target, [f"PER:{surname_key(person.surname)}"])

    def _index(self, target: CanonicalEntity, keys: Iterable[str]) -> None:
        for key in keys:
            listed = self._by_key.get(key, [])
            if target.id not in listed:
                self._by_key[key] = [*listed, target.id]


def named_keys(entity: Entity, rules: ResolveRules, context: str | None = None) -> list[str]:
    """Lookup keys of an organisation or place; never its initials (see the module docstring).

    - a bare local head ("суд", "область"): none, it stays within its article;
    - a bare national head ("МИД"): the head of its own or its article's country
      ("head:мид@TUR"), none when neither is known;
    - else its folded name, its head and country when it is a national head plus a country
      ("МИД Турции" → "head:мид@TUR"), its listed or defined abbreviation.
    An English article opening a Latin name is not part of it ("The Washington Post")."""
    name = _ENGLISH_ARTICLE.sub("", fold(entity.name))
    kind = entity.type
    if name in rules.local_heads:
        return []
    if name in rules.national_heads:
        country = entity.country or context
        return [f"{kind}:head:{name}@{country}"] if country else []
    keys = [f"{kind}:{name}"]
    headed = _national_head(name, rules)
    if headed:
        keys.append(f"{kind}:head:{headed[0]}@{headed[1]}")
    stripped = _without_country(entity.name)
    if stripped:
        # "Госдума РФ", "ФСБ России": the body of that country, as "Госдума" or "ФСБ" in an
        # article about Russia; "ВВС США" never joins a "ВВС" of unknown country.
        core, country = stripped
        if fold(core) not in rules.local_heads | rules.national_heads:
            keys.append(f"{kind}:{fold(core)}@{country}")
        shorts = _abbreviations(entity, rules, core)
        keys += [f"{kind}:abbr:{short}@{country}" for short in shorts]
        keys += [f"{kind}:abbr:{short}" for short in _defined(entity, rules)]
        return list(dict.fromkeys(keys))
    country = entity.country or context
    shorts = _abbreviations(entity, rules)
    qualified = []
    if country and country != "IGO":  # the body of its country first, then any of the name
        qualified = [f"{kind}:{name}@{country}"]
        qualified += [f"{kind}:abbr:{short}@{country}" for short in shorts]
    keys = qualified + keys + [f"{kind}:abbr:{short}" for short in shorts]
    return list(dict.fromkeys(keys))


def _without_country(name: str) -> tuple[str, str] | None:
    """(the name less a trailing country, that country): "ФСБ России" → ("ФСБ", "RUS")."""
    from letopis.extract.countries import country_by_name

    words = name.split()
    for size in (1, 2, 3):
        found = country_by_name(" ".join(words[-size:])) if len(words) > size else None
        if found is not None:
            return " ".join(words[:-size]), found.iso3
    return None


def _national_head(name: str, rules: ResolveRules) -> tuple[str, str] | None:
    """(head, country) for "мид турции", "минобороны рф", "российский мид"."""
    from letopis.extract.countries import country_by_adjective, country_by_name

    words = name.split()
    for size in range(len(words) - 1, 0, -1):
        head, rest = " ".join(words[:size]), " ".join(words[size:])
        if head in rules.national_heads:
            found = country_by_name(rest)
            return (head, found.iso3) if found else None
        head, rest = " ".join(words[-size:]), " ".join(words[:-size])
        if head in rules.national_heads and len(words) - size == 1:
            found = country_by_adjective(rest)
            return (head, found.iso3) if found else None
    return None


def _abbreviations(entity: Entity, rules: ResolveRules, core: str | None = None) -> list[str]:
    """The all-capital short names the entity goes by: its own name (``core``: less a
    trailing country), a listed abbreviation of it, and short forms its article defined
    (mentions of the same entity)."""
    low, high = rules.abbreviation_length
    own = core or entity.name
    found = [
        text
        for text in (own, *(m.text for m in entity.mentions))
        if text.isupper() and low <= len(text.replace(" ", "")) <= high
    ]
    for name in (own,):
        listed = rules.expansions.get(fold(name)) if name else None
        if listed:
            found.append(listed)
    return list(dict.fromkeys(found))


def _defined(entity: Entity, rules: ResolveRules) -> list[str]:
    """Short forms the article defined for the entity's whole name: its all-capital
    mentions other than its name ("Ассоциация юристов Казахстана (АЮК)")."""
    low, high = rules.abbreviation_length
    return [
        m.text
        for m in entity.mentions
        if m.text != entity.name and m.text.isupper() and low <= len(m.text) <= high
    ]


def _article_country(entities: list[Entity]) -> str | None:
    """The one country an article is most about, or None when none leads."""
    counts = Counter(e.country for e in entities if e.country and e.country != "IGO")
    ranked = counts.most_common(2)
    if not ranked or (len(ranked) == 2 and ranked[0][1] == ranked[1][1]):
        return None
    return ranked[0][0]


_SPELLING = str.maketrans({"ё": "е", "э": "е", "й": "и", "ы": "и", "ъ": None, "ь": None})


def spelling_key(word: str) -> str:
    """A key that transliteration variants share ("Зеленский"/"Зеленскый", "Джонсон"/
    "Джонссон"): letters Russian spellings of foreign names disagree on are merged."""
    folded = fold(word).translate(_SPELLING)
    return re.sub(r"(.)\1+", r"\1", folded)


def surname_key(surname: str) -> str:
    """The spelling key less case endings: a surname left inflected by the article
    ("Манделы", "Обамой") keys as its nominative does."""
    return name_stem(spelling_key(surname))


def _is_role_phrase(entity: Entity) -> bool:
    """The entity's name is its role ("президент России"), not a person's name."""
    name = fold(entity.name)
    return any(r.title and name.startswith(fold(r.title)) for r in entity.roles)


def _role_phrase(title: str, of: str | None) -> str:
    return fold(f"{title} {of}" if of else title)


def _countries_agree(entity: Entity, candidate: CanonicalEntity) -> bool:
    return not entity.country or not candidate.countries or entity.country in candidate.countries


def _fuller(name: str, current: str) -> bool:
    """More words (a full name over a surname), not initials over a spelt-out name."""
    words, current_words = name.split(), current.split()
    spelt = sum(1 for w in words if not _INITIALS.match(w))
    current_spelt = sum(1 for w in current_words if not _INITIALS.match(w))
    return spelt > current_spelt
