"""The registers: sources with how their claims fared, and places."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from claims import roles
from claims.models import (
    Place,
    Source,
    SourceAlias,
)
from claims.parsing.sources import normalise_name
from claims.selectors._filters import search_words
from claims.selectors.track_records import said_count
from claims.typing import Actor


def source_list(*, user: Actor) -> QuerySet[Source]:
    """Sources with their aliases and how their claims fared."""
    return (
        Source.objects.visible_to(user)
        .prefetch_related("aliases")
        .annotate(
            claim_count=Count("attributions__claim", distinct=True),
            # Counted as its track record counts them (`claims.selectors.track_records`).
            verified_count=said_count("verified"),
            disputed_count=said_count("disputed"),
            false_count=said_count("false"),
        )
        .order_by("name")
    )


def place_list(*, user: Actor) -> QuerySet[Place]:
    qs = Place.objects.only("id", "name", "country", "kind").order_by("country", "name")
    return qs if roles.has_role(user) else qs.none()


def place_choices(*, user: Actor) -> list[tuple[int, str]]:
    """The places a filter menu offers, as (id, label): plain rows, not a model
    instance for each of the thousand or more places of a busy desk."""
    rows = place_list(user=user).values_list("id", "name", "kind", "country")
    return [(pk, Place.label(name, kind, country)) for pk, name, kind, country in rows]


def source_search(*, user: Actor, query: str = "", fold: bool = False) -> QuerySet[Source]:
    """Sources (with their counts, see source_list) whose name or an alias holds
    every word of `query`; with `fold`, of the query folded as names are (copy's "the
    Observatory" finds "Observatory")."""
    qs = source_list(user=user)
    words = search_words(query, 8)
    if fold:
        words = normalise_name(" ".join(words)).split()
    for word in words:
        alias = SourceAlias.objects.filter(source=OuterRef("pk"), name__icontains=word)
        qs = qs.filter(Q(name__icontains=word) | Q(Exists(alias)))
    return qs


def source_get(*, user: Actor, pk: int) -> Source:
    """A source the user may see, without its counts: the row a write starts from."""
    return Source.objects.visible_to(user).get(pk=pk)


def source_choices(*, user: Actor) -> list[tuple[int, str]]:
    """The sources a filter menu offers, as (id, name)."""
    return list(Source.objects.visible_to(user).order_by("name").values_list("id", "name"))


def source_detail(*, user: Actor, pk: int) -> Source:
    return source_list(user=user).prefetch_related("depends_on").get(pk=pk)


def sources_by_id(*, user: Actor, ids: list[int]) -> dict[int, Source]:
    """The sources picked in a claim form, by id; ids the user may not see are left out."""
    return Source.objects.visible_to(user).in_bulk(ids) if ids else {}
