"""Countries by Russian name (any case) and by demonym adjective."""

from importlib import resources

import pytest
import yaml

from letopis.extract.countries import (
    all_countries,
    country_by_adjective,
    country_by_demonym,
    country_by_name,
    normalise,
)


@pytest.mark.parametrize(
    ("text", "iso3"),
    [
        ("России", "RUS"),
        ("Россией", "RUS"),
        ("РФ", "RUS"),
        ("Российской Федерации", "RUS"),
        ("Российскую Федерацию", "RUS"),
        ("Казахстана", "KAZ"),
        ("Республики Казахстан", "KAZ"),
        ("США", "USA"),
        ("Соединенных Штатов", "USA"),
        ("Соединёнными Штатами Америки", "USA"),
        ("Великобритании", "GBR"),
        ("Армении", "ARM"),
        ("ФРГ", "DEU"),
        ("Украине", "UKR"),
        ("КНР", "CHN"),
        ("Китаю", "CHN"),
        ("Кыргызстане", "KGZ"),
        ("Киргизии", "KGZ"),
        ("Беларуси", "BLR"),
        ("Белоруссией", "BLR"),
        ("Молдове", "MDA"),
        ("Туркменистаном", "TKM"),
        ("Южной Кореи", "KOR"),
        ("КНДР", "PRK"),
        ("ОАЭ", "ARE"),
        ("Саудовской Аравии", "SAU"),
        ("Боснии и Герцеговины", "BIH"),
        ("Нидерландах", "NLD"),
        ("Кот-д’Ивуара", "CIV"),
        ("россии", "RUS"),
        ("  «Грузии»  ", "GEO"),
    ],
)
def test_names_in_any_case(text, iso3):
    country = country_by_name(text)
    assert country is not None, text
    assert country.iso3 == iso3
    assert not country.partial


def test_country_fields():
    russia = country_by_name("России")
    assert russia.name == "Россия"
    assert russia.geonameid == 2017370
    assert 41 < russia.lat < 82 and 19 < russia.lon < 180
    kazakhstan = country_by_name("Казахстане")
    assert (kazakhstan.name, kazakhstan.geonameid) == ("Казахстан", 1522867)
    assert 40 < kazakhstan.lat < 56 and 46 < kazakhstan.lon < 88


@pytest.mark.parametrize(
    ("text", "name", "claimant"),
    [
        ("ДНР", "ДНР", "UKR"),
        ("Донецкой Народной Республики", "ДНР", "UKR"),
        ("ЛНР", "ЛНР", "UKR"),
        ("Абхазии", "Абхазия", "GEO"),
        ("Южной Осетией", "Южная Осетия", "GEO"),
        ("Приднестровье", "Приднестровье", "MDA"),
        ("Нагорном Карабахе", "Нагорный Карабах", "AZE"),
    ],
)
def test_partially_recognised_entities(text, name, claimant):
    country = country_by_name(text)
    assert country is not None
    assert (country.name, country.iso3, country.partial) == (name, claimant, True)
    assert country.lat is not None and country.lon is not None


@pytest.mark.parametrize(
    ("lemma", "iso3"),
    [
        ("российский", "RUS"),
        ("казахский", "KAZ"),
        ("казахстанский", "KAZ"),
        ("армянский", "ARM"),
        ("американский", "USA"),
        ("украинский", "UKR"),
        ("белорусский", "BLR"),
        ("китайский", "CHN"),
        ("британский", "GBR"),
        ("французский", "FRA"),
        ("немецкий", "DEU"),
        ("турецкий", "TUR"),
        ("иранский", "IRN"),
        ("израильский", "ISR"),
        ("киргизский", "KGZ"),
        ("кыргызский", "KGZ"),
        ("узбекский", "UZB"),
        ("таджикский", "TJK"),
        ("туркменский", "TKM"),
        ("азербайджанский", "AZE"),
        ("грузинский", "GEO"),
        ("молдавский", "MDA"),
        ("литовский", "LTU"),
        ("латвийский", "LVA"),
        ("эстонский", "EST"),
        ("польский", "POL"),
        ("японский", "JPN"),
        ("индийский", "IND"),
        ("американского", "USA"),
        ("Казахской", "KAZ"),
    ],
)
def test_demonym_adjectives(lemma, iso3):
    country = country_by_adjective(lemma)
    assert country is not None, lemma
    assert country.iso3 == iso3


def test_adjective_of_a_partially_recognised_entity():
    abkhazia = country_by_adjective("абхазский")
    assert (abkhazia.name, abkhazia.iso3, abkhazia.partial) == ("Абхазия", "GEO", True)


@pytest.mark.parametrize("word", ["русский", "корейский", "красный", ""])
def test_adjectives_that_name_no_state(word):
    assert country_by_adjective(word) is None


@pytest.mark.parametrize("text", ["Москва", "Кремль", "Европа", "Латинской Америки", ""])
def test_names_that_are_not_countries(text):
    assert country_by_name(text) is None


@pytest.mark.parametrize(
    ("word", "iso3"),
    [
        ("россиянин", "RUS"),
        ("россияне", "RUS"),
        ("американцы", "USA"),
        ("армянин", "ARM"),
        ("казахи", "KAZ"),
        ("израильтяне", "ISR"),
        ("Британцы", "GBR"),
    ],
)
def test_demonym_nouns(word, iso3):
    assert country_by_demonym(word).iso3 == iso3


@pytest.mark.parametrize("word", ["русские", "кореец", "поляков", "чехов", "жители"])
def test_words_that_are_no_demonym_of_a_state(word):
    """Ethnic names without one state, and surnames that are plural forms of demonyms."""
    assert country_by_demonym(word) is None


def test_normalise():
    assert normalise(" Кот-д’Ивуар ") == "кот-д'ивуар"
    assert normalise("Папуа — Новая  Гвинея") == "папуа-новая гвинея"
    assert normalise("Соединённые Шта\u0301ты") == "соединенные штаты"


def test_the_table_matches_the_curated_file():
    """countries.tsv is rebuilt from countries.yaml: every curated name resolves to its row."""
    source = resources.files("letopis.data").joinpath("countries.yaml").read_text("utf-8")
    curated = yaml.safe_load(source)
    for iso3, entry in curated["countries"].items():
        for name in [entry.get("name"), *entry.get("aliases", [])]:
            if name:
                assert country_by_name(name).iso3 == iso3, name
        for adjective in entry.get("adjectives", []):
            assert country_by_adjective(adjective).iso3 == iso3, adjective
        for demonym in entry.get("demonyms", []):
            assert country_by_demonym(demonym).iso3 == iso3, demonym
    for entry in curated["partial"]:
        for name in [entry["name"], *entry.get("aliases", [])]:
            found = country_by_name(name)
            assert (found.name, found.iso3, found.partial) == (
                entry["name"],
                entry["claimant"],
                True,
            )


def test_every_country_has_a_code_and_sane_coordinates():
    countries = all_countries()
    assert len(countries) > 240
    for country in countries:
        assert len(country.iso3) == 3 and country.iso3.isupper()
        assert country.name
        if country.lat is not None:
            assert -90 <= country.lat <= 90 and -180 <= country.lon <= 180
    assert sum(c.lat is None for c in countries) < 5
