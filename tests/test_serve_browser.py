"""The web page in a real browser (Playwright driving Debian's Chromium, never a downloaded
one): every page renders its charts without a script error or a CSP violation, the chronicle
filters, an event is followed to its evidence and reviewed, and payload articles stay inert."""

from __future__ import annotations

import json
import socket
import threading
import time
from pathlib import Path

import pytest
from serve_fixtures import KEY, make_app, served_url  # noqa: F401  (fixtures)

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = pytest.mark.parametrize("served_url", ["sqlite"], indirect=True)


@pytest.fixture(scope="module")
def server(served_url, pipeline):  # noqa: F811
    uvicorn = pytest.importorskip("uvicorn")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = uvicorn.Config(make_app(served_url, pipeline), port=port, log_level="warning")
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not running.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert running.started, "the test server did not start"
    yield f"http://127.0.0.1:{port}"
    running.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"no Chromium at {CHROMIUM}: apt-get install chromium (.ci/run does)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"]
        )
        yield launched
        launched.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="ru-RU")
    opened = context.new_page()
    problems: list[str] = []
    opened.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    opened.on(
        "console",
        lambda message: (
            problems.append(f"console: {message.text}") if message.type == "error" else None
        ),
    )
    opened.on(
        "response",
        lambda response: (
            problems.append(f"{response.status}: {response.url}")
            if response.status >= 400
            else None
        ),
    )
    opened.on("dialog", lambda dialog: problems.append(f"dialog: {dialog.message}"))
    opened.problems = problems
    yield opened
    context.close()


def _api(page, server, path: str):
    response = page.request.get(server + "/api/v1" + path)
    assert response.ok, path
    return response.json()


def _ready(page, selector: str) -> None:
    page.wait_for_selector(f"{selector}[data-ready='1']", timeout=15_000)


def test_every_page_renders_with_its_charts(page, server, tmp_path):
    event = _api(page, server, "/events?sort=most_reported&limit=1")["events"][0]
    entity = _api(page, server, "/entities?type=PER&limit=1")["entities"][0]
    story = _api(page, server, "/stories?min_articles=1&limit=1")["stories"][0]
    article = _api(page, server, "/articles?limit=1")["articles"][0]
    pages = {
        "chronicle": ("/", ["#timeline", "#events-map"]),
        "event": (f"/events/{event['id']}", []),
        "article": (f"/articles/{article['id']}", []),
        "entity": (f"/entities/{entity['id']}", ["#entity-months", "#entity-network"]),
        "story": (f"/stories/{story['id']}", []),
        "api-docs": ("/api/docs", []),
    }
    for name, (path, charts) in pages.items():
        response = page.goto(server + path)
        assert response.status == 200, path
        for chart in charts:
            _ready(page, chart)
            assert page.locator(f"{chart} canvas").count() >= 1, f"{path}: {chart} not drawn"
        if name == "api-docs":
            page.wait_for_selector(".opblock", timeout=15_000)
            assert page.locator(".opblock").count() >= 15
        page.screenshot(path=str(tmp_path / f"{name}.png"), full_page=True)
    assert page.problems == []


def test_analyze_page_marks_entities_and_triggers(page, server, sample_text):
    page.goto(server + "/analyze")
    page.fill("textarea[name=text]", sample_text)
    page.fill("input[name=published]", "2022-01-11")
    page.click("form.analyze button[type=submit]")
    page.wait_for_selector("#analyzed-text mark.k-trigger")
    assert page.locator("#analyzed-text mark.k-PER").count() >= 1
    assert page.locator("table.events tbody tr").count() >= 1
    _ready(page, "#places-map")
    assert page.problems == []


def test_filter_follow_an_event_to_its_evidence_and_review_it(page, server):
    page.goto(server + "/")
    everything = int(page.locator("#total strong").inner_text())
    event_type = _api(page, server, "/events?limit=1")["events"][0]["type"]
    page.select_option("select[name=type]", event_type)
    page.click("#filters button[type=submit]")
    page.wait_for_url(f"**type={event_type}**")
    filtered = int(page.locator("#total strong").inner_text())
    assert 0 < filtered <= everything
    assert filtered == _api(page, server, f"/events?type={event_type}")["total"]
    types = page.locator("table.events tbody tr td:nth-child(2)").all_inner_texts()
    assert types and set(types) == {event_type}
    page.locator("table.events tbody tr a.event-link").first.click()
    page.wait_for_selector("ol.evidence blockquote mark.k-trigger")
    event_id = int(page.url.rstrip("/").split("/")[-1].split("?")[0])
    evidence = page.locator("ol.evidence li").count()
    assert evidence == len(_api(page, server, f"/events/{event_id}")["evidence"])
    page.check("input[name=verdict][value=correct]")
    page.fill("input[name=reviewer]", "Браузерный тест")
    page.fill("textarea[name=note]", "проверено в браузере")
    page.fill("input[name=key]", KEY)
    page.click(".review-form button[type=submit]")
    page.wait_for_selector(".notice")
    assert "Браузерный тест" in page.locator("ul.reviews").inner_text()
    reviews = _api(page, server, f"/events/{event_id}")["reviews"]
    assert reviews[-1]["reviewer"] == "Браузерный тест" and reviews[-1]["verdict"] == "correct"
    assert page.problems == []


