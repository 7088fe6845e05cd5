"""Whatever the input, parse returns well-formed fields, and quickly."""

from __future__ import annotations

import time
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from claims.parsing import ParsedClaim, extract, parse, parse_counts
from claims.parsing.tokens import word_list

D = date(2014, 2, 13)
WORDS = st.sampled_from(
    word_list(
        "about some at least more than nearly up to fewer between and to - , . 400 1,200 1.5 "
        "million dozens of thousands people killed wounded fled since so far this month last week "
        "on Monday Feb. 12 2011 in Aleppo Syria's largest city the Observatory said activists "
        "according per citing yesterday today mid-2012 eight rebel-held districts Resolution "
        "2139 twenty-three a dozen tens $ % : 12th 7.8-magnitude"
    )
)


def _well_formed(claim: ParsedClaim) -> None:
    if claim.value_low is not None:
        assert claim.value_low >= 0
        if claim.value_high is not None:
            assert claim.value_low <= claim.value_high
        assert claim.qualifier is not None and claim.unit
    else:
        assert claim.value_high is None and claim.qualifier is None
    if claim.period_start is not None or claim.period_end is not None:
        assert claim.period_start is not None and claim.period_end is not None
        assert claim.period_start <= claim.period_end
        assert claim.period_kind in ("day", "span", "to_date")
    assert 0.0 <= claim.confidence <= 1.0
    claim.as_dict()


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400))
def test_it_never_raises_on_arbitrary_text(text: str) -> None:
    _well_formed(parse(text, D))


@settings(max_examples=300, deadline=None)
@given(st.lists(WORDS, max_size=40).map(" ".join), st.dates())
def test_it_returns_well_formed_fields_on_claim_like_text(text: str, reported_on: date) -> None:
    _well_formed(parse(text, reported_on))


@settings(max_examples=50, deadline=None)
@given(st.lists(WORDS, max_size=200).map(" ".join))
def test_it_extracts_with_exact_offsets(text: str) -> None:
    for c in extract(text, D):
        assert text[c.sentence_start : c.sentence_end] == c.sentence
        assert text[c.start : c.end] == c.words
        assert c.sentence_start <= c.start < c.end <= c.sentence_end
        _well_formed(c.parsed)


@settings(max_examples=300, deadline=None)
@given(st.lists(WORDS, max_size=40).map(" ".join), st.dates())
def test_every_count_has_a_figure_inside_the_sentence(text: str, reported_on: date) -> None:
    found = parse_counts(text, reported_on)
    starts = [start for start, _, _ in found]
    assert starts == sorted(starts)
    for start, end, claim in found:
        assert 0 <= start < end <= len(text)
        assert claim.value_low is not None
        _well_formed(claim)
    headline = parse(text, reported_on)
    if headline.value_low is not None:
        assert any(
            (c.value_low, c.value_high, c.event)
            == (headline.value_low, headline.value_high, headline.event)
            for _, _, c in found
        )


def test_it_survives_edge_inputs() -> None:
    for text in ("", " ", "\x00\x01\x02", "٤٠٠ شخص قتلوا في حلب", "9" * 5000, "Feb. 31"):
        _well_formed(parse(text, D))
    _well_formed(parse("since Monday 400 killed", date.min))
    _well_formed(parse("in the past 24 hours 400 killed", date.max))


def test_it_reads_adversarial_100kb_inputs_quickly() -> None:
    inputs = [
        "1 " * 50_000,
        "at least " * 12_500,
        "1,000," * 16_000,
        "9" * 100_000,
        "since " * 16_000,
        "between 1 and " * 7_000,
        "Aleppo " * 14_000,
        "the Observatory said " * 5_000,
        "-" * 100_000,
        "Feb. " * 20_000,
        "twenty-" * 14_000,
        "A. " * 33_000,
    ]
    for text in inputs:
        started = time.perf_counter()
        _well_formed(parse(text, D))
        extract(text, D)
        elapsed = time.perf_counter() - started
        assert elapsed < 2.0, (text[:30], elapsed)


def test_it_reads_a_megabyte() -> None:
    text = "About 400 people were killed in Aleppo so far this month, activists said. " * 14_000
    _well_formed(parse(text, D))
