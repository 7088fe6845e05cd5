"""A fact-checker learns of new work without refreshing a queue: an admin assigns a
claim, and the assignee sees the bell's count and opens the notification."""

from __future__ import annotations

import re
import time

import pytest

from claims import roles
from claims.models import Notification
from tests.browser.conftest import log_in, shot
from tests.factories import ClaimFactory, make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

PASSWORD = "pass-word-123"  # tests.factories.UserFactory's


def test_the_assignee_sees_the_bell_and_opens_the_notification(live_server, page, tasks):
    make_user(roles.ADMIN, "ada")
    make_user(roles.CHECKER, "chris")
    claim = ClaimFactory(text="Officials said 14 people were injured in Homs on Monday.")

    log_in(page, live_server.url, "ada", PASSWORD)
    page.goto(f"{live_server.url}/claims/{claim.pk}/")
    page.get_by_label("Assign to").select_option(label="chris")
    page.get_by_role("button", name="Assign").click()
    page.wait_for_selector(".claim-head >> text=chris")
    page.get_by_role("button", name="Log out").click()
    # The notification is written by a task after the commit: a worker, where there is one.
    deadline = time.monotonic() + 30
    while not Notification.objects.filter(recipient__username="chris").exists():
        assert time.monotonic() < deadline, "no notification was written"
        time.sleep(0.2)

    log_in(page, live_server.url, "chris", PASSWORD)
    bell = page.locator(".bell-count")
    bell.wait_for()
    assert bell.inner_text() == "1"
    shot(page, "notifications-bell")
    page.get_by_role("link", name=re.compile("Notifications")).click()
    page.wait_for_url(re.compile(r"/notifications/$"))
    assert "ada assigned you claim" in page.inner_text(".notifications")
    page.get_by_role("button", name="Open").click()
    page.wait_for_url(re.compile(rf"/claims/{claim.pk}/$"))
    assert Notification.objects.get().read
    assert page.locator(".bell-count").inner_text() == "0"
