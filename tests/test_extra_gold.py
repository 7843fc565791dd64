"""Training-only gold kept without its texts: texts come back from the data sets, checked."""

from __future__ import annotations

import json

import pytest

from letopis.errors import InputError
from letopis.learn.extra_gold import read_extra_gold, text_digest
from tests.conftest import SHARED

TEXT = "Полиция задержала активиста в Москве.\n"


def _write_gold(path, origin, digest):
    line = {"id": "x1", "origin": origin, "text_sha256": digest, "published": None, "events": []}
    path.write_text(json.dumps(line, ensure_ascii=False) + "\n", encoding="utf-8")


def test_a_text_file_comes_back_and_a_changed_one_is_refused(tmp_path):
    data = tmp_path / "data"
    (data / "wiki").mkdir(parents=True)
    (data / "wiki" / "a.txt").write_text(TEXT, encoding="utf-8")
    gold = tmp_path / "extra.jsonl"
    _write_gold(gold, {"dataset": "wiki", "file": "a.txt"}, text_digest(TEXT))
    [doc] = read_extra_gold(gold, data)
    assert doc["text"] == TEXT and doc["id"] == "x1" and "origin" not in doc
    (data / "wiki" / "a.txt").write_text(TEXT + "Суд арестовал его.", encoding="utf-8")
    with pytest.raises(InputError, match="has changed"):
        read_extra_gold(gold, data)
    (data / "wiki" / "a.txt").unlink()
    with pytest.raises(InputError, match="not found"):
        read_extra_gold(gold, data)


TELEGRAM = SHARED / "data" / "tg-news-posts-2024" / "raw" / "1001003921752_messages.json"


@pytest.mark.skipif(not TELEGRAM.is_file(), reason="../shared/data Telegram posts are not here")
def test_a_telegram_post_comes_back_by_its_id(tmp_path):
    from letopis.ingest.readers import Problems
    from letopis.ingest.sources import read_inputs

    post = next(iter(read_inputs([str(TELEGRAM)], Problems())))
    gold = tmp_path / "extra.jsonl"
    origin = {"dataset": "tg-news-posts-2024", "file": f"raw/{TELEGRAM.name}", "item": post.id}
    _write_gold(gold, origin, text_digest(post.text))
    [doc] = read_extra_gold(gold, SHARED / "data")
    assert doc["text"] == post.text
    _write_gold(gold, {**origin, "item": "tg-0-0"}, text_digest(post.text))
    with pytest.raises(InputError, match="no post"):
        read_extra_gold(gold, SHARED / "data")
