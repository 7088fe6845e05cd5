"""Notifications: who hears of what happened on the desk, in the desk's bell and by email.

The services call `queue_followups` (a claim's history row), `queue_flags_raised` and
`queue_flag_resolved` inside their transaction; each queues one Celery task once it
commits (`claims.tasks`), so nothing is told of a change that was rolled back. The
task reads what happened and calls `notify_claim_event` or `notify_flags_raised`
here, and the webhooks' counterparts in `claims.services.webhooks`.

Each notification is keyed by the event it is about (`assigned:<history row>`); the
unique constraint on (recipient, key) makes a second run of a task, or two workers
racing, write it once and email it once. Nobody is told of their own action.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Iterable, Sequence

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from claims import roles
from claims.errors import InvalidInput
from claims.models import (
    DECIDED,
    Claim,
    ClaimEvent,
    Comment,
    Flag,
    Notification,
    NotificationEvent,
    NotificationSetting,
    Severity,
    Status,
    Topic,
)
from claims.services.common import user_of
from claims.typing import Actor

log = logging.getLogger(__name__)

How = NotificationSetting.How
# How each event reaches a person by email until they choose otherwise.
DEFAULT_DELIVERY: dict[str, str] = {
    NotificationEvent.ASSIGNED: How.IMMEDIATELY,
    NotificationEvent.DECIDED: How.IMMEDIATELY,
    NotificationEvent.HIGH_FLAG: How.IMMEDIATELY,
    NotificationEvent.TOPIC_HIGH_FLAG: How.IMMEDIATELY,
    NotificationEvent.VERDICT_CHANGED: How.IMMEDIATELY,
    NotificationEvent.DUE_SOON: How.DIGEST,
    NotificationEvent.OVERDUE: How.IMMEDIATELY,
    NotificationEvent.MENTIONED: How.IMMEDIATELY,
    NotificationEvent.WEBHOOK_OFF: How.IMMEDIATELY,
}
# A claim is "due soon" this long before its due date.
DUE_SOON = dt.timedelta(hours=24)
# Claims overdue for longer than this are not announced: they were when they fell due,
# and a first run must not flood the desk with its backlog.
OVERDUE_WINDOW = dt.timedelta(days=7)
# A digest gathers what was not emailed within this long.
DIGEST_WINDOW = dt.timedelta(days=2)
# Django's usernames: letters, digits and @ . + - _; a sentence's full stop is not one.
MENTION = re.compile(r"(?<![\w@])@([\w.@+-]+)")


# ---------------------------------------------------------------------------
# Queueing, from the services, inside their transaction


def queue_followups(event: ClaimEvent) -> None:
    """After commit, tell the people and the webhooks a claim's history row concerns."""
    from claims import tasks

    tasks.queue_claim_event(event.pk)


def queue_flags_raised(flag_ids: Sequence[int]) -> None:
    """After commit, tell of flags the scans raised (one task per batch, not per flag)."""
    from claims import tasks

    if flag_ids:
        tasks.queue_flags_raised(list(flag_ids))


def queue_flag_resolved(flag: Flag) -> None:
    """After commit, tell the webhooks a person resolved a flag."""
    from claims import tasks

    tasks.queue_flag_resolved(flag.pk)


# ---------------------------------------------------------------------------
# Writing one notification


def delivery_for(user: User, event: str) -> str:
    row = NotificationSetting.objects.filter(user=user, event=event).first()
    return row.how if row else DEFAULT_DELIVERY.get(event, How.IMMEDIATELY)


def notify(
    recipient: User,
    *,
    event: str,
    key: str,
    message: str,
    claim: Claim | None = None,
    url: str = "",
    actor: Actor | None = None,
) -> Notification | None:
    """Write one notification, once: None when `recipient` already has it for `key`,
    is the one who acted, or has left the desk. Emails it at once when they asked so."""
    if recipient is None or not recipient.is_active:
        return None
    if actor is not None and getattr(actor, "pk", None) == recipient.pk:
        return None
    try:
        with transaction.atomic():
            note = Notification.objects.create(
                recipient=recipient,
                event=event,
                key=key[:200],
                message=message,
                claim=claim,
                url=url,
            )
    except IntegrityError:
        return None  # told already: this event's task ran before, or another worker raced
    if delivery_for(recipient, event) == How.IMMEDIATELY:
        _email_now(note)
    return note


def _link(path: str) -> str:
    return settings.DESK_URL.rstrip("/") + path if path else settings.DESK_URL


