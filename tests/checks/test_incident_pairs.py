"""Pairs of tolls, of one incident or of two, run through the whole incident path.

Each pair in incident_pairs.jsonl is two claims as the desk would hold them: the words, the
report date, the event, the place and the figure. The words are read by the parser (the
time frame by parse, the incident words by find_incident); match_incident decides whether
the two are linked; the contradiction rules then run on both. Tolls of one incident must get
exactly the flag the pair names (or none); tolls of two incidents must never be linked and
must get no contradiction flag at all: one false conflict fails the test.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

import pytest

from claims.checks import ClaimFact, Policy, find_contradictions
from claims.checks.incidents import LINK, IncidentFacts, match_incident
from claims.checks.types import CONTRADICTION_KINDS, FIGURE_CONFLICT_KINDS, SUPERSEDED
from claims.parsing import parse
from claims.parsing.incidents import IncidentMention, find_incident

PAIRS = Path(__file__).with_name("incident_pairs.jsonl")
POLICY = Policy()
# What the pairs are checked on: conflicting figures, verdicts and superseded tolls.
# Duplicates are housekeeping (two reports of one figure), so a pair may or may not get one.
CHECKED_KINDS = CONTRADICTION_KINDS | {SUPERSEDED}


@dataclass(frozen=True)
class Place:
    id: int
    country: str
    kind: str
    ancestors: frozenset[int]


def _gazetteer() -> dict[str, Place]:
    """The places the pairs name, as the desk's Place table would hold them: (kind, parent)."""
    tree = {
        "Iraq": ("country", None),
        "Baghdad Governorate": ("region", "Iraq"),
        "Baghdad": ("city", "Baghdad Governorate"),
        "Sadr City": ("district", "Baghdad"),
        "Nineveh": ("region", "Iraq"),
        "Mosul": ("city", "Nineveh"),
        "Hamdaniya": ("city", "Nineveh"),
        "Afghanistan": ("country", None),
        "Kabul": ("city", "Afghanistan"),
        "Herat": ("city", "Afghanistan"),
        "Pakistan": ("country", None),
        "Khyber Pakhtunkhwa": ("region", "Pakistan"),
        "Peshawar": ("city", "Khyber Pakhtunkhwa"),
        "Balochistan": ("region", "Pakistan"),
        "Quetta": ("city", "Balochistan"),
        "Ukraine": ("country", None),
        "Kharkiv Oblast": ("region", "Ukraine"),
        "Kharkiv": ("city", "Kharkiv Oblast"),
        "Kupiansk": ("city", "Kharkiv Oblast"),
        "Balakliia": ("city", "Kharkiv Oblast"),
        "Donetsk Oblast": ("region", "Ukraine"),
        "Kramatorsk": ("city", "Donetsk Oblast"),
        "Pokrovsk": ("city", "Donetsk Oblast"),
        "Odesa": ("city", "Ukraine"),
        "Somalia": ("country", None),
        "Mogadishu": ("city", "Somalia"),
        "Nigeria": ("country", None),
        "Borno": ("region", "Nigeria"),
        "Maiduguri": ("city", "Borno"),
        "Turkey": ("country", None),
        "Hatay": ("region", "Turkey"),
        "Antakya": ("city", "Hatay"),
        "Iskenderun": ("city", "Hatay"),
        "Morocco": ("country", None),
        "Al Haouz": ("region", "Morocco"),
        "Marrakesh": ("city", "Morocco"),
        "Libya": ("country", None),
        "Derna": ("city", "Libya"),
        "Philippines": ("country", None),
        "Leyte": ("region", "Philippines"),
        "Tacloban": ("city", "Leyte"),
        "Bangladesh": ("country", None),
        "Dhaka": ("city", "Bangladesh"),
        "Chittagong": ("city", "Bangladesh"),
        "Tanzania": ("country", None),
        "Zanzibar": ("region", "Tanzania"),
        "Nepal": ("country", None),
        "Kathmandu": ("city", "Nepal"),
        "India": ("country", None),
        "Uttarakhand": ("region", "India"),
        "Mumbai": ("city", "India"),
        "Sudan": ("country", None),
        "North Darfur": ("region", "Sudan"),
        "El Fasher": ("city", "North Darfur"),
        "Gaza": ("region", None),
        "Rafah": ("city", "Gaza"),
        "Khan Younis": ("city", "Gaza"),
        "Indonesia": ("country", None),
        "Sulawesi": ("region", "Indonesia"),
        "Palu": ("city", "Sulawesi"),
        "Mexico": ("country", None),
        "Guanajuato": ("region", "Mexico"),
        "Celaya": ("city", "Guanajuato"),
        "DR Congo": ("country", None),
        "North Kivu": ("region", "DR Congo"),
        "Goma": ("city", "North Kivu"),
        "Lebanon": ("country", None),
        "Beirut": ("city", "Lebanon"),
        "Serbia": ("country", None),
        "Belgrade": ("city", "Serbia"),
        "Germany": ("country", None),
        "Solingen": ("city", "Germany"),
        "Benghazi": ("city", "Libya"),
        "Kenya": ("country", None),
        "Nairobi": ("city", "Kenya"),
        "Russia": ("country", None),
        "Moscow": ("city", "Russia"),
        "Italy": ("country", None),
        "Lampedusa": ("city", "Italy"),
    }
    countries = {"Gaza": "PS"}
    places: dict[str, Place] = {}
    for number, (name, (kind, parent)) in enumerate(tree.items(), start=1):
        ancestors: set[int] = set()
        up = parent
        while up is not None:
            ancestors.add(places[up].id)
            up = tree[up][1]
        top = name
        while tree[top][1] is not None:
            top = tree[top][1]
        places[name] = Place(
            number, countries.get(top, top[:2].upper()), kind, frozenset(ancestors)
        )
    return places


