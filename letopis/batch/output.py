"""The batch output directory: one Parquet file per table and shard, and `manifest.json`, the
list of finished shards.

A shard's files are written under temporary names and renamed; only then is the shard added to
the manifest, itself replaced in one step (write a temporary file, `os.replace`). Readers take
only the shards the manifest lists, so a process killed at any moment leaves every shard either
finished or invisible, and a re-run rewrites the invisible ones under the same names: no
article is ever counted twice."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from letopis.batch.tables import SCHEMAS, TABLES
from letopis.errors import InputError

MANIFEST = "manifest.json"
FORMAT_VERSION = 1


@dataclass(frozen=True)
class ShardEntry:
    name: str  # "000012"
    digest: str  # of the input items in it: a changed input makes a new shard
    articles: int
    failures: int


class BatchOutput:
    """An output directory. Given a `shard_size` it is opened for writing (created when
    missing), and the size must match the one it was started with, or shards would overlap;
    without one it is opened for reading and must hold a manifest."""

    def __init__(self, directory: str | Path, shard_size: int | None = None):
        self.directory = Path(directory)
        if shard_size is not None:
            try:
                self.directory.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                raise InputError(f"cannot create {directory}: {error.strerror}") from None
        self.shards: dict[str, ShardEntry] = {}
        self.shard_size = shard_size
        self._read_manifest()

    @property
    def manifest_path(self) -> Path:
        return self.directory / MANIFEST

    def finished(self, name: str, digest: str) -> bool:
        entry = self.shards.get(name)
        return entry is not None and entry.digest == digest

    def write_shard(self, entry: ShardEntry, tables: dict[str, pa.Table]) -> None:
        for table in TABLES:
            path = self._path(table, entry.name)
            path.parent.mkdir(exist_ok=True)
            temporary = path.with_name(f".{path.name}.tmp")
            pq.write_table(tables[table], temporary)
            os.replace(temporary, path)
        self.shards[entry.name] = entry
        self._write_manifest()

    def read_table(self, table: str) -> pa.Table:
        """A table over every finished shard, in input order."""
        parts = [pq.read_table(self._path(table, name)) for name in sorted(self.shards)]
        if not parts:
            return SCHEMAS[table].empty_table()
        return pa.concat_tables(parts).sort_by("position")

    def rows(self, table: str) -> Iterator[dict[str, Any]]:
        for name in sorted(self.shards):
            yield from pq.read_table(self._path(table, name)).to_pylist()

    def _path(self, table: str, shard: str) -> Path:
        return self.directory / table / f"shard-{shard}.parquet"

    def _read_manifest(self) -> None:
        if not self.manifest_path.exists():
            if self.shard_size is None:
                raise InputError(f"{self.directory}: no {MANIFEST} (not a `letopis batch` output)")
            return
        try:
            data = json.loads(self.manifest_path.read_text(encoding="utf-8"))
            stored_size = data["shard_size"]
            self.shards = {e["name"]: ShardEntry(**e) for e in data["shards"]}
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise InputError(f"{self.manifest_path}: unreadable manifest ({error})") from None
        if self.shard_size is not None and stored_size != self.shard_size:
            raise InputError(
                f"{self.directory} was written with --shard-size {stored_size}: use it again, "
                "or another output directory"
            )
        self.shard_size = stored_size

    def _write_manifest(self) -> None:
        data = {
            "version": FORMAT_VERSION,
            "shard_size": self.shard_size,
            "shards": [vars(self.shards[name]) for name in sorted(self.shards)],
        }
        temporary = self.manifest_path.with_name(f".{MANIFEST}.tmp")
        temporary.write_text(json.dumps(data, indent=1), encoding="utf-8")
        os.replace(temporary, self.manifest_path)
