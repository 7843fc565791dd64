"""Letopis's rules as data, read through one loader.

`load_yaml(name)` parses letopis/data/NAME and validates it against its JSON Schema in
`schemas.yaml`; a malformed file raises `DataError` naming the file, the line and the key.
Files are read when first asked for, never at import time, and cached.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator
from jsonschema.exceptions import best_match

from letopis.errors import DataError

SCHEMAS = "schemas.yaml"
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def data_path(name: str) -> Path:
    return Path(str(resources.files("letopis.data").joinpath(name)))


def read_text(name: str) -> str:
    return data_path(name).read_text(encoding="utf-8")


def read_lines(name: str) -> tuple[str, ...]:
    """The non-empty, non-comment lines of a plain-text list in letopis/data."""
    lines = (line.strip() for line in read_text(name).splitlines())
    return tuple(line for line in lines if line and not line.startswith("#"))


@cache
def load_yaml(name: str) -> Any:
    """letopis/data/NAME parsed and validated; cached, so treat the result as read-only."""
    return load_yaml_file(data_path(name), schema_name=name)


def load_yaml_file(path: Path, schema_name: str | None = None) -> Any:
    """A YAML rule file anywhere (a user's own lexicon, say), validated against the schema
    of the shipped file `schema_name` (default: the file's own name)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise DataError(f"cannot read rule file {path}: {error}") from None
    try:
        data = yaml.load(text, Loader=_Loader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        raise DataError(f"{where}: not valid YAML ({getattr(error, 'problem', error)})") from None
    schema = _schemas().get(schema_name or path.name)
    if schema is not None:
        _validate(path, text, data, schema)
    return data


@cache
def _schemas() -> dict[str, Any]:
    return yaml.load(read_text(SCHEMAS), Loader=_Loader)


def _validate(path: Path, text: str, data: Any, schema: dict[str, Any]) -> None:
    error = best_match(Draft202012Validator(schema).iter_errors(data))
    if error is None:
        return
    keys = list(error.absolute_path)
    line = _line_of(text, keys)
    key = ".".join(str(k) for k in keys) or "(top level)"
    raise DataError(f"{path}:{line}: {key}: {error.message}")


def _line_of(text: str, keys: Iterable[Any]) -> int:
    """The 1-based line of the node at `keys` (mapping keys and list indices) in a YAML text."""
    node = yaml.compose(text, Loader=_Loader)
    for key in keys:
        child = _child(node, key)
        if child is None:
            break
        node = child
    return node.start_mark.line + 1 if node is not None else 1


def _child(node: yaml.Node | None, key: Any) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if key_node.value == str(key):
                return value_node
    if isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
        return node.value[key]
    return None
