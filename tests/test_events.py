"""The event coder on sentences written for these tests: one construction each."""

from __future__ import annotations

import pytest

from letopis.extract.events import to_plover
from letopis.extract.events.lexicon import EVENT_TYPES, load_lexicon
from letopis.extract.events.tree import Tree
from letopis.extract.events.triggers import find_triggers
from letopis.ingest.article import Article
from letopis.pipeline import Pipeline
from letopis.record import Event
from tests.conftest import rules_pipeline


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return rules_pipeline()


def events(pipeline: Pipeline, text: str) -> list[Event]:
    record = pipeline.analyze(Article(id="t", text=text, published="2024-03-10"))
    return record.events


def one(found: list[Event], event_type: str) -> Event:
    matching = [e for e in found if e.type == event_type]
    assert len(matching) == 1, [(e.type, e.trigger.text) for e in found]
    return matching[0]


def names(args) -> list[str]:
    return [a.name.casefold() for a in args]


def test_lexicon_covers_all_sixteen_types():
    lexicon = load_lexicon()
    covered = {entry.type for entries in lexicon.triggers.values() for entry in entries}
    assert covered == set(EVENT_TYPES)


def test_subject_and_object(pipeline):
    event = one(events(pipeline, "Полиция задержала двадцать демонстрантов."), "COERCE")
    assert names(event.actors) == ["полиция"]
    assert names(event.recipients) == ["демонстранты"]
    assert event.status == "reported"
    assert event.trigger.text == "задержала"


def test_passive_subject_is_recipient(pipeline):
    event = one(
        events(pipeline, "Во время беспорядков несколько полицейских были избиты."), "ASSAULT"
    )
    assert event.actors == []
    assert names(event.recipients) == ["полицейские"]


def test_nominal_event_with_genitive_agent(pipeline):
    event = one(events(pipeline, "Нападение боевиков на блокпост произошло ночью."), "ASSAULT")
    assert names(event.actors) == ["боевики"]
    assert names(event.recipients) == ["блокпост"]


def test_nominal_withdrawal_takes_the_armed_body_as_actor(pipeline):
    event = one(events(pipeline, "Начался вывод российских войск из Сирии."), "RETREAT")
    assert "российских" in event.actors[0].text
    assert event.actors[0].country == "RUS"


def test_coordinated_subjects_are_both_actors(pipeline):
    event = one(events(pipeline, "Макрон и Шольц обсудили ситуацию на Украине."), "CONSULT")
    assert set(names(event.actors)) == {"макрон", "шольц"}


def test_participial_clause(pipeline):
    found = events(pipeline, "Полицейские, задержавшие активистов, отказались от комментариев.")
    event = one(found, "COERCE")
    assert names(event.actors) == ["полицейские"]
    assert names(event.recipients) == ["активисты"]


def test_relative_clause(pipeline):
    event = one(events(pipeline, "Боевики, которые атаковали город, отступили в горы."), "ASSAULT")
    assert names(event.actors) == ["боевики"]


def test_reported_speech_codes_the_inner_event_with_its_source(pipeline):
    found = events(
        pipeline, "Министр обороны Сергей Шойгу заявил, что украинские военные обстреляли Донецк."
    )
    assert [e.type for e in found] == ["ASSAULT"]
    event = found[0]
    assert "украинские военные" in event.actors[0].text
    assert event.actors[0].country == "UKR"
    assert names(event.recipients) == ["донецк"]
    assert event.source is not None and "шойгу" in event.source.name.casefold()


def test_negation(pipeline):
    event = one(events(pipeline, "Полиция не задержала участников акции."), "COERCE")
    assert event.status == "negated"


def test_negation_does_not_reach_a_nominal_under_the_object(pipeline):
    event = one(events(pipeline, "Полиция не задержала участников акции."), "PROTEST")
    assert event.status == "reported"


def test_future(pipeline):
    event = one(events(pipeline, "Россия начнет вывод войск из Сирии в марте."), "RETREAT")
    assert event.status == "future"


