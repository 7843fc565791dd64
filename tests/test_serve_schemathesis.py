"""Property-based tests of the API from its own OpenAPI schema (schemathesis): generated
requests to every operation, writes included (with the key), on a real SQLite corpus; none
may end in a server error. The number of requests sent is printed at the end."""

from __future__ import annotations

from collections import Counter

import pytest
import schemathesis
from corpus_fixtures import telegram_posts, write_telegram_jsonl
from hypothesis import HealthCheck, given, settings
from serve_fixtures import KEY, PAYLOADS, make_app

from letopis.corpus.corpus import Corpus

EXAMPLES = 15  # per operation: bounded so the run stays short


@pytest.fixture(scope="module")
def api_schema(tmp_path_factory, pipeline):
    directory = tmp_path_factory.mktemp("schemathesis")
    url = str(directory / "corpus.db")
    corpus = Corpus(url, pipeline=pipeline)
    corpus.ingest([str(write_telegram_jsonl(directory / "posts.jsonl", telegram_posts(8))),
                   str(PAYLOADS)])  # fmt: skip
    corpus.close()
    return schemathesis.openapi.from_asgi("/api/v1/openapi.json", make_app(url, pipeline))


def _property(operation, sent: Counter):
    """A hypothesis test sending generated requests to one operation."""

    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def call(case):
        sent[f"{case.method.upper()} {operation.path}"] += 1
        case.call_and_validate(
            headers={"X-API-Key": KEY}, checks=[schemathesis.checks.not_a_server_error]
        )

    return call


def test_api_never_fails_with_a_server_error(api_schema, capsys):
    sent: Counter = Counter()
    for operation in _operations(api_schema):
        _property(operation, sent)()
    operations = {f"{op.method.upper()} {op.path}" for op in _operations(api_schema)}
    assert set(sent) == operations, f"never generated: {sorted(operations - set(sent))}"
    with capsys.disabled():
        print(
            f"\nschemathesis: {sum(sent.values())} generated requests to {len(operations)} "
            "operations, none answered 5xx"
        )


def _operations(api_schema):
    for result in api_schema.get_all_operations():
        yield result.ok()
