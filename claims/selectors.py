"""Every read that a page or endpoint lists, scoped to the user."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from claims.errors import InvalidInput
from claims.filters import ClaimFilter
from claims.models import (
    CheckPolicy,
    Claim,
    ClaimEvent,
    Flag,
    FlagEvent,
    Place,
    Source,
    SourceAlias,
    Status,
    Story,
)
from claims.parsing import (
    Candidate,
    KnownPlace,
    KnownSource,
    ParseContext,
    ParsedClaim,
    extract,
    parse,
)


def claim_list(
    *, user: Any, params: Mapping[str, Any] | None = None, request: Any = None
) -> QuerySet[Claim]:
    """Claims the user may see, filtered by the shared FilterSet; bad filters are a 400."""
    base = Claim.objects.visible_to(user).with_related()
    filterset = ClaimFilter(params or {}, queryset=base, request=request)
    if not filterset.is_valid():
        raise InvalidInput(
            "The filters are not valid.",
            errors={k: [str(m) for m in v] for k, v in filterset.errors.items()},
        )
    qs = filterset.qs
    if not (params or {}).get("ordering"):
        qs = qs.order_by("-priority", "-created_at", "-id")
    return qs


def claim_detail(*, user: Any, pk: int) -> Claim:
    return (
        Claim.objects.visible_to(user)
        .with_related()
        .prefetch_related(
            Prefetch("events", queryset=ClaimEvent.objects.select_related("actor")),
            "evidence__source",
            "comments__author",
            Prefetch("flags", queryset=Flag.objects.unresolved()),
        )
        .get(pk=pk)
    )


def story_list(*, user: Any) -> QuerySet[Story]:
    return Story.objects.visible_to(user).annotate(claim_count=Count("claims"))


def source_list(*, user: Any) -> QuerySet[Source]:
    """Sources with their aliases and how their claims fared."""
    return (
        Source.objects.visible_to(user)
        .prefetch_related("aliases")
        .annotate(
            claim_count=Count("attributions__claim", distinct=True),
            verified_count=Count(
                "attributions__claim",
                filter=Q(attributions__claim__status=Status.VERIFIED),
                distinct=True,
            ),
            disputed_count=Count(
                "attributions__claim",
                filter=Q(attributions__claim__status=Status.DISPUTED),
                distinct=True,
            ),
            false_count=Count(
                "attributions__claim",
                filter=Q(attributions__claim__status=Status.FALSE),
                distinct=True,
            ),
        )
        .order_by("name")
    )


def recent_claims(*, user: Any, limit: int = 20) -> QuerySet[Claim]:
    return Claim.objects.visible_to(user).with_related().order_by("-created_at", "-id")[:limit]


def flag_list(*, user: Any, claim_id: int | None = None) -> QuerySet[Flag]:
    qs = (
        Flag.objects.visible_to(user)
        .select_related("resolved_by")
        .prefetch_related(Prefetch("claims", queryset=Claim.objects.only("id")))
    )
    if claim_id is not None:
        qs = qs.filter(claims=claim_id)
    return qs


def flag_queue(
    *,
    user: Any,
    status: str = "unresolved",
    kind: str = "",
    severity: int | None = None,
) -> QuerySet[Flag]:
    """The flag queue: worst first, each flag with the claims it is about."""
    qs = (
        Flag.objects.visible_to(user)
        .select_related("resolved_by")
        .prefetch_related(Prefetch("claims", queryset=Claim.objects.only("id", "text", "status")))
        .order_by("-severity", "-last_seen", "-id")
    )
    if status == "unresolved":
        qs = qs.unresolved()
    elif status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    if severity is not None:
        qs = qs.filter(severity=severity)
    return qs


def flag_detail(*, user: Any, pk: int) -> Flag:
    return (
        Flag.objects.visible_to(user)
        .select_related("resolved_by")
        .prefetch_related(
            Prefetch("claims", queryset=Claim.objects.with_related()),
            Prefetch("events", queryset=FlagEvent.objects.select_related("actor")),
        )
        .get(pk=pk)
    )


# ---------------------------------------------------------------------------
# Reading copy: the parser sees the desk's own registers


def parse_context() -> ParseContext:
    """The sources (with aliases) and places the desk knows, for the parser.

    Two queries; the registers are small next to the claims, so they are read
    whole rather than cached and risk a stale alias after an admin's edit.
    """
    aliases: dict[int, list[str]] = defaultdict(list)
    for source_id, name in SourceAlias.objects.values_list("source_id", "name"):
        aliases[source_id].append(name)
    sources = tuple(
        KnownSource(id=pk, name=name, aliases=tuple(aliases[pk]))
        for pk, name in Source.objects.filter(active=True).values_list("id", "name")
    )
    places = tuple(
        KnownPlace(id=pk, name=name, country=country, kind=kind, aliases=tuple(extra or ()))
        for pk, name, country, kind, extra in Place.objects.values_list(
            "id", "name", "country", "kind", "aliases"
        )
    )
    tolerance = CheckPolicy.load().approx_tolerance
    return ParseContext(sources=sources, places=places, tolerance=tolerance)


def parse_text(*, text: str, reported_on: date) -> ParsedClaim:
    """One claim as typed by an editor, read against the date it was reported."""
    return parse(text, reported_on, parse_context())


@dataclass(frozen=True)
class StoryCandidate:
    candidate: Candidate
    claim_id: int | None  # the claim it was accepted as, if it was


def story_candidates(*, story: Story) -> list[StoryCandidate]:
    """The claims the parser finds in a story, each with the claim it became, if any."""
    published_on = timezone.localdate(story.published_at)
    found = extract(story.body, published_on, parse_context())
    accepted = {
        (start, end): pk
        for pk, start, end in story.claims.filter(story_start__isnull=False).values_list(
            "id", "story_start", "story_end"
        )
    }
    return [StoryCandidate(c, accepted.get((c.start, c.end))) for c in found]
