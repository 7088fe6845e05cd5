"""Sources (written by admins only) and stories (written by editors), read by the desk."""

from __future__ import annotations

import pytest

from claims.models import Source, SourceAlias, Story
from tests.factories import SourceAliasFactory, SourceFactory, StoryFactory

pytestmark = pytest.mark.django_db

SOURCES = "/api/v1/sources/"
STORIES = "/api/v1/stories/"

NEW_SOURCE = {
    "name": "Syrian Observatory for Human Rights",
    "kind": "monitor",
    "grade": "C",
    "country": "gb",
    "aliases": ["Observatory", "SOHR", "the Britain-based Observatory for Human Rights"],
}


def test_it_lets_an_admin_create_a_source_with_aliases(api, admin):
    r = api.as_(admin).post(SOURCES, NEW_SOURCE, format="json")
    assert r.status_code == 201, r.json()
    source = Source.objects.get()
    assert source.country == "GB"
    assert sorted(source.aliases.values_list("normalised", flat=True)) == [
        "britain based observatory for human rights",  # the parser's key: no punctuation
        "observatory",
        "sohr",
    ]
    assert source.history.count() == 1


@pytest.mark.parametrize("role", ["editor", "checker", "outsider"])
def test_it_refuses_source_writes_by_other_roles(request, api, role):
    client = api.as_(request.getfixturevalue(role))
    assert client.post(SOURCES, NEW_SOURCE, format="json").status_code == 403
    source = SourceFactory()
    r = client.patch(f"{SOURCES}{source.pk}/", {"grade": "A"}, format="json")
    assert r.status_code == (404 if role == "outsider" else 403)
    source.refresh_from_db()
    assert source.grade == "C"
    assert Source.objects.count() == 1


def test_it_refuses_an_alias_that_names_another_source(api, admin):
    other = SourceFactory(name="Another monitor")
    SourceAliasFactory(source=other, name="Observatory")
    r = api.as_(admin).post(SOURCES, NEW_SOURCE, format="json")
    assert r.status_code == 400
    assert "already names Another monitor" in r.json()["aliases"][0]
    assert not Source.objects.filter(name=NEW_SOURCE["name"]).exists()


def test_it_answers_bad_source_input_with_field_messages(api, admin):
    SourceFactory(name="Taken")
    r = api.as_(admin).post(
        SOURCES,
        {"name": "Taken", "kind": "oracle", "grade": "Z", "country": "Syria"},
        format="json",
    )
    assert r.status_code == 400
    assert {"kind", "grade", "country"} <= set(r.json())
    r = api.as_(admin).post(SOURCES, {"name": "Taken", "kind": "monitor"}, format="json")
    assert r.status_code == 400 and "name" in r.json()


def test_it_lets_an_admin_regrade_a_source_and_replace_aliases(api, admin):
    source = SourceFactory(grade="C")
    SourceAliasFactory(source=source, name="Old name")
    r = api.as_(admin).patch(
        f"{SOURCES}{source.pk}/", {"grade": "B", "aliases": ["New name"]}, format="json"
    )
    assert r.status_code == 200, r.json()
    assert r.json()["grade"] == "B" and r.json()["aliases"] == ["New name"]
    assert list(SourceAlias.objects.values_list("name", flat=True)) == ["New name"]


def test_it_lists_and_searches_sources_for_the_desk(api, editor, django_assert_num_queries):
    source = SourceFactory(name="Syrian Observatory for Human Rights")
    SourceAliasFactory(source=source, name="SOHR")
    SourceFactory(name="The Associated Press")
    client = api.as_(editor)
    with django_assert_num_queries(4):  # roles, count, page, aliases
        r = client.get(SOURCES)
    assert r.json()["count"] == 2
    r = client.get(SOURCES, {"q": "sohr"})
    assert [s["name"] for s in r.json()["results"]] == ["Syrian Observatory for Human Rights"]


def test_it_lets_an_editor_create_and_edit_a_story(api, editor):
    client = api.as_(editor)
    r = client.post(
        STORIES,
        {
            "headline": "Aleppo raids",
            "body": "About 400 killed.",
            "published_at": "2014-02-13T12:00Z",
        },
        format="json",
    )
    assert r.status_code == 201, r.json()
    story = Story.objects.get()
    assert story.created_by == editor
    r = client.patch(f"{STORIES}{story.pk}/", {"status": "published"}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "published"


def test_it_refuses_story_writes_by_a_checker(api, checker):
    client = api.as_(checker)
    r = client.post(STORIES, {"headline": "x", "published_at": "2014-02-13T12:00Z"})
    assert r.status_code == 403
    story = StoryFactory()
    assert client.patch(f"{STORIES}{story.pk}/", {"headline": "y"}).status_code == 403
    assert client.get(f"{STORIES}{story.pk}/").status_code == 200


def test_it_answers_a_story_without_a_date_with_400(api, editor):
    r = api.as_(editor).post(STORIES, {"headline": "Aleppo", "published_at": "last week"})
    assert r.status_code == 400 and "published_at" in r.json()
    assert not Story.objects.exists()


def test_it_lists_flags_of_a_claim_and_refuses_bad_filters(api, editor):
    client = api.as_(editor)
    assert client.get("/api/v1/flags/", {"claim": "abc"}).status_code == 400
    assert client.get("/api/v1/flags/", {"kind": "gossip"}).status_code == 400
    r = client.get("/api/v1/flags/", {"claim": 1})
    assert r.status_code == 200 and r.json()["count"] == 0
