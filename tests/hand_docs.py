"""Docs built by hand, as the nlp layer would leave them, so that each later component can be
tested alone: no models are loaded and the input is exactly what the test says."""

from __future__ import annotations

from types import SimpleNamespace

from letopis.analyze.doc import Doc, Sentence, Span, Token
from letopis.registry import build
from letopis.text import morph

# (text, lemma, UD POS, UD features, head as 1-based index in the sentence or 0, relation)
Row = tuple[str, str, str, str, int, str]


def hand_doc(rows: list[Row], spans: list[tuple[int, int, str, str]], **fields) -> Doc:
    """One sentence; spans as (first token, token stop, type, normal form), 0-based tokens."""
    text, offsets = "", []
    for word, *_ in rows:
        if text and word not in ".,:;!?":
            text += " "
        offsets.append(len(text))
        text += word
    doc = Doc(text=text, id="hand", **fields)
    for index, (word, lemma, pos, feats, head, rel) in enumerate(rows):
        doc.tokens.append(
            Token(
                start=offsets[index],
                end=offsets[index] + len(word),
                text=word,
                lemma=lemma,
                pos=pos,
                feats=dict(f.split("=") for f in feats.split("|")) if feats else {},
                index=index,
                head=head - 1 if head else None,
                rel=rel,
                sent=0,
            )
        )
    doc.sents.append(Sentence(0, len(text), range(len(rows))))
    for first, stop, type_, normal in spans:
        start, end = doc.tokens[first].start, doc.tokens[stop - 1].end
        doc.spans.append(Span(start, end, type_, text[start:end], normal, range(first, stop)))
    return doc


def run(doc: Doc, *components: str) -> Doc:
    """Apply the named components to the Doc, with the one morphology service and no models."""
    models = SimpleNamespace(morph=morph(), morph_vocab=morph().vocab)
    for name in components:
        doc = build(name, models)(doc)
    return doc


def rows(table: str) -> list[Row]:
    """Rows from a table of `text lemma POS features head relation`, one token a line
    (`_` for no features)."""
    out = []
    for line in table.strip().splitlines():
        word, lemma, pos, feats, head, rel = line.split()
        out.append((word, lemma, pos, "" if feats == "_" else feats, int(head), rel))
    return out


MEETING = rows("""
Президент президент NOUN Animacy=Anim|Case=Nom|Gender=Masc|Number=Sing 5 nsubj
Франции франция PROPN Animacy=Inan|Case=Gen|Gender=Fem|Number=Sing 1 nmod
Эммануэль эммануэль PROPN Animacy=Anim|Case=Nom|Gender=Masc|Number=Sing 1 appos
Макрон макрон PROPN Animacy=Anim|Case=Nom|Gender=Masc|Number=Sing 3 flat:name
встретился встретиться VERB Aspect=Perf|Mood=Ind|Tense=Past|VerbForm=Fin|Voice=Mid 0 root
в в ADP _ 7 case
Берлине берлин PROPN Animacy=Inan|Case=Loc|Gender=Masc|Number=Sing 5 obl
с с ADP _ 9 case
канцлером канцлер NOUN Animacy=Anim|Case=Ins|Gender=Masc|Number=Sing 5 obl
Германии германия PROPN Animacy=Inan|Case=Gen|Gender=Fem|Number=Sing 9 nmod
Олафом олаф PROPN Animacy=Anim|Case=Ins|Gender=Masc|Number=Sing 9 appos
Шольцем шолец PROPN Animacy=Anim|Case=Ins|Gender=Masc|Number=Sing 11 flat:name
. . PUNCT _ 5 punct
""")
MEETING_SPANS = [
    (1, 2, "LOC", "Франция"),
    (2, 4, "PER", "Эммануэль Макрон"),
    (6, 7, "LOC", "Берлин"),
    (9, 10, "LOC", "Германия"),
    (10, 12, "PER", "Олаф Шолец"),
]

ARREST = rows("""
Полиция полиция NOUN Animacy=Inan|Case=Nom|Gender=Fem|Number=Sing 2 nsubj
задержала задержать VERB Aspect=Perf|Mood=Ind|Tense=Past|VerbForm=Fin|Voice=Act 0 root
в в ADP _ 4 case
Москве москва PROPN Animacy=Inan|Case=Loc|Gender=Fem|Number=Sing 2 obl
активиста активист NOUN Animacy=Anim|Case=Acc|Gender=Masc|Number=Sing 2 obj
Ивана иван PROPN Animacy=Anim|Case=Gen|Gender=Masc|Number=Sing 5 appos
Петрова петров PROPN Animacy=Anim|Case=Gen|Gender=Masc|Number=Sing 6 flat:name
. . PUNCT _ 2 punct
""")
ARREST_SPANS = [(3, 4, "LOC", "Москва"), (5, 7, "PER", "Иван Петров")]
