from datetime import date

from claims.checks import Policy, find_contradictions

from .facts import about_400_this_month, at_least_51_yesterday, month_to_date

POLICY = Policy()


def facts():
    return [
        at_least_51_yesterday(1, value_low=500),  # exceeds 2 and 3 (sub-period)
        about_400_this_month(2, status="verified"),
        month_to_date(3, 250, 250),  # conflicts with 2
        month_to_date(4, 300, 300, period_end=date(2014, 2, 15)),  # below 2: count decreased
        about_400_this_month(5, status="false"),  # verdict conflict with 2
        month_to_date(6, 10, 10, event="injured"),  # another block
    ]


def test_it_returns_only_findings_that_involve_the_focus_claims():
    everything = find_contradictions(facts(), POLICY)

    focused = find_contradictions(facts(), POLICY, focus={3})

    assert focused == [f for f in everything if 3 in f.claim_ids]
    assert {f.kind for f in focused} >= {"value_conflict", "sub_period_exceeds_total"}


def test_it_finds_a_focus_claims_verdict_conflict():
    focused = find_contradictions(facts(), POLICY, focus={5})

    assert [(f.kind, f.claim_ids) for f in focused] == [("verdict_conflict", (2, 5))]


def test_it_returns_nothing_for_a_focus_claim_without_findings():
    assert find_contradictions(facts(), POLICY, focus={6}) == []
    assert find_contradictions(facts(), POLICY, focus=set()) == []
