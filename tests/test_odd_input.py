"""Odd input answers 400 with a field message (or 404 for an id that names nothing),
never a 500, and changes nothing: NUL bytes in searches, NUL and lone surrogates in
names, ids that are not numbers, JSON nested past any sense."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from rest_framework.test import APIClient

from claims.models import Claim, Place, Source, SourceAlias, Story
from tests.factories import ClaimFactory, SourceAliasFactory, SourceFactory, StoryFactory

pytestmark = pytest.mark.django_db

# A lone surrogate can only reach the server as a JSON escape: UTF-8 cannot carry one.
LONE_SURROGATE = "\\ud800"


@pytest.fixture
def api() -> APIClient:
    return APIClient()


def _raw_json(client: APIClient, method: str, url: str, body: str):  # type: ignore[no-untyped-def]
    return getattr(client, method)(url, data=body, content_type="application/json")


# ---------------------------------------------------------------------------
# NUL in a search


API_SEARCHES = ["/api/v1/sources/", "/api/v1/claims/", "/api/v1/flags/"]
PAGE_SEARCHES = [
    "/sources/",
    "/stories/",
    "/queue/new/",
    "/queue/decided/",
    "/flags/",
    "/sources/search/",
]


@pytest.mark.parametrize("url", API_SEARCHES)
def test_it_answers_a_nul_in_an_api_search_with_a_field_message(api, checker, url):
    api.force_authenticate(checker)
    r = api.get(url, {"q": "Alep\x00po"})
    assert r.status_code == 400, r.content[:300]
    assert "q" in r.json()
    assert "null" in " ".join(r.json()["q"]).lower()


@pytest.mark.parametrize("url", PAGE_SEARCHES)
def test_it_answers_a_nul_in_a_page_search_with_400(client: Client, checker, url):
    ClaimFactory()
    client.force_login(checker)
    r = client.get(url, {"q": "Alep\x00po"})
    assert r.status_code == 400
    assert b"null character" in r.content.lower()


def test_it_answers_a_nul_in_the_claim_forms_source_search_with_400(client: Client, editor):
    client.force_login(editor)
    r = client.post("/claims/sources/", {"text": "Ten killed.", "q": "Obs\x00ervatory"})
    assert r.status_code == 400
    assert b"null character" in r.content.lower()


def test_it_still_searches_sources_by_word(api, checker):
    SourceFactory(name="Syrian Observatory for Human Rights")
    SourceFactory(name="Example Wire")
    api.force_authenticate(checker)
    r = api.get("/api/v1/sources/", {"q": "observatory"})
    assert r.status_code == 200
    assert [s["name"] for s in r.json()["results"]] == ["Syrian Observatory for Human Rights"]


# ---------------------------------------------------------------------------
# NUL and lone surrogates in names


@pytest.mark.parametrize("name", ["Observ\\u0000atory", f"Observ{LONE_SURROGATE}atory"])
def test_it_refuses_a_source_name_with_a_nul_or_a_lone_surrogate(api, admin, name):
    api.force_authenticate(admin)
    body = f'{{"name": "{name}", "kind": "monitor", "grade": "C"}}'
    r = _raw_json(api, "post", "/api/v1/sources/", body)
    assert r.status_code == 400, r.content[:300]
    assert "name" in r.json()
    assert not Source.objects.exists()


@pytest.mark.parametrize("name", ["SO\\u0000HR", f"SO{LONE_SURROGATE}HR"])
def test_it_refuses_an_alias_with_a_nul_or_a_lone_surrogate(api, admin, name):
    api.force_authenticate(admin)
    body = f'{{"name": "Observatory", "kind": "monitor", "grade": "C", "aliases": ["{name}"]}}'
    r = _raw_json(api, "post", "/api/v1/sources/", body)
    assert r.status_code == 400, r.content[:300]
    assert "aliases" in r.json()
    assert not Source.objects.exists()
    assert not SourceAlias.objects.exists()


@pytest.mark.parametrize("name", ["Observ\\u0000atory", f"Observ{LONE_SURROGATE}atory"])
def test_it_refuses_a_renamed_source_with_a_nul_or_a_lone_surrogate(api, admin, name):
    source = SourceFactory(name="Observatory")
    api.force_authenticate(admin)
    r = _raw_json(api, "patch", f"/api/v1/sources/{source.pk}/", f'{{"name": "{name}"}}')
    assert r.status_code == 400, r.content[:300]
    assert "name" in r.json()
    source.refresh_from_db()
    assert source.name == "Observatory"


def test_it_checks_a_source_names_length_again(api, admin):
    # The name field keeps its own validators; only uniqueness is left to the service.
    api.force_authenticate(admin)
    r = api.post(
        "/api/v1/sources/", {"name": "O" * 201, "kind": "monitor", "grade": "C"}, format="json"
    )
    assert r.status_code == 400
    assert "name" in r.json()
    SourceFactory(name="Taken")
    r = api.post("/api/v1/sources/", {"name": "Taken", "kind": "monitor"}, format="json")
    assert r.status_code == 400
    assert "name" in r.json()


@pytest.mark.parametrize("name", ["Alep\\u0000po", f"Alep{LONE_SURROGATE}po"])
def test_it_refuses_a_place_name_with_a_nul_or_a_lone_surrogate(api, editor, name):
    api.force_authenticate(editor)
    body = json.dumps({"text": "Ten people were killed.", "reported_on": "2014-02-13"})
    body = body[:-1] + f', "place": {{"name": "{name}", "country": "SY"}}}}'
    r = _raw_json(api, "post", "/api/v1/claims/", body)
    assert r.status_code == 400, r.content[:300]
    assert "place" in r.json()
    assert not Claim.objects.exists()
    assert not Place.objects.exists()


@pytest.mark.parametrize(
    ("url", "field", "extra"),
    [
        ("/api/v1/claims/", "text", ', "reported_on": "2014-02-13"'),
        ("/api/v1/claims/", "time_expression", ', "text": "Ten killed."'),
        ("/api/v1/claims/", "sources", ', "text": "Ten killed."'),
        (
            "/api/v1/stories/",
            "headline",
            ', "body": "Ten were killed.", "published_at": "2014-02-13T12:00:00Z"',
        ),
        (
            "/api/v1/stories/",
            "body",
            ', "headline": "Ten killed", "published_at": "2014-02-13T12:00:00Z"',
        ),
        ("/api/v1/parse/", "text", ', "reported_on": "2014-02-13"'),
    ],
)
def test_it_refuses_a_lone_surrogate_in_any_text_it_stores(api, editor, url, field, extra):
    api.force_authenticate(editor)
    value = f'["Ten{LONE_SURROGATE}"]' if field == "sources" else f'"Ten{LONE_SURROGATE}"'
    r = _raw_json(api, "post", url, f'{{"{field}": {value}{extra}}}')
    assert r.status_code == 400, r.content[:300]
    assert field in r.json()
    assert not Claim.objects.exists()
    assert not Story.objects.exists()


def test_it_refuses_a_lone_surrogate_in_a_flag_note(api, checker, conflict):
    api.force_authenticate(checker)
    r = _raw_json(
        api, "post", f"/api/v1/flags/{conflict.pk}/dismiss/", f'{{"note": "No{LONE_SURROGATE}"}}'
    )
    assert r.status_code == 400, r.content[:300]
    assert "note" in r.json()
    conflict.refresh_from_db()
    assert conflict.status == "open"


def test_it_refuses_a_nul_in_a_page_form_naming_the_field(client: Client, admin):
    source = SourceFactory(name="Observatory")
    SourceAliasFactory(source=source, name="SOHR")
    client.force_login(admin)
    r = client.post(
        "/stories/new/",
        {
            "headline": "Ten\x00 killed",
            "published_on": "2014-02-13",
            "status": "draft",
            "body": "Ten people were killed in Aleppo on Monday.",
        },
    )
    assert r.status_code == 400
    assert b"null character" in r.content.lower()
    assert not Story.objects.exists()


# ---------------------------------------------------------------------------
# Ids that are not numbers, or not ones the database can hold


NOT_IDS = ["abc", "1.5", "99999999999999999999999"]


@pytest.mark.parametrize("pk", NOT_IDS)
@pytest.mark.parametrize(
    ("method", "url", "body"),
    [
        ("patch", "/api/v1/sources/{}/", {"grade": "A"}),
        ("post", "/api/v1/sources/{}/merge/", {"into": 1}),
        ("get", "/api/v1/sources/{}/", None),
        ("patch", "/api/v1/stories/{}/", {"headline": "Ten killed"}),
        ("post", "/api/v1/stories/{}/extract/", None),
        ("post", "/api/v1/stories/{}/accept/", {"start": 0, "end": 5}),
        ("post", "/api/v1/stories/{}/reject/", {"start": 0, "end": 5}),
        ("get", "/api/v1/stories/{}/", None),
        ("get", "/api/v1/claims/{}/", None),
        ("patch", "/api/v1/claims/{}/", {"text": "Ten killed.", "version": 1}),
        ("post", "/api/v1/claims/{}/transition/", {"to": "in_review"}),
        ("get", "/api/v1/claims/{}/claimreview/", None),
        ("get", "/api/v1/flags/{}/", None),
        ("post", "/api/v1/flags/{}/dismiss/", {"note": "Noise."}),
    ],
)
def test_it_answers_an_id_that_is_not_a_number_with_404(api, admin, method, url, body, pk):
    SourceFactory()
    api.force_authenticate(admin)
    r = getattr(api, method)(url.format(pk), body, format="json")
    assert r.status_code == 404, r.content[:300]


def test_it_answers_a_merge_into_an_id_the_database_cannot_hold_with_400(api, admin):
    source = SourceFactory()
    api.force_authenticate(admin)
    r = api.post(f"/api/v1/sources/{source.pk}/merge/", {"into": 10**30}, format="json")
    assert r.status_code == 400, r.content[:300]
    assert "into" in r.json()
    assert Source.objects.filter(pk=source.pk).exists()


def test_it_answers_a_source_id_the_database_cannot_hold_with_400(api, editor):
    api.force_authenticate(editor)
    body = {"text": "Ten killed.", "reported_on": "2014-02-13", "sources": [10**30]}
    r = api.post("/api/v1/claims/", body, format="json")
    assert r.status_code == 400, r.content[:300]
    assert "sources" in r.json()
    assert not Claim.objects.exists()


@pytest.mark.parametrize(
    "url", ["/claims/{}/", "/stories/{}/", "/flags/{}/", "/sources/{}/", "/claims/{}/edit/"]
)
def test_it_answers_a_page_id_the_database_cannot_hold_with_404(client: Client, admin, url):
    client.force_login(admin)
    assert client.get(url.format(10**30)).status_code == 404


@pytest.mark.parametrize(
    "params",
    [{"source": "99999999999999999999999"}, {"story": "1e400"}, {"place": "nan"}],
)
def test_it_answers_a_filter_id_the_database_cannot_hold_with_400(api, checker, params):
    api.force_authenticate(checker)
    r = api.get("/api/v1/claims/", params)
    assert r.status_code == 400, r.content[:300]
    assert set(params) <= set(r.json())


def test_it_answers_a_flag_filter_id_the_database_cannot_hold_with_400(api, checker):
    api.force_authenticate(checker)
    r = api.get("/api/v1/flags/", {"claim": "99999999999999999999999"})
    assert r.status_code == 400, r.content[:300]
    assert "claim" in r.json()


def test_it_answers_a_nul_in_a_story_language_with_400(client: Client, checker):
    client.force_login(checker)
    r = client.get("/stories/", {"language": "e\x00n"})
    assert r.status_code == 400
    assert b"null character" in r.content.lower()


# ---------------------------------------------------------------------------
# JSON nested past any sense


@pytest.mark.parametrize("depth", [1_000, 100_000])
@pytest.mark.parametrize(
    ("url", "who"),
    [
        ("/api/v1/claims/", "editor"),
        ("/api/v1/sources/", "admin"),
        ("/api/v1/stories/", "editor"),
        ("/api/v1/parse/", "editor"),
    ],
)
def test_it_answers_json_nested_a_thousand_deep_with_400(request, api, url, who, depth):
    api.force_authenticate(request.getfixturevalue(who))
    for body in ("[" * depth + "]" * depth, '{"text": ' + "[" * depth + "]" * depth + "}"):
        r = _raw_json(api, "post", url, body)
        assert r.status_code == 400, r.content[:300]
        assert "nested" in r.json()["detail"].lower()
    assert not Claim.objects.exists()


def test_it_reads_json_with_brackets_inside_its_strings(api, editor):
    api.force_authenticate(editor)
    text = "Ten [" * 100 + ' killed "{{{'
    r = api.post("/api/v1/claims/", {"text": text, "reported_on": "2014-02-13"}, format="json")
    assert r.status_code == 201, r.content[:300]
    assert Claim.objects.get().text == text.strip()


def test_it_still_reads_a_story_body_as_json(api, editor):
    api.force_authenticate(editor)
    story = StoryFactory.build()
    r = api.post(
        "/api/v1/stories/",
        {
            "headline": story.headline,
            "body": story.body,
            "published_at": "2014-02-13T12:00:00Z",
        },
        format="json",
    )
    assert r.status_code == 201, r.content[:300]


def test_it_refuses_a_nul_in_the_copys_words_for_a_new_source(client: Client, admin):
    # The claim form's sources block reads the copy's words from its own state: the
    # alias they become must not carry a NUL into the register either.
    client.force_login(admin)
    r = client.post(
        "/claims/sources/",
        {
            "text": "Ten people were killed, the Observatory said.",
            "source_text": "Obs\x00ervatory",
            "create_source": "1",
            "new_source-name": "Syrian Observatory for Human Rights",
            "new_source-kind": "monitor",
            "new_source-grade": "C",
        },
    )
    assert r.status_code == 400
    assert not Source.objects.exists()
    assert not SourceAlias.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("event", f'"{LONE_SURROGATE}"'),
        ("reported_on", f'"{LONE_SURROGATE}"'),
        ("value_low", f'"{LONE_SURROGATE}"'),
        ("story", f'"{LONE_SURROGATE}"'),
        ("place", f'{{"name": "Aleppo", "country": "{LONE_SURROGATE}Y"}}'),
        ("sources", f'[{{"{LONE_SURROGATE}": 1}}]'),
        (f"unknown{LONE_SURROGATE}", "1"),
    ],
)
def test_it_refuses_a_lone_surrogate_anywhere_in_a_body(api, editor, field, value):
    # Fields that echo what they refuse ("is not a valid choice") could not write it
    # back in the answer: the body is refused before any field reads it.
    api.force_authenticate(editor)
    r = _raw_json(api, "post", "/api/v1/claims/", f'{{"text": "Ten killed.", "{field}": {value}}}')
    assert r.status_code == 400, r.content[:300]
    # A key that is itself the escape is named by it, as it was sent.
    assert field in r.json()
    assert not Claim.objects.exists()


def _api_detail_urls(pk: str) -> list[str]:
    """Every API route that takes an id, with `pk` in its place (from the router, so an
    endpoint added later is covered too)."""
    from django.urls import reverse

    from claims.api.urls import urlpatterns

    urls = []
    for pattern in urlpatterns:
        if "pk" in pattern.pattern.regex.groupindex and pattern.name:
            if "format" in pattern.pattern.regex.groupindex:
                continue  # the same route with a .json suffix
            urls.append(reverse(f"api:{pattern.name}", kwargs={"pk": pk}))
    return urls


@pytest.mark.parametrize("pk", ["abc", "99999999999999999999999", "-1"])
def test_no_api_route_fails_on_an_id_that_names_nothing(api, admin, pk):
    api.force_authenticate(admin)
    urls = _api_detail_urls(pk)
    assert len(urls) >= 10
    for url in urls:
        for method in ("get", "patch", "post", "put", "delete"):
            r = getattr(api, method)(url, {}, format="json")
            # 400 where the body is checked before the id is looked up; never a 500.
            assert r.status_code in (400, 403, 404, 405), (method, url, r.status_code)
