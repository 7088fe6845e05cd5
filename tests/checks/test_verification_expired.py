from datetime import UTC, datetime, timedelta

from claims.checks import Policy, find_stale
from claims.checks.types import VERIFICATION_EXPIRED

from .facts import about_400_this_month, at_least_51_yesterday, claim, kinds

POLICY = Policy()
DECIDED = datetime(2014, 2, 14, 9, 30, tzinfo=UTC)


def test_it_expires_a_to_date_decision_after_a_week():
    month = about_400_this_month(2, status="verified", decided_at=DECIDED)

    [finding] = find_stale([month], [], DECIDED + timedelta(days=8), POLICY)

    assert finding.kind == VERIFICATION_EXPIRED
    assert finding.claim_ids == (2,)
    assert finding.severity == "low"
    assert finding.message == (
        "The “verified” decision on “Barrel bombs have killed about 400 people in Aleppo so far "
        "this month” (#2) was made on 14 Feb 2014, more than 7 days ago, the limit for a "
        "to-date figure; check it again."
    )
    assert finding.details == {
        "status": "verified",
        "decided_at": "2014-02-14T09:30:00+00:00",
        "period_kind": "to_date",
        "max_age_days": 7,
    }


def test_it_keeps_a_decision_within_its_limit():
    month = about_400_this_month(2, status="verified", decided_at=DECIDED)
    day = at_least_51_yesterday(1, status="false", decided_at=DECIDED)

    assert find_stale([month, day], [], DECIDED + timedelta(days=7), POLICY) == []
    assert kinds(find_stale([day], [], DECIDED + timedelta(days=366), POLICY)) == [
        VERIFICATION_EXPIRED
    ]


def test_it_ages_a_claim_without_a_time_frame_like_a_day():
    undated = claim(
        9,
        status="attributed",
        decided_at=DECIDED,
        period_start=None,
        period_end=None,
        period_kind=None,
    )

    assert find_stale([undated], [], DECIDED + timedelta(days=300), POLICY) == []
    assert len(find_stale([undated], [], DECIDED + timedelta(days=400), POLICY)) == 1


def test_it_follows_the_policy():
    month = about_400_this_month(2, status="disputed", decided_at=DECIDED)
    policy = Policy(decision_max_age_days={"day": 365, "span": 180, "to_date": 30})

    assert find_stale([month], [], DECIDED + timedelta(days=8), policy) == []


def test_it_ignores_undecided_and_retracted_claims():
    now = DECIDED + timedelta(days=1000)
    facts = [
        about_400_this_month(2, status=status, decided_at=DECIDED)
        for status in ("new", "in_review", "retracted")
    ]

    assert find_stale(facts, [], now, POLICY) == []
