"""What the corpus indexes remember, kept where it survives the process: key → value maps read
through from a backend (the store's `index_state` table) and written back with each article.

An index (duplicates, stories, entities, merged events) holds its memory in `StateMap`s taken
from one `State`. Without a backend the maps are plain in-memory dictionaries (a standalone
index, an evaluation). With one, a map loads only the keys an article asks about, and
`State.flush()` writes what the article changed in the article's own transaction — so opening a
corpus reads nothing, memory stays bounded (the loaded values are dropped once written), and
an index never disagrees with the database. Values pass through a `Codec` to JSON and back
exactly (floats keep every digit), so a value read back decides as the one computed.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

V = TypeVar("V")

CACHE_LIMIT = 2_000  # loaded values per map kept between articles


class Backend(Protocol):
    def read(self, wanted: list[tuple[str, str]]) -> dict[tuple[str, str], str]:
        """(kind, key) → stored JSON, of those wanted that are stored."""
        ...

    def write(self, values: list[tuple[str, str, str]]) -> None:
        """Store (kind, key, JSON) rows, replacing any stored under the same kind and key."""
        ...


@dataclass(frozen=True)
class Codec(Generic[V]):
    encode: Callable[[V], Any]  # to JSON-able data
    decode: Callable[[Any], V]


PLAIN: Codec[Any] = Codec(lambda value: value, lambda data: data)


class StateMap(Generic[V]):
    """A dictionary of one kind of index state. Changing a value in place does not save it:
    assign it again (`state[key] = value`)."""

    def __init__(self, kind: str, codec: Codec[V], state: State):
        self.kind = kind
        self._codec = codec
        self._state = state
        self._values: dict[str, V | None] = {}  # loaded or set; None: known to be absent
        self._dirty: dict[str, None] = {}  # keys to write, in the order they were set

    def load(self, keys: Iterable[str]) -> None:
        """Read these keys from the backend in one go (those not loaded yet)."""
        self._state.load((self, keys))

    def missing(self, keys: Iterable[str]) -> list[str]:
        return list(dict.fromkeys(k for k in keys if k not in self._values))

    def loaded(self, key: str, data: str | None) -> None:
        self._values[key] = None if data is None else self._codec.decode(json.loads(data))

    def get(self, key: str, default: V | None = None) -> V | None:
        if key not in self._values:
            self.load([key])
        value = self._values.get(key)
        return default if value is None else value

    def __getitem__(self, key: str) -> V:
        value = self.get(key)
        if value is None:
            raise KeyError(key)
        return value

    def __contains__(self, key: str) -> bool:
        return self.get(key) is not None

    def __setitem__(self, key: str, value: V) -> None:
        self._values[key] = value
        self._dirty[key] = None

    def values(self) -> list[V]:
        """Every value loaded or set (in a standalone index: all of them)."""
        return [value for value in self._values.values() if value is not None]

    def changes(self) -> list[tuple[str, str, str]]:
        """(kind, key, JSON) of every value set since the last call."""
        rows = [
            (
                self.kind,
                key,
                json.dumps(self._codec.encode(value), ensure_ascii=False, separators=(",", ":")),
            )
            for key in self._dirty
            if (value := self._values[key]) is not None
        ]
        self._dirty.clear()
        return rows

    def trim(self) -> None:
        """Drop what was loaded once it is written, above `CACHE_LIMIT` values."""
        if len(self._values) > CACHE_LIMIT:
            self._values.clear()


class State:
    """The maps of every index over one backend (none: in memory only)."""

    def __init__(self, backend: Backend | None = None):
        self.backend = backend
        self._maps: dict[str, StateMap[Any]] = {}

    def map(self, kind: str, codec: Codec[V] = PLAIN) -> StateMap[V]:
        if kind in self._maps:
            raise ValueError(f"index state {kind!r} is taken")
        self._maps[kind] = StateMap(kind, codec, self)
        return self._maps[kind]

    def load(self, *wanted: tuple[StateMap[Any], Iterable[str]]) -> None:
        """Read the keys of several maps not loaded yet, in one request to the backend."""
        if self.backend is None:
            return
        missing = [(state, key) for state, keys in wanted for key in state.missing(keys)]
        if not missing:
            return
        found = self.backend.read([(state.kind, key) for state, key in missing])
        for state, key in missing:
            state.loaded(key, found.get((state.kind, key)))

    def flush(self) -> None:
        """Write every change since the last flush (in the caller's transaction)."""
        rows = [row for state in self._maps.values() for row in state.changes()]
        if self.backend is None:
            return  # in memory only: the maps are all there is
        if rows:
            self.backend.write(rows)
        for state in self._maps.values():
            state.trim()


def counter(state: StateMap[int], key: str, by: int = 1) -> int:
    """Add to a counter kept in a map; the new value."""
    value = state.get(key, 0) + by
    state[key] = value
    return value
