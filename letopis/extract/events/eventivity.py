"""Is a trigger candidate a real event of its type? A logistic model over the parse, the
morphology, the trigger lemma, the arguments found and the trigger's navec vector.

The lexicon proposes candidates; this model decides which are kept. Its weights live in
letopis/data/event_classifier.json and are rebuilt by `python tools/train_events.py`."""

from __future__ import annotations

import json
import math
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from letopis.analyze.doc import Doc, Token
from letopis.data import data_path
from letopis.errors import DataError
from letopis.extract.events.lexicon import Lexicon, TriggerEntry, event_words
from letopis.extract.events.status import Reading
from letopis.extract.events.tree import Tree
from letopis.record import Event

WEIGHTS_FILE = "event_classifier.json"
MORPH_FEATS = ("VerbForm", "Tense", "Aspect", "Mood", "Voice", "Case", "Number")
EMBEDDING_PREFIX = "emb"
ATTRIBUTIVE_RELS = frozenset({"amod", "acl", "acl:relcl"})
PATIENT_RELS = ("obj", "nsubj:pass", "nmod")
POLITICAL_SECTORS = frozenset({"GOV", "LEG", "JUD", "MIL", "COP", "PTY", "OPP", "REB", "IGO"})


@dataclass(frozen=True)
class RuleFlags:
    """The lexicon's own filters, kept as evidence instead of hard cuts."""

    no_args: bool  # `args: true` and neither actor nor recipient
    no_actor: bool  # `needs_actor: true` and no actor
    unnamed_actor: bool  # `named_actor: true` and no named actor


def _morph(prefix: str, tok: Token) -> dict[str, float]:
    out = {f"{prefix}pos={tok.pos}": 1.0, f"{prefix}rel={tok.rel}": 1.0}
    for name in MORPH_FEATS:
        value = tok.feats.get(name)
        if value:
            out[f"{prefix}{name}={value}"] = 1.0
    return out


def _argument_features(role: str, args: list) -> dict[str, float]:
    read = [a for a in args if a.text]
    out: dict[str, float] = {}
    if not args:
        out[f"{role}=none"] = 1.0
    elif not read:
        out[f"{role}=inferred"] = 1.0
    else:
        out[f"{role}=read"] = 1.0
        if any(a.entity for a in read):
            out[f"{role}=named"] = 1.0
        for a in read:
            out[f"{role}_sector={a.sector or 'none'}"] = 1.0
    return out


def _patient_features(tree: Tree, tok: Token, parent: Token | None, kind: str) -> dict[str, float]:
    """Who or what undergoes the action, by animacy and type: one "похищенный" is a hostage,
    the other a stolen card; "задержать завершение сделки" detains no one."""
    if tok.feats.get("VerbForm") == "Part" and tok.rel in ATTRIBUTIVE_RELS and parent:
        patient = parent
    else:
        patient = next(tree.kids(tok.index, *PATIENT_RELS), None)
    if patient is None:
        animacy = "absent"
    else:
        animacy = patient.feats.get("Animacy") or ("Anim" if patient.pos == "PROPN" else "none")
    return {f"patient={animacy}": 1.0, f"type_patient={kind}:{animacy}": 1.0}


