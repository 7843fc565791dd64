"""`letopis ingest` and the query commands on bad input: one line per problem, a non-zero exit
code, no traceback, and a store that stays consistent."""

from __future__ import annotations

import socket
import sqlite3

from typer.testing import CliRunner

from letopis.cli import app

runner = CliRunner()
GOOD = (
    "Заголовок\nМинистр иностранных дел России Сергей Лавров встретился в Анкаре "
    "с главой МИД Турции."
)


def _run(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False)


def _articles(db) -> list[str]:
    with sqlite3.connect(db) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return [key for (key,) in connection.execute("SELECT key FROM articles")]


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_bad_inputs_fail_one_line_each_and_good_ones_are_stored(tmp_path):
    good = tmp_path / "lavrov.txt"
    good.write_text(GOOD, encoding="utf-8")
    feed = tmp_path / "feed.xml"
    feed.write_text("not xml at all", encoding="utf-8")
    page = tmp_path / "page.html"
    page.write_text("<html><body><script>x()</script></body></html>", encoding="utf-8")
    url = f"http://127.0.0.1:{_closed_port()}/news.html"
    db = tmp_path / "corpus.db"
    inputs = [str(feed), str(page), str(tmp_path / "missing.jsonl"), url, str(good)]
    result = _run("ingest", *inputs, "--db", str(db))
    assert result.exit_code == 1
    assert "Traceback" not in result.stderr
    failed = [line for line in result.stderr.splitlines() if line.startswith("  failed: ")]
    assert len(failed) == 4
    assert any("not an RSS/Atom feed" in line for line in failed)
    assert any("no article text found in the HTML" in line for line in failed)
    assert any("no such file or directory" in line for line in failed)
    assert any(f"{url}: cannot connect" in line for line in failed)
    assert "1 new, 0 duplicates, 0 already stored, 4 failed" in result.stderr
    assert _articles(db) == ["lavrov"]


def test_only_bad_input_leaves_an_empty_consistent_store(tmp_path):
    feed = tmp_path / "feed.rss"
    feed.write_text("{}", encoding="utf-8")
    db = tmp_path / "corpus.db"
    result = _run("ingest", str(feed), "--db", str(db))
    assert result.exit_code == 1
    assert _articles(db) == []


def test_database_that_cannot_connect_is_one_line(tmp_path):
    good = tmp_path / "a.txt"
    good.write_text(GOOD, encoding="utf-8")
    url = f"postgresql://nobody@127.0.0.1:{_closed_port()}/test"
    result = _run("ingest", str(good), "--db", url)
    assert result.exit_code == 2
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("error: cannot open the database postgresql")
    result = _run("events", "--db", url)
    assert result.exit_code == 2 and len(result.stderr.strip().splitlines()) == 1


def test_query_commands_need_an_existing_corpus(tmp_path):
    missing = tmp_path / "none.db"
    for command in ("events", "entities", "stories", "search", "timeline", "export"):
        args = {
            "search": ["search", "Лавров"],
            "timeline": ["timeline", "Лавров"],
            "export": ["export", "--format", "jsonl"],
        }.get(command, [command])
        result = _run(*args, "--db", str(missing))
        assert result.exit_code == 2, command
        assert result.stderr.strip() == (
            f"error: no corpus at {missing}: run `letopis ingest` first or pass --db"
        )
    assert not missing.exists()


def test_bad_query_values_are_one_line(tmp_path):
    good = tmp_path / "a.txt"
    good.write_text(GOOD, encoding="utf-8")
    db = str(tmp_path / "corpus.db")
    assert _run("ingest", str(good), "--db", db).exit_code == 0
    result = _run("events", "--from", "позавчера", "--db", db)
    assert result.exit_code == 2
    assert result.stderr.strip().startswith("error: not a date: 'позавчера'")
    result = _run("events", "--to", "2024-13", "--db", db)
    assert result.exit_code == 2 and "not a date: '2024-13'" in result.stderr
    result = _run("events", "--type", "MEETING", "--db", db)
    assert result.exit_code == 2 and "unknown event type 'MEETING'" in result.stderr
    assert _run("events", "--type", "consult", "--db", db).exit_code == 0
    result = _run("search", " — ", "--db", db)
    assert result.exit_code == 2 and "nothing to search for" in result.stderr
    result = _run("timeline", "Несуществующий", "--db", db)
    assert result.exit_code == 2
    assert result.stderr.strip() == "error: no entity called 'Несуществующий' in the corpus"
    result = _run("export", "--format", "parquet", "--db", db)
    assert result.exit_code == 2 and "--output" in result.stderr
