"""A dependency-tree view of a Doc: children, lines and prepositions, built once per document."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator

from letopis.analyze.doc import Doc, Span, Token
from letopis.extract.events.lexicon import DATIVE, XCOMP_VERB

# Dependents that belong to a noun phrase (its text span), as opposed to clauses around it.
NP_RELS = frozenset(
    {
        "amod",
        "nmod",
        "flat",
        "flat:name",
        "flat:foreign",
        "appos",
        "compound",
        "nummod",
        "det",
        "case",
        "fixed",
        "nummod:gov",
    }
)


CORE_RELS = frozenset({"obj", "nsubj", "nsubj:pass", "iobj", "nmod"})
MODIFIER_RELS = frozenset(
    {"case", "fixed", "amod", "flat", "compound", "nummod", "det", "nummod:gov", "appos"}
)


def _bare_dative(tree: Tree, tok: Token) -> bool:
    return (
        tok.rel in ("iobj", "obl")
        and tok.pos in ("NOUN", "PROPN", "PRON")
        and tok.feats.get("Case") == "Dat"
        and tree.prep(tok.index) is None
    )


def _glued_word(tok: Token) -> bool:
    return tok.pos == "PUNCT" and any(ch.isalpha() for ch in tok.text)


class Tree:
    def __init__(self, doc: Doc, event_lemmas: frozenset[str] = frozenset()):
        self.doc = doc
        self.event_lemmas = event_lemmas  # lemmas the trigger lexicon knows
        self.tokens = doc.tokens
        self.children: list[list[int]] = [[] for _ in doc.tokens]
        for tok in doc.tokens:
            if tok.head is not None:
                self.children[tok.head].append(tok.index)
        breaks = [i for i, ch in enumerate(doc.text) if ch == "\n"]
        # Lines are the paragraphs of news text; the title is the first one. Sentence
        # segmentation can glue a title to the lead, so arguments never cross a line.
        self.line = [bisect_right(breaks, tok.start) for tok in doc.tokens]
        self.span_of: dict[int, Span] = {}
        for span in doc.spans:
            for i in span.tokens:
                self.span_of.setdefault(i, span)
        self._sentence_lemmas: dict[int, frozenset[str]] = {}

    def kids(self, i: int, *rels: str) -> Iterator[Token]:
        """Children of token i on the same line, optionally only those with the given relations."""
        for c in self.children[i]:
            tok = self.tokens[c]
            if self.line[c] == self.line[i] and (not rels or tok.rel in rels):
                yield tok

    def parent(self, i: int) -> Token | None:
        head = self.tokens[i].head
        if head is None or self.line[head] != self.line[i]:
            return None
        return self.tokens[head]

    def prep(self, i: int) -> str | None:
        """The preposition of a nominal ("в адрес" → "в_адрес"), None for a bare case form."""
        for c in self.kids(i, "case"):
            fixed = [f.lemma for f in self.kids(c.index, "fixed")]
            return "_".join([c.lemma, *fixed]) if fixed else c.lemma
        return None

    def near_lemmas(self, i: int) -> set[str]:
        """Lemmas of dependents and of their function words and modifiers (with the
        xcomp_verb pseudo-lemma); a noun inside a dependent's own modifier ("за помощь" under
        "в благодарность") is too far to count."""
        out: set[str] = set()
        for c in self.kids(i):
            out.add(c.lemma)
            if c.rel == "xcomp" and c.pos == "VERB":
                out.add(XCOMP_VERB)
            elif _bare_dative(self, c):
                out.add(DATIVE)
            core = c.rel in CORE_RELS
            for g in self.kids(c.index):
                if g.rel in MODIFIER_RELS or (core and g.rel == "nmod"):
                    out.add(g.lemma)
        return out

    def np_extent(self, i: int) -> tuple[int, int]:
        """Character extent of the noun phrase headed by token i."""
        inside = {c.index for c in self.descendants(i, NP_RELS) if c.pos not in ("VERB", "AUX")}
        inside.add(i)
        # A word glued to a bullet or emoji ("▪️Российская") is tagged PUNCT; it still belongs.
        if i > 0 and _glued_word(self.tokens[i - 1]):
            inside.add(i - 1)
        # Only the unbroken run of tokens around the head: a bad arc must not pull in a clause.
        lo = hi = i
        while lo - 1 in inside:
            lo -= 1
        while hi + 1 in inside:
            hi += 1
        while hi > i and self.tokens[hi].pos == "PUNCT":
            hi -= 1
        return self.tokens[lo].start, self.tokens[hi].end

    def descendants(self, i: int, rels: frozenset[str] | None = None) -> list[Token]:
        """Dependents at any depth on the same line (through `rels` only, when given).
        The parser can produce cycles, so every walk keeps a visited set."""
        seen = {i}
        out: list[Token] = []
        stack = [i]
        while stack:
            for c in self.kids(stack.pop()):
                if c.index not in seen and (rels is None or c.rel in rels):
                    seen.add(c.index)
                    out.append(c)
                    stack.append(c.index)
        return out

    def conjuncts(self, i: int) -> list[Token]:
        """The token and the nominals coordinated with it ("Путин и Токаев")."""
        nominal = ("NOUN", "PROPN", "PRON", "ADJ")
        return [self.tokens[i]] + [
            c for c in self.descendants(i, frozenset({"conj"})) if c.pos in nominal
        ]

    def sentence_lemmas(self, i: int) -> frozenset[str]:
        """Lemmas of token i's sentence, computed once per sentence."""
        sent = self.tokens[i].sent
        lemmas = self._sentence_lemmas.get(sent)
        if lemmas is None:
            lemmas = frozenset(self.tokens[j].lemma for j in self.doc.sents[sent].tokens)
            self._sentence_lemmas[sent] = lemmas
        return lemmas
