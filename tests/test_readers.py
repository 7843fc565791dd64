import io
import json
import sys

import pytest

from letopis.errors import InputError
from letopis.ingest.article import normalise_published
from letopis.ingest.readers import Problems, read_stdin, read_txt
from letopis.ingest.sources import read_inputs


def test_txt_title_is_first_non_empty_line_and_text_is_kept(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("\ufeff\n  Заголовок статьи\nТело статьи.\n\n", encoding="utf-8")
    article = read_txt(path)
    assert article.title == "Заголовок статьи"
    assert article.text == "\n  Заголовок статьи\nТело статьи."
    assert article.id == "a"


def test_cp1251_file_is_read_with_a_warning(tmp_path):
    path = tmp_path / "old.txt"
    path.write_bytes("Митинг в Москве\nЖители вышли на улицы.".encode("cp1251"))
    problems = Problems()
    article = read_txt(path, problems=problems)
    assert article.title == "Митинг в Москве"
    assert problems.warnings and "cp1251" in problems.warnings[0]


def test_empty_file_is_an_error(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_text("  \n\n", encoding="utf-8")
    with pytest.raises(InputError, match="empty"):
        read_txt(path)


def test_malformed_jsonl_line_is_reported_and_the_rest_is_read(tmp_path):
    path = tmp_path / "news.jsonl"
    lines = [
        json.dumps({"id": "a", "text": "Первая новость.", "published": "2024-11-01"}),
        '{"id": "b", "text": ',
        json.dumps({"id": "c", "text": "Третья новость."}),
        json.dumps({"id": "d", "title": "без текста"}),
    ]
    path.write_text("\n".join(lines), encoding="utf-8")
    problems = Problems()
    articles = list(read_inputs([str(path)], problems, published="2024-01-01"))
    assert [a.id for a in articles] == ["a", "c"]
    assert articles[0].published == "2024-11-01"
    assert articles[1].published == "2024-01-01"
    assert [e.split(":")[1] for e in problems.errors] == ["2", "4"]


def test_directory_without_articles_is_reported(tmp_path):
    (tmp_path / "notes.md").write_text("nothing here", encoding="utf-8")
    problems = Problems()
    assert list(read_inputs([str(tmp_path)], problems)) == []
    assert "no article files" in problems.errors[0]


def test_stdin_jsonl_and_text(monkeypatch):
    line = json.dumps({"id": "x", "text": "Новость."}, ensure_ascii=False)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(line.encode())))
    assert [a.id for a in read_stdin()] == ["x"]
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO("Заголовок\nТекст".encode())))
    assert [a.title for a in read_stdin()] == ["Заголовок"]


@pytest.mark.parametrize("value", ["11.01.2022", "2022-13-01", "вчера"])
def test_bad_published_is_rejected(value):
    with pytest.raises(InputError):
        normalise_published(value)


def test_published_keeps_timestamps():
    assert normalise_published("2024-11-27T10:15:00+03:00") == "2024-11-27T10:15:00+03:00"
