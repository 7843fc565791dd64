"""Placeholder: the mentions component is being written; it passes the document through."""

from letopis.registry import component


@component("mentions")
def make_mentions(models):
    return lambda doc: doc
