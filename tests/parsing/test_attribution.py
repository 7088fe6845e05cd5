"""Attribution forms and their resolution against the register of sources.

Every sentence here is worded for this file. The tables hold the words `find_attribution`
gives as the source (compared by `normalise_name`, so a leading article does not count).
"""

from __future__ import annotations

from datetime import date

import pytest

from claims.parsing import KnownSource, ParseContext, parse
from claims.parsing.attribution import find_attribution
from claims.parsing.sources import is_back_reference, normalise_name, resolve_source
from claims.parsing.tokens import span_text, tokenize

SOHR = KnownSource(
    1,
    "Syrian Observatory for Human Rights",
    ("Observatory", "SOHR", "Britain-based Observatory for Human Rights"),
)
ACTIVISTS = KnownSource(2, "activists")
CONTEXT = ParseContext(sources=(SOHR, ACTIVISTS))
D = date(2014, 2, 13)

REGISTER: tuple[KnownSource, ...] = (
    SOHR,
    ACTIVISTS,
    KnownSource(3, "International Organization for Migration", ("IOM", "UN migration agency")),
    KnownSource(4, "OCHA", ("UN humanitarian office", "U.N. humanitarian office")),
    KnownSource(5, "World Food Programme", ("WFP",)),
    KnownSource(6, "Libyan Red Crescent", ()),
    KnownSource(7, "SANA", ("Syrian Arab News Agency",)),
    KnownSource(8, "Al-Watan", ()),
    KnownSource(9, "Al Mayadeen", ()),
    KnownSource(10, "Agence France-Presse", ("AFP",)),
    KnownSource(11, "Reuters", ()),
    KnownSource(12, "Nepal Home Ministry", ("Nepal's home ministry", "home ministry of Nepal")),
    KnownSource(13, "Dawn", ()),
    KnownSource(14, "National Disaster Management Agency", ("BNPB",)),
    KnownSource(15, "Kenya Police Service", ("Kenya's police", "Kenyan police")),
)


def _words(sentence: str) -> str:
    found = find_attribution(tokenize(sentence), sentence)
    return found.source_text if found is not None else ""


def _check(sentence: str, want: str) -> None:
    got = _words(sentence)
    assert normalise_name(got) == normalise_name(want), (got, sentence)


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


# --- back-references ---------------------------------------------------------------------


def test_pronouns_and_generic_nouns_point_back() -> None:
    for words in (
        "it",
        "They",
        "he",
        "she",
        "the group",
        "The agency",
        "the ministry",
        "the organisation",
        "the organization",
        "the monitor",
        "the office",
        "the military",
        "the army",
        "the statement",
        "its statement",
        "the rights group",
        "the Britain-based monitor",
        "the latter",
        "the authority",
        "the coast guard",
        "a spokesman for the group",
    ):
        assert is_back_reference(words), words


def test_an_umbrella_body_before_a_generic_noun_still_points_back() -> None:
    # "the UN agency" names no single agency (UNHCR? UNICEF? OCHA?), so it takes the one
    # the story named last, as "the agency" would.
    assert is_back_reference("the UN agency")
    assert is_back_reference("the U.N. agency")
    # The umbrella body alone is a source of its own.
    assert not is_back_reference("the UN")


def test_named_or_specified_sources_do_not_point_back() -> None:
    for words in (
        "the Observatory",
        "the Syrian Observatory for Human Rights",
        "UNICEF",
        "the Israeli military",
        "the Syrian army",
        "the health ministry",
        "the regional governor",
        "the government",
        "the authorities",
        "the Taliban-run state news agency",
        "the UN refugee agency",
        "the Italian coast guard",
        "a spokesman for the Red Cross",
        "activists",
        "",
    ):
        assert not is_back_reference(words), words


# --- titles and roles --------------------------------------------------------------------

