"""Natasha's segmentation, morphology, syntax and NER, turned into Letopis tokens and spans."""

from __future__ import annotations

from natasha import Doc as NatashaDoc

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
        nat.tag_ner(models.ner_tagger)
        _convert(doc, nat, models.morph)
        return doc

    return nlp


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
