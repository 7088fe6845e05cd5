"""The counts of one sentence: which numbers count something, what each counts (people, a
unit, money), and the clause each one owns.

A sentence often gives several counts ("5 killed and 12 injured", "300 arrested, including
120 in Moscow and 80 in St Petersburg"): it is cut into one clause per count, and each count
is read as a part of another, a background figure, a projection, a rate or the other side of
a comparison, and given its event. extract.py then gives each count its period, place and
source.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from claims.parsing.attribution import (
    SAY_VERBS,
)
from claims.parsing.events import (
    AGE_WORDS,
    EVENT_OPENERS,
    EVENT_WORDS,
    KIN_WORDS,
    MONEY_UNITS,
    MONEY_WORDS,
    NOT_COUNTED,
    POPULATION,
    TOLL_VERBS,
    UNITS,
    event_at,
    is_people_word,
    population_of,
)
from claims.parsing.numbers import QuantityHit, find_quantities, read_number
from claims.parsing.periods import find_time_frames, parse_time_frame
from claims.parsing.tokens import NUM, WORD, Token, has_word, tokenize, word_list, words_of
from claims.parsing.types import (
    Quantity,
    TimeFrame,
    maker,
)

# Words before a number that make it a label, not a count: "Resolution 2139", "Route 5".
_LABEL_WORDS = frozenset(
    word_list(
        "resolution resolutions route highway road motorway article articles flight room gate "
        "building block sector zone chapter section paragraph number no phase round category "
        "level grade unit platoon brigade division battalion regiment page line lane street "
        "avenue apartment floor storey bus train terminal pier item point stage ward bed exit "
        "figure table geneva minsk magnitude size kilometre kilometer km mile mark camp post "
        "checkpoint district year decree law act code channel squad"
    )
)
# Words that end the noun phrase after a number.
_PHRASE_STOPS = frozenset(
    word_list(
        "were was have had has are is be been being will would could may might in at on to "
        "from and or but including of across since with by after during as mostly mainly "
        "among who that which while when where according said says including, amid over "
        "under into inside near outside around throughout this last so more than a an the "
        "their its his her our in"
    )
)
_STREET_WORDS = frozenset(
    word_list("street st road rd avenue ave lane boulevard blvd square drive way place")
)
_AFTER_EVENT_GAP = 8
_BEFORE_EVENT_GAP = 12
# Where one count's clause ends and the next one's begins: "5 killed, and 12 injured",
# "300 arrested nationwide, including 120 in Moscow".
_CLAUSE_PUNCT = frozenset({",", ";", ":", "(", "—"})
_CLAUSE_WORDS = frozenset(
    word_list(
        "and while whereas but with including among plus when where compared against versus "
        "bringing raising pushing taking"
    )
)
# Words that may stand between a figure and its own event word: "12 were later found dead",
# "hundreds more wounded".
_AFTER_FILLERS = frozenset(
    word_list(
        "were was is are be been being have has had reportedly also all later allegedly "
        "confirmed believed feared presumed thought now already still remain remained remains "
        "more other who that which left found initially officially"
    )
)
# ... and between an event word and the figure after it: "the dead included 12 children".
_BEFORE_FILLERS = frozenset(
    word_list("the a an were was are is included include includes including among of")
)
# A part of the count before it: "including 12 children", "among them 12 women".
_PART_CUES = frozenset({"including", "among", "includes", "included", "include"})
# "12 more than the number cited by X": the difference to another source's figure.
_DELTA_WORDS = {"more": 1, "higher": 1, "fewer": -1, "less": -1, "lower": -1}
COMPARED_NOUNS = frozenset(
    word_list(
        "number numbers figure figures toll tolls count counts tally tallies estimate "
        "estimates total totals"
    )
)
COMPARED_VERBS = frozenset(
    word_list(
        "cited given reported released provided issued announced published put quoted stated "
        "offered"
    )
)
# An earlier time to compare with: "up from 300", "compared with 250 a year earlier".
_COMPARISON_LEADS = frozenset(word_list("compared against versus"))
# Projections: "could be in the thousands", "might reach 1,000", "is expected to top 500".
_MODALS = frozenset(word_list("could might may would will"))
_RISE_VERBS = frozenset(
    word_list(
        "rise reach climb exceed top surpass hit grow increase double triple soar go be pass "
        "die perish"
    )
)
_EXPECT_WORDS = frozenset(word_list("expected feared likely projected forecast predicted set"))
_MODAL_FILLERS = frozenset(word_list("likely well still soon eventually easily yet even further"))
# Rates: "up to 2,000 a day", "300 people per week", "500 daily".
_RATE_UNITS = {
    "day": "day",
    "days": "day",
    "week": "week",
    "month": "month",
    "year": "year",
    "hour": "hour",
}
_RATE_ADVERBS = {
    "daily": "day",
    "weekly": "week",
    "monthly": "month",
    "annually": "year",
    "yearly": "year",
    "hourly": "hour",
}
_RATE_LEADS = frozenset({"a", "an", "per", "each", "every"})
_NOT_RATE_BEFORE = frozenset(word_list("in within for over of on single one"))
_NOT_RATE_AFTER = frozenset(word_list("after before earlier later ago of when"))
_RATE_STOPS = frozenset(word_list("and but while when after before since as because"))
# "said one man", "two witnesses told AP": a speaker, not a count.
_POSSESSIVE_DETERMINERS = frozenset(word_list("his her their whose my our your its"))
_KIN_MODIFIERS = frozenset(word_list("grown adult young surviving own small little"))
_KIN_PARENTS = frozenset(
    word_list("father mother parent parents grandfather grandmother grandparent")
)
# The background of a count: "since 1939, when a tremor killed 33,000".
_BACKGROUND_LINKS = frozenset({"when", "where"})
_PAST_LEADS = frozenset({"since", "in", "on", "during"})
BACKGROUND_AGE = timedelta(days=365)
_OF_DETERMINERS = frozenset(word_list("the its their his her these those our"))
# "two or three children in each bed", "five per family": a ratio, not a count.
_DISTRIBUTIVE = frozenset(word_list("each per every apiece"))


@dataclass(eq=False)
class Count:
    hit: QuantityHit
    unit: str
    population: str
    noun: int | None  # token index of the head noun, if any
    strength: int
    bare: bool = False  # no noun of its own: "760 wounded", "and 80 in St Petersburg"
    end: int = 0  # token index after the figure phrase
    lo: int = 0  # the count's clause is tokens[lo:hi]
    hi: int = 0
    private: int = 0  # a part's own words end here: ", 37 of them students, in an attack"
    part: bool = False
    whole: Count | None = None
    background: bool = False
    projection: bool = False
    delta: int = 0  # +1: "12 more than the figure of X"; -1: "12 fewer than ..."
    rate: str = ""  # "day" for "2,000 a day"
    own_event: int | None = None  # an event word right next to the figure
    event: str | None = None


# Count(...) without type.__call__ (see types.maker): made in the grammars' loops.
_count = maker(Count)


def _noun_after(tokens: list[Token], hit: QuantityHit) -> tuple[str, int | None]:
    """What the number counts: ("people"|"unit:<u>"|"not"|"bare"|"unknown", head index)."""
    n = len(tokens)
    k = hit.end
    if hit.vague and k < n and tokens[k].low == "of":
        k += 1
        if k < n and tokens[k].low in _OF_DETERMINERS:
            k += 1  # "hundreds of its fighters"
    elif k + 1 < n and tokens[k].low == "of" and tokens[k + 1].low in {"them", "those"}:
        return "bare", None
    elif k + 2 < n and tokens[k].low == "of" and tokens[k + 1].low in _OF_DETERMINERS:
        # "12 of the dead", "nearly 100 of the Chibok girls": a part named by its noun.
        m = k + 2
        while m < n and m - k < 5 and tokens[m].kind == WORD:
            if tokens[m].base in POPULATION or is_people_word(tokens[m]):
                return "people", m
            m += 1
        return "bare", None
    unknown: int | None = None
    steps = 0
    while k < n and steps < 5:
        tok = tokens[k]
        steps += 1
        if tok.kind != WORD:
            if tok.text in "-–" and not tok.gap:
                k += 1
                continue
            if tok.text == "." and not tok.gap and len(tokens[k - 1].text) == 1:
                k += 1  # "13 U.S. troops"
                steps -= 1
                continue
            if tok.text == "%":
                return "not", k
            if tok.kind == NUM and _glued(tokens, k):
                k += 1  # "COVID-19 deaths"
                continue
            break
        low = tok.base
        if (low in POPULATION or is_people_word(tok) or low in UNITS) and not _modifies_next(
            tokens, k
        ):
            if low in UNITS:
                return "unit:" + UNITS[low], k
            return "people", k
        if low in NOT_COUNTED or low == "old":
            return "not", k
        if low in EVENT_WORDS and unknown is not None and tok.low.endswith("s"):
            return "unknown", k  # "1 million COVID-19 deaths", "537 new mpox deaths"
        if low in EVENT_WORDS or low in _PHRASE_STOPS:
            break
        if tok.cap and unknown is None and steps == 1 and k + 1 < n and tokens[k + 1].cap:
            # "10 Downing Street": capitalised words after a number that end in a street.
            m = k
            while m < n and m - k < 4 and tokens[m].cap:
                if tokens[m].low.rstrip(".") in _STREET_WORDS:
                    return "not", m
                m += 1
        unknown = k
        k += 1
    if unknown is not None:
        return "unknown", unknown
    return "bare", None


def _glued(tokens: list[Token], k: int) -> bool:
    """A numeral that is part of a name: "COVID-19", "F-16"."""
    if tokens[k].gap or k < 2:
        return False
    prev = tokens[k - 1]
    return prev.text in "-–" and not prev.gap and tokens[k - 2].kind == WORD


def _modifies_next(tokens: list[Token], k: int) -> bool:
    """ "rebel-held districts", "rebel fighters": the noun is a modifier of the next one."""
    if k + 1 >= len(tokens):
        return False
    nxt = tokens[k + 1]
    if nxt.text in "-–" and not nxt.gap:
        return True
    if nxt.kind != WORD:
        return False
    low = nxt.base
    if low == "per" and k + 2 < len(tokens) and tokens[k + 2].low in _RATE_UNITS:
        return False  # "150 patients per day"
    return low in POPULATION or low in UNITS or low in NOT_COUNTED


def _is_label_or_age(tokens: list[Token], hit: QuantityHit) -> bool:
    i = hit.num_start
    n = len(tokens)
    prev = tokens[i - 1].low.rstrip(".") if i > 0 else ""
    if hit.first == i and prev in _LABEL_WORDS:
        return True
    if prev in AGE_WORDS or (i > 1 and prev == "of" and tokens[i - 2].low in AGE_WORDS):
        return True
    if hit.qualifier in {"fewer_than", "more_than"} and hit.first > 0:
        before = tokens[hit.first - 1]
        if before.kind == WORD and (before.base in POPULATION):
            # "children under five", "people over 65": an age limit.
            return True
    end = hit.end
    if end < n and tokens[end].text == ":" and not tokens[end].gap:
        return True
    if (
        hit.first == i
        and i > 1
        and prev == ","
        and tokens[i - 2].cap
        and end < n
        and tokens[end].text == ","
        and tokens[i].kind == NUM
    ):
        return True  # "Pope Francis, 76, said": an age in apposition
    if end < n and (
        tokens[end].low in {"am", "pm", "o'clock", "gmt"}
        or (tokens[end].low in {"a", "p"} and end + 1 < n and tokens[end + 1].text == ".")
    ):
        return True
    # Years outside a time expression: "the 2011 uprising", "in the 1990s".
    # "2000 people", though, is a count.
    tok = tokens[i]
    return (
        hit.qualifier == "exact"
        and tok.kind == NUM
        and len(tok.text) == 4
        and tok.text.isdigit()
        and 1900 <= int(tok.text) <= 2100
        and hit.end == i + 1
        and _noun_after(tokens, hit)[0] not in {"people", "unit"}
        and not _noun_after(tokens, hit)[0].startswith("unit:")
    )


def _event_near(tokens: list[Token], hit: QuantityHit, noun: int | None, masked: set[int]) -> bool:
    if noun is not None and tokens[noun].base in EVENT_WORDS:
        return True  # "100 bodies", "537 deaths"
    lo = hit.first - _BEFORE_EVENT_GAP
    if lo < 0:  # max(0, ...) without its call, here and below
        lo = 0
    if has_word(tokens, hit.first - 3, hit.first, TOLL_VERBS):
        # "The death toll from Saturday's strike on ... rose to 45": the toll is the subject,
        # however far back it stands.
        lo = 0
    # A free number (not in a time expression, not part of a name) may be another count and
    # ends the search. The tests are written out, event_at's first one too, since this runs
    # for every number.
    for k in range(hit.first - 1, lo - 1, -1):
        tok = tokens[k]
        if tok.kind == NUM:
            if k not in masked and not _glued(tokens, k):
                break
        elif tok.low in EVENT_OPENERS and tok.kind == WORD and event_at(tokens, k) is not None:
            return True
    start = (noun + 1) if noun is not None else hit.end
    stop = start + _AFTER_EVENT_GAP
    n = len(tokens)
    for k in range(start, stop if stop < n else n):
        tok = tokens[k]
        if tok.kind == NUM:
            if k not in masked and not _glued(tokens, k):
                break
        elif tok.low in EVENT_OPENERS and tok.kind == WORD and event_at(tokens, k) is not None:
            return True
    return False


def _counts(
    tokens: list[Token], hits: list[QuantityHit], masked: set[int], claims: bool = True
) -> list[Count]:
    """The numbers that count something. With `claims`, only what the desk records as a
    claim: no money, no "one of the", no family, no speaker, and a bare number that follows
    a count in a list ("including 120 in Moscow and 80 in St Petersburg") counts the same."""
    counts: list[Count] = []
    for hit in hits:
        if _is_label_or_age(tokens, hit):
            continue
        kind, noun = _noun_after(tokens, hit)
        if hit.decimal and not hit.currency and not kind.startswith("unit:"):
            continue
        if claims and _not_a_claim(tokens, hit, kind, noun):
            continue
        delta = _delta(tokens, hit) if claims else 0
        near = _event_near(tokens, hit, noun, masked)
        # Copy leads with the main figure; "including six children" and "12 of them" are
        # parts of it.
        strength = 2 + near - 2 * _is_part(tokens, hit)
        if kind == "unknown" and noun is not None and (delta or tokens[noun].low.endswith("ed")):
            kind, noun = "bare", None  # "465 houses were destroyed and 135 damaged"
        count: Count | None = None
        if hit.currency:
            count = _count(hit, hit.currency, "all", noun, strength)
        elif kind == "people":
            pop = population_of(tokens[noun]) if noun is not None else "all"
            count = _count(hit, "people", pop, noun, strength)
        elif kind.startswith("unit:"):
            count = _count(hit, kind[5:], "all", noun, strength)
        elif kind == "bare" and (near or delta):
            count = _count(hit, "people", "all", None, strength, bare=True)
        elif (
            kind == "bare" and claims and counts and _listed_after(tokens, counts[-1], hit, masked)
        ):
            prev = counts[-1]
            count = _count(hit, prev.unit, prev.population, None, strength, bare=True)
        elif kind == "unknown" and near and noun is not None:
            count = _count(hit, "people", "all", noun, strength - 1)
        if count is not None:
            count.delta = delta
            counts.append(count)
    return counts


def _figure_stop(tokens: list[Token], count: Count) -> int:
    """The token after the figure phrase: the number, the noun it counts, "of them"."""
    end = count.hit.end
    if count.noun is not None and count.noun >= end - 1:
        end = count.noun + 1
    n = len(tokens)
    if end + 1 < n and tokens[end].low == "of" and tokens[end + 1].low in {"them", "whom", "those"}:
        end += 2
    elif (
        count.noun is None
        and end < n
        and tokens[end].low.endswith("s")
        and tokens[end].low in EVENT_WORDS
    ):
        end += 1  # "1,382 deaths", "2,493 injuries"
    return end


def _listed_after(tokens: list[Token], prev: Count, hit: QuantityHit, masked: set[int]) -> bool:
    """ "120 in Moscow and 80 in St Petersburg", "25 in Kunar, 15 in Nangarhar", "up from
    5,200", "compared with 29,437 in 2023": a bare number that follows a count in a list or a
    comparison counts the same thing."""
    if prev.unit in MONEY_UNITS:
        return False
    start = _figure_stop(tokens, prev)
    first = hit.first
    if first <= start:
        return False
    if any(tokens[k].kind == NUM and k not in masked for k in range(start, first)):
        return False
    lead = tokens[first - 1].low if first > 0 else ""
    lead2 = tokens[first - 2].low if first > 1 else ""
    if (lead == "from" and lead2 in {"up", "down"}) or (
        lead in {"with", "to"} and lead2 == "compared"
    ):
        return True
    reach = 10
    if lead in {"and", ","} and hit.end < len(tokens) and tokens[hit.end].low in _LOCATIVE:
        reach = 20  # "615 of them were killed near sites run by ..., and 183 near the routes"
    if first - start > reach:
        return False
    return any(
        tokens[k].low in {"and", ",", ";", "while", "with", "including", "among", "compared"}
        for k in range(start, first)
    )


_LOCATIVE = frozenset(word_list("in near at across around outside inside on"))


def _not_a_claim(tokens: list[Token], hit: QuantityHit, kind: str, noun: int | None) -> bool:
    n = len(tokens)
    if hit.currency or kind[5:] in MONEY_UNITS:
        return True
    if noun is not None and tokens[noun].base in MONEY_WORDS:
        return True
    i = hit.num_start
    low = tokens[i].low
    end = noun + 1 if noun is not None and noun >= hit.end else hit.end
    if low == "one" and hit.end < n and tokens[hit.end].low == "of":
        return True  # "one of the worst attacks", "one of the victims"
    if _in_ratio(tokens, hit):
        return True  # "about one in seven Pakistanis"
    if end < n and tokens[end].low in _SPEAKER_VERBS:
        return True  # "two officials said", "three witnesses told AP"
    if _is_family(tokens, hit, noun, end):
        return True
    for k in range(end, end + 2 if end + 2 < n else n):
        if tokens[k].low in _DISTRIBUTIVE:
            if k + 1 < n and tokens[k + 1].low in _RATE_UNITS:
                break  # "per day": a rate
            return True
    if low == "one" and hit.first == i and kind != "bare":
        # "said one man at the hospital": a person, not a count, unless something happened
        # to them.
        return (
            _event_right_after(tokens, end, n) is None
            and _event_right_before(tokens, hit.first, 0) is None
        )
    return False


_SPEAKER_VERBS = frozenset(
    word_list("said says told tells added adds stated warned wrote insisted explained recalled")
)


def _in_ratio(tokens: list[Token], hit: QuantityHit) -> bool:
    n = len(tokens)
    e = hit.end
    if e + 1 < n and tokens[e].low == "in" and read_number(tokens, e + 1) is not None:
        return True
    f = hit.first
    return f >= 2 and tokens[f - 1].low == "in" and read_number(tokens, f - 2) is not None


def _is_family(tokens: list[Token], hit: QuantityHit, noun: int | None, end: int) -> bool:
    """ "a father of four", "his six grown children", "survived by three sons"."""
    k = hit.first - 1
    while k >= 0 and tokens[k].text in "-–" and not tokens[k].gap:
        k -= 1
    if k >= 1 and tokens[k].low == "of":
        j = k - 1
        while j >= 0 and tokens[j].text in "-–":
            j -= 1
        if j >= 0 and tokens[j].base in _KIN_PARENTS:
            return True
    if k >= 1 and tokens[k].low == "by" and tokens[k - 1].low == "survived":
        return True
    if noun is None or tokens[noun].base not in KIN_WORDS:
        return False
    if _event_right_after(tokens, end, len(tokens)) is not None:
        return False  # "his three children were killed"
    grown = has_word(tokens, hit.end, noun, _KIN_MODIFIERS)
    return grown or (k >= 0 and tokens[k].low in _POSSESSIVE_DETERMINERS)


def _delta(tokens: list[Token], hit: QuantityHit) -> int:
    """+1 or -1 when the figure is a difference to another figure: "12 more than the
    number cited by the ministry", "40 fewer than the UN's tally"."""
    n = len(tokens)
    e = hit.end
    if e + 1 >= n or tokens[e + 1].low != "than" or tokens[e].low not in _DELTA_WORDS:
        return 0
    for k in range(e + 2, min(n, e + 8)):
        tok = tokens[k]
        if tok.kind == NUM or tok.text in {",", ";", "."}:
            break
        if tok.base in COMPARED_NOUNS or tok.low in COMPARED_VERBS:
            return _DELTA_WORDS[tokens[e].low]
    return 0


