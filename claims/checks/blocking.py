"""Which claims may be compared, and the sweep that pairs them.

Claims are compared only inside a block (event, unit, country). Inside a block
they are swept in period order, so a claim meets only the claims whose periods
overlap its own: the work grows with claims times overlapping neighbours, never
with all pairs.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from datetime import date

from .types import ClaimFact

BlockKey = tuple[str, str, str]

# Retracted claims are withdrawn and false claims are known wrong: neither is a
# figure the desk stands behind, so neither can contradict anything.
EXCLUDED_STATUSES = frozenset({"retracted", "false"})

# Which population a count is part of. Children are counted among civilians in
# the casualty reports the desk handles ("civilians, including 12 children").
POPULATION_PARENT: dict[str, str] = {
    "civilians": "all",
    "combatants": "all",
    "children": "civilians",
}


def population_within(inner: str, outer: str) -> bool:
    """True when every person counted in ``inner`` is also counted in ``outer``."""
    current: str | None = inner
    while current is not None:
        if current == outer:
            return True
        current = POPULATION_PARENT.get(current)
    return False


def place_within(inner: ClaimFact, outer: ClaimFact) -> bool:
    return inner.place_id == outer.place_id or (
        outer.place_id is not None and outer.place_id in inner.place_ancestors
    )


def has_number(fact: ClaimFact) -> bool:
    return fact.event is not None and (fact.value_low is not None or fact.value_high is not None)


def period_of(fact: ClaimFact) -> tuple[date, date] | None:
    """The claim's period as (first day, last day); a lone start date is one day."""
    if fact.period_start is None:
        return None
    return fact.period_start, fact.period_end or fact.period_start


def interval_of(fact: ClaimFact) -> tuple[int, int | None]:
    # "up to 30" may arrive with no low end: a count is never below zero.
    return (fact.value_low if fact.value_low is not None else 0), fact.value_high


def block_key(fact: ClaimFact) -> BlockKey | None:
    """(event, unit, country), or None when the claim takes no part in the numeric rules.

    Population is left out on purpose: a civilian count is a sub-total of an
    all-casualties count of the same event, so both must land in one block and
    the comparison decides how they relate.
    """
    if fact.status in EXCLUDED_STATUSES or fact.event is None or not has_number(fact):
        return None
    if fact.place_id is None or period_of(fact) is None:
        return None
    return fact.event, fact.unit, fact.country


def group_by(
    facts: Iterable[ClaimFact], key: Callable[[ClaimFact], Hashable | None]
) -> dict[Hashable, list[ClaimFact]]:
    """Group facts by ``key(fact)``, dropping those whose key is None."""
    groups: dict[Hashable, list[ClaimFact]] = defaultdict(list)
    for fact in facts:
        value = key(fact)
        if value is not None:
            groups[value].append(fact)
    return dict(groups)


def sweep_pairs(block: Sequence[ClaimFact]) -> Iterator[tuple[ClaimFact, ClaimFact]]:
    """Yield each pair of claims in ``block`` whose periods share at least one day.

    Claims are taken in order of their first day; a heap keyed on the last day
    holds the claims still "open". A claim is paired with the open ones only,
    after those that ended before it began are dropped. Every claim in the
    block must have a period (block_key guarantees it).
    """
    ordered = sorted(block, key=_sweep_order)
    open_claims: list[tuple[date, int, ClaimFact]] = []
    for fact in ordered:
        start, end = require_period(fact)
        while open_claims and open_claims[0][0] < start:
            heapq.heappop(open_claims)
        for _, _, earlier in open_claims:
            yield earlier, fact
        heapq.heappush(open_claims, (end, fact.id, fact))


def require_period(fact: ClaimFact) -> tuple[date, date]:
    """The period of a claim that block_key admitted, which always has one."""
    period = period_of(fact)
    if period is None:
        raise ValueError(f"claim {fact.id} has no period and cannot be swept")
    return period


def _sweep_order(fact: ClaimFact) -> tuple[date, date, int]:
    start, end = require_period(fact)
    return start, end, fact.id
