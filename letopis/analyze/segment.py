"""Sentence and token segmentation tuned for news posts.

razdel alone glues a title without a final period to the lead, and keeps emoji bullets stuck to
the next word ("❗️Госсекретарем" becomes one punctuation token), which breaks the parse of
Telegram posts. Here sentences never cross a line break, and a leading run of symbols is its own
token.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from natasha.segment import Segmenter, Sent, Token
from razdel import sentenize, tokenize

_SYMBOL_PREFIX = re.compile(r"^[^\w\"«(\[]+(?=\w)")


class NewsSegmenter(Segmenter):
    def sentenize(self, text: str) -> Iterator[Sent]:
        offset = 0
        for line in text.split("\n"):
            if line.strip():
                for sent in sentenize(line):
                    yield Sent(offset + sent.start, offset + sent.stop, sent.text)
            offset += len(line) + 1

    def tokenize(self, text: str) -> Iterator[Token]:
        for token in tokenize(text):
            prefix = _SYMBOL_PREFIX.match(token.text)
            if prefix and prefix.end() < len(token.text):
                cut = token.start + prefix.end()
                yield Token(token.start, cut, token.text[: prefix.end()])
                yield Token(cut, token.stop, token.text[prefix.end() :])
            else:
                yield Token(token.start, token.stop, token.text)
