"""`?page_size=` on the API's lists: from 1 to 200, a 400 naming it otherwise, and said
in the OpenAPI schema."""

from __future__ import annotations

import pytest

from claims.api.paging import MAX_PAGE_SIZE
from tests.factories import ClaimFactory, SourceFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/claims/"


def test_it_answers_as_many_claims_as_asked(api, checker):  # type: ignore[no-untyped-def]
    for _ in range(7):
        ClaimFactory()
    client = api.as_(checker)
    first = client.get(URL, {"page_size": 3}).json()
    assert (first["count"], len(first["results"])) == (7, 3)
    assert "page_size=3" in first["next"] and "page=2" in first["next"]
    last = client.get(first["next"]).json()
    last = client.get(last["next"]).json()
    assert len(last["results"]) == 1 and last["next"] is None
    seen = {c["id"] for c in first["results"]}
    assert len(seen) == 3
    assert len(client.get(URL).json()["results"]) == 7  # 50 by default
    assert len(client.get(URL, {"page_size": MAX_PAGE_SIZE}).json()["results"]) == 7


@pytest.mark.parametrize("bad", ["0", "-1", "201", "ten", "2.5", "1e3"])
def test_it_refuses_a_page_size_it_cannot_answer(api, checker, bad):  # type: ignore[no-untyped-def]
    ClaimFactory()
    r = api.as_(checker).get(URL, {"page_size": bad})
    assert r.status_code == 400
    assert r.json()["page_size"] == ["A whole number, 1 to 200."]


def test_the_other_lists_take_it_too(api, editor):  # type: ignore[no-untyped-def]
    for _ in range(3):
        SourceFactory()
    client = api.as_(editor)
    assert len(client.get("/api/v1/sources/", {"page_size": 2}).json()["results"]) == 2
    assert client.get("/api/v1/sources/", {"page_size": 0}).status_code == 400


def test_the_schema_says_it(client, editor):  # type: ignore[no-untyped-def]
    client.force_login(editor)
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    params = schema["paths"][URL]["get"]["parameters"]
    size = next(p for p in params if p["name"] == "page_size")
    assert size["in"] == "query"
    assert size["schema"] == {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE}
    assert "1 to 200" in size["description"]
    assert "400" in schema["paths"][URL]["get"]["responses"]
