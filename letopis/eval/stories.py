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
- ``fit_threshold(decisions) -> float``: the F1-optimal cosine cut over the decisions' scores
  (vetoed pairs stay apart whatever the cut), the midpoint of the gap below the first score it
  admits; of several optimal cuts the middle one.
- ``leave_one_out(decisions) -> list[PairDecision]``: each pair decided with the threshold
  fitted on all the others — the honest estimate for a threshold fitted on these same pairs.
- ``stories_command``: the Typer command.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Annotated, Any

import typer

from letopis.corpus.stories import StoryIndex
from letopis.errors import InputError
from letopis.eval.metrics import Counts


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
    veto: str | None = None  # what kept the pair apart whatever its score (StoryIndex.veto)


@dataclass
class Scores(Counts):
    tn: int = 0


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
        pairs.append(
            StoryPair(
                data.get("pair", number),
                data["same_story"],
                _article(data.get("first"), where),
                _article(data.get("second"), where),
            )
        )
    if not pairs:
        raise InputError(f"{path}: no pairs")
    return pairs


def score_pairs(pairs: list[StoryPair], index: StoryIndex | None = None) -> list[PairDecision]:
    index = StoryIndex() if index is None else index  # an empty index is falsy (len 0)
    distinct = {(a.title, a.text): a for pair in pairs for a in (pair.first, pair.second)}
    for article in distinct.values():
        index.observe(article.text, article.title)
    decisions = []
    for pair in pairs:
        first, second = (
            index.document(a.text, a.title, a.published) for a in (pair.first, pair.second)
        )
        same, score = index.same_story(first, second)
        decisions.append(
            PairDecision(pair.pair, pair.same_story, same, score, index.veto(first, second))
        )
    return decisions


def _decide(decision: PairDecision, threshold: float) -> PairDecision:
    predicted = decision.veto is None and decision.score >= threshold
    return replace(decision, predicted=predicted)


def fit_threshold(decisions: list[PairDecision]) -> float:
    scores = sorted({d.score for d in decisions})
    cuts = [(low + high) / 2 for low, high in zip([0.0, *scores], scores, strict=False)]
    f1s = [prf([_decide(d, cut) for d in decisions]).f1 for cut in cuts]
    best = [cut for cut, f1 in zip(cuts, f1s, strict=True) if f1 == max(f1s)]
    return best[len(best) // 2]


def leave_one_out(decisions: list[PairDecision]) -> list[PairDecision]:
    return [
        _decide(held_out, fit_threshold(decisions[:i] + decisions[i + 1 :]))
        for i, held_out in enumerate(decisions)
    ]


def prf(decisions: list[PairDecision]) -> Scores:
    def count(gold: bool, predicted: bool) -> int:
        return sum(1 for d in decisions if d.gold is gold and d.predicted is predicted)

    return Scores(
        tp=count(True, True), fp=count(False, True), fn=count(True, False), tn=count(False, False)
    )


def stories_command(
    pairs_file: Annotated[
        Path,
        typer.Argument(
            help="Labelled pairs (JSONL), e.g. ../shared/eval/dev/story_pairs.jsonl.",
            show_default=False,
        ),
    ],
    show_pairs: Annotated[
        bool, typer.Option("--pairs", help="Also print every pair's score.")
    ] = False,
    loo: Annotated[
        bool,
        typer.Option(
            "--loo",
            help="Also report leave-one-out scores: each "
            "pair decided by a threshold fitted on the others.",
        ),
    ] = False,
    tense_veto: Annotated[
        bool,
        typer.Option(
            "--tense-veto",
            help="Measure the optional tense veto (off in ingest: see letopis.corpus.stories).",
        ),
    ] = False,
) -> None:
    """Precision, recall and F1 of the same-story decision on labelled article pairs."""
    pairs = read_pairs(pairs_file)
    index = StoryIndex(tense_veto=tense_veto)
    decisions = score_pairs(pairs, index)
    if show_pairs:
        for d in decisions:
            mark = "ok " if d.gold is d.predicted else "ERR"
            veto = f" veto={d.veto}" if d.veto else ""
            typer.echo(
                f"{mark} pair {d.pair}: gold={d.gold} predicted={d.predicted} "
                f"score={d.score:.3f}{veto}"
            )
    scores = prf(decisions)
    typer.echo(
        f"pairs: {len(decisions)}  threshold: {index.threshold:.2f}  "
        f"tp={scores.tp} fp={scores.fp} fn={scores.fn} tn={scores.tn}  "
        f"(idf: shipped Telegram prior + the pair file's articles)"
    )
    typer.echo(
        f"precision: {scores.precision:.3f}  recall: {scores.recall:.3f}  F1: {scores.f1:.3f}"
    )
    if loo:
        held_out = prf(leave_one_out(decisions))
        typer.echo(
            f"leave-one-out: tp={held_out.tp} fp={held_out.fp} fn={held_out.fn} "
            f"tn={held_out.tn}  precision: {held_out.precision:.3f}  "
            f"recall: {held_out.recall:.3f}  F1: {held_out.f1:.3f}"
        )
