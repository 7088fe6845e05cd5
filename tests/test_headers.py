"""Headers and exposure: a content policy with no inline code, and private API answers."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rest_framework.test import APIClient

from claims.services.tokens import token_issue

pytestmark = pytest.mark.django_db

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def directives(header: str) -> dict[str, list[str]]:
    out = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            out[words[0]] = words[1:]
    return out


def test_it_sends_a_strict_content_security_policy(client):
    r = client.get("/login/")
    policy = directives(r["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"]
    for name in ("script-src", "style-src"):
        sources = policy.get(name, policy["default-src"])
        assert "'unsafe-inline'" not in sources
        assert "'unsafe-eval'" not in sources
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]


def test_it_sends_the_policy_on_signed_in_pages_too(client, editor):
    client.force_login(editor)
    r = client.get("/")
    assert r.status_code == 200
    assert "default-src 'self'" in r["Content-Security-Policy"]


def test_it_turns_off_the_browser_features_the_desk_never_uses(client):
    r = client.get("/login/")
    policy = dict(
        item.strip().split("=", 1) for item in r["Permissions-Policy"].split(",") if item.strip()
    )
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert policy[feature] == "()"


INLINE = [
    (
        re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")[^>]*>"),
        "script",
    ),
    (re.compile(r"<style\b"), "style block"),
    (re.compile(r"\sstyle="), "style attribute"),
    (re.compile(r"\shx-on[:-]"), "hx-on handler"),
    (re.compile(r"\son[a-z]+\s*="), "event handler attribute"),
    (re.compile(r"javascript:", re.IGNORECASE), "javascript: URL"),
]


def inline_code(html: str) -> list[str]:
    return [label for pattern, label in INLINE if pattern.search(html)]


@pytest.mark.parametrize(
    "template", sorted(str(p.relative_to(TEMPLATES)) for p in TEMPLATES.rglob("*.html"))
)
def test_it_keeps_inline_code_out_of_templates(template):
    # The policy would block it in the browser: a page would lose its style or behaviour.
    assert inline_code((TEMPLATES / template).read_text()) == []


def test_it_serves_pages_without_inline_code(client, editor):
    client.force_login(editor)
    for url in ("/", "/claims/new/", "/stories/", "/sources/", "/flags/", "/draft/"):
        r = client.get(url)
        assert r.status_code == 200, url
        assert inline_code(r.content.decode()) == [], url


def test_it_draws_the_timeline_without_inline_styles(client, editor):
    from tests.factories import AttributionFactory, ClaimFactory, PlaceFactory

    place = PlaceFactory()
    first = ClaimFactory(place=place)
    AttributionFactory(claim=first)
    AttributionFactory(claim=ClaimFactory(place=place, value_low=60))
    client.force_login(editor)
    html = client.get(f"/claims/{first.pk}/").content.decode()
    assert "<svg" in html and 'class="swatch"' in html
    assert inline_code(html) == []


def test_it_asks_htmx_not_to_inject_styles_or_eval(client):
    html = client.get("/login/").content.decode()
    config = re.search(r'<meta name="htmx-config" content=\'([^\']*)\'', html)
    assert config
    assert '"includeIndicatorStyles": false' in config.group(1)
    assert '"allowEval": false' in config.group(1)


@pytest.fixture
def token_api(editor):  # type: ignore[no-untyped-def]
    _, key = token_issue(user=editor, actor=editor)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api


def vary(response) -> set[str]:  # type: ignore[no-untyped-def]
    return {v.strip().lower() for v in response.get("Vary", "").split(",")}


def test_it_keeps_token_answers_out_of_shared_caches(token_api):
    r = token_api.get("/api/v1/claims/")
    assert r.status_code == 200
    assert "private" in r["Cache-Control"]
    assert "public" not in r["Cache-Control"]
    assert "authorization" in vary(r)


def test_it_marks_refusals_of_a_bad_token_private_too(db):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    r = api.get("/api/v1/claims/")
    assert r.status_code in (401, 403)
    assert "private" in r["Cache-Control"]
    assert "authorization" in vary(r)


def test_it_marks_session_answers_on_the_api_private(client, editor):
    client.force_login(editor)
    r = client.get("/api/v1/claims/")
    assert r.status_code == 200
    assert "private" in r["Cache-Control"]
    assert "authorization" in vary(r)


def test_it_keeps_the_schema_for_signed_in_users(client, editor):
    anonymous = APIClient().get("/api/schema/")
    assert anonymous.status_code == 401
    client.force_login(editor)
    assert client.get("/api/schema/").status_code == 200


def test_it_gives_the_schema_to_a_token(token_api):
    r = token_api.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert r.status_code == 200
    assert r.json()["openapi"].startswith("3.")


def test_it_sends_anonymous_readers_of_the_docs_to_log_in(client):
    r = client.get("/api/docs/")
    assert r.status_code == 302
    assert r["Location"].startswith("/login/?next=/api/docs/")
    assert client.get("/api/docs/?script=").status_code == 302


def test_it_serves_the_docs_without_inline_code(client, editor):
    client.force_login(editor)
    r = client.get("/api/docs/")
    assert r.status_code == 200
    html = r.content.decode()
    assert inline_code(html) == []
    script = re.search(r'<script src="([^"]*script=[^"]*)"', html)
    assert script, html
    init = client.get(script.group(1).replace("&amp;", "&"))
    assert init.status_code == 200
    assert init["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle(" in init.content.decode()
