"""API latency: p50/p95 of GET /events (filtered, first page), GET /stats, GET /network and
POST /analyze, sent from this process to a `letopis serve` in a second process over loopback,
on a store and on a copy of it grown N times (the same articles and events with shifted ids
and dates, so the growth shows).

    letopis ingest ../shared/data/tg-news-posts-2024/raw ../shared/samples/... --db tg.db
    .venv/bin/python benchmarks/api.py --db tg.db --grow 4 [--requests 100]

Not a test: it prints numbers, and the ratio of the grown store's to the base store's.
The grown copy is made by SQL on SQLite files only (tg.db → tg-x4.db, kept for reuse).
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

SHIFT_DAYS = 400  # each copy of the data is this much later than the one before
SAMPLE_TEXT = (
    "Президент России Владимир Путин провёл телефонный разговор с президентом Казахстана "
    "Касым-Жомартом Токаевым. Стороны обсудили вывод миротворческих сил ОДКБ из Казахстана."
)


def requests_to_time() -> dict[str, list[tuple[str, str, dict]]]:
    """Per measured endpoint: the requests sent in turn (method, path, params or body)."""
    filters = [
        {"type": "ASSAULT"},
        {"country": "UKR"},
        {"actor": "Путин"},
        {"status": "reported", "type": "CONSULT"},
        {"from": "2024-11", "source": "новости"},
    ]
    return {
        "GET /events (filtered, first page)": [
            ("GET", "/api/v1/events", {**f, "limit": 50}) for f in filters
        ],
        "GET /stats": [
            ("GET", "/api/v1/stats", {"period": "day"}),
            ("GET", "/api/v1/stats", {"period": "week", "type": "ASSAULT"}),
        ],
        "GET /network": [("GET", "/api/v1/network", {"limit": 200})],
        "POST /analyze": [("POST", "/api/v1/analyze", {"text": SAMPLE_TEXT})],
    }


def grow(base: Path, times: int) -> Path:
    """A copy of a SQLite store holding its articles and events `times` times over."""
    grown = base.with_name(f"{base.stem}-x{times}{base.suffix}")
    if grown.exists():
        return grown
    shutil.copyfile(base, grown)
    db = sqlite3.connect(grown)
    db.execute("PRAGMA foreign_keys=OFF")
    top = {t: db.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {t}").fetchone()[0] for t in (
        "articles", "stories", "entities", "mentions", "places", "merged_events", "events",
        "event_arguments", "event_mentions")}  # fmt: skip
    for k in range(1, times):
        off = {t: k * n for t, n in top.items()}
        days = f"'+{k * SHIFT_DAYS} days'"
        db.executescript(_copy_sql(k, off, days))
    db.commit()
    db.execute("ANALYZE")
    db.close()
    return grown


def _copy_sql(k: int, off: dict[str, int], days: str) -> str:
    shifted_day = f"CASE WHEN length(date) = 10 THEN date(date, {days}) ELSE date END"
    return f"""
    INSERT INTO stories SELECT id + {off["stories"]}, title, datetime(first_published, {days}),
        datetime(last_published, {days}), article_count, source_count FROM stories
        WHERE id < {off["stories"] // k};
    INSERT INTO articles SELECT id + {off["articles"]}, key || '#{k}', content_hash || '#{k}',
        text_hash || '#{k}', title, strftime('%Y-%m-%dT%H:%M:%S', published_at, {days}),
        datetime(published_at, {days}), source, url, text, record, lemmas,
        duplicate_of + {off["articles"]}, duplicate_kind, story_id + {off["stories"]},
        ingested_at FROM articles WHERE id < {off["articles"] // k};
    INSERT INTO article_search (rowid, lemmas) SELECT rowid + {off["articles"]}, lemmas
        FROM article_search WHERE rowid < {off["articles"] // k};
    INSERT INTO entities SELECT id + {off["entities"]}, article_id + {off["articles"]},
        local_id, type, subtype, name, name_key, country, sector, roles, canonical_id
        FROM entities WHERE id < {off["entities"] // k};
    INSERT INTO mentions SELECT id + {off["mentions"]}, entity_id + {off["entities"]}, start,
        "end", text FROM mentions WHERE id < {off["mentions"] // k};
    INSERT INTO places SELECT id + {off["places"]}, article_id + {off["articles"]}, name,
        geonameid, lat, lon, country, feature, entity_local_id, mentions FROM places
        WHERE id < {off["places"] // k};
    INSERT INTO merged_events SELECT id + {off["merged_events"]}, key || '#{k}', type, status,
        {shifted_day}, place, place_key, lat, lon, country, actors, recipients, mention_count,
        article_count, source_count, datetime(first_published, {days}),
        datetime(last_published, {days}) FROM merged_events
        WHERE id < {off["merged_events"] // k};
    INSERT INTO events SELECT id + {off["events"]}, article_id + {off["articles"]}, local_id,
        type, mode, status, {shifted_day}, place, place_key, place_geonameid, place_country, lat,
        lon, trigger, trigger_start, trigger_end, confidence, merged_id + {off["merged_events"]}
        FROM events WHERE id < {off["events"] // k};
    INSERT INTO event_arguments SELECT id + {off["event_arguments"]},
        event_id + {off["events"]}, role, entity_id + {off["entities"]}, canonical_id, name,
        name_key, text, country, sector, start, "end" FROM event_arguments
        WHERE id < {off["event_arguments"] // k};
    INSERT INTO event_mentions SELECT id + {off["event_mentions"]}, event_id + {off["events"]},
        sentence_start, sentence_end, trigger_start, trigger_end FROM event_mentions
        WHERE id < {off["event_mentions"] // k};
    """


def serve(db: Path, port: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [sys.executable, "-m", "letopis", "serve", "--db", str(db), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/v1/counts", timeout=5).status_code == 200:
                return server
        except httpx.HTTPError:
            time.sleep(0.5)
    server.kill()
    raise SystemExit(f"the server on {db} did not start")


def measure(port: int, requests: int) -> tuple[dict[str, tuple[float, float]], dict]:
    client = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60)
    counts = client.get("/api/v1/counts").json()
    result = {}
    for name, calls in requests_to_time().items():
        for method, path, data in calls:  # warm-up: one of each
            _send(client, method, path, data)
        times = []
        for i in range(requests):
            method, path, data = calls[i % len(calls)]
            started = time.perf_counter()
            _send(client, method, path, data)
            times.append((time.perf_counter() - started) * 1000)
        cuts = statistics.quantiles(times, n=20)
        result[name] = (statistics.median(times), cuts[18])
    client.close()
    return result, counts


def _send(client: httpx.Client, method: str, path: str, data: dict) -> None:
    sent = client.get(path, params=data) if method == "GET" else client.post(path, json=data)
    sent.raise_for_status()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True, help="a SQLite store (letopis ingest)")
    parser.add_argument("--grow", type=int, default=4, help="also measure a store N× as big")
    parser.add_argument("--requests", type=int, default=100, help="per endpoint")
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    stores = [args.db] + ([grow(args.db, args.grow)] if args.grow > 1 else [])
    results = []
    for store in stores:
        server = serve(store, args.port)
        try:
            measured, counts = measure(args.port, args.requests)
        finally:
            server.terminate()
            server.wait(timeout=30)
        results.append(measured)
        print(f"\n{store.name}: {counts['articles']} articles, {counts['merged_events']} events")
        for name, (p50, p95) in measured.items():
            print(f"  {name:36s} p50 {p50:7.1f} ms   p95 {p95:7.1f} ms")
    if len(results) == 2:
        print(f"\ngrowth ({args.grow}× store / base), p95:")
        for name in results[0]:
            print(f"  {name:36s} {results[1][name][1] / results[0][name][1]:5.2f}×")


if __name__ == "__main__":
    main()
