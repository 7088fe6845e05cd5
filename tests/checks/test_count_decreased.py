from datetime import date

from claims.checks import Policy, find_contradictions
from claims.checks.types import COUNT_DECREASED

from .facts import WIRE, about_400_this_month, kinds, month_to_date

POLICY = Policy()
FEB_15 = date(2014, 2, 15)


def test_it_flags_a_later_count_of_300_from_the_same_start():
    about_400 = about_400_this_month(2)
    later = month_to_date(3, 300, 300, period_end=FEB_15, reported_on=FEB_15, sources=(WIRE,))

    findings = find_contradictions([about_400, later], POLICY)

    [finding] = [f for f in findings if f.kind == COUNT_DECREASED]
    assert finding.claim_ids == (2, 3)
    assert finding.message == (
        "Example Wire says 300 killed in Aleppo in 1–15 Feb 2014 (to date), fewer than the "
        "figure of about 400 given earlier by activists for 1–13 Feb 2014 (to date); "
        "a running total should not fall."
    )
    assert finding.details["earlier"]["id"] == 2
    assert finding.details["later"]["id"] == 3
    assert finding.severity == "medium"


def test_it_is_not_reported_as_a_sub_period():
    later = month_to_date(3, 300, 300, period_end=FEB_15)

    findings = find_contradictions([about_400_this_month(2), later], POLICY)

    # Nor as superseded: a lower later count replaces nothing, it contradicts.
    assert kinds(findings) == [COUNT_DECREASED]


def test_it_accepts_a_later_count_that_grew_or_overlaps():
    grew = month_to_date(3, 450, 450, period_end=FEB_15)
    overlapping = month_to_date(4, 300, 370, period_end=FEB_15)

    findings = find_contradictions([about_400_this_month(2), grew, overlapping], POLICY)

    assert COUNT_DECREASED not in kinds(findings)


def test_it_accepts_an_open_ended_later_count():
    later = month_to_date(3, 51, None, period_end=FEB_15, qualifier="at_least")

    findings = find_contradictions([about_400_this_month(2), later], POLICY)

    assert COUNT_DECREASED not in kinds(findings)


def test_it_compares_only_counts_from_the_same_start():
    since_february_5 = month_to_date(3, 300, 300, period_start=date(2014, 2, 5), period_end=FEB_15)

    findings = find_contradictions([about_400_this_month(2), since_february_5], POLICY)

    assert findings == []


def test_it_compares_only_the_same_population():
    civilians_later = month_to_date(3, 300, 300, period_end=FEB_15, population="civilians")

    findings = find_contradictions([about_400_this_month(2), civilians_later], POLICY)

    assert findings == []
