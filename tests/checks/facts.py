"""Claims from the sample article (articles/aleppo-barrel-bombs.txt), as plain facts.

The story is dated 13 Feb 2014: "at least 51 killed yesterday" is 12 Feb and
"about 400 so far this month" is 1-13 Feb.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

from claims.checks.types import ClaimFact, EvidenceFact

SYRIA = 1
ALEPPO_GOVERNORATE = 2
ALEPPO = 3
HOMS = 4

STORY_DATE = date(2014, 2, 13)
NOON = datetime(2014, 2, 13, 12, 0, tzinfo=UTC)

SOHR = ("SOHR", "B")
ACTIVISTS = ("activists", "F")
WIRE = ("Example Wire", "A")

PLACES: dict[int, tuple[str, str, frozenset[int]]] = {
    SYRIA: ("Syria", "SY", frozenset()),
    ALEPPO_GOVERNORATE: ("Aleppo Governorate", "SY", frozenset({SYRIA})),
    ALEPPO: ("Aleppo", "SY", frozenset({ALEPPO_GOVERNORATE, SYRIA})),
    HOMS: ("Homs", "SY", frozenset({SYRIA})),
}


def claim(id: int, *, place: int | None = ALEPPO, **fields: Any) -> ClaimFact:
    """A killed-in-Aleppo claim; keyword arguments override any field."""
    name, country, ancestors = (
        PLACES.get(place, ("", "", frozenset())) if place else ("", "", frozenset())
    )
    fact = ClaimFact(
        id=id,
        text="Government barrel bombs killed people in Aleppo",
        normalised="",
        event="killed",
        unit="people",
        population="all",
        value_low=51,
        value_high=None,
        qualifier="at_least",
        place_id=place,
        place_name=name,
        country=country,
        place_ancestors=ancestors,
        period_start=date(2014, 2, 12),
        period_end=date(2014, 2, 12),
        period_kind="day",
        status="new",
        decided_at=None,
        due_at=None,
        reported_on=STORY_DATE,
        created_at=NOON,
        changed_at=NOON,
        sources=(SOHR,),
    )
    return replace(fact, **fields)


def at_least_51_yesterday(id: int = 1, **fields: Any) -> ClaimFact:
    """ "at least 51 people were killed yesterday", per the Observatory."""
    base: dict[str, Any] = {
        "text": "The Observatory said at least 51 people were killed yesterday",
    }
    return claim(id, **(base | fields))


def about_400_this_month(id: int = 2, **fields: Any) -> ClaimFact:
    """ "about 400 people in Syria's largest city so far this month", per activists."""
    base: dict[str, Any] = {
        "text": "Barrel bombs have killed about 400 people in Aleppo so far this month",
        "value_low": 360,
        "value_high": 440,
        "qualifier": "approx",
        "period_start": date(2014, 2, 1),
        "period_end": STORY_DATE,
        "period_kind": "to_date",
        "sources": (ACTIVISTS,),
    }
    return claim(id, **(base | fields))


def month_to_date(id: int, low: int, high: int | None, **fields: Any) -> ClaimFact:
    """Another to-date count for February in Aleppo."""
    base: dict[str, Any] = {
        "text": f"{low} people killed in Aleppo this month",
        "value_low": low,
        "value_high": high,
        "qualifier": "exact" if low == high else "range",
        "period_start": date(2014, 2, 1),
        "period_end": STORY_DATE,
        "period_kind": "to_date",
        "sources": (WIRE,),
    }
    return claim(id, **(base | fields))


def evidence(id: int, claim_id: int, **fields: Any) -> EvidenceFact:
    item = EvidenceFact(
        id=id,
        claim_id=claim_id,
        url=f"https://example.org/report/{id}",
        decided_sha256="a" * 64,
        last_status=200,
        last_sha256="a" * 64,
        last_error="",
        checked_at=NOON,
    )
    return replace(item, **fields)


def kinds(findings: list[Any]) -> list[str]:
    return [finding.kind for finding in findings]
