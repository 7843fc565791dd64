"""Entities: in-document coreference and normalised names, through the real pipeline."""

from conftest import shared_path

import letopis


def holding(doc, surface: str):
    """The entity whose mentions include one with exactly this text."""
    found = [e for e in doc.entities if any(m.text == surface for m in e.mentions)]
    assert len(found) == 1, f"{surface}: {[(e.name, [m.text for m in e.mentions]) for e in found]}"
    return found[0]


def test_surname_full_name_and_inflected_forms_corefer(analyze):
    doc = analyze(
        "В Астане Токаев провёл совещание. Президент Касым-Жомарт Токаев потребовал навести "
        "порядок. Министры встретились с Касым-Жомартом Токаевым, а затем сторонники Токаева "
        "вышли на площадь."
    )
    tokayev = holding(doc, "Касым-Жомартом Токаевым")
    assert tokayev.type == "PER"
    assert tokayev.name == "Касым-Жомарт Токаев"
    mentions = {m.text for m in tokayev.mentions}
    assert {"Токаев", "Касым-Жомарт Токаев", "Токаева"} <= mentions
    assert len([e for e in doc.entities if e.type == "PER"]) == 1


def test_initials_join_the_full_name(analyze):
    doc = analyze(
        "В. В. Путин подписал указ. Позже Владимир Путин выступил с обращением, "
        "а В. Путин ответил на вопросы журналистов."
    )
    putin = holding(doc, "Владимир Путин")
    assert putin.name == "Владимир Путин"
    assert {m.text for m in putin.mentions} == {"В. В. Путин", "Владимир Путин", "В. Путин"}


def test_same_surname_different_first_names_stay_apart(analyze):
    doc = analyze(
        "Андрей Иванов и Сергей Иванов встретились в Москве. Сергей Иванов сообщил о встрече."
    )
    people = [e for e in doc.entities if e.type == "PER"]
    assert sorted(e.name for e in people) == ["Андрей Иванов", "Сергей Иванов"]
    sergey = next(e for e in people if e.name == "Сергей Иванов")
    assert len(sergey.mentions) == 2


def test_abbreviation_defined_in_text_joins_its_full_name(analyze):
    doc = analyze(
        "Ассоциация независимых фермеров (АНФ) провела съезд в Твери. Делегаты АНФ избрали "
        "нового председателя."
    )
    orgs = [e for e in doc.entities if e.type == "ORG"]
    anf = [e for e in orgs if any("АНФ" in m.text for m in e.mentions)]
    assert len(anf) == 1
    assert anf[0].name == "АНФ"
    assert any(m.text.startswith("Ассоциация") for m in anf[0].mentions)


def test_full_igo_name_and_abbreviation_are_one_igo(analyze):
    doc = analyze(
        "Организация Договора о коллективной безопасности направила миротворцев. "
        "Позже в ОДКБ заявили, что миротворцы ОДКБ вернутся домой."
    )
    csto = holding(doc, "ОДКБ")
    assert csto.type == "ORG"
    assert (csto.country, csto.sector) == ("IGO", "IGO")
    assert len(csto.mentions) == 3


def test_known_alias_of_an_igo(analyze):
    doc = analyze("Евросоюз ввёл новые санкции. В ЕС заявили, что санкции продлятся год.")
    eu = holding(doc, "Евросоюз")
    assert eu.name == "ЕС"
    assert {m.text for m in eu.mentions} == {"Евросоюз", "ЕС"}


def test_country_names_and_abbreviations_are_one_place(analyze):
    doc = analyze(
        "Делегация России прибыла в Женеву. Представители РФ заявили, что Россия готова "
        "к переговорам."
    )
    russia = holding(doc, "России")
    assert russia.type == "LOC"
    assert russia.name == "Россия"
    assert russia.country == "RUS"
    assert {m.text for m in russia.mentions} >= {"России", "Россия"}


def test_ids_follow_first_mentions_and_every_span_points_to_its_entity(analyze):
    doc = analyze(
        "Эммануэль Макрон позвонил Олафу Шольцу. Макрон и Шольц обсудили ситуацию на Украине."
    )
    assert [e.id for e in doc.entities] == [f"e{i}" for i in range(1, len(doc.entities) + 1)]
    firsts = [min(m.start for m in e.mentions) for e in doc.entities]
    assert firsts == sorted(firsts)
    by_id = {e.id: e for e in doc.entities}
    for span in doc.spans:
        entity = by_id[span.entity]
        assert (span.start, span.end) in {(m.start, m.end) for m in entity.mentions}
    assert holding(doc, "Макрон").name == "Эммануэль Макрон"
    assert holding(doc, "Шольц").name == "Олаф Шольц"


def test_sample_article_people_and_csto():
    path = shared_path("samples/kazakhstan-csto-withdrawal.txt")
    text = path.read_text(encoding="utf-8").strip()
    doc = letopis.Pipeline(["nlp", "mentions", "entities"]).process(
        letopis.Article(id="sample", text=text)
    )
    tokayev = [e for e in doc.entities if e.name == "Касым-Жомарт Токаев"]
    assert len(tokayev) == 1
    starts = {i for i in range(len(text)) if text.startswith("Токаев", i)}
    assert starts == {m.start + m.text.index("Токаев") for m in tokayev[0].mentions}
    assert [e.name for e in doc.entities if e.name.endswith("Путин")] == ["Владимир Путин"]
    csto = [e for e in doc.entities if any(m.text == "ОДКБ" for m in e.mentions)]
    assert len(csto) == 1 and csto[0].country == "IGO"
    assert sum(m.text == "ОДКБ" for m in csto[0].mentions) == text.count("ОДКБ")


