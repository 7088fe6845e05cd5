"""The scans against the database: their cost does not grow with the block, and a
second run writes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims.checks import sync
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
