"""`letopis eval ner`: readers on small fixtures, the exact-span scorer, the command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from conftest import shared_path
from typer.testing import CliRunner

from letopis.cli import app
from letopis.eval.ner import (
    Mention,
    Scores,
    letopis_predictor,
    load_dataset,
    natasha_predictor,
    read_factru,
    read_nerel,
    score,
    score_doc,
)

FIXTURES = Path(__file__).parent / "fixtures" / "ner"


def _texts(doc) -> list[tuple[str, str]]:
    return [(m.type, doc.text[m.start : m.end]) for m in doc.mentions]


def test_factru_names_convention_reads_name_spans_only():
    [doc] = read_factru(FIXTURES / "factru", "names")
    assert doc.id == "book_1"
    assert _texts(doc) == [
        ("ORG", "МИДа"),
        ("LOC", "Норвегии"),
        ("PER", "Ине Эриксен Сёрейде"),
        ("LOC", "Москву"),
        ("PER", "Сергеем Лавровым"),
    ]


def test_factru_objects_convention_reads_object_extents():
    [doc] = read_factru(FIXTURES / "factru", "objects")
    assert _texts(doc) == [
        ("ORG", "МИДа Норвегии"),
        ("LOC", "Норвегии"),
        ("PER", "Ине Эриксен Сёрейде"),
        ("LOC", "Москву"),
        ("PER", "Сергеем Лавровым"),
    ]


def test_nerel_keeps_outermost_mapped_mentions():
    [doc] = read_nerel(FIXTURES / "nerel")
    # PROFESSION and EVENT are not mapped, so the ORG inside them is kept; the COUNTRY inside
    # the ORG is not; the discontinuous PERSON repeats T4's extent and counts once.
    assert _texts(doc) == [
        ("ORG", "МИДа Норвегии"),
        ("PER", "Юнас Гар Стёре"),
        ("LOC", "Берлин"),
        ("ORG", "ООН"),
        ("LOC", "Нью-Йорке"),
    ]


def test_scorer_exact_spans_hand_computed():
    gold = [Mention(0, 5, "PER"), Mention(10, 15, "ORG"), Mention(20, 25, "LOC")]
    predicted = [
        Mention(0, 5, "PER"),  # TP
        Mention(10, 14, "ORG"),  # boundary off: FP, and the gold ORG is a FN
        Mention(20, 25, "ORG"),  # wrong type: ORG FP, and the gold LOC is a FN
        Mention(30, 35, "PER"),  # FP
    ]
    scores = Scores()
    score_doc(gold, predicted, scores)
    per, org, loc = (scores.by_type[t] for t in ("PER", "ORG", "LOC"))
    assert (per.tp, per.fp, per.fn) == (1, 1, 0)
    assert (org.tp, org.fp, org.fn) == (0, 2, 1)
    assert (loc.tp, loc.fp, loc.fn) == (0, 0, 1)
    micro = scores.micro
    assert (micro.tp, micro.fp, micro.fn) == (1, 3, 2)
    assert micro.precision == pytest.approx(1 / 4)
    assert micro.recall == pytest.approx(1 / 3)
    assert micro.f1 == pytest.approx(2 * (1 / 4) * (1 / 3) / (1 / 4 + 1 / 3))
    assert per.f1 == pytest.approx(2 / 3)


def test_score_takes_any_predictor():
    docs = read_nerel(FIXTURES / "nerel")
    perfect = score(docs, lambda text: docs[0].mentions)
    assert perfect.micro.f1 == 1.0
    empty = score(docs, lambda text: [])
    assert (empty.micro.tp, empty.micro.fn) == (0, 5)


def test_missing_folder_is_a_one_line_error(tmp_path):
    with pytest.raises(typer.BadParameter, match="is not a folder"):
        load_dataset("nerel", tmp_path / "absent")
    with pytest.raises(typer.BadParameter, match="no factru documents"):
        load_dataset("factru", tmp_path)
    result = CliRunner().invoke(
        app, ["eval", "ner", "--dataset", "nerel", str(tmp_path / "x")], env={"COLUMNS": "400"}
    )
    assert result.exit_code == 2
    assert "is not a folder" in result.output
    assert "Traceback" not in result.output


def test_command_scores_both_systems_as_json():
    result = CliRunner().invoke(
        app, ["eval", "ner", "--dataset", "nerel", str(FIXTURES / "nerel"), "--json"]
    )
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert payload["documents"] == 1
    assert set(payload["systems"]) == {"letopis", "natasha"}
    for scores in payload["systems"].values():
        assert set(scores) == {"PER", "ORG", "LOC", "micro"}
        assert scores["micro"]["tp"] + scores["micro"]["fn"] == 5
    # Letopis joins "МИДа Норвегии" into one ORG, as NEREL annotates it; bare Natasha splits it.
    assert payload["systems"]["letopis"]["ORG"]["tp"] > payload["systems"]["natasha"]["ORG"]["tp"]


@pytest.mark.slow
def test_real_eval_on_a_few_documents():
    factru = read_factru(shared_path("data/factru/testset"))[:15]
    nerel = read_nerel(shared_path("data/nerel/test"))[:15]
    assert sum(len(doc.mentions) for doc in factru) > 100
    assert sum(len(doc.mentions) for doc in nerel) > 100
    for doc in factru + nerel:  # offsets fit the text
        assert all(0 <= m.start < m.end <= len(doc.text) for m in doc.mentions)
        assert all(doc.text[m.start : m.end].strip() for m in doc.mentions)
    letopis, natasha = letopis_predictor(), natasha_predictor()
    for docs in (factru, nerel):
        ours, bare = score(docs, letopis), score(docs, natasha)
        assert 0.6 < bare.micro.f1 < 1.0
        assert ours.micro.f1 > 0.6
    assert score(nerel, letopis).micro.f1 > score(nerel, natasha).micro.f1
