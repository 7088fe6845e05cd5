"""A fact-checker's round: from the New queue, take a claim, add evidence on its page,
decide it "attributed only" with a note, and find it among the decided."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command

from claims.models import Claim, ClaimEvent
from tests.browser.conftest import log_in, shot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 860}


def test_it_takes_a_claim_from_the_new_queue_to_a_decision(live_server, page):
    call_command("load_demo", "--force", stdout=open("/dev/null", "w"))  # noqa: SIM115
    claim = Claim.objects.get(text__startswith="The Britain-based Observatory")
    log_in(page, live_server.url, "checker", "checker")
    shot(page, "checker-desk")

    page.get_by_role("link", name="Queues").click()
    page.wait_for_url(re.compile(r"/queue/new/$"))
    rows = page.locator("table.q-table tbody tr")
    assert rows.count() == 6
    shot(page, "checker-queue-new")
    page.set_viewport_size(PHONE)
    shot(page, "checker-queue-new-phone")
    page.set_viewport_size(DESKTOP)

    page.get_by_role("button", name=f"Take claim {claim.pk}").click()
    page.wait_for_selector(".messages")
    assert f"You took claim #{claim.pk}" in page.inner_text(".messages")
    assert rows.count() == 5

    page.get_by_role("navigation", name="Queues").get_by_role("link", name="Mine").click()
    page.wait_for_url(re.compile(r"/queue/mine/$"))
    page.get_by_role("link", name=re.compile("The Britain-based Observatory")).click()
    page.wait_for_url(re.compile(rf"/claims/{claim.pk}/$"))

    page.get_by_label("Link").fill("https://www.syriahr.com/en/aleppo-12-february")
    page.get_by_label("supports").check()
    page.get_by_label("Excerpt (optional)").fill("At least 51 people were killed in Aleppo.")
    page.get_by_role("button", name="Add evidence").click()
    page.wait_for_selector("text=syriahr.com/en/aleppo-12-february")

    page.get_by_label("Attributed only").check()
    page.get_by_label("Note (why)").fill("Only the Observatory's count; publish with attribution.")
    page.get_by_role("button", name="Save decision").click()
    page.wait_for_selector(".claim-head >> text=Attributed only")
    shot(page, "checker-claim-decided")

    claim.refresh_from_db()
    assert (claim.status, claim.assignee.username) == ("attributed", "checker")
    # The workflow's rows; the incident job may add its own (a link, by no one), and the
    # demo tags its claims with topics.
    workflow = claim.events.exclude(kind__in=[ClaimEvent.Kind.INCIDENT, ClaimEvent.Kind.TOPICS])
    assert list(workflow.values_list("kind", "to_status")) == [
        ("created", "new"),
        ("transition", "in_review"),
        ("evidence_added", ""),
        ("transition", "attributed"),
    ]
    assert ClaimEvent.objects.get(claim=claim, to_status="attributed").note.startswith("Only")

    page.goto(f"{live_server.url}/queue/decided/")
    decided = page.inner_text("table.q-table")
    assert "The Britain-based Observatory" in decided
    shot(page, "checker-queue-decided")
    page.goto(f"{live_server.url}/queue/new/")
    assert "The Britain-based Observatory" not in page.inner_text("table.q-table")
    page.goto(f"{live_server.url}/")
    tile = page.locator("a.dash-tile", has_text="claims decided").inner_text()
    assert tile.split()[:3] == ["2", "claims", "decided"]
    shot(page, "checker-desk-after")
    page.set_viewport_size(PHONE)
    shot(page, "checker-desk-after-phone")
