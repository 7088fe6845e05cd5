"""A claim as flag messages word it: its measure, place, period and source.

The words for figures, dates and periods are the desk's (`claims.wording`); this
module applies them to the facts the checks compare.
"""

from __future__ import annotations

from typing import Any

from claims.wording import format_period, format_quantity

from .types import ClaimFact, Policy

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

# How wide "about" is when a caller has no policy at hand: the policy's own default.
DEFAULT_TOLERANCE = Policy().tolerance


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


def quantity_words(fact: ClaimFact, tolerance: float = DEFAULT_TOLERANCE) -> str:
    return format_quantity(fact.value_low, fact.value_high, fact.qualifier, tolerance)


def measure_words(fact: ClaimFact, tolerance: float = DEFAULT_TOLERANCE) -> str:
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
