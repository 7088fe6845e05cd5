"""Webhooks: signed JSON POSTs to the addresses admins register, for other tools.

An event (a claim logged or decided, a flag raised or resolved, a review published)
becomes one `WebhookDelivery` per endpoint that asked for it, written by the task that
runs after the change commits (`claims.tasks`), once per event and endpoint (a unique
key). The body is built then and stored, so an attempt an hour later, or a redelivery
by hand, sends the same bytes under the same signature:

    X-Desk-Signature: sha256=<hex HMAC-SHA256 of the body under the endpoint's secret>

A failed attempt is tried again with a growing wait (`retry_delay`) for RETRY_WINDOW;
the retries are rows with a `next_attempt_at` that a job sweeps every minute, so they
survive a worker's restart and a broker's loss. An endpoint whose every delivery
failed for DISABLE_AFTER is switched off, and the admins are told.

Webhook URLs pass the link checker's address guard (`claims.linkcheck`) when they are
registered and at every connection: an admin's typo must not make the desk POST to
its own network. `LINKCHECK_ALLOW_PRIVATE` lifts it, for tests and closed networks.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import logging
import time
from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from claims import linkcheck, roles
from claims.errors import ActionForbidden, InvalidInput
from claims.models import (
    DECIDED,
    Claim,
    ClaimEvent,
    Flag,
    NotificationEvent,
    Severity,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
)
from claims.services.common import user_of, validate
from claims.typing import Actor

log = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Desk-Signature"
USER_AGENT = "claim-desk-webhooks/1.0"
# Each attempt waits this long at most to connect and for each read.
TIMEOUT = 10.0
RETRY_WINDOW = dt.timedelta(hours=24)
DISABLE_AFTER = dt.timedelta(hours=24)
MAX_RETRY_DELAY = dt.timedelta(hours=1)
ERROR_MAX = 300


def retry_delay(attempts: int) -> dt.timedelta:
    """The wait after the `attempts`-th failed attempt: 1, 2, 4 … minutes, an hour at most."""
    return min(dt.timedelta(minutes=2 ** max(attempts - 1, 0)), MAX_RETRY_DELAY)


def sign(secret: str, body: bytes) -> str:
    """The signature header's value for `body`; receivers compute the same and compare."""
    digest = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


# ---------------------------------------------------------------------------
# Registering endpoints


def url_refusal(url: str) -> str:
    """Why the desk may not POST to `url` (the link checker's guard), or "", in the
    language of whoever registers it."""
    # The guard's own check, which resolves the host: one rule for links and webhooks.
    return linkcheck.refusal(url, allow_private=settings.LINKCHECK_ALLOW_PRIVATE, local=True)


@transaction.atomic
def webhook_create(
    *,
    actor: Actor,
    url: str,
    secret: str,
    events: Sequence[str],
    slack: bool = False,
    high_flags_only: bool = False,
) -> WebhookEndpoint:
    """Register an endpoint (admins only)."""
    if not roles.is_admin(actor):
        raise ActionForbidden(gettext("Only admins register webhooks."))
    endpoint = WebhookEndpoint(
        url=(url or "").strip(),
        secret=secret or "",
        events=list(dict.fromkeys(events or [])),
        slack=bool(slack),
        high_flags_only=bool(high_flags_only),
        created_by=user_of(actor),
    )
    validate(endpoint, "webhook", exclude=("created_by",))
    refusal = url_refusal(endpoint.url)
    if refusal:
        raise InvalidInput(gettext("The webhook URL is refused."), errors={"url": [refusal]})
    endpoint.save()
    return endpoint


# ---------------------------------------------------------------------------
# Events into deliveries (in the task that runs after the change commits)


def _claim_object(claim_id: int) -> dict[str, Any] | None:
    # The claim as GET /api/v1/claims/{id}/ answers it: the API's serializer is the one
    # home of that answer (imported here, as the API imports the services).
    from claims.api.serializers import ClaimDetailSerializer

    claim = Claim.objects.with_related().filter(pk=claim_id).first()
    if claim is None:
        return None
    return dict(ClaimDetailSerializer(claim, context={}).data)


def _flag_object(flag_id: int) -> dict[str, Any] | None:
    from claims.api.serializers import FlagSerializer

    flag = Flag.objects.select_related("resolved_by").prefetch_related("claims")
    found = flag.filter(pk=flag_id).first()
    return dict(FlagSerializer(found).data) if found is not None else None


def _page(path: str) -> str:
    return settings.DESK_URL.rstrip("/") + path


