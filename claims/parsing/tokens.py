"""Tokeniser shared by every grammar in this package.

The grammars work on a flat token list with character offsets instead of on big regular
expressions: each one is a small hand-written state machine that looks a few tokens ahead,
so the cost stays linear in the length of the text whatever the input.
"""

from __future__ import annotations

import re
import unicodedata

# One pattern with three disjoint alternatives and no nested repetition: a numeral (digits
# with inner separators), a word (letters with inner apostrophes) or any other single
# character. Every alternative is anchored on its first character class, so it cannot
# backtrack past the run it is reading.
_TOKEN_RE = re.compile(r"\d(?:[\d,.]*\d)?|[^\W\d_]+(?:['’][^\W\d_]+)*['’]?|\S")

NUM = "num"
WORD = "word"
PUNCT = "punct"


class Token:
    __slots__ = ("text", "low", "start", "end", "kind", "gap", "cap")

    def __init__(self, text: str, start: int, end: int, kind: str, gap: bool) -> None:
        self.text = text
        self.low = text.lower()
        self.start = start
        self.end = end
        self.kind = kind
        # Whether whitespace separates this token from the previous one: "20-30" and
        # "1.5m" read differently from "20 - 30" and "1.5 m".
        self.gap = gap
        self.cap = kind == WORD and text[0].isupper()

    def __repr__(self) -> str:
        return f"Token({self.text!r})"


def tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    prev_end = -1
    for m in _TOKEN_RE.finditer(text):
        s = m.group()
        c = s[0]
        if c.isdigit():
            kind = NUM
        elif c.isalpha():
            kind = WORD
        else:
            kind = PUNCT
        start = m.start()
        tokens.append(Token(s, start, m.end(), kind, start != prev_end))
        prev_end = m.end()
    return tokens


def fold(text: str) -> str:
    """Lowercase, drop accents and curly quotes, collapse spaces: the key for name lookups."""
    text = text.replace("’", "'").replace("‘", "'").replace("–", "-").replace("—", "-")
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.lower().split())


def base_word(low: str) -> str:
    """A word without its possessive ending: "syria's" -> "syria", "activists'" -> "activists"."""
    for suffix in ("'s", "’s"):
        if low.endswith(suffix):
            return low[:-2]
    if low.endswith(("'", "’")):
        return low[:-1]
    return low


def is_possessive(low: str) -> bool:
    return low.endswith(("'s", "’s"))


def span_text(text: str, tokens: list[Token], i: int, j: int) -> str:
    """The original words of tokens[i:j]."""
    if j <= i:
        return ""
    return text[tokens[i].start : tokens[j - 1].end]


def word_list(text: str) -> list[str]:
    """The words of a lexicon written as one string, which keeps long word lists readable."""
    return text.split()
