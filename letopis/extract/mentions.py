"""The "mentions" component: Natasha's NER spans refined by rules on tokens and the UD parse.

Each rule rewrites the list of spans, working on token ranges (word lists in
letopis/data/mentions.yaml):
- boundaries: a span is cut at a line break, loses unbalanced quotes, brackets and trailing
  punctuation, and "Name (Alias)" becomes two mentions;
- persons lose a leading title ("Император Акихито" → "Акихито"), a sentence's first word
  ("Вчера Б.Обама" → "Б.Обама") and keep their initials ("Дж.Коми");
- a company's legal form before its quoted name is left out ("ЗАО «Ренова»" → "Ренова");
- seats of power are organisations ("Кремль", "Белый дом");
- an organisation keeps its "по ..." complement ("Европейский суд по правам человека");
- nested organisation names become one mention: an organisation, or an institution word,
  with a place or organisation in the genitive that depends on it ("МИДа Норвегии",
  "Совет безопасности ООН", "правительство ФРГ");
- a name NER tagged somewhere in the text is tagged where it recurs untagged.
A span a rule changed gets its nominative form again from the parse; others keep Natasha's.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from natasha.norm import inflect_words, recover_shapes, recover_spaces, select_inflectable

from letopis.analyze.doc import Doc, Span, Token
from letopis.analyze.models import Models
from letopis.data import load_yaml
from letopis.registry import component
from letopis.text import Morph, fold

OPENERS = {"«": "»", "(": ")", "„": "“", "“": "”", '"': '"', "'": "'", "[": "]"}
CLOSERS = {closer: opener for opener, closer in OPENERS.items()}
QUOTES = {"«", "„", "“", '"'}
NAME_FINAL = {"!", "?"}
GENITIVE = "Gen"


@dataclass(frozen=True)
class MentionRules:
    org_heads: frozenset[str]
    org_dependent_types: frozenset[str]
    person_titles: frozenset[str]
    legal_forms: frozenset[str]
    org_seats: frozenset[str]
    name_abbreviations: frozenset[str]
    name_particles: frozenset[str]


@lru_cache(maxsize=1)
def load_rules() -> MentionRules:
    data = load_yaml("mentions.yaml")
    return MentionRules(
        org_heads=frozenset(data["org_heads"]),
        org_dependent_types=frozenset(data["org_dependent_types"]),
        person_titles=frozenset(data["person_titles"]),
        legal_forms=frozenset(data["legal_forms"]),
        org_seats=frozenset(data["org_seats"]),
        name_abbreviations=frozenset(data["name_abbreviations"]),
        name_particles=frozenset(data["name_particles"]),
    )


@dataclass
class Draft:
    """A mention being refined: tokens [first, stop) of Doc.tokens; source while unchanged."""

    first: int
    stop: int
    type: str
    source: Span | None = None

    def changed(self, first: int, stop: int, type_: str | None = None) -> Draft:
        return Draft(first, stop, type_ or self.type)

    @property
    def indices(self) -> range:
        return range(self.first, self.stop)


@component("mentions", requires=("tokens", "syntax", "ner"), assigns=("mentions",))
def make_mentions(models: Models):
    rules = load_rules()
    morph = models.morph

    def mentions(doc: Doc) -> Doc:
        untokenised = [s for s in doc.spans if not s.tokens]  # none from Natasha; kept as is
        drafts = [Draft(s.tokens.start, s.tokens.stop, s.type, s) for s in doc.spans if s.tokens]
        drafts = _flat_map(drafts, lambda d: _split_lines(doc, d))
        drafts = _flat_map(drafts, lambda d: _split_brackets(doc.tokens, d))
        drafts = _flat_map(drafts, lambda d: _strip_legal_form(doc.tokens, d, rules))
        drafts = _flat_map(drafts, lambda d: _trim(doc.tokens, d, rules))
        drafts = _flat_map(drafts, lambda d: _strip_title(doc.tokens, d, rules))
        drafts = _flat_map(drafts, lambda d: _strip_leading_words(doc, d, rules))
        drafts = _join_initials(doc.tokens, _dedupe(drafts))
        drafts = [_retype_seat(doc.tokens, d, rules) for d in drafts]
        drafts = _flat_map(drafts, lambda d: _extend_complement(doc.tokens, d))
        drafts = _merge_genitives(doc, _dedupe(drafts), rules)
        drafts = _add_institutions(doc, drafts, rules)
        drafts = _dedupe(_flat_map(drafts, lambda d: _extend_complement(doc.tokens, d)))
        drafts = _add_repeats(doc, drafts, morph)
        # The joins above may have taken in an unbalanced bracket or quote.
        drafts = _flat_map(drafts, lambda d: _trim(doc.tokens, d, rules))
        spans = [_to_span(doc, draft, morph) for draft in _dedupe(drafts)]
        doc.spans = sorted(spans + untokenised, key=lambda span: (span.start, span.end))
        return doc

    return mentions


def _flat_map(drafts: list[Draft], rule) -> list[Draft]:
    return [result for draft in drafts for result in rule(draft)]


def _dedupe(drafts: list[Draft]) -> list[Draft]:
    """Sorted, without repeats or overlaps (the earlier, then longer, mention wins)."""
    kept: list[Draft] = []
    for draft in sorted(drafts, key=lambda d: (d.first, -d.stop)):
        if kept and draft.first < kept[-1].stop:
            continue
        kept.append(draft)
    return kept


# --- boundaries ------------------------------------------------------------------------------


def _split_lines(doc: Doc, draft: Draft) -> list[Draft]:
    """A name does not run over a line break ("Кронпринц Нарухито\\nВерхняя палата"): keep the
    first line's part, and a later part only when it is a whole line by itself."""
    tokens = doc.tokens
    cuts = [
        i
        for i in range(draft.first + 1, draft.stop)
        if "\n" in doc.text[tokens[i - 1].end : tokens[i].start]
    ]
    if not cuts:
        return [draft]
    bounds = [draft.first, *cuts, draft.stop]
    parts = [draft.changed(bounds[0], bounds[1])]
    for first, stop in zip(bounds[1:-1], bounds[2:], strict=True):
        if _line_ends_after(doc, tokens[stop - 1].end):
            parts.append(draft.changed(first, stop))
    return parts


