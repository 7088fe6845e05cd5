"""Claims: the lists and queues, the claim page, and the rows writes start from."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.db.models import Prefetch, Q, QuerySet
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from claims import roles
from claims.filters import URGENT, ClaimFilter
from claims.models import (
    DECIDED,
    Attribution,
    Claim,
    ClaimEvent,
    ClaimQuerySet,
    EvidenceSnapshot,
    Flag,
    Status,
    StoryLink,
)
from claims.selectors._filters import filtered
from claims.typing import Actor

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def claim_rows(*, user: Actor) -> ClaimQuerySet:
    """Claims the user may see, each with its place, sources and story: what a row of a
    list or an API answer shows."""
    return Claim.objects.visible_to(user).with_related()


def claim_get(*, user: Actor, pk: int) -> Claim:
    """A claim the user may see, without its relations: the row a write starts from."""
    return Claim.objects.visible_to(user).get(pk=pk)


def claim_story_ids(claim: Claim) -> list[int]:
    """The stories that carry the claim: its own first, then those linked to it (the
    same claim in other copy, or the stories of duplicates merged into it). One query."""
    linked = StoryLink.objects.filter(claim=claim).order_by("id").values_list("story_id", flat=True)
    ids = [claim.story_id] if claim.story_id is not None else []
    return ids + [pk for pk in dict.fromkeys(linked) if pk not in ids]


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
    base = claim_rows(user=user).current()
    qs: QuerySet[Claim] = base
    # Without a filter in the query (a client paging through the whole list) the
    # FilterSet changes nothing, and building and checking its form cost more than
    # reading the page.
    if any(name in (params or {}) for name in ClaimFilter.base_filters):
        qs = filtered(ClaimFilter(params or {}, queryset=base, request=request))
    if not (params or {}).get("ordering"):
        qs = qs.order_by("-priority", "-created_at", "-id")
    return qs


@dataclass(frozen=True)
class QueuePreset:
    """A queue is the shared FilterSet with some parameters set: `fixed` ones win
    over the user's, `ordering` is the default the user's own may replace."""

    name: str
    label: StrOrPromise
    description: StrOrPromise
    fixed: Mapping[str, list[str]]
    ordering: str


QUEUES: dict[str, QueuePreset] = {
    preset.name: preset
    for preset in (
        QueuePreset(
            "new",
            _("New"),
            _("New claims nobody has taken yet, most urgent first."),
            {"status": [Status.NEW], "unassigned": ["true"]},
            URGENT,
        ),
        QueuePreset(
            "mine",
            _("Mine"),
            _("Open claims assigned to you."),
            {"status": [Status.NEW, Status.IN_REVIEW], "mine": ["true"]},
            "-priority,due",
        ),
        QueuePreset(
            "flagged",
            _("Flagged"),
            _("Claims with open flags from the jobs, worst flag first."),
            {"flagged": ["true"]},
            URGENT,
        ),
        QueuePreset(
            "stale",
            _("Stale"),
            _("Claims whose decision has expired or whose review is overdue."),
            {"stale": ["true"]},
            "-priority,due",
        ),
        QueuePreset(
            "decided",
            _("Decided"),
            _("Claims with a decision, latest first."),
            {"status": sorted(DECIDED)},
            "-decided",
        ),
        # Every claim, whatever its state: the dashboard's "logged this week" lists here.
        QueuePreset("all", _("All"), _("Every claim, latest logged first."), {}, "-created"),
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
    base = Claim.objects.visible_to(user).current().with_related().prefetch_related(_open_flags())
    filterset = ClaimFilter(merged, queryset=base, request=request)
    if not filterset.is_valid():
        return ClaimQueue(preset, filterset, base.none())
    qs = filterset.qs
    # A stable order, so a page never repeats or skips a claim of equal rank.
    return ClaimQueue(preset, filterset, qs.order_by(*qs.query.order_by, "-id"))


def _open_flags() -> Prefetch:
    return Prefetch(
        "flags",
        queryset=Flag.objects.unresolved().only("id", "kind", "severity").order_by("kind"),
        to_attr="open_flags",
    )


# The columns a queue page's rows show (claims.views.queues.queue_row).
QUEUE_ROW_FIELDS = (
    *("text", "language", "value_low", "value_high", "qualifier", "event", "status"),
    *("period_start", "period_end", "period_kind", "priority", "due_at", "decided_at"),
    *("created_at", "status_changed_at", "place__name", "assignee__username"),
)


def queue_page_rows(claims: QuerySet[Claim]) -> QuerySet[Claim]:
    """A queue's claims (`ClaimQueue.claims`) with only what its rows show: the columns
    above, the place's and the assignee's names, the sources' names and the open flags.
    A queue's CSV reads the whole rows."""
    sources = Attribution.objects.select_related("source").only("claim_id", "source__name")
    return (
        claims.select_related(None)
        .select_related("place", "assignee")
        .only(*QUEUE_ROW_FIELDS)
        .prefetch_related(None)
        .prefetch_related(Prefetch("attributions", queryset=sources), _open_flags())
    )


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
