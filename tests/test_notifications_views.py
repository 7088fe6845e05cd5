"""The notifications page, the bell and marking read: one's own only."""

from __future__ import annotations

import pytest

from claims.models import Notification, NotificationSetting
from claims.services import notifications
from tests.factories import ClaimFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def notes(checker, other_checker):  # type: ignore[no-untyped-def]
    claim = ClaimFactory()
    return (
        notifications.notify(
            checker,
            event="assigned",
            key="a:1",
            message="casey assigned you a claim.",
            claim=claim,
        ),
        notifications.notify(checker, event="mentioned", key="m:1", message="eddie wrote @chris."),
        notifications.notify(other_checker, event="assigned", key="a:1", message="Not yours."),
    )


def test_it_lists_ones_own_with_read_and_unread(client, checker, notes, django_assert_num_queries):
    first, second, theirs = notes
    notifications.notification_mark_read(actor=checker, notification_ids=[first.pk])
    client.force_login(checker)
    # Session and user; the page of notifications and its count; the unread count;
    # the user's email settings; the roles for the nav.
    with django_assert_num_queries(7):
        r = client.get("/notifications/")
    assert r.status_code == 200
    body = r.content.decode()
    assert "casey assigned you a claim." in body and "eddie wrote @chris." in body
    assert "Not yours." not in body
    assert "1 unread." in body
    assert f'id="notification-{first.pk}"' in body
    r = client.get("/notifications/?show=unread")
    assert "casey assigned you a claim." not in r.content.decode()


def test_the_bell_counts_the_unread(client, checker, outsider, notes):
    client.force_login(checker)
    r = client.get("/notifications/bell/")
    assert r.status_code == 200
    assert 'data-unread="2"' in r.content.decode()
    client.force_login(outsider)
    assert 'data-unread="0"' in client.get("/notifications/bell/").content.decode()


def test_the_nav_loads_the_bell(client, checker):
    client.force_login(checker)
    assert 'hx-get="/notifications/bell/"' in client.get("/").content.decode()


def test_marking_read_takes_a_post_and_ones_own(client, checker, notes):
    first, _, theirs = notes
    client.force_login(checker)
    assert client.get(f"/notifications/{first.pk}/read/").status_code == 405
    r = client.post(f"/notifications/{first.pk}/read/")
    assert r.status_code == 302 and r["Location"] == "/notifications/"
    first.refresh_from_db()
    assert first.read
    assert client.post(f"/notifications/{theirs.pk}/read/").status_code == 404
    theirs.refresh_from_db()
    assert not theirs.read


def test_open_marks_read_and_goes_to_the_claim(client, checker, notes):
    first = notes[0]
    client.force_login(checker)
    r = client.post(f"/notifications/{first.pk}/read/", {"open": "1"})
    assert r["Location"] == f"/claims/{first.claim_id}/"
    assert Notification.objects.get(pk=first.pk).read


def test_mark_all_read(client, checker, other_checker, notes):
    client.force_login(checker)
    r = client.post("/notifications/read/")
    assert r.status_code == 302
    assert not Notification.objects.filter(recipient=checker, read_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=other_checker, read_at__isnull=True).exists()


def test_settings_are_saved_and_bad_ones_refused(client, checker):
    client.force_login(checker)
    r = client.post("/notifications/settings/", {"assigned": "digest", "mentioned": "off"})
    assert r.status_code == 302
    assert dict(NotificationSetting.objects.filter(user=checker).values_list("event", "how")) == {
        "assigned": "digest",
        "mentioned": "off",
    }
    r = client.post("/notifications/settings/", {"assigned": "carrier-pigeon"})
    assert r.status_code == 400
    assert NotificationSetting.objects.get(user=checker, event="assigned").how == "digest"


def test_anonymous_visitors_are_sent_to_log_in(client):
    r = client.get("/notifications/")
    assert r.status_code == 302 and "/login/" in r["Location"]
