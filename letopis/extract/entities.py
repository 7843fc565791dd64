"""Entities: the spans of one document grouped into the people, organisations and places
they name (in-document coreference), each with one normalised nominative name.

Which spans corefer:
- PER: same surname (compared on its normal forms, so "Токаевым", "Токаева" and "Токаев" agree)
  and compatible first names: equal, one an initial of the other ("В. Путин" ~ "Владимир
  Путин"), or one missing. A bare surname joins the nearest earlier person with that surname
  (else the nearest later one), so two people with one surname stay apart when named in full.
- ORG / LOC: the same normalised name (lemmas, or natasha's normal form); the same country
  ("России", "РФ", "Республика Казахстан" ~ "Казахстан"); the same international organisation
  from data/igos.yaml ("Евросоюз" ~ "ЕС"); an abbreviation defined in the text ("Организация
  Договора о коллективной безопасности (ОДКБ)") or spelled by the initials of a full name.

Names: PER "Имя Фамилия" from the fullest mention (patronymic dropped, other middle names
kept: "Абдалла бен Насер Аль Тани"); each word in the nominative, checked against pymorphy
where natasha's normal form is implausible ("Олафу Шольцу" → "Олаф Шольц"); an IGO its `name` in
igos.yaml; an ORG with an abbreviation its abbreviation (stable across articles, which often
give only the abbreviation); a country its Russian name; otherwise the most frequent normal form.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from functools import cache
from typing import Any

from letopis.analyze.doc import Doc, Span, Token
from letopis.data import load_yaml
from letopis.extract.mentions import load_rules as mention_rules
from letopis.record import Entity, Mention
from letopis.registry import component
from letopis.text import (
    Morph,
    acronym,
    fold,
    is_cyrillic,
    looks_patronymic,
    name_stem,
    person_name_order,
)

IGO_CODE = "IGO"
PARTIAL_SECTOR = "PRE"
_ABBREVIATION = re.compile(r"[A-ZА-ЯЁ][A-ZА-ЯЁa-zа-яё0-9+\-]{1,11}")
_DEFINED_ABBREVIATION = re.compile(r"\s*\(\s*([^()\s]{2,12})\s*\)")
_PUNCT = frozenset(".,;:!?«»\"'()[]—–-")


# ---------------------------------------------------------------- data and morphology helpers


def phrase_key(words: Iterable[str], morph: Morph) -> str:
    """A lemma key for a phrase: its words' first normal forms, lower-cased, ё as е."""
    return " ".join(fold(morph.first_normal(w)) for w in words if w not in _PUNCT)


def token_key(tokens: Iterable[Token]) -> str:
    return " ".join(fold(t.lemma) for t in tokens if t.pos != "PUNCT")


def words_of(text: str) -> list[str]:
    return re.findall(r"[\w+\-]+", text)


def acronym_of(text: str) -> str:
    return acronym(words_of(text))


@dataclass(frozen=True)
class Igo:
    name: str


class IgoTable:
    """International organisations from data/igos.yaml, found by any of their names."""

    def __init__(self, morph: Morph):
        self._by_key: dict[str, Igo] = {}
        for entry in load_yaml("igos.yaml")["igos"]:
            igo = Igo(entry["name"])
            for form in [entry["name"], entry.get("full"), *entry.get("aliases", [])]:
                if form:
                    self._by_key.setdefault(fold(form), igo)
                    self._by_key.setdefault(phrase_key(words_of(form), morph), igo)

    def find(self, *keys: str) -> Igo | None:
        for key in keys:
            igo = self._by_key.get(fold(key))
            if igo:
                return igo
        return None


class Countries:
    """The countries module (letopis.extract.countries) when present; else nothing resolves."""

    def __init__(self) -> None:
        try:
            from letopis.extract import countries
        except ImportError:  # written by another component; degrade to no country codes
            countries = None
        self._by_name: Callable[[str], Any] = getattr(countries, "country_by_name", _none)
        self._by_adjective: Callable[[str], Any] = getattr(countries, "country_by_adjective", _none)
        self.by_name = cache(self._by_name_safe)
        self.by_adjective = cache(self._by_adjective_safe)

    def _by_name_safe(self, text: str) -> Any:
        return self._by_name(text) if text and text[0].isupper() else None

    def _by_adjective_safe(self, lemma: str) -> Any:
        return self._by_adjective(lemma) if lemma else None