def _event_right_after(tokens: list[Token], k: int, hi: int) -> int | None:
    """An event word just after a figure: "12 killed", "12 people were later found dead"."""
    steps = 0
    while k < hi and steps < 4:
        tok = tokens[k]
        if tok.kind != WORD:
            return None
        if event_at(tokens, k) is not None:
            return k
        if tok.low not in _AFTER_FILLERS:
            return None
        k += 1
        steps += 1
    return None


def _event_right_before(tokens: list[Token], first: int, lo: int) -> int | None:
    """An event word just before a figure: "killing 5", "the dead included 12 children"."""
    k = first - 1
    steps = 0
    while k >= lo and steps < 3:
        tok = tokens[k]
        if tok.kind != WORD:
            return None
        if event_at(tokens, k) is not None:
            return k
        if tok.low not in _BEFORE_FILLERS:
            return None
        k -= 1
        steps += 1
    return None


def _is_part(tokens: list[Token], hit: QuantityHit) -> bool:
    before: list[str] = []
    # Bounds by comparison, here and below: max() and min() cost a call each.
    for k in range(hit.first - 1, hit.first - 5 if hit.first > 4 else -1, -1):
        if tokens[k].kind != WORD:
            break
        before.append(tokens[k].low)  # "among the dead were 12 children"
    if _PART_CUES.intersection(before):
        return True
    if "of" in before and ("whom" in before or "them" in before):
        return True  # "of whom 12 were women", "of them 12"
    end = hit.end
    n = len(tokens)
    if end + 1 < n and tokens[end].low == "of":
        nxt = tokens[end + 1].low
        if nxt in {"them", "whom", "those"}:
            return True
        if nxt == "the" and end + 2 < n:
            # "12 of the dead", "three of the victims"
            head = tokens[end + 2]
            return head.kind == WORD and (
                event_at(tokens, end + 2) is not None or head.base in POPULATION
            )
    return False


