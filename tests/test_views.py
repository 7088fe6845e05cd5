"""The first pages: login, the desk's home, story and claim pages, and the decide form."""

from __future__ import annotations

import pytest

from claims.models import ClaimEvent, Status
from tests.factories import AttributionFactory, ClaimFactory, StoryFactory

pytestmark = pytest.mark.django_db


def test_it_serves_the_login_page(client):
    r = client.get("/login/")
    assert r.status_code == 200
    assert b'name="username"' in r.content


def test_it_sends_anonymous_visitors_to_login(client):
    r = client.get("/")
    assert r.status_code == 302 and r["Location"].startswith("/login/")


def test_it_logs_in_and_out(client, editor):
    r = client.post("/login/", {"username": "eddie", "password": "pass-word-123"})
    assert r.status_code == 302 and r["Location"] == "/"
    r = client.post("/logout/")
    assert r.status_code == 302
    assert client.get("/").status_code == 302


def test_it_lists_stories_and_what_waits_on_the_home_page(
    client, editor, django_assert_num_queries
):
    story = StoryFactory(headline="Barrel bombs in Aleppo")
    for _ in range(3):
        AttributionFactory(claim=ClaimFactory(story=story))
    client.force_login(editor)
    # session, user, roles, claim counts, flags by severity, the week's decisions, latest
    # decisions, stories, open flags by topic (the dashboard's own tests are in
    # test_queue_views.py)
    with django_assert_num_queries(9):
        r = client.get("/")
    assert r.status_code == 200
    html = r.content.decode()
    assert "Barrel bombs in Aleppo" in html and "3 claims" in html
    assert r.context["board"].waiting == 3


def test_it_shows_nothing_to_a_user_without_a_role(client, outsider):
    StoryFactory(headline="Barrel bombs in Aleppo")
    claim = ClaimFactory()
    client.force_login(outsider)
    assert b"Barrel bombs" not in client.get("/").content
    assert client.get(f"/claims/{claim.pk}/").status_code == 404


def test_it_shows_a_claim_with_its_history(client, checker):
    claim = ClaimFactory()
    client.force_login(checker)
    client.post(f"/claims/{claim.pk}/transition/", {"to": "in_review", "version": 1})
    r = client.get(f"/claims/{claim.pk}/")
    assert r.status_code == 200
    html = r.content.decode()
    assert "chris" in html and "New → In review" in html


def test_it_takes_a_claim_from_the_claim_page(client, checker):
    claim = ClaimFactory()
    client.force_login(checker)
    r = client.post(f"/claims/{claim.pk}/transition/", {"to": "in_review", "version": "1"})
    assert r.status_code == 302
    claim.refresh_from_db()
    assert claim.status == Status.IN_REVIEW
    assert ClaimEvent.objects.get(claim=claim, kind="transition").actor == checker


def test_it_refuses_get_on_the_transition_url(client, checker):
    claim = ClaimFactory()
    client.force_login(checker)
    assert client.get(f"/claims/{claim.pk}/transition/").status_code == 405


def test_it_hides_the_transition_from_an_outsider(client, outsider):
    claim = ClaimFactory()
    client.force_login(outsider)
    r = client.post(f"/claims/{claim.pk}/transition/", {"to": "retracted", "note": "x"})
    assert r.status_code == 404


def test_it_refuses_a_decision_by_an_editor_and_keeps_the_note(client, editor, checker):
    claim = ClaimFactory(status=Status.IN_REVIEW, assignee=checker)
    client.force_login(editor)
    r = client.post(
        f"/claims/{claim.pk}/transition/", {"to": "verified", "note": "My careful note"}
    )
    assert r.status_code == 403
    assert "My careful note" in r.content.decode()
    claim.refresh_from_db()
    assert claim.status == Status.IN_REVIEW
    assert not ClaimEvent.objects.filter(claim=claim).exists()


def test_it_shows_a_conflict_when_the_claim_changed_meanwhile(client, checker):
    claim = ClaimFactory()
    client.force_login(checker)
    client.post(f"/claims/{claim.pk}/transition/", {"to": "in_review", "version": "1"})
    r = client.post(
        f"/claims/{claim.pk}/transition/",
        {"to": "retracted", "note": "Duplicate of another", "version": "1"},
    )
    assert r.status_code == 409
    assert "Someone else changed this claim" in r.content.decode()
    assert "Duplicate of another" in r.content.decode()
