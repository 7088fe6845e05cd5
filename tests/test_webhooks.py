"""Webhook deliveries, against a real HTTP server the test starts: signed, retried on
failure, given up after the window, and refused by the address guard."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from claims import services
from claims.checks import sync
from claims.errors import ActionForbidden, InvalidInput
from claims.models import Flag, Notification, Status, WebhookDelivery, WebhookEndpoint
from claims.services import webhooks
from tests.factories import (
    AttributionFactory,
    ClaimFactory,
    EvidenceFactory,
    SourceFactory,
)

# The tasks run in-process even where a broker is configured: these test what they do.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_celery")]

SECRET = "a-long-shared-secret-for-tests"


@dataclass
class Receiver:
    """What the local server was sent, and the statuses it answers with in turn."""

    url: str
    answers: list[int] = field(default_factory=list)
    received: list[tuple[dict[str, str], bytes]] = field(default_factory=list)

    def bodies(self) -> list[dict[str, Any]]:
        return [json.loads(body) for _, body in self.received]


@pytest.fixture
def receiver(settings) -> Iterator[Receiver]:  # type: ignore[no-untyped-def]
    settings.LINKCHECK_ALLOW_PRIVATE = True  # the server is on 127.0.0.1
    state = Receiver(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (the standard library's name)
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            state.received.append((dict(self.headers.items()), body))
            status = state.answers.pop(0) if state.answers else 200
            self.send_response(status)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    yield state
    server.shutdown()
    server.server_close()


@pytest.fixture
def run(django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    def call(fn, **kwargs):  # type: ignore[no-untyped-def]
        with django_capture_on_commit_callbacks(execute=True):
            return fn(**kwargs)

    return call


def endpoint(receiver: Receiver, admin, events, **more) -> WebhookEndpoint:  # type: ignore[no-untyped-def]
    return services.webhook_create(
        actor=admin, url=receiver.url, secret=SECRET, events=events, **more
    )


def verified(headers: dict[str, str], body: bytes) -> bool:
    expected = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(headers["X-Desk-Signature"], expected)


def test_it_posts_a_new_claim_signed(run, receiver, admin, editor):
    endpoint(receiver, admin, ["claim.created"])
    claim = run(services.claim_create, actor=editor, text="Officials said 14 people died in Homs.")
    [(headers, body)] = receiver.received
    assert verified(headers, body)
    assert headers["Content-Type"] == "application/json"
    payload = json.loads(body)
    assert payload["event"] == "claim.created"
    assert payload["id"] == WebhookDelivery.objects.get().uid
    assert dt.datetime.fromisoformat(payload["timestamp"])
    # The claim as the API answers it.
    api = APIClient()
    api.force_authenticate(admin)
    answer = api.get(f"/api/v1/claims/{claim.pk}/").json()
    assert payload["claim"]["id"] == claim.pk
    assert set(payload["claim"]) == set(answer)
    assert payload["claim"]["text"] == answer["text"]
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_status) == ("delivered", 1, 200)
    assert delivery.response_ms is not None


def test_a_tampered_body_fails_the_signature(run, receiver, admin, editor):
    endpoint(receiver, admin, ["claim.created"])
    run(services.claim_create, actor=editor, text="Officials said 14 people died in Homs.")
    [(headers, body)] = receiver.received
    assert not verified(headers, body.replace(b"Homs", b"Hama"))


def test_only_the_events_asked_for_are_sent(run, receiver, admin, editor, checker):
    endpoint(receiver, admin, ["claim.decided"])
    claim = run(services.claim_create, actor=editor, text="Officials said 14 people died in Homs.")
    assert receiver.received == []
    run(services.claim_transition, claim=claim, actor=checker, to=Status.IN_REVIEW)
    run(services.claim_transition, claim=claim, actor=checker, to="disputed", note="Clash.")
    [payload] = receiver.bodies()
    assert payload["event"] == "claim.decided"
    assert payload["claim"]["status"] == "disputed"


def test_flags_raised_and_resolved_are_sent(
    run, django_capture_on_commit_callbacks, receiver, admin, checker
):
    endpoint(receiver, admin, ["flag.raised", "flag.resolved"])
    sohr = ClaimFactory(text="At least 51 killed in Aleppo on 12 Feb, the Observatory said.")
    AttributionFactory(claim=sohr, source=SourceFactory(name="Observatory", grade="C"))
    wire = ClaimFactory(
        text="Between 20 and 30 killed in Aleppo, medics said.",
        value_low=20,
        value_high=30,
        qualifier="range",
    )
    AttributionFactory(claim=wire, source=SourceFactory(name="Example Wire", grade="D"))
    with django_capture_on_commit_callbacks(execute=True):
        sync.scan_contradictions()
    flag = Flag.objects.get(kind="value_conflict")
    run(
        services.flag_resolve,
        flag=flag,
        actor=checker,
        note="The floor.",
        figure_low=51,
        rule="lowest_credible",
    )
    raised, resolved = receiver.bodies()
    assert (raised["event"], raised["flag"]["id"], raised["flag"]["status"]) == (
        "flag.raised",
        flag.pk,
        "open",
    )
    assert (resolved["event"], resolved["flag"]["status"]) == ("flag.resolved", "resolved")
    assert sorted(resolved["flag"]["claims"]) == sorted([sohr.pk, wire.pk])


def test_a_published_review_is_sent(run, receiver, admin, checker):
    endpoint(receiver, admin, ["review.published"])
    claim = ClaimFactory(status=Status.ATTRIBUTED, assignee=checker)
    EvidenceFactory(claim=claim)
    run(services.review_publish, claim=claim, actor=checker, summary="One monitor's count only.")
    [payload] = receiver.bodies()
    assert payload["event"] == "review.published"
    assert payload["claim"]["review_url"]


def test_a_500_is_retried_with_backoff_until_it_is_delivered(run, receiver, admin, editor):
    endpoint(receiver, admin, ["claim.created"])
    receiver.answers = [500, 502]
    run(services.claim_create, actor=editor, text="Officials said 14 people died in Homs.")
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_status) == ("pending", 1, 500)
    assert delivery.last_error == "the endpoint answered 500"
    first_wait = delivery.next_attempt_at - delivery.last_attempt_at
    assert first_wait == dt.timedelta(minutes=1)
    # Not due yet: the sweep leaves it.
    assert webhooks.due_deliveries(delivery.last_attempt_at) == []
    at = delivery.next_attempt_at
    assert webhooks.due_deliveries(at) == [delivery.pk]
    assert webhooks.deliver(delivery.pk, now=at) == "pending"
    delivery.refresh_from_db()
    assert delivery.next_attempt_at - at == dt.timedelta(minutes=2)
    assert webhooks.deliver(delivery.pk, now=delivery.next_attempt_at) == "delivered"
    delivery.refresh_from_db()
    assert (delivery.attempts, delivery.last_status, delivery.last_error) == (3, 200, "")
    assert len(receiver.received) == 3
    # Every attempt sends the same bytes under the same signature.
    assert len({body for _, body in receiver.received}) == 1
    assert WebhookEndpoint.objects.get().failing_since is None


def test_it_gives_up_after_a_day_and_switches_the_endpoint_off(run, receiver, admin, editor):
    hook = endpoint(receiver, admin, ["claim.created"])
    receiver.answers = [500] * 10
    run(services.claim_create, actor=editor, text="Officials said 14 people died in Homs.")
    delivery = WebhookDelivery.objects.get()
    later = delivery.created_at + dt.timedelta(hours=12)
    assert webhooks.deliver(delivery.pk, now=later) == "pending"
    hook.refresh_from_db()
    assert hook.active and hook.failing_since is not None
    assert Notification.objects.filter(event="webhook_off").count() == 0
    past = delivery.created_at + dt.timedelta(hours=25)
    assert webhooks.deliver(delivery.pk, now=past) == "failed"
    delivery.refresh_from_db()
    assert delivery.next_attempt_at is None
    hook.refresh_from_db()
    assert not hook.active and "Every delivery failed" in hook.disabled_reason
    [notice] = Notification.objects.filter(event="webhook_off")
    assert notice.recipient == admin and receiver.url in notice.message
    # A switched-off endpoint gets nothing more, not even what is due.
    assert webhooks.due_deliveries(past + dt.timedelta(hours=1)) == []


def test_the_address_guard_refuses_private_addresses(settings, admin, editor, receiver, run):
    hook = endpoint(receiver, admin, ["claim.created"])
    settings.LINKCHECK_ALLOW_PRIVATE = False
    with pytest.raises(InvalidInput) as refused:
        services.webhook_create(
            actor=admin, url=receiver.url, secret=SECRET, events=["claim.created"]
        )
    assert "loopback" in refused.value.errors["url"][0]
    # Registered while allowed, refused at delivery now.
    run(services.claim_create, actor=editor, text="Officials said 14 people died in Homs.")
    delivery = WebhookDelivery.objects.get(endpoint=hook)
    assert receiver.received == []
    assert "loopback" in delivery.last_error


def test_only_admins_register_and_input_is_checked(receiver, admin, checker, editor):
    with pytest.raises(ActionForbidden):
        endpoint(receiver, checker, ["claim.created"])
    with pytest.raises(InvalidInput) as bad:
        endpoint(receiver, admin, ["claim.deleted"])
    assert "events" in bad.value.errors
    with pytest.raises(InvalidInput) as bad:
        services.webhook_create(actor=admin, url="ftp://example.org/", secret="", events=[])
    assert {"url", "secret", "events"} <= set(bad.value.errors)
    assert not WebhookEndpoint.objects.exists()


def test_slack_compatible_endpoints_get_text_with_a_link(run, receiver, admin, editor, settings):
    settings.DESK_URL = "https://desk.example.org"
    endpoint(receiver, admin, ["claim.created"], slack=True)
    claim = run(services.claim_create, actor=editor, text="Officials said 14 people died in Homs.")
    [(headers, body)] = receiver.received
    assert verified(headers, body)
    payload = json.loads(body)
    assert list(payload) == ["text"]
    assert "14 people died in Homs" in payload["text"]
    assert f"<https://desk.example.org/claims/{claim.pk}/|" in payload["text"]


def test_an_event_is_delivered_once_however_often_its_task_runs(run, receiver, admin, editor):
    endpoint(receiver, admin, ["claim.created"])
    claim = run(services.claim_create, actor=editor, text="Officials said 14 people died in Homs.")
    event = claim.events.get(kind="created")
    assert webhooks.deliveries_for_claim_event(event.pk) == []
    assert WebhookDelivery.objects.count() == 1
    assert len(receiver.received) == 1


def test_redelivery_by_hand_sends_the_same_body_again(
    run, receiver, admin, editor, django_capture_on_commit_callbacks
):
    endpoint(receiver, admin, ["claim.created"])
    run(services.claim_create, actor=editor, text="Officials said 14 people died in Homs.")
    delivery = WebhookDelivery.objects.get()
    with pytest.raises(ActionForbidden):
        services.deliveries_redeliver(actor=editor, delivery_ids=[delivery.pk])
    with django_capture_on_commit_callbacks(execute=True):
        services.deliveries_redeliver(actor=admin, delivery_ids=[delivery.pk])
    assert len(receiver.received) == 2
    assert receiver.received[0][1] == receiver.received[1][1]
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("delivered", 2)
    assert timezone.now() - delivery.delivered_at < dt.timedelta(minutes=1)


def test_the_minute_job_sends_what_is_due(
    run, receiver, admin, editor, django_capture_on_commit_callbacks
):
    from claims import tasks

    endpoint(receiver, admin, ["claim.created"])
    receiver.answers = [500]
    run(services.claim_create, actor=editor, text="Officials said 14 people died in Homs.")
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.retry_webhooks() == 0  # the next attempt is a minute away
    WebhookDelivery.objects.update(next_attempt_at=timezone.now() - dt.timedelta(seconds=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.retry_webhooks() == 1
    assert WebhookDelivery.objects.get().status == "delivered"
    assert len(receiver.received) == 2


def test_a_chat_channel_hears_of_high_flags_only(
    django_capture_on_commit_callbacks, receiver, admin, settings
):
    settings.DESK_URL = "https://desk.example.org"
    endpoint(receiver, admin, ["flag.raised"], slack=True, high_flags_only=True)
    # Medium: one credible source against one that is not.
    sohr = ClaimFactory(text="At least 51 killed in Aleppo on 12 Feb, the Observatory said.")
    AttributionFactory(claim=sohr, source=SourceFactory(name="Observatory", grade="B"))
    wire = ClaimFactory(
        text="Between 20 and 30 killed in Aleppo, medics said.",
        value_low=20,
        value_high=30,
        qualifier="range",
    )
    AttributionFactory(claim=wire, source=SourceFactory(name="Example Wire", grade="D"))
    with django_capture_on_commit_callbacks(execute=True):
        sync.scan_contradictions()
    assert Flag.objects.get().severity < 40
    assert receiver.received == []
    # High: credible sources on both sides, the next day.
    day = dt.date(2014, 2, 13)
    sohr2 = ClaimFactory(
        text="At least 60 killed in Aleppo on 13 Feb, the Observatory said.",
        value_low=60,
        period_start=day,
        period_end=day,
    )
    AttributionFactory(claim=sohr2, source=SourceFactory(name="Observatory", grade="B"))
    wire2 = ClaimFactory(
        text="Between 20 and 30 killed in Aleppo on Thursday, officials said.",
        value_low=20,
        value_high=30,
        qualifier="range",
        period_start=day,
        period_end=day,
    )
    AttributionFactory(claim=wire2, source=SourceFactory(name="Official count", grade="A"))
    with django_capture_on_commit_callbacks(execute=True):
        sync.scan_contradictions()
    high = Flag.objects.get(severity=40)
    [payload] = receiver.bodies()
    assert payload["text"].startswith("High flag raised: ")
    assert f"<https://desk.example.org/flags/{high.pk}/|Open on the desk>" in payload["text"]
