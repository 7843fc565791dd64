"""Placeholder: the event coder is being written; it passes the document through."""

from letopis.registry import component


@component("events")
def make_events(models):
    return lambda doc: doc
