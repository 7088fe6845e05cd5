from datetime import date

from claims.checks import Policy, find_contradictions
from claims.checks.types import DUPLICATE

from .facts import about_400_this_month, at_least_51_yesterday, kinds

POLICY = Policy()
SAME_WORDS = "Barrel bombs have killed about 400 people in Aleppo so far this month"


def test_it_notes_the_same_claim_logged_twice():
    first = about_400_this_month(2)
    second = about_400_this_month(5, text=SAME_WORDS.replace("Barrel bombs", "Barrel-bombs"))

    [finding] = find_contradictions([first, second], POLICY)

    assert finding.kind == DUPLICATE
    assert finding.severity == "info"
    assert finding.claim_ids == (2, 5)
    assert finding.message.startswith("“Barrel bombs have killed about 400 people")
    assert "look like the same claim: about 400 killed in Aleppo" in finding.message
    assert finding.details["similarity"] >= POLICY.duplicate_similarity


def test_it_compares_the_normalised_statements_when_both_have_one():
    first = about_400_this_month(2, normalised="400 killed in Aleppo, 1-13 Feb 2014")
    second = about_400_this_month(
        5,
        text="Some 400 dead in Syria's largest city",
        normalised="400 killed in Aleppo, 1-13 Feb 2014",
    )

    assert kinds(find_contradictions([first, second], POLICY)) == [DUPLICATE]


def test_it_ignores_similar_words_about_another_day():
    yesterday = at_least_51_yesterday(1)
    day_before = at_least_51_yesterday(
        2, period_start=date(2014, 2, 11), period_end=date(2014, 2, 11)
    )

    assert find_contradictions([yesterday, day_before], POLICY) == []


def test_it_ignores_different_words_for_the_same_measure():
    first = about_400_this_month(2)
    second = about_400_this_month(5, text="Helicopters dropped shrapnel-packed explosive devices")

    assert find_contradictions([first, second], POLICY) == []


def test_it_ignores_a_retracted_copy():
    copy = about_400_this_month(5, status="retracted")

    assert find_contradictions([about_400_this_month(2), copy], POLICY) == []


def test_it_respects_the_policy_threshold():
    first = about_400_this_month(2)
    second = about_400_this_month(5, text="About 400 people killed in Aleppo since February 1")

    assert find_contradictions([first, second], POLICY) == []
    assert kinds(find_contradictions([first, second], Policy(duplicate_similarity=40))) == [
        DUPLICATE
    ]
