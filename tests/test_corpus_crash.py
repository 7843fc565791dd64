"""Killing `letopis ingest` with SIGKILL part-way and running it again ends with exactly the
corpus an uninterrupted run makes: no article lost, none duplicated, the database intact."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from corpus_fixtures import telegram_posts, write_telegram_jsonl

from letopis.corpus.corpus import Corpus

POSTS = 80
KILL_AFTER = 20  # stored articles
LETOPIS = Path(sys.executable).with_name("letopis")


def _stored(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as connection:
            return connection.execute("SELECT count(*) FROM articles").fetchone()[0]
    except sqlite3.OperationalError:  # not migrated yet
        return 0


def _ingest(posts: Path, db: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [str(LETOPIS), "ingest", str(posts), "--db", str(db)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _snapshot(db: Path) -> dict:
    """What the corpus holds, in terms that do not depend on row ids."""
    with sqlite3.connect(db) as connection:
        keys = dict(connection.execute("SELECT id, key FROM articles"))
        articles = sorted(
            (
                key,
                keys.get(duplicate_of),
                kind,
                tuple(
                    sorted(
                        keys[i]
                        for (i,) in connection.execute(
                            "SELECT id FROM articles WHERE story_id = ?", (story,)
                        )
                    )
                ),
            )
            for key, duplicate_of, kind, story in connection.execute(
                "SELECT key, duplicate_of, duplicate_kind, story_id FROM articles"
            )
        )
        merged = sorted(
            tuple(
                sorted(
                    keys[a]
                    for (a,) in connection.execute(
                        "SELECT article_id FROM events WHERE merged_id = ?", (merged_id,)
                    )
                )
            )
            for (merged_id,) in connection.execute("SELECT id FROM merged_events")
        )
        return {
            "articles": articles,
            "merged_events": merged,
            "canonical": sorted(
                connection.execute(
                    "SELECT key, name, mention_count, article_count FROM canonical_entities"
                )
            ),
            "search_rows": connection.execute("SELECT count(*) FROM article_search").fetchone(),
            "integrity": connection.execute("PRAGMA integrity_check").fetchone()[0],
        }


@pytest.mark.slow
def test_sigkill_during_ingest_then_rerun(tmp_path, pipeline):
    if not LETOPIS.exists():
        pytest.skip(f"the letopis command is not installed next to {sys.executable}")
    posts = write_telegram_jsonl(tmp_path / "posts.jsonl", telegram_posts(POSTS))
    db = tmp_path / "killed.db"

    process = _ingest(posts, db)
    deadline = time.monotonic() + 300
    while _stored(db) < KILL_AFTER and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert process.poll() is None, f"ingest ended before it could be killed: {process.stderr}"
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    killed_at = _stored(db)
    assert KILL_AFTER <= killed_at < POSTS

    rerun = _ingest(posts, db)
    reference = tmp_path / "reference.db"  # built while the re-run goes on: two cores
    with Corpus(str(reference), pipeline=pipeline) as corpus:
        summary = corpus.ingest([str(posts)])
    assert summary.failed == []
    _, stderr = rerun.communicate(timeout=600)
    assert rerun.returncode == 0, stderr
    assert f"{killed_at} already stored" in stderr

    after_kill, uninterrupted = _snapshot(db), _snapshot(reference)
    assert after_kill["integrity"] == "ok"
    keys = [key for key, *_ in after_kill["articles"]]
    assert len(keys) == len(set(keys)) == POSTS
    assert after_kill == uninterrupted
