"""Screenshots of every page of a running `letopis serve` for the README, taken by Playwright
with Debian's Chromium (/usr/bin/chromium).

    letopis serve --db tg.db --port 8000 &
    python tools/screenshots.py --server http://127.0.0.1:8000 --out docs/screenshots
"""

from __future__ import annotations

import argparse
from pathlib import Path

import httpx
from playwright.sync_api import sync_playwright

SAMPLE = (
    Path(__file__).resolve().parents[1].parent / "shared/samples/kazakhstan-csto-withdrawal.txt"
)


def targets(server: str) -> dict[str, str]:
    api = httpx.Client(base_url=f"{server}/api/v1", timeout=60)
    event = api.get("/events", params={"sort": "most_reported", "limit": 1}).json()["events"][0]
    person = api.get("/entities", params={"type": "PER", "limit": 1}).json()["entities"][0]
    story = api.get("/stories", params={"limit": 1}).json()["stories"][0]
    article = event_article = api.get(f"/events/{event['id']}").json()["evidence"][0]["article"]
    found = api.get("/articles", params={"q": "ОДКБ Токаев"}).json()["articles"]
    if found:
        article = found[0]["id"]
    return {
        "chronicle": "/",
        "event": f"/events/{event['id']}",
        "article": f"/articles/{article or event_article}",
        "entity": f"/entities/{person['id']}",
        "story": f"/stories/{story['id']}",
        "api-docs": "/api/docs",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", default="http://127.0.0.1:8000")
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=args.chromium, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1400, "height": 900}, locale="ru-RU")
        for name, path in targets(args.server).items():
            page.goto(args.server + path)
            for chart in page.locator(".chart").all():
                if chart.get_attribute("id") != "places-map":
                    page.wait_for_selector(f"#{chart.get_attribute('id')}[data-ready='1']")
            if name == "api-docs":
                page.wait_for_selector(".opblock")
            page.screenshot(path=str(args.out / f"{name}.png"))
            print(f"{name}: {path}")
        page.goto(args.server + "/analyze")
        page.fill("textarea[name=text]", SAMPLE.read_text(encoding="utf-8"))
        page.fill("input[name=published]", "2022-01-11")
        page.click("form.analyze button[type=submit]")
        page.wait_for_selector("#places-map[data-ready='1']")
        page.screenshot(path=str(args.out / "analyze.png"), full_page=True)
        print("analyze: /analyze")
        browser.close()


if __name__ == "__main__":
    main()