TITLES_AND_ROLES = [
    (
        "Nine people died when a minibus plunged into a gorge in Nuristan, the regional "
        "governor said on Sunday.",
        "the regional governor",
    ),
    (
        "The country's health minister said 214 cholera deaths had been recorded since January.",
        "The country's health minister",
    ),
    (
        "Interior Minister Ahmed Ali said 37 suspects had been detained in Basra overnight.",
        "Interior Minister Ahmed Ali",
    ),
    (
        "Gen. John Smith told reporters that 14 soldiers were wounded in the ambush near Kandahar.",
        "Gen. John Smith",
    ),
    (
        "Maj. Gen. Yahya Rasool, a military spokesman, said 31 militants were killed near Tikrit.",
        "Maj. Gen. Yahya Rasool",
    ),
    (
        "Fifteen people were killed in the raid, said Lt. Col. Richard Hecht, an army spokesman.",
        "Lt. Col. Richard Hecht",
    ),
    (
        "Governor Kathy Hochul said 27 people had died in the blizzard in Buffalo.",
        "Governor Kathy Hochul",
    ),
    (
        "Defence Minister Yoav Gallant said more than 300 soldiers had been killed since Oct. 7.",
        "Defence Minister Yoav Gallant",
    ),
    (
        "Police chief Mohammed Hussein told AFP that 16 people died in the blast in Mogadishu.",
        "Police chief Mohammed Hussein",
    ),
    (
        "Brazil's civil defence chief said 78 people were still missing after the floods in Rio "
        "Grande do Sul.",
        "Brazil's civil defence chief",
    ),
    (
        "Some 70 people remain unaccounted for, Chile's interior undersecretary said on Sunday.",
        "Chile's interior undersecretary",
    ),
    (
        "Four people were killed and 30 injured in the stampede, the district magistrate said.",
        "the district magistrate",
    ),
    (
        "The death toll has risen to 43, Bolivia's civil defence vice minister Juan Carlos "
        "Calvimontes said.",
        "Bolivia's civil defence vice minister Juan Carlos Calvimontes",
    ),
    (
        "Dr. Hana Musa, who heads the emergency ward at Al-Shifa hospital, said 60 wounded had "
        "arrived overnight.",
        "Dr. Hana Musa",
    ),
    # The person's words keep what copy hangs on the name ("of the French army").
    (
        "Col. Olivier Bonnet of the French army said four soldiers were wounded in Mali.",
        "Col. Olivier Bonnet of the French army",
    ),
    (
        "According to Health Minister Fahrettin Koca, 48 people have died in Hatay province "
        "since Monday.",
        "Health Minister Fahrettin Koca",
    ),
    (
        "A hospital director in Khan Younis said 44 bodies had been brought in overnight.",
        "hospital director in Khan Younis",
    ),
    (
        "A doctor at Nasser hospital told The Associated Press that 23 bodies had arrived.",
        "doctor at Nasser hospital",
    ),
]


@pytest.mark.parametrize(("sentence", "want"), TITLES_AND_ROLES)
def test_it_reads_titles_and_roles(sentence: str, want: str) -> None:
    _check(sentence, want)


ROLE_THEN_NAME = [
    (
        "At least 22 miners remain trapped underground, according to a local official, "
        "Bayram Kaya.",
        "Bayram Kaya",
    ),
    (
        "Sixty people were rescued from the flooded mine, according to a company spokesman, "
        "Li Wei.",
        "Li Wei",
    ),
    (
        "The mayor of Kharkiv, Ihor Terekhov, said three people were killed in the strike.",
        "Ihor Terekhov",
    ),
    (
        "Nine civilians died in the shelling, the governor of the Kherson region, Oleksandr "
        "Prokudin, said.",
        "Oleksandr Prokudin",
    ),
    ("Hussein Ali, 45, told AFP that seven members of his family had been killed.", "Hussein Ali"),
]


@pytest.mark.parametrize(("sentence", "want"), ROLE_THEN_NAME)
def test_it_takes_the_name_after_a_role(sentence: str, want: str) -> None:
    _check(sentence, want)


