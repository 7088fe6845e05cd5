"""Which claims may be compared, and the sweep that pairs them.

Claims are compared only inside a block (event, unit, country), and the tolls of
one incident inside the incident's own block (incident_key). Inside a block
they are swept in period order, so a claim meets only the claims whose periods
overlap its own: the work grows with claims times overlapping neighbours, never
with all pairs. related_pairs narrows the sweep further to the pairs a rule can
fault: places the same or one inside the other, one period inside the other,
and figures that can disagree.
"""

from __future__ import annotations

import heapq
import math
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from datetime import date
from operator import itemgetter

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


def _populations_above(population: str) -> frozenset[str]:
    above: set[str] = set()
    current = POPULATION_PARENT.get(population)
    while current is not None:
        above.add(current)
        current = POPULATION_PARENT.get(current)
    return frozenset(above)


# Every population each one is part of, walked up POPULATION_PARENT once rather than for
# each pair the rules compare.
POPULATIONS_ABOVE: dict[str, frozenset[str]] = {
    population: _populations_above(population) for population in POPULATION_PARENT
}


def population_within(inner: str, outer: str) -> bool:
    """True when every person counted in ``inner`` is also counted in ``outer``."""
    return inner == outer or outer in POPULATIONS_ABOVE.get(inner, ())


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
    """The pairs of sweep_pairs that a rule could fault: their places the same or one inside
    the other, their periods one inside the other, and their figures able to disagree.

    A count in Aleppo says nothing about one in Homs, yet a busy block holds
    dozens of cities reporting on the same days: sweeping each place alone,
    and each place against the places inside it, skips the unrelated pairs.

    Every rule then weighs two figures whose periods lie one inside the other:
    the same period (rivals, duplicates, a part of the people above the whole),
    two running totals from one start, a part of a period or of a place above
    its total. Past the same period, each needs the inner figure above the
    outer one's high end (a running total that fell is its earlier, inner,
    count above the later one); between two places, even the same period needs
    the inner place's figure above the outer place's. So a day's figure at or
    below the month's, a city's at or below its country's, is never paired:
    most of the pairs of a busy block. Should a rule come to fault other pairs,
    this is where to say so.

    Each pair comes once, the claim that sorts first by period first.
    """
    # One sort for the block: each place's claims keep its order.
    by_place: dict[tuple[int | None, frozenset[int]], list[Swept]] = defaultdict(list)
    for item in _in_sweep_order(block):
        by_place[_place_key(item[5])].append(item)
    groups = list(by_place.values())
    index_of_place: dict[int | None, list[int]] = defaultdict(list)
    for index, group in enumerate(groups):
        index_of_place[group[0][5].place_id].append(index)
    # The groups of the places inside each group's place, to sweep against it at once.
    inside: dict[int, list[int]] = defaultdict(list)
    done: set[tuple[int, int]] = set()
    for index, group in enumerate(groups):
        yield from _pairs_in_place(group)
        first = group[0][5]
        # The same place (with other ancestors, which only odd data makes) and
        # every place this one lies in; a place inside this one finds it in turn.
        for place_id in (first.place_id, *first.place_ancestors):
            for other in index_of_place.get(place_id, ()):
                pair = (min(index, other), max(index, other))
                if other == index or pair in done:
                    continue
                done.add(pair)
                if place_id != first.place_id and not place_within(groups[other][0][5], first):
                    inside[other].append(index)
                else:
                    # One place with two lines of ancestors, or two places each inside
                    # the other: only odd data makes them, so every overlapping pair of
                    # the two goes to the rules.
                    yield from _sweep_between(group, groups[other])
    for outer, inner in inside.items():
        parts = [item for index in inner for item in groups[index]]
        yield from _parts_above_totals(parts, groups[outer])


# A claim with its sweep order and its figure: (first day, last day, id, low end, high end,
# claim). A figure with no high end ("at least 300") has an infinite one, which no figure
# is above.
Swept = tuple[date, date, int, int, float, ClaimFact]
_ORDER = itemgetter(0, 1, 2)


def _in_sweep_order(facts: Iterable[ClaimFact]) -> list[Swept]:
    return sorted((_swept(fact) for fact in facts), key=_ORDER)


