"""Placeholder: the entities component is being written; it passes the document through."""

from letopis.registry import component


@component("entities")
def make_entities(models):
    return lambda doc: doc
