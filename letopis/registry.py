"""Pipeline components by name: each factory builds a callable that takes and returns a Doc."""

from __future__ import annotations

from collections.abc import Callable

from letopis.analyze.doc import Doc
from letopis.analyze.models import Models

Component = Callable[[Doc], Doc]
Factory = Callable[[Models], Component]

FACTORIES: dict[str, Factory] = {}


def component(name: str) -> Callable[[Factory], Factory]:
    def register(factory: Factory) -> Factory:
        FACTORIES[name] = factory
        return factory

    return register


def build(name: str, models: Models) -> Component:
    try:
        factory = FACTORIES[name]
    except KeyError:
        known = ", ".join(sorted(FACTORIES))
        raise ValueError(f"unknown pipeline component {name!r} (known: {known})") from None
    return factory(models)
