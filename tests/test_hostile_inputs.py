"""One bad input never stops the rest: malformed shapes, deep JSON, surrogates, NUL, rare
scripts, absurd dates and entity-declaring XML end in one line each, never a traceback, and every
text is stored the same way on both backends."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from corpus_fixtures import db_url  # noqa: F401  (fixture)
from sqlalchemy import select
from typer.testing import CliRunner

from letopis.cli import app
from letopis.corpus.corpus import Corpus
from letopis.ingest.article import MAX_ID_CHARS, Article
from letopis.ingest.readers import Problems
from letopis.ingest.sources import read_inputs
from letopis.store import models

runner = CliRunner()
GOOD = "Президент России Владимир Путин встретился в Москве с премьер-министром Индии."
DEEP = "[" * 100_000 + "]" * 100_000


def _posts(*texts) -> list[dict]:
    return [
        {"message_id": n, "sender_id": -1001, "text": t, "date": f"2024-05-0{n}"}
        for n, t in enumerate(texts, start=1)
    ]


def _read(*paths) -> tuple[list[Article], Problems]:
    problems = Problems()
    return list(read_inputs([str(p) for p in paths], problems)), problems


def test_a_malformed_telegram_file_is_one_line_and_the_good_file_is_read(tmp_path):
    (tmp_path / "good.json").write_text(json.dumps(_posts(GOOD, GOOD + " Снова.")), "utf-8")
    bad = {"name": "x", "id": 5, "messages": ["a string", {"id": 2, "text": [1, 2]}]}
    (tmp_path / "bad.json").write_text(json.dumps(bad), "utf-8")
    (tmp_path / "deep.json").write_text(DEEP, "utf-8")
    articles, problems = _read(tmp_path)
    assert [a.id for a in articles] == ["tg-1001-1", "tg-1001-2"]
    assert len(problems.errors) == 3
    assert any("bad.json: post 1: a post must be a JSON object" in e for e in problems.errors)
    assert any("bad.json: post 2: a text piece must be a string" in e for e in problems.errors)
    assert any("deep.json: JSON nested too deeply" in e for e in problems.errors)
    assert all("\n" not in e for e in problems.errors)


def test_a_directory_with_a_malformed_file_ingests_every_good_article(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "good.json").write_text(json.dumps(_posts(GOOD)), "utf-8")
    (inputs / "bad.json").write_text(json.dumps([{"message_id": 1, "text": 5}]), "utf-8")
    result = runner.invoke(app, ["ingest", str(inputs), "--db", str(tmp_path / "c.db")])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert "1 new, 0 duplicates, 0 already stored, 1 failed" in result.stderr
    failed = [line for line in result.stderr.splitlines() if "failed: " in line]
    assert len(failed) == 1 and "bad.json" in failed[0]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("deep.jsonl", DEEP, "nested too deeply"),
        ("types.jsonl", json.dumps({"text": GOOD, "title": 5}), '"title" must be a string'),
        ("types2.jsonl", json.dumps({"text": GOOD, "url": ["x"]}), '"url" must be a string'),
        ("id.jsonl", json.dumps({"text": GOOD, "id": {"a": 1}}), '"id" must be a string'),
        ("text.jsonl", json.dumps({"text": 12}), 'no "text" field'),
        (
            "bomb.xml",
            '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>'
            "<rss><channel><item><title>&b;</title></item></channel></rss>",
            "entity declarations",
        ),
    ],
)
def test_each_malformed_input_is_one_line(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    articles, problems = _read(path)
    assert articles == []
    [error] = problems.errors
    assert message in error and str(path) in error and "\n" not in error


def test_absurd_dates_are_dropped_with_a_warning(tmp_path):
    lines = [
        {"id": "far", "text": GOOD, "published": "9999-12-30"},
        {"id": "early", "text": GOOD, "published": "0001-01-01"},
        {"id": "number", "text": GOOD, "published": 20240501},
        {"id": "fine", "text": GOOD, "published": "2024-05-01"},
    ]
    path = tmp_path / "dates.jsonl"
    path.write_text("\n".join(json.dumps(x) for x in lines), encoding="utf-8")
    articles, problems = _read(path)
    assert [(a.id, a.published) for a in articles] == [
        ("far", None),
        ("early", None),
        ("number", None),
        ("fine", "2024-05-01"),
    ]
    assert len(problems.warnings) == 3 and not problems.errors


def test_surrogates_nul_and_long_ids_are_made_storable():
    article = Article(id="x" * 5000, text="Путин\x00 приехал \ud800 в Москву", title="\udfff")
    assert article.text == "Путин приехал \ufffd в Москву"
    assert article.title == "\ufffd"
    assert len(article.id) == MAX_ID_CHARS
    assert article.id != Article(id="x" * 4999 + "y", text="t").id


def test_hostile_texts_analyze_without_a_traceback(tmp_path, check_record):
    lines = [
        '{"id": "sur", "text": "Путин \\ud800 приехал в Москву"}',
        json.dumps({"id": "tangut", "text": "𗀀𗀁 Путин встретился с 𗀂 Токаевым"}),
        json.dumps({"id": "rtl", "text": "שלום Путин ‮ встретился\x00 с ﷽ Токаевым 😀"}),
        json.dumps({"id": "digits", "text": "2024 12 31 " * 50}),
        json.dumps(
            {"id": "late", "text": "Вчера Путин встретился с Токаевым", "published": "9999-12-30"}
        ),
    ]
    path = tmp_path / "hostile.jsonl"
    path.write_text("\n".join(lines), encoding="utf-8")
    result = runner.invoke(app, ["analyze", str(path), "-f", "jsonl"])
    assert result.exit_code == 0, result.output
    records = [check_record(json.loads(line)) for line in result.stdout.splitlines()]
    assert [r["id"] for r in records] == ["sur", "tangut", "rtl", "digits", "late"]
    assert "\ufffd" in records[0]["text"] and "\x00" not in records[2]["text"]


def test_deep_json_on_standard_input_is_one_line():
    done = subprocess.run(
        [sys.executable, "-m", "letopis", "analyze", "-"],
        input=("{" + '"a":' * 1 + DEEP + "}").encode(),
        capture_output=True,
        timeout=120,
    )
    assert done.returncode == 1
    assert b"Traceback" not in done.stderr
    errors = [line for line in done.stderr.decode().splitlines() if line.startswith("error")]
    assert len(errors) == 1 and "nested too deeply" in errors[0]


def test_the_same_hostile_file_stores_the_same_on_both_backends(tmp_path, db_url):  # noqa: F811
    lines = [
        {"id": "nul", "text": "Путин\x00 встретился с Токаевым", "title": "a\x00b"},
        {"id": "long" * 300, "text": "Токаев встретился с Путиным в Астане"},
        {"id": "sur", "text": "Путин приехал \ud800 в Москву", "source": "\udc00"},
        {"id": "src", "text": "Лавров прилетел в Анкару", "source": "канал " * 400},
    ]
    path = tmp_path / "hostile.jsonl"
    path.write_text("\n".join(json.dumps(x) for x in lines), encoding="utf-8")
    with Corpus(db_url) as corpus:
        summary = corpus.ingest(str(path))
        assert summary.failed == [] and summary.new == 4
        stored = [(r.id, r.title, r.text, r.source) for r in corpus.records()]
        with corpus.store.session() as session:
            source_column = session.scalar(
                select(models.Article.source).where(models.Article.key == "src")
            )
    assert stored == [
        ("nul", "ab", "Путин встретился с Токаевым", None),
        (Article(id="long" * 300, text="x").id, None, "Токаев встретился с Путиным в Астане", None),
        ("sur", None, "Путин приехал \ufffd в Москву", "\ufffd"),
        ("src", None, "Лавров прилетел в Анкару", "канал " * 400),  # the record keeps it whole
    ]
    assert source_column == ("канал " * 400)[:512]  # the column is cut alike on both backends
