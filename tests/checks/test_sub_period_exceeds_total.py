from datetime import date

from claims.checks import Policy, find_contradictions
from claims.checks.types import SUB_PERIOD_EXCEEDS_TOTAL

from .facts import WIRE, about_400_this_month, at_least_51_yesterday, kinds, month_to_date

POLICY = Policy()


def test_it_accepts_at_least_51_yesterday_inside_about_400_this_month():
    findings = find_contradictions([at_least_51_yesterday(1), about_400_this_month(2)], POLICY)

    assert findings == []


def test_it_flags_a_day_above_the_to_date_total_it_falls_in():
    day = at_least_51_yesterday(1, value_low=500, value_high=None)
    month = about_400_this_month(2)

    [finding] = find_contradictions([day, month], POLICY)

    assert finding.kind == SUB_PERIOD_EXCEEDS_TOTAL
    assert finding.claim_ids == (1, 2)
    assert finding.message == (
        "SOHR says at least 500 killed in Aleppo on 12 Feb 2014, more than the total of "
        "about 400 killed given by activists for 1–13 Feb 2014 (to date)."
    )
    assert finding.details["inner"]["id"] == 1
    assert finding.details["outer"]["id"] == 2


def test_it_counts_the_last_day_of_a_to_date_period_as_inside():
    today = at_least_51_yesterday(
        1, value_low=450, period_start=date(2014, 2, 13), period_end=date(2014, 2, 13)
    )

    findings = find_contradictions([today, about_400_this_month(2)], POLICY)

    assert kinds(findings) == [SUB_PERIOD_EXCEEDS_TOTAL]


def test_it_accepts_an_inner_figure_within_an_open_ended_total():
    day = at_least_51_yesterday(1, value_low=500)
    month = about_400_this_month(2, value_low=400, value_high=None, qualifier="at_least")

    assert find_contradictions([day, month], POLICY) == []


def test_it_accepts_an_inner_figure_equal_to_the_outer_high_end():
    day = at_least_51_yesterday(1, value_low=440)

    assert find_contradictions([day, about_400_this_month(2)], POLICY) == []


def test_it_ignores_a_day_outside_the_period():
    day_before = at_least_51_yesterday(
        1, value_low=500, period_start=date(2014, 1, 31), period_end=date(2014, 1, 31)
    )

    assert find_contradictions([day_before, about_400_this_month(2)], POLICY) == []


def test_it_compares_a_span_inside_a_to_date_period_from_the_same_start():
    first_week = month_to_date(
        3, 450, 450, period_end=date(2014, 2, 7), period_kind="span", sources=(WIRE,)
    )

    findings = find_contradictions([first_week, about_400_this_month(2)], POLICY)

    assert kinds(findings) == [SUB_PERIOD_EXCEEDS_TOTAL]


def test_it_flags_a_civilian_day_count_above_the_month_total():
    civilians = at_least_51_yesterday(1, population="civilians", value_low=450)

    findings = find_contradictions([civilians, about_400_this_month(2)], POLICY)

    assert kinds(findings) == [SUB_PERIOD_EXCEEDS_TOTAL]
    assert "at least 450 civilians killed" in findings[0].message


def test_it_ignores_a_retracted_day_count():
    day = at_least_51_yesterday(1, value_low=500, status="retracted")

    assert find_contradictions([day, about_400_this_month(2)], POLICY) == []
