"""GET /api/v1/notifications/ and marking read: one's own notifications only."""

from __future__ import annotations

import pytest

from claims.models import Notification
from claims.services import notifications
from tests.factories import ClaimFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def mine(checker, other_checker):  # type: ignore[no-untyped-def]
    claim = ClaimFactory()
    first = notifications.notify(
        checker, event="assigned", key="a:1", message="Casey assigned you a claim.", claim=claim
    )
    second = notifications.notify(
        checker, event="webhook_off", key="w:1", message="A webhook was switched off."
    )
    theirs = notifications.notify(other_checker, event="assigned", key="a:1", message="Theirs.")
    return first, second, theirs


def test_it_lists_ones_own_newest_first(api, checker, mine, django_assert_num_queries):
    first, second, _ = mine
    client = api.as_(checker)
    # The count of the page, the page.
    with django_assert_num_queries(2):
        r = client.get("/api/v1/notifications/")
    assert r.status_code == 200
    items = r.json()["results"]
    assert [i["id"] for i in items] == [second.pk, first.pk]
    assert items[1] == {
        "id": first.pk,
        "event": "assigned",
        "claim": first.claim_id,
        "message": "Casey assigned you a claim.",
        "read": False,
        "created_at": items[1]["created_at"],
    }
    assert items[0]["claim"] is None


def test_it_marks_one_read_and_refuses_anothers(api, checker, mine):
    first, _, theirs = mine
    client = api.as_(checker)
    r = client.post(f"/api/v1/notifications/{first.pk}/read/")
    assert r.status_code == 200
    assert r.json() == {"marked": 1, "unread": 1}
    assert client.get("/api/v1/notifications/?unread=1").json()["count"] == 1
    r = client.post(f"/api/v1/notifications/{theirs.pk}/read/")
    assert r.status_code == 404
    assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_it_marks_all_or_the_ids_given(api, checker, mine):
    first, second, theirs = mine
    client = api.as_(checker)
    assert client.post(
        "/api/v1/notifications/read/", {"ids": [theirs.pk]}, format="json"
    ).json() == {
        "marked": 0,
        "unread": 2,
    }
    assert client.post("/api/v1/notifications/read/", {}, format="json").json() == {
        "marked": 2,
        "unread": 0,
    }


def test_bad_ids_are_a_400(api, checker, mine):
    r = api.as_(checker).post("/api/v1/notifications/read/", {"ids": ["x"]}, format="json")
    assert r.status_code == 400
    assert "ids" in r.json()["errors"] if "errors" in r.json() else "ids" in r.json()
    assert Notification.objects.filter(read_at__isnull=False).count() == 0


def test_anonymous_is_asked_to_sign_in(api):
    assert api.get("/api/v1/notifications/").status_code == 401


@pytest.mark.parametrize("persona", ["outsider", "editor", "checker"])
def test_webhooks_are_for_admins_only(api, request, persona):
    user = request.getfixturevalue(persona)
    client = api.as_(user)
    assert client.get("/api/v1/webhooks/").status_code == 403
    body = {"url": "https://hooks.example.org/desk", "secret": "s3cret", "events": ["flag.raised"]}
    assert client.post("/api/v1/webhooks/", body, format="json").status_code == 403


def test_an_admin_registers_a_webhook(api, admin, monkeypatch):
    # example.org resolves to a public address; the guard's lookup is not the point here.
    monkeypatch.setattr("claims.services.webhooks.url_refusal", lambda url: "")
    client = api.as_(admin)
    body = {
        "url": "https://hooks.example.org/desk",
        "secret": "s3cret",
        "events": ["flag.raised", "claim.decided"],
        "slack": True,
    }
    r = client.post("/api/v1/webhooks/", body, format="json")
    assert r.status_code == 201, r.content
    answer = r.json()
    assert answer["events"] == ["flag.raised", "claim.decided"]
    assert answer["slack"] is True and answer["active"] is True
    assert "secret" not in answer
    assert [w["id"] for w in client.get("/api/v1/webhooks/").json()["results"]] == [answer["id"]]


def test_a_bad_webhook_is_a_400_with_field_messages(api, admin, settings):
    settings.LINKCHECK_ALLOW_PRIVATE = False
    client = api.as_(admin)
    r = client.post(
        "/api/v1/webhooks/",
        {"url": "http://127.0.0.1:9/hook", "secret": "s", "events": ["claim.exploded"]},
        format="json",
    )
    assert r.status_code == 400
    r = client.post(
        "/api/v1/webhooks/",
        {"url": "http://127.0.0.1:9/hook", "secret": "s", "events": ["claim.created"]},
        format="json",
    )
    assert r.status_code == 400
    assert "loopback" in str(r.json())
