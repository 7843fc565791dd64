"""`letopis eval events GOLD.jsonl...`: event quality with the project's shared scorer.

The gold documents ({"id", "text", "published", "events"}) are analyzed with the full
pipeline and scored by ../shared/eval/score_events.py itself (loaded from its path, so the
numbers are the scorer's own): type, +actor, +recipient precision/recall/F1, recall by type,
and status/place/date agreement on the events matched at the +actor level.
"""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Callable, Iterable
from pathlib import Path
from types import ModuleType
from typing import Annotated, Any

import typer

from letopis.errors import InputError
from letopis.eval.event_errors import error_counts, format_errors
from letopis.ingest.article import Article, normalise_published

DEFAULT_SCORER = Path("..") / "shared" / "eval" / "score_events.py"
LEVELS = ("type", "actor", "recipient")


def find_scorer(path: Path | None = None) -> Path:
    """The scorer file: the given path, else ../shared/eval/score_events.py from the current
    directory or from the repository root."""
    if path is not None:
        if not path.is_file():
            raise InputError(f"event scorer not found: {path}")
        return path
    repo_root = Path(__file__).resolve().parents[2]
    for base in (Path.cwd(), repo_root):
        candidate = (base / DEFAULT_SCORER).resolve()
        if candidate.is_file():
            return candidate
    raise InputError(f"event scorer not found at {DEFAULT_SCORER} (give it with --scorer)")


def load_scorer(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("letopis_shared_score_events", path)
    if spec is None or spec.loader is None:
        raise InputError(f"cannot load the event scorer {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def read_gold(path: Path, fields: tuple[str, ...] = ("id", "text")) -> list[dict[str, Any]]:
    """The documents of a gold JSONL file, each an object with `fields`."""
    docs = []
    try:
        with path.open(encoding="utf-8") as file:
            for number, line in enumerate(file, start=1):
                if not line.strip():
                    continue
                try:
                    doc = json.loads(line)
                except json.JSONDecodeError as error:
                    raise InputError(f"{path}:{number}: not JSON ({error.msg})") from None
                if not isinstance(doc, dict) or any(name not in doc for name in fields):
                    needed = " and ".join(f"'{name}'" for name in fields)
                    raise InputError(f"{path}:{number}: a gold document needs {needed}")
                docs.append(doc)
    except OSError as error:
        raise InputError(f"cannot read {path}: {error.strerror}") from None
    return docs


def gold_article(doc: dict[str, Any]) -> Article:
    """The article a gold document holds."""
    return Article(
        id=str(doc["id"]),
        text=doc["text"],
        title=doc.get("title"),
        published=normalise_published(doc.get("published")),
        source=doc.get("source"),
        url=doc.get("url"),
    )


def analyze_gold(
    docs: Iterable[dict[str, Any]], analyze: Callable[[Article], Any] | None = None
) -> list[dict[str, Any]]:
    """System records (dicts) for the gold documents, analyzed by the default pipeline."""
    if analyze is None:
        from letopis.pipeline import shared_pipeline

        analyze = shared_pipeline().analyze
    records = []
    for doc in docs:
        records.append(analyze(gold_article(doc)).to_dict())
    return records


def filter_confidence(records: list[dict[str, Any]], minimum: float) -> list[dict[str, Any]]:
    """Records keeping only events with confidence >= minimum (what --min-confidence does)."""
    return [
        {**r, "events": [e for e in r.get("events", []) if e.get("confidence", 0.0) >= minimum]}
        for r in records
    ]


def format_result(result: dict[str, Any]) -> list[str]:
    lines = []
    for level in LEVELS:
        r = result[level]
        lines.append(
            f"{level:10s} P={r['precision']:.3f} R={r['recall']:.3f} F1={r['f1']:.3f} "
            f"(system {r['system_events']}, gold {r['gold_events']})"
        )
    for name, a in result["attributes"].items():
        lines.append(f"{name:10s} agree {a['agree']}/{a['of']}")
    lines.append(
        "recall by type: "
        + ", ".join(f"{k} {v['found']}/{v['of']}" for k, v in result["recall_by_type"].items())
    )
    return lines


def _write_records(path: Path, records: list[dict]) -> None:
    try:
        with path.open("w", encoding="utf-8") as file:
            for record in records:
                file.write(json.dumps(record, ensure_ascii=False) + "\n")
    except OSError as error:
        raise InputError(f"cannot write {path}: {error.strerror}") from None


def pooled(
    gold_sets: list[list[dict[str, Any]]], record_sets: list[list[dict[str, Any]]]
) -> tuple[list[dict[str, Any]], dict[str, dict[str, Any]]]:
    """All gold documents in one list and their records by id, ids prefixed by the file's
    number so that two files may reuse an id."""
    gold, records = [], {}
    for number, (docs, recs) in enumerate(zip(gold_sets, record_sets, strict=True)):
        gold.extend({**d, "id": f"{number}/{d['id']}"} for d in docs)
        records.update({f"{number}/{r['id']}": r for r in recs})
    return gold, records


def _report(
    module: ModuleType,
    gold: list[dict[str, Any]],
    records: dict[str, dict[str, Any]],
    with_errors: bool,
) -> tuple[dict[str, Any], list[str]]:
    result = module.score(gold, records)
    lines = format_result(result)
    if with_errors:
        counts = error_counts(module, gold, records)
        result["errors"] = dict(sorted(counts.items()))
        lines += format_errors(counts)
    return result, lines


def events_command(
    gold_files: Annotated[
        list[Path],
        typer.Argument(
            help="Gold events (JSONL), one or more, e.g. ../shared/eval/dev/events.jsonl "
            "../shared/eval/dev/events-broad.jsonl. Several files: a table per file and a "
            "pooled one (all documents scored at once)."
        ),
    ],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Also write the system records here.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the scores as JSON.")] = False,
    scorer: Annotated[
        Path | None,
        typer.Option("--scorer", help="The scorer (default ../shared/eval/score_events.py)."),
    ] = None,
    min_confidence: Annotated[
        float, typer.Option("--min-confidence", help="Score only events at least this sure.")
    ] = 0.0,
    errors: Annotated[
        bool,
        typer.Option(
            "--errors",
            help="Also count errors by cause: false positives (not_an_event, wrong_type, "
            "duplicate), misses (no_trigger, wrong_type), actor/recipient missing or wrong.",
        ),
    ] = False,
) -> None:
    """Analyze the gold documents and score their events with the shared event scorer."""
    module = load_scorer(find_scorer(scorer))
    gold_sets = [read_gold(path) for path in gold_files]
    record_sets = [filter_confidence(analyze_gold(g), min_confidence) for g in gold_sets]
    if output is not None:
        _write_records(output, [r for recs in record_sets for r in recs])
    reports: dict[str, dict[str, Any]] = {}
    blocks: list[list[str]] = []
    for path, gold, records in zip(gold_files, gold_sets, record_sets, strict=True):
        result, lines = _report(module, gold, {r["id"]: r for r in records}, errors)
        reports[str(path)] = result
        blocks.append([f"== {path} ({len(gold)} documents)", *lines])
    if len(gold_files) > 1:
        result, lines = _report(module, *pooled(gold_sets, record_sets), errors)
        reports["pooled"] = result
        blocks.append([f"== pooled ({sum(len(g) for g in gold_sets)} documents)", *lines])
    if as_json:
        shown = reports if len(gold_files) > 1 else next(iter(reports.values()))
        typer.echo(json.dumps(shown, ensure_ascii=False, indent=1))
        return
    for block in blocks:
        for line in block if len(gold_files) > 1 else block[1:]:
            typer.echo(line)
