"""`letopis eval entities`: the clustering scores, the NEREL link reader, the command."""

from __future__ import annotations

import json

import pytest
from conftest import shared_path
from typer.testing import CliRunner

from letopis.cli import app
from letopis.eval.entities import cluster_scores, read_links


def test_cluster_scores_by_hand():
    gold = {1: "a", 2: "a", 3: "b", 4: "c"}
    perfect = cluster_scores(gold, {1: "x", 2: "x", 3: "y", 4: "z"})
    assert perfect.bcubed_f1 == pytest.approx(1.0) and perfect.pairwise.f1 == pytest.approx(1.0)
    lumped = cluster_scores(gold, {1: "x", 2: "x", 3: "x", 4: "x"})
    # B-cubed precision: (2/4 + 2/4 + 1/4 + 1/4) / 4; recall 1.
    assert lumped.bcubed_precision == pytest.approx(0.375)
    assert lumped.bcubed_recall == pytest.approx(1.0)
    assert (lumped.pairwise.tp, lumped.pairwise.fp, lumped.pairwise.fn) == (1, 5, 0)
    split = cluster_scores(gold, {1: "x", 2: "y", 3: "z", 4: "w"})
    assert split.bcubed_recall == pytest.approx(0.75) and split.pairwise.recall == 0.0


def test_read_links_keeps_linked_person_org_and_place_mentions(tmp_path):
    split = tmp_path / "dev"
    split.mkdir()
    (split / "1_text.txt").write_text("Путин прилетел в Москву. Путин.", encoding="utf-8")
    (split / "1_text.ann").write_text(
        "T1\tPERSON 0 5\tПутин\nT2\tCITY 17 23\tМоскву\nT3\tPERSON 25 30\tПутин\n"
        "T4\tDATE 0 3\tПут\nN1\tReference T1 Wikidata:Q7747\tПутин\n"
        "N2\tReference T3 Wikidata:Q7747\tПутин\nN3\tReference T2 Wikidata:NULL\t\n"
        "N4\tReference T4 Wikidata:Q1\t\n",
        encoding="utf-8",
    )
    [doc] = read_links(tmp_path)
    assert doc.id == "dev/1_text"
    assert [(m.start, m.end, m.type, m.identity) for m in doc.mentions] == [
        (0, 5, "PER", "Q7747"),
        (25, 30, "PER", "Q7747"),
    ]


def test_nerel_command_prints_bcubed_per_type():
    nerel = shared_path("data/nerel/test")
    result = CliRunner().invoke(
        app, ["eval", "entities", "--dataset", "nerel", str(nerel), "--limit", "3", "--json"]
    )
    assert result.exit_code == 0, result.output
    scores = json.loads(result.output[result.output.index("{") :])
    assert scores["documents"] == 3
    for kind in ("PER", "ORG", "LOC"):
        bcubed = scores["letopis"][kind]["bcubed"]
        assert 0.0 < bcubed["f1"] <= 1.0
        assert scores["letopis"][kind]["mentions"] <= scores["linked"][kind]


def test_bad_folder_is_a_one_line_error(tmp_path):
    result = CliRunner().invoke(app, ["eval", "entities", str(tmp_path / "missing")])
    assert result.exit_code != 0 and "Traceback" not in result.output
