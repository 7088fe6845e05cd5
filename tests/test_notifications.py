"""Each event notifies exactly the right people, once, after the change commits."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from claims import roles, services
from claims.checks import sync
from claims.errors import InvalidInput
from claims.models import (
    Flag,
    Notification,
    NotificationSetting,
    Rating,
    Severity,
    Status,
)
from claims.services import notifications
from tests.factories import (
    AttributionFactory,
    ClaimFactory,
    EvidenceFactory,
    SourceFactory,
    StoryFactory,
    make_user,
)

# The tasks run in-process even where a broker is configured: these test what they do.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_celery")]


def told(user, event=None):  # type: ignore[no-untyped-def]
    rows = Notification.objects.filter(recipient=user)
    return list(rows.filter(event=event) if event else rows)


@pytest.fixture
def run(django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    """Call a service and run what it queued for after the commit (tasks run eagerly)."""

    def call(fn, **kwargs):  # type: ignore[no-untyped-def]
        with django_capture_on_commit_callbacks(execute=True):
            return fn(**kwargs)

    return call


def test_it_tells_the_assignee_once_and_not_the_one_who_assigned(run, checker, other_checker):
    claim = ClaimFactory()
    run(services.claim_assign, claim=claim, actor=checker, assignee=other_checker, note="Yours.")
    [note] = told(other_checker)
    assert note.event == "assigned"
    assert note.claim == claim
    assert "chris assigned you" in note.message and '"Yours."' in note.message
    assert told(checker) == []
    assert [m.to for m in mail.outbox] == [[other_checker.email]]
    # The task run again (a retried worker) writes and sends nothing more.
    event = claim.events.get(kind="assigned")
    assert notifications.notify_claim_event(event.pk) == 0
    assert len(told(other_checker)) == 1
    assert len(mail.outbox) == 1


def test_it_tells_no_one_of_a_change_that_rolled_back(
    django_capture_on_commit_callbacks, checker, other_checker
):
    claim = ClaimFactory()
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        services.claim_assign(claim=claim, actor=checker, assignee=other_checker)
        raise RuntimeError("the request failed after the write")
    assert told(other_checker) == []


def test_taking_a_claim_tells_no_one(run, editor, checker):
    claim = ClaimFactory(created_by=editor)
    run(services.claim_transition, claim=claim, actor=checker, to=Status.IN_REVIEW)
    assert Notification.objects.count() == 0


def test_it_tells_who_logged_a_claim_of_its_decision_with_the_note(run, editor, checker):
    claim = ClaimFactory(created_by=editor, status=Status.IN_REVIEW, assignee=checker)
    run(
        services.claim_transition,
        claim=claim,
        actor=checker,
        to=Status.ATTRIBUTED,
        note="Only the monitor reports it.",
    )
    [decided] = told(editor)
    assert decided.event == "decided"
    assert "Attributed" in decided.message
    assert "Only the monitor reports it." in decided.message
    assert told(checker) == []


def test_a_decision_tells_the_story_editor_once(run, editor, checker):
    other = make_user(roles.EDITOR, "erin")
    mine = StoryFactory(created_by=editor, headline="Homs toll rises")
    logged_by_other = ClaimFactory(
        created_by=other, story=mine, status=Status.IN_REVIEW, assignee=checker
    )
    logged_by_me = ClaimFactory(
        created_by=editor, story=mine, status=Status.IN_REVIEW, assignee=checker
    )
    for claim in (logged_by_other, logged_by_me):
        run(services.claim_transition, claim=claim, actor=checker, to="disputed", note="Clash.")
    # The story's editor hears of each decision once: as the story's editor for the
    # claim another logged, as its logger for their own.
    assert sorted((n.event, n.claim_id) for n in told(editor)) == [
        ("decided", logged_by_me.pk),
        ("verdict_changed", logged_by_other.pk),
    ]
    assert "Homs toll rises" in told(editor, "verdict_changed")[0].message
    assert [n.claim_id for n in told(other)] == [logged_by_other.pk]
    # Reopening a decided claim is a change to what the story may say.
    run(
        services.claim_transition,
        claim=logged_by_me,
        actor=checker,
        to="in_review",
        note="A second source.",
    )
    assert [n.claim_id for n in told(editor, "verdict_changed")] == [
        logged_by_me.pk,
        logged_by_other.pk,
    ]


def test_a_new_verdict_tells_the_story_editor(run, editor, checker, admin):
    story = StoryFactory(created_by=editor)
    claim = ClaimFactory(story=story, status=Status.ATTRIBUTED, assignee=checker)
    rating = Rating.objects.order_by("value").first()
    run(
        services.claim_update,
        claim=claim,
        actor=admin,
        version=claim.version,
        changes={"verdict": rating},
    )
    [note] = told(editor, "verdict_changed")
    assert rating.label in note.message
    assert told(checker) == [] and told(admin) == []


def test_an_edit_without_a_new_verdict_tells_no_one(run, editor):
    story = StoryFactory(created_by=editor)
    claim = ClaimFactory(story=story, created_by=editor)
    other = make_user(roles.EDITOR, "erin")
    run(
        services.claim_update,
        claim=claim,
        actor=other,
        version=claim.version,
        changes={"value_low": 52},
    )
    assert Notification.objects.count() == 0


def test_a_comment_tells_the_people_it_mentions(run, editor, checker, other_checker, outsider):
    claim = ClaimFactory()
    body = (
        "@chris can you call the ministry? Copying @casey, @olly and @nobody; "
        "I'll follow up myself (@eddie)."
    )
    run(services.comment_add, claim=claim, actor=editor, body=body)
    assert [n.event for n in told(checker)] == ["mentioned"]
    assert [n.event for n in told(other_checker)] == ["mentioned"]
    assert "call the ministry" in told(checker)[0].message
    # No role, no claim to open; and nobody is told of their own words.
    assert told(outsider) == [] and told(editor) == []


def test_it_reads_mentions_as_usernames():
    assert notifications.mentioned_usernames("Ask @chris. And @casey, then @chris again.") == [
        "chris",
        "casey",
    ]
    assert notifications.mentioned_usernames("Write to desk@example.org") == []


def _high_conflict(creator, taker):  # type: ignore[no-untyped-def]
    """Two credible sources with different tolls for the same day: a high flag."""
    sohr = ClaimFactory(
        text="At least 51 killed in Aleppo on 12 Feb, the Observatory said.", created_by=creator
    )
    AttributionFactory(claim=sohr, source=SourceFactory(name="Observatory", grade="B"))
    wire = ClaimFactory(
        text="Between 20 and 30 were killed in Aleppo on Wednesday, medics said.",
        value_low=20,
        value_high=30,
        qualifier="range",
        status=Status.IN_REVIEW,
        assignee=taker,
    )
    AttributionFactory(claim=wire, source=SourceFactory(name="Example Wire", grade="B"))
    return sohr, wire


def test_a_high_flag_tells_who_logged_and_who_took_its_claims_once(
    django_capture_on_commit_callbacks, editor, checker, other_checker
):
    _high_conflict(editor, checker)
    with django_capture_on_commit_callbacks(execute=True):
        sync.scan_contradictions()
    flag = Flag.objects.get(kind="value_conflict")
    assert flag.severity == Severity.HIGH
    assert [n.event for n in told(editor)] == ["high_flag"]
    assert [n.event for n in told(checker)] == ["high_flag"]
    assert told(editor)[0].get_absolute_url() == f"/flags/{flag.pk}/"
    assert told(other_checker) == []
    # The next scan finds the same flag: nobody is told again.
    with django_capture_on_commit_callbacks(execute=True):
        sync.scan_contradictions()
    assert Notification.objects.count() == 2


def test_a_flag_below_high_tells_no_one(editor, checker):
    claim = ClaimFactory(created_by=editor, assignee=checker)
    flag = Flag.objects.create(
        kind="duplicate",
        severity=Severity.MEDIUM,
        message="Twice.",
        fingerprint="x",
        last_seen=timezone.now(),
    )
    flag.claims.add(claim)
    assert notifications.notify_flags_raised([flag.pk]) == 0


def test_a_high_flag_tells_who_decided_a_claim(checker, other_checker):
    claim = ClaimFactory(status=Status.IN_REVIEW, assignee=checker)
    EvidenceFactory(claim=claim)
    services.claim_transition(claim=claim, actor=checker, to=Status.ATTRIBUTED, note="Only one.")
    services.claim_assign(claim=claim, actor=checker, assignee=other_checker)
    flag = Flag.objects.create(
        kind="verdict_conflict",
        severity=Severity.HIGH,
        message="Verdicts clash.",
        fingerprint="y",
        last_seen=timezone.now(),
    )
    flag.claims.add(claim)
    assert notifications.notify_flags_raised([flag.pk]) == 2
    assert len(told(checker, "high_flag")) == 1
    assert len(told(other_checker, "high_flag")) == 1


def test_it_tells_of_claims_due_soon_and_overdue_once_per_due_date(checker, editor):
    now = timezone.now()
    soon = ClaimFactory(
        status=Status.IN_REVIEW, assignee=checker, due_at=now + dt.timedelta(hours=3)
    )
    late = ClaimFactory(created_by=editor, due_at=now - dt.timedelta(hours=2))
    ClaimFactory(assignee=checker, due_at=now + dt.timedelta(days=3))  # not yet
    ClaimFactory(status=Status.ATTRIBUTED, assignee=checker, due_at=now)  # decided
    assert notifications.notify_due(now) == 2
    assert notifications.notify_due(now + dt.timedelta(minutes=30)) == 0
    [due] = told(checker)
    assert (due.event, due.claim) == ("due_soon", soon)
    [over] = told(editor)
    assert (over.event, over.claim) == ("overdue", late)
    # Soon turns into overdue: one more, once.
    assert notifications.notify_due(now + dt.timedelta(hours=4)) == 1
    assert [n.event for n in told(checker)] == ["overdue", "due_soon"]


def test_off_sends_no_email_and_the_digest_gathers_once(run, checker, other_checker, editor):
    services.notification_settings_update(actor=other_checker, choices={"assigned": "off"})
    run(services.claim_assign, claim=ClaimFactory(), actor=checker, assignee=other_checker)
    assert len(told(other_checker)) == 1  # the bell still has it
    assert mail.outbox == []
    services.notification_settings_update(actor=editor, choices={"mentioned": "digest"})
    for words in ("@eddie see the wire.", "@eddie the ministry called back."):
        run(services.comment_add, claim=ClaimFactory(), actor=checker, body=words)
    assert mail.outbox == []
    assert notifications.send_digests() == 1
    [digest] = mail.outbox
    assert digest.to == [editor.email]
    assert "see the wire" in digest.body and "ministry called back" in digest.body
    assert notifications.send_digests() == 0
    assert len(mail.outbox) == 1


def test_settings_refuse_unknown_events_and_ways(checker):
    with pytest.raises(InvalidInput):
        services.notification_settings_update(actor=checker, choices={"assigned": "pigeon"})
    assert not NotificationSetting.objects.exists()


def test_mark_read_touches_only_ones_own(checker, other_checker):
    mine = notifications.notify(checker, event="assigned", key="k1", message="One.")
    theirs = notifications.notify(other_checker, event="assigned", key="k1", message="Two.")
    assert (
        services.notification_mark_read(actor=checker, notification_ids=[mine.pk, theirs.pk]) == 1
    )
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.read and not theirs.read
