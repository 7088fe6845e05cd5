"""The parser's shortcuts give what the plain forms they stand for give.

tokenize cuts the text at spaces before it uses its pattern, and the public frozen types are
made through one attribute-dict assignment instead of a call per field: both must be
indistinguishable from the plain forms."""

from __future__ import annotations

import dataclasses
import inspect
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from claims.parsing import tokens as tokens_module
from claims.parsing.tokens import NUM, PUNCT, WORD, base_word, tokenize
from claims.parsing.types import (
    Candidate,
    ParsedClaim,
    PlaceMatch,
    Quantity,
    SourceMatch,
    TimeFrame,
    evolve,
    maker,
)


def _pattern_only(text: str) -> list[tuple[str, int, int, str, bool, bool]]:
    """The tokens as the pattern alone reads them, over the whole text."""
    found = []
    prev_end = -1
    for m in tokens_module._TOKEN_RE.finditer(text):
        s = m.group()
        first = s[0]
        if first.isalpha():
            kind = WORD
        elif first.isdigit():
            kind = NUM
        else:
            kind = PUNCT
        found.append(
            (s, m.start(), m.end(), kind, m.start() != prev_end, kind == WORD and first.isupper())
        )
        prev_end = m.end()
    return found


def _read(text: str) -> list[tuple[str, int, int, str, bool, bool]]:
    return [(t.text, t.start, t.end, t.kind, t.gap, t.cap) for t in tokenize(text)]


_PIECES = st.sampled_from(
    [" ", "  ", "\t", "\n", "\xa0", "\u2028", "a", "Z", "é", "İ", "ı", "ß", "Ω", "½", "²", "٣", "7",
     "1,000.5", ",", ".", "'", "’", "-", "—", "_", "$", "don't", "Syria's", "activists'", "U.S.",
     "a\u0301", "ʿ", "(AP)"]
)  # fmt: skip


@given(st.lists(_PIECES, max_size=40).map("".join))
def test_the_space_cut_reads_what_the_pattern_reads(text: str) -> None:
    assert _read(text) == _pattern_only(text)


@given(st.text(max_size=200))
def test_the_space_cut_reads_any_text_as_the_pattern_does(text: str) -> None:
    assert _read(text) == _pattern_only(text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        " ",
        "  Two  spaces\tand a tab.",
        "KYIV, Ukraine (AP) — At least 1,200 people fled Syria's north-west.",
        "The activists' count: 40 dead\non Monday.",
        "\xa0non-breaking\xa0spaces ",
    ],
)
def test_the_space_cut_reads_sentences_as_the_pattern_does(text: str) -> None:
    assert _read(text) == _pattern_only(text)


@given(st.lists(_PIECES, max_size=40).map("".join))
def test_every_token_carries_its_base_word(text: str) -> None:
    for tok in tokenize(text):
        assert tok.base == base_word(tok.low)


def test_a_token_made_directly_carries_its_base_word() -> None:
    assert tokens_module.Token("Syria's", 0, 7, WORD, True).base == "syria"


_DAY = date(2024, 3, 1)
_SAMPLES = [
    PlaceMatch("Aleppo", "SY", "city", "in Aleppo", 1.0, None, 170063, "Aleppo"),
    PlaceMatch("Syria", "SY", "country", "", 0.6),
    SourceMatch(3, "United Nations", "the UN", 100.0),
    Quantity(10, 20, "range", "people", "10 to 20 people"),
    TimeFrame(_DAY, _DAY, "day", "on Friday"),
    ParsedClaim.empty("Nothing here."),
]


@pytest.mark.parametrize("value", _SAMPLES, ids=lambda v: type(v).__name__)
def test_the_frozen_types_keep_their_dataclass_behaviour(value: object) -> None:
    cls = type(value)
    names = [f.name for f in dataclasses.fields(cls)]  # type: ignore[arg-type]
    assert list(inspect.signature(cls).parameters) == names
    values = {name: getattr(value, name) for name in names}
    again = cls(**values)
    assert again == value
    assert hash(again) == hash(value)
    assert repr(again) == repr(value)
    assert dataclasses.astuple(again) == dataclasses.astuple(value)  # type: ignore[call-overload]
    with pytest.raises(dataclasses.FrozenInstanceError):
        again.__setattr__(names[0], values[names[0]])


def test_the_frozen_types_take_their_defaults() -> None:
    place = PlaceMatch("Syria", "SY", "country", "", 0.6)
    assert (place.place_id, place.geonameid, place.spelled) == (None, None, "")
    claim = ParsedClaim.empty("x")
    assert claim.projection is False
    with pytest.raises(TypeError):
        PlaceMatch("Syria", "SY", "country", "")  # type: ignore[call-arg]


def test_evolve_is_replace() -> None:
    claim = ParsedClaim.empty("Twelve died.")
    changed = evolve(claim, value_low=12, event="killed")
    assert changed == dataclasses.replace(claim, value_low=12, event="killed")
    assert claim.value_low is None  # the original is untouched
    assert changed.text == "Twelve died."


def test_a_candidate_is_still_made_whole() -> None:
    claim = ParsedClaim.empty("Twelve died.")
    c = Candidate("Twelve died.", 0, 6, 0, 12, claim, 0.2, True)
    assert c.words == "Twelve"
    assert c == dataclasses.replace(c)


@pytest.mark.parametrize("value", _SAMPLES[:-1], ids=lambda v: type(v).__name__)
def test_a_maker_makes_what_the_class_makes(value: object) -> None:
    cls = type(value)
    make = maker(cls)
    names = [f.name for f in dataclasses.fields(cls)]  # type: ignore[arg-type]
    values = {name: getattr(value, name) for name in names}
    made = make(**values)
    assert type(made) is cls
    assert made == value and hash(made) == hash(value) and repr(made) == repr(value)
    assert make(*values.values()) == value
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.__setattr__(names[0], values[names[0]])


def test_a_maker_takes_the_defaults_and_refuses_what_it_would_skip() -> None:
    assert maker(PlaceMatch)("Syria", "SY", "country", "", 0.6) == PlaceMatch(
        "Syria", "SY", "country", "", 0.6
    )
    with pytest.raises(TypeError):
        maker(PlaceMatch)("Syria", "SY", "country", "")

    @dataclasses.dataclass
    class Checked:
        value: int

        def __post_init__(self) -> None:
            assert self.value >= 0

    @dataclasses.dataclass
    class Listed:
        items: list[int] = dataclasses.field(default_factory=list)

    for cls in (Checked, Listed):
        with pytest.raises(TypeError):
            maker(cls)