def _swept(fact: ClaimFact) -> Swept:
    # require_period and interval_of, written out: every claim of every block passes here.
    start, low, high = fact.period_start, fact.value_low, fact.value_high
    if start is None:
        raise ValueError(f"claim {fact.id} has no period and cannot be swept")
    return (
        start,
        fact.period_end or start,
        fact.id,
        0 if low is None else low,
        math.inf if high is None else high,
        fact,
    )


def _sweep(ordered: Sequence[Swept]) -> Iterator[tuple[ClaimFact, ClaimFact]]:
    open_claims: list[tuple[date, int, ClaimFact]] = []
    for start, end, fact_id, _, _, fact in ordered:
        while open_claims and open_claims[0][0] < start:
            heapq.heappop(open_claims)
        for _, _, earlier in open_claims:
            yield earlier, fact
        heapq.heappush(open_claims, (end, fact_id, fact))


def _pairs_in_place(ordered: Sequence[Swept]) -> Iterator[tuple[ClaimFact, ClaimFact]]:
    """The pairs of _sweep (claims of one place) that related_pairs keeps."""
    open_claims: list[tuple[date, int, date, int, float, ClaimFact]] = []
    for start, end, fact_id, low, high, fact in ordered:
        while open_claims and open_claims[0][0] < start:
            heapq.heappop(open_claims)
        for earlier_end, _, earlier_start, earlier_low, earlier_high, earlier in open_claims:
            # An open claim began on or before this one. Ending no earlier, it holds this
            # one, with the same period when both begin on one day (sorting first, it ends
            # no later); ending earlier, it lies inside this one if both begin on one day.
            if earlier_end >= end:
                if earlier_start == start or low > earlier_high:
                    yield earlier, fact
            elif earlier_start == start and earlier_low > high:
                yield earlier, fact
        heapq.heappush(open_claims, (end, fact_id, start, low, high, fact))


def _parts_above_totals(
    parts: Sequence[Swept], totals: Sequence[Swept]
) -> Iterator[tuple[ClaimFact, ClaimFact]]:
    """The pairs of a claim of ``parts`` (places inside another) and one of ``totals`` (that
    other place) that related_pairs keeps: the part's period inside the total's, and its
    figure above the total's. Swept in period order, like _sweep_between."""
    outer_place = totals[0][5].place_id
    # Only a total below the highest part (which leaves out those with no high end) can
    # be exceeded, and only a part above the lowest of those totals can exceed one.
    top = max(item[3] for item in parts)
    totals = [item for item in totals if item[4] < top]
    if not totals:
        return
    floor = min(item[4] for item in totals)
    parts = [item for item in parts if item[3] > floor]
    ordered = sorted([*parts, *totals], key=_ORDER)
    open_parts: list[tuple[date, int, date, int, ClaimFact]] = []
    open_totals: list[tuple[date, int, float, ClaimFact]] = []
    for start, end, fact_id, low, high, fact in ordered:
        if fact.place_id != outer_place:  # a part
            while open_totals and open_totals[0][0] < start:
                heapq.heappop(open_totals)
            # An open total began on or before this part: it holds the part when it ends
            # no earlier.
            for total_end, _, total_high, total in open_totals:
                if total_end >= end and low > total_high:
                    yield total, fact
            heapq.heappush(open_parts, (end, fact_id, start, low, fact))
        else:
            while open_parts and open_parts[0][0] < start:
                heapq.heappop(open_parts)
            # An open part began on or before this total: it lies inside only when both
            # begin on one day (sorting first, it ends no later).
            for _, _, part_start, part_low, part in open_parts:
                if part_start == start and part_low > high:
                    yield part, fact
            heapq.heappush(open_totals, (end, fact_id, high, fact))


def _tagged_order(tagged: tuple[Swept, int]) -> tuple[date, date, int]:
    return _ORDER(tagged[0])


def _place_key(fact: ClaimFact) -> tuple[int | None, frozenset[int]]:
    return fact.place_id, fact.place_ancestors


def _sweep_between(
    left: Sequence[Swept], right: Sequence[Swept]
) -> Iterator[tuple[ClaimFact, ClaimFact]]:
    """Each pair of one claim from ``left`` and one from ``right`` whose periods share a day."""
    tagged = heapq.merge(
        ((item, 0) for item in left), ((item, 1) for item in right), key=_tagged_order
    )
    open_claims: tuple[list[tuple[date, int, ClaimFact]], ...] = ([], [])
    for (start, end, fact_id, _, _, fact), side in tagged:
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
