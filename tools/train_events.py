"""Train the eventivity model (letopis/data/event_classifier.json) on the development gold and
print its 5-fold cross-validated scores (by document) with the shared scorer.

    python tools/train_events.py [GOLD.jsonl ...] [--folds 5] [--seeds N] [--no-write]
                                 [--extra FILE]

Default gold: ../shared/eval/dev/events.jsonl and events-broad.jsonl. `--extra` names
training-only gold (e.g. training/events-extra.jsonl, texts read from ../shared/data): it
joins every fold's training set and the model, and is never scored. Deterministic: the folds
are GroupKFold over documents in file order and the learner has no randomness. With 170
documents the score moves by a few hundredths with the assignment of documents to folds, so
`--seeds N` also prints the mean and range over N seeded random assignments."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from letopis.eval.event_errors import error_counts, format_errors
from letopis.eval.events import find_scorer, format_result, load_scorer, read_gold
from letopis.extract.events.eventivity import weights_path
from letopis.learn.events import collect, cross_validate, train
from letopis.learn.extra_gold import read_extra_gold

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
DEV = SHARED / "eval" / "dev"
DEFAULT_GOLD = (DEV / "events.jsonl", DEV / "events-broad.jsonl")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gold", nargs="*", type=Path, default=list(DEFAULT_GOLD))
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--no-write", action="store_true", help="Only cross-validate.")
    parser.add_argument(
        "--seeds", type=int, default=0, help="Also cross-validate over N random fold draws."
    )
    parser.add_argument("--extra", type=Path, help="Training-only gold (never scored).")
    args = parser.parse_args(argv)
    missing = [p for p in [*args.gold, *filter(None, [args.extra])] if not p.is_file()]
    if missing:
        print(f"error: gold file not found: {missing[0]}", file=sys.stderr)
        return 2
    from letopis.pipeline import Pipeline

    scorer = load_scorer(find_scorer())
    gold_sets = [read_gold(p) for p in args.gold]
    pipeline = Pipeline()
    all_gold = [{**d, "id": f"{n}/{d['id']}"} for n, g in enumerate(gold_sets) for d in g]
    docs = collect(scorer, all_gold, pipeline)
    extra = []
    if args.extra is not None:
        extra_gold = read_extra_gold(args.extra, SHARED / "data")
        extra = collect(scorer, extra_gold, pipeline, first_group=len(all_gold))
        print(f"training-only gold: {len(extra_gold)} documents from {args.extra}")
    records = cross_validate(docs, args.folds, extra)
    sizes = [len(g) for g in gold_sets]
    start = 0
    for path, size in zip(args.gold, sizes, strict=True):
        part = all_gold[start : start + size]
        start += size
        print(f"== {path} ({size} documents), {args.folds}-fold cross-validated")
        for line in format_result(scorer.score(part, records)):
            print(line)
    print(f"== pooled ({len(all_gold)} documents), {args.folds}-fold cross-validated")
    for line in format_result(scorer.score(all_gold, records)):
        print(line)
    for line in format_errors(error_counts(scorer, all_gold, records)):
        print(line)
    if args.seeds:
        print(seeded_summary(scorer, all_gold, docs, args.folds, args.seeds, extra))
    if not args.no_write:
        classifier = train(docs + extra)
        path = weights_path()
        path.write_text(json.dumps(classifier.to_dict(), ensure_ascii=False, indent=0) + "\n")
        print(f"wrote {path} ({len(classifier.weights)} weights, threshold {classifier.threshold})")
    return 0


def seeded_summary(scorer, gold: list, docs: list, folds: int, seeds: int, extra: list) -> str:
    levels = ("type", "actor", "recipient")
    runs = []
    for seed in range(seeds):
        result = scorer.score(gold, cross_validate(docs, folds, extra, seed=seed))
        runs.append([result[level]["f1"] for level in levels])
    lines = [f"== pooled, {folds}-fold cross-validated over {seeds} random fold draws (seeds 0..)"]
    for level, values in zip(levels, zip(*runs, strict=True), strict=True):
        mean = sum(values) / len(values)
        lines.append(f"{level:10} F1 mean {mean:.3f} (range {min(values):.3f}-{max(values):.3f})")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
