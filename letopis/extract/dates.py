"""Russian date expressions found with precompiled regular expressions and resolved against the
publication date (the anchor). The words are data: letopis/data/dates.yaml.

Values follow the record contract: ``YYYY-MM-DD``, ``YYYY-MM``, ``YYYY``, or ``--MM-DD`` when the
year is unknown. How each expression resolves:

- A full date ("10 января 2022 года", "10.01.2022", "24/06/2016", "2022-01-10") is itself.
- Day and month without a year ("2 января", "2-го января", "первого октября", "утром 6 января",
  "в ночь на 6 января"): with an anchor, the year that puts the date in the window from ten
  months before the anchor to two months (61 days) after it — news reports the past, so
  "2 января" in an article of 11 January 2022 is 2022-01-02, "20 декабря" in it is 2021-12-20,
  and "10 января" in an article of 20 December 2022 is 2023-01-10. Without an anchor:
  ``--MM-DD``. A date whose year is written only on the next date of a range takes that year
  ("с 30 ноября по 1 декабря 2018 года"). With a weekday ("в среду, 29 июня") the year is the
  window's, or the one before or after it, whichever puts the date on that weekday.
- A month ("в марте", "в начале марта", "на декабрьском заседании") takes its year by the same
  window (its first day); without an anchor and without a year it is left out. With a year, or
  "марта прошлого года", it is ``YYYY-MM``.
- A year ("в 2021 году", "в конце 2021 года", "летом 2018 года", "в 2008 участвовал", "(2004)",
  "Сочи-2014"): ``YYYY``. Part-of-period words (начало, середина, конец, seasons, quarters) widen
  the span, never narrow the value. A number without a year word is a year only in the places
  dates.yaml lists (after "в"/"с" unless a counted noun follows, in parentheses, ...).
- Relative days (сегодня, вчера, позавчера, завтра, послезавтра, "сегодняшнего"): the anchor
  plus the offset.
- A weekday ("в четверг"): the latest such day on or before the anchor, or the first one on or
  after it when its sentence has a future cue (будет, состоится, планирует ...; see
  ``future_cues``). "в прошлый/следующий/этот четверг" picks the one strictly before, strictly
  after, or in the anchor's own week.
- "на прошлой/этой/следующей неделе": the month that holds that week's Thursday, as ``YYYY-MM``
  (the ISO 8601 rule for giving a week to a year; the record has no week format).
- "в прошлом/этом месяце": ``YYYY-MM``; "в прошлом/этом году", "с начала года": the anchor's
  year plus the offset.
- Ranges ("1-2 января", "с 6 по 13 января", "с 2003 по 2011 годы", "2016/17") give one mention
  per end: "1" (--01-01) and "2 января" (--01-02); "с 6" and "по 13 января".

An article without a publication date is anchored on its dateline: the first full calendar
date in its title and lead ("В четверг, 11 июля 2019 года, …"), as wire and Wikinews texts
date themselves. Anything that needs the anchor is left out when there is none. Not handled:
decades ("1970-х", no record format), centuries, durations ("три года"), "накануне" (usually
the eve of a named event), clock times. Month and weekday words are dates only in lower case
when no day number or year comes with them (so "Марта" the name and "Май" the surname are not).
Mentions come sorted by start and never overlap: where candidate expressions overlap, the
longest wins.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from letopis.analyze.doc import Doc
from letopis.data import load_yaml
from letopis.record import DateMention
from letopis.registry import component
from letopis.text import name_key

FUTURE_WINDOW_DAYS = 61  # a day-month date may lie this far after the anchor
SENTENCE_REACH = 300  # how far a future cue is looked for around a weekday, within its sentence
DATELINE_REACH = 400  # characters of title and lead where an undated text gives its date
_SENTENCE_ENDS = ".!?\n"


@dataclass
class _Expr:
    """One date expression as read, before it is resolved against the anchor."""

    start: int
    end: int
    year: int | None = None
    year_shift: int | None = None  # the anchor's year plus this
    month: int | None = None
    day: int | None = None
    weekday: int | None = None  # ISO, 1 = Monday
    weekday_mode: str | None = None  # past | next | this; None = by tense
    day_shift: int | None = None  # the anchor plus this many days
    period: str | None = None  # week | month, counted from the anchor's own
    period_shift: int = 0
    lower_word: tuple[int, int] | None = None  # a word that must be written in lower case

    @property
    def has_year(self) -> bool:
        return self.year is not None or self.year_shift is not None


@dataclass
class _Lexicon:
    month_of: dict[str, int]
    weekday_of: dict[str, int]
    weekday_mode_of: dict[str, str]
    day_shift_of: dict[str, int]
    ordinal_of: dict[str, int]  # day ordinal word → its number
    month_adjective_of: dict[str, int]  # stem → month
    period_of: dict[str, tuple[str, int]]  # phrase → (unit, offset from the anchor's)
    bare_period_of: dict[str, str]
    range_words: frozenset[str]
    future_cues: re.Pattern[str]
    # (for lower-cased text, ignoring case, handler)
    patterns: list[tuple[re.Pattern[str], re.Pattern[str], Callable[..., list[_Expr]]]]


def _key(word: str) -> str:
    return name_key(word)


def _alt(words: Iterable[str]) -> str:
    """A non-capturing group matching any of the phrases whole: any run of spaces between words,
    ё for е. Built as a trie (shared prefixes factored out): the regex engine tries alternatives
    one by one, so a flat list of a hundred words would be tried a hundred times per position."""
    trie: dict[str, dict] = {}
    for word in {_key(w) for w in words}:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}
    return "(?:" + _trie_regex(trie) + ")"


def _trie_regex(node: dict[str, dict]) -> str:
    branches = [_char_regex(c) + _trie_regex(child) for c, child in sorted(node.items()) if c]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return "(?:" + body + ")?" if "" in node else body


def _char_regex(char: str) -> str:
    if char == " ":
        return r"\s+"
    if char == "е":
        return "[её]"
    return re.escape(char)


def _index(table: dict[Any, list[str]]) -> dict[str, Any]:
    return {_key(word): value for value, words in table.items() for word in words}


@lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    data = load_yaml("dates.yaml")
    period_of = {
        _key(phrase): (unit, int(offset))
        for unit, by_offset in data["relative_periods"].items()
        for offset, phrases in by_offset.items()
        for phrase in phrases
    }
    lexicon = _Lexicon(
        month_of={
            k: int(v)
            for table in ("months", "month_abbreviations")
            for k, v in _index(data[table]).items()
        },
        ordinal_of=_ordinals(data),
        month_adjective_of={k: int(v) for k, v in _index(data["month_adjectives"]).items()},
        weekday_of={k: int(v) for k, v in _index(data["weekdays"]).items()},
        weekday_mode_of=_index(data["weekday_modifiers"]),
        day_shift_of={
            k: int(v)
            for table in ("relative_days", "relative_day_adjectives")
            for k, v in _index(data[table]).items()
        },
        period_of=period_of,
        bare_period_of=_index(data["bare_periods"]),
        range_words=frozenset(_key(w) for w in data["range_words"]),
        future_cues=re.compile(rf"(?<!\w){_alt(data['future_cues'])}(?!\w)", re.IGNORECASE),
        patterns=[],
    )
    lexicon.patterns = _compile(data, period_of)
    return lexicon


def _ordinals(data: dict[str, Any]) -> dict[str, int]:
    ordinals = {k: int(v) for k, v in _index(data["ordinal_irregular"]).items()}
    for number, stems in data["ordinal_stems"].items():
        for stem in stems:
            for ending in data["ordinal_endings"]:
                ordinals[_key(stem + ending)] = int(number)
    for tens, words in data["ordinal_tens"].items():
        for word in words:
            ordinals[_key(word)] = int(tens)
    return ordinals


def _compile(data: dict[str, Any], period_of: dict[str, tuple[str, int]]) -> list:
    """The four scans, each an alternation of expressions that share their opening: a scan costs
    about the same whatever its alternatives, and the matches of all four compete by length."""
    f = _fragments(data, period_of)
    day_or_weekday = (
        rf"{f['start']}{f['prep']}{f['time_before']}"
        rf"(?:{f['weekday_before']}{f['day']}(?:(?P<to>{f['to']}){f['day2']})?"
        rf"\s+{f['month_after_day']}{f['year_tail']}"
        rf"|(?:(?P<modifier>{f['modifiers']})\s+)?(?P<lone_weekday>{f['weekdays']}))"
        rf"{f['time_after']}{f['end']}"
    )
    numeric = (
        rf"{f['start']}{f['prep']}"
        r"(?:(?P<nd>\d{1,2})(?P<sep>[./-])(?P<nm>\d{1,2})(?P=sep)(?P<ny>\d{4})(?!\d|[./-]\d)"
        r"(?:\s*(?:г\.|года|год))?"
        r"|(?P<iy>\d{4})-(?P<im>\d\d)-(?P<id>\d\d)(?![-\d]))"
        rf"{f['time_after']}{f['end']}"
    )
    month_or_period = (
        rf"{f['start']}{f['prep']}"
        rf"(?:{f['part']}(?:{f['month']}{f['year_tail']}|(?P<period>{f['periods']}))"
        rf"|(?<![«\"„“])(?P<shift>{f['relative_days']}){f['time_after']}"
        rf"|(?P<shift_stem>{f['day_adjectives']}){f['adjective_endings']}"
        rf"|(?P<month_stem>{f['month_adjectives']}){f['month_adjective_endings']}){f['end']}"
    )
    table = [
        (day_or_weekday, _day_or_weekday),
        (numeric, _numeric),
        (month_or_period, _month_or_period),
        (_years_regex(f), _years),
    ]
    # Every scan opens on the character before the expression (see _candidates): a plain
    # character class first lets the regex engine skip to such characters in its C loop.
    # Matching lower-cased text case-sensitively is twice as fast as ignoring case.
    scans = [rf"[^\w.,:/](?P<at>{pattern})" for pattern, _ in table]
    return [
        (re.compile(scan), re.compile(scan, re.IGNORECASE), handler)
        for scan, (_, handler) in zip(scans, table, strict=True)
    ]


def _years_regex(f: dict[str, str]) -> str:
    """Years with a year word, then the places where a bare number is a year (dates.yaml)."""
    recent = r"(?:1[89]|20)\d\d(?!\d)"
    any_year = r"(?:1\d|20)\d\d(?!\d)"
    suffix = f["year_suffix"]
    counted = f["counted"]
    return (
        rf"{f['start']}(?:{f['prep']}(?:(?P<w1>\d{{3,4}}){suffix}{f['to_w']}(?P<w2>\d{{3,4}})"
        rf"{suffix}|{f['part']}(?P<wy>\d{{3,4}}){suffix})\s*{f['year_words']}{f['end']}"
        rf"|(?P<bare_prep>{f['bare_year_prep']})\s+"
        rf"(?:(?P<b1>{recent}){f['to_b']}(?P<b2>{recent})|(?P<by>{recent})(?:-?(?:го|м|й))?)"
        rf"{counted}(?![\w-])"
        rf"|(?P<d1>{recent})(?:\s*[-–—/]\s*(?P<d2>{recent})|[-/](?P<season>\d\d)(?!\d))"
        rf"{counted}(?![\w-]))"
        rf"|(?=\d)(?:(?<=\()(?:(?P<p1>{any_year})\s*[-–—]\s*(?P<p2>{any_year})|(?P<py>{recent}))"
        r"(?=\s*[,)])"
        rf"|(?<=,\s)(?P<pz>{recent})(?=\))"
        rf"|(?<=[^\W\d_]-)(?P<ny>{recent})(?![\w/?=&-]|\.\w))"  # not in a URL
    )


def _fragments(data: dict[str, Any], period_of: dict[str, tuple[str, int]]) -> dict[str, str]:
    """The regex pieces the scans are made of, from the word lists."""

    def words(key: str) -> str:
        table = data[key]
        if isinstance(table, dict):
            return _alt(w for forms in table.values() for w in forms)
        return _alt(table)

    range_words = words("range_words")

    def connector(name: str) -> str:
        return rf"(?:\s*[-–—]\s*|\s+(?P<{name}>{range_words})\s+)"

    weekdays = words("weekdays")
    times = words("times_of_day")
    months = words("months")
    year_words = words("year_words")
    year_phrases = _alt(p for p, (unit, _) in period_of.items() if unit == "year")
    year = r"(?P<year>\d{4})(?:-?(?:го|м|й|ом))?(?!\d)"
    end = r"(?!\w)"
    day_number = r"(?:-?(?:го|е|ое|ого))?(?!\d)"
    return {
        "start": r"(?<!-)",
        "end": end,
        "prep": rf"(?:(?P<prep>{words('prepositions')})\s+)?",
        "part": rf"(?:(?P<part>{words('period_parts')})\s+)?",
        "time_before": (
            rf"(?:(?P<time>{times})\s+|(?P<night>{_alt([data['night_word']])}\s+"
            rf"(?:со?\s+(?:\d{{1,2}}|{weekdays})\s+)?на)\s+)?"
        ),
        "time_after": rf"(?:\s+(?P<time_after>{times}){end})?",
        "to": connector("to_word"),
        "to_w": connector("wto"),
        "to_b": connector("bto"),
        "day": (
            rf"(?:(?P<day>\d{{1,2}}){day_number}"
            rf"|(?:(?P<tens>{words('ordinal_tens')})\s+)?(?P<day_word>{_alt(_ordinals(data))}){end})"
        ),
        "day2": rf"(?P<day2>\d{{1,2}}){day_number}",
        "year_tail": (
            rf"(?:\s+(?:{year}(?:\s*{year_words})?|(?P<year_phrase>{year_phrases})){end})?"
        ),
        "month": rf"(?P<month>{months}){end}",
        "month_after_day": rf"(?P<month>{months}|{words('month_abbreviations')}){end}",
        "weekdays": weekdays,
        "weekday_before": rf"(?:(?P<weekday>{weekdays})(?:\s*[,—–]\s*|\s+))?",
        "modifiers": words("weekday_modifiers"),
        "periods": _alt(list(period_of) + [w for ws in data["bare_periods"].values() for w in ws]),
        "relative_days": words("relative_days"),
        "day_adjectives": words("relative_day_adjectives"),
        "adjective_endings": words("adjective_endings"),
        "month_adjectives": words("month_adjectives"),
        "month_adjective_endings": words("month_adjective_endings"),
        "year_words": year_words,
        # an ordinal ending only after four digits: "2021-м году"; "на 102-м году жизни" is age
        "year_suffix": r"(?:(?<=\d{4})-?(?:го|м|й|ом))?(?!\d)",
        "bare_year_prep": words("bare_year_prepositions"),
        "counted": rf"(?!\s*{words('counted_nouns')})",
    }


def _day_or_weekday(lex: _Lexicon, match: re.Match[str]) -> list[_Expr]:
    if match.group("day") or match.group("day_word"):
        return _day_month(lex, match)
    return _weekday(lex, match)


def _month_or_period(lex: _Lexicon, match: re.Match[str]) -> list[_Expr]:
    if match.group("month"):
        return _month(lex, match)
    if match.group("period"):
        return _period(lex, match)
    if match.group("month_stem"):
        stem = (match.start("month_stem"), match.end("month_stem"))
        month = lex.month_adjective_of[_key(match.group("month_stem"))]
        return [_Expr(match.start("at"), match.end(), month=month, lower_word=stem)]
    return _relative_day(lex, match)


_YEAR_RANGES = (("w1", "w2", "wto"), ("b1", "b2", "bto"), ("p1", "p2", None), ("d1", "d2", None))
_YEAR_SINGLES = ("wy", "by", "py", "pz", "ny")


def _years(lex: _Lexicon, match: re.Match[str]) -> list[_Expr]:
    groups = match.groupdict()
    if groups["season"]:  # "2016/17": the second year is the next one, written short
        first = int(groups["d1"])
        if int(groups["season"]) != (first + 1) % 100:
            return []
        second_start = match.start("season")
        return [
            _Expr(match.start("at"), match.end("d1"), year=first),
            _Expr(second_start, match.end(), year=first + 1),
        ]
    for first, second, to_word in _YEAR_RANGES:
        if groups[first]:
            return _year_range(match, first, second, to_word)
    year = int(next(groups[name] for name in _YEAR_SINGLES if groups[name]))
    return [_Expr(match.start("at"), match.end(), year=year)]


def _valid(month: int, day: int, year: int = 2000) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def _year_of(lex: _Lexicon, match: re.Match[str]) -> dict[str, int]:
    if match.group("year"):
        return {"year": int(match.group("year"))}
    if match.group("year_phrase"):
        return {"year_shift": lex.period_of[_key(match.group("year_phrase"))][1]}
    return {}


def _day_number(lex: _Lexicon, match: re.Match[str]) -> int:
    if match.group("day"):
        return int(match.group("day"))
    unit = lex.ordinal_of[_key(match.group("day_word"))]
    if not match.group("tens"):
        return unit
    return lex.ordinal_of[_key(match.group("tens"))] + unit if unit < 10 else 0


def _day_month(lex: _Lexicon, match: re.Match[str]) -> list[_Expr]:
    month = lex.month_of[_key(match.group("month"))]
    day = _day_number(lex, match)
    year = _year_of(lex, match)
    if not _valid(month, day, year.get("year", 2000)):
        return []
    if not match.group("day2"):
        weekday = lex.weekday_of[_key(match.group("weekday"))] if match.group("weekday") else None
        return [
            _Expr(match.start("at"), match.end(), month=month, day=day, weekday=weekday, **year)
        ]
    day2 = int(match.group("day2"))
    if not _valid(month, day2, year.get("year", 2000)):
        return []
    second_start = match.start("to_word") if match.group("to_word") else match.start("day2")
    return [
        _Expr(match.start("at"), match.end("day"), month=month, day=day, **year),
        _Expr(second_start, match.end(), month=month, day=day2, **year),
    ]


def _numeric(lex: _Lexicon, match: re.Match[str]) -> list[_Expr]:
    names = ("ny", "nm", "nd") if match.group("ny") else ("iy", "im", "id")
    year, month, day = (int(match.group(name)) for name in names)
    if not _valid(month, day, year):
        return []
    return [_Expr(match.start("at"), match.end(), year=year, month=month, day=day)]


def _month(lex: _Lexicon, match: re.Match[str]) -> list[_Expr]:
    year = _year_of(lex, match)
    month = lex.month_of[_key(match.group("month"))]
    if year:
        return [_Expr(match.start("at"), match.end(), month=month, **year)]
    # Without a year a bare month word must be lower case and governed ("в марте"): this keeps
    # out names (Марта, Май) and nominatives that are not about time.
    if not (match.group("prep") or match.group("part")):
        return []
    word = (match.start("month"), match.end("month"))
    return [_Expr(match.start("at"), match.end(), month=month, lower_word=word)]


def _year_range(match: re.Match[str], first: str, second: str, to_word: str | None) -> list[_Expr]:
    """Two mentions: the first year, and the connector word (if any) with the second year."""
    year1, year2 = int(match.group(first)), int(match.group(second))
    if year2 < year1:
        return []
    second_start = match.start(second)
    if to_word and match.group(to_word):
        second_start = match.start(to_word)
    return [
        _Expr(match.start("at"), match.end(first), year=year1),
        _Expr(second_start, match.end(), year=year2),
    ]


def _relative_day(lex: _Lexicon, match: re.Match[str]) -> list[_Expr]:
    shift = lex.day_shift_of[_key(match.group("shift") or match.group("shift_stem"))]
    return [_Expr(match.start("at"), match.end(), day_shift=shift)]


def _weekday(lex: _Lexicon, match: re.Match[str]) -> list[_Expr]:
    word = match.group("lone_weekday")
    governed = match.group("prep") or match.group("modifier") or match.group("time")
    if not (governed or match.group("night")):
        return []
    modifier = match.group("modifier")
    return [
        _Expr(
            match.start("at"),
            match.end(),
            weekday=lex.weekday_of[_key(word)],
            weekday_mode=lex.weekday_mode_of[_key(modifier)] if modifier else None,
            lower_word=(match.start("lone_weekday"), match.end("lone_weekday")),
        )
    ]


def _period(lex: _Lexicon, match: re.Match[str]) -> list[_Expr]:
    phrase = _key(match.group("period"))
    if phrase in lex.bare_period_of:
        if not match.group("part"):
            return []
        unit, shift = lex.bare_period_of[phrase], 0
    else:
        unit, shift = lex.period_of[phrase]
    if unit == "year":
        return [_Expr(match.start("at"), match.end(), year_shift=shift)]
    return [_Expr(match.start("at"), match.end(), period=unit, period_shift=shift)]


_CONNECTOR = re.compile(r"\s*(?:[-–—,]|и)?\s*")


def _candidates(text: str, lex: _Lexicon) -> list[list[_Expr]]:
    padded = "\n" + text  # the character before the first one; offsets shift by one
    lowered = padded.lower()
    exact = len(lowered) == len(padded)  # lower() lengthens a few rare letters (İ)
    found = []
    for sensitive, ignoring_case, handler in lex.patterns:
        scan = sensitive.finditer(lowered) if exact else ignoring_case.finditer(padded)
        for match in scan:
            exprs = handler(lex, match)
            if exprs and all(_lower_case(padded, e.lower_word) for e in exprs):
                for expr in exprs:
                    expr.start -= 1
                    expr.end -= 1
                found.append(exprs)
    return found


def _lower_case(text: str, word: tuple[int, int] | None) -> bool:
    return word is None or text[word[0] : word[1]].islower()


def _longest_first(found: list[list[_Expr]]) -> list[_Expr]:
    """Keep non-overlapping candidates, the longest first (then the earliest)."""
    found.sort(key=lambda exprs: (exprs[0].start - exprs[-1].end, exprs[0].start))
    kept: list[list[_Expr]] = []
    for exprs in found:
        start, end = exprs[0].start, exprs[-1].end
        if all(end <= k[0].start or start >= k[-1].end for k in kept):
            kept.append(exprs)
    return sorted((e for exprs in kept for e in exprs), key=lambda e: e.start)


def _share_years(text: str, exprs: list[_Expr], lex: _Lexicon) -> None:
    """A date of a range without its year takes the year of the next date of the range."""
    for first, second in zip(reversed(exprs[:-1]), reversed(exprs[1:]), strict=True):
        if first.has_year or first.month is None or second.month is None or not second.has_year:
            continue
        gap = text[first.end : second.start]
        opens_range = _key(text[second.start : second.end].split(maxsplit=1)[0])
        if _CONNECTOR.fullmatch(gap) and (gap.strip() or opens_range in lex.range_words):
            first.year, first.year_shift = second.year, second.year_shift


def _sentence_around(text: str, start: int, end: int) -> str:
    left = max(start - SENTENCE_REACH, 0)
    right = min(end + SENTENCE_REACH, len(text))
    opening = max(text.rfind(mark, left, start) for mark in _SENTENCE_ENDS) + 1
    closings = [i for i in (text.find(mark, end, right) for mark in _SENTENCE_ENDS) if i >= 0]
    return text[max(opening, left) : min(closings, default=right)]


def _weekday_date(expr: _Expr, anchor: date, future: bool) -> date:
    iso = anchor.isoweekday()
    wanted = expr.weekday or iso
    if expr.weekday_mode == "this":
        return anchor + timedelta(days=wanted - iso)
    if expr.weekday_mode == "next":
        return anchor + timedelta(days=(wanted - iso) % 7 or 7)
    if expr.weekday_mode == "past":
        return anchor - timedelta(days=(iso - wanted) % 7 or 7)
    if future:
        return anchor + timedelta(days=(wanted - iso) % 7)
    return anchor - timedelta(days=(iso - wanted) % 7)


def _year_near(anchor: date, month: int, day: int) -> int:
    """The year that puts month-day in the year up to FUTURE_WINDOW_DAYS after the anchor."""
    latest = anchor + timedelta(days=FUTURE_WINDOW_DAYS)
    return latest.year if (month, day) <= (latest.month, latest.day) else latest.year - 1


def _year_of_weekday(year: int, month: int, day: int, weekday: int) -> int:
    """ "в субботу, 29 июня": of the year and the one before and after it, the first in which
    the date falls on that weekday; the year itself when none does."""
    for candidate in (year, year - 1, year + 1):
        if _valid(month, day, candidate) and date(candidate, month, day).isoweekday() == weekday:
            return candidate
    return year


def _month_value(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def _dated(expr: _Expr, anchor: date | None) -> str | None:
    """The value of a date that has a month (and maybe a day and a year)."""
    month, day = expr.month, expr.day
    assert month is not None
    if expr.year is not None:
        year: int | None = expr.year
    elif expr.year_shift is not None and anchor:
        year = anchor.year + expr.year_shift
    elif anchor:
        year = _year_near(anchor, month, day or 1)
        if day and expr.weekday:
            year = _year_of_weekday(year, month, day, expr.weekday)
    else:
        year = None
    if day is None:
        return _month_value(year, month) if year is not None else None
    if year is None or not _valid(month, day, year):
        return f"--{month:02d}-{day:02d}"
    return date(year, month, day).isoformat()


def _value(expr: _Expr, anchor: date | None, text: str, lex: _Lexicon) -> str | None:
    if expr.month is not None:
        return _dated(expr, anchor)
    if expr.year is not None:
        return f"{expr.year:04d}"
    if anchor is None:
        return None
    if expr.day_shift is not None:
        return (anchor + timedelta(days=expr.day_shift)).isoformat()
    if expr.weekday is not None:
        future = expr.weekday_mode is None and bool(
            lex.future_cues.search(_sentence_around(text, expr.start, expr.end))
        )
        return _weekday_date(expr, anchor, future).isoformat()
    if expr.year_shift is not None:
        return f"{anchor.year + expr.year_shift:04d}"
    if expr.period == "week":
        thursday = anchor + timedelta(days=4 - anchor.isoweekday() + 7 * expr.period_shift)
        return _month_value(thursday.year, thursday.month)
    if expr.period == "month":
        months = anchor.year * 12 + anchor.month - 1 + expr.period_shift
        return _month_value(months // 12, months % 12 + 1)
    return None


def extract_dates(text: str, anchor: date | None) -> list[DateMention]:
    """Date mentions of `text`, sorted by start and non-overlapping, resolved against `anchor`
    (the publication date, or None: then expressions that need it are left out)."""
    lex = _lexicon()
    exprs = _longest_first(_candidates(text, lex))
    _share_years(text, exprs, lex)
    mentions = []
    for expr in exprs:
        value = _value(expr, anchor, text, lex)
        if value is not None:
            mentions.append(DateMention(text[expr.start : expr.end], expr.start, expr.end, value))
    return mentions


def dateline(text: str) -> date | None:
    """The first full calendar date in a text's title and lead, or None."""
    for mention in extract_dates(text[:DATELINE_REACH], None):
        if len(mention.value) == 10:
            return date.fromisoformat(mention.value)
    return None


@component("dates", assigns=("dates",))
def make_dates(models: object) -> Callable[[Doc], Doc]:
    _lexicon()

    def find_dates(doc: Doc) -> Doc:
        doc.dates = extract_dates(doc.text, doc.anchor or dateline(doc.text))
        return doc

    return find_dates
