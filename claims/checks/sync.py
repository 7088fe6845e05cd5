"""The one Django module of the checks: load rows as facts, run the rules, sync Flags.

Syncing is idempotent: a finding is one Flag row by its fingerprint, however
often a scan runs. A flag in the scan's scope whose finding is gone is resolved
automatically with that reason; a dismissed (or resolved) flag stays so until
one of its claims changes after the decision.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from claims.checks import (
    ClaimFact,
    EvidenceFact,
    Finding,
    Policy,
    find_contradictions,
    find_evidence_issues,
    find_stale,
)
from claims.checks import types as kinds
from claims.models import Attribution, Claim, Evidence, Flag, FlagEvent, Place, Severity

log = logging.getLogger(__name__)

CONTRADICTION_KINDS = (
    kinds.VALUE_CONFLICT,
    kinds.SUB_PERIOD_EXCEEDS_TOTAL,
    kinds.SUB_PLACE_EXCEEDS_TOTAL,
    kinds.COUNT_DECREASED,
    kinds.VERDICT_CONFLICT,
    kinds.DUPLICATE,
    kinds.SUPERSEDED,
)
STALE_KINDS = (kinds.VERIFICATION_EXPIRED, kinds.REVIEW_OVERDUE)
EVIDENCE_KINDS = (kinds.EVIDENCE_UNREACHABLE, kinds.EVIDENCE_CHANGED)

SEVERITY = {
    "info": Severity.INFO,
    "low": Severity.LOW,
    "medium": Severity.MEDIUM,
    "high": Severity.HIGH,
}
AUTO_RESOLVED_NOTE = "The condition no longer holds: resolved by the scan."


def current_policy() -> Policy:
    """The admin-edited thresholds, read once per scan."""
    from claims.models import CheckPolicy

    return CheckPolicy.load().as_policy()


# ---------------------------------------------------------------------------
# Rows -> facts


class _Places:
    """Every place's parent, loaded once per scan, to walk ancestors without queries."""

    def __init__(self) -> None:
        self.parent = dict(Place.objects.values_list("id", "parent_id"))
        self.name = dict(Place.objects.values_list("id", "name"))
        self._cache: dict[int, frozenset[int]] = {}

    def ancestors(self, place_id: int | None) -> frozenset[int]:
        if place_id is None:
            return frozenset()
        if place_id not in self._cache:
            seen: list[int] = []
            node = self.parent.get(place_id)
            while node is not None and node not in seen:
                seen.append(node)
                node = self.parent.get(node)
            self._cache[place_id] = frozenset(seen)
        return self._cache[place_id]


def _facts_query(qs: QuerySet[Claim]) -> QuerySet[Claim]:
    return qs.select_related("verdict").prefetch_related(
        Prefetch(
            "attributions",
            queryset=Attribution.objects.filter(role=Attribution.Role.ATTRIBUTED_TO)
            .select_related("source")
            .only("claim_id", "source__name", "source__grade"),
        )
    )


def to_facts(claims: Iterable[Claim], places: _Places | None = None) -> list[ClaimFact]:
    places = places or _Places()
    return [
        ClaimFact(
            id=c.pk,
            text=c.text,
            normalised=c.normalised,
            event=c.event or None,
            unit=c.unit or "people",
            population=c.population,
            value_low=c.value_low,
            value_high=c.value_high,
            qualifier=c.qualifier or None,
            place_id=c.place_id,
            place_name=places.name.get(c.place_id, "") if c.place_id else "",
            country=c.country,
            place_ancestors=places.ancestors(c.place_id),
            period_start=c.period_start,
            period_end=c.period_end,
            period_kind=c.period_kind or None,
            status=c.status,
            decided_at=c.decided_at,
            due_at=c.due_at,
            reported_on=c.reported_on,
            created_at=c.created_at,
            changed_at=c.updated_at,
            sources=tuple((a.source.name, a.source.grade) for a in c.attributions.all()),
            verdict=c.verdict.label if c.verdict else "",
        )
        for c in claims
    ]


def _evidence_facts(qs: QuerySet[Evidence]) -> list[EvidenceFact]:
    return [
        EvidenceFact(
            id=e.pk,
            claim_id=e.claim_id,
            url=e.url,
            decided_sha256=e.captured_sha256,
            last_status=e.last_status,
            last_sha256=e.last_sha256,
            last_error=e.last_error,
            checked_at=e.checked_at,
        )
        for e in qs
    ]


# ---------------------------------------------------------------------------
# Scans


def scan_claim_block(claim_id: int) -> int:
    """After one claim is saved: compare it with its block, sync the flags that involve it."""
    claim = Claim.objects.filter(pk=claim_id).first()
    if claim is None:
        return 0
    block = Claim.objects.filter(event=claim.event, country=claim.country)
    if claim.event:
        block = block.filter(unit=claim.unit)
    # Claims that share a flag with this one stay in view, so a flag whose
    # partner left the block (edited, retracted) is seen to be gone.
    partners = Claim.objects.filter(flags__claims=claim_id)
    facts = to_facts(_facts_query((block | partners).distinct()))
    findings = find_contradictions(facts, current_policy(), focus={claim_id})
    scope = Flag.objects.filter(kind__in=CONTRADICTION_KINDS, claims=claim_id)
    return sync_findings(findings, scope)


