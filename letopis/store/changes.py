"""The change feed: every flush records which articles, corpus events and reviews it created,
changed or deleted, so a mirror can follow the corpus with `changes?since=CURSOR`."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import event, insert
from sqlalchemy.orm import Session

from letopis.store import models

TRACKED = {models.Article: "article", models.MergedEvent: "event", models.Review: "review"}


def _kind(instance) -> str | None:
    return TRACKED.get(type(instance))


@event.listens_for(Session, "after_flush")
def _record_changes(session: Session, _context) -> None:
    rows = []
    for action, instances in (
        ("new", session.new),
        ("changed", (i for i in session.dirty if session.is_modified(i))),
        ("deleted", session.deleted),
    ):
        for instance in instances:
            kind = _kind(instance)
            if kind is not None and instance.id is not None:
                rows.append({"kind": kind, "object_id": instance.id, "action": action})
    if rows:
        now = datetime.now(UTC).replace(tzinfo=None)
        session.connection().execute(insert(models.Change), [{**r, "at": now} for r in rows])
