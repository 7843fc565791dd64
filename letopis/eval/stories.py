"""`letopis eval stories PAIRS.jsonl...`: precision / recall / F1 of the same-story decision.

API
---
- ``read_pairs(path) -> list[StoryPair]``: the pair file, one JSON object a line:
  ``{"pair", "same_story", "first": {"title", "url", "text"}, "second": {...}}``
  (optional ``published`` in either article is honoured). Raises ``InputError`` on bad input.
- ``score_pairs(pairs, index=None, analyses=None) -> list[PairDecision]``: runs
  ``StoryIndex.same_story`` — the decision ``StoryIndex.add`` uses — on every pair, keeping the
  pair's features. Document frequencies: the shipped prior (Telegram posts) plus every distinct
  article of the pair file, observed once before scoring (unlabelled statistics, as the index
  gathers them while a corpus is ingested). ``analyses`` maps (title, text) to the entity names
  and date mentions of the article's record (``analyze_pairs``), as ingest gives them.
- ``prf(decisions) -> Scores``: precision, recall, F1 (positive class: same story).
- ``fit_threshold(decisions) -> float``: the F1-optimal cut over the decisions' scores
  (vetoed pairs stay apart whatever the cut), the midpoint of the gap below the first score it
  admits; of several optimal cuts the middle one.
- ``fit_model(decisions) -> StoryModel``: logistic regression (scikit-learn) of the gold label
  on the features, then ``fit_threshold`` on the fitted probabilities.
- ``cross_validate(decisions, folds, seed)``: each pair decided by a model and threshold fitted
  on the other folds (stratified, shuffled with ``seed``) — the honest estimate.
- ``leave_one_out(decisions)``: the threshold alone refitted without each pair in turn.
- ``stories_command``: the Typer command.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Annotated, Any

import typer

from letopis.corpus.stories import StoryIndex, StoryModel, features
from letopis.errors import InputError
from letopis.eval.metrics import Counts
from letopis.ingest.article import Article
from letopis.record import DateMention


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
    features: tuple[float, ...] = ()  # letopis.corpus.stories.FEATURES
    source: str = ""  # the pair file


@dataclass
class Analysis:
    """What the story index reads from an article's record."""

    names: list[str]
    dates: list[DateMention]


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


def analyze_pairs(pairs: list[StoryPair], progress=None) -> dict[tuple, Analysis]:
    """(title, text) → the entity names and date mentions of the article's record."""
    from letopis.pipeline import shared_pipeline

    pipeline = shared_pipeline()
    distinct = {(a.title, a.text): a for pair in pairs for a in (pair.first, pair.second)}
    names = {}
    for done, (key, article) in enumerate(distinct.items(), start=1):
        text = article.text
        if article.title and not text.lstrip().startswith(article.title.strip()):
            text = f"{article.title}\n{text}"
        record = pipeline.analyze(Article(f"a{done}", text, published=article.published))
        names[key] = Analysis([entity.name for entity in record.entities], record.dates)
        if progress is not None:
            progress(done, len(distinct))
    return names


def _facts(analyses: dict[tuple, Analysis], article: PairArticle, default: Analysis):
    found = analyses.get((article.title, article.text), default)
    return found.names, found.dates