def test_names_are_put_in_the_nominative(analyze):
    doc = analyze("Премьер позвонил Олафу Шольцу, а затем встретился с Джулией Гиллард.")
    names = {e.name for e in doc.entities if e.type == "PER"}
    assert {"Олаф Шольц", "Джулия Гиллард"} <= names


def test_a_bare_surname_does_not_join_a_person_of_the_other_gender(analyze):
    doc = analyze("Юлия Навальная выступила в Берлине. Навальный провёл три года в колонии.")
    julia = holding(doc, "Юлия Навальная")
    assert {m.text for m in julia.mentions} == {"Юлия Навальная"}


def test_different_middle_names_stay_apart(analyze):
    doc = analyze(
        "Эмир Тамим бен Хамад Аль Тани принял посла. Ранее Хамад бен Джасем Аль Тани посетил Доху."
    )
    people = [e for e in doc.entities if e.type == "PER"]
    assert len(people) == 2
    assert any("бен Хамад" in e.name for e in people)


def test_a_bracketed_abbreviation_must_start_like_its_name(analyze):
    doc = analyze(
        "Агентство стратегических инициатив (АСИ) и Минобороны Украины (ГУР) выступили "
        "с заявлениями. Позже АСИ и ГУР их уточнили."
    )
    asi = holding(doc, "Агентство стратегических инициатив")
    assert asi.name == "АСИ"
    assert not any(
        m.text == "ГУР" for e in doc.entities if "Минобороны" in e.name for m in e.mentions
    )


def test_first_name_and_patronymic_refer_to_the_full_name(analyze):
    doc = analyze(
        "Поэт Виктор Альфредович Куллэ выступил в Москве. Виктора Альфредовича поддержали коллеги."
    )
    poet = holding(doc, "Виктор Альфредович Куллэ")
    assert poet.name == "Виктор Куллэ"
    assert "Виктора Альфредовича" in {m.text for m in poet.mentions}


def test_a_surname_with_a_patronymic_form_is_a_surname(analyze):
    doc = analyze("Роман Абрамович продал клуб. Позже Абрамович уехал из Лондона.")
    owner = holding(doc, "Роман Абрамович")
    assert owner.name == "Роман Абрамович"
    assert "Абрамович" in {m.text for m in owner.mentions}


def test_a_name_spelt_out_in_brackets_is_a_mention_of_the_person(analyze):
    doc = analyze("Генпрокурор штата Ракель Додж (Raquel Dodge) подала в отставку. Додж ушла.")
    [person] = [e for e in doc.entities if e.type == "PER"]
    assert person.name == "Ракель Додж"
    assert {"Raquel Dodge", "Додж"} <= {m.text for m in person.mentions}


def test_a_title_the_name_span_took_in_is_left_out_of_the_name(analyze):
    doc = analyze(
        "Компанию наказали за японскую актрису\nАктриса Сола Аой на кинофестивале в Токио, "
        "2015 год\nСола Аой начинала карьеру в кино."
    )
    [person] = [e for e in doc.entities if e.type == "PER"]
    assert person.name == "Сола Аой"


def test_every_mention_carries_its_own_nominative(analyze):
    doc = analyze("Путин встретился с Касым-Жомартом Токаевым. Токаева поддержали в Британии.")
    normals = {m.text: m.normal for e in doc.entities for m in e.mentions}
    assert normals["Касым-Жомартом Токаевым"] == "Касым-Жомарт Токаев"
    assert normals["Токаева"] == "Токаев"
    assert normals["Британии"] == "Британия"
    assert all(m.normal for place in doc.places for m in place.mentions)


def test_names_in_ia_decline_like_feminine_nouns(analyze):
    doc = analyze("Парламент принял отставку президента Абхазии Аслана Бжании.")
    assert "Аслан Бжания" in {e.name for e in doc.entities if e.type == "PER"}


def test_a_lone_surname_that_is_also_a_given_name_joins_the_full_name(analyze):
    doc = analyze(
        "Премьер Великобритании Борис Джонсон посетил Киев. Джонсон заявил, что Лондон "
        "поддержит Украину. Позже Джонсона принял Владимир Зеленский."
    )
    johnson = holding(doc, "Борис Джонсон")
    assert {m.text for m in johnson.mentions} == {"Борис Джонсон", "Джонсон", "Джонсона"}
    assert johnson.name == "Борис Джонсон"


def test_a_lone_surname_of_two_full_names_joins_neither(analyze):
    doc = analyze(
        "Али Абдалла Салех встретился с Тареком Салехом. Салех заявил, что переговоры продолжатся."
    )
    lone = holding(doc, "Салех")
    assert [m.text for m in lone.mentions] == ["Салех"]
    assert lone.name == "Салех"


def test_a_shortened_double_name_and_a_leading_particle_join_the_full_name(analyze):
    doc = analyze(
        "Президент Бразилии Луис Инасиу Лула да Силва прибыл в Москву. Лула да Силва "
        "встретился с министром. Да Силва заявил, что Бразилия поддерживает переговоры. "
        "Бывший генсек ООН Хавьер Перес де Куэльяр умер. Перес де Куэльяр руководил ООН."
    )
    lula = holding(doc, "Луис Инасиу Лула да Силва")
    assert {m.text for m in lula.mentions} >= {"Лула да Силва", "Да Силва"}
    perez = holding(doc, "Хавьер Перес де Куэльяр")
    assert "Перес де Куэльяр" in {m.text for m in perez.mentions}


def test_a_first_name_that_is_no_middle_name_of_the_other_stays_apart(analyze):
    doc = analyze("Хавьер Перес де Куэльяр встретился с Карлосом Пересом де Куэльяром.")
    assert holding(doc, "Хавьер Перес де Куэльяр") is not holding(
        doc, "Карлосом Пересом де Куэльяром"
    )