def test_hypothetical(pipeline):
    event = one(events(pipeline, "Израиль может нанести удар по Ливану."), "ASSAULT")
    assert event.status == "hypothetical"
    assert names(event.actors) == ["израиль"]
    assert names(event.recipients) == ["ливан"]


def test_refusal_is_reject_not_a_negated_meeting(pipeline):
    found = events(pipeline, "Президент Франции отказался от встречи с лидером оппозиции.")
    assert [e.type for e in found] == ["REJECT"]


def test_opinion_poll_is_no_event(pipeline):
    assert events(pipeline, "Большинство россиян не поддерживает повышение налогов.") == []


def test_statistics_are_no_event(pipeline):
    assert events(pipeline, "Цены на нефть выросли на три процента за неделю.") == []


def test_place_and_date_from_the_clause(pipeline):
    event = one(events(pipeline, "5 марта в Тбилиси полиция задержала 20 демонстрантов."), "COERCE")
    assert event.place is not None and event.place.name == "Тбилиси"
    assert event.date == "2024-03-05"


def test_place_and_date_fall_back_to_the_paragraph(pipeline):
    found = events(
        pipeline, "В Минске 3 мая прошла акция протеста. Полиция задержала десятки участников."
    )
    event = one(found, "COERCE")
    assert event.place is not None and event.place.name == "Минск"
    assert event.date == "2024-05-03"


def test_title_and_body_mentions_merge(pipeline):
    text = (
        "Полиция задержала журналиста Ивана Иванова\n"
        "В Москве полиция задержала журналиста Ивана Иванова во время акции протеста."
    )
    event = one(events(pipeline, text), "COERCE")
    assert len(event.mentions) == 2
    first, second = event.mentions
    assert first.sentence_end <= text.index("\n") < second.sentence_start


def test_different_actors_do_not_merge(pipeline):
    found = events(
        pipeline,
        "Полиция задержала Ивана Иванова. Армия атаковала город. ФСБ задержала Петра Петрова.",
    )
    assert len([e for e in found if e.type == "COERCE"]) == 2


def test_evidence_offsets_point_into_the_text(pipeline):
    text = "Митингующие перекрыли дорогу к аэропорту."
    event = one(events(pipeline, text), "PROTEST")
    assert text[event.trigger.start : event.trigger.end] == event.trigger.text
    mention = event.mentions[0]
    assert text[mention.sentence_start : mention.sentence_end] == text
    for arg in event.actors + event.recipients:
        assert text[arg.start : arg.end] == arg.text


def test_plover_export_maps_future_and_drops_negated():
    record = {
        "id": "d",
        "published": "2024-03-10",
        "events": [
            {
                "id": "v1",
                "type": "RETREAT",
                "status": "future",
                "confidence": 0.9,
                "actors": [],
                "recipients": [],
                "mode": ["withdraw"],
            },
            {
                "id": "v2",
                "type": "CONSULT",
                "status": "future",
                "confidence": 0.9,
                "actors": [],
                "recipients": [],
                "mode": [],
            },
            {
                "id": "v3",
                "type": "COERCE",
                "status": "negated",
                "confidence": 0.9,
                "actors": [],
                "recipients": [],
                "mode": [],
            },
            {
                "id": "v4",
                "type": "ASSAULT",
                "status": "reported",
                "confidence": 0.3,
                "actors": [],
                "recipients": [],
                "mode": [],
            },
        ],
    }
    strict = to_plover(record)
    assert [e["event_type"] for e in strict["events"]] == ["CONCEDE", "AGREE", "ASSAULT"]
    assert [e["event_type"] for e in to_plover(record, min_confidence=0.5)["events"]] == [
        "CONCEDE",
        "AGREE",
    ]