def _none(_: str) -> None:
    return None


def country_codes(country: Any) -> tuple[str, str]:
    """(country, sector) for a state acting as an actor. A state named as an actor stands for
    its government ("Токаев поблагодарил Россию"), so GOV; a partially recognised state takes
    its claimant's code and the sector PRE (codebook §3.7)."""
    if getattr(country, "partial", False):
        return country.iso3, PARTIAL_SECTOR
    return country.iso3, "GOV"


@dataclass(frozen=True)
class Lexicons:
    morph: Morph
    igos: IgoTable
    countries: Countries


@cache
def lexicons(morph: Morph) -> Lexicons:
    """Loaded once per process (entities and roles share them)."""
    return Lexicons(morph, IgoTable(morph), Countries())


# ---------------------------------------------------------------- people


@dataclass
class PersonName:
    first: str | None  # normalised first name, or None
    first_keys: frozenset[str]
    initial: str | None  # first letter of the first name, from a full name or an initial
    surname: str | None
    surname_keys: frozenset[str]
    middles: tuple[str, ...] = ()  # normalised words between, patronymics left out
    middle_keys: frozenset[str] = frozenset()  # of capitalised middles that are not particles
    gender: str | None = None  # femn | masc | None when the name does not tell
    nominative: bool = False  # the mention itself is in the nominative

    @property
    def full(self) -> str:
        return " ".join(w for w in (self.first, *self.middles, self.surname) if w)


def parse_person(span: Span, doc: Doc, morph: Morph) -> PersonName:
    tokens = [doc.tokens[i] for i in span.tokens if doc.tokens[i].pos != "PUNCT"]
    normal_words = [w for w in span.normal.split() if w.strip(".")]
    bracket = next((i for i in span.tokens if doc.tokens[i].text == "("), None)
    if bracket is not None:  # "Ракель Додж (Raquel Dodge": the name before the bracket
        tokens = [t for t in tokens if t.index < bracket]
        normal_words = normal_words[: len(tokens)]
    if len(normal_words) != len(tokens):
        normal_words = [t.text for t in tokens]
    parts = [(t, n.strip(".")) for t, n in zip(tokens, normal_words, strict=True)]
    while len(parts) > 1 and _is_role_word(parts[0][0].text, morph):
        parts = parts[1:]  # "актриса Фань Бинбин": the title the span took in
    initials = [n for token, n in parts if _is_initial(token.text)]
    words = [(token, n) for token, n in parts if not _is_initial(token.text)]
    if len(words) > 1 and words[0][0].text.lower() in mention_rules().name_particles:
        words = words[1:]  # "Да Силва" opening a sentence: a surname's particle, no first name
    order = person_name_order([token.text for token, _ in words], bool(initials))
    first = words[order.first] if order.first is not None else None
    surname = words[order.surname] if order.surname is not None else None
    middle = [words[i] for i in order.middle]
    if surname and surname[0].feats.get("Case"):
        # natasha tags first names' case less reliably than surnames': "Кая(Gen) Каллас(Nom)"
        case = surname[0].feats["Case"]
        first = first and (_with_case(first[0], case), first[1])
        middle = [(_with_case(token, case), normal) for token, normal in middle]
    woman = bool(first and _is_womans_name(first[0].text, morph))
    surname_name = _nominative(*surname, "Surn", morph, woman) if surname else None
    undeclined = bool(
        surname
        and surname[0].feats.get("Case", "Nom") != "Nom"
        and surname_name == surname[0].text
        and not morph.has_tag(surname[0].text, "Fixd")
    )
    female = woman or bool(undeclined and surname and surname[0].text[-1].lower() not in _VOWELS)
    first_name = _nominative(*first, "Name", morph, female, undeclined) if first else None
    initial = (
        first_name[0].upper() if first_name else (initials[0][0].upper() if initials else None)
    )
    return PersonName(
        first=first_name,
        first_keys=_stems(first[0].text, first_name) if first and first_name else frozenset(),
        initial=initial,
        surname=surname_name,
        surname_keys=(
            _stems(surname[0].text, surname[1], surname_name)
            if surname and surname_name
            else frozenset()
        ),
        gender=_gender(first_name, surname[0].text if surname else None, female, morph),
        nominative=all(t.feats.get("Case", "Nom") == "Nom" for t in tokens),
        **_middle_parts(middle, morph),
    )


