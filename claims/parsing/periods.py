"""Time expressions read against the report date, by the DESIGN time-frame table.

dateparser returns nothing for the relative forms copy uses ("so far this month", "since
Monday", "in the past 24 hours") and takes "so" for a date, so the grammar is ours: at each
token a handful of matchers look a few tokens ahead and return a period or nothing.

Choices the DESIGN table leaves open, made here once:

* "since <clause> on|in <date>" ("since the war began on Feb. 24", "since fighting erupted in
  mid-April", "since the Oct. 7 attack") is a running count from that date, like "since
  <date>". "since the war began" with no date has no period: the start is not in the copy.
  A day-and-month start that falls on d itself is the anniversary's, a year back.
* "the 13-year conflict", "13 years of war", in a sentence that says the war "has" gone on:
  a running count from 1 January of the year the length puts the start in (report year
  minus N), the reading "since 2011" gets; a length in months starts on the 1st of the month.
  The copy gives the length, not the start, so the year is all it gives. A war told in the
  past tense, "during" one, or one measured in days or weeks is over: no period.
* "overnight" is the night before the report date, [d-1, d]; "overnight into Monday" ends on
  that Monday, "overnight Sunday" starts on that Sunday.
* "early/mid/late" split a month into days 1-10, 11-20 and 21 to the end, and a year into
  January-April, May-August and September-December; "earlier this month" is a span from the
  1st to d, not a running count: copy uses it for an event some time this month.
* "the previous day", "two days earlier", "the following day" count from the last day the
  sentence names (often the day of a statement); with none, the past forms count from d.
* "the week to Friday" is the seven days ending that Friday, [Friday-6, Friday], as weekly
  bulletins count it ("the past week" stays [d-7, d]). "the first half of 2013", "Q1",
  "the first three months of the year", "the last week of January" are spans inside their
  year or month, which without a year is the latest one that has begun by d.
* "a 1999 earthquake" dates the event by its year; "next week" and "later this month" are
  read and dropped, so that their words never pass for a past period.

Which of a sentence's frames belongs to which of its counts is frames.py's to decide.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from claims.parsing.dates import (
    MONTHS,
    WEEKDAYS,
    add_months,
    count_at,
    date_at,
    date_or_none,
    day_at,
    day_in_year,
    month_at,
    month_end,
    weekday_on_or_before,
    weekend,
    year_at,
)
from claims.parsing.numbers import SMALL, TENS
from claims.parsing.tokens import (
    NUM,
    PUNCT,
    WORD,
    Token,
    base_word,
    low_at,
    span_text,
    tokenize,
    word_list,
)
from claims.parsing.types import TimeFrame, maker

_PARTS_OF_DAY = frozenset({"morning", "afternoon", "evening", "night"})
UNITS: dict[str, str] = {
    "hour": "hour",
    "hours": "hour",
    "day": "day",
    "days": "day",
    "week": "week",
    "weeks": "week",
    "month": "month",
    "months": "month",
    "year": "year",
    "years": "year",
    "decade": "decade",
    "decades": "decade",
    "fortnight": "fortnight",
}
_SPAN_PREPS = frozenset({"in", "over", "during", "within", "for", "throughout"})
_RANGE_LINKS = frozenset({"to", "until", "till", "through", "-", "–", "and"})
# Qualifiers of a year in "since mid-2012" and of a month in "since early February".
_YEAR_PART = {"early": 1, "mid": 7, "late": 10}
_MONTH_PART = {"early": 1, "mid": 15, "late": 21}
# Thirds of a month (first and last day) and of a year (first and last month) for spans
# such as "late last month" and "in early 2013".
_MONTH_THIRDS = {"early": (1, 10), "mid": (11, 20), "late": (21, 31)}
_YEAR_THIRDS = {"early": (1, 4), "mid": (5, 8), "late": (9, 12)}
# "the first half of", "the last three months of": which part of a year or month.
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "last": -1, "final": -1}
# Sizes of the parts, as (count, "month"|"day").
_PARTS = {
    "half": (6, "month"),
    "quarter": (3, "month"),
    "month": (1, "month"),
    "months": (1, "month"),
    "week": (7, "day"),
    "weeks": (7, "day"),
    "day": (1, "day"),
    "days": (1, "day"),
}
# Nouns for a war or crisis whose length copy gives: "the 13-year conflict".
_WAR_NOUNS = frozenset(
    word_list(
        "war wars conflict insurgency uprising crisis occupation siege blockade fighting revolt "
        "rebellion violence insurrection revolution"
    )
)
# "the week to Friday", "the 12 months ending March 31".
_UNTIL_LINKS = frozenset(word_list("to ending ended through until till"))
# Words that end the clause of "since the war began on <date>" before a date is found.
_CLAUSE_ENDS = frozenset(
    word_list("that which who whom when where while but because since until after before")
)
_CLAUSE_PUNCT = frozenset(".-'’&/")
_SINCE_CLAUSE_MAX = 14
_ONSET_VERBS = frozenset(word_list("began begun begin begins started erupted broke"))
# Holidays on a fixed day that copy names a day by: "the New Year's Day earthquake".
_HOLIDAYS: dict[tuple[str, str], tuple[int, int]] = {
    ("christmas", "day"): (12, 25),
    ("christmas", "eve"): (12, 24),
    ("boxing", "day"): (12, 26),
    ("new", "year's"): (1, 1),
    ("new", "year’s"): (1, 1),
}
# Kinds used inside this module only: a time read relative to another day of the sentence,
# and words that name a time outside any period ("next week", "later this month").
_RELATIVE = "relative"
_NO_PERIOD = "none"
_SAME_PERIOD = "same period"

Match = tuple[int, date, date, str]


def _units_back(d: date, count: int, unit: str) -> date:
    if unit == "hour":
        return d - timedelta(days=max(1, -(-count // 24)))
    if unit == "day":
        return d - timedelta(days=count)
    if unit == "week":
        return d - timedelta(days=7 * count)
    if unit == "fortnight":
        return d - timedelta(days=14 * count)
    if unit == "month":
        return add_months(d, -count)
    if unit == "decade":
        return add_months(d, -120 * count)
    return add_months(d, -12 * count)


def _period_start(d: date, unit: str) -> date:
    if unit == "week":
        return d - timedelta(days=d.weekday())
    if unit == "month":
        return d.replace(day=1)
    return date(d.year, 1, 1)


def _previous_period(d: date, unit: str) -> tuple[date, date]:
    if unit == "week":
        monday = d - timedelta(days=d.weekday() + 7)
        return monday, monday + timedelta(days=6)
    if unit == "month":
        last = d.replace(day=1) - timedelta(days=1)
        return last.replace(day=1), last
    return date(d.year - 1, 1, 1), date(d.year - 1, 12, 31)


def _past_span(tokens: list[Token], i: int, d: date) -> Match | None:
    """After "past" or "last": "24 hours", "three days", "week", "two weeks"."""
    count = count_at(tokens, i)
    j = i
    if count is not None and low_at(tokens, count[1]) in UNITS:
        n_units, j = count
    elif low_at(tokens, i) in {"few", "several"} or low_at(tokens, i) not in UNITS:
        return None
    else:
        n_units = 1
    unit = UNITS[low_at(tokens, j)]
    if n_units < 1:
        return None
    return j + 1, _units_back(d, n_units, unit), d, "span"


def _since(tokens: list[Token], i: int, d: date) -> Match | None:
    """What follows "since": the start of a to-date period."""
    low = low_at(tokens, i)
    start: date | None = None
    j = i
    if (
        low == "the"
        and low_at(tokens, i + 1) in {"beginning", "start", "outset", "first"}
        and (low_at(tokens, i + 2) == "of")
    ):
        k = i + 3
        if low_at(tokens, k) in {"the", "this"}:
            k += 1
        unit = UNITS.get(low_at(tokens, k))
        if unit in {"week", "month", "year"}:
            return k + 1, _period_start(d, unit), d, "to_date"
        dated = date_at(tokens, i + 3, d, bare=True)
        if dated is None:
            return None
        start, j = dated[0], dated[3]
    elif low in _YEAR_PART:
        k = i + 1
        if low_at(tokens, k) in {"-", "–"}:
            k += 1
        year_read = year_at(tokens, k)
        month = month_at(tokens, k)
        if year_read is not None:
            start, j = date(year_read[0], _YEAR_PART[low], 1), year_read[1]
        elif month is not None:
            dated = date_at(tokens, k, d, bare=True)
            if dated is None:
                return None
            start = dated[0].replace(day=_MONTH_PART[low])
            j = dated[3]
        else:
            return None
    elif low == "yesterday":
        start, j = d - timedelta(days=1), i + 1
    elif low == "the" and low_at(tokens, i + 1) == "weekend":
        start, j = weekend(d)[0], i + 2
    elif low == "last" and low_at(tokens, i + 1) in {"week", "month", "year"}:
        start = _previous_period(d, UNITS[low_at(tokens, i + 1)])[0]
        j = i + 2
    elif low == "last" and low_at(tokens, i + 1) in WEEKDAYS:
        start = weekday_on_or_before(d, WEEKDAYS[low_at(tokens, i + 1)], strictly=True)
        j = i + 2
    else:
        dated = date_at(tokens, i, d, bare=True)
        if dated is None:
            return None
        start, j = dated[0], dated[3]
        if (
            start == d
            and dated[2] == "day"
            and base_word(low) not in WEEKDAYS
            and not _has_year(tokens, i, j)
        ):
            # "in the year since the Oct. 7 attack" on Oct. 7: a running count that starts
            # on the report date is the anniversary's, a year back.
            start = date_or_none(d.year - 1, d.month, d.day) or start
    if start is None or start > d:
        return None
    return j, start, d, "to_date"


def _since_clause(tokens: list[Token], i: int, d: date) -> Match | None:
    """ "since the war began on Feb. 24", "since Russia's invasion in February 2022", "since
    the Oct. 7 attack": the date that ends a short clause after "since" starts the count."""
    n = len(tokens)
    for k in range(i, min(n, i + _SINCE_CLAUSE_MAX)):
        tok = tokens[k]
        low = tok.low
        if tok.kind == PUNCT:
            if tok.text in _CLAUSE_PUNCT and not (tok.text == "-" and tok.gap):
                continue
            return None
        if k > i and low in _CLAUSE_ENDS:
            return None
        found: Match | None = None
        ago = count_at(tokens, k) if k > i else None
        if ago is not None and low_at(tokens, ago[1] + 1) == "ago":
            unit = UNITS.get(low_at(tokens, ago[1]))
            if unit is not None:
                start = _units_back(d, ago[0], unit)
                # "began two months ago": as precise as the words, the month or the year.
                if unit == "month":
                    start = start.replace(day=1)
                elif unit in {"year", "decade"}:
                    start = date(start.year, 1, 1)
                return ago[1] + 2, start, d, "to_date"
        if low in {"on", "in"}:
            found = _since(tokens, k + 1, d)
        elif k > i and (
            tok.kind == NUM
            or low in {"last", "yesterday", "mid"}
            or date_at(tokens, k, d, bare=False) is not None
        ):
            found = _since(tokens, k, d)
        if found is not None:
            return found
        if tok.kind == NUM:
            # A count inside the clause ("since 40 people were killed on Monday") is the
            # count's own sentence, not a start date.
            return None
    return None