def _line_ends_after(doc: Doc, offset: int) -> bool:
    line_end = doc.text.find("\n", offset)
    rest = doc.text[offset:] if line_end < 0 else doc.text[offset:line_end]
    return not rest.strip()


def _split_brackets(tokens: list[Token], draft: Draft) -> list[Draft]:
    """ "Джей Зи (Jay Z)" is two mentions of one name: the name and its alias."""
    texts = [tokens[i].text for i in draft.indices]
    if "(" not in texts:
        return [draft]
    open_at = draft.first + texts.index("(")
    close_at = draft.first + texts.index(")") if ")" in texts else draft.stop
    if not draft.first < open_at < close_at - 1:
        return [draft]
    parts = [draft.changed(draft.first, open_at), draft.changed(open_at + 1, close_at)]
    if close_at + 1 < draft.stop:
        parts.append(draft.changed(close_at + 1, draft.stop))
    return parts


def _trim(tokens: list[Token], draft: Draft, rules: MentionRules) -> list[Draft]:
    """Drop edge punctuation unless it is a quote or bracket closed (opened) inside the span."""
    first, stop = draft.first, draft.stop
    while first < stop and _loose_edge(tokens, first, stop, tokens[first]):
        first += 1
    while first < stop and _loose_edge(tokens, first, stop, tokens[stop - 1]):
        if _abbreviation_stop(tokens, first, stop, rules):
            break
        stop -= 1
    if first == stop:
        return []
    if (first, stop) == (draft.first, draft.stop):
        return [draft]
    return [draft.changed(first, stop)]


