"""`letopis load` speed: rows/s of loading one batch output into SQLite and into PostgreSQL.

    .venv/bin/python benchmarks/batch.py --posts 1000 --keep /tmp/batch-out
    .venv/bin/python benchmarks/load.py /tmp/batch-out [--pg postgresql://postgres@127.0.0.1:5432/test]

Rows are those of the batch tables the corpus stores (articles, entities, mentions, places,
events, event arguments) of the loaded articles; the time includes the corpus steps
(duplicates, stories, canonical entities, merged events). PostgreSQL gets a throwaway schema,
dropped afterwards.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import quote

STORED_TABLES = ("articles", "entities", "mentions", "places", "events", "event_arguments")


def rows_in(directory: Path) -> int:
    from letopis.batch.output import BatchOutput

    output = BatchOutput(directory)
    return sum(output.read_table(table).num_rows for table in STORED_TABLES)


def timed_load(directory: Path, url: str) -> tuple[float, int]:
    from letopis.batch.load import load

    started = time.perf_counter()
    summary = load(directory, url)
    return time.perf_counter() - started, summary.new + summary.duplicates


def pg_schema_url(base: str):
    import psycopg

    schema = f"letopis_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(base, autocommit=True) as connection:
        connection.execute(f'CREATE SCHEMA "{schema}"')
    return schema, f"{base}?options={quote(f'-csearch_path={schema}')}"


def drop_schema(base: str, schema: str) -> None:
    import psycopg

    with psycopg.connect(base, autocommit=True) as connection:
        connection.execute(f'DROP SCHEMA "{schema}" CASCADE')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", type=Path)
    parser.add_argument("--pg", default="postgresql://postgres@127.0.0.1:5432/test")
    args = parser.parse_args()
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    rows = rows_in(args.directory)
    with tempfile.TemporaryDirectory() as work:
        seconds, articles = timed_load(args.directory, str(Path(work) / "corpus.db"))
    print(f"SQLite:     {rows} rows, {articles} articles in {seconds:.1f} s: "
          f"{rows / seconds:.0f} rows/s, {articles / seconds:.1f} articles/s")  # fmt: skip
    schema, url = pg_schema_url(args.pg)
    try:
        seconds, articles = timed_load(args.directory, url)
    finally:
        drop_schema(args.pg, schema)
    print(f"PostgreSQL: {rows} rows, {articles} articles in {seconds:.1f} s: "
          f"{rows / seconds:.0f} rows/s, {articles / seconds:.1f} articles/s")  # fmt: skip


if __name__ == "__main__":
    main()
