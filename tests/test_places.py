"""The places component: LOC mentions resolved to GeoNames cities and to countries."""

from importlib import resources

import pytest
import yaml
from conftest import shared_path

from letopis import Pipeline
from letopis.analyze.doc import Doc, Span
from letopis.extract.places import load_gazetteer, region_names, resolve_places
from letopis.ingest.article import Article
from letopis.ingest.readers import read_txt
from letopis.pipeline import DEFAULT_COMPONENTS
from letopis.record import Entity, Mention

ALMATY, ZHANAOZEN, AKTAU, MOSCOW, KYIV, MYKOLAIV = 1526384, 607610, 610612, 524901, 703448, 700569
# (lat min, lat max, lon min, lon max) of a country, generous by a degree or so
BOUNDS = {
    "RUS": (41.0, 82.0, 19.0, 180.0),
    "UKR": (44.0, 52.5, 22.0, 40.5),
    "KAZ": (40.0, 56.0, 46.0, 88.0),
    "USA_TX": (25.5, 36.5, -107.0, -93.5),
}


def inside(place, box: str) -> bool:
    lat_min, lat_max, lon_min, lon_max = BOUNDS[box]
    return lat_min < place.lat < lat_max and lon_min < place.lon < lon_max


def hand_doc(text: str, names: list[tuple[str, str]], entity_ids: list[str] | None = None) -> Doc:
    """A Doc whose LOC spans are given by hand as (mention text, normal form), no tokens."""
    doc = Doc(text=text, id="hand")
    for index, (mention, normal) in enumerate(names):
        start = text.index(mention, doc.spans[-1].end if doc.spans else 0)
        entity = entity_ids[index] if entity_ids else None
        doc.spans.append(
            Span(start, start + len(mention), "LOC", mention, normal, range(0), entity)
        )
    return doc


def places_of(doc: Doc) -> Doc:
    return resolve_places(doc, load_gazetteer())


def place_with(doc: Doc, mention: str):
    found = [p for p in doc.places if mention in {m.text for m in p.mentions}]
    listed = [(p.name, [m.text for m in p.mentions]) for p in doc.places]
    assert len(found) == 1, f"{mention}: {listed}"
    return found[0]


@pytest.fixture(scope="module")
def pipeline_to_places() -> Pipeline:
    """The real pipeline up to and including places: later components cannot change them."""
    return Pipeline(DEFAULT_COMPONENTS[: DEFAULT_COMPONENTS.index("places") + 1])


@pytest.fixture(scope="module")
def analyzed(pipeline_to_places):
    pipeline = pipeline_to_places

    def analyze(text: str) -> Doc:
        return pipeline.process(Article(id="test", text=text))

    return analyze


def test_inflected_city_names_through_the_pipeline(analyzed):
    doc = analyzed(
        "Жители Жанаозена, Актау и Алма-Аты вышли на улицы. В Алма-Ате начались беспорядки, "
        "а в Жанаозене власти пошли на уступки. Министр вылетел из Москвы в Киев, "
        "переговоры в Москве и Киеве продолжатся. В Николаеве объявлена тревога."
    )
    expected = {
        "Жанаозена": ZHANAOZEN,
        "Жанаозене": ZHANAOZEN,
        "Актау": AKTAU,
        "Алма-Аты": ALMATY,
        "Алма-Ате": ALMATY,
        "Москвы": MOSCOW,
        "Москве": MOSCOW,
        "Киев": KYIV,
        "Киеве": KYIV,
        "Николаеве": MYKOLAIV,
    }
    for mention, geonameid in expected.items():
        assert place_with(doc, mention).geonameid == geonameid, mention
    almaty = place_with(doc, "Алма-Аты")
    assert (almaty.name, almaty.country, almaty.feature) == ("Алма-Ата", "KAZ", "city")
    assert [m.text for m in almaty.mentions] == ["Алма-Аты", "Алма-Ате"]
    assert place_with(doc, "Николаеве").country == "UKR"
    assert len(doc.places) == len(set(expected.values()))