def _abbreviation_stop(tokens: list[Token], first: int, stop: int, rules: MentionRules) -> bool:
    """ "Summy Co.": the full stop of a name's abbreviation is part of the name."""
    edge = tokens[stop - 1]
    if edge.text != "." or stop - 1 <= first:
        return False
    before = tokens[stop - 2]
    return before.end == edge.start and before.text.lower() in rules.name_abbreviations


def _loose_edge(tokens: list[Token], first: int, stop: int, edge: Token) -> bool:
    if edge.pos != "PUNCT" and any(ch.isalnum() for ch in edge.text):
        return False
    if edge.text in NAME_FINAL and edge.index > first and tokens[edge.index - 1].end == edge.start:
        return False  # "Живи!", "Yahoo!"
    inner = [tokens[i].text for i in range(first, stop) if i != edge.index]
    if edge.index == first and edge.text in OPENERS:
        return OPENERS[edge.text] not in inner
    if edge.index == stop - 1 and edge.text in CLOSERS:
        return CLOSERS[edge.text] not in inner
    return True


# --- persons and companies ------------------------------------------------------------------


def _strip_title(tokens: list[Token], draft: Draft, rules: MentionRules) -> list[Draft]:
    if draft.type != "PER":
        return [draft]
    first = draft.first
    while first < draft.stop - 1 and _lemma(tokens[first]) in rules.person_titles:
        first += 1
    return [draft] if first == draft.first else [draft.changed(first, draft.stop)]


NOT_NAME_POS = frozenset({"ADV", "ADP", "CCONJ", "SCONJ", "PART", "VERB", "AUX", "PRON", "INTJ"})


def _strip_leading_words(doc: Doc, draft: Draft, rules: MentionRules) -> list[Draft]:
    """ "Вчера Б.Обама": NER takes in a sentence's capitalised first word; a word of a class
    names are not made of is cut off when it opens the sentence or is in lower case (but not
    a surname's particle: "фон Сюдов")."""
    first = draft.first
    while first < draft.stop - 1:
        token = doc.tokens[first]
        if token.pos not in NOT_NAME_POS or token.text.lower() in rules.name_particles:
            break
        if token.text[:1].isupper() and not _starts_line_or_sentence(doc, token):
            break
        first += 1
    return [draft] if first == draft.first else [draft.changed(first, draft.stop)]


def _is_initial(token: Token) -> bool:
    """ "Б", "Дж", "А": a capitalised abbreviation of a first name or patronymic."""
    text = token.text
    return 1 <= len(text) <= 3 and text.isalpha() and text[0].isupper() and text[1:].islower()


def _join_initials(tokens: list[Token], drafts: list[Draft]) -> list[Draft]:
    """Initials belong to the surname: "Дж" + "." + "Коми" → "Дж.Коми"; an initial left
    before a person's span ("Б.Обама" tagged as "Обама") is taken in."""
    joined: list[Draft] = []
    for draft in drafts:
        previous = joined[-1] if joined else None
        if draft.type != "PER":
            joined.append(draft)
            continue
        initials_before = previous is not None and _only_initials(tokens, previous)
        limit = previous.first if initials_before else (previous.stop if previous else 0)
        draft = _take_initials(tokens, draft, limit)
        if initials_before and draft.first < previous.stop:
            joined[-1] = draft.changed(min(previous.first, draft.first), draft.stop)
            continue
        joined.append(draft)
    return joined


def _only_initials(tokens: list[Token], draft: Draft) -> bool:
    return draft.type == "PER" and all(
        _is_initial(tokens[i]) or tokens[i].text == "." for i in draft.indices
    )


def _take_initials(tokens: list[Token], draft: Draft, limit: int) -> Draft:
    first = draft.first
    while first - 2 >= limit and tokens[first - 1].text == "." and _is_initial(tokens[first - 2]):
        if tokens[first - 1].start > tokens[first - 2].end:
            break  # "А ." is not an initial
        first -= 2
    return draft if first == draft.first else draft.changed(first, draft.stop)