def _is_clause_break(tok: Token) -> bool:
    if tok.text in _CLAUSE_PUNCT:
        return True
    if tok.text in "-–" and tok.gap:
        return True
    return tok.low in _CLAUSE_WORDS


def _shape(
    text: str,
    tokens: list[Token],
    counts: list[Count],
    masked: set[int],
    reported_on: date,
) -> None:
    """Cut the sentence into one clause per count and read what each count is: a part, a
    background figure, a projection, a rate; then its event. (A running total's period is
    read by choose_frame, which cuts the sentence the same way.)"""
    n = len(tokens)
    prev_end = 0
    for c in counts:
        c.end = _figure_stop(tokens, c)
        c.own_event = _event_right_after(tokens, c.end, n)
        if c.own_event is None:
            c.own_event = _event_right_before(tokens, c.hit.first, prev_end)
        prev_end = c.end
    for i, c in enumerate(counts):
        if i == 0:
            c.lo = 0
        else:
            p = counts[i - 1]
            start = p.end
            if p.own_event is not None and p.own_event >= start:
                start = p.own_event + 1
            c.lo = c.hit.first
            for k in range(c.hit.first - 1, start - 1, -1):
                if _is_clause_break(tokens[k]):
                    c.lo = k
                    break
            p.hi = c.lo
    if counts:
        counts[-1].hi = n
    for c in counts:
        c.private = c.hi
        for k in range(c.end, c.hi):
            if tokens[k].text in {",", ";", ")", "—"}:
                c.private = k
                break
    for i, c in enumerate(counts):
        c.rate = _rate(tokens, c)
        c.projection = _is_projection(tokens, c)
        _read_part(tokens, counts, i, masked)
        c.background = _when_frame(text, tokens, c, reported_on) is not None
        c.background = c.background or _is_comparison(tokens, c)
        k = c.end + 1 if c.end < n and tokens[c.end].low in {"were", "was"} else c.end
        if c.bare and k < n and tokens[k].kind == WORD and tokens[k].base in POPULATION:
            c.population = population_of(tokens[k])  # "5 were children", "12 of them women"
        elif c.bare and c.part and c.whole is not None and c.unit == c.whole.unit:
            c.population = c.whole.population
        elif c.bare and i > 0 and tokens[c.lo].low == "and" and not c.background:
            # "1,766 civilian deaths and 2,493 injuries", "35 children were killed and more
            # than 20 were wounded": the same people.
            prev = counts[i - 1]
            if not prev.delta and prev.unit == c.unit:
                c.population = (prev.whole or prev).population if prev.part else prev.population
    _read_events(tokens, counts, masked)


