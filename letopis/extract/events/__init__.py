"""The event coder: PLOVER events (codebook ../shared/docs/codebook.md) read off the parse.

Triggers come from letopis/data/triggers.yaml, group nouns from letopis/data/groups.yaml;
both are compiled once into lemma-keyed dictionaries, so a document costs a few dict look-ups
per token plus a walk over the parse around each trigger."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from letopis.analyze.doc import Doc, Token
from letopis.extract.events.arguments import ArgumentBuilder, Nominative, roles_of
from letopis.extract.events.confidence import repeated, score
from letopis.extract.events.eventivity import (
    EventClassifier,
    RuleFlags,
    candidate_features,
    document_features,
    embedding_features,
    load_classifier,
)
from letopis.extract.events.lexicon import Lexicon, TriggerEntry, event_words, load_lexicon
from letopis.extract.events.merge import Candidate, merge_candidates
from letopis.extract.events.plover import strict_type, to_plover
from letopis.extract.events.status import read_status, source_token
from letopis.extract.events.tree import Tree
from letopis.extract.events.triggers import Hit, find_triggers
from letopis.extract.events.where_when import WhereWhen, argument_keys
from letopis.record import Argument, Event, EventMention, Trigger
from letopis.registry import component
from letopis.text import Morph

__all__ = ["make_events", "strict_type", "to_plover"]

# A trigger governed by one of these is part of what they say ("призвал начать переговоры",
# "пообещал поставить оружие"): the outer event is coded, the inner one is not.
EMBEDDING_TYPES = frozenset({"REQUEST", "AGREE", "THREATEN", "ACCUSE"})
# Sectors of the state's own forces and offices: they cordon and ban, they do not protest.
STATE_SECTORS = frozenset({"COP", "MIL", "GOV", "JUD"})


def _sentence_extent(doc: Doc, tree: Tree, tok: Token) -> tuple[int, int]:
    """The trigger's sentence, clipped to its line (a title glued to the lead is split off)."""
    sent = doc.sents[tok.sent]
    line_start = doc.text.rfind("\n", 0, tok.start) + 1
    line_end = doc.text.find("\n", tok.end)
    line_end = len(doc.text) if line_end < 0 else line_end
    return max(sent.start, line_start), min(sent.end, line_end)


def _arguments(builder: ArgumentBuilder, tokens: list[Token]) -> list[Argument]:
    out = []
    for tok in tokens:
        arg = builder.build(tok)
        if arg is not None and all((a.start, a.end) != (arg.start, arg.end) for a in out):
            out.append(arg)
    return out


