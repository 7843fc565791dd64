"""Text helpers shared by the corpus indexes (duplicates, stories, entity resolution).

API
---
- ``normalise(text) -> str``: the canonical form used for exact-duplicate hashing and shingling:
  Telegram Markdown reduced to its text, URLs, @handles and channel boilerplate lines
  (``letopis/data/telegram_boilerplate.txt``) removed, lower case, ``ё`` → ``е``, every run of
  non-alphanumeric characters (punctuation, emoji, whitespace) collapsed to one space.
- ``words(text) -> list[str]``: the words of ``normalise(text)``.
- ``Lemmatizer`` / ``lemmatizer()``: search keys over the one morphology service
  (``letopis.text.morph()``); ``lemmatizer().content_lemmas(text)`` gives the lemmas of content
  words (nouns, adjectives, verbs, numbers, Latin words; function words dropped),
  ``analyse(word)`` a cached ``WordInfo``.

Lemmas are search keys (full-text search lemmatises the indexed text and the query alike), so
every form of a word must give the same one:
- a word in pymorphy2's dictionary, hyphenated ones included ("Алма-Аты", "Ростове-на-Дону"),
  gets its dictionary lemma ("алма-ата", "ростов-на-дону");
- a word the dictionary lacks (mostly names: "Жанаозене", "Байбековым") gets a stem, the word
  less its endings (``letopis.text.name_stem``: "жанаозен", "байбеков"), because pymorphy2's
  guesses for foreign names differ from form to form ("жанаозен" → "жанаозный",
  "жанаозена" → "жанаозть");
- an unknown hyphenated word is keyed part by part, each part as above, joined with "-"
  ("Нур-Султана" → "нур-султан").
Unknown words pymorphy2 reads as verb forms keep its guess (suffix guessing works for verbs).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from letopis.data import read_lines
from letopis.text import CACHED_WORDS, Morph, fold, is_cyrillic, morph, name_stem

MAX_BOILERPLATE_CHARS = 100  # longer lines are content even if they mention subscribing

_MD_LINK = re.compile(r"\[([^\]]*)\]\((?:[^()\s]|\([^()\s]*\))*\)")
_URL = re.compile(r"(?:https?://|www\.|t\.me/)\S+", re.IGNORECASE)
_HANDLE = re.compile(r"(?<!\w)@\w+")
_NON_WORD = re.compile(r"[\W_]+")
_TOKEN = re.compile(r"\d+(?:[.,]\d+)+|[^\W_]+(?:-[^\W_]+)*")  # "2,5", "Нур-Султан"


@lru_cache(maxsize=1)
def boilerplate_patterns() -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(line, re.IGNORECASE) for line in read_lines("telegram_boilerplate.txt"))


def strip_markup(text: str) -> str:
    """Markdown links → their text; URLs and @handles removed."""
    text = _MD_LINK.sub(r"\1", text)
    text = _URL.sub(" ", text)
    return _HANDLE.sub(" ", text)


def is_boilerplate(line: str) -> bool:
    line = line.strip()
    if not line or len(line) > MAX_BOILERPLATE_CHARS:
        return False
    return any(pattern.search(line) for pattern in boilerplate_patterns())


def strip_boilerplate(text: str) -> str:
    """The text without markup, URLs and the channel's subscribe/send-news footer lines."""
    lines = (strip_markup(line) for line in text.splitlines())
    return "\n".join(line for line in lines if not is_boilerplate(line))


def normalise(text: str) -> str:
    folded = fold(strip_boilerplate(text))
    return _NON_WORD.sub(" ", folded).strip()


def words(text: str) -> list[str]:
    normalised = normalise(text)
    return normalised.split() if normalised else []


# pymorphy2 parts of speech that carry no topic (OpenCorpora tag set).
_FUNCTION_POS = frozenset({"PREP", "CONJ", "PRCL", "INTJ", "NPRO", "PRED", "ADVB", "COMP"})
_PROPER_TAGS = frozenset({"Name", "Surn", "Patr", "Geox", "Orgn", "Trad"})
_VERB_POS = frozenset({"VERB", "INFN", "GRND", "PRTF"})


@dataclass(frozen=True)
class WordInfo:
    lemma: str
    content: bool  # carries topic: not a preposition, conjunction, pronoun, particle...
    proper: bool  # the dictionary knows it as a name, surname, place or organisation


class Lemmatizer:
    """pymorphy2 lemmas with a per-word-form cache (a news corpus repeats its word forms)."""

    def __init__(self, morph: Morph) -> None:
        self._morph = morph
        self.analyse = lru_cache(maxsize=CACHED_WORDS)(self._analyse)

    def _analyse(self, word: str) -> WordInfo:
        if not word.replace("-", "").isalpha() or not is_cyrillic(word):
            return WordInfo(word, content=len(word) > 1 or word.isdigit(), proper=False)
        parse = self._morph.parses(word)[0]
        pos = parse.tag.POS
        lemma = self._key(word, parse)
        grammemes = set(parse.tag.grammemes)
        proper = bool(grammemes & _PROPER_TAGS)
        content = pos not in _FUNCTION_POS and (len(word) > 2 or proper)
        return WordInfo(lemma, content=content, proper=proper)

    def _key(self, word: str, parse) -> str:
        """The lemma every form of the word shares (see the module docstring)."""
        if self._morph.is_known(word) or parse.tag.POS in _VERB_POS:
            return fold(parse.normal_form)
        if "-" in word:
            return "-".join(self._part_key(part) for part in word.split("-"))
        return name_stem(word)

    def _part_key(self, part: str) -> str:
        if not part.isalpha() or not is_cyrillic(part):
            return part
        if self._morph.is_known(part):
            return fold(self._morph.first_normal(part))
        return name_stem(part)

    def tokens(self, text: str) -> list[str]:
        return _TOKEN.findall(fold(strip_markup(text)))

    def content_lemmas(self, text: str) -> list[str]:
        infos = (self.analyse(token) for token in self.tokens(text))
        return [info.lemma for info in infos if info.content]

    def lemma(self, word: str) -> str:
        return self.analyse(fold(word)).lemma


@lru_cache(maxsize=1)
def lemmatizer() -> Lemmatizer:
    return Lemmatizer(morph())
