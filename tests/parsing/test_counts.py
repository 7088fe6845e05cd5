"""Every count of a sentence, each with its own event, population, place, period and source.

The sentences are written for these tests in wire style; each form comes in several
wordings, countries and kinds of event.
"""

from __future__ import annotations

from datetime import date

from claims.parsing import (
    KnownSource,
    ParseContext,
    ParsedClaim,
    extract,
    parse,
    parse_counts,
)
from claims.parsing.tokens import fold

D = date(2024, 3, 10)  # a Sunday


def _counts(text: str, reported_on: date = D) -> list[tuple[str, ParsedClaim]]:
    return [(text[s:e], claim) for s, e, claim in parse_counts(text, reported_on)]


def _values(text: str) -> list[tuple[int | None, int | None, str | None]]:
    return [(c.value_low, c.value_high, c.event) for _, c in _counts(text)]


def _place(claim: ParsedClaim) -> str:
    assert claim.place is not None, claim.text
    return fold(claim.place.words or claim.place.name)


# Coordinated counts ---------------------------------------------------------------------


def test_coordinated_counts_are_two_candidates_with_their_own_events() -> None:
    cases = {
        "At least 12 people were killed and dozens injured when a car bomb exploded in a "
        "market in Mogadishu on Saturday, police said.": [
            (12, None, "killed"),
            (24, 99, "injured"),
        ],
        "Shelling killed four civilians and wounded 17 in the town of Bakhmut, the regional "
        "governor said.": [(4, 4, "killed"), (17, 17, "injured")],
        "Rescuers said 23 people were dead and 40 missing after the landslide in Yunnan.": [
            (23, 23, "killed"),
            (40, 40, "missing"),
        ],
        "The strike on the convoy killed nine aid workers, wounding 14 others.": [
            (9, 9, "killed"),
            (14, 14, "injured"),
        ],
        "Storms left 31 people dead, 112 injured and 5,000 homeless across Bangladesh.": [
            (31, 31, "killed"),
            (112, 112, "injured"),
            (5000, 5000, "displaced"),
        ],
    }
    for text, want in cases.items():
        assert _values(text) == want, text


def test_a_shared_verb_counts_for_each_subject() -> None:
    found = _counts("Six soldiers and two children were killed in the raid near Kandahar.")
    assert [(w, c.event, c.population) for w, c in found] == [
        ("Six soldiers", "killed", "combatants"),
        ("two children", "killed", "children"),
    ]


def test_the_figure_phrase_is_the_span_of_each_candidate() -> None:
    text = "Gunmen killed 11 villagers and abducted 30 more in Zamfara state on Friday."
    assert [w for w, _ in _counts(text)] == ["11 villagers", "30"]
    events = [c.event for _, c in _counts(text)]
    assert events == ["killed", "detained"]


def test_a_bare_second_figure_counts_the_same_people() -> None:
    found = _counts(
        "The U.N. office said it had recorded 1,766 civilian deaths and 2,493 injuries since "
        "the invasion."
    )
    assert [(c.value_low, c.event, c.population) for _, c in found] == [
        (1766, "killed", "civilians"),
        (2493, "injured", "civilians"),
    ]
    found = _counts("At least 35 children were killed and more than 20 were wounded.")
    assert [(c.event, c.population) for _, c in found] == [
        ("killed", "children"),
        ("injured", "children"),
    ]


# Breakdowns by place or population ----------------------------------------------------


def test_a_total_and_its_breakdown_by_city() -> None:
    text = (
        "Police detained more than 1,300 protesters nationwide on Wednesday, including 520 in "
        "Moscow and 480 in St Petersburg, a monitoring group said."
    )
    found = _counts(text)
    assert [(w, c.value_low, c.event) for w, c in found] == [
        ("more than 1,300 protesters", 1301, "detained"),
        ("520", 520, "detained"),
        ("480", 480, "detained"),
    ]
    assert "moscow" in _place(found[1][1])
    assert "petersburg" in _place(found[2][1])
    total = found[0][1]
    assert total.place is None or "moscow" not in fold(total.place.name)
    assert parse(text, D).value_low == 1301


def test_a_breakdown_by_province_after_a_comma() -> None:
    text = "Floods have killed 64 people, 41 in Kunar province and 23 in Nangarhar."
    found = _counts(text)
    assert [(c.value_low, c.event) for _, c in found] == [
        (64, "killed"),
        (41, "killed"),
        (23, "killed"),
    ]
    assert "kunar" in _place(found[1][1])
    assert "nangarhar" in _place(found[2][1])
    assert parse(text, D).value_low == 64


