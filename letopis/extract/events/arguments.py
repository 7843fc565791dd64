"""Actors and recipients from the UD parse: subjects, objects, passives, nominal events,
coordination, participles and relative clauses, linked to entities or group nouns."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from letopis.analyze.doc import Doc, Span, Token
from letopis.extract.events.lexicon import Group, Lexicon, TriggerEntry, event_words
from letopis.extract.events.tree import Tree
from letopis.record import Argument
from letopis.text import Morph, morph

NOMINAL_POS = frozenset({"NOUN", "PROPN", "PRON", "ADJ"})
PRONOUN_GENDER = {"он": "Masc", "она": "Fem"}
# Heads of a clause (a short adjective too: "готов", "намерен").
CLAUSE_POS = frozenset({"VERB", "AUX", "ADJ"})
# Relations of the noun a verb trigger needs ("выразили поддержку", "пошли на уступки").
NEEDED_NOUN_RELS = frozenset({"obj", "obl", "nsubj:pass"})


@dataclass
class Roles:
    actors: list[Token]
    recipients: list[Token]


def _is_passive(tok: Token) -> bool:
    return tok.feats.get("Voice") == "Pass"


def _recipient_key(tree: Tree, tok: Token) -> str | None:
    if tok.rel == "obj":
        return "obj"
    prep = tree.prep(tok.index)
    if prep in ("в", "на") and tok.feats.get("Case") == "Loc":
        return None  # "в Стамбуле": where, not whom ("прилетел в Москву" is a visit's host)
    if prep is None and (tok.rel == "iobj" or tok.feats.get("Case") == "Dat"):
        return "iobj"
    return prep


def _addressees(tree: Tree, noun: Token, entry: TriggerEntry, lexicon: Lexicon) -> list[Token]:
    """Recipients that hang on the noun a verb trigger needs rather than on the verb: "пошли
    на уступки демонстрантам", "сняли обвинения с журналиста". A bare dative or an addressee
    preposition ("против", "к") of that noun names whom the act is aimed at."""
    out = []
    for k in tree.kids(noun.index, "iobj", "nmod", "obl"):
        if k.pos not in NOMINAL_POS:
            continue
        key = _recipient_key(tree, k)
        if key == "iobj" or key in entry.recipient or key in lexicon.addressee_preps:
            out.append(k)
    return out


def _subordinate(tree: Tree, verb: Token) -> bool:
    """A verb heading an adverbial or conjunction-introduced clause ("когда власти пошли")."""
    return verb.rel == "advcl" or any(True for _ in tree.kids(verb.index, "mark"))


def _coordination_head(tree: Tree, conj: Token, head: Token) -> Token:
    """The verb a conjunct is really coordinated with. The parser may hang the main clause's
    second verb on a preceding subordinate clause ("Когда власти пошли на уступки, протесты
    разгорелись и переросли в беспорядки": "переросли" under "пошли"); a conjunct that stands
    after the main verb the subordinate clause depends on belongs to that main verb."""
    if not _subordinate(tree, head):
        return head
    main = tree.parent(head.index)
    if main is not None and main.pos not in CLAUSE_POS:  # "после того, как ...": via "того"
        main = tree.parent(main.index)
    if main is not None and main.pos in CLAUSE_POS and head.index < main.index < conj.index:
        return main
    return head


def _bare_dative_nominal(tree: Tree, tok: Token) -> bool:
    return (
        tok.pos in ("NOUN", "PROPN", "PRON")
        and tok.feats.get("Case") == "Dat"
        and tree.prep(tok.index) is None
    )


def _agent_of_side(tree: Tree, tok: Token) -> list[Token]:
    """ "со стороны России" → Россия."""
    if tok.lemma == "сторона" and tree.prep(tok.index) == "с":
        return [k for k in tree.kids(tok.index, "nmod") if k.pos in NOMINAL_POS]
    return []


def _instrumental_agent(tree: Tree, tok: Token) -> bool:
    """ "подарен Путиным": a bare instrumental under a passive is its agent (unless it is an
    instrument like "ударами", which the trigger lexicon knows as an event noun)."""
    if tok.rel == "obl:agent":  # the parser's own agent label ("поддержанный окружением")
        return tok.pos in NOMINAL_POS
    return (
        tok.rel == "obl"
        and tree.prep(tok.index) is None
        and tok.feats.get("Case") == "Ins"
        and tok.pos in ("NOUN", "PROPN")
        and tok.lemma not in tree.event_lemmas
    )


def _controllee(tree: Tree, verb: Token, control: frozenset[str]) -> list[Token]:
    """The object or dative of an object-control verb ("призвали болельщиков", "позволяющий
    императору"): whoever is to do what its infinitive says."""
    if verb.lemma not in control:
        return []
    return [
        k
        for k in tree.kids(verb.index, "obj", "iobj", "obl")
        if k.pos in ("NOUN", "PROPN", "PRON")
        and tree.prep(k.index) is None
        and k.feats.get("Case") in ("Acc", "Dat", "Gen")
        and (k.rel != "obl" or k.feats.get("Case") == "Dat")
    ]


def _controlled_noun(tree: Tree, cur: Token, noun: Token, control: frozenset[str]) -> bool:
    """ "призвали болельщиков не посещать": the parser may hang the infinitive on the object
    of an object-control verb instead of on the verb; that object is its subject."""
    verb = tree.parent(noun.index)
    return (
        cur.feats.get("VerbForm") == "Inf"
        and noun.rel in ("obj", "iobj")
        and verb is not None
        and verb.lemma in control
    )


def _controller(tree: Tree, tok: Token, control: frozenset[str] = frozenset()) -> Roles:
    """Arguments a verb inherits from the clause it depends on: the subject of the governing
    verb (xcomp, conjunct, "принял решение направить"), or its object when the verb is an
    object-control verb ("призвал их прекратить"), the noun a participle or a relative clause
    modifies."""
    cur = tok
    for _ in range(4):
        parent = tree.parent(cur.index)
        if parent is None:
            break
        infinitive = cur.feats.get("VerbForm") == "Inf"
        if infinitive and cur.rel == "xcomp" and _controllee(tree, parent, control):
            return Roles(_controllee(tree, parent, control), [])
        if infinitive and parent.pos == "NOUN" and _controlled_noun(tree, cur, parent, control):
            return Roles([parent], [])
        # "надежду, что сможет приехать": a clause with a conjunction says what the noun
        # holds; only a participle or relative clause ("который") describes its noun.
        content_clause = any(True for _ in tree.kids(cur.index, "mark"))
        if cur.rel == "acl" and not infinitive and not content_clause and parent.pos != "PRON":
            if _is_passive(cur):
                return Roles([], [parent])
            return Roles([parent], [])
        # A gerund's subject is its main verb's ("убили президента, обвинив его").
        gerund = cur.feats.get("VerbForm") == "Conv" and cur.rel == "advcl"
        climbs = (
            cur.rel in ("xcomp", "conj") or (infinitive and cur.rel in ("acl", "nmod")) or gerund
        )
        # An intention noun hands the infinitive the subject of its own verb.
        via_noun = cur.pos == "NOUN" and cur is not tok and cur.rel in ("obj", "obl", "xcomp")
        if not (climbs or via_noun) or parent.pos not in ("VERB", "ADJ", "AUX", "NOUN"):
            break
        if cur.rel == "conj":
            # A conjunct with a subject of its own shares nothing ("солдат погиб, несколько
            # других были ранены").
            if any(True for _ in tree.kids(cur.index, "nsubj", "nsubj:pass")):
                break
            parent = _coordination_head(tree, cur, parent)
        subjects = list(tree.kids(parent.index, "nsubj"))
        if subjects and parent.pos != "NOUN":
            return Roles(subjects, [])
        cur = parent
    return Roles([], [])


def _speaker_before_colon(tree: Tree, subject: Token, verb: Token) -> bool:
    """ "Аксёнов: убийство устроил студент": a name directly followed by a colon that stands
    between it and the verb is who says the rest (the source), not the verb's subject."""
    _, end = tree.np_extent(subject.index)
    after = next((t for t in tree.tokens[subject.index + 1 : verb.index] if t.start >= end), None)
    return after is not None and after.text == ":"


def _object_of_indefinite_verb(tree: Tree, subject: Token, verb: Token) -> str | None:
    """ "Мать кинокритика задержали", "Шклярову присвоили звание": a plural verb with no
    subject of its own (the indefinite-personal clause news uses for unnamed police, courts
    or attackers) has a singular noun that cannot be its subject; the parser may still call
    it one. Returns its role as the verb's complement ("obj" or "iobj"), or None."""
    if verb.feats.get("Number") != "Plur" or verb.feats.get("VerbForm") != "Fin":
        return None
    if subject.feats.get("Number") != "Sing" or subject.text.isupper():
        return None
    if any(True for _ in tree.kids(subject.index, "conj", "nummod", "nummod:gov")):
        return None
    case = subject.feats.get("Case")
    if case in ("Acc", "Dat") and subject.pos in ("NOUN", "PROPN"):
        return "iobj" if case == "Dat" else "obj"
    if case == "Nom" and subject.pos == "NOUN" and _also_accusative(subject):
        return "obj"
    return None


def _also_accusative(tok: Token) -> bool:
    """A form the tagger read as nominative that is also the accusative of the same noun, of
    the same animacy ("мать"; not "посол", whose accusative twin is the inanimate "salting")."""
    animacy = tok.feats.get("Animacy")
    return any(
        p.feats.get("Case") == "Acc" and p.feats.get("Animacy", animacy) == animacy
        for p in morph().parses(tok.text.lower())
    )


def verb_roles(tree: Tree, tok: Token, entry: TriggerEntry, lexicon: Lexicon) -> Roles:
    actors: list[Token] = []
    recipients: list[Token] = []
    passive = _is_passive(tok)
    for k in tree.kids(tok.index):
        if k.lemma in entry.with_ and k.pos == "NOUN" and k.rel in NEEDED_NOUN_RELS:
            # The noun the verb needs names whom it is aimed at ("выразили поддержку
            # Токаеву", "обвинения против журналиста сняты").
            recipients.extend(_addressees(tree, k, entry, lexicon))
        if k.rel == "nsubj:pass" or (passive and k.rel == "nsubj"):
            if "obj" in entry.recipient:  # the passive subject is the active object
                recipients.append(k)
        elif k.rel == "nsubj" and _speaker_before_colon(tree, k, tok):
            continue
        elif k.rel == "nsubj" and (role := _object_of_indefinite_verb(tree, k, tok)):
            if role in entry.recipient:
                recipients.append(k)
        elif k.rel == "nsubj" or passive and _instrumental_agent(tree, k):
            actors.append(k)
        elif k.rel in ("obl", "nmod") and _agent_of_side(tree, k):
            actors.extend(_agent_of_side(tree, k))
        elif k.rel in ("obj", "iobj", "obl") and _recipient_key(tree, k) in entry.recipient:
            recipients.append(k)
    if entry.subject == "recipient":
        actors, recipients = [], actors + recipients
    elif not actors:
        inherited = _controller(tree, tok, lexicon.object_control)
        actors = inherited.actors
        recipients = recipients or inherited.recipients
    return Roles(actors, recipients)


def noun_roles(tree: Tree, tok: Token, entry: TriggerEntry, lexicon: Lexicon) -> Roles:
    actors: list[Token] = []
    recipients: list[Token] = []
    genitives: list[Token] = []
    for k in tree.kids(tok.index):
        prep = tree.prep(k.index)
        if k.rel == "amod" and k.lemma in lexicon.demonyms:
            actors.append(k)
        elif k.rel not in ("nmod", "iobj") or k.pos not in NOMINAL_POS:
            continue
        elif _agent_of_side(tree, k):
            actors.extend(_agent_of_side(tree, k))
        elif prep is None and k.feats.get("Case") == "Gen":
            genitives.append(k)
        elif (
            prep if prep is not None or k.feats.get("Case") != "Dat" else "iobj"
        ) in entry.recipient:
            recipients.append(k)
    for g in genitives:
        group = lexicon.groups.get(g.lemma)
        if _settlement(tree, g):  # "бомбардировки Алеппо": a town is a target, never an agent
            if entry.genitive != "theme":
                recipients.append(g)
        elif entry.genitive == "actor" or (group is not None and group.force):
            actors.append(g)
        elif entry.genitive == "recipient":
            recipients.append(g)
    parent = tree.parent(tok.index)
    if (
        parent is not None
        and parent.lemma in lexicon.light_verbs
        and tok.rel in ("obj", "nsubj", "nsubj:pass", "xcomp")
    ):
        lent = verb_roles(tree, parent, entry, lexicon)
        if parent.lemma not in event_words().non_agent_light_verbs:
            if not actors:
                actors = [a for a in lent.actors if a.index != tok.index]
            # The light verb's bare dative is the noun's addressee ("предъявили обвинения
            # министру", "нанесли ущерб городу").
            lent.recipients += [
                k for k in tree.kids(parent.index, "iobj", "obl") if _bare_dative_nominal(tree, k)
            ]
        recipients += [
            r
            for r in lent.recipients
            if r.index != tok.index and all(r.index != o.index for o in recipients)
        ]
    if not actors:
        actors = _between(tree, tok, lexicon)
    if not actors:
        actors = _planner(tree, tok, lexicon)
    if not actors and entry.type in lexicon.attended_types:
        actors = _attendee(tree, tok, lexicon.attended_preps)
    return Roles(actors, recipients)


def _between(tree: Tree, tok: Token, lexicon: Lexicon) -> list[Token]:
    """ "переговоры между Россией и Украиной", "между полицией и демонстрантами произошли
    столкновения": the sides of a two-sided event, on the noun or on its light verb."""
    heads = [tok]
    parent = tree.parent(tok.index)
    if parent is not None and parent.lemma in lexicon.light_verbs:
        heads.append(parent)
    return [
        k
        for head in heads
        for k in tree.kids(head.index, "nmod", "obl")
        if k.pos in NOMINAL_POS and tree.prep(k.index) == "между"
    ]


def _settlement(tree: Tree, tok: Token) -> bool:
    """A word of a city's or a region's name (not a country's: states act)."""
    return any(
        place.feature in ("city", "region") and m.start <= tok.start < m.end
        for place in tree.doc.places
        for m in place.mentions
    )


def _attendee(tree: Tree, tok: Token, preps: frozenset[str]) -> list[Token]:
    """ "Шойгу во время встречи с ... заявил", "прилетел в КНДР с визитом": a meeting noun that
    sets the scene of a verb (an oblique with a scene preposition, not an accusative goal)
    has that verb's subject in it."""
    parent = tree.parent(tok.index)
    if tok.rel != "obl" or parent is None or parent.pos != "VERB":
        return []
    if tree.prep(tok.index) not in preps or tok.feats.get("Case") == "Acc":
        return []
    return list(tree.kids(parent.index, "nsubj"))


def _planner(tree: Tree, tok: Token, lexicon: Lexicon) -> list[Token]:
    """The subject of a verb that plans, weighs or starts a nominal event is its agent:
    "США не рассматривают возможность передачи оружия" → США."""
    cur = tok
    for _ in range(3):
        parent = tree.parent(cur.index)
        if parent is None or cur.rel not in ("obj", "obl", "nmod", "xcomp"):
            return []
        if parent.pos == "VERB":
            if parent.lemma in lexicon.future or parent.lemma in lexicon.light_verbs:
                subjects = list(tree.kids(parent.index, "nsubj"))
                return subjects or _controller(tree, parent, lexicon.object_control).actors
            return []
        cur = parent
    return []


def roles_of(tree: Tree, tok: Token, entry: TriggerEntry, lexicon: Lexicon) -> Roles:
    if tok.pos == "VERB":
        roles = verb_roles(tree, tok, entry, lexicon)
    else:
        roles = noun_roles(tree, tok, entry, lexicon)
    return Roles(_expand(tree, roles.actors), _expand(tree, roles.recipients))


def _expand(tree: Tree, heads: list[Token]) -> list[Token]:
    """Coordinated nominals and the antecedents of relative pronouns. A head already in the
    output came with its own conjuncts (they are among its coordinator's), so it is not walked
    again: the expansion stays linear in the output."""
    out: list[Token] = []
    seen: set[int] = set()
    for head in heads:
        if head.lemma in event_words().relative_pronouns:
            relcl = tree.parent(head.index)
            noun = tree.parent(relcl.index) if relcl is not None else None
            if noun is None:
                continue
            head = noun
        if head.index in seen:
            continue
        for tok in tree.conjuncts(head.index):
            if tok.index not in seen:
                seen.add(tok.index)
                out.append(tok)
    return out


class Nominative:
    """The nominative of a common word in the number it is written in ("деньги", not the
    lemma "деньга"; "работающие", not "работать")."""

    def __init__(self, morph: Morph):
        self.morph = morph

    def __call__(self, tok: Token) -> str:
        if tok.pos == "NOUN" and tok.feats.get("Number") != "Plur":
            return tok.lemma
        if tok.feats.get("Case") == "Nom":
            return tok.text.lower()
        return self.morph.inflect(
            tok.text.lower(), tok.feats.get("Case"), tok.feats.get("Number"), "Nom"
        )


class ArgumentBuilder:
    """Turns argument head tokens into record Arguments with names and actor codes."""

    def __init__(self, doc: Doc, tree: Tree, lexicon: Lexicon, nominative: Nominative):
        self.doc = doc
        self.tree = tree
        self.lexicon = lexicon
        self.nominative = nominative
        self.entities = {e.id: e for e in doc.entities}
        self.main_country = _main_country(doc)

    def participant(self, tok: Token) -> bool:
        """Whether a recipient head can be a PLOVER participant: a name, a group noun, a
        person, an organisation or a polity; not a thing or an idea ("деньги", "закон")."""
        if tok.pos == "PRON":
            return tok.lemma in event_words().participant_pronouns
        tok = self._counted(tok)
        lemma = tok.lemma
        if tok.index in self.tree.span_of or tok.pos == "PROPN":
            return True
        if lemma in self.lexicon.groups or lemma in self.lexicon.actor_nouns:
            return True
        if tok.feats.get("Animacy") == "Anim" or tok.feats.get("VerbForm") == "Part":
            return True
        if tok.pos == "ADJ":  # "несколько других были ранены": a plural stands for people
            return lemma in self.lexicon.demonyms or tok.feats.get("Number") == "Plur"
        return self._named_inside(tok, None) is not None

    def recipient_heads(self, tok: Token) -> list[Token]:
        """The recipient a head stands for: itself when it is a participant, else the owners
        its bare genitive names ("удары по технике террористов" → террористы, "захват здания
        администрации" → администрация), else nobody ("вынесли деньги")."""
        if self.participant(tok):
            return [tok]
        return [
            k
            for k in self.tree.kids(tok.index, "nmod")
            if k.feats.get("Case") == "Gen"
            and self.tree.prep(k.index) is None
            and self.participant(k)
        ]

    def build(self, tok: Token) -> Argument | None:
        if tok.pos == "PRON":
            return self._pronoun(tok)
        if tok.pos == "ADJ" and tok.lemma in self.lexicon.demonyms:
            return Argument(
                None,
                tok.lemma,
                tok.text,
                self.lexicon.demonyms[tok.lemma],
                None,
                tok.start,
                tok.end,
            )
        tok = self._counted(tok)
        if tok.pos not in NOMINAL_POS and tok.feats.get("VerbForm") != "Part":
            return None  # a participle may stand for people: "оттеснил митингующих"
        start, end = self.tree.np_extent(tok.index)
        text = self.doc.text[start:end]
        group = self.lexicon.groups.get(tok.lemma)
        named = self._named_inside(tok, group)
        if named is not None:
            name, entity_id, country, sector = named
            return Argument(entity_id, name, text, country, sector, start, end)
        if group is not None:
            return Argument(
                None, group.name, text, self._group_country(tok), group.sector, start, end
            )
        if tok.pos == "PROPN":
            return self._proper_name(tok, text, start, end)
        return Argument(None, self.nominative(tok), text, None, None, start, end)

    def _proper_name(self, tok: Token, text: str, start: int, end: int) -> Argument:
        """A name the NER missed here: the article's entity with that word in its name, if any
        ("Путин" after "Владимир Путин"), else the capitalised lemma."""
        for entity in self.entities.values():
            if tok.lemma in entity.name.lower().split():
                return Argument(
                    entity.id, entity.name, text, entity.country, entity.sector, start, end
                )
        return Argument(None, tok.lemma.capitalize(), text, None, None, start, end)

    def _counted(self, tok: Token) -> Token:
        """ "большая часть задержанных", "признала независимость Осетии", "более 300 человек"
        (the parser's subject is the quantity adverb): who is meant."""
        if tok.lemma not in self.lexicon.look_through and tok.pos not in ("ADV", "NUM"):
            return tok
        for k in self.tree.kids(tok.index, "nmod", "obl"):
            if k.feats.get("Case") == "Gen" and self.tree.prep(k.index) is None:
                return k
        return tok

    def implicit(self, actor: tuple[str, str], trigger: Token) -> Argument:
        """The actor Russian leaves out ("задержали" → полиция): marked inferred, no text span."""
        name, sector = actor
        return Argument(
            None, name, "", self.main_country, sector, trigger.start, trigger.start, inferred=True
        )

    def _entity_fields(self, span) -> tuple[str, str | None, str | None, str | None]:
        entity = self.entities.get(span.entity) if span.entity else None
        if entity is not None:
            return entity.name, entity.id, entity.country, entity.sector
        return span.normal or span.text, None, None, None

    def _named_inside(self, tok: Token, group: Group | None):
        """The entity an argument stands for: its own span, the name a title or a common noun
        introduces ("президент ... Токаев", "город Николаев"), or the owner of an armed or
        official body ("миротворцы ОДКБ")."""
        span = self.tree.span_of.get(tok.index)
        if span is not None:
            return self._entity_fields(span)
        for k in self.tree.kids(tok.index, "appos", "flat:name", "flat"):
            inner = self.tree.span_of.get(k.index)
            if inner is not None:
                return self._entity_fields(inner)
        if group is not None and group.force:
            for k in self.tree.kids(tok.index, "nmod"):
                inner = self.tree.span_of.get(k.index)
                if inner is not None and self.tree.prep(k.index) is None:
                    name, entity_id, country, _ = self._entity_fields(inner)
                    return name, entity_id, country, group.sector
        return None

    def _group_country(self, tok: Token) -> str | None:
        for k in self.tree.kids(tok.index, "amod"):
            if k.lemma in self.lexicon.demonyms:
                return self.lexicon.demonyms[k.lemma]
        for k in self.tree.kids(tok.index, "nmod"):
            span = self.tree.span_of.get(k.index)
            if span is not None and span.entity in self.entities:
                country = self.entities[span.entity].country
                if country:
                    return country
        return self.main_country

    def _pronoun(self, tok: Token) -> Argument | None:
        """ "он"/"она" → the nearest preceding person in the text; other pronouns stay as is."""
        if tok.lemma == "они":
            antecedent = self._plural_antecedent(tok)
            if antecedent is not None:
                found = self.build(antecedent)
                if found is not None:
                    found.text, found.start, found.end = tok.text, tok.start, tok.end
                    return found
        if tok.lemma not in event_words().personal_pronouns:
            return Argument(None, tok.lemma, tok.text, None, None, tok.start, tok.end)
        gender = PRONOUN_GENDER.get(tok.lemma)
        previous = [
            s
            for s in self.doc.spans
            if s.type == "PER" and s.end <= tok.start and self._span_gender(s) in (None, gender)
        ]
        if not previous:
            noun = self._animate_antecedent(tok, gender)
            found = self.build(noun) if noun is not None else None
            if found is None:
                return Argument(None, tok.lemma, tok.text, None, None, tok.start, tok.end)
            found.text, found.start, found.end = tok.text, tok.start, tok.end
            return found
        # A non-reflexive pronoun never means its own clause's subject ("Борисова обвиняла
        # его": not Борисова), so that person is no candidate.
        own_subject = self._clause_subject_tokens(tok)
        previous = [s for s in previous if not own_subject & set(s.tokens)] or previous
        # The last person who was a subject is the likeliest antecedent of "он"/"она".
        subjects = [s for s in previous if self._is_subject(s)]
        name, entity_id, country, sector = self._entity_fields((subjects or previous)[-1])
        return Argument(entity_id, name, tok.text, country, sector, tok.start, tok.end)

    def _span_gender(self, span: Span) -> str | None:
        """The grammatical gender of a person's name ("Людмила Касьян": Fem), None if unsure."""
        genders = {self.tree.tokens[i].feats.get("Gender") for i in span.tokens}
        genders.discard(None)
        return genders.pop() if len(genders) == 1 else None

    def _animate_antecedent(self, tok: Token, gender: str | None) -> Token | None:
        """ "Дамочка взбесилась … она избила": with no person named before it, "он"/"она"
        stands for the last person-noun subject of its gender in the paragraph."""
        return self._last_subject_before(
            tok,
            lambda cand: (
                cand.pos == "NOUN"
                and cand.feats.get("Animacy") == "Anim"
                and cand.feats.get("Number") == "Sing"
                and cand.feats.get("Gender") == gender
            ),
        )

    def _last_subject_before(self, tok: Token, fits: Callable[[Token], bool]) -> Token | None:
        """The last subject before `tok` in its paragraph that `fits`."""
        for i in range(tok.index - 1, -1, -1):
            cand = self.tree.tokens[i]
            if self.tree.line[i] != self.tree.line[tok.index]:
                return None
            if cand.rel == "nsubj" and fits(cand):
                return cand
        return None

    def _clause_subject_tokens(self, tok: Token) -> set[int]:
        """Tokens of the subject of the clause where a non-subject pronoun stands."""
        parent = self.tree.parent(tok.index)
        if parent is None or tok.rel.startswith("nsubj"):
            return set()
        out: set[int] = set()
        for subject in self.tree.kids(parent.index, "nsubj"):
            out.add(subject.index)
            out.update(k.index for k in self.tree.kids(subject.index, "appos", "flat:name"))
        return out

    def _plural_antecedent(self, tok: Token) -> Token | None:
        """ "мародеры – они громили": the last plural subject before "они" in its paragraph
        that names a group or an entity."""
        return self._last_subject_before(
            tok,
            lambda cand: (
                cand.feats.get("Number") == "Plur"
                and cand.pos in ("NOUN", "PROPN")
                and (cand.lemma in self.lexicon.groups or cand.index in self.tree.span_of)
            ),
        )

    def _is_subject(self, span) -> bool:
        for i in span.tokens:
            tok = self.tree.tokens[i]
            if tok.rel.startswith("nsubj"):
                return True
            parent = self.tree.parent(i)
            if (
                parent is not None
                and parent.rel.startswith("nsubj")
                and tok.rel in ("appos", "flat:name", "nmod")
            ):
                return True
        return False


def _main_country(doc: Doc) -> str | None:
    """The country the article is about: the most mentioned country among places and places'
    entities, used for group nouns with no country of their own ("силовики")."""
    counts: Counter[str] = Counter()
    for place in doc.places:
        if place.country:
            counts[place.country] += len(place.mentions) or 1
    if not counts:
        for entity in doc.entities:
            if entity.type == "LOC" and entity.country:
                counts[entity.country] += len(entity.mentions) or 1
    return counts.most_common(1)[0][0] if counts else None