def _chat_text(event: str, kind: str, obj: dict[str, Any]) -> str:
    if kind == "claim":
        link = _page(reverse("claim_detail", args=[obj["id"]]))
        what: str = {
            WebhookEvent.CLAIM_CREATED: "New claim",
            WebhookEvent.CLAIM_DECIDED: f"Claim decided ({obj.get('status', '')})",
            WebhookEvent.REVIEW_PUBLISHED: "Review published",
        }.get(WebhookEvent(event), event)
        text = str(obj.get("text", ""))
    else:
        link = _page(reverse("flag_detail", args=[obj["id"]]))
        what = f"{obj.get('severity', '').capitalize()} flag " + (
            "resolved" if event == WebhookEvent.FLAG_RESOLVED else "raised"
        )
        text = str(obj.get("message", ""))
    text = text if len(text) <= 300 else text[:299] + "…"
    # Slack's and Mattermost's link markup: <url|words>.
    return f"{what}: {text} <{link}|Open on the desk>"


def _body(endpoint: WebhookEndpoint, delivery: WebhookDelivery, kind: str, obj: Any) -> str:
    if endpoint.slack:
        payload: dict[str, Any] = {"text": _chat_text(delivery.event, kind, obj)}
    else:
        payload = {
            "event": delivery.event,
            "id": delivery.uid,
            "timestamp": delivery.created_at.isoformat(),
            kind: obj,
        }
    return json.dumps(payload, cls=DjangoJSONEncoder, ensure_ascii=False)


def _listening(event: str) -> list[WebhookEndpoint]:
    return [e for e in WebhookEndpoint.objects.filter(active=True) if event in e.events]


def _fan_out(
    event: str,
    key: str,
    kind: str,
    load: Any,
    endpoints: list[WebhookEndpoint] | None = None,
    severity: int | None = None,
) -> list[int]:
    """One delivery per active endpoint that asked for `event` (of a flag of `severity`),
    once per `key`; answers the new deliveries' ids."""
    endpoints = _listening(event) if endpoints is None else endpoints
    if severity is not None and severity < Severity.HIGH:
        endpoints = [e for e in endpoints if not e.high_flags_only]
    if not endpoints:
        return []
    have = set(
        WebhookDelivery.objects.filter(endpoint__in=endpoints, key=key).values_list(
            "endpoint_id", flat=True
        )
    )
    endpoints = [e for e in endpoints if e.pk not in have]
    obj = load() if endpoints else None
    if obj is None:
        return []
    made = []
    for endpoint in endpoints:
        delivery = WebhookDelivery(
            endpoint=endpoint, event=event, key=key, created_at=timezone.now()
        )
        delivery.body = _body(endpoint, delivery, kind, obj)
        try:
            with transaction.atomic():
                delivery.save()
        except IntegrityError:
            continue  # another run of this task wrote it a moment ago
        made.append(delivery.pk)
    return made


def deliveries_for_claim_event(event_id: int) -> list[int]:
    """The deliveries a claim's history row makes: logged, decided, review published."""
    event = (
        ClaimEvent.objects.filter(pk=event_id).only("pk", "kind", "to_status", "claim_id").first()
    )
    if event is None:
        return []
    if event.kind == ClaimEvent.Kind.CREATED:
        hook = WebhookEvent.CLAIM_CREATED
    elif event.kind == ClaimEvent.Kind.TRANSITION and event.to_status in DECIDED:
        hook = WebhookEvent.CLAIM_DECIDED
    elif event.kind == ClaimEvent.Kind.PUBLISHED:
        hook = WebhookEvent.REVIEW_PUBLISHED
    else:
        return []
    return _fan_out(hook, f"{hook}:{event.pk}", "claim", lambda: _claim_object(event.claim_id))


def deliveries_for_flags_raised(flag_ids: Iterable[int]) -> list[int]:
    endpoints = _listening(WebhookEvent.FLAG_RAISED)
    if not endpoints:
        return []  # a scan's thousands of flags cost one query when nobody listens
    severities = dict(Flag.objects.filter(pk__in=list(flag_ids)).values_list("pk", "severity"))
    made: list[int] = []
    for flag_id, severity in sorted(severities.items()):
        made += _fan_out(
            WebhookEvent.FLAG_RAISED,
            f"flag.raised:{flag_id}",
            "flag",
            lambda flag_id=flag_id: _flag_object(flag_id),
            endpoints,
            severity,
        )
    return made


def deliveries_for_flag_resolved(flag_id: int) -> list[int]:
    flag = Flag.objects.filter(pk=flag_id).only("pk", "resolved_at", "severity").first()
    if flag is None or flag.resolved_at is None:
        return []
    key = f"flag.resolved:{flag.pk}:{flag.resolved_at.isoformat()}"
    return _fan_out(
        WebhookEvent.FLAG_RESOLVED,
        key,
        "flag",
        lambda: _flag_object(flag_id),
        severity=flag.severity,
    )


# ---------------------------------------------------------------------------
# Attempts