def _read_part(tokens: list[Token], counts: list[Count], i: int, masked: set[int]) -> None:
    c = counts[i]
    # The nearest count before it that stands on its own: a loop rather than next() over a
    # generator, which costs more than the few counts it reads.
    whole = None
    for k in range(i - 1, -1, -1):
        o = counts[k]
        if not (o.part or o.delta or o.background):
            whole = o
            break
    if _is_part(tokens, c.hit):
        c.part, c.whole = True, whole
        return
    if i == 0 or whole is None or c.delta:
        return
    p = counts[i - 1]
    lead = tokens[c.lo].low if c.lo < c.hit.first else ""
    if c.own_event is not None:
        return
    if p.part and lead in {"and", ",", ";"}:
        # "including 12 children and five women"
        c.part, c.whole = True, p.whole
        return
    if (
        c.bare
        and p is whole
        and lead in {",", ":", "(", "—", ";", "with"}
        and (p.hit.high is None or c.hit.low <= p.hit.high)
        and not _places_itself(tokens, p, masked)
    ):
        # "Floods killed 40 people, 25 in Kunar and 15 in Nangarhar": the breakdown of 40;
        # but "5 were killed in Kabul, 3 in Kandahar" are two counts side by side.
        c.part, c.whole = True, p


def _places_itself(tokens: list[Token], c: Count, masked: set[int]) -> bool:
    """Whether the count's own clause says where, after the figure: "killed in Kabul" (but
    not "on Thursday")."""
    return any(
        tokens[k].low in _LOCATIVE and tokens[k + 1].cap and k + 1 not in masked
        for k in range(c.end, c.hi - 1)
    )


