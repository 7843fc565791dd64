"""The corpus's joins on real Telegram posts: canonical entities never join names that share only
initials or a generic head, merged events never span more days than the merge window or places in
different countries. (Found by ingesting Telegram posts: "Тамбовская область" had collected
Тульская and Тверская область, "МИД Турции" the Мариинский театр, and one PROTEST a 2021 trial.)"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from datetime import date, timedelta
from itertools import combinations

import pytest
from conftest import shared_path
from corpus_fixtures import TELEGRAM_DIR

from letopis.corpus.merge import default_rules as merge_rules
from letopis.corpus.resolve import default_rules as resolve_rules
from letopis.extract.countries import country_by_adjective, country_by_name
from letopis.ingest.article import Article
from letopis.store import models
from letopis.text import fold

FIRST_POSTS = 2000
# Of the first posts a new user ingests from the export directory (files in name order), those
# naming a region or a state body: names that share initials and generic heads abound there.
NAMES_BODIES = re.compile(r"област|\bМИД|\bМин[а-я]+|\bМЧС|\bМВД")


def _articles() -> list[Article]:
    directory = shared_path(TELEGRAM_DIR)
    posts: list[dict] = []
    for path in sorted(directory.glob("*_messages.json")):
        posts += [p for p in json.loads(path.read_text(encoding="utf-8")) if p["text"].strip()]
        if len(posts) >= FIRST_POSTS:
            break
    return [
        Article(
            f"tg-{abs(post['sender_id'])}-{post['message_id']}",
            post["text"],
            published=post["date"],
            source=post["channel"],
        )
        for post in posts[:FIRST_POSTS]
        if NAMES_BODIES.search(post["text"])
    ]


@pytest.fixture(scope="module")
def joined(tmp_path_factory, pipeline):
    """(entity rows, event rows) of the ingested posts, read back from the store."""
    from letopis.corpus.corpus import Corpus

    url = str(tmp_path_factory.mktemp("joins") / "joins.db")
    with Corpus(url, pipeline=pipeline) as corpus:
        summary = corpus.add_articles(_articles())
        assert not summary.failed and summary.new > 100
        with corpus.store.session() as session:
            rows = session.query(models.Entity).filter(models.Entity.canonical_id.isnot(None))
            context = _article_countries(rows)
            entities = [
                (
                    row.canonical.key,
                    row.name,
                    row.country or context.get(row.article_id),
                    [m.text for m in row.mentions],
                    row.type,
                )
                for row in rows
            ]
            records = {
                row.id: json.loads(row.record)
                for row in session.query(models.Article).filter(models.Article.record.isnot(None))
            }
            events = [
                (row.merged.key, records[row.article_id], row.local_id)
                for row in session.query(models.Event).filter(models.Event.merged_id.isnot(None))
            ]
    return entities, events


def _article_countries(rows) -> dict[int, str]:
    """Article → the country most of its entities belong to, where one leads."""
    counts: dict[int, Counter[str]] = defaultdict(Counter)
    for row in rows:
        if row.country and row.country != "IGO":
            counts[row.article_id][row.country] += 1
    leading = {}
    for article_id, countries in counts.items():
        ranked = countries.most_common(2)
        if len(ranked) == 1 or ranked[0][1] > ranked[1][1]:
            leading[article_id] = ranked[0][0]
    return leading


def _is_country_word(word: str) -> bool:
    return country_by_name(word) is not None or country_by_adjective(word) is not None


def _stems(name: str, heads: frozenset[str]) -> set[str]:
    """Word stems that say which body or place a name is: not its kind, not its country."""
    words = [w for w in fold(name).replace("-", " ").split() if len(w) > 2]
    return {w[:5] for w in words if w not in heads and not _is_country_word(w)}


def _heads(name: str, heads: frozenset[str]) -> set[str]:
    folded = fold(name)
    return {head for head in heads if folded == head or folded.startswith(head + " ")}


def _abbreviates(short: str, full: str, defined: set[tuple[str, str]]) -> bool:
    """A listed abbreviation and its expansion (or two expansions of one), or one the text
    defined."""
    expansions = resolve_rules().expansions
    if short.isupper() and (short, full) in defined:
        return True
    # "ГУР Украины" / "Главное управление разведки Украины": the same country on both sides.
    (short, short_country), (full, full_country) = _core(short), _core(full)
    listed = expansions.get(fold(full))
    return short_country == full_country and (
        listed is not None and listed in (short, expansions.get(fold(short)))
    )


def _core(name: str) -> tuple[str, str | None]:
    """The name less a trailing country name, and that country's code."""
    words = name.split()
    for size in (1, 2, 3):
        found = country_by_name(" ".join(words[-size:])) if len(words) > size else None
        if found is not None:
            return " ".join(words[:-size]), found.iso3
    return name, None


