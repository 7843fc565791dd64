"""Reviews feed quality: analysts' verdicts on corpus events become gold documents in the format
of ../shared/eval (so `letopis eval events` scores against them), and `letopis eval reviews`
prints the coder's precision per type on the reviewed events.

In a gold document made from reviews, each reviewed event of the article is a required gold
event (as the machine coded it when `correct`, as the analyst corrected it when `corrected`,
absent when `wrong`); the article's unreviewed events are gold with required=false, so they
neither count as misses nor as false events. The latest review of an event wins."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from typing import IO, Any

from sqlalchemy import select

from letopis.store import models
from letopis.text import name_key

STEM_KEEP = 5  # names longer than this lose their last two letters (Russian case endings)


def stem(name: str) -> str:
    folded = name_key(name)
    return folded[:-2] if len(folded) > STEM_KEEP else folded


def latest_reviews(session) -> dict[int, models.Review]:
    latest: dict[int, models.Review] = {}
    for review in session.scalars(select(models.Review).order_by(models.Review.id)):
        latest[review.merged_id] = review
    return latest


def gold_documents(corpus) -> list[dict[str, Any]]:
    """One gold document per analyzed article that reports a reviewed event."""
    with corpus.store.session() as session:
        latest = latest_reviews(session)
        if not latest:
            return []
        rows = session.execute(
            select(models.Event.article_id, models.Event.local_id, models.Event.merged_id).where(
                models.Event.merged_id.in_(list(latest))
            )
        ).all()
        reviewed_in: dict[int, dict[str, models.Review]] = defaultdict(dict)
        for article_id, local_id, merged_id in rows:
            reviewed_in[article_id][local_id] = latest[merged_id]
        documents = []
        for article_id in sorted(reviewed_in):
            article = session.get(models.Article, article_id)
            if article is None or article.record is None:
                continue
            documents.append(_document(json.loads(article.record), reviewed_in[article_id]))
        return documents


def _document(record: dict, reviewed: dict[str, models.Review]) -> dict[str, Any]:
    events = []
    for event in record.get("events", []):
        review = reviewed.get(event["id"])
        if review is None:
            events.append(_gold_event(record, event, required=False))
        elif review.verdict == "correct":
            events.append(_gold_event(record, event, required=True))
        elif review.verdict == "corrected":
            events.append(_gold_event(record, event, required=True, correction=review.correction))
    return {
        "id": record["id"],
        "title": record.get("title"),
        "published": record.get("published"),
        "source": record.get("source"),
        "text": record["text"],
        "events": events,
    }


def _gold_event(record: dict, event: dict, *, required: bool, correction: dict | None = None):
    correction = correction or {}
    actors = correction.get("actors") or [a["name"] for a in event.get("actors", [])]
    recipients = correction.get("recipients") or [r["name"] for r in event.get("recipients", [])]
    place = correction.get("place") or ((event.get("place") or {}).get("name"))
    mention = (event.get("mentions") or [None])[0]
    evidence = (
        record["text"][mention["sentence_start"] : mention["sentence_end"]]
        if mention
        else event["trigger"]["text"]
    )
    return {
        "types": [correction.get("type") or event["type"]],
        "status": correction.get("status") or event["status"],
        "actor": [[stem(name)] for name in actors],
        "recipient": [[stem(name)] for name in recipients],
        "place": [stem(place)] if place else None,
        "date": correction.get("date") or event.get("date"),
        "required": required,
        "evidence": " ".join(evidence.split()),
    }


def write_gold(documents: list[dict[str, Any]], out: IO[str]) -> int:
    for document in documents:
        out.write(json.dumps(document, ensure_ascii=False) + "\n")
    return len(documents)


# ---- precision per type --------------------------------------------------------------------


def precision_by_type(corpus) -> dict[str, dict[str, Any]]:
    """Per machine type: reviewed events, verdicts, precision (correct / reviewed) and type
    precision (correct, or corrected without changing the type)."""
    with corpus.store.session() as session:
        latest = latest_reviews(session)
        types = dict(
            session.execute(
                select(models.MergedEvent.id, models.MergedEvent.type).where(
                    models.MergedEvent.id.in_(list(latest) or [-1])
                )
            ).all()
        )
    verdicts: dict[str, Counter] = defaultdict(Counter)
    for merged_id, review in latest.items():
        machine_type = types.get(merged_id)
        if machine_type is None:
            continue
        verdicts[machine_type][review.verdict] += 1
        corrected_type = (review.correction or {}).get("type")
        if review.verdict == "correct" or (
            review.verdict == "corrected" and corrected_type in (None, machine_type)
        ):
            verdicts[machine_type]["type_right"] += 1
    result = {}
    for event_type in sorted(verdicts):
        counts = verdicts[event_type]
        reviewed = counts["correct"] + counts["wrong"] + counts["corrected"]
        result[event_type] = {
            "reviewed": reviewed,
            "correct": counts["correct"],
            "corrected": counts["corrected"],
            "wrong": counts["wrong"],
            "precision": counts["correct"] / reviewed,
            "type_precision": counts["type_right"] / reviewed,
        }
    return result
