from datetime import date

from claims.checks import Policy, find_contradictions
from claims.checks.types import VALUE_CONFLICT

from .facts import (
    ACTIVISTS,
    SOHR,
    WIRE,
    about_400_this_month,
    at_least_51_yesterday,
    kinds,
    month_to_date,
)

POLICY = Policy()


def conflicts(*facts):
    return [f for f in find_contradictions(facts, POLICY) if f.kind == VALUE_CONFLICT]


def test_it_flags_a_second_sources_250_for_the_same_month():
    about_400 = about_400_this_month(2)
    rival = month_to_date(3, 250, 250)

    [finding] = conflicts(about_400, rival)

    assert finding.claim_ids == (2, 3)
    assert finding.message == (
        "Activists say about 400 killed in Aleppo in 1–13 Feb 2014 (to date); "
        "Example Wire says 250 for the same period."
    )
    assert finding.details["claims"][0]["value_low"] == 360
    assert finding.details["claims"][1]["period_start"] == "2014-02-01"


def test_it_writes_the_message_as_copy_does():
    sohr = at_least_51_yesterday(1)
    wire = at_least_51_yesterday(
        2, value_low=20, value_high=30, qualifier="range", sources=(("Example Wire", "A"),)
    )

    [finding] = conflicts(sohr, wire)

    assert finding.message == (
        "SOHR says at least 51 killed in Aleppo on 12 Feb 2014; "
        "Example Wire says 20 to 30 for the same day."
    )


def test_it_rates_a_clash_between_credible_sources_high():
    about_400 = about_400_this_month(2, sources=(SOHR,))
    rival = month_to_date(3, 250, 250, sources=(WIRE,))

    [finding] = conflicts(about_400, rival)

    assert finding.severity == "high"


def test_it_rates_a_clash_with_a_weak_source_medium():
    about_400 = about_400_this_month(2, sources=(ACTIVISTS,))
    rival = month_to_date(3, 250, 250, sources=(WIRE,))
    unsourced = month_to_date(4, 250, 250, sources=())

    assert [f.severity for f in conflicts(about_400, rival)] == ["medium"]
    assert [f.severity for f in conflicts(month_to_date(5, 500, 500), unsourced)] == ["medium"]


def test_it_accepts_overlapping_figures():
    assert conflicts(about_400_this_month(2), month_to_date(3, 420, 420)) == []


def test_it_accepts_touching_intervals():
    low = month_to_date(3, 20, 30)
    high = month_to_date(4, 30, 40)

    assert conflicts(low, high) == []


def test_it_accepts_a_figure_above_an_open_ended_one():
    at_least_51 = at_least_51_yesterday(1)
    many_more = at_least_51_yesterday(2, value_low=5000, value_high=5000, qualifier="exact")

    assert conflicts(at_least_51, many_more) == []


def test_it_flags_a_figure_below_an_open_ended_one():
    at_least_51 = at_least_51_yesterday(1)
    fewer = at_least_51_yesterday(2, value_low=0, value_high=29, qualifier="fewer_than")

    [finding] = conflicts(at_least_51, fewer)

    assert "says fewer than 30 for the same day" in finding.message


def test_it_never_compares_other_places_countries_events_or_units():
    about_400 = about_400_this_month(2)
    others = [
        month_to_date(3, 250, 250, place=4, text="250 killed in Homs this month"),
        month_to_date(4, 250, 250, country="IQ", text="250 killed in Mosul"),
        month_to_date(5, 250, 250, event="injured"),
        month_to_date(6, 250, 250, unit="trucks"),
    ]

    assert find_contradictions([about_400, *others], POLICY) == []


def test_it_ignores_periods_that_differ_without_one_inside_the_other():
    first_half = month_to_date(3, 100, 100, period_end=date(2014, 2, 10), period_kind="span")
    later = month_to_date(
        4, 10, 10, period_start=date(2014, 2, 5), period_end=date(2014, 2, 13), period_kind="span"
    )

    assert kinds(find_contradictions([first_half, later], POLICY)) == []


def test_it_leaves_retracted_and_false_claims_out():
    about_400 = about_400_this_month(2)
    retracted = month_to_date(3, 250, 250, status="retracted")
    false = month_to_date(4, 250, 250, status="false")

    assert find_contradictions([about_400, retracted, false], POLICY) == []


def test_it_flags_a_civilian_count_above_the_total_for_the_same_day():
    total = at_least_51_yesterday(1, value_low=51, value_high=51, qualifier="exact")
    civilians = at_least_51_yesterday(
        2, population="civilians", value_low=60, value_high=60, sources=(WIRE,)
    )

    [finding] = conflicts(total, civilians)

    assert finding.message == (
        "Example Wire says 60 civilians killed in Aleppo on 12 Feb 2014, more than the total "
        "of 51 killed given by SOHR for the same day."
    )
    assert finding.details["inner"]["population"] == "civilians"


def test_it_accepts_a_smaller_civilian_count_inside_the_total():
    total = at_least_51_yesterday(1, value_low=51, value_high=51, qualifier="exact")
    civilians = at_least_51_yesterday(2, population="civilians", value_low=20, value_high=20)
    children = at_least_51_yesterday(3, population="children", value_low=8, value_high=8)

    assert find_contradictions([total, civilians, children], POLICY) == []


def test_it_never_compares_civilians_with_combatants():
    civilians = at_least_51_yesterday(1, population="civilians", value_low=10, value_high=10)
    combatants = at_least_51_yesterday(2, population="combatants", value_low=90, value_high=90)

    assert find_contradictions([civilians, combatants], POLICY) == []
