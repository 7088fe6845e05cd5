"""The claims API: create, read, edit, move through the workflow, with 400/403/409."""

from __future__ import annotations

import pytest

from claims.models import Claim, ClaimEvent, Place, Status
from claims.services.tokens import token_issue
from tests.conftest import list_stamp_queries
from tests.factories import ClaimFactory, EvidenceFactory, SourceAliasFactory, SourceFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/claims/"


@pytest.fixture
def observatory():  # type: ignore[no-untyped-def]
    source = SourceFactory(name="Syrian Observatory for Human Rights", grade="C")
    SourceAliasFactory(source=source, name="Observatory")
    SourceAliasFactory(source=source, name="SOHR")
    return source


def aleppo_claim(**overrides):  # type: ignore[no-untyped-def]
    body = {
        "text": "The Observatory said at least 51 people were killed in Aleppo yesterday.",
        "reported_on": "2014-02-13",
        "value_low": 51,
        "value_high": None,
        "qualifier": "at_least",
        "event": "killed",
        "unit": "people",
        "place": {"name": "Aleppo", "country": "SY"},
        "period_start": "2014-02-12",
        "period_end": "2014-02-12",
        "period_kind": "day",
        "time_expression": "yesterday",
        "sources": ["the Observatory"],
    }
    body.update(overrides)
    return body


def test_it_creates_a_claim_resolving_place_and_source_aliases(api, editor, observatory):
    r = api.as_(editor).post(URL, aleppo_claim(), format="json")
    assert r.status_code == 201, r.json()
    body = r.json()
    assert body["status"] == "new"
    assert body["version"] == 1
    assert body["place"]["name"] == "Aleppo" and body["place"]["country"] == "SY"
    assert body["sources"][0]["name"] == "Syrian Observatory for Human Rights"
    assert body["figure"] == "at least 51"
    aleppo = Place.objects.get(name="Aleppo")
    assert aleppo.parent.name == "Syria" and aleppo.parent.kind == "country"
    claim = Claim.objects.get(pk=body["id"])
    assert claim.country == "SY"
    assert ClaimEvent.objects.get(claim=claim).kind == "created"


def test_it_creates_a_claim_without_a_number(api, editor):
    r = api.as_(editor).post(
        URL,
        {"text": "Officials discussed extending the truce in Homs.", "reported_on": "2014-02-13"},
        format="json",
    )
    assert r.status_code == 201
    assert r.json()["value_low"] is None and r.json()["event"] == ""


def test_it_names_an_unknown_source_in_a_400(api, editor, observatory):
    r = api.as_(editor).post(URL, aleppo_claim(sources=["Ministry of Truth"]), format="json")
    assert r.status_code == 400
    assert "Ministry of Truth" in r.json()["sources"][0]
    assert not Claim.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"value_low": 30, "value_high": 20}, "value_high"),
        ({"value_low": -5}, "value_low"),
        ({"period_start": "2014-02-13", "period_end": "2014-02-01"}, "period_end"),
        ({"period_start": "13/02/2014"}, "period_start"),
        ({"qualifier": "roughly"}, "qualifier"),
        ({"text": ""}, "text"),
        ({"place": "Aleppo"}, "place"),
        ({"place": {"name": "Xyzzyville", "country": ""}}, "place"),
        ({"sources": [None]}, "sources"),
        ({"value_low": None, "qualifier": "approx"}, "value_low"),
    ],
)
def test_it_answers_bad_input_with_field_messages(api, editor, observatory, overrides, field):
    r = api.as_(editor).post(URL, aleppo_claim(**overrides), format="json")
    assert r.status_code == 400, r.content
    assert field in r.json()
    assert not Claim.objects.exists()


def test_it_answers_malformed_json_with_400(api, editor):
    r = api.as_(editor).post(URL, "{not json", content_type="application/json")
    assert r.status_code == 400


def test_it_refuses_creation_by_a_checker(api, checker, observatory):
    r = api.as_(checker).post(URL, aleppo_claim(), format="json")
    assert r.status_code == 403
    assert not Claim.objects.exists()


