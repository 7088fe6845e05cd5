"""The plain data the rules read and write.

The Django side maps its rows into these frozen dataclasses and turns the
returned findings into Flag rows (``checks/sync.py``); nothing here knows
about the ORM.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from claims.parsing.types import maker

# Finding kinds, named once so the rules and the Flag model agree on spelling.
VALUE_CONFLICT = "value_conflict"
SUB_PERIOD_EXCEEDS_TOTAL = "sub_period_exceeds_total"
SUB_PLACE_EXCEEDS_TOTAL = "sub_place_exceeds_total"
COUNT_DECREASED = "count_decreased"
VERDICT_CONFLICT = "verdict_conflict"
DUPLICATE = "duplicate"
SUPERSEDED = "superseded"
VERIFICATION_EXPIRED = "verification_expired"
EVIDENCE_UNREACHABLE = "evidence_unreachable"
EVIDENCE_CHANGED = "evidence_changed"
REVIEW_OVERDUE = "review_overdue"

# Kinds in groups, named once for the rules, the scans, the pages and the API.
# Two figures that cannot both be right: resolving one records the figure used.
FIGURE_CONFLICT_KINDS = frozenset(
    {VALUE_CONFLICT, SUB_PERIOD_EXCEEDS_TOTAL, SUB_PLACE_EXCEEDS_TOTAL, COUNT_DECREASED}
)
# What contradicts a claim: conflicting figures, or verdicts that disagree.
# Duplicates and superseded figures are housekeeping, not contradictions.
CONTRADICTION_KINDS = FIGURE_CONFLICT_KINDS | {VERDICT_CONFLICT}
# What the block scan (claims compared with the others of their block) raises and
# resolves: the contradictions, and the housekeeping of duplicates and superseded figures.
BLOCK_SCAN_KINDS = CONTRADICTION_KINDS | {DUPLICATE, SUPERSEDED}
STALE_KINDS = frozenset({VERIFICATION_EXPIRED, REVIEW_OVERDUE})
EVIDENCE_KINDS = frozenset({EVIDENCE_UNREACHABLE, EVIDENCE_CHANGED})

# Statuses a fact-checker reaches by deciding; the decision carries decided_at.
DECIDED_STATUSES = frozenset({"verified", "attributed", "disputed", "false"})
OPEN_STATUSES = frozenset({"new", "in_review"})


@dataclass(frozen=True)
class ClaimFact:
    id: int
    text: str
    normalised: str
    event: str | None
    unit: str
    population: str
    value_low: int | None
    value_high: int | None  # None means no upper bound
    qualifier: str | None
    place_id: int | None
    place_name: str
    country: str
    place_ancestors: frozenset[int]
    period_start: date | None
    period_end: date | None
    period_kind: str | None
    status: str
    decided_at: datetime | None
    due_at: datetime | None
    reported_on: date | None
    created_at: datetime
    changed_at: datetime
    sources: tuple[tuple[str, str], ...]  # (name, Admiralty grade "A".."F")
    verdict: str = ""
    # "could reach thousands": what someone expects, not what they counted.
    projection: bool = False
    # The incident (one attack, quake, fire) the claim is a toll of, and the day it happened
    # when known: within one incident a toll with no time frame is a running count as of its
    # report date (checks/incidents.py); claims of two incidents are never compared.
    incident: int | None = None
    incident_day: date | None = None


# How the scans make their facts, 100,000 for a full scan and 60,000 for a staleness scan
# at 100,000 claims: a frozen dataclass's __init__ sets its 27 fields one by one, three
# times the cost of setting them at once (claims.parsing.types.maker).
make_claim_fact = maker(ClaimFact)


@dataclass(frozen=True)
class EvidenceFact:
    id: int
    claim_id: int
    url: str
    decided_sha256: str
    last_status: int | None
    last_sha256: str
    last_error: str
    checked_at: datetime | None


def _default_max_ages() -> dict[str, int]:
    # A to-date figure moves daily, so its check ages fastest; a single day's
    # toll rarely changes once the dust settles.
    return {"day": 365, "span": 180, "to_date": 7}


@dataclass(frozen=True)
class Policy:
    # Already applied when the intervals were stored; messages use it to write
    # [360, 440] back as "about 400".
    tolerance: float = 0.10
    # Kept for the admin's settings page; the rules age to-date decisions via
    # decision_max_age_days["to_date"] and spot newer figures via superseded.
    to_date_stale_days: int = 7
    decision_max_age_days: Mapping[str, int] = field(default_factory=_default_max_ages, hash=False)
    duplicate_similarity: float = 90.0
    # Grades that make a source credible enough for a clash between two of
    # them to be urgent (Admiralty A usually, B usually reliable, C fairly).
    credible_grades: frozenset[str] = frozenset({"A", "B", "C"})


@dataclass(frozen=True)
class Finding:
    kind: str
    claim_ids: tuple[int, ...]  # sorted
    severity: str  # info, low, medium, high
    message: str
    details: dict[str, Any] = field(hash=False)
    fingerprint: str


def fingerprint(kind: str, claim_ids: tuple[int, ...], evidence_id: int | None = None) -> str:
    """Identify a finding by what it is about, never by the figures in it.

    An edited claim keeps its flag (only the message changes), and a scan run
    twice produces the same fingerprint, so the Flag table stays free of
    duplicates.
    """
    # map() rather than a generator: a scan makes one fingerprint per finding, 60,000 in
    # a staleness scan at 100,000 claims, and join() of a generator is twice as slow.
    parts = [kind, ",".join(map(str, sorted(claim_ids)))]
    if evidence_id is not None:
        parts.append(f"evidence:{evidence_id}")
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


def make_finding(
    kind: str,
    claim_ids: tuple[int, ...] | list[int],
    severity: str,
    message: str,
    details: dict[str, Any],
    *,
    evidence_id: int | None = None,
) -> Finding:
    ids = tuple(sorted(set(claim_ids)))
    return Finding(
        kind=kind,
        claim_ids=ids,
        severity=severity,
        message=message,
        details=details,
        fingerprint=fingerprint(kind, ids, evidence_id),
    )