def score_pairs(
    pairs: list[StoryPair],
    index: StoryIndex | None = None,
    analyses: dict[tuple, Analysis] | None = None,
    source: str = "",
) -> list[PairDecision]:
    index = StoryIndex() if index is None else index  # an empty index is falsy (len 0)
    analyses = analyses or {}
    unanalyzed = Analysis([], [])
    distinct = {(a.title, a.text): a for pair in pairs for a in (pair.first, pair.second)}
    for key, article in distinct.items():
        index.observe(article.text, article.title, analyses.get(key, unanalyzed).names)
    decisions = []
    for pair in pairs:
        first, second = (
            index.document(a.text, a.title, a.published, *_facts(analyses, a, unanalyzed))
            for a in (pair.first, pair.second)
        )
        same, score = index.same_story(first, second)
        decisions.append(
            PairDecision(
                pair.pair,
                pair.same_story,
                same,
                score,
                index.veto(first, second),
                features(first, second),
                source,
            )
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


def fit_model(decisions: list[PairDecision]) -> StoryModel:
    from sklearn.linear_model import LogisticRegression

    regression = LogisticRegression(max_iter=1000).fit(
        [d.features for d in decisions], [d.gold for d in decisions]
    )
    weights = tuple(float(w) for w in regression.coef_[0])
    model = StoryModel(weights, float(regression.intercept_[0]), 0.5)
    scored = [replace(d, score=model.score(d.features)) for d in decisions]
    return replace(model, threshold=fit_threshold(scored))


def rescore(decisions: list[PairDecision], model: StoryModel) -> list[PairDecision]:
    return [_decide(replace(d, score=model.score(d.features)), model.threshold) for d in decisions]


def cross_validate(
    decisions: list[PairDecision], folds: int = 10, seed: int = 0
) -> list[PairDecision]:
    """Each pair decided by a model fitted on the folds it is not in (original order kept)."""
    from sklearn.model_selection import StratifiedKFold

    golds = [d.gold for d in decisions]
    folds = max(2, min(folds, golds.count(True), golds.count(False)))
    held_out: dict[int, PairDecision] = {}
    splitter = StratifiedKFold(folds, shuffle=True, random_state=seed)
    for train, test in splitter.split(golds, golds):
        model = fit_model([decisions[i] for i in train])
        for i, decided in zip(test, rescore([decisions[i] for i in test], model), strict=True):
            held_out[int(i)] = decided
    return [held_out[i] for i in range(len(decisions))]


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


def _line(label: str, decisions: list[PairDecision]) -> str:
    s = prf(decisions)
    return (
        f"{label}: pairs {len(decisions)}  tp={s.tp} fp={s.fp} fn={s.fn} tn={s.tn}  "
        f"precision: {s.precision:.3f}  recall: {s.recall:.3f}  F1: {s.f1:.3f}"
    )


def stories_command(
    pairs_files: Annotated[
        list[Path],
        typer.Argument(
            help="Labelled pair files (JSONL), e.g. ../shared/eval/dev/story_pairs.jsonl "
            "../shared/eval/dev/story_pairs-telegram.jsonl.",
            show_default=False,
        ),
    ],
    show_pairs: Annotated[
        bool, typer.Option("--pairs", help="Also print every pair's score.")
    ] = False,
    folds: Annotated[
        int, typer.Option(min=2, help="Cross-validation folds over the pooled pairs.")
    ] = 10,
    seed: Annotated[int, typer.Option(help="Seed of the cross-validation folds.")] = 0,
    loo: Annotated[
        bool,
        typer.Option(
            "--loo",
            help="Also report leave-one-out scores of the shipped model: each "
            "pair decided by a threshold fitted on the others.",
        ),
    ] = False,
    entities: Annotated[
        bool,
        typer.Option(
            "--entities/--no-entities",
            help="Analyze the articles for their entity names and dates, as ingest does "
            "(slower; without it no days veto applies).",
        ),
    ] = True,
    tense_veto: Annotated[
        bool,
        typer.Option(
            "--tense-veto",
            help="Measure the optional tense veto (off in ingest: see letopis.corpus.stories).",
        ),
    ] = False,
    fit_model_to: Annotated[
        Path | None,
        typer.Option(
            "--fit-model",
            help="Fit the weights and threshold on all the pairs and write them to this YAML "
            "file (letopis/data/story_model.yaml is the shipped one).",
        ),
    ] = None,
) -> None:
    """Precision, recall and F1 of the same-story decision on labelled article pairs: the
    shipped model per file and pooled, then cross-validated (weights and threshold refitted
    without the pairs they decide)."""
    files = [(path, read_pairs(path)) for path in pairs_files]
    decisions: list[PairDecision] = []
    for path, pairs in files:
        analyses = analyze_pairs(pairs) if entities else None
        index = StoryIndex(tense_veto=tense_veto)
        decisions += score_pairs(pairs, index, analyses, source=path.name)
    if show_pairs:
        for d in decisions:
            mark = "ok " if d.gold is d.predicted else "ERR"
            veto = f" veto={d.veto}" if d.veto else ""
            shown = " ".join(f"{x:.2f}" for x in d.features)
            typer.echo(
                f"{mark} {d.source} pair {d.pair}: gold={d.gold} predicted={d.predicted} "
                f"score={d.score:.3f} features={shown}{veto}"
            )
    typer.echo(
        f"threshold: {index.threshold:.3f}  (idf: shipped Telegram prior + each file's articles; "
        f"entity names: {'pipeline' if entities else 'none'})"
    )
    typer.echo("shipped model (fitted on the development pairs):")
    _report(decisions, [path.name for path, _ in files])
    if loo:
        typer.echo(_line("leave-one-out threshold, pooled", leave_one_out(decisions)))
    if len(decisions) >= 4 and 0 < sum(d.gold for d in decisions) < len(decisions):
        typer.echo(f"cross-validated ({folds} folds over the pooled pairs, seed {seed}):")
        _report(cross_validate(decisions, folds, seed), [path.name for path, _ in files])
    if fit_model_to is not None:
        _write_model(fit_model(decisions), fit_model_to)


def _report(decisions: list[PairDecision], sources: list[str]) -> None:
    for source in sources:
        typer.echo("  " + _line(source, [d for d in decisions if d.source == source]))
    if len(sources) > 1:
        typer.echo("  " + _line("pooled", decisions))


def _write_model(model: StoryModel, path: Path) -> None:
    import yaml

    header = (
        "# The same-story decision (letopis.corpus.stories.StoryModel): logistic weights of "
        "the pair\n# features and the probability threshold, fitted on the development pair "
        "files by\n# `letopis eval stories PAIRS... --fit-model PATH` (deterministic).\n"
    )
    try:
        path.write_text(header + yaml.safe_dump(model.to_dict(), sort_keys=False), "utf-8")
    except OSError as error:
        raise InputError(f"cannot write {path}: {error.strerror}") from None
    typer.echo(f"model written to {path}")
