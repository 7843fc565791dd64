import json
import math
import re
from pathlib import Path

import pytest
import yaml
from conftest import shared_path
from typer.testing import CliRunner

import letopis
from letopis.cli import app
from letopis.corpus.stories import StoryIndex, conflict, cosine
from letopis.errors import InputError
from letopis.eval.stories import (
    PairDecision,
    cross_validate,
    fit_model,
    fit_threshold,
    leave_one_out,
    prf,
    read_pairs,
    rescore,
    score_pairs,
)

FIRE_A = {
    "title": "Пожар на Большой Тульской улице",
    "text": "В Москве горит жилой дом на Большой Тульской улице, жильцов эвакуировали.",
}
FIRE_B = {
    "title": "На Большой Тульской загорелся дом",
    "text": "Жилой дом загорелся на Большой Тульской улице в Москве, людей эвакуировали.",
}
SNOW = {"title": "Первый снег", "text": "В Подмосковье выпал первый снег, он быстро растаял."}


def write_pairs(path: Path, pairs: list[tuple[bool, dict, dict]]) -> Path:
    lines = [
        json.dumps({"pair": i, "same_story": same, "first": a, "second": b}, ensure_ascii=False)
        for i, (same, a, b) in enumerate(pairs)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_prf_counts():
    decisions = [
        PairDecision(0, True, True, 0.9),
        PairDecision(1, True, False, 0.1),
        PairDecision(2, False, True, 0.5),
        PairDecision(3, False, False, 0.0),
        PairDecision(4, True, True, 0.8),
    ]
    scores = prf(decisions)
    assert (scores.tp, scores.fp, scores.fn, scores.tn) == (2, 1, 1, 1)
    assert scores.precision == pytest.approx(2 / 3)
    assert scores.recall == pytest.approx(2 / 3)
    assert scores.f1 == pytest.approx(2 / 3)


def test_small_pair_file(tmp_path):
    path = write_pairs(tmp_path / "pairs.jsonl", [(True, FIRE_A, FIRE_B), (False, FIRE_A, SNOW)])
    decisions = score_pairs(read_pairs(path))
    assert [d.predicted for d in decisions] == [True, False]
    result = CliRunner().invoke(app, ["eval", "stories", str(path), "--loo"])
    assert result.exit_code == 0, result.output
    assert "F1: 1.000" in result.output
    assert "leave-one-out" in result.output


def test_score_pairs_uses_the_index_it_is_given(tmp_path):
    path = write_pairs(tmp_path / "pairs.jsonl", [(True, FIRE_A, FIRE_B)])
    strict = StoryIndex(threshold=0.999)  # empty, hence falsy: must still be used
    [decision] = score_pairs(read_pairs(path), strict)
    assert not decision.predicted and decision.score < 0.999


def test_fit_threshold_takes_the_middle_of_the_best_gap():
    decisions = [
        PairDecision(0, True, True, 0.9),
        PairDecision(1, True, True, 0.6),
        PairDecision(2, False, True, 0.4),
        PairDecision(3, False, True, 0.1),
    ]
    assert fit_threshold(decisions) == pytest.approx(0.5)
    vetoed = PairDecision(4, False, False, 0.95, veto="days")  # apart whatever the cut
    assert fit_threshold([*decisions, vetoed]) == pytest.approx(0.5)


def test_leave_one_out_refits_without_the_held_out_pair():
    decisions = [PairDecision(i, True, True, score) for i, score in enumerate((0.9, 0.8, 0.7))]
    decisions += [PairDecision(3 + i, False, False, score) for i, score in enumerate((0.2, 0.1))]
    assert prf(leave_one_out(decisions)).f1 == pytest.approx(1.0)
    # A lone positive far below the others is missed once it is held out.
    outlier = PairDecision(9, True, True, 0.15)
    held_out = {d.pair: d.predicted for d in leave_one_out([*decisions, outlier])}
    assert held_out[9] is False and held_out[0] is True


def test_bad_pair_files_are_one_line_errors(tmp_path):
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"pair": 0, "same_story": true, "first": {"text": "a"}}\n', encoding="utf-8")
    with pytest.raises(InputError):
        read_pairs(broken)
    result = CliRunner().invoke(app, ["eval", "stories", str(tmp_path / "missing.jsonl")])
    assert result.exit_code != 0
    assert "Traceback" not in result.output


def test_cross_validation_decides_each_pair_without_it():
    decisions = [
        PairDecision(i, x > 0.5, False, 0.0, features=(x, x, 0.0))
        for i, x in enumerate([0.05 * k for k in (*range(1, 8), *range(13, 20))])
    ]
    held_out = cross_validate(decisions, folds=5, seed=0)
    assert [d.pair for d in held_out] == [d.pair for d in decisions]
    assert prf(held_out).f1 == pytest.approx(1.0)
    # A positive among negatives is missed once the model never saw it.
    odd = [*decisions, PairDecision(99, True, False, 0.0, features=(0.06, 0.06, 0.0))]
    assert {d.pair: d.predicted for d in cross_validate(odd, folds=5, seed=0)}[99] is False


def test_fit_model_separates_and_writes_a_loadable_model(tmp_path):
    decisions = [
        PairDecision(i, x > 0.5, False, 0.0, features=(x, 0.5, 0.0))
        for i, x in enumerate([0.1, 0.2, 0.3, 0.4, 0.6, 0.7, 0.8, 0.9])
    ]
    model = fit_model(decisions)
    assert model.weights[0] > 0
    assert prf(rescore(decisions, model)).f1 == pytest.approx(1.0)


def test_dev_pairs_printed_scores_match_an_independent_count():
    dev_pairs = shared_path("eval/dev/story_pairs.jsonl")
    result = CliRunner().invoke(app, ["eval", "stories", str(dev_pairs), "--no-entities"])
    assert result.exit_code == 0, result.output
    shipped = result.output.split("cross-validated")[0]
    printed = {k: float(v) for k, v in re.findall(r"(precision|recall|F1): ([0-9.]+)", shipped)}
    model = yaml.safe_load(
        (Path(letopis.__file__).parent / "data" / "story_model.yaml").read_text("utf-8")
    )
    weights = model["weights"]
    rows = [json.loads(line) for line in dev_pairs.read_text(encoding="utf-8").splitlines()]
    index = StoryIndex()
    articles = {(a["title"], a["text"]) for row in rows for a in (row["first"], row["second"])}
    for title, text in articles:
        index.observe(text, title)
    tp = fp = fn = 0
    for row in rows:
        first, second = (
            index.document(row[k]["text"], row[k]["title"]) for k in ("first", "second")
        )
        meaning = float(first.embedding @ second.embedding)
        value = (
            model["bias"]
            + weights["tfidf"] * cosine(first.vector, second.vector)
            + weights["embedding"] * meaning
        )  # no entity names: the entities feature is 0
        similar = 1 / (1 + math.exp(-value)) >= model["threshold"]
        predicted = similar and conflict(first, second) is None  # the pairs carry no dates
        tp += predicted and row["same_story"]
        fp += predicted and not row["same_story"]
        fn += row["same_story"] and not predicted
    assert printed["precision"] == pytest.approx(tp / (tp + fp), abs=5e-4)
    assert printed["recall"] == pytest.approx(tp / (tp + fn), abs=5e-4)
    assert printed["F1"] == pytest.approx(2 * tp / (2 * tp + fp + fn), abs=5e-4)
