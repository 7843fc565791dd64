"""Placeholder: the roles component is being written; it passes the document through."""

from letopis.registry import component


@component("roles")
def make_roles(models):
    return lambda doc: doc
