"""The webhook pages of the admin: registering through the guard, the delivery log, and
redelivery by hand."""

from __future__ import annotations

import pytest

from claims.models import WebhookDelivery, WebhookEndpoint

# The tasks run in-process even where a broker is configured: these test what they do.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_celery")]


def test_the_admin_refuses_a_loopback_address(client, admin, settings):
    settings.LINKCHECK_ALLOW_PRIVATE = False
    client.force_login(admin)
    r = client.post(
        "/admin/claims/webhookendpoint/add/",
        {
            "url": "http://127.0.0.1:9/hook",
            "secret": "s3cret",
            "events": ["flag.raised"],
            "active": "on",
        },
    )
    assert r.status_code == 200
    assert "loopback" in r.content.decode()
    assert not WebhookEndpoint.objects.exists()


def test_the_admin_registers_an_endpoint(client, admin, settings):
    settings.LINKCHECK_ALLOW_PRIVATE = True
    client.force_login(admin)
    r = client.post(
        "/admin/claims/webhookendpoint/add/",
        {
            "url": "http://127.0.0.1:9/hook",
            "secret": "s3cret",
            "events": ["flag.raised", "flag.resolved"],
            "slack": "on",
            "active": "on",
        },
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    hook = WebhookEndpoint.objects.get()
    assert hook.events == ["flag.raised", "flag.resolved"] and hook.slack
    assert hook.created_by == admin


def test_the_log_lists_deliveries_and_redelivers_by_hand(
    client, admin, settings, django_capture_on_commit_callbacks
):
    settings.LINKCHECK_ALLOW_PRIVATE = True
    hook = WebhookEndpoint.objects.create(
        url="http://127.0.0.1:9/hook", secret="s", events=["flag.raised"]
    )
    delivery = WebhookDelivery.objects.create(
        endpoint=hook,
        event="flag.raised",
        key="flag.raised:1",
        body="{}",
        status=WebhookDelivery.Status.FAILED,
        attempts=9,
        last_error="the endpoint answered 500",
    )
    client.force_login(admin)
    r = client.get("/admin/claims/webhookdelivery/")
    assert "the endpoint answered 500" in r.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(
            "/admin/claims/webhookdelivery/",
            {"action": "redeliver", "_selected_action": [delivery.pk]},
        )
    assert r.status_code == 302
    delivery.refresh_from_db()
    # Port 9 (discard) refuses: the one attempt by hand failed, and says why.
    assert (delivery.status, delivery.attempts) == ("failed", 10)
    assert delivery.last_error.startswith("connection failed")


def test_the_log_is_read_only(client, admin):
    hook = WebhookEndpoint.objects.create(
        url="https://hooks.example.org/", secret="s", events=["flag.raised"]
    )
    delivery = WebhookDelivery.objects.create(
        endpoint=hook, event="flag.raised", key="k", body="{}"
    )
    client.force_login(admin)
    r = client.post(f"/admin/claims/webhookdelivery/{delivery.pk}/change/", {"body": "changed"})
    assert r.status_code == 403
    delivery.refresh_from_db()
    assert delivery.body == "{}"
