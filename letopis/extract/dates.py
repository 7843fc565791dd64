"""Placeholder: the dates component is being written; it passes the document through."""

from letopis.registry import component


@component("dates")
def make_dates(models):
    return lambda doc: doc
