"""find_incident: the words that name one incident, read into kind, venue, place and day."""

from __future__ import annotations

import time
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claims.parsing import PlaceMatch
from claims.parsing.incidents import (
    KINDS,
    VENUE_PAIRS,
    VENUES,
    find_incident,
    find_incidents,
    may_name_incident,
)
from claims.parsing.tokens import word_list

MONDAY = date(2024, 3, 4)
SATURDAY = date(2024, 3, 2)
SUNDAY = date(2024, 3, 3)
TUESDAY = date(2024, 2, 27)


@pytest.mark.parametrize(
    ("text", "kind", "venue", "place", "day"),
    [
        (
            "The strike on Kupiansk killed 12 people, the governor said.",
            "strike",
            None,
            "Kupiansk",
            None,
        ),
        (
            "At least 30 people were killed in the market bombing in Baghdad on Sunday.",
            "bombing",
            "market",
            "Baghdad",
            SUNDAY,
        ),
        (
            "The death toll from Saturday's quake rose to 40 on Monday, officials said.",
            "quake",
            None,
            "",
            SATURDAY,
        ),
        (
            "The ferry sinking off Zanzibar has killed 31 people.",
            "shipwreck",
            "ferry",
            "Zanzibar",
            None,
        ),
        (
            "Rescuers pulled 14 bodies from the mine collapse in Balochistan.",
            "collapse",
            "mine",
            "Balochistan",
            None,
        ),
        (
            "Gunmen attacked a wedding party in Herat, killing 11 guests.",
            "attack",
            "wedding",
            "Herat",
            None,
        ),
        (
            "The blast at the mosque in Peshawar killed 20 worshippers.",
            "explosion",
            "mosque",
            "Peshawar",
            None,
        ),
        (
            "A car bomb exploded near a crowded market in Baghdad on Saturday, killing 25.",
            "bombing",
            "market",
            "Baghdad",
            SATURDAY,
        ),
        (
            "Tuesday's attack on a police station in Quetta killed six officers.",
            "attack",
            "police_station",
            "Quetta",
            TUESDAY,
        ),
        ("The March 3 bombing in Kabul killed 14 people.", "bombing", None, "Kabul", SUNDAY),
        (
            "Troops opened fire on protesters at a rally in Khartoum, killing nine.",
            "shooting",
            "rally",
            "Khartoum",
            None,
        ),
        (
            "Israeli air strikes on Rafah killed 22 people overnight.",
            "airstrike",
            None,
            "Rafah",
            None,
        ),
        ("A suicide attack on a mosque in Kabul killed 30.", "bombing", "mosque", "Kabul", None),
        (
            "A gun attack at a bar in Celaya killed 12 people.",
            "shooting",
            "restaurant",
            "Celaya",
            None,
        ),
        (
            "A boat carrying migrants capsized off Libya, killing at least 60.",
            "shipwreck",
            "boat",
            "Libya",
            None,
        ),
        ("Last night's attack on the convoy killed 4 soldiers.", "attack", "convoy", "", SUNDAY),
        (
            "Yesterday's bombing at a bakery in Aleppo killed 9.",
            "bombing",
            "bakery",
            "Aleppo",
            SUNDAY,
        ),
        (
            "The stampede at the stadium in Chittagong killed 12 fans.",
            "stampede",
            "stadium",
            "Chittagong",
            None,
        ),
        ("The shelling of Kharkiv killed 3 people.", "shelling", None, "Kharkiv", None),
        (
            "The death toll from the building collapse in Lagos rose to 19.",
            "collapse",
            "building",
            "Lagos",
            None,
        ),
        ("A drone strike on a wedding convoy killed 12.", "airstrike", "wedding", "", None),
        (
            "The knife attack at the festival in Solingen killed three people.",
            "stabbing",
            "concert",
            "Solingen",
            None,
        ),
        (
            "A fire tore through a hospital in Baghdad on Saturday, killing 82 people.",
            "fire",
            "hospital",
            "Baghdad",
            SATURDAY,
        ),
        ("The floods in Derna have killed 5,300 people.", "flood", None, "Derna", None),
        (
            "A landslide buried a village in Uttarakhand, killing 16.",
            "landslide",
            None,
            "Uttarakhand",
            None,
        ),
        ("The train crash near Odesa killed 9 passengers.", "crash", "train", "Odesa", None),
        ("The Sunday night attack on the convoy killed 4.", "attack", "convoy", "", SUNDAY),
        (
            "A boat that capsized and sank off Pylos on Sunday carried 700.",
            "shipwreck",
            "boat",
            "Pylos",
            SUNDAY,
        ),
        (
            "The missile strike on a crowded railway station in Kramatorsk killed 59.",
            "strike",
            "train",
            "Kramatorsk",
            None,
        ),
    ],
)
def test_it_reads_the_incident_words(
    text: str, kind: str, venue: str | None, place: str, day: date | None
):
    mention = find_incident(text, MONDAY)

    assert mention is not None
    assert (mention.kind, mention.venue, mention.place_text, mention.day) == (
        kind,
        venue,
        place,
        day,
    )
    assert mention.words == text[mention.start : mention.end]
    assert mention.noun in mention.words


