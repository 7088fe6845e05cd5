"""Duplicate flags against the database: one flag per group, kept up as the group changes."""

from __future__ import annotations

import datetime as dt

import pytest

from claims.checks import sync
from claims.checks.types import DUPLICATE
from claims.models import Claim, Flag, FlagEvent
from tests.factories import ClaimFactory

pytestmark = pytest.mark.django_db

WORDS = "Barrel bombs have killed about 400 people in Aleppo so far this month"


@pytest.fixture
def many_copies(db):  # type: ignore[no-untyped-def]

    spellings = [WORDS, WORDS.replace("Barrel bombs", "Barrel-bombs"), WORDS.lower()]
    first = ClaimFactory(text=WORDS)
    place = first.place
    return [first.pk] + [ClaimFactory(text=spellings[i % 3], place=place).pk for i in range(1, 200)]


def duplicate_flags():  # type: ignore[no-untyped-def]
    return list(Flag.objects.filter(kind=DUPLICATE))


def test_a_scan_raises_one_flag_for_two_hundred_copies(many_copies):  # type: ignore[no-untyped-def]

    sync.scan_contradictions()

    [flag] = duplicate_flags()
    assert sorted(flag.claims.values_list("pk", flat=True)) == sorted(many_copies)
    assert flag.status == "open"

    events = FlagEvent.objects.count()
    before = list(Flag.objects.values_list("pk", "message", "details", "status"))
    sync.scan_contradictions()
    assert list(Flag.objects.values_list("pk", "message", "details", "status")) == before
    assert FlagEvent.objects.count() == events


def test_a_claim_edited_away_leaves_its_group(many_copies):  # type: ignore[no-untyped-def]

    sync.scan_contradictions()
    [flag] = duplicate_flags()
    leaving = Claim.objects.get(pk=many_copies[5])
    leaving.text = "An airstrike hit a bakery queue in Homs, residents said"
    leaving.save()

    sync.scan_claim_block(leaving.pk)

    [after] = duplicate_flags()
    assert after.pk == flag.pk
    assert leaving.pk not in set(after.claims.values_list("pk", flat=True))
    assert after.claims.count() == 199
    event = after.events.order_by("pk").last()
    assert event is not None
    assert event.details["left"] == [leaving.pk]
    assert "no longer" in event.note

    # The full scan agrees with the scan after the save.
    sync.scan_contradictions()
    [again] = duplicate_flags()
    assert again.claims.count() == 199


def test_a_new_copy_joins_the_group(many_copies):  # type: ignore[no-untyped-def]

    sync.scan_contradictions()
    place = Claim.objects.get(pk=many_copies[0]).place
    newcomer = ClaimFactory(text=WORDS, place=place)

    sync.scan_claim_block(newcomer.pk)

    [flag] = duplicate_flags()
    assert flag.claims.count() == 201
    assert flag.events.order_by("pk").last().details["joined"] == [newcomer.pk]


def test_the_last_pair_split_resolves_the_flag_with_the_reason(db):  # type: ignore[no-untyped-def]

    first = ClaimFactory(text=WORDS)
    second = ClaimFactory(text=WORDS, place=first.place)
    sync.scan_contradictions()
    [flag] = duplicate_flags()
    second.text = "An airstrike hit a bakery queue in Homs, residents said"
    second.period_start = second.period_end = dt.date(2014, 2, 12)
    second.save()

    sync.scan_claim_block(second.pk)

    flag.refresh_from_db()
    assert flag.status == "resolved"
    assert flag.events.order_by("pk").last().note == sync.AUTO_RESOLVED_NOTE
