"""The tokeniser and the word keys every grammar builds on."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from claims.parsing.tokens import NUM, PUNCT, WORD, base_word, fold, low_at, tokenize


@given(st.text(max_size=300))
def test_it_tokenises_with_offsets_that_slice_the_text(text: str) -> None:
    prev_end = -1
    for tok in tokenize(text):
        assert text[tok.start : tok.end] == tok.text
        assert tok.low == tok.text.lower()
        first = tok.text[0]
        if first.isalpha():
            assert tok.kind == WORD
        elif first.isdigit():
            assert tok.kind == NUM
        else:
            assert tok.kind == PUNCT
        assert tok.cap == (tok.kind == WORD and first.isupper())
        assert tok.gap == (tok.start != prev_end)
        prev_end = tok.end


def test_it_keeps_numbers_names_and_marks_apart() -> None:
    tokens = tokenize("At least 1,200 people fled Syria's north-west, the U.N. said.")
    assert [(t.text, t.kind) for t in tokens[:5]] == [
        ("At", WORD),
        ("least", WORD),
        ("1,200", NUM),
        ("people", WORD),
        ("fled", WORD),
    ]
    assert "Syria's" in [t.text for t in tokens]
    assert [t.gap for t in tokens if t.text == "-"] == [False]
    assert low_at(tokens, 1) == "least"
    assert low_at(tokens, len(tokens)) == ""


def test_it_folds_names_with_and_without_accents_alike() -> None:
    assert fold("Ḩajjah") == fold("Hajjah") == "hajjah"
    assert fold("  Khan   Sheikhoun ") == "khan sheikhoun"
    assert fold("Kharkiv’s") == "kharkiv's"
    assert fold("Al–Watan") == fold("Al-Watan") == "al-watan"
    assert fold("") == ""


def test_it_reads_a_word_without_its_possessive_ending() -> None:
    assert base_word("syria's") == "syria"
    assert base_word("syria’s") == "syria"
    assert base_word("activists'") == "activists"
    assert base_word("activists") == "activists"
    assert base_word("") == ""
