import random
from dataclasses import replace
from datetime import UTC, date, datetime

from claims.checks import Policy, find_contradictions, find_evidence_issues, find_stale, fingerprint

from .facts import (
    about_400_this_month,
    at_least_51_yesterday,
    evidence,
    month_to_date,
)

POLICY = Policy()
NOW = datetime(2015, 1, 1, tzinfo=UTC)


def sample_claims():
    return [
        at_least_51_yesterday(1, value_low=500),
        about_400_this_month(2, status="verified", decided_at=datetime(2014, 2, 14, tzinfo=UTC)),
        month_to_date(3, 250, 250),
        month_to_date(4, 300, 300, period_end=date(2014, 2, 15)),
        about_400_this_month(5, status="false"),
        about_400_this_month(6),
    ]


def test_it_gives_the_same_fingerprints_on_every_run_and_in_any_order():
    facts = sample_claims()
    first = find_contradictions(facts, POLICY)
    shuffled = facts[:]
    random.Random(4).shuffle(shuffled)

    second = find_contradictions(shuffled, POLICY)

    assert len(first) > 5
    assert first == second
    assert len({finding.fingerprint for finding in first}) == len(first)


def test_it_keeps_the_fingerprint_when_a_claim_is_edited():
    facts = sample_claims()
    before = {f.kind: f for f in find_contradictions(facts, POLICY) if f.claim_ids == (2, 3)}
    edited = replace(facts[2], value_low=200, value_high=200, text="200 killed")

    after = {
        f.kind: f
        for f in find_contradictions([*facts[:2], edited, *facts[3:]], POLICY)
        if f.claim_ids == (2, 3)
    }

    assert after["value_conflict"].fingerprint == before["value_conflict"].fingerprint
    assert after["value_conflict"].message != before["value_conflict"].message


def test_it_builds_fingerprints_from_kind_claims_and_evidence_only():
    assert fingerprint("duplicate", (3, 1)) == fingerprint("duplicate", (1, 3))
    assert fingerprint("duplicate", (1, 3)) != fingerprint("value_conflict", (1, 3))
    assert fingerprint("evidence_changed", (1,), 7) != fingerprint("evidence_changed", (1,), 8)
    assert len(fingerprint("duplicate", (1, 3))) == 64


def test_it_gives_stale_and_evidence_findings_stable_fingerprints():
    facts = sample_claims()
    items = [evidence(7, 2, last_status=404), evidence(8, 2, last_sha256="b" * 64)]
    by_id = {fact.id: fact for fact in facts}

    assert find_stale(facts, items, NOW, POLICY) == find_stale(facts[::-1], items, NOW, POLICY)
    assert find_evidence_issues(items, by_id) == find_evidence_issues(items[::-1], by_id)
