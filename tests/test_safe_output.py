"""No user action destroys the corpus: outputs onto the store's own files are refused, outputs
are renamed into place only when complete, and write errors are one line."""

from __future__ import annotations

import os
import sqlite3

import pytest
from typer.testing import CliRunner

from letopis.cli import app
from letopis.errors import InputError
from letopis.output import atomic_output

runner = CliRunner()
GOOD = "Заголовок\nМинистр иностранных дел России Сергей Лавров встретился в Анкаре с главой МИД."


def _run(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False)


def _count(db) -> int:
    with sqlite3.connect(db) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return connection.execute("SELECT count(*) FROM articles").fetchone()[0]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("corpus")
    (folder / "lavrov.txt").write_text(GOOD, encoding="utf-8")
    db = folder / "corpus.db"
    assert _run("ingest", str(folder / "lavrov.txt"), "--db", str(db)).exit_code == 0
    return db


@pytest.mark.parametrize("format", ["jsonl", "csv", "parquet", "plover"])
@pytest.mark.parametrize("suffix", ["", "-wal", "-shm"])
def test_export_onto_the_database_is_refused_and_the_corpus_is_intact(corpus, format, suffix):
    size = corpus.stat().st_size
    target = corpus.with_name(corpus.name + suffix)
    result = _run("export", "--format", format, "--output", str(target), "--db", str(corpus))
    assert result.exit_code == 2
    [line] = result.stderr.strip().splitlines()
    assert "refusing to write" in line and "database" in line
    assert corpus.stat().st_size == size
    assert _count(corpus) == 1


def test_a_link_to_the_database_is_refused_too(corpus, tmp_path):
    link = tmp_path / "out.jsonl"
    link.symlink_to(corpus)
    result = _run("export", "--format", "jsonl", "--output", str(link), "--db", str(corpus))
    assert result.exit_code == 2
    assert _count(corpus) == 1


def test_export_writes_through_a_temporary_file(corpus, tmp_path):
    out = tmp_path / "corpus.jsonl"
    result = _run("export", "--format", "jsonl", "--output", str(out), "--db", str(corpus))
    assert result.exit_code == 0, result.output
    assert len(out.read_text(encoding="utf-8").splitlines()) == 1
    assert os.listdir(tmp_path) == ["corpus.jsonl"]  # no temporary file left behind


def test_a_failed_write_leaves_the_old_file_whole(tmp_path):
    target = tmp_path / "out.txt"
    target.write_text("old content", encoding="utf-8")
    with pytest.raises(RuntimeError), atomic_output(target) as out:
        out.write("half of the new")
        raise RuntimeError("disk full, say")
    assert target.read_text(encoding="utf-8") == "old content"
    assert os.listdir(tmp_path) == ["out.txt"]


def test_a_full_disk_is_one_line(tmp_path):
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full on this system")
    with pytest.raises(InputError, match="cannot write"), atomic_output(tmp_path / "x") as out:
        with open("/dev/full", "w") as full:  # the same OSError a full disk gives
            full.write("x")
            full.flush()
        out.write("never")


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only directories")
def test_an_unwritable_directory_is_one_line(corpus, tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    result = _run("export", "-f", "csv", "-o", str(locked / "x.csv"), "--db", str(corpus))
    assert result.exit_code == 2
    [line] = result.stderr.strip().splitlines()
    assert "cannot write" in line


def test_analyze_output_into_a_missing_directory_is_one_line(tmp_path):
    article = tmp_path / "a.txt"
    article.write_text(GOOD, encoding="utf-8")
    result = _run("analyze", str(article), "-o", str(tmp_path / "no" / "such" / "out.json"))
    assert result.exit_code == 2
    [line] = result.stderr.strip().splitlines()
    assert "cannot write" in line
