"""Status (codebook §3.1) and the source of reported speech, read off the trigger's chain of
governors up to its clause: negation, future/planned, hypothetical, refusal."""

from __future__ import annotations

from dataclasses import dataclass

from letopis.analyze.doc import Token
from letopis.extract.events.lexicon import Lexicon, event_words
from letopis.extract.events.tree import Tree

# Relations along which a trigger's status is inherited from its governor.
CLIMB_RELS = frozenset(
    {
        "xcomp",
        "obj",
        "nmod",
        "obl",
        "csubj",
        "nsubj",
        "nsubj:pass",
        "acl",
        "amod",
        "ccomp",
        "conj",
        "iobj",
    }
)
# Relations that attach what someone said to a speech verb.
SPEECH_RELS = frozenset({"ccomp", "parataxis", "obj", "conj", "advcl", "xcomp", "obl"})


@dataclass
class Reading:
    status: str  # reported | future | hypothetical | negated
    refused: bool  # governed by a refusal: the action itself did not happen
    negated: bool
    speech: Token | None  # the speech verb whose clause holds the trigger
    chain: list[Token]  # the trigger and the governors it took its status from


def _marks(tree: Tree, tok: Token, lexicon: Lexicon) -> set[str]:
    """Status cues among a chain node's own dependents."""
    found = set()
    for k in tree.kids(
        tok.index, "advmod", "aux", "mark", "discourse", "parataxis", "cop", "aux:pass", "advcl"
    ):
        if k.lemma in lexicon.negation and k.rel == "advmod":
            found.add("negated")
        elif k.lemma == "быть" and k.feats.get("Tense") == "Fut":
            found.add("future")
        elif k.lemma in lexicon.hypothetical and k.rel != "advcl":
            found.add("hypothetical")
    if tok.feats.get("Mood") == "Cnd":
        found.add("hypothetical")
    if tok.feats.get("Tense") == "Fut" and tok.feats.get("VerbForm") == "Fin":
        found.add("future")
    return found


def _frames(noun: Token, tree: Tree, lexicon: Lexicon) -> bool:
    """A noun passes its governor's status down only when it frames an event: an event noun
    ("начало вывода") or a status or frame word ("возможность передачи", "вопросы ...")."""
    lemma = noun.lemma
    return (
        lemma in tree.event_lemmas or lemma in lexicon.frame_nouns or lemma in lexicon.status_words
    )


def _governs_status(verb: Token, lexicon: Lexicon) -> bool:
    """Verbs whose status a nominal event under them shares: light verbs ("не провели
    переговоры") and planning, modal or refusal verbs ("рассматривают возможность")."""
    return verb.lemma in lexicon.light_verbs or verb.lemma in lexicon.status_words


def read_status(tree: Tree, trigger: Token, lexicon: Lexicon) -> Reading:
    cues: set[str] = set()
    refused = False
    speech = None
    chain = [trigger]
    cur = trigger
    for _ in range(6):
        marks = _marks(tree, cur, lexicon)
        if cur is not trigger and chain[-2].rel == "conj":
            marks.discard("negated")  # "не пришли, а разошлись": negation does not spread
        cues |= marks
        if cur is not trigger:
            if cur.lemma in lexicon.refusal:
                refused = True
            elif cur.lemma in lexicon.future:
                cues.add("future")
            elif cur.lemma in lexicon.hypothetical:
                cues.add("hypothetical")
        parent = tree.parent(cur.index)
        if parent is None:
            break
        if parent.lemma in lexicon.speech_verbs and cur.rel in SPEECH_RELS:
            speech = parent
            break
        if cur.rel not in CLIMB_RELS:
            break
        if parent.pos in ("NOUN", "PROPN") and not _frames(parent, tree, lexicon):
            break  # "не задержала участников акции": the participants' verb is not the rally's
        if cur.pos == "NOUN" and parent.pos == "VERB" and not _governs_status(parent, lexicon):
            break  # "не согласовали протест": the permit was refused, the protest took place
        cur = parent
        chain.append(cur)
    negated = "negated" in cues
    for status in ("negated", "hypothetical", "future"):
        if status in cues:
            return Reading(status, refused, negated, speech, chain)
    return Reading("reported", refused, negated, speech, chain)


def source_token(tree: Tree, reading: Reading) -> Token | None:
    """Who the sentence attributes the event to: the speaker, or "по данным X"."""
    if reading.speech is not None:
        for k in tree.kids(reading.speech.index, "nsubj"):
            return k
        for k in tree.kids(reading.speech.index, "obl"):
            if tree.prep(k.index) == "в" and k.index in tree.span_of:
                return k
    for node in reading.chain:
        for k in tree.kids(node.index, "obl", "parataxis"):
            if k.lemma in event_words().source_nouns and tree.prep(k.index) in ("по", "с", "со"):
                for owner in tree.kids(k.index, "nmod"):
                    return owner
    return None
