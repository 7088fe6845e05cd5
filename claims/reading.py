"""The reading rule, in one place: which fields the editor owns, how a parsed reading
becomes claim fields, how a changed qualifier or value re-derives the interval, and
which dates a claim or story may carry.

Plain data in, plain data out, and nothing from Django, so that the forms, the
services (typed claims, the API, story acceptance) and the draft check all import
the same rule. Places and sources stay as the parser named them; the services
resolve them against the registers.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from claims.parsing import ParsedClaim
from claims.parsing.numbers import interval
from claims.parsing.types import PlaceMatch

FIGURE = ("value_low", "value_high", "qualifier")
PERIOD = ("period_start", "period_end", "period_kind", "time_expression")

# Fields that only mean something together: an editor who gives one of a group owns
# all of it, so the parser's qualifier never lands on the editor's bounds, nor its
# start on the editor's end. Every other field (event, population, unit, place, the
# projection) is owned alone: giving the event leaves the parser's figure standing.
FIELD_GROUPS: dict[str, tuple[str, ...]] = {
    "figure": FIGURE,
    "unit": ("unit",),
    "event": ("event",),
    "population": ("population",),
    "projection": ("is_projection",),
    "place": ("place",),
    "period": PERIOD,
    "sources": ("sources", "source_text"),
}

# Qualifiers whose interval follows from one figure (DESIGN): the others ("range",
# "vague", none) keep the bounds as typed.
DERIVED = frozenset({"exact", "approx", "at_least", "more_than", "at_most", "fewer_than"})


_LEADING_BOUND = {"at_most": "value_high", "fewer_than": "value_high"}


def owned_fields(given: Iterable[str]) -> set[str]:
    """The fields the editor owns when they gave `given`: each given field, with the
    rest of its group."""
    given = set(given)
    owned = set(given)
    for names in FIELD_GROUPS.values():
        if given & set(names):
            owned |= set(names)
    return owned


@dataclass(frozen=True)
class ParsedFields:
    """A parsed reading as claim fields, with its place and source as the parser named
    them (the services resolve them)."""

    fields: dict[str, Any]
    place: PlaceMatch | None = None
    source_id: int | None = None
    source_name: str = ""
    words: dict[str, str] = field(default_factory=dict)


def parsed_fields(parsed: ParsedClaim | None) -> ParsedFields:
    """The claim fields a parser's reading gives: the figure and what it counts (only
    when there is a figure), the period (only when whole) and the source's words."""
    fields: dict[str, Any] = {}
    if parsed is None:
        return ParsedFields(fields)
    # A statement without a number ("talks on extending the truce") is not a count:
    # its event words would only put it into a block it cannot clash with.
    if parsed.value_low is not None:
        fields.update(
            value_low=parsed.value_low,
            value_high=parsed.value_high,
            qualifier=parsed.qualifier or "",
            unit=parsed.unit or "people",
            event=parsed.event or "",
            population=parsed.population or "all",
            is_projection=parsed.projection,
        )
    if parsed.period_start is not None and parsed.period_end is not None:
        fields.update(
            period_start=parsed.period_start,
            period_end=parsed.period_end,
            period_kind=parsed.period_kind or "",
            time_expression=parsed.time_expression[:200],
        )
    source = parsed.source
    source_id = source.source_id if source is not None else None
    if source_id is None and parsed.source_text:
        fields["source_text"] = parsed.source_text[:200]
    return ParsedFields(
        fields,
        place=parsed.place,
        source_id=source_id,
        source_name=(source.name or "") if source is not None and source_id is not None else "",
        words={str(source_id): parsed.source_text[:200]} if source_id is not None else {},
    )


def figure_point(low: int | None, high: int | None, qualifier: str) -> int | None:
    """The one figure an interval was derived from ("about 300" for [270, 330])."""
    if low is None:
        return high
    if qualifier == "more_than":
        return low - 1
    if qualifier == "at_most":
        return high
    if qualifier == "fewer_than":
        return None if high is None else high + 1
    if qualifier in ("approx", "range", "vague") and high is not None:
        return round((low + high) / 2)
    return low


