"""`letopis analyze` end to end: outputs follow the contract, user mistakes give one line."""

import json
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from letopis.cli import app

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, ["analyze", *args])


@pytest.fixture
def two_articles(tmp_path):
    (tmp_path / "a.txt").write_text(
        "Путин встретился с Токаевым\nПрезидент России Владимир Путин встретился в Москве "
        "с президентом Казахстана Касым-Жомартом Токаевым 3 марта.",
        encoding="utf-8",
    )
    (tmp_path / "b.txt").write_text(
        "Митинг в Ереване\nЖители Еревана вышли на улицы вчера.", encoding="utf-8"
    )
    return tmp_path


def test_jsonl_output_is_one_valid_record_per_article(two_articles, check_record):
    result = run(str(two_articles), "--format", "jsonl", "--published", "2024-03-05")
    assert result.exit_code == 0, result.output
    records = [check_record(json.loads(line)) for line in result.stdout.splitlines()]
    assert [r["id"] for r in records] == ["a", "b"]
    assert all(r["published"] == "2024-03-05" for r in records)


def test_json_output_to_file(two_articles, tmp_path, check_record):
    out = tmp_path / "out.json"
    result = run(str(two_articles / "a.txt"), "--format", "json", "--output", str(out))
    assert result.exit_code == 0, result.output
    record = check_record(json.loads(out.read_text(encoding="utf-8")))
    assert record["title"] == "Путин встретился с Токаевым"


def test_pretty_view_shows_text_and_entity_table(two_articles):
    result = run(str(two_articles / "a.txt"))
    assert result.exit_code == 0, result.output
    assert "Путин встретился с Токаевым" in result.stdout
    assert "Entities" in result.stdout


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda d: d / "missing.txt", "no such file"),
        (lambda d: d, "no article files"),
        (lambda d: _write(d / "bad.txt", b"\x98\x98\x98"), "neither UTF-8 nor cp1251"),
        (lambda d: _write(d / "empty.txt", b"  \n"), "empty"),
    ],
    ids=["missing-file", "directory-without-articles", "undecodable", "empty"],
)
def test_bad_input_gives_one_line_error(tmp_path, make, message):
    path = make(tmp_path)
    result = run(str(path), "--format", "jsonl")
    assert result.exit_code != 0
    assert message in result.stderr
    assert "Traceback" not in result.output
    assert len(result.stderr.strip().splitlines()) <= 2


def test_malformed_jsonl_line_reports_file_and_line_and_goes_on(tmp_path, check_record):
    path = tmp_path / "news.jsonl"
    good = json.dumps({"id": "ok", "text": "Полиция задержала участников акции в Минске."})
    path.write_text(good + "\n{broken\n" + good.replace('"ok"', '"ok2"') + "\n", encoding="utf-8")
    result = run(str(path), "--format", "jsonl")
    assert result.exit_code == 1
    assert f"{path}:2" in result.stderr
    ids = [check_record(json.loads(line))["id"] for line in result.stdout.splitlines()]
    assert ids == ["ok", "ok2"]


def test_cp1251_input_is_analyzed_with_a_warning(tmp_path, check_record):
    path = tmp_path / "old.txt"
    path.write_bytes("Митинг в Москве\nЖители Москвы вышли на улицы.".encode("cp1251"))
    result = run(str(path), "--format", "json")
    assert result.exit_code == 0
    assert "cp1251" in result.stderr
    assert check_record(json.loads(result.stdout))["title"] == "Митинг в Москве"


def test_bad_published_date_is_a_user_error(two_articles):
    result = run(str(two_articles), "--published", "11.01.2022")
    assert result.exit_code == 2
    assert "published must be" in result.stderr


def test_installed_command_prints_no_traceback(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "letopis", "analyze", str(tmp_path / "nope.txt")],
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert "no such file" in result.stderr


def _write(path, data: bytes):
    path.write_bytes(data)
    return path


def test_plover_output_and_confidence_filter(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(
        "Протест в Минске\nВчера полиция задержала в Минске двадцать участников акции протеста. "
        "Премьер-министр Армении Никол Пашинян заявил, что не будет встречаться "
        "с Ильхамом Алиевым.",
        encoding="utf-8",
    )
    records = run(str(path), "--format", "json")
    events = json.loads(records.stdout)["events"]
    assert events, "the sentences hold events"
    plover = json.loads(run(str(path), "--format", "json", "--plover").stdout)
    negated = [e for e in events if e["status"] == "negated"]
    assert len(plover["events"]) == len(events) - len(negated)
    assert all("event_type" in e for e in plover["events"])
    top = max(e["confidence"] for e in events)
    strict = json.loads(run(str(path), "--format", "json", "--min-confidence", str(top)).stdout)
    assert [e["confidence"] for e in strict["events"]] == [
        e["confidence"] for e in events if e["confidence"] >= top
    ]


PAGE = (
    "<html><head><title>Токаев провёл переговоры</title></head><body><article>"
    "<h1>Токаев провёл переговоры</h1><p>Президент Казахстана Касым-Жомарт Токаев провёл "
    "переговоры с президентом России Владимиром Путиным в Москве.</p></article></body></html>"
)


def test_html_pages_are_read_as_pages_not_as_text(tmp_path):
    result = run(str(_write(tmp_path / "page.html", PAGE.encode())), "--format", "json")
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert "<p>" not in record["text"] and "Путиным" in record["text"]
    assert "Владимир Путин" in {e["name"] for e in record["entities"]}
