from claims.checks import find_evidence_issues
from claims.checks.types import EVIDENCE_CHANGED, EVIDENCE_UNREACHABLE

from .facts import about_400_this_month, evidence, kinds


def issues(items, *facts):
    return find_evidence_issues(items, {fact.id: fact for fact in facts})


def test_it_flags_a_page_that_changed_since_the_decision():
    month = about_400_this_month(2, status="verified")

    [finding] = issues([evidence(7, 2, last_sha256="b" * 64)], month)

    assert finding.kind == EVIDENCE_CHANGED
    assert finding.severity == "medium"
    assert finding.message == (
        "The page at https://example.org/report/7 has changed since “Barrel bombs have killed "
        "about 400 people in Aleppo so far this month” (#2) was decided “verified”; the archived "
        "copy holds what the desk saw."
    )
    assert finding.details["decided_sha256"] == "a" * 64
    assert finding.details["last_sha256"] == "b" * 64


def test_it_ignores_an_unchanged_page():
    assert issues([evidence(7, 2)], about_400_this_month(2, status="verified")) == []


def test_it_needs_both_hashes():
    month = about_400_this_month(2, status="verified")
    items = [evidence(7, 2, decided_sha256=""), evidence(8, 2, last_sha256="")]

    assert issues(items, month) == []


def test_it_needs_a_decided_claim():
    month = about_400_this_month(2, status="in_review")

    assert issues([evidence(7, 2, last_sha256="b" * 64)], month) == []


def test_it_can_report_a_changed_page_that_now_fails():
    month = about_400_this_month(2, status="false")
    item = evidence(7, 2, last_sha256="b" * 64, last_status=410)

    assert kinds(issues([item], month)) == [EVIDENCE_CHANGED, EVIDENCE_UNREACHABLE]
