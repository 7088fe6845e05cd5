"""Write figures, dates and claims the way copy does, for flag messages.

"about 400", "at least 51", "20 to 30", "more than 1,000"; "12 Feb 2014",
"1–13 Feb 2014 (to date)". The stored intervals are read back into the words
an editor would have written.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from .types import ClaimFact

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

# The vague words of DESIGN.md ("Quantities as intervals"), read back.
VAGUE_WORDS: dict[tuple[int, int], str] = {
    (12, 12): "a dozen",
    (24, 99): "dozens",
    (200, 999): "hundreds",
    (2000, 9999): "thousands",
    (20000, 99999): "tens of thousands",
}

# "other" is a catch-all: naming it would read oddly ("12 trucks other").
EVENT_WORDS = {
    "killed": "killed",
    "injured": "injured",
    "displaced": "displaced",
    "evacuated": "evacuated",
    "detained": "detained",
    "missing": "missing",
    "other": "",
}

QUOTE_LIMIT = 80


def sentence(text: str) -> str:
    """Capitalise the first letter, as a message may open with "activists" or "about 400"."""
    return text[:1].upper() + text[1:]


def format_number(number: int) -> str:
    """1200 -> "1,200"; round millions as copy writes them: 1500000 -> "1.5 million"."""
    if number >= 1_000_000 and number % 100_000 == 0:
        millions = f"{number / 1_000_000:.1f}".removesuffix(".0")
        return f"{millions} million"
    return f"{number:,}"


def format_quantity(
    low: int | None, high: int | None, qualifier: str | None = None, tolerance: float = 0.10
) -> str:
    """An interval in the words of copy: [51, None] -> "at least 51"."""
    low = low if low is not None else 0
    if high is None:
        if qualifier == "more_than" and low > 0:
            return f"more than {format_number(low - 1)}"
        return f"at least {format_number(low)}"
    if low == high:
        return "a dozen" if qualifier == "vague" and low == 12 else format_number(low)
    if qualifier == "vague" and (low, high) in VAGUE_WORDS:
        return VAGUE_WORDS[(low, high)]
    if qualifier == "approx":
        approx = _approximate_words(low, high, tolerance)
        if approx:
            return approx
    if low == 0:
        if qualifier == "fewer_than":
            return f"fewer than {format_number(high + 1)}"
        return f"up to {format_number(high)}"
    return f"{format_number(low)} to {format_number(high)}"


def _approximate_words(low: int, high: int, tolerance: float) -> str:
    # "about 400" was stored as [360, 440] and "nearly 400" as [360, 400]; a
    # unit of slack covers the rounding done when they were stored.
    middle = round((low + high) / 2)
    if abs((high - low) - 2 * tolerance * middle) <= 1:
        return f"about {format_number(middle)}"
    if abs(low - high * (1 - tolerance)) <= 1:
        return f"nearly {format_number(high)}"
    return ""


def format_date(day: date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def format_datetime(moment: datetime) -> str:
    return format_date(moment.date())


def format_period(start: date, end: date | None, kind: str | None) -> str:
    """ "12 Feb 2014", "1–13 Feb 2014 (to date)", "28 Jan – 13 Feb 2014"."""
    end = end or start
    if start == end:
        text = format_date(start)
    elif (start.year, start.month) == (end.year, end.month):
        text = f"{start.day}–{format_date(end)}"
    elif start.year == end.year:
        text = f"{start.day} {MONTHS[start.month - 1]} – {format_date(end)}"
    else:
        text = f"{format_date(start)} – {format_date(end)}"
    return f"{text} (to date)" if kind == "to_date" else text


def period_words(fact: ClaimFact) -> str:
    """ "on 12 Feb 2014" for a day, "in 1–13 Feb 2014 (to date)" for a period."""
    if fact.period_start is None:
        return "at no stated time"
    end = fact.period_end or fact.period_start
    preposition = "on" if fact.period_start == end else "in"
    return f"{preposition} {format_period(fact.period_start, end, fact.period_kind)}"


def period_text(fact: ClaimFact) -> str:
    """The claim's period alone, with no preposition: "1–13 Feb 2014 (to date)"."""
    if fact.period_start is None:
        return "no stated time"
    return format_period(fact.period_start, fact.period_end, fact.period_kind)


def same_period_words(fact: ClaimFact) -> str:
    start, end = fact.period_start, fact.period_end or fact.period_start
    return "the same day" if start == end else "the same period"


def source_words(fact: ClaimFact) -> str:
    """The first source the claim is attributed to, or the claim itself when it has none."""
    if fact.sources:
        return fact.sources[0][0]
    return f"Claim #{fact.id}"


def says_words(fact: ClaimFact) -> str:
    """ "SOHR says", but "activists say": a generic, lower-case source is a plural crowd."""
    name = source_words(fact)
    plural = name.islower() and name.endswith("s")
    return f"{name} say" if plural else f"{name} says"


def quantity_words(fact: ClaimFact, tolerance: float = 0.10) -> str:
    return format_quantity(fact.value_low, fact.value_high, fact.qualifier, tolerance)


def measure_words(fact: ClaimFact, tolerance: float = 0.10) -> str:
    """ "at least 51 killed", "12 civilians injured", "30 trucks"."""
    words = [quantity_words(fact, tolerance)]
    if fact.population and fact.population != "all":
        words.append(fact.population)
    if fact.unit and fact.unit != "people":
        words.append(fact.unit)
    event = EVENT_WORDS.get(fact.event or "", fact.event or "")
    if event:
        words.append(event)
    return " ".join(words)


def place_words(fact: ClaimFact) -> str:
    return fact.place_name or "an unnamed place"


def quote(fact: ClaimFact) -> str:
    """The claim's words, shortened for a one-line message."""
    text = " ".join((fact.normalised or fact.text).split())
    if len(text) > QUOTE_LIMIT:
        text = text[: QUOTE_LIMIT - 1].rstrip() + "…"
    return f"“{text}” (#{fact.id})"


def fact_details(fact: ClaimFact) -> dict[str, Any]:
    """What a flag's details record about one side of a comparison (JSON-ready)."""
    return {
        "id": fact.id,
        "value_low": fact.value_low,
        "value_high": fact.value_high,
        "qualifier": fact.qualifier,
        "event": fact.event,
        "unit": fact.unit,
        "population": fact.population,
        "place_id": fact.place_id,
        "place": fact.place_name,
        "period_start": fact.period_start.isoformat() if fact.period_start else None,
        "period_end": fact.period_end.isoformat() if fact.period_end else None,
        "period_kind": fact.period_kind,
        "status": fact.status,
        "sources": [{"name": name, "grade": grade} for name, grade in fact.sources],
    }
