"""Reading copy through the API: parse one claim, extract a story's candidates, accept one."""

from __future__ import annotations

import datetime as dt

import pytest

from claims.models import CandidateRejection, Claim, ClaimEvent, Place
from tests.factories import PlaceFactory, StoryFactory

pytestmark = pytest.mark.django_db

PARSE = "/api/v1/parse/"

STORY_BODY = (
    "About 400 people have been killed in Syria's largest city so far this month, "
    "activists said on Thursday.\n\n"
    "The Observatory said at least 51 people were killed in Aleppo yesterday, most of "
    "them in eight rebel-held districts.\n\n"
    "Rebels have held the east of the city since mid-2012."
)


@pytest.fixture
def story(editor):  # type: ignore[no-untyped-def]
    return StoryFactory(
        headline="Aleppo toll",
        body=STORY_BODY,
        published_at=dt.datetime(2014, 2, 13, 15, 0, tzinfo=dt.UTC),
        created_by=editor,
    )


def extract(api, user, story):  # type: ignore[no-untyped-def]
    return api.as_(user).post(f"/api/v1/stories/{story.pk}/extract/", format="json")


# ---------------------------------------------------------------------------
# POST /api/v1/parse/


def test_parse_answers_the_design_field_names(api, editor, observatory):
    r = api.as_(editor).post(
        PARSE,
        {"text": "About 400 killed in Aleppo so far this month, per the Observatory",
         "reported_on": "2014-02-13"},
    )  # fmt: skip
    assert r.status_code == 200, r.json()
    body = r.json()
    assert {k: body[k] for k in ("value_low", "value_high", "qualifier", "unit", "event")} == {
        "value_low": 360,
        "value_high": 440,
        "qualifier": "approx",
        "unit": "people",
        "event": "killed",
    }
    assert body["place"] == {"name": "Aleppo", "country": "SY", "confidence": 1.0}
    assert (body["period_start"], body["period_end"], body["period_kind"]) == (
        "2014-02-01",
        "2014-02-13",
        "to_date",
    )
    assert body["time_expression"] == "so far this month"
    assert body["source"] == {"id": observatory.pk, "name": observatory.name}
    assert body["source_text"] == "the Observatory"


def test_parse_uses_the_place_table_and_its_aliases(api, editor):
    syria = PlaceFactory(name="Syria", country="SY", kind="country")
    PlaceFactory(
        name="Eastern Ghouta", country="SY", kind="region", parent=syria, aliases=["Ghouta"]
    )
    text = "At least 30 people were killed in Ghouta on Monday"
    r = api.as_(editor).post(PARSE, {"text": text, "reported_on": "2018-02-21"})
    assert r.status_code == 200
    assert r.json()["place"]["name"] == "Eastern Ghouta"
    assert r.json()["period_start"] == "2018-02-19"


def test_parse_keeps_an_unknown_source_as_words(api, editor):
    r = api.as_(editor).post(
        PARSE,
        {"text": "Twelve people died, the provincial governor told reporters.",
         "reported_on": "2020-01-05"},
    )  # fmt: skip
    assert r.status_code == 200
    assert r.json()["source"] is None
    assert "governor" in r.json()["source_text"]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"reported_on": "2014-02-13"}, "text"),
        ({"text": "   ", "reported_on": "2014-02-13"}, "text"),
        ({"text": "x" * 1_000_000, "reported_on": "2014-02-13"}, "text"),
        ({"text": "51 killed \x00\x01 in Aleppo", "reported_on": "2014-02-13"}, "text"),
        ({"text": "51 killed in Aleppo"}, "reported_on"),
        ({"text": "51 killed in Aleppo", "reported_on": "13/02/2014"}, "reported_on"),
        ({"text": "51 killed in Aleppo", "reported_on": "2014-02-30"}, "reported_on"),
        ({"text": ["51 killed"], "reported_on": "2014-02-13"}, "text"),
    ],
)
def test_parse_refuses_bad_input_with_field_messages(api, editor, payload, field):
    r = api.as_(editor).post(PARSE, payload)
    assert r.status_code == 400
    assert field in r.json() and r.json()[field][0]


@pytest.mark.parametrize(
    "text",
    [
        "Al menos 51 personas murieron ayer en Alepo.",  # not English
        "\u00ff\u00fe\u0003\u0010\u2603 \u0433\u0434\u0435 \ufffd\ufffd\ufffd",  # noise
        "The weather in the city was calm.",
    ],
)
def test_parse_answers_an_empty_reading_for_copy_it_cannot_read(api, editor, text):
    r = api.as_(editor).post(PARSE, {"text": text, "reported_on": "2014-02-13"})
    assert r.status_code == 200
    assert r.json()["value_low"] is None and r.json()["event"] is None


