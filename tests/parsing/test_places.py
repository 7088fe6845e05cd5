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


def _where(text: str, context: ParseContext | None = None) -> tuple[str, str] | None:
    """The place as the desk answers it: the copy's spelling and the country."""
    place = _place(text, context)
    return None if place is None else (place.display_name, place.country)


def _answer(text: str) -> dict[str, object] | None:
    return parse(text, D).as_dict()["place"]  # type: ignore[return-value]


# ---------------------------------------------------------------------------
# Datelines


def test_it_skips_the_dateline_when_the_sentence_names_another_place() -> None:
    text = "KYIV, Ukraine (AP) — A Russian missile killed 14 people in Kramatorsk on Monday."
    assert _where(text) == ("Kramatorsk", "UA")
    text = "BEIRUT, Feb 3 (Reuters) - Shelling killed nine civilians in Idlib province."
    assert _where(text) == ("Idlib", "SY")
    text = "Kabul: A bomb killed 21 worshippers at a mosque in Mazar-i-Sharif on Friday."
    assert _where(text) == ("Mazar-i-Sharif", "AF")


def test_it_keeps_the_dateline_when_it_is_the_only_place() -> None:
    text = "MAIDUGURI, Nigeria (Reuters) - Suicide bombers killed 18 people at a market."
    assert _where(text) == ("Maiduguri", "NG")


def test_the_datelines_city_is_more_specific_than_its_country() -> None:
    text = "MOSUL, Iraq (AP) — A ferry sank in the river, drowning 94 people, Iraqi officials said."
    assert _where(text) == ("Mosul", "IQ")


# ---------------------------------------------------------------------------
# Where someone spoke, where people went, who fought


def test_it_does_not_take_where_a_speaker_spoke() -> None:
    text = "The UN envoy told reporters in Geneva that 300 people had died in Homs."
    assert _where(text) == ("Homs", "SY")
    text = "Speaking in Brussels, the minister said 40 civilians were killed in Kherson."
    assert _where(text) == ("Kherson", "UA")
    text = "The spokesman said in New York that 12 aid workers were killed in Rafah."
    assert _where(text) == ("Rafah", "PS")


def test_a_place_where_cases_were_reported_is_where_they_were() -> None:
    assert _where("Some 1,500 cholera cases were reported in Aden last week.") == ("Aden", "YE")


def test_it_does_not_take_where_people_fled_when_another_thing_is_counted() -> None:
    text = "Air strikes killed 35 people in El Fasher, and thousands fled to Chad."
    assert _where(text) == ("El Fasher", "SD")
    text = "Fighting killed 80 people in Khartoum, while families escaped from Omdurman."
    assert _where(text) == ("Khartoum", "SD")


def test_people_who_moved_are_counted_where_they_arrived() -> None:
    text = "More than 4,000 migrants arrived in Lampedusa over the weekend."
    assert _where(text) == ("Lampedusa", "IT")
    text = "Some 20,000 refugees have crossed into Chad since the fighting in Sudan began."
    assert _where(text) == ("Chad", "TD")
    text = "About 60,000 people a day were crossing from Ukraine into Poland."
    assert _where(text) == ("Poland", "PL")


def test_the_invaded_country_is_the_place_not_the_invader() -> None:
    text = "At least 10,000 civilians have been killed since Russia invaded Ukraine."
    assert _where(text) == ("Ukraine", "UA")
    text = "Russia's invasion of Ukraine has displaced 6 million people."
    assert _where(text) == ("Ukraine", "UA")
    text = "Israeli strikes on Gaza killed 42 people overnight."
    assert _where(text) == ("Gaza", "PS")
    text = "Russian forces shelled Kherson, killing three people."
    assert _where(text) == ("Kherson", "UA")


def test_a_countrys_own_war_is_its_own() -> None:
    text = "Syria's civil war has killed more than 300,000 people since 2011."
    assert _where(text) == ("Syria", "SY")


def test_with_no_other_place_the_acting_country_is_the_place() -> None:
    assert _where("Iran executed at least 800 people last year.") == ("Iran", "IR")


