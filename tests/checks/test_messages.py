from datetime import date

from claims.checks.messages import (
    format_date,
    format_number,
    format_period,
    format_quantity,
    measure_words,
    quote,
    says_words,
    sentence,
    source_words,
)

from .facts import about_400_this_month, at_least_51_yesterday


def test_it_reads_intervals_back_into_the_words_of_copy():
    assert format_quantity(51, None, "at_least") == "at least 51"
    assert format_quantity(360, 440, "approx") == "about 400"
    assert format_quantity(360, 400, "approx") == "nearly 400"
    assert format_quantity(1001, None, "more_than") == "more than 1,000"
    assert format_quantity(1_500_001, None, "more_than") == "more than 1.5 million"
    assert format_quantity(20, 30, "range") == "20 to 30"
    assert format_quantity(0, 30, "at_most") == "up to 30"
    assert format_quantity(0, 29, "fewer_than") == "fewer than 30"
    assert format_quantity(400, 400, "exact") == "400"
    assert format_quantity(24, 99, "vague") == "dozens"
    assert format_quantity(12, 12, "vague") == "a dozen"


def test_it_falls_back_to_plain_figures_when_the_qualifier_does_not_fit():
    assert format_quantity(355, 500, "approx") == "355 to 500"
    assert format_quantity(30, 40, "vague") == "30 to 40"
    assert format_quantity(None, 30, None) == "up to 30"


def test_it_writes_numbers_with_separators():
    assert format_number(1200) == "1,200"
    assert format_number(2_000_000) == "2 million"
    assert format_number(1_234_567) == "1,234,567"


def test_it_writes_dates_and_periods_as_copy_does():
    assert format_date(date(2014, 2, 12)) == "12 Feb 2014"
    assert format_period(date(2014, 2, 12), date(2014, 2, 12), "day") == "12 Feb 2014"
    assert format_period(date(2014, 2, 1), date(2014, 2, 13), "to_date") == (
        "1–13 Feb 2014 (to date)"
    )
    assert format_period(date(2014, 1, 27), date(2014, 2, 2), "span") == "27 Jan – 2 Feb 2014"
    assert format_period(date(2011, 3, 1), date(2014, 2, 13), "to_date") == (
        "1 Mar 2011 – 13 Feb 2014 (to date)"
    )


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
