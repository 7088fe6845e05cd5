"""A claim's stored worst open severity (`Claim.open_severity`), kept by the triggers of
migration 0023_page_indexes on every write to flags and their claims, whoever makes it:
the queues order by it and the Flagged queue filters on it."""

from __future__ import annotations

import itertools

import pytest
from django.utils import timezone

from claims.models import Claim, Flag, Severity
from claims.services.flags import flag_set_status, flags_set_status
from tests.factories import ClaimFactory

pytestmark = pytest.mark.django_db

_fingerprints = itertools.count()


def flag(*claims, severity=Severity.MEDIUM, status=Flag.Status.OPEN):  # type: ignore[no-untyped-def]
    found = Flag.objects.create(
        kind=Flag.Kind.VALUE_CONFLICT,
        severity=severity,
        status=status,
        message="Two figures disagree.",
        fingerprint=f"severity-{next(_fingerprints)}",
        last_seen=timezone.now(),
    )
    found.claims.add(*claims)
    return found


def stored(claim: Claim) -> int:
    return Claim.objects.values_list("open_severity", flat=True).get(pk=claim.pk)


def test_it_is_the_worst_open_flag_of_the_claim():  # type: ignore[no-untyped-def]
    claim, other = ClaimFactory(), ClaimFactory()
    assert stored(claim) == 0
    flag(claim, other, severity=Severity.LOW)
    assert (stored(claim), stored(other)) == (Severity.LOW, Severity.LOW)
    flag(claim, severity=Severity.HIGH)
    flag(claim, severity=Severity.INFO, status=Flag.Status.ACKNOWLEDGED)
    assert (stored(claim), stored(other)) == (Severity.HIGH, Severity.LOW)


def test_it_follows_resolutions_and_reopenings():  # type: ignore[no-untyped-def]
    claim = ClaimFactory()
    low, high = flag(claim, severity=Severity.LOW), flag(claim, severity=Severity.HIGH)
    flag_set_status(high, to=Flag.Status.RESOLVED, actor=None, note="Gone.")
    assert stored(claim) == Severity.LOW
    now = timezone.now()
    flags_set_status([(low.pk, low.status)], to=Flag.Status.DISMISSED, note="No.", now=now)
    assert stored(claim) == 0
    flags_set_status([(high.pk, "resolved")], to=Flag.Status.OPEN, note="Back.", now=now)
    assert stored(claim) == Severity.HIGH


def test_it_follows_a_new_severity_and_a_flag_that_loses_its_claims():  # type: ignore[no-untyped-def]
    claim, other = ClaimFactory(), ClaimFactory()
    found = flag(claim, other, severity=Severity.MEDIUM)
    Flag.objects.filter(pk=found.pk).update(severity=Severity.HIGH)
    assert stored(claim) == Severity.HIGH
    found.claims.remove(other)
    assert (stored(claim), stored(other)) == (Severity.HIGH, 0)
    found.delete()
    assert stored(claim) == 0


def test_the_stamps_of_a_scan_leave_it_alone():  # type: ignore[no-untyped-def]
    claim = ClaimFactory()
    found = flag(claim, severity=Severity.LOW)
    Claim.objects.filter(pk=claim.pk).update(open_severity=Severity.HIGH)  # a marker
    Flag.objects.filter(pk=found.pk).update(last_seen=timezone.now(), message="Again.")
    assert stored(claim) == Severity.HIGH


def test_the_flagged_queue_and_urgent_order_read_it(client, checker):  # type: ignore[no-untyped-def]
    calm, worried, worst = ClaimFactory(), ClaimFactory(), ClaimFactory()
    flag(worried, severity=Severity.LOW)
    flag(worst, severity=Severity.HIGH)
    flag(calm, severity=Severity.HIGH, status=Flag.Status.RESOLVED)
    client.force_login(checker)
    rows = client.get("/queue/flagged/").context["rows"]
    assert [row["pk"] for row in rows] == [worst.pk, worried.pk]
