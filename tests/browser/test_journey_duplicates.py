"""Duplicates in the browser: the claim form shows what the desk has as the editor types
and "Same claim" logs nothing new; a story's candidate is linked to a claim the desk has;
a fact-checker merges a duplicate from its page."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest

from claims import roles
from claims.models import Claim, Story, StoryLink
from claims.parsing import warm_up
from tests.browser.conftest import log_in, shot
from tests.conftest import make_user
from tests.factories import ClaimFactory, PlaceFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

PASSWORD = "pass-word-123"  # the personas' password in tests/factories.py

# Made up for these tests.
TYPED = "At least 120 people have been killed in Aleppo so far this month, monitors said."
BODY = "At least 120 people have been killed in Aleppo so far this month, the Observatory said."


@pytest.fixture
def desk() -> dict[str, Any]:
    people = {
        "editor": make_user(roles.EDITOR, "eddie"),
        "checker": make_user(roles.CHECKER, "chris"),
    }
    existing = ClaimFactory(
        text="Some 120 people have died in Aleppo since February began, the monitor says.",
        value_low=120,
        qualifier="at_least",
        place=PlaceFactory(),
        period_start=dt.date(2014, 2, 1),
        period_end=dt.date(2014, 2, 13),
        period_kind="to_date",
    )
    story = Story.objects.create(
        headline="Toll climbs in Aleppo",
        body=BODY,
        published_at=dt.datetime(2014, 2, 13, 15, 0, tzinfo=dt.UTC),
        created_by=people["editor"],
    )
    warm_up()
    return {**people, "existing": existing, "story": story}


def test_same_claim_on_the_form_logs_nothing_new(live_server, page, desk):
    from playwright.sync_api import expect

    url, existing = live_server.url, desk["existing"]
    log_in(page, url, "eddie", PASSWORD)
    page.goto(f"{url}/claims/new/?story={desk['story'].pk}")
    page.get_by_label("Reported on").fill("2014-02-13")
    page.get_by_label("The claim, as the copy has it").press_sequentially(TYPED, delay=5)
    similar = page.locator("#similar-claims")
    expect(similar).to_contain_text(f"Claim {existing.pk}")
    expect(similar).to_contain_text("same measure")
    shot(page, "duplicates-1-similar-on-the-form")
    similar.get_by_role("button", name=re.compile("^Same claim")).click()
    page.wait_for_url(f"{url}/claims/{existing.pk}/")
    expect(page.locator("body")).to_contain_text("nothing new logged")
    assert Claim.objects.count() == 1
    assert StoryLink.objects.get().story_id == desk["story"].pk


def test_a_candidate_is_linked_to_the_claim_the_desk_has(live_server, page, desk):
    from playwright.sync_api import expect

    url, existing = live_server.url, desk["existing"]
    log_in(page, url, "eddie", PASSWORD)
    page.goto(f"{url}/stories/{desk['story'].pk}/")
    card = page.locator(".cand-card").first
    card.locator("summary", has_text="Already on the desk?").click()
    found = card.locator(".similar-candidate")
    expect(found).to_contain_text(f"Claim {existing.pk}")  # loaded by htmx on opening
    shot(page, "duplicates-2-similar-on-a-candidate")
    found.get_by_role("button", name=re.compile("^Same claim")).click()
    expect(page.locator(".cand-card").first).to_contain_text("Accepted")
    expect(page.locator(".cand-card").first).to_contain_text(f"Claim #{existing.pk}")
    assert Claim.objects.count() == 1 and StoryLink.objects.count() == 1


def test_a_fact_checker_merges_a_duplicate_from_its_page(live_server, page, desk):
    from playwright.sync_api import expect

    url, survivor = live_server.url, desk["existing"]
    duplicate = ClaimFactory(text="120 killed in Aleppo this month, a wire says.")
    log_in(page, url, "chris", PASSWORD)
    page.goto(f"{url}/claims/{duplicate.pk}/")
    page.locator("summary", has_text="Merge into another claim").click()
    page.get_by_label("The claim that stays, by its number").fill(str(survivor.pk))
    page.get_by_label(re.compile("are the same claim: merge them")).check()
    shot(page, "duplicates-3-merge-form")
    page.get_by_role("button", name="Merge claim").click()
    page.wait_for_url(f"{url}/claims/{survivor.pk}/")
    expect(page.locator("body")).to_contain_text(f"Claim #{duplicate.pk} is merged into this")
    assert Claim.objects.get(pk=duplicate.pk).merged_into_id == survivor.pk
    # The merged claim's address leads to the survivor.
    page.goto(f"{url}/claims/{duplicate.pk}/")
    page.wait_for_url(f"{url}/claims/{survivor.pk}/")