def test_places_are_listed_in_order_of_first_mention(analyzed):
    doc = analyzed("Делегация из Армении прибыла в Ереван, затем в Москву и снова в Армению.")
    firsts = [p.mentions[0].start for p in doc.places]
    assert firsts == sorted(firsts)
    assert [p.name for p in doc.places] == ["Армения", "Ереван", "Москва"]


def test_countries_and_partially_recognised_entities(analyzed):
    doc = analyzed(
        "Представители Российской Федерации и Соединенных Штатов обсудили ситуацию в "
        "Нагорном Карабахе и Южной Осетии. Делегация США прибыла в Женеву."
    )
    usa = place_with(doc, "Соединенных Штатов")
    assert (usa.name, usa.country, usa.feature, usa.geonameid) == ("США", "USA", "country", 6252001)
    assert {m.text for m in usa.mentions} == {"Соединенных Штатов", "США"}
    assert place_with(doc, "Российской Федерации").name == "Россия"
    karabakh = place_with(doc, "Нагорном Карабахе")
    assert (karabakh.name, karabakh.country, karabakh.feature) == (
        "Нагорный Карабах",
        "AZE",
        "region",
    )
    assert place_with(doc, "Южной Осетии").country == "GEO"
    assert place_with(doc, "Женеву").country == "CHE"


def test_loc_entities_get_the_country_of_their_place(analyzed):
    doc = analyzed("Беспорядки в Алма-Ате продолжились. Власти Алма-Аты ввели комендантский час.")
    almaty = place_with(doc, "Алма-Ате")
    entity = doc.entity(almaty.entity)
    assert entity is not None and entity.type == "LOC"
    assert entity.country == "KAZ"


def test_an_ambiguous_name_follows_the_country_of_the_article():
    text_ua = "На Украине протесты. Митинг прошёл в Александрии, затем в Кропивницком."
    text_eg = "В Египте протесты. Митинг прошёл в Александрии, затем в Каире."
    text_alone = "Митинг прошёл в Александрии."
    ukraine = places_of(
        hand_doc(
            text_ua,
            [
                ("Украине", "Украина"),
                ("Александрии", "Александрия"),
                ("Кропивницком", "Кропивницкий"),
            ],
        )
    )
    egypt = places_of(
        hand_doc(text_eg, [("Египте", "Египет"), ("Александрии", "Александрия"), ("Каире", "Каир")])
    )
    alone = places_of(hand_doc(text_alone, [("Александрии", "Александрия")]))
    assert place_with(ukraine, "Александрии").country == "UKR"
    assert place_with(egypt, "Александрии").country == "EGY"
    assert place_with(alone, "Александрии").country == "EGY"  # the most populous


def test_an_ambiguous_name_in_the_pipeline(analyzed):
    doc = analyzed(
        "Власти Украины сообщили о взрыве в Александрии Кировоградской области. "
        "Позже сирены прозвучали в Кропивницком и Полтаве."
    )
    assert place_with(doc, "Александрии").country == "UKR"


def test_a_capital_beats_a_namesake_in_the_article_country():
    text = "В США прошли выборы. Затем делегация вылетела в Париж."
    doc = places_of(hand_doc(text, [("США", "США"), ("Париж", "Париж")]))
    assert place_with(doc, "Париж").country == "FRA"


def test_case_endings_fall_back_when_normal_form_fails():
    """Natasha sometimes returns an unknown name unchanged: the ending rules recover it."""
    text = "Ситуация в Жанаозене и Кызылорде."
    doc = places_of(hand_doc(text, [("Жанаозене", "Жанаозене"), ("Кызылорде", "Кызылорде")]))
    zhanaozen = place_with(doc, "Жанаозене")
    assert (zhanaozen.geonameid, zhanaozen.name, zhanaozen.country) == (
        ZHANAOZEN,
        "Жанаозен",
        "KAZ",
    )
    assert place_with(doc, "Кызылорде").country == "KAZ"


def test_regions_of_the_world_are_not_towns():
    text = "Напряжённость на Кавказе и в Азии."
    doc = places_of(hand_doc(text, [("Кавказе", "Кавказ"), ("Азии", "Азия")]))
    assert doc.places == []


