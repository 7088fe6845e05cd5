"""Reads of notifications and webhooks: a person's own notifications, the admins'
endpoints."""

from __future__ import annotations

from django.db.models import QuerySet

from claims import roles
from claims.models import Notification, NotificationSetting, WebhookEndpoint
from claims.services.notifications import DEFAULT_DELIVERY
from claims.typing import Actor


def notifications_of(*, user: Actor, unread: bool = False) -> QuerySet[Notification]:
    """The user's own notifications, newest first; nobody else's, ever."""
    if not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    rows = Notification.objects.filter(recipient_id=user.pk).select_related("claim")
    return rows.filter(read_at__isnull=True) if unread else rows


def unread_count(*, user: Actor) -> int:
    return notifications_of(user=user, unread=True).count()


def notification_settings(*, user: Actor) -> dict[str, str]:
    """How the user hears of each event by email, the defaults filled in."""
    rows = NotificationSetting.objects.none()
    if getattr(user, "is_authenticated", False) and user.pk is not None:
        rows = NotificationSetting.objects.filter(user_id=user.pk)
    chosen = dict(rows.values_list("event", "how"))
    return {event: chosen.get(event, how) for event, how in DEFAULT_DELIVERY.items()}


def webhook_endpoints(*, user: Actor) -> QuerySet[WebhookEndpoint]:
    return WebhookEndpoint.objects.all() if roles.is_admin(user) else WebhookEndpoint.objects.none()
