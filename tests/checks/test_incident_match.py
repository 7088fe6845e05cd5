"""match_incident: when two tolls are of one incident, may be, or never are."""

from dataclasses import replace
from datetime import date

import pytest

from claims.checks.incidents import (
    LINK,
    NEVER,
    SUGGEST,
    IncidentFacts,
    kinds_related,
    match_incident,
    venues_related,
)
from claims.parsing.incidents import find_incident

IRAQ, BAGHDAD_GOVERNORATE, BAGHDAD, SADR_CITY, MOSUL = 1, 2, 3, 4, 5
ANCESTORS = {
    IRAQ: frozenset(),
    BAGHDAD_GOVERNORATE: frozenset({IRAQ}),
    BAGHDAD: frozenset({BAGHDAD_GOVERNORATE, IRAQ}),
    SADR_CITY: frozenset({BAGHDAD, BAGHDAD_GOVERNORATE, IRAQ}),
    MOSUL: frozenset({IRAQ}),
}
KINDS = {IRAQ: "country", BAGHDAD_GOVERNORATE: "region", BAGHDAD: "city", SADR_CITY: "district"}
MONDAY = date(2024, 3, 4)


def toll(
    kind: str | None = "bombing",
    venue: str | None = "market",
    *,
    place: int = BAGHDAD,
    reported_on: date = MONDAY,
    day: date | None = None,
    event: str | None = "killed",
    name: str = "",
) -> IncidentFacts:
    return IncidentFacts(
        event=event,
        place_id=place,
        place_ancestors=ANCESTORS[place],
        reported_on=reported_on,
        kind=kind,
        venue=venue,
        day=day,
        name=name,
        place_kind=KINDS.get(place, "city"),
    )


def test_it_links_the_same_words_in_the_same_place_days_apart():
    assert match_incident(toll(), toll(reported_on=date(2024, 3, 6))) == LINK


def test_it_links_a_place_inside_the_other():
    assert match_incident(toll(place=SADR_CITY), toll(place=BAGHDAD)) == LINK


def test_it_links_when_one_side_gives_the_day_and_the_other_none():
    assert match_incident(toll(day=date(2024, 3, 2)), toll()) == LINK


def test_it_never_links_a_bombing_and_a_shooting():
    assert match_incident(toll("bombing"), toll("shooting")) == NEVER


def test_it_never_links_a_flood_and_a_fire():
    assert match_incident(toll("flood", None), toll("fire", None)) == NEVER


def test_it_never_links_a_market_and_a_mosque():
    assert match_incident(toll(venue="market"), toll(venue="mosque")) == NEVER


def test_it_never_links_two_towns():
    assert match_incident(toll(place=BAGHDAD), toll(place=MOSUL)) == NEVER


def test_it_never_links_two_days():
    saturday, sunday = date(2024, 3, 2), date(2024, 3, 3)

    assert match_incident(toll(day=saturday), toll(day=sunday)) == NEVER


def test_it_never_links_a_report_to_an_incident_that_came_after_it():
    earlier_report = toll(reported_on=date(2024, 3, 1))

    assert match_incident(earlier_report, toll(day=date(2024, 3, 3))) == NEVER


def test_it_never_links_two_named_storms():
    haiyan = toll("storm", None, name="Haiyan")

    assert match_incident(haiyan, replace(haiyan, name="Zoraida")) == NEVER


def test_it_never_links_on_event_place_and_date_alone():
    """Sharing event, place and report date is what two attacks in one city share."""
    assert match_incident(toll(None, None), toll(None, None)) == NEVER


def test_it_suggests_when_one_side_names_no_incident():
    assert match_incident(toll(), toll(None, None)) == SUGGEST


def test_it_suggests_when_one_side_gives_no_venue():
    assert match_incident(toll(venue="market"), toll(venue=None)) == SUGGEST


def test_it_suggests_a_generic_word_against_a_specific_one():
    assert match_incident(toll("attack"), toll("bombing")) == SUGGEST
    assert match_incident(toll(venue="building"), toll(venue="school")) == SUGGEST


def test_it_suggests_tolls_of_two_events_of_one_incident():
    """The dead and the wounded of one blast: one incident, two measures."""
    assert match_incident(toll(), toll(event="injured")) == SUGGEST


def test_it_links_a_toll_to_an_incident_which_states_no_event():
    assert match_incident(toll(), toll(event=None)) == LINK


def test_it_suggests_without_a_place_on_one_side():
    placeless = replace(toll(), place_id=None, place_ancestors=frozenset())

    assert match_incident(toll(), placeless) == SUGGEST


def test_it_suggests_only_in_a_province_without_a_venue_or_a_day():
    """A province holds many bombings in a few days; a town with a day or venue does not."""
    province = toll(venue=None, place=BAGHDAD_GOVERNORATE)

    assert match_incident(province, province) == SUGGEST
    assert match_incident(toll(venue=None), toll(venue=None)) == LINK
    saturday = date(2024, 3, 2)
    assert match_incident(replace(province, day=saturday), replace(province, day=saturday)) == LINK


def test_it_never_links_reports_weeks_apart_unless_the_words_tie_them():
    late = date(2024, 3, 20)
    saturday = date(2024, 3, 2)

    assert match_incident(toll(), toll(reported_on=late)) == NEVER
    assert match_incident(toll(day=saturday), toll(day=saturday, reported_on=late)) == SUGGEST
    storm = toll("storm", None, name="Haiyan")
    assert match_incident(storm, replace(storm, reported_on=late)) == LINK


def test_it_treats_both_orders_alike():
    pairs = [
        (toll(), toll(None, None)),
        (toll(place=SADR_CITY), toll(place=BAGHDAD)),
        (toll(reported_on=date(2024, 3, 1)), toll(day=date(2024, 3, 3))),
        (toll("attack"), toll("bombing")),
    ]
    for a, b in pairs:
        assert match_incident(a, b) == match_incident(b, a)


@pytest.mark.parametrize(
    ("a", "b", "related"),
    [
        ("attack", "shooting", True),
        ("explosion", "bombing", True),
        ("storm", "flood", True),
        ("shooting", "stabbing", False),
        ("flood", "fire", False),
        ("quake", "crash", False),
    ],
)
def test_it_relates_kinds_by_family(a: str, b: str, related: bool):
    assert kinds_related(a, b) is related
    assert kinds_related(b, a) is related


def test_it_relates_a_boat_to_a_ferry_but_not_a_house_to_a_school():
    assert venues_related("boat", "ferry")
    assert not venues_related("home", "school")
    assert not venues_related("ferry", "ship")


def test_it_reads_facts_from_a_mention():
    mention = find_incident("The market bombing in Baghdad on Saturday killed 20.", MONDAY)
    facts = IncidentFacts.of(mention, event="killed", place_id=BAGHDAD, reported_on=MONDAY)

    assert (facts.kind, facts.venue, facts.day) == ("bombing", "market", date(2024, 3, 2))
    assert IncidentFacts.of(None, event="killed", place_id=BAGHDAD).kind is None
