"""How the desk words figures, periods and sources (`claims.wording`): one set of cases for
what flag messages, the claim form, story cards, the claim page and the timeline showed."""

from datetime import UTC, date, datetime

import pytest

from claims.wording import (
    format_date,
    format_datetime,
    format_figure,
    format_number,
    format_period,
    format_quantity,
    interval_text,
    interval_words,
    period_dates,
    sentence,
    sources_text,
)


@pytest.mark.parametrize(
    ("low", "high", "qualifier", "words"),
    [
        (400, 400, "exact", "400"),
        (20, 30, "range", "20 to 30"),
        (0, 30, "at_most", "up to 30"),
        (0, 29, "fewer_than", "fewer than 30"),
        (24, 99, "vague", "dozens"),
        (12, 12, "vague", "a dozen"),
        (None, 30, None, "up to 30"),
        # Open-ended figures.
        (51, None, "at_least", "at least 51"),
        (51, None, None, "at least 51"),
        (1001, None, "more_than", "more than 1,000"),
        (1_500_001, None, "more_than", "more than 1.5 million"),
        # A qualifier that does not fit the interval falls back to plain figures.
        (355, 500, "approx", "355 to 500"),
        (30, 40, "vague", "30 to 40"),
    ],
)
def test_it_reads_intervals_back_into_the_words_of_copy(low, high, qualifier, words):
    assert format_quantity(low, high, qualifier, 0.10) == words


def test_it_reads_about_with_the_policys_tolerance():
    assert format_quantity(360, 440, "approx", 0.10) == "about 400"
    assert format_quantity(360, 400, "approx", 0.10) == "nearly 400"
    # Under a 20% policy "about 500" is stored as [400, 600], and read back as such.
    assert format_quantity(400, 600, "approx", 0.20) == "about 500"
    assert format_quantity(400, 500, "approx", 0.20) == "nearly 500"
    # The same bounds under a 10% policy are no "about".
    assert format_quantity(400, 600, "approx", 0.10) == "400 to 600"


def test_it_words_a_stored_figure_or_none():
    assert format_figure(360, 440, "approx", 0.10) == "about 400"
    assert format_figure(51, None, "", 0.10) == "at least 51"
    assert format_figure(None, None, "", 0.10) == ""


def test_it_writes_numbers_with_separators():
    assert format_number(1200) == "1,200"
    assert format_number(2_000_000) == "2 million"
    assert format_number(1_234_567) == "1,234,567"


def test_it_shows_the_stored_bounds_beside_the_words():
    assert interval_text(400, 600) == "400–600"
    assert interval_text(1200, 1500) == "1,200–1,500"
    assert interval_text(51, None) == "51 or more"
    assert interval_text(400, 400) == "400"
    assert interval_text(None, None) == ""


def test_it_words_a_chosen_interval_without_a_qualifier():
    assert interval_words(250, 400) == "250 to 400"
    assert interval_words(51, None) == "at least 51"
    assert interval_words(2_000_000, 2_000_000) == "2 million"


def test_it_writes_dates_as_copy_does():
    assert format_date(date(2014, 2, 12)) == "12 Feb 2014"
    assert format_datetime(datetime(2014, 2, 12, 23, 5, tzinfo=UTC)) == "12 Feb 2014"


@pytest.mark.parametrize(
    ("start", "end", "kind", "words"),
    [
        (date(2014, 2, 12), date(2014, 2, 12), "day", "12 Feb 2014"),
        (date(2014, 2, 12), None, "day", "12 Feb 2014"),
        (date(2014, 2, 1), date(2014, 2, 13), "span", "1–13 Feb 2014"),
        (date(2014, 1, 27), date(2014, 2, 2), "span", "27 Jan – 2 Feb 2014"),
        (date(2013, 12, 30), date(2014, 1, 2), "span", "30 Dec 2013 – 2 Jan 2014"),
        (date(2014, 2, 1), date(2014, 2, 13), "to_date", "1–13 Feb 2014 (to date)"),
        (date(2011, 3, 1), date(2014, 2, 13), "to_date", "1 Mar 2011 – 13 Feb 2014 (to date)"),
        (date(2014, 2, 1), date(2014, 2, 13), None, "1–13 Feb 2014"),
        (None, None, None, ""),
    ],
)
def test_it_words_a_period(start, end, kind, words):
    assert format_period(start, end, kind) == words


def test_it_words_the_dates_alone_when_the_kind_is_shown_apart():
    assert period_dates(date(2014, 2, 1), date(2014, 2, 13)) == "1–13 Feb 2014"
    assert period_dates(date(2014, 2, 12), date(2014, 2, 12)) == "12 Feb 2014"


def test_it_names_each_source_once_in_a_stable_order():
    assert sources_text(["SOHR", "OCHA", "SOHR"]) == "OCHA, SOHR"
    assert sources_text([]) == ""


def test_it_opens_a_message_with_a_capital():
    assert sentence("about 400 killed") == "About 400 killed"
    assert sentence("") == ""
