"""pymorphy2 decides whether a word is Latin from each letter's Unicode name and raises
ValueError for letters without one (Tangut, Khitan, Nüshu ideographs): a single such letter in an
article would end its analysis. `patch()` makes nameless letters simply non-Latin."""

from __future__ import annotations

import unicodedata


def _is_latin_char(char: str | bytes) -> bool:
    if isinstance(char, bytes):
        char = char.decode("ascii")
    return "LATIN" in unicodedata.name(char, "")


def patch() -> None:
    from pymorphy2 import shapes

    shapes.is_latin_char = _is_latin_char
