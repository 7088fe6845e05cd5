"""The job that links the tolls of one incident, and the checks it feeds: tolls with no
time frame compared as running counts within one incident, two incidents never."""

from __future__ import annotations

import datetime as dt

import pytest

from claims import services
from claims.checks import sync
from claims.models import Claim, ClaimEvent, Flag, Incident, IncidentEvent
from tests.factories import ClaimFactory, PlaceFactory

pytestmark = pytest.mark.django_db

SAT = dt.date(2024, 3, 9)


def toll(text: str, value: int, on: dt.date = SAT, place: str = "Idlib") -> Claim:
    """A toll as an editor logs it from copy that gives no time frame, scanned as a save
    would scan it."""
    claim = ClaimFactory(
        text=text,
        value_low=value,
        value_high=value,
        qualifier="exact",
        period_start=None,
        period_end=None,
        period_kind="",
        reported_on=on,
        place=PlaceFactory(name=place),
    )
    sync.scan_claim_block(claim.pk)
    claim.refresh_from_db()
    return claim


def fresh(*claims: Claim) -> None:
    for claim in claims:
        claim.refresh_from_db()


def flags_of(*claims: Claim) -> set[str]:
    ids = {c.pk for c in claims}
    return {
        f.kind
        for f in Flag.objects.unresolved().prefetch_related("claims")
        if ids <= {c.pk for c in f.claims.all()}
    }


def test_it_links_two_reports_of_one_bombing_and_stores_the_words():
    first = toll("Medics said 23 people were killed in the market bombing in Idlib.", 23)
    later = toll(
        "The toll from the market bombing in Idlib rose to 31, rescuers said.",
        31,
        SAT + dt.timedelta(days=1),
    )
    first.refresh_from_db()
    assert first.incident_words["kind"] == "bombing"
    assert first.incident_words["venue"] == "market"
    assert first.incident is not None and first.incident == later.incident
    assert not first.incident_fixed
    incident = first.incident
    assert "Idlib" in incident.label and incident.kind == "bombing"
    event = ClaimEvent.objects.get(claim=later, kind="incident")
    assert event.actor is None and event.details["incident"] == [None, incident.pk]
    assert IncidentEvent.objects.filter(incident=incident, kind="linked").count() == 2


def test_a_later_higher_toll_supersedes_the_earlier_one():
    first = toll("Medics said 23 people were killed in the market bombing in Idlib.", 23)
    later = toll(
        "The toll from the market bombing in Idlib rose to 31.", 31, SAT + dt.timedelta(days=1)
    )
    sync.scan_claim_block(first.pk)
    assert flags_of(first, later) == {"superseded"}


def test_two_tolls_of_one_bombing_on_one_day_conflict():
    a = toll("Medics said 23 people were killed in the market bombing in Idlib.", 23)
    b = toll("Officials put the toll from the market bombing in Idlib at 40.", 40)
    fresh(a)
    assert a.incident == b.incident and a.incident is not None
    assert flags_of(a, b) == {"value_conflict"}
    flag = Flag.objects.get(kind="value_conflict")
    # The same finding however often the scans run.
    sync.scan_claim_block(a.pk)
    sync.scan_contradictions()
    assert Flag.objects.get(kind="value_conflict").pk == flag.pk


def test_a_later_report_below_an_earlier_one_is_a_decrease():
    a = toll("Medics said 40 people were killed in the market bombing in Idlib.", 40)
    b = toll(
        "Officials said 23 people were killed in the market bombing in Idlib.",
        23,
        SAT + dt.timedelta(days=1),
    )
    fresh(a)
    assert a.incident == b.incident
    assert "count_decreased" in flags_of(a, b)


def test_two_attacks_in_one_city_on_one_day_are_never_compared():
    a = toll("Medics said 23 people were killed in the market bombing in Idlib.", 23)
    b = toll(
        "Four people were killed when gunmen opened fire at a checkpoint in Idlib.",
        4,
    )
    assert a.incident is None and b.incident is None
    assert flags_of(a, b) == set()


