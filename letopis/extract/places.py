"""Placeholder: the places component is being written; it passes the document through."""

from letopis.registry import component


@component("places")
def make_places(models):
    return lambda doc: doc
