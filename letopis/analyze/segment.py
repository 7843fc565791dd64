"""Sentence and token segmentation tuned for news posts.

razdel alone glues a title without a final period to the lead, and keeps emoji bullets stuck to
the next word ("❗️Госсекретарем" becomes one punctuation token), which breaks the parse of
Telegram posts. Here sentences never cross a line break, and a leading run of symbols is its own
token.

The syntax parser's memory and time grow with the square of a sentence's length, so a "sentence"
longer than MAX_SENTENCE_TOKENS tokens (a text without punctuation, a list glued into one line) is
cut into windows of that many tokens before tagging and parsing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from natasha.segment import Segmenter, Sent, Token
from razdel import sentenize, tokenize

MAX_SENTENCE_TOKENS = 200
# A sentence this short (a token is at least one character) is parsed whole without counting
# its tokens, which spares tokenizing ordinary sentences twice.
SHORT_SENTENCE_CHARS = 3 * MAX_SENTENCE_TOKENS

_SYMBOL_PREFIX = re.compile(r"^[^\w\"«(\[]+(?=\w)")


class NewsSegmenter(Segmenter):
    def __init__(self, max_sentence_tokens: int = MAX_SENTENCE_TOKENS):
        super().__init__()
        self.max_sentence_tokens = max_sentence_tokens

    def sentenize(self, text: str) -> Iterator[Sent]:
        offset = 0
        for line in text.split("\n"):
            if line.strip():
                for sent in sentenize(line):
                    yield from self._windows(offset + sent.start, sent.text)
            offset += len(line) + 1

    def _windows(self, start: int, text: str) -> Iterator[Sent]:
        """The sentence itself, or consecutive windows of at most max_sentence_tokens tokens."""
        if len(text) <= SHORT_SENTENCE_CHARS:  # at most that many tokens: cheap to parse
            yield Sent(start, start + len(text), text)
            return
        tokens = list(self.tokenize(text))
        if len(tokens) <= self.max_sentence_tokens:
            yield Sent(start, start + len(text), text)
            return
        for first in range(0, len(tokens), self.max_sentence_tokens):
            window = tokens[first : first + self.max_sentence_tokens]
            begin, end = window[0].start, window[-1].stop
            yield Sent(start + begin, start + end, text[begin:end])

    def tokenize(self, text: str) -> Iterator[Token]:
        for token in tokenize(text):
            prefix = _SYMBOL_PREFIX.match(token.text)
            if prefix and prefix.end() < len(token.text):
                cut = token.start + prefix.end()
                yield Token(token.start, cut, token.text[: prefix.end()])
                yield Token(cut, token.stop, token.text[prefix.end() :])
            else:
                yield Token(token.start, token.stop, token.text)
