"""The HTTP API over a real corpus on SQLite and PostgreSQL: pages, filters and cursors, one
event's evidence, aggregates, exports, the change feed, keys, reviews and analysis."""

from __future__ import annotations

import csv
import io
import json

import pytest
from serve_fixtures import KEY, client, served_url  # noqa: F401  (fixtures)

API = "/api/v1"


def _all_pages(client, url: str) -> tuple[list[dict], list[dict]]:  # noqa: F811
    pages, events = [], []
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.text
        page = response.json()
        pages.append(page)
        events += page["events"]
        url = page["next"]
    return pages, events


def test_event_pages_walk_every_event_once_newest_first(client):  # noqa: F811
    counts = client.get(f"{API}/counts").json()
    pages, events = _all_pages(client, f"{API}/events?limit=4")
    assert counts["merged_events"] > 8, "the coder found too few events to page through"
    assert all(p["total"] == counts["merged_events"] for p in pages)
    assert len(events) == len({e["id"] for e in events}) == counts["merged_events"]
    assert all(p["truncated"] for p in pages[:-1]) and not pages[-1]["truncated"]
    keys = [e["date"] or "" for e in events]
    assert keys == sorted(keys, reverse=True)
    _, oldest = _all_pages(client, f"{API}/events?limit=5&sort=oldest")
    assert [e["id"] for e in oldest] == [e["id"] for e in reversed(events)]


def test_event_filters_narrow_and_count(client):  # noqa: F811
    _, everything = _all_pages(client, f"{API}/events?limit=1000")
    event_type = max({e["type"] for e in everything}, key=[e["type"] for e in everything].count)
    page = client.get(f"{API}/events", params={"type": event_type, "limit": 1000}).json()
    assert page["total"] == sum(e["type"] == event_type for e in everything)
    assert {e["type"] for e in page["events"]} == {event_type}
    reported = client.get(f"{API}/events", params={"status": "reported", "limit": 1000}).json()
    assert reported["total"] == sum(e["status"] == "reported" for e in everything)
    assert 0 < reported["total"] < len(everything)
    sure = client.get(f"{API}/events", params={"min_confidence": 0.99, "limit": 1000}).json()
    assert sure["total"] < len(everything)
    moscow = client.get(f"{API}/events", params={"source": "москва", "limit": 1000}).json()
    assert 0 < moscow["total"] < len(everything)
    bad = client.get(f"{API}/events", params={"cursor": "not-a-cursor"})
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "bad_request"


def test_event_detail_has_the_sentence_from_every_article(client):  # noqa: F811
    page = client.get(f"{API}/events", params={"sort": "most_reported", "limit": 1}).json()
    event_id = page["events"][0]["id"]
    detail = client.get(f"{API}/events/{event_id}").json()
    evidence = detail["evidence"]
    assert len({e["article"] for e in evidence}) == detail["event"]["articles"]
    for item in evidence:
        assert item["sentence"][item["trigger_start"] : item["trigger_end"]] == item["trigger"]
        article = client.get(f"{API}/articles/{item['article']}").json()
        assert item["sentence"] in article["text"]
        assert event_id in article["events"]


def test_stats_add_up_to_the_dated_events(client):  # noqa: F811
    _, everything = _all_pages(client, f"{API}/events?limit=1000")
    for period in ("day", "week", "month"):
        stats = client.get(f"{API}/stats", params={"period": period}).json()
        assert sum(b["events"] for b in stats["buckets"]) == stats["total"]
        assert sum(stats["by_type"].values()) == stats["total"]
    monthly = client.get(f"{API}/stats", params={"period": "month"}).json()
    assert monthly["total"] == sum(1 for e in everything if e["date"] and len(e["date"]) >= 7)
    weekly = client.get(f"{API}/stats", params={"period": "week"}).json()
    assert all("-W" in b["period"] for b in weekly["buckets"])


def test_network_edges_are_the_events_actors_and_recipients(client):  # noqa: F811
    edges = client.get(f"{API}/network").json()["edges"]
    assert edges, "no actor → recipient pair in the corpus"
    for edge in edges[:5]:
        assert edge["events"] == len(edge["event_ids"]) == sum(edge["types"].values())
        event = client.get(f"{API}/events/{edge['event_ids'][0]}").json()["event"]
        assert edge["actor"] in {p["name"] for p in event["actors"]}
        assert edge["recipient"] in {p["name"] for p in event["recipients"]}


