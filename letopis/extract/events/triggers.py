"""Trigger words: a lemma lookup per token, then the entry's conditions on the parse."""

from __future__ import annotations

from dataclasses import dataclass

from letopis.analyze.doc import Token
from letopis.extract.events.lexicon import Lexicon, TriggerEntry
from letopis.extract.events.tree import Tree

CONTENT_POS = frozenset({"VERB", "NOUN", "ADJ", "PROPN", "ADV"})


@dataclass
class Hit:
    token: Token
    entry: TriggerEntry


def _pos_ok(entry: TriggerEntry, tok: Token) -> bool:
    if tok.pos not in CONTENT_POS:
        return False
    return entry.pos is None or entry.pos == tok.pos


def _conditions_ok(entry: TriggerEntry, tok: Token, tree: Tree, near: set[str]) -> bool:
    if entry.with_ and not entry.with_ & near:
        return False
    if entry.without and entry.without & near:
        return False
    if entry.off_context and entry.off_context & tree.sentence_lemmas(tok.index):
        return False
    if entry.head or entry.not_head:
        parent = tree.parent(tok.index)
        lemmas = {parent.lemma} if parent is not None else set()
        prep = tree.prep(tok.index)
        if prep:
            lemmas.add(prep)
        if entry.head and not entry.head & lemmas:
            return False
        if entry.not_head and entry.not_head & lemmas:
            return False
    return True


def best_entry(tok: Token, entries: tuple[TriggerEntry, ...], tree: Tree) -> TriggerEntry | None:
    near: set[str] | None = None
    chosen: TriggerEntry | None = None
    for entry in entries:
        if not _pos_ok(entry, tok):
            continue
        if near is None:
            near = tree.near_lemmas(tok.index)
        if not _conditions_ok(entry, tok, tree, near):
            continue
        rank = (entry.priority, entry.specificity, entry.confidence)
        if chosen is None or rank > (chosen.priority, chosen.specificity, chosen.confidence):
            chosen = entry
    return chosen


# A participle in these relations is a noun ("митингующие", "задержанные"), not an action.
NOMINAL_RELS = frozenset({"nsubj", "nsubj:pass", "obj", "iobj", "obl", "nmod", "appos"})


VERB_ENDINGS = ("ть", "ться", "чь", "чься", "ти", "тись")
NOUN_ENDINGS = ("ость",)  # "договоренность", "благодарность" are nouns, not infinitives


def _substantivised(tok: Token) -> bool:
    """A participle used as a noun or an adjective names a state, not an action:
    "митингующие", "запрещённое в России ИГ", "запрещённые вещества". The tagger marks it
    as a participle, or as a noun or adjective that lemmatises to a verb."""
    if tok.feats.get("VerbForm") == "Part":
        return tok.rel in NOMINAL_RELS
    lemma = tok.lemma
    return (
        tok.pos in ("NOUN", "ADJ")
        and lemma.endswith(VERB_ENDINGS)
        and not lemma.endswith(NOUN_ENDINGS)
    )


def find_triggers(tree: Tree, lexicon: Lexicon) -> list[Hit]:
    hits = []
    for tok in tree.tokens:
        entries = lexicon.triggers.get(tok.lemma)
        if entries is None or _substantivised(tok):
            continue
        entry = best_entry(tok, entries, tree)
        if entry is not None:
            hits.append(Hit(tok, entry))
    return hits
