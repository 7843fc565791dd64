"""The trigger lexicon and the group nouns, compiled once into lemma-keyed dictionaries."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from letopis.data import load_yaml, load_yaml_file
from letopis.errors import DataError
from letopis.extract.events.aspect import imperfective
from letopis.record import EVENT_TYPES

# Word lists of verbs (triggers.yaml, and its `status` section) that name both aspects.
VERB_LISTS = ("light_verbs", "speech_verbs", "object_control")
STATUS_LISTS = ("future", "hypothetical", "refusal")
# A pseudo-lemma for `with`/`without`: the trigger governs an infinitive ("предложил отложить").
XCOMP_VERB = "xcomp_verb"
# ... the trigger has a bare dative nominal: whom a ban or an order is aimed at ("иностранцам").
DATIVE = "dative"


@dataclass(frozen=True)
class EventWords:
    """The closed word classes of letopis/data/event_words.yaml."""

    pronoun_forms: frozenset[str]
    anaphoric_pronouns: frozenset[str]
    relative_pronouns: frozenset[str]
    personal_pronouns: frozenset[str]
    participant_pronouns: frozenset[str]
    non_agent_light_verbs: frozenset[str]
    source_nouns: frozenset[str]
    earlier_adverbs: frozenset[str]


@lru_cache(maxsize=1)
def event_words() -> EventWords:
    data = load_yaml("event_words.yaml")
    return EventWords(**{name: frozenset(data[name]) for name in EventWords.__dataclass_fields__})


@dataclass(frozen=True)
class TriggerEntry:
    type: str
    lemma: str
    pos: str | None
    mode: tuple[str, ...]
    with_: frozenset[str]
    without: frozenset[str]
    head: frozenset[str]
    not_head: frozenset[str]
    subject: str  # actor | recipient
    genitive: str  # actor | recipient
    recipient: frozenset[str]
    negated_type: str | None
    only_negated: bool
    needs_args: bool
    confidence: float
    priority: int
    aftermath: bool  # an agentless mention of it may be the result of a nearby event
    implicit: tuple[str, str] | None  # (name, sector) of the actor when the text names none
    needs_actor: bool
    named_actor: bool
    off_context: frozenset[str]  # lemmas that, anywhere in the sentence, mark another domain

    @property
    def specificity(self) -> int:
        """Entries with conditions win over bare lemmas on the same word."""
        return int(bool(self.with_)) + int(bool(self.head))


@dataclass(frozen=True)
class Group:
    name: str
    sector: str
    force: bool  # an armed or official body: its genitive owner is the real actor
    anaphoric: bool = False  # refers back to participants named elsewhere ("стороны")


@dataclass(frozen=True)
class Lexicon:
    triggers: dict[str, tuple[TriggerEntry, ...]]
    light_verbs: frozenset[str]
    speech_verbs: frozenset[str]
    future: frozenset[str]
    hypothetical: frozenset[str]
    negation: frozenset[str]
    refusal: frozenset[str]
    status_words: frozenset[str]  # future | hypothetical | refusal: words that set a status
    frame_nouns: frozenset[str]  # nouns that pass their governor's status to an event under them
    groups: dict[str, Group]
    demonyms: dict[str, str]
    look_through: frozenset[str]  # "часть", "независимость": the argument is their genitive
    actor_nouns: frozenset[str]  # inanimate nouns that can act or be acted on ("банк", "город")
    min_confidence: float  # events below it are not output
    non_actors: frozenset[str]  # subject lemmas that are counts or opinions, not actors
    poll_subjects: frozenset[str]  # subjects that make a governed clause a poll answer
    addressee_preps: frozenset[str]  # prepositions of a needed noun that name its recipient
    object_control: frozenset[str] = frozenset()  # "призвали X сделать": X does it
    attended_types: frozenset[str] = frozenset()  # "во время встречи X заявил": X attends
    attended_preps: frozenset[str] = frozenset()  # ... the prepositions of such a scene
    beats: dict[str, tuple[str, ...]] = field(default_factory=dict)  # lemma → its `domains`

    @property
    def anaphoric_names(self) -> frozenset[str]:
        """Argument names that point back to participants named elsewhere."""
        names = {g.name for g in self.groups.values() if g.anaphoric}
        return frozenset(names | event_words().anaphoric_pronouns)


def _words(value: Any) -> frozenset[str]:
    return frozenset(str(v).lower() for v in (value or []))


def _implicit(value: Any) -> tuple[str, str] | None:
    if not value:
        return None
    return str(value["name"]), str(value.get("sector", "UNK"))


def _off_context(spec: dict[str, Any], domains: dict[str, frozenset[str]]) -> frozenset[str]:
    lemmas: set[str] = set()
    for name in spec.get("not_in") or ():
        if name not in domains:
            raise DataError(f"unknown domain {name!r} in not_in of {spec['lemma']}")
        lemmas |= domains[name]
    return frozenset(lemmas)


def _entry(
    type_: str,
    raw: Any,
    type_spec: dict[str, Any],
    prior: float,
    domains: dict[str, frozenset[str]],
) -> TriggerEntry:
    spec = {"lemma": raw} if isinstance(raw, str) else dict(raw)
    if "lemma" not in spec:
        raise DataError(f"trigger entry without a lemma under {type_}: {raw!r}")
    negated_type = spec.get("negated_type")
    if negated_type is not None and negated_type not in EVENT_TYPES:
        raise DataError(f"unknown negated_type {negated_type!r} for {spec['lemma']}")
    return TriggerEntry(
        type=type_,
        lemma=str(spec["lemma"]).lower(),
        pos=spec.get("pos"),
        mode=tuple(spec.get("mode") or ()),
        with_=_words(spec.get("with")),
        without=_words(spec.get("without")),
        head=_words(spec.get("head")),
        not_head=_words(spec.get("not_head")),
        subject=spec.get("subject", "actor"),
        genitive=spec.get("genitive", "actor"),
        recipient=_words(spec.get("recipient", type_spec.get("recipient"))),
        negated_type=negated_type,
        only_negated=bool(spec.get("only_negated", False)),
        needs_args=bool(spec.get("args", False)),
        confidence=float(spec.get("confidence", prior)),
        priority=int(spec.get("priority", 0)),
        aftermath=bool(spec.get("aftermath", False)),
        implicit=_implicit(spec.get("implicit", type_spec.get("implicit"))),
        needs_actor=bool(spec.get("needs_actor", False)),
        named_actor=bool(spec.get("named_actor", False)),
        off_context=_off_context(spec, domains),
    )


def trigger_index(data: dict[str, Any]) -> dict[str, list[TriggerEntry]]:
    """Lemma → the entries the lexicon lists for it."""
    prior = float((data.get("defaults") or {}).get("confidence", 0.7))
    type_defaults = data.get("types") or {}
    domains = {str(name): _words(lemmas) for name, lemmas in (data.get("domains") or {}).items()}
    index: dict[str, list[TriggerEntry]] = {}
    for type_, entries in (data.get("triggers") or {}).items():
        if type_ not in EVENT_TYPES:
            raise DataError(f"unknown event type {type_!r} in the trigger lexicon")
        type_spec = type_defaults.get(type_) or {}
        for raw in entries or []:
            entry = _entry(type_, raw, type_spec, prior, domains)
            index.setdefault(entry.lemma, []).append(entry)
    return index


def compile_triggers(
    index: dict[str, list[TriggerEntry]], partners: dict[str, set[str]]
) -> dict[str, tuple[TriggerEntry, ...]]:
    """Lemma → its entries, every verb in both aspects (`partners`: see `aspect_partners`)."""
    for lemma, others in sorted(partners.items()):
        for partner in sorted(others):
            _share(index, lemma, partner)
    return {
        lemma: tuple(_with_partners(e, partners) for e in entries)
        for lemma, entries in index.items()
    }


def _lexicon_words(index: Mapping[str, Iterable[TriggerEntry]]) -> set[str]:
    words = set(index)
    for entries in index.values():
        for e in entries:
            words |= e.with_ | e.without | e.head | e.not_head
    return words


def aspect_partners(data: dict[str, Any], words: set[str]) -> dict[str, set[str]]:
    """Both aspects of every verb in the lexicon: the pairs listed in `aspect_partners` and
    the regular imperfectives `aspect.imperfective` derives (unless in `aspect_exceptions`)."""
    exceptions = _words(data.get("aspect_exceptions"))
    pairs = [
        (str(a).lower(), str(b).lower()) for a, b in (data.get("aspect_partners") or {}).items()
    ]
    listed = {word for pair in pairs for word in pair}
    for word in sorted(words - exceptions - listed):
        partner = imperfective(word)
        if partner is not None:
            pairs.append((word, partner))
    out: dict[str, set[str]] = {}
    for a, b in pairs:
        out.setdefault(a, set()).add(b)
        out.setdefault(b, set()).add(a)
    return out


def _both(words: frozenset[str], partners: dict[str, set[str]]) -> frozenset[str]:
    return words.union(*(partners.get(w, ()) for w in words))


def _with_partners(entry: TriggerEntry, partners: dict[str, set[str]]) -> TriggerEntry:
    """Conditions name a verb in either aspect ("without: [выразить]" also rules out
    "выражают протест")."""
    return replace(
        entry,
        with_=_both(entry.with_, partners),
        without=_both(entry.without, partners),
        head=_both(entry.head, partners),
        not_head=_both(entry.not_head, partners),
    )


def _share(index: dict[str, list[TriggerEntry]], source: str, target: str) -> None:
    """The target lemma takes the source's entries of the readings it lacks: a type, or a
    type with other conditions ("заблокировать" COERCE, "блокировать дорогу" PROTEST)."""
    own = {(e.type, e.with_, e.head) for e in index.get(target, ())}
    taken = [
        replace(e, lemma=target)
        for e in index.get(source, ())
        if (e.type, e.with_, e.head) not in own
    ]
    if taken:
        index.setdefault(target, []).extend(taken)


def compile_groups(data: dict[str, Any]) -> dict[str, Group]:
    return {
        str(lemma).lower(): Group(
            name=str(g["name"]),
            sector=str(g["sector"]),
            force=bool(g.get("force", False)),
            anaphoric=bool(g.get("anaphoric", False)),
        )
        for lemma, g in (data.get("groups") or {}).items()
    }


def _rule_file(path: str | None, shipped: str) -> dict[str, Any]:
    return load_yaml_file(Path(path), schema_name=shipped) if path else load_yaml(shipped)


@lru_cache(maxsize=4)
def load_lexicon(triggers_file: str | None = None, groups_file: str | None = None) -> Lexicon:
    triggers = _rule_file(triggers_file, "triggers.yaml")
    groups = _rule_file(groups_file, "groups.yaml")
    status = triggers.get("status") or {}
    lists = {key: _words(triggers.get(key)) for key in VERB_LISTS}
    lists |= {key: _words(status.get(key)) for key in STATUS_LISTS}
    index = trigger_index(triggers)
    partners = aspect_partners(triggers, _lexicon_words(index).union(*lists.values()))
    # "принимает участие" is "принять участие": every verb list names both aspects.
    lists = {key: _both(words, partners) for key, words in lists.items()}
    future, hypothetical, refusal = (lists[key] for key in STATUS_LISTS)
    return Lexicon(
        triggers=compile_triggers(index, partners),
        light_verbs=lists["light_verbs"],
        speech_verbs=lists["speech_verbs"],
        future=future,
        hypothetical=hypothetical,
        negation=_words(status.get("negation")),
        refusal=refusal,
        status_words=future | hypothetical | refusal,
        frame_nouns=_words(status.get("frame_nouns")),
        groups=compile_groups(groups),
        demonyms={str(k).lower(): str(v) for k, v in (groups.get("demonyms") or {}).items()},
        look_through=_words(groups.get("look_through")),
        actor_nouns=_words(groups.get("actor_nouns")),
        non_actors=_words(triggers.get("non_actors")),
        poll_subjects=_words(triggers.get("poll_subjects")),
        addressee_preps=_words(triggers.get("addressee_preps")),
        object_control=lists["object_control"],
        attended_preps=_words(triggers.get("attended_preps")),
        attended_types=frozenset(str(t).upper() for t in triggers.get("attended_types") or ()),
        min_confidence=float((triggers.get("defaults") or {}).get("min_confidence", 0.0)),
        beats=_beats(triggers.get("domains") or {}),
    )


def _beats(domains: dict[str, Any]) -> dict[str, tuple[str, ...]]:
    """Each word of a news beat's vocabulary → the beats it belongs to."""
    out: dict[str, tuple[str, ...]] = {}
    for name, words in domains.items():
        for word in _words(words):
            out[word] = (*out.get(word, ()), str(name))
    return out