def _email_now(note: Notification) -> None:
    if not note.recipient.email:
        return
    # Claimed by a conditional update, so that a task run twice sends one email.
    if not Notification.objects.filter(pk=note.pk, emailed_at__isnull=True).update(
        emailed_at=timezone.now()
    ):
        return
    body = f"{note.message}\n\n{_link(note.get_absolute_url())}\n"
    try:
        send_mail(
            f"Claim desk: {note.get_event_display()}",
            body,
            None,
            [note.recipient.email],
        )
    except Exception:  # the mail server's many errors; the bell has it, the digest may retry
        Notification.objects.filter(pk=note.pk).update(emailed_at=None)
        log.warning("could not email notification %s", note.pk)


# ---------------------------------------------------------------------------
# Who hears of what


def _claim_words(claim: Claim) -> str:
    text = claim.text if len(claim.text) <= 80 else claim.text[:79] + "…"
    return f"claim #{claim.pk} ({text})"


def notify_claim_event(event_id: int) -> int:
    """Tell the people a claim's history row concerns; answers how many were told."""
    event = (
        ClaimEvent.objects.select_related("claim", "claim__story", "claim__created_by", "actor")
        .filter(pk=event_id)
        .first()
    )
    if event is None:
        return 0
    claim, actor = event.claim, event.actor
    told: list[Notification | None] = []
    if event.kind == ClaimEvent.Kind.ASSIGNED:
        username = (event.details or {}).get("to")
        assignee = User.objects.filter(username=username).first() if username else None
        if assignee is not None:
            told.append(
                notify(
                    assignee,
                    event=NotificationEvent.ASSIGNED,
                    key=f"assigned:{event.pk}",
                    message=f"{_by(actor)} assigned you {_claim_words(claim)}." + _note(event.note),
                    claim=claim,
                    actor=actor,
                )
            )
    elif event.kind == ClaimEvent.Kind.TRANSITION:
        if event.to_status in DECIDED and claim.created_by is not None:
            told.append(
                notify(
                    claim.created_by,
                    event=NotificationEvent.DECIDED,
                    key=f"decided:{event.pk}",
                    message=f"{_by(actor)} decided {_claim_words(claim)}: "
                    f"{Status(event.to_status).label}." + _note(event.note),
                    claim=claim,
                    actor=actor,
                )
            )
        story = claim.story
        # One decision, one notification: who logged the claim and edits its story has
        # just been told of it.
        told_of_decision = (
            story is not None
            and story.created_by_id == claim.created_by_id
            and event.to_status in DECIDED
        )
        if (event.to_status in DECIDED or event.from_status in DECIDED) and not told_of_decision:
            told.append(_tell_story_editor(event, f"is now {Status(event.to_status).label}"))
    elif event.kind == ClaimEvent.Kind.EDITED:
        changed = (event.details or {}).get("changed", {})
        if "verdict" in changed:
            old, new = changed["verdict"]
            told.append(
                _tell_story_editor(
                    event, f"has a new verdict: {new or 'none'} (was {old or 'none'})"
                )
            )
    elif event.kind == ClaimEvent.Kind.COMMENTED:
        told.extend(_tell_mentioned(event))
    return sum(1 for note in told if note is not None)


def _by(actor: User | None) -> str:
    return actor.get_username() if actor else "The desk"


def _note(note: str) -> str:
    return f' Note: "{note}"' if note else ""


def _tell_story_editor(event: ClaimEvent, change: str) -> Notification | None:
    claim = event.claim
    story = claim.story
    if story is None or story.created_by_id is None:
        return None
    editor = User.objects.filter(pk=story.created_by_id).first()
    if editor is None:
        return None
    return notify(
        editor,
        event=NotificationEvent.VERDICT_CHANGED,
        key=f"verdict:{event.pk}",
        message=f'{_claim_words(claim).capitalize()} in your story "{story.headline}" '
        f"{change}." + _note(event.note),
        claim=claim,
        actor=event.actor,
    )


def mentioned_usernames(body: str) -> list[str]:
    """The usernames a comment names with @, in order, once each."""
    names: list[str] = []
    for name in MENTION.findall(body):
        name = name.rstrip(".")  # "ask @chris." ends a sentence
        if name and name not in names:
            names.append(name)
    return names


