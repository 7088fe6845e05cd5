"""Plain data passed in and out of the parser; no Django here, the views map rows onto these."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any


@dataclass(frozen=True)
class KnownSource:
    id: int
    name: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class KnownPlace:
    id: int
    name: str
    country: str
    kind: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class PlaceMatch:
    name: str
    country: str
    kind: str
    words: str
    confidence: float
    place_id: int | None = None
    geonameid: int | None = None


@dataclass(frozen=True)
class SourceMatch:
    source_id: int | None
    name: str | None
    source_text: str
    score: float


@dataclass(frozen=True)
class ParseContext:
    sources: tuple[KnownSource, ...] = ()
    places: tuple[KnownPlace, ...] = ()
    main_place: PlaceMatch | None = None
    tolerance: float = 0.10


@dataclass(frozen=True)
class Quantity:
    value_low: int
    value_high: int | None
    qualifier: str
    unit: str
    words: str


@dataclass(frozen=True)
class TimeFrame:
    start: date
    end: date
    kind: str
    words: str


@dataclass(frozen=True)
class ParsedClaim:
    text: str
    value_low: int | None
    value_high: int | None
    qualifier: str | None
    unit: str
    event: str | None
    population: str
    place: PlaceMatch | None
    period_start: date | None
    period_end: date | None
    period_kind: str | None
    time_expression: str
    source: SourceMatch | None
    source_text: str
    confidence: float

    def as_dict(self) -> dict[str, Any]:
        place = None
        if self.place is not None:
            place = {
                "name": self.place.name,
                "country": self.place.country,
                "confidence": self.place.confidence,
            }
        source = None
        if self.source is not None and self.source.source_id is not None:
            source = {"id": self.source.source_id, "name": self.source.name}
        return {
            "text": self.text,
            "value_low": self.value_low,
            "value_high": self.value_high,
            "qualifier": self.qualifier,
            "unit": self.unit,
            "event": self.event,
            "population": self.population,
            "place": place,
            "period_start": self.period_start.isoformat() if self.period_start else None,
            "period_end": self.period_end.isoformat() if self.period_end else None,
            "period_kind": self.period_kind,
            "time_expression": self.time_expression,
            "source": source,
            "source_text": self.source_text,
            "confidence": self.confidence,
        }


@dataclass(frozen=True)
class Candidate:
    sentence: str
    start: int
    end: int
    parsed: ParsedClaim
    confidence: float
    has_number: bool