def _is_role_word(word: str, morph: Morph) -> bool:
    """A lower-case word other than a name particle ("фон", "де"), or a common noun the
    dictionary never reads as a name ("Актриса" opening a sentence)."""
    if word[:1].islower():
        return word.lower() not in mention_rules().name_particles
    return (
        morph.is_known(word.lower())
        and morph.has_tag(word, "NOUN")
        and not any(morph.has_tag(word, tag) for tag in _NAME_TAGS)
    )


_NAME_TAGS = ("Name", "Surn", "Patr", "Geox", "Orgn", "Trad", "Abbr")


def _is_patronymic(word: str, morph: Morph) -> bool:
    return looks_patronymic(word) or morph.has_tag(word, "Patr", True)


def _middle_parts(middle: list[tuple[Token, str]], morph: Morph) -> dict[str, Any]:
    kept = []
    keys = set()
    for token, normal in middle:
        word = _nominative(token, normal, "Name", morph)
        if _is_patronymic(word, morph) or _is_patronymic(token.text, morph):
            continue
        kept.append(word)
        if word[:1].isupper() and word.lower() not in mention_rules().name_particles:
            keys |= _stems(token.text, word)
    return {"middles": tuple(kept), "middle_keys": frozenset(keys)}


_UD_TO_PYMORPHY_CASE = {
    "Nom": "nomn",
    "Gen": "gent",
    "Dat": "datv",
    "Acc": "accs",
    "Ins": "ablt",
    "Loc": "loct",
}


def _nominative(
    token: Token,
    natasha_normal: str,
    grammeme: str,
    morph: Morph,
    female: bool = False,
    undeclined_surname: bool = False,
) -> str:
    """One word of a person's name in the nominative. natasha's normal form is kept when it
    is plausible; it is not when it changes the stem ("Шольцу" → "Шолец") or leaves an
    oblique case unchanged ("Олафу"). A first name beside a surname left undeclined in an
    oblique case ("Дали Грибаускайте", "Джулию Гиллард") is a woman's or a foreign one: it
    is not cut down to a masculine stem."""
    case = _UD_TO_PYMORPHY_CASE.get(token.feats.get("Case", ""), "")
    if case in ("", "nomn"):
        return token.text
    parses = [p for p in morph.parses(token.text.lower()) if grammeme in p.tag]
    if natasha_normal != token.text and name_stem(fold(natasha_normal)) == name_stem(
        fold(token.text)
    ):
        stripped = _strip_case_ending(token.text, case)
        if not parses and stripped == natasha_normal + "ь":  # natasha drops a soft sign
            return stripped
        return natasha_normal
    if any("Fixd" in p.tag for p in parses):
        return token.text
    for parse in parses:
        if case in parse.tag and ("femn" in parse.tag) == female:
            lemma = (
                _feminine(parse.normal_form)
                if female and grammeme == "Surn"
                else (parse.normal_form)
            )
            return _capitalise_like(lemma, token.text)
    if natasha_normal != token.text and any("femn" in p.tag for p in parses):
        return natasha_normal
    if female or undeclined_surname:
        return token.text
    return _capitalise_like(_strip_case_ending(token.text, case), token.text)


def _with_case(token: Token, case: str) -> Token:
    return replace(token, feats={**token.feats, "Case": case})


def _is_womans_name(word: str, morph: Morph) -> bool:
    names = [p for p in morph.parses(word.lower()) if "Name" in p.tag]
    return bool(names) and all("femn" in p.tag for p in names) and morph.is_known(word.lower())


_FEMININE_ENDINGS = (("ский", "ская"), ("цкий", "цкая"), ("ой", "ая"), ("ый", "ая"))


def _feminine(surname: str) -> str:
    """A woman's form of a surname pymorphy gives in the masculine ("лазарев" → "лазарева")."""
    for masculine, feminine in _FEMININE_ENDINGS:
        if surname.endswith(masculine):
            return surname[: -len(masculine)] + feminine
    if re.search(r"(ов|ев|ёв|ин|ын)$", surname):
        return surname + "а"
    return surname


_FEMININE_SURNAME = re.compile(r"(ая|ую|[вн]ой|[вн]ою|[ск]кой|цкой)$")
_MASCULINE_SURNAME = re.compile(r"(ый|ий|ого|ому|[ое]в|[ое]вым|[ое]ву|[иы]н|[иы]ным|[иы]ну)$")