class EventCoder:
    def __init__(
        self,
        lexicon: Lexicon,
        morph: Morph,
        min_confidence: float | None = None,
        classifier: EventClassifier | None = None,
        embedding: Any = None,
    ):
        self.lexicon = lexicon
        self.nominative = Nominative(morph)
        self.classifier = classifier
        self.embedding = embedding
        # Training: keep every candidate and its features (`last_features`), decide nothing.
        self.keep_all = False
        self.last_features: list[dict[str, float]] = []
        self.min_confidence = lexicon.min_confidence if min_confidence is None else min_confidence
        self.event_lemmas = frozenset(lexicon.triggers)
        self.wildcards = lexicon.anaphoric_names

    def __call__(self, doc: Doc) -> Doc:
        doc.events = self.code(doc)
        return doc

    def code(self, doc: Doc) -> list[Event]:
        if not doc.tokens:
            return []
        tree = Tree(doc, self.event_lemmas)
        hits = find_triggers(tree, self.lexicon)
        hit_types = {hit.token.index: hit.entry.type for hit in hits}
        builder = ArgumentBuilder(doc, tree, self.lexicon, self.nominative)
        where_when = WhereWhen(doc, tree)
        coded: dict[int, tuple[Hit, Event, int | None, dict[str, float]]] = {}
        for hit in hits:
            found = self._event(doc, tree, hit, hit_types, builder, where_when)
            if found is not None:
                coded[hit.token.index] = (hit, *found)
        candidates = [
            Candidate(
                event,
                hit.token.lemma,
                {hit.token.sent},
                hit.entry.aftermath and not any(a.text for a in event.actors),
                features,
            )
            for hit, event, _, features in _resolve_embedding(coded).values()
        ]
        kept = merge_candidates(candidates, self.wildcards)
        events = [k.event for k in kept]
        if not self._learned:
            for event in events:
                event.confidence = repeated(event)
            return [e for e in events if e.confidence >= self.min_confidence]
        features = [k.features for k in kept]
        document_features(features, events, doc, self.lexicon)
        if self.keep_all:
            self.last_features = features
            return events
        assert self.classifier is not None
        for event, feats in zip(events, features, strict=True):
            event.confidence = round(self.classifier.probability(feats), 2)
        threshold = self.classifier.threshold
        return [e for e in events if e.confidence >= threshold]

    @property
    def _learned(self) -> bool:
        """Candidates are decided by the trained model (or kept for training it)."""
        return self.keep_all or self.classifier is not None

    def _participants(self, tree: Tree, heads: list[Token]) -> list[Token]:
        """An event noun stands for its agent ("отражает атаки боевиков" → боевики) or for
        nobody ("протесты разгорелись")."""
        out = []
        for tok in heads:
            if not self._is_event_word(tok):
                out.append(tok)
                continue
            out.extend(
                k
                for k in tree.kids(tok.index, "nmod")
                if k.feats.get("Case") == "Gen"
                and tree.prep(k.index) is None
                and not self._is_event_word(k)
            )
        return out

    def _poll_frame(self, tree: Tree, tok: Token) -> bool:
        """ "64% граждан поддерживают начало переговоров": a governor (up to three levels up)
        whose subject is a count or an opinion frames what is under it as a poll answer."""
        cur = tree.parent(tok.index)
        for _ in range(3):
            if cur is None:
                return False
            if any(k.lemma in self.lexicon.poll_subjects for k in tree.kids(cur.index, "nsubj")):
                return True
            cur = tree.parent(cur.index)
        return False

    def _state_reading(
        self, tok: Token, entry: TriggerEntry, actors: list[Argument]
    ) -> TriggerEntry | None:
        """A protest is civilian (codebook): police or soldiers who "блокируют" or "перекрывают"
        a street cordon it off: the lemma's COERCE reading, or its PROTEST one as COERCE."""
        if entry.type != "PROTEST" or not any(a.text and a.sector in STATE_SECTORS for a in actors):
            return None
        coerce = next((e for e in self.lexicon.triggers[tok.lemma] if e.type == "COERCE"), None)
        return coerce or replace(entry, type="COERCE", mode=("restrict",), implicit=None)

    def _is_event_word(self, tok: Token) -> bool:
        """ "протесты разгорелись": an event noun is no participant (a court is: "суд")."""
        return tok.lemma in self.event_lemmas and tok.lemma not in self.lexicon.groups

    def _event(
        self,
        doc: Doc,
        tree: Tree,
        hit: Hit,
        hit_types: dict[int, str],
        builder: ArgumentBuilder,
        where_when: WhereWhen,
    ) -> tuple[Event, int | None, dict[str, float]] | None:
        """The event a trigger codes, and the trigger it is embedded under, if any."""
        tok, entry = hit.token, hit.entry
        reading = read_status(tree, tok, self.lexicon)
        if reading.refused:
            return None
        outer = next(
            (
                node.index
                for below, node in zip(reading.chain, reading.chain[1:], strict=False)
                # "выражают протест и призывают": coordinated acts, neither says the other
                if below.rel != "conj" and hit_types.get(node.index) in EMBEDDING_TYPES
            ),
            None,
        )
        event_type, status = entry.type, reading.status
        if reading.negated and entry.negated_type:
            event_type, status = entry.negated_type, "reported"
        elif entry.only_negated:
            return None
        speaker = source_token(tree, reading)
        if speaker is not None and speaker.lemma in self.lexicon.poll_subjects:
            return None  # "большинство опрошенных заявили, что поддерживают": a poll answer
        roles = roles_of(tree, tok, entry, self.lexicon)
        if any(a.lemma in self.lexicon.non_actors for a in roles.actors) or self._poll_frame(
            tree, tok
        ):
            return None  # "большинство россиян не поддерживает": an opinion poll, no event
        roles.actors = self._participants(tree, roles.actors)
        roles.recipients = [
            head
            for r in self._participants(tree, roles.recipients)
            for head in builder.recipient_heads(r)
        ]
        actors = _arguments(builder, roles.actors)
        state_reading = self._state_reading(tok, entry, actors)
        if state_reading is not None:
            return self._event(doc, tree, Hit(tok, state_reading), hit_types, builder, where_when)
        recipients = [
            r
            for r in _arguments(builder, roles.recipients)
            if all((a.start, a.end) != (r.start, r.end) for a in actors)
            and not _pronoun_for_actor(r, actors)
        ]
        flags = RuleFlags(
            no_args=entry.needs_args and not actors and not recipients,
            no_actor=entry.needs_actor and not actors,
            unnamed_actor=entry.named_actor
            and not any(a.entity or a.sector or a.name[:1].isupper() for a in actors),
        )
        if not self._learned and (flags.no_args or flags.no_actor or flags.unnamed_actor):
            return None
        if not actors and entry.implicit is not None:
            actors = [builder.implicit(entry.implicit, tok)]
        sent_start, sent_end = _sentence_extent(doc, tree, tok)
        place, date = where_when.locate(
            tok, reading.chain, (sent_start, sent_end), argument_keys(actors + recipients)
        )
        event = Event(
            id="",
            type=event_type,
            mode=list(entry.mode),
            status=status,
            actors=actors,
            recipients=recipients,
            place=place,
            date=date,
            trigger=Trigger(tok.text, tok.start, tok.end),
            mentions=[EventMention(sent_start, sent_end, tok.start, tok.end)],
            confidence=0.0,
            source=builder.build(speaker) if speaker is not None else None,
        )
        event.confidence = score(entry.confidence, event)
        features: dict[str, float] = {}
        if self._learned:
            features = candidate_features(tree, self.lexicon, tok, entry, reading, event, flags)
            features.update(embedding_features(self.embedding, tok.lemma))
        return event, outer, features


