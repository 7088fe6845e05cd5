"""The incidents API, and claims without a time frame (the tolls of one incident)."""

from __future__ import annotations

import datetime as dt

import pytest

from claims.models import Claim, ClaimEvent, Incident, IncidentEvent
from tests.factories import ClaimFactory, PlaceFactory
from tests.incidents import IncidentFactory

pytestmark = pytest.mark.django_db

CLAIMS = "/api/v1/claims/"
URL = "/api/v1/incidents/"


def toll_without_frame(**overrides):  # type: ignore[no-untyped-def]
    body = {
        "text": "Rescuers said 23 people were killed in the market bombing in Idlib.",
        "reported_on": "2024-03-09",
        "value_low": 23,
        "value_high": 23,
        "qualifier": "exact",
        "event": "killed",
        "unit": "people",
        "place": {"name": "Idlib", "country": "SY"},
        "period_start": None,
        "period_end": None,
        "period_kind": None,
    }
    body.update(overrides)
    return body


# ---------------------------------------------------------------------------
# A claim without a time frame


def test_it_creates_a_claim_with_an_explicit_null_time_frame(api, editor):
    r = api.as_(editor).post(CLAIMS, toll_without_frame(), format="json")
    assert r.status_code == 201, r.json()
    body = r.json()
    assert body["period_kind"] == "" and body["period_start"] is None
    claim = Claim.objects.get(pk=body["id"])
    assert claim.period_kind == "" and claim.period_end is None


def test_it_does_not_read_a_time_frame_into_explicit_nulls(api, editor):
    # The text says "yesterday", but the editor said: no time frame.
    text = "Rescuers said 23 people were killed in Idlib yesterday."
    r = api.as_(editor).post(CLAIMS, toll_without_frame(text=text), format="json")
    assert r.status_code == 201, r.json()
    assert r.json()["period_start"] is None and r.json()["period_kind"] == ""


def test_it_clears_a_time_frame_with_a_patch_of_nulls(api, editor):
    claim = ClaimFactory()
    r = api.as_(editor).patch(
        f"{CLAIMS}{claim.pk}/",
        {"period_start": None, "period_end": None, "period_kind": None, "version": 1},
        format="json",
    )
    assert r.status_code == 200, r.json()
    claim.refresh_from_db()
    assert claim.period_start is None and claim.period_kind == ""


def test_it_still_refuses_a_kind_of_period_without_a_period(api, editor):
    r = api.as_(editor).post(
        CLAIMS, toll_without_frame(period_kind="day", read_text=False), format="json"
    )
    assert r.status_code == 400
    assert "period_start" in r.json()
    assert not Claim.objects.exists()


# ---------------------------------------------------------------------------
# /api/v1/incidents/


def test_it_creates_an_incident_and_records_it(api, editor):
    r = api.as_(editor).post(
        URL,
        {
            "label": "Market bombing, Idlib, 8 March",
            "kind": "bombing",
            "place": {"name": "Idlib", "country": "SY"},
            "day": "2024-03-08",
        },
        format="json",
    )
    assert r.status_code == 201, r.json()
    incident = Incident.objects.get(pk=r.json()["id"])
    assert incident.place is not None and incident.place.name == "Idlib"
    assert incident.created_by == editor
    assert IncidentEvent.objects.get(incident=incident).kind == "created"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"label": ""}, "label"),
        ({"label": "x" * 201}, "label"),
        ({"label": "Strike", "day": "8 March"}, "day"),
        ({"label": "Strike", "place": "Idlib"}, "place"),
    ],
)
def test_it_answers_bad_incident_input_with_field_messages(api, editor, body, field):
    r = api.as_(editor).post(URL, body, format="json")
    assert r.status_code == 400, r.content
    assert field in r.json()
    assert not Incident.objects.exists()


def test_it_refuses_incident_writes_without_a_role(api, outsider):
    r = api.as_(outsider).post(URL, {"label": "Strike"}, format="json")
    assert r.status_code == 403
    assert not Incident.objects.exists()


def test_it_lets_a_checker_create_and_an_outsider_see_nothing(api, checker, outsider):
    assert api.as_(checker).post(URL, {"label": "Strike"}, format="json").status_code == 201
    incident = Incident.objects.get()
    assert api.as_(outsider).get(URL).json()["count"] == 0
    assert api.as_(outsider).get(f"{URL}{incident.pk}/").status_code == 404


