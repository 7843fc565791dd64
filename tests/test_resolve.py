from letopis.corpus.resolve import EntityResolver, abbreviation, default_rules, parse_person
from letopis.record import Entity, Mention, Role


def ent(
    entity_id: str, name: str, type_: str = "PER", mentions=(), roles=(), country: str | None = None
) -> Entity:
    found = [Mention(0, len(text), text) for text in (mentions or [name])]
    return Entity(entity_id, type_, name, found, country=country, roles=list(roles))


PRESIDENT = Role("президент", "Россия", 0, 9)


def test_parse_person_orders():
    rules = default_rules()
    assert parse_person("Владимир Путин", rules).surname == "путин"
    assert parse_person("В. В. Путин", rules) == parse_person("В.В. Путин", rules)
    assert parse_person("В. В. Путин", rules).first == "в"
    official = parse_person("Путин Владимир Владимирович", rules)
    assert (official.first, official.patronymic, official.surname) == (
        "владимир",
        "владимирович",
        "путин",
    )
    assert parse_person("Путин В.В.", rules).surname == "путин"


def test_name_variants_become_one_person_with_aliases_and_counts():
    resolver = EntityResolver()
    a = resolver.add("a1", [ent("e1", "Путин", mentions=["Путин", "Путина"])])
    b = resolver.add(
        "a2", [ent("e1", "Владимир Путин", mentions=["Владимира Путина"], roles=[PRESIDENT])]
    )
    c = resolver.add("a3", [ent("e4", "В. В. Путин")])
    d = resolver.add("a4", [ent("e2", "президент России", roles=[PRESIDENT])])
    assert a["e1"] == b["e1"] == c["e4"] == d["e2"]
    person = resolver.get(a["e1"])
    assert person.name == "Владимир Путин"
    assert person.articles == 4 and person.mentions == 5
    assert {"Путин", "Путина", "В. В. Путин", "президент России"} <= set(person.aliases)
    assert person.roles["президент россия"] == 2


def test_different_first_names_are_different_people():
    resolver = EntityResolver()
    ivan = resolver.add("a1", [ent("e1", "Иван Петров")])["e1"]
    pyotr = resolver.add("a2", [ent("e1", "Пётр Петров")])["e1"]
    initial = resolver.add("a3", [ent("e1", "И. Петров")])["e1"]
    bare = resolver.add("a4", [ent("e1", "Петров")])["e1"]
    assert ivan != pyotr
    assert initial == ivan
    assert bare in (ivan, pyotr)


def test_types_do_not_mix_and_a_given_name_stays_alone():
    resolver = EntityResolver()
    person = resolver.add("a1", [ent("e1", "Андрей Вашингтон")])["e1"]
    city = resolver.add("a2", [ent("e1", "Вашингтон", "LOC")])["e1"]
    assert person != city
    maria = resolver.add("a3", [ent("e1", "Мария Захарова")])["e1"]
    just_maria = resolver.add("a4", [ent("e1", "Мария")])["e1"]
    assert just_maria != maria


def test_organisation_abbreviation_and_country_check():
    resolver = EntityResolver()
    full = resolver.add("a1", [ent("e1", "Федеральная служба безопасности", "ORG", country="RUS")])[
        "e1"
    ]
    short = resolver.add("a2", [ent("e1", "ФСБ", "ORG", country="RUS")])["e1"]
    foreign = resolver.add("a3", [ent("e1", "ФСБ", "ORG", country="UKR")])["e1"]
    assert short == full and foreign != full
    assert abbreviation("Организация Договора о коллективной безопасности") == "ОДКБ"


def test_role_only_mention_without_known_holder_gets_its_own_entity():
    resolver = EntityResolver()
    alone = resolver.add(
        "a1", [ent("e1", "президент Франции", roles=[Role("президент", "Франция", 0, 9)])]
    )["e1"]
    assert resolver.get(alone).name == "президент Франции"


def test_rebuilding_gives_the_same_ids():
    rows = [
        ("a1", [ent("e1", "Путин")]),
        ("a2", [ent("e1", "Владимир Путин"), ent("e2", "Москва", "LOC")]),
    ]
    first = EntityResolver.from_rows(rows)
    second = EntityResolver.from_rows(rows)
    assert [c.id for c in first.canonical()] == [c.id for c in second.canonical()]
    assert first.add("a2", []) == second.add("a2", [])