def _post(url: str, body: bytes, headers: dict[str, str]) -> tuple[int | None, str, int]:
    """POST `body`; answers (status, error for people or "", milliseconds taken)."""
    allow_private = settings.LINKCHECK_ALLOW_PRIVATE
    started = time.monotonic()
    refusal = linkcheck.refusal(url, allow_private=allow_private)
    if refusal:
        return None, refusal, 0
    with linkcheck.guarded_session(allow_private=allow_private) as session:
        try:
            with session.post(
                url,
                data=body,
                headers=headers,
                timeout=(TIMEOUT, TIMEOUT),
                allow_redirects=False,
                stream=True,
            ) as response:
                status = response.status_code
        except Exception as exc:  # requests' and urllib3's many errors, and the guard's
            return None, linkcheck.describe(exc), _ms(started)
    error = "" if 200 <= status < 300 else f"the endpoint answered {status}"
    return status, error, _ms(started)


def _ms(started: float) -> int:
    return int((time.monotonic() - started) * 1000)


def deliver(delivery_id: int, *, now: dt.datetime | None = None, by_hand: bool = False) -> str:
    """One attempt at a delivery; answers its status after. An attempt another worker
    claimed first, a delivery done, or (unless by hand) a switched-off endpoint is left."""
    delivery = WebhookDelivery.objects.select_related("endpoint").filter(pk=delivery_id).first()
    if delivery is None:
        return "missing"
    endpoint = delivery.endpoint
    if delivery.status != WebhookDelivery.Status.PENDING or not (endpoint.active or by_hand):
        return delivery.status
    # Claimed by a conditional update: two workers never both send one attempt.
    claimed = WebhookDelivery.objects.filter(
        pk=delivery.pk, status=WebhookDelivery.Status.PENDING, attempts=delivery.attempts
    ).update(attempts=delivery.attempts + 1, next_attempt_at=None)
    if not claimed:
        return delivery.status
    body = delivery.body.encode()
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        SIGNATURE_HEADER: sign(endpoint.secret, body),
        "X-Desk-Event": delivery.event,
        "X-Desk-Delivery": delivery.uid,
    }
    status, error, ms = _post(endpoint.url, body, headers)
    now = now or timezone.now()
    fields: dict[str, Any] = {
        "last_status": status,
        "last_error": linkcheck.clip(error),
        "response_ms": ms,
        "last_attempt_at": now,
    }
    if not error:
        fields.update(status=WebhookDelivery.Status.DELIVERED, delivered_at=now)
        WebhookDelivery.objects.filter(pk=delivery.pk).update(**fields)
        WebhookEndpoint.objects.filter(pk=endpoint.pk).update(failing_since=None)
        return WebhookDelivery.Status.DELIVERED
    attempts = delivery.attempts + 1
    if by_hand or now - delivery.created_at >= RETRY_WINDOW:
        fields["status"] = WebhookDelivery.Status.FAILED
    else:
        fields["next_attempt_at"] = now + retry_delay(attempts)
    WebhookDelivery.objects.filter(pk=delivery.pk).update(**fields)
    _endpoint_failed(endpoint, now, error)
    return str(fields.get("status", WebhookDelivery.Status.PENDING))


def _endpoint_failed(endpoint: WebhookEndpoint, now: dt.datetime, error: str) -> None:
    WebhookEndpoint.objects.filter(pk=endpoint.pk, failing_since__isnull=True).update(
        failing_since=now
    )
    since = WebhookEndpoint.objects.values_list("failing_since", flat=True).get(pk=endpoint.pk)
    if since is None or now - since < DISABLE_AFTER:
        return
    reason = f"Every delivery failed since {since:%d %b %Y %H:%M} UTC; the last: {error}"
    if not WebhookEndpoint.objects.filter(pk=endpoint.pk, active=True).update(
        active=False, disabled_at=now, disabled_reason=linkcheck.clip(reason)
    ):
        return  # switched off already
    from claims.services.notifications import notify_admins

    notify_admins(
        event=NotificationEvent.WEBHOOK_OFF,
        key=f"webhook_off:{endpoint.pk}:{now.isoformat()}",
        message=f"The webhook to {endpoint.url} was switched off. {reason}",
        url=reverse("admin:claims_webhookendpoint_change", args=[endpoint.pk]),
    )


def due_deliveries(now: dt.datetime | None = None, limit: int = 500) -> list[int]:
    """The pending deliveries whose next attempt is due, to active endpoints."""
    now = now or timezone.now()
    return list(
        WebhookDelivery.objects.filter(
            status=WebhookDelivery.Status.PENDING,
            next_attempt_at__lte=now,
            endpoint__active=True,
        )
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )


def deliveries_redeliver(*, actor: Actor, delivery_ids: Iterable[int]) -> list[int]:
    """Send deliveries again by hand, from the log (admins): each becomes pending for one
    more attempt, made by a task after commit; answers their ids."""
    if not roles.is_admin(actor):
        raise ActionForbidden(gettext("Only admins redeliver webhooks."))
    ids = list(delivery_ids)
    WebhookDelivery.objects.filter(pk__in=ids).update(
        status=WebhookDelivery.Status.PENDING, next_attempt_at=None
    )
    from claims import tasks

    for pk in ids:
        tasks.queue_redelivery(pk)
    return ids