def test_it_lists_incidents_with_filters_in_pinned_queries(api, editor, django_assert_num_queries):
    idlib = PlaceFactory(name="Idlib")
    for day in (6, 7, 8):
        incident = IncidentFactory(label=f"Strike {day}", place=idlib, day=dt.date(2024, 3, day))
        ClaimFactory(incident=incident, place=idlib)
    IncidentFactory(label="Quake", kind="quake")
    client = api.as_(editor)
    # the user's roles, count, page (with place and claim counts in one query)
    with django_assert_num_queries(3):
        r = client.get(URL, {"place": idlib.pk})
    assert r.status_code == 200
    assert r.json()["count"] == 3
    assert r.json()["results"][0]["claim_count"] == 1
    assert [i["label"] for i in client.get(URL, {"kind": "quake"}).json()["results"]] == ["Quake"]
    assert client.get(URL, {"q": "strike 7"}).json()["count"] == 1


def test_it_answers_bad_incident_filters_with_400(api, editor):
    r = api.as_(editor).get(URL, {"day_from": "last week"})
    assert r.status_code == 400
    assert "day_from" in r.json()


def test_it_retrieves_an_incident_with_its_claims(api, editor):
    incident = IncidentFactory()
    claim = ClaimFactory(incident=incident)
    r = api.as_(editor).get(f"{URL}{incident.pk}/")
    assert r.status_code == 200
    assert [c["id"] for c in r.json()["claims"]] == [claim.pk]


def test_it_edits_an_incident_and_records_the_change(api, editor):
    incident = IncidentFactory(label="Strike")
    r = api.as_(editor).patch(
        f"{URL}{incident.pk}/", {"label": "Strike on the bakery", "kind": "strike"}, format="json"
    )
    assert r.status_code == 200, r.json()
    incident.refresh_from_db()
    assert incident.label == "Strike on the bakery"
    event = IncidentEvent.objects.get(incident=incident, kind="edited")
    assert event.actor == editor
    assert event.details["changed"]["label"] == ["Strike", "Strike on the bakery"]


def test_it_links_and_unlinks_a_claim_with_history(api, checker):
    incident = IncidentFactory()
    claim = ClaimFactory()
    client = api.as_(checker)
    r = client.post(
        f"{URL}{incident.pk}/link/", {"claim": claim.pk, "note": "Same attack"}, format="json"
    )
    assert r.status_code == 200, r.json()
    claim.refresh_from_db()
    assert claim.incident == incident
    event = ClaimEvent.objects.get(claim=claim, kind="incident")
    assert event.actor == checker and event.note == "Same attack"
    assert event.details["incident"] == [None, incident.pk]
    r = client.post(f"{URL}{incident.pk}/unlink/", {"claim": claim.pk, "note": "Other town"})
    assert r.status_code == 200
    claim.refresh_from_db()
    assert claim.incident is None
    assert IncidentEvent.objects.filter(incident=incident, kind="unlinked").exists()


def test_it_answers_unlinking_a_claim_of_another_incident_with_409(api, editor):
    incident, other = IncidentFactory(), IncidentFactory()
    claim = ClaimFactory(incident=other)
    r = api.as_(editor).post(f"{URL}{incident.pk}/unlink/", {"claim": claim.pk}, format="json")
    assert r.status_code == 409
    claim.refresh_from_db()
    assert claim.incident == other


def test_it_answers_linking_an_unknown_claim_with_400(api, editor):
    incident = IncidentFactory()
    r = api.as_(editor).post(f"{URL}{incident.pk}/link/", {"claim": 999_999}, format="json")
    assert r.status_code == 400
    assert "claim" in r.json()


def test_it_merges_one_incident_into_another(api, editor):
    kept, gone = IncidentFactory(label="Kept"), IncidentFactory(label="Gone")
    claim = ClaimFactory(incident=gone)
    r = api.as_(editor).post(
        f"{URL}{gone.pk}/merge/", {"into": kept.pk, "note": "One attack"}, format="json"
    )
    assert r.status_code == 200, r.json()
    assert r.json()["id"] == kept.pk
    claim.refresh_from_db()
    gone.refresh_from_db()
    assert claim.incident == kept and gone.merged_into == kept
    assert IncidentEvent.objects.filter(incident=kept, kind="merged").exists()


def test_it_refuses_merging_an_incident_into_itself(api, editor):
    incident = IncidentFactory()
    r = api.as_(editor).post(f"{URL}{incident.pk}/merge/", {"into": incident.pk}, format="json")
    assert r.status_code == 409


