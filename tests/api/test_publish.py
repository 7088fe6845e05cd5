"""`POST /api/v1/claims/{id}/publish/` and `/unpublish/`, role by role, and what a claim's
own answer says about its review and the stories to correct."""

from __future__ import annotations

import pytest

from claims import services
from claims.models import ClaimEvent, PublishedReview, Status
from tests.factories import ClaimFactory
from tests.publishing import decided_claim, published_story

pytestmark = pytest.mark.django_db

SUMMARY = "One monitor's count; nobody else has confirmed it yet."


def url(claim, what: str = "publish") -> str:  # type: ignore[no-untyped-def]
    return f"/api/v1/claims/{claim.pk}/{what}/"


@pytest.mark.parametrize("role", ["checker", "admin"])
def test_fact_checkers_and_admins_publish_a_decided_claim(api, checker, role, request):
    claim = decided_claim(checker)
    r = api.as_(request.getfixturevalue(role)).post(url(claim), {"summary": SUMMARY}, format="json")
    assert r.status_code == 200, r.json()
    review = PublishedReview.objects.get(claim=claim)
    assert r.json()["review_url"] == f"http://testserver/reviews/{review.key}/"
    assert r.json()["live"] is True and r.json()["summary"] == SUMMARY
    event = claim.events.get(kind=ClaimEvent.Kind.PUBLISHED)
    assert event.actor == request.getfixturevalue(role)
    # Anyone reads it, logged out.
    api.force_authenticate(None)
    assert api.get(f"/reviews/{review.key}/").status_code == 200


def test_an_editor_may_not_publish(api, checker, editor):
    claim = decided_claim(checker)
    r = api.as_(editor).post(url(claim), {"summary": SUMMARY}, format="json")
    assert r.status_code == 403
    assert not PublishedReview.objects.exists()


def test_an_outsider_sees_no_claim_and_a_stranger_must_log_in(api, checker, outsider):
    claim = decided_claim(checker)
    assert api.post(url(claim), {"summary": SUMMARY}, format="json").status_code in (401, 403)
    r = api.as_(outsider).post(url(claim), {"summary": SUMMARY}, format="json")
    assert r.status_code in (403, 404)
    assert not PublishedReview.objects.exists()


def test_an_undecided_claim_is_a_conflict(api, checker):
    for status in (Status.NEW, Status.IN_REVIEW, Status.RETRACTED):
        claim = ClaimFactory(status=status)
        r = api.as_(checker).post(url(claim), {"summary": SUMMARY}, format="json")
        assert r.status_code == 409, status
        assert "decided" in r.json()["detail"]
    assert not PublishedReview.objects.exists()


@pytest.mark.parametrize(
    "body", [{}, {"summary": ""}, {"summary": "   "}, {"summary": "x" * 5001}, {"summary": ["a"]}]
)
def test_a_bad_summary_is_a_400_with_a_field_message(api, checker, body):
    claim = decided_claim(checker)
    r = api.as_(checker).post(url(claim), body, format="json")
    assert r.status_code == 400
    assert "summary" in r.json()
    assert not PublishedReview.objects.exists()


def test_unpublish_takes_it_down_role_by_role(api, checker, editor, admin):
    claim = decided_claim(checker)
    services.review_publish(claim=claim, actor=checker, summary=SUMMARY)
    review_url = url(claim, "unpublish")
    assert api.as_(editor).post(review_url, {"note": "No."}, format="json").status_code == 403
    assert api.as_(admin).post(review_url, {}, format="json").status_code == 400
    r = api.as_(admin).post(review_url, {"note": "The monitor withdrew it."}, format="json")
    assert r.status_code == 200 and r.json()["live"] is False
    key = PublishedReview.objects.get(claim=claim).key
    api.force_authenticate(None)
    assert api.get(f"/reviews/{key}/").status_code == 404
    r = api.as_(checker).post(review_url, {"note": "Again."}, format="json")
    assert r.status_code == 409
    event = claim.events.get(kind=ClaimEvent.Kind.UNPUBLISHED)
    assert (event.actor, event.note) == (admin, "The monitor withdrew it.")


def test_the_claim_answers_its_review_and_stories_to_correct(api, checker, editor):
    story = published_story(editor)
    claim = decided_claim(checker, story=story)
    services.review_publish(claim=claim, actor=checker, summary=SUMMARY)
    data = api.as_(editor).get(f"/api/v1/claims/{claim.pk}/").json()
    assert data["review_url"].startswith("http://testserver/reviews/")
    assert data["stories_to_correct"] == []
    r = api.as_(checker).post(
        f"/api/v1/claims/{claim.pk}/transition/",
        {"to": "retracted", "note": "The monitor withdrew the count."},
        format="json",
    )
    assert r.status_code == 200
    [row] = r.json()["stories_to_correct"]
    assert (row["story"], row["headline"], row["reason"]) == (story.pk, story.headline, "retracted")
    assert r.json()["review_url"] is None  # a retracted claim's review is not public


def test_the_claimreview_endpoint_points_at_the_public_page_once_published(api, checker):
    claim = decided_claim(checker)
    before = api.as_(checker).get(f"/api/v1/claims/{claim.pk}/claimreview/").json()
    assert before["url"] == f"http://testserver/claims/{claim.pk}/"
    review = services.review_publish(claim=claim, actor=checker, summary=SUMMARY)
    after = api.as_(checker).get(f"/api/v1/claims/{claim.pk}/claimreview/").json()
    assert after["url"] == f"http://testserver/reviews/{review.key}/"
    assert after["reviewBody"] == SUMMARY


def test_an_edit_answers_the_stories_still_to_correct(api, checker, editor):
    story = published_story(editor)
    claim = decided_claim(checker, story=story)
    client = api.as_(checker)
    r = client.post(
        f"/api/v1/claims/{claim.pk}/transition/",
        {"to": "in_review", "note": "The ministry gives a lower toll."},
        format="json",
    )
    assert [row["reason"] for row in r.json()["stories_to_correct"]] == ["reopened"]
    r = client.patch(
        f"/api/v1/claims/{claim.pk}/",
        {"value_low": 50, "version": r.json()["version"]},
        format="json",
    )
    assert r.status_code == 200, r.json()
    assert [row["story"] for row in r.json()["stories_to_correct"]] == [story.pk]