def _tell_mentioned(event: ClaimEvent) -> list[Notification | None]:
    comment_id = (event.details or {}).get("comment")
    comment = Comment.objects.filter(pk=comment_id).first() if comment_id else None
    if comment is None:
        return []
    names = mentioned_usernames(comment.body)
    if not names:
        return []
    users = User.objects.filter(username__in=names, is_active=True)
    body = comment.body if len(comment.body) <= 200 else comment.body[:199] + "…"
    return [
        notify(
            user,
            event=NotificationEvent.MENTIONED,
            key=f"mention:{comment.pk}",
            message=f"{_by(event.actor)} mentioned you on {_claim_words(event.claim)}: {body}",
            claim=event.claim,
            actor=event.actor,
        )
        # Only people on the desk can open the claim; a name that is not one is no mention.
        for user in users
        if roles.has_role(user)
    ]


def _involved(claim: Claim) -> set[int]:
    """Who logged, took or decided the claim."""
    ids = {claim.created_by_id, claim.assignee_id}
    moves = ClaimEvent.objects.filter(claim=claim, kind=ClaimEvent.Kind.TRANSITION).filter(
        Q(to_status=Status.IN_REVIEW, from_status=Status.NEW) | Q(to_status__in=DECIDED)
    )
    ids.update(moves.values_list("actor_id", flat=True))
    ids.discard(None)
    return {i for i in ids if i is not None}


def notify_flags_raised(flag_ids: Iterable[int]) -> int:
    """Tell who logged, took or decided a claim of each new high flag, and who follows
    a topic of one of its claims; answers how many."""
    flags = Flag.objects.filter(
        pk__in=list(flag_ids), severity__gte=Severity.HIGH
    ).prefetch_related("claims")
    told = 0
    for flag in flags:
        url = reverse("flag_detail", args=[flag.pk])
        people: dict[int, Claim] = {}
        for claim in flag.claims.all():
            for user_id in _involved(claim):
                people.setdefault(user_id, claim)
        told += _tell_topic_followers(flag, url, told_already=set(people))
        for user in User.objects.filter(pk__in=people):
            claim = people[user.pk]
            note = notify(
                user,
                event=NotificationEvent.HIGH_FLAG,
                key=f"flag:{flag.pk}",
                message=f"A high {flag.get_kind_display()} flag on {_claim_words(claim)}: "
                f"{flag.message}",
                claim=claim,
                url=url,
            )
            told += note is not None
    return told


def _tell_topic_followers(flag: Flag, url: str, *, told_already: set[int]) -> int:
    """Tell the followers of the topics of a new high flag's claims, each once for the
    flag (under the first topic that names them), and none who hears of it as someone
    who logged, took or decided one of its claims. The key is the `high_flag` one: one
    flag is one notification for a person, whichever way they come to hear of it."""
    claims = {c.pk: c for c in flag.claims.all()}
    tags = Claim.topics.through.objects.filter(claim_id__in=claims).select_related("topic")
    topics = {tag.topic_id: (tag.topic, claims[tag.claim_id]) for tag in tags}
    if not topics:
        return 0
    followers = Topic.followers.through.objects.filter(topic_id__in=topics).order_by(
        "topic__name", "user_id"
    )
    first: dict[int, int] = {}
    for row in followers:
        if row.user_id not in told_already:
            first.setdefault(row.user_id, row.topic_id)
    # Only people on the desk can open the flag; one who lost their role hears nothing.
    users = (
        User.objects.filter(pk__in=first, is_active=True)
        .filter(
            Q(is_superuser=True) | Q(groups__name__in=[roles.EDITOR, roles.CHECKER, roles.ADMIN])
        )
        .distinct()
    )
    told = 0
    for user in users:
        topic, claim = topics[first[user.pk]]
        note = notify(
            user,
            event=NotificationEvent.TOPIC_HIGH_FLAG,
            key=f"flag:{flag.pk}",
            message=f"A high {flag.get_kind_display()} flag in {topic.name}, on "
            f"{_claim_words(claim)}: {flag.message}",
            claim=claim,
            url=url,
        )
        told += note is not None
    return told


