"""`POST /api/v1/claims/{id}/merge/` with `{"into": id}`: fact-checkers and admins fold a
duplicate into the claim that stays; the merged claim's address then answers 303 to it,
and writes to it are refused with a 409 that names the survivor."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims.models import Claim, ClaimEvent, Evidence
from tests.factories import ClaimFactory, EvidenceFactory, StoryFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_celery")]


@pytest.fixture
def twins():  # type: ignore[no-untyped-def]
    survivor = ClaimFactory(story=StoryFactory())
    duplicate = ClaimFactory(story=StoryFactory())
    EvidenceFactory(claim=duplicate, url="https://www.example.org/wire-copy")
    return survivor, duplicate


def merge(api, user, claim, body):  # type: ignore[no-untyped-def]
    return api.as_(user).post(f"/api/v1/claims/{claim}/merge/", body, format="json")


@pytest.mark.parametrize("persona", ["checker", "admin"])
def test_a_fact_checker_or_admin_merges_a_duplicate(api, request, persona, twins):
    survivor, duplicate = twins
    user = request.getfixturevalue(persona)
    r = merge(api, user, duplicate.pk, {"into": survivor.pk, "note": "One wire report."})
    assert r.status_code == 200, r.json()
    body = r.json()
    assert body["id"] == survivor.pk and body["merged_into"] is None
    assert body["stories"] == [survivor.story_id, duplicate.story_id]
    assert Evidence.objects.get().claim_id == survivor.pk
    row = ClaimEvent.objects.get(claim=duplicate, kind=ClaimEvent.Kind.MERGED)
    assert (row.actor, row.note) == (user, "One wire report.")


def test_editors_are_refused(api, editor, twins):
    survivor, duplicate = twins
    r = merge(api, editor, duplicate.pk, {"into": survivor.pk})
    assert r.status_code == 403
    assert "fact-checkers" in r.json()["detail"]
    assert Claim.objects.get(pk=duplicate.pk).merged_into_id is None


def test_outsiders_do_not_see_the_claim(api, outsider, twins):
    survivor, duplicate = twins
    assert merge(api, outsider, duplicate.pk, {"into": survivor.pk}).status_code == 404


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "into"),
        ({"into": "abc"}, "into"),
        ({"into": 0}, "into"),
        ({"into": 2**70}, "into"),
        ({"into": 10**9}, "into"),
        ({"into": 1, "note": "x" * 2001}, "note"),
    ],
)
def test_bad_input_is_a_400_with_field_messages(api, checker, twins, body, field):
    _, duplicate = twins
    r = merge(api, checker, duplicate.pk, body)
    assert r.status_code == 400
    assert field in r.json()
    assert not ClaimEvent.objects.filter(kind=ClaimEvent.Kind.MERGED).exists()


def test_a_claim_is_not_merged_into_itself(api, checker, twins):
    _, duplicate = twins
    r = merge(api, checker, duplicate.pk, {"into": duplicate.pk})
    assert r.status_code == 400 and "into" in r.json()


def test_the_merged_claim_answers_303_to_the_survivor(api, checker, twins):
    survivor, duplicate = twins
    merge(api, checker, duplicate.pk, {"into": survivor.pk})
    r = api.as_(checker).get(f"/api/v1/claims/{duplicate.pk}/")
    assert r.status_code == 303
    assert r["Location"].endswith(f"/api/v1/claims/{survivor.pk}/")
    assert r.json()["merged_into"] == survivor.pk
    followed = api.as_(checker).get(r["Location"])
    assert followed.status_code == 200 and followed.json()["id"] == survivor.pk


def test_writes_to_the_merged_claim_are_409s_naming_the_survivor(api, checker, twins):
    survivor, duplicate = twins
    merge(api, checker, duplicate.pk, {"into": survivor.pk})
    r = api.as_(checker).post(
        f"/api/v1/claims/{duplicate.pk}/transition/", {"to": "in_review"}, format="json"
    )
    assert r.status_code == 409
    assert r.json()["merged_into"] == survivor.pk
    patch = api.as_(checker).patch(
        f"/api/v1/claims/{duplicate.pk}/", {"version": 2, "value_low": 60}, format="json"
    )
    assert patch.status_code == 409 and patch.json()["merged_into"] == survivor.pk
    assert Claim.objects.get(pk=duplicate.pk).value_low == 51


def test_merging_again_into_the_same_claim_answers_the_survivor(api, checker, twins):
    survivor, duplicate = twins
    merge(api, checker, duplicate.pk, {"into": survivor.pk})
    r = merge(api, checker, duplicate.pk, {"into": survivor.pk})
    assert r.status_code == 200 and r.json()["id"] == survivor.pk
    assert ClaimEvent.objects.filter(kind=ClaimEvent.Kind.MERGED).count() == 2


def test_the_list_leaves_merged_claims_out_at_no_cost(api, checker, twins):
    survivor, duplicate = twins
    client = api.as_(checker)
    client.get("/api/v1/claims/")  # warm the content types
    cache.clear()  # the list read from its rows, not the answer kept (claims.api.kept)
    with CaptureQueriesContext(connection) as before:
        client.get("/api/v1/claims/")
    merge(api, checker, duplicate.pk, {"into": survivor.pk})
    # The filter on `merged_into` is a column of the claims' own query: no join, no query.
    with CaptureQueriesContext(connection) as after:
        r = client.get("/api/v1/claims/")
    assert [row["id"] for row in r.json()["results"]] == [survivor.pk]
    assert len(after) == len(before)


def test_the_schema_declares_the_merge(client, editor):
    client.force_login(editor)
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    operation = schema["paths"]["/api/v1/claims/{id}/merge/"]["post"]
    assert {"200", "400", "403", "404", "409"} <= set(operation["responses"])
    body = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    assert body.endswith("/ClaimMergeRequest")
    assert "303" in schema["paths"]["/api/v1/claims/{id}/"]["get"]["responses"]
