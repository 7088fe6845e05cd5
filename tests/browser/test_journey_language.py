"""A reader switches the desk to Arabic: the page turns right to left, in Arabic, and
stays so on the next page; switching back gives the English desk again."""

from __future__ import annotations

import re

import pytest

from claims import roles
from tests.browser.conftest import log_in, shot
from tests.factories import ClaimFactory, StoryFactory, make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

PASSWORD = "pass-word-123"  # tests.factories.UserFactory's


def test_it_lays_the_desk_out_right_to_left_in_arabic(live_server, page):
    make_user(roles.CHECKER, "chris")
    story = StoryFactory(headline="Strikes on Aleppo")
    claim = ClaimFactory(
        text="Officials said 14 people were injured in Homs on Monday.", story=story
    )
    log_in(page, live_server.url, "chris", PASSWORD)

    page.get_by_label("Language").select_option("ar")
    page.get_by_role("button", name="Switch").click()
    page.wait_for_function("document.documentElement.lang === 'ar'")
    assert page.evaluate("getComputedStyle(document.documentElement).direction") == "rtl"
    assert page.locator("h1").inner_text() == "المكتب"
    # Right to left: the brand starts the header on the right, the nav follows to its left.
    brand = page.locator(".brand").bounding_box()
    nav = page.locator("nav[aria-label] a").first.bounding_box()
    assert brand["x"] > nav["x"]
    assert brand["x"] + brand["width"] > 1280 * 0.8
    shot(page, "language-arabic-desk")

    # The choice holds on the next page, whose dates are Arabic too.
    page.goto(f"{live_server.url}/claims/{claim.pk}/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.get_by_role("heading", name="الإجراءات").is_visible()
    assert re.search(
        r"(يناير|فبراير|مارس|أبريل|مايو|يونيو|يوليو|أغسطس|سبتمبر|أكتوبر|نوفمبر|ديسمبر)",
        page.inner_text(".claim-top"),
    )
    shot(page, "language-arabic-claim")
    for name, path in (("queue", "/queue/new/"), ("story", f"/stories/{story.pk}/")):
        page.goto(f"{live_server.url}{path}")
        assert page.locator("html").get_attribute("dir") == "rtl"
        shot(page, f"language-arabic-{name}")

    page.get_by_label("اللغة").select_option("en-gb")
    page.get_by_role("button", name="تبديل").click()
    page.wait_for_function("document.documentElement.lang === 'en-gb'")
    assert page.evaluate("getComputedStyle(document.documentElement).direction") == "ltr"
    assert page.get_by_role("heading", name="Claims found in the copy").is_visible()
