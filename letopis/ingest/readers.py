"""Readers for plain article formats: `.txt`, `.jsonl` and standard input. What to read from a
name (a file of any kind, a directory, a URL) is decided in `letopis.ingest.sources`."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from letopis.errors import InputError
from letopis.ingest.article import Article, normalise_published


@dataclass
class Problems:
    """Warnings and per-item errors met while reading; `notify` shows each as it happens."""

    notify: Callable[[str], None] = lambda message: None
    warnings: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def warn(self, message: str) -> None:
        self.warnings.append(message)
        self.notify(f"warning: {message}")

    def error(self, message: str) -> None:
        self.errors.append(message)
        self.notify(f"error: {message}")


def decode(data: bytes, name: str, problems: Problems) -> str:
    """UTF-8 (a BOM is dropped); failing that cp1251, with a warning."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1251")
    except UnicodeDecodeError:
        raise InputError(f"{name}: neither UTF-8 nor cp1251 text") from None
    problems.warn(f"{name}: not UTF-8, read as cp1251")
    return text


def article_from_text(text: str, id: str, published: str | None = None) -> Article:
    """A plain-text article: the first non-empty line is the title."""
    text = text.rstrip()
    if not text.strip():
        raise InputError(f"{id}: the article is empty")
    title = next(line.strip() for line in text.splitlines() if line.strip())
    return Article(id=id, text=text, title=title, published=published)


def read_txt(path: Path, published: str | None = None, problems: Problems | None = None) -> Article:
    data = read_bytes(path)
    text = decode(data, str(path), problems or Problems())
    if not text.strip():
        raise InputError(f"{path}: the file is empty")
    return article_from_text(text, id=path.stem, published=published)


def read_jsonl(
    path: Path, published: str | None = None, problems: Problems | None = None
) -> Iterator[Article]:
    problems = problems or Problems()
    text = decode(read_bytes(path), str(path), problems)
    yield from parse_jsonl(text.splitlines(), str(path), published, problems)


def parse_jsonl(
    lines: Iterable[str], name: str, published: str | None, problems: Problems
) -> Iterator[Article]:
    """One article a line; a bad line is reported as `name:line` and skipped."""
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            yield _article_from_json(line, f"{Path(name).stem}-{number}", published)
        except InputError as error:
            problems.error(f"{name}:{number}: {error}")


def _article_from_json(line: str, default_id: str, published: str | None) -> Article:
    try:
        item = json.loads(line)
    except json.JSONDecodeError as error:
        raise InputError(f"not valid JSON ({error.msg} at column {error.colno})") from None
    if not isinstance(item, dict):
        raise InputError("a line must be a JSON object")
    text = item.get("text")
    if not isinstance(text, str) or not text.strip():
        raise InputError('no "text" field with article text')
    return Article(
        id=str(item.get("id") or default_id),
        text=text,
        title=item.get("title"),
        published=normalise_published(item.get("published")) or published,
        source=item.get("source"),
        url=item.get("url"),
    )


def read_stdin(published: str | None = None, problems: Problems | None = None) -> Iterator[Article]:
    """Standard input holds either JSONL (first character `{`) or one plain-text article."""
    problems = problems or Problems()
    text = decode(sys.stdin.buffer.read(), "<stdin>", problems)
    if text.lstrip().startswith("{"):
        yield from parse_jsonl(text.splitlines(), "<stdin>", published, problems)
    else:
        yield article_from_text(text, id="stdin", published=published)


def read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory") from None
    except PermissionError:
        raise InputError(f"{path}: permission denied") from None
    except OSError as error:
        raise InputError(f"{path}: cannot read ({error.strerror})") from None
