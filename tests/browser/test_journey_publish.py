"""A fact-checker publishes a decided claim's review from its page, and a reader who is
not logged in opens the public page, with its ClaimReview markup and timeline."""

from __future__ import annotations

import json
import re

import pytest
from django.core.management import call_command

from claims.models import Claim, ClaimEvent, PublishedReview
from tests.browser.conftest import log_in, shot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

SUMMARY = "The count is the network's own; no other source has confirmed it."


def test_it_publishes_a_review_that_anyone_can_read(live_server, page, chromium):
    call_command("load_demo", "--force", stdout=open("/dev/null", "w"))  # noqa: SIM115
    claim = Claim.objects.get(text__startswith="At least 120 people")
    assert claim.status == "attributed"
    log_in(page, live_server.url, "checker", "checker")
    page.goto(f"{live_server.url}/claims/{claim.pk}/")
    page.get_by_label("Summary for readers").fill(SUMMARY)
    page.get_by_role("button", name="Publish review").click()
    page.wait_for_selector(".messages >> text=The review is public")
    shot(page, "publish-claim-page")

    review = PublishedReview.objects.get(claim=claim)
    assert review.live and review.summary == SUMMARY
    assert claim.events.filter(kind=ClaimEvent.Kind.PUBLISHED).count() == 1
    link = page.locator("#publish-h ~ p a").first
    assert link.get_attribute("href") == f"/reviews/{review.key}/"

    # A reader with no session.
    reader = chromium.new_context(viewport={"width": 390, "height": 844})
    public = reader.new_page()
    errors: list[str] = []
    public.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    r = public.goto(f"{live_server.url}/reviews/{review.key}/")
    assert r is not None and r.status == 200
    assert public.url.endswith(f"/reviews/{review.key}/")  # not sent to log in
    assert "At least 120 people" in public.inner_text("h1")
    assert "Verdict" in public.inner_text(".verdict") and SUMMARY in public.inner_text(".verdict")
    assert public.locator(".timeline-chart svg").count() >= 1
    assert public.get_by_text(re.compile("Decided: attributed only")).count() == 1
    data = json.loads(public.locator('script[type="application/ld+json"]').inner_text())
    assert data["@type"] == "ClaimReview"
    assert data["url"] == f"{live_server.url}/reviews/{review.key}/"
    assert data["reviewRating"]["alternateName"] == "Attributed only"
    assert not [e for e in errors if "Content Security Policy" in e]
    public.screenshot(path="artifacts/browser/publish-public-phone.png", full_page=True)

    public.goto(f"{live_server.url}/reviews/")
    public.get_by_role("link", name=re.compile("At least 120 people")).click()
    public.wait_for_url(re.compile(rf"/reviews/{review.key}/$"))

    # Taken down, it is gone for the reader.
    page.get_by_text("Take the review down").click()
    page.get_by_label("Why take it down?").fill("The network withdrew its count.")
    page.get_by_role("button", name="Take down").click()
    page.wait_for_selector(".messages >> text=taken down")
    r = public.goto(f"{live_server.url}/reviews/{review.key}/")
    assert r is not None and r.status == 404
    reader.close()
