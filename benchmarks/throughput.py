"""Throughput: the Letopis pipeline against bare Natasha on the same texts in one process.

    .venv/bin/python benchmarks/throughput.py [--data ../shared/data/nerel/test] [--rounds 3]
                                              [--with-events] [--limit N]

Both systems share the models of letopis.analyze.models.load_models(). After a warm-up pass
of each, every round gives each text to both systems in turn, alternating which goes first, so
that machine noise falls on both alike. Prints articles/s of each, their ratio (the target is
>= 0.8), the time each Letopis component took, and the peak RSS of the process.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

from letopis.pipeline import DEFAULT_COMPONENTS

REPO = Path(__file__).resolve().parent.parent
DEFAULT_DATA = REPO.parent / "shared" / "data" / "nerel" / "test"
COMPONENTS = tuple(name for name in DEFAULT_COMPONENTS if name != "events")


def load_texts(folder: Path, limit: int) -> list[str]:
    paths = sorted(folder.glob("*.txt"))
    if limit > 0:
        paths = paths[:limit]
    return [path.read_text(encoding="utf-8") for path in paths]


def natasha_runner() -> Callable[[str], object]:
    from natasha import Doc as NatashaDoc

    from letopis.analyze.models import load_models

    models = load_models()

    def run(text: str) -> object:
        doc = NatashaDoc(text)
        doc.segment(models.segmenter)
        doc.tag_morph(models.morph_tagger)
        doc.parse_syntax(models.syntax_parser)
        doc.tag_ner(models.ner_tagger)
        return doc

    return run


def letopis_runner(components: tuple[str, ...], seconds: dict[str, float]):
    """A Letopis pipeline whose components add their run time to `seconds`."""
    from letopis import Pipeline
    from letopis.ingest.article import Article

    pipeline = Pipeline(components=components)
    pipeline.components = [
        _timed(name, apply, seconds)
        for name, apply in zip(pipeline.component_names, pipeline.components, strict=True)
    ]

    def run(text: str) -> object:
        return pipeline.process(Article(id="bench", text=text))

    return run


def _timed(name: str, apply, seconds: dict[str, float]):
    def timed(doc):
        started = time.perf_counter()
        result = apply(doc)
        seconds[name] += time.perf_counter() - started
        return result

    return timed


def one_pass(run: Callable[[str], object], texts: list[str]) -> float:
    started = time.perf_counter()
    for text in texts:
        run(text)
    return time.perf_counter() - started


def alternating_pass(runs: dict[str, Callable[[str], object]], texts: list[str], flip: bool):
    """Each text through every system in turn (the order flipping from text to text), so that
    load from other processes on the machine falls on all systems alike."""
    seconds = dict.fromkeys(runs, 0.0)
    names = list(runs)
    for index, text in enumerate(texts):
        order = names if (index % 2 == 0) != flip else names[::-1]
        for name in order:
            started = time.perf_counter()
            runs[name](text)
            seconds[name] += time.perf_counter() - started
    return seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder of *.txt")
    parser.add_argument("--rounds", type=int, default=3, help="timed passes of each system")
    parser.add_argument("--limit", type=int, default=0, help="use only the first N texts")
    parser.add_argument("--with-events", action="store_true", help='add the "events" coder')
    args = parser.parse_args(argv)

    if not args.data.is_dir() or not any(args.data.glob("*.txt")):
        print(f"skipped: no *.txt articles in {args.data} (the NEREL test set is expected there)")
        return 0
    from letopis.analyze.models import load_models, pin_blas_threads

    pin_blas_threads()
    started = time.perf_counter()
    load_models()
    init_seconds = time.perf_counter() - started

    texts = load_texts(args.data, args.limit)
    components = COMPONENTS + (("events",) if args.with_events else ())
    component_seconds: dict[str, float] = defaultdict(float)
    natasha = natasha_runner()
    letopis = letopis_runner(components, component_seconds)

    one_pass(natasha, texts[:10])  # warm-up: lazy loads, caches, allocator
    one_pass(letopis, texts[:10])
    component_seconds.clear()

    totals = {"natasha": 0.0, "letopis": 0.0}
    runs = {"natasha": natasha, "letopis": letopis}
    for round_index in range(args.rounds):
        for name, seconds in alternating_pass(runs, texts, round_index % 2 == 1).items():
            totals[name] += seconds

    articles = len(texts) * args.rounds
    rates = {name: articles / seconds for name, seconds in totals.items()}
    mean_chars = sum(map(len, texts)) / len(texts)
    print(
        f"{len(texts)} articles from {args.data} (mean {mean_chars:.0f} chars), "
        f"{args.rounds} alternating rounds; models loaded in {init_seconds:.2f} s"
    )
    print(f"bare Natasha (segment+morph+syntax+ner): {rates['natasha']:6.1f} articles/s")
    print(f"Letopis ({', '.join(components)}): {rates['letopis']:6.1f} articles/s")
    print(f"ratio Letopis / Natasha: {rates['letopis'] / rates['natasha']:.2f} (target >= 0.8)")
    print("Letopis time per component (ms/article):")
    for name in components:
        print(f"  {name:10} {1000 * component_seconds[name] / articles:7.2f}")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS: {peak_mb:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))
    sys.exit(main())