# Senses of trigger words that are not political events (codebook §1).
@pytest.mark.parametrize(
    "text",
    [
        "Нападающий нанес удар по воротам, но вратарь отбил мяч.",
        "Хозяева провели опасную атаку в конце первого тайма матча.",
        "Клуб подал протест на результат матча чемпионата.",
        "Циклон нанес удар по Приморью.",
        "Санкции нанесли удар по экономике страны.",
        "В Госдуме хотят запретить продажу сигарет подросткам в киосках.",
        "Это запрещённые вещества.",
        "Компания перестала поддерживать старые серверы.",
        "Его призвали в прошлом месяце и отправили на фронт.",
        "Генпрокуратура сообщила, что за год возбуждено свыше 4 тысяч уголовных дел.",
        "В беседе с журналистами министр рассказал о своих планах.",
        "Эмир выступит с обращением к народу.",
        "Представитель компании отказался от комментариев.",
        "Двое мужчин пытались похитить металлическую конструкцию.",
        "Им может грозить лишение свободы до трёх лет.",
    ],
)
def test_other_senses_are_no_event(pipeline, text):
    assert [(e.type, e.trigger.text) for e in events(pipeline, text)] == []


def test_participle_as_adjective_is_no_ban(pipeline):
    found = events(pipeline, "У сторонников запрещённого ИГ изъяли тонну селитры.")
    assert [e.type for e in found] == ["COERCE"]
    assert found[0].trigger.text == "изъяли"


def test_ban_on_people_or_political_life_is_coercion(pipeline):
    assert one(events(pipeline, "Власти запретили митинг оппозиции."), "COERCE")
    assert one(events(pipeline, "Иностранцам запретят заключать браки."), "COERCE")


def test_military_strike_and_appeal_still_coded(pipeline):
    strike = one(events(pipeline, "Российские войска нанесли удар по Харькову."), "ASSAULT")
    assert names(strike.recipients) == ["харьков"]
    appeal = one(events(pipeline, "Лавров призвал США прекратить поставки оружия."), "REQUEST")
    assert [n for n in names(appeal.actors) if "лавров" in n] == names(appeal.actors) != []


def test_court_sentence_is_sanction_not_criticism(pipeline):
    found = events(pipeline, "Его осудили по статье 228 УК РФ на три года лишения свободы.")
    assert [e.type for e in found] == ["SANCTION"]
    assert one(events(pipeline, "Запад осудил удары по Киеву."), "ACCUSE")


def test_court_fine_is_sanction_not_appointment(pipeline):
    found = events(pipeline, "Решением суда мужчине назначен штраф в размере 15 тысяч рублей.")
    assert "SUPPORT" not in [e.type for e in found]


def test_hacker_attack_is_cyber_coercion(pipeline):
    event = one(events(pipeline, "Хакеры атаковали сайт министерства."), "COERCE")
    assert event.mode == ["cyber"]


def test_permission_to_strike_is_not_a_strike(pipeline):
    found = events(pipeline, "Украина имеет право наносить удары по территории России.")
    assert all(e.status != "reported" for e in found if e.type == "ASSAULT")


def test_hope_is_no_actor(pipeline):
    text = "Президент Палестины выразил надежду, что сможет нанести визит в Москву."
    for event in events(pipeline, text):
        assert "надежда" not in names(event.actors)


def test_object_pronoun_is_not_the_subject(pipeline):
    text = "Самедова задержали в июне. Раньше Дана Борисова обвиняла его в торговле наркотиками."
    accuse = one(events(pipeline, text), "ACCUSE")
    assert names(accuse.actors) == ["дана борисова"]
    assert "дана борисова" not in names(accuse.recipients)


def test_poll_answers_are_no_event(pipeline):
    text = "На Украине 64% граждан поддерживают начало переговоров с Россией."
    assert events(pipeline, text) == []


def test_sport_context_does_not_hide_violence_against_police(pipeline):
    event = one(events(pipeline, "Болельщики напали на полицейских после матча."), "ASSAULT")
    assert names(event.recipients) == ["полицейские"]


def test_ceasefire_under_talks_is_not_reported(pipeline):
    found = events(pipeline, "Путин готов обсуждать прекращение огня с Трампом.")
    assert [e.status for e in found if e.type == "RETREAT"] == ["future"]