SPEAKS_FOR_A_BODY = [
    # "<Name>, a spokesman for <Org>": the register holds bodies, not the people who speak
    # for them, so the source is the body.
    (
        "Adel Hamdan, a spokesman for the Libyan Red Crescent, said 112 bodies had been "
        "recovered in Derna.",
        "the Libyan Red Crescent",
        6,
    ),
    (
        "Some 40 houses were swept away, said Maria Lopez, a spokeswoman for the civil "
        "defence agency.",
        "the civil defence agency",
        None,
    ),
    (
        "The toll rose to 7,400, said Ram Bahadur Thapa, a spokesman for Nepal's home ministry.",
        "Nepal's home ministry",
        12,
    ),
    # With no name, the words stay as written and resolve to the body.
    (
        "A spokesperson for the World Food Programme said 1.2 million people in Haiti faced "
        "acute hunger.",
        "A spokesperson for the World Food Programme",
        5,
    ),
    (
        "A spokeswoman for Kenya's police said 23 protesters were killed in Nairobi on Tuesday.",
        "A spokeswoman for Kenya's police",
        15,
    ),
]


@pytest.mark.parametrize(("sentence", "want", "source_id"), SPEAKS_FOR_A_BODY)
def test_a_spokesman_stands_for_the_body(sentence: str, want: str, source_id: int | None) -> None:
    _check(sentence, want)
    match = resolve_source(_words(sentence), REGISTER)
    assert match is not None and match.source_id == source_id


# --- names with acronyms -----------------------------------------------------------------

ACRONYMS = [
    (
        "The Office for the Coordination of Humanitarian Affairs (OCHA) said 2,300 families had "
        "been displaced in Darfur.",
        "The Office for the Coordination of Humanitarian Affairs (OCHA)",
        4,
    ),
    (
        "The International Organization for Migration (IOM) said 61 migrants had drowned off "
        "Libya.",
        "The International Organization for Migration (IOM)",
        3,
    ),
    (
        "At least 45 people died in clashes in Khartoum, the Sudan Doctors Network (SDN) said.",
        "the Sudan Doctors Network (SDN)",
        None,
    ),
    (
        "More than 900 people were arrested across Iran, according to Human Rights Activists "
        "News Agency (HRANA).",
        "Human Rights Activists News Agency (HRANA)",
        None,
    ),
    (
        "Landslides buried 31 homes in Cianjur, the national disaster agency (BNPB) said.",
        "the national disaster agency (BNPB)",
        14,
    ),
    (
        "Pakistan's Inter-Services Public Relations (ISPR) said 12 soldiers were killed in North "
        "Waziristan.",
        "Pakistan's Inter-Services Public Relations (ISPR)",
        None,
    ),
]


@pytest.mark.parametrize(("sentence", "want", "source_id"), ACRONYMS)
def test_a_name_keeps_its_acronym_and_either_resolves(
    sentence: str, want: str, source_id: int | None
) -> None:
    got = _words(sentence)
    assert got == want
    match = resolve_source(got, REGISTER)
    assert match is not None and match.source_id == source_id


def test_the_acronym_does_not_change_how_the_name_compares() -> None:
    assert normalise_name("the IOM (UN migration agency)") == "iom"
    assert normalise_name("The International Organization for Migration (IOM)") == (
        "international organization for migration"
    )


# --- outlets and sites -------------------------------------------------------------------

OUTLETS = [
    (
        "Eleven soldiers were killed in the blast, the pro-government Al-Watan Web site reported.",
        "the pro-government Al-Watan Web site",
        8,
    ),
    (
        "State news agency SANA reported that 12 people were killed in a car bombing in Qamishli.",
        "State news agency SANA",
        7,
    ),
    (
        "Al-Mayadeen TV said 19 fighters had been killed in the Israeli raid near Tyre.",
        "Al-Mayadeen TV",
        9,
    ),
    (
        "The newspaper Dawn reported that 64 people had died in the heat wave in Karachi.",
        "The newspaper Dawn",
        13,
    ),
    (
        "Some 30 people were killed in the landslide, state broadcaster CCTV reported.",
        "state broadcaster CCTV",
        None,
    ),
    (
        "The Kyiv Independent reported that 14 civilians were killed in the shelling of Kherson.",
        "The Kyiv Independent",
        None,
    ),
    (
        "Eight people died in the crush, the official IRNA news agency said.",
        "the official IRNA news agency",
        None,
    ),
    (
        "Twenty-one bodies were pulled from the river, the independent Irrawaddy news website "
        "reported.",
        "the independent Irrawaddy news website",
        None,
    ),
    (
        "At least 25 people died in the floods in Guangdong, the state-run Xinhua news agency "
        "reported.",
        "the state-run Xinhua news agency",
        None,
    ),
    (
        "The Times of India reported that 121 people died in the stampede in Hathras.",
        "The Times of India",
        None,
    ),
    (
        "Local media reported that 18 workers were trapped in the collapsed tunnel in Uttarakhand.",
        "Local media",
        None,
    ),
]