def _rate(tokens: list[Token], c: Count) -> str:
    """ "day" for "2,000 people a day", "300 per week", "500 crossing daily"."""
    n = len(tokens)
    for k in range(c.end, c.end + 8 if c.end + 8 < c.hi else c.hi):
        tok = tokens[k]
        if tok.kind != WORD or tok.low in _RATE_STOPS:
            return ""
        adverb = _RATE_ADVERBS.get(tok.low)
        if adverb is not None:
            return adverb
        if tok.low in _RATE_LEADS and k + 1 < n:
            unit = _RATE_UNITS.get(tokens[k + 1].low)
            if unit is None:
                continue
            if k > 0 and tokens[k - 1].low in _NOT_RATE_BEFORE:
                return ""  # "in a day", "for a week"
            if k + 2 < n and tokens[k + 2].low in _NOT_RATE_AFTER:
                return ""  # "a day after the vote"
            return unit
    return ""


def rate_stop(tokens: list[Token], c: Count) -> int:
    """The figure phrase with a rate that follows it at once: "2,000 people a day"."""
    n = len(tokens)
    k = c.end
    if k < n and tokens[k].low in _RATE_ADVERBS:
        return k + 1
    if k + 1 < n and tokens[k].low in _RATE_LEADS and tokens[k + 1].low in _RATE_UNITS:
        return k + 2
    return c.end