def test_a_semicolon_list_of_places() -> None:
    text = (
        "About 3,000 people were evacuated from Kherson on Sunday; 700 from Oleshky; and 250 "
        "from Hola Prystan."
    )
    found = _counts(text)
    assert [(c.value_low, c.event) for _, c in found][1:] == [
        (700, "evacuated"),
        (250, "evacuated"),
    ]
    assert found[0][1].event == "evacuated"


def test_parts_by_population() -> None:
    cases = {
        "Boko Haram fighters abducted 110 children, including 76 schoolgirls, from the town.": [
            ("110 children", "children", "detained"),
            ("76 schoolgirls", "children", "detained"),
        ],
        "The fire killed 32 people, among them 14 children, officials said.": [
            ("32 people", "all", "killed"),
            ("14 children", "children", "killed"),
        ],
        "At least 51 migrants drowned off Lampedusa, 12 of them children.": [
            ("At least 51 migrants", "all", "killed"),
            ("12 of them", "children", "killed"),
        ],
        "Troops shot dead 19 protesters, of whom six were women.": [
            ("19 protesters", "all", "killed"),
            ("six", "all", "killed"),
        ],
    }
    for text, want in cases.items():
        got = [(w, c.population, c.event) for w, c in _counts(text)]
        assert got == want, text
        assert parse(text, D).value_low == _counts(text)[0][1].value_low, text


def test_a_part_before_the_whole_is_still_not_the_headline() -> None:
    text = "Among the dead were 12 children, and the total killed in the strike rose to 40."
    assert parse(text, D).value_low == 40
    assert [c.value_low for _, c in _counts(text)] == [12, 40]


# A period count and a running total ---------------------------------------------------


def test_a_period_count_and_a_running_total_keep_their_own_periods() -> None:
    text = (
        "Some 140 migrants died in the Mediterranean last month, for a total of 520 killed so "
        "far this year, the IOM said."
    )
    found = _counts(text)
    month, year = found[0][1], found[1][1]
    assert (month.value_low, month.value_high, month.event) == (126, 154, "killed")
    assert (month.period_start, month.period_end, month.period_kind) == (
        date(2024, 2, 1),
        date(2024, 2, 29),
        "span",
    )
    assert (year.value_low, year.event) == (520, "killed")
    assert (year.period_start, year.period_end, year.period_kind) == (
        D.replace(month=1, day=1),
        D,
        "to_date",
    )
    assert parse(text, D).value_low == 126


def test_raising_the_toll_gives_a_second_count() -> None:
    found = _counts(
        "Two more bodies were pulled from the rubble on Monday, raising the toll to 58."
    )
    assert [(c.value_low, c.event) for _, c in found] == [(2, "killed"), (58, "killed")]


def test_with_clause_counts_share_the_running_period() -> None:
    text = (
        "The ministry said the toll had passed 30,000 since the war began on Oct. 7, with "
        "30,035 killed and 70,457 wounded."
    )
    found = _counts(text, date(2024, 2, 29))
    assert [(c.value_low, c.event) for _, c in found] == [
        (30001, "killed"),
        (30035, "killed"),
        (70457, "injured"),
    ]


# The other side of a comparison -------------------------------------------------------


def test_the_other_side_of_a_comparison_is_a_candidate_of_its_own_source() -> None:
    text = (
        "The Health Ministry said 212 people had died, 37 more than the number cited by the "
        "World Health Organization."
    )
    found = _counts(text)
    assert len(found) == 2
    words, other = found[1]
    assert words.startswith("37 more than")
    assert (other.value_low, other.value_high, other.event) == (175, 175, "killed")
    assert other.source_text == "the World Health Organization"
    assert parse(text, D).value_low == 212


def test_fewer_than_and_a_possessive_source() -> None:
    text = "Officials put the toll at 96, eight fewer than the Red Cross's figure."
    found = _counts(text)
    assert [c.value_low for _, c in found] == [96, 104]
    assert found[1][1].source_text == "the Red Cross"


def test_a_hedged_figure_keeps_its_hedge_on_the_other_side() -> None:
    text = "At least 80 people were killed, 15 more than the tally reported by the police."
    other = _counts(text)[1][1]
    assert (other.value_low, other.value_high, other.qualifier) == (65, None, "at_least")
    assert other.source_text == "the police"


# Rates --------------------------------------------------------------------------------


def test_rates_are_stored_per_unit_of_time() -> None:
    cases = {
        "Up to 2,000 people a day are crossing into Poland, border guards said.": (
            0,
            2000,
            "people per day",
        ),
        "Aid workers said some 400 refugees a week were reaching the camps in Chad.": (
            360,
            440,
            "people per week",
        ),
        "The clinic is treating 150 patients per day for cholera.": (150, 150, "people per day"),
        "Officials said 60 trucks daily were entering through the Rafah crossing.": (
            60,
            60,
            "trucks per day",
        ),
    }
    for text, (low, high, unit) in cases.items():
        claim = parse(text, D)
        assert (claim.value_low, claim.value_high, claim.unit) == (low, high, unit), text


