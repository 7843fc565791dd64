"""Readers for plain article formats: `.txt`, `.jsonl` and standard input. What to read from a
name (a file of any kind, a directory, a URL) is decided in `letopis.ingest.sources`."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from letopis.errors import InputError
from letopis.ingest import limits
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
    data = read_bytes(path, limits.max_article_bytes())
    text = decode(data, str(path), problems or Problems())
    if not text.strip():
        raise InputError(f"{path}: the file is empty")
    return article_from_text(text, id=path.stem, published=published)


def read_jsonl(
    path: Path, published: str | None = None, problems: Problems | None = None
) -> Iterator[Article]:
    """Read line by line: a file of any length, each line bounded like an article."""
    problems = problems or Problems()
    try:
        with path.open("rb") as file:
            yield from _jsonl_stream(file, str(path), published, problems)
    except OSError as error:
        raise InputError(f"{path}: cannot read ({error.strerror})") from None


def _jsonl_stream(
    stream: BinaryIO, name: str, published: str | None, problems: Problems
) -> Iterator[Article]:
    lines = _capped_lines(stream, name, limits.max_article_bytes(), problems)
    yield from parse_jsonl(lines, name, published, problems)


def _capped_lines(
    stream: BinaryIO, name: str, limit: int, problems: Problems
) -> Iterator[str | None]:
    """Decoded lines; a line over `limit` bytes is reported, skipped unread, and yields None so
    that line numbers stay right."""
    number = 0
    cp1251_warned = False
    while True:
        line = stream.readline(limit + 1)
        if not line:
            return
        number += 1
        if len(line) > limit and not line.endswith(b"\n"):
            size = len(line) + _skip_line(stream)
            problems.error(str(limits.too_big(f"{name}:{number}: the line", size, limit)))
            yield None
            continue
        try:
            yield line.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError:
            if not cp1251_warned:
                problems.warn(f"{name}: not UTF-8, lines read as cp1251")
                cp1251_warned = True
            yield line.decode("cp1251", errors="replace")


def _skip_line(stream: BinaryIO, chunk: int = 1 << 20) -> int:
    skipped = 0
    while True:
        part = stream.readline(chunk)
        skipped += len(part)
        if not part or part.endswith(b"\n"):
            return skipped


def parse_jsonl(
    lines: Iterable[str | None], name: str, published: str | None, problems: Problems
) -> Iterator[Article]:
    """One article a line; a bad line is reported as `name:line` and skipped (None stands for a
    line already reported)."""
    for number, line in enumerate(lines, start=1):
        if line is None or not line.strip():
            continue
        where = f"{name}:{number}"
        try:
            default_id = f"{Path(name).stem}-{number}"
            yield _article_from_json(line, default_id, published, where, problems)
        except InputError as error:
            problems.error(f"{where}: {error}")


_OPTIONAL_TEXT_FIELDS = ("title", "source", "url")


def _article_from_json(
    line: str, default_id: str, published: str | None, where: str, problems: Problems
) -> Article:
    item = limits.parse_json(line, "the line")
    if not isinstance(item, dict):
        raise InputError("a line must be a JSON object")
    text = item.get("text")
    if not isinstance(text, str) or not text.strip():
        raise InputError('no "text" field with article text')
    for key in _OPTIONAL_TEXT_FIELDS:
        if item.get(key) is not None and not isinstance(item[key], str):
            raise InputError(f'"{key}" must be a string, got {type(item[key]).__name__}')
    raw_id = item.get("id")
    if raw_id is not None and (isinstance(raw_id, bool) or not isinstance(raw_id, str | int)):
        raise InputError(f'"id" must be a string or an integer, got {type(raw_id).__name__}')
    return Article(
        id=str(raw_id) if raw_id not in (None, "") else default_id,
        text=text,
        title=item.get("title"),
        published=published_or_warn(item.get("published"), where, problems) or published,
        source=item.get("source"),
        url=item.get("url"),
    )


def published_or_warn(value: object, where: str, problems: Problems) -> str | None:
    """A publication date, or None with a warning when it is no valid date: the article is
    still analyzed, without one."""
    try:
        return normalise_published(value)
    except InputError as error:
        problems.warn(f"{where}: {error}; analyzed without a publication date")
        return None


def read_stdin(published: str | None = None, problems: Problems | None = None) -> Iterator[Article]:
    """Standard input holds either JSONL (first character `{`) or one plain-text article; it is
    read with the article limit (per line for JSONL), so an endless stream is refused."""
    problems = problems or Problems()
    stream = sys.stdin.buffer
    head = stream.read(1)
    while head[-1:].isspace():
        head += stream.read(1)
        if len(head) > limits.max_article_bytes():
            raise limits.too_big("<stdin>", None, limits.max_article_bytes())
    if head.strip().startswith(b"{"):
        yield from _jsonl_stream(_Prefixed(head, stream), "<stdin>", published, problems)
        return
    rest = limits.read_capped(stream, "<stdin>", limits.max_article_bytes() - len(head))
    text = decode(head + rest, "<stdin>", problems)
    yield article_from_text(text, id="stdin", published=published)


class _Prefixed:
    """A binary stream with bytes already read put back in front (for readline)."""

    def __init__(self, prefix: bytes, stream: BinaryIO):
        self.prefix = prefix
        self.stream = stream

    def readline(self, limit: int = -1) -> bytes:
        if not self.prefix:
            return self.stream.readline(limit)
        head, self.prefix = self.prefix, b""
        if head.endswith(b"\n"):
            return head
        return head + self.stream.readline(limit - len(head) if limit >= 0 else -1)


def read_bytes(path: Path, limit: int | None = None) -> bytes:
    """The file's bytes; more than `limit` (default: the document limit) is refused."""
    try:
        with path.open("rb") as file:
            return limits.read_capped(file, str(path), limit or limits.max_document_bytes())
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory") from None
    except PermissionError:
        raise InputError(f"{path}: permission denied") from None
    except OSError as error:
        raise InputError(f"{path}: cannot read ({error.strerror})") from None
