"""Every read that a page or endpoint lists, scoped to the user."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from claims.errors import InvalidInput
from claims.filters import ClaimFilter
from claims.models import (
    Claim,
    ClaimEvent,
    Flag,
    Source,
    Status,
    Story,
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
    qs = Flag.objects.visible_to(user).prefetch_related(
        Prefetch("claims", queryset=Claim.objects.only("id"))
    )
    if claim_id is not None:
        qs = qs.filter(claims=claim_id)
    return qs
