from datetime import UTC, datetime, timedelta

from claims.checks import Policy, find_stale
from claims.checks.types import REVIEW_OVERDUE

from .facts import about_400_this_month

POLICY = Policy()
DUE = datetime(2014, 2, 13, 18, 0, tzinfo=UTC)


def test_it_flags_a_claim_still_in_review_after_its_due_time():
    month = about_400_this_month(2, status="in_review", due_at=DUE)

    [finding] = find_stale([month], [], DUE + timedelta(minutes=1), POLICY)

    assert finding.kind == REVIEW_OVERDUE
    assert finding.severity == "medium"
    assert finding.message == (
        "“Barrel bombs have killed about 400 people in Aleppo so far this month” (#2) was due "
        "on 13 Feb 2014 and is still in review."
    )
    assert finding.details == {"status": "in_review", "due_at": "2014-02-13T18:00:00+00:00"}


def test_it_flags_a_new_claim_too():
    month = about_400_this_month(2, status="new", due_at=DUE)

    assert len(find_stale([month], [], DUE + timedelta(days=2), POLICY)) == 1


def test_it_waits_until_the_due_time():
    month = about_400_this_month(2, status="in_review", due_at=DUE)

    assert find_stale([month], [], DUE, POLICY) == []


def test_it_ignores_decided_claims_and_claims_without_a_due_time():
    now = DUE + timedelta(days=2)
    facts = [
        about_400_this_month(2, status="verified", due_at=DUE),
        about_400_this_month(3, status="retracted", due_at=DUE),
        about_400_this_month(4, status="new", due_at=None),
    ]

    assert find_stale(facts, [], now, POLICY) == []