def _gender(first: str | None, surname: str | None, female: bool, morph: Morph) -> str | None:
    """'femn', 'masc' or None, from the first name (pymorphy) or the surname's ending."""
    if female:
        return "femn"
    if first:
        genders = {
            "femn" if "femn" in p.tag else "masc"
            for p in morph.parses(first.lower())
            if "Name" in p.tag
        }
        if len(genders) == 1 and morph.has_tag(first, "Name", known_only=True):
            return genders.pop()
    if surname:
        lower = surname.lower()
        if _FEMININE_SURNAME.search(lower):
            return "femn"
        if _MASCULINE_SURNAME.search(lower):
            return "masc"
    return None


# Endings of masculine consonant-stem names by case ("Олафу" → "Олаф", "Шольцем" → "Шольц");
# feminine and foreign indeclinable names ("Грибаускайте") end otherwise and stay as written.
_MASCULINE_ENDINGS = {
    "gent": ("а", "я"),
    "accs": ("а", "я"),
    "datv": ("у", "ю"),
    "ablt": ("ом", "ем", "ым", "им"),
    "loct": ("е",),
}
_VOWELS = frozenset("аеёиоуыэюяь")


_SOFT_ENDINGS = frozenset(["я", "ю", "ем"])


# Names in -ия/-ья decline like feminine nouns whoever bears them: "Аслана Бжании" → "Бжания",
# "Яхьи Синвара" → "Яхья".
_IA_ENDINGS = {
    "gent": ("ии", "ьи"),
    "datv": ("ии", "ье"),
    "loct": ("ии", "ье"),
    "accs": ("ию", "ью", "ии", "ьи"),  # taggers give a man's genitive-like accusative
    "ablt": ("ией", "ьей"),
}


def _strip_case_ending(word: str, case: str) -> str:
    """The nominative of a masculine name from its case form: "Олафу" → "Олаф"; soft stems
    get their "ь" back ("Скрипаля" → "Скрипаль")."""
    for ending in _IA_ENDINGS.get(case, ()):
        if word.lower().endswith(ending) and len(word) > len(ending) + 1:
            return word[: -len(ending)] + ("ия" if ending[0] == "и" else "ья")
    for ending in _MASCULINE_ENDINGS.get(case, ()):
        stem = word[: -len(ending)]
        if word.lower().endswith(ending) and len(stem) >= 2 and stem[-1].lower() not in _VOWELS:
            soft = ending in _SOFT_ENDINGS and stem[-1].lower() not in "жшчщц"
            return stem + "ь" if soft else stem
    return word


def _stems(*words: str) -> frozenset[str]:
    return frozenset(name_stem(fold(w)) for w in words)


def _capitalise_like(word: str, model: str) -> str:
    return (
        "-".join(part[:1].upper() + part[1:] for part in word.split("-"))
        if model[:1].isupper()
        else word
    )


def _is_initial(text: str) -> bool:
    return len(text.rstrip(".")) == 1 and text[0].isupper()


@dataclass
class PersonCluster:
    spans: list[Span] = field(default_factory=list)
    names: list[PersonName] = field(default_factory=list)

    @property
    def surname_keys(self) -> set[str]:
        return {k for n in self.names for k in n.surname_keys}

    def first_compatible(self, name: PersonName) -> bool:
        for other in self.names:
            shortened = _first_is_middle(name, other)
            if name.first and other.first and not (name.first_keys & other.first_keys or shortened):
                return False
            if name.initial and other.initial and name.initial != other.initial and not shortened:
                return False
            if name.middle_keys and other.middle_keys and not name.middle_keys & other.middle_keys:
                return False
            if name.gender and other.gender and name.gender != other.gender:
                return False
        return True


def _first_is_middle(a: PersonName, b: PersonName) -> bool:
    """One name's first word is among the other's middle names: a double surname or given
    name shortened ("Лула да Силва", "Луис Инасиу Лула да Силва"; "Перес де Куэльяр",
    "Хавьер Перес де Куэльяр")."""
    return bool(a.first_keys & b.middle_keys or b.first_keys & a.middle_keys)


