"""ClaimReview JSON-LD stays inert inside a publisher's script element, and links stay plain."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.exceptions import ValidationError
from rest_framework.test import APIClient

from claims.claimreview import claim_review
from claims.errors import InvalidInput
from claims.jsonhtml import HtmlSafeJSONRenderer, dumps_for_html, escape_json_for_html
from claims.models import Attribution, Status
from claims.weburl import validate_web_url, web_url_problem
from tests.factories import ClaimFactory, SourceFactory, StoryFactory

PAYLOAD = "</script><script>alert(1)</script> <!-- & </SCRIPT >"
REVIEW_URL = "https://desk.example.org/claims/1/"


def decided_claim(*, text: str = PAYLOAD, source_name: str = PAYLOAD, source_url: str = ""):  # type: ignore[no-untyped-def]
    claim = ClaimFactory(
        text=text,
        normalised="",
        status=Status.ATTRIBUTED,
        decided_at=dt.datetime(2014, 2, 14, 9, 0, tzinfo=dt.UTC),
    )
    source = SourceFactory(name=source_name, url=source_url)
    claim.attributions.create(source=source, role=Attribution.Role.ATTRIBUTED_TO)
    return claim


def assert_inert(text: str) -> None:
    lowered = text.lower()
    assert "</script" not in lowered
    assert "<!--" not in lowered
    assert "<" not in text and ">" not in text and "&" not in text


@pytest.mark.django_db
def test_it_writes_json_ld_that_cannot_close_its_script_element() -> None:
    claim = decided_claim()
    text = dumps_for_html(
        claim_review(claim, url=REVIEW_URL, publisher=PAYLOAD), ensure_ascii=False
    )
    assert_inert(text)
    data = json.loads(text)
    assert data["claimReviewed"] == PAYLOAD
    assert data["itemReviewed"]["author"]["name"] == PAYLOAD
    assert data["author"]["name"] == PAYLOAD


@pytest.mark.django_db
def test_it_renders_the_api_answer_escaped() -> None:
    review = claim_review(decided_claim(), url=REVIEW_URL, publisher="The Desk")
    body = HtmlSafeJSONRenderer().render(review).decode()
    assert_inert(body)
    assert json.loads(body) == review


@pytest.mark.django_db
def test_it_serves_escaped_json_ld_from_the_api(checker) -> None:  # type: ignore[no-untyped-def]
    claim = decided_claim()
    client = APIClient()
    client.force_authenticate(checker)
    r = client.get(f"/api/v1/claims/{claim.pk}/claimreview/")
    assert r.status_code == 200
    body = r.content.decode()
    assert_inert(body)
    assert json.loads(body)["claimReviewed"] == PAYLOAD


def test_it_keeps_every_string_when_escaping() -> None:
    value = {"a<b": ["</script>", "<!--", "x & y", "\u2028\u2029", "é", "\\u003c"]}
    text = dumps_for_html(value)
    assert_inert(text)
    assert "\u2028" not in text and "\u2029" not in text
    assert json.loads(text) == value
    assert json.loads(escape_json_for_html(json.dumps(value, ensure_ascii=False))) == value


@pytest.mark.django_db
@pytest.mark.parametrize(
    "source_url",
    [
        "https://user:secret@observatory.example/",
        "javascript:alert(1)//https://x.example/",
        "ftp://observatory.example/",
        "https://observatory.example/a b",
    ],
)
def test_it_leaves_out_a_stored_link_that_is_not_plain_web(source_url: str) -> None:
    claim = decided_claim(source_name="Observatory", source_url=source_url)
    claim.story = StoryFactory(url=source_url)
    claim.save()
    data = claim_review(claim, url=REVIEW_URL, publisher="The Desk")
    assert "url" not in data["itemReviewed"]["author"]
    assert "appearance" not in data["itemReviewed"]


@pytest.mark.django_db
def test_it_publishes_plain_links() -> None:
    claim = decided_claim(source_name="Observatory", source_url="https://observatory.example/")
    claim.story = StoryFactory(url="https://news.example/aleppo?day=12&x=1")
    claim.save()
    text = dumps_for_html(
        claim_review(claim, url=REVIEW_URL, publisher="The Desk"), ensure_ascii=False
    )
    data = json.loads(text)
    assert data["itemReviewed"]["author"]["url"] == "https://observatory.example/"
    assert data["itemReviewed"]["appearance"]["url"] == "https://news.example/aleppo?day=12&x=1"
    assert "&" not in text


@pytest.mark.django_db
def test_it_refuses_to_publish_under_a_url_that_is_not_plain_web() -> None:
    with pytest.raises(InvalidInput):
        claim_review(decided_claim(), url="javascript:alert(1)", publisher="The Desk")


@pytest.mark.parametrize(
    "url",
    [
        "",
        "javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "ftp://files.example/report.pdf",
        "https://user:pw@example.org/",
        "https://user@example.org/",
        "https://example.org/a b",
        "https://example.org/\ta",
        "https://example.org/\x00",
        "https://example.org/\u200bx",
        " https://example.org/",
        "https:///nohost",
        "https://example.org:99999/",
        "https://example.org\\@evil.example/",
        "//example.org/",
    ],
)
def test_it_refuses_urls_that_are_not_plain_web(url: str) -> None:
    assert web_url_problem(url)
    if url:
        with pytest.raises(ValidationError):
            validate_web_url(url)


@pytest.mark.parametrize(
    "url",
    [
        "https://www.example.org/report",
        "http://example.org:8080/a?b=c&d=e#f",
        "HTTPS://EXAMPLE.ORG/",
        "https://[2001:db8::1]/x",
        "https://xn--mgbh0fb.example/",
    ],
)
def test_it_accepts_plain_web_urls(url: str) -> None:
    assert web_url_problem(url) == ""
    validate_web_url(url)
