"""Tokeniser shared by every grammar in this package.

The grammars work on a flat token list with character offsets instead of on big regular
expressions: each one is a small hand-written state machine that looks a few tokens ahead,
so the cost stays linear in the length of the text whatever the input.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Container

# One pattern with three disjoint alternatives and no nested repetition: a numeral (digits
# with inner separators), a word (letters with inner apostrophes) or any other single
# character. Every alternative is anchored on its first character class, so it cannot
# backtrack past the run it is reading.
_TOKEN_RE = re.compile(r"\d(?:[\d,.]*\d)?|[^\W\d_]+(?:['’][^\W\d_]+)*['’]?|\S")

# Marks that often close a word or a numeral ("killed," "Monday." "2022,"): tokenize reads
# such a piece without the pattern.
_CLOSING_MARKS = frozenset(",.;:")

NUM = "num"
WORD = "word"
PUNCT = "punct"


class Token:
    __slots__ = ("text", "low", "base", "start", "end", "kind", "gap", "cap")

    def __init__(self, text: str, start: int, end: int, kind: str, gap: bool) -> None:
        self.text = text
        self.low = text.lower()
        # base_word(low), which the grammars ask of many words: "syria" for "Syria's".
        self.base = base_word(self.low)
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
    append = tokens.append
    new = Token.__new__
    finditer = _TOKEN_RE.finditer
    pos = 0
    # The text is cut at its spaces first: a piece of letters only is one word whatever the
    # pattern says (no token holds a space, and letters match its word alternative to the
    # end), so most words skip the pattern, which costs as much as the rest of this loop.
    # A few other common shapes ("killed," "2014" "—") are read here too; other pieces, and
    # any other whitespace within them, go through the pattern. A piece's first token always
    # has a gap before it (a space, or the start of the text, which counts as one).
    for piece in text.split(" "):
        if piece.isalpha():
            # Slots set here rather than through __init__: a sentence has some 25 tokens
            # and this loop is a tenth of the parse.
            end = pos + len(piece)
            tok = new(Token)
            tok.text = piece
            tok.low = tok.base = piece.lower()  # letters only: no possessive ending
            tok.start = pos
            tok.end = end
            tok.kind = WORD
            tok.cap = piece[0].isupper()
            tok.gap = True
            append(tok)
            pos = end + 1
            continue
        # A word, a possessive or a numeral, and perhaps a mark after it: "killed," "Syria's"
        # "2,000." are read as the pattern reads them (the mark is no letter, digit or
        # apostrophe, so it ends what comes before), without it.
        mark = piece[-1:]
        if mark in _CLOSING_MARKS:
            word = piece[:-1]
        else:
            word, mark = piece, ""
        head = _plain_word(word, pos)
        if head is not None:
            append(head)
            if mark:
                end = head.end
                tok = new(Token)
                tok.text = tok.low = tok.base = mark  # ",.;:" is itself in every form
                tok.start = end
                tok.end = end + 1
                tok.kind = PUNCT
                tok.cap = tok.gap = False
                append(tok)
            pos += len(piece) + 1
            continue
        if len(piece) == 1 and not piece.isalnum() and not piece.isspace():
            append(_mark(piece, pos))  # "—", "-"
            pos += 2
            continue
        prev_end = -1
        for m in finditer(text, pos, pos + len(piece)):
            s = m.group()
            start, end = m.span()
            tok = new(Token)
            tok.text = s
            tok.low = low = s.lower()
            tok.base = base_word(low) if low.endswith(_APOSTROPHE_ENDS) else low
            tok.start = start
            tok.end = end
            c = s[0]
            if c.isalpha():
                tok.kind = WORD
                tok.cap = c.isupper()
            else:
                tok.kind = NUM if c.isdigit() else PUNCT
                tok.cap = False
            tok.gap = start != prev_end
            append(tok)
            prev_end = end
        pos += len(piece) + 1
    return tokens


_POSSESSIVE_TAILS = frozenset(("'s", "’s"))
_APOSTROPHES = frozenset(("'", "’"))


def _plain_word(s: str, start: int) -> Token | None:
    """The token of a piece that is letters only, a possessive ("Syria's", "activists'") or
    a numeral ("2014", "2,000", "1.5"), as the pattern would read it; else None. A piece's
    first token: a gap before it."""
    if s.isalpha():
        kind = WORD
        low = base = s.lower()
    elif s[-2:] in _POSSESSIVE_TAILS and s[:-2].isalpha():
        kind = WORD
        low = s.lower()
        base = low[:-2]
    elif s[-1:] in _APOSTROPHES and s[:-1].isalpha():
        kind = WORD
        low = s.lower()
        base = low[:-1]
    elif (
        s[:1].isdecimal() and s[-1:].isdecimal() and s.replace(",", "").replace(".", "").isdecimal()
    ):
        # Digits with inner commas and points, from a digit to a digit: the pattern's
        # numeral reads all of it.
        kind = NUM
        low = base = s
    else:
        return None
    tok = Token.__new__(Token)
    tok.text = s
    tok.low = low
    tok.base = base
    tok.start = start
    tok.end = start + len(s)
    tok.kind = kind
    tok.cap = kind is WORD and s[0].isupper()
    tok.gap = True
    return tok


def _mark(s: str, start: int) -> Token:
    """A piece that is one mark ("—", "-"), made without the pattern."""
    tok = Token.__new__(Token)
    tok.text = s
    tok.low = low = s.lower()
    tok.base = "" if low in _APOSTROPHES else low  # base_word's, for a lone apostrophe too
    tok.start = start
    tok.end = start + 1
    tok.kind = PUNCT
    tok.cap = False
    tok.gap = True
    return tok


# One C-level pass over a decomposed name: accents dropped, curly quotes and long dashes
# made plain, and the dotless i of Turkish names read as i. The gazetteer folds some
# 700,000 names at start-up with it.
_FOLD_TABLE: dict[int, str | None] = {
    cp: None for cp in range(0x300, 0x10000) if unicodedata.combining(chr(cp))
}
_FOLD_TABLE.update({ord("’"): "'", ord("‘"): "'", ord("–"): "-", ord("—"): "-", ord("ı"): "i"})


def fold(text: str) -> str:
    """Lowercase, drop accents and curly quotes, collapse spaces: the key for name lookups.
    Every register's key (places, sources, aliases) is this, with its own steps on top."""
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text).translate(_FOLD_TABLE)
    return " ".join(text.lower().split())


