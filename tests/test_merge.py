from letopis.corpus.merge import EventMerger, resolve_day
from letopis.record import Argument, Event, EventMention, Place, Record, Trigger

MOSCOW = Place("Москва", 524901, 55.75, 37.62, "RUS", [], feature="city")
RUSSIA = Place("Россия", 2017370, 60.0, 100.0, "RUS", [], feature="country")
ALMATY = Place("Алма-Ата", 1526384, 43.25, 76.91, "KAZ", [], feature="city")


def arg(name: str, entity: str | None = None) -> Argument:
    return Argument(entity, name, name, None, None, 0, len(name))


def event(
    event_id: str,
    type_: str,
    actors,
    recipients=(),
    place=None,
    date=None,
    status="reported",
    sentence=(0, 40),
) -> Event:
    return Event(
        event_id,
        type_,
        [],
        status,
        [arg(*a) for a in actors],
        [arg(*r) for r in recipients],
        place,
        date,
        Trigger("обсудили", 6, 14),
        [EventMention(sentence[0], sentence[1], 6, 14)],
        0.9,
    )


def record(
    article_id: str,
    events,
    source: str | None = None,
    published="2024-10-10",
    url: str | None = None,
) -> Record:
    return Record(article_id, None, published, source, url, "текст", events=list(events))


def test_same_meeting_from_three_outlets_is_one_corpus_event():
    merger = EventMerger()
    first = merger.add_record(
        record("a1", [event("v1", "CONSULT", [("Путин", "e1")], [("Токаев", "e2")])], "ТАСС"),
        {"e1": "PER:путин", "e2": "PER:токаев"},
    )
    # recipients and actors swapped: CONSULT is symmetric
    second = merger.add_record(
        record(
            "a2", [event("v1", "CONSULT", [("Токаев", "e5")], [("Путин", "e3")])], "РИА Новости"
        ),
        {"e3": "PER:путин", "e5": "PER:токаев"},
    )
    third = merger.add_record(
        record(
            "a3",
            [event("v7", "CONSULT", [("Путин", "e1"), ("Токаев", "e2")], sentence=(50, 90))],
            "ТАСС",
            "2024-10-11",
        ),
        {"e1": "PER:путин", "e2": "PER:токаев"},
    )
    assert first["v1"] == second["v1"] == third["v7"] == "a1/v1"
    merged = merger.get("a1/v1")
    assert (merged.mentions, merged.articles, merged.sources) == (3, 3, 2)
    assert [(r.article_id, r.sentence_start) for r in merged.refs] == [
        ("a1", 0),
        ("a2", 0),
        ("a3", 50),
    ]


def test_different_partner_or_type_or_status_stays_apart():
    merger = EventMerger()
    base = merger.add_event("a1", event("v1", "CONSULT", [("Путин",)], [("Токаев",)]))
    other_partner = merger.add_event("a2", event("v1", "CONSULT", [("Путин",)], [("Лукашенко",)]))
    other_type = merger.add_event("a3", event("v1", "ACCUSE", [("Путин",)], [("Токаев",)]))
    planned = merger.add_event(
        "a4", event("v1", "CONSULT", [("Путин",)], [("Токаев",)], status="future")
    )
    assert len({base, other_partner, other_type, planned}) == 4


def test_dates_outside_the_window_do_not_merge():
    merger = EventMerger()
    early = merger.add_event(
        "a1", event("v1", "ASSAULT", [("боевики",)], [("жители",)], date="2024-10-01")
    )
    late = merger.add_event(
        "a2", event("v1", "ASSAULT", [("боевики",)], [("жители",)], date="2024-10-09")
    )
    near = merger.add_event(
        "a3",
        event("v1", "ASSAULT", [("Боевики",)], [("жители",)], date="--10-02"),
        published="2024-10-03",
    )
    assert early != late
    assert near == early


def test_places_must_be_compatible():
    merger = EventMerger()
    moscow = merger.add_event("a1", event("v1", "PROTEST", [("жители",)], place=MOSCOW))
    in_russia = merger.add_event("a2", event("v1", "PROTEST", [("жители",)], place=RUSSIA))
    almaty = merger.add_event("a3", event("v1", "PROTEST", [("жители",)], place=ALMATY))
    assert in_russia == moscow
    assert almaty != moscow
    assert merger.get(moscow).place.name == "Москва"


def test_actor_only_mention_supports_full_event_and_no_participants_need_a_place():
    merger = EventMerger()
    full = merger.add_event("a1", event("v1", "SANCTION", [("США",)], [("Россия",)]))
    partial = merger.add_event("a2", event("v1", "SANCTION", [("США",)]))
    assert partial == full
    bare_1 = merger.add_event("a3", event("v1", "ASSAULT", [], place=MOSCOW))
    bare_2 = merger.add_event("a4", event("v1", "ASSAULT", [], place=MOSCOW))
    bare_3 = merger.add_event("a5", event("v1", "ASSAULT", []))
    assert bare_1 == bare_2 != bare_3


def test_re_adding_and_rebuilding_give_the_same_ids():
    records = [
        (record("a1", [event("v1", "AID", [("США",)], [("Украина",)])]), None),
        (
            record(
                "a2",
                [event("v3", "AID", [("США",)], [("Украина",)])],
                url="https://www.bbc.com/russian/x",
            ),
            None,
        ),
    ]
    merger = EventMerger.from_records(records)
    assert merger.add_record(records[1][0]) == {"v3": "a1/v1"}
    assert merger.get("a1/v1").mentions == 2
    assert {r.source for r in merger.get("a1/v1").refs} == {"article:a1", "bbc.com"}


def test_resolve_day():
    from datetime import date

    assert resolve_day("--01-06", date(2022, 1, 10)) == date(2022, 1, 6)
    assert resolve_day(None, date(2022, 1, 10)) == date(2022, 1, 10)
    assert resolve_day("2022-01", date(2022, 1, 10)) == date(2022, 1, 10)
    assert resolve_day("--01-06", None) is None


def test_every_two_mentions_fall_within_the_window_and_one_country():
    merger = EventMerger()
    first = merger.add_event(
        "a1", event("v1", "PROTEST", [("жители",)], date="2024-10-01", place=MOSCOW)
    )
    second = merger.add_event("a2", event("v1", "PROTEST", [("жители",)], date="2024-10-03"))
    # Within the window of the second but not of the first mention: a new event.
    third = merger.add_event("a3", event("v1", "PROTEST", [("жители",)], date="2024-10-05"))
    old_trial = merger.add_event(
        "a4", event("v1", "PROTEST", [("жители",)], date="2021"), published="2024-10-02"
    )
    abroad = merger.add_event(
        "a5", event("v1", "PROTEST", [("жители",)], date="2024-10-02", place=ALMATY)
    )
    assert second == first
    assert len({first, third, old_trial, abroad}) == 4