def test_it_refuses_anonymous_requests(api):
    assert api.get(URL).status_code in (401, 403)


def test_it_hides_claims_from_a_user_without_a_role(api, outsider):
    claim = ClaimFactory()
    client = api.as_(outsider)
    assert client.get(URL).json()["count"] == 0
    assert client.get(f"{URL}{claim.pk}/").status_code == 404
    r = client.post(f"{URL}{claim.pk}/transition/", {"to": "retracted", "note": "x"})
    assert r.status_code == 404


def test_it_accepts_token_auth(api, editor):
    _, key = token_issue(user=editor, actor=editor)
    ClaimFactory()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    r = api.get(URL)
    assert r.status_code == 200
    assert r.json()["count"] == 1


def test_it_lists_claims_with_the_shared_filters_in_pinned_queries(
    api, editor, observatory, django_assert_num_queries
):
    for day in (10, 11, 12):
        claim = ClaimFactory(text=f"Killed on Feb {day}")
        claim.attributions.create(source=observatory)
    ClaimFactory(status=Status.RETRACTED)
    client = api.as_(editor)
    # the user's roles, the list's stamp (on PostgreSQL), count, page (with how wide
    # "about" is, for `figure`, and the claims' sources, topics and desk figures:
    # claims.api.rows)
    with django_assert_num_queries(3 + list_stamp_queries()):
        r = client.get(URL, {"status": "new", "source": observatory.pk})
    assert r.status_code == 200
    assert r.json()["count"] == 3
    assert r.json()["results"][0]["sources"][0]["grade"] == "C"


def test_it_answers_bad_filters_with_400(api, editor):
    r = api.as_(editor).get(URL, {"status": "pending", "period_from": "yesterday"})
    assert r.status_code == 400
    assert set(r.json()) >= {"status", "period_from"}


def test_it_searches_claim_text(api, editor):
    ClaimFactory(text="Barrel bombs killed 51 in Aleppo")
    ClaimFactory(text="Truce in Homs extended")
    r = api.as_(editor).get(URL, {"q": "homs truce"})
    assert [c["text"] for c in r.json()["results"]] == ["Truce in Homs extended"]


def test_it_updates_a_new_claim_with_its_version(api, editor):
    claim = ClaimFactory()
    r = api.as_(editor).patch(f"{URL}{claim.pk}/", {"value_low": 52, "version": 1}, format="json")
    assert r.status_code == 200, r.json()
    assert r.json()["value_low"] == 52 and r.json()["version"] == 2
    event = ClaimEvent.objects.get(claim=claim, kind="edited")
    assert event.details["changed"]["value_low"] == [51, 52]


def test_it_refuses_an_update_over_someone_elses_change(api, editor):
    claim = ClaimFactory()
    client = api.as_(editor)
    assert client.patch(f"{URL}{claim.pk}/", {"value_low": 52, "version": 1}).status_code == 200
    r = client.patch(f"{URL}{claim.pk}/", {"value_low": 60, "version": 1}, format="json")
    assert r.status_code == 409
    assert r.json()["current_version"] == 2
    claim.refresh_from_db()
    assert claim.value_low == 52


def test_it_requires_the_version_to_update(api, editor):
    claim = ClaimFactory()
    r = api.as_(editor).patch(f"{URL}{claim.pk}/", {"value_low": 52}, format="json")
    assert r.status_code == 400
    assert "version" in r.json()


def test_it_refuses_an_editor_edit_once_the_claim_is_in_review(api, editor, checker):
    claim = ClaimFactory(status=Status.IN_REVIEW, assignee=checker)
    r = api.as_(editor).patch(f"{URL}{claim.pk}/", {"value_low": 52, "version": 1}, format="json")
    assert r.status_code == 409
    r = api.as_(checker).patch(f"{URL}{claim.pk}/", {"value_low": 52, "version": 1}, format="json")
    assert r.status_code == 200


