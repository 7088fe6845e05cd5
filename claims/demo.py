"""Demo data: a story about the barrel-bomb campaign in Aleppo (February 2014), its
sources, and two stories from a fictional outlet, Example Wire, whose figures
conflict with it or have gone stale, so the jobs have something to show.

The copy is written for the demo from the facts of the reporting; the figures,
dates and sources are the real ones, Example Wire and its medics are invented.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

SOURCES: list[dict[str, Any]] = [
    {
        "name": "Syrian Observatory for Human Rights",
        "kind": "monitor",
        "grade": "C",
        "country": "GB",
        "url": "https://www.syriahr.com/en/",
        "aliases": [
            "Observatory",
            "SOHR",
            "Britain-based Observatory for Human Rights",
            "Syrian Observatory",
        ],
        "notes": "Monitor based in Britain; counts through a network of activists in Syria.",
    },
    {
        "name": "Syrian Arab Red Crescent",
        "kind": "medical",
        "grade": "B",
        "country": "SY",
        "url": "https://sarc.sy/",
        "aliases": ["SARC", "Red Crescent", "Syrian Red Crescent"],
        "notes": "",
    },
    {
        "name": "The Associated Press",
        "kind": "wire",
        "grade": "B",
        "country": "US",
        "url": "https://apnews.com/",
        "aliases": ["AP", "Associated Press"],
        "notes": "",
    },
    {
        "name": "Activists (unnamed)",
        "kind": "activists",
        "grade": "F",
        "country": "SY",
        "url": "",
        "aliases": ["activists", "local activists", "opposition activists"],
        "notes": "Generic source for copy that says only 'activists said'.",
    },
    {
        "name": "Example Wire",
        "kind": "media",
        "grade": "D",
        "country": "",
        "url": "https://wire.example.org/",
        "aliases": ["ExampleWire"],
        "notes": "Fictional outlet used by the demo data.",
    },
    {
        "name": "Example Medical Network",
        "kind": "medical",
        "grade": "E",
        "country": "SY",
        "url": "https://medics.example.org/",
        "aliases": ["Example medics", "the network's medics"],
        "notes": "Fictional medical network quoted by the fictional Example Wire.",
    },
]

ALEPPO_STORY: dict[str, Any] = {
    "headline": "Barrel bombs have killed about 400 in Aleppo this month, activists say",
    "url": "https://news.example.org/2014/02/13/aleppo-barrel-bombs",
    "byline": "Desk staff",
    "desk": "World",
    "published_at": datetime(2014, 2, 13, 15, 0, tzinfo=UTC),
    "status": "published",
    "body": (
        "About 400 people have been killed in Syria's largest city so far this month by "
        "government air raids and shelling with crude barrel bombs, activists said today, "
        "while American and Russian envoys met in Geneva to try to restart the stalled "
        "peace negotiations.\n\n"
        "The raids on Aleppo belong to a drive by President Bashar Assad's forces to take "
        "back neighborhoods that rebels have held in the northern city since mid-2012.\n\n"
        "There were also reports of talks between Syrian government and UN officials on "
        "extending the humanitarian truce in the central city of Homs, so that more people "
        "can be evacuated from its besieged rebel-held districts.\n\n"
        "Khaled Erksoussi, who heads operations at the Syrian Arab Red Crescent, told The "
        "Associated Press that the group's teams are ready to take more people out of the "
        "city if the truce is extended.\n\n"
        "The Britain-based Observatory for Human Rights said at least 51 people were killed "
        "in Aleppo yesterday, most of them by barrel bombs dropped from helicopters on eight "
        "rebel-held districts. The Observatory said the toll in the city now stands at some "
        "400 since the beginning of the month.\n\n"
        "The figures could not be independently verified.\n\n"
        "The Observatory, which has tracked the conflict through a network of activists "
        "since it began in March 2011, released its latest count for Aleppo today, ahead "
        "of a three-way meeting in Geneva of senior US and Russian officials with UN "
        "mediator Lakhdar Brahimi."
    ),
}

# The conflicting and the stale: Example Wire is fictional.
EXAMPLE_WIRE_STORIES: list[dict[str, Any]] = [
    {
        "headline": "Aleppo medics put this month's toll at 250",
        "url": "https://wire.example.org/2014/02/14/aleppo-toll",
        "byline": "Example Wire",
        "desk": "World",
        "published_at": datetime(2014, 2, 14, 9, 30, tzinfo=UTC),
        "status": "published",
        "body": (
            "Between 20 and 30 people were killed in Aleppo on Wednesday, according to "
            "Example Medical Network, far fewer than other monitors reported.\n\n"
            "The network said 250 people have been killed in the city so far this month."
        ),
    },
    {
        "headline": "At least 120 killed in Aleppo in first days of February",
        "url": "https://wire.example.org/2014/02/05/aleppo-early-toll",
        "byline": "Example Wire",
        "desk": "World",
        "published_at": datetime(2014, 2, 5, 18, 0, tzinfo=UTC),
        "status": "published",
        "body": (
            "At least 120 people have been killed in Aleppo since Feb. 1, the network's "
            "medics said on Wednesday."
        ),
    },
]

# The claims the desk accepts from each story, by the words their sentences begin
# with (and, in a sentence of several figures, the figure's own words as `figure`).
# Their fields (figure, event, place, period, source) are read from the copy by the
# parser, as an editor's would be; only decisions are given here.
ACCEPTED: list[dict[str, Any]] = [
    {"story": ALEPPO_STORY["headline"], "starts": "About 400 people"},
    {"story": ALEPPO_STORY["headline"], "starts": "The Britain-based Observatory"},
    {"story": ALEPPO_STORY["headline"], "starts": "The Observatory said the toll"},
    {"story": ALEPPO_STORY["headline"], "starts": "There were also reports of talks"},
    {"story": EXAMPLE_WIRE_STORIES[0]["headline"], "starts": "Between 20 and 30"},
    {"story": EXAMPLE_WIRE_STORIES[0]["headline"], "starts": "The network said 250"},
    {
        "story": EXAMPLE_WIRE_STORIES[1]["headline"],
        "starts": "At least 120 people",
        "decide": ("attributed", "Only the network's own count; publish with attribution."),
    },
]

# The admins' topic list, and the topics the demo's stories (and so their claims) carry.
TOPICS: list[tuple[str, str]] = [
    ("Syria", "The war in Syria since 2011: tolls, sieges and displacement."),
    ("Aleppo barrel bombs", "The air campaign on Aleppo's eastern districts, from late 2013."),
    ("Geneva talks", "The peace talks in Geneva in 2014."),
]
STORY_TOPICS: dict[str, list[str]] = {
    ALEPPO_STORY["headline"]: ["Syria", "Aleppo barrel bombs"],
    EXAMPLE_WIRE_STORIES[0]["headline"]: ["Syria", "Aleppo barrel bombs"],
    EXAMPLE_WIRE_STORIES[1]["headline"]: ["Syria"],
}

USERS = [
    # username, password, role, first name
    ("editor", "editor", "Editor", "Eda"),
    ("checker", "checker", "Fact-checker", "Chike"),
    ("admin", "admin", "Admin", "Ada"),
]
