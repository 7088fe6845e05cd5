"""`PATCH /api/v1/claims/{id}/` from a stale version: only the fields sent are the
client's. Fields others changed since that version keep the newer values; a field sent
that others changed to something else is a 409 naming it."""

from __future__ import annotations

import pytest

from claims import services
from claims.models import CLAIM_TEXT_MAX_CHARS, Claim, Status
from tests.factories import ClaimFactory, SourceFactory

pytestmark = pytest.mark.django_db


def url(claim: Claim) -> str:
    return f"/api/v1/claims/{claim.pk}/"


def test_disjoint_fields_from_a_stale_version_merge(api, editor, checker):
    claim = ClaimFactory(created_by=editor)
    r = api.as_(checker).patch(url(claim), {"version": 1, "value_low": 60}, format="json")
    assert r.status_code == 200
    r = api.as_(editor).patch(
        url(claim), {"version": 1, "time_expression": "on Wednesday"}, format="json"
    )
    assert r.status_code == 200, r.json()
    assert r.json()["version"] == 3
    claim.refresh_from_db()
    assert (claim.value_low, claim.time_expression) == (60, "on Wednesday")


def test_an_overlapping_field_changed_differently_is_a_409_naming_it(api, editor, checker):
    claim = ClaimFactory(created_by=editor)
    api.as_(checker).patch(url(claim), {"version": 1, "value_low": 60, "unit": "civilians"})
    r = api.as_(editor).patch(
        url(claim),
        {"version": 1, "value_low": 45, "time_expression": "on Wednesday"},
        format="json",
    )
    assert r.status_code == 409
    body = r.json()
    assert body["conflicts"] == ["value_low"]
    assert "value_low" in body and "unit" not in body
    assert body["current_version"] == 2
    claim.refresh_from_db()
    assert (claim.value_low, claim.time_expression, claim.version) == (60, "", 2)


def test_the_same_value_from_both_is_no_conflict(api, editor, checker):
    claim = ClaimFactory(created_by=editor)
    api.as_(checker).patch(url(claim), {"version": 1, "value_low": 60}, format="json")
    r = api.as_(editor).patch(url(claim), {"version": 1, "value_low": 60, "unit": "civilians"})
    assert r.status_code == 200
    claim.refresh_from_db()
    assert (claim.value_low, claim.unit) == (60, "civilians")


def test_sources_both_changed_are_a_conflict(api, editor, checker):
    claim = ClaimFactory(created_by=editor)
    wire, agency = SourceFactory(name="Example Wire"), SourceFactory(name="Other Agency")
    api.as_(checker).patch(url(claim), {"version": 1, "sources": [wire.pk]}, format="json")
    r = api.as_(editor).patch(url(claim), {"version": 1, "sources": [agency.pk]}, format="json")
    assert r.status_code == 409 and r.json()["conflicts"] == ["sources"]


def test_a_move_through_the_workflow_does_not_clash_with_an_edit(api, checker):
    claim = ClaimFactory()
    services.claim_transition(claim=claim, actor=checker, to=Status.IN_REVIEW)  # version 2
    r = api.as_(checker).patch(url(claim), {"version": 1, "value_low": 45}, format="json")
    assert r.status_code == 200
    claim.refresh_from_db()
    assert (claim.value_low, claim.status, claim.assignee) == (45, "in_review", checker)


def test_a_version_from_the_future_is_a_409(api, editor):
    claim = ClaimFactory(created_by=editor)
    r = api.as_(editor).patch(url(claim), {"version": 7, "value_low": 45}, format="json")
    assert r.status_code == 409


def test_the_api_refuses_text_over_the_claim_forms_limit_and_says_it(api, editor):
    text = "x" * (CLAIM_TEXT_MAX_CHARS + 1)
    r = api.as_(editor).post("/api/v1/claims/", {"text": text}, format="json")
    assert r.status_code == 400
    assert f"{CLAIM_TEXT_MAX_CHARS:,}" in r.json()["text"][0]
    ok = api.as_(editor).post(
        "/api/v1/claims/", {"text": "y" * CLAIM_TEXT_MAX_CHARS, "read_text": False}, format="json"
    )
    assert ok.status_code == 201