def _is_projection(tokens: list[Token], c: Count) -> bool:
    """ "could rise to 1,000", "is expected to top 500", "1,000 more could die"."""
    if _PROJECTION_CUES.isdisjoint(words_of(tokens)):
        return False  # every reading below needs a modal or an "expected"
    n = len(tokens)
    first = c.hit.first
    for k in range(first - 7 if first - 7 > c.lo else c.lo, first):
        low = tokens[k].low
        if low in _MODALS:
            m = k + 1
            while m < first and tokens[m].low in _MODAL_FILLERS:
                m += 1
            if m < first and tokens[m].low in _RISE_VERBS:
                return True
            if low == "will" and m < first and tokens[m].low == "have":
                return True  # "will have killed 377,000 by the end of the year"
        elif low in _EXPECT_WORDS and k + 1 < n and tokens[k + 1].low == "to":
            m = k + 2
            if m < n and tokens[m].low != "have":
                return True
    m = c.end
    while m < n and tokens[m].low in {"more", "others"}:
        m += 1
    if m < n and tokens[m].low in _MODALS:
        # "30,000 people will need shelter", "1,000 could die"; but "may have been killed"
        # is an estimate of what happened.
        m += 1
        while m < n and tokens[m].low in _MODAL_FILLERS:
            m += 1
        return m < n and tokens[m].kind == WORD and tokens[m].low not in {"have", "not"}
    if m + 2 < n and tokens[m].low in {"are", "is"} and tokens[m + 1].low in _EXPECT_WORDS:
        return tokens[m + 2].low == "to" and m + 3 < n and tokens[m + 3].low != "have"
    return False


