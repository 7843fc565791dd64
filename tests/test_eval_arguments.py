"""`letopis eval arguments`: NEREL links read from brat files, and attachment scored by overlap."""

from __future__ import annotations

from typer.testing import CliRunner

from letopis.cli import app
from letopis.eval.arguments import ArgumentScores, read_nerel_links, score_events, score_roles

TEXT = "Полиция задержала журналиста в Москве. Министр Иван Петров из МВД."
ANN = "\n".join(
    [
        "T1\tORGANIZATION 0 7\tПолиция",
        "T2\tEVENT 8 17\tзадержала",
        "T3\tPROFESSION 18 28\tжурналиста",
        "T4\tCITY 31 37\tМоскве",
        "T5\tPROFESSION 39 46\tМинистр",
        "T6\tPERSON 47 57\tИван Петров",
        "T7\tORGANIZATION 61 64\tМВД",
        "R1\tAGENT Arg1:T1 Arg2:T2\t",
        "R2\tPARTICIPANT_IN Arg1:T3 Arg2:T2\t",
        "R3\tTAKES_PLACE_IN Arg1:T2 Arg2:T4\t",
        "R4\tWORKS_AS Arg1:T6 Arg2:T5\t",
        "R5\tWORKPLACE Arg1:T6 Arg2:T7\t",
    ]
)


def _folder(tmp_path):
    (tmp_path / "1.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "1.ann").write_text(ANN.replace("\\t", "\t"), encoding="utf-8")
    return tmp_path


def test_links_are_read_by_direction(tmp_path):
    (doc,) = read_nerel_links(_folder(tmp_path))
    assert doc.events() == {"T2": (8, 17)}
    assert sorted(doc.linked({"AGENT", "PARTICIPANT_IN"}, 2, "T2")) == [(0, 7), (18, 28)]
    assert doc.linked({"TAKES_PLACE_IN"}, 1, "T2") == [(31, 37)]


def test_attachment_counts_overlapping_spans(tmp_path):
    (doc,) = read_nerel_links(_folder(tmp_path))
    record = {
        "events": [
            {
                "trigger": {"start": 8, "end": 17},
                "actors": [{"text": "Полиция", "start": 0, "end": 7}],
                "recipients": [{"text": "Москве", "start": 31, "end": 37}],  # wrong: a place
                "place": {"mentions": [{"start": 31, "end": 37}]},
            },
            {"trigger": {"start": 39, "end": 46}, "actors": [], "recipients": []},  # no EVENT
        ],
        "entities": [
            {
                "name": "Иван Петров",
                "mentions": [{"start": 47, "end": 57}],
                "roles": [{"title": "министр", "of": "МВД", "start": 39, "end": 46}],
            },
            {"name": "МВД", "mentions": [{"start": 61, "end": 64}], "roles": []},
        ],
    }
    scores = ArgumentScores()
    score_events(doc, record, scores)
    score_roles(doc, record, scores)
    assert scores.coded_events == 1
    participants = scores.tallies["participants"].as_dict()
    assert (participants["precision"], participants["recall"]) == (0.5, 0.5)
    assert scores.tallies["place"].as_dict()["f1"] == 1.0
    assert scores.tallies["works_as"].as_dict()["f1"] == 1.0
    assert scores.tallies["workplace"].as_dict()["f1"] == 1.0


def test_missing_folder_is_one_line(tmp_path):
    result = CliRunner().invoke(
        app, ["eval", "arguments", "--dataset", "nerel", str(tmp_path / "nope")]
    )
    assert result.exit_code == 2
    assert result.stderr.strip() == f"error: not a NEREL folder: {tmp_path / 'nope'}"
