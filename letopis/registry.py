"""Pipeline components by name, each with the contract the pipeline checks.

A component is a factory that builds, from the loaded models, a callable taking and returning a
`Doc`. It declares the Doc layers it `requires` and the ones it `assigns`; `check_order` refuses
an order in which a component would run before what it reads exists. Components live in the
stage packages listed in `COMPONENT_PACKAGES` and are found by importing their modules.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from letopis.errors import PipelineError

Component = Callable[[Any], Any]  # Doc -> Doc; the registry sits below the Doc's stage
Factory = Callable[[Any], Component]

COMPONENT_PACKAGES = ("letopis.analyze", "letopis.extract")


@dataclass(frozen=True)
class ComponentInfo:
    name: str
    factory: Factory
    requires: tuple[str, ...]
    assigns: tuple[str, ...]


FACTORIES: dict[str, ComponentInfo] = {}


def component(
    name: str, *, requires: Iterable[str] = (), assigns: Iterable[str] = ()
) -> Callable[[Factory], Factory]:
    def register(factory: Factory) -> Factory:
        FACTORIES[name] = ComponentInfo(name, factory, tuple(requires), tuple(assigns))
        return factory

    return register


def discover() -> None:
    """Import every module of the component packages, registering what they define."""
    for package_name in COMPONENT_PACKAGES:
        package = importlib.import_module(package_name)
        for module in pkgutil.walk_packages(package.__path__, package_name + "."):
            importlib.import_module(module.name)


def info(name: str) -> ComponentInfo:
    if name not in FACTORIES:
        discover()
    try:
        return FACTORIES[name]
    except KeyError:
        known = ", ".join(sorted(FACTORIES))
        raise PipelineError(f"unknown pipeline component {name!r} (known: {known})") from None


def check_order(names: Sequence[str]) -> None:
    """Every layer a component requires is assigned by a component before it."""
    available: set[str] = set()
    for name in names:
        component_info = info(name)
        missing = [layer for layer in component_info.requires if layer not in available]
        if missing:
            providers = sorted(
                {
                    other.name
                    for other in FACTORIES.values()
                    for layer in missing
                    if layer in other.assigns
                }
            )
            raise PipelineError(
                f"component {name!r} requires {', '.join(missing)}, which no component before "
                f"it assigns (add {', '.join(providers) or 'a component that does'} earlier)"
            )
        available.update(component_info.assigns)


def build(name: str, models: Any) -> Component:
    return info(name).factory(models)
