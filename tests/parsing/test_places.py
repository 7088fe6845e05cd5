"""Place resolution: named, aliased, described, and the story's main place."""

from __future__ import annotations

from datetime import date

from claims.parsing import KnownPlace, ParseContext, PlaceMatch, parse

D = date(2014, 2, 13)
ALEPPO = PlaceMatch("Aleppo", "SY", "city", "Aleppo", 1.0, geonameid=170063)


def _place(text: str, context: ParseContext | None = None) -> PlaceMatch | None:
    return parse(text, D, context).place


def test_it_names_a_city_from_the_gazetteer() -> None:
    place = _place("At least 51 people were killed in Aleppo.")
    assert place is not None and (place.name, place.country, place.confidence) == (
        "Aleppo",
        "SY",
        1.0,
    )


def test_it_reads_countries_and_their_everyday_names() -> None:
    assert _place("Ten people died in Syria.").country == "SY"  # type: ignore[union-attr]
    assert _place("Ten people died in the U.S.").country == "US"  # type: ignore[union-attr]
    assert _place("Ten people died in Britain.").country == "GB"  # type: ignore[union-attr]


def test_it_takes_the_main_place_for_syrias_largest_city_with_lower_confidence() -> None:
    context = ParseContext(main_place=ALEPPO)
    place = _place("Barrel bombs killed 400 people in Syria's largest city.", context)
    assert place is not None
    assert (place.name, place.country) == ("Aleppo", "SY")
    assert place.confidence < 1.0
    assert place.words == "Syria's largest city"


def test_it_finds_syrias_largest_city_without_context() -> None:
    place = _place("Barrel bombs killed 400 people in Syria's largest city.")
    assert place is not None and place.name == "Aleppo" and place.confidence < 1.0


def test_it_takes_the_main_place_for_the_city_and_for_no_place() -> None:
    context = ParseContext(main_place=ALEPPO)
    described = _place("The toll in the northern city rose to 400.", context)
    assert described is not None and described.name == "Aleppo" and described.confidence == 0.6
    unnamed = _place("At least 51 people were killed yesterday.", context)
    assert unnamed is not None and unnamed.name == "Aleppo" and unnamed.confidence == 0.6


def test_it_prefers_where_the_event_happened() -> None:
    text = "At least 51 people were killed in Aleppo, the Britain-based Observatory said."
    assert _place(text).name == "Aleppo"  # type: ignore[union-attr]
    text = "Envoys met in Geneva as 400 people were killed in Syria's largest city."
    assert _place(text, ParseContext(main_place=ALEPPO)).name == "Aleppo"  # type: ignore[union-attr]


def test_it_does_not_take_organisations_people_and_months_for_places() -> None:
    assert _place("The Britain-based Observatory said 51 people were killed.") is None
    assert _place("UN mediator Lakhdar Brahimi said 12 people died in March.") is None
    assert _place("Hamas said 12 people died.") is None


def test_it_uses_the_desks_places_and_aliases() -> None:
    yarmouk = KnownPlace(7, "Yarmouk", "SY", "district", ("Yarmuk camp",))
    place = _place("Twelve people died in Yarmuk camp.", ParseContext(places=(yarmouk,)))
    assert place is not None and place.place_id == 7 and place.name == "Yarmouk"