def test_it_moves_a_claim_through_the_workflow(api, checker):
    claim = ClaimFactory()
    client = api.as_(checker)
    r = client.post(f"{URL}{claim.pk}/transition/", {"to": "in_review"}, format="json")
    assert r.status_code == 200 and r.json()["assignee"] == "chris"
    r = client.post(f"{URL}{claim.pk}/transition/", {"to": "verified", "note": "Seen."})
    assert r.status_code == 409
    EvidenceFactory(claim=claim)
    r = client.post(f"{URL}{claim.pk}/transition/", {"to": "verified", "note": ""})
    assert r.status_code == 400 and "note" in r.json()
    r = client.post(
        f"{URL}{claim.pk}/transition/", {"to": "verified", "note": "Hospital list matches."}
    )
    assert r.status_code == 200 and r.json()["status"] == "verified"
    moves = list(
        ClaimEvent.objects.filter(claim=claim, kind="transition").values_list(
            "actor__username", "from_status", "to_status", "note"
        )
    )
    assert moves == [
        ("chris", "new", "in_review", ""),
        ("chris", "in_review", "verified", "Hospital list matches."),
    ]


@pytest.mark.parametrize(
    ("role", "start", "to", "expected"),
    [
        ("editor", Status.NEW, Status.IN_REVIEW, 403),
        ("editor", Status.NEW, Status.RETRACTED, 200),
        ("checker", Status.NEW, Status.IN_REVIEW, 200),
        ("checker", Status.NEW, Status.VERIFIED, 409),
        ("checker", Status.IN_REVIEW, Status.DISPUTED, 200),
        ("editor", Status.IN_REVIEW, Status.DISPUTED, 403),
        ("checker", Status.DISPUTED, Status.IN_REVIEW, 200),
        ("editor", Status.DISPUTED, Status.IN_REVIEW, 403),
        ("admin", Status.IN_REVIEW, Status.FALSE, 200),
        ("admin", Status.RETRACTED, Status.NEW, 409),
        ("checker", Status.NEW, "bogus", 400),
    ],
)
def test_it_enforces_the_workflow_role_by_role(request, api, checker, role, start, to, expected):
    claim = ClaimFactory(status=start, assignee=checker if start != Status.NEW else None)
    actor = request.getfixturevalue(role)
    r = api.as_(actor).post(
        f"{URL}{claim.pk}/transition/", {"to": to, "note": "Because."}, format="json"
    )
    assert r.status_code == expected, r.json()
    claim.refresh_from_db()
    events = ClaimEvent.objects.filter(claim=claim, kind="transition")
    if expected == 200:
        assert claim.status == to
        assert events.get().actor == actor
    else:
        assert claim.status == start
        assert not events.exists()


def test_it_refuses_a_transition_with_a_stale_version(api, checker):
    claim = ClaimFactory()
    client = api.as_(checker)
    client.post(f"{URL}{claim.pk}/transition/", {"to": "in_review", "version": 1})
    r = client.post(f"{URL}{claim.pk}/transition/", {"to": "false", "note": "x", "version": 1})
    assert r.status_code == 409


def test_it_publishes_claimreview_json_ld_for_a_decided_claim(api, checker, observatory):
    claim = ClaimFactory()
    claim.attributions.create(source=observatory)
    client = api.as_(checker)
    assert client.get(f"{URL}{claim.pk}/claimreview/").status_code == 409
    client.post(f"{URL}{claim.pk}/transition/", {"to": "in_review"})
    client.post(f"{URL}{claim.pk}/transition/", {"to": "attributed", "note": "SOHR only."})
    r = client.get(f"{URL}{claim.pk}/claimreview/")
    assert r.status_code == 200
    data = r.json()
    assert data["@type"] == "ClaimReview"
    assert data["claimReviewed"] == claim.text
    assert data["reviewRating"]["alternateName"] == "Attributed only"
    assert data["itemReviewed"]["author"]["name"] == "Syrian Observatory for Human Rights"
    assert data["url"].endswith(f"/claims/{claim.pk}/")