@pytest.mark.parametrize(
    "text",
    [
        "At least 51 people were killed in Aleppo yesterday.",
        "Workers staged a general strike in Lagos on Monday.",
        "The former minister died of a heart attack at 71.",
        "Talks on extending the truce collapsed on Monday.",
        "The collapse of the ceasefire talks left 40 dead.",
        "Troops came under fire near the border.",
        "A flood of refugees crossed into Chad.",
        "The party won by a landslide victory.",
        "The decision drew a storm of criticism.",
        "The stock market crash wiped out savings.",
        "Officials put the death toll at 17.",
    ],
)
def test_it_reads_no_incident_where_there_is_none(text: str):
    assert find_incident(text, MONDAY) is None


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Barrel bombs killed 400 people in Aleppo.", "airstrike"),
        ("Two suicide attacks killed 30 people.", "bombing"),
        ("Rocket fire killed 3 people.", "strike"),
        ("Sniper fire killed 2 people.", "shooting"),
        ("Mortar attacks killed 5 people.", "shelling"),
        ("Drone strikes killed 8 people.", "airstrike"),
        ("A bomb blast killed 4 people.", "bombing"),
    ],
)
def test_it_reads_the_weapon_into_the_kind(text: str, kind: str):
    mention = find_incident(text, MONDAY)

    assert mention is not None and mention.kind == kind


def test_it_reads_the_storms_name():
    mention = find_incident("Typhoon Haiyan killed 6,000 people in the Philippines.", MONDAY)

    assert mention is not None
    assert (mention.kind, mention.name, mention.place_text) == ("storm", "Haiyan", "Philippines")


def test_it_reads_a_possessive_day_against_the_report_date():
    mention = find_incident("The toll from Sunday night's blast rose to 12.", MONDAY)

    assert mention is not None and mention.day == SUNDAY
    assert find_incident("The 7 October attack killed 1,200 people.", MONDAY).day == date(  # type: ignore[union-attr]
        2023, 10, 7
    )


def test_it_reads_no_day_without_a_report_date():
    mention = find_incident("Saturday's quake killed 40 people.")

    assert mention is not None and mention.kind == "quake" and mention.day is None


def test_it_does_not_take_the_day_something_was_said_for_the_incidents():
    mention = find_incident("A bomb killed 9 people in Quetta, police said on Monday.", MONDAY)

    assert mention is not None and mention.day is None


def test_it_does_not_take_the_attacker_for_the_place():
    mention = find_incident("A Russian missile strike killed 7 people in Odesa.", MONDAY)

    assert mention is not None and mention.place_text == "Odesa"


