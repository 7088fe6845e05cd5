"""Claims that time has overtaken: old decisions and reviews past their due date.

Superseded to-date figures are not found here but in find_contradictions,
which already holds the blocks they need.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from claims.wording import format_date, format_datetime

from .messages import quote
from .types import (
    DECIDED_STATUSES,
    OPEN_STATUSES,
    REVIEW_OVERDUE,
    VERIFICATION_EXPIRED,
    ClaimFact,
    EvidenceFact,
    Finding,
    Policy,
    make_finding,
)

KIND_WORDS = {"day": "a single day", "span": "a period", "to_date": "a to-date figure"}
STATUS_WORDS = {"new": "new", "in_review": "in review"}


def find_stale(
    facts: Iterable[ClaimFact],
    evidence: Iterable[EvidenceFact],
    now: datetime,
    policy: Policy,
) -> list[Finding]:
    """verification_expired and review_overdue findings as of ``now`` (timezone-aware).

    The scan reads only the fields in `sync.STALE_COLUMNS` for these rules: a rule
    here that needs another must add it there.

    ``evidence`` is accepted so the stale job passes one set of inputs, but the
    link checker's results are judged by find_evidence_issues alone: a page
    that still loads says nothing about whether a figure still holds.
    """
    del evidence
    findings: list[Finding] = []
    for fact in facts:
        expired = verification_expired(fact, now, policy)
        if expired:
            findings.append(expired)
        overdue = review_overdue(fact, now)
        if overdue:
            findings.append(overdue)
    return sorted(findings, key=lambda finding: (finding.kind, finding.claim_ids))


def max_decision_age(fact: ClaimFact, policy: Policy) -> timedelta:
    return decision_age_limit(fact.period_kind, policy)


def decision_age_limit(period_kind: str | None, policy: Policy) -> timedelta:
    """How long a decision on a claim with this kind of time frame holds."""
    # A claim without a time frame ages like a single day's figure: it is the
    # most lenient limit, and such claims rarely move.
    kind = period_kind or "day"
    days = policy.decision_max_age_days.get(kind, policy.decision_max_age_days.get("day", 365))
    return timedelta(days=days)


def verification_expired(fact: ClaimFact, now: datetime, policy: Policy) -> Finding | None:
    if fact.status not in DECIDED_STATUSES or fact.decided_at is None:
        return None
    limit = max_decision_age(fact, policy)
    if now - fact.decided_at <= limit:
        return None
    kind_words = KIND_WORDS.get(fact.period_kind or "day", "this kind of claim")
    message = (
        f"The “{fact.status}” decision on {quote(fact)} was made on "
        f"{format_datetime(fact.decided_at)}, more than {limit.days} days ago, the limit for "
        f"{kind_words}; check it again."
    )
    details = {
        "status": fact.status,
        "decided_at": fact.decided_at.isoformat(),
        "period_kind": fact.period_kind,
        "max_age_days": limit.days,
    }
    return make_finding(VERIFICATION_EXPIRED, (fact.id,), "low", message, details)


def review_overdue(fact: ClaimFact, now: datetime) -> Finding | None:
    if fact.status not in OPEN_STATUSES or fact.due_at is None or fact.due_at >= now:
        return None
    # The date alone keeps the message steady from one scan to the next.
    message = (
        f"{quote(fact)} was due on {format_date(fact.due_at.date())} and is still "
        f"{STATUS_WORDS[fact.status]}."
    )
    details = {"status": fact.status, "due_at": fact.due_at.isoformat()}
    return make_finding(REVIEW_OVERDUE, (fact.id,), "medium", message, details)
