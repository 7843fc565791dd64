"""`letopis eval stories PAIRS.jsonl`: precision / recall / F1 of the same-story decision.

API
---
- ``read_pairs(path) -> list[StoryPair]``: the pair file, one JSON object a line:
  ``{"pair", "same_story", "first": {"title", "url", "text"}, "second": {...}}``
  (optional ``published`` in either article is honoured). Raises ``InputError`` on bad input.
- ``score_pairs(pairs, index=None) -> list[PairDecision]``: runs ``StoryIndex.same_story`` —
  the decision ``StoryIndex.add`` uses — on every pair. Document frequencies: the shipped prior
  (Telegram posts) plus every distinct article of the pair file, observed once before scoring
  (unlabelled statistics, as the index gathers them while a corpus is ingested).
- ``prf(decisions) -> Scores``: precision, recall, F1 (positive class: same story).
- ``stories_command``: the Typer command.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import typer

from letopis.corpus.stories import StoryIndex
from letopis.ingest.article import InputError


@dataclass
class PairArticle:
    title: str | None
    text: str
    url: str | None
    published: str | None


@dataclass
class StoryPair:
    pair: Any
    same_story: bool
    first: PairArticle
    second: PairArticle


@dataclass
class PairDecision:
    pair: Any
    gold: bool
    predicted: bool
    score: float


@dataclass
class Scores:
    tp: int
    fp: int
    fn: int
    tn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        denominator = 2 * self.tp + self.fp + self.fn
        return 2 * self.tp / denominator if denominator else 0.0


def _article(data: Any, where: str) -> PairArticle:
    if not isinstance(data, dict) or not isinstance(data.get("text"), str):
        raise InputError(f"{where}: expected an object with a 'text' string")
    return PairArticle(data.get("title"), data["text"], data.get("url"), data.get("published"))


def read_pairs(path: Path) -> list[StoryPair]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"cannot read {path}: {error}") from None
    pairs = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            data = json.loads(line)
        except json.JSONDecodeError as error:
            raise InputError(f"{where}: not JSON ({error.msg})") from None
        if not isinstance(data, dict) or not isinstance(data.get("same_story"), bool):
            raise InputError(f"{where}: expected an object with a boolean 'same_story'")
        pairs.append(StoryPair(data.get("pair", number), data["same_story"],
                               _article(data.get("first"), where),
                               _article(data.get("second"), where)))
    if not pairs:
        raise InputError(f"{path}: no pairs")
    return pairs


def score_pairs(pairs: list[StoryPair], index: StoryIndex | None = None) -> list[PairDecision]:
    index = index or StoryIndex()
    distinct = {(a.title, a.text): a for pair in pairs for a in (pair.first, pair.second)}
    for article in distinct.values():
        index.observe(article.text, article.title)
    decisions = []
    for pair in pairs:
        first, second = (index.document(a.text, a.title, a.published)
                         for a in (pair.first, pair.second))
        same, score = index.same_story(first, second)
        decisions.append(PairDecision(pair.pair, pair.same_story, same, score))
    return decisions


def prf(decisions: list[PairDecision]) -> Scores:
    def count(gold: bool, predicted: bool) -> int:
        return sum(1 for d in decisions if d.gold is gold and d.predicted is predicted)

    return Scores(tp=count(True, True), fp=count(False, True), fn=count(True, False),
                  tn=count(False, False))


def stories_command(
    pairs_file: Annotated[Path, typer.Argument(help="Labelled pairs (JSONL), e.g. "
                                               "../shared/eval/dev/story_pairs.jsonl.",
                                               show_default=False)],
    show_pairs: Annotated[bool, typer.Option("--pairs", help="Also print every pair's score.")]
    = False,
) -> None:
    """Precision, recall and F1 of the same-story decision on labelled article pairs."""
    from letopis.cli.errors import user_errors  # the CLI package imports this module

    with user_errors():
        pairs = read_pairs(pairs_file)
    index = StoryIndex()
    decisions = score_pairs(pairs, index)
    if show_pairs:
        for d in decisions:
            mark = "ok " if d.gold is d.predicted else "ERR"
            typer.echo(f"{mark} pair {d.pair}: gold={d.gold} predicted={d.predicted} "
                       f"score={d.score:.3f}")
    scores = prf(decisions)
    typer.echo(f"pairs: {len(decisions)}  threshold: {index.threshold:.2f}  "
               f"tp={scores.tp} fp={scores.fp} fn={scores.fn} tn={scores.tn}  "
               f"(idf: shipped Telegram prior + the pair file's articles)")
    typer.echo(f"precision: {scores.precision:.3f}  recall: {scores.recall:.3f}  "
               f"F1: {scores.f1:.3f}")