# ---------------------------------------------------------------------------
# Appositions, nationalities and "nationwide"


def test_it_reads_appositions_of_cities_and_towns() -> None:
    text = "Missiles hit Ukraine's second city Kharkiv, killing seven people."
    assert _where(text) == ("Kharkiv", "UA")
    text = "A drone struck the central Ukrainian city of Uman, killing 23 people."
    assert _where(text) == ("Uman", "UA")
    text = "Floods killed 11 people in the Pakistani town of Nowshera."
    assert _where(text) == ("Nowshera", "PK")
    text = "Gunmen killed 30 villagers in the Zamfara town of Gusau."
    assert _where(text) == ("Gusau", "NG")


def test_it_reads_a_nationality_as_its_country() -> None:
    assert _where("Shelling killed 12 people in Ukrainian towns near the front.") == (
        "Ukraine",
        "UA",
    )
    assert _where("At least 200 Sudanese civilians died last week.") == ("Sudan", "SD")
    assert _where("More than 5,000 Syrians were detained last year.") == ("Syria", "SY")


def test_a_named_city_wins_over_a_nationality() -> None:
    text = "A strike on Ukrainian towns killed 9 people, most of them in Sumy."
    assert _where(text) == ("Sumy", "UA")
    text = "Sudanese civilians were among 120 people killed in El Fasher."
    assert _where(text) == ("El Fasher", "SD")


def test_nationwide_is_the_country_of_the_sentence() -> None:
    text = "Police in Bangladesh arrested more than 2,000 people nationwide."
    assert _where(text) == ("Bangladesh", "BD")
    text = "Protests across the country left 31 people dead, Kenyan officials said."
    assert _where(text) == ("Kenya", "KE")


def test_forces_and_troops_are_not_places() -> None:
    assert _where("Russian forces killed four people, officials said.") is None
    assert _where("Israeli troops detained 25 people overnight.") is None


# ---------------------------------------------------------------------------
# Names that contain a place


def test_it_never_reads_a_place_inside_an_organisations_name() -> None:
    for text in (
        "Hayat Tahrir al-Sham said 14 of its fighters were killed.",
        "The Wagner Group lost about 20,000 fighters, its founder said.",
        "Al-Shabaab claimed the attack that killed 15 soldiers.",
        "Lashkar-e-Taiba was blamed for the attack that killed 166 people.",
        "The Rapid Support Forces detained 300 men.",
        "Boko Haram abducted 276 schoolgirls.",
        "The Syrian Democratic Forces said 2,000 fighters surrendered.",
        "The Aden Abyan Islamic Army claimed the bombing that killed 17 sailors.",
        "The Kharkiv Regional Council said 12 buildings were destroyed.",
    ):
        place = _place(text)
        assert place is None or place.kind == "country", (text, place)


def test_it_reads_the_place_after_an_organisation() -> None:
    text = "Al-Shabaab fighters killed 19 people in Mogadishu on Sunday."
    assert _where(text) == ("Mogadishu", "SO")
    text = "The Allied Democratic Forces killed 40 villagers in Beni territory."
    assert _where(text) == ("Beni", "CD")


# ---------------------------------------------------------------------------
# The name as the copy spells it


def test_the_answer_gives_the_name_as_the_copy_spells_it() -> None:
    answer = _answer("Shelling killed five people in Kharkov on Tuesday.")
    assert answer is not None and answer["name"] == "Kharkov" and answer["country"] == "UA"
    place = _place("Shelling killed five people in Kharkov on Tuesday.")
    assert place is not None and place.name == "Kharkiv" and place.geonameid is not None
    answer = _answer("Floods killed 40 people in Derna.")
    assert answer is not None and (answer["name"], answer["country"]) == ("Derna", "LY")


def test_a_village_no_gazetteer_knows_is_named_under_its_country() -> None:
    text = "A missile killed 51 people in the village of Hroza in the Kharkiv region."
    assert _where(text) == ("Hroza", "UA")
    text = "Gunmen killed 132 people in the village of Solhan in Burkina Faso's Yagha province."
    assert _where(text) == ("Solhan", "BF")


# ---------------------------------------------------------------------------
# The story's main place