def test_two_markets_in_two_towns_are_never_linked():
    a = toll("Medics said 23 people were killed in the market bombing in Idlib.", 23)
    b = toll("Medics said 9 people were killed in the market bombing in Ariha.", 9, place="Ariha")
    assert a.incident is None and b.incident is None
    assert not Flag.objects.filter(kind="incident_suggested").exists()


def test_weaker_evidence_raises_a_suggestion_an_editor_confirms(editor):
    a = toll("Medics said 23 people were killed in the market bombing in Idlib.", 23)
    b = toll("Officials said 40 people were killed in the attack in Idlib.", 40)
    assert a.incident is None and b.incident is None
    suggestion = Flag.objects.get(kind="incident_suggested")
    assert suggestion.get_severity_display() == "info"
    assert {c.pk for c in suggestion.claims.all()} == {a.pk, b.pk}
    assert flags_of(a, b) == {"incident_suggested"}

    incident = services.incident_suggestion_confirm(
        flag=suggestion, actor=editor, note="The attack is the market bombing."
    )
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.incident == b.incident == incident and a.incident_fixed
    suggestion.refresh_from_db()
    assert suggestion.status == "resolved"
    sync.scan_claim_block(b.pk)
    assert flags_of(a, b) == {"value_conflict"}


def test_a_rejected_suggestion_stays_rejected(checker):
    a = toll("Medics said 23 people were killed in the market bombing in Idlib.", 23)
    b = toll("Officials said 40 people were killed in the attack in Idlib.", 40)
    suggestion = Flag.objects.get(kind="incident_suggested")
    services.incident_suggestion_reject(flag=suggestion, actor=checker, note="Two attacks.")
    sync.scan_claim_block(a.pk)
    sync.scan_claim_block(b.pk)
    suggestion.refresh_from_db()
    assert suggestion.status == "dismissed"
    assert Flag.objects.filter(kind="incident_suggested").count() == 1
    assert flags_of(a, b) == set()


def test_a_claim_an_editor_unlinked_is_not_linked_again(editor):
    a = toll("Medics said 23 people were killed in the market bombing in Idlib.", 23)
    b = toll("The toll from the market bombing in Idlib rose to 31.", 31)
    fresh(a)
    assert a.incident is not None
    services.incident_unlink(incident=a.incident, claim=b, actor=editor, note="Other market")
    sync.scan_claim_block(b.pk)
    b.refresh_from_db()
    assert b.incident is None and b.incident_fixed


def test_a_new_report_joins_the_incident_on_the_desk():
    a = toll("Medics said 23 people were killed in the market bombing in Idlib.", 23)
    b = toll("The toll from the market bombing in Idlib rose to 31.", 31, SAT + dt.timedelta(1))
    c = toll("The toll from the market bombing in Idlib rose to 35.", 35, SAT + dt.timedelta(2))
    fresh(a, b)
    assert a.incident == b.incident == c.incident
    assert Incident.objects.count() == 1


def test_one_story_covering_two_attacks_links_neither():
    # One report, two attacks: sharing a story is no evidence.
    a = toll("Medics said 23 people were killed in the market bombing in Idlib.", 23)
    b = toll("Separately, 6 people were killed in a strike on a bakery in Idlib.", 6)
    assert a.incident is None and b.incident is None
    assert flags_of(a, b) == set()


def test_a_fire_at_the_market_stays_out_of_the_bombing():
    a = toll("Medics said 23 people were killed in the market bombing in Idlib.", 23)
    b = toll("The toll from the market bombing in Idlib rose to 31.", 31)
    fresh(a)
    incident = a.incident
    assert incident is not None and b.incident == incident
    c = toll("Rescuers said 12 people died in the fire at the market in Idlib.", 12)
    assert c.incident is None