def cluster_people(spans: list[Span], doc: Doc, morph: Morph) -> list[PersonCluster]:
    spelt = _original_spellings(spans, doc)
    named = [(s, parse_person(s, doc, morph)) for s in spans if id(s) not in spelt]
    clusters: list[PersonCluster] = []
    # Full names first, so that a bare surname can join a person named later in the text.
    for span, name in named:
        if name.surname and (name.first or name.initial):
            match = next(
                (
                    c
                    for c in clusters
                    if c.surname_keys & name.surname_keys and c.first_compatible(name)
                ),
                None,
            )
            _add(match, clusters, span, name)
    for span, name in named:
        if name.surname and not (name.first or name.initial):
            _add(_nearest_by_surname(clusters, span, name), clusters, span, name)
    for span, name in named:
        if not name.surname:
            # A lone word the dictionary knows as a given name may be a full name's surname
            # ("Борис Джонсон … Джонсон"): one full name with that surname is tried first.
            found = _lone_surname_of(clusters, name)
            if len(found) != 1:
                found = [
                    c for c in clusters if any(n.first_keys & name.first_keys for n in c.names)
                ]
            _add(found[0] if len(found) == 1 else None, clusters, span, name)
    for span in spans:
        if id(span) in spelt:  # a mention, never the name the entity is given
            next(c for c in clusters if spelt[id(span)] in c.spans).spans.append(span)
    return clusters


def _lone_surname_of(clusters: list[PersonCluster], name: PersonName) -> list[PersonCluster]:
    return [
        c for c in clusters if c.surname_keys & name.first_keys and any(n.first for n in c.names)
    ]


def _original_spellings(spans: list[Span], doc: Doc) -> dict[int, Span]:
    """Latin-script names in brackets right after a name ("Ракель Додж (Raquel Dodge)"): span
    id → the mention they spell out."""
    found: dict[int, Span] = {}
    for previous, span in zip(spans, spans[1:], strict=False):
        between = doc.text[previous.end : span.start]
        if between.strip() == "(" and not is_cyrillic(span.text) and is_cyrillic(previous.text):
            found[id(span)] = previous
    return found


def _add(
    cluster: PersonCluster | None, clusters: list[PersonCluster], span: Span, name: PersonName
) -> None:
    if cluster is None:
        cluster = PersonCluster()
        clusters.append(cluster)
    cluster.spans.append(span)
    cluster.names.append(name)


def _nearest_by_surname(
    clusters: list[PersonCluster], span: Span, name: PersonName
) -> PersonCluster | None:
    best: tuple[int, PersonCluster] | None = None
    for cluster in clusters:
        if not cluster.surname_keys & name.surname_keys or not cluster.first_compatible(name):
            continue
        for other in cluster.spans:
            # earlier mentions rank by distance; later ones after every earlier one
            distance = span.start - other.start if other.start < span.start else 10**9 + other.start
            if best is None or distance < best[0]:
                best = (distance, cluster)
    return best[1] if best else None


def person_name(cluster: PersonCluster, doc: Doc) -> str:
    full = [n for n in cluster.names if n.first and n.surname]
    if full:
        # a name the text gives in the nominative beats a longer one rebuilt from another case
        return max(full, key=lambda n: (n.nominative, len(n.full), n.full)).full
    return _most_nominative(cluster.spans, doc)


def _most_nominative(spans: list[Span], doc: Doc) -> str:
    """The normal form to show: a mention in the nominative if the text has one (natasha
    sometimes normalises a masculine genitive "Токаева" as a feminine nominative), else the
    most frequent normal form."""
    for span in spans:
        if all(
            doc.tokens[i].feats.get("Case") == "Nom"
            for i in span.tokens
            if doc.tokens[i].pos != "PUNCT"
        ):
            return span.text
    return Counter(s.normal for s in spans).most_common(1)[0][0]


# ---------------------------------------------------------------- organisations and places


class UnionFind:
    def __init__(self, size: int):
        self.parent = list(range(size))

    def find(self, item: int) -> int:
        while self.parent[item] != item:
            self.parent[item] = self.parent[self.parent[item]]
            item = self.parent[item]
        return item

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


@dataclass
class NamedThing:
    """What one ORG/LOC span names, as far as the lexicons tell."""

    span: Span
    keys: list[str]
    igo: Igo | None = None
    country: Any = None
    abbreviation: str | None = None  # defined right after it: "... (ОДКБ)"
    initials: str | None = None  # of a multi-word ORG name, to meet its abbreviation
    is_abbreviation: bool = False
    normal: str = ""  # natasha's normal form, cleaned