def test_a_story_with_one_dominant_place_lends_it_to_sentences_without_one() -> None:
    from claims.parsing import extract

    story = (
        "MARIUPOL, Ukraine (AP) — Russian shelling hit Mariupol again on Sunday. "
        "Residents of Mariupol said the water had been cut for days. "
        "At least 21 people were killed overnight, officials said."
    )
    found = [c for c in extract(story, D) if c.has_number]
    assert found
    place = found[-1].parsed.place
    assert place is not None and (place.name, place.country) == ("Mariupol", "UA")
    assert place.words == "" and place.confidence < 1.0


def test_a_story_without_a_clear_main_place_lends_none() -> None:
    from claims.parsing import extract

    story = (
        "Floods hit Lagos on Monday. Storms also struck Accra and Dakar. "
        "At least 30 people were killed, officials said."
    )
    found = [c for c in extract(story, D) if c.has_number]
    assert found and found[-1].parsed.place is None


def test_a_ministry_in_the_capital_speaks_for_its_country() -> None:
    text = "The Health Ministry in Damascus said 40 people had died of cholera."
    assert _where(text) == ("Syria", "SY")


def test_the_capital_of_the_storys_country() -> None:
    ukraine = PlaceMatch("Ukraine", "UA", "country", "Ukraine", 1.0)
    place = _place("In the capital, 27 people were killed.", ParseContext(main_place=ukraine))
    assert place is not None and (place.name, place.country) == ("Kyiv", "UA")


def test_a_breakdown_does_not_take_the_totals_place() -> None:
    text = "Floods killed 157 people in western Nepal, most of them in Jajarkot district."
    assert _where(text) == ("Nepal", "NP")
    text = "Police detained 1,700 protesters in 53 Russian cities, including 940 in Moscow."
    assert _where(text) == ("Russia", "RU")


def test_a_list_of_cities_is_their_country() -> None:
    text = "Shelling killed 80 people in Aleppo, Homs, Hama and Idlib last week."
    assert _where(text) == ("Syria", "SY")


# --- Main place of a story, bearings, coordination, features (round of issue 10) ---


def _story_places(story: str) -> list[tuple[str, str] | None]:
    from claims.parsing import extract

    found = [c for c in extract(story, D) if c.has_number]
    return [None if c.parsed.place is None else (c.parsed.place.name, c.parsed.place.country)
            for c in found]  # fmt: skip


def test_the_ledes_town_is_the_storys_main_place_when_it_is_named_again() -> None:
    story = (
        "ODESA, Ukraine (AP) — A drone struck an apartment block in the port city of Izmail "
        "overnight, officials said. Rescuers searched the rubble in Izmail through the day. "
        "At least nine people were killed, the regional governor said."
    )
    # The gazetteer's spelling of the town; the desk answers the copy's.
    assert _story_places(story)[-1] == ("Izmayil", "UA")


def test_a_region_lede_yields_to_the_town_the_story_names_as_the_scene() -> None:
    story = (
        "CAIRO (AP) — Gunmen attacked a village in Sudan's North Kordofan province on "
        "Sunday, residents said. The assault hit the village of Um Sumeima at dawn. "
        "At least 22 people were killed, a local rights group said."
    )
    assert _story_places(story)[-1] == ("Um Sumeima", "SD")


def test_a_foreign_dateline_does_not_place_a_village_the_body_names() -> None:
    story = (
        "NAIROBI, Kenya (AP) — Militants stormed Garbaharey in southern Somalia on Monday. "
        "Elders in Somalia said the fighters burned the market. "
        "Eleven traders were killed, the elders said."
    )
    place = _story_places(story)[-1]
    assert place is not None and place[1] == "SO"


def test_a_town_in_a_region_is_the_town() -> None:
    text = "A landslide in Hpakant township in Myanmar's Kachin state killed 31 miners on Monday."
    where = _where(text)
    assert where is not None and where[0] == "Hpakant"


def test_an_apposition_only_describes_the_town() -> None:
    text = "In Pokhara, the largest city of Gandaki province, officials said 14 people died."
    assert _where(text) == ("Pokhara", "NP")


