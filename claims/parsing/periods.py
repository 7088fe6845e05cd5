"""Time expressions read against the report date, by the DESIGN time-frame table.

dateparser returns nothing for the relative forms copy uses ("so far this month", "since
Monday", "in the past 24 hours") and takes "so" for a date, so the grammar is ours: at each
token a handful of matchers look a few tokens ahead and return a period or nothing.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from claims.parsing.numbers import SMALL, TENS, read_number
from claims.parsing.tokens import NUM, WORD, Token, base_word, span_text, tokenize
from claims.parsing.types import TimeFrame

MONTHS: dict[str, int] = {
    "january": 1,
    "jan": 1,
    "february": 2,
    "feb": 2,
    "march": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "may": 5,
    "june": 6,
    "jun": 6,
    "july": 7,
    "jul": 7,
    "august": 8,
    "aug": 8,
    "september": 9,
    "sept": 9,
    "sep": 9,
    "october": 10,
    "oct": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
}
# Month words that are also ordinary English words only count when capitalised.
_NEEDS_CAPITAL = frozenset(
    {"may", "march", "mar", "jan", "feb", "apr", "jun", "jul", "aug", "sep", "sept", "oct"}
)
_NEEDS_CAPITAL |= {"nov", "dec"}
WEEKDAYS: dict[str, int] = {
    "monday": 0,
    "tuesday": 1,
    "wednesday": 2,
    "thursday": 3,
    "friday": 4,
    "saturday": 5,
    "sunday": 6,
}
_PARTS_OF_DAY = frozenset({"morning", "afternoon", "evening", "night"})
_UNITS: dict[str, str] = {
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
}
_SPAN_PREPS = frozenset({"in", "over", "during", "within", "for", "throughout"})
_RANGE_LINKS = frozenset({"to", "until", "till", "through", "-", "–", "and"})
# Qualifiers of a year in "since mid-2012" and of a month in "since early February".
_YEAR_PART = {"early": 1, "mid": 7, "late": 10}
_MONTH_PART = {"early": 1, "mid": 15, "late": 21}

Match = tuple[int, date, date, str]


def _month_end(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


def _add_months(d: date, months: int) -> date:
    total = d.year * 12 + (d.month - 1) + months
    y, m = divmod(total, 12)
    m += 1
    return date(y, m, min(d.day, calendar.monthrange(y, m)[1]))


def _month_at(tokens: list[Token], i: int) -> tuple[int, int] | None:
    if i >= len(tokens) or tokens[i].kind != WORD:
        return None
    tok = tokens[i]
    m = MONTHS.get(tok.low)
    if m is None or (tok.low in _NEEDS_CAPITAL and not tok.cap):
        return None
    j = i + 1
    if j < len(tokens) and tokens[j].text == "." and not tokens[j].gap:
        j += 1
    return m, j


def _day_at(tokens: list[Token], i: int) -> tuple[int, int] | None:
    if i >= len(tokens) or tokens[i].kind != NUM or len(tokens[i].text) > 2:
        return None
    day = int(tokens[i].text)
    if not 1 <= day <= 31:
        return None
    j = i + 1
    if j < len(tokens) and not tokens[j].gap and tokens[j].low in ("st", "nd", "rd", "th"):
        j += 1
    return day, j


def _year_at(tokens: list[Token], i: int) -> tuple[int, int] | None:
    if i >= len(tokens):
        return None
    tok = tokens[i]
    if tok.kind != NUM or len(tok.text) != 4 or not tok.text.isdigit():
        return None
    y = int(tok.text)
    if not 1900 <= y <= 2100:
        return None
    # "2014-02-12" is read whole by _iso_at; "2011-2013" is a range of years.
    return y, i + 1


def _skip_comma(tokens: list[Token], j: int) -> int:
    return j + 1 if j < len(tokens) and tokens[j].text == "," else j


def _dated(y: int, m: int, day: int) -> date | None:
    try:
        return date(y, m, day)
    except ValueError:
        return None


def _day_in_year(d: date, m: int, day: int) -> date | None:
    """A day given without a year: in d's year, or the year before when it would be later."""
    found = _dated(d.year, m, day)
    if found is not None and found > d:
        found = _dated(d.year - 1, m, day)
    return found


def _weekday_on_or_before(d: date, wd: int, strictly: bool = False) -> date:
    back = (d.weekday() - wd) % 7
    if strictly and back == 0:
        back = 7
    return d - timedelta(days=back)