@pytest.mark.parametrize(("sentence", "want", "source_id"), OUTLETS)
def test_it_reads_outlets_and_resolves_past_their_description(
    sentence: str, want: str, source_id: int | None
) -> None:
    _check(sentence, want)
    match = resolve_source(_words(sentence), REGISTER)
    assert match is not None and match.source_id == source_id


TOLD_AN_OUTLET = [
    (
        "A survivor told the BBC that about 100 people had been on the boat when it sank.",
        "survivor",
    ),
    (
        "Farah Ahmed, a nurse in Rafah, told Al Jazeera that 30 children had been brought in.",
        "Farah Ahmed",
    ),
    (
        "A witness told Reuters he had counted 30 bodies on the road outside Wad Madani.",
        "witness",
    ),
    (
        "Six soldiers were killed near the border, a senior security official told Reuters on "
        "condition of anonymity.",
        "senior security official",
    ),
]


@pytest.mark.parametrize(("sentence", "want"), TOLD_AN_OUTLET)
def test_the_speaker_is_the_source_not_the_outlet_told(sentence: str, want: str) -> None:
    _check(sentence, want)


# --- statements, posts, tallies ----------------------------------------------------------

STATEMENTS_AND_POSTS = [
    (
        "The defence ministry said in a statement that 17 drones had been downed over Belgorod.",
        "The defence ministry",
    ),
    ("The mayor told reporters in Lviv that seven people had been killed.", "The mayor"),
    (
        "President Volodymyr Zelenskiy said in a televised address that 31 people were killed "
        "in Dnipro.",
        "President Volodymyr Zelenskiy",
    ),
    (
        "Governor Vyacheslav Gladkov wrote on Telegram that three civilians were killed in "
        "Belgorod.",
        "Governor Vyacheslav Gladkov",
    ),
    ("The army posted on X that 40 rockets had been fired from Lebanon on Sunday.", "The army"),
    (
        "Prime Minister Shehbaz Sharif said in a post on X that 25 people died in the flooding.",
        "Prime Minister Shehbaz Sharif",
    ),
    (
        "The ministry posted on Facebook that 12 people had died of dengue in Dhaka in the past "
        "24 hours.",
        "The ministry",
    ),
    (
        "Ukraine's air force said on Telegram that it had shot down 29 of the 35 drones.",
        "Ukraine's air force",
    ),
    (
        "The Nigerian army said in a statement on Sunday that it had rescued 35 hostages in "
        "Zamfara.",
        "The Nigerian army",
    ),
    (
        "The health ministry in Baghdad told reporters in Erbil that 14 people had died of "
        "cholera.",
        "The health ministry in Baghdad",
    ),
]


@pytest.mark.parametrize(("sentence", "want"), STATEMENTS_AND_POSTS)
def test_it_reads_statements_and_posts(sentence: str, want: str) -> None:
    _check(sentence, want)


def test_the_attribution_clause_covers_where_the_speaker_spoke() -> None:
    # Places inside it are where the speaker was, not where the events were.
    sentence = "The mayor told reporters in Lviv that seven people had been killed."
    tokens = tokenize(sentence)
    found = find_attribution(tokens, sentence)
    assert found is not None
    assert span_text(sentence, tokens, found.verb, found.setting_end) == "told reporters in Lviv"
    sentence = "The army said in a post on X from Tel Aviv that 40 rockets were fired."
    tokens = tokenize(sentence)
    found = find_attribution(tokens, sentence)
    assert found is not None
    assert span_text(sentence, tokens, found.verb, found.setting_end) == (
        "said in a post on X from Tel Aviv"
    )


