"""Claims read from copy: the parser's reading of a sentence as claim fields and
sources, with the places and sources resolved against the registers. Which fields the
editor owns and how a figure is settled is the rule in `claims.reading`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from claims import selectors
from claims.models import CheckPolicy, Place, Source, Story
from claims.parsing import ParsedClaim
from claims.reading import FIGURE, changed_figure, owned_fields, parsed_fields, settle_figure
from claims.services.registers import SourceRef, place_resolve


@dataclass(frozen=True)
class Reading:
    """A parsed claim as the desk stores it: model fields and sources."""

    fields: dict[str, Any]
    sources: list[SourceRef]


def tolerance() -> float:
    """How wide "about" is: the check policy's."""
    return float(CheckPolicy.load().approx_tolerance)


def reading_from_text(
    text: str,
    reported_on: dt.date | None,
    story: Story | None,
    given: Mapping[str, Any],
    *,
    sources_given: bool = False,
) -> Reading:
    """The claim fields of `text` read against `reported_on` (or the story's date, or
    today), under the fields the editor `given`: those win field by field, each with
    the rest of its group, and a figure the editor gave part of is settled over the
    parser's (`claims.reading.settle_figure`)."""
    if reported_on is None:
        reported_on = timezone.localdate(story.published_at if story else None)
    parsed = selectors.parse_text(text=text, reported_on=reported_on)
    skip = owned_fields({*given, *(["sources"] if sources_given else [])})
    reading = reading_from_parsed(parsed, skip=skip)
    fields = {**reading.fields, **given}
    figure = {name: given[name] for name in FIGURE if name in given}
    if figure:
        # A bound the editor typed is a new figure; a qualifier alone hedges the parser's.
        typed_value = "value_low" in figure or "value_high" in figure
        before = None if typed_value else parsed_fields(parsed).fields
        fields.update(settle_figure(figure, before, tolerance()))
    return Reading(fields=fields, sources=reading.sources)


def reading_from_parsed(
    parsed: ParsedClaim, skip: set[str] | frozenset[str] = frozenset()
) -> Reading:
    """Map the parser's reading onto claim fields, resolving its place (created on
    demand, as for typed claims) and its source. Words naming no known source
    stay in `source_text` for an editor to map. Fields named in `skip` are the
    editor's own and are not read (nor their places created)."""
    read = parsed_fields(parsed)
    fields = {name: value for name, value in read.fields.items() if name not in skip}
    if read.place is not None and "place" not in skip:
        place_id = read.place.place_id
        known = Place.objects.filter(pk=place_id).first() if place_id else None
        fields["place"] = known or place_resolve(name=read.place.name, country=read.place.country)
    sources: list[SourceRef] = []
    if read.source_id is not None and "sources" not in skip:
        source = Source.objects.filter(pk=read.source_id).first()
        if source is not None:
            sources.append(SourceRef(source=source, text=parsed.source_text))
        else:  # a source since deleted: its words are left for an editor to map
            fields["source_text"] = parsed.source_text[:200]
    return Reading(fields=fields, sources=sources)


def corrected(reading: Reading, changes: Mapping[str, Any]) -> dict[str, Any]:
    """The reading's fields under an editor's corrections to it (a candidate's
    edit-then-accept): each corrected field wins, and a figure field that differs from
    the reading settles the figure over it."""
    fields = {**reading.fields, **changes}
    figure = changed_figure(changes, reading.fields)
    if figure:
        fields.update(settle_figure(figure, reading.fields, tolerance()))
    return fields


def updated_figure(current: Mapping[str, Any], changes: Mapping[str, Any]) -> dict[str, Any]:
    """`changes` to a stored claim (`current`, its figure) with the figure settled: a
    new qualifier or one new bound re-derives the interval."""
    figure = {name: changes[name] for name in FIGURE if name in changes}
    if not figure:
        return dict(changes)
    return {**changes, **settle_figure(figure, current, tolerance())}