def test_a_day_after_is_not_a_rate() -> None:
    for text in (
        "The bombing killed 40 people a day after the election.",
        "The storm killed 40 people in a day.",
        "At least 40 people died in a single day of fighting.",
    ):
        assert parse(text, D).unit == "people", text


def test_a_stated_count_wins_over_a_rate() -> None:
    text = (
        "More than 90,000 people have fled since Monday, and up to 8,000 a day are still "
        "arriving, the UNHCR said."
    )
    claim = parse(text, D)
    assert (claim.value_low, claim.unit) == (90001, "people")
    assert [c.unit for _, c in _counts(text)] == ["people", "people per day"]


# Projections --------------------------------------------------------------------------


def test_projections_are_marked() -> None:
    for text in (
        "Officials fear the death toll could rise to 1,000.",
        "The number of displaced might reach 200,000 by the end of the month.",
        "The toll is expected to top 500 as rescuers reach remote villages.",
        "The death toll is feared to rise to 300, the governor said.",
        "The UN warned the toll could be in the thousands.",
    ):
        claim = parse(text, D)
        assert claim.value_low is not None, text
        assert claim.projection, text
        assert claim.as_dict()["projection"] is True


def test_a_stated_count_wins_over_a_projection() -> None:
    for text, low in (
        ("Officials said the toll could rise to 1,000, with 212 bodies recovered so far.", 212),
        (
            "At least 70 people have died, and officials fear the toll could be in the thousands.",
            70,
        ),
        ("The quake, which killed 46 people, may yet climb to 100 dead, experts warned.", 46),
    ):
        claim = parse(text, D)
        assert (claim.value_low, claim.projection) == (low, False), text
        assert any(c.projection for _, c in _counts(text)), text


def test_a_past_estimate_is_not_a_projection() -> None:
    claim = parse("As many as 10,000 people may have been killed in the city, the mayor said.", D)
    assert (claim.value_high, claim.projection) == (10000, False)
    claim = parse("Twenty people are feared dead after the ferry capsized.", D)
    assert (claim.value_low, claim.event, claim.projection) == (20, "killed", False)


# What is not a count ------------------------------------------------------------------


def test_questions_are_not_counts() -> None:
    for text in (
        "How many of the 300 passengers survived?",
        "Were 50 people really killed in the raid?",
        'Why did 40 migrants have to die?" she asked.',
    ):
        if text.rstrip().endswith("?"):
            assert parse(text, D).value_low is None, text
            assert parse_counts(text, D) == [], text


def test_money_is_not_a_count() -> None:
    for text in (
        "The World Bank pledged $2 billion for reconstruction.",
        "The EU announced 50 million euros in aid for the flood victims.",
        "Damage was estimated at 3.2 billion dollars.",
    ):
        assert parse_counts(text, D) == [], text
    assert _values("The storm killed 14 people and caused $1.5 billion in damage.") == [
        (14, 14, "killed")
    ]


def test_one_of_the_is_not_a_count() -> None:
    for text in (
        "It was one of the deadliest attacks on the capital in years.",
        "One of the victims was a nurse at the city hospital.",
    ):
        assert parse_counts(text, D) == [], text
    assert _values("One of the 12 people killed was a journalist.") == [(12, 12, "killed")]


def test_family_descriptions_are_not_counts() -> None:
    for text in (
        "He leaves behind his wife and six grown children.",
        "The victim, a father of four, worked at the market.",
        "She was a mother-of-three from Kharkiv.",
        "He is survived by three sons.",
    ):
        assert parse_counts(text, D) == [], text
    assert _values("His three children were killed in the strike.") == [(3, 3, "killed")]


def test_speakers_and_ratios_are_not_counts() -> None:
    assert parse_counts("Two officials said the talks had stalled.", D) == []
    assert _values(
        "About 33 million people, or one in seven Pakistanis, have been affected, the "
        "minister said."
    ) == [(29700000, 36300000, "other")]


# Background figures ---------------------------------------------------------------------


def test_a_background_figure_keeps_its_own_period_and_place() -> None:
    text = (
        "The quake killed 2,100 people on Friday, the deadliest since 2004, when a tsunami "
        "killed about 170,000 people in Banda Aceh."
    )
    found = _counts(text)
    assert [c.value_low for _, c in found] == [2100, 153000]
    old = found[1][1]
    assert (old.period_start, old.period_end) == (date(2004, 1, 1), date(2004, 12, 31))
    assert "aceh" in _place(old)
    assert parse(text, D).value_low == 2100


