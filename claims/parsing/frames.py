"""Which time frame belongs to which count of a sentence.

periods.py reads every time expression of a sentence; this module decides, for each count,
which of them is its period: not the time of a statement, the frame of the count's own
clause first (a running total's and a part's clauses keep theirs to themselves), the
conjunct the count stands in, a look back from an "after" clause, and none for a record
("the deadliest since 2011").
"""

from __future__ import annotations

from datetime import timedelta

from claims.parsing.attribution import SAY_VERBS
from claims.parsing.dates import count_at, date_at
from claims.parsing.events import TOLL_VERBS
from claims.parsing.periods import UNITS, is_onset
from claims.parsing.tokens import (
    NUM,
    PUNCT,
    WORD,
    Token,
    has_word,
    is_possessive,
    low_at,
    tokenize,
    word_list,
    words_of,
)
from claims.parsing.types import TimeFrame

# The time of a statement, not of the events: "said on Monday", "in a statement on Tuesday",
# "figures released on Monday", "told reporters in Geneva on Tuesday".
_STATEMENT_VERBS = SAY_VERBS | frozenset(
    word_list("released published issued updated unveiled briefed presented compiled")
)
_STATEMENT_NOUNS = frozenset(
    word_list(
        "statement statements report briefing conference interview update bulletin tweet "
        "post communique message speech address release remarks"
    )
)
# Verbs that right after a time make it the statement's: "the ministry on Monday said".
_STATEMENT_AFTER = _STATEMENT_VERBS | frozenset(word_list("gave"))
# Verbs that right after a time make it the day a toll was given: "officials on Monday raised
# the toll to 40" reads like "the toll rose to 40 on Monday".
_TOLL_AFTER = frozenset(word_list("raised revised put lowered updated"))
# Passive tallies count events on that day: "40 new cases were reported on Monday".
_PASSIVE_TALLY = frozenset(word_list("reported recorded registered confirmed counted documented"))
_BE = frozenset(word_list("was were been being is are"))
# What may stand between a statement verb or noun and its time.
_STATEMENT_FILLER = frozenset(
    word_list(
        "on late early earlier later the a an in at with to its their his her this by "
        "reporters journalists lawmakers parliament media press news daily weekly latest new "
        "regular televised separate joint"
    )
)
_STATEMENT_REACH = 7
# Superlatives that make "since <date>" a comparison, not the count's period: "the deadliest
# attack since 2011".
_SUPERLATIVES = frozenset(
    word_list(
        "worst deadliest highest biggest largest most heaviest bloodiest lowest first "
        "greatest fiercest strongest longest fewest sharpest smallest hardest toughest "
        "severest best"
    )
)
# Words that open a running total inside a sentence: "..., bringing the toll this month to
# 400", "for a total of B so far this year".
_TOTAL_LEADS = frozenset(
    word_list("bringing raising taking pushing lifting putting increasing swelling")
)
_CONJUNCTIONS = frozenset(word_list("and but while whereas against versus compared"))
_CLOSED_LEADS = frozenset(word_list("after before following"))
_PARTITIVE_HEADS = frozenset(word_list("them whom those these"))
_TOTAL_NOUNS = frozenset(word_list("total toll tally number count"))
_SEGMENT_PUNCT = frozenset(",;:()[]—")
# Every word without which no clause but a punctuated one opens.
_CLAUSE_CUES = (
    _TOTAL_LEADS
    | _CLOSED_LEADS
    | _PARTITIVE_HEADS
    | frozenset(word_list("total toll tally including among when where"))
)
# Verbs whose object is the figure itself: "announced $404 million on Tuesday" dates it.
_OBJECT_VERBS = frozenset(
    word_list("announced announces pledged pledges promised unveiled approved allocated")
)
# Words ending in -ing that open an adverbial, not a participle clause about the speaker.
_ING_PREPOSITIONS = frozenset(
    word_list("during following including excluding regarding beginning starting")
)


_FILLER_OR_LINK = _STATEMENT_FILLER | {"and", "or"}  # once, not a new set each call


