"""Logging a claim by typing it: the reading appears as the editor types, a corrected
field stays corrected, a source is picked through its alias, and two people
editing the same claim lose nothing to each other."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from claims import roles, services
from claims.models import Claim, Source
from claims.parsing import warm_up
from tests.browser.conftest import log_in, shot
from tests.conftest import make_user
from tests.factories import ClaimFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

PASSWORD = "pass-word-123"  # the personas' password in tests/factories.py


@pytest.fixture
def desk() -> dict[str, Any]:
    """The desk's people and a small register of sources, with the gazetteer loaded."""
    people = {
        "editor": make_user(roles.EDITOR, "eddie"),
        "checker": make_user(roles.CHECKER, "chris"),
        "admin": make_user(roles.ADMIN, "ada"),
    }
    services.source_create(
        actor=people["admin"],
        name="Syrian Observatory for Human Rights",
        kind="monitor",
        grade="C",
        aliases=["Observatory", "SOHR"],
    )
    services.source_create(
        actor=people["admin"],
        name="Local Coordination Committees",
        kind="activists",
        grade="E",
        aliases=["LCC"],
    )
    warm_up()  # the first reading should not wait for the gazetteer's index
    return people


@pytest.fixture
def second_page(chromium: Any) -> Iterator[Any]:
    context = chromium.new_context(viewport={"width": 1280, "height": 860})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def phone(chromium: Any) -> Iterator[Any]:
    context = chromium.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def test_an_editor_types_a_claim_and_corrects_its_reading(live_server, page, phone, desk):
    from playwright.sync_api import expect

    url = live_server.url
    log_in(page, url, "eddie", PASSWORD)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="New claim").click()
    expect(page.get_by_role("heading", name="New claim")).to_be_visible()
    shot(page, "entry-1-empty")

    page.get_by_label("Reported on").fill("2014-02-13")
    words = page.get_by_label("The claim, as the copy has it")
    summary = page.locator("#reading-summary")
    words.press_sequentially("About 400 killed", delay=30)
    expect(summary).to_contain_text("about 400")  # the reading appears as they type
    expect(page.locator("#id_value_low")).to_have_value("360")
    words.press_sequentially(" in Aleppo so far this month", delay=30)
    expect(summary).to_contain_text("Aleppo, SY")
    expect(summary).to_contain_text("1–13 Feb 2014, to date")
    expect(page.get_by_label("Place", exact=True)).to_have_value("Aleppo")

    # The copy means a district of the city: the editor says so, and keeps typing.
    page.get_by_label("Place", exact=True).fill("Bustan al-Qasr")
    words.press_sequentially(", activists said", delay=30)
    expect(summary).to_contain_text("“activists”")
    expect(page.get_by_label("Place", exact=True)).to_have_value("Bustan al-Qasr")
    expect(page.locator(".field:has(#id_place_name) .yours")).to_be_visible()
    expect(page.locator(".unmapped")).to_contain_text("names no source in the register")
    shot(page, "entry-2-reading")

    # "Activists" are the Local Coordination Committees here: find them by their alias.
    page.get_by_label("Find a source by name or alias").press_sequentially("LCC", delay=30)
    result = page.locator("#source-results li", has_text="Local Coordination Committees")
    expect(result).to_be_visible()
    shot(page, "entry-3-source-search")
    result.get_by_role("button", name=re.compile("^Map here")).click()
    chip = page.locator(".chip", has_text="Local Coordination Committees")
    expect(chip).to_contain_text("the copy says “activists”")
    expect(page.locator(".unmapped")).to_have_count(0)
    shot(page, "entry-4-source-picked")

    page.get_by_role("button", name="Save claim").click()
    page.wait_for_url(re.compile(r"/claims/\d+/$"))
    claim = Claim.objects.get()
    assert page.url.endswith(f"/claims/{claim.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "About 400 killed in Aleppo so far this month, activists said"
    )
    fields = page.locator("dl.fields")
    expect(fields).to_contain_text("Bustan al-Qasr")
    expect(fields).to_contain_text("Local Coordination Committees")
    expect(fields).to_contain_text("the copy says “activists”")
    shot(page, "entry-5-claim-page")
    assert (claim.value_low, claim.value_high, claim.place.name) == (360, 440, "Bustan al-Qasr")
    assert claim.attributions.get().source_text == "activists"

    # The same on a phone: the claim page, and the form with a reading.
    log_in(phone, url, "eddie", PASSWORD)
    phone.goto(f"{url}/claims/{claim.pk}/")
    shot(phone, "entry-6-claim-page-390")
    phone.goto(f"{url}/claims/new/")
    phone.get_by_label("The claim, as the copy has it").fill(
        "At least 51 killed in Aleppo yesterday, per the Observatory"
    )
    expect(phone.locator("#reading-summary")).to_contain_text("at least 51")
    expect(phone.locator(".chip")).to_contain_text("Syrian Observatory for Human Rights")
    shot(phone, "entry-7-form-390")


