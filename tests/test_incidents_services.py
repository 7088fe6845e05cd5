"""The incident services: who may change incidents, and the history every change leaves."""

from __future__ import annotations

import datetime as dt

import pytest

from claims import services
from claims.errors import ActionForbidden, InvalidInput, StateConflict
from claims.models import ClaimEvent, Incident, IncidentEvent
from tests.factories import ClaimFactory
from tests.incidents import IncidentFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("persona", ["editor", "checker", "admin"])
def test_it_lets_editors_checkers_and_admins_create(request, persona):
    actor = request.getfixturevalue(persona)
    incident = services.incident_create(actor=actor, label="  Quake,   Herat  ", kind="Quake")
    assert incident.label == "Quake, Herat" and incident.kind == "quake"
    assert IncidentEvent.objects.get(incident=incident).actor == actor


def test_it_refuses_a_user_without_a_role(outsider):
    with pytest.raises(ActionForbidden):
        services.incident_create(actor=outsider, label="Quake")
    assert not Incident.objects.exists()


def test_it_refuses_a_blank_label_and_a_long_kind(editor):
    with pytest.raises(InvalidInput) as exc:
        services.incident_create(actor=editor, label="   ")
    assert "label" in exc.value.errors
    with pytest.raises(InvalidInput) as exc:
        services.incident_create(actor=editor, label="Quake", kind="x" * 41)
    assert "kind" in exc.value.errors
    assert not Incident.objects.exists()


def test_an_edit_records_old_and_new_values(editor):
    incident = IncidentFactory(label="Strike", day=dt.date(2024, 3, 8))
    services.incident_update(
        incident=incident, actor=editor, changes={"day": dt.date(2024, 3, 7)}, note="Was Thursday"
    )
    event = IncidentEvent.objects.get(kind="edited")
    assert event.details["changed"] == {"day": ["2024-03-08", "2024-03-07"]}
    assert event.note == "Was Thursday"
    # Nothing changed: nothing recorded.
    services.incident_update(incident=incident, actor=editor, changes={"label": "Strike"})
    assert IncidentEvent.objects.filter(kind="edited").count() == 1


def test_linking_moves_a_claim_between_incidents_with_both_rows(checker):
    one, two = IncidentFactory(), IncidentFactory()
    claim = ClaimFactory(incident=one)
    services.incident_link(incident=two, claim=claim, actor=checker, note="Wrong strike")
    claim.refresh_from_db()
    assert claim.incident == two and claim.incident_fixed
    assert claim.version == 1  # not a new version of the claim's words
    assert IncidentEvent.objects.get(incident=one).kind == "unlinked"
    assert IncidentEvent.objects.get(incident=two).kind == "linked"
    assert ClaimEvent.objects.get(claim=claim).details == {"incident": [one.pk, two.pk]}


def test_a_merged_incident_takes_no_more_claims(editor):
    kept, gone = IncidentFactory(), IncidentFactory()
    services.incident_merge(incident=gone, into=kept.pk, actor=editor, note="One quake")
    with pytest.raises(StateConflict):
        services.incident_link(incident=gone, claim=ClaimFactory(), actor=editor)
    with pytest.raises(StateConflict):
        services.incident_merge(incident=kept, into=gone, actor=editor)
    with pytest.raises(InvalidInput):
        services.incident_merge(incident=kept, into=999_999, actor=editor)


def test_a_split_needs_claims_of_the_incident(editor):
    incident = IncidentFactory()
    mine, other = ClaimFactory(incident=incident), ClaimFactory()
    with pytest.raises(InvalidInput):
        services.incident_split(incident=incident, claims=[other.pk], actor=editor, label="New")
    with pytest.raises(InvalidInput):
        services.incident_split(incident=incident, claims=[], actor=editor, label="New")
    new = services.incident_split(incident=incident, claims=[mine], actor=editor, label="New")
    mine.refresh_from_db()
    assert mine.incident == new and new.kind == incident.kind
    assert ClaimEvent.objects.get(claim=mine).details == {"incident": [incident.pk, new.pk]}


def test_the_admin_shows_incidents_read_only(client, admin, editor):
    incident = services.incident_create(actor=editor, label="Ferry sinking")
    client.force_login(admin)
    assert client.get("/admin/claims/incident/").status_code == 200
    page = client.get(f"/admin/claims/incident/{incident.pk}/change/")
    assert page.status_code == 200
    assert b'name="label"' not in page.content  # no field to change
    assert client.get("/admin/claims/incident/add/").status_code == 403