def test_it_reads_every_incident_of_a_sentence_and_the_one_nearest_a_figure():
    text = "A bombing at a market killed 12, hours after a shooting at a mosque killed 3."
    mentions = find_incidents(text, MONDAY)

    assert [(m.kind, m.venue) for m in mentions] == [("bombing", "market"), ("shooting", "mosque")]
    assert find_incident(text, MONDAY).kind == "bombing"  # type: ignore[union-attr]
    nearest = find_incident(text, MONDAY, at=text.index("3."))
    assert nearest is not None and nearest.venue == "mosque"


def test_it_gives_each_incident_of_a_sentence_its_own_day():
    text = (
        "A bombing at a market killed 12 on Monday, a day after a shooting at a mosque "
        "killed 3 on Sunday."
    )

    assert [(m.kind, m.day) for m in find_incidents(text, MONDAY)] == [
        ("bombing", MONDAY),
        ("shooting", SUNDAY),
    ]


def test_it_takes_the_hint_when_the_sentence_names_no_place():
    mention = find_incident(
        "Officials said the fire killed 25 people.", MONDAY, place_hint="Hamdaniya"
    )
    assert mention is not None and mention.place_text == "Hamdaniya"

    hint = PlaceMatch("Mosul", "IQ", "city", "Mosul", 1.0)
    mention = find_incident("The fire killed 25 people.", MONDAY, place_hint=hint)
    assert mention is not None and mention.place == hint


@pytest.mark.parametrize("text", ["", "   ", "?", "strike" * 5000, "the fire " * 2000])
def test_it_never_raises_on_odd_input(text: str):
    find_incident(text, MONDAY)
    find_incident(text, None)


def test_it_reads_kinds_and_venues_into_closed_lists():
    venues = set(VENUES.values()) | set(VENUE_PAIRS.values())
    texts = [
        "The market bombing killed 5.",
        "The air raid on a school killed 8.",
        "The bus crash killed 3.",
        "The mudslide killed 4.",
        "The blaze at a warehouse killed 2.",
    ]
    for text in texts:
        mention = find_incident(text, MONDAY)
        assert mention is not None and mention.kind in KINDS
        assert mention.venue is None or mention.venue in venues


def test_it_turns_away_a_sentence_without_a_mention_word_cheaply():
    text = (
        "At least 51 people were killed in Aleppo yesterday, the Britain-based Observatory "
        "for Human Rights said, bringing the number of dead this month to about 400."
    )
    assert not may_name_incident(text)
    runs = 2_000
    best = min(_seconds(text, runs) for _ in range(5))

    assert best / runs < 0.05e-3


def _seconds(text: str, runs: int) -> float:
    start = time.perf_counter()
    for _ in range(runs):
        find_incident(text, MONDAY)
    return time.perf_counter() - start


INCIDENT_WORDS = st.sampled_from(
    word_list(
        "the a an Saturday's last night's yesterday's March 3 7 October on at in near of off "
        "among strike bombing bomb car suicide blast attack attacked opened fire shelling "
        "quake earthquake magnitude 6.8 ferry sinking capsized sank collapse collapsed mine "
        "market mosque wedding party school hospital Kabul Baghdad Kupiansk Typhoon Haiyan "
        "killed 12 people , . ; said police - 's ’s general heart storm of flood crush"
    )
)
VENUE_NAMES = set(VENUES.values()) | set(VENUE_PAIRS.values())


@settings(max_examples=300, deadline=None)
@given(st.lists(INCIDENT_WORDS, max_size=40), st.booleans())
def test_it_reads_well_formed_mentions_from_any_words(words: list[str], dated: bool):
    text = " ".join(words)
    for mention in find_incidents(text, MONDAY if dated else None):
        assert 0 <= mention.start < mention.end <= len(text)
        assert mention.words == text[mention.start : mention.end]
        assert mention.kind in KINDS
        assert mention.venue is None or mention.venue in VENUE_NAMES
        assert mention.day is None or (dated and mention.day <= MONDAY)
