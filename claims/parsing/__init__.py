"""Claim parsing: plain Python, no Django. Article text in, candidate claims out."""

from claims.parsing.counts import parse_quantity
from claims.parsing.extract import extract, parse, parse_counts, split_sentences
from claims.parsing.gazetteer import warm_up
from claims.parsing.periods import parse_time_frame
from claims.parsing.types import (
    Candidate,
    KnownPlace,
    KnownSource,
    ParseContext,
    ParsedClaim,
    PlaceMatch,
    Quantity,
    SourceMatch,
    TimeFrame,
)

__all__ = [
    "Candidate",
    "KnownPlace",
    "KnownSource",
    "ParseContext",
    "ParsedClaim",
    "PlaceMatch",
    "Quantity",
    "SourceMatch",
    "TimeFrame",
    "extract",
    "parse",
    "parse_counts",
    "parse_quantity",
    "parse_time_frame",
    "split_sentences",
    "warm_up",
]
