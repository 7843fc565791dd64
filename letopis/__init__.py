"""Letopis: a chronicle of political events read natively from Russian-language news."""

from letopis.ingest.article import Article, InputError
from letopis.pipeline import Pipeline, analyze
from letopis.record import Record

__all__ = ["Article", "InputError", "Pipeline", "Record", "analyze"]
__version__ = "0.1.0"