def is_statement_time(tokens: list[Token], first: int, end: int) -> bool:
    """Whether tokens[first:end] date a statement rather than what it reports: "said on
    Monday", "in a statement on Tuesday", "told reporters in Geneva on Tuesday", "figures
    released Monday", "the ministry on Monday said", "as of Monday"."""
    if end < len(tokens) and tokens[end].low in _STATEMENT_AFTER and first > 0:
        before = tokens[first - 1]
        if before.kind == WORD and before.low not in _FILLER_OR_LINK:
            return True
    if first >= 2 and tokens[first - 1].low == "of" and tokens[first - 2].low in {"as", "at"}:
        return True
    if first >= 1 and tokens[first - 1].low == "by" and not is_possessive(tokens[end - 1].low):
        # "reached 110 million by mid-May": where a running count stood, from no stated start.
        return True
    k = first - 1
    reach = first - _STATEMENT_REACH
    while k >= 0 and k >= reach:
        tok = tokens[k]
        low = tok.low
        if low in _STATEMENT_VERBS:
            return not (low in _PASSIVE_TALLY and k > 0 and tokens[k - 1].low in _BE)
        if low in _STATEMENT_NOUNS:
            return True
        if low in _STATEMENT_FILLER or tok.cap or tok.text in {".", "-", "'", "’"}:
            k -= 1
            continue
        # "a toll released by the interior ministry on Monday": past the agent to the verb.
        for b in range(k - 1, k - 5 if k > 5 else 0, -1):
            if tokens[b].low == "by":
                return tokens[b - 1].low in _STATEMENT_VERBS
            if tokens[b].kind != WORD:
                break
        return False
    return False


def _days_before(
    tokens: list[Token], lead: int, frames: list[tuple[int, int, TimeFrame]]
) -> TimeFrame | None:
    """The day of an "after" clause from "<day>, a day after ..." or "two days after"."""
    if low_at(tokens, lead) not in {"after", "before"} or lead < 2:
        return None
    unit = UNITS.get(tokens[lead - 1].low)
    read = count_at(tokens, lead - 2) if unit in {"day", "week"} else None
    if read is None or read[1] != lead - 1:
        if lead >= 3 and unit in {"day", "week"}:
            read = count_at(tokens, lead - 3)
            if read is None or read[1] != lead - 1:
                return None
        else:
            return None
    days = read[0] * (7 if unit == "week" else 1)
    if tokens[lead].low == "before":
        days = -days
    earlier = [f for f in frames if f[1] <= lead and f[2].kind == "day"]
    if not earlier:
        return None
    day = earlier[-1][2].start - timedelta(days=days)
    return TimeFrame(day, day, "day", earlier[-1][2].words)


def _announced_money(tokens: list[Token], anchor: int) -> bool:
    """ "announced $404 million in aid on Tuesday": money pledged exists from that day, so
    the day of the statement is its time (a toll "announced on Tuesday" has none)."""
    if anchor == 0 or tokens[anchor - 1].text not in {"$", "€", "£"}:
        return False
    return has_word(tokens, anchor - 4, anchor, _OBJECT_VERBS)


def _right_after_say(tokens: list[Token], first: int) -> bool:
    k = first - 1
    while k >= 0 and tokens[k].low in {"on", "late", "early"}:
        k -= 1
    return k >= 0 and tokens[k].low in SAY_VERBS


def _after_toll(tokens: list[Token], first: int, end: int) -> bool:
    """ "the toll rose to 2,901 on Tuesday", "officials on Tuesday raised the toll to 2,901":
    the day the running toll was given, not the period of the deaths (that is the
    incident's, "Friday's quake")."""
    if end < len(tokens) and tokens[end].low in _TOLL_AFTER:
        return True
    if TOLL_VERBS.isdisjoint(words_of(tokens)):
        return False  # the look back below ends on a toll verb or not at all
    seen_number = False
    for k in range(first - 1, first - 7 if first > 6 else -1, -1):
        tok = tokens[k]
        if tok.kind == NUM:
            seen_number = True
        elif tok.low in TOLL_VERBS:
            return seen_number
        elif tok.kind == PUNCT and tok.text not in {".", "-"}:
            return False
    return False


def _ends_clause(tok: Token) -> bool:
    """A comma, semicolon, colon, bracket or dash: the end of a clause."""
    return tok.kind == PUNCT and (
        tok.text in _SEGMENT_PUNCT or (tok.text in {"-", "–"} and tok.gap)
    )


