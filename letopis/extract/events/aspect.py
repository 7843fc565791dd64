"""Imperfective partners of perfective trigger verbs, derived when the lexicon is compiled.

Russian news tells one action with either aspect ("задержали" / "задерживают"), so the lexicon
lists one and the other is generated: the regular secondary imperfectives (-ить → -ать/-ять
with the stem's consonant alternation, -ать → -ивать/-ывать, -нуть → -ать, -ыть → -ывать),
kept only when the dictionary knows the result as an imperfective infinitive. Irregular pairs
("вывести" / "выводить") and pairs that drift in meaning are listed in triggers.yaml."""

from __future__ import annotations

from letopis.text import morph

# Consonant alternations before the imperfective suffix ("освободить" → "освобождать").
ALTERNATIONS = {
    "ст": ("щ",),
    "з": ("ж",),
    "с": ("ш",),
    "д": ("жд", "ж"),
    "т": ("щ", "ч"),
    "б": ("бл",),
    "п": ("пл",),
    "в": ("вл",),
    "м": ("мл",),
    "ф": ("фл",),
}
# A stem shorter than this is a bare prefix: no regular imperfective.
MIN_STEM = 2


def _infinitive(word: str, aspect: str) -> bool:
    vocab = morph()
    if not vocab.is_known(word):
        return False
    return any(
        p.pos == "VERB" and p.feats.get("VerbForm") == "Inf" and p.feats.get("Aspect") == aspect
        for p in vocab.parses(word)
    )


def _alternated(stem: str) -> list[str]:
    for tail in ("ст", stem[-1:]):
        if stem.endswith(tail) and tail in ALTERNATIONS:
            return [stem[: -len(tail)] + alt for alt in ALTERNATIONS[tail]]
    return []


def _candidates(verb: str) -> list[str]:
    """Imperfective forms a perfective infinitive may have, likeliest first."""
    if verb.endswith("ить"):
        stem = verb[:-3]
        shifted = _alternated(stem)
        ends = [s + e for s in shifted for e in ("ать", "ять")]
        return [*ends, stem + "ивать", stem + "ять", stem + "ать", stem + "ывать"]
    if verb.endswith(("ать", "ять")):
        return [verb[:-3] + "ивать", verb[:-3] + "ывать"]
    if verb.endswith("нуть"):
        return [verb[:-4] + "ать"]
    if verb.endswith("ыть"):
        return [verb[:-3] + "ывать"]
    return []


def imperfective(lemma: str) -> str | None:
    """The regular imperfective partner of a perfective infinitive, or None."""
    reflexive = lemma.endswith(("ся", "сь"))
    verb = lemma[:-2] if reflexive else lemma
    if len(verb) - 3 < MIN_STEM or not _infinitive(lemma, "Perf") or _infinitive(lemma, "Imp"):
        return None
    for candidate in _candidates(verb):
        form = candidate + "ся" if reflexive else candidate
        if _infinitive(form, "Imp"):
            return form
    return None