def test_no_entity_joins_names_on_initials_or_a_generic_head(joined):
    entities, _ = joined
    rules = resolve_rules()
    heads = rules.national_heads | rules.local_heads
    head_words = {w for head in heads for w in head.split()}
    members: dict[str, list[tuple[str, str | None]]] = defaultdict(list)
    defined: set[tuple[str, str]] = set()
    for key, name, country, mentions, kind in entities:
        if kind == "PER":
            continue
        members[key].append((name, country))
        defined.update((m, name) for m in mentions if m.isupper() and m != name)
    joined_pairs = 0
    for key, names in members.items():
        distinct = {fold(name): (name, country) for name, country in names}
        for (a, ca), (b, cb) in combinations(distinct.values(), 2):
            joined_pairs += 1
            if _abbreviates(a, b, defined) or _abbreviates(b, a, defined):
                continue
            if _stems(a, head_words) & _stems(b, head_words):
                continue
            # Only a generic head in common ("парламент" / "парламент Грузии"): one national
            # body, so never two countries (a bare head of unknown country joins only the
            # article's own long form).
            shared_heads = _heads(a, rules.national_heads) & _heads(b, rules.national_heads)
            assert shared_heads and not (ca and cb and ca != cb), (
                f"{key} joins {a!r} ({ca}) and {b!r} ({cb}): only initials or a generic head"
            )
    assert joined_pairs > 0  # the posts do give names to join: the check is not vacuous


def _span(event: dict, published: str | None) -> tuple[date, date] | None:
    """The days an event's date may denote, computed here from the stored record."""
    own, day = event.get("date"), (date.fromisoformat(published[:10]) if published else None)
    if own and len(own) == 10 and own[:4].isdigit():
        return date.fromisoformat(own), date.fromisoformat(own)
    if own and own.startswith("--") and day:
        value = date(day.year, int(own[2:4]), int(own[5:7]))
        return value, value
    if own and len(own) == 4 and own.isdigit():
        return date(int(own), 1, 1), date(int(own), 12, 31)
    if own and len(own) == 7 and own[:4].isdigit():
        start = date(int(own[:4]), int(own[5:7]), 1)
        return start, (start + timedelta(days=31)).replace(day=1) - timedelta(days=1)
    return (day, day) if day else None


def test_no_merged_event_spans_dates_beyond_the_window_or_two_countries(joined):
    _, events = joined
    window = timedelta(days=merge_rules().window_days)
    by_merged: dict[str, list[tuple[tuple[date, date] | None, str | None]]] = defaultdict(list)
    for key, record, local_id in events:
        event = next(e for e in record["events"] if e["id"] == local_id)
        place = event.get("place") or {}
        by_merged[key].append((_span(event, record.get("published")), place.get("country")))
    merged = [members for members in by_merged.values() if len(members) > 1]
    assert merged, "no event of the posts merged with another: the check would be vacuous"
    for key, members in by_merged.items():
        spans = [span for span, _ in members if span]
        if spans:
            latest_start = max(start for start, _ in spans)
            earliest_end = min(end for _, end in spans)
            assert latest_start - earliest_end <= window, f"{key} spans {spans}"
        countries = {country for _, country in members if country}
        assert len(countries) <= 1, f"{key} joins places in {countries}"
