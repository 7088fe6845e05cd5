"""Near-duplicate claims: the same statement logged twice, or decided both ways.

Text similarity is rapidfuzz's token_set_ratio on the normalised statements
when both claims have one, on the words as written otherwise. Similar words
are not enough on their own: "51 killed in Aleppo yesterday" written on two
different days is two claims, so the measure (place, period, figures) must
agree as well.

The pair rule finds near-duplicates two at a time, but a report logged by
many desks makes many copies, and n copies make n(n-1)/2 pairs: one flag per
pair buries the queue. So the pairs are joined into groups (connected
components: a copy of a copy is a copy), one finding per group, named by its
first claim so that the group keeps its flag as it grows or loses members.
Verdict conflicts stay pairs: each is a decision to revisit.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date

from rapidfuzz import fuzz, utils

from .blocking import group_by, has_number, interval_of, period_of
from .messages import fact_details, measure_words, period_words, place_words, quote
from .types import (
    DUPLICATE,
    VERDICT_CONFLICT,
    ClaimFact,
    Finding,
    Policy,
    fingerprint,
    make_finding,
)

# How many claims a group's details describe; all of them are the flag's claims.
MAX_LISTED = 10


def similarity(a: ClaimFact, b: ClaimFact, threshold: float) -> float:
    """How alike the two claims read (0-100), or 0 when below ``threshold``."""
    if a.normalised and b.normalised:
        left, right = a.normalised, b.normalised
    else:
        left, right = a.text, b.text
    return fuzz.token_set_ratio(
        left, right, processor=utils.default_process, score_cutoff=threshold
    )


def intervals_overlap(a: ClaimFact, b: ClaimFact) -> bool:
    """Whether the two figures can both be true; touching ends ([20, 30], [30, 40]) can."""
    a_low, a_high = interval_of(a)
    b_low, b_high = interval_of(b)
    return (a_high is None or b_low <= a_high) and (b_high is None or a_low <= b_high)


def duplicate_finding(a: ClaimFact, b: ClaimFact, policy: Policy) -> Finding | None:
    """Two comparable claims with the same place, period and population (checked by the caller)."""
    if not intervals_overlap(a, b):
        return None
    score = similarity(a, b, policy.duplicate_similarity)
    if not score:
        return None
    first, second = sorted((a, b), key=lambda fact: fact.id)
    message = (
        f"{quote(first)} and {quote(second)} look like the same claim: "
        f"{measure_words(first, policy.tolerance)} in {place_words(first)} {period_words(first)}."
    )
    details = {
        "claims": [fact_details(first), fact_details(second)],
        "similarity": round(score, 1),
    }
    return make_finding(DUPLICATE, (a.id, b.id), "info", message, details)


def cluster_duplicates(
    findings: Iterable[Finding],
    facts: Mapping[int, ClaimFact],
    policy: Policy,
    *,
    known: Iterable[Iterable[int]] = (),
    focus: set[int] | None = None,
) -> list[Finding]:
    """``findings`` with their duplicate pairs joined into one finding per group.

    ``known`` holds groups found before; with ``focus`` (claims just saved, whose
    pairs alone were compared again) they stand in for the pairs not compared:
    their members stay together, less the focus claims, which belong where
    their fresh pairs put them. So a save costs the pairs of one claim, never
    those of its whole group. Other findings pass through as they are.
    """
    groups = _Groups()
    scores: dict[int, list[float]] = defaultdict(list)
    others: list[Finding] = []
    for finding in findings:
        if finding.kind != DUPLICATE:
            others.append(finding)
            continue
        first, *rest = finding.claim_ids
        for other in rest:
            groups.join(first, other)
        scores[first].append(float(finding.details.get("similarity", 0.0)))
    dropped = focus or set()
    for members in known:
        kept = sorted(set(members) - dropped)
        for other in kept[1:]:
            groups.join(kept[0], other)
    merged = [
        _group_finding(members, [s for m in members for s in scores.get(m, ())], facts, policy)
        for members in groups.components()
    ]
    found = others + [finding for finding in merged if finding is not None]
    return sorted(found, key=lambda finding: (finding.kind, finding.claim_ids))


class _Groups:
    """Union-find over claim ids: near-linear in the pairs, however large a group grows."""

    def __init__(self) -> None:
        self.parent: dict[int, int] = {}

    def find(self, item: int) -> int:
        root = self.parent.setdefault(item, item)
        while root != self.parent[root]:
            root = self.parent[root]
        while item != root:  # path compression
            self.parent[item], item = root, self.parent[item]
        return root

    def join(self, a: int, b: int) -> None:
        root_a, root_b = self.find(a), self.find(b)
        if root_a != root_b:
            # The smaller id as root keeps the walk short and the order plain.
            low, high = sorted((root_a, root_b))
            self.parent[high] = low

    def components(self) -> list[list[int]]:
        members: dict[int, list[int]] = defaultdict(list)
        for item in self.parent:
            members[self.find(item)].append(item)
        return [sorted(group) for group in members.values() if len(group) > 1]


def _group_finding(
    members: list[int], scores: list[float], facts: Mapping[int, ClaimFact], policy: Policy
) -> Finding | None:
    described = [facts[m] for m in members if m in facts]
    if not described:
        return None
    first = described[0]
    if len(members) == 2 and len(described) == 2:
        others = quote(described[1])
    else:
        others = f"{len(members) - 1} other claims"
    message = (
        f"{quote(first)} and {others} look like the same claim: "
        f"{measure_words(first, policy.tolerance)} in {place_words(first)} {period_words(first)}."
    )
    details = {
        "claims": [fact_details(fact) for fact in described[:MAX_LISTED]],
        "count": len(members),
        # The weakest link that holds the group together.
        "similarity": round(min(scores), 1) if scores else None,
    }
    ids = tuple(members)
    return Finding(
        kind=DUPLICATE,
        claim_ids=ids,
        severity="info",
        message=message,
        details=details,
        # The first claim names the group: it stays as copies join or leave.
        fingerprint=fingerprint(DUPLICATE, ids[:1]),
    )


def text_block_key(fact: ClaimFact) -> tuple[str, str, str]:
    """Where near-duplicate text is looked for: claims about one event and unit in one country.

    Unlike block_key this keeps claims without a number, a place or a period,
    and false ones, since a verdict can clash on any of them.
    """
    event = fact.event or ""
    return event, fact.unit if event else "", fact.country


def find_verdict_conflicts(
    facts: Iterable[ClaimFact], policy: Policy, *, focus: set[int] | None = None
) -> list[Finding]:
    """Near-duplicate claims the desk decided one as verified and the other as false."""
    decided = [fact for fact in facts if fact.status in ("verified", "false")]
    findings: list[Finding] = []
    for group in group_by(decided, text_block_key).values():
        verified = [fact for fact in group if fact.status == "verified"]
        false = _BySubject([fact for fact in group if fact.status == "false"])
        for true_one in verified:
            # The candidates are the same subject already: only the words are left to weigh.
            for false_one in false.candidates(true_one):
                if focus is not None and not {true_one.id, false_one.id} & focus:
                    continue
                finding = _verdict_conflict(true_one, false_one, policy)
                if finding:
                    findings.append(finding)
    return findings


def _verdict_conflict(true_one: ClaimFact, false_one: ClaimFact, policy: Policy) -> Finding | None:
    """The finding about two claims of the same subject (same_subject), if their words match."""
    score = similarity(true_one, false_one, policy.duplicate_similarity)
    if not score:
        return None
    message = f"{quote(true_one)} is verified but the near-identical {quote(false_one)} is false."
    details = {
        "verified": fact_details(true_one),
        "false": fact_details(false_one),
        "similarity": round(score, 1),
    }
    return make_finding(VERDICT_CONFLICT, (true_one.id, false_one.id), "high", message, details)


def same_subject(a: ClaimFact, b: ClaimFact) -> bool:
    """Whether two claims in similar words may be the same statement: nothing both
    state (place, period, population, figures that can both hold) tells them apart."""
    # Only what both claims state can tell them apart: a claim with no period
    # may well be the same statement as one with a period.
    if a.place_id is not None and b.place_id is not None and a.place_id != b.place_id:
        return False
    a_period, b_period = period_of(a), period_of(b)
    if a_period is not None and b_period is not None and a_period != b_period:
        return False
    if has_number(a) and has_number(b):
        return a.population == b.population and intervals_overlap(a, b)
    return True


Subject = tuple[int | None, tuple[date, date] | None]  # (place, period), either unstated


class _BySubject:
    """Claims by place, period and population, to meet only those same_subject accepts.

    A busy country holds thousands of verified and false claims; pairing them
    all costs millions of comparisons, nearly all about other places or days,
    and trying same_subject on those that share them was still most of the rule.
    """

    def __init__(self, facts: Sequence[ClaimFact]) -> None:
        self.subjects: dict[Subject, _SameSubject] = defaultdict(_SameSubject)
        for fact in facts:
            self.subjects[(fact.place_id, period_of(fact))].add(fact)
        # For a claim that leaves its place or its period unstated, which matches any.
        self.by_place: dict[int | None, list[_SameSubject]] = defaultdict(list)
        self.by_period: dict[tuple[date, date] | None, list[_SameSubject]] = defaultdict(list)
        for (place, period), subject in self.subjects.items():
            self.by_place[place].append(subject)
            self.by_period[period].append(subject)

    def candidates(self, fact: ClaimFact) -> list[ClaimFact]:
        """The claims same_subject accepts with ``fact``: the same place and period, or either
        unstated on one side, and when both state a figure, the same population and figures
        that can both hold."""
        place, period = fact.place_id, period_of(fact)
        subjects: Iterable[_SameSubject]
        if place is not None and period is not None:
            keys = ((place, period), (None, period), (place, None), (None, None))
            subjects = [self.subjects[key] for key in keys if key in self.subjects]
        elif place is not None:
            subjects = [*self.by_place.get(place, ()), *self.by_place.get(None, ())]
        elif period is not None:
            subjects = [*self.by_period.get(period, ()), *self.by_period.get(None, ())]
        else:
            subjects = self.subjects.values()
        if not has_number(fact):
            return [other for subject in subjects for other in subject.everyone()]
        low, high = _bounds(fact)
        return [
            other
            for subject in subjects
            for other in subject.unless_figures_differ(fact.population, low, high)
        ]


class _SameSubject:
    """The claims of one (place, period): without a figure, and with one by population."""

    def __init__(self) -> None:
        self.without_figure: list[ClaimFact] = []
        # population -> (low end, high end, claim)
        self.with_figure: dict[str, list[tuple[int, float, ClaimFact]]] = defaultdict(list)

    def add(self, fact: ClaimFact) -> None:
        if has_number(fact):
            self.with_figure[fact.population].append((*_bounds(fact), fact))
        else:
            self.without_figure.append(fact)

    def everyone(self) -> list[ClaimFact]:
        return [
            *self.without_figure,
            *(f for group in self.with_figure.values() for *_, f in group),
        ]

    def unless_figures_differ(self, population: str, low: int, high: float) -> list[ClaimFact]:
        """Those a claim with a figure (``population``, ``low`` to ``high``) is not told apart
        from: without a figure, or of the same population with a figure that overlaps."""
        overlapping = [
            other
            for other_low, other_high, other in self.with_figure.get(population, ())
            if other_low <= high and low <= other_high
        ]
        return [*self.without_figure, *overlapping]


def _bounds(fact: ClaimFact) -> tuple[int, float]:
    """interval_of with no high end as an infinite one, for the overlap test of
    intervals_overlap in two comparisons."""
    low, high = interval_of(fact)
    return low, math.inf if high is None else high