def _pronoun_for_actor(recipient: Argument, actors: list[Argument]) -> bool:
    """ "Он поблагодарил его": two pronouns of one clause resolved to the same person; the
    object's antecedent is wrong (Russian would say "себя")."""
    if recipient.text.lower() not in event_words().pronoun_forms:
        return False
    return any(
        a.text.lower() in event_words().pronoun_forms
        and ((a.entity is not None and a.entity == recipient.entity) or a.name == recipient.name)
        for a in actors
    )


def _resolve_embedding(
    coded: dict[int, tuple[Hit, Event, int | None, dict[str, float]]],
) -> dict[int, tuple[Hit, Event, int | None, dict[str, float]]]:
    """An event under a promise ("обещают поставить оружие") is coded itself, as planned
    (PLOVER-strict reads it as AGREE); under a request, threat or accusation only the outer
    event is coded, and it takes the inner event's recipients when it has none of its own."""
    kept = dict(coded)
    for index, (_, inner, outer_index, _) in coded.items():
        if outer_index is None or outer_index not in coded:
            continue
        outer = coded[outer_index][1]
        if outer.type == "AGREE" and strict_type(inner.type, "future") == "AGREE":
            inner.status = "future" if inner.status == "reported" else inner.status
            inner.actors = inner.actors or outer.actors
            kept.pop(outer_index, None)
            continue
        if not outer.recipients:
            outer.recipients = [
                r for r in inner.recipients if all(r.name != a.name for a in outer.actors)
            ]
        kept.pop(index, None)
    return kept


@component(
    "events",
    requires=("syntax", "entities", "roles", "dates", "places"),
    assigns=("events",),
)
def make_events(models) -> EventCoder:
    return EventCoder(
        load_lexicon(),
        models.morph,
        classifier=load_classifier(),
        embedding=getattr(models, "embedding", None),
    )
