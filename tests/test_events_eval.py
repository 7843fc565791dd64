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


def _gold_and_system():
    gold = [
        {
            "id": "a",
            "text": "x",
            "events": [
                {
                    "types": ["COERCE"],
                    "status": "reported",
                    "actor": [["полиц"]],
                    "recipient": [["журналист"]],
                    "place": [],
                    "date": None,
                },
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
