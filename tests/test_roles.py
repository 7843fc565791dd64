"""Roles and actor codes, through the real pipeline."""

from conftest import shared_path

import letopis


def person(doc, name: str):
    found = [e for e in doc.entities if e.name == name]
    assert len(found) == 1, f"{name}: {[e.name for e in doc.entities]}"
    return found[0]


def roles(entity) -> set[tuple[str, str | None]]:
    return {(r.title, r.of) for r in entity.roles}


def test_title_before_the_name(analyze):
    doc = analyze("Президент Франции Эммануэль Макрон прибыл в Берлин.")
    macron = person(doc, "Эммануэль Макрон")
    assert roles(macron) == {("президент", "Франция")}
    assert (macron.country, macron.sector) == ("FRA", "GOV")
    role = macron.roles[0]
    assert doc.text[role.start : role.end] == "Президент Франции"


def test_title_in_the_genitive(analyze):
    doc = analyze("Парламент поддержал инициативу президента Казахстана Касым-Жомарта Токаева.")
    tokayev = person(doc, "Касым-Жомарт Токаев")
    assert ("президент", "Казахстан") in roles(tokayev)
    assert (tokayev.country, tokayev.sector) == ("KAZ", "GOV")


def test_head_of_a_national_institution(analyze):
    doc = analyze("Глава МИД Литвы Линас Линкявичюс выступил в Вильнюсе.")
    minister = person(doc, "Линас Линкявичюс")
    assert roles(minister) == {("глава МИД", "Литва")}
    assert (minister.country, minister.sector) == ("LTU", "GOV")


def test_title_with_genitive_complement(analyze):
    doc = analyze("Министр иностранных дел России Сергей Лавров провёл переговоры в Анкаре.")
    lavrov = person(doc, "Сергей Лавров")
    assert roles(lavrov) == {("министр иностранных дел", "Россия")}
    assert (lavrov.country, lavrov.sector) == ("RUS", "GOV")


def test_title_after_the_name(analyze):
    doc = analyze("Ильхам Алиев, президент Азербайджана, провёл встречу с делегацией.")
    aliyev = person(doc, "Ильхам Алиев")
    assert ("президент", "Азербайджан") in roles(aliyev)
    assert aliyev.country == "AZE"


def test_office_in_an_international_organisation(analyze):
    doc = analyze(
        "Премьер-министр Армении Никол Пашинян, занимающий должность председателя ОДКБ, "
        "выступил с заявлением."
    )
    pashinyan = person(doc, "Никол Пашинян")
    assert roles(pashinyan) == {("премьер-министр", "Армения"), ("председатель", "ОДКБ")}
    # the IGO office does not replace the person's country
    assert (pashinyan.country, pashinyan.sector) == ("ARM", "GOV")


def test_igo_office_alone_codes_igo(analyze):
    doc = analyze("Генеральный секретарь ООН Антониу Гутерриш призвал стороны к диалогу.")
    guterres = person(doc, "Антониу Гутерриш")
    assert roles(guterres) == {("генеральный секретарь", "ООН")}
    assert (guterres.country, guterres.sector) == ("IGO", "IGO")


def test_colleague_takes_country_from_adjective_and_sector_from_partner(analyze):
    doc = analyze(
        "Президент России Владимир Путин пообщался с казахским коллегой Касым-Жомартом Токаевым."
    )
    tokayev = person(doc, "Касым-Жомарт Токаев")
    assert roles(tokayev) == {("коллега", "Казахстан")}
    assert (tokayev.country, tokayev.sector) == ("KAZ", "GOV")
    putin = person(doc, "Владимир Путин")
    assert (putin.country, putin.sector) == ("RUS", "GOV")


def test_sector_from_the_title(analyze):
    doc = analyze("Депутат Госдумы Андрей Луговой внёс законопроект. Судья Ирина Петрова отказала.")
    assert person(doc, "Андрей Луговой").sector == "LEG"
    assert person(doc, "Ирина Петрова").sector == "JUD"


def test_national_institution_codes(analyze):
    doc = analyze(
        "МИД Норвегии вызвал посла. Российский МИД ответил. Вскоре Росгвардия усилила охрану."
    )
    norway = next(e for e in doc.entities if e.type == "ORG" and "Норвег" in e.name)
    assert (norway.country, norway.sector) == ("NOR", "GOV")
    guard = next(e for e in doc.entities if e.name == "Росгвардия")
    assert guard.sector == "COP"