PLACES = _gazetteer()


def _pairs() -> list[dict[str, Any]]:
    return [json.loads(line) for line in PAIRS.read_text().splitlines() if line.strip()]


def _mention(side: dict[str, Any]) -> IncidentMention | None:
    return find_incident(side["text"], date.fromisoformat(side["reported_on"]))


def _facts(side: dict[str, Any], mention: IncidentMention | None) -> IncidentFacts:
    place = PLACES[side["place"]]
    return IncidentFacts.of(
        mention,
        event=side["event"],
        place_id=place.id,
        place_ancestors=place.ancestors,
        reported_on=date.fromisoformat(side["reported_on"]),
        place_kind=place.kind,
    )


def _claim(
    claim_id: int, side: dict[str, Any], incident: int | None, day: date | None
) -> ClaimFact:
    """The claim as the desk stores it: the given figure, event and place, the time frame
    the parser reads, the incident the match put it in."""
    reported_on = date.fromisoformat(side["reported_on"])
    read = parse(side["text"], reported_on)
    place = PLACES[side["place"]]
    low, high = side["value"]
    qualifier = side.get("qualifier") or (
        "exact" if low == high else "at_least" if high is None else "range"
    )
    at = datetime.combine(reported_on, time(12), tzinfo=UTC)
    return ClaimFact(
        id=claim_id,
        text=side["text"],
        normalised="",
        event=side["event"],
        unit="people",
        population=side.get("population", "all"),
        value_low=low,
        value_high=high,
        qualifier=qualifier,
        place_id=place.id,
        place_name=side["place"],
        country=place.country,
        place_ancestors=place.ancestors,
        period_start=read.period_start,
        period_end=read.period_end,
        period_kind=read.period_kind,
        status="new",
        decided_at=None,
        due_at=None,
        reported_on=reported_on,
        created_at=at,
        changed_at=at,
        sources=((side.get("source", f"Source {claim_id}"), "B"),),
        incident=incident,
        incident_day=day,
    )


def run_pair(pair: dict[str, Any]) -> tuple[str, list[str]]:
    """(the match, the checked flags) of one pair, as the desk would reach them."""
    a, b = pair["a"], pair["b"]
    mention_a, mention_b = _mention(a), _mention(b)
    match = match_incident(_facts(a, mention_a), _facts(b, mention_b))
    day_a = mention_a.day if mention_a else None
    day_b = mention_b.day if mention_b else None
    if match == LINK:
        day = min((d for d in (day_a, day_b) if d is not None), default=None)
        facts = [_claim(1, a, 1, day), _claim(2, b, 1, day)]
    else:
        # Not linked: a claim that names an incident is its own incident's toll; one that
        # names none belongs to no incident.
        facts = [
            _claim(1, a, 1 if mention_a else None, day_a),
            _claim(2, b, 2 if mention_b else None, day_b),
        ]
    found = find_contradictions(facts, POLICY)
    return match, sorted(f.kind for f in found if f.kind in CHECKED_KINDS)


SAME = [p for p in _pairs() if p["incident"] == "same"]
DIFFERENT = [p for p in _pairs() if p["incident"] == "different"]


def test_it_holds_enough_pairs_of_each_relation():
    assert len(SAME) >= 30
    assert len(DIFFERENT) >= 30
    assert len({p["id"] for p in SAME + DIFFERENT}) == len(SAME) + len(DIFFERENT)


@pytest.mark.parametrize("pair", SAME, ids=[p["id"] for p in SAME])
def test_it_gives_tolls_of_one_incident_their_flag(pair: dict[str, Any]):
    match, flags = run_pair(pair)

    assert match == pair["match"]
    assert flags == ([pair["flag"]] if pair["flag"] else [])


@pytest.mark.parametrize("pair", DIFFERENT, ids=[p["id"] for p in DIFFERENT])
def test_it_never_confuses_two_incidents(pair: dict[str, Any]):
    match, flags = run_pair(pair)

    assert match != LINK
    assert match == pair["match"]
    assert flags == []


def test_it_would_flag_the_different_incident_pairs_that_state_a_day_without_incidents():
    """The pairs are a real test: read without incidents, the ones that give both tolls the
    same day and town are conflicts under the ordinary rules, which incidents prevent."""
    clashing = 0
    for pair in DIFFERENT:
        facts = [_claim(1, pair["a"], None, None), _claim(2, pair["b"], None, None)]
        found = find_contradictions(facts, POLICY)
        clashing += any(f.kind in FIGURE_CONFLICT_KINDS for f in found)
    assert clashing >= 5
