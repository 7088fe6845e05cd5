# Figures, dates and periods in words: tests/test_wording.py.
from claims.checks.messages import measure_words, quote, says_words, source_words
from claims.wording import sentence

from .facts import about_400_this_month, at_least_51_yesterday


def test_it_names_the_measure_and_the_first_source():
    civilians = at_least_51_yesterday(
        1, population="civilians", sources=(("SOHR", "B"), ("AP", "A"))
    )

    assert measure_words(civilians) == "at least 51 civilians killed"
    assert (
        measure_words(about_400_this_month(2, unit="trucks", event="other")) == "about 400 trucks"
    )
    assert source_words(civilians) == "SOHR"
    assert source_words(about_400_this_month(2, sources=())) == "Claim #2"


def test_it_shortens_long_quotes():
    long_claim = about_400_this_month(2, text="word " * 40)

    assert quote(long_claim).endswith("…” (#2)")
    assert len(quote(long_claim)) < 90


def test_it_lets_a_generic_plural_source_say_rather_than_says():
    assert says_words(about_400_this_month(2)) == "activists say"
    assert says_words(at_least_51_yesterday(1)) == "SOHR says"
    assert says_words(at_least_51_yesterday(1, sources=(("Médecins Sans Frontières", "B"),))) == (
        "Médecins Sans Frontières says"
    )
    assert sentence("activists say") == "Activists say"