def _strip_legal_form(tokens: list[Token], draft: Draft, rules: MentionRules) -> list[Draft]:
    """ "ЗАО «Ренова»" → "Ренова": the quoted name after a legal form (an unbalanced closing
    quote left at the end goes with the boundary trimming that follows)."""
    if draft.type != "ORG" or draft.stop - draft.first < 3:
        return [draft]
    if _lemma(tokens[draft.first]) not in rules.legal_forms:
        return [draft]
    if tokens[draft.first + 1].text not in OPENERS:
        return [draft]
    return [draft.changed(draft.first + 2, draft.stop)]


def _lemma(token: Token) -> str:
    return fold(token.lemma or token.text)


def _retype_seat(tokens: list[Token], draft: Draft, rules: MentionRules) -> Draft:
    if draft.type != "LOC":
        return draft
    name = " ".join(_lemma(tokens[i]) for i in draft.indices)
    return draft.changed(draft.first, draft.stop, "ORG") if name in rules.org_seats else draft


# --- organisations ---------------------------------------------------------------------------


def _extend_complement(tokens: list[Token], draft: Draft) -> list[Draft]:
    """ "Европейский суд" + "по правам человека": an organisation's name goes on through a
    "по ..." phrase that depends on it, up to the end of that phrase."""
    if draft.type != "ORG" or draft.stop >= len(tokens):
        return [draft]
    preposition = tokens[draft.stop]
    if preposition.text.lower() != "по" or preposition.sent != tokens[draft.first].sent:
        return [draft]
    phrase_head = preposition.head
    if phrase_head is None or not _depends_on(tokens, phrase_head, draft.indices):
        return [draft]
    stop = draft.stop
    while stop < len(tokens) and _phrase_goes_on(tokens, stop, phrase_head):
        stop += 1
    while stop > draft.stop and tokens[stop - 1].pos == "PUNCT":
        stop -= 1
    return [draft.changed(draft.first, stop)] if stop > draft.stop + 1 else [draft]


def _phrase_goes_on(tokens: list[Token], index: int, phrase_head: int) -> bool:
    token = tokens[index]
    if not _depends_on(tokens, index, range(phrase_head, phrase_head + 1)):
        return False
    if token.pos in ("VERB", "AUX", "PRON", "SCONJ", "DET"):
        return False
    return token.pos != "PUNCT" or token.text in (",", "-")


def _depends_on(tokens: list[Token], index: int, heads: range) -> bool:
    """Whether token `index` is in `heads` or below one of them in the parse tree."""
    seen = 0
    current: int | None = index
    while current is not None and seen < 64:
        if current in heads:
            return True
        current = tokens[current].head
        seen += 1
    return False


def _root(tokens: list[Token], draft: Draft) -> Token:
    """The span's syntactic head: its first token whose head lies outside the span."""
    for index in draft.indices:
        head = tokens[index].head
        if head is None or head not in draft.indices:
            return tokens[index]
    return tokens[draft.first]


def _genitive_dependent(tokens: list[Token], draft: Draft, heads: range) -> bool:
    """Whether the span's head depends on one of `heads` as a genitive (or, for a name the
    tagger gave no clear case, "Сан-Диего", as a noun modifier with no preposition)."""
    root = _root(tokens, draft)
    return root.head in heads and (root.feats.get("Case") == GENITIVE or root.rel == "nmod")


def _closing_quote_after(doc: Doc, draft: Draft, opened: bool) -> int:
    """Where a genitive dependent ends: after its closing quote when a quote opened it."""
    if opened and draft.stop < len(doc.tokens) and doc.tokens[draft.stop].text in CLOSERS:
        return draft.stop + 1
    return draft.stop


def _gap_tokens(doc: Doc, left_stop: int, right_first: int) -> list[Token] | None:
    gap = doc.tokens[left_stop:right_first]
    if all(token.text in QUOTES for token in gap) and len(gap) <= 1:
        return gap
    return None


