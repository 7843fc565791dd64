"""Bounded work per article: over-long sentences are cut into windows, repeated triggers stay
linear, and an article over the size limit is refused in one line, from files and stdin."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap

import pytest
from conftest import shared_path
from typer.testing import CliRunner

from letopis.analyze.segment import MAX_SENTENCE_TOKENS, NewsSegmenter
from letopis.cli import app
from letopis.ingest import limits

runner = CliRunner()
GIB = 1 << 30


def _unpunctuated(size: int) -> str:
    """Words of the sample article without any punctuation, `size` UTF-8 bytes long."""
    sample = shared_path("samples/kazakhstan-csto-withdrawal.txt").read_text(encoding="utf-8")
    words = re.findall(r"\w+", sample)
    parts, length = [], 0
    while length < size:
        parts.append(words[len(parts) % len(words)])
        length += len(parts[-1].encode("utf-8")) + 1
    return " ".join(parts)


def test_a_long_sentence_is_cut_into_windows_that_cover_it():
    text = _unpunctuated(20_000)
    sents = list(NewsSegmenter().sentenize(text))
    tokens = NewsSegmenter().tokenize
    assert len(sents) > 1
    assert all(len(list(tokens(s.text))) <= MAX_SENTENCE_TOKENS for s in sents)
    assert all(text[s.start : s.stop] == s.text for s in sents)
    covered = "".join(text[a.stop : b.start] for a, b in zip(sents, sents[1:], strict=False))
    assert not covered.strip()  # only the spaces between windows are left out
    assert sents[0].start == 0 and sents[-1].stop == len(text)


_MEASURE = textwrap.dedent(
    """
    import json, resource, sys, time
    import letopis
    pipeline = letopis.Pipeline()
    seconds = []
    for text in json.loads(sys.stdin.read()):
        started = time.perf_counter()
        record = pipeline.analyze(letopis.Article(id="x", text=text))
        seconds.append(time.perf_counter() - started)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(json.dumps({"seconds": seconds, "peak": peak, "events": len(record.events)}))
    """
)


def _measure(texts: list[str]) -> dict:
    """Analyze the texts one after the other in a fresh process: times and peak RSS."""
    done = subprocess.run(
        [sys.executable, "-c", _MEASURE],
        input=json.dumps(texts),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.splitlines()[-1])


@pytest.fixture(scope="module")
def measured() -> dict:
    """One process analyzes a warm-up text, a 29 KB and a 117 KB sentence without punctuation,
    then 'ввели санкции' repeated 375 and 1,500 times."""
    quarter, whole = _unpunctuated(29_000), _unpunctuated(117_000)
    return _measure(
        [quarter[:2000], quarter, whole, "ввели санкции " * 375, "ввели санкции " * 1500]
    )


def test_a_117_kb_sentence_analyzes_in_bounded_memory_and_linear_time(measured):
    _, small, large, *_ = measured["seconds"]
    assert measured["peak"] < 2 * GIB
    assert large / small < 8  # 4x the text: linear is ~4x, quadratic 16x


def test_repeated_trigger_words_stay_linear(measured):
    *_, small, large = measured["seconds"]
    assert large / small < 8  # 4x the text: the old argument expander was cubic (64x)
    assert large < 30
    assert measured["events"] >= 1


def _one_line_refusal(output: str, limit: str = "2 MB") -> str:
    lines = [line for line in output.splitlines() if "limit" in line]
    assert len(lines) == 1, output
    assert "--max-article-mb" in lines[0] and f"the {limit} limit" in lines[0]
    return lines[0]


def test_a_3_mb_article_is_refused_in_one_line(tmp_path):
    big = tmp_path / "big.txt"
    big.write_text("Заголовок\n" + "слово " * 500_000, encoding="utf-8")
    result = runner.invoke(app, ["analyze", str(big), "--format", "jsonl"])
    assert result.exit_code != 0
    assert "Traceback" not in result.output
    _one_line_refusal(result.output)


def test_the_limit_is_configurable_and_applies_to_jsonl_lines(tmp_path):
    small = json.dumps({"id": "ok", "text": "Путин встретился с Токаевым."}, ensure_ascii=False)
    large = json.dumps({"id": "big", "text": "слово " * 3_000}, ensure_ascii=False)
    path = tmp_path / "mixed.jsonl"
    path.write_text(f"{large}\n{small}\n", encoding="utf-8")
    result = runner.invoke(app, ["analyze", str(path), "-f", "jsonl", "--max-article-mb", "0.02"])
    assert result.exit_code == 1
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == ["ok"]
    assert "mixed.jsonl:1" in _one_line_refusal(result.output, "0.02 MB")
    raised = runner.invoke(app, ["analyze", str(path), "-f", "jsonl", "--max-article-mb", "1"])
    assert raised.exit_code == 0, raised.output
    assert [json.loads(line)["id"] for line in raised.stdout.splitlines()] == ["big", "ok"]
    limits.set_max_article_mb(limits.DEFAULT_MAX_ARTICLE_MB)


def test_endless_standard_input_is_refused_at_the_limit():
    done = subprocess.run(
        [sys.executable, "-m", "letopis", "analyze", "-"],
        input=b"\0" * 3_000_000,
        capture_output=True,
        timeout=120,
    )
    assert done.returncode != 0
    assert b"Traceback" not in done.stderr
    _one_line_refusal(done.stderr.decode("utf-8"))
