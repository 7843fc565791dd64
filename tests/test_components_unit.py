"""Each pipeline component alone, on Docs built by hand (tests/hand_docs.py): what it assigns
follows from what it is given, with no model in between."""

from hand_docs import ARREST, ARREST_SPANS, MEETING, MEETING_SPANS, hand_doc, run


def names(doc, type_: str) -> list[str]:
    return sorted(e.name for e in doc.entities if e.type == type_)


def test_entities_normalise_an_inflected_foreign_name():
    doc = run(hand_doc(MEETING, MEETING_SPANS), "entities")
    assert "Олаф Шольц" in names(doc, "PER")  # natasha's normal form said "Олаф Шолец"
    assert names(doc, "LOC") == ["Берлин", "Германия", "Франция"]
    assert all(span.entity for span in doc.spans)


def test_entities_code_countries_as_states():
    doc = run(hand_doc(MEETING, MEETING_SPANS), "entities")
    france = next(e for e in doc.entities if e.name == "Франция")
    assert (france.country, france.subtype) == ("FRA", "country")


def test_places_resolve_cities_and_countries():
    doc = run(hand_doc(MEETING, MEETING_SPANS), "entities", "places")
    by_name = {p.name: p for p in doc.places}
    assert by_name["Берлин"].geonameid == 2950159
    assert by_name["Берлин"].country == "DEU"
    assert by_name["Франция"].feature == "country"


def test_roles_read_the_title_and_its_country():
    doc = run(hand_doc(MEETING, MEETING_SPANS), "entities", "places", "roles")
    macron = next(e for e in doc.entities if e.name == "Эммануэль Макрон")
    assert {(r.title, r.of) for r in macron.roles} == {("президент", "Франция")}
    assert (macron.country, macron.sector) == ("FRA", "GOV")


def test_events_take_actor_and_recipient_from_the_parse():
    doc = run(hand_doc(MEETING, MEETING_SPANS), "entities", "places", "roles", "dates", "events")
    (meeting,) = [e for e in doc.events if e.type == "CONSULT"]
    participants = {a.name for a in meeting.actors + meeting.recipients}
    assert participants == {"Эммануэль Макрон", "Олаф Шольц"}
    assert meeting.place is not None and meeting.place.name == "Берлин"


def test_an_arrest_is_coerce_by_the_police_against_the_named_person():
    doc = hand_doc(ARREST, ARREST_SPANS, published="2024-03-05")
    doc = run(doc, "entities", "places", "roles", "dates", "events")
    (arrest,) = [e for e in doc.events if e.type == "COERCE"]
    assert [a.name.lower() for a in arrest.actors] == ["полиция"]
    assert [r.name for r in arrest.recipients] == ["Иван Петров"]
    assert arrest.status == "reported"