def test_an_alias_the_admin_adds_finds_the_source(live_server, page, second_page, desk):
    from playwright.sync_api import expect

    url = live_server.url
    sohr = Source.objects.get(name="Syrian Observatory for Human Rights")
    log_in(page, url, "ada", PASSWORD)
    page.goto(f"{url}/admin/claims/source/{sohr.pk}/change/")
    # Two aliases, then the inline's empty row.
    expect(page.locator('input[name="aliases-1-name"]')).to_have_value("SOHR")
    page.locator('input[name="aliases-2-name"]').fill("the Britain-based monitor")
    shot(page, "alias-1-admin")
    page.locator('input[name="_save"]').click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    log_in(second_page, url, "eddie", PASSWORD)
    second_page.goto(f"{url}/claims/new/")
    second_page.get_by_label("Find a source by name or alias").press_sequentially(
        "Britain-based", delay=30
    )
    result = second_page.locator("#source-results li")
    expect(result).to_have_count(1)
    expect(result).to_contain_text("Syrian Observatory for Human Rights")
    expect(result).to_contain_text("“the Britain-based monitor”")
    shot(second_page, "alias-2-editor-search")
    result.get_by_role("button", name=re.compile("^Add")).click()
    expect(second_page.locator(".chip")).to_contain_text("Syrian Observatory for Human Rights")


def test_two_people_editing_one_claim_lose_nothing(live_server, page, second_page, desk):
    from playwright.sync_api import expect

    url = live_server.url
    claim = ClaimFactory(created_by=desk["editor"])
    edit = f"{url}/claims/{claim.pk}/edit/"
    log_in(page, url, "eddie", PASSWORD)
    log_in(second_page, url, "chris", PASSWORD)
    page.goto(edit)
    second_page.goto(edit)  # both hold version 1

    page.get_by_label("Low").fill("60")
    page.get_by_role("button", name="Save changes").click()
    page.wait_for_url(f"{url}/claims/{claim.pk}/")
    expect(page.locator("dl.fields")).to_contain_text("at least 60")

    second_page.get_by_label("Low").fill("45")
    second_page.get_by_label("Time words").fill("on Wednesday")
    second_page.get_by_label("Why the change (optional)").fill("The wire's count.")
    second_page.get_by_role("button", name="Save changes").click()
    conflict = second_page.locator("section.conflict")
    expect(conflict).to_contain_text("Someone saved this claim while you were editing")
    low = conflict.locator("tr", has_text="Low")
    expect(low.locator("td.diff-theirs")).to_have_text("60")
    expect(low.locator("td.diff-yours")).to_have_text("45")
    # Only the field both changed is a conflict: the time words are the second person's alone.
    expect(conflict.locator("tr", has_text="Time words")).to_have_count(0)
    # What the second person typed is all still there.
    expect(second_page.get_by_label("Low")).to_have_value("45")
    expect(second_page.get_by_label("Time words")).to_have_value("on Wednesday")
    expect(second_page.get_by_label("Why the change (optional)")).to_have_value("The wire's count.")
    shot(second_page, "conflict-1-both-versions")

    second_page.get_by_role("button", name="Save changes").click()
    second_page.wait_for_url(f"{url}/claims/{claim.pk}/")
    expect(second_page.locator("dl.fields")).to_contain_text("at least 45")
    expect(second_page.locator("ol.history")).to_contain_text("Low: 60 → 45")
    shot(second_page, "conflict-2-saved")
    claim.refresh_from_db()
    assert (claim.value_low, claim.version, claim.time_expression) == (45, 3, "on Wednesday")
