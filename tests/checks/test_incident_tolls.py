"""Tolls of one incident compared as running counts; tolls of two incidents never compared."""

import gc
import time
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from claims.checks import ClaimFact, Policy, find_contradictions
from claims.checks.blocking import incident_key
from claims.checks.incidents import incident_start, running_counts
from claims.checks.types import (
    COUNT_DECREASED,
    DUPLICATE,
    SUB_PERIOD_EXCEEDS_TOTAL,
    SUB_PLACE_EXCEEDS_TOTAL,
    SUPERSEDED,
    VALUE_CONFLICT,
    VERDICT_CONFLICT,
)

from .facts import ALEPPO, ALEPPO_GOVERNORATE, HOMS, SYRIA, claim, kinds

POLICY = Policy()
SATURDAY = date(2014, 2, 8)
SUNDAY = date(2014, 2, 9)
MONDAY = date(2014, 2, 10)
MARKET_BOMBING = 7
MOSQUE_ATTACK = 8


def toll(id: int, value: int, reported_on: date = SUNDAY, **fields: Any) -> ClaimFact:
    """ "N were killed in the market bombing": a toll of incident 7 with no time frame."""
    base: dict[str, Any] = {
        "text": f"The market bombing in Aleppo killed {value} people",
        "value_low": value,
        "value_high": value,
        "qualifier": "exact",
        "period_start": None,
        "period_end": None,
        "period_kind": None,
        "reported_on": reported_on,
        "incident": MARKET_BOMBING,
    }
    return claim(id, **(base | fields))


def on_day(day: date) -> dict[str, Any]:
    return {"period_start": day, "period_end": day, "period_kind": "day"}


def test_it_flags_two_tolls_without_a_time_frame_given_on_one_day():
    [finding] = find_contradictions([toll(1, 12), toll(2, 30)], POLICY)

    assert finding.kind == VALUE_CONFLICT
    assert finding.claim_ids == (1, 2)
    assert finding.details["incident"] == MARKET_BOMBING


def test_it_keeps_the_fingerprint_of_a_conflict_when_the_claims_join_an_incident():
    """Two tolls of Saturday flagged before they were linked keep their flag after."""
    unlinked = [
        toll(1, 12, incident=None, **on_day(SATURDAY)),
        toll(2, 30, incident=None, **on_day(SATURDAY)),
    ]
    linked = [replace(fact, incident=MARKET_BOMBING) for fact in unlinked]

    [before] = find_contradictions(unlinked, POLICY)
    [after] = find_contradictions(linked, POLICY)
    assert (before.kind, before.fingerprint) == (after.kind, after.fingerprint)


def test_it_leaves_overlapping_tolls_of_one_day_alone():
    at_least_12 = toll(1, 12, value_high=None, qualifier="at_least")

    assert not set(kinds(find_contradictions([at_least_12, toll(2, 30)], POLICY))) - {DUPLICATE}


def test_it_flags_a_later_report_below_an_earlier_one():
    findings = find_contradictions([toll(1, 30, SUNDAY), toll(2, 12, MONDAY)], POLICY)

    assert kinds(findings) == [COUNT_DECREASED]
    assert findings[0].details["later"]["id"] == 2


def test_it_reads_a_later_higher_toll_as_the_toll_rising():
    findings = find_contradictions([toll(1, 12, SUNDAY), toll(2, 30, MONDAY)], POLICY)

    assert kinds(findings) == [SUPERSEDED]
    assert findings[0].details["superseded"]["id"] == 1


def test_it_flags_a_place_inside_another_with_the_higher_toll_on_one_day():
    city, province = toll(1, 40, place=ALEPPO), toll(2, 25, place=ALEPPO_GOVERNORATE)

    assert kinds(find_contradictions([city, province], POLICY)) == [SUB_PLACE_EXCEEDS_TOTAL]


