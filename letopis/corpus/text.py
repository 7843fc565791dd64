"""Text helpers shared by the corpus indexes (duplicates, stories, entity resolution).

API
---
- ``normalise(text) -> str``: the canonical form used for exact-duplicate hashing and shingling:
  Telegram Markdown reduced to its text, URLs, @handles and channel boilerplate lines
  (``letopis/data/telegram_boilerplate.txt``) removed, lower case, ``ё`` → ``е``, every run of
  non-alphanumeric characters (punctuation, emoji, whitespace) collapsed to one space.
- ``words(text) -> list[str]``: the words of ``normalise(text)``.
- ``fold(name) -> str``: case-folds a name and maps ``ё`` → ``е`` (keys for name matching).
- ``Lemmatizer`` / ``lemmatizer()``: a process-wide pymorphy2 lemmatiser with a per-word cache;
  ``lemmatizer().content_lemmas(text)`` gives the lemmas of content words (nouns, adjectives,
  verbs, numbers, Latin words; function words dropped), ``analyse(word)`` a cached ``WordInfo``,
  ``is_given_name(word)`` whether the dictionary knows a word only as a given name.

Lemmas are search keys (full-text search lemmatises the indexed text and the query alike), so
every form of a word must give the same one:
- a word in pymorphy2's dictionary, hyphenated ones included ("Алма-Аты", "Ростове-на-Дону"),
  gets its dictionary lemma ("алма-ата", "ростов-на-дону");
- a word the dictionary lacks (mostly names: "Жанаозене", "Байбековым") gets a stem, the word
  less its endings (``NAME_ENDINGS``: "жанаозен", "байбеков"), because pymorphy2's guesses for
  foreign names differ from form to form ("жанаозен" → "жанаозный", "жанаозена" → "жанаозть");
- an unknown hyphenated word is keyed part by part, each part as above, joined with "-"
  ("Нур-Султана" → "нур-султан").
Unknown words pymorphy2 reads as verb forms keep its guess (suffix guessing works for verbs).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

MAX_BOILERPLATE_CHARS = 100  # longer lines are content even if they mention subscribing

_MD_LINK = re.compile(r"\[([^\]]*)\]\((?:[^()\s]|\([^()\s]*\))*\)")
_URL = re.compile(r"(?:https?://|www\.|t\.me/)\S+", re.IGNORECASE)
_HANDLE = re.compile(r"(?<!\w)@\w+")
_NON_WORD = re.compile(r"[\W_]+")
_TOKEN = re.compile(r"\d+(?:[.,]\d+)+|[^\W_]+(?:-[^\W_]+)*")  # "2,5", "Нур-Султан"


@lru_cache(maxsize=1)
def boilerplate_patterns() -> tuple[re.Pattern[str], ...]:
    source = resources.files("letopis.data").joinpath("telegram_boilerplate.txt")
    lines = source.read_text(encoding="utf-8").splitlines()
    return tuple(
        re.compile(line.strip(), re.IGNORECASE)
        for line in lines
        if line.strip() and not line.lstrip().startswith("#")
    )


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


def fold(name: str) -> str:
    return name.casefold().replace("ё", "е")


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


@dataclass(frozen=True)
class WordInfo:
    lemma: str
    content: bool  # carries topic: not a preposition, conjunction, pronoun, particle...
    proper: bool  # the dictionary knows it as a name, surname, place or organisation


class Lemmatizer:
    """pymorphy2 lemmas with a per-word-form cache (a news corpus repeats its word forms)."""

    def __init__(self) -> None:
        import natasha.morph.vocab  # noqa: F401  (applies natasha's pymorphy2 fix for Python 3.11)
        import pymorphy2

        self._morph = pymorphy2.MorphAnalyzer()
        self._cache: dict[str, WordInfo] = {}
        self._given: dict[str, bool] = {}

    def analyse(self, word: str) -> WordInfo:
        info = self._cache.get(word)
        if info is None:
            info = self._analyse(word)
            self._cache[word] = info
        return info

    def _analyse(self, word: str) -> WordInfo:
        if not word.replace("-", "").isalpha() or not _is_cyrillic(word):
            return WordInfo(word, content=len(word) > 1 or word.isdigit(), proper=False)
        parse = self._morph.parse(word)[0]
        pos = parse.tag.POS
        lemma = self._key(word, parse)
        grammemes = set(parse.tag.grammemes)
        proper = bool(grammemes & _PROPER_TAGS)
        content = pos not in _FUNCTION_POS and (len(word) > 2 or proper)
        return WordInfo(lemma, content=content, proper=proper)

    def _key(self, word: str, parse) -> str:
        """The lemma every form of the word shares (see the module docstring)."""
        if self._morph.word_is_known(word) or parse.tag.POS in _VERB_POS:
            return parse.normal_form.replace("ё", "е")
        if "-" in word:
            return "-".join(self._part_key(part) for part in word.split("-"))
        return name_stem(word)

    def _part_key(self, part: str) -> str:
        if not part.isalpha() or not _is_cyrillic(part):
            return part
        if self._morph.word_is_known(part):
            return self._morph.parse(part)[0].normal_form.replace("ё", "е")
        return name_stem(part)

    def tokens(self, text: str) -> list[str]:
        return _TOKEN.findall(fold(strip_markup(text)))

    def content_lemmas(self, text: str) -> list[str]:
        infos = (self.analyse(token) for token in self.tokens(text))
        return [info.lemma for info in infos if info.content]

    def lemma(self, word: str) -> str:
        return self.analyse(fold(word)).lemma

    def is_given_name(self, word: str) -> bool:
        """The dictionary knows the word as a given name and never as a surname."""
        word = fold(word)
        known = self._given.get(word)
        if known is None:
            tags = {g for parse in self._morph.parse(word) for g in parse.tag.grammemes}
            known = self._given[word] = "Name" in tags and "Surn" not in tags
        return known

    def is_patronymic(self, word: str) -> bool:
        """The dictionary knows the word as a patronymic and never as a surname."""
        tags = {g for parse in self._morph.parse(fold(word)) for g in parse.tag.grammemes}
        return "Patr" in tags and "Surn" not in tags


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


def _is_cyrillic(word: str) -> bool:
    return any("а" <= ch <= "я" or ch == "ё" for ch in word)


@lru_cache(maxsize=1)
def lemmatizer() -> Lemmatizer:
    return Lemmatizer()
