"""A story edited after a candidate was accepted, through the API: /extract/ says which
accepted figures changed since, /accept/ refuses them, /reread/ and /keep/ answer them."""

from __future__ import annotations

import datetime as dt

import pytest

from claims.models import Claim, ClaimEvent
from tests.factories import StoryFactory

pytestmark = pytest.mark.django_db

# Made up for these tests.
BODY = (
    "At least 27 people were killed in Aleppo yesterday, activists said.\n\n"
    "Officials said 14 people were injured in Homs on Monday."
)
OLD, NEW = "At least 27 people", "At least 35 people"
EDITED = BODY.replace("At least 27", "At least 35")


@pytest.fixture
def story(editor):  # type: ignore[no-untyped-def]
    return StoryFactory(
        headline="Aleppo toll",
        body=BODY,
        published_at=dt.datetime(2014, 2, 13, 15, 0, tzinfo=dt.UTC),
        created_by=editor,
    )


def url(story, verb: str) -> str:  # type: ignore[no-untyped-def]
    return f"/api/v1/stories/{story.pk}/{verb}/"


def extract(api, user, story):  # type: ignore[no-untyped-def]
    r = api.as_(user).post(url(story, "extract"), format="json")
    assert r.status_code == 200, r.json()
    return r.json()


def figure(found, words):  # type: ignore[no-untyped-def]
    return next(c for c in found if c["words"] == words)


def span(candidate):  # type: ignore[no-untyped-def]
    return {"start": candidate["start"], "end": candidate["end"]}


@pytest.fixture
def changed(api, editor, story):  # type: ignore[no-untyped-def]
    """The first figure accepted, then changed in the copy without changing its length."""
    first = figure(extract(api, editor, story), OLD)
    r = api.as_(editor).post(url(story, "accept"), span(first), format="json")
    assert r.status_code == 201, r.json()
    r = api.as_(editor).patch(f"/api/v1/stories/{story.pk}/", {"body": EDITED}, format="json")
    assert r.status_code == 200, r.json()
    return Claim.objects.get()


def test_extract_gives_a_changed_figure_its_claim_and_the_words_it_was_accepted_from(
    api, editor, story, changed
):
    found = extract(api, editor, story)
    now = figure(found, NEW)
    assert now["claim"] == changed.pk
    assert now["changed"] is True
    assert now["accepted_words"] == OLD
    assert now["accepted_sentence"] == BODY.split("\n")[0]
    other = figure(found, "14 people")
    assert (other["claim"], other["changed"], other["accepted_words"]) == (None, False, None)


def test_accept_on_a_changed_figure_is_a_409_that_says_what_to_do(api, editor, story, changed):
    now = figure(extract(api, editor, story), NEW)
    r = api.as_(editor).post(url(story, "accept"), span(now), format="json")
    assert r.status_code == 409
    assert "re-read" in r.json()["detail"] and "keep" in r.json()["detail"]
    assert Claim.objects.count() == 1


def test_an_accepted_claim_follows_text_inserted_above(api, editor, story):
    daily = figure(extract(api, editor, story), "14 people")
    claim_id = api.as_(editor).post(url(story, "accept"), span(daily), format="json").json()["id"]
    body = "Rain fell overnight.\n\n" + BODY
    api.as_(editor).patch(f"/api/v1/stories/{story.pk}/", {"body": body}, format="json")
    now = figure(extract(api, editor, story), "14 people")
    assert (now["claim"], now["changed"], now["start"]) == (claim_id, False, body.index("14"))
    assert Claim.objects.get().story_start == body.index("14")


def test_an_editor_re_reads_a_changed_figure(api, editor, story, changed):
    now = figure(extract(api, editor, story), NEW)
    r = api.as_(editor).post(
        url(story, "reread"), {**span(now), "version": changed.version}, format="json"
    )
    assert r.status_code == 200, r.json()
    assert (r.json()["id"], r.json()["value_low"], r.json()["version"]) == (changed.pk, 35, 2)
    event = ClaimEvent.objects.filter(claim=changed).order_by("-id").first()
    assert (event.kind, event.actor, event.note) == (
        "edited",
        editor,
        "Re-read after the story changed.",
    )
    assert figure(extract(api, editor, story), NEW)["changed"] is False


def test_a_re_read_needs_the_version_and_refuses_a_stale_one(api, editor, story, changed):
    now = figure(extract(api, editor, story), NEW)
    r = api.as_(editor).post(url(story, "reread"), span(now), format="json")
    assert r.status_code == 400 and "version" in r.json()
    r = api.as_(editor).post(url(story, "reread"), {**span(now), "version": 7}, format="json")
    assert r.status_code == 409
    assert Claim.objects.get().value_low == 27


def test_a_decided_claim_is_re_read_by_an_admin_not_an_editor(api, editor, admin, story, changed):
    Claim.objects.filter(pk=changed.pk).update(status="verified")
    now = figure(extract(api, editor, story), NEW)
    payload = {**span(now), "version": 1}
    r = api.as_(editor).post(url(story, "reread"), payload, format="json")
    assert r.status_code == 409
    assert api.as_(admin).post(url(story, "reread"), payload, format="json").status_code == 200
    assert Claim.objects.get().value_low == 35


def test_an_editor_keeps_the_claim(api, editor, story, changed):
    now = figure(extract(api, editor, story), NEW)
    r = api.as_(editor).post(
        url(story, "keep"), {**span(now), "note": "27 is the sourced figure."}, format="json"
    )
    assert r.status_code == 200, r.json()
    assert (r.json()["value_low"], r.json()["id"]) == (27, changed.pk)
    event = ClaimEvent.objects.filter(claim=changed).order_by("-id").first()
    assert (event.kind, event.actor) == ("edited", editor)
    assert event.note == "Kept after the story changed: 27 is the sourced figure."
    again = figure(extract(api, editor, story), NEW)
    assert (again["claim"], again["changed"]) == (changed.pk, False)


def test_keep_needs_a_reason(api, editor, story, changed):
    now = figure(extract(api, editor, story), NEW)
    r = api.as_(editor).post(url(story, "keep"), span(now), format="json")
    assert r.status_code == 400 and "note" in r.json()


@pytest.mark.parametrize("verb", ["reread", "keep"])
def test_only_editors_answer_a_change(api, editor, checker, outsider, story, changed, verb):
    now = figure(extract(api, editor, story), NEW)
    payload = {**span(now), "version": 1, "note": "Fine."}
    assert api.as_(checker).post(url(story, verb), payload, format="json").status_code == 403
    assert api.as_(outsider).post(url(story, verb), payload, format="json").status_code == 404
    claim = Claim.objects.get()
    assert (claim.value_low, claim.story_words, claim.events.count()) == (27, OLD, 1)


def test_an_unchanged_figure_has_no_change_to_answer(api, editor, story):
    daily = figure(extract(api, editor, story), "14 people")
    api.as_(editor).post(url(story, "accept"), span(daily), format="json")
    r = api.as_(editor).post(url(story, "keep"), {**span(daily), "note": "x"}, format="json")
    assert r.status_code == 409


def test_the_schema_names_the_change_endpoints(api, editor):
    schema = api.as_(editor).get("/api/schema/", {"format": "json"}).json()
    assert "/api/v1/stories/{id}/reread/" in schema["paths"]
    assert "/api/v1/stories/{id}/keep/" in schema["paths"]
    candidate = schema["components"]["schemas"]["Candidate"]["properties"]
    assert {"changed", "accepted_words", "accepted_sentence"} <= set(candidate)