def test_metaphoric_mobilisation_is_no_event(pipeline):
    assert events(pipeline, "США мобилизовали огромные экономические ресурсы.") == []


def test_nouns_in_ost_are_not_taken_for_participles(pipeline):
    lexicon = load_lexicon()
    doc = pipeline.process(
        Article(id="t", text="Стороны выполнили договоренность. Запрещённые вещества изъяты.")
    )
    hits = [
        hit.token.lemma for hit in find_triggers(Tree(doc, frozenset(lexicon.triggers)), lexicon)
    ]
    assert "договоренность" in hits
    assert "запретить" not in hits


# Recipients that hang on the noun of a multi-word trigger, not on its verb.
@pytest.mark.parametrize(
    ("text", "event_type", "recipient"),
    [
        ("Власти пошли на уступки демонстрантам.", "CONCEDE", "демонстранты"),
        ("Евросоюз решил оказать помощь Украине.", "AID", "украина"),
        ("Лидеры стран выразили поддержку Токаеву.", "SUPPORT", "токаев"),
        ("Прокуратура предъявила обвинения бывшему министру.", "ACCUSE", "министр"),
        ("Суд вынес приговор бывшему мэру.", "SANCTION", "мэр"),
        ("Совбез ООН ввел санкции в отношении КНДР.", "SANCTION", "кндр"),
        ("Все обвинения против журналиста сняты.", "RETREAT", "журналисты"),
    ],
)
def test_recipient_of_a_light_verb_noun(pipeline, text, event_type, recipient):
    event = one(events(pipeline, text), event_type)
    assert names(event.recipients) == [recipient]
    assert event.recipients[0].text.lower() in text.lower()


def test_demand_noun_takes_the_subject_of_its_verb(pipeline):
    event = one(events(pipeline, "Профсоюз выдвинул требования к правительству."), "REQUEST")
    assert names(event.actors) == ["профсоюз"]
    assert names(event.recipients) == ["правительство"]


def test_things_and_ideas_are_no_recipients(pipeline):
    event = one(events(pipeline, "Министр поддержал идею строительства нового закона."), "SUPPORT")
    assert event.recipients == []


def test_seized_things_are_no_recipients_but_their_owners_are(pipeline):
    event = one(events(pipeline, "Полиция изъяла у задержанных оружие и деньги."), "COERCE")
    assert names(event.recipients) == ["задержанные"]


def test_a_targeted_thing_stands_for_its_owner(pipeline):
    event = one(events(pipeline, "Авиация нанесла удары по технике террористов."), "ASSAULT")
    assert names(event.recipients) == ["террористы"]


def test_common_noun_names_are_nominative_in_the_written_number(pipeline):
    event = one(
        events(pipeline, "Врачи помогли раненым и поблагодарили всех работающих."), "SUPPORT"
    )
    assert names(event.actors) == ["врачи"]
    assert names(event.recipients) == ["работающие"]


def test_main_clause_conjunct_does_not_take_the_subordinate_subject(pipeline):
    text = (
        "Когда власти пошли на уступки демонстрантам, протесты в столице разгорелись с новой "
        "силой и переросли в массовые беспорядки."
    )
    found = events(pipeline, text)
    assert names(one(found, "CONCEDE").actors) == ["власти"]
    assert "власти" not in names(one(found, "PROTEST").actors)


def test_conjunct_after_a_subordinate_clause_takes_the_main_subject(pipeline):
    text = "После того как армия обстреляла город, повстанцы отступили и атаковали блокпост."
    attacks = [e for e in events(pipeline, text) if e.type == "ASSAULT"]
    by_trigger = {e.trigger.text: names(e.actors) for e in attacks}
    assert by_trigger == {"обстреляла": ["армия"], "атаковали": ["повстанцы"]}


def test_conjuncts_inside_a_subordinate_clause_share_its_subject(pipeline):
    text = "Когда полиция задержала активистов и избила журналистов, жители вышли на улицы."
    event = one(events(pipeline, text), "ASSAULT")
    assert names(event.actors) == ["полиция"]
    assert names(event.recipients) == ["журналисты"]