def _weekend(d: date) -> tuple[date, date]:
    saturday = _weekday_on_or_before(d - timedelta(days=1), 5)
    return saturday, saturday + timedelta(days=1)


def _iso_at(tokens: list[Token], i: int) -> tuple[date, int] | None:
    n = len(tokens)
    if i + 4 >= n or _year_at(tokens, i) is None:
        return None
    parts = tokens[i : i + 5]
    if parts[1].text != "-" or parts[3].text != "-" or any(t.gap for t in parts[1:]):
        return None
    if parts[2].kind != NUM or parts[4].kind != NUM:
        return None
    found = _dated(int(parts[0].text), int(parts[2].text), int(parts[4].text))
    return (found, i + 5) if found is not None else None


def _date_at(
    tokens: list[Token], i: int, d: date, *, bare: bool
) -> tuple[date, date, str, int] | None:
    """An absolute date, weekday, month or year at tokens[i]: (start, end, granularity, next).

    With bare=False a lone month or year is not taken: "March" and "2011" only read as
    periods after a preposition that makes them one ("in", "since", "between").
    """
    n = len(tokens)
    if i >= n:
        return None
    tok = tokens[i]
    weekday = base_word(tok.low)
    if weekday in WEEKDAYS:
        j = _skip_comma(tokens, i + 1)
        dated = _date_at(tokens, j, d, bare=False) if weekday == tok.low else None
        if dated is not None and dated[2] == "day":
            return dated
        on = _weekday_on_or_before(d, WEEKDAYS[weekday])
        return on, on, "day", i + 1
    iso = _iso_at(tokens, i)
    if iso is not None:
        return iso[0], iso[0], "day", iso[1]
    month = _month_at(tokens, i)
    if month is not None:
        m, j = month
        day_read = _day_at(tokens, j)
        if day_read is not None:
            day, k = day_read
            year_read = _year_at(tokens, _skip_comma(tokens, k))
            if year_read is not None:
                found = _dated(year_read[0], m, day)
                k = year_read[1]
            else:
                found = _day_in_year(d, m, day)
            if found is None:
                return None
            return found, found, "day", k
        year_read = _year_at(tokens, _skip_comma(tokens, j))
        if year_read is not None:
            y = year_read[0]
            return date(y, m, 1), _month_end(y, m), "month", year_read[1]
        if not bare:
            return None
        y = d.year if m <= d.month else d.year - 1
        return date(y, m, 1), _month_end(y, m), "month", j
    day_read = _day_at(tokens, i)
    if day_read is not None:
        day, j = day_read
        if j < n and tokens[j].low == "of":
            j += 1
        month = _month_at(tokens, j)
        if month is None:
            return None
        m, k = month
        year_read = _year_at(tokens, _skip_comma(tokens, k))
        if year_read is not None:
            found = _dated(year_read[0], m, day)
            k = year_read[1]
        else:
            found = _day_in_year(d, m, day)
        if found is None:
            return None
        return found, found, "day", k
    if bare:
        year_read = _year_at(tokens, i)
        if year_read is not None:
            y = year_read[0]
            return date(y, 1, 1), date(y, 12, 31), "year", year_read[1]
    return None


def _count_at(tokens: list[Token], i: int) -> tuple[int, int] | None:
    """A small count of time units: "24", "three", "a", "two dozen" is not one."""
    if i >= len(tokens):
        return None
    low = tokens[i].low
    if low in ("a", "an", "one"):
        return 1, i + 1
    if low in ("few", "several", "couple"):
        return None
    if tokens[i].kind != NUM and low not in SMALL and low not in TENS:
        return None
    read = read_number(tokens, i)
    if read is None or read.vague or read.decimal or read.low > 10_000:
        return None
    return read.low, read.end


