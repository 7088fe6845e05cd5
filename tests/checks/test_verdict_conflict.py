from datetime import date
from itertools import product

from hypothesis import given, settings
from hypothesis import strategies as st

from claims.checks import Policy, find_contradictions
from claims.checks.duplicates import (
    find_verdict_conflicts,
    same_subject,
    similarity,
    text_block_key,
)
from claims.checks.types import VERDICT_CONFLICT

from .facts import ALEPPO, HOMS, about_400_this_month, claim, kinds

POLICY = Policy()
TRUCE = "Syrian government and UN officials are in talks on extending the Homs truce"


def truce_claim(id: int, status: str, **fields):
    # A claim without a number, place or period, like the article's Homs truce line.
    return claim(
        id,
        place=None,
        **({"text": TRUCE} | fields),
        event=None,
        unit="",
        value_low=None,
        value_high=None,
        qualifier=None,
        period_start=None,
        period_end=None,
        period_kind=None,
        status=status,
    )


def test_it_flags_a_false_claim_whose_twin_was_verified():
    verified = about_400_this_month(2, status="verified")
    false = about_400_this_month(7, status="false")

    [finding] = find_contradictions([verified, false], POLICY)

    assert finding.kind == VERDICT_CONFLICT
    assert finding.severity == "high"
    assert finding.claim_ids == (2, 7)
    assert finding.message == (
        "“Barrel bombs have killed about 400 people in Aleppo so far this month” (#2) is "
        "verified but the near-identical “Barrel bombs have killed about 400 people in Aleppo "
        "so far this month” (#7) is false."
    )


def test_it_compares_claims_without_a_number():
    findings = find_contradictions(
        [truce_claim(10, "false"), truce_claim(11, "verified", text=TRUCE + ".")], POLICY
    )

    assert kinds(findings) == [VERDICT_CONFLICT]


def test_it_ignores_twins_that_are_not_verified_and_false():
    pairs = [("verified", "verified"), ("attributed", "false"), ("in_review", "false")]
    for left, right in pairs:
        findings = find_contradictions([truce_claim(10, left), truce_claim(11, right)], POLICY)
        assert findings == [], (left, right)


def test_it_ignores_a_false_claim_about_another_period():
    verified = about_400_this_month(2, status="verified")
    false_last_month = about_400_this_month(
        7, status="false", period_start=date(2014, 1, 1), period_end=date(2014, 1, 13)
    )

    assert find_contradictions([verified, false_last_month], POLICY) == []


def test_it_ignores_a_false_claim_with_a_figure_that_does_not_overlap():
    verified = about_400_this_month(2, status="verified")
    false = about_400_this_month(7, status="false", value_low=4000, value_high=4000)

    assert find_contradictions([verified, false], POLICY) == []


def test_it_keeps_false_claims_out_of_the_numeric_rules():
    verified = about_400_this_month(2, status="verified", text="About 400 killed")
    false = about_400_this_month(7, status="false", value_low=40, value_high=40, text="40 dead")

    assert find_contradictions([verified, false], POLICY) == []


FEB = (date(2014, 2, 1), date(2014, 2, 13))
JAN = (date(2014, 1, 1), date(2014, 1, 31))


@st.composite
def decided_claims(draw):
    facts = []
    for id in range(1, draw(st.integers(0, 12)) + 1):
        period = draw(st.sampled_from([None, FEB, JAN]))
        # Claims with and without a figure, all in one text block (event, unit, country).
        numbered = draw(st.booleans())
        low = draw(st.integers(0, 30))
        high = draw(st.one_of(st.none(), st.integers(low, low + 10)))
        facts.append(
            claim(
                id,
                place=draw(st.sampled_from([None, ALEPPO, HOMS])),
                country="SY",  # a claim with no place is still about the country
                status=draw(st.sampled_from(["verified", "false"])),
                # The same words make near-duplicates; the others never are.
                text=draw(st.sampled_from([TRUCE, TRUCE, TRUCE, f"Report number {id}"])),
                population=draw(st.sampled_from(["all", "civilians"])),
                value_low=low if numbered else None,
                value_high=high if numbered else None,
                period_start=period[0] if period else None,
                period_end=period[1] if period else None,
                period_kind="span" if period else None,
            )
        )
    return facts


@settings(max_examples=300)
@given(decided_claims())
def test_it_weighs_the_words_of_every_pair_of_the_same_subject_and_no_other(facts):
    """The rule meets false claims by place, period and figure rather than trying each:
    it finds what trying every verified and false pair would."""
    verified = [fact for fact in facts if fact.status == "verified"]
    false = [fact for fact in facts if fact.status == "false"]
    expected = {
        (a.id, b.id)
        for a, b in product(verified, false)
        if text_block_key(a) == text_block_key(b)
        and same_subject(a, b)
        and similarity(a, b, POLICY.duplicate_similarity)
    }

    found = find_verdict_conflicts(facts, POLICY)

    assert {finding.claim_ids for finding in found} == {tuple(sorted(p)) for p in expected}
    assert len(found) == len(expected)
