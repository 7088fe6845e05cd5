from dataclasses import replace
from datetime import date

from claims.checks import Policy, find_contradictions
from claims.checks.types import SUB_PLACE_EXCEEDS_TOTAL

from .facts import (
    ALEPPO_GOVERNORATE,
    HOMS,
    SYRIA,
    about_400_this_month,
    at_least_51_yesterday,
    kinds,
    month_to_date,
)

POLICY = Policy()


def syria_this_month(id: int, low: int, high: int | None):
    return month_to_date(id, low, high, place=SYRIA, text=f"{low} killed across Syria this month")


def test_it_flags_a_city_count_above_its_country_total():
    aleppo = about_400_this_month(2)
    syria = syria_this_month(3, 300, 300)

    [finding] = find_contradictions([aleppo, syria], POLICY)

    assert finding.kind == SUB_PLACE_EXCEEDS_TOTAL
    assert finding.claim_ids == (2, 3)
    assert finding.message == (
        "Activists say about 400 killed in Aleppo in 1–13 Feb 2014 (to date), more than the "
        "total of 300 killed given by Example Wire for Syria in the same period."
    )


def test_it_accepts_a_city_count_within_its_country_total():
    assert (
        find_contradictions([about_400_this_month(2), syria_this_month(3, 2000, 2000)], POLICY)
        == []
    )


def test_it_looks_through_every_ancestor():
    governorate = month_to_date(3, 300, 300, place=ALEPPO_GOVERNORATE)

    findings = find_contradictions([about_400_this_month(2), governorate], POLICY)

    assert kinds(findings) == [SUB_PLACE_EXCEEDS_TOTAL]


def test_it_ignores_a_place_that_is_not_an_ancestor():
    homs = month_to_date(3, 100, 100, place=HOMS)

    assert find_contradictions([about_400_this_month(2), homs], POLICY) == []


def test_it_flags_a_city_day_above_a_country_month():
    aleppo_day = at_least_51_yesterday(1, value_low=500)
    syria = syria_this_month(3, 300, 300)

    findings = find_contradictions([aleppo_day, syria], POLICY)

    assert kinds(findings) == [SUB_PLACE_EXCEEDS_TOTAL]
    assert "for Syria in 1–13 Feb 2014 (to date)" in findings[0].message


def test_it_ignores_a_city_period_longer_than_the_country_period():
    syria_day = replace(
        syria_this_month(3, 300, 300), period_start=date(2014, 2, 12), period_end=date(2014, 2, 12)
    )

    assert find_contradictions([about_400_this_month(2), syria_day], POLICY) == []