class _Clauses:
    """The clauses of a sentence: `ids[k]` is the clause of token k, `kinds[c]` what clause c
    is ("total", "after", "part", "when" or ""), `first[c]` its first token.

    Commas, semicolons, dashes and brackets end clauses. A running total ("bringing the toll
    to 400", "for a total of 900") and a look back from the main event ("after 22 deaths")
    open a clause of their own with or without a comma; a part ("including 12 children",
    "many of them in Zahedan") and a "when" or "where" clause open one after a comma."""

    __slots__ = ("ids", "kinds", "first")

    def __init__(self, tokens: list[Token]) -> None:
        self.ids: list[int] = []
        self.kinds: dict[int, str] = {0: ""}
        self.first: dict[int, int] = {0: 0}
        ids = self.ids
        seg = 0
        n = len(tokens)
        if _CLAUSE_CUES.isdisjoint(words_of(tokens)):
            # Most sentences: only punctuation ends a clause. Only a mark can (_ends_clause),
            # so one pass finds the marks, and each clause's ids are added as one run (a
            # mark opens the clause after it) instead of one append a token.
            start = 0
            for k in [k for k, tok in enumerate(tokens) if tok.kind == PUNCT and _ends_clause(tok)]:
                ids += [seg] * (k - start)
                start = k
                seg += 1
                self.kinds[seg] = ""
                self.first[seg] = k + 1
            ids += [seg] * (n - start)
            return
        after_punct = False
        for k, tok in enumerate(tokens):
            low = tok.low
            if tok.kind == PUNCT and _ends_clause(tok):
                seg += 1
                self.kinds[seg] = ""
                self.first[seg] = k + 1
                ids.append(seg)
                after_punct = True
                continue
            kind = ""
            if (
                low in _TOTAL_LEADS
                and any(low_at(tokens, m) in _TOTAL_NOUNS for m in range(k + 1, min(n, k + 5)))
            ) or (
                low in {"for", "and"}
                and low_at(tokens, k + 1) in {"a", "an", "the"}
                and any(low_at(tokens, m) in {"total", "toll", "tally"} for m in (k + 2, k + 3))
            ):
                kind = "total"
            elif low in _CLOSED_LEADS and k > 0:
                kind = "after"
            elif after_punct and (
                low in {"including", "among"}
                or (low_at(tokens, k + 1) == "of" and low_at(tokens, k + 2) in _PARTITIVE_HEADS)
            ):
                kind = "part"
            elif after_punct and low in {"when", "where"}:
                kind = "when"
            if kind:
                if not after_punct:
                    seg += 1
                    self.first[seg] = k
                self.kinds[seg] = kind
            ids.append(seg)
            after_punct = False


# The clauses of the last sentence read: extraction asks once per count of a sentence. The
# entry holds its token list, so identity cannot match a different list.
_last_clauses: tuple[list[Token], _Clauses] | None = None


def _clauses_of(tokens: list[Token]) -> _Clauses:
    global _last_clauses
    cached = _last_clauses
    if cached is not None and cached[0] is tokens and len(cached[1].ids) == len(tokens):
        return cached[1]
    clauses = _Clauses(tokens)
    _last_clauses = (tokens, clauses)
    return clauses


def _as_background(tokens: list[Token], f: tuple[int, int, TimeFrame]) -> TimeFrame | None:
    """The date inside a frame read as itself: "since 2011" in "since 2011, when 300 died"
    is 2011 for the 300; "began in March 2011" is March 2011 for a sentence with no count."""
    frame = f[2]
    words = frame.words
    rest = words.split(None, 1)[1] if " " in words else ""
    sub = tokenize(rest)
    for k in range(len(sub)):
        try:
            dated = date_at(sub, k, frame.end, bare=k == 0 or sub[k].kind == NUM)
        except (ValueError, OverflowError):
            return None
        if dated is not None:
            kind = "day" if dated[2] == "day" else "span"
            return TimeFrame(dated[0], dated[1], kind, rest[sub[k].start : sub[dated[3] - 1].end])
    return None


def _is_comparison(tokens: list[Token], f: tuple[int, int, TimeFrame]) -> bool:
    """A frame after a superlative: "the worst violence since 2011", "the deadliest quake to
    hit the country in two decades". It measures the record, not a count."""
    first = tokens[f[0]].low
    if first != "since" and not (
        first in {"in", "over", "for", "during"}
        and f[2].kind == "span"
        and not UNITS.keys().isdisjoint(f[2].words.lower().split())  # a unit among the words
    ):
        return False
    for k in range(f[0] - 1, f[0] - 7 if f[0] > 6 else -1, -1):
        low = tokens[k].low
        if (
            low in _SUPERLATIVES
            and not (k > 0 and tokens[k - 1].low == "at")
            and low_at(tokens, k + 1) != "of"
        ):
            return True
        if tokens[k].kind == NUM or (tokens[k].kind == PUNCT and tokens[k].text not in ".-"):
            return False
    return False