def _merge_genitives(doc: Doc, drafts: list[Draft], rules: MentionRules) -> list[Draft]:
    """ORG + a LOC/ORG in the genitive that depends on it → one ORG ("МИДа Норвегии")."""
    merged: list[Draft] = []
    for draft in drafts:
        previous = merged[-1] if merged else None
        if previous is not None and previous.type == "ORG":
            joined = _join(doc, previous, draft, rules)
            if joined is not None:
                merged[-1] = joined
                continue
        merged.append(draft)
    return merged


def _join(doc: Doc, head: Draft, dependent: Draft, rules: MentionRules) -> Draft | None:
    if dependent.type not in rules.org_dependent_types or not _org_like(doc, head, rules):
        return None
    gap = _gap_tokens(doc, head.stop, dependent.first)
    if gap is None or not _genitive_dependent(doc.tokens, dependent, head.indices):
        return None
    return head.changed(head.first, _closing_quote_after(doc, dependent, bool(gap)), "ORG")


def _org_like(doc: Doc, draft: Draft, rules: MentionRules) -> bool:
    """Whether an ORG span can head a longer name: NER also tags a lone capitalised common
    noun at a sentence start ("Хакеры ИГ"), which cannot."""
    if draft.stop - draft.first > 1:
        return True
    token = doc.tokens[draft.first]
    if _lemma(token) in rules.org_heads or (len(token.text) > 1 and token.text.isupper()):
        return True
    return not _starts_line_or_sentence(doc, token)


def _starts_line_or_sentence(doc: Doc, token: Token) -> bool:
    if doc.sents[token.sent].tokens.start == token.index:
        return True
    line_start = doc.text.rfind("\n", 0, token.start) + 1
    return not doc.text[line_start : token.start].strip()


def _add_institutions(doc: Doc, drafts: list[Draft], rules: MentionRules) -> list[Draft]:
    """An institution word NER left out + a LOC/ORG genitive dependent → one ORG
    ("правительство ФРГ", "посольства США"); the word's adjectives come along."""
    covered = {index for draft in drafts for index in draft.indices}
    result: list[Draft] = []
    for draft in drafts:
        result.append(draft)
        if draft.type not in rules.org_dependent_types:
            continue
        root = _root(doc.tokens, draft)
        head = root.head
        if head is None or head >= draft.first or head in covered:
            continue
        if _lemma(doc.tokens[head]) not in rules.org_heads:
            continue
        if _gap_tokens(doc, head + 1, draft.first) is None:
            continue
        if not _genitive_dependent(doc.tokens, draft, range(head, head + 1)):
            continue
        first = _left_modifiers(doc.tokens, head, covered)
        opened = head + 1 < draft.first
        result[-1] = Draft(first, _closing_quote_after(doc, draft, opened), "ORG")
    return result


def _left_modifiers(tokens: list[Token], head: int, covered: set[int]) -> int:
    """Where a head word's phrase begins: its adjectives right before it ("Верховный суд")."""
    first = head
    while first > 0:
        before = tokens[first - 1]
        if before.index in covered or before.head != head or before.pos != "ADJ":
            break
        if before.sent != tokens[head].sent:
            break
        first -= 1
    return first


# --- names NER found elsewhere in the text --------------------------------------------------

MAX_NAME_TOKENS = 4


def _add_repeats(doc: Doc, drafts: list[Draft], morph: Morph) -> list[Draft]:
    """A capitalised word sequence that is, by lemmas, a name NER tagged elsewhere in the same
    text is that name here too (NER finds "Жолт Хорняк" but misses a later "Хорняк")."""
    names = _name_index(doc.tokens, drafts)
    if not names:
        return drafts
    first_words = {key[0] for key in names}
    covered = {index for draft in drafts for index in draft.indices}
    added: list[Draft] = []
    index = 0
    while index < len(doc.tokens):
        token = doc.tokens[index]
        found = None
        if index not in covered and _capitalised(token) and _lemma(token) in first_words:
            found = _known_name_at(doc, index, names, covered)
        if found is not None and found.stop - found.first == 1:
            found = found if _may_be_name(doc.tokens[found.first], morph) else None
        if found is None:
            index += 1
            continue
        added.append(found)
        index = found.stop
    return _dedupe(drafts + added) if added else drafts


