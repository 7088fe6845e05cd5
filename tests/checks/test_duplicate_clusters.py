"""Near-duplicates make one flag per group, not one per pair (issue 13, defect 12)."""

from __future__ import annotations

from claims.checks import Policy, find_contradictions
from claims.checks.duplicates import MAX_LISTED, cluster_duplicates
from claims.checks.types import DUPLICATE, VALUE_CONFLICT, VERDICT_CONFLICT, fingerprint

from .facts import about_400_this_month, kinds

POLICY = Policy()
WORDS = "Barrel bombs have killed about 400 people in Aleppo so far this month"


def copies(ids: range) -> list:  # type: ignore[type-arg]
    # Tiny edits a desk makes when it logs the same report twice: a word's case, a hyphen.
    spellings = [WORDS, WORDS.replace("Barrel bombs", "Barrel-bombs"), WORDS.lower()]
    return [about_400_this_month(i, text=spellings[i % 3]) for i in ids]


def grouped(facts, **kwargs):  # type: ignore[no-untyped-def]
    found = find_contradictions(facts, POLICY, **{k: v for k, v in kwargs.items() if k == "focus"})
    by_id = {fact.id: fact for fact in facts}
    return cluster_duplicates(found, by_id, POLICY, **kwargs)


def test_it_makes_one_finding_of_many_near_identical_claims():
    facts = copies(range(1, 201))

    [finding] = grouped(facts)

    assert finding.kind == DUPLICATE
    assert finding.severity == "info"
    assert finding.claim_ids == tuple(range(1, 201))
    assert finding.message.startswith("“Barrel-bombs have killed about 400 people")
    assert "(#1) and 199 other claims look like the same claim" in finding.message
    assert finding.details["count"] == 200
    assert len(finding.details["claims"]) == MAX_LISTED
    assert finding.details["similarity"] >= POLICY.duplicate_similarity


def test_it_names_a_group_by_its_first_claim():
    [small] = grouped(copies(range(3, 6)))
    [grown] = grouped(copies(range(3, 9)))

    assert small.fingerprint == grown.fingerprint == fingerprint(DUPLICATE, (3,))
    assert grown.claim_ids == (3, 4, 5, 6, 7, 8)


def test_it_words_a_pair_as_before():
    [finding] = grouped(copies(range(2, 4)))

    assert finding.claim_ids == (2, 3)
    assert "“Barrel bombs have killed" in finding.message
    assert "look like the same claim: about 400 killed in Aleppo" in finding.message
    assert len(finding.details["claims"]) == 2


def test_it_keeps_separate_groups_apart():
    facts = [*copies(range(1, 4)), *copies(range(11, 14))]
    facts[3:] = [fact.__class__(**{**fact.__dict__, "place_id": 4}) for fact in facts[3:]]

    findings = grouped(facts)

    assert [f.claim_ids for f in findings] == [(1, 2, 3), (11, 12, 13)]


def test_it_leaves_other_findings_pairwise():
    clash = about_400_this_month(50, text="Some 10 dead", value_low=10, value_high=10)
    verified = about_400_this_month(60, status="verified", period_start=None, period_end=None)
    false = about_400_this_month(61, status="false", period_start=None, period_end=None)
    findings = grouped([*copies(range(1, 4)), clash, verified, false])

    assert sorted(kinds(findings)) == [
        DUPLICATE,
        *[VALUE_CONFLICT] * 3,
        VERDICT_CONFLICT,
    ]
    assert [f.claim_ids for f in findings if f.kind == VERDICT_CONFLICT] == [(60, 61)]


def test_it_keeps_a_known_group_together_when_one_claim_is_rescanned():
    facts = copies(range(1, 7))
    # Claim 4 was edited: only its own pairs are compared again.
    [finding] = grouped(facts, known=[{1, 2, 3, 4, 5, 6}], focus={4})

    assert finding.claim_ids == (1, 2, 3, 4, 5, 6)
    assert finding.fingerprint == fingerprint(DUPLICATE, (1,))


def test_it_drops_a_claim_edited_away_from_a_known_group():
    facts = copies(range(1, 7))
    facts[3] = about_400_this_month(4, text="An airstrike hit a bakery queue in Homs")

    [finding] = grouped(facts, known=[{1, 2, 3, 4, 5, 6}], focus={4})

    assert finding.claim_ids == (1, 2, 3, 5, 6)
    assert finding.fingerprint == fingerprint(DUPLICATE, (1,))


def test_it_merges_known_groups_a_claim_joins():
    facts = copies(range(1, 8))
    [finding] = grouped(facts, known=[{1, 2, 3}, {5, 6, 7}], focus={4})

    assert finding.claim_ids == (1, 2, 3, 4, 5, 6, 7)


def test_it_groups_a_large_cluster_into_one_finding():
    # 300 copies make 44,850 pairs; the scan's benchmark (bench/scan_bench.py) times it.
    facts = copies(range(1, 301))
    found = find_contradictions(facts, POLICY)
    by_id = {fact.id: fact for fact in facts}

    [finding] = cluster_duplicates(found, by_id, POLICY)

    assert len(finding.claim_ids) == 300