def test_states_and_igos_as_actors(analyze):
    doc = analyze("Токаев поблагодарил Россию и НАТО за поддержку.")
    russia = next(e for e in doc.entities if e.name == "Россия")
    assert (russia.country, russia.sector) == ("RUS", "GOV")
    nato = next(e for e in doc.entities if e.name == "НАТО")
    assert (nato.type, nato.country, nato.sector) == ("ORG", "IGO", "IGO")


def test_partially_recognised_entity(analyze):
    doc = analyze("Власти Абхазии объявили о выборах. Президент Абхазии Аслан Бжания проголосовал.")
    abkhazia = next(e for e in doc.entities if e.name == "Абхазия")
    assert (abkhazia.country, abkhazia.sector) == ("GEO", "PRE")
    president = person(doc, "Аслан Бжания")
    assert roles(president) == {("президент", "Абхазия")}
    assert (president.country, president.sector) == ("GEO", "PRE")


def test_no_role_without_a_person(analyze):
    doc = analyze("Президент подписал указ о помиловании.")
    assert all(not e.roles for e in doc.entities)


def test_sample_article(pipeline):
    text = shared_path("samples/kazakhstan-csto-withdrawal.txt").read_text(encoding="utf-8")
    doc = pipeline.process(letopis.Article(id="sample", text=text.strip()))
    putin = person(doc, "Владимир Путин")
    assert (putin.country, putin.sector) == ("RUS", "GOV")
    assert ("президент", "Россия") in roles(putin)
    tokayev = person(doc, "Касым-Жомарт Токаев")
    assert (tokayev.country, tokayev.sector) == ("KAZ", "GOV")
    assert {("президент", "Казахстан"), ("коллега", "Казахстан")} <= roles(tokayev)
    pashinyan = person(doc, "Никол Пашинян")
    assert (pashinyan.country, pashinyan.sector) == ("ARM", "GOV")
    assert {("премьер-министр", "Армения"), ("председатель", "ОДКБ")} <= roles(pashinyan)
    csto = [e for e in doc.entities if any(m.text == "ОДКБ" for m in e.mentions)]
    assert len(csto) == 1 and (csto[0].type, csto[0].country) == ("ORG", "IGO")


def test_title_of_a_title(analyze):
    doc = analyze("Пресс-секретарь российского президента Дмитрий Песков ответил журналистам.")
    peskov = person(doc, "Дмитрий Песков")
    assert roles(peskov) == {("пресс-секретарь президента", "Россия")}
    assert (peskov.country, peskov.sector) == ("RUS", "GOV")


def test_person_in_the_genitive_is_the_of_not_the_holder(analyze):
    doc = analyze("Представитель Путина Иван Петров прибыл в Минск.")
    assert not person(doc, "Путин").roles
    assert roles(person(doc, "Иван Петров")) == {("представитель", "Путин")}


def test_symbols_glued_to_a_title(analyze):
    doc = analyze("❗️Губернатор Самарской области Вячеслав Федорищев обратился в прокуратуру.")
    governor = person(doc, "Вячеслав Федорищев")
    assert roles(governor) == {("губернатор", "Самарская область")}
    assert governor.sector == "GOV"


def test_institutions_that_belong_to_a_state(analyze):
    doc = analyze("Депутат Госдумы Андрей Луговой заявил, что ВСУ обстреляли Белгород.")
    deputy = person(doc, "Андрей Луговой")
    assert roles(deputy) == {("депутат", "Госдума")}
    assert (deputy.country, deputy.sector) == ("RUS", "LEG")
    army = next(e for e in doc.entities if e.name == "ВСУ")
    assert (army.country, army.sector) == ("UKR", "MIL")


def test_a_capitalised_title_word_inside_a_sentence_is_a_name(analyze):
    doc = analyze("Вчера депутат Госдумы Султан Хамзаев предложил восстановить памятник.")
    deputy = next(e for e in doc.entities if e.type == "PER")
    assert roles(deputy) == {("депутат", "Госдума")}


def test_office_in_a_region_or_city_takes_its_country(analyze):
    doc = analyze("Губернатор Самарской области Вячеслав Федорищев встретился с мэром Гданьска.")
    governor = person(doc, "Вячеслав Федорищев")
    assert roles(governor) == {("губернатор", "Самарская область")}
    assert (governor.country, governor.sector) == ("RUS", "GOV")


def test_a_title_ending_the_text(analyze):
    doc = analyze(
        "Эрдоган обсудил с Путиным ситуацию в Сирии, сообщили в канцелярии турецкого лидера"
    )
    assert all(not e.roles for e in doc.entities)