def test_unknown_names_make_no_place():
    text = "Учения прошли в Заозёрнокамышинске."
    doc = places_of(hand_doc(text, [("Заозёрнокамышинске", "Заозёрнокамышинск")]))
    assert doc.places == []


def test_mentions_join_their_entity_place_and_set_its_country():
    text = "Беспорядки в Алма-Ате. Жители Алматинска вышли на улицы."
    doc = hand_doc(text, [("Алма-Ате", "Алма-Ата"), ("Алматинска", "Алматинск")], ["e1", "e1"])
    doc.entities = [
        Entity("e1", "LOC", "Алма-Ата", [Mention(s.start, s.end, s.text) for s in doc.spans]),
        Entity("e2", "PER", "Токаев", [], country=None),
    ]
    places_of(doc)
    assert len(doc.places) == 1
    almaty = doc.places[0]
    assert almaty.entity == "e1"
    assert [m.text for m in almaty.mentions] == ["Алма-Ате", "Алматинска"]
    assert doc.entities[0].country == "KAZ"
    assert doc.entities[1].country is None


def test_an_entity_country_already_set_is_kept():
    doc = hand_doc("Митинг в Киеве.", [("Киеве", "Киев")], ["e1"])
    doc.entities = [Entity("e1", "LOC", "Киев", [], country="RUS")]
    places_of(doc)
    assert doc.entities[0].country == "RUS"
    assert doc.places[0].country == "UKR"


def test_sample_article(pipeline_to_places):
    article = read_txt(shared_path("samples/kazakhstan-csto-withdrawal.txt"))
    doc = pipeline_to_places.process(article)
    almaty = place_with(doc, "Алма-Аты")
    assert {"Алма-Аты", "Алма-Ате"} <= {m.text for m in almaty.mentions}
    assert almaty.geonameid == ALMATY and almaty.country == "KAZ"
    assert 40 < almaty.lat < 56 and 46 < almaty.lon < 88  # inside Kazakhstan's bounding box
    for name, geonameid in [("Жанаозен", ZHANAOZEN), ("Актау", AKTAU)]:
        place = place_with(doc, name)
        assert (place.geonameid, place.country) == (geonameid, "KAZ")
    kazakhstan = place_with(doc, "Казахстана")
    assert (kazakhstan.feature, kazakhstan.country) == ("country", "KAZ")
    assert "Республики Казахстан" in {m.text for m in kazakhstan.mentions}


def test_regions_from_the_region_table():
    text = "Обстрелы в Белгородской области и в Чечне, выборы в Техасе."
    names = [
        ("Белгородской области", "Белгородская область"),
        ("Чечне", "Чечня"),
        ("Техасе", "Техас"),
    ]
    doc = places_of(hand_doc(text, names))
    belgorod = place_with(doc, "Белгородской области")
    assert (belgorod.name, belgorod.country, belgorod.feature) == (
        "Белгородская область",
        "RUS",
        "region",
    )
    assert belgorod.geonameid is None  # a region's id, never its centre's
    assert place_with(doc, "Чечне").country == "RUS"
    texas = place_with(doc, "Техасе")
    assert (texas.country, texas.feature, texas.geonameid) == ("USA", "region", 4736286)
    assert inside(texas, "USA_TX")


def test_regions_take_the_coordinates_of_their_centre(analyzed):
    doc = analyzed(
        "Беспилотники атаковали объекты в Белгородской области и Курской области. "
        "Обстрелы продолжаются в Донецкой области. Губернатор штата Техас ответил, "
        "а в Мангистауской области прошли протесты."
    )
    belgorod = place_with(doc, "Белгородской области")
    assert feature_country(belgorod) == ("region", "RUS") and inside(belgorod, "RUS")
    assert abs(belgorod.lat - 50.6) < 0.2 and abs(belgorod.lon - 36.6) < 0.2  # Белгород
    kursk = place_with(doc, "Курской области")
    assert feature_country(kursk) == ("region", "RUS") and inside(kursk, "RUS")
    assert (kursk.lat, kursk.lon) != (belgorod.lat, belgorod.lon)
    donetsk = place_with(doc, "Донецкой области")
    assert feature_country(donetsk) == ("region", "UKR") and inside(donetsk, "UKR")
    texas = place_with(doc, "Техас")  # NER leaves "штата" out
    assert feature_country(texas) == ("region", "USA") and inside(texas, "USA_TX")
    mangystau = place_with(doc, "Мангистауской области")
    assert feature_country(mangystau) == ("region", "KAZ") and inside(mangystau, "KAZ")


