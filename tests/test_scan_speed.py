"""The scans' fast paths give what the plain ones give: timestamps read by psycopg's C
loader, the staleness scan's narrow reading of claims, and new flags written by COPY."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from claims.checks import find_stale, sync
from claims.models import Claim, Flag, FlagEvent
from tests.conftest import REQUIRE_SERVICES, skip_or_fail
from tests.factories import ClaimFactory, PlaceFactory

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 6, 1, 12, tzinfo=dt.UTC)
LONG_AGO = NOW - dt.timedelta(days=400)


def stale_desk() -> None:
    """Decisions too old for each kind of time frame, reviews overdue, and fresh ones."""
    for kind, days in (("day", 400), ("span", 200), ("to_date", 10), ("", 400), ("day", 20)):
        ClaimFactory(
            status="verified",
            decided_at=NOW - dt.timedelta(days=days, hours=3, microseconds=123_457),
            period_kind=kind,
            text=f"A figure with a {kind or 'missing'} time frame decided {days} days ago.",
        )
    for status, hours in (("new", 5), ("in_review", 50), ("new", -5)):
        ClaimFactory(
            status=status, due_at=NOW - dt.timedelta(hours=hours), normalised=f"due {hours} h"
        )


def test_the_staleness_scan_reads_what_the_full_facts_would_give():
    stale_desk()
    policy = sync.current_policy()
    full = find_stale(sync.load_facts(Claim.objects.all()), (), NOW, policy)
    narrow = find_stale(sync.load_stale_facts(Claim.objects.all()), (), NOW, policy)
    assert len(full) == 6
    assert [(f.fingerprint, f.message, f.details) for f in narrow] == [
        (f.fingerprint, f.message, f.details) for f in full
    ]


def test_timestamps_read_fast_are_those_read_plainly():
    stale_desk()
    columns = ("id", "decided_at", "due_at", "created_at", "updated_at")
    plain = list(Claim.objects.order_by("pk").values_list(*columns))
    with sync.fast_timestamps():
        fast = list(Claim.objects.order_by("pk").values_list(*columns))
    assert fast == plain
    assert {value.tzinfo for row in fast for value in row[1:] if value} == {
        value.tzinfo for row in plain for value in row[1:] if value
    }


def test_the_fast_loader_is_used_inside_and_put_back_after():
    if connection.vendor != "postgresql":
        skip_or_fail("psycopg's loaders are PostgreSQL's", required=REQUIRE_SERVICES)
    connection.ensure_connection()
    adapters = connection.connection.adapters
    oid = adapters.types["timestamptz"].oid
    django_loader = adapters.get_loader(oid, 0)
    with sync.fast_timestamps():
        inside = adapters.get_loader(oid, 0)
    assert inside is not django_loader and inside.timezone == django_loader.timezone
    assert adapters.get_loader(oid, 0) is django_loader


def test_a_first_scan_writes_each_new_flag_with_its_claims_and_first_event():
    homs = PlaceFactory(name="Homs")
    pair = [
        ClaimFactory(place=homs, value_low=value, value_high=value, qualifier="", text=f"{value}.")
        for value in (500, 10)
    ]
    stale_desk()
    before = timezone.now()

    sync.scan_contradictions()
    sync.scan_staleness(now=NOW)

    made = list(Flag.objects.order_by("pk"))
    assert {f.kind for f in made} >= {"value_conflict", "verification_expired", "review_overdue"}
    for flag in made:
        assert flag.first_seen >= before
        assert flag.claims.exists()
        events = FlagEvent.objects.filter(flag=flag).values_list("from_status", "to_status")
        assert list(events) == [("", "open")]
    conflict = Flag.objects.get(kind=Flag.Kind.VALUE_CONFLICT, claims=pair[0])
    assert set(conflict.claims.all()) == set(pair)
    assert {c.open_severity for c in Claim.objects.filter(pk__in=[c.pk for c in pair])} == {
        conflict.severity
    }


def claim_rewrites() -> int:
    """Rows of the claims table this transaction has updated so far (PostgreSQL)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT n_tup_upd FROM pg_stat_xact_user_tables WHERE relname = 'claims_claim'"
        )
        row = cursor.fetchone()
    return row[0] if row else 0


def test_a_first_scan_ranks_each_flagged_claim_once_however_many_batches(monkeypatch):
    """The claims of new flags get their worst open severity in one statement, not once per
    batch of flags that holds one of their flags: each rewrite of a claim writes every
    index of the table."""
    if connection.vendor != "postgresql":
        skip_or_fail(
            "the triggers rank claims per statement on PostgreSQL", required=REQUIRE_SERVICES
        )
    homs = PlaceFactory(name="Homs")
    # Claims with several flags of different severities: clashing figures on one day,
    # and the same figures again, which the duplicate and conflict rules both take up.
    for day in range(1, 5):
        on = dt.date(2014, 3, day)
        for value in (500, 10, 500, 12):
            ClaimFactory(
                place=homs,
                value_low=value,
                value_high=value,
                qualifier="",
                period_start=on,
                period_end=on,
                text=f"{value} killed on {on}.",
            )
    # A batch of one flag: a claim with flags in several batches would be ranked per batch.
    monkeypatch.setattr(sync, "_chunks", lambda items: ([item] for item in items))
    before = claim_rewrites()

    sync.scan_contradictions()

    flagged = Claim.objects.exclude(open_severity=0).count()
    assert Flag.objects.count() > flagged > 0
    assert claim_rewrites() - before == flagged
    for claim in Claim.objects.all():
        worst = max(
            (f.severity for f in claim.flags.all() if f.status in Flag.UNRESOLVED), default=0
        )
        assert claim.open_severity == worst


def test_a_rerun_stamps_and_reads_each_batch_of_standing_flags_in_one_statement(monkeypatch):
    """On PostgreSQL a batch of standing flags is stamped and read back by one statement,
    its fingerprints one parameter: at 100,000 claims the staleness scan sees some 60,000
    flags on each run, and building 30 statements of 2,000 parameters was half their cost."""
    if connection.vendor != "postgresql":
        skip_or_fail("UPDATE ... RETURNING is PostgreSQL's path", required=REQUIRE_SERVICES)
    stale_desk()
    sync.scan_staleness(now=NOW)
    assert Flag.objects.filter(status="open").count() == 6
    # One claim is decided afresh: its flag is the one gone.
    Claim.objects.filter(status="verified", period_kind="span").update(decided_at=NOW)
    monkeypatch.setattr(
        sync, "_chunks", lambda items: (items[i : i + 2] for i in range(0, len(items), 2))
    )
    with CaptureQueriesContext(connection) as ctx:
        sync.scan_staleness(now=NOW)
    statements = [q["sql"] for q in ctx.captured_queries]
    stamps = [sql for sql in statements if sql.startswith('UPDATE "claims_flag" SET "last_seen"')]
    assert len(stamps) == 3  # five standing flags in batches of two
    assert all("RETURNING" in sql for sql in stamps)
    assert not [sql for sql in statements if "last_seen" in sql and sql.startswith("SELECT")]
    assert Flag.objects.filter(status="open").count() == 5
    gone = Flag.objects.get(status="resolved")
    assert gone.resolved_by is None  # settled by the scan
