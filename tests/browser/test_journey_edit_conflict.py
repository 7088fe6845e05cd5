"""Two people edit one claim in two browsers: changes to different fields both stand,
and a field both changed is the only row of the conflict. Back after saving gives a
form that saves, and a paste longer than the claim box allows is kept whole and said
to be too long."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from claims import roles
from claims.models import CLAIM_TEXT_MAX_CHARS, Claim
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
    return {
        "editor": make_user(roles.EDITOR, "eddie"),
        "checker": make_user(roles.CHECKER, "chris"),
    }


@pytest.fixture
def second_page(chromium: Any) -> Iterator[Any]:
    context = chromium.new_context(viewport={"width": 1280, "height": 860})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def both_open(page: Any, second_page: Any, url: str, claim: Claim) -> str:
    edit = f"{url}/claims/{claim.pk}/edit/"
    log_in(page, url, "eddie", PASSWORD)
    log_in(second_page, url, "chris", PASSWORD)
    page.goto(edit)
    second_page.goto(edit)  # both hold version 1
    return edit


def test_two_people_change_different_fields_and_both_changes_stand(
    live_server, page, second_page, desk
):
    from playwright.sync_api import expect

    url = live_server.url
    claim = ClaimFactory(created_by=desk["editor"])
    both_open(page, second_page, url, claim)

    page.get_by_label("Low").fill("60")
    page.get_by_role("button", name="Save changes").click()
    page.wait_for_url(f"{url}/claims/{claim.pk}/")

    second_page.get_by_label("Time words").fill("on Wednesday")
    second_page.get_by_role("button", name="Save changes").click()
    second_page.wait_for_url(f"{url}/claims/{claim.pk}/")
    expect(second_page.locator("dl.fields")).to_contain_text("at least 60")
    shot(second_page, "edit-merge-1-both-kept")
    claim.refresh_from_db()
    assert (claim.value_low, claim.time_expression, claim.version) == (60, "on Wednesday", 3)


def test_a_field_both_changed_is_the_only_conflict_and_the_second_person_decides(
    live_server, page, second_page, desk
):
    from playwright.sync_api import expect

    url = live_server.url
    claim = ClaimFactory(created_by=desk["editor"])
    both_open(page, second_page, url, claim)

    page.get_by_label("Low").fill("60")
    page.get_by_label("Unit").fill("civilians")
    page.get_by_role("button", name="Save changes").click()
    page.wait_for_url(f"{url}/claims/{claim.pk}/")

    second_page.get_by_label("Low").fill("45")
    second_page.get_by_label("Time words").fill("on Wednesday")
    second_page.get_by_role("button", name="Save changes").click()
    conflict = second_page.locator("section.conflict")
    expect(conflict).to_contain_text("Someone saved this claim while you were editing")
    expect(conflict.locator("tbody tr")).to_have_count(1)
    low = conflict.locator("tr", has_text="Low")
    expect(low.locator("td.diff-theirs")).to_have_text("60")
    expect(low.locator("td.diff-yours")).to_have_text("45")
    # Their unit is in the form now; his figure and time words are still his.
    expect(second_page.get_by_label("Unit")).to_have_value("civilians")
    expect(second_page.get_by_label("Low")).to_have_value("45")
    expect(second_page.get_by_label("Time words")).to_have_value("on Wednesday")
    shot(second_page, "edit-merge-2-one-conflict")

    second_page.get_by_role("button", name="Save changes").click()
    second_page.wait_for_url(f"{url}/claims/{claim.pk}/")
    claim.refresh_from_db()
    assert (claim.value_low, claim.unit, claim.time_expression) == (45, "civilians", "on Wednesday")
    assert claim.version == 3


def test_back_after_saving_gives_a_form_that_saves(live_server, page, desk):
    from playwright.sync_api import expect

    url = live_server.url
    claim = ClaimFactory(created_by=desk["editor"])
    log_in(page, url, "eddie", PASSWORD)
    page.goto(f"{url}/claims/{claim.pk}/")
    page.goto(f"{url}/claims/{claim.pk}/edit/")
    page.get_by_label("Low").fill("60")
    page.get_by_role("button", name="Save changes").click()
    page.wait_for_url(f"{url}/claims/{claim.pk}/")

    page.go_back()
    expect(page.get_by_role("heading", name=f"Edit claim {claim.pk}")).to_be_visible()
    page.get_by_label("Time words").fill("on Wednesday")
    page.get_by_role("button", name="Save changes").click()
    page.wait_for_url(f"{url}/claims/{claim.pk}/")
    expect(page.locator("body")).to_contain_text("Claim saved.")
    expect(page.locator("section.conflict")).to_have_count(0)
    claim.refresh_from_db()
    assert (claim.value_low, claim.time_expression) == (60, "on Wednesday")


def test_back_after_logging_a_claim_gives_a_fresh_form_that_saves(live_server, page, desk):
    """The browser's own copy of the entry form came back with half the reading's fields
    restored (a qualifier without its figure), and saving it was refused."""
    from playwright.sync_api import expect

    from claims.parsing import warm_up

    warm_up()
    url = live_server.url
    log_in(page, url, "eddie", PASSWORD)
    page.goto(f"{url}/claims/new/")
    box = page.get_by_label("The claim, as the copy has it")
    box.fill("About 400 people were killed in Aleppo so far this month, activists said.")
    expect(page.get_by_label("Low")).to_have_value("360")
    page.get_by_role("button", name="Save claim").click()
    page.wait_for_url(re.compile(r"/claims/\d+/$"))

    page.go_back()
    expect(page.get_by_role("heading", name="New claim")).to_be_visible()
    assert page.get_by_label("Low").input_value() == ""
    assert page.get_by_label("Qualifier").input_value() == ""  # no half-restored reading
    box.fill("At least 51 people were killed in Aleppo yesterday, activists said.")
    expect(page.get_by_label("Low")).to_have_value("51")
    page.get_by_role("button", name="Save claim").click()
    page.wait_for_url(re.compile(r"/claims/\d+/$"))
    expect(page.locator("body")).to_contain_text("logged")
    assert Claim.objects.count() == 2


def test_a_paste_longer_than_the_box_is_kept_whole_and_said_to_be_too_long(live_server, page, desk):
    from playwright.sync_api import expect

    url = live_server.url
    log_in(page, url, "eddie", PASSWORD)
    page.goto(f"{url}/claims/new/")
    box = page.get_by_label("The claim, as the copy has it")
    words = "About 400 people were killed in Aleppo so far this month. " * 90
    box.fill(words)
    assert len(box.input_value()) == len(words)  # nothing cut mid-word
    note = page.locator("#text-length")
    expect(note).to_be_visible()
    expect(note).to_contain_text(f"the limit is {CLAIM_TEXT_MAX_CHARS:,}")
    shot(page, "edit-merge-3-too-long")

    box.fill("About 400 people were killed in Aleppo so far this month.")
    expect(note).to_be_hidden()
