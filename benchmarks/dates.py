"""Letopis dates vs Natasha's DatesExtractor on the NEREL test texts: speed, recall, precision.

    .venv/bin/python benchmarks/dates.py [--data ../shared/data/nerel/test] [--repeat 3]

Gold: NEREL's DATE entities (brat .ann; a discontinuous span counts from its first to its last
fragment). Recall counts only the gold spans with a calendar-ish expression — a month name, a
weekday, a 3–4 digit number that can be a year (1000–2099), or a relative day word
(сегодня, вчера, позавчера, завтра, послезавтра) — since neither extractor looks for durations
("три года"), frequencies ("ежегодно") or vague periods ("в последние дни"). The filter is
written out below with its own word stems, independent of letopis/data/dates.yaml.

A gold span is found when a predicted span overlaps it ("overlap recall") or has exactly its
start and end ("exact recall"). Precision: the predicted spans that overlap any gold DATE
(filtered or not) over all predicted spans. NEREL texts carry no publication date, so Letopis
runs twice: without an anchor (its relative expressions are then left out, as in production)
and with a fixed anchor, which makes it report them (the date it resolves to is not scored).

Speed: articles per CPU-second of the benchmark process (other jobs on a shared machine skew it
less) and per wall-clock second, each the best of --repeat passes for Letopis and of two passes
for Natasha.

Not a test: it prints a table and the speed ratio, and skips when the data is absent.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from letopis.extract.dates import extract_dates

DEFAULT_DATA = Path(__file__).resolve().parent.parent.parent / "shared/data/nerel/test"
ANCHOR = date(2020, 1, 1)

CALENDARISH = re.compile(
    r"(?<!\w)(?:январ|феврал|март|апрел|ма[йяюе](?!\w)|июн|июл|август|сентябр|октябр|ноябр"
    r"|декабр|понедельник|вторник|сред[аыеуо]|четверг|пятниц|суббот|воскресень"
    r"|сегодня|вчера|позавчера|завтра|послезавтра|(?:1\d|20)\d\d(?!\d))",
    re.IGNORECASE,
)

Span = tuple[int, int]


@dataclass
class Article:
    name: str
    text: str
    gold: list[tuple[Span, str]]  # DATE spans with their text


def read_articles(folder: Path) -> list[Article]:
    articles = []
    for txt in sorted(folder.glob("*.txt")):
        ann = txt.with_suffix(".ann")
        if not ann.exists():
            continue
        text = txt.read_text(encoding="utf-8")
        articles.append(Article(txt.stem, text, read_dates(ann)))
    return articles


def read_dates(ann: Path) -> list[tuple[Span, str]]:
    spans = []
    for line in ann.read_text(encoding="utf-8").splitlines():
        if not line.startswith("T"):
            continue
        _, kind_and_offsets, surface = line.split("\t", 2)
        kind, offsets = kind_and_offsets.split(" ", 1)
        if kind != "DATE":
            continue
        numbers = [int(n) for n in re.split(r"[ ;]", offsets)]
        spans.append(((min(numbers), max(numbers)), surface))
    return spans


def letopis_spans(anchor: date | None) -> Callable[[str], list[Span]]:
    return lambda text: [(m.start, m.end) for m in extract_dates(text, anchor)]


def natasha_spans() -> Callable[[str], list[Span]]:
    from natasha import DatesExtractor, MorphVocab

    extractor = DatesExtractor(MorphVocab())
    return lambda text: [(m.start, m.stop) for m in extractor(text)]


def timed(find: Callable[[str], list[Span]], articles: list[Article], repeat: int):
    """The spans found, and articles per CPU-second of this process and per wall-clock second,
    each over the best of `repeat` passes."""
    found = [find(a.text) for a in articles]  # warm-up, and the spans scored
    best_cpu = best_wall = float("inf")
    for _ in range(repeat):
        cpu, wall = time.process_time(), time.perf_counter()
        for article in articles:
            find(article.text)
        best_cpu = min(best_cpu, time.process_time() - cpu)
        best_wall = min(best_wall, time.perf_counter() - wall)
    return found, len(articles) / best_cpu, len(articles) / best_wall


def overlaps(a: Span, b: Span) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def score(articles: list[Article], found: list[list[Span]]) -> dict[str, float]:
    gold_total = hit = exact = predicted = correct = 0
    for article, spans in zip(articles, found, strict=True):
        all_gold = [span for span, _ in article.gold]
        for span, surface in article.gold:
            if not CALENDARISH.search(surface):
                continue
            gold_total += 1
            hit += any(overlaps(span, p) for p in spans)
            exact += span in spans
        predicted += len(spans)
        correct += sum(any(overlaps(p, g) for g in all_gold) for p in spans)
    return {
        "gold": gold_total,
        "recall": hit / gold_total if gold_total else 0.0,
        "exact": exact / gold_total if gold_total else 0.0,
        "predicted": predicted,
        "precision": correct / predicted if predicted else 0.0,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--repeat", type=int, default=5, help="timed passes for Letopis")
    options = parser.parse_args()
    if not options.data.is_dir():
        print(f"skipped: NEREL test data not found at {options.data}")
        return 0
    articles = read_articles(options.data)
    if not articles:
        print(f"skipped: no .txt/.ann pairs in {options.data}")
        return 0
    chars = sum(len(a.text) for a in articles) / len(articles)
    print(f"{len(articles)} NEREL articles from {options.data}, {chars:.0f} chars on average")

    runs = [
        ("letopis (no anchor)", letopis_spans(None), options.repeat),
        (f"letopis (anchor {ANCHOR})", letopis_spans(ANCHOR), options.repeat),
        ("natasha DatesExtractor", natasha_spans(), 2),  # 2-4 s a pass
    ]
    rows = []
    for name, find, repeat in runs:
        found, speed, wall_speed = timed(find, articles, repeat)
        rows.append((name, speed, wall_speed, score(articles, found)))

    gold = rows[0][3]["gold"]
    print(f"gold DATE spans with a calendar-ish expression: {gold}")
    header = (
        f"{'extractor':<30}{'art/cpu-s':>10}{'art/s wall':>11}{'recall':>8}{'exact':>7}"
        f"{'precision':>10}{'found':>7}"
    )
    print(header)
    print("-" * len(header))
    for name, speed, wall_speed, s in rows:
        print(
            f"{name:<30}{speed:>10.1f}{wall_speed:>11.1f}{s['recall']:>8.3f}{s['exact']:>7.3f}"
            f"{s['precision']:>10.3f}{s['predicted']:>7}"
        )
    natasha_speed, natasha_wall = rows[-1][1], rows[-1][2]
    for name, speed, wall_speed, _ in rows[:-1]:
        print(
            f"speed ratio {name} / natasha: {speed / natasha_speed:.0f}x CPU time, "
            f"{wall_speed / natasha_wall:.0f}x wall clock"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
