from __future__ import annotations

import os

import pytest
from django.core.management import call_command
from drf_spectacular.drainage import GENERATOR_STATS

pytestmark = pytest.mark.django_db


def test_it_serves_the_openapi_schema(client, editor):
    client.force_login(editor)
    r = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert r.status_code == 200
    schema = r.json()
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/claims/{id}/transition/" in schema["paths"]
    params = {p["name"] for p in schema["paths"]["/api/v1/claims/"]["get"]["parameters"]}
    assert {"status", "event", "place", "source", "grade", "q"} <= params


def test_it_serves_the_docs_without_a_cdn(client, editor):
    client.force_login(editor)
    r = client.get("/api/docs/")
    assert r.status_code == 200
    html = r.content.decode()
    assert "swagger-ui" in html
    assert "cdn" not in html.lower() and "unpkg" not in html.lower()


@pytest.fixture
def schema(client, editor):  # type: ignore[no-untyped-def]
    client.force_login(editor)
    r = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert r.status_code == 200
    return r.json()


def _operations(schema):  # type: ignore[no-untyped-def]
    for path, ops in schema["paths"].items():
        for method, op in ops.items():
            if method != "parameters":
                yield method.upper(), path, op


def _properties(schema, name):  # type: ignore[no-untyped-def]
    return schema["components"]["schemas"][name]["properties"]


def _enum_values(schema, field):  # type: ignore[no-untyped-def]
    """Every value a field's schema allows, through its refs and oneOf."""
    if "$ref" in field:
        return _enum_values(schema, schema["components"]["schemas"][field["$ref"].split("/")[-1]])
    values = set(field.get("enum", []))
    for part in field.get("oneOf", []) + field.get("allOf", []):
        values |= _enum_values(schema, part)
    return values


def test_it_takes_json_bodies_only_and_a_file_as_multipart(schema):  # type: ignore[no-untyped-def]
    bodies = {
        (method, path): list(op["requestBody"]["content"])
        for method, path, op in _operations(schema)
        if "requestBody" in op
    }
    assert bodies.pop(("POST", "/api/v1/claims/import/")) == ["multipart/form-data"]
    assert ("POST", "/api/v1/claims/") in bodies
    assert set(map(tuple, bodies.values())) == {("application/json",)}


def test_it_refuses_a_form_body_with_415(client, editor):  # type: ignore[no-untyped-def]
    client.force_login(editor)
    r = client.post("/api/v1/stories/", {"headline": "A form", "published_at": "2014-02-13"})
    assert r.status_code == 415
    assert "detail" in r.json()


def test_it_declares_the_refusals_of_each_operation(schema):  # type: ignore[no-untyped-def]
    def codes(method: str, path: str) -> set[str]:
        return set(schema["paths"][path][method]["responses"])

    writes = {"200", "400", "401", "403", "404", "409", "415", "429"}
    assert codes("patch", "/api/v1/claims/{id}/") == writes
    assert codes("post", "/api/v1/claims/") == {"201", "400", "401", "403", "415", "429"}
    # Filters are validated (400) and a page past the end is a 404.
    assert codes("get", "/api/v1/claims/") == {"200", "400", "401", "403", "404", "429"}
    assert codes("get", "/api/v1/sources/{id}/") == {"200", "401", "403", "404", "429"}
    error = schema["paths"]["/api/v1/claims/{id}/transition/"]["post"]["responses"]["409"]
    assert error["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}


def test_it_puts_blank_in_the_enums_of_choices_that_may_be_unset(schema):  # type: ignore[no-untyped-def]
    claim = _properties(schema, "Claim")
    for name in ("qualifier", "event", "period_kind"):
        assert "" in _enum_values(schema, claim[name]), name
    assert "" in _enum_values(schema, _properties(schema, "Flag")["resolution_rule"])
    # A choice that always has a value does not offer a blank.
    assert "" not in _enum_values(schema, claim["population"])


def test_it_declares_the_fields_that_may_be_null(schema):  # type: ignore[no-untyped-def]
    claim = _properties(schema, "Claim")
    for name in ("assignee", "created_by", "credibility", "place", "desk_figure"):
        assert claim[name].get("nullable") or None in _enum_values(schema, claim[name]), name
    assert _properties(schema, "Flag")["resolved_by"]["nullable"]


def test_it_declares_extract_as_a_list_and_claimreview_as_json_ld(schema):  # type: ignore[no-untyped-def]
    extract = schema["paths"]["/api/v1/stories/{id}/extract/"]["post"]["responses"]["200"]
    assert extract["content"]["application/json"]["schema"] == {
        "type": "array",
        "items": {"$ref": "#/components/schemas/Candidate"},
    }
    review = schema["paths"]["/api/v1/claims/{id}/claimreview/"]["get"]["responses"]["200"]
    assert list(review["content"]) == ["application/ld+json"]


def test_it_declares_aliases_and_claim_counts_in_answers(schema):  # type: ignore[no-untyped-def]
    assert _properties(schema, "Source")["aliases"]["type"] == "array"
    assert "claim_count" in schema["components"]["schemas"]["Story"]["required"]
    # Requests do not ask for what only answers carry.
    assert "claim_count" not in _properties(schema, "StoryRequest")
    assert "id" not in _properties(schema, "SourceRequest")


def test_it_answers_a_storys_claim_count_on_create_and_edit(api, editor):  # type: ignore[no-untyped-def]
    api.as_(editor)
    r = api.post(
        "/api/v1/stories/",
        {"headline": "Strike on Douma", "body": "", "published_at": "2014-02-13T12:00:00Z"},
    )
    assert r.status_code == 201
    assert r.json()["claim_count"] == 0
    r = api.patch(f"/api/v1/stories/{r.json()['id']}/", {"headline": "Strikes on Douma"})
    assert r.status_code == 200
    assert r.json()["claim_count"] == 0


def test_it_answers_a_sources_aliases_on_create_and_read(api, admin):  # type: ignore[no-untyped-def]
    api.as_(admin)
    r = api.post(
        "/api/v1/sources/",
        {"name": "Local Coordination Committees", "kind": "monitor", "aliases": ["LCC"]},
    )
    assert r.status_code == 201
    assert r.json()["aliases"] == ["LCC"]
    assert api.get(f"/api/v1/sources/{r.json()['id']}/").json()["aliases"] == ["LCC"]


def test_it_generates_the_schema_without_warnings(db, capsys):  # type: ignore[no-untyped-def]
    # A warning is a part of the schema drf-spectacular had to guess or rename (an
    # operation id or enum name taken twice, a field it could not type): the generated
    # client's names and types would then follow the guess.
    GENERATOR_STATS.reset()  # counted per process: only this generation's count
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", os.devnull)
    assert "Warning" not in capsys.readouterr().err
