"""Claims: the lists and queues, the claim page, and the rows writes start from."""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.db.models import (
    Aggregate,
    CharField,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    TextField,
    Value,
)
from django.db.models.functions import Cast, Concat
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
    Place,
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
    *("pk", "text", "language", "value_low", "value_high", "qualifier", "event", "status"),
    *("period_start", "period_end", "period_kind", "priority", "due_at", "decided_at"),
    *("created_at", "status_changed_at"),
    "policy_tolerance",  # from Claim.objects.with_related(), so the row writes its figure
)
# Between the texts that `_Joined` strings together: no name or kind holds it.
JOIN = "\x1f"


class _Joined(Aggregate):  # type: ignore[type-arg]
    """The texts of a group as one, JOIN between them, in no set order: `string_agg` on
    PostgreSQL, `group_concat` on SQLite (no function both have does it)."""

    function = "STRING_AGG"
    output_field = TextField()

    def __init__(self, expression: Any) -> None:
        super().__init__(expression, Value(JOIN))

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(compiler, connection, function="GROUP_CONCAT", **extra)


def _joined(rows: QuerySet[Any], text: Any) -> Subquery:
    """`text` of each of `rows` (which name the row's claim by OuterRef) joined in one
    value; NULL when there are none."""
    return Subquery(rows.order_by().values("claim_id").annotate(j=_Joined(text)).values("j"))


def queue_page_rows(claims: QuerySet[Claim]) -> QuerySet[Any]:
    """A queue's claims (`ClaimQueue.claims`) as one query of values, with only what its
    rows show: the columns above, `place_name`, `assignee_name`, and two texts made in
    the same query, `source_names` (the sources' names, JOIN between them) and
    `open_flags` ("kind:severity" of each open or acknowledged flag, JOIN between
    them); `queue_flags` groups the flags. Model rows with their sources and flags
    prefetched took three queries and most of the page's time outside its template.
    A queue's CSV reads the whole rows (selectors.exports.queue_export).

    Every name is a subquery, not a join: the page's count then leaves them out and
    asks the claims table alone, which PostgreSQL counts from an index (with the joins
    it read the table, 70 ms instead of 6 for the Flagged queue at 100,000 claims)."""
    return (
        claims.prefetch_related(None)
        .annotate(**_queue_row_names())
        .values(*QUEUE_ROW_FIELDS, "place_name", "assignee_name", "source_names", "open_flags")
    )


@functools.cache
def _queue_row_names() -> dict[str, Subquery]:
    """The subqueries of `queue_page_rows`, made once per process (making them took as
    long as the rest of the query): a query that takes one resolves a copy of it, so
    they are never changed."""
    place = Place.objects.filter(pk=OuterRef("place_id")).order_by().values("name")[:1]
    user = get_user_model()
    assignee = user.objects.filter(pk=OuterRef("assignee_id")).order_by()
    flags = Flag.claims.through.objects.filter(
        claim_id=OuterRef("pk"), flag__status__in=Flag.UNRESOLVED
    )
    return {
        "place_name": Subquery(place),
        "assignee_name": Subquery(assignee.values(user.USERNAME_FIELD)[:1]),
        "source_names": _joined(
            Attribution.objects.filter(claim_id=OuterRef("pk")), F("source__name")
        ),
        "open_flags": _joined(
            flags, Concat(F("flag__kind"), Value(":"), Cast(F("flag__severity"), CharField()))
        ),
    }


def queue_flags(joined: str | None) -> dict[str, list[int]]:
    """The severities of a row's open flags by kind, the kinds in order (as `open_flags`
    of `queue_page_rows` holds them)."""
    kinds: dict[str, list[int]] = {}
    for item in sorted(joined.split(JOIN)) if joined else ():
        kind, severity = item.rsplit(":", 1)
        kinds.setdefault(kind, []).append(int(severity))
    return kinds


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