def candidate_features(
    tree: Tree,
    lexicon: Lexicon,
    tok: Token,
    entry: TriggerEntry,
    reading: Reading,
    event: Event,
    flags: RuleFlags,
) -> dict[str, float]:
    """Sparse named features of one candidate (its first mention)."""
    kind = event.type
    feats: dict[str, float] = {
        f"type={kind}": 1.0,
        f"lemma={tok.lemma}": 1.0,
        f"type_status={kind}:{event.status}": 1.0,
        f"status={event.status}": 1.0,
        f"type_rel={kind}:{tok.rel}": 1.0,
        "prior": entry.confidence,
        "title": float(tree.line[tok.index] == 0),
        "first_sentence": float(tok.sent == 0),
        "sentence_position": tok.sent / max(1, len(tree.doc.sents)),
        "conditions": float(entry.specificity),
    }
    feats.update(_morph("", tok))
    parent = tree.parent(tok.index)
    if parent is None:
        feats["root"] = 1.0
    else:
        feats.update(_morph("head_", parent))
        if parent.lemma in lexicon.speech_verbs:
            feats["under_speech_verb"] = 1.0
        if parent.lemma in tree.event_lemmas:
            feats["under_trigger"] = 1.0
        if parent.lemma in lexicon.light_verbs:
            feats["under_light_verb"] = 1.0
    prep = tree.prep(tok.index)
    if prep:
        feats[f"prep={prep}"] = 1.0
    if tok.rel == "acl:relcl" or any(k.lemma == "который" for k in tree.kids(tok.index)):
        feats["relative_clause"] = 1.0
    if tok.feats.get("VerbForm") == "Part" and tok.rel in ATTRIBUTIVE_RELS:
        feats["attributive_participle"] = 1.0
    feats.update(_patient_features(tree, tok, parent, kind))
    if any(k.lemma in event_words().earlier_adverbs for k in tree.kids(tok.index)):
        feats["earlier"] = 1.0
    if parent is not None and parent.lemma in lexicon.speech_verbs and tok.rel == "obl":
        feats["topic_of_speech"] = 1.0
    if reading.negated:
        feats["negated"] = 1.0
    if reading.speech is not None:
        feats["reported_speech"] = 1.0
    if event.source is not None:
        feats["has_source"] = 1.0
    feats.update(_argument_features("actor", event.actors))
    feats.update(_argument_features("recipient", event.recipients))
    for name, on in (
        ("rule_no_args", flags.no_args),
        ("rule_no_actor", flags.no_actor),
        ("rule_unnamed_actor", flags.unnamed_actor),
    ):
        if on:
            feats[name] = 1.0
    if event.place is not None:
        feats["has_place"] = 1.0
    if event.date is not None:
        feats["has_date"] = 1.0
    return feats


def embedding_features(embedding: Any, lemma: str) -> dict[str, float]:
    if embedding is None:
        return {}
    vector = embedding.get(lemma)
    if vector is None:
        return {"emb_unknown": 1.0}
    return dict(zip(_embedding_names(len(vector)), map(float, vector), strict=True))


@lru_cache(maxsize=2)
def _embedding_names(size: int) -> tuple[str, ...]:
    return tuple(f"{EMBEDDING_PREFIX}{i}" for i in range(size))


def article_features(doc: Doc, lexicon: Lexicon) -> dict[str, float]:
    """How political the article's cast is and how much of it is in the words of another beat
    (sport, culture, markets): such news has "attacks" and "protests" too."""
    political = sum(1 for e in doc.entities if e.sector in POLITICAL_SECTORS)
    out = {
        "article_political": math.log1p(political),
        "article_length": math.log1p(len(doc.tokens)) / 10,
    }
    beats = Counter(beat for tok in doc.tokens for beat in lexicon.beats.get(tok.lemma, ()))
    out.update({f"article_domain={beat}": math.log1p(n) for beat, n in beats.items()})
    return out


def document_features(
    features: list[dict[str, float]], events: list[Event], doc: Doc, lexicon: Lexicon
) -> None:
    """Features that need the other candidates or the whole article: repeats, earlier events
    of the type, and the article's own (`article_features`)."""
    article = article_features(doc, lexicon)
    seen: dict[str, int] = {}
    for feats, event in zip(features, events, strict=True):
        feats["mentions"] = math.log(len(event.mentions))
        feats["earlier_same_type"] = float(seen.get(event.type, 0) > 0)
        seen[event.type] = seen.get(event.type, 0) + 1
        feats["document_candidates"] = math.log(len(events))
        feats.update(article)


@dataclass(frozen=True)
class EventClassifier:
    weights: dict[str, float]
    bias: float
    threshold: float

    def probability(self, features: dict[str, float]) -> float:
        weights = self.weights
        z = self.bias + sum(weights.get(name, 0.0) * value for name, value in features.items())
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": 1,
            "bias": self.bias,
            "threshold": self.threshold,
            "weights": dict(sorted(self.weights.items())),
        }


def weights_path() -> Path:
    return data_path(WEIGHTS_FILE)


@lru_cache(maxsize=2)
def load_classifier(path: str | None = None) -> EventClassifier | None:
    """The shipped model, or None when no weights file exists (then the rules decide)."""
    file = Path(path) if path else weights_path()
    if not file.is_file():
        return None
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
        return EventClassifier(
            weights={str(k): float(v) for k, v in data["weights"].items()},
            bias=float(data["bias"]),
            threshold=float(data["threshold"]),
        )
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise DataError(f"cannot read the event classifier {file}: {error}") from None
