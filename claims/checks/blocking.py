"""Which claims may be compared, and the sweep that pairs them.

Claims are compared only inside a block (event, unit, country), and the tolls of
one incident inside the incident's own block (incident_key). Inside a block
they are swept in period order, so a claim meets only the claims whose periods
overlap its own: the work grows with claims times overlapping neighbours, never
with all pairs. related_pairs narrows the sweep further to claims whose places
are the same or one inside the other, the only pairs a rule can fault.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from datetime import date

from .types import ClaimFact

BlockKey = tuple[str, str, str]
IncidentKey = tuple[int, str, str]

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
    if fact.status in EXCLUDED_STATUSES or not comparable(fact):
        return None
    return fact.event or "", fact.unit, fact.country


def incident_key(fact: ClaimFact) -> IncidentKey | None:
    """(incident, event, unit): the block of the tolls of one incident, or None.

    Tolls of an incident are compared with the other tolls of that incident only
    (checks/incidents.py reads them as running counts), so the work grows with the
    tolls times the size of their incident. A claim outside any incident, a withdrawn
    or false one, a forecast and a claim without a number take no part; a place and a
    period are not needed: the incident gives the period, and a toll with no place is
    compared only with others with none.
    """
    if fact.incident is None or fact.status in EXCLUDED_STATUSES or fact.projection:
        return None
    if fact.event is None or not has_number(fact):
        return None
    return fact.incident, fact.event, fact.unit


def comparable(fact: ClaimFact) -> bool:
    """Whether the figure is a count the numeric rules can weigh, whatever the desk decided
    about it: a number with what it counts, a place and a period, and no forecast."""
    if fact.event is None or not has_number(fact):
        return False
    # A forecast cannot contradict a count, nor one forecast another.
    return not fact.projection and fact.place_id is not None and period_of(fact) is not None


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
    return _sweep(_in_sweep_order(block))


def related_pairs(block: Sequence[ClaimFact]) -> Iterator[tuple[ClaimFact, ClaimFact]]:
    """The pairs of sweep_pairs whose places are the same or one inside the other.

    A count in Aleppo says nothing about one in Homs, yet a busy block holds
    dozens of cities reporting on the same days: sweeping each place alone,
    and each place against the places it lies in, skips the unrelated pairs
    that would otherwise be most of the work. Pairs come as sweep_pairs gives
    them, the one that sorts first by period first.
    """
    groups = [_in_sweep_order(group) for group in group_by(block, _place_key).values()]
    index_of_place: dict[int | None, list[int]] = defaultdict(list)
    for index, group in enumerate(groups):
        index_of_place[group[0][3].place_id].append(index)
    done: set[tuple[int, int]] = set()
    for index, group in enumerate(groups):
        yield from _sweep(group)
        first = group[0][3]
        # The same place (with other ancestors, which only odd data makes) and
        # every place this one lies in; a place inside this one finds it in turn.
        for place_id in (first.place_id, *first.place_ancestors):
            for other in index_of_place.get(place_id, ()):
                pair = (min(index, other), max(index, other))
                if other != index and pair not in done:
                    done.add(pair)
                    yield from _sweep_between(group, groups[other])


# A claim with its sweep order: (first day, last day, id, claim).
Swept = tuple[date, date, int, ClaimFact]


def _in_sweep_order(facts: Iterable[ClaimFact]) -> list[Swept]:
    return sorted(((*require_period(fact), fact.id, fact) for fact in facts), key=_order)


def _order(item: Swept) -> tuple[date, date, int]:
    return item[0], item[1], item[2]


def _sweep(ordered: Sequence[Swept]) -> Iterator[tuple[ClaimFact, ClaimFact]]:
    open_claims: list[tuple[date, int, ClaimFact]] = []
    for start, end, fact_id, fact in ordered:
        while open_claims and open_claims[0][0] < start:
            heapq.heappop(open_claims)
        for _, _, earlier in open_claims:
            yield earlier, fact
        heapq.heappush(open_claims, (end, fact_id, fact))


def _place_key(fact: ClaimFact) -> tuple[int | None, frozenset[int]]:
    return fact.place_id, fact.place_ancestors


def _sweep_between(
    left: Sequence[Swept], right: Sequence[Swept]
) -> Iterator[tuple[ClaimFact, ClaimFact]]:
    """Each pair of one claim from ``left`` and one from ``right`` whose periods share a day."""
    tagged = heapq.merge(
        ((item, 0) for item in left), ((item, 1) for item in right), key=lambda x: _order(x[0])
    )
    open_claims: tuple[list[tuple[date, int, ClaimFact]], ...] = ([], [])
    for (start, end, fact_id, fact), side in tagged:
        others = open_claims[1 - side]
        while others and others[0][0] < start:
            heapq.heappop(others)
        for _, _, earlier in others:
            yield earlier, fact
        heapq.heappush(open_claims[side], (end, fact_id, fact))


def require_period(fact: ClaimFact) -> tuple[date, date]:
    """The period of a claim that block_key admitted, which always has one."""
    period = period_of(fact)
    if period is None:
        raise ValueError(f"claim {fact.id} has no period and cannot be swept")
    return period
