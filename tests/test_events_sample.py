"""The worked example of codebook §4: the sample article's events, each coded once."""

from __future__ import annotations

from pathlib import Path

import pytest

from letopis.ingest.article import Article
from letopis.pipeline import Pipeline

SAMPLE = (
    Path(__file__).resolve().parents[1]
    / ".."
    / "shared"
    / "samples"
    / ("kazakhstan-csto-withdrawal.txt")
)

# (type, a stem of the actor's name or text, extra check) for the 11 events of codebook §4.
EXPECTED = [
    ("CONSULT", "путин", None),
    ("SUPPORT", "токаев", None),
    ("RETREAT", "одкб", "future"),
    ("PROTEST", "жител", None),
    ("CONCEDE", "власт", None),
    ("PROTEST", "протест", "riot"),
    ("ASSAULT", "участник", None),
    ("COERCE", "участник", None),
    ("REQUEST", "токаев", None),
    ("AID", "одкб", None),
    ("ASSAULT", "военн", None),
]


def _norm(text: str) -> str:
    return text.casefold().replace("ё", "е")


@pytest.fixture(scope="module")
def record():
    if not SAMPLE.is_file():
        pytest.skip(f"the sample article is not here: {SAMPLE}")
    text = SAMPLE.read_text(encoding="utf-8").strip()
    return Pipeline().analyze(Article(id="sample", text=text, published="2022-01-11"))


def _matching(record, event_type: str, stem: str) -> list:
    return [
        e
        for e in record.events
        if e.type == event_type
        and any(stem in _norm(a.name) or stem in _norm(a.text) for a in e.actors)
    ]


def test_at_least_nine_of_eleven_events_come_out_once(record):
    found = []
    for event_type, stem, extra in EXPECTED:
        matches = _matching(record, event_type, stem)
        if extra == "riot":
            matches = [e for e in matches if "riot" in e.mode]
        if len(matches) == 1:
            found.append((event_type, stem))
    assert len(found) >= 9, found


def test_withdrawal_is_one_future_event_from_title_lead_and_body(record):
    (withdrawal,) = _matching(record, "RETREAT", "одкб")
    assert withdrawal.status == "future"
    assert len(withdrawal.mentions) >= 2
    title_end = record.text.index("\n")
    assert withdrawal.mentions[0].trigger_start < title_end


def test_consult_has_both_presidents(record):
    (talk,) = _matching(record, "CONSULT", "путин")
    participants = " ".join(_norm(a.name) for a in talk.actors + talk.recipients)
    assert "токаев" in participants