def test_a_background_figure_is_never_the_headline() -> None:
    text = (
        "It was the worst flooding since 2010, when nearly 2,000 people died, and 25 people "
        "have been killed this week."
    )
    assert parse(text, D).value_low == 25
    text = "Arrests reached 900 in February, up from 350 in January."
    assert parse(text, D).value_low == 900
    assert [c.value_low for _, c in _counts(text)] == [900, 350]


# The story: one candidate per count, and sources named before -------------------------


STORY = (
    "KHARTOUM, Sudan (AP) — Paramilitary fighters attacked a village in Gezira state on "
    "Wednesday, killing at least 104 people, including 35 children, and wounding 150 others, "
    "the Madani Resistance Committee said. The group said 40 people were still missing. "
    "UNICEF said it had received reports of 12 children among the wounded. It said the real "
    "toll was likely higher. The Health Ministry put the toll at 92 on Thursday. The ministry "
    "added that 88 people were being treated in hospitals."
)
SOURCES = (
    KnownSource(1, "Madani Resistance Committee"),
    KnownSource(2, "UNICEF"),
    KnownSource(3, "Sudanese Health Ministry", ("Health Ministry",)),
)


def test_extract_gives_one_candidate_per_count_in_story_order() -> None:
    found = [c for c in extract(STORY, date(2024, 6, 6), ParseContext(sources=SOURCES))]
    counts = [c for c in found if c.has_number]
    words = [c.words for c in counts]
    assert words[:5] == [
        "at least 104 people",
        "35 children",
        "150 others",
        "40 people",
        "12 children",
    ]
    assert [c.start for c in found] == sorted(c.start for c in found)
    for c in found:
        assert STORY[c.start : c.end] == c.words
        assert STORY[c.sentence_start : c.sentence_end] == c.sentence
    first = counts[:3]
    assert {(c.sentence_start, c.sentence_end) for c in first} == {
        (first[0].sentence_start, first[0].sentence_end)
    }
    assert [c.parsed.event for c in first] == ["killed", "killed", "injured"]
    assert [c.parsed.population for c in first] == ["all", "children", "all"]


def test_a_back_reference_takes_the_last_source_named_before() -> None:
    found = [
        c for c in extract(STORY, date(2024, 6, 6), ParseContext(sources=SOURCES)) if c.has_number
    ]
    by_words = {c.words: c.parsed for c in found}
    group = by_words["40 people"]  # "The group said"
    assert group.source is not None and group.source.source_id == 1
    ministry = by_words["88 people"]  # "The ministry added": the ministry named before
    assert ministry.source is not None and ministry.source.source_id == 3


def test_it_said_points_back_to_the_agency() -> None:
    text = (
        "The Interior Ministry said 2,122 people had died in the quake. It said 2,421 people "
        "were injured, many of them seriously."
    )
    sources = (KnownSource(7, "Moroccan Interior Ministry", ("Interior Ministry",)),)
    found = [c for c in extract(text, date(2023, 9, 10), ParseContext(sources=sources))]
    assert [c.parsed.value_low for c in found] == [2122, 2421]
    assert all(c.parsed.source is not None and c.parsed.source.source_id == 7 for c in found)


def test_a_single_sentence_gives_no_source_for_a_back_reference() -> None:
    for text in (
        "The group said 40 people were still missing.",
        "It said 2,421 people were injured.",
        "The agency said 300 families had fled.",
    ):
        claim = parse(text, D)
        assert claim.value_low is not None, text
        assert (claim.source, claim.source_text) == (None, ""), text


def test_counts_side_by_side_are_not_a_breakdown() -> None:
    text = "Five people were killed in Kabul on Tuesday, three in Kandahar and two in Herat."
    found = _counts(text)
    assert [(c.value_low, c.event) for _, c in found] == [
        (5, "killed"),
        (3, "killed"),
        (2, "killed"),
    ]
    assert "kabul" in _place(found[0][1])
    assert "kandahar" in _place(found[1][1])
    assert parse(text, D).value_low == 5


def test_a_with_clause_can_break_a_total_down_by_country() -> None:
    text = (
        "The combined toll passed 17,000 on Thursday, with 14,351 deaths in Turkey "
        "and more than 3,000 in Syria."
    )
    found = _counts(text)
    assert [(w, c.value_low) for w, c in found] == [
        ("passed 17,000", 17001),
        ("14,351 deaths", 14351),
        ("more than 3,000", 3001),
    ]
    assert [c.place.country if c.place else None for _, c in found][1:] == ["TR", "SY"]
    assert found[0][1].place is None