def _container(tokens: list[Token], i: int, d: date) -> tuple[date, date, int] | None:
    """The year or month a part is taken from: "2013", "February", "the year", "last month"."""
    low = low_at(tokens, i)
    nxt = low_at(tokens, i + 1)
    if low in {"the", "this"} and nxt in {"year", "month"}:
        if nxt == "year":
            return date(d.year, 1, 1), date(d.year, 12, 31), i + 2
        return d.replace(day=1), month_end(d.year, d.month), i + 2
    if low == "last" and nxt in {"year", "month"}:
        start, end = _previous_period(d, nxt)
        return start, end, i + 2
    dated = date_at(tokens, i, d, bare=True)
    if dated is None or dated[2] == "day":
        return None
    return dated[0], dated[1], dated[3]


def _shift(start: date, count: int, unit: str) -> date:
    if unit == "month":
        return add_months(start, count)
    return start + timedelta(days=count)


def _part_of(tokens: list[Token], i: int, d: date) -> Match | None:
    """At an ordinal: "first half of 2013", "last three months of the year", "first week of
    February", "first quarter" (of the latest year whose quarter has begun)."""
    order = _ORDINALS.get(low_at(tokens, i))
    if order is None:
        return None
    k = i + 1
    count = 1
    if low_at(tokens, k) not in _PARTS:
        read = count_at(tokens, k)
        if read is None or order not in (1, -1):
            return None
        count, k = read
    part = _PARTS.get(low_at(tokens, k))
    if part is None or count < 1:
        return None
    size, unit = part
    k += 1
    if low_at(tokens, k) == "of":
        held = _container(tokens, k + 1, d)
        if held is None:
            return None
        cs, ce, j = held
    elif tokens[k - 1].low in {"half", "quarter"} and order > 0:
        cs, ce, j = date(d.year, 1, 1), date(d.year, 12, 31), k
    else:
        return None
    if order > 0:
        start = _shift(cs, (order - 1) * size * count, unit)
        end = _shift(start, size * count, unit) - timedelta(days=1)
    else:
        end = ce
        start = _shift(ce + timedelta(days=1), -size * count, unit)
    if k == j and start > d:
        # "the second half" read in March: last year's.
        start, end = start.replace(year=start.year - 1), end.replace(year=end.year - 1)
        cs, ce = cs.replace(year=cs.year - 1), ce.replace(year=ce.year - 1)
    if start < cs or start > ce:
        return None
    end = min(end, ce)
    return j, start, end, ("day" if start == end else "span")


