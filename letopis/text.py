"""The text service every stage shares: ONE morphology (natasha's MorphVocab over pymorphy2,
behind one set of caches) and the keys names and dates are compared on.

Stages never build their own analyser or fold text their own way: the pipeline and the corpus
must agree on what two words have in common, or a name found in an article is not found again
in the corpus.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import Any

from letopis.data import load_yaml

# Endings of nouns and adjectives, stripped from words the dictionary lacks, longest first,
# again and again ("оралбея" → "оралбе" → "оралб", as "оралбей" → "оралб"). "-ов", "-ев" and
# "-ин" are not endings here: in surnames they are the stem ("Куликова" → "куликов", and not
# "кулик", a dictionary word).
NAME_ENDINGS = (
    *("ами", "ями", "ого", "его", "ому", "ему", "ыми", "ими"),
    *("ой", "ей", "ою", "ею", "ом", "ем", "ам", "ям", "ах", "ях", "ый", "ий"),
    *("ая", "яя", "ое", "ее", "ые", "ие", "ых", "их", "ым", "им", "ую", "юю"),
    *("а", "я", "у", "ю", "е", "ы", "и", "о", "ь", "й"),
)
MIN_STEM = 3  # letters a stripped word keeps at least
# Word forms each per-word cache keeps: the common vocabulary of news, so that memory stops
# growing early in a long ingest while most look-ups still hit (README, Reliability).
CACHED_WORDS = 20_000


def fold(text: str) -> str:
    """Case-folded, ё as е: the form words are compared in."""
    return text.casefold().replace("ё", "е")


def name_key(name: str) -> str:
    """What names are matched on: folded, runs of spaces as one."""
    return " ".join(fold(name).split())


def name_stem(word: str) -> str:
    """The word less its endings, ё as е: the key of a name the dictionary lacks."""
    word = word.replace("ё", "е")
    stripped = True
    while stripped:
        stripped = False
        for ending in NAME_ENDINGS:
            if word.endswith(ending) and len(word) - len(ending) >= MIN_STEM:
                word, stripped = word[: -len(ending)], True
                break
    return word


def is_cyrillic(word: str) -> bool:
    return any("а" <= ch <= "я" or ch == "ё" for ch in word.lower())


def acronym(words: Iterable[str]) -> str:
    """The capital initials of a name's words, function words left out (letopis/data/text.yaml):
    "Организация Договора о коллективной безопасности" → "ОДКБ"."""
    skip = _acronym_skip_words()
    return "".join(word[0].upper() for word in words if word and fold(word) not in skip)


def looks_patronymic(word: str) -> bool:
    """The word has a patronymic's form, in any case (letopis/data/text.yaml)."""
    return bool(_patronymic_form().search(fold(word)))


@lru_cache(maxsize=1)
def _patronymic_form() -> re.Pattern[str]:
    return re.compile(load_yaml("text.yaml")["patronymic_pattern"])


@lru_cache(maxsize=1)
def _acronym_skip_words() -> frozenset[str]:
    return frozenset(fold(word) for word in load_yaml("text.yaml")["acronym_skip_words"])


def parse_iso(value: str) -> datetime | None:
    """An ISO 8601 date or timestamp as written (its UTC offset kept), or None."""
    try:
        return datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None


