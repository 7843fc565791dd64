"""The article that started the project: everything it reports must come out right."""

import pytest
from conftest import shared_path

from letopis.ingest.readers import read_txt


@pytest.fixture(scope="module")
def records(pipeline):
    article = read_txt(shared_path("samples/kazakhstan-csto-withdrawal.txt"))
    undated = pipeline.analyze(article)
    article.published = "2022-01-11"
    return undated, pipeline.analyze(article)


@pytest.fixture(scope="module")
def record(records):
    return records[0]


def entity(record, name):
    found = [e for e in record.entities if e.name == name]
    assert len(found) == 1, f"{name}: {[e.name for e in record.entities]}"
    return found[0]


def test_records_follow_the_contract(records, check_record):
    for record in records:
        check_record(record)


def test_putin(record):
    putin = entity(record, "Владимир Путин")
    assert (putin.country, putin.sector) == ("RUS", "GOV")
    assert ("президент", "Россия") in {(r.title, r.of) for r in putin.roles}


def test_every_tokayev_mention_is_one_entity(record):
    tokayev = entity(record, "Касым-Жомарт Токаев")
    assert (tokayev.country, tokayev.sector) == ("KAZ", "GOV")
    in_text = {i for i in range(len(record.text)) if record.text.startswith("Токаев", i)}
    assert in_text == {m.start + m.text.index("Токаев") for m in tokayev.mentions}


def test_pashinyan(record):
    pashinyan = entity(record, "Никол Пашинян")
    assert (pashinyan.country, pashinyan.sector) == ("ARM", "GOV")
    roles = {(r.title, r.of) for r in pashinyan.roles}
    assert ("премьер-министр", "Армения") in roles
    assert ("председатель", "ОДКБ") in roles


def test_csto_is_one_igo(record):
    csto = [e for e in record.entities if any(m.text == "ОДКБ" for m in e.mentions)]
    assert len(csto) == 1
    assert csto[0].type == "ORG"
    assert csto[0].country == "IGO"
    assert sum(m.text == "ОДКБ" for m in csto[0].mentions) == record.text.count("ОДКБ")


def test_almaty_is_one_place_in_kazakhstan(record):
    almaty = [p for p in record.places if {"Алма-Аты", "Алма-Ате"} & {m.text for m in p.mentions}]
    assert len(almaty) == 1
    place = almaty[0]
    assert {m.text for m in place.mentions} >= {"Алма-Аты", "Алма-Ате"}
    assert place.country == "KAZ"
    assert 40 < place.lat < 56 and 46 < place.lon < 88  # inside Kazakhstan's bounding box


@pytest.mark.parametrize("name", ["Жанаозен", "Актау"])
def test_towns_resolved(record, name):
    place = next(p for p in record.places if any(m.text == name for m in p.mentions))
    assert place.geonameid and place.country == "KAZ"


@pytest.mark.parametrize(
    ("day", "undated", "dated"),
    [
        ("2 января", "--01-02", "2022-01-02"),
        ("6 января", "--01-06", "2022-01-06"),
        ("13 января", "--01-13", "2022-01-13"),
    ],
)
def test_dates(records, day, undated, dated):
    for record, expected in zip(records, (undated, dated), strict=True):
        values = {d.value for d in record.dates if day in d.text}
        assert values == {expected}
