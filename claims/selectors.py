"""Every read that a page or endpoint lists, scoped to the user."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import QueryDict
from django.utils import timezone

from claims import roles
from claims.checks.types import STALE_KINDS
from claims.errors import InvalidInput
from claims.filters import ClaimFilter
from claims.models import (
    DECIDED,
    OPEN,
    CandidateRejection,
    CheckPolicy,
    Claim,
    ClaimEvent,
    Flag,
    FlagEvent,
    Place,
    Severity,
    Source,
    SourceAlias,
    Status,
    Story,
    open_flag_of,
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
    rejection: CandidateRejection | None = None  # the editor's "no", if it was turned down


def story_candidates(*, story: Story) -> list[StoryCandidate]:
    """The claims the parser finds in a story, each with the claim it became or the
    rejection that turned it down, if any."""
    published_on = timezone.localdate(story.published_at)
    found = extract(story.body, published_on, parse_context())
    accepted = {
        (start, end): pk
        for pk, start, end in story.claims.filter(story_start__isnull=False).values_list(
            "id", "story_start", "story_end"
        )
    }
    rejected = {
        (r.start, r.end): r for r in story.rejections.select_related("rejected_by").order_by()
    }
    result = []
    for c in found:
        rejection = rejected.get((c.start, c.end))
        # A rejection of other words (the body was edited since) does not count.
        if rejection is not None and rejection.sentence != c.sentence:
            rejection = None
        result.append(StoryCandidate(c, accepted.get((c.start, c.end)), rejection))
    return result


def story_search(*, user: Any, query: str = "") -> QuerySet[Story]:
    """Stories the user may see, newest first, with their claim counts. Each word of
    `query` must appear in the headline or the body (the first ten words count)."""
    qs = story_list(user=user)
    for word in (query or "").split()[:10]:
        qs = qs.filter(Q(headline__icontains=word) | Q(body__icontains=word))
    return qs.order_by("-published_at", "-id")


# ---------------------------------------------------------------------------
# The fact-checkers' queues, the dashboard and the sources pages


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
            "-priority,created",
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
            "Claims with open flags from the jobs.",
            {"flagged": ["true"]},
            "-priority,-updated",
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


def claim_queue(*, user: Any, name: str, params: QueryDict, request: Any = None) -> ClaimQueue:
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


def checker_list(*, user: Any) -> QuerySet[Any]:
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


def place_list(*, user: Any) -> QuerySet[Place]:
    qs = Place.objects.only("id", "name", "country", "kind").order_by("country", "name")
    return qs if roles.has_role(user) else qs.none()


RECENT_DAYS = 7


@dataclass(frozen=True)
class Dashboard:
    mine: int
    waiting: int
    stale: int
    decisions: int  # decisions in the past RECENT_DAYS days
    flags: list[tuple[int, str, int]]  # (severity, its name, open flags), worst first
    latest_decisions: list[ClaimEvent]
    stories: list[Story]


def dashboard(*, user: Any, now: Any = None) -> Dashboard:
    """What waits for the signed-in user, in a fixed number of queries (6)."""
    now = now or timezone.now()
    claims = Claim.objects.visible_to(user)
    counts = claims.aggregate(
        mine=Count("pk", filter=Q(assignee=user.pk, status__in=OPEN)),
        waiting=Count("pk", filter=Q(status=Status.NEW, assignee__isnull=True)),
        stale=Count("pk", filter=open_flag_of(STALE_KINDS)),
    )
    by_severity = dict(
        Flag.objects.visible_to(user)
        .unresolved()
        .order_by()
        .values("severity")
        .annotate(n=Count("pk"))
        .values_list("severity", "n")
    )
    decisions = ClaimEvent.objects.filter(
        claim__in=claims, kind=ClaimEvent.Kind.TRANSITION, to_status__in=DECIDED
    )
    since = now - timedelta(days=RECENT_DAYS)
    return Dashboard(
        mine=counts["mine"] or 0,
        waiting=counts["waiting"] or 0,
        stale=counts["stale"] or 0,
        decisions=decisions.filter(at__gte=since).count(),
        flags=[
            (severity, label, by_severity.get(severity, 0))
            for severity, label in sorted(Severity.choices, reverse=True)
        ],
        latest_decisions=list(
            decisions.select_related("claim", "actor").order_by("-at", "-id")[:5]
        ),
        stories=list(story_list(user=user).order_by("-published_at", "-id")[:8]),
    )


def source_search(*, user: Any, query: str = "") -> QuerySet[Source]:
    """Sources (with their counts, see source_list) whose name or an alias holds
    every word of `query`."""
    qs = source_list(user=user)
    for word in (query or "").split()[:8]:
        alias = SourceAlias.objects.filter(source=OuterRef("pk"), name__icontains=word)
        qs = qs.filter(Q(name__icontains=word) | Q(Exists(alias)))
    return qs


def source_detail(*, user: Any, pk: int) -> Source:
    return source_list(user=user).prefetch_related("depends_on").get(pk=pk)


# ---------------------------------------------------------------------------
# The claim page and the claim form


def claim_page(*, user: Any, pk: int) -> Claim:
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
            "comments__author",
            Prefetch("flags", queryset=Flag.objects.unresolved()),
        )
        .get(pk=pk)
    )


def sources_by_id(*, user: Any, ids: list[int]) -> dict[int, Source]:
    """The sources picked in a claim form, by id; ids the user may not see are left out."""
    return Source.objects.visible_to(user).in_bulk(ids) if ids else {}