def _name_index(tokens: list[Token], drafts: list[Draft]) -> dict[tuple[str, ...], str]:
    """Lemma sequences of the tagged names (and of a person's single name parts) → type;
    a sequence tagged with two types is left out."""
    types: dict[tuple[str, ...], set[str]] = {}
    for draft in drafts:
        words = [tokens[i] for i in draft.indices if _capitalised(tokens[i])]
        if len(words) != draft.stop - draft.first or len(words) > MAX_NAME_TOKENS:
            continue
        keys = [tuple(_lemma(t) for t in words)]
        if draft.type == "PER" and len(words) > 1:
            keys += [(_lemma(t),) for t in words if len(t.text) > 2]
        for key in keys:
            types.setdefault(key, set()).add(draft.type)
    return {key: found.pop() for key, found in types.items() if len(found) == 1}


def _known_name_at(
    doc: Doc, first: int, names: dict[tuple[str, ...], str], covered: set[int]
) -> Draft | None:
    tokens = doc.tokens
    for length in range(MAX_NAME_TOKENS, 0, -1):
        stop = first + length
        if stop > len(tokens) or any(i in covered for i in range(first, stop)):
            continue
        words = tokens[first:stop]
        if not all(_capitalised(t) for t in words) or words[-1].sent != words[0].sent:
            continue
        type_ = names.get(tuple(_lemma(t) for t in words))
        if type_ is None:
            continue
        # At a sentence start only a person's name: capitals there say nothing of a name.
        if type_ != "PER" and _starts_line_or_sentence(doc, tokens[first]):
            continue
        return Draft(first, stop, type_)
    return None


PROPER_GRAMMEMES = frozenset({"Name", "Surn", "Patr", "Geox", "Orgn", "Trad", "Abbr"})


def _may_be_name(token: Token, morph: Morph) -> bool:
    """A lone word is taken for a name only if the dictionary does not know it or its likeliest
    reading is a proper name: NER's own misses elsewhere ("Кто", "Оппозиционер") stay out."""
    best = morph.parses(token.text.lower())[0]
    return not best.is_known or bool(PROPER_GRAMMEMES & best.tag.grammemes)


def _capitalised(token: Token) -> bool:
    return token.text[:1].isupper()


# --- output ----------------------------------------------------------------------------------


@dataclass
class _NormToken:
    """The attributes natasha.norm's functions read from a token."""

    id: int
    head_id: int | None
    text: str
    pos: str
    feats: dict[str, str]
    start: int
    stop: int


def _to_span(doc: Doc, draft: Draft, morph: Morph) -> Span:
    if draft.source is not None:
        return draft.source
    tokens = doc.tokens[draft.first : draft.stop]
    start, end = tokens[0].start, tokens[-1].end
    return Span(
        start=start,
        end=end,
        type=draft.type,
        text=doc.text[start:end],
        normal=_normal(tokens, morph),
        tokens=range(draft.first, draft.stop),
    )


def _normal(tokens: list[Token], morph: Morph) -> str:
    """natasha's syntax_normalize: the head and its adjectives in the nominative, the rest
    as written ("МИДа Норвегии" → "МИД Норвегии")."""
    norm_tokens = [
        _NormToken(t.index, t.head, t.text, t.pos, t.feats, t.start, t.end) for t in tokens
    ]
    inflectable = set(select_inflectable(norm_tokens))
    words = recover_shapes(inflect_words(morph.vocab, norm_tokens, inflectable), norm_tokens)
    words = [_upper_like(word, token.text) for word, token in zip(words, tokens, strict=True)]
    return recover_spaces(words, norm_tokens)


def _upper_like(word: str, written: str) -> str:
    """natasha lower-cases "МИДа" → "мид"; an abbreviation keeps its capitals ("МИД")."""
    leading_upper = len(written) - len(written.lstrip("АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ"))
    if leading_upper >= 2 and len(word) <= leading_upper:
        return word.upper()
    return word
