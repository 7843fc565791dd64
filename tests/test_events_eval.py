"""`letopis eval events` scores with the shared scorer and prints exactly its numbers."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from letopis.cli import app
from letopis.eval.events import filter_confidence, find_scorer, format_result, load_scorer

SHARED = Path(__file__).resolve().parents[1] / ".." / "shared"
SCORER = SHARED / "eval" / "score_events.py"
DEV = SHARED / "eval" / "dev" / "events.jsonl"


# "Полиция задержала журналиста": a gold event as ../shared/eval codes it.
ARREST = {
    "types": ["COERCE"],
    "status": "reported",
    "actor": [["полиц"]],
    "recipient": [["журналист"]],
    "place": [],
    "date": None,
}


def _gold_and_system():
    gold = [
        {
            "id": "a",
            "text": "x",
            "events": [
                ARREST,
                {
                    "types": ["PROTEST"],
                    "status": "reported",
                    "actor": [],
                    "recipient": [],
                    "place": [],
                    "date": None,
                    "required": False,
                },
            ],
        }
    ]
    police = {"name": "полиция", "text": "Полиция"}
    system = [
        {
            "id": "a",
            "events": [
                {
                    "type": "COERCE",
                    "status": "reported",
                    "confidence": 0.9,
                    "actors": [police],
                    "recipients": [{"name": "журналист", "text": "журналиста"}],
                },
                {
                    "type": "ASSAULT",
                    "status": "reported",
                    "confidence": 0.2,
                    "actors": [],
                    "recipients": [],
                },
            ],
        }
    ]
    return gold, system


def test_confidence_filter_drops_unsure_events():
    _, system = _gold_and_system()
    kept = filter_confidence(system, 0.5)
    assert [e["type"] for e in kept[0]["events"]] == ["COERCE"]


@pytest.mark.skipif(not SCORER.is_file(), reason="../shared/eval/score_events.py is not here")
def test_printed_numbers_are_the_scorers_own(tmp_path):
    gold, system = _gold_and_system()
    gold_file, system_file = tmp_path / "gold.jsonl", tmp_path / "system.jsonl"
    gold_file.write_text("\n".join(json.dumps(g, ensure_ascii=False) for g in gold))
    system_file.write_text("\n".join(json.dumps(s, ensure_ascii=False) for s in system))
    module = load_scorer(find_scorer(SCORER))
    ours = format_result(module.score(gold, {s["id"]: s for s in system}))
    theirs = subprocess.run(
        [sys.executable, str(SCORER), str(gold_file), str(system_file)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    assert ours == theirs
    assert ours[0].startswith("type       P=0.500 R=1.000")


@pytest.mark.slow
@pytest.mark.skipif(not DEV.is_file(), reason="../shared/eval/dev/events.jsonl is not here")
def test_eval_command_on_dev_agrees_with_the_shared_script(tmp_path):
    output = tmp_path / "system.jsonl"
    result = CliRunner().invoke(app, ["eval", "events", str(DEV), "--output", str(output)])
    assert result.exit_code == 0, result.output
    theirs = subprocess.run(
        [sys.executable, str(SCORER), str(DEV), str(output)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert result.output.strip() == theirs.strip()
    type_line = result.output.splitlines()[0]
    f1 = float(type_line.split("F1=")[1].split()[0])
    assert f1 >= 0.70


def test_missing_gold_file_is_one_line(tmp_path):
    from typer.testing import CliRunner

    from letopis.cli import app

    result = CliRunner().invoke(app, ["eval", "events", str(tmp_path / "gold.jsonl")])
    assert result.exit_code == 2
    assert (
        result.stderr.strip()
        == f"error: cannot read {tmp_path / 'gold.jsonl'}: No such file or directory"
    )


def _write_jsonl(path, rows):
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")


def test_pooled_keeps_documents_of_files_that_share_ids():
    from letopis.eval.events import pooled

    gold_a = [{"id": "1", "text": "a", "events": []}]
    gold_b = [{"id": "1", "text": "b", "events": []}]
    gold, records = pooled([gold_a, gold_b], [[{"id": "1", "n": "a"}], [{"id": "1", "n": "b"}]])
    assert [g["text"] for g in gold] == ["a", "b"]
    assert {records[g["id"]]["n"] for g in gold} == {"a", "b"}


@pytest.mark.skipif(not SCORER.is_file(), reason="../shared/eval/score_events.py is not here")
def test_error_causes_are_counted_from_the_scorers_matching():
    from letopis.eval.event_errors import error_counts

    module = load_scorer(find_scorer(SCORER))
    text = "Полиция задержала журналиста. Погода была хорошей. Депутаты осудили власти."
    gold = [
        {
            "id": "d",
            "text": text,
            "events": [
                {
                    "types": ["COERCE"],
                    "actor": [["полиц"]],
                    "recipient": [["журналист"]],
                    "evidence": "Полиция задержала журналиста",
                },
                {
                    "types": ["ACCUSE"],
                    "actor": [["депутат"]],
                    "recipient": [],
                    "evidence": "Депутаты осудили власти",
                },
            ],
        }
    ]

    def event(type_, at, actors=()):
        return {
            "type": type_,
            "trigger": {"start": at},
            "recipients": [],
            "actors": [{"name": a, "text": a} for a in actors],
        }

    system = [
        event("COERCE", text.index("задержала"), ["суд"]),  # type ok, actor wrong
        event("COERCE", text.index("задержала")),  # a second one: duplicate
        event("PROTEST", text.index("Погода")),  # no gold there: not an event
        event("SUPPORT", text.index("осудили")),  # the gold there is ACCUSE: wrong type
    ]
    counts = error_counts(module, gold, {"d": {"id": "d", "events": system}})
    assert counts["fp_duplicate"] == 1
    assert counts["fp_not_an_event"] == 1
    assert counts["fp_wrong_type"] == 1
    assert counts["miss_wrong_type"] == 1
    assert counts["miss_no_trigger"] == 0
    assert counts["actor_wrong"] == 1


@pytest.mark.skipif(not SCORER.is_file(), reason="../shared/eval/score_events.py is not here")
def test_several_gold_files_give_a_table_each_and_a_pooled_one(tmp_path):
    doc_a = {
        "id": "x",
        "text": "Полиция задержала журналиста в Москве.",
        "events": [ARREST],
    }
    doc_b = {"id": "x", "text": "Футболисты сыграли вничью.", "events": []}
    file_a, file_b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    _write_jsonl(file_a, [doc_a])
    _write_jsonl(file_b, [doc_b])
    output = tmp_path / "system.jsonl"
    result = CliRunner().invoke(
        app, ["eval", "events", str(file_a), str(file_b), "-o", str(output), "--errors"]
    )
    assert result.exit_code == 0, result.output
    headers = [line for line in result.output.splitlines() if line.startswith("== ")]
    assert headers == [
        f"== {file_a} (1 documents)",
        f"== {file_b} (1 documents)",
        "== pooled (2 documents)",
    ]
    records = [json.loads(line) for line in output.read_text(encoding="utf-8").splitlines()]
    module = load_scorer(find_scorer(SCORER))
    gold = [{**doc_a, "id": "0/x"}, {**doc_b, "id": "1/x"}]
    expected = format_result(module.score(gold, {"0/x": records[0], "1/x": records[1]}))
    pooled_block = result.output.split("== pooled (2 documents)\n")[1].splitlines()
    assert pooled_block[: len(expected)] == expected
    assert pooled_block[-3].startswith("false positives: not_an_event")