def parse_moment(value: Any) -> datetime | None:
    """YYYY-MM-DD, an ISO timestamp, a date or a datetime → a naive UTC datetime (a date alone
    means its midnight); None for anything else."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime(value.year, value.month, value.day)
    else:
        moment = parse_iso(str(value))
    if moment is None:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment


class Morph:
    """pymorphy2 through natasha's MorphVocab, each question cached per word form (news repeats
    its word forms, and the analysis is the slow part)."""

    def __init__(self, vocab: Any, size: int = CACHED_WORDS):
        self.vocab = vocab
        self.parses = lru_cache(maxsize=size)(self._parses)
        self.is_known = lru_cache(maxsize=size)(vocab.word_is_known)
        self.lemmatize = lru_cache(maxsize=size)(self._lemmatize)
        self.inflect = lru_cache(maxsize=size // 10)(self._inflect)

    def _parses(self, word: str) -> tuple[Any, ...]:
        return tuple(self.vocab.parse(word))

    def _lemmatize(self, word: str, pos: str, feats: tuple[tuple[str, str], ...]) -> str:
        """natasha's lemma choice: the parse that agrees with the tagger's POS and features."""
        return self.vocab.lemmatize(word, pos, dict(feats))

    def _inflect(self, word: str, case: str | None, number: str | None, to: str) -> str:
        """`word` put into the case `to`, read as the parse agreeing with `case` and `number`."""
        parses = self.parses(word)
        agreeing = [
            p for p in parses if p.feats.get("Case") == case and p.feats.get("Number") == number
        ]
        for parse in agreeing or parses[:1]:
            form = parse.inflect({to})
            if form is not None:
                return form.word
        return word

    def normal_forms(self, word: str) -> frozenset[str]:
        """The word lower-cased and every normal form pymorphy gives it, ё as е."""
        lower = word.lower()
        return frozenset({lower, *(fold(p.normal_form) for p in self.parses(lower))})

    def first_normal(self, word: str) -> str:
        parses = self.parses(word.lower())
        return parses[0].normal_form if parses else word.lower()

    def has_tag(self, word: str, grammeme: str, known_only: bool = False) -> bool:
        if known_only and not self.is_known(word.lower()):
            return False
        return any(grammeme in p.tag for p in self.parses(word.lower()))

    def is_patronymic(self, word: str) -> bool:
        """The dictionary knows the word as a patronymic and never as a surname."""
        return self._known_as(word, "Patr")

    def is_given_name(self, word: str) -> bool:
        """The dictionary knows the word as a given name and never as a surname."""
        return self._known_as(word, "Name")

    def _known_as(self, word: str, grammeme: str) -> bool:
        folded = fold(word)
        if not self.is_known(folded):
            return False
        tags = {g for parse in self.parses(folded) for g in parse.tag.grammemes}
        return grammeme in tags and "Surn" not in tags


@dataclass(frozen=True)
class NameOrder:
    """Which words of a person's name (initials left out) are the first name and the surname;
    ``middle`` holds the positions between (patronymics, second given names)."""

    first: int | None
    surname: int | None
    middle: tuple[int, ...] = ()


def person_name_order(words: Sequence[str], with_initials: bool = False) -> NameOrder:
    """The one reading of a person's name that the article and the corpus share: "Владимир
    Путин", "Путин Владимир Владимирович", "Виктор Альфредович" (no surname), a lone word a
    surname unless it is only a given name and no initial stands beside it ("Мария")."""
    count = len(words)
    if count == 0:
        return NameOrder(None, None)
    if count == 1:
        only_given = not with_initials and morph().is_given_name(words[0])
        return NameOrder(0, None) if only_given else NameOrder(None, 0)
    last = words[-1]
    # Of two words the second is a surname ("Роман Абрамович") unless the dictionary knows it
    # only as a patronymic; of three, a patronymic's form is enough.
    ends_with_patronymic = (
        morph().is_patronymic(last)
        if count == 2
        else looks_patronymic(last) or morph().has_tag(last, "Patr", True)
    )
    if count == 2 and ends_with_patronymic:
        return NameOrder(0, None, (1,))
    if ends_with_patronymic and not morph().has_tag(words[0], "Name", True):
        return NameOrder(1, 0, tuple(range(2, count)))
    return NameOrder(0, count - 1, tuple(range(1, count - 1)))


@lru_cache(maxsize=1)
def morph() -> Morph:
    """The process's one morphology service."""
    from natasha import MorphVocab

    _patch_latin_check()
    return Morph(MorphVocab())


def _patch_latin_check() -> None:
    """pymorphy2 decides whether a word is Latin from each letter's Unicode name and raises
    ValueError for letters without one (Tangut, Khitan, Nüshu ideographs): one such letter would
    end an article's analysis. Nameless letters are simply not Latin."""
    from pymorphy2 import shapes

    shapes.is_latin_char = _is_latin_char


def _is_latin_char(char: str | bytes) -> bool:
    if isinstance(char, bytes):
        char = char.decode("ascii")
    return "LATIN" in unicodedata.name(char, "")