def test_a_bearing_yields_to_the_place_named() -> None:
    text = "Floods killed 12 people in the suburb of Catarroja, south of Valencia, on Tuesday."
    assert _where(text) == ("Catarroja", "ES")
    # With nothing else named, the bearing is all there is.
    assert _where("The quake struck 40 kilometres west of Kathmandu.") == ("Kathmandu", "NP")


def test_a_toll_over_two_countries_is_neither_and_two_regions_are_their_country() -> None:
    assert _where("The storm killed 40 people in southern Malawi and northern Mozambique.") is None
    text = "Floods displaced 90,000 people in North Kivu and South Kivu provinces this month."
    place = _place(text)
    assert place is not None and (place.kind, place.country) == ("country", "CD")


def test_where_the_dead_were_going_is_not_where_they_died() -> None:
    text = "Nine migrants heading for Britain drowned when their boat sank, officials said."
    assert _where(text) is None
    text = "More than 30 people have died trying to reach Spain by sea this year, the group said."
    assert _where(text) is None


def test_people_from_a_list_of_countries_are_not_counted_there() -> None:
    story = (
        "ATHENS (AP) — A fishing boat sank off the Greek town of Pylos on Wednesday. "
        "The coast guard searched the sea off Pylos for a second day. "
        "Rescuers saved 80 people, most of them from Egypt, Syria and Pakistan."
    )
    assert _story_places(story)[-1] == ("Pýlos", "GR")


def test_a_wars_toll_is_its_countrys() -> None:
    context = ParseContext(main_place=PlaceMatch("El Fasher", "SD", "city", "El Fasher", 1.0))
    text = (
        "The war, which began in 2023, has killed at least 40,000 people and driven 12 million "
        "from their homes."
    )
    assert _where(text, context) == ("Sudan", "SD")
    text = "Before the war, about 500 trucks entered Gaza every day, the agency said."
    assert _where(text) == ("Gaza", "PS")


def test_the_counted_peoples_nationality_is_their_place() -> None:
    text = "More than 60,000 Israelis and about 110,000 Lebanese have fled the border areas."
    from claims.parsing import extract

    found = [c for c in extract(text, D) if c.has_number]
    assert [c.parsed.place.country for c in found if c.parsed.place] == ["IL", "LB"]


def test_storm_names_and_strains_are_not_places() -> None:
    assert _where("Typhoon Haiyan killed at least 6,300 people.") is None
    text = "Ebola of the Sudan strain killed 12 people in the district of Mubende, Uganda."
    where = _where(text)
    assert where is not None and where[1] == "UG"


def test_regions_and_features_copy_names_often() -> None:
    for text, want in (
        ("The quake killed 2,900 people in the High Atlas.", ("High Atlas", "MA")),
        ("An avalanche killed 16 guides on Mount Everest.", ("Everest", "NP")),
        ("About 500,000 migrants crossed the Darien Gap last year.", ("Darien", "PA")),
        ("At least 39,000 migrants reached the Canary Islands in 2023.", ("Canary Islands", "ES")),
        ("A mine collapse killed six workers in Inner Mongolia.", ("Inner Mongolia", "CN")),
    ):
        place = _place(text)
        assert place is not None and (place.name, place.country) == want, text


def test_gaza_and_the_gaza_strip_are_one_place_and_gaza_city_is_the_city() -> None:
    from claims.parsing.gazetteer import lookup

    strip = lookup("the Gaza Strip")
    assert strip is not None and (strip.name, strip.kind) == ("Gaza", "region")
    assert _place("Strikes killed 40 people in the Gaza Strip.").name == "Gaza"  # type: ignore[union-attr]
    city = _place("Strikes killed 12 people in Gaza City.")
    assert city is not None and city.kind == "city"


def test_a_venue_is_the_place_of_a_statement_but_not_of_a_count() -> None:
    text = "Delegates held two rounds of talks in Geneva without a deal."
    assert _where(text) == ("Geneva", "CH")
    text = "The minister told a news conference in Geneva that 40 people were killed in Goma."
    assert _where(text) == ("Goma", "CD")