def test_parse_is_for_the_desk_only(api, outsider):
    assert api.post(PARSE, {"text": "51 killed", "reported_on": "2014-02-13"}).status_code in (
        401,
        403,
    )
    r = api.as_(outsider).post(PARSE, {"text": "51 killed", "reported_on": "2014-02-13"})
    assert r.status_code == 403


def test_parse_saves_nothing(api, editor, django_assert_num_queries):
    # The user's roles, the policy's tolerance, then the sources, their aliases and
    # the places: nothing written.
    with django_assert_num_queries(5):
        api.as_(editor).post(PARSE, {"text": "51 killed in Aleppo", "reported_on": "2014-02-13"})
    assert not Claim.objects.exists() and not Place.objects.exists()


# ---------------------------------------------------------------------------
# POST /api/v1/stories/{id}/extract/ and /accept/


def test_extract_lists_the_candidates_with_offsets(api, checker, story, observatory):
    r = extract(api, checker, story)
    assert r.status_code == 200
    found = r.json()
    counts = [c for c in found if c["has_number"]]
    assert [c["parsed"]["value_low"] for c in counts] == [360, 51]
    about, daily = counts
    # One candidate per figure: the figure phrase's offsets, and its sentence's.
    assert STORY_BODY[about["start"] : about["end"]] == about["words"] == "About 400 people"
    assert STORY_BODY[about["sentence_start"] : about["sentence_end"]] == about["sentence"]
    assert STORY_BODY[daily["start"] : daily["end"]] == "at least 51 people"
    assert daily["sentence"].startswith("The Observatory said at least 51")
    # "Syria's largest city" is the story's main place, inferred with less confidence.
    assert about["parsed"]["place"]["name"] == "Aleppo"
    assert about["parsed"]["place"]["confidence"] < 1.0
    assert daily["parsed"]["period_start"] == "2014-02-12"
    assert daily["parsed"]["source"]["name"] == observatory.name
    assert all(c["claim"] is None for c in found)
    # Neither the year nor the eight districts is a count.
    assert not any(c["parsed"]["value_low"] in (8, 2012) for c in found)


def test_accept_makes_a_claim_with_its_provenance(api, editor, story, observatory):
    daily = [c for c in extract(api, editor, story).json() if c["parsed"]["value_low"] == 51][0]
    r = api.as_(editor).post(
        f"/api/v1/stories/{story.pk}/accept/", {"start": daily["start"], "end": daily["end"]}
    )
    assert r.status_code == 201, r.json()
    claim = Claim.objects.get(pk=r.json()["id"])
    assert (claim.story_id, claim.story_start, claim.story_end) == (
        story.pk,
        daily["start"],
        daily["end"],
    )
    # The claim keeps its figure's offsets, and its sentence as its words.
    assert claim.text == daily["sentence"]
    # And the words it was accepted from, so that an edit of the copy is seen as one.
    assert (claim.story_words, claim.story_sentence) == (daily["words"], daily["sentence"])
    assert (claim.value_low, claim.qualifier, claim.period_start) == (
        51,
        "at_least",
        dt.date(2014, 2, 12),
    )
    assert claim.place.name == "Aleppo" and claim.place.parent.name == "Syria"
    assert [a.source for a in claim.attributions.all()] == [observatory]
    assert claim.events.get().kind == ClaimEvent.Kind.CREATED
    # The candidate now points at its claim; accepting it again is a conflict.
    again = [c for c in extract(api, editor, story).json() if c["start"] == daily["start"]][0]
    assert again["claim"] == claim.pk
    r = api.as_(editor).post(
        f"/api/v1/stories/{story.pk}/accept/", {"start": daily["start"], "end": daily["end"]}
    )
    assert r.status_code == 409
    assert Claim.objects.count() == 1


def test_accept_takes_the_editors_corrections(api, editor, story):
    about = extract(api, editor, story).json()[0]
    r = api.as_(editor).post(
        f"/api/v1/stories/{story.pk}/accept/",
        {"start": about["start"], "end": about["end"], "value_low": 390, "value_high": 410,
         "qualifier": "approx", "population": "civilians"},
    )  # fmt: skip
    assert r.status_code == 201, r.json()
    claim = Claim.objects.get()
    # Corrections apply field by field to what the editor saw.
    assert (claim.value_low, claim.value_high, claim.population, claim.event) == (
        390,
        410,
        "civilians",
        "killed",
    )
    # The period was not corrected, so it is the parser's.
    assert claim.period_kind == "to_date"
    # "activists" matches no source here: the words wait to be mapped.
    assert claim.source_text == "activists"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"start": 3, "end": 40}, "start"),
        ({"start": 10, "end": 5}, "end"),
        ({"end": 5}, "start"),
        ({"start": 0, "end": 104, "value_low": 30, "value_high": 20}, "value_high"),
    ],
)
def test_accept_refuses_bad_input(api, editor, story, payload, field):
    r = api.as_(editor).post(f"/api/v1/stories/{story.pk}/accept/", payload)
    assert r.status_code == 400
    assert field in r.json()
    assert not Claim.objects.exists()