def describe(span: Span, doc: Doc, lex: Lexicons) -> NamedThing:
    text, normal = span.text, _clean_org_name(_single_word_normal(span, doc))
    defined = re.search(r"\(\s*([^()\s]{2,12})\s*\)\s*$", text)
    if defined:
        normal = re.sub(r"\s*\([^()]*\)\s*$", "", normal)
    else:
        after = _DEFINED_ABBREVIATION.match(doc.text, span.end)
        defined = after if after and _abbreviates(after.group(1), normal) else None
    lemma_key = token_key(doc.tokens[i] for i in span.tokens)
    normal_key = fold(normal)
    thing = NamedThing(span, ["name:" + normal_key, "name:" + lemma_key], normal=normal)
    thing.igo = lex.igos.find(normal_key, lemma_key, phrase_key(words_of(normal), lex.morph))
    if thing.igo:
        thing.keys.append("igo:" + thing.igo.name)
    else:
        thing.country = lex.countries.by_name(normal) or lex.countries.by_name(text)
        if thing.country:
            thing.keys.append("country:" + thing.country.iso3)
    if defined:
        thing.abbreviation = defined.group(1)
        thing.keys.append("name:" + defined.group(1).lower())
    thing.is_abbreviation = bool(_ABBREVIATION.fullmatch(text)) and text.isupper()
    if span.type == "ORG" and not thing.is_abbreviation and len(words_of(normal)) >= 2:
        thing.initials = acronym_of(normal).lower()
    return thing


_ABBREVIATION_CASE_ENDING = re.compile(r"\b([A-ZА-ЯЁ]{2,})(а|у|ом|е|ой|ы)\b")
_UNCLOSED_BRACKET = re.compile(r"\s*\((?:[^()]*)$|\s*\(\s*\)")


def _clean_org_name(normal: str) -> str:
    """ "ЦИКа" → "ЦИК" (an abbreviation declined by a case ending), no dangling "(" or "()"."""
    normal = _ABBREVIATION_CASE_ENDING.sub(r"\1", normal)
    return _UNCLOSED_BRACKET.sub("", normal).strip() or normal


def _single_word_normal(span: Span, doc: Doc) -> str:
    """natasha leaves some one-word names in their case form ("в Минфине"): the lemma then."""
    token = doc.tokens[span.tokens.start]
    oblique = token.feats.get("Case", "Nom") != "Nom"
    if len(span.tokens) == 1 and oblique and span.normal == token.text and not token.text.isupper():
        return _capitalise_like(token.lemma, token.text)
    return span.normal


def _abbreviates(abbreviation: str, name: str) -> bool:
    """ "(ОДКБ)" after "Организация Договора ..." defines it; "(ГУР)" after "Минобороны Украины"
    (a name cut short by NER) does not: an abbreviation starts with its name's initial."""
    return bool(_ABBREVIATION.fullmatch(abbreviation)) and (
        abbreviation[:1].lower() == name[:1].lower()
    )


def cluster_things(things: list[NamedThing]) -> list[list[NamedThing]]:
    union = UnionFind(len(things))
    first_with_key: dict[str, int] = {}
    for index, thing in enumerate(things):
        for key in thing.keys:
            if key in first_with_key:
                union.union(first_with_key[key], index)
            else:
                first_with_key[key] = index
    # an abbreviation joins the full name it spells, but two full names with the same
    # initials ("Совет Федерации", "сборная Франции") do not join each other
    for index, thing in enumerate(things):
        if thing.initials and "name:" + thing.initials in first_with_key:
            other = first_with_key["name:" + thing.initials]
            if things[other].is_abbreviation:
                union.union(other, index)
    groups: dict[int, list[NamedThing]] = {}
    for index, thing in enumerate(things):
        groups.setdefault(union.find(index), []).append(thing)
    return list(groups.values())


def thing_entity_fields(group: list[NamedThing]) -> dict[str, Any]:
    igo = next((t.igo for t in group if t.igo), None)
    country = next((t.country for t in group if t.country), None)
    abbreviation = next((t.abbreviation for t in group if t.abbreviation), None)
    types = Counter(t.span.type for t in group)
    kind = "ORG" if igo else types.most_common(1)[0][0] if len(types) == 1 else _majority(group)
    if igo:
        return _igo_fields(igo)
    if country:  # a state, even where NER took it for an ORG ("Россия заявила")
        iso3, sector = country_codes(country)
        return {
            "type": "LOC",
            "name": country.name,
            "country": iso3,
            "sector": sector,
            "subtype": "country",
        }
    if abbreviation:
        return {"type": kind, "name": abbreviation}
    normals = Counter(t.normal for t in group if not t.normal.endswith(")"))
    if not normals:
        normals = Counter(t.normal for t in group)
    top = max(normals.items(), key=lambda item: (item[1], len(item[0])))[0]
    return {"type": kind, "name": top}


