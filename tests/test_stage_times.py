"""The stage times of `claims.stages`, from plain moves: which stages a history holds,
how long each took, who ended it, and the median and 90th percentile of a set."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from claims.stages import (
    Duration,
    Move,
    Stage,
    Summary,
    duration_words,
    durations,
    median,
    nearest_rank,
    summarise,
    table,
    week_of,
)

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)  # a Monday
H = timedelta(hours=1)
ANNA, BEN = 7, 8


def stages_of(moves):  # type: ignore[no-untyped-def]
    return [(d.stage, d.seconds / 3600, d.actor) for d in durations(1, moves)]


def test_it_times_waiting_review_and_decision_of_a_plain_history():
    moves = [
        Move("new", T0),
        Move("in_review", T0 + 3 * H, ANNA),
        Move("verified", T0 + 8 * H, ANNA),
    ]
    assert stages_of(moves) == [
        (Stage.WAITING, 3.0, ANNA),
        (Stage.REVIEW, 5.0, ANNA),
        (Stage.TO_DECISION, 8.0, ANNA),
    ]


def test_a_reopened_claim_adds_a_review_spell_but_not_a_second_time_to_decision():
    moves = [
        Move("new", T0),
        Move("in_review", T0 + 1 * H, ANNA),
        Move("disputed", T0 + 2 * H, ANNA),
        Move("in_review", T0 + 50 * H, BEN),
        Move("false", T0 + 54 * H, BEN),
    ]
    assert stages_of(moves) == [
        (Stage.WAITING, 1.0, ANNA),
        (Stage.REVIEW, 1.0, ANNA),
        (Stage.TO_DECISION, 2.0, ANNA),
        (Stage.REVIEW, 4.0, BEN),
    ]


def test_running_and_retracted_stages_are_not_counted():
    waiting = [Move("new", T0)]
    in_review = [Move("new", T0), Move("in_review", T0 + H, ANNA)]
    withdrawn = [*in_review, Move("retracted", T0 + 9 * H, ANNA)]
    withdrawn_new = [Move("new", T0), Move("retracted", T0 + H, BEN)]
    assert stages_of(waiting) == []
    assert stages_of(in_review) == [(Stage.WAITING, 1.0, ANNA)]
    assert stages_of(withdrawn) == [(Stage.WAITING, 1.0, ANNA)]
    assert stages_of(withdrawn_new) == []
    assert durations(1, []) == []


def test_a_move_dated_before_the_one_it_follows_takes_no_time():
    moves = [Move("new", T0), Move("in_review", T0 - H, ANNA), Move("verified", T0 + H, ANNA)]
    assert stages_of(moves) == [
        (Stage.WAITING, 0.0, ANNA),
        (Stage.REVIEW, 2.0, ANNA),
        (Stage.TO_DECISION, 1.0, ANNA),
    ]


def test_a_stage_ends_when_and_where_its_move_is():
    [waiting, review, decision] = durations(42, [
        Move("new", T0), Move("in_review", T0 + H, ANNA), Move("attributed", T0 + 3 * H, BEN),
    ])  # fmt: skip
    assert waiting == Duration(42, Stage.WAITING, 3600.0, T0 + H, ANNA)
    assert (review.ended_at, review.actor) == (T0 + 3 * H, BEN)
    assert decision.ended_at == T0 + 3 * H


# ---------------------------------------------------------------------------
# Median and 90th percentile


def test_the_median_of_an_odd_count_is_the_middle_value():
    assert median([5.0, 1.0, 3.0]) == 3.0


def test_the_median_of_an_even_count_is_the_mean_of_the_two_middle_values():
    assert median([4.0, 1.0, 10.0, 2.0]) == 3.0


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (list(range(1, 11)), 9),  # ten values: the 9th smallest
        (list(range(1, 12)), 10),  # eleven: ceil(9.9) = 10th
        ([3, 1, 2, 5, 4], 5),  # five: ceil(4.5) = 5th, the largest
        ([7], 7),
        (list(range(1, 21)), 18),  # twenty: the 18th
    ],
)
def test_the_90th_percentile_is_by_nearest_rank(values, expected):  # type: ignore[no-untyped-def]
    assert nearest_rank([float(v) for v in values], 0.9) == expected


def test_no_values_have_no_summary():
    assert summarise([]) is None
    with pytest.raises(ValueError):
        median([])
    with pytest.raises(ValueError):
        nearest_rank([], 0.9)


def test_it_summarises_count_median_and_p90():
    assert summarise([60.0, 120.0, 180.0, 240.0]) == Summary(4, 150.0, 240.0)


# ---------------------------------------------------------------------------
# Groups


def test_a_duration_counts_in_each_of_its_groups():
    found = [
        Duration(1, Stage.WAITING, 10.0, T0, ANNA),
        Duration(2, Stage.WAITING, 30.0, T0, BEN),
        Duration(2, Stage.REVIEW, 50.0, T0, BEN),
    ]
    topics = {1: ["aleppo"], 2: ["aleppo", "homs"]}
    grouped = table(found, lambda d: topics[d.claim])
    assert grouped == {
        "aleppo": {Stage.WAITING: Summary(2, 20.0, 30.0), Stage.REVIEW: Summary(1, 50.0, 50.0)},
        "homs": {Stage.WAITING: Summary(1, 30.0, 30.0), Stage.REVIEW: Summary(1, 50.0, 50.0)},
    }


def test_weeks_start_on_monday():
    assert week_of(date(2026, 11, 8)) == date(2026, 11, 2)  # a Sunday
    assert week_of(date(2026, 11, 2)) == date(2026, 11, 2)
    assert week_of(date(2026, 11, 9)) == date(2026, 11, 9)


@pytest.mark.parametrize(
    ("seconds", "words"),
    [
        (30, "under a minute"),
        (60, "1 min"),
        (40 * 60, "40 min"),
        (3600, "1 h"),
        (5.5 * 3600, "5.5 h"),
        (47.9 * 3600, "47.9 h"),
        (48 * 3600, "2 d"),
        (3.25 * 86400, "3.2 d"),
    ],
)
def test_durations_read_at_a_glance(seconds, words):  # type: ignore[no-untyped-def]
    assert duration_words(seconds) == words