def test_accept_is_for_editors(api, checker, outsider, story):
    about = extract(api, checker, story).json()[0]
    offsets = {"start": about["start"], "end": about["end"]}
    assert api.as_(checker).post(f"/api/v1/stories/{story.pk}/accept/", offsets).status_code == 403
    assert api.as_(outsider).post(f"/api/v1/stories/{story.pk}/accept/", offsets).status_code == 404
    assert api.as_(outsider).post(f"/api/v1/stories/{story.pk}/extract/").status_code == 404
    assert not Claim.objects.exists()


def test_a_story_of_a_megabyte_is_refused(api, editor):
    r = api.as_(editor).post(
        "/api/v1/stories/",
        {"headline": "Long", "body": "word " * 220_000, "published_at": "2014-02-13T12:00Z"},
    )
    assert r.status_code == 400 and "body" in r.json()


# ---------------------------------------------------------------------------
# POST /api/v1/claims/ reads the text for the fields left out


def test_a_claim_typed_as_written_is_read(api, editor, observatory):
    r = api.as_(editor).post(
        "/api/v1/claims/",
        {"text": "About 400 killed in Aleppo so far this month, per the Observatory",
         "reported_on": "2014-02-13"},
    )  # fmt: skip
    assert r.status_code == 201, r.json()
    body = r.json()
    assert (body["value_low"], body["value_high"], body["event"]) == (360, 440, "killed")
    assert body["place"]["name"] == "Aleppo"
    assert (body["period_start"], body["period_end"]) == ("2014-02-01", "2014-02-13")
    assert [s["name"] for s in body["sources"]] == [observatory.name]


def test_the_fields_given_win_over_the_reading(api, editor, observatory):
    r = api.as_(editor).post(
        "/api/v1/claims/",
        {"text": "About 400 killed in Aleppo so far this month, per the Observatory",
         "reported_on": "2014-02-13", "value_low": 400, "place": None, "sources": []},
    )  # fmt: skip
    assert r.status_code == 201, r.json()
    body = r.json()
    # The editor gave the figure, so all of it is theirs: no bound; the event is apart.
    assert (body["value_low"], body["value_high"], body["event"]) == (400, None, "killed")
    assert body["qualifier"] == "at_least"
    assert body["place"] is None and body["sources"] == []
    assert body["period_kind"] == "to_date"


def test_read_text_false_reads_nothing(api, editor):
    r = api.as_(editor).post(
        "/api/v1/claims/",
        {"text": "51 killed in Aleppo yesterday", "reported_on": "2014-02-13", "read_text": False},
    )
    assert r.status_code == 201
    assert r.json()["value_low"] is None and r.json()["place"] is None


def test_parse_lists_every_count_with_its_offsets(api, editor, observatory):
    text = (
        "The Observatory said at least 51 people were killed in Aleppo yesterday. "
        "Another 12 people died in Homs on Monday."
    )
    r = api.as_(editor).post(PARSE, {"text": text, "reported_on": "2014-02-13"})
    assert r.status_code == 200, r.json()
    body = r.json()
    # The main count keeps the fields it always had.
    assert (body["value_low"], body["place"]["name"]) == (51, "Aleppo")
    counts = body["counts"]
    assert [(c["value_low"], c["place"]["name"]) for c in counts] == [(51, "Aleppo"), (12, "Homs")]
    for count in counts:
        assert text[count["start"] : count["end"]] == count["words"]
    assert counts[0]["words"] == "at least 51 people"
    assert counts[1]["period_start"] == "2014-02-10"


def test_parse_of_copy_without_a_count_lists_none(api, editor):
    r = api.as_(editor).post(
        PARSE, {"text": "The weather in the city was calm.", "reported_on": "2014-02-13"}
    )
    assert r.status_code == 200 and r.json()["counts"] == []


# ---------------------------------------------------------------------------
# Per figure, role by role; several at once


def test_extract_filters_by_state(api, editor, story):
    about, daily = extract(api, editor, story).json()
    api.as_(editor).post(f"/api/v1/stories/{story.pk}/reject/", _span(about))
    url = f"/api/v1/stories/{story.pk}/extract/"
    assert [c["start"] for c in api.post(f"{url}?state=open").json()] == [daily["start"]]
    assert [c["start"] for c in api.post(f"{url}?state=rejected").json()] == [about["start"]]
    assert api.post(f"{url}?state=accepted").json() == []
    assert api.post(f"{url}?state=gone").status_code == 400


