"""Deterministic derived state: the same articles give the same stories, canonical entities and
merged events, row for row, whatever the hash seed (set iteration order)."""

from __future__ import annotations

import os
import subprocess
import sys

from corpus_fixtures import telegram_posts, write_telegram_jsonl
from store_dump import dump


def test_two_hash_seeds_give_identical_tables(tmp_path):
    posts = write_telegram_jsonl(tmp_path / "posts.jsonl", telegram_posts(30))
    runs = []
    for seed in ("1", "2"):
        db = tmp_path / f"seed-{seed}.db"
        command = [sys.executable, "-m", "letopis", "ingest", str(posts), "--db", str(db)]
        env = {**os.environ, "PYTHONHASHSEED": seed}
        runs.append((db, subprocess.Popen(command, env=env, stderr=subprocess.PIPE, text=True)))
    for _, process in runs:
        _, stderr = process.communicate(timeout=600)
        assert process.returncode == 0, stderr[-2000:]
    first, second = (dump(str(db)) for db, _ in runs)
    assert len(first["articles"]) == 30 and first["merged_events"] and first["canonical_entities"]
    assert first == second
