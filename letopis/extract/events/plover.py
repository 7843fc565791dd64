"""The PLOVER-strict reading of an event record (codebook §3.1): future RETREAT is CONCEDE,
future CONSULT/SUPPORT/COOPERATE/AID is AGREE, negated events are dropped; fields are named
as in PLOVER (event_type, mode, context, actor/recipient with country and sector codes)."""

from __future__ import annotations

from typing import Any

STRICT_FUTURE = {
    "RETREAT": "CONCEDE",
    "CONSULT": "AGREE",
    "SUPPORT": "AGREE",
    "COOPERATE": "AGREE",
    "AID": "AGREE",
}


def strict_type(event_type: str, status: str) -> str:
    return STRICT_FUTURE.get(event_type, event_type) if status == "future" else event_type


def _participants(args: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "name": a.get("name"),
            "text": a.get("text"),
            "country": a.get("country"),
            "sector": a.get("sector"),
            "entity": a.get("entity"),
        }
        for a in args or []
    ]


def _event(event: dict[str, Any], record: dict[str, Any]) -> dict[str, Any] | None:
    if event.get("status") == "negated":
        return None
    place = event.get("place") or {}
    return {
        "event_id": f"{record.get('id')}-{event.get('id')}",
        "event_type": strict_type(event["type"], event.get("status", "reported")),
        "mode": event.get("mode") or [],
        "context": [event["type"].lower()] if event.get("status") == "future" else [],
        "event_date": event.get("date"),
        "story_date": (record.get("published") or "")[:10] or None,
        "actor": _participants(event.get("actors")),
        "recipient": _participants(event.get("recipients")),
        "location": {
            "name": place.get("name"),
            "geonameid": place.get("geonameid"),
            "lat": place.get("lat"),
            "lon": place.get("lon"),
            "country": place.get("country"),
        }
        if place
        else None,
        "status": event.get("status"),
        "confidence": event.get("confidence"),
        "trigger": (event.get("trigger") or {}).get("text"),
        "source": event.get("source"),
    }


def to_plover(record: dict[str, Any], min_confidence: float = 0.0) -> dict[str, Any]:
    """A record dict (Record.to_dict()) → {"id", "published", "events": [PLOVER events]}."""
    events = []
    for event in record.get("events") or []:
        if (event.get("confidence") or 0.0) < min_confidence:
            continue
        strict = _event(event, record)
        if strict is not None:
            events.append(strict)
    return {"id": record.get("id"), "published": record.get("published"), "events": events}
