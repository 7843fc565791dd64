from letopis.corpus.resolve import (
    EntityResolver,
    PersonName,
    abbreviation,
    name_parts,
)
from letopis.record import Entity, Mention, Role


def ent(
    entity_id: str, name: str, type_: str = "PER", mentions=(), roles=(), country: str | None = None
) -> Entity:
    found = [Mention(0, len(text), text) for text in (mentions or [name])]
    return Entity(entity_id, type_, name, found, country=country, roles=list(roles))


PRESIDENT = Role("президент", "Россия", 0, 9)


def test_name_parts_orders():
    assert name_parts("Владимир Путин").surname == "путин"
    assert name_parts("В. В. Путин") == name_parts("В.В. Путин")
    assert name_parts("В. В. Путин").first == "в"
    official = name_parts("Путин Владимир Владимирович")
    assert (official.first, official.patronymic, official.surname) == (
        "владимир",
        "владимирович",
        "путин",
    )
    assert name_parts("Путин В.В.").surname == "путин"
    # The article's reading: a surname with a patronymic's form is still a surname, a known
    # patronymic after a given name leaves no surname.
    assert name_parts("Роман Абрамович").surname == "абрамович"
    assert name_parts("Виктор Альфредович") == PersonName("виктор", "альфредович", None)


def test_name_particles_are_no_given_names():
    assert name_parts("Да Силва") == PersonName(None, None, "силва")
    assert name_parts("Макс фон Сюдов") == PersonName("макс", None, "сюдов")
    assert name_parts("Шарль де Голль").patronymic is None


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


def test_initials_alone_never_join():
    resolver = EntityResolver()
    turkey = resolver.add("a1", [ent("e1", "МИД Турции", "ORG", country="TUR")])["e1"]
    theatre = resolver.add("a2", [ent("e1", "Мариинский театр", "ORG", country="RUS")])["e1"]
    tambov = resolver.add("a3", [ent("e1", "Тамбовская область", "LOC", country="RUS")])["e1"]
    tula = resolver.add("a4", [ent("e1", "Тульская область", "LOC", country="RUS")])["e1"]
    defence = resolver.add("a5", [ent("e1", "Минобороны РФ", "ORG", country="RUS")])["e1"]
    emergencies = resolver.add("a6", [ent("e1", "МЧС России", "ORG", country="RUS")])["e1"]
    assert len({turkey, theatre, tambov, tula, defence, emergencies}) == 6


def test_abbreviations_join_when_defined_in_a_text():
    resolver = EntityResolver()
    defined = resolver.add(
        "a1", [ent("e1", "Ассоциация юристов Казахстана", "ORG", mentions=["АЮК"])]
    )["e1"]
    short = resolver.add("a2", [ent("e1", "АЮК", "ORG")])["e1"]
    undefined = resolver.add("a3", [ent("e1", "Агентство юстиции Кыргызстана", "ORG")])["e1"]
    assert short == defined != undefined


def test_generic_heads_resolve_through_the_country_or_stay_in_their_article():
    resolver = EntityResolver()
    turkey = resolver.add("a1", [ent("e1", "МИД Турции", "ORG", country="TUR")])["e1"]
    russia = resolver.add("a2", [ent("e1", "Минобороны РФ", "ORG", country="RUS")])["e1"]
    also_russia = resolver.add("a3", [ent("e1", "Минобороны России", "ORG", country="RUS")])
    bare_turkish = resolver.add(
        "a4", [ent("e1", "МИД", "ORG"), ent("e2", "Анкара", "LOC", country="TUR")]
    )["e1"]
    bare_unknown = resolver.add("a5", [ent("e1", "МИД", "ORG")])["e1"]
    court_1 = resolver.add("a6", [ent("e1", "суд", "ORG", country="RUS")])["e1"]
    court_2 = resolver.add("a7", [ent("e1", "суд", "ORG", country="RUS")])["e1"]
    assert also_russia["e1"] == russia and bare_turkish == turkey
    assert bare_unknown not in (turkey, russia)
    assert court_1 != court_2


def test_lone_surname_joins_a_full_name_before_the_given_name_test():
    resolver = EntityResolver()
    same_article = resolver.add("a1", [ent("e1", "Джонсон"), ent("e2", "Борис Джонсон")])
    later = resolver.add("a2", [ent("e1", "Джонсон")])["e1"]
    variant = resolver.add("a3", [ent("e1", "Борис Джонссон")])["e1"]
    assert same_article["e1"] == same_article["e2"] == later == variant


def test_a_name_with_its_country_joins_the_short_form_of_that_country_only():
    resolver = EntityResolver()
    american = resolver.add("a1", [ent("e1", "Военно-воздушные силы США", "ORG", country="USA")])
    unknown = resolver.add("a2", [ent("e1", "ВВС", "ORG")])["e1"]
    also_american = resolver.add("a3", [ent("e1", "ВВС", "ORG", country="USA")])["e1"]
    duma = resolver.add("a4", [ent("e1", "Госдума РФ", "ORG", country="RUS")])["e1"]
    bare_duma = resolver.add("a5", [ent("e1", "Госдума", "ORG", country="RUS")])["e1"]
    assert unknown != american["e1"] and also_american == american["e1"]
    assert bare_duma == duma


def test_an_english_article_does_not_keep_a_latin_name_apart():
    resolver = EntityResolver()
    first = resolver.add("a1", [ent("e1", "The Washington Post", "ORG")])
    second = resolver.add("a2", [ent("e1", "Washington Post", "ORG")])
    assert first["e1"] == second["e1"]
    other = resolver.add("a3", [ent("e1", "Theatre Royal", "ORG")])
    assert other["e1"] != first["e1"]
