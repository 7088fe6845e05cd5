"""Numbers and their hedges, read into the intervals of the DESIGN table.

A number is read by a small state machine over tokens (numerals with separators and scale
words, number words, vague plurals); the hedge before or after it decides the interval.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from claims.parsing.tokens import (
    NUM,
    PUNCT,
    WORD,
    Token,
    has_word,
)
from claims.parsing.types import maker

SMALL: dict[str, int] = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
TENS: dict[str, int] = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fourty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
BIG: dict[str, int] = {
    "thousand": 1_000,
    "million": 1_000_000,
    "billion": 1_000_000_000,
    "trillion": 1_000_000_000_000,
}
# Suffixes written against a numeral: "1.5m", "$2bn", "10k".
SUFFIX_SCALE: dict[str, int] = {
    "m": 1_000_000,
    "mn": 1_000_000,
    "mln": 1_000_000,
    "million": 1_000_000,
    "bn": 1_000_000_000,
    "b": 1_000_000_000,
    "billion": 1_000_000_000,
    "k": 1_000,
    "thousand": 1_000,
}
CURRENCY: dict[str, str] = {"$": "dollars", "€": "euros", "£": "pounds"}

# Plural vague words and the interval each stands for (DESIGN: dozens [24, 99] ...).
VAGUE: dict[str, tuple[int, int]] = {
    "dozens": (24, 99),
    "scores": (40, 99),
    "hundreds": (200, 999),
    "thousands": (2_000, 9_999),
    "millions": (2_000_000, 9_999_999),
    "billions": (2_000_000_000, 9_999_999_999),
}
# "several hundred", "a few thousand": the same intervals as the plurals.
VAGUE_SINGULAR: dict[str, tuple[int, int]] = {
    "dozen": (24, 99),
    "hundred": (200, 999),
    "thousand": (2_000, 9_999),
    "million": (2_000_000, 9_999_999),
}
_TENS_OF: dict[str, tuple[int, int]] = {
    "thousands": (20_000, 99_999),
    "millions": (20_000_000, 99_999_999),
}
_HUNDREDS_OF: dict[str, tuple[int, int]] = {
    "thousands": (200_000, 999_999),
    "millions": (200_000_000, 999_999_999),
}

# Hedges written before a number, longest first when looked up; the value is the qualifier,
# with "nearly" kept apart because its interval differs from "about".
PREFIX_HEDGES: dict[tuple[str, ...], str] = {
    ("about",): "approx",
    ("around",): "approx",
    ("some",): "approx",
    ("roughly",): "approx",
    ("approximately",): "approx",
    ("approx",): "approx",
    ("circa",): "approx",
    ("estimated",): "approx",
    ("an", "estimated"): "approx",
    ("nearly",): "nearly",
    ("almost",): "nearly",
    ("close", "to"): "nearly",
    ("just", "under"): "nearly",
    ("just", "shy", "of"): "nearly",
    ("at", "least"): "at_least",
    ("no", "fewer", "than"): "at_least",
    ("no", "less", "than"): "at_least",
    ("not", "less", "than"): "at_least",
    ("not", "fewer", "than"): "at_least",
    ("a", "minimum", "of"): "at_least",
    ("more", "than"): "more_than",
    ("over",): "more_than",
    ("well", "over"): "more_than",
    ("just", "over"): "more_than",
    ("upwards", "of"): "more_than",
    ("upward", "of"): "more_than",
    ("in", "excess", "of"): "more_than",
    ("above",): "more_than",
    ("past",): "more_than",
    ("passed",): "more_than",
    ("topped",): "more_than",
    ("surpassed",): "more_than",
    ("exceeded",): "more_than",
    ("exceeding",): "more_than",
    ("up", "to"): "at_most",
    ("as", "many", "as"): "at_most",
    ("as", "much", "as"): "at_most",
    ("at", "most"): "at_most",
    ("no", "more", "than"): "at_most",
    ("not", "more", "than"): "at_most",
    ("a", "maximum", "of"): "at_most",
    ("fewer", "than"): "fewer_than",
    ("less", "than"): "fewer_than",
    ("under",): "fewer_than",
    ("below",): "fewer_than",
}
_MAX_HEDGE = max(len(k) for k in PREFIX_HEDGES)
# The last word of every hedge: a number after any other word has none.
_HEDGE_ENDS = frozenset(k[-1] for k in PREFIX_HEDGES)
# Verbs after which "from 300 to 400" is a change, not a range: the figure is the last one.
RISE_WORDS = frozenset(
    {
        "rose",
        "risen",
        "rising",
        "rises",
        "climbed",
        "climbing",
        "increased",
        "jumped",
        "grew",
        "raised",
        "raising",
        "revised",
        "fell",
        "dropped",
        "lowered",
        "up",
        "toll",
        "soared",
        "surged",
    }
)
_MAX_DIGITS = 18


@dataclass(slots=True)
class NumberRead:
    low: int
    high: int
    end: int  # index after the last token read
    vague: bool
    decimal: bool  # a fraction with no scale word: magnitudes, measures
    currency: str  # "dollars" for "$5", else ""
    scale: int = 1  # the scale word read after a numeral: "2 to 3 million" shares it


# NumberRead(...) without type.__call__ (see types.maker): made in the grammars' loops.
_number_read = maker(NumberRead)


@dataclass(slots=True)
class QuantityHit:
    low: int
    high: int | None
    qualifier: str
    first: int  # first token, hedge included
    num_start: int  # first token of the number itself
    end: int  # index after the number (and any hedge after it)
    vague: bool
    decimal: bool
    currency: str
    value: int  # the figure as written, before the hedge widens it


# QuantityHit(...) without type.__call__ (see types.maker): made in the grammars' loops.
_quantity_hit = maker(QuantityHit)


_floor = math.floor


def _round(x: float) -> int:
    return int(math.floor(x + 0.5))


def _numeral(text: str) -> float | None:
    if len(text) > _MAX_DIGITS + 6:
        return None
    if "," in text:
        head, _, tail = text.partition(".") if "." in text else (text, "", "")
        groups = head.split(",")
        if not (1 <= len(groups[0]) <= 3):
            return None
        for g in groups[1:]:  # a loop, not any() over a generator: every numeral passes here
            if len(g) != 3:
                return None
        if tail and "," in tail:
            return None
        text = "".join(groups) + ("." + tail if tail else "")
    if text.count(".") > 1:
        return None
    # Nearly every numeral is digits only, and then its length is their count.
    digits = len(text) if text.isdigit() else sum(map(str.isdigit, text))
    if digits > _MAX_DIGITS:
        return None
    try:
        return float(text) if "." in text else float(int(text))
    except ValueError:
        return None


def _word_number(tokens: list[Token], i: int) -> tuple[int, int] | None:
    """Number words from tokens[i]: "twenty-three", "one hundred and five", "a dozen"."""
    n = len(tokens)
    total = 0
    current = 0
    seen = False
    last_small = -1  # value of the last small word, to allow "twenty five" but not "five six"
    j = i
    while j < n:
        tok = tokens[j]
        w = tok.low
        if tok.kind != WORD:
            break
        if w in TENS or w in SMALL:
            v = TENS.get(w, SMALL.get(w, 0))
            step = 1
            if (
                w in TENS
                and j + 2 < n
                and tokens[j + 1].text in "-–"
                and not tokens[j + 1].gap
                and not tokens[j + 2].gap
                and tokens[j + 2].low in SMALL
                and 1 <= SMALL[tokens[j + 2].low] <= 9
            ):
                v += SMALL[tokens[j + 2].low]
                step = 3
            if last_small >= 0 and not (last_small % 10 == 0 and last_small >= 20 and v < 10):
                break
            current += v
            last_small = v
            seen = True
            j += step
            continue
        if w in {"a", "an"} and not seen and j + 1 < n:
            nxt = tokens[j + 1].low
            if nxt in BIG or nxt in {"hundred", "dozen"}:
                current = 1
                seen = True
                last_small = -1
                j += 1
                continue
            break
        if w == "half" and not seen and j + 2 < n and tokens[j + 1].low == "a":
            nxt = tokens[j + 2].low
            if nxt in BIG or nxt in {"hundred", "dozen"}:
                scale = BIG.get(nxt, 100 if nxt == "hundred" else 12)
                return scale // 2, j + 3
            break
        if not seen:
            break
        if w in {"hundred", "dozen"}:
            current = max(current, 1) * (100 if w == "hundred" else 12)
            last_small = -1
            j += 1
            continue
        if w in BIG:
            total += max(current, 1) * BIG[w]
            current = 0
            last_small = -1
            j += 1
            continue
        if (
            w == "and"
            and j + 1 < n
            and (tokens[j + 1].low in SMALL or tokens[j + 1].low in TENS)
            and (total > 0 or current >= 100)
        ):
            j += 1
            continue
        break
    if not seen:
        return None
    return total + current, j


def read_number(tokens: list[Token], i: int) -> NumberRead | None:
    """Read one number starting at tokens[i], or None."""
    n = len(tokens)
    tok = tokens[i]
    currency = ""
    if tok.kind == PUNCT and tok.text in CURRENCY and i + 1 < n and tokens[i + 1].kind == NUM:
        currency = CURRENCY[tok.text]
        i += 1
        tok = tokens[i]
    if tok.kind == NUM:
        value = _numeral(tok.text)
        if value is None:
            return None
        j = i + 1
        scaled = False
        before = value
        if j < n and tokens[j].kind == WORD and not tokens[j].gap:
            suffix = tokens[j].low
            if suffix in SUFFIX_SCALE:
                value *= SUFFIX_SCALE[suffix]
                scaled = True
                j += 1
            else:
                # "12th", "1990s", "7pm", "4km": ordinals, decades and measures, not counts.
                return None
        elif j < n and tokens[j].kind == WORD and tokens[j].low in BIG:
            value *= BIG[tokens[j].low]
            scaled = True
            j += 1
        elif j < n and tokens[j].low == "hundred":
            value *= 100
            scaled = True
            j += 1
            if j < n and tokens[j].low in BIG:
                value *= BIG[tokens[j].low]
                j += 1
        decimal = "." in tok.text and not scaled
        v = int(_floor(value + 0.5))  # _round, written out: every numeral passes here
        scale = _round(value / before) if scaled and before else 1
        return _number_read(v, v, j, False, decimal, currency, scale)
    if tok.kind != WORD:
        return None
    w = tok.low
    if w in VAGUE:
        if w == "scores" and not (i + 1 < n and tokens[i + 1].low == "of"):
            return None
        if (
            w == "hundreds"
            and i + 2 < n
            and tokens[i + 1].low == "of"
            and tokens[i + 2].low in _HUNDREDS_OF
        ):
            lo, hi = _HUNDREDS_OF[tokens[i + 2].low]
            return _number_read(lo, hi, i + 3, True, False, currency)
        lo, hi = VAGUE[w]
        return _number_read(lo, hi, i + 1, True, False, currency)
    if w == "tens" and i + 2 < n and tokens[i + 1].low == "of" and tokens[i + 2].low in _TENS_OF:
        lo, hi = _TENS_OF[tokens[i + 2].low]
        return _number_read(lo, hi, i + 3, True, False, currency)
    if w in {"several", "few"} or (w == "a" and i + 1 < n and tokens[i + 1].low == "few"):
        j = i + 2 if w == "a" else i + 1
        if j < n and tokens[j].low in VAGUE_SINGULAR:
            lo, hi = VAGUE_SINGULAR[tokens[j].low]
            j += 1
            if tokens[j - 1].low == "hundred" and j < n and tokens[j].low == "thousand":
                lo, hi = 200_000, 999_999
                j += 1
            return _number_read(lo, hi, j, True, False, currency)
        return None
    read = _word_number(tokens, i)
    if read is None:
        return None
    value, j = read
    last = tokens[j - 1].low
    scale = BIG.get(last, 100 if last == "hundred" else 1)
    return _number_read(value, value, j, False, False, currency, scale)


def _hedge_before(tokens: list[Token], i: int) -> tuple[str, int] | None:
    """The hedge ending just before tokens[i], as (qualifier, index of its first token)."""
    if i == 0 or tokens[i - 1].low not in _HEDGE_ENDS:
        return None
    # The words before i read once; each hedge length, longest first, is a tail of them.
    before = [tokens[k].low for k in range(i - _MAX_HEDGE if i > _MAX_HEDGE else 0, i)]
    for size in range(len(before), 0, -1):
        q = PREFIX_HEDGES.get(tuple(before[-size:]))
        if q is not None:
            return q, i - size
    return None


def interval(value: int, qualifier: str, tolerance: float) -> tuple[int, int | None, str]:
    """The DESIGN interval for one figure and its hedge: (low, high, qualifier)."""
    if qualifier == "approx":
        return _round(value * (1 - tolerance)), _round(value * (1 + tolerance)), "approx"
    if qualifier == "nearly":
        return _round(value * (1 - tolerance)), value, "approx"
    if qualifier == "at_least":
        return value, None, "at_least"
    if qualifier == "more_than":
        return value + 1, None, "more_than"
    if qualifier == "at_most":
        return 0, value, "at_most"
    if qualifier == "fewer_than":
        return 0, max(value - 1, 0), "fewer_than"
    return value, value, "exact"


# Words a number can open with: "twelve", "forty", "dozens", "a hundred", "several".
_NUMBER_START_WORDS = frozenset(
    [*SMALL, *TENS, *VAGUE, "a", "an", "half", "several", "few", "tens"]
)


# Every lowercase text a number can start on, the currency signs among them.
_NUMBER_OPENERS = _NUMBER_START_WORDS | frozenset(CURRENCY)


def find_quantities(
    tokens: list[Token], masked: set[int] | frozenset[int], tolerance: float
) -> list[QuantityHit]:
    """Every number in the tokens that is not part of a time expression, with its hedge."""
    hits: list[QuantityHit] = []
    # One pass picks the tokens that can open a number (nearly every word opens none); the
    # loop then reads from each in turn, skipping those inside the last number read.
    starts = [k for k, t in enumerate(tokens) if t.kind == NUM or t.low in _NUMBER_OPENERS]
    i = 0
    for at in starts:
        if at < i or at in masked:
            continue
        i = at
        tok = tokens[i]
        read = read_number(tokens, i)
        if read is None or not masked.isdisjoint(range(i, read.end)):
            i += 1
            continue
        # A number glued to the word before it is part of a name or a clock time: "F-16",
        # "COVID-19", "M14", "4:17".
        if i > 0 and not tok.gap and tok.kind == NUM:
            prev = tokens[i - 1]
            glued = prev.kind == WORD or prev.text in ":/"
            glued = glued or (
                prev.text in "-–" and i > 1 and tokens[i - 2].kind == WORD and not prev.gap
            )
            if glued:
                i = read.end
                continue
        hit = _hedged(tokens, i, read, masked, tolerance)
        hits.append(hit)
        i = hit.end
    return hits


def _hedged(
    tokens: list[Token],
    i: int,
    read: NumberRead,
    masked: set[int] | frozenset[int],
    tolerance: float,
) -> QuantityHit:
    n = len(tokens)
    first = i
    hedge = _hedge_before(tokens, i)
    qualifier = "exact"
    if hedge is not None:
        qualifier, first = hedge
    end = read.end
    low: int = read.low
    high: int | None = read.high
    value = read.low
    currency = read.currency

    # Second figure of a range: "20 to 30", "20-30", "between 20 and 30", "two or three".
    if end + 1 < n and end not in masked and end + 1 not in masked:
        link = tokens[end].low
        between = i > 0 and tokens[i - 1].low == "between"
        from_ = i > 0 and tokens[i - 1].low == "from"
        ok = (
            (link in {"-", "–"} and (link == "–" or not tokens[end].gap))
            or link == "to"
            or (link == "and" and between)
            or (link == "or" and tokens[end + 1].low not in {"more", "so"})
        )
        second = read_number(tokens, end + 1) if ok else None
        if second is not None and not read.vague and not second.vague:
            lo2 = second.low
            lo1 = read.low
            # "2 to 3 million": the first figure borrows the scale word of the second.
            if read.scale == 1 and second.scale > 1 and lo1 * second.scale <= lo2:
                k = i + 1 if read.currency else i
                raw = _numeral(tokens[k].text) if tokens[k].kind == NUM else None
                lo1 = _round((raw if raw is not None else lo1) * second.scale)
                if lo1 > lo2:
                    lo1 = read.low
            rise = from_ and has_word(tokens, i - 5, i - 1, RISE_WORDS)
            if rise:
                value = lo2
                low, high = lo2, lo2
                qualifier = "exact"
            else:
                low, high = min(lo1, lo2), max(lo1, lo2)
                qualifier = "range"
                value = high
            if between or from_:
                first = i - 1
            end = second.end
            return _quantity_hit(
                low, high, qualifier, first, i, end, False, read.decimal, currency, value
            )

    # Hedges after the figure: "400 or more", "400 or so", "400-plus".
    if end + 1 < n and tokens[end].low == "or" and tokens[end + 1].low in {"more", "so"}:
        qualifier = "at_least" if tokens[end + 1].low == "more" else "approx"
        end += 2
    elif end < n and tokens[end].low == "plus":
        qualifier = "more_than"
        end += 1
    elif (
        end + 1 < n
        and tokens[end].text in "-–"
        and not tokens[end].gap
        and tokens[end + 1].low == "plus"
    ):
        qualifier = "more_than"
        end += 2

    if read.vague:
        if qualifier in {"at_least", "more_than"}:
            return _quantity_hit(
                read.low, None, qualifier, first, i, end, True, False, currency, read.low
            )
        if qualifier in {"at_most", "fewer_than"}:
            return _quantity_hit(
                0, read.high, qualifier, first, i, end, True, False, currency, read.high
            )
        return _quantity_hit(
            read.low, read.high, "vague", first, i, end, True, False, currency, read.low
        )
    low, high, qualifier = interval(value, qualifier, tolerance)
    return _quantity_hit(low, high, qualifier, first, i, end, False, read.decimal, currency, value)