def scan_contradictions(batch: int = 2000) -> int:
    """Every block, all contradiction rules; one query per batch of claims."""
    places = _Places()
    facts: list[ClaimFact] = []
    qs = _facts_query(Claim.objects.order_by("pk"))
    last = 0
    while True:
        chunk = list(qs.filter(pk__gt=last)[:batch])
        if not chunk:
            break
        facts.extend(to_facts(chunk, places))
        last = chunk[-1].pk
    findings = find_contradictions(facts, current_policy())
    return sync_findings(findings, Flag.objects.filter(kind__in=CONTRADICTION_KINDS))


def scan_staleness(now: datetime | None = None) -> int:
    now = now or timezone.now()
    relevant = Claim.objects.filter(Q(decided_at__isnull=False) | Q(due_at__isnull=False))
    facts = to_facts(_facts_query(relevant))
    findings = find_stale(facts, (), now, current_policy())
    return sync_findings(findings, Flag.objects.filter(kind__in=STALE_KINDS), now=now)


def scan_evidence() -> int:
    evidence = Evidence.objects.filter(checked_at__isnull=False)
    claims = Claim.objects.filter(pk__in=evidence.values("claim_id"))
    facts = {fact.id: fact for fact in to_facts(_facts_query(claims))}
    findings = find_evidence_issues(_evidence_facts(evidence), facts)
    return sync_findings(findings, Flag.objects.filter(kind__in=EVIDENCE_KINDS))


# ---------------------------------------------------------------------------
# Findings -> flags


def _record(flag: Flag, to: str, note: str, actor: Any = None) -> None:
    FlagEvent.objects.create(
        flag=flag, actor=actor, from_status=flag.status, to_status=to, note=note
    )
    flag.status = to


def _claims_changed_since(flag: Flag, moment: datetime | None) -> bool:
    if moment is None:
        return True
    return flag.claims.filter(updated_at__gt=moment).exists()


def _upsert(finding: Finding, now: datetime) -> Flag:
    severity = SEVERITY.get(finding.severity, Severity.MEDIUM)
    flag = Flag.objects.select_for_update().filter(fingerprint=finding.fingerprint).first()
    if flag is None:
        try:
            with transaction.atomic():
                flag = Flag.objects.create(
                    kind=finding.kind,
                    severity=severity,
                    message=finding.message,
                    details=finding.details,
                    fingerprint=finding.fingerprint,
                    last_seen=now,
                )
                flag.claims.set(finding.claim_ids)
                FlagEvent.objects.create(
                    flag=flag, to_status=Flag.Status.OPEN, note="Raised by the scan."
                )
                return flag
        except IntegrityError:
            # Another worker raised the same finding a moment ago: update theirs.
            flag = Flag.objects.select_for_update().get(fingerprint=finding.fingerprint)
    fields = ["message", "details", "severity", "last_seen"]
    flag.message, flag.details, flag.severity, flag.last_seen = (
        finding.message,
        finding.details,
        severity,
        now,
    )
    decided_by_scan = flag.status == Flag.Status.RESOLVED and flag.resolved_by_id is None
    decided_by_person = flag.status in (Flag.Status.RESOLVED, Flag.Status.DISMISSED) and not (
        decided_by_scan
    )
    if decided_by_scan or (decided_by_person and _claims_changed_since(flag, flag.resolved_at)):
        note = (
            "The condition holds again."
            if decided_by_scan
            else "A claim changed after the decision: the condition still holds."
        )
        _record(flag, Flag.Status.OPEN, note)
        flag.resolved_at, flag.resolved_by = None, None
        fields += ["status", "resolved_at", "resolved_by"]
    flag.save(update_fields=fields)
    return flag


@transaction.atomic
def sync_findings(
    findings: Sequence[Finding], scope: QuerySet[Flag], *, now: datetime | None = None
) -> int:
    """Make the flags in `scope` match `findings`; answers how many flags were touched."""
    now = now or timezone.now()
    seen = set()
    touched = 0
    for finding in findings:
        seen.add(finding.fingerprint)
        _upsert(finding, now)
        touched += 1
    gone = scope.filter(status__in=[Flag.Status.OPEN, Flag.Status.ACKNOWLEDGED]).exclude(
        fingerprint__in=seen
    )
    for flag in gone.select_for_update():
        _record(flag, Flag.Status.RESOLVED, AUTO_RESOLVED_NOTE)
        # No person: the scan may reopen it as soon as the condition returns.
        flag.resolved_at, flag.resolved_by = now, None
        flag.resolution_note = AUTO_RESOLVED_NOTE
        flag.save(update_fields=["status", "resolved_at", "resolved_by", "resolution_note"])
        touched += 1
    return touched