FIGURES_AND_TALLIES = [
    (
        "At least 47 people died in the fire, according to figures released by the interior "
        "ministry.",
        "the interior ministry",
    ),
    ("At least 52 people have died in the floods, according to a tally by AFP.", "AFP"),
    (
        "A Reuters tally found that at least 80 people had been killed in the protests across "
        "Kenya.",
        "Reuters",
    ),
    (
        "More than 300 people have died since the unrest began, according to an AFP tally based "
        "on official sources.",
        "AFP",
    ),
    (
        "Figures from the interior ministry showed 3,500 migrants had landed in Lampedusa in a "
        "week.",
        "the interior ministry",
    ),
    (
        "Data compiled by ACLED shows that 2,300 people were killed in Burkina Faso in the first "
        "half of the year.",
        "ACLED",
    ),
    (
        "According to the latest figures from the Ministry of Health, 1,240 people have died of "
        "cholera in Zambia.",
        "the Ministry of Health",
    ),
    (
        "Nine people drowned in the floods, Xinhua reported, citing local officials.",
        "local officials",
    ),
    (
        "Some 1,400 homes were destroyed in the cyclone, per Mozambique's disaster agency.",
        "Mozambique's disaster agency",
    ),
]


@pytest.mark.parametrize(("sentence", "want"), FIGURES_AND_TALLIES)
def test_a_figure_is_attributed_to_whoever_made_it(sentence: str, want: str) -> None:
    _check(sentence, want)


def test_a_tally_with_no_maker_has_no_source() -> None:
    assert _words("The tally showed 40 deaths in the province.") == ""


# --- what is never a source --------------------------------------------------------------

NOT_SOURCES = [
    "All of them said they had lost their homes.",
    "Each said they had paid 3,000 dollars.",
    "Most said they would not return to Kherson.",
    "Many of the wounded said they were shot by soldiers.",
    "The city reported 40 new cases.",
    "In Gaza, 40 people were killed overnight.",
    "All 12 passengers were killed when the plane crashed near Kathmandu.",
    "All 298 people aboard were killed.",
    "Most of the dead were women and children.",
    "Many said they had lost relatives in the quake.",
    "Some said at least 30 people were still missing.",
    "Its figures show 300 people died in the heat wave.",
    "The country reported 2,100 new infections on Monday.",
    "Many were children.",
]


@pytest.mark.parametrize("sentence", NOT_SOURCES)
def test_pronouns_quantifiers_and_places_are_never_sources(sentence: str) -> None:
    assert _words(sentence) == ""


def test_a_source_follows_a_quantifier_or_a_place_all_the_same() -> None:
    _check(
        "In Gaza, the health ministry said 40 people were killed overnight.", "the health ministry"
    )
    _check("All 12 passengers were killed, the airline said.", "the airline")
    _check("Some of the dead were children, officials said.", "officials")
    _check(
        "Eleven militants were killed in the operation, two security sources said.",
        "two security sources",
    )


def test_a_country_that_speaks_is_its_government() -> None:
    # Copy writes "Ukraine said" for the Ukrainian government: it stays a source and
    # resolves like any name.
    _check("Ukraine said 19 people were killed in a missile strike on Odesa.", "Ukraine")
    _check("Israel said 250 rockets were fired from Gaza on Saturday.", "Israel")


def test_a_pronoun_marks_the_sentence_attributed_without_words() -> None:
    sentence = "It said 14 of its fighters were killed."
    found = find_attribution(tokenize(sentence), sentence)
    assert found is not None
    assert (found.source_text, found.pronoun, found.attributed) == ("", "it", True)
    assert is_back_reference(found.pronoun)


def test_a_back_reference_keeps_its_words_for_the_story_to_resolve() -> None:
    assert _words("The group said 14 of its fighters were killed.") == "The group"
    assert is_back_reference("The group")
    assert _words("The UN agency said 1.7 million people had been displaced in Gaza.") == (
        "The UN agency"
    )


def test_a_claim_of_responsibility_is_not_an_attribution() -> None:
    sentence = (
        "A car bomb killed 26 people in Quetta, and the separatist Balochistan Liberation Army "
        "claimed responsibility."
    )
    assert _words(sentence) == ""


# --- more kinds of source ----------------------------------------------------------------

