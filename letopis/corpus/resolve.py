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
  "В. В. Путин", "Путин Владимир Владимирович", "Путин В.В."); candidates share the folded
  surname; first names and patronymics must agree where both are known (an initial agrees
  with a name beginning with it). The candidate agreeing on the most known parts wins, then
  the most mentioned; a lone given name ("Мария") stays on its own.
  An entity the article resolved through a role (``roles`` not empty) adds that role to the
  canonical person, so "президент России" resolved in-article to "Владимир Путин" joins Путин
  with alias "президент России"; an entity whose name *is* a role phrase and that names no
  person joins the person most recently seen holding that role.
- ORG / LOC / others: equal folded names, or an all-capital abbreviation and a full name whose
  initials it spells ("ФСБ" ~ "Федеральная служба безопасности"); countries must not disagree.
Every lookup is a dictionary access: the cost per entity does not grow with the corpus.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from letopis.data import load_yaml
from letopis.record import Entity
from letopis.text import acronym, fold, morph

_INITIALS = re.compile(r"^(?:[А-ЯЁA-Z]\.){1,2}$|^[А-ЯЁA-Z]$")


@dataclass(frozen=True)
class ResolveRules:
    patronymic_suffixes: tuple[str, ...]
    abbreviation_length: tuple[int, int]


@lru_cache(maxsize=1)
def default_rules() -> ResolveRules:
    data = load_yaml("resolve.yaml")
    low, high = data["abbreviation_length"]
    return ResolveRules(
        tuple(data["patronymic_suffixes"]),
        (int(low), int(high)),
    )


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
    article_ids: set[str] = field(default_factory=set)
    first: str | None = None
    patronymic: str | None = None

    @property
    def articles(self) -> int:
        return len(self.article_ids)

    @property
    def country(self) -> str | None:
        return self.countries.most_common(1)[0][0] if self.countries else None


def parse_person(name: str, rules: ResolveRules) -> PersonName:
    tokens = _split_initials(name.split())
    if not tokens:
        return PersonName(None, None, None)
    initial_flags = [bool(_INITIALS.match(t)) for t in tokens]
    folded = [fold(t).rstrip(".") for t in tokens]
    if len(tokens) == 1:
        return PersonName(None, None, folded[0])
    is_patronymic = [
        f.endswith(rules.patronymic_suffixes) and not i
        for f, i in zip(folded, initial_flags, strict=True)
    ]
    if is_patronymic[-1] or (initial_flags[-1] and not initial_flags[0]):
        surname, given = folded[0], folded[1:]  # "Путин Владимир Владимирович", "Путин В. В."
    else:
        surname, given = folded[-1], folded[:-1]
    first = given[0] if given else None
    patronymic = given[1] if len(given) > 1 else None
    return PersonName(first, patronymic, surname)


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
    return known == other


def abbreviation(name: str) -> str | None:
    initials = acronym(re.findall(r"[^\W\d_]+", name))
    return initials if len(initials) >= 2 else None


class EntityResolver:
    def __init__(self, rules: ResolveRules | None = None):
        self.rules = rules or default_rules()
        self._entities: dict[str, CanonicalEntity] = {}
        self._by_key: dict[str, list[str]] = defaultdict(list)  # lookup key → canonical ids
        self._role_holder: dict[str, str] = {}  # folded role phrase → latest canonical person
        self._answers: dict[str, dict[str, str]] = {}

    @classmethod
    def from_rows(
        cls, rows: Iterable[tuple[str, Iterable[Entity]]], **options: Any
    ) -> EntityResolver:
        resolver = cls(**options)
        for article_id, entities in rows:
            resolver.add(article_id, entities)
        return resolver

    def add(self, article_id: str, entities: Iterable[Entity]) -> dict[str, str]:
        if article_id in self._answers:
            return self._answers[article_id]
        answer = {}
        for entity in entities:
            target = self._find(entity) or self._create(entity)
            self._absorb(target, entity, article_id)
            answer[entity.id] = target.id
        self._answers[article_id] = answer
        return answer

    def canonical(self) -> list[CanonicalEntity]:
        return list(self._entities.values())

    def get(self, canonical_id: str) -> CanonicalEntity | None:
        return self._entities.get(canonical_id)

    def _find(self, entity: Entity) -> CanonicalEntity | None:
        if entity.type == "PER":
            role_holder = self._role_only_person(entity)
            return role_holder or self._find_person(entity)
        return self._find_named(entity)

    def _role_only_person(self, entity: Entity) -> CanonicalEntity | None:
        if not _is_role_phrase(entity):
            return None
        for role in entity.roles:
            holder = self._role_holder.get(_role_phrase(role.title, role.of))
            if holder is not None:
                return self._entities[holder]
        return None

    def _find_person(self, entity: Entity) -> CanonicalEntity | None:
        person = parse_person(entity.name, self.rules)
        if person.surname is None or (person.first is None and self._is_given_name(entity)):
            return None
        best, best_rank = None, None
        for canonical_id in self._by_key.get(f"PER:{person.surname}", []):
            candidate = self._entities[canonical_id]
            agreements = [
                _agree(person.first, candidate.first),
                _agree(person.patronymic, candidate.patronymic),
            ]
            if False in agreements or not _countries_agree(entity, candidate):
                continue
            rank = (sum(1 for a in agreements if a), candidate.mentions)
            if best_rank is None or rank > best_rank:
                best, best_rank = candidate, rank
        return best

    @staticmethod
    def _is_given_name(entity: Entity) -> bool:
        words = entity.name.split()
        return len(words) == 1 and morph().is_given_name(words[0])

    def _find_named(self, entity: Entity) -> CanonicalEntity | None:
        for key in self._named_keys(entity):
            for canonical_id in self._by_key.get(key, []):
                candidate = self._entities[canonical_id]
                if _countries_agree(entity, candidate):
                    return candidate
        return None

    def _named_keys(self, entity: Entity) -> list[str]:
        keys = [f"{entity.type}:{fold(entity.name)}"]
        low, high = self.rules.abbreviation_length
        if entity.name.isupper() and low <= len(entity.name) <= high:
            keys.append(f"{entity.type}:abbr:{entity.name}")
        else:
            short = abbreviation(entity.name)
            if short:
                keys.append(f"{entity.type}:abbr:{short}")
        return keys

    def _create(self, entity: Entity) -> CanonicalEntity:
        base = f"{entity.type}:{fold(entity.name)}"
        canonical_id, number = base, 1
        while canonical_id in self._entities:
            number += 1
            canonical_id = f"{base}#{number}"
        created = CanonicalEntity(canonical_id, entity.type, entity.name)
        self._entities[canonical_id] = created
        return created

    def _absorb(self, target: CanonicalEntity, entity: Entity, article_id: str) -> None:
        target.aliases[entity.name] += 1
        for mention in entity.mentions:
            if mention.text != entity.name:
                target.aliases[mention.text] += 1
        target.mentions += max(1, len(entity.mentions))
        target.article_ids.add(article_id)
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
            self._index(target, self._named_keys(entity))
        if _fuller(entity.name, target.name) or (
            len(entity.name) == len(target.name)
            and target.aliases[entity.name] > target.aliases[target.name]
        ):
            target.name = entity.name

    def _absorb_person_name(self, target: CanonicalEntity, entity: Entity) -> None:
        person = parse_person(entity.name, self.rules)
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
        self._index(target, [f"PER:{person.surname}"])

    def _index(self, target: CanonicalEntity, keys: Iterable[str]) -> None:
        for key in keys:
            if target.id not in self._by_key[key]:
                self._by_key[key].append(target.id)


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
