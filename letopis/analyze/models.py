"""The Natasha models, loaded once per process and shared by every pipeline."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache

from threadpoolctl import threadpool_limits

from letopis.text import Morph, morph


@dataclass(frozen=True)
class Models:
    segmenter: object
    morph: Morph
    morph_tagger: object
    syntax_parser: object
    ner_tagger: object
    embedding: object = None  # navec word vectors (the event model reads trigger lemmas)

    @property
    def morph_vocab(self) -> object:
        return self.morph.vocab


def pin_blas_threads() -> None:
    """Two OpenBLAS threads make slovnet 2-19x slower on 2-core machines: use one
    unless the user chose otherwise."""
    if "OPENBLAS_NUM_THREADS" in os.environ or "OMP_NUM_THREADS" in os.environ:
        return
    os.environ["OPENBLAS_NUM_THREADS"] = "1"  # for a numpy not yet imported
    import numpy  # noqa: F401  (threadpoolctl only sees libraries already loaded)

    threadpool_limits(1, user_api="blas")


@lru_cache(maxsize=1)
def news_embedding() -> object:
    """natasha's navec news vectors, loaded once per process: the models, the event model and
    the story index share them."""
    from natasha import NewsEmbedding

    return NewsEmbedding()


@lru_cache(maxsize=1)
def load_models() -> Models:
    from natasha import NewsMorphTagger, NewsNERTagger, NewsSyntaxParser

    from letopis.analyze.segment import NewsSegmenter

    embedding = news_embedding()
    models = Models(
        segmenter=NewsSegmenter(),
        morph=morph(),
        morph_tagger=NewsMorphTagger(embedding),
        syntax_parser=NewsSyntaxParser(embedding),
        ner_tagger=NewsNERTagger(embedding),
        embedding=embedding,
    )
    _share_word_vocabulary(models)
    return models


def _share_word_vocabulary(models: Models) -> None:
    """Each slovnet model loads its own copy of the navec vocabulary (250,000 words, a list
    and a dict); one shared copy saves ~90 MB per process. A model whose words differ from
    navec's keeps its own."""
    from slovnet.vocab import Vocab

    navec = models.embedding.vocab
    shared = Vocab.__new__(Vocab)
    shared.items, shared.item_ids = navec.words, navec.word_ids
    shared.unk_id, shared.pad_id = navec.unk_id, navec.pad_id
    for model in (models.morph_tagger, models.syntax_parser, models.ner_tagger):
        encoder = model.infer.encoder
        if encoder.words_vocab.items == navec.words:
            encoder.words_vocab = shared