KINDS = [
    ("Fourteen people were killed in the attack in Borno state, witnesses said.", "witnesses"),
    ("Rescuers said 33 bodies had been recovered from the rubble in Al Haouz.", "Rescuers"),
    (
        "Amnesty International said at least 304 people were killed during the crackdown in Iran.",
        "Amnesty International",
    ),
    (
        "The Philippine coast guard said 11 fishermen were missing after the typhoon.",
        "The Philippine coast guard",
    ),
    ("Twenty migrants drowned off Djibouti, the IOM said.", "the IOM"),
    (
        "Médecins Sans Frontières (MSF) said its teams treated 340 wounded in El Fasher in one "
        "week.",
        "Médecins Sans Frontières (MSF)",
    ),
    (
        "The Sudanese Armed Forces said in a statement that 40 RSF fighters had been killed near "
        "Omdurman.",
        "The Sudanese Armed Forces",
    ),
    (
        "Yemen's Houthi-run health ministry said 16 people were killed in the strikes on Hodeidah.",
        "Yemen's Houthi-run health ministry",
    ),
    (
        "According to the Ukrainian General Staff, 1,230 Russian soldiers were killed in the "
        "past day.",
        "the Ukrainian General Staff",
    ),
    (
        "The Kurdish-led Syrian Democratic Forces said 23 of its fighters died in the clashes.",
        "The Kurdish-led Syrian Democratic Forces",
    ),
    (
        "Mexico's National Search Commission said more than 110,000 people were listed as missing.",
        "Mexico's National Search Commission",
    ),
    (
        "Colombian officials said 14 people died when the bridge collapsed in Antioquia.",
        "Colombian officials",
    ),
    ("Police in Lagos said 19 people were arrested after the riots.", "Police in Lagos"),
    (
        "A police officer who spoke on condition of anonymity said 12 protesters had been shot "
        "in Dhaka.",
        "police officer",
    ),
    (
        "The Yemen Data Project, an independent monitoring group, said 87 civilians were killed "
        "in air raids in July.",
        "The Yemen Data Project",
    ),
    (
        "Airwars, a London-based monitor, said up to 60 civilians may have died in the strike.",
        "Airwars",
    ),
    ("The Taliban said 41 of their fighters were killed in the clashes.", "The Taliban"),
    (
        "The U.N. children's agency UNICEF said 13,000 children had been killed in Gaza.",
        "The U.N. children's agency UNICEF",
    ),
    (
        "The Bangladesh Meteorological Department said the cyclone had killed 24 people.",
        "The Bangladesh Meteorological Department",
    ),
    ("Save the Children said 1,500 schools had been damaged in the floods.", "Save the Children"),
    (
        "The Indian Meteorological Department said 42 people had died of heatstroke in Bihar.",
        "The Indian Meteorological Department",
    ),
]


@pytest.mark.parametrize(("sentence", "want"), KINDS)
def test_it_reads_many_kinds_of_source(sentence: str, want: str) -> None:
    _check(sentence, want)


# --- resolution --------------------------------------------------------------------------


def test_an_exact_alias_wins_over_a_near_name() -> None:
    register = (
        KnownSource(1, "UN refugee agency", ("UNHCR",)),
        KnownSource(2, "UN migration agency", ("IOM",)),
    )
    match = resolve_source("the UN migration agency", register)
    assert match is not None and (match.source_id, match.score) == (2, 100.0)


def test_it_resolves_through_parse_with_the_register() -> None:
    claim = parse(
        "The International Organization for Migration (IOM) said 61 migrants drowned off Libya.",
        D,
        ParseContext(sources=REGISTER),
    )
    assert claim.source is not None and claim.source.source_id == 3


def test_it_resolves_new_names_against_a_large_register() -> None:
    register = (
        tuple(
            KnownSource(k, f"Provincial Relief Committee {k}", (f"PRC{k}", f"relief committee {k}"))
            for k in range(3000)
        )
        + REGISTER
    )
    resolve_source("the Observatory", register)  # builds the index once
    found = []
    for k in range(100):
        # Each name new, so that none is answered from memory.
        found.append(resolve_source(f"the Provincial Relief Comittee {k}", register))
        found.append(resolve_source(f"Interior Minister Ahmed Ali {k}", register))
    ids = [m.source_id if m is not None else -1 for m in found]
    assert ids == [i for k in range(100) for i in (k, None)]


