"""The scans against the database: their cost does not grow with the block, and a
second run writes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from claims import services
from claims.checks import find_contradictions, sync
from claims.models import Flag, FlagEvent
from tests.factories import ClaimFactory

pytestmark = pytest.mark.django_db


def clashes(days: int) -> list[int]:
    """A clash a day in Aleppo: 500 against 10 killed."""
    ids = []
    for day in range(1, days + 1):
        on = dt.date(2014, 1, 1) + dt.timedelta(days=day)
        for value in (500, 10):
            ids.append(
                ClaimFactory(value_low=value, value_high=value, period_start=on, period_end=on).pk
            )
    return ids


def queries(claim_id: int) -> int:
    with CaptureQueriesContext(connection) as ctx:
        sync.scan_claim_block(claim_id)
    return len(ctx.captured_queries)


def test_the_scan_after_a_save_costs_the_same_in_a_small_and_a_large_block():
    small = clashes(3)
    sync.scan_contradictions()
    queries(small[0])  # the first scan of a claim stores the words naming its incident
    in_small = queries(small[0])
    clashes(40)
    sync.scan_contradictions()
    assert queries(small[0]) == in_small


def test_a_second_full_scan_writes_nothing():
    clashes(5)
    sync.scan_contradictions()
    flags = list(Flag.objects.order_by("pk").values("pk", "status", "message", "severity"))
    events = FlagEvent.objects.count()
    assert len(flags) == 5
    sync.scan_contradictions()
    assert list(Flag.objects.order_by("pk").values("pk", "status", "message", "severity")) == flags
    assert FlagEvent.objects.count() == events


def reopened_answer(flag: Flag) -> tuple[object, ...]:
    flag.refresh_from_db()
    return (
        flag.status,
        flag.resolved_by,
        flag.resolved_at,
        flag.resolution_note,
        flag.resolution_low,
        flag.resolution_high,
        flag.resolution_rule,
    )


def test_it_clears_the_old_answer_when_a_scan_reopens_a_flag(checker, conflict):
    services.flag_resolve(
        flag=conflict, actor=checker, note="Use the floor.", figure_low=51, rule="lowest_credible"
    )
    claim = conflict.claims.order_by("value_low").first()
    claim.text += " (updated)"
    claim.save()
    sync.scan_contradictions()
    assert reopened_answer(conflict) == ("open", None, None, "", None, None, "")
    event = conflict.events.last()
    assert (event.from_status, event.to_status, event.actor) == ("resolved", "open", None)


def test_it_clears_the_old_answer_when_a_racing_worker_reopens_a_flag(checker, conflict):
    services.flag_dismiss(flag=conflict, actor=checker, note="Two districts.")
    claim = conflict.claims.order_by("value_low").first()
    claim.text += " (updated)"
    claim.save()
    [finding] = [
        f
        for f in find_contradictions(sync.load_facts(conflict.claims.all()), sync.current_policy())
        if f.fingerprint == conflict.fingerprint
    ]
    with transaction.atomic():
        sync._upsert(finding, timezone.now())
    assert reopened_answer(conflict) == ("open", None, None, "", None, None, "")


def test_it_records_who_settled_a_flag_and_the_scan_that_settles_it_again(checker, conflict):
    services.flag_acknowledge(flag=conflict, actor=checker, note="On it.")
    wire = conflict.claims.get(value_low=20)
    wire.value_low, wire.value_high = 51, 60
    wire.save()
    sync.scan_contradictions()
    status, by, at, note, *_ = reopened_answer(conflict)
    assert (status, by, note) == ("resolved", None, sync.AUTO_RESOLVED_NOTE) and at is not None
    moves = list(conflict.events.values_list("from_status", "to_status", "actor"))
    assert moves == [("", "open", None), ("open", "acknowledged", checker.pk),
                     ("acknowledged", "resolved", None)]  # fmt: skip


def test_the_scan_after_a_save_names_the_claims_flags_by_id():
    """The flags a save's scan settles are the claim's own, named by id. As a subquery of
    the claim's links, PostgreSQL read every flag of the block kinds to test each
    against it (22,000 flags at 100,000 claims, three times per save)."""
    ids = clashes(2)
    sync.scan_contradictions()
    with CaptureQueriesContext(connection) as ctx:
        sync.scan_claim_block(ids[0])
    flag_queries = [
        q["sql"]
        for q in ctx.captured_queries
        if q["sql"].startswith("SELECT") and 'FROM "claims_flag" ' in q["sql"]
    ]
    assert flag_queries
    assert not [sql for sql in flag_queries if 'FROM "claims_flag_claims" U0 WHERE' in sql]
