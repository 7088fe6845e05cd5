"""The incident pages: the list, an incident with its claims and their tolls over time,
and the forms that link, unlink, merge and split, role by role, with history rows."""

from __future__ import annotations

import datetime as dt

import pytest

from claims.models import Claim, ClaimEvent, Flag, Incident, IncidentEvent
from tests.factories import ClaimFactory, PlaceFactory
from tests.incidents import IncidentFactory

pytestmark = pytest.mark.django_db


def toll(incident=None, value=23, on=dt.date(2024, 3, 9), **kw):  # type: ignore[no-untyped-def]
    """A toll of the incident with no time frame, reported on `on`."""
    return ClaimFactory(
        text=f"{value} people were killed in the strike on the market, rescuers said.",
        value_low=value,
        value_high=value,
        qualifier="exact",
        period_start=None,
        period_end=None,
        period_kind="",
        reported_on=on,
        incident=incident,
        place=PlaceFactory(name="Idlib"),
        **kw,
    )


def test_it_lists_incidents_in_pinned_queries(client, editor, django_assert_num_queries):
    for day in (6, 7, 8):
        toll(IncidentFactory(day=dt.date(2024, 3, day)))
    client.force_login(editor)
    # session, user, roles, count, page (with places and claim counts)
    with django_assert_num_queries(5):
        r = client.get("/incidents/")
    assert r.status_code == 200
    assert len(r.context["page"]) == 3
    assert b"Create incident" in r.content
    assert b'href="/incidents/"' in r.content  # the nav link


def test_it_answers_bad_list_filters_with_400(client, editor):
    client.force_login(editor)
    r = client.get("/incidents/?day_from=last+week")
    assert r.status_code == 400


def test_it_shows_an_incident_with_its_tolls_over_time(client, checker):
    incident = IncidentFactory(label="Market strike, Idlib, 8 Mar 2024")
    first = toll(incident, 23, dt.date(2024, 3, 8))
    later = toll(incident, 31, dt.date(2024, 3, 9))
    client.force_login(checker)
    r = client.get(f"/incidents/{incident.pk}/")
    assert r.status_code == 200
    assert list(r.context["claims"]) == [first, later]
    (chart,) = r.context["charts"]
    assert {row.claim_id for row in chart.rows} == {first.pk, later.pk}
    assert b"Market strike, Idlib" in r.content and b"<svg" in r.content
    assert b"none given" in r.content  # no time frame


def test_it_hides_incidents_from_outsiders(client, outsider):
    incident = IncidentFactory()
    client.force_login(outsider)
    assert client.get(f"/incidents/{incident.pk}/").status_code == 404
    r = client.post(f"/incidents/{incident.pk}/link/", {"claim": toll().pk})
    assert r.status_code == 404
    assert not ClaimEvent.objects.filter(kind="incident").exists()


def test_it_links_a_claim_from_the_page_with_history(client, editor):
    incident = IncidentFactory()
    claim = toll()
    client.force_login(editor)
    r = client.post(f"/incidents/{incident.pk}/link/", {"claim": claim.pk, "note": "Same strike"})
    assert r.status_code == 302 and r["Location"] == f"/incidents/{incident.pk}/"
    claim.refresh_from_db()
    assert claim.incident == incident and claim.incident_fixed
    event = IncidentEvent.objects.get(incident=incident, kind="linked")
    assert event.actor == editor and event.note == "Same strike" and event.claim == claim
    page = client.get(f"/incidents/{incident.pk}/")
    assert b"Same strike" in page.content


def test_it_refuses_the_wrong_method(client, editor):
    incident = IncidentFactory()
    client.force_login(editor)
    assert client.get(f"/incidents/{incident.pk}/link/").status_code == 405
    assert client.get("/incidents/new/").status_code == 405


def test_it_shows_the_form_again_when_a_link_is_refused(client, editor):
    incident = IncidentFactory()
    client.force_login(editor)
    r = client.post(f"/incidents/{incident.pk}/link/", {"claim": 999_999, "note": "x"})
    assert r.status_code == 400
    assert "claim" in r.context["link_form"].errors
    r = client.post(f"/incidents/{incident.pk}/link/", {"claim": "abc"})
    assert r.status_code == 400


def test_it_unlinks_from_the_page(client, checker):
    incident = IncidentFactory()
    claim = toll(incident)
    client.force_login(checker)
    r = client.post(f"/incidents/{incident.pk}/unlink/", {"claim": claim.pk})
    assert r.status_code == 302
    claim.refresh_from_db()
    assert claim.incident is None and claim.incident_fixed
    assert ClaimEvent.objects.get(claim=claim, kind="incident").details["incident"] == [
        incident.pk,
        None,
    ]


