"""Topics in the API: claims carry `topics` by name, writable by editors and admins; the
topic list with follow and unfollow; role by role, with pinned queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from claims import services
from claims.models import Claim, ClaimEvent, Status, Topic
from tests.factories import ClaimFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/claims/"


@pytest.fixture
def api():  # type: ignore[no-untyped-def]
    return APIClient()


@pytest.fixture
def syria(db):  # type: ignore[no-untyped-def]
    return Topic.objects.create(name="Syria")


@pytest.fixture
def sudan(db):  # type: ignore[no-untyped-def]
    return Topic.objects.create(name="Sudan war")


def test_a_claim_answers_its_topics_by_name(api, editor, syria, sudan):
    claim = ClaimFactory()
    services.claim_set_topics(claim=claim, actor=editor, topics=["Syria", "Sudan war"])
    api.force_authenticate(editor)
    assert api.get(f"{URL}{claim.pk}/").json()["topics"] == ["Sudan war", "Syria"]
    [row] = api.get(URL).json()["results"]
    assert row["topics"] == ["Sudan war", "Syria"]


def test_the_list_reads_every_claims_topics_in_one_query(api, editor, syria):
    api.force_authenticate(editor)
    counts = []
    for n in (1, 4):
        while Topic.claims.through.objects.count() < n:
            claim = ClaimFactory()
            services.claim_set_topics(claim=claim, actor=editor, topics=["Syria"])
        with CaptureQueriesContext(connection) as queries:
            rows = api.get(URL).json()["results"]
        assert [r["topics"] for r in rows] == [["Syria"]] * n
        reading_topics = [q for q in queries if '"claims_claim_topics"' in q["sql"]]
        assert len(reading_topics) == 1
        counts.append(len(queries))
    # The claims list's own pinned count is in tests/api/test_claims.py.
    assert counts[0] == counts[1]


def test_an_editor_tags_a_claim_through_the_api_without_a_new_version(api, editor, syria):
    claim = ClaimFactory()
    api.force_authenticate(editor)
    r = api.patch(f"{URL}{claim.pk}/", {"topics": ["syria"], "version": 1}, format="json")
    assert r.status_code == 200, r.content
    assert r.json()["topics"] == ["Syria"] and r.json()["version"] == 1
    assert claim.events.filter(kind=ClaimEvent.Kind.TOPICS, actor=editor).count() == 1
    # Together with an edit of the words: the tag first, then the edit's new version.
    r = api.patch(f"{URL}{claim.pk}/", {"topics": [], "value_low": 52, "version": 1}, format="json")
    assert r.status_code == 200, r.content
    assert (r.json()["topics"], r.json()["version"]) == ([], 2)


def test_an_unknown_topic_is_a_400_naming_it_and_changes_nothing(api, editor, syria):
    claim = ClaimFactory()
    api.force_authenticate(editor)
    r = api.patch(
        f"{URL}{claim.pk}/", {"topics": ["Syria", "Atlantis"], "value_low": 60}, format="json"
    )
    assert r.status_code == 400
    assert "Atlantis" in " ".join(r.json()["topics"])
    claim.refresh_from_db()
    assert not claim.topics.exists() and claim.value_low == 51
    assert not Topic.objects.filter(name__iexact="atlantis").exists()


@pytest.mark.parametrize("bad", ["Syria", [""], ["x" * 81], [1, {"a": 1}], ["t"] * 21])
def test_topics_that_are_not_a_list_of_names_are_a_400(api, editor, syria, bad):
    claim = ClaimFactory()
    api.force_authenticate(editor)
    r = api.patch(f"{URL}{claim.pk}/", {"topics": bad}, format="json")
    assert r.status_code == 400 and "topics" in r.json()


def test_a_new_claim_takes_its_topics_and_an_unknown_one_creates_nothing(api, editor, syria):
    api.force_authenticate(editor)
    text = "Officials said 14 people were injured in Homs on Monday."
    r = api.post(
        URL, {"text": text, "reported_on": "2014-02-13", "topics": ["Syria"]}, format="json"
    )
    assert r.status_code == 201, r.content
    assert r.json()["topics"] == ["Syria"]
    before = Topic.claims.through.objects.count()
    r = api.post(URL, {"text": "Two more.", "topics": ["Nowhere"]}, format="json")
    assert r.status_code == 400 and "topics" in r.json()
    assert not Claim.objects.filter(text="Two more.").exists()
    assert Topic.claims.through.objects.count() == before


@pytest.mark.parametrize(
    ("persona", "status", "expected"),
    [
        ("editor", Status.NEW, 200),
        ("editor", Status.IN_REVIEW, 200),
        ("editor", Status.VERIFIED, 200),
        ("editor", Status.RETRACTED, 409),
        ("checker", Status.NEW, 403),
        ("admin", Status.RETRACTED, 200),
        ("outsider", Status.NEW, 404),
    ],
)
def test_who_tags_claims_through_the_api(api, request, syria, persona, status, expected):
    claim = ClaimFactory(status=status)
    api.force_authenticate(request.getfixturevalue(persona))
    r = api.patch(f"{URL}{claim.pk}/", {"topics": ["Syria"]}, format="json")
    assert r.status_code == expected, r.content
    assert claim.topics.exists() is (expected == 200)
    if expected == 403:
        assert "topics" in r.json()


def test_the_topic_filter_is_declared_in_the_schema(api, editor):
    api.force_authenticate(editor)
    schema = api.get("/api/schema/", {"format": "json"}).json()
    params = {p["name"] for p in schema["paths"]["/api/v1/claims/"]["get"]["parameters"]}
    assert "topic" in params
    claim = schema["components"]["schemas"]["Claim"]["properties"]
    assert claim["topics"]["type"] == "array"


# ---------------------------------------------------------------------------
# /api/v1/topics/


def test_it_lists_topics_with_counts_and_whether_followed_in_pinned_queries(
    api, checker, editor, syria, sudan, django_assert_num_queries
):
    services.claim_set_topics(claim=ClaimFactory(), actor=editor, topics=["Syria"])
    services.topic_follow(topic=sudan, actor=checker)
    api.force_authenticate(checker)
    api.get("/api/v1/topics/")
    # count, page (the user's roles were read when they followed)
    with django_assert_num_queries(2):
        rows = api.get("/api/v1/topics/").json()["results"]
    assert [(t["name"], t["claim_count"], t["followed"]) for t in rows] == [
        ("Sudan war", 0, True),
        ("Syria", 1, False),
    ]


@pytest.mark.parametrize("persona", ["editor", "checker", "admin"])
def test_each_role_follows_and_unfollows_through_the_api(api, request, persona, syria):
    user = request.getfixturevalue(persona)
    api.force_authenticate(user)
    r = api.post(f"/api/v1/topics/{syria.pk}/follow/")
    assert r.status_code == 200 and r.json()["followed"] is True
    assert api.post(f"/api/v1/topics/{syria.pk}/follow/").json()["followed"] is True
    assert list(syria.followers.all()) == [user]
    r = api.post(f"/api/v1/topics/{syria.pk}/unfollow/")
    assert r.status_code == 200 and r.json()["followed"] is False


def test_someone_without_a_role_sees_no_topics_and_follows_none(api, outsider, syria):
    api.force_authenticate(outsider)
    assert api.get("/api/v1/topics/").json()["count"] == 0
    assert api.get(f"/api/v1/topics/{syria.pk}/").status_code == 404
    assert api.post(f"/api/v1/topics/{syria.pk}/follow/").status_code == 404
    assert not syria.followers.exists()


def test_topics_are_read_only_in_the_api(api, admin, syria):
    api.force_authenticate(admin)
    assert api.post("/api/v1/topics/", {"name": "Gaza"}, format="json").status_code == 405
    assert api.get("/api/v1/topics/").status_code == 200
    assert APIClient().get("/api/v1/topics/").status_code == 401
