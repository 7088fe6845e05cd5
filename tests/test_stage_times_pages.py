"""Time in stage where the desk works: the transition stamps when a claim changed status,
the migration fills the stamp from the history, the queues show each claim's age and time
in its status, and the dashboard gives the week in numbers, each linking to its list."""

from __future__ import annotations

import importlib
from datetime import timedelta

import pytest
from django.apps import apps
from django.utils import timezone

from claims import services
from claims.models import Claim, ClaimEvent
from tests.factories import ClaimFactory, EvidenceFactory

pytestmark = pytest.mark.django_db


def at(claim: Claim, *, created=None, moved=None) -> None:  # type: ignore[no-untyped-def]
    fields = {"created_at": created} if created else {}
    if moved:
        fields["status_changed_at"] = moved
    Claim.objects.filter(pk=claim.pk).update(**fields)


def test_a_transition_stamps_when_the_status_changed(checker):
    claim = ClaimFactory()
    assert claim.status_changed_at is None
    services.claim_transition(claim=claim, actor=checker, to="in_review")
    claim.refresh_from_db()
    event = ClaimEvent.objects.get(claim=claim, kind="transition")
    assert claim.status_changed_at is not None
    assert abs(claim.status_changed_at - event.at) < timedelta(seconds=5)
    EvidenceFactory(claim=claim, stance="supports")
    services.claim_transition(claim=claim, actor=checker, to="verified", note="Two sources.")
    claim.refresh_from_db()
    assert claim.status_changed_at == claim.decided_at


def test_the_migration_fills_the_stamp_from_the_latest_status_change(checker):
    moved, still = ClaimFactory(status="verified"), ClaimFactory()
    earlier, later = timezone.now() - timedelta(days=3), timezone.now() - timedelta(days=1)
    for when, to in ((later, "verified"), (earlier, "in_review")):
        event = ClaimEvent.objects.create(
            claim=moved, actor=checker, kind="transition", to_status=to
        )
        ClaimEvent.objects.filter(pk=event.pk).update(at=when)
    ClaimEvent.objects.create(claim=moved, actor=checker, kind="commented")
    migration = importlib.import_module("claims.migrations.0025_stage_times")
    migration.backfill_status_changed_at(apps, None)
    moved.refresh_from_db()
    still.refresh_from_db()
    assert moved.status_changed_at == later
    assert still.status_changed_at is None


# ---------------------------------------------------------------------------
# The queues


def test_a_queue_row_shows_the_claims_age_and_time_in_its_status(client, checker):
    now = timezone.now()
    taken = ClaimFactory(status="in_review", assignee=checker)
    at(taken, created=now - timedelta(days=3, hours=3), moved=now - timedelta(hours=5))
    waiting = ClaimFactory(assignee=checker)
    at(waiting, created=now - timedelta(minutes=40))
    client.force_login(checker)
    r = client.get("/queue/mine/")
    rows = {row["pk"]: row for row in r.context["rows"]}
    assert rows[taken.pk]["stage_since"] == now - timedelta(hours=5)
    # A claim that never moved has been in its status since it was logged.
    assert rows[waiting.pk]["stage_since"] == rows[waiting.pk]["created_at"]
    html = r.content.decode()
    assert "3.1 d old" in html and "for 5 h" in html
    assert "40 min old" in html and "for 40 min" in html


# ---------------------------------------------------------------------------
# The dashboard's week in numbers


@pytest.fixture
def week(checker, editor):  # type: ignore[no-untyped-def]
    """Three claims decided this week (first decisions 2, 6 and 30 hours after logging;
    one of them decided before and reopened), one logged long ago, one new."""
    now = timezone.now()
    made = []
    for hours_to_decision in (2, 6, 30):
        claim = ClaimFactory(status="verified", assignee=checker, decided_at=now)
        logged = now - timedelta(hours=hours_to_decision + 1)
        at(claim, created=logged)
        event = ClaimEvent.objects.create(
            claim=claim,
            actor=checker,
            kind="transition",
            from_status="in_review",
            to_status="verified",
        )
        ClaimEvent.objects.filter(pk=event.pk).update(
            at=logged + timedelta(hours=hours_to_decision)
        )
        made.append(claim)
    old = ClaimFactory(status="false", decided_at=now - timedelta(days=20))
    at(old, created=now - timedelta(days=30))
    ClaimFactory()
    return made


def test_the_dashboard_gives_the_week_in_numbers(client, checker, week):
    client.force_login(checker)
    r = client.get("/")
    board = r.context["board"]
    assert (board.logged, board.decisions) == (4, 3)
    assert board.median_to_decision == 6 * 3600
    html = r.content.decode()
    since = board.since.isoformat()
    assert f'href="/queue/all/?created_from={since}"' in html
    assert html.count(f'href="/queue/decided/?decided_from={since}"') == 2
    assert ">6 h<" in html


def test_each_number_of_the_week_is_its_lists_count(client, checker, week):
    # A claim merged into another is listed in no queue, so counted in no number.
    Claim.objects.filter(pk=week[0].pk).update(merged_into=week[1])
    client.force_login(checker)
    board = client.get("/").context["board"]
    since = board.since.isoformat()
    logged = client.get("/queue/all/", {"created_from": since}).context["page"]
    decided = client.get("/queue/decided/", {"decided_from": since}).context["page"]
    assert (board.logged, board.decisions) == (3, 2)
    assert board.logged == logged.paginator.count
    assert board.decisions == decided.paginator.count


def test_a_week_without_decisions_has_no_median(client, editor):
    ClaimFactory()
    client.force_login(editor)
    r = client.get("/")
    assert r.context["board"].median_to_decision is None
    assert r.status_code == 200