def choose_frame(
    tokens: list[Token], frames: list[tuple[int, int, TimeFrame]], anchor: int | None
) -> TimeFrame | None:
    """The time frame of the count at token `anchor` (or of a sentence without a count).

    The time of a statement is nobody's period, and the day a running toll was given ("rose
    to 10 on Friday") only when the sentence names no other. A frame in the anchor's own
    clause comes first, the nearest one. A frame inside a running total's clause ("bringing
    the toll this month to 400") or a part's ("including 12 on Monday") belongs to that
    clause alone; a running total takes a frame from outside only when it is a running count
    itself. A count in an "after" clause takes no later day ("declared an outbreak on Monday
    after 22 deaths"), only one the words count back to ("on Friday, a day after strikes
    killed 20"). Between two times the one in the count's own conjunct wins ("8 on Christmas
    Day and 12 more on Boxing Day"). "since 2011, when 300 died" gives 300 the year 2011;
    "the deadliest since 2011" gives nobody a period. "The war, which began in April 2023,
    has killed 40,000" runs from April 2023."""
    if not frames:
        return None
    if anchor is None:
        # Without a count the statement may be the news ("announced $404 million at a
        # conference on Tuesday"); only "said on Monday" is never its time.
        pool = [f for f in frames if not _right_after_say(tokens, f[0])]
    elif _announced_money(tokens, anchor):
        pool = frames
    else:
        pool = [f for f in frames if not is_statement_time(tokens, f[0], f[1])]
    firm = [f for f in pool if not _after_toll(tokens, f[0], f[1])]
    if firm:
        pool = firm
    if not pool:
        return None
    if anchor is None:
        plain = [f for f in pool if not _is_comparison(tokens, f)]
        if not plain:
            return None
        if is_onset(tokens, plain[0][0]):
            # "The uprising began in March 2011": without a count, the month itself.
            return _as_background(tokens, plain[0]) or plain[0][2]
        return plain[0][2]
    clauses = _clauses_of(tokens)
    ids, kinds = clauses.ids, clauses.kinds
    where = ids[anchor] if anchor < len(ids) else -1
    if kinds.get(where) == "when":
        # "since 2014, when gunmen seized 276 schoolgirls": the anchor's time is 2014 itself.
        start = clauses.first[where]
        before = [f for f in pool if f[1] <= start]
        if before and before[-1][2].words.lower().startswith("since"):
            inside = [f for f in pool if ids[f[0]] == where]
            if not inside:
                return _as_background(tokens, before[-1])
    kept = [f for f in pool if not _is_comparison(tokens, f)]
    if not kept:
        return None

    def distance(f: tuple[int, int, TimeFrame]) -> tuple[bool, int, bool]:
        # A time belongs to the conjunct it stands in: "8 died on Christmas Day and 12 more on
        # Boxing Day" gives the 12 the later one, "12 on Monday and 30 on Tuesday" the 12 the
        # earlier. On a tie the time after the count wins.
        if f[0] < anchor:
            apart = has_word(tokens, f[1], anchor, _CONJUNCTIONS)
        else:
            apart = False
            for k in range(anchor + 1, f[0]):
                if tokens[k].kind == NUM:
                    apart = True
                    break
        return apart, min(abs(f[0] - anchor), abs(f[1] - 1 - anchor)), f[0] < anchor

    same = [f for f in kept if ids[f[0]] == where]
    if same:
        return min(same, key=distance)[2]
    kind = kinds.get(where, "")
    if kind == "part" and kinds.get(where - 1) == "total":
        # "raising the toll to 62, including at least 12 children": a part of the total.
        kind = "total"
    if kind == "after":
        # "declared an outbreak on Monday after 22 deaths": the deaths came before that day,
        # by as much as the words say ("on Friday, a day after strikes killed 20").
        return _days_before(tokens, clauses.first[where], kept)
    private = {c for c, k in kinds.items() if k in {"total", "part"}}
    if kind == "total":
        running = [f for f in kept if f[2].kind == "to_date" and ids[f[0]] not in private]
        return min(running, key=distance)[2] if running else None
    # "Visiting Hatay on Wednesday, Erdogan said ...": that day is the speaker's.
    speaker_clause = (
        tokens[0].kind == WORD
        and tokens[0].low.endswith("ing")
        and tokens[0].low not in _ING_PREPOSITIONS
    )
    outside = [
        f for f in kept if ids[f[0]] not in private and not (speaker_clause and ids[f[0]] == 0)
    ]
    return min(outside, key=distance)[2] if outside else None