def test_a_generic_phrase_resolves_only_by_an_exact_alias() -> None:
    register = (
        KnownSource(1, "Doctors Without Borders", ("medical charity Medecins Sans Frontieres",)),
        KnownSource(2, "Gaza Health Ministry", ("health ministry in Gaza",)),
    )
    match = resolve_source("the charity", register)
    assert match is not None and match.source_id is None
    match = resolve_source("the health ministry", register)
    assert match is not None and match.source_id is None
    match = resolve_source("the health ministry in Gaza", register)
    assert match is not None and match.source_id == 2


# --- the shape of the sentence -----------------------------------------------------------

CLAUSES = [
    # The attribution that closes the sentence speaks for all of it when the first one
    # only reports an act.
    (
        "Malawi declared a cholera emergency after 37 deaths in Blantyre, Health Minister "
        "Khumbize Chiponda said.",
        "Health Minister Khumbize Chiponda",
    ),
    (
        "The United States has recorded 400,000 deaths from the virus, President Donald Trump "
        "said on Tuesday.",
        "President Donald Trump",
    ),
    (
        "Brazil reported 3,251 deaths in the past 24 hours, health ministry data showed.",
        "health ministry",
    ),
    (
        "The Bahamas government's confirmed death toll rose to 50, the national emergency "
        "agency said.",
        "the national emergency agency",
    ),
    # Putting or revising a toll is reporting it.
    (
        "The Houthi-run Health Ministry in Sanaa put the death toll at 2,012.",
        "The Houthi-run Health Ministry in Sanaa",
    ),
    (
        "Sri Lanka's health ministry revised the death toll from the bombings down to 253.",
        "Sri Lanka's health ministry",
    ),
    # A second verb takes the subject of its clause.
    (
        "The government blames the unrest on foreign agents and says 40 police officers have "
        "been killed.",
        "The government",
    ),
    (
        "The ministry confirmed the deaths and said 40 people were wounded in Kandahar.",
        "The ministry",
    ),
    # Words between the speaker and the verb.
    ("Aid workers there said they were treating 300 people for gunshot wounds.", "Aid workers"),
    (
        "Recep Tayyip Erdogan, visiting the city of Antakya, said 6,444 buildings had collapsed.",
        "Recep Tayyip Erdogan",
    ),
    (
        "Seventeen miners died, the company that runs the mine said.",
        "the company",
    ),
    (
        "The death toll in Derna reached 5,300, an interior ministry official in eastern Libya "
        "told a local television channel.",
        "interior ministry official in eastern Libya",
    ),
    (
        "A total of 61 people were killed, the health ministry in the Hamas-run territory said.",
        "the health ministry in the Hamas-run territory",
    ),
    (
        "Israeli strikes killed more than 400 people on Tuesday, the territory's Health Ministry "
        "said.",
        "the territory's Health Ministry",
    ),
    # Two sources together.
    (
        "At least 27 people were killed in the blast, police and hospital officials said.",
        "police and hospital officials",
    ),
    (
        "Iran executed at least 834 people in 2023, Iran Human Rights and the French group ECPM "
        "said.",
        "Iran Human Rights and the French group ECPM",
    ),
    (
        "The World Bank and the government estimated the damage at more than $30 billion.",
        "The World Bank and the government",
    ),
    (
        "More than 17,000 suspected mpox cases were reported this year, the Africa Centres for "
        "Disease Control and Prevention (Africa CDC) said.",
        "the Africa Centres for Disease Control and Prevention (Africa CDC)",
    ),
    (
        "The U.N.'s humanitarian office said 1.9 million people had been displaced across Gaza.",
        "The U.N.'s humanitarian office",
    ),
    (
        "Ashraf al-Qudra, spokesman of the health ministry, said 33 people were killed in Jabalia.",
        "the health ministry",
    ),
    (
        "The Syrian Civil Defence, also known as the White Helmets, said 14 people were pulled "
        "from the rubble.",
        "The Syrian Civil Defence",
    ),
    (
        "Nine people were killed, said the official, who was not authorised to speak to the media.",
        "the official",
    ),
    (
        "M23 rebels killed at least 131 civilians in two villages, a preliminary U.N. "
        "investigation found.",
        "U.N.",
    ),
]


