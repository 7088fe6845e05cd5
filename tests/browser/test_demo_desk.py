"""A newcomer's first look: the demo editor logs in and sees the Aleppo story and its claims."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from tests.browser.conftest import log_in, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_shows_the_demo_editor_the_aleppo_story(live_server, page):
    call_command("load_demo", "--force", stdout=open("/dev/null", "w"))  # noqa: SIM115
    log_in(page, live_server.url, "editor", "editor")
    shot(page, "demo-home")
    story_link = page.get_by_role("link", name="Barrel bombs have killed about 400 in Aleppo")
    assert story_link.is_visible()
    story_link.click()
    page.wait_for_selector("h1")
    assert "Syria's largest city" in page.inner_text("article")
    rows = page.locator("table.claims tbody tr")
    assert rows.count() == 4
    assert "at least 51" in page.inner_text("table.claims")
    shot(page, "demo-story")
    page.get_by_role("link", name="The Britain-based Observatory").first.click()
    assert "Syrian Observatory for Human Rights" in page.inner_text("dl.fields")
    shot(page, "demo-claim")
