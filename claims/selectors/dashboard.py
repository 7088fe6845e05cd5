"""The desk's home: what waits for the signed-in user."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from claims.checks.types import STALE_KINDS
from claims.models import (
    DECIDED,
    OPEN,
    Claim,
    ClaimEvent,
    Flag,
    Severity,
    Status,
    Story,
    open_flag_of,
)
from claims.selectors.reports import day_start, stage_durations
from claims.selectors.stories import story_list
from claims.stages import Stage, median
from claims.typing import Actor

RECENT_DAYS = 7


@dataclass(frozen=True)
class Dashboard:
    mine: int
    waiting: int
    stale: int
    # The week in numbers: the past RECENT_DAYS days, today included, from `since`.
    since: date
    logged: int
    decisions: int  # claims decided in the week (their latest decision), as the Decided queue
    # From logging to the first decision, of the first decisions made in the week
    # (`claims.stages`); None when there were none.
    median_to_decision: float | None
    flags: list[tuple[int, str, int]]  # (severity, its name, open flags), worst first
    latest_decisions: list[ClaimEvent]
    stories: list[Story]


def dashboard(*, user: Actor, now: Any = None) -> Dashboard:
    """What waits for the signed-in user, in a fixed number of queries (5): the claim
    counts (the week's logged and decided among them), the flags by severity, the
    history of the week's decided claims (for the median time to decision), the latest
    decisions, the stories."""
    now = now or timezone.now()
    since_day = timezone.localdate(now) - timedelta(days=RECENT_DAYS - 1)
    since = day_start(since_day)
    claims = Claim.objects.visible_to(user).current()
    counts = claims.aggregate(
        # As the All and Decided queues list them: without the claims merged into others.
        logged=Count("pk", filter=Q(created_at__gte=since, merged_into__isnull=True)),
        decisions=Count(
            "pk", filter=Q(status__in=DECIDED, decided_at__gte=since, merged_into__isnull=True)
        ),
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
    first_decisions, _ = stage_durations(
        user=user,
        start=since,
        end=day_start(since_day + timedelta(days=RECENT_DAYS)),
        decisions_only=True,
    )
    to_decision = [d.seconds for d in first_decisions if d.stage == Stage.TO_DECISION]
    return Dashboard(
        mine=counts["mine"] or 0,
        waiting=counts["waiting"] or 0,
        stale=counts["stale"] or 0,
        since=since_day,
        logged=counts["logged"] or 0,
        decisions=counts["decisions"] or 0,
        median_to_decision=median(to_decision) if to_decision else None,
        flags=[
            (severity, label, by_severity.get(severity, 0))
            for severity, label in sorted(Severity.choices, reverse=True)
        ],
        latest_decisions=list(
            decisions.select_related("claim", "actor").order_by("-at", "-id")[:5]
        ),
        stories=list(story_list(user=user).order_by("-published_at", "-id")[:8]),
    )