def settle_figure(
    given: Mapping[str, Any], before: Mapping[str, Any] | None, tolerance: float
) -> dict[str, Any]:
    """The figure after the editor gave `given` (some of value_low, value_high,
    qualifier) over the figure `before` (the reading they saw, or the stored claim).

    A changed qualifier re-derives the interval from the figure it had ("about" 300
    becoming "at least" is [300, None]); one changed bound under a derived qualifier
    is the new figure when the qualifier hangs on it ("about" with a low of 500 is 500
    give or take `tolerance`); bounds the editor typed both, or under "range" or
    "vague", stay as typed."""
    before = before or {}
    figure = {name: given.get(name, before.get(name)) for name in FIGURE}
    qualifier = figure["qualifier"] = figure["qualifier"] or ""
    typed = [name for name in ("value_low", "value_high") if name in given]
    if qualifier not in DERIVED or len(typed) == 2 or not set(given) & set(FIGURE):
        return figure
    if typed:
        # Only the bound the qualifier hangs on names a figure ("up to" hangs on the
        # high one); the other bound typed is an interval, left to the validation.
        if typed != [_LEADING_BOUND.get(qualifier, "value_low")]:
            return figure
        value = given[typed[0]]
        if value is not None and qualifier == "more_than":
            value -= 1
        elif value is not None and qualifier == "fewer_than":
            value += 1
    else:
        value = figure_point(
            before.get("value_low"), before.get("value_high"), before.get("qualifier") or ""
        )
    if value is None:
        return figure
    low, high, qualifier = interval(value, qualifier, tolerance)
    return {"value_low": low, "value_high": high, "qualifier": qualifier}


def changed_figure(values: Mapping[str, Any], before: Mapping[str, Any] | None) -> dict[str, Any]:
    """The figure fields of `values` that differ from `before` (what the editor changed)."""
    before = before or {}
    return {
        name: values[name] for name in FIGURE if name in values and values[name] != before.get(name)
    }


# ---------------------------------------------------------------------------
# Dates a newsroom can mean

# Nothing the desk checks happened before this; a year such as 24 or 214 is a typo
# for 2024 or 2014, and one that far back would stretch every chart it shares.
EARLIEST_DATE = date(1900, 1, 1)
# Dates read against the report date (a period may run a little ahead of the copy: a
# plan, a projection); every other date is held to a year after today.
READ_AGAINST_REPORT = ("period_start", "period_end")


def year_after(day: date) -> date:
    """The same day a year later (28 February after a leap day; the calendar's last
    day when there is no later year)."""
    if day.year >= date.max.year:
        return date.max
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return date(day.year + 1, 2, 28)


def date_problems(dates: Mapping[str, date | None], *, today: date) -> dict[str, str]:
    """What is wrong with each of `dates` (claim or story fields by name: dates or
    datetimes, None for none), as a message for that field; an empty dict when all can
    be meant. A date is refused before 1900, or more than a year after the report date
    (`reported_on`, or `today` without one) for a period, or after `today` otherwise."""
    report = _day(dates.get("reported_on"))
    problems = {}
    for name, value in dates.items():
        day = _day(value)
        if day is None:
            continue
        if day < EARLIEST_DATE:
            problems[name] = f"{day.isoformat()} is before {EARLIEST_DATE.year}: check the year."
            continue
        reference = report if name in READ_AGAINST_REPORT and report is not None else today
        if day > year_after(reference):
            what = "today" if reference is today else "the report date"
            problems[name] = (
                f"{day.isoformat()} is more than a year after {what} "
                f"({reference.isoformat()}): check the year."
            )
    return problems


def _day(value: object) -> date | None:
    # Anything else (a value the field's own validation refused) is that field's
    # problem, reported there.
    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, date) else None
