from claims.checks import find_evidence_issues
from claims.checks.types import EVIDENCE_UNREACHABLE

from .facts import about_400_this_month, evidence


def issues(items, *facts):
    return find_evidence_issues(items, {fact.id: fact for fact in facts})


def test_it_flags_a_link_that_answered_with_an_error_status():
    month = about_400_this_month(2, status="verified")

    [finding] = issues([evidence(7, 2, last_status=404)], month)

    assert finding.kind == EVIDENCE_UNREACHABLE
    assert finding.claim_ids == (2,)
    assert finding.severity == "medium"
    assert finding.message == (
        "The evidence at https://example.org/report/7 for “Barrel bombs have killed about 400 "
        "people in Aleppo so far this month” (#2) could not be loaded (HTTP 404)."
    )
    assert finding.details["evidence_id"] == 7


def test_it_flags_a_link_that_failed_to_answer():
    month = about_400_this_month(2, status="in_review")

    [finding] = issues([evidence(7, 2, last_status=None, last_error="timeout")], month)

    assert finding.severity == "low"
    assert finding.message.endswith("could not be loaded (timeout).")


def test_it_gives_each_evidence_link_its_own_fingerprint():
    month = about_400_this_month(2)
    findings = issues([evidence(7, 2, last_status=500), evidence(8, 2, last_status=500)], month)

    assert len({finding.fingerprint for finding in findings}) == 2


def test_it_ignores_working_and_unchecked_links():
    month = about_400_this_month(2)
    items = [
        evidence(7, 2),
        evidence(8, 2, last_status=None, checked_at=None),
        evidence(9, 2, last_status=301),
    ]

    assert issues(items, month) == []


def test_it_ignores_evidence_of_retracted_or_unknown_claims():
    retracted = about_400_this_month(2, status="retracted")

    assert (
        issues([evidence(7, 2, last_status=404), evidence(8, 99, last_status=404)], retracted) == []
    )