def notify_due(now: dt.datetime | None = None) -> int:
    """Hourly: tell each open claim's assignee (or, unassigned, who logged it) that it
    is due within DUE_SOON or overdue, once per due date; answers how many were told."""
    now = now or timezone.now()
    open_claims = Claim.objects.filter(
        status__in=(Status.NEW, Status.IN_REVIEW),
        due_at__gt=now - OVERDUE_WINDOW,
        due_at__lte=now + DUE_SOON,
    ).select_related("assignee", "created_by")
    told = 0
    for claim in open_claims.iterator(chunk_size=500):
        user = claim.assignee or claim.created_by
        if user is None or claim.due_at is None:
            continue
        overdue = claim.due_at <= now
        event = NotificationEvent.OVERDUE if overdue else NotificationEvent.DUE_SOON
        when = timezone.localtime(claim.due_at).strftime("%d %b %Y %H:%M")
        note = notify(
            user,
            event=event,
            key=f"{event}:{claim.pk}:{claim.due_at.isoformat()}",
            message=f"{_claim_words(claim).capitalize()} "
            + (f"was due {when}." if overdue else f"is due {when}."),
            claim=claim,
        )
        told += note is not None
    return told


def notify_admins(*, event: str, key: str, message: str, url: str = "") -> int:
    """Tell every active admin (the Admin role or a superuser)."""
    admins = User.objects.filter(
        Q(is_superuser=True) | Q(groups__name=roles.ADMIN), is_active=True
    ).distinct()
    return sum(
        notify(user, event=event, key=key, message=message, url=url) is not None for user in admins
    )


# ---------------------------------------------------------------------------
# The digest


def send_digests(now: dt.datetime | None = None) -> int:
    """Daily: one email per person gathering what they asked to hear of in a digest and
    were not yet sent; answers how many emails went out."""
    now = now or timezone.now()
    waiting = (
        Notification.objects.filter(
            emailed_at__isnull=True, created_at__lte=now, created_at__gt=now - DIGEST_WINDOW
        )
        .exclude(recipient__email="")
        .select_related("recipient", "claim")
        .order_by("recipient_id", "created_at", "id")
    )
    by_user: dict[int, list[Notification]] = {}
    for note in waiting:
        by_user.setdefault(note.recipient_id, []).append(note)
    sent = 0
    for notes in by_user.values():
        user = notes[0].recipient
        chosen = dict(NotificationSetting.objects.filter(user=user).values_list("event", "how"))
        wanted = [
            n for n in notes if chosen.get(n.event, DEFAULT_DELIVERY.get(n.event)) == How.DIGEST
        ]
        ids = [n.pk for n in wanted]
        # Claimed first: a second run of the job finds them sent.
        if not ids or not Notification.objects.filter(pk__in=ids, emailed_at__isnull=True).update(
            emailed_at=now
        ):
            continue
        lines = [f"- {n.message}\n  {_link(n.get_absolute_url())}" for n in wanted]
        try:
            send_mail(
                f"Claim desk: {len(wanted)} notification{'s' if len(wanted) != 1 else ''} today",
                "\n".join(lines) + "\n",
                None,
                [user.email],
            )
        except Exception:
            Notification.objects.filter(pk__in=ids, emailed_at=now).update(emailed_at=None)
            log.warning("could not email the digest of user %s", user.pk)
            continue
        sent += 1
    return sent


# ---------------------------------------------------------------------------
# A person's own notifications and settings


def notification_mark_read(*, actor: Actor, notification_ids: Iterable[int] | None = None) -> int:
    """Mark the actor's notifications read (all unread ones when no ids are given);
    answers how many changed. Another person's notification is never touched."""
    mine = Notification.objects.filter(
        recipient_id=getattr(actor, "pk", None), read_at__isnull=True
    )
    if notification_ids is not None:
        mine = mine.filter(pk__in=list(notification_ids))
    return mine.update(read_at=timezone.now())


@transaction.atomic
def notification_settings_update(*, actor: Actor, choices: dict[str, str]) -> None:
    """Store how the actor hears of each event by email."""
    user = user_of(actor)
    errors: dict[str, list[str]] = {}
    for event, how in choices.items():
        if event not in NotificationEvent.values:
            errors[event] = [gettext("Unknown event.")]
        elif how not in How.values:
            errors[event] = [
                gettext("Choose one of: %(choices)s.") % {"choices": ", ".join(How.values)}
            ]
    if errors:
        raise InvalidInput(gettext("The settings are not valid."), errors=errors)
    for event, how in choices.items():
        NotificationSetting.objects.update_or_create(user=user, event=event, defaults={"how": how})


__all__ = [
    "DEFAULT_DELIVERY",
    "mentioned_usernames",
    "notification_mark_read",
    "notification_settings_update",
    "notify",
    "notify_admins",
    "notify_claim_event",
    "notify_due",
    "notify_flags_raised",
    "queue_flag_resolved",
    "queue_flags_raised",
    "queue_followups",
    "send_digests",
]