def test_clicking_a_timeline_bar_filters_that_day_and_type(page, server):
    page.goto(server + "/")
    _ready(page, "#timeline")
    target = page.evaluate(
        """() => {
        const element = document.getElementById("timeline");
        const chart = echarts.getInstanceByDom(element);
        const option = chart.getOption();
        const days = option.xAxis[0].data;
        const series = option.series[0];
        const index = series.data.findIndex((v) => v > 0);
        const [x, y] = chart.convertToPixel({seriesIndex: 0}, [index, series.data[index] / 2]);
        return {x, y, day: days[index], type: series.name};
    }"""
    )
    box = page.locator("#timeline").bounding_box()
    page.mouse.click(box["x"] + target["x"], box["y"] + target["y"])
    page.wait_for_url(f"**from={target['day']}**")
    shown = page.locator("table.events tbody tr")
    assert shown.count() >= 1
    assert set(page.locator("table.events tbody tr td:nth-child(2)").all_inner_texts()) == {
        target["type"]
    }
    dates = page.locator("table.events tbody tr td:nth-child(1)").all_inner_texts()
    assert set(dates) == {target["day"]}
    assert page.problems == []


def test_payload_articles_do_not_execute(page, server):
    listing = _api(page, server, "/articles?limit=1000")["articles"]
    payloads = [a for a in listing if a["key"].startswith("payload-")]
    assert len(payloads) == 3
    for article in payloads:
        page.goto(f"{server}/articles/{article['id']}")
        assert page.evaluate("typeof window.__pwned") == "undefined"
        assert page.locator("main img, main script").count() == 0
        assert page.locator("main a[href^='javascript']").count() == 0
        for event_id in _api(page, server, f"/articles/{article['id']}")["events"]:
            page.goto(f"{server}/events/{event_id}")
            assert page.evaluate("typeof window.__pwned") == "undefined"
            assert page.locator("main img, main script").count() == 0
    assert page.problems == []


def test_reviews_export_as_gold_and_score(page, server, served_url, tmp_path):  # noqa: F811
    """After the browser review above: the reviews export as gold documents that `letopis eval
    events` scores, and `letopis eval reviews` counts the verdicts the API shows."""
    from typer.testing import CliRunner

    from letopis.cli import app

    reviewed = _api(page, server, "/events?reviewed=true&limit=1000")["events"]
    assert reviewed, "the review test above left no reviewed event"
    latest = {e["id"]: _api(page, server, f"/events/{e['id']}") for e in reviewed}
    verdicts = {i: d["reviews"][-1]["verdict"] for i, d in latest.items()}
    gold_path = tmp_path / "gold.jsonl"
    runner = CliRunner()
    exported = runner.invoke(app, ["export", "--reviews", "--db", served_url, "-o", str(gold_path)])
    assert exported.exit_code == 0, exported.output
    documents = [json.loads(line) for line in gold_path.read_text(encoding="utf-8").splitlines()]
    required = [e for d in documents for e in d["events"] if e["required"]]
    kept = [i for i, v in verdicts.items() if v in ("correct", "corrected")]
    assert len(required) == sum(len(latest[i]["evidence"]) for i in kept)
    scored = runner.invoke(app, ["eval", "events", str(gold_path), "--json"])
    assert scored.exit_code == 0, scored.output
    result = json.loads(scored.output)
    assert result["type"]["gold_events"] == len(required)
    correct_reports = sum(len(latest[i]["evidence"]) for i, v in verdicts.items() if v == "correct")
    assert round(result["type"]["recall"] * len(required)) >= correct_reports
    precision = runner.invoke(app, ["eval", "reviews", "--db", served_url, "--json"])
    per_type = json.loads(precision.output)
    assert sum(r["reviewed"] for r in per_type.values()) == len(verdicts)
    assert sum(r["correct"] for r in per_type.values()) == list(verdicts.values()).count("correct")