def test_exports_stream_every_filtered_event(client):  # noqa: F811
    total = client.get(f"{API}/events").json()["total"]
    response = client.get(f"{API}/export", params={"format": "csv"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert len(rows) == total
    assert all(row["article_ids"] and row["status"] and row["triggers"] for row in rows)
    assert all(0 < float(row["confidence"]) <= 1 for row in rows)
    assert any(row["geonameid"] for row in rows if row["place"])
    geo = client.get(f"{API}/export", params={"format": "geojson"}).json()
    assert geo["features"] and all(len(f["geometry"]["coordinates"]) == 2 for f in geo["features"])
    records = client.get(f"{API}/export", params={"format": "jsonl"}).text.splitlines()
    counts = client.get(f"{API}/counts").json()
    assert len(records) == counts["analyzed"]
    assert all("events" in json.loads(line) for line in records)


def test_writes_need_the_key(client):  # noqa: F811
    body = {"verdict": "correct", "reviewer": "тест"}
    for url, payload in ((f"{API}/events/1/review", body), (f"{API}/articles", {"text": "x"})):
        missing = client.post(url, json=payload)
        assert missing.status_code == 401
        assert missing.json()["error"]["status"] == 401
        wrong = client.post(url, json=payload, headers={"X-API-Key": "wrong"})
        assert wrong.status_code == 403 and wrong.json()["error"]["code"] == "forbidden"


def test_a_review_is_stored_beside_the_machine_coding(client):  # noqa: F811
    page = client.get(f"{API}/events", params={"reviewed": "false", "limit": 1}).json()
    event = page["events"][0]
    since = client.get(f"{API}/changes", params={"limit": 10_000}).json()["next"]
    corrected_type = "PROTEST" if event["type"] != "PROTEST" else "ASSAULT"
    made = client.post(
        f"{API}/events/{event['id']}/review",
        json={
            "verdict": "corrected",
            "reviewer": "аналитик",
            "correction": {"type": corrected_type, "actors": ["Кто-то"]},
            "note": "<b>не то</b>",
        },
        headers={"X-API-Key": KEY},
    )
    assert made.status_code == 201, made.text
    detail = client.get(f"{API}/events/{event['id']}").json()
    assert detail["event"]["type"] == event["type"]  # the machine coding is kept
    review = detail["reviews"][-1]
    assert review["correction"] == {"type": corrected_type, "actors": ["Кто-то"]}
    assert review["reviewer"] == "аналитик" and review["note"] == "<b>не то</b>"
    reviewed = client.get(f"{API}/events", params={"reviewed": "true", "limit": 1000}).json()
    assert event["id"] in {e["id"] for e in reviewed["events"]}
    feed = client.get(f"{API}/changes", params={"since": since}).json()
    assert {"kind": "review", "action": "new"} in [
        {"kind": c["kind"], "action": c["action"]} for c in feed["changes"]
    ]
    unknown = client.post(
        f"{API}/events/{2**31 - 1}/review", json={"verdict": "correct", "reviewer": "x"},
        headers={"X-API-Key": KEY},
    )  # fmt: skip
    assert unknown.status_code == 404


def test_analyze_returns_a_record_and_refuses_bad_input(client, sample_text):  # noqa: F811
    response = client.post(f"{API}/analyze", json={"text": sample_text, "published": "2022-01-11"})
    assert response.status_code == 200
    record = response.json()
    assert record["events"] and record["entities"]
    assert client.post(f"{API}/analyze", json={"text": "   "}).status_code == 422
    too_big = client.post(f"{API}/analyze", json={"text": "слово " * 400_000})
    assert too_big.status_code == 413 and too_big.json()["error"]["status"] == 413
    bad_date = client.post(f"{API}/analyze", json={"text": "Текст.", "published": "вчера"})
    assert bad_date.status_code == 422


def test_ingest_over_the_api(client):  # noqa: F811
    lines = [
        {"id": "api-1", "text": "Министр иностранных дел России Сергей Лавров встретился с "
         "министром иностранных дел Турции Хаканом Фиданом в Анкаре.", "published": "2024-12-01"},
        {"id": "api-2", "text": "Полиция задержала участников акции протеста в Тбилиси.",
         "published": "2024-12-02"},
    ]  # fmt: skip
    before = client.get(f"{API}/counts").json()["articles"]
    body = "\n".join(json.dumps(line, ensure_ascii=False) for line in lines)
    response = client.post(
        f"{API}/articles",
        content=body.encode(),
        headers={"X-API-Key": KEY, "Content-Type": "application/x-ndjson"},
    )
    assert response.status_code == 200, response.text
    summary = response.json()
    assert summary["new"] + summary["already_stored"] == 2
    assert client.get(f"{API}/counts").json()["articles"] == before + summary["new"]
    broken = client.post(f"{API}/articles", content=b"{not json", headers={"X-API-Key": KEY})
    assert broken.status_code == 422 and "line 1" in broken.json()["error"]["message"]


def test_articles_list_search_and_detail(client):  # noqa: F811
    listing = client.get(f"{API}/articles", params={"limit": 5}).json()
    assert len(listing["articles"]) == 5 and listing["next"]
    more = client.get(listing["next"]).json()
    assert not {a["id"] for a in listing["articles"]} & {a["id"] for a in more["articles"]}
    found = client.get(f"{API}/articles", params={"q": "переговоры"}).json()["articles"]
    assert any(a["key"] == "payload-script" for a in found)
    missing = client.get(f"{API}/articles/{2**31 - 1}")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"


def test_entities_and_stories(client):  # noqa: F811
    people = client.get(f"{API}/entities", params={"type": "PER", "limit": 3}).json()["entities"]
    assert people and all(p["type"] == "PER" for p in people)
    detail = client.get(f"{API}/entities/{people[0]['id']}").json()
    assert detail["entity"]["id"] == people[0]["id"]
    assert all(c["id"] != people[0]["id"] for c in detail["counterparts"])
    stories = client.get(f"{API}/stories", params={"min_articles": 1}).json()["stories"]
    story = client.get(f"{API}/stories/{stories[0]['id']}").json()
    times = [a["published"] or "" for a in story["articles"]]
    assert len(story["articles"]) == stories[0]["articles"] and times == sorted(times)


@pytest.mark.parametrize("path", ["/api/v1/openapi.json", "/api/docs"])
def test_docs_are_served_locally(client, path):  # noqa: F811
    response = client.get(path)
    assert response.status_code == 200
    assert "http://" not in response.text.replace("http://www.w3.org", "")
    if path == "/api/docs":
        assert "/static/vendor/swagger-ui-bundle.js" in response.text
        assert client.get("/static/vendor/swagger-ui-bundle.js").status_code == 200


def test_reads_can_be_closed_by_configuration(served_url, pipeline):  # noqa: F811
    from fastapi.testclient import TestClient
    from serve_fixtures import make_app

    with TestClient(make_app(served_url, pipeline, open_reads=False)) as closed:
        assert closed.get(f"{API}/events").status_code == 401
        assert closed.get(f"{API}/events", headers={"X-API-Key": "nope"}).status_code == 403
        assert closed.get(f"{API}/events", headers={"X-API-Key": KEY}).status_code == 200


def test_settings_come_from_a_config_file_or_the_environment(tmp_path, monkeypatch):
    from letopis.errors import InputError
    from letopis.serve import Settings

    for name in ("LETOPIS_API_KEY", "LETOPIS_OPEN_READS", "LETOPIS_DB", "LETOPIS_CONFIG"):
        monkeypatch.delenv(name, raising=False)
    config = tmp_path / "serve.toml"
    config.write_text('api_key = "from-file"\nopen_reads = false\ndb = "x.db"\n', "utf-8")
    settings = Settings.from_environment(config=config)
    assert (settings.api_key, settings.open_reads, settings.db) == ("from-file", False, "x.db")
    monkeypatch.setenv("LETOPIS_API_KEY", "from-env")
    assert Settings.from_environment("y.db", config).api_key == "from-env"
    assert Settings.from_environment("y.db", config).db == "y.db"
    config.write_text("api_key = [", "utf-8")
    with pytest.raises(InputError, match="not TOML"):
        Settings.from_environment(config=config)


def test_timeline_counts_reported_events_unless_asked(served_url, pipeline):  # noqa: F811
    from letopis.corpus.corpus import Corpus

    corpus = Corpus(served_url, pipeline=pipeline)
    try:
        candidates = [
            e
            for e in corpus.entities(limit=30)
            if corpus.timeline(e.name, all_statuses=True).events
        ]
        assert candidates, "no entity takes part in an event"
        everything = [corpus.timeline(e.name, all_statuses=True) for e in candidates]
        reported = [corpus.timeline(e.name) for e in candidates]
        for every, only in zip(everything, reported, strict=True):
            assert {e.status for e in only.events} <= {"reported"}
            assert {e.id for e in only.events} == {
                e.id for e in every.events if e.status == "reported"
            }
        assert any(len(o.events) < len(e.events) for e, o in zip(everything, reported, strict=True))
    finally:
        corpus.close()
