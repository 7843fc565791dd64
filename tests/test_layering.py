"""The stages import only downwards, and no module reaches into another's private names."""

from __future__ import annotations

import ast
from pathlib import Path

import letopis

PACKAGE = Path(letopis.__file__).parent

# Lowest first. A module may import its own layer and the layers below it, never one above.
LAYERS: tuple[frozenset[str], ...] = (
    frozenset({"errors", "data", "text", "schema", "record", "registry", "output"}),
    frozenset({"ingest"}),
    frozenset({"analyze"}),
    frozenset({"extract"}),
    frozenset({"pipeline"}),
    frozenset({"store"}),
    frozenset({"corpus"}),
    frozenset({"batch"}),
    frozenset({"eval", "learn"}),
    frozenset({"serve"}),
    frozenset({"cli", "__init__", "__main__"}),
)


def _rank(stage: str) -> int:
    return next(i for i, layer in enumerate(LAYERS) if stage in layer)


def _stage(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != "letopis":
        return None
    return parts[1] if len(parts) > 1 else "__init__"


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(tree: ast.AST, module: str, is_package: bool) -> list[tuple[str, list[str], int]]:
    """(imported module, imported names, line) for every import, nested ones included."""
    package = module if is_package else module.rpartition(".")[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, [], node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{base}" if base else anchor
            found.append((base, [alias.name for alias in node.names], node.lineno))
    return found


def _sources():
    for path in sorted(PACKAGE.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        yield path, _module_name(path), ast.parse(path.read_text(encoding="utf-8"))


def test_no_stage_imports_a_stage_above_it():
    wrong = []
    for path, module, tree in _sources():
        own = _stage(module) if module != "letopis" else "__init__"
        if path.name in ("__init__.py", "__main__.py") and path.parent == PACKAGE:
            own = path.stem
        for target, _, line in _imports(tree, module, path.name == "__init__.py"):
            stage = _stage(target)
            if stage is not None and _rank(stage) > _rank(own):
                wrong.append(f"{path.relative_to(PACKAGE)}:{line} ({own}) imports {target}")
    assert not wrong, "\n".join(wrong)


def test_no_private_name_crosses_modules():
    wrong = []
    for path, module, tree in _sources():
        aliases = set()
        for target, names, line in _imports(tree, module, path.name == "__init__.py"):
            if not target.startswith("letopis"):
                continue
            wrong += [
                f"{path.relative_to(PACKAGE)}:{line} imports {target}.{name}"
                for name in names
                if name.startswith("_") and not name.startswith("__")
            ]
            aliases.update(name for name in names if not name.startswith("_"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id in aliases
                and node.attr.startswith("_")
                and not node.attr.startswith("__")
            ):
                wrong.append(
                    f"{path.relative_to(PACKAGE)}:{node.lineno} uses {node.value.id}.{node.attr}"
                )
    assert not wrong, "\n".join(wrong)
