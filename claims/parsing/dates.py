"""Dates as copy writes them, read at one token: a weekday ("Monday", "Monday's"), a month
with or without its day and year ("Feb. 12", "12 February 2014", "March 2011"), an ISO date,
a bare year; a small count of time units ("24", "three"); and the calendar arithmetic the
period grammar in periods.py builds on.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from claims.parsing.numbers import SMALL, TENS, read_number
from claims.parsing.tokens import NUM, WORD, Token

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
    | {"nov", "dec"}
)
WEEKDAYS: dict[str, int] = {
    "monday": 0,
    "tuesday": 1,
    "wednesday": 2,
    "thursday": 3,
    "friday": 4,
    "saturday": 5,
    "sunday": 6,
}


def month_end(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


def add_months(d: date, months: int) -> date:
    total = d.year * 12 + (d.month - 1) + months
    y, m = divmod(total, 12)
    m += 1
    return date(y, m, min(d.day, calendar.monthrange(y, m)[1]))


def month_at(tokens: list[Token], i: int) -> tuple[int, int] | None:
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


def day_at(tokens: list[Token], i: int) -> tuple[int, int] | None:
    if i >= len(tokens) or tokens[i].kind != NUM or len(tokens[i].text) > 2:
        return None
    day = int(tokens[i].text)
    if not 1 <= day <= 31:
        return None
    j = i + 1
    if j < len(tokens) and not tokens[j].gap and tokens[j].low in {"st", "nd", "rd", "th"}:
        j += 1
    return day, j


def year_at(tokens: list[Token], i: int) -> tuple[int, int] | None:
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


def date_or_none(y: int, m: int, day: int) -> date | None:
    try:
        return date(y, m, day)
    except ValueError:
        return None


def day_in_year(d: date, m: int, day: int) -> date | None:
    """A day given without a year: in d's year, or the year before when it would be later."""
    found = date_or_none(d.year, m, day)
    if found is not None and found > d:
        found = date_or_none(d.year - 1, m, day)
    return found


def _day_with_year(
    tokens: list[Token], k: int, d: date, m: int, day: int
) -> tuple[date, date, str, int] | None:
    """A day and month read up to tokens[k], with the year that may follow ("12 March,
    2014"); without one, the day falls in d's year or the year before."""
    year_read = year_at(tokens, _skip_comma(tokens, k))
    if year_read is not None:
        found = date_or_none(year_read[0], m, day)
        k = year_read[1]
    else:
        found = day_in_year(d, m, day)
    if found is None:
        return None
    return found, found, "day", k


def weekday_on_or_before(d: date, wd: int, strictly: bool = False) -> date:
    back = (d.weekday() - wd) % 7
    if strictly and back == 0:
        back = 7
    return d - timedelta(days=back)


def weekend(d: date) -> tuple[date, date]:
    saturday = weekday_on_or_before(d - timedelta(days=1), 5)
    return saturday, saturday + timedelta(days=1)


def _iso_at(tokens: list[Token], i: int) -> tuple[date, int] | None:
    n = len(tokens)
    if i + 4 >= n or year_at(tokens, i) is None:
        return None
    parts = tokens[i : i + 5]
    if parts[1].text != "-" or parts[3].text != "-" or any(t.gap for t in parts[1:]):
        return None
    if parts[2].kind != NUM or parts[4].kind != NUM:
        return None
    found = date_or_none(int(parts[0].text), int(parts[2].text), int(parts[4].text))
    return (found, i + 5) if found is not None else None


def date_at(
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
    weekday = tok.base
    if tok.kind != NUM and weekday not in WEEKDAYS and tok.low not in MONTHS:
        # Only a weekday or a month opens a date with a word, and no date opens with a mark.
        return None
    if weekday in WEEKDAYS:
        j = _skip_comma(tokens, i + 1)
        dated = date_at(tokens, j, d, bare=False) if weekday == tok.low else None
        if dated is not None and dated[2] == "day":
            return dated
        on = weekday_on_or_before(d, WEEKDAYS[weekday])
        return on, on, "day", i + 1
    iso = _iso_at(tokens, i)
    if iso is not None:
        return iso[0], iso[0], "day", iso[1]
    month = month_at(tokens, i)
    if month is not None:
        m, j = month
        day_read = day_at(tokens, j)
        if day_read is not None:
            return _day_with_year(tokens, day_read[1], d, m, day_read[0])
        year_read = year_at(tokens, _skip_comma(tokens, j))
        if year_read is not None:
            y = year_read[0]
            return date(y, m, 1), month_end(y, m), "month", year_read[1]
        if not bare:
            return None
        y = d.year if m <= d.month else d.year - 1
        return date(y, m, 1), month_end(y, m), "month", j
    day_read = day_at(tokens, i)
    if day_read is not None:
        day, j = day_read
        if j < n and tokens[j].low == "of":
            j += 1
        month = month_at(tokens, j)
        if month is None:
            return None
        return _day_with_year(tokens, month[1], d, month[0], day)
    if bare:
        year_read = year_at(tokens, i)
        if year_read is not None:
            y = year_read[0]
            return date(y, 1, 1), date(y, 12, 31), "year", year_read[1]
    return None


def count_at(tokens: list[Token], i: int) -> tuple[int, int] | None:
    """A small count of time units: "24", "three", "a", "two dozen" is not one."""
    if i >= len(tokens):
        return None
    low = tokens[i].low
    if low in {"a", "an", "one"}:
        return 1, i + 1
    if low in {"few", "several", "couple"}:
        return None
    if tokens[i].kind != NUM and low not in SMALL and low not in TENS:
        return None
    read = read_number(tokens, i)
    if read is None or read.vague or read.decimal or read.low > 10_000:
        return None
    return read.low, read.end
