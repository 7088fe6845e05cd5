from datetime import date

from claims.checks import Policy, find_contradictions, find_stale
from claims.checks.types import SUPERSEDED

from .facts import NOON, about_400_this_month, at_least_51_yesterday, kinds, month_to_date

POLICY = Policy()


def superseded(facts):
    return [f for f in find_contradictions(facts, POLICY) if f.kind == SUPERSEDED]


def test_it_points_a_to_date_figure_at_the_newer_count():
    about_400 = about_400_this_month(2)
    newer = month_to_date(3, 450, 450, period_end=date(2014, 2, 20))

    [finding] = superseded([about_400, newer])

    assert finding.claim_ids == (2, 3)
    assert finding.severity == "low"
    assert finding.message == (
        "About 400 killed in Aleppo in 1–13 Feb 2014 (to date), from activists, has a newer count: "
        "Example Wire says 450 for 1–20 Feb 2014 (to date)."
    )
    assert finding.details["superseded"]["id"] == 2
    assert finding.details["newer"]["id"] == 3


def test_it_chains_each_count_to_the_next_so_old_flags_keep_their_fingerprints():
    first = about_400_this_month(2)
    second = month_to_date(3, 450, 450, period_end=date(2014, 2, 20))
    before = superseded([first, second])
    third = month_to_date(4, 500, 500, period_end=date(2014, 2, 27))

    after = superseded([first, second, third])

    assert [f.claim_ids for f in after] == [(2, 3), (3, 4)]
    assert after[0].fingerprint == before[0].fingerprint


def test_it_leaves_the_newest_count_alone():
    assert superseded([about_400_this_month(2)]) == []


def test_it_ignores_days_spans_and_other_starts():
    day = at_least_51_yesterday(1)
    span = month_to_date(3, 450, 450, period_end=date(2014, 2, 20), period_kind="span")
    other_start = month_to_date(
        4, 450, 450, period_start=date(2014, 2, 2), period_end=date(2014, 2, 20)
    )

    assert superseded([about_400_this_month(2), day, span, other_start]) == []


def test_it_ignores_a_newer_count_of_another_population_or_place():
    civilians = month_to_date(3, 450, 450, period_end=date(2014, 2, 20), population="civilians")
    homs = month_to_date(4, 450, 450, period_end=date(2014, 2, 20), place=4)

    assert superseded([about_400_this_month(2), civilians, homs]) == []


def test_it_is_left_to_find_contradictions_not_find_stale():
    newer = month_to_date(3, 450, 450, period_end=date(2014, 2, 20))

    assert SUPERSEDED not in kinds(find_stale([about_400_this_month(2), newer], [], NOON, POLICY))
