"""Claims that cannot all be true, and figures that a newer one replaces.

Two claims are compared when they share a block (event, unit, country) and
their periods share a day. How they relate decides the rule:

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
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from itertools import groupby, pairwise

from claims.wording import sentence

from .blocking import (
    block_key,
    group_by,
    interval_of,
    period_of,
    place_within,
    population_within,
    related_pairs,
    require_period,
)
from .duplicates import duplicate_finding, find_verdict_conflicts, intervals_overlap
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
        findings.extend(find_superseded(block, policy))
    findings.extend(find_verdict_conflicts(facts, policy, focus=focus))
    if focus is not None:
        findings = [finding for finding in findings if focus.intersection(finding.claim_ids)]
    return sorted(findings, key=lambda finding: (finding.kind, finding.claim_ids))


def compare_block(
    block: Sequence[ClaimFact], policy: Policy, *, focus: set[int] | None = None
) -> list[Finding]:
    """Compare, pair by pair, the claims of one block that share a day and related places."""
    findings: list[Finding] = []
    for a, b in related_pairs(block):
        if focus is not None and a.id not in focus and b.id not in focus:
            continue
        finding = compare_pair(a, b, policy)
        if finding:
            findings.append(finding)
    return findings


def compare_pair(a: ClaimFact, b: ClaimFact, policy: Policy) -> Finding | None:
    """The one finding (if any) about two claims of the same block whose periods overlap."""
    same_measure = same_place_and_population(a, b)
    if same_measure and period_of(a) == period_of(b):
        if not intervals_overlap(a, b):
            return _value_conflict(a, b, policy)
        return duplicate_finding(a, b, policy)
    if same_measure and running_totals_from_same_start(a, b):
        return _count_decreased(a, b, policy)
    for inner, outer in ((a, b), (b, a)):
        if _within(inner, outer):
            return _exceeds_total(inner, outer, policy) if _exceeds(inner, outer) else None
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
    a_period, b_period = period_of(a), period_of(b)
    return (
        a.period_kind == b.period_kind == "to_date"
        and a_period is not None
        and b_period is not None
        and a_period[0] == b_period[0]
    )


def _within(inner: ClaimFact, outer: ClaimFact) -> bool:
    inner_period, outer_period = period_of(inner), period_of(outer)
    if inner_period is None or outer_period is None:
        return False
    return (
        place_within(inner, outer)
        and population_within(inner.population, outer.population)
        and outer_period[0] <= inner_period[0]
        and inner_period[1] <= outer_period[1]
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
