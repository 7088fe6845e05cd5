"""The sample article from the design brief, end to end through extract()."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

from claims.parsing import Candidate, KnownSource, ParseContext, extract

ARTICLE = (
    Path(__file__).resolve().parents[2].parent / "shared" / "articles" / "aleppo-barrel-bombs.txt"
)
SOHR = KnownSource(
    1,
    "SOHR",
    (
        "Observatory",
        "SOHR",
        "Britain-based Observatory for Human Rights",
        "Syrian Observatory for Human Rights",
    ),
)
ACTIVISTS = KnownSource(2, "activists")


@pytest.fixture
def candidates() -> list[Candidate]:
    if not ARTICLE.exists():
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail(f"sample article missing: {ARTICLE}")
        pytest.skip(f"sample article not present at {ARTICLE}")
    text = ARTICLE.read_text("utf-8")
    found = extract(text, date(2014, 2, 13), ParseContext(sources=(SOHR, ACTIVISTS)))
    for c in found:
        assert text[c.sentence_start : c.sentence_end] == c.sentence
        assert text[c.start : c.end] == c.words
        assert c.sentence_start <= c.start < c.end <= c.sentence_end
        if not c.has_number:
            assert (c.start, c.end) == (c.sentence_start, c.sentence_end)
    return found


def test_it_finds_the_three_casualty_claims(candidates: list[Candidate]) -> None:
    counts = [c for c in candidates if c.has_number]
    got = [
        (
            c.parsed.value_low,
            c.parsed.value_high,
            c.parsed.qualifier,
            c.parsed.event,
            c.parsed.source.source_id if c.parsed.source else None,
            str(c.parsed.period_start),
            str(c.parsed.period_end),
            c.parsed.period_kind,
        )
        for c in counts
    ]
    assert got == [
        (360, 440, "approx", "killed", 2, "2014-02-01", "2014-02-13", "to_date"),
        (51, None, "at_least", "killed", 1, "2014-02-12", "2014-02-12", "day"),
        (360, 440, "approx", "killed", 1, "2014-02-01", "2014-02-13", "to_date"),
    ]
    assert [c.words for c in counts] == ["about 400 people", "at least 51 people", "some 400"]
    for c in counts:
        assert c.parsed.place is not None
        assert (c.parsed.place.name, c.parsed.place.country) == ("Aleppo", "SY")
    assert counts[0].parsed.place.words == "Syria's largest city"  # type: ignore[union-attr]
    assert counts[0].parsed.place.confidence < 1.0  # type: ignore[union-attr]


def test_it_takes_no_years_or_district_counts_for_counts(candidates: list[Candidate]) -> None:
    values = {c.parsed.value_low for c in candidates if c.has_number}
    assert not values & {2011, 2012, 8}
    for c in candidates:
        if "eight rebel-held districts" in c.sentence:
            assert c.parsed.value_low == 51


def test_it_keeps_the_homs_truce_talks_as_a_claim_without_a_number(
    candidates: list[Candidate],
) -> None:
    talks = [c for c in candidates if "truce" in c.sentence and not c.has_number]
    assert len(talks) >= 1
    homs = next(c for c in talks if "Homs" in c.sentence)
    assert homs.parsed.value_low is None and homs.parsed.unit == ""
    assert max(c.confidence for c in candidates if not c.has_number) < min(
        c.confidence for c in candidates if c.has_number
    )


def test_it_orders_candidates_by_position(candidates: list[Candidate]) -> None:
    starts = [c.start for c in candidates]
    assert starts == sorted(starts)
