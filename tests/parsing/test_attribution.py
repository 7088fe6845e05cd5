"""Attribution forms and their resolution against the register of sources."""

from __future__ import annotations

from datetime import date

from claims.parsing import KnownSource, ParseContext, parse

SOHR = KnownSource(
    1,
    "Syrian Observatory for Human Rights",
    ("Observatory", "SOHR", "Britain-based Observatory for Human Rights"),
)
ACTIVISTS = KnownSource(2, "activists")
CONTEXT = ParseContext(sources=(SOHR, ACTIVISTS))
D = date(2014, 2, 13)


def _source(text: str) -> tuple[str, int | None]:
    claim = parse(text, D, CONTEXT)
    return claim.source_text, claim.source.source_id if claim.source else None


def test_it_reads_x_said() -> None:
    assert _source("At least 51 people were killed, the Observatory said.") == (
        "the Observatory",
        1,
    )
    assert _source("At least 51 people were killed, activists said today.") == ("activists", 2)


def test_it_reads_said_x() -> None:
    assert _source("At least 51 people were killed, said the Observatory.")[1] == 1


def test_it_reads_according_to_and_per() -> None:
    assert _source("According to SOHR, 51 people were killed.") == ("SOHR", 1)
    assert _source("Some 51 people died, per the Observatory.")[1] == 1


def test_it_reads_citing_as_the_source_behind_the_reporter() -> None:
    text = "Some 51 people died, the agency reported, citing the Observatory."
    assert _source(text) == ("the Observatory", 1)


def test_it_takes_the_speaker_not_the_outlet_told() -> None:
    text = "Rami Abdurrahman told The Associated Press that 51 people were killed."
    assert _source(text)[0] == "Rami Abdurrahman"


def test_it_steps_over_a_relative_clause() -> None:
    text = "The Observatory, which relies on activists, said 51 people were killed."
    assert _source(text) == ("The Observatory", 1)


def test_it_resolves_nicknames_and_near_spellings() -> None:
    assert _source("The Britain-based Observatory for Human Rights said 51 died.")[1] == 1
    assert _source("The Syrian Observatory said 51 died.")[1] == 1


def test_it_keeps_an_unknown_name_unresolved() -> None:
    claim = parse("Twelve people were killed, the provincial governor said.", D, CONTEXT)
    assert claim.source is not None
    assert claim.source.source_id is None and claim.source.name is None
    assert claim.source_text == "the provincial governor"


def test_it_finds_no_source_without_attribution() -> None:
    assert _source("Twelve people were killed in Aleppo.") == ("", None)
