"""Letopis: a chronicle of political events read natively from Russian-language news."""

from letopis.errors import InputError
from letopis.ingest.article import Article
from letopis.pipeline import Pipeline, analyze
from letopis.record import Record

__all__ = ["Article", "Corpus", "IngestSummary", "InputError", "Pipeline", "Record", "analyze"]
__version__ = "0.1.0"


def __getattr__(name: str):
    # The corpus pulls in SQLAlchemy and friends: load it only when asked for.
    if name in ("Corpus", "IngestSummary"):
        from letopis.corpus import corpus

        return getattr(corpus, name)
    raise AttributeError(f"module 'letopis' has no attribute {name!r}")
