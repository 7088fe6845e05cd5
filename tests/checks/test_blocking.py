from dataclasses import replace
from datetime import date, timedelta
from itertools import combinations
from unittest.mock import patch

from hypothesis import given
from hypothesis import strategies as st

from claims.checks import Policy, block_key, find_contradictions, sweep_pairs
from claims.checks.blocking import period_of, related_pairs
from claims.checks.contradictions import compare_block

from .facts import (
    ALEPPO,
    ALEPPO_GOVERNORATE,
    HOMS,
    SYRIA,
    about_400_this_month,
    at_least_51_yesterday,
    claim,
)

JAN_1 = date(2014, 1, 1)


def test_it_blocks_by_event_unit_and_country():
    assert block_key(about_400_this_month(2)) == ("killed", "people", "SY")


def test_it_puts_civilian_and_all_casualty_counts_in_one_block():
    civilians = at_least_51_yesterday(1, population="civilians")

    assert block_key(civilians) == block_key(about_400_this_month(2))


def test_it_separates_countries_events_and_units():
    month = about_400_this_month(2)
    others = [
        about_400_this_month(3, country="IQ"),
        about_400_this_month(4, event="injured"),
        about_400_this_month(5, unit="trucks"),
    ]

    assert all(block_key(other) != block_key(month) for other in others)


def test_it_leaves_out_claims_that_cannot_take_part():
    cannot = [
        about_400_this_month(2, status="retracted"),
        about_400_this_month(3, status="false"),
        about_400_this_month(4, event=None, value_low=None, value_high=None),
        about_400_this_month(5, value_low=None, value_high=None),
        about_400_this_month(6, place=None),
        about_400_this_month(7, period_start=None, period_end=None, period_kind=None),
    ]

    assert [block_key(fact) for fact in cannot] == [None] * len(cannot)


def test_it_keeps_decided_and_open_claims():
    statuses = ("new", "in_review", "verified", "attributed", "disputed")

    assert all(block_key(about_400_this_month(2, status=s)) is not None for s in statuses)


def test_it_pairs_only_claims_whose_periods_share_a_day():
    month = about_400_this_month(2)
    day_inside = at_least_51_yesterday(1)
    touching = day_fact(3, date(2014, 2, 13))
    outside = day_fact(4, date(2014, 2, 14))

    pairs = {(a.id, b.id) for a, b in sweep_pairs([outside, touching, day_inside, month])}

    assert {tuple(sorted(pair)) for pair in pairs} == {(1, 2), (2, 3)}


def day_fact(id: int, day: date, *, length: int = 0, block: int = 0):
    return claim(
        id,
        country=f"C{block % 100}",
        event=("killed", "injured")[block // 100],
        value_low=id % 50,
        value_high=id % 50 + 10,
        period_start=day,
        period_end=day + timedelta(days=length),
        period_kind="day" if length == 0 else "span",
    )


def many_facts(count: int, blocks: int) -> list:
    facts = []
    for i in range(count):
        block = i % blocks
        # Days spread over a year, with a weekly summary and a yearly total now and then:
        # realistic overlaps, far from every claim meeting every other.
        if i % 50 == 0:
            length = 364
        elif i % 7 == 0:
            length = 6
        else:
            length = 0
        facts.append(
            day_fact(i, JAN_1 + timedelta(days=(i * 37) % 365), length=length, block=block)
        )
    return facts


def test_it_sweeps_20000_claims_in_200_blocks_with_far_fewer_than_n_squared_pairs():
    facts = many_facts(20_000, 200)
    blocks: dict = {}
    for fact in facts:
        blocks.setdefault(block_key(fact), []).append(fact)

    pairs = sum(1 for block in blocks.values() for _ in sweep_pairs(block))
    all_pairs_in_blocks = sum(len(b) * (len(b) - 1) // 2 for b in blocks.values())

    assert len(blocks) == 200
    assert pairs < 5 * len(facts)
    assert pairs < all_pairs_in_blocks / 10
    assert pairs < len(facts) ** 2 / 1000


def test_it_scans_20000_claims_in_one_call():
    findings = find_contradictions(many_facts(20_000, 200), Policy())

    assert all(len(finding.claim_ids) == 2 for finding in findings)


periods = st.tuples(st.integers(0, 60), st.integers(0, 20))


@given(st.lists(periods, max_size=25))
def test_it_finds_exactly_the_overlapping_pairs(spans):
    block = [
        day_fact(i, JAN_1 + timedelta(days=start), length=n) for i, (start, n) in enumerate(spans)
    ]

    swept = {frozenset((a.id, b.id)) for a, b in sweep_pairs(block)}
    expected = {
        frozenset((a.id, b.id))
        for a, b in combinations(block, 2)
        if period_of(a)[0] <= period_of(b)[1] and period_of(b)[0] <= period_of(a)[1]
    }

    assert swept == expected
    assert len(swept) == sum(1 for _ in sweep_pairs(block))


# Places as claims carry them: (place, its ancestors). The last two are odd data, one place
# with another line of ancestors and two places each inside the other, which the sweep
# must still hand to the rules.
PLACED = [
    (SYRIA, frozenset()),
    (ALEPPO_GOVERNORATE, frozenset({SYRIA})),
    (ALEPPO, frozenset({ALEPPO_GOVERNORATE, SYRIA})),
    (HOMS, frozenset({SYRIA})),
    (ALEPPO, frozenset({SYRIA})),
    (SYRIA, frozenset({HOMS})),
]


@st.composite
def figures_of_one_block(draw):
    facts = []
    for id in range(1, draw(st.integers(0, 14)) + 1):
        place, ancestors = draw(st.sampled_from(PLACED))
        low = draw(st.one_of(st.none(), st.integers(0, 40)))
        high = draw(st.one_of(st.none(), st.integers(low or 0, (low or 0) + 20)))
        start = JAN_1 + timedelta(days=draw(st.integers(0, 3)))
        fact = claim(
            id,
            place=place,
            # The same words make near-duplicates; the others never are.
            text=draw(st.sampled_from(["Barrel bombs killed 40 in Aleppo", f"Report {id}"])),
            population=draw(st.sampled_from(["all", "civilians", "children", "combatants"])),
            value_low=low if low is not None or high is not None else 0,
            value_high=high,
            period_start=start,
            period_end=start + timedelta(days=draw(st.integers(0, 4))),
            period_kind=draw(st.sampled_from(["day", "span", "to_date"])),
            incident=draw(st.sampled_from([None, None, 7])),
            sources=(draw(st.sampled_from([("SOHR", "B"), ("activists", "F")])),),
        )
        facts.append(replace(fact, place_ancestors=ancestors))
    return facts


@given(figures_of_one_block(), st.booleans())
def test_it_leaves_out_only_pairs_no_rule_faults(block, within_incident):
    """related_pairs skips most overlapping pairs (a day at or below its month, a city at or
    below its country): comparing every overlapping pair instead finds exactly the same."""
    found = compare_block(block, Policy(), within_incident=within_incident)
    with patch("claims.checks.contradictions.related_pairs", sweep_pairs):
        every_pair = compare_block(block, Policy(), within_incident=within_incident)

    def order(finding):
        return finding.kind, finding.claim_ids

    assert sorted(found, key=order) == sorted(every_pair, key=order)


@given(figures_of_one_block())
def test_it_gives_each_related_pair_once_the_earlier_claim_first(block):
    related = [(a.id, b.id) for a, b in related_pairs(block)]

    assert len(set(related)) == len(related)
    assert set(related) <= {(a.id, b.id) for a, b in sweep_pairs(block)}