def test_it_shows_and_sets_the_incident_of_a_claim(api, editor, checker):
    incident = IncidentFactory()
    claim = ClaimFactory()
    assert api.as_(editor).get(f"{CLAIMS}{claim.pk}/").json()["incident"] is None
    r = api.as_(checker).patch(
        f"{CLAIMS}{claim.pk}/", {"incident": incident.pk, "version": 1}, format="json"
    )
    assert r.status_code == 200, r.json()
    assert r.json()["incident"] == incident.pk
    claim.refresh_from_db()
    assert claim.incident == incident
    assert ClaimEvent.objects.filter(claim=claim, kind="incident", actor=checker).exists()
    r = api.as_(checker).patch(
        f"{CLAIMS}{claim.pk}/", {"incident": None, "version": claim.version}, format="json"
    )
    assert r.status_code == 200, r.json()
    claim.refresh_from_db()
    assert claim.incident is None


def test_it_refuses_an_unknown_incident_on_a_claim(api, editor):
    claim = ClaimFactory()
    r = api.as_(editor).patch(
        f"{CLAIMS}{claim.pk}/", {"incident": 999_999, "version": 1}, format="json"
    )
    assert r.status_code == 400
    assert "incident" in r.json()


def _suggestion(a, b):  # type: ignore[no-untyped-def]
    from django.utils import timezone

    from claims.models import Flag

    flag = Flag.objects.create(
        kind="incident_suggested",
        severity=10,
        message="Same incident?",
        fingerprint=f"suggestion-{a.pk}-{b.pk}",
        last_seen=timezone.now(),
    )
    flag.claims.set([a, b])
    return flag


def test_it_confirms_a_suggestion_and_lists_the_flags_of_a_claim(api, editor):
    a, b = ClaimFactory(), ClaimFactory()
    flag = _suggestion(a, b)
    client = api.as_(editor)
    listed = client.get("/api/v1/flags/", {"claim": a.pk}).json()["results"]
    assert [(f["id"], f["kind"], f["severity"]) for f in listed] == [
        (flag.pk, "incident_suggested", "info")
    ]
    assert client.post(f"{URL}confirm/", {"flag": flag.pk}, format="json").status_code == 400
    r = client.post(f"{URL}confirm/", {"flag": flag.pk, "note": "Same strike"}, format="json")
    assert r.status_code == 200, r.json()
    assert {c["id"] for c in r.json()["claims"]} == {a.pk, b.pk}
    r = client.post(f"{URL}confirm/", {"flag": flag.pk, "note": "Again"}, format="json")
    assert r.status_code == 409


def test_it_rejects_a_suggestion(api, checker):
    flag = _suggestion(ClaimFactory(), ClaimFactory())
    r = api.as_(checker).post(f"{URL}reject/", {"flag": flag.pk, "note": "Two attacks"})
    assert r.status_code == 200, r.json()
    assert r.json()["status"] == "dismissed" and r.json()["resolution_note"] == "Two attacks"


def test_it_refuses_to_confirm_a_conflict_as_a_suggestion(api, editor, conflict):
    r = api.as_(editor).post(f"{URL}confirm/", {"flag": conflict.pk, "note": "x"}, format="json")
    assert r.status_code == 409
    conflict.refresh_from_db()
    assert conflict.status == "open"


def test_it_splits_claims_off_into_a_new_incident(api, checker):
    incident = IncidentFactory(label="Two strikes taken for one")
    stays, moves = ClaimFactory(incident=incident), ClaimFactory(incident=incident)
    client = api.as_(checker)
    r = client.post(
        f"{URL}{incident.pk}/split/",
        {"claims": [moves.pk], "label": "Strike on the bakery", "note": "Another strike"},
        format="json",
    )
    assert r.status_code == 201, r.json()
    assert [c["id"] for c in r.json()["claims"]] == [moves.pk]
    stays.refresh_from_db()
    assert stays.incident == incident
    r = client.post(
        f"{URL}{incident.pk}/split/", {"claims": [moves.pk], "label": "Again"}, format="json"
    )
    assert r.status_code == 400 and "claims" in r.json()


def test_it_sets_an_incidents_place_by_name(api, editor):
    incident = IncidentFactory()
    r = api.as_(editor).patch(
        f"{URL}{incident.pk}/", {"place": {"name": "Idlib", "country": "SY"}}, format="json"
    )
    assert r.status_code == 200, r.json()
    assert r.json()["place"]["name"] == "Idlib"
    event = IncidentEvent.objects.get(incident=incident, kind="edited")
    assert event.details["changed"]["place"][0] is None


def test_it_creates_a_claim_linked_to_an_incident(api, editor):
    incident = IncidentFactory()
    r = api.as_(editor).post(CLAIMS, toll_without_frame(incident=incident.pk), format="json")
    assert r.status_code == 201, r.json()
    assert r.json()["incident"] == incident.pk
    claim = Claim.objects.get(pk=r.json()["id"])
    assert claim.incident_fixed
    assert ClaimEvent.objects.filter(claim=claim, kind="incident", actor=editor).exists()
