"""Natasha's segmentation, morphology, syntax and NER, turned into Letopis tokens and spans."""

from __future__ import annotations

from collections.abc import Iterator

from natasha import Doc as NatashaDoc
from natasha.doc import DocSpan

from letopis.analyze.doc import Doc, Sentence, Span, Token
from letopis.analyze.models import Models
from letopis.registry import component
from letopis.text import Morph


@component("nlp", assigns=("tokens", "sentences", "syntax", "ner"))
def make_nlp(models: Models):

    def nlp(doc: Doc) -> Doc:
        nat = NatashaDoc(doc.text)
        nat.segment(models.segmenter)
        nat.tag_morph(models.morph_tagger)
        nat.parse_syntax(models.syntax_parser)
        _tag_ner(nat, models.ner_tagger)
        _convert(doc, nat, models.morph)
        return doc

    return nlp


# The NER model reads its input as one sequence; a longer text is read in pieces of about this
# many characters, cut between sentences, so memory stays bounded. Its window is a few words,
# so cutting between sentences changes nothing for texts of ordinary size (one piece).
NER_CHUNK_CHARS = 20_000


def _tag_ner(nat: NatashaDoc, tagger, chunk_chars: int = NER_CHUNK_CHARS) -> None:
    spans = []
    for start, end in _chunks(nat, chunk_chars):
        piece = nat.text[start:end]
        if piece.strip():
            for span in tagger(piece).spans:
                begin, stop = start + span.start, start + span.stop
                spans.append(DocSpan(begin, stop, span.type, nat.text[begin:stop]))
    nat.spans = spans
    nat.envelop_span_tokens()
    nat.envelop_sent_spans()


def _chunks(nat: NatashaDoc, chunk_chars: int) -> Iterator[tuple[int, int]]:
    """Consecutive stretches of the text, each of whole sentences, about chunk_chars long."""
    start = 0
    for sent in nat.sents:
        if sent.stop - start >= chunk_chars and sent.start > start:
            yield start, sent.start
            start = sent.start
    yield start, len(nat.text)


def _convert(doc: Doc, nat: NatashaDoc, morph: Morph) -> None:
    by_id: dict[str, int] = {}
    for sent_index, sent in enumerate(nat.sents):
        first = len(doc.tokens)
        for tok in sent.tokens:
            feats = dict(tok.feats) if tok.feats else {}
            by_id[tok.id] = len(doc.tokens)
            doc.tokens.append(
                Token(
                    start=tok.start,
                    end=tok.stop,
                    text=tok.text,
                    lemma=morph.lemmatize(tok.text, tok.pos, tuple(feats.items())),
                    pos=tok.pos,
                    feats=feats,
                    index=len(doc.tokens),
                    head=None,
                    rel=tok.rel or "",
                    sent=sent_index,
                )
            )
        doc.sents.append(Sentence(sent.start, sent.stop, range(first, len(doc.tokens))))
    for sent in nat.sents:
        for tok in sent.tokens:
            if tok.head_id in by_id and tok.head_id != tok.id:
                doc.tokens[by_id[tok.id]].head = by_id[tok.head_id]
    for span in nat.spans:
        span.normalize(morph.vocab)
        indices = [by_id[t.id] for t in span.tokens]
        doc.spans.append(
            Span(
                start=span.start,
                end=span.stop,
                type=span.type,
                text=span.text,
                normal=span.normal,
                tokens=range(indices[0], indices[-1] + 1),
            )
        )
