"""The desk's home: what waits for the signed-in user."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
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
from claims.selectors.stories import story_list
from claims.typing import Actor

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


def dashboard(*, user: Actor, now: Any = None) -> Dashboard:
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
