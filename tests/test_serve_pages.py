"""The web page as HTML: every page renders from the real corpus with a strict
Content-Security-Policy, and the payload articles (<script>, onerror=, javascript: links,
{{ }} template syntax) come out as inert text."""

from __future__ import annotations

import re

import pytest
from serve_fixtures import KEY, client, served_url  # noqa: F401  (fixtures)

API = "/api/v1"
PAYLOAD_KEYS = ("payload-script", "payload-onerror", "payload-template")


def _payload_articles(client) -> dict[str, dict]:  # noqa: F811
    found = {}
    url = f"{API}/articles?limit=1000"
    for article in client.get(url).json()["articles"]:
        if article["key"] in PAYLOAD_KEYS:
            found[article["key"]] = article
    assert set(found) == set(PAYLOAD_KEYS), "the payload articles were not ingested"
    return found


def _assert_inert(html: str) -> None:
    assert "<script>window.__pwned" not in html
    assert "<img src=x" not in html and '<img src="x"' not in html
    assert 'href="javascript:' not in html.lower()


def _csp(response) -> str:
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy.split("style-src")[0]
    assert "object-src 'none'" in policy
    return policy


def test_chronicle_renders_filters_and_links_events(client):  # noqa: F811
    response = client.get("/")
    assert response.status_code == 200
    _csp(response)
    total = client.get(f"{API}/events").json()["total"]
    assert f"<strong>{total}</strong>" in response.text
    assert re.search(r'href="/events/\d+"', response.text)
    event_type = client.get(f"{API}/events?limit=1").json()["events"][0]["type"]
    filtered = client.get("/", params={"type": event_type})
    typed_total = client.get(f"{API}/events", params={"type": event_type}).json()["total"]
    assert f"<strong>{typed_total}</strong>" in filtered.text
    assert 'data-api="/api/v1/stats?type=' + event_type in filtered.text


@pytest.mark.parametrize("kind", ["events", "articles", "entities", "stories"])
def test_every_page_renders_real_data(client, kind):  # noqa: F811
    if kind == "events":
        item = client.get(f"{API}/events?limit=1").json()["events"][0]
        text = item["type"]
    elif kind == "articles":
        item = client.get(f"{API}/articles?limit=1").json()["articles"][0]
        text = item["title"].split()[0]
    elif kind == "entities":
        item = client.get(f"{API}/entities?limit=1").json()["entities"][0]
        text = item["name"]
    else:
        item = client.get(f"{API}/stories?min_articles=1&limit=1").json()["stories"][0]
        text = (item["title"] or "").split()[0]
    response = client.get(f"/{kind}/{item['id']}")
    assert response.status_code == 200
    _csp(response)
    assert text.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&#34;") in response.text
    assert client.get(f"/{kind}/{2**31 - 1}").status_code == 404


def test_payload_articles_stay_inert_on_every_page(client):  # noqa: F811
    payloads = _payload_articles(client)
    event_pages = 0
    for article in payloads.values():
        page = client.get(f"/articles/{article['id']}").text
        _assert_inert(page)
        detail = client.get(f"{API}/articles/{article['id']}").json()
        for event_id in detail["events"]:
            _assert_inert(client.get(f"/events/{event_id}").text)
            event_pages += 1
    assert event_pages, "no payload article made an event: its evidence page went untested"
    script_page = client.get(f"/articles/{payloads['payload-script']['id']}").text
    assert "&lt;script&gt;window.__pwned = 3&lt;/script&gt;" in script_page
    assert "javascript:window.__pwned=2" in script_page  # shown as text, not as a link
    template_page = client.get(f"/articles/{payloads['payload-template']['id']}").text
    assert "{{ 7*7 }}" in template_page and "{% for x in range(3) %}" in template_page
    _assert_inert(client.get("/", params={"source": "payload"}).text)


def test_analyze_page_highlights_and_escapes(client, sample_text):  # noqa: F811
    form = client.get("/analyze")
    assert form.status_code == 200 and "<textarea" in form.text
    text = sample_text + "\n<script>window.__pwned = 6</script> {{ 7*7 }}"
    response = client.post("/analyze", data={"text": text, "published": "2022-01-11"})
    assert response.status_code == 200
    assert 'class="k-trigger"' in response.text and 'class="k-PER"' in response.text
    assert "&lt;script&gt;window.__pwned = 6&lt;/script&gt;" in response.text
    _assert_inert(response.text)
    assert client.post("/analyze", data={"text": "  "}).status_code == 422


def test_review_form_needs_the_key_and_shows_the_review(client):  # noqa: F811
    event = client.get(f"{API}/events", params={"reviewed": "false", "limit": 1}).json()
    event_id = event["events"][0]["id"]
    form = {"verdict": "wrong", "reviewer": "<i>Редактор</i>", "note": "{{ 7*7 }}"}
    assert client.post(f"/events/{event_id}/review", data=form).status_code == 401
    wrong = client.post(f"/events/{event_id}/review", data={**form, "key": "nope"})
    assert wrong.status_code == 403 and "<html" in wrong.text
    made = client.post(
        f"/events/{event_id}/review", data={**form, "key": KEY}, follow_redirects=False
    )
    assert made.status_code == 303
    page = client.get(made.headers["location"]).text
    assert "&lt;i&gt;Редактор&lt;/i&gt;" in page and "{{ 7*7 }}" in page
    assert client.get(f"{API}/events/{event_id}").json()["reviews"][-1]["verdict"] == "wrong"


def test_english_is_one_switch_away(client):  # noqa: F811
    russian = client.get("/")
    assert "Хроника событий" in russian.text and 'lang="ru"' in russian.text
    english = client.get("/", params={"lang": "en"})
    assert "Chronicle of events" in english.text and "Хроника событий" not in english.text
    assert english.cookies.get("lang") == "en"
    back = client.get("/", params={"lang": "ru"})
    assert "Хроника событий" in back.text


def test_every_interface_string_has_its_english():
    from importlib import resources

    from letopis.data import load_yaml

    english = load_yaml("ui_en.yaml")
    templates = resources.files("letopis.serve").joinpath("templates")
    wrapped = set()
    for template in templates.iterdir():
        wrapped |= set(re.findall(r't\("([^"]+)"\)', template.read_text(encoding="utf-8")))
    assert wrapped, "no template string goes through t()"
    assert sorted(wrapped - set(english)) == []
