"""Letopis's rules as data: lexicons, role words, dictionaries. `load_yaml` reads one file."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import yaml


def read_text(name: str) -> str:
    return resources.files("letopis.data").joinpath(name).read_text(encoding="utf-8")


@cache
def load_yaml(name: str) -> Any:
    """letopis/data/NAME parsed; cached, so treat the result as read-only."""
    return yaml.safe_load(read_text(name))
