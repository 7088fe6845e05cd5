"""Corroboration: which of a claim's sources are independent of each other.

The register says which sources a source is not independent of (`Source.depends_on`:
a wire agency that relays the Observatory). Two sources are not independent when one
stands on the other, directly or through a chain of such links (a broadcaster quoting
a wire that quotes the Observatory), or when both stand on a third (two wires relaying
the same monitor). The relation is symmetric: a link from A to B makes the pair
dependent whichever of them is asked about. Two sources that a third relays (a wire
quoting both a ministry and a monitor) stay independent of each other.

A claim is confirmed by other sources (credibility 1) only when two of the sources
that say so are independent of each other.

Plain Python: sources are ids and the links a mapping, so the rule is tested with
plain data.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import combinations

# A source's id -> the ids of the sources it is not independent of (its `depends_on`).
Links = Mapping[int, Iterable[int]]


def upstream(source: int, links: Links) -> frozenset[int]:
    """The source and every source it stands on, following the links through chains
    (a loop in the register ends the walk rather than running forever)."""
    seen = {source}
    todo = [source]
    while todo:
        for parent in links.get(todo.pop(), ()):
            if parent not in seen:
                seen.add(parent)
                todo.append(parent)
    return frozenset(seen)


@dataclass(frozen=True)
class Dependence:
    """Two sources that are not independent, and the sources both stand on: one of
    the two when it is the other's origin, or the third they both relay."""

    first: int
    second: int
    through: frozenset[int]


def dependences(sources: Iterable[int], links: Links) -> list[Dependence]:
    """Every pair of `sources` that is not independent, in the order of the ids."""
    ids = sorted(set(sources))
    origins = {pk: upstream(pk, links) for pk in ids}
    found = []
    for first, second in combinations(ids, 2):
        shared = origins[first] & origins[second]
        if shared:
            found.append(Dependence(first, second, frozenset(shared)))
    return found


def independent_pair(sources: Iterable[int], links: Links) -> tuple[int, int] | None:
    """Two of `sources` that are independent of each other, or None when no two are."""
    ids = sorted(set(sources))
    dependent = {(d.first, d.second) for d in dependences(ids, links)}
    return next((pair for pair in combinations(ids, 2) if pair not in dependent), None)


def is_corroborated(sources: Iterable[int], links: Links) -> bool:
    """Whether a claim these sources make counts as confirmed by other sources."""
    return independent_pair(sources, links) is not None