def test_conjunct_with_its_own_subject_inherits_no_actor(pipeline):
    text = "Погиб афганский солдат, несколько других были ранены."
    event = one(events(pipeline, text), "ASSAULT")
    assert event.actors == []
    assert names(event.recipients) == ["другие"]


def test_object_control_verb_hands_its_object_the_infinitive(pipeline):
    event = one(events(pipeline, "Министр уговорил фермеров прекратить протесты."), "PROTEST")
    assert names(event.actors) == ["фермеры"]


def test_object_control_participle_hands_its_dative_the_infinitive(pipeline):
    text = "Парламент принял закон, позволяющий полиции задерживать участников акций."
    event = one(events(pipeline, text), "COERCE")
    assert names(event.actors) == ["полиция"]


def test_meeting_that_sets_the_scene_has_the_subject_in_it(pipeline):
    text = "Премьер-министр Армении во время встречи с канцлером Германии заявил о новых планах."
    event = one(events(pipeline, text), "CONSULT")
    assert names(event.actors) == ["премьер-министр"]
    assert names(event.recipients) == ["канцлер"]


def test_visit_in_an_oblique_has_the_subject_in_it(pipeline):
    event = one(events(pipeline, "Министр прилетел в Пекин с официальным визитом."), "CONSULT")
    assert names(event.actors) == ["министр"]


def test_meeting_as_a_topic_gets_no_attendee(pipeline):
    event = one(events(pipeline, "Эксперты спорят о переговорах с Ираном."), "CONSULT")
    assert "эксперты" not in names(event.actors)


def test_agent_of_a_passive_participle(pipeline):
    text = "Кандидат, поддержанный губернатором области, победил на выборах."
    event = one(events(pipeline, text), "SUPPORT")
    assert names(event.actors) == ["губернатор"]


def test_speaker_before_a_colon_is_no_actor(pipeline):
    text = "Губернатор Иванов: массовое убийство в школе устроил ученик."
    event = one(events(pipeline, text), "ASSAULT")
    assert names(event.actors) == ["ученик"]


def test_imperfective_giving_verb_lends_its_subject(pipeline):
    event = one(events(pipeline, "Германия выделяет гуманитарную помощь Судану."), "AID")
    assert names(event.actors) == ["германия"]
    assert names(event.recipients) == ["судан"]


def test_colon_inside_a_link_leaves_the_subject_the_actor(pipeline):
    text = "Полиция, по данным сайта https://news.ru/a, задержала активистов."
    event = one(events(pipeline, text), "COERCE")
    assert names(event.actors) == ["полиция"]


def test_plural_verb_takes_a_singular_noun_before_it_as_its_object(pipeline):
    event = one(events(pipeline, "Мать активиста Ивана Петрова задержали в Москве."), "COERCE")
    assert [a.name for a in event.actors if a.text] == []
    assert "мать" in names(event.recipients)


def test_a_plural_subject_of_a_plural_verb_stays_the_actor(pipeline):
    event = one(events(pipeline, "Полицейские задержали мать блогера."), "COERCE")
    assert names(event.actors) == ["полицейские"]


def test_pronoun_takes_the_person_of_its_gender(pipeline):
    text = "Людмила Касьян и Валерий Щесных пришли в суд. Он обвинил полицию в бездействии."
    event = one(events(pipeline, text), "ACCUSE")
    assert names(event.actors) == ["валерий щесных"]


def test_pronoun_with_no_person_named_takes_a_person_noun_of_its_gender(pipeline):
    text = "Пьяная женщина ворвалась в кафе на Арбате. Она избила охранника."
    event = one(events(pipeline, text), "ASSAULT")
    assert names(event.actors) == ["женщина"]


def test_imperfective_of_a_listed_perfective_is_a_trigger(pipeline):
    text = "Полицейские оттесняют митингующих от здания парламента."
    event = one(events(pipeline, text), "COERCE")
    assert names(event.recipients) == ["митингующие"]


