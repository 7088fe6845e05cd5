"""Claims that cannot all be true, and figures that a newer one replaces.

Two claims are compared when they share a block (event, unit, country) and
their periods share a day; blocking.related_pairs leaves out the pairs that
none of the rules below could fault, and must learn of a new rule's pairs.
How they relate decides the rule:

* same place, population and period: the figures must overlap (value_conflict),
  or they are one claim logged twice (duplicate);
* two to-date counts of the same measure from the same start: the later one
  may not be lower (count_decreased);
* one inside the other (a place inside the other's place, a period inside the
  other's period, civilians inside all people): the part may not exceed the
  whole (sub_place_exceeds_total, sub_period_exceeds_total, or value_conflict
  when only the population differs).

Superseded to-date figures are found here too, since they need the same
blocks; find_stale leaves them alone.

Tolls of one incident (an attack, a quake: ``ClaimFact.incident``) are blocked by
incident instead and compared as running counts from the incident's start
(checks/incidents.py), whether or not they state a time frame; tolls of two
different incidents are never compared, however much else they share.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date
from itertools import groupby, pairwise

from claims.wording import sentence

from .blocking import (
    block_key,
    group_by,
    incident_key,
    interval_of,
    period_of,
    place_within,
    population_within,
    related_pairs,
    require_period,
)
from .duplicates import duplicate_finding, find_verdict_conflicts, intervals_overlap
from .incidents import running_counts
from .messages import (
    fact_details,
    measure_words,
    period_text,
    period_words,
    place_words,
    quantity_words,
    same_period_words,
    says_words,
    source_words,
)
from .types import (
    COUNT_DECREASED,
    SUB_PERIOD_EXCEEDS_TOTAL,
    SUB_PLACE_EXCEEDS_TOTAL,
    SUPERSEDED,
    VALUE_CONFLICT,
    ClaimFact,
    Finding,
    Policy,
    make_finding,
)

Period = tuple[date, date] | None  # as period_of reads it


def find_contradictions(
    facts: Iterable[ClaimFact], policy: Policy, *, focus: set[int] | None = None
) -> list[Finding]:
    """Every contradiction, duplicate, verdict conflict and superseded figure among ``facts``.

    With ``focus`` (the ids of claims just saved) only findings that involve
    one of those claims are returned, and blocks without one are skipped.
    Findings come sorted by kind and claim ids, whatever the input order.
    """
    facts = list(facts)
    findings: list[Finding] = []
    for block in group_by(facts, block_key).values():
        if focus is not None and not any(fact.id in focus for fact in block):
            continue
        findings.extend(compare_block(block, policy, focus=focus))
        # An incident's to-date tolls are superseded within the incident (below).
        outside = [fact for fact in block if fact.incident is None]
        findings.extend(find_superseded(outside, policy))
    for block in group_by(facts, incident_key).values():
        if focus is not None and not any(fact.id in focus for fact in block):
            continue
        running = running_counts(block)
        found = [
            *compare_block(running, policy, focus=focus, within_incident=True),
            *find_superseded(running, policy),
        ]
        # The pages show which incident a finding was made in.
        incident = {"incident": block[0].incident}
        findings.extend(replace(finding, details=finding.details | incident) for finding in found)
    incident_of = {fact.id: fact for fact in facts if fact.incident is not None}
    findings.extend(
        finding
        for finding in find_verdict_conflicts(facts, policy, focus=focus)
        if not _across_incidents(finding, incident_of)
    )
    if focus is not None:
        findings = [finding for finding in findings if focus.intersection(finding.claim_ids)]
    return sorted(findings, key=lambda finding: (finding.kind, finding.claim_ids))


def compare_block(
    block: Sequence[ClaimFact],
    policy: Policy,
    *,
    focus: set[int] | None = None,
    within_incident: bool = False,
) -> list[Finding]:
    """Compare, pair by pair, the claims of one block that share a day and related places.

    The block is an ordinary one (event, unit, country), or with ``within_incident`` the
    tolls of one incident read as running counts (checks/incidents.py).
    """
    compare = compare_pair if within_incident else _compare_in_block
    findings: list[Finding] = []
    for a, b in related_pairs(block):
        if focus is not None and a.id not in focus and b.id not in focus:
            continue
        finding = compare(a, b, policy)
        if finding:
            findings.append(finding)
    return findings


def compare_pair(a: ClaimFact, b: ClaimFact, policy: Policy) -> Finding | None:
    """The one finding (if any) about two claims of the same block whose periods overlap."""
    # Each period is read once and handed on: the helpers read each one again, up to
    # six times a pair, over the tens of thousands of pairs of a full scan.
    a_period, b_period = period_of(a), period_of(b)
    if same_place_and_population(a, b):
        if a_period == b_period:
            if not intervals_overlap(a, b):
                return _value_conflict(a, b, policy)
            return duplicate_finding(a, b, policy)
        if _from_same_start(a, b, a_period, b_period):
            return _count_decreased(a, b, policy)
    if _within(a, b, a_period, b_period):
        return _exceeds_total(a, b, policy) if _exceeds(a, b) else None
    if _within(b, a, b_period, a_period):
        return _exceeds_total(b, a, policy) if _exceeds(b, a) else None
    return None


def _compare_in_block(a: ClaimFact, b: ClaimFact, policy: Policy) -> Finding | None:
    """Two claims of an ordinary block, by the incidents they are tolls of: none, the usual
    rules; both, none here (one incident's tolls meet in its own block, two incidents' never
    meet); one, only as a part of a total."""
    if a.incident is None and b.incident is None:
        return compare_pair(a, b, policy)
    if a.incident is not None and b.incident is not None:
        return None
    return compare_part_of_total(a, b, policy)


def compare_part_of_total(a: ClaimFact, b: ClaimFact, policy: Policy) -> Finding | None:
    """A toll of an incident against a figure that is no incident's.

    The toll counts one event, never all of a place and period, so the two are never rivals
    ("5 killed in Baghdad on Monday" may be another attack's toll) and never one running
    tally; only a figure for a wider place or a longer period is a total the toll is part of,
    and may not be exceeded by it.
    """
    toll, other = (a, b) if a.incident is not None else (b, a)
    if toll.place_id == other.place_id and period_of(toll) == period_of(other):
        return None
    if _within(toll, other, period_of(toll), period_of(other)) and _exceeds(toll, other):
        return _exceeds_total(toll, other, policy)
    return None


def find_superseded(block: Sequence[ClaimFact], policy: Policy) -> list[Finding]:
    """To-date figures that a later count of the same measure (same start) replaces.

    Each figure points at the next newer one rather than the newest, so a new
    count moves only the flag of the count it follows and every other
    superseded flag keeps its fingerprint.
    """
    findings: list[Finding] = []
    running = [fact for fact in block if fact.period_kind == "to_date"]
    for _, series in groupby(sorted(running, key=_series_order), key=_series_key):
        by_end = [list(group) for _, group in groupby(series, key=_period_end)]
        for older_group, newer_group in pairwise(by_end):
            newer = newer_group[0]
            # A lower newer count replaces nothing: that is count_decreased, found above.
            findings.extend(
                _superseded(older, newer, policy.tolerance)
                for older in older_group
                if not count_fell(older, newer)
            )
    return findings


def _across_incidents(finding: Finding, incident_of: dict[int, ClaimFact]) -> bool:
    """Whether a finding pairs tolls of two different incidents: near-identical words about
    two attacks are two statements, not one decided twice."""
    sides = [incident_of.get(claim_id) for claim_id in finding.claim_ids]
    incidents = {fact.incident for fact in sides if fact is not None}
    return len(incidents) > 1


def severity(a: ClaimFact, b: ClaimFact, policy: Policy) -> str:
    """High when credible sources stand on both sides, so the clash cannot be waved away."""
    if _has_credible_source(a, policy) and _has_credible_source(b, policy):
        return "high"
    return "medium"


def _has_credible_source(fact: ClaimFact, policy: Policy) -> bool:
    return any(grade in policy.credible_grades for _, grade in fact.sources)


def same_place_and_population(a: ClaimFact, b: ClaimFact) -> bool:
    """Two counts of one block about the same people in the same place: with the same
    period they are rivals, with the same start of a running total, one tally."""
    return a.place_id == b.place_id and a.population == b.population


def running_totals_from_same_start(a: ClaimFact, b: ClaimFact) -> bool:
    """Two to-date counts from the same first day: one running tally at two moments."""
    return _from_same_start(a, b, period_of(a), period_of(b))


def _from_same_start(a: ClaimFact, b: ClaimFact, a_period: Period, b_period: Period) -> bool:
    return (
        a.period_kind == b.period_kind == "to_date"
        and a_period is not None
        and b_period is not None
        and a_period[0] == b_period[0]
    )


def _within(inner: ClaimFact, outer: ClaimFact, inner_period: Period, outer_period: Period) -> bool:
    """Whether ``inner`` counts a part of what ``outer`` counts: its place, people and period
    inside the other's (the periods as period_of reads them)."""
    # The dates first: they settle most pairs, and the place and people lookups cost more.
    return (
        inner_period is not None
        and outer_period is not None
        and outer_period[0] <= inner_period[0]
        and inner_period[1] <= outer_period[1]
        and population_within(inner.population, outer.population)
        and place_within(inner, outer)
    )


def _exceeds(inner: ClaimFact, outer: ClaimFact) -> bool:
    inner_low, _ = interval_of(inner)
    _, outer_high = interval_of(outer)
    return outer_high is not None and inner_low > outer_high


def _value_conflict(a: ClaimFact, b: ClaimFact, policy: Policy) -> Finding:
    first, second = sorted((a, b), key=lambda fact: fact.id)
    message = sentence(
        f"{says_words(first)} {measure_words(first, policy.tolerance)} in "
        f"{place_words(first)} {period_words(first)}; {says_words(second)} "
        f"{quantity_words(second, policy.tolerance)} for {same_period_words(second)}."
    )
    details = {"claims": [fact_details(first), fact_details(second)]}
    return make_finding(VALUE_CONFLICT, (a.id, b.id), severity(a, b, policy), message, details)


def count_fell(earlier: ClaimFact, later: ClaimFact) -> bool:
    """A running count given lower than an earlier one: its high end below the earlier low."""
    _, later_high = interval_of(later)
    earlier_low, _ = interval_of(earlier)
    return later_high is not None and later_high < earlier_low


def _count_decreased(a: ClaimFact, b: ClaimFact, policy: Policy) -> Finding | None:
    earlier, later = sorted((a, b), key=_period_end)
    if not count_fell(earlier, later):
        return None
    message = sentence(
        f"{says_words(later)} {measure_words(later, policy.tolerance)} in "
        f"{place_words(later)} {period_words(later)}, fewer than the figure of "
        f"{quantity_words(earlier, policy.tolerance)} given earlier by {source_words(earlier)} for "
        f"{period_text(earlier)}; "
        "a running total should not fall."
    )
    details = {"earlier": fact_details(earlier), "later": fact_details(later)}
    return make_finding(COUNT_DECREASED, (a.id, b.id), severity(a, b, policy), message, details)


def _exceeds_total(inner: ClaimFact, outer: ClaimFact, policy: Policy) -> Finding:
    if inner.place_id != outer.place_id:
        kind = SUB_PLACE_EXCEEDS_TOTAL
    elif period_of(inner) != period_of(outer):
        kind = SUB_PERIOD_EXCEEDS_TOTAL
    else:
        # Same place and period, a part of the population counted above the
        # whole: the two figures are rivals for the same thing.
        kind = VALUE_CONFLICT
    message = sentence(
        f"{says_words(inner)} {measure_words(inner, policy.tolerance)} in "
        f"{place_words(inner)} {period_words(inner)}, more than the total of "
        f"{measure_words(outer, policy.tolerance)} given by {source_words(outer)} for "
        f"{_scope_words(inner, outer)}."
    )
    details = {"inner": fact_details(inner), "outer": fact_details(outer)}
    level = severity(inner, outer, policy)
    return make_finding(kind, (inner.id, outer.id), level, message, details)


def _scope_words(inner: ClaimFact, outer: ClaimFact) -> str:
    """Where and when the total applies, naming only what differs from the part."""
    if period_of(inner) == period_of(outer):
        if inner.place_id == outer.place_id:
            return same_period_words(outer)
        preposition = "on" if same_period_words(outer) == "the same day" else "in"
        return f"{place_words(outer)} {preposition} {same_period_words(outer)}"
    if inner.place_id == outer.place_id:
        return period_text(outer)
    return f"{place_words(outer)} {period_words(outer)}"


def _superseded(older: ClaimFact, newer: ClaimFact, tolerance: float) -> Finding:
    old_figure = f"{measure_words(older, tolerance)} in {place_words(older)} {period_words(older)}"
    message = (
        f"{sentence(old_figure)}, from {source_words(older)}, has a newer count: "
        f"{says_words(newer)} {quantity_words(newer, tolerance)} for {period_text(newer)}."
    )
    details = {"superseded": fact_details(older), "newer": fact_details(newer)}
    return make_finding(SUPERSEDED, (older.id, newer.id), "low", message, details)


def _series_key(fact: ClaimFact) -> tuple[int, str, date]:
    # Block members always have a place and a period (block_key saw to it).
    return fact.place_id or 0, fact.population, require_period(fact)[0]


def _series_order(fact: ClaimFact) -> tuple[int, str, date, date, int]:
    return (*_series_key(fact), _period_end(fact), fact.id)


def _period_end(fact: ClaimFact) -> date:
    return require_period(fact)[1]
