"""Shared fixtures: one pipeline for the whole session, and the paths of the shared data."""

from __future__ import annotations

from pathlib import Path

import pytest

import letopis
from letopis.schema import validate

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SAMPLE = SHARED / "samples" / "kazakhstan-csto-withdrawal.txt"


def shared_path(relative: str) -> Path:
    """A path under ../shared, or a skip saying what is missing."""
    path = SHARED / relative
    if not path.exists():
        pytest.skip(f"shared data not available: {path} (tests on real data need ../shared)")
    return path


@pytest.fixture(scope="session")
def pipeline() -> letopis.Pipeline:
    return letopis.Pipeline()


@pytest.fixture(scope="session")
def analyze(pipeline):
    """Text → the analyzed Doc, through the whole pipeline."""

    def run(text: str):
        return pipeline.process(letopis.Article(id="t", text=text))

    return run


@pytest.fixture(scope="session")
def sample_text() -> str:
    return shared_path("samples/kazakhstan-csto-withdrawal.txt").read_text(encoding="utf-8")


@pytest.fixture
def check_record():
    """Validate a record (object or dict) against the JSON Schema and return it as a dict."""

    def check(record) -> dict:
        data = record if isinstance(record, dict) else record.to_dict()
        validate(data)
        return data

    return check


def rules_pipeline() -> letopis.Pipeline:
    """A pipeline whose event coder keeps the lexicon's own decisions (no learned model): the
    tests of one construction each check the candidate generator — triggers, arguments,
    status, place and date — which the learned model only keeps or drops."""
    pipeline = letopis.Pipeline()
    coder = pipeline.components[pipeline.component_names.index("events")]
    coder.classifier = None
    return pipeline
