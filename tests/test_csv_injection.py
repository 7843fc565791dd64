"""CSV cells that a spreadsheet would read as a formula (=, +, -, @, tab, CR first) are
neutralised with a leading apostrophe (OWASP), in `export` and in every `--format csv`."""

from __future__ import annotations

import csv
import io
import json

import pytest
from typer.testing import CliRunner

from letopis.cli import app
from letopis.output import spreadsheet_safe

runner = CliRunner()
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    folder = tmp_path_factory.mktemp("csv")
    lines = [
        {
            "id": "@evil",
            "title": '=HYPERLINK("http://x","click")',
            "text": "=Президент России Владимир Путин встретился в Москве с Касым-Жомартом "
            "Токаевым.",
            "source": "+канал",
            "published": "2024-03-05",
        }
    ]
    path = folder / "evil.jsonl"
    path.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines), "utf-8")
    db = folder / "corpus.db"
    result = runner.invoke(app, ["ingest", str(path), "--db", str(db)])
    assert result.exit_code == 0, result.output
    return db


def _cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def test_export_csv_neutralises_formula_cells(db, tmp_path):
    out = tmp_path / "events.csv"
    result = runner.invoke(app, ["export", "-f", "csv", "-o", str(out), "--db", str(db)])
    assert result.exit_code == 0, result.output
    cells = _cells(out.read_text(encoding="utf-8"))
    assert any(c.startswith("'=Президент России") for c in cells)  # the first sentence
    assert "'+канал" in cells
    assert not [c for c in cells if c.startswith(FORMULA_STARTS)]


@pytest.mark.parametrize(
    "command", [["search", "Путин"], ["entities"], ["events"], ["stories", "--min-articles", "1"]]
)
def test_query_csv_neutralises_formula_cells(db, command):
    result = runner.invoke(app, [*command, "-f", "csv", "--db", str(db)])
    assert result.exit_code == 0, result.output
    cells = _cells(result.stdout)
    assert cells
    assert not [c for c in cells if c.startswith(FORMULA_STARTS)]
    if command[0] == "search":
        assert "'@evil" in cells and '\'=HYPERLINK("http://x","click")' in cells


def test_plain_cells_and_numbers_are_kept():
    row = {"a": "Путин", "b": 3, "c": -2.5, "d": None, "e": "\tx", "f": "\rx", "g": "-1"}
    assert spreadsheet_safe(row) == {**row, "e": "'\tx", "f": "'\rx", "g": "'-1"}