def test_a_claim_edited_to_name_another_attack_leaves_the_incident(editor):
    a = toll("Medics said 23 people were killed in the market bombing in Idlib.", 23)
    b = toll("The toll from the market bombing in Idlib rose to 31.", 31)
    fresh(a)
    assert b.incident is not None and b.incident == a.incident
    services.claim_update(
        claim=b,
        actor=editor,
        version=b.version,
        changes={
            "text": "Four people were killed when gunmen opened fire at a checkpoint in Idlib."
        },
    )
    sync.scan_claim_block(b.pk)
    fresh(a, b)
    assert b.incident is None and a.incident is not None
    event = ClaimEvent.objects.filter(claim=b, kind="incident").latest("id")
    assert event.actor is None and "no longer name" in event.note
    assert flags_of(a, b) == set()


def test_two_attacks_on_one_day_with_a_time_frame_are_never_compared():
    # Both tolls give the day; the usual rules would read them as one count of Idlib
    # that day. Each names its own incident, so they are never rivals.
    a = ClaimFactory(
        text="Medics said 23 people were killed in the market bombing in Idlib on Saturday.",
        value_low=23,
        value_high=23,
        qualifier="exact",
        period_start=SAT,
        period_end=SAT,
        period_kind="day",
        reported_on=SAT + dt.timedelta(days=1),
        place=PlaceFactory(name="Idlib"),
    )
    b = ClaimFactory(
        text="Gunmen opened fire at a checkpoint in Idlib on Saturday, killing 4 people.",
        value_low=4,
        value_high=4,
        qualifier="exact",
        period_start=SAT,
        period_end=SAT,
        period_kind="day",
        reported_on=SAT + dt.timedelta(days=1),
        place=a.place,
    )
    sync.scan_claim_block(a.pk)
    sync.scan_claim_block(b.pk)
    sync.scan_contradictions()
    fresh(a, b)
    assert a.incident is None and b.incident is None
    assert flags_of(a, b) == set()


def test_a_claim_saved_before_incidents_were_read_is_read_when_met():
    old = ClaimFactory(
        text="Medics said 23 people were killed in the market bombing in Idlib.",
        value_low=23,
        value_high=23,
        period_start=None,
        period_end=None,
        period_kind="",
        reported_on=SAT,
        place=PlaceFactory(name="Idlib"),
    )
    assert old.incident_words is None  # never read
    new = toll("The toll from the market bombing in Idlib rose to 31.", 31, SAT + dt.timedelta(1))
    fresh(old)
    assert old.incident_words["venue"] == "market"
    assert old.incident is not None and old.incident == new.incident


def test_unlinking_a_toll_resolves_its_conflict_with_the_reason(editor):
    a = toll("Medics said 23 people were killed in the market bombing in Idlib.", 23)
    b = toll("Officials put the toll from the market bombing in Idlib at 40.", 40)
    fresh(a)
    flag = Flag.objects.get(kind="value_conflict")
    services.incident_unlink(incident=a.incident, claim=b, actor=editor, note="Another market")
    sync.scan_claim_block(b.pk)  # what the unlink queued
    flag.refresh_from_db()
    assert flag.status == "resolved" and flag.resolution_note == sync.AUTO_RESOLVED_NOTE
    assert flag.resolved_by is None


def test_a_report_saved_before_words_were_read_joins_with_the_next_one():
    a = toll("Medics said 23 people were killed in the market bombing in Idlib.", 23)
    b = toll("The toll from the market bombing in Idlib rose to 31.", 31, SAT + dt.timedelta(1))
    old = ClaimFactory(
        text="Officials said 27 people were killed in the market bombing in Idlib.",
        value_low=27,
        value_high=27,
        period_start=None,
        period_end=None,
        period_kind="",
        reported_on=SAT,
        place=a.place,
    )
    assert old.incident_words is None
    c = toll("The toll from the market bombing in Idlib rose to 35.", 35, SAT + dt.timedelta(2))
    fresh(a, old)
    assert a.incident == c.incident == old.incident and a.incident is not None
    assert b.incident == a.incident