def _quarter_code(tokens: list[Token], i: int, d: date) -> Match | None:
    """ "Q1", "Q3 2023", "H1 2024"."""
    low = low_at(tokens, i)
    if i + 1 >= len(tokens) or tokens[i + 1].gap or tokens[i + 1].kind != NUM:
        return None
    number = tokens[i + 1].text
    size = 3 if low == "q" else 6
    if number not in ("1", "2", "3", "4")[: 12 // size]:
        return None
    year_read = year_at(tokens, i + 2)
    year = year_read[0] if year_read is not None else d.year
    start = date(year, 1 + (int(number) - 1) * size, 1)
    if year_read is None and start > d:
        start = start.replace(year=year - 1)
    end = add_months(start, size) - timedelta(days=1)
    return (year_read[1] if year_read else i + 2), start, end, "span"


def _unit_to(tokens: list[Token], i: int, d: date) -> Match | None:
    """After "the": "week to Friday", "seven days to Feb. 7", "12 months ending March",
    "year to date"."""
    k = i
    count = 1
    if low_at(tokens, k) not in UNITS:
        read = count_at(tokens, k)
        if read is None:
            return None
        count, k = read
    unit = UNITS.get(low_at(tokens, k))
    if unit is None or low_at(tokens, k + 1) not in _UNTIL_LINKS:
        return None
    if low_at(tokens, k + 1) == "to" and low_at(tokens, k + 2) == "date":
        if count != 1 or unit not in {"week", "month", "year"}:
            return None
        return k + 3, _period_start(d, unit), d, "to_date"
    dated = date_at(tokens, k + 2, d, bare=True)
    if dated is None:
        return None
    end = dated[1]
    if unit == "hour":
        start = end - timedelta(days=max(1, -(-count // 24)))
    else:
        # Seven days ending that day: copy (and weekly bulletins) count the named day in.
        start = _units_back(end, count, unit) + timedelta(days=1)
    return dated[3], start, end, "span"


def _the(tokens: list[Token], i: int, d: date) -> Match | None:
    """Forms that open with "the" (tokens[i])."""
    n = len(tokens)
    nxt = tokens[i + 1].low if i + 1 < n else ""  # low_at, written out: "the" is common
    after = tokens[i + 2].low if i + 2 < n else ""
    if nxt in {"past", "last"}:
        if nxt == "last":
            part = _part_of(tokens, i + 1, d)
            if part is not None:
                return part
        return _past_span(tokens, i + 2, d)
    if nxt == "weekend":
        sat, sun = weekend(d)
        return i + 2, sat, sun, "span"
    if nxt in {"previous", "preceding"} and after in {"day", "night", "week", "month", "year"}:
        if i > 0 and tokens[i - 1].low in {"from", "than", "with", "over"}:
            # "up 35 from the previous day": the base of a change, nobody's period here.
            return i + 3, d, d, _NO_PERIOD
        if after not in {"day", "night"}:
            return None
        return i + 3, d - timedelta(days=1), d - timedelta(days=1), _RELATIVE
    if nxt in {"previous", "preceding"} and count_at(tokens, i + 2) is not None:
        # "the previous 24 hours": as "the past 24 hours".
        return _past_span(tokens, i + 2, d)
    if nxt == "day" and after == "before":
        if low_at(tokens, i + 3) == "yesterday":
            return i + 4, d - timedelta(days=2), d - timedelta(days=2), "day"
        return i + 3, d - timedelta(days=1), d - timedelta(days=1), _RELATIVE
    if nxt in {"following", "next"} and after == "day":
        return i + 3, d + timedelta(days=1), d + timedelta(days=1), _RELATIVE
    if nxt == "same" and after == "day":
        return i + 3, d, d, _RELATIVE
    if nxt == "same" and after == "period":
        return _same_period(tokens, i + 3, d)
    if nxt == "night" and after == "of":
        dated = date_at(tokens, i + 3, d, bare=False)
        if dated is None or dated[2] != "day":
            return None
        j = dated[3]
        if low_at(tokens, j) in {"to", "into", "-", "–", "and"}:
            second = date_at(tokens, j + 1, d, bare=False)
            if second is not None and second[2] == "day":
                return second[3], dated[0], dated[0] + timedelta(days=1), "span"
            day_read = day_at(tokens, j + 1)
            if day_read is not None:
                return day_read[1], dated[0], dated[0] + timedelta(days=1), "span"
        return j, dated[0], dated[0], "day"
    if nxt in _ORDINALS:
        return _part_of(tokens, i + 1, d)
    return _unit_to(tokens, i + 1, d)


def _same_period(tokens: list[Token], k: int, d: date) -> Match | None:
    """After "the same period": "of 2022", "last year", "a year earlier". The period itself is
    the sentence's previous one moved to that year; find_time_frames does the moving."""
    low = low_at(tokens, k)
    if low in {"of", "in"}:
        year_read = year_at(tokens, k + 1)
        if year_read is not None:
            return year_read[1], date(year_read[0], 1, 1), d, _SAME_PERIOD
        if low_at(tokens, k + 1) == "last" and low_at(tokens, k + 2) == "year":
            return k + 3, date(d.year - 1, 1, 1), d, _SAME_PERIOD
        return None
    if low == "last" and low_at(tokens, k + 1) == "year":
        return k + 2, date(d.year - 1, 1, 1), d, _SAME_PERIOD
    if (
        low == "a"
        and low_at(tokens, k + 1) == "year"
        and low_at(tokens, k + 2) in {"earlier", "ago"}
    ):
        return k + 3, date(d.year - 1, 1, 1), d, _SAME_PERIOD
    return None


def _moved_to_year(frame: TimeFrame, year: int) -> tuple[date, date]:
    shift = year - frame.end.year
    start = date_or_none(frame.start.year + shift, frame.start.month, frame.start.day)
    end = date_or_none(frame.end.year + shift, frame.end.month, frame.end.day)
    if start is None:
        start = date(frame.start.year + shift, frame.start.month, 28)
    if end is None:
        end = date(frame.end.year + shift, frame.end.month, 28)
    return start, end


def _war_length(tokens: list[Token], i: int, d: date, read: tuple[int, int]) -> Match | None:
    """ "13-year conflict", "three-year-old war", "13 years of civil war": a running count
    from where the length puts the start (see the module docstring). `read` is
    count_at(tokens, i)."""
    count, k = read
    n = len(tokens)
    if k < n and tokens[k].low == "-" and not tokens[k].gap:
        unit = UNITS.get(low_at(tokens, k + 1))
        if unit is None or tokens[k + 1].low.endswith("s"):
            return None
        k += 2
        if low_at(tokens, k) == "-" and low_at(tokens, k + 1) in {"old", "long"}:
            k += 2
    else:
        unit = UNITS.get(tokens[k].low) if k < n else None
        if unit is None or low_at(tokens, k + 1) != "of":
            return None
        k += 2
    for m in range(k, min(len(tokens), k + 3)):
        if tokens[m].kind != WORD:
            return None
        if tokens[m].low in _WAR_NOUNS:
            break
    else:
        return None
    if unit == "hour" or count < 1:
        return None
    if unit in {"day", "week", "fortnight"} or (i > 1 and tokens[i - 2].low == "during"):
        # "the 50-day war", "during the two-year war": a war copy measures in days, or looks
        # back on as a whole, is over; its start and end are not in the words.
        return m + 1, d, d, _NO_PERIOD
    if not any(t.low in {"has", "have"} for t in tokens):
        # "14 years of civil war killed half a million people before ...": a war told in the
        # past tense is over, and its end is not in the words either.
        return m + 1, d, d, _NO_PERIOD
    if unit in {"year", "decade"}:
        start = date(d.year - count * (10 if unit == "decade" else 1), 1, 1)
    elif unit == "month":
        start = add_months(d.replace(day=1), -count)
    else:
        start = _units_back(d, count, unit)
    return m + 1, start, d, "to_date"


def _third(tokens: list[Token], i: int, d: date) -> Match | None:
    """After "early", "mid" or "late": "late last month", "early February", "mid-2013"."""
    part = tokens[i].low
    k = i + 1
    if low_at(tokens, k) in {"-", "–"}:
        k += 1
    low = low_at(tokens, k)
    if low in {"this", "last"} and low_at(tokens, k + 1) in {"month", "year"}:
        unit = low_at(tokens, k + 1)
        cs = _period_start(d, unit) if low == "this" else _previous_period(d, unit)[0]
        gran, j = unit, k + 2
    else:
        dated = date_at(tokens, k, d, bare=True)
        if dated is None or dated[2] not in {"month", "year"}:
            return None
        cs, gran, j = dated[0], dated[2], dated[3]
    if gran == "month":
        first, last = _MONTH_THIRDS[part]
        end_day = min(last, calendar.monthrange(cs.year, cs.month)[1])
        start, end = cs.replace(day=first), cs.replace(day=end_day)
    else:
        first, last = _YEAR_THIRDS[part]
        start, end = date(cs.year, first, 1), month_end(cs.year, last)
    if start > d:
        return None
    return j, start, end, "span"


def _overnight(tokens: list[Token], i: int, d: date) -> Match:
    """At "overnight": the night before d, or the night named after it."""
    k = i + 1
    into = low_at(tokens, k) in {"into", "to"}
    if into or low_at(tokens, k) == "on":
        k += 1
    dated = date_at(tokens, k, d, bare=False)
    if dated is None or dated[2] != "day":
        return i + 1, d - timedelta(days=1), d, "span"
    day, j = dated[0], dated[3]
    if into or day == d:
        return j, day - timedelta(days=1), day, "span"
    if low_at(tokens, j) in {"into", "to"}:
        second = date_at(tokens, j + 1, d, bare=False)
        if second is not None and second[2] == "day":
            j = second[3]
    return j, day, day + timedelta(days=1), "span"


def _this(tokens: list[Token], i: int, d: date) -> Match | None:
    """After "this": "week", "month", "year", "weekend", "morning"."""
    low = low_at(tokens, i)
    if low in _PARTS_OF_DAY:
        return i + 1, d, d, "day"
    if low == "weekend":
        sat, sun = weekend(d)
        return i + 1, sat, sun, "span"
    unit = UNITS.get(low)
    if unit not in {"week", "month", "year"}:
        return None
    j = i + 1
    if low_at(tokens, j) == "so" and low_at(tokens, j + 1) == "far":
        j += 2
    return j, _period_start(d, unit), d, "to_date"


def _range(tokens: list[Token], i: int, d: date) -> Match | None:
    """After "between" or "from": two dates joined by "and", "to", "until" or a dash."""
    first = date_at(tokens, i, d, bare=True)
    bare_day = None
    if first is None:
        day_read = day_at(tokens, i)
        if day_read is None:
            return None
        bare_day, link_at = day_read
    else:
        link_at = first[3]
    if low_at(tokens, link_at) not in _RANGE_LINKS:
        return None
    second = date_at(tokens, link_at + 1, d, bare=True)
    if second is None and first is not None and first[2] == "day":
        # "from Feb. 1 to 12": the second day shares the first one's month.
        day_read = day_at(tokens, link_at + 1)
        if day_read is None:
            return None
        end = date_or_none(first[0].year, first[0].month, day_read[0])
        if end is None or end < first[0]:
            return None
        return day_read[1], first[0], end, "span"
    if second is None:
        return None
    if bare_day is not None:
        if second[2] != "day":
            return None
        start = date_or_none(second[0].year, second[0].month, bare_day)
        if start is None:
            return None
    elif first is not None:
        start = first[0]
        if start > second[1] and tokens[i].low in WEEKDAYS:
            # "between Monday and Wednesday" read on a Tuesday: last week's Monday.
            start -= timedelta(days=7)
        elif start > second[1] and not _has_year(tokens, i, link_at):
            # "from November to February 2014": the first month is in the year before.
            start = start.replace(year=second[1].year)
            if start > second[1]:
                start = start.replace(year=start.year - 1)
        elif start.year != second[1].year and not _has_year(tokens, i, link_at):
            # "from January to March 2013": the first takes the second's year.
            moved = date_or_none(second[1].year, start.month, start.day)
            if moved is not None and moved <= second[1]:
                start = moved
    else:
        return None
    end = second[1]
    if start > end:
        return None
    return second[3], start, end, "span"


def _has_year(tokens: list[Token], i: int, j: int) -> bool:
    return any(year_at(tokens, k) is not None for k in range(i, j))


def _match(tokens: list[Token], i: int, d: date) -> Match | None:
    tok = tokens[i]
    if tok.kind == NUM:
        # No word of the chain below is a numeral: "3 days ago", "2014", "12 March".
        return _counted_or_dated(tokens, i, d)
    low = tok.low
    if low == "the":  # the commonest start, and none of the words tested before it
        return _the(tokens, i, d)
    if low not in _CHAIN_WORDS:
        # "a", "an", months, weekdays and number words: no test below is about them, so
        # the chain would only end where this starts.
        return _counted_or_dated(tokens, i, d)
    nxt = tokens[i + 1].low if i + 1 < len(tokens) else ""
    if low in _PREPOSITIONS:
        # "in", "on", "at" are the commonest starts after "the"; none of the tests before
        # theirs in the chain below is about them, so they go to theirs at once.
        return _after_preposition(tokens, i, d, low, nxt)
    if low in {"today", "tonight"}:
        return i + 1, d, d, "day"
    if low == "yesterday":
        j = i + 2 if nxt in _PARTS_OF_DAY else i + 1
        day = d - timedelta(days=1)
        return j, day, day, "day"
    if low == "overnight":
        return _overnight(tokens, i, d)
    holiday = _HOLIDAYS.get((low, nxt))
    if holiday is not None:
        j = i + 2
        if low == "new" and low_at(tokens, j) in {"day", "eve"}:
            holiday = (1, 1) if tokens[j].low == "day" else (12, 31)
            j += 1
        elif low == "new":
            return None
        on_day = day_in_year(d, *holiday)
        return (j, on_day, on_day, "day") if on_day is not None else None
    if low == "this":
        if nxt == "past" and low_at(tokens, i + 2) in {"week", "weekend"}:
            if low_at(tokens, i + 2) == "week":
                return i + 3, d - timedelta(days=7), d, "span"
            sat, sun = weekend(d)
            return i + 3, sat, sun, "span"
        return _this(tokens, i + 1, d)
    if low in {"earlier", "later"} and nxt == "this":
        found = _this(tokens, i + 2, d)
        if found is None or found[3] != "to_date":
            return None
        if low == "later":
            return found[0], d, d, _NO_PERIOD
        return found[0], found[1], d, "span"
    if low in {"earlier", "later"} and nxt == "in" and low_at(tokens, i + 2) == "the":
        if low_at(tokens, i + 3) == "day":
            return i + 4, d, d, _RELATIVE
        return None
    if low in {"next", "coming"} and (
        nxt in WEEKDAYS or nxt in {"week", "weekend", "month", "year"}
    ):
        return i + 2, d, d, _NO_PERIOD
    if low in {"early", "mid", "late"}:
        return _third(tokens, i, d)
    if low == "so" and nxt == "far":
        if low_at(tokens, i + 2) == "this":
            return _this(tokens, i + 3, d)
        if low_at(tokens, i + 2) == "in":
            dated = date_at(tokens, i + 3, d, bare=True)
            if dated is not None and dated[0] <= d:
                return dated[3], dated[0], d, "to_date"
        return None
    if low == "since":
        return _since(tokens, i + 1, d) or _since_clause(tokens, i + 1, d)
    if low == "last":
        part = _part_of(tokens, i, d)
        if part is not None:
            return part
        if nxt == "night":
            day = d - timedelta(days=1)
            return i + 2, day, day, "day"
        if nxt in WEEKDAYS:
            day = weekday_on_or_before(d, WEEKDAYS[nxt], strictly=True)
            return i + 2, day, day, "day"
        if nxt == "weekend":
            sat, sun = weekend(d)
            return i + 2, sat, sun, "span"
        if nxt in {"week", "month", "year"}:
            start, end = _previous_period(d, UNITS[nxt])
            return i + 2, start, end, "span"
        return _past_span(tokens, i + 1, d)
    if low == "past":
        return _past_span(tokens, i + 1, d)
    if low in {"all", "whole"} and nxt == "of":
        # "for all of 2022", "the whole of March".
        dated = date_at(tokens, i + 2, d, bare=True)
        if dated is None or dated[2] == "day":
            return None
        return dated[3], dated[0], dated[1], "span"
    if low in {"q", "h"} and tokens[i].cap:
        return _quarter_code(tokens, i, d)
    if low in {"between", "from"}:
        return _range(tokens, i + 1, d)
    return _counted_or_dated(tokens, i, d)


# The prepositions _match hands to _after_preposition, and every word its chain tests; a
# word outside both reads as _counted_or_dated reads it.
_PREPOSITIONS = _SPAN_PREPS | frozenset(("at", "on"))
_CHAIN_WORDS = _PREPOSITIONS | frozenset(
    word_list(
        "today tonight yesterday overnight this earlier later next coming early mid late so "
        "since last past all whole q h between from"
    )
    + [first for first, _ in _HOLIDAYS]
)


def _after_preposition(tokens: list[Token], i: int, d: date, low: str, nxt: str) -> Match | None:
    """_match at a preposition ("in", "on", "at", "over", "for"...): "in the past week",
    "on Monday", "over the weekend", "in March and April", "over 48 hours"."""
    if nxt == "the":
        found = _the(tokens, i + 1, d)
        if found is not None:
            return found
    elif nxt == "weekend" and low in {"at", "over", "during"}:
        sat, sun = weekend(d)
        return i + 2, sat, sun, "span"
    if low in {"in", "during", "throughout"}:
        dated = date_at(tokens, i + 1, d, bare=True)
        if dated is None:
            return _in_units(tokens, i, d) if low == "in" else None
        start, end, gran, j = dated
        if gran != "day" and low_at(tokens, j) == "and":
            # "in 2001 and 2002", "in March and April".
            second = date_at(tokens, j + 1, d, bare=True)
            if second is not None and second[2] == gran and start < second[0]:
                return second[3], start, second[1], "span"
        return j, start, end, ("day" if gran == "day" else "span")
    if low == "over":
        return _in_units(tokens, i, d)
    if low == "on":
        return _on(tokens, i, d)
    return _counted_or_dated(tokens, i, d)


def _counted_or_dated(tokens: list[Token], i: int, d: date) -> Match | None:
    """A count of units back or forth ("3 days ago", "two weeks earlier"), a war's length,
    a year as a modifier ("2014 floods") or a date ("12 March", "2014")."""
    count = count_at(tokens, i)
    if count is not None:
        n_units, j = count
        n = len(tokens)
        unit = UNITS.get(tokens[j].low) if j < n else None
        after = tokens[j + 1].low if j + 1 < n else ""
        if unit is not None and after == "ago":
            day = _units_back(d, n_units, unit) if unit != "hour" else d
            return j + 2, day, day, "day"
        if unit in {"day", "week"} and (
            after in {"earlier", "later"}
            or (after == "before" and (j + 2 >= len(tokens) or tokens[j + 2].kind == PUNCT))
        ):
            days = n_units * (7 if unit == "week" else 1)
            shifted = d + timedelta(days=days if after == "later" else -days)
            return j + 2, shifted, shifted, _RELATIVE
        # A war's length needs a unit or a hyphen after the count ("13 years of", "13-year"):
        # without either _war_length has nothing to read, and is not asked.
        if unit is not None or (j < n and tokens[j].low == "-"):
            war = _war_length(tokens, i, d, count)
            if war is not None:
                return war
    year = _year_modifier(tokens, i)
    if year is not None:
        return i + 1, date(year, 1, 1), date(year, 12, 31), "span"
    dated = date_at(tokens, i, d, bare=False)
    if dated is None:
        return None
    start, end, gran, j = dated
    if gran == "day" and i > 0 and tokens[i - 1].low == "next":
        return j, d, d, _NO_PERIOD
    # "Feb. 1-12" without a preposition.
    if gran == "day" and low_at(tokens, j) in {"-", "–"} and not tokens[j].gap:
        day_read = day_at(tokens, j + 1)
        if day_read is not None:
            last = date_or_none(start.year, start.month, day_read[0])
            if last is not None and last >= start:
                return day_read[1], start, last, "span"
    return j, start, end, ("day" if gran == "day" else "span")


def _year_modifier(tokens: list[Token], i: int) -> int | None:
    """ "a 1999 earthquake", "the 2004 tsunami": a year that dates the event it names."""
    if i == 0 or tokens[i - 1].low not in {"a", "an", "the"} or year_at(tokens, i) is None:
        return None
    nxt = tokens[i + 1] if i + 1 < len(tokens) else None
    if nxt is None or nxt.kind != WORD or not nxt.gap or nxt.cap or nxt.low.endswith("s"):
        # "the 2000 refugees" is a count; a plural after a year is what it counts.
        return None
    return int(tokens[i].text)


def _on(tokens: list[Token], i: int, d: date) -> Match | None:
    """After "on": a day, or two days joined by "and" ("on Saturday and Sunday")."""
    dated = date_at(tokens, i + 1, d, bare=False)
    if dated is None or dated[2] != "day":
        return None
    j = dated[3]
    if low_at(tokens, j) == "and":
        second = date_at(tokens, j + 1, d, bare=False)
        if second is not None and second[2] == "day":
            first, last = sorted((dated[0], second[0]))
            if (last - first).days <= 7:
                return second[3], first, last, "span"
        day_read = day_at(tokens, j + 1) if tokens[i + 1].low in MONTHS else None
        if day_read is not None and month_at(tokens, day_read[1]) is None:
            # "on Nov. 29 and 30": the second day shares the month.
            last_day = date_or_none(dated[0].year, dated[0].month, day_read[0])
            if last_day is not None and dated[0] < last_day <= dated[0] + timedelta(days=7):
                return day_read[1], dated[0], last_day, "span"
    return j, dated[0], dated[1], "day"


def _in_units(tokens: list[Token], i: int, d: date) -> Match | None:
    """ "in just seven days", "over 48 hours": the span ending on d."""
    k = i + 1
    if low_at(tokens, k) in {"just", "only", "barely", "less", "under"}:
        k += 2 if low_at(tokens, k) == "less" and low_at(tokens, k + 1) == "than" else 1
    read = count_at(tokens, k)
    if read is None:
        return None
    count, k = read
    unit = UNITS.get(low_at(tokens, k))
    if unit is None or low_at(tokens, k + 1) in {"of", "time", "'", "’", "from", "after", "old"}:
        return None
    if k + 1 < len(tokens) and tokens[k + 1].text in {"-", "'", "’"} and not tokens[k + 1].gap:
        return None
    return k + 1, _units_back(d, count, unit), d, "span"


# Every word a time expression can open with; any other word is skipped at once, which keeps
# the scan cheap on the ordinary words that make up most of a sentence.
_STARTS = (
    frozenset(
        word_list(
            "today tonight yesterday overnight this earlier later next coming early mid late so "
            "since last past the in over during within for throughout at on q h between from "
            "new christmas boxing a an one all whole"
        )
    )
    | frozenset(MONTHS)
    | frozenset(w + end for w in WEEKDAYS for end in ("", "'s", "’s", "'", "’"))
    | frozenset(SMALL)
    | frozenset(TENS)
)


# TimeFrame(...) without type.__call__ (see types.maker): one a time expression read.
_time_frame = maker(TimeFrame)


def find_time_frames(
    tokens: list[Token], text: str, reported_on: date
) -> list[tuple[int, int, TimeFrame]]:
    """Every time expression in the tokens as (first token, end token, frame), left to right.

    "the previous day" and "two days earlier" are read from the last day named before them;
    "next week" and "later this month" are skipped, so their words are not read as a past
    period either."""
    found: list[tuple[int, int, TimeFrame]] = []
    last_day: date | None = None
    # One pass picks the tokens a time expression can start on (numbers and a few words);
    # the loop reads from each in turn, skipping those inside the last expression read.
    starts = [k for k, t in enumerate(tokens) if t.kind == NUM or t.low in _STARTS]
    i = 0
    for at in starts:
        if at < i:
            continue
        i = at
        try:
            match = _match(tokens, i, reported_on)
        except (ValueError, OverflowError):
            # Date arithmetic at the edges of the calendar (year 1 or 9999): no period.
            match = None
        if match is None or match[0] <= i:
            i += 1
            continue
        j, start, end, kind = match
        if kind == _SAME_PERIOD:
            if not found:
                i = j
                continue
            try:
                start, end = _moved_to_year(found[-1][2], start.year)
            except (ValueError, OverflowError):
                i = j
                continue
            kind = "span"
        if kind == _RELATIVE:
            offset = start - reported_on
            if last_day is not None:
                start = end = last_day + offset
            elif offset.days >= 0 and tokens[i].low not in {"earlier", "later"}:
                # "the following day" with no day before it: no period.
                i = j
                continue
            kind = "day"
        if kind in {"day", "span"} and start <= reported_on and is_onset(tokens, i):
            # "The war, which began in April 2023, has killed ...": counts run from then.
            end, kind = reported_on, "to_date"
        if kind != _NO_PERIOD:
            first = i
            if found and kind in {"day", "span"} and _joined(tokens, found[-1], i):
                # "overnight and on Friday", "on Monday and early on Tuesday": one span.
                prev = found.pop()
                first, start, end = prev[0], min(start, prev[2].start), max(end, prev[2].end)
                kind = "span" if start != end else "day"
            words = span_text(text, tokens, first, j)
            found.append((first, j, _time_frame(start, end, kind, words)))
            if kind == "day":
                last_day = start
        i = j
    return found


def _joined(tokens: list[Token], prev: tuple[int, int, TimeFrame], i: int) -> bool:
    """Whether a frame at i follows the previous one across a lone "and"."""
    k = prev[1]
    return (
        prev[2].kind in {"day", "span"}
        and k + 1 == i
        and tokens[k].low == "and"
        and abs((prev[2].end - prev[2].start).days) <= 7
    )


def parse_time_frame(text: str, reported_on: date) -> TimeFrame | None:
    """The first time expression in text, read against reported_on."""
    if not isinstance(text, str) or not isinstance(reported_on, date):
        return None
    frames = find_time_frames(tokenize(text), text, reported_on)
    return frames[0][2] if frames else None


def is_onset(tokens: list[Token], first: int) -> bool:
    """ "The war, which began in April 2023, has killed ...": the date something began on,
    from which the count in the sentence runs."""
    if tokens[first].low not in {"in", "on"}:
        return False
    for k in range(first - 1, first - 9 if first > 8 else -1, -1):
        tok = tokens[k]
        if tok.low in _ONSET_VERBS:
            return True
        if tok.kind == NUM or (tok.kind == PUNCT and tok.text not in {".", "-", "'", "’"}):
            return False
    return False
