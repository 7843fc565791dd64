"""How sure the coder is that an event is real: the cue's prior, its arguments, its status
and how often the article repeats it. Consumers filter with a threshold (`--min-confidence`)."""

from __future__ import annotations

from letopis.record import Event

ACTOR_BONUS = 0.1
RECIPIENT_BONUS = 0.05
NAMED_BONUS = 0.05
REPEAT_BONUS = 0.05
BARE_PENALTY = 0.15  # no actor and no recipient
HYPOTHETICAL_PENALTY = 0.1
NEGATED_PENALTY = 0.1
IMPLICIT_PENALTY = 0.05  # the actor is inferred, not read


def score(prior: float, event: Event) -> float:
    value = prior
    if any(a.text for a in event.actors):
        value += ACTOR_BONUS
    elif event.actors:
        value += ACTOR_BONUS - IMPLICIT_PENALTY
    if event.recipients:
        value += RECIPIENT_BONUS
    if any(a.entity or a.country for a in event.actors + event.recipients):
        value += NAMED_BONUS
    if not any(a.text for a in event.actors) and not event.recipients:
        value -= BARE_PENALTY
    if event.status == "hypothetical":
        value -= HYPOTHETICAL_PENALTY
    if event.status == "negated":
        value -= NEGATED_PENALTY
    return _clamp(value)


def repeated(event: Event) -> float:
    """Each further mention of the same event adds a little."""
    return _clamp(event.confidence + REPEAT_BONUS * (len(event.mentions) - 1))


def _clamp(value: float) -> float:
    return round(min(0.99, max(0.01, value)), 2)
