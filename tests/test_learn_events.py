"""The eventivity model: labels from the scorer's matching, the shipped weights, rebuilding."""

from __future__ import annotations

import json

import pytest

from letopis.eval.events import find_scorer, load_scorer, read_gold
from letopis.extract.events.eventivity import EventClassifier, load_classifier, weights_path
from letopis.ingest.article import Article
from tests.conftest import SHARED

SCORER = SHARED / "eval" / "score_events.py"
DEV = SHARED / "eval" / "dev"


def _event(type_: str, actor: str | None = None) -> dict:
    actors = [{"name": actor, "text": actor}] if actor else []
    return {"type": type_, "actors": actors, "recipients": []}


@pytest.mark.skipif(not SCORER.is_file(), reason="../shared/eval/score_events.py is not here")
def test_labels_prefer_the_candidate_with_the_right_actor():
    from letopis.learn.events import candidate_labels

    scorer = load_scorer(find_scorer(SCORER))
    gold = [
        {"types": ["COERCE"], "actor": [["полиц"]], "recipient": []},
        {"types": ["PROTEST"], "actor": [], "recipient": [], "required": False},
    ]
    system = [
        _event("COERCE", "суд"),
        _event("COERCE", "полиция"),
        _event("PROTEST"),
        _event("ASSAULT"),
    ]
    assert candidate_labels(scorer, gold, system) == [0, 1, None, 0]


def test_classifier_round_trips_through_its_json(tmp_path):
    model = EventClassifier(weights={"type=COERCE": 1.5, "title": -0.5}, bias=-1.0, threshold=0.4)
    path = tmp_path / "model.json"
    path.write_text(json.dumps(model.to_dict()), encoding="utf-8")
    loaded = load_classifier(str(path))
    assert loaded == model
    sure = loaded.probability({"type=COERCE": 1.0})
    unsure = loaded.probability({"type=COERCE": 1.0, "title": 1.0})
    assert 0.5 < sure < 0.7 and unsure < sure


def test_the_pipeline_keeps_only_what_the_shipped_model_keeps(pipeline):
    model = load_classifier()
    assert model is not None, f"no weights at {weights_path()}"
    coder = pipeline.components[pipeline.component_names.index("events")]
    assert coder.classifier == model
    text = "Полиция задержала активиста в Москве. Суд арестовал его на 15 суток."
    record = pipeline.analyze(Article(id="t", text=text, published="2024-03-10"))
    assert record.events, "the model dropped two plain arrests"
    assert all(e.confidence >= model.threshold for e in record.events)


@pytest.mark.slow
@pytest.mark.skipif(
    not (DEV / "events-broad.jsonl").is_file(), reason="../shared/eval/dev gold is not here"
)
def test_training_rebuilds_the_shipped_weights(pipeline):
    from letopis.learn.events import collect, train

    scorer = load_scorer(find_scorer(SCORER))
    gold_sets = [read_gold(DEV / name) for name in ("events.jsonl", "events-broad.jsonl")]
    gold = [{**d, "id": f"{n}/{d['id']}"} for n, g in enumerate(gold_sets) for d in g]
    rebuilt = train(collect(scorer, gold, pipeline))
    assert rebuilt == load_classifier()


def test_article_features_tell_a_culture_beat_from_politics(pipeline):
    from letopis.extract.events.eventivity import article_features

    lexicon = pipeline.components[pipeline.component_names.index("events")].lexicon
    culture = "Певица отменила концерт в Москве: актриса и режиссер фильма ушли со сцены."
    politics = "Полиция задержала активиста в Москве. Суд арестовал его на 15 суток."
    culture_features = article_features(pipeline.process(Article(id="c", text=culture)), lexicon)
    politics_features = article_features(pipeline.process(Article(id="p", text=politics)), lexicon)
    assert culture_features.get("article_domain=culture", 0) > 1
    assert "article_domain=culture" not in politics_features
