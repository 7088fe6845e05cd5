"""Claims: the lists and queues, the claim page, and the rows writes start from."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Prefetch, Q, QuerySet
from django.http import QueryDict

from claims import roles
from claims.filters import URGENT, ClaimFilter
from claims.models import (
    DECIDED,
    Attribution,
    Claim,
    ClaimEvent,
    EvidenceSnapshot,
    Flag,
    Status,
)
from claims.selectors._filters import filtered
from claims.typing import Actor


def claim_rows(*, user: Actor) -> QuerySet[Claim]:
    """Claims the user may see, each with its place, sources and story: what a row of a
    list or an API answer shows."""
    return Claim.objects.visible_to(user).with_related()


def claim_get(*, user: Actor, pk: int) -> Claim:
    """A claim the user may see, without its relations: the row a write starts from."""
    return Claim.objects.visible_to(user).get(pk=pk)


def claim_choices(*, user: Actor) -> QuerySet[Claim]:
    """The claims a bulk action may tick: those the user may see."""
    return Claim.objects.visible_to(user).order_by("pk")


def claims_by_id(*, user: Actor, ids: Sequence[int]) -> dict[int, Claim]:
    """The claims a story's cards became, with their place, verdict and sources (two
    queries when there are any, none otherwise); ids the user may not see are left out."""
    if not ids:
        return {}
    qs = (
        Claim.objects.visible_to(user)
        .filter(pk__in=ids)
        .select_related("place", "verdict")
        .prefetch_related(
            Prefetch("attributions", queryset=Attribution.objects.select_related("source"))
        )
    )
    return {c.pk: c for c in qs}


def claim_list(
    *, user: Actor, params: Mapping[str, Any] | None = None, request: Any = None
) -> QuerySet[Claim]:
    """Claims the user may see, filtered by the shared FilterSet; bad filters are a 400."""
    base = claim_rows(user=user)
    qs = filtered(ClaimFilter(params or {}, queryset=base, request=request))
    if not (params or {}).get("ordering"):
        qs = qs.order_by("-priority", "-created_at", "-id")
    return qs


@dataclass(frozen=True)
class QueuePreset:
    """A queue is the shared FilterSet with some parameters set: `fixed` ones win
    over the user's, `ordering` is the default the user's own may replace."""

    name: str
    label: str
    description: str
    fixed: Mapping[str, list[str]]
    ordering: str


QUEUES: dict[str, QueuePreset] = {
    preset.name: preset
    for preset in (
        QueuePreset(
            "new",
            "New",
            "New claims nobody has taken yet, most urgent first.",
            {"status": [Status.NEW], "unassigned": ["true"]},
            URGENT,
        ),
        QueuePreset(
            "mine",
            "Mine",
            "Open claims assigned to you.",
            {"status": [Status.NEW, Status.IN_REVIEW], "mine": ["true"]},
            "-priority,due",
        ),
        QueuePreset(
            "flagged",
            "Flagged",
            "Claims with open flags from the jobs, worst flag first.",
            {"flagged": ["true"]},
            URGENT,
        ),
        QueuePreset(
            "stale",
            "Stale",
            "Claims whose decision has expired or whose review is overdue.",
            {"stale": ["true"]},
            "-priority,due",
        ),
        QueuePreset(
            "decided",
            "Decided",
            "Claims with a decision, latest first.",
            {"status": sorted(DECIDED)},
            "-decided",
        ),
    )
}


@dataclass(frozen=True)
class ClaimQueue:
    preset: QueuePreset
    filterset: ClaimFilter
    claims: QuerySet[Claim]  # empty when the filters are not valid

    @property
    def valid(self) -> bool:
        return not self.filterset.errors


def claim_queue(*, user: Actor, name: str, params: QueryDict, request: Any = None) -> ClaimQueue:
    """One of the QUEUES, merged with the user's filters (a KeyError names no queue).

    Each row comes with its attributions and its open flags (`open_flags`):
    the page costs the same number of queries whatever its size.
    """
    preset = QUEUES[name]
    merged = QueryDict(mutable=True)
    for key in params:
        if key != "page":
            merged.setlist(key, params.getlist(key))
    if not merged.get("ordering"):
        merged["ordering"] = preset.ordering
    for key, values in preset.fixed.items():
        merged.setlist(key, list(values))
    base = (
        Claim.objects.visible_to(user)
        .with_related()
        .prefetch_related(
            Prefetch(
                "flags",
                queryset=Flag.objects.unresolved().only("id", "kind", "severity").order_by("kind"),
                to_attr="open_flags",
            )
        )
    )
    filterset = ClaimFilter(merged, queryset=base, request=request)
    if not filterset.is_valid():
        return ClaimQueue(preset, filterset, base.none())
    qs = filterset.qs
    # A stable order, so a page never repeats or skips a claim of equal rank.
    return ClaimQueue(preset, filterset, qs.order_by(*qs.query.order_by, "-id"))


def checker_list(*, user: Actor) -> QuerySet[Any]:
    """Who claims can be assigned to: active fact-checkers and admins."""
    users = get_user_model().objects.filter(is_active=True)
    if not roles.has_role(user):
        return users.none()
    return (
        users.filter(
            Q(groups__name__in=[roles.CHECKER, roles.ADMIN]) | Q(is_superuser=True),
        )
        .distinct()
        .order_by("username")
    )


def claim_page(*, user: Actor, pk: int) -> Claim:
    """A claim with everything its page shows, in the same number of queries however
    much it holds: sources, history with who did what, evidence with its source and
    who added it, comments with their authors, and open flags."""
    return (
        Claim.objects.visible_to(user)
        .with_related()
        .select_related("created_by")
        .prefetch_related(
            Prefetch("events", queryset=ClaimEvent.objects.select_related("actor")),
            "evidence__source",
            "evidence__added_by",
            # The snapshots' text stays in the table: the page links to it.
            Prefetch("evidence__snapshots", queryset=EvidenceSnapshot.objects.defer("text")),
            "comments__author",
            Prefetch("flags", queryset=Flag.objects.unresolved()),
        )
        .get(pk=pk)
    )