def test_it_holds_a_later_total_for_the_wider_place_above_an_earlier_part_only():
    """The province's count on Monday must hold the city's 40 of Sunday; the province's
    Sunday count may simply predate the city's Monday one."""
    city_sunday = toll(1, 40, SUNDAY, place=ALEPPO)
    province_monday = toll(2, 25, MONDAY, place=ALEPPO_GOVERNORATE)
    city_monday = toll(3, 40, MONDAY, place=ALEPPO)
    province_sunday = toll(4, 25, SUNDAY, place=ALEPPO_GOVERNORATE)

    assert kinds(find_contradictions([city_sunday, province_monday], POLICY)) == [
        SUB_PLACE_EXCEEDS_TOTAL
    ]
    assert find_contradictions([city_monday, province_sunday], POLICY) == []


def test_it_leaves_a_place_inside_another_with_the_lower_toll_alone():
    city, province = toll(1, 20, place=ALEPPO), toll(2, 25, place=ALEPPO_GOVERNORATE)

    assert find_contradictions([city, province], POLICY) == []


def test_it_compares_a_toll_with_a_time_frame_from_the_incident_day():
    """ "12 killed in Saturday's bombing" and "since the bombing, 30 have died"."""
    saturdays = toll(1, 30, SUNDAY, **on_day(SATURDAY))
    since = toll(2, 12, MONDAY, period_start=SATURDAY, period_end=MONDAY, period_kind="to_date")

    assert kinds(find_contradictions([saturdays, since], POLICY)) == [COUNT_DECREASED]


def test_it_starts_the_counts_on_the_incident_day_when_known():
    facts = running_counts([toll(1, 12, MONDAY, incident_day=SATURDAY), toll(2, 30, MONDAY)])

    assert {(f.period_start, f.period_end, f.period_kind) for f in facts} == {
        (SATURDAY, MONDAY, "to_date")
    }


def test_it_starts_the_counts_on_the_earliest_report_when_the_day_is_unknown():
    block = [toll(1, 12, MONDAY), toll(2, 30, SUNDAY)]

    assert incident_start(block) == SUNDAY
    assert incident_start([*block, toll(3, 5, MONDAY, **on_day(SATURDAY))]) == SATURDAY


def test_it_keeps_a_later_days_own_figure_as_it_is():
    """ "5 more died on Monday" is Monday's figure, not a running count that fell."""
    more = toll(2, 5, MONDAY, **on_day(MONDAY))
    facts = running_counts([toll(1, 30, SUNDAY, incident_day=SATURDAY), more])

    assert facts[1] == more
    assert find_contradictions([toll(1, 30, SUNDAY, incident_day=SATURDAY), more], POLICY) == []


def test_it_flags_a_days_figure_above_the_running_count_that_covers_it():
    day = toll(2, 50, MONDAY, **on_day(SUNDAY))
    running = toll(1, 30, MONDAY, incident_day=SATURDAY)

    assert kinds(find_contradictions([running, day], POLICY)) == [SUB_PERIOD_EXCEEDS_TOTAL]


def test_it_never_compares_tolls_of_two_incidents():
    """Two attacks in one city on one day: both tolls give the day, neither is wrong."""
    market = toll(1, 20, **on_day(SATURDAY))
    mosque = toll(2, 4, incident=MOSQUE_ATTACK, **on_day(SATURDAY))
    assert kinds(
        find_contradictions(
            [replace(market, incident=None), replace(mosque, incident=None)], POLICY
        )
    ) == [VALUE_CONFLICT]

    assert find_contradictions([market, mosque], POLICY) == []
    assert find_contradictions([toll(1, 20), toll(2, 4, incident=MOSQUE_ATTACK)], POLICY) == []


def test_it_supersedes_only_within_one_incident():
    market = toll(1, 20, SUNDAY, period_start=SATURDAY, period_end=SUNDAY, period_kind="to_date")
    mosque = replace(
        market,
        id=2,
        value_low=30,
        value_high=30,
        reported_on=MONDAY,
        period_end=MONDAY,
        incident=MOSQUE_ATTACK,
    )

    assert find_contradictions([market, mosque], POLICY) == []