def _igo_fields(igo: Igo) -> dict[str, Any]:
    return {
        "type": "ORG",
        "name": igo.name,
        "country": IGO_CODE,
        "sector": IGO_CODE,
        "subtype": IGO_CODE,
    }


def _majority(group: list[NamedThing]) -> str:
    types = Counter(t.span.type for t in group)
    best = max(types.values())
    return next(t.span.type for t in group if types[t.span.type] == best)


# ---------------------------------------------------------------- the component


@dataclass
class Draft:
    spans: list[Span]
    fields: dict[str, Any]
    nested: list[Mention] = field(default_factory=list)  # mentions inside another ORG's span

    @property
    def first(self) -> int:
        return min([s.start for s in self.spans] + [m.start for m in self.nested])


def build_entities(doc: Doc, lex: Lexicons) -> list[Entity]:
    people = cluster_people([s for s in doc.spans if s.type == "PER"], doc, lex.morph)
    normals = {
        id(span): name.full or span.normal
        for cluster in people
        for span, name in zip(cluster.spans, cluster.names, strict=False)
    }
    things = [describe(s, doc, lex) for s in doc.spans if s.type != "PER"]
    drafts = [Draft(c.spans, {"type": "PER", "name": person_name(c, doc)}) for c in people]
    igo_drafts: dict[str, Draft] = {}
    for group in cluster_things(things):
        draft = Draft([t.span for t in group], thing_entity_fields(group))
        drafts.append(draft)
        igo = next((t.igo for t in group if t.igo), None)
        if igo:
            igo_drafts[igo.name] = draft
    _add_nested_igos(doc, lex, things, drafts, igo_drafts)
    drafts.sort(key=lambda draft: draft.first)
    entities = []
    for number, draft in enumerate(drafts, start=1):
        entity_id = f"e{number}"
        for span in draft.spans:
            span.entity = entity_id
        mentions = [
            Mention(s.start, s.end, s.text, normals.get(id(s), s.normal or s.text))
            for s in draft.spans
        ] + draft.nested
        mentions.sort(key=lambda m: m.start)
        entities.append(Entity(id=entity_id, mentions=mentions, **draft.fields))
    return entities


def _add_nested_igos(
    doc: Doc,
    lex: Lexicons,
    things: list[NamedThing],
    drafts: list[Draft],
    igo_drafts: dict[str, Draft],
) -> None:
    """An organ of an international organisation ("Совет коллективной безопасности ОДКБ") is
    its own ORG, coded IGO, and the organisation it names is mentioned there too."""
    organ_of: dict[int, Igo] = {}
    for thing in things:
        if thing.span.type != "ORG" or thing.igo:
            continue
        found = _igo_inside(thing.span, doc, lex)
        if found is None:
            continue
        igo, start = found
        organ_of[id(thing.span)] = igo
        draft = igo_drafts.get(igo.name)
        if draft is None:
            draft = igo_drafts[igo.name] = Draft([], _igo_fields(igo))
            drafts.append(draft)
        text = doc.text[start : thing.span.end]
        draft.nested.append(Mention(start, thing.span.end, text, text))
    for draft in drafts:
        if any(id(s) in organ_of for s in draft.spans) and "country" not in draft.fields:
            draft.fields.update(country=IGO_CODE, sector=IGO_CODE)


def _igo_inside(span: Span, doc: Doc, lex: Lexicons) -> tuple[Igo, int] | None:
    """The IGO named by the span's last words, if any, and where that name starts."""
    for index in span.tokens[1:]:
        tail = [doc.tokens[i] for i in range(index, span.tokens.stop)]
        text = doc.text[tail[0].start : span.end]
        igo = lex.igos.find(text, token_key(tail))
        if igo:
            return igo, tail[0].start
    return None


@component("entities", requires=("tokens", "mentions"), assigns=("entities",))
def make_entities(models):
    lex = lexicons(models.morph)

    def entities(doc: Doc) -> Doc:
        doc.entities = build_entities(doc, lex)
        return doc

    return entities