_PROJECTION_CUES = _MODALS | _EXPECT_WORDS


def _is_comparison(tokens: list[Token], c: Count) -> bool:
    """ "up from 300", "compared with 250 a year earlier": a figure from another time."""
    words = words_of(tokens)
    if _COMPARISON_LEADS.isdisjoint(words) and "from" not in words:
        return False  # neither a comparison's lead nor "up from" / "down from"
    first = c.hit.first
    for k in range(first - 4 if first - 4 > c.lo else c.lo, first):
        low = tokens[k].low
        if low in _COMPARISON_LEADS:
            return True
        if low in {"up", "down"} and k + 1 < first and tokens[k + 1].low == "from":
            return True
    return False


def _when_frame(text: str, tokens: list[Token], c: Count, reported_on: date) -> TimeFrame | None:
    """ "the worst since 1939, when a tremor killed 33,000": the count belongs to that
    earlier time, which is its period."""
    if _BACKGROUND_LINKS.isdisjoint(words_of(tokens)):
        return None  # no "when" or "where" to read from
    first = c.hit.first
    link = None
    for k in range(first - 1, (first - 16 if first - 16 > c.lo else c.lo) - 1, -1):
        low = tokens[k].low
        if low == "," or tokens[k].kind == NUM:
            return None  # the "when" clause has ended before the count
        if low in _BACKGROUND_LINKS:
            link = k
            break
    if link is None:
        return None
    for s in range(link - 1, max(-1, link - 16), -1):
        low = tokens[s].low
        if low not in _PAST_LEADS or s + 1 >= link:
            continue
        words = text[tokens[s + 1].start : tokens[link - 1].end]
        frame = parse_time_frame("in " + words, reported_on) or parse_time_frame(words, reported_on)
        if frame is None:
            continue  # "in Mariupol, where": a place, look further back
        if low == "since" or frame.end < reported_on - BACKGROUND_AGE:
            return frame
        return None
    return None


def _read_events(tokens: list[Token], counts: list[Count], masked: set[int]) -> None:
    claimed = {c.own_event for c in counts if c.own_event is not None}
    for c in counts:
        if c.own_event is not None:
            c.event = event_at(tokens, c.own_event)
            continue
        c.event = _event_in_clause(tokens, c, masked, claimed)
    for i, c in enumerate(counts):
        if c.event is not None:
            continue
        if c.part and c.whole is not None and c.whole.event is not None:
            c.event = c.whole.event
            continue
        if len(counts) > 1 and (c.unit != "people" or _own_predicate(tokens, c)):
            # "6,444 buildings had collapsed", "has infected 500,000 people", "180 people
            # had been on board": something other than a casualty happened to them.
            c.event = "other"
            continue
        # "The death toll from the quake ... climbed to 202, ..., with 102 missing": the
        # subject before the count that no other count has taken.
        near = next(
            (
                event_at(tokens, k)
                for k in range(c.hit.first - 1, -1, -1)
                if k not in claimed
                and tokens[k].low in EVENT_OPENERS
                and tokens[k].kind == WORD
                and event_at(tokens, k)
            ),
            None,
        )
        if near is None:
            near = next(
                (o.event for o in reversed(counts[:i]) if o.event is not None and not o.delta),
                None,
            )
        if near is None:
            near = next((o.event for o in counts[i + 1 :] if o.event is not None), None)
        if near is None:
            near = next(
                (
                    e
                    for k in range(len(tokens))
                    if tokens[k].low in EVENT_OPENERS and (e := event_at(tokens, k)) is not None
                ),
                None,
            )
        c.event = near or "other"


