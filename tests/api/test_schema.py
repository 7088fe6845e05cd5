from __future__ import annotations

import pytest

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