_APOSTROPHE_ENDS = ("'s", "’s", "'", "’")


def base_word(low: str) -> str:
    """A word without its possessive ending: "syria's" -> "syria", "activists'" -> "activists"."""
    if not low.endswith(_APOSTROPHE_ENDS):
        # Nearly every word: one test instead of three.
        return low
    if low.endswith(("'s", "’s")):
        return low[:-2]
    return low[:-1]


# A hot loop tests low.endswith(POSSESSIVE_ENDS) itself rather than call is_possessive.
POSSESSIVE_ENDS = ("'s", "’s")


def is_possessive(low: str) -> bool:
    return low.endswith(POSSESSIVE_ENDS)


# The words of the last token list asked about. The grammars of one sentence ask in turn,
# and the entry holds the list itself, so identity cannot match a different one; a thread
# that races another only misses the entry.
_last_words: tuple[list[Token], frozenset[str], int] | None = None


def words_of(tokens: list[Token]) -> frozenset[str]:
    """The lowercase texts of the tokens as a set: a grammar whose cue words are all absent
    from a sentence need not walk it."""
    global _last_words
    cached = _last_words
    if cached is not None and cached[0] is tokens and len(tokens) == cached[2]:
        return cached[1]
    words = frozenset([t.low for t in tokens])
    _last_words = (tokens, words, len(tokens))
    return words


def has_word(tokens: list[Token], lo: int, hi: int, words: Container[str]) -> bool:
    """Whether any of tokens[lo:hi] is one of the words. A loop rather than any() over a
    generator: the grammars ask this some thirty times a sentence."""
    # A comparison, not max(): builtin min() and max() cost more than the loop's test.
    for k in range(lo if lo > 0 else 0, hi):  # noqa: SIM110 (see above)
        if tokens[k].low in words:
            return True
    return False


def low_at(tokens: list[Token], i: int) -> str:
    """The lowercase text of tokens[i], or "" past the end: lookahead without bounds checks."""
    return tokens[i].low if i < len(tokens) else ""


def span_text(text: str, tokens: list[Token], i: int, j: int) -> str:
    """The original words of tokens[i:j]."""
    if j <= i:
        return ""
    return text[tokens[i].start : tokens[j - 1].end]


def word_list(text: str) -> list[str]:
    """The words of a lexicon written as one string, which keeps long word lists readable."""
    return text.split()