def test_it_never_takes_an_incidents_toll_for_the_rival_of_a_figure_of_its_place_and_day():
    """ "4 killed in Aleppo on Saturday" may be another attack's toll, not the city's total."""
    incident_toll = toll(1, 20, **on_day(SATURDAY))
    city_day = claim(2, value_low=4, value_high=4, qualifier="exact", **on_day(SATURDAY))

    assert find_contradictions([incident_toll, city_day], POLICY) == []


def test_it_still_holds_an_incidents_toll_within_a_wider_total():
    incident_toll = toll(1, 500, **on_day(SATURDAY))
    month = claim(
        2,
        value_low=400,
        value_high=400,
        qualifier="exact",
        period_start=date(2014, 2, 1),
        period_end=SUNDAY,
        period_kind="to_date",
    )
    country_day = claim(
        3, value_low=450, value_high=450, qualifier="exact", place=SYRIA, **on_day(SATURDAY)
    )

    findings = find_contradictions([incident_toll, month, country_day], POLICY)

    assert kinds(findings) == [SUB_PERIOD_EXCEEDS_TOTAL, SUB_PLACE_EXCEEDS_TOTAL]


def test_it_drops_verdict_conflicts_between_two_incidents():
    verified = toll(1, 20, status="verified", text="Bombing killed 20 people in Aleppo")
    false = toll(
        2, 20, status="false", text="Bombing killed 20 people in Aleppo", incident=MOSQUE_ATTACK
    )
    assert kinds(
        find_contradictions([verified, replace(false, incident=MARKET_BOMBING)], POLICY)
    ) == [VERDICT_CONFLICT]

    assert find_contradictions([verified, false], POLICY) == []


def test_it_leaves_out_withdrawn_false_forecast_and_figureless_tolls():
    assert incident_key(toll(1, 20)) == (MARKET_BOMBING, "killed", "people")
    for left_out in (
        toll(2, 5, status="retracted"),
        toll(3, 5, status="false"),
        toll(4, 5, projection=True),
        toll(5, 5, value_low=None, value_high=None),
        toll(6, 5, incident=None),
    ):
        assert incident_key(left_out) is None
        assert find_contradictions([toll(1, 20), left_out], POLICY) == []


def test_it_compares_a_toll_without_a_place_only_with_others_without_one():
    placeless = toll(1, 12, place=None)

    assert find_contradictions([placeless, toll(2, 30)], POLICY) == []
    assert kinds(find_contradictions([placeless, toll(2, 30, place=None)], POLICY)) == [
        VALUE_CONFLICT
    ]


def test_it_compares_tolls_given_in_other_places_only_when_nested():
    assert find_contradictions([toll(1, 12, place=ALEPPO), toll(2, 30, place=HOMS)], POLICY) == []


def test_it_keeps_fingerprints_whatever_the_order_and_honours_focus():
    facts = [toll(1, 12), toll(2, 30), toll(3, 8, MONDAY)]
    forwards = find_contradictions(facts, POLICY)
    backwards = find_contradictions(facts[::-1], POLICY)

    assert [f.fingerprint for f in forwards] == [f.fingerprint for f in backwards]
    focused = find_contradictions(facts, POLICY, focus={3})
    assert focused and all(3 in f.claim_ids for f in focused)
    assert find_contradictions(facts, POLICY, focus={99}) == []


def test_it_scans_many_incidents_in_linear_time():
    """Blocking by incident: each toll meets only the tolls of its own incident."""

    def many(incidents: int) -> list[ClaimFact]:
        facts = []
        for number in range(incidents):
            for k in range(5):
                facts.append(
                    toll(number * 5 + k, 10 + k, SUNDAY + timedelta(days=k % 3), incident=number)
                )
        return facts

    def seconds(facts: list[ClaimFact]) -> float:
        # Best of three, with the cycle collector held as the scans hold it
        # (sync.cycles_collected_after): its passes grow with everything alive, not
        # with the rules' work, and a machine's hiccup is not the rules' either.
        best = float("inf")
        gc.disable()
        try:
            for _ in range(3):
                start = time.perf_counter()
                find_contradictions(facts, POLICY)
                best = min(best, time.perf_counter() - start)
        finally:
            gc.enable()
        return best

    small, large = many(200), many(2000)
    assert seconds(large) < 25 * seconds(small)
