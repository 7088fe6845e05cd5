"""The full scan split into parts that workers take side by side: the same flags as one
whole scan, each part safe to run twice, and the run finished when its last part is."""

from __future__ import annotations

import datetime as dt

import pytest

from claims import tasks
from claims.checks import find_contradictions, sync
from claims.checks.duplicates import cluster_duplicates
from claims.models import Claim, Flag, FlagEvent, Incident, ScanPart, ScanRun
from tests.factories import ClaimFactory, PlaceFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_celery")]

DAY = dt.date(2014, 2, 12)


def clash(place: str, country: str, event: str = "killed", day: int = 0) -> list[Claim]:
    """Two figures for one place and day that cannot both be true."""
    on = DAY + dt.timedelta(days=day)
    where = PlaceFactory(name=place, country=country)
    return [
        ClaimFactory(
            place=where,
            event=event,
            value_low=low,
            value_high=high,
            qualifier="range",
            period_start=on,
            period_end=on,
            text=f"Between {low} and {high} people were {event} in {place}.",
        )
        for low, high in ((500, 520), (10, 12))
    ]


def desk() -> dict[str, list[Claim]]:
    """Clashes in several blocks, and tolls of one incident reported from two countries."""
    found = {
        "aleppo": clash("Aleppo", "SY"),
        "homs": clash("Homs", "SY", day=3),
        "baghdad": clash("Baghdad", "IQ"),
        "wounded": clash("Aleppo", "SY", event="injured"),
    }
    border = PlaceFactory(name="Al-Qaim", country="IQ")
    incident = Incident.objects.create(label="Strike on the crossing", kind="airstrike", day=DAY)
    tolls = []
    for country, low in (("IQ", 40), ("SY", 4)):
        tolls.append(
            ClaimFactory(
                place=border,
                country=country,
                value_low=low,
                value_high=low,
                qualifier="",
                period_start=None,
                period_end=None,
                period_kind="",
                incident=incident,
                reported_on=DAY + dt.timedelta(days=1 if low == 40 else 2),
                text=f"{low} people were killed in the strike on the crossing.",
            )
        )
    found["incident"] = tolls
    return found


def whole_scan_fingerprints() -> set[str]:
    """What one whole scan must leave flagged, computed without writing."""
    facts = sync.load_facts(Claim.objects.all())
    policy = sync.current_policy()
    findings = cluster_duplicates(
        find_contradictions(facts, policy), {f.id: f for f in facts}, policy
    )
    return {finding.fingerprint for finding in findings}


def flags() -> set[tuple[str, str]]:
    return set(Flag.objects.values_list("fingerprint", "status"))


def split_scan(django_capture_on_commit_callbacks) -> ScanRun:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        parts = tasks.scan_all(split=True)
    run = ScanRun.objects.latest("pk")
    assert parts == run.parts.count()
    return run


def test_a_split_scan_leaves_the_flags_of_one_whole_scan(django_capture_on_commit_callbacks):
    desk()
    expected = whole_scan_fingerprints()
    assert len(expected) >= 5  # four clashes and the incident's falling count

    run = split_scan(django_capture_on_commit_callbacks)

    assert flags() == {(fingerprint, Flag.Status.OPEN) for fingerprint in expected}
    assert FlagEvent.objects.count() == len(expected)
    run.refresh_from_db()
    assert run.finished_at is not None
    assert not run.parts.filter(finished_at__isnull=True).exists()


def test_a_part_run_twice_changes_nothing(django_capture_on_commit_callbacks):
    desk()
    run = split_scan(django_capture_on_commit_callbacks)
    before = flags(), FlagEvent.objects.count(), run.finished_at

    for part in run.parts.all():
        tasks.scan_part(run.pk, part.index)

    run.refresh_from_db()
    assert (flags(), FlagEvent.objects.count(), run.finished_at) == before


def test_the_run_is_finished_only_when_its_last_part_is(django_capture_on_commit_callbacks):
    desk()
    run = sync.plan_full_scan(part_claims=1)
    indexes = list(run.parts.order_by("index").values_list("index", flat=True))
    assert len(indexes) == 2  # killed in Iraq and Syria (one incident), injured in Syria

    for index in indexes[:-1]:
        sync.scan_part(run.pk, index)
        run.refresh_from_db()
        assert run.finished_at is None
    sync.scan_part(run.pk, indexes[-1])

    run.refresh_from_db()
    assert run.finished_at is not None


def test_parts_keep_an_incident_whole_and_share_out_small_blocks():
    found = desk()
    big = sync.plan_full_scan(part_claims=1)
    parts = list(big.parts.order_by("index"))
    # One block a part, but the incident's tolls from Iraq and Syria stay in one.
    killed_iq, killed_sy = ["killed", "IQ"], ["killed", "SY"]
    together = [p for p in parts if killed_iq in p.blocks]
    assert len(together) == 1 and killed_sy in together[0].blocks
    assert sum(p.claims for p in parts) == Claim.objects.count()
    # Largest first, so that the workers finish together.
    assert [p.claims for p in parts] == sorted((p.claims for p in parts), reverse=True)
    assert parts[0].claims == len(found["aleppo"] + found["homs"] + found["baghdad"]) + 2

    one = sync.plan_full_scan(part_claims=10_000)
    assert one.parts.count() == 1


def test_a_claim_moved_to_another_block_loses_its_flag(django_capture_on_commit_callbacks):
    found = desk()
    split_scan(django_capture_on_commit_callbacks)
    moved = found["baghdad"][1]
    flag = Flag.objects.get(kind=Flag.Kind.VALUE_CONFLICT, claims=moved)
    Claim.objects.filter(pk=moved.pk).update(country="JO", place=PlaceFactory(name="Amman"))

    split_scan(django_capture_on_commit_callbacks)

    flag.refresh_from_db()
    assert (flag.status, flag.resolution_note) == (Flag.Status.RESOLVED, sync.AUTO_RESOLVED_NOTE)


def test_the_plan_resolves_flags_left_without_claims(django_capture_on_commit_callbacks):
    found = desk()
    split_scan(django_capture_on_commit_callbacks)
    flag = Flag.objects.get(kind=Flag.Kind.VALUE_CONFLICT, claims=found["homs"][0])
    flag.claims.clear()

    sync.plan_full_scan()

    flag.refresh_from_db()
    assert flag.status == Flag.Status.RESOLVED


def test_a_small_claim_base_is_scanned_in_one_task():
    desk()
    touched = tasks.scan_all()
    assert not ScanRun.objects.exists()
    assert touched == len(whole_scan_fingerprints()) == Flag.objects.count()


def test_a_run_without_claims_is_finished_at_once():
    run = sync.plan_full_scan()
    assert run.finished_at is not None or ScanRun.objects.get(pk=run.pk).finished_at
    assert not ScanPart.objects.exists()
