"""A refused write leaves nothing behind: the place and sources a claim names are found
or created inside the write, after its permission check, so a 403 (or a 409, or a 400
for another field) creates no Place, Source, Attribution or Claim, through the API and
through the claim forms, role by role."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from claims.models import Attribution, Claim, ClaimEvent, Place, Source, Status
from tests.factories import ClaimFactory, SourceAliasFactory, SourceFactory, StoryFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/claims/"
# A town the gazetteer knows but the Place table does not hold yet, and a village
# neither knows (created under its country for an admin to review).
DOUMA = {"name": "Douma", "country": "SY"}
HAMLET = {"name": "Tell Qasrawi Saghir", "country": "SY"}


@pytest.fixture
def observatory() -> Source:
    source = SourceFactory(name="Syrian Observatory for Human Rights", grade="C")
    SourceAliasFactory(source=source, name="Observatory")
    return source


def counts() -> dict[str, int]:
    return {
        "places": Place.objects.count(),
        "sources": Source.objects.count(),
        "attributions": Attribution.objects.count(),
        "claims": Claim.objects.count(),
        "events": ClaimEvent.objects.count(),
    }


def as_(user: Any) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


def new_claim(place: dict[str, str], **extra: Any) -> dict[str, Any]:
    return {
        "text": "At least 12 people were killed in a strike on the town, the Observatory said.",
        "reported_on": "2014-02-13",
        "value_low": 12,
        "qualifier": "at_least",
        "event": "killed",
        "place": place,
        "sources": ["the Observatory"],
        **extra,
    }


@pytest.mark.parametrize("place", [DOUMA, HAMLET], ids=["gazetteer", "unknown-village"])
def test_it_creates_no_place_when_a_checker_may_not_log_the_claim(checker, observatory, place):
    before = counts()
    r = as_(checker).post(URL, new_claim(place), format="json")
    assert r.status_code == 403, r.content
    assert counts() == before
    assert not Place.objects.filter(name=place["name"]).exists()
    assert not Place.objects.filter(kind="country", country="SY").exists()


def test_it_creates_no_place_for_a_user_without_a_role(outsider, observatory):
    before = counts()
    r = as_(outsider).post(URL, new_claim(DOUMA), format="json")
    assert r.status_code == 403
    assert counts() == before


def test_it_creates_no_place_when_a_source_is_unknown(editor, observatory):
    before = counts()
    r = as_(editor).post(URL, new_claim(DOUMA, sources=["Nobody We Know"]), format="json")
    assert r.status_code == 400
    assert "Nobody We Know" in str(r.json()["sources"])
    assert counts() == before


def test_an_editor_still_logs_the_claim_with_its_new_place(editor, observatory):
    before = counts()
    r = as_(editor).post(URL, new_claim(DOUMA), format="json")
    assert r.status_code == 201, r.content
    claim = Claim.objects.get(pk=r.json()["id"])
    assert claim.place is not None and claim.place.kind == "city" and claim.country == "SY"
    assert counts()["places"] == before["places"] + 2  # the town, under Syria
    assert [a.source for a in claim.attributions.all()] == [observatory]


def test_a_refused_patch_leaves_no_place_behind(editor, checker, observatory):
    claim = ClaimFactory(status=Status.IN_REVIEW, assignee=checker)
    before = counts()
    body = {"version": claim.version, "place": DOUMA, "sources": ["Observatory"]}
    r = as_(editor).patch(f"{URL}{claim.pk}/", body, format="json")
    assert r.status_code == 409  # editors edit only while a claim is new
    assert counts() == before
    claim.refresh_from_db()
    assert claim.version == 1


def test_a_patch_on_a_retracted_claim_leaves_no_place_behind(checker, observatory):
    claim = ClaimFactory(status=Status.RETRACTED)
    before = counts()
    body = {"version": claim.version, "place": HAMLET}
    r = as_(checker).patch(f"{URL}{claim.pk}/", body, format="json")
    assert r.status_code == 409
    assert counts() == before


def test_a_patch_without_a_role_leaves_no_place_behind(outsider, observatory):
    claim = ClaimFactory()
    before = counts()
    r = as_(outsider).patch(f"{URL}{claim.pk}/", {"version": 1, "place": DOUMA}, format="json")
    assert r.status_code in (403, 404)
    assert counts() == before


def test_a_patch_with_an_unknown_source_leaves_no_place_behind(editor, observatory):
    claim = ClaimFactory()
    before = counts()
    body = {"version": claim.version, "place": DOUMA, "sources": ["Nobody We Know"]}
    r = as_(editor).patch(f"{URL}{claim.pk}/", body, format="json")
    assert r.status_code == 400
    assert counts() == before


# The claim forms go through the same services.


def form_data(**extra: str) -> dict[str, str]:
    return {
        "text": "At least 12 people were killed in Douma, the Observatory said.",
        "reported_on": "2014-02-13",
        "value_low": "12",
        "qualifier": "at_least",
        "event": "killed",
        "population": "all",
        "unit": "people",
        "place_name": "Douma",
        "place_country": "SY",
        "action": "save",
        **extra,
    }


def test_the_new_claim_form_refuses_a_checker_and_creates_nothing(client, checker, observatory):
    client.force_login(checker)
    before = counts()
    r = client.post("/claims/new/", form_data())
    assert r.status_code == 403
    assert counts() == before


def test_the_edit_form_refuses_an_editor_on_a_claim_in_review_and_creates_nothing(
    client, editor, checker, observatory
):
    from claims.views.claims import _claim_state

    claim = ClaimFactory(status=Status.IN_REVIEW, assignee=checker)
    data = dict(_claim_state(claim).lists())
    data.update({"place_name": ["Douma"], "place_country": ["SY"], "action": ["save"]})
    client.force_login(editor)
    before = counts()
    r = client.post(f"/claims/{claim.pk}/edit/", data)
    assert r.status_code in (403, 409)
    assert counts() == before


# A candidate accepted with the editor's corrections (edit-then-accept) goes through the
# same rule: the service resolves the corrected place and sources after its permission
# check, inside its transaction, and does not resolve the parser's place the editor
# replaced.

DOUMA_STORY = (
    "At least 12 people were killed in a strike on Douma on Tuesday, the Observatory said."
)
DOUMA_FIGURE = (0, len("At least 12 people"))


@pytest.fixture
def douma_story(editor: Any) -> Any:
    return StoryFactory(headline="Strike on Douma", body=DOUMA_STORY, created_by=editor)


def edited_accept(**extra: str) -> dict[str, str]:
    return {
        "edit": "1",
        "start": str(DOUMA_FIGURE[0]),
        "end": str(DOUMA_FIGURE[1]),
        "value_low": "12",
        "value_high": "",
        "qualifier": "at_least",
        "event": "killed",
        "population": "all",
        "place_name": HAMLET["name"],
        "place_country": HAMLET["country"],
        "sources": "Observatory",
        **extra,
    }


def api_accept(**extra: Any) -> dict[str, Any]:
    return {
        "start": DOUMA_FIGURE[0],
        "end": DOUMA_FIGURE[1],
        "value_low": 15,
        "qualifier": "at_least",
        "place": HAMLET,
        "sources": ["Observatory"],
        **extra,
    }


@pytest.mark.parametrize("sources", ["Observatory", "Nobody We Know"], ids=["known", "unknown"])
def test_the_story_page_refuses_a_checkers_edited_accept_and_creates_nothing(
    client, checker, observatory, douma_story, sources
):
    client.force_login(checker)
    before = counts()
    r = client.post(f"/stories/{douma_story.pk}/accept/", edited_accept(sources=sources))
    # Refused for who asks before anything they named is looked up.
    assert r.status_code == 403, r.content.decode()[:2000]
    assert counts() == before


def test_the_api_refuses_a_checkers_edited_accept_and_creates_nothing(
    checker, observatory, douma_story
):
    before = counts()
    r = as_(checker).post(f"/api/v1/stories/{douma_story.pk}/accept/", api_accept(), format="json")
    assert r.status_code == 403, r.content
    assert counts() == before


def test_an_editors_edited_accept_creates_the_new_place_once(
    client, editor, observatory, douma_story
):
    client.force_login(editor)
    before = counts()
    r = client.post(f"/stories/{douma_story.pk}/accept/", edited_accept())
    assert r.status_code == 302, r.content.decode()[:2000]
    claim = Claim.objects.get()
    assert claim.place is not None and claim.place.name == HAMLET["name"]
    assert [a.source for a in claim.attributions.all()] == [observatory]
    # The village and Syria above it; not the Douma the editor replaced.
    assert counts()["places"] == before["places"] + 2
    assert Place.objects.filter(name=HAMLET["name"]).count() == 1
    assert not Place.objects.filter(name="Douma").exists()


def test_an_editors_edited_accept_through_the_api_creates_the_new_place_once(
    editor, observatory, douma_story
):
    before = counts()
    r = as_(editor).post(f"/api/v1/stories/{douma_story.pk}/accept/", api_accept(), format="json")
    assert r.status_code == 201, r.content
    claim = Claim.objects.get(pk=r.json()["id"])
    assert (claim.value_low, claim.place.name) == (15, HAMLET["name"])
    assert counts()["places"] == before["places"] + 2
    assert not Place.objects.filter(name="Douma").exists()


def test_an_edited_accept_with_an_unknown_source_creates_no_place(client, editor, douma_story):
    client.force_login(editor)
    before = counts()
    r = client.post(f"/stories/{douma_story.pk}/accept/", edited_accept(sources="Nobody We Know"))
    assert r.status_code == 400
    assert counts() == before