def test_it_creates_an_incident_from_the_list(client, editor):
    client.force_login(editor)
    r = client.post(
        "/incidents/new/",
        {"label": "Ferry sinking, Lake Kivu", "kind": "sinking", "day": "2024-03-08"},
    )
    incident = Incident.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/incidents/{incident.pk}/"
    assert incident.created_by == editor and incident.kind == "sinking"
    r = client.post("/incidents/new/", {"label": ""})
    assert r.status_code == 302 and Incident.objects.count() == 1


def test_it_merges_and_redirects_the_old_page(client, editor):
    kept, gone = IncidentFactory(), IncidentFactory()
    claim = toll(gone)
    client.force_login(editor)
    r = client.post(f"/incidents/{gone.pk}/merge/", {"into": kept.pk, "note": "One attack"})
    assert r.status_code == 302 and r["Location"] == f"/incidents/{kept.pk}/"
    claim.refresh_from_db()
    assert claim.incident == kept
    assert client.get(f"/incidents/{gone.pk}/")["Location"] == f"/incidents/{kept.pk}/"


def test_it_splits_claims_off_into_a_new_incident(client, editor):
    incident = IncidentFactory(label="Two attacks taken for one")
    stays, moves = toll(incident, 23), toll(incident, 5)
    client.force_login(editor)
    r = client.post(
        f"/incidents/{incident.pk}/split/",
        {"claims": [moves.pk], "label": "Checkpoint shooting", "note": "Another attack"},
    )
    new = Incident.objects.get(label="Checkpoint shooting")
    assert r.status_code == 302 and r["Location"] == f"/incidents/{new.pk}/"
    stays.refresh_from_db()
    moves.refresh_from_db()
    assert stays.incident == incident and moves.incident == new
    assert IncidentEvent.objects.filter(incident=incident, kind="split").exists()
    r = client.post(f"/incidents/{incident.pk}/split/", {"claims": [stays.pk + 999], "label": "x"})
    assert r.status_code == 400


def test_it_confirms_a_suggestion_from_the_flag_page(client, editor):
    a, b = toll(value=23), toll(value=31, on=dt.date(2024, 3, 10))
    flag = Flag.objects.create(
        kind="incident_suggested",
        severity=10,
        message="Same incident?",
        fingerprint="suggestion-test",
        last_seen=dt.datetime(2024, 3, 10, tzinfo=dt.UTC),
    )
    flag.claims.set([a, b])
    client.force_login(editor)
    page = client.get(f"/flags/{flag.pk}/")
    assert b"Confirm: one incident" in page.content
    r = client.post(f"/flags/{flag.pk}/incident/confirm/", {"note": "Same strike, same market"})
    assert r.status_code == 302
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.incident is not None and a.incident == b.incident
    flag.refresh_from_db()
    assert flag.status == "resolved" and flag.resolved_by == editor
    assert r["Location"] == a.incident.get_absolute_url()


def test_it_rejects_a_suggestion_with_a_note(client, checker):
    a, b = toll(value=23), toll(value=31)
    flag = Flag.objects.create(
        kind="incident_suggested",
        severity=10,
        message="Same incident?",
        fingerprint="suggestion-test-2",
        last_seen=dt.datetime(2024, 3, 10, tzinfo=dt.UTC),
    )
    flag.claims.set([a, b])
    client.force_login(checker)
    r = client.post(f"/flags/{flag.pk}/incident/reject/", {"note": ""})
    flag.refresh_from_db()
    assert r.status_code == 302 and flag.status == "open"
    r = client.post(f"/flags/{flag.pk}/incident/reject/", {"note": "Two markets"})
    flag.refresh_from_db()
    assert flag.status == "dismissed" and flag.resolution_note == "Two markets"
    a.refresh_from_db()
    assert a.incident is None and a.incident_fixed


def test_the_claim_form_saves_a_toll_without_a_time_frame(
    client, editor, django_capture_on_commit_callbacks, eager_celery
):
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(
            "/claims/new/",
            {
                "text": "Rescuers said 23 people were killed in the market bombing in Idlib.",
                "reported_on": "2024-03-09",
                "value_low": "23",
                "value_high": "23",
                "qualifier": "exact",
                "event": "killed",
                "population": "all",
                "unit": "people",
                "place_name": "Idlib",
                "place_country": "SY",
                "period_start": "",
                "period_end": "",
                "period_kind": "",
            },
        )
    assert r.status_code == 302, r.content[:2000]
    claim = Claim.objects.get()
    assert claim.period_start is None and claim.period_kind == ""
    assert claim.incident_words is not None  # the save's scan read the incident words
    assert claim.incident_words["venue"] == "market"


def test_the_claim_page_links_its_incident(client, editor):
    incident = IncidentFactory(label="Market strike, Idlib, 8 Mar 2024")
    claim = toll(incident)
    client.force_login(editor)
    page = client.get(claim.get_absolute_url()).content.decode()
    assert f'href="/incidents/{incident.pk}/">Market strike, Idlib, 8 Mar 2024</a>' in page