def feature_country(place) -> tuple[str, str]:
    return place.feature, place.country


def test_every_region_centre_is_one_town_of_its_country():
    """An unlisted, misspelt or ambiguous centre would leave a region without coordinates;
    two regions sharing a GeoNames first-level code would mean a namesake town was taken."""
    regions = {region.name: region for region in load_gazetteer().regions.values()}
    assert [name for name, region in regions.items() if region.centre is None] == []
    divisions = [(region.country, region.centre.admin1) for region in regions.values()]
    assert len(set(divisions)) == len(divisions)
    for region in regions.values():
        assert region.centre.country == region.country, region.name


def test_a_district_takes_the_country_of_its_town():
    text = "Бои в Бахмутском районе."
    doc = places_of(hand_doc(text, [("Бахмутском районе", "Бахмутский район")]))
    district = place_with(doc, "Бахмутском районе")
    assert (district.name, district.country, district.feature) == (
        "Бахмутский район",
        "UKR",
        "region",
    )
    assert district.geonameid is None


def test_every_listed_region_resolves_to_its_country():
    gazetteer = load_gazetteer()
    source = resources.files("letopis.data").joinpath("geo_regions.yaml").read_text("utf-8")
    listed = yaml.safe_load(source)["regions"]
    for iso3, entries in listed.items():
        for entry in entries:
            for name in region_names(entry):
                doc = places_of(hand_doc(f"В {name}.", [(name, name)]))
                assert [(p.country, p.feature) for p in doc.places] == [(iso3, "region")], name
    assert len(gazetteer.regions) > 200


def test_lone_region_adjectives_read_with_the_noun_that_follows(analyzed):
    doc = analyzed("Беспилотники сбиты над Брянской, Курской и Белгородской областями.")
    regions = [(p.name, p.country, p.feature) for p in doc.places]
    assert regions == [
        ("Брянская область", "RUS", "region"),
        ("Курская область", "RUS", "region"),
        ("Белгородская область", "RUS", "region"),
    ]


def test_cities_inside_organisation_names(analyzed):
    doc = analyzed("Хорошевский суд Москвы вынес решение.")
    moscow = place_with(doc, "Москвы")
    assert (moscow.geonameid, moscow.country) == (MOSCOW, "RUS")
    assert doc.text[moscow.mentions[0].start : moscow.mentions[0].end] == "Москвы"


def test_a_front_direction_takes_the_country_of_its_town():
    text = "Бои на Купянском направлении."
    doc = places_of(hand_doc(text, [("Купянском направлении", "Купянском направление")]))
    direction = place_with(doc, "Купянском направлении")
    assert (direction.name, direction.country, direction.feature) == (
        "Купянское направление",
        "UKR",
        "region",
    )


def test_regions_inside_organisation_names(analyzed):
    doc = analyzed("Минздрав Чувашии сообщил о вспышке.")
    assert [(p.name, p.country, p.feature) for p in doc.places] == [("Чувашия", "RUS", "region")]


def test_a_person_in_an_organisation_name_is_not_a_place(analyzed):
    doc = analyzed("Директор Государственного музея Пушкина выступил в Москве.")
    assert [p.name for p in doc.places] == ["Москва"]


def test_a_small_foreign_namesake_is_not_taken_against_the_article_context():
    """GeoNames lists a Californian town under the Russian name of Piedmont."""
    gazetteer = load_gazetteer()
    namesakes = gazetteer.cities["пьемонт"]
    assert all(c.country != "ITA" and c.population < 15000 for c in namesakes)
    text = "Выборы прошли в Италии. В Пьемонте победили правые."
    doc = places_of(hand_doc(text, [("Италии", "Италия"), ("Пьемонте", "Пьемонт")]))
    assert [p.name for p in doc.places] == ["Италия"]
