from letopis.corpus.dedup import EMPTY_HASH, DuplicateIndex, content_hash
from letopis.corpus.text import normalise

STORY = (
    "Госдума приняла в первом чтении законопроект о штрафах за пропаганду отказа от "
    "деторождения, сообщили в пресс-службе нижней палаты парламента в среду вечером."
)


def test_normalise_removes_markup_boilerplate_and_emoji():
    text = (
        "❗️ **Госдума** приняла [закон](https://t.me/x/1) — ТАСС.\n\n"
        "🔴 [Подписаться](https://t.me/moscowtoplive) | [Прислать новость](https://t.me/bot)"
    )
    assert normalise(text) == "госдума приняла закон тасс"


def test_long_line_mentioning_subscription_is_content():
    line = (
        "Жители района подписались под обращением к мэру с требованием "
        "остановить вырубку деревьев в парке у реки, сообщает издание."
    )
    assert "подписались" in normalise(line)


def test_content_hash_ignores_case_punctuation_footer_but_not_numbers():
    base = content_hash("В Москве выпал первый снег.")
    repost = "в москве  выпал первый снег!!! ❄️\n🔴 [Подписаться](https://t.me/a)"
    assert content_hash(repost) == base
    assert content_hash("В Москве выпал второй снег.") != base
    assert content_hash("121 заболевший") != content_hash("120 заболевших")
    assert content_hash("🔴 [Подписаться](https://t.me/a)") == EMPTY_HASH


def test_exact_duplicate_points_to_first_article():
    index = DuplicateIndex()
    assert index.add("a", STORY) is None
    repost = index.add("b", STORY.upper() + "\n❤ [Подписаться](https://t.me/moscowtop)")
    assert repost is not None and repost.kind == "exact" and repost.of == "a"
    assert index.add("c", STORY).of == "a"


def test_near_duplicate_found_and_unrelated_text_is_not():
    index = DuplicateIndex()
    index.add("a", STORY)
    edited = STORY.replace("в среду вечером", "в среду")
    near = index.add("b", edited)
    assert near is not None and near.kind == "near" and near.of == "a"
    assert 0.8 <= near.similarity < 1.0
    other = (
        "Синоптики пообещали москвичам сильный дождь и порывистый ветер до конца недели, "
        "температура опустится до пяти градусов."
    )
    assert index.add("c", other) is None


def test_near_duplicate_of_a_duplicate_names_the_group_head():
    index = DuplicateIndex()
    index.add("a", STORY)
    index.add("b", STORY.replace("в среду вечером", "в среду"))
    third = index.add("c", STORY.replace("в среду вечером", "вечером"))
    assert third is not None and third.of == "a"


def test_empty_texts_are_not_duplicates_and_re_adding_is_stable():
    index = DuplicateIndex()
    assert index.add("a", "🔥🔥🔥") is None
    assert index.add("b", "🔥") is None
    assert index.add("a", "something else entirely") is None
    assert len(index) == 2


def test_from_rows_rebuilds_the_same_answers():
    rows = [("a", STORY), ("b", STORY + " "), ("c", "Другая новость про погоду в Москве")]
    index = DuplicateIndex.from_rows(rows)
    assert index.add("d", STORY).of == "a"
    assert index.add("e", "Совсем иной текст") is None