def _units_back(d: date, count: int, unit: str) -> date:
    if unit == "hour":
        return d - timedelta(days=max(1, -(-count // 24)))
    if unit == "day":
        return d - timedelta(days=count)
    if unit == "week":
        return d - timedelta(days=7 * count)
    if unit == "month":
        return _add_months(d, -count)
    return _add_months(d, -12 * count)


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


def _low(tokens: list[Token], i: int) -> str:
    return tokens[i].low if i < len(tokens) else ""


def _past_span(tokens: list[Token], i: int, d: date) -> Match | None:
    """After "past" or "last": "24 hours", "three days", "week", "two weeks"."""
    count = _count_at(tokens, i)
    j = i
    if count is not None and _low(tokens, count[1]) in _UNITS:
        n_units, j = count
    elif _low(tokens, i) in ("few", "several") or _low(tokens, i) not in _UNITS:
        return None
    else:
        n_units = 1
    unit = _UNITS[_low(tokens, j)]
    if n_units < 1:
        return None
    return j + 1, _units_back(d, n_units, unit), d, "span"


def _since(tokens: list[Token], i: int, d: date) -> Match | None:
    """What follows "since": the start of a to-date period."""
    low = _low(tokens, i)
    start: date | None = None
    j = i
    if (
        low == "the"
        and _low(tokens, i + 1) in ("beginning", "start", "outset", "first")
        and (_low(tokens, i + 2) == "of")
    ):
        k = i + 3
        if _low(tokens, k) in ("the", "this"):
            k += 1
        unit = _UNITS.get(_low(tokens, k))
        if unit in ("week", "month", "year"):
            return k + 1, _period_start(d, unit), d, "to_date"
        dated = _date_at(tokens, i + 3, d, bare=True)
        if dated is None:
            return None
        start, j = dated[0], dated[3]
    elif low in _YEAR_PART:
        k = i + 1
        if _low(tokens, k) in ("-", "–"):
            k += 1
        year_read = _year_at(tokens, k)
        month = _month_at(tokens, k)
        if year_read is not None:
            start, j = date(year_read[0], _YEAR_PART[low], 1), year_read[1]
        elif month is not None:
            dated = _date_at(tokens, k, d, bare=True)
            if dated is None:
                return None
            start = dated[0].replace(day=_MONTH_PART[low])
            j = dated[3]
        else:
            return None
    elif low == "yesterday":
        start, j = d - timedelta(days=1), i + 1
    elif low == "last" and _low(tokens, i + 1) in ("week", "month", "year"):
        start = _previous_period(d, _UNITS[_low(tokens, i + 1)])[0]
        j = i + 2
    elif low == "last" and _low(tokens, i + 1) in WEEKDAYS:
        start = _weekday_on_or_before(d, WEEKDAYS[_low(tokens, i + 1)], strictly=True)
        j = i + 2
    else:
        dated = _date_at(tokens, i, d, bare=True)
        if dated is None:
            return None
        start, j = dated[0], dated[3]
    if start is None or start > d:
        return None
    return j, start, d, "to_date"


def _this(tokens: list[Token], i: int, d: date) -> Match | None:
    """After "this": "week", "month", "year", "weekend", "morning"."""
    low = _low(tokens, i)
    if low in _PARTS_OF_DAY:
        return i + 1, d, d, "day"
    if low == "weekend":
        sat, sun = _weekend(d)
        return i + 1, sat, sun, "span"
    unit = _UNITS.get(low)
    if unit not in ("week", "month", "year"):
        return None
    j = i + 1
    if _low(tokens, j) == "so" and _low(tokens, j + 1) == "far":
        j += 2
    return j, _period_start(d, unit), d, "to_date"


def _range(tokens: list[Token], i: int, d: date) -> Match | None:
    """After "between" or "from": two dates joined by "and", "to", "until" or a dash."""
    first = _date_at(tokens, i, d, bare=True)
    bare_day = None
    if first is None:
        day_read = _day_at(tokens, i)
        if day_read is None:
            return None
        bare_day, link_at = day_read
    else:
        link_at = first[3]
    if _low(tokens, link_at) not in _RANGE_LINKS:
        return None
    second = _date_at(tokens, link_at + 1, d, bare=True)
    if second is None and first is not None and first[2] == "day":
        # "from Feb. 1 to 12": the second day shares the first one's month.
        day_read = _day_at(tokens, link_at + 1)
        if day_read is None:
            return None
        end = _dated(first[0].year, first[0].month, day_read[0])
        if end is None or end < first[0]:
            return None
        return day_read[1], first[0], end, "span"
    if second is None:
        return None
    if bare_day is not None:
        if second[2] != "day":
            return None
        start = _dated(second[0].year, second[0].month, bare_day)
        if start is None:
            return None
    elif first is not None:
        start = first[0]
    else:
        return None
    end = second[1]
    if start > end:
        return None
    return second[3], start, end, "span"


def _match(tokens: list[Token], i: int, d: date) -> Match | None:
    low = tokens[i].low
    nxt = _low(tokens, i + 1)
    if low in ("today", "tonight"):
        return i + 1, d, d, "day"
    if low == "yesterday":
        j = i + 2 if nxt in _PARTS_OF_DAY else i + 1
        day = d - timedelta(days=1)
        return j, day, day, "day"
    if low == "overnight":
        return i + 1, d - timedelta(days=1), d, "span"
    if low == "this":
        return _this(tokens, i + 1, d)
    if low in ("earlier", "later") and nxt == "this":
        found = _this(tokens, i + 2, d)
        if found is not None and found[3] == "to_date":
            return found
        return None
    if low == "so" and nxt == "far":
        if _low(tokens, i + 2) == "this":
            return _this(tokens, i + 3, d)
        if _low(tokens, i + 2) == "in":
            dated = _date_at(tokens, i + 3, d, bare=True)
            if dated is not None and dated[0] <= d:
                return dated[3], dated[0], d, "to_date"
        return None
    if low == "since":
        return _since(tokens, i + 1, d)
    if low == "last":
        if nxt == "night":
            day = d - timedelta(days=1)
            return i + 2, day, day, "day"
        if nxt in WEEKDAYS:
            day = _weekday_on_or_before(d, WEEKDAYS[nxt], strictly=True)
            return i + 2, day, day, "day"
        if nxt == "weekend":
            sat, sun = _weekend(d)
            return i + 2, sat, sun, "span"
        if nxt in ("week", "month", "year"):
            start, end = _previous_period(d, _UNITS[nxt])
            return i + 2, start, end, "span"
        return _past_span(tokens, i + 1, d)
    if low == "past":
        return _past_span(tokens, i + 1, d)
    if low == "the" and nxt in ("past", "last"):
        return _past_span(tokens, i + 2, d)
    if low in _SPAN_PREPS and nxt == "the" and _low(tokens, i + 2) in ("past", "last"):
        return _past_span(tokens, i + 3, d)
    if low in _SPAN_PREPS | {"at", "the"} and (
        nxt == "weekend" or (nxt == "the" and _low(tokens, i + 2) == "weekend")
    ):
        sat, sun = _weekend(d)
        return (i + 2 if nxt == "weekend" else i + 3), sat, sun, "span"
    if low in ("between", "from"):
        return _range(tokens, i + 1, d)
    if low in ("in", "during", "throughout"):
        dated = _date_at(tokens, i + 1, d, bare=True)
        if dated is None:
            return None
        start, end, gran, j = dated
        return j, start, end, ("day" if gran == "day" else "span")
    if low == "on":
        dated = _date_at(tokens, i + 1, d, bare=False)
        if dated is None or dated[2] != "day":
            return None
        return dated[3], dated[0], dated[1], "day"
    count = _count_at(tokens, i)
    if count is not None:
        n_units, j = count
        unit = _UNITS.get(_low(tokens, j))
        if unit is not None and _low(tokens, j + 1) == "ago":
            day = _units_back(d, n_units, unit) if unit != "hour" else d
            return j + 2, day, day, "day"
    dated = _date_at(tokens, i, d, bare=False)
    if dated is None:
        return None
    start, end, gran, j = dated
    # "Feb. 1-12" without a preposition.
    if gran == "day" and _low(tokens, j) in ("-", "–") and not tokens[j].gap:
        day_read = _day_at(tokens, j + 1)
        if day_read is not None:
            last = _dated(start.year, start.month, day_read[0])
            if last is not None and last >= start:
                return day_read[1], start, last, "span"
    return j, start, end, ("day" if gran == "day" else "span")


def find_time_frames(
    tokens: list[Token], text: str, reported_on: date
) -> list[tuple[int, int, TimeFrame]]:
    """Every time expression in the tokens as (first token, end token, frame), left to right."""
    found: list[tuple[int, int, TimeFrame]] = []
    i = 0
    n = len(tokens)
    while i < n:
        tok = tokens[i]
        if tok.kind == "punct":
            i += 1
            continue
        try:
            match = _match(tokens, i, reported_on)
        except (ValueError, OverflowError):
            # Date arithmetic at the edges of the calendar (year 1 or 9999): no period.
            match = None
        if match is None or match[0] <= i:
            i += 1
            continue
        j, start, end, kind = match
        words = span_text(text, tokens, i, j)
        found.append((i, j, TimeFrame(start, end, kind, words)))
        i = j
    return found


def parse_time_frame(text: str, reported_on: date) -> TimeFrame | None:
    """The first time expression in text, read against reported_on."""
    if not isinstance(text, str) or not isinstance(reported_on, date):
        return None
    frames = find_time_frames(tokenize(text), text, reported_on)
    return frames[0][2] if frames else None
