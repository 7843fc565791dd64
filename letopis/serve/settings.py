"""What a server is started with: the database, the API key, whether reads need the key."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

from letopis.errors import InputError

MAX_BODY_BYTES = 2_000_000  # one request's body: an article, or a JSONL batch of them


@dataclass
class Settings:
    db: str | None = None
    api_key: str | None = None  # writes need it; without one configured, writes are refused
    open_reads: bool = True  # False: reads need the key too
    max_body_bytes: int = MAX_BODY_BYTES

    @classmethod
    def from_environment(cls, db: str | None = None, config: Path | None = None) -> Settings:
        """LETOPIS_DB, LETOPIS_API_KEY, LETOPIS_OPEN_READS (0/1), or a TOML file with `db`,
        `api_key`, `open_reads`; an explicit `db` wins over both."""
        values: dict = {}
        path = config or (Path(p) if (p := os.environ.get("LETOPIS_CONFIG")) else None)
        if path is not None:
            try:
                values = tomllib.loads(path.read_text(encoding="utf-8"))
            except OSError as error:
                raise InputError(f"cannot read {path}: {error.strerror}") from None
            except tomllib.TOMLDecodeError as error:
                raise InputError(f"{path}: not TOML ({error})") from None
        open_reads = os.environ.get("LETOPIS_OPEN_READS")
        return cls(
            db=db or os.environ.get("LETOPIS_DB") or values.get("db"),
            api_key=os.environ.get("LETOPIS_API_KEY") or values.get("api_key") or None,
            open_reads=(
                open_reads not in ("0", "false", "no")
                if open_reads is not None
                else bool(values.get("open_reads", True))
            ),
            max_body_bytes=int(values.get("max_body_bytes", MAX_BODY_BYTES)),
        )

    def to_environment(self) -> dict[str, str]:
        """The same settings for worker processes (`--workers N`)."""
        env = {"LETOPIS_OPEN_READS": "1" if self.open_reads else "0"}
        if self.db:
            env["LETOPIS_DB"] = self.db
        if self.api_key:
            env["LETOPIS_API_KEY"] = self.api_key
        return env