def _own_predicate(tokens: list[Token], c: Count) -> bool:
    """Whether the figure has a verb of its own that is no event: "infected 500,000 people",
    "11 million people had been affected"."""
    n = len(tokens)
    k = c.hit.first - 1
    if k >= 0 and tokens[k].kind == WORD:
        low = tokens[k].low
        if (
            low.endswith(("ed", "ing"))
            and low not in SAY_VERBS
            and low not in _BEFORE_FILLERS
            and low not in _PART_CUES
            and event_at(tokens, k) is None
        ):
            return True
    k = c.end
    aux = 0
    while k < n and tokens[k].low in {"were", "was", "had", "have", "has", "been", "are", "is"}:
        k += 1
        aux += 1
    return aux > 0 and k < n and tokens[k].kind == WORD and event_at(tokens, k) is None


def _event_in_clause(
    tokens: list[Token], c: Count, masked: set[int], claimed: set[int]
) -> str | None:
    """The reporting verb or noun nearest to the count in its clause."""
    hit = c.hit
    before: tuple[int, str] | None = None
    lo = hit.first - _BEFORE_EVENT_GAP
    if lo < c.lo:
        lo = c.lo
    near = hit.first - 3
    if has_word(tokens, near if near > c.lo else c.lo, hit.first, TOLL_VERBS):
        lo = c.lo  # "The death toll from Saturday's strike on ... rose to 45"
    for k in range(hit.first - 1, lo - 1, -1):
        tok = tokens[k]
        if tok.kind == NUM:
            if k not in masked and not _glued(tokens, k):
                break
        elif tok.low in EVENT_OPENERS and tok.kind == WORD and k not in claimed:
            event = event_at(tokens, k)
            if event is not None:
                before = (hit.first - k, event)
                break
    after: str | None = None
    if c.noun is not None:
        after = EVENT_WORDS.get(tokens[c.noun].base)
    start = (c.noun + 1) if c.noun is not None else hit.end
    stop = start + _AFTER_EVENT_GAP
    for k in range(start, stop if stop < c.hi else c.hi):
        if after is not None:
            break
        tok = tokens[k]
        if tok.kind == NUM:
            if k not in masked and not _glued(tokens, k):
                break
        elif tok.low in EVENT_OPENERS and tok.kind == WORD and k not in claimed:
            after = event_at(tokens, k)
    if before is not None and before[0] <= 4:
        return before[1]
    if after is not None:
        return after
    if before is not None:
        return before[1]
    return None


def parse_quantity(text: str, tolerance: float = 0.10) -> Quantity | None:
    """The main count in text as an interval, or None when it holds no count."""
    if not isinstance(text, str):
        return None
    tokens = tokenize(text)
    frames = find_time_frames(tokens, text, date(2000, 1, 1))
    masked: set[int] = set()
    for first, end, _ in frames:
        masked.update(range(first, end))
    hits = find_quantities(tokens, masked, tolerance)
    counts = _counts(tokens, hits, masked, claims=False)
    if not counts:
        # Direct use on a bare figure ("about 400"): read it even without a noun.
        plain = [
            h
            for h in hits
            if not _is_label_or_age(tokens, h)
            and not h.decimal
            and _noun_after(tokens, h)[0] == "bare"
        ]
        if not plain:
            return None
        h = plain[0]
        words = text[tokens[h.first].start : tokens[h.end - 1].end]
        return Quantity(h.low, h.high, h.qualifier, h.currency or "people", words)
    best = max(counts, key=lambda c: c.strength)
    best = next(c for c in counts if c.strength == best.strength)
    h = best.hit
    words = text[tokens[h.first].start : tokens[h.end - 1].end]
    return Quantity(h.low, h.high, h.qualifier, best.unit, words)


def read_counts(
    text: str, tokens: list[Token], masked: set[int], reported_on: date, tolerance: float
) -> list[Count]:
    """The counts of one sentence in order, each with its clause, kind and event. `masked`
    holds the tokens of its time expressions, whose numbers are never counts."""
    hits = find_quantities(tokens, masked, tolerance)
    counts = _counts(tokens, hits, masked)
    _shape(text, tokens, counts, masked, reported_on)
    return counts