def _span(candidate):  # type: ignore[no-untyped-def]
    return {"start": candidate["start"], "end": candidate["end"]}


def test_reject_is_per_figure_and_for_editors(api, editor, checker, outsider, story):
    about, daily = extract(api, editor, story).json()
    url = f"/api/v1/stories/{story.pk}/reject/"
    assert api.as_(checker).post(url, _span(daily)).status_code == 403
    assert api.as_(outsider).post(url, _span(daily)).status_code == 404
    r = api.as_(editor).post(url, {**_span(daily), "note": "Counted in the total."})
    assert r.status_code == 201, r.json()
    assert (r.json()["words"], r.json()["start"]) == ("at least 51 people", daily["start"])
    assert r.json()["sentence"] == daily["sentence"]
    found = extract(api, editor, story).json()
    assert [(c["words"], c["rejected"]) for c in found] == [
        ("About 400 people", False),
        ("at least 51 people", True),
    ]
    # Offsets that name a sentence rather than its figure name no candidate.
    sentence = {"start": daily["sentence_start"], "end": daily["sentence_end"]}
    assert api.as_(editor).post(url, sentence).status_code == 400


def test_accept_bulk_accepts_each_and_says_what_it_refused(api, editor, story, observatory):
    about, daily = extract(api, editor, story).json()
    api.as_(editor).post(f"/api/v1/stories/{story.pk}/reject/", _span(daily))
    r = api.as_(editor).post(
        f"/api/v1/stories/{story.pk}/accept-bulk/",
        {"candidates": [_span(about), _span(daily), {"start": 3, "end": 40}],
         "note": "Lead figures."},
        format="json",
    )  # fmt: skip
    assert r.status_code == 200, r.json()
    claim = Claim.objects.get()
    assert r.json()["accepted"] == [{**_span(about), "claim": claim.pk}]
    refused = r.json()["refused"]
    assert [(x["start"], x["status"]) for x in refused] == [(daily["start"], 409), (3, 400)]
    assert "was rejected by eddie" in refused[0]["message"]
    assert refused[1]["errors"]["start"]
    event = claim.events.get()
    assert (event.kind, event.actor, event.note) == ("created", editor, "Lead figures.")
    assert (claim.story_start, claim.story_end) == (about["start"], about["end"])


def test_reject_bulk_records_who_when_and_why(api, editor, story):
    about, daily = extract(api, editor, story).json()
    r = api.as_(editor).post(
        f"/api/v1/stories/{story.pk}/reject-bulk/",
        {"candidates": [_span(about), _span(daily), _span(daily)], "note": "Background."},
        format="json",
    )
    assert r.status_code == 200, r.json()
    rows = list(CandidateRejection.objects.order_by("start"))
    assert [x["rejection"] for x in r.json()["rejected"]] == [row.pk for row in rows]
    assert [(row.words, row.rejected_by, row.note) for row in rows] == [
        ("About 400 people", editor, "Background."),
        ("at least 51 people", editor, "Background."),
    ]
    # The same figure twice: the second is refused, not silently dropped.
    assert [(x["start"], x["status"]) for x in r.json()["refused"]] == [(daily["start"], 409)]


def test_bulk_answers_are_for_editors(api, checker, outsider, story):
    about = extract(api, checker, story).json()[0]
    payload = {"candidates": [_span(about)]}
    for verb in ("accept-bulk", "reject-bulk"):
        url = f"/api/v1/stories/{story.pk}/{verb}/"
        assert api.as_(checker).post(url, payload, format="json").status_code == 403
        assert api.as_(outsider).post(url, payload, format="json").status_code == 404
    assert not Claim.objects.exists() and not CandidateRejection.objects.exists()


@pytest.mark.parametrize(
    "payload",
    [{}, {"candidates": []}, {"candidates": [{"start": 9, "end": 3}]},
     {"candidates": [{"start": 0, "end": 5}] * 501}],
)  # fmt: skip
def test_bulk_answers_refuse_bad_input(api, editor, story, payload):
    r = api.as_(editor).post(f"/api/v1/stories/{story.pk}/accept-bulk/", payload, format="json")
    assert r.status_code == 400 and "candidates" in r.json()


def test_the_schema_names_the_bulk_endpoints(api, editor):
    schema = api.as_(editor).get("/api/schema/", {"format": "json"}).json()
    paths = schema["paths"]
    assert "/api/v1/stories/{id}/accept-bulk/" in paths
    assert "/api/v1/stories/{id}/reject-bulk/" in paths
    candidate = schema["components"]["schemas"]["Candidate"]["properties"]
    assert {"start", "end", "sentence_start", "sentence_end", "words"} <= set(candidate)
