"""Two tolls of one attack from two reports, neither with a time frame: the second is
logged in the browser, the job links it to the first one's incident and flags the clash,
and a fact-checker resolves the flag from the incident's page.

With PostgreSQL and Redis (CI) a real Celery worker, sharing the test database, runs the
scan that saving the claim queues; on a laptop without them the scan runs eagerly inside
the live server.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from typing import Any

import pytest

from claims import roles, services
from claims.models import Claim, Flag
from claims.parsing import warm_up
from tests.browser.conftest import log_in, shot
from tests.conftest import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "pass-word-123"  # the personas' password in tests/factories.py
REPORTED = dt.date(2024, 3, 9)


@pytest.fixture
def first_report(tasks: str) -> Claim:
    make_user(roles.CHECKER, "chris")
    editor = make_user(roles.EDITOR, "eddie")
    claim = services.claim_create(
        actor=editor,
        text="Rescuers said 23 people were killed in the market bombing in Idlib.",
        reported_on=REPORTED,
        read_text=True,
    )
    assert (claim.value_low, claim.period_start, claim.place.name) == (23, None, "Idlib")
    # The first report's scan has read its incident words (by the worker, or at once).
    wait_for(lambda: Claim.objects.filter(pk=claim.pk, incident_words__kind="bombing").exists())
    warm_up()
    return claim


def wait_for(query: Any, timeout: float = 30) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = query()
        if found:
            return found
        time.sleep(0.2)
    pytest.fail(f"nothing after {timeout} s")


def test_two_tolls_of_one_attack_are_linked_flagged_and_resolved(
    live_server: Any, page: Any, first_report: Claim
) -> None:
    from playwright.sync_api import expect

    url = live_server.url
    log_in(page, url, "eddie", PASSWORD)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="New claim").click()
    page.get_by_label("Reported on").fill(REPORTED.isoformat())
    page.get_by_label("The claim, as the copy has it").press_sequentially(
        "Officials put the toll from the market bombing in Idlib at 40.", delay=10
    )
    expect(page.locator("#reading-summary")).to_contain_text("40")
    shot(page, "incident-1-entry")
    page.get_by_role("button", name="Save claim").click()
    page.wait_for_url(re.compile(r"/claims/\d+/$"))
    second = Claim.objects.exclude(pk=first_report.pk).get()
    assert second.period_start is None  # no time frame in the copy, none stored

    # Saving queued the scan: it linked the two and flagged the clash.
    flag = wait_for(lambda: Flag.objects.filter(kind="value_conflict", status="open").first())
    first_report.refresh_from_db()
    second.refresh_from_db()
    assert second.incident is not None and second.incident == first_report.incident
    assert set(flag.claims.values_list("pk", flat=True)) == {first_report.pk, second.pk}

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Incidents").click()
    page.get_by_role("link", name=re.compile("Market bombing, Idlib")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Market bombing, Idlib")
    claims = page.locator("section", has=page.get_by_role("heading", name=re.compile("Claims")))
    expect(claims).to_contain_text("23 people were killed")
    expect(claims).to_contain_text("toll from the market bombing in Idlib at 40")
    flags = page.locator("section", has=page.get_by_role("heading", name="Open flags"))
    expect(flags).to_contain_text("Value conflict")
    expect(page.locator("figure.timeline-chart svg.wide")).to_be_visible()
    shot(page, "incident-2-linked-and-flagged")

    # A fact-checker settles it: the desk uses the higher, later official figure.
    page.get_by_role("button", name="Log out").click()
    log_in(page, url, "chris", PASSWORD)
    page.goto(f"{url}{second.incident.get_absolute_url()}")
    page.locator("section", has=page.get_by_role("heading", name="Open flags")).get_by_role(
        "link", name="Value conflict"
    ).click()
    page.get_by_label("Note", exact=True).fill(
        "Officials' count includes the wounded who died overnight."
    )
    page.get_by_label("Figure the desk uses (low)").fill("40")
    page.get_by_label("High", exact=True).fill("40")
    page.get_by_label("Chosen by").select_option("most_reliable")
    page.get_by_role("button", name="Resolve").click()
    expect(page.locator(".messages")).to_contain_text("Flag resolved")
    flag.refresh_from_db()
    assert flag.status == "resolved" and flag.resolution_low == 40
    page.goto(f"{url}{second.incident.get_absolute_url()}")
    expect(page.get_by_role("heading", name="Open flags")).to_have_count(0)
    shot(page, "incident-3-resolved")
