"""Evidence links the link checker could not load, or found changed."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from .messages import quote
from .types import (
    DECIDED_STATUSES,
    EVIDENCE_CHANGED,
    EVIDENCE_UNREACHABLE,
    ClaimFact,
    EvidenceFact,
    Finding,
    make_finding,
)


def find_evidence_issues(
    evidence: Iterable[EvidenceFact], facts_by_id: Mapping[int, ClaimFact]
) -> list[Finding]:
    """evidence_unreachable and evidence_changed findings from the last link check.

    ``facts_by_id`` must hold the claim of every evidence row; evidence of a
    claim it lacks, or of a retracted claim, is skipped because nobody relies
    on it any more.
    """
    findings: list[Finding] = []
    for item in evidence:
        fact = facts_by_id.get(item.claim_id)
        if fact is None or fact.status == "retracted":
            continue
        unreachable = evidence_unreachable(item, fact)
        if unreachable:
            findings.append(unreachable)
        changed = evidence_changed(item, fact)
        if changed:
            findings.append(changed)
    return sorted(findings, key=lambda finding: (finding.kind, finding.fingerprint))


def evidence_unreachable(item: EvidenceFact, fact: ClaimFact) -> Finding | None:
    failed_status = item.last_status is not None and item.last_status >= 400
    if not item.last_error and not failed_status:
        return None
    problem = item.last_error or f"HTTP {item.last_status}"
    message = f"The evidence at {item.url} for {quote(fact)} could not be loaded ({problem})."
    # Evidence behind a decision matters more than a link on a claim still in work.
    severity = "medium" if fact.status in DECIDED_STATUSES else "low"
    return make_finding(
        EVIDENCE_UNREACHABLE,
        (fact.id,),
        severity,
        message,
        _details(item),
        evidence_id=item.id,
    )


def evidence_changed(item: EvidenceFact, fact: ClaimFact) -> Finding | None:
    if fact.status not in DECIDED_STATUSES:
        return None
    if not item.decided_sha256 or not item.last_sha256:
        return None
    if item.decided_sha256 == item.last_sha256:
        return None
    message = (
        f"The page at {item.url} has changed since {quote(fact)} was decided "
        f"“{fact.status}”; the archived copy holds what the desk saw."
    )
    return make_finding(
        EVIDENCE_CHANGED, (fact.id,), "medium", message, _details(item), evidence_id=item.id
    )


def _details(item: EvidenceFact) -> dict[str, Any]:
    return {
        "evidence_id": item.id,
        "url": item.url,
        "last_status": item.last_status,
        "last_error": item.last_error,
        "checked_at": item.checked_at.isoformat() if item.checked_at else None,
        "decided_sha256": item.decided_sha256,
        "last_sha256": item.last_sha256,
    }
