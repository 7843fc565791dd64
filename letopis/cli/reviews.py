"""`letopis eval reviews` and `letopis export --reviews`: analysts' reviews as quality numbers
and as gold documents (letopis.eval.reviews)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from letopis.cli.corpus import open_corpus
from letopis.cli.errors import fail, user_errors
from letopis.cli.options import Db
from letopis.errors import InputError
from letopis.eval.reviews import gold_documents, precision_by_type, write_gold


def export_reviews(corpus, output: Path | None) -> int:
    """Gold JSONL of the reviewed events, to `output` or standard output."""
    documents = gold_documents(corpus)
    if output is None:
        return write_gold(documents, sys.stdout)
    try:
        with open(output, "w", encoding="utf-8") as out:
            return write_gold(documents, out)
    except OSError as error:
        raise InputError(f"cannot write {output}: {error.strerror}") from None


def reviews_command(db: Db = None, as_json: Annotated[
        bool, typer.Option("--json", help="Print the numbers as JSON.")] = False,
) -> None:  # fmt: skip
    """The coder's precision per event type on the events analysts have reviewed."""
    with user_errors(), open_corpus(db) as corpus:
        result = precision_by_type(corpus)
    if as_json:
        typer.echo(json.dumps(result, ensure_ascii=False, indent=1))
        return
    if not result:
        fail("no reviewed events in this corpus", code=1)
    typer.echo(f"{'type':10s} {'reviewed':>8s} {'correct':>8s} {'fixed':>6s} {'wrong':>6s} "
               f"{'precision':>9s} {'type P':>7s}")  # fmt: skip
    for event_type, r in result.items():
        typer.echo(
            f"{event_type:10s} {r['reviewed']:8d} {r['correct']:8d} {r['corrected']:6d} "
            f"{r['wrong']:6d} {r['precision']:9.3f} {r['type_precision']:7.3f}"
        )
    total = sum(r["reviewed"] for r in result.values())
    correct = sum(r["correct"] for r in result.values())
    typer.echo(f"{'all':10s} {total:8d} {correct:8d} {'':6s} {'':6s} {correct / total:9.3f}")
