"""The DESIGN interval table, row by row."""

from __future__ import annotations

from claims.parsing import parse_quantity


def _interval(text: str, tolerance: float = 0.10) -> tuple[int | None, int | None, str | None]:
    q = parse_quantity(text, tolerance)
    assert q is not None, text
    return q.value_low, q.value_high, q.qualifier


def test_it_reads_a_plain_figure_as_exact() -> None:
    assert _interval("400 people") == (400, 400, "exact")


def test_it_widens_about_some_around_roughly_by_the_tolerance() -> None:
    for hedge in ("about", "some", "around", "roughly", "approximately"):
        assert _interval(f"{hedge} 400 people") == (360, 440, "approx")


def test_it_takes_the_tolerance_as_a_setting() -> None:
    assert _interval("about 400 people", tolerance=0.2) == (320, 480, "approx")


def test_it_reads_nearly_and_almost_up_to_the_figure() -> None:
    assert _interval("nearly 400 people") == (360, 400, "approx")
    assert _interval("almost 400 people") == (360, 400, "approx")


def test_it_reads_at_least_without_upper_bound() -> None:
    assert _interval("at least 51 people") == (51, None, "at_least")


def test_it_reads_more_than_and_over_from_the_next_integer() -> None:
    assert _interval("more than 400 people") == (401, None, "more_than")
    assert _interval("over 400 people") == (401, None, "more_than")


def test_it_reads_up_to_and_as_many_as_from_zero() -> None:
    assert _interval("up to 30 people") == (0, 30, "at_most")
    assert _interval("as many as 30 people") == (0, 30, "at_most")


def test_it_reads_fewer_than_below_the_figure() -> None:
    assert _interval("fewer than 30 people") == (0, 29, "fewer_than")
    assert _interval("less than 30 people") == (0, 29, "fewer_than")


def test_it_reads_ranges() -> None:
    assert _interval("between 20 and 30 people") == (20, 30, "range")
    assert _interval("20 to 30 people") == (20, 30, "range")
    assert _interval("20-30 people") == (20, 30, "range")
    assert _interval("two to three million people") == (2_000_000, 3_000_000, "range")


def test_it_reads_dozen_and_vague_plurals() -> None:
    assert _interval("a dozen people")[:2] == (12, 12)
    assert _interval("dozens of people") == (24, 99, "vague")
    assert _interval("hundreds of people") == (200, 999, "vague")
    assert _interval("thousands of people") == (2000, 9999, "vague")
    assert _interval("tens of thousands of people") == (20000, 99999, "vague")


def test_it_reads_numbers_in_words_and_with_separators() -> None:
    assert _interval("five people")[:2] == (5, 5)
    assert _interval("twenty-three people")[:2] == (23, 23)
    assert _interval("one hundred and twenty people")[:2] == (120, 120)
    assert _interval("1,200 people")[:2] == (1200, 1200)
    assert _interval("1.5 million people")[:2] == (1_500_000, 1_500_000)


def test_it_reads_more_than_a_scaled_decimal() -> None:
    assert _interval("more than 1.5 million refugees") == (1_500_001, None, "more_than")


def test_it_reads_units_other_than_people() -> None:
    for text, unit in (
        ("40 trucks", "trucks"),
        ("200 families", "families"),
        ("300 homes were destroyed", "homes"),
        ("1,000 tonnes of food", "tonnes"),
        ("$2.5 billion in aid", "dollars"),
    ):
        q = parse_quantity(text)
        assert q is not None and q.unit == unit, text


def test_it_does_not_take_labels_ages_and_measures_for_counts() -> None:
    for text in (
        "Resolution 2139",
        "eight rebel-held districts",
        "the second round of talks",
        "a 12-year-old boy",
        "a 7.8-magnitude earthquake",
        "in 2013",
        "the M5 highway",
        "at 4:17 a.m.",
        "three rounds of talks",
    ):
        assert parse_quantity(text) is None, text