def test_a_condition_names_both_aspects(pipeline):
    found = events(pipeline, "Депутаты выражают протест против нового закона.")
    assert "PROTEST" not in [e.type for e in found]


def test_coordinated_acts_do_not_embed_each_other(pipeline):
    text = "Родственники журналистки выразили протест и призвали суд отменить приговор."
    found = events(pipeline, text)
    assert {"ACCUSE", "REQUEST"} <= {e.type for e in found}


def test_a_gerund_takes_the_subject_of_its_main_verb(pipeline):
    text = "Хуситы убили бывшего президента, обвинив его в предательстве."
    event = one(events(pipeline, text), "ACCUSE")
    assert names(event.actors) == ["хуситы"]


def test_a_quantity_adverb_subject_stands_for_its_noun(pipeline):
    event = one(events(pipeline, "Более 300 человек вышли на акцию протеста."), "PROTEST")
    assert [a.text for a in event.actors] == ["300 человек"]


def test_a_town_in_the_genitive_is_the_target_not_the_attacker(pipeline):
    event = one(events(pipeline, "Обстрел Харькова продолжался всю ночь."), "ASSAULT")
    assert event.actors == []
    assert names(event.recipients) == ["харьков"]


def test_light_verbs_name_both_aspects(pipeline):
    text = "Российская авиация принимает участие в бомбардировках Алеппо."
    event = one(events(pipeline, text), "ASSAULT")
    assert names(event.actors) == ["авиация"]


def test_the_sides_between_whom_an_event_happens_are_its_actors(pipeline):
    text = "Столкновения между хуситами и силами Салеха начались на прошлой неделе."
    event = one(events(pipeline, text), "ASSAULT")
    assert names(event.actors) == ["хуситы", "салех"]


def test_a_place_in_the_locative_is_no_recipient(pipeline):
    text = "Переговоры между Россией и Украиной прошли в Стамбуле."
    event = one(events(pipeline, text), "CONSULT")
    assert names(event.actors) == ["россия", "украина"]
    assert event.recipients == []


def test_the_sides_told_again_are_the_same_meeting(pipeline):
    text = "Путин провел телефонный разговор с Токаевым. Стороны обсудили ситуацию в Казахстане."
    event = one(events(pipeline, text), "CONSULT")
    assert names(event.actors + event.recipients) == ["путин", "токаев"]
    assert len(event.mentions) == 2


@pytest.mark.parametrize(
    ("text", "event_type"),
    [
        ("Протестующие заблокировали дорогу к аэропорту.", "PROTEST"),
        ("Полиция блокирует подходы к зданию суда.", "COERCE"),
        ("Силовики перекрыли улицу у здания парламента.", "COERCE"),
        ("Венгрия заблокировала новый пакет санкций ЕС.", "REJECT"),
    ],
)
def test_blocking_is_read_by_who_blocks_what(pipeline, text, event_type):
    found = [
        e.type for e in events(pipeline, text) if e.trigger.text.startswith(("за", "бл", "пе"))
    ]
    assert found == [event_type]


def test_informing_is_no_consultation(pipeline):
    assert events(pipeline, "Глава МИД проинформировал коллегу о ситуации.") == []


def test_an_acquittal_sanctions_no_one(pipeline):
    assert events(pipeline, "Суд вынес оправдательный приговор журналисту.") == []
    verdict = one(events(pipeline, "Суд вынес обвинительный приговор журналисту."), "SANCTION")
    assert names(verdict.actors) == ["суд"]


@pytest.mark.parametrize(
    ("text", "actor", "recipient"),
    [
        ("Неизвестные стреляли в машину чиновника.", ["неизвестные"], []),
        ("Охранник ресторана проломил череп посетителю.", ["охранник"], ["посетитель"]),
    ],
)
def test_shooting_and_bodily_harm_are_assaults(pipeline, text, actor, recipient):
    event = one(events(pipeline, text), "ASSAULT")
    assert names(event.actors) == actor
    assert names(event.recipients) == recipient