@pytest.mark.parametrize(("sentence", "want"), CLAUSES)
def test_it_reads_the_shape_of_the_sentence(sentence: str, want: str) -> None:
    _check(sentence, want)


ACTS_NOT_REPORTS = [
    "Uganda declared an outbreak of Ebola after a man died in Mubende.",
    "Video posted online showed dozens of bodies lined up in a schoolyard.",
    "Rescuers found 12 bodies under the collapsed bridge.",
    "The reports of 40 deaths could not be verified.",
    "The report put the toll at 40.",
]


@pytest.mark.parametrize("sentence", ACTS_NOT_REPORTS)
def test_acts_and_pictures_are_not_attributions(sentence: str) -> None:
    assert _words(sentence) == ""


def test_a_single_noun_reports_a_figure_only_as_a_verb() -> None:
    _check("The ministry reports 40 deaths in Kano.", "The ministry")
    _check("The agency estimates that 3 million people fled.", "The agency")


def test_a_named_head_speaks_in_their_own_name() -> None:
    # Only a spokesman or an official is a mouthpiece for the body; a director or a minister
    # named with the role is the source.
    _check(
        "Eight people died of the heat in Seville, said Dr. Ana Ruiz, the director of the "
        "regional health service.",
        "Dr. Ana Ruiz",
    )
    _check(
        "Sixty people were injured, Dr. Mohammed Abu Salmiya, director of Al-Shifa Hospital, "
        "told Al Jazeera.",
        "Dr. Mohammed Abu Salmiya",
    )


WIRE_FORMS = [
    ("Six people died, said a statement from the army.", "the army"),
    ('"We have recovered 40 bodies," said Ali Hassan, a rescue worker.', "Ali Hassan"),
    ('"We have recovered 40 bodies," the mayor told reporters.', "the mayor"),
    (
        "Health officials in Gaza say at least 30 people were killed overnight.",
        "Health officials in Gaza",
    ),
    ("The Associated Press counted at least 40 bodies in the streets.", "The Associated Press"),
    (
        "The U.N. agency for Palestinian refugees, UNRWA, said 190 of its staff had been killed.",
        "UNRWA",
    ),
    ("A U.N. official who asked not to be named said 25 trucks had entered.", "U.N. official"),
    ("Kharkiv Gov. Oleh Syniehubov said five people were wounded.", "Kharkiv Gov. Oleh Syniehubov"),
    (
        "The Centers for Disease Control and Prevention reported 1,200 new cases.",
        "The Centers for Disease Control and Prevention",
    ),
    (
        "The European Union's border agency Frontex said 380,000 crossings were detected.",
        "The European Union's border agency Frontex",
    ),
    ("Some 300 people died, said UNICEF spokesman James Elder.", "UNICEF spokesman James Elder"),
    ("Elder told reporters in Geneva that 12 children had died.", "Elder"),
    ("The ministry says the toll has reached 41.", "The ministry"),
    (
        "Twelve soldiers were killed, Reuters reported, citing two security sources.",
        "two security sources",
    ),
    (
        "Forty people died, said the head of the local council, Ahmed Ali.",
        "Ahmed Ali",
    ),
    (
        "Russia's defence ministry claimed its forces had killed 300 Ukrainian soldiers.",
        "Russia's defence ministry",
    ),
    ("At least 100 died, according to Johns Hopkins University.", "Johns Hopkins University"),
    ("One resident, Ahmed Saleh, said 15 of his neighbours were killed.", "Ahmed Saleh"),
    (
        "A total of 1,200 people have been arrested since Friday, Interior Ministry spokesman "
        "Mohammed Saleh told AFP.",
        "Interior Ministry spokesman Mohammed Saleh",
    ),
    (
        "Russian state news agency TASS reported that 11 people died in Belgorod.",
        "Russian state news agency TASS",
    ),
]


@pytest.mark.parametrize(("sentence", "want"), WIRE_FORMS)
def test_it_reads_the_forms_of_wire_copy(sentence: str, want: str) -> None:
    _check(sentence, want)
