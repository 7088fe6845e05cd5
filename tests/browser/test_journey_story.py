"""An editor's journey through a story: paste the copy with its date, see each figure
the desk finds marked inside its sentence, accept the three casualty counts, reject a
statement, turn the rest down in one go, and find the claims listed under the story
with Aleppo as their place."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from claims import demo, roles, services
from claims.models import CandidateRejection, Claim
from claims.parsing import warm_up
from tests.browser.conftest import log_in, shot
from tests.conftest import REQUIRE_SERVICES, make_user, skip_or_fail

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

# The sample article lives beside the repository, not in it.
ARTICLE = Path(__file__).resolve().parents[3] / "shared" / "articles" / "aleppo-barrel-bombs.txt"
PASSWORD = "pass-word-123"  # the personas' password in tests/factories.py

# The article's three casualty counts, by their figures' words, and one statement.
COUNTS = ("about 400 people", "at least 51 people", "some 400")
STATEMENT = "They also come against reports of talks"


@pytest.fixture
def article() -> str:
    if not ARTICLE.exists():
        skip_or_fail(f"The sample article is not at {ARTICLE}", required=REQUIRE_SERVICES)
    return ARTICLE.read_text(encoding="utf-8")


@pytest.fixture
def desk() -> Any:
    """The register of sources the copy names, and an editor to work on it."""
    warm_up()  # the first reading should not wait for the gazetteer's index
    admin = make_user(roles.ADMIN, "ada")
    for spec in demo.SOURCES:
        fields = {k: v for k, v in spec.items() if k != "aliases"}
        services.source_create(actor=admin, aliases=spec["aliases"], **fields)
    return make_user(roles.EDITOR, "eddie")


def paste_story(page: Any, base_url: str, text: str) -> None:
    page.goto(f"{base_url}/stories/")
    page.get_by_role("link", name="New story").click()
    page.get_by_label("Headline").fill("Barrel bombs kill about 400 in Aleppo this month")
    page.get_by_label("Date").fill("2014-02-13")
    page.get_by_label("Byline").fill("Wire desk")
    page.get_by_label("Copy").fill(text)
    page.get_by_role("button", name="Save and find claims").click()
    page.wait_for_selector("#cand-summary")


def card(page: Any, words: str) -> Any:
    """A figure's card by the figure's words, or a statement's by words of its sentence."""
    figure = page.locator(".cand-words", has_text=re.compile(f"^{re.escape(words)}$"))
    return page.locator(".cand-card", has=figure).or_(
        page.locator(".cand-card.is-statement", has_text=words)
    )


def test_an_editor_turns_pasted_copy_into_claims(live_server, page, article, desk):
    log_in(page, live_server.url, "eddie", PASSWORD)
    paste_story(page, live_server.url, article)
    assert "Story saved" in page.inner_text(".messages")
    # Each figure is marked inside its sentence; statements are marked whole.
    assert page.locator("article .cand-sent mark.is-count[id]").count() == 3
    assert page.locator("article mark.is-statement[id]").count() >= 1
    assert page.inner_text("article .cand-sent mark.is-count[id] >> nth=0").startswith("about 400")
    assert "Syria's largest city" in page.inner_text("article")
    first = card(page, COUNTS[0])
    assert "from context" in first.inner_text() and "Aleppo" in first.inner_text()
    shot(page, "journey-story-pasted")

    # The editor opens the corrections of the first count to check them, then accepts
    # each count as read; htmx swaps each card in place.
    first.locator("summary", has_text="Edit, then accept").click()
    assert first.get_by_label("Place").input_value() == "Aleppo"
    shot(page, "journey-story-edit-open")
    for words in COUNTS:
        target = card(page, words)
        target.get_by_role("button", name=re.compile(r"^Accept claim:")).click()
        target.locator(".cand-flash").wait_for()
        assert "Accepted as claim #" in target.inner_text()

    statement = card(page, STATEMENT)
    statement.locator("summary", has_text="Reject").click()
    statement.get_by_label("Reason (optional)").fill("Background to the talks, not a claim.")
    statement.get_by_role("button", name=re.compile(r"^Confirm rejection")).click()
    statement.locator(".cand-flash").wait_for()
    assert "Rejected" in statement.inner_text()
    assert "3 accepted" in page.inner_text("#cand-summary")
    assert "1 rejected" in page.inner_text("#cand-summary")
    shot(page, "journey-story-answered")

    # The claims table under the story was updated in place; a reload shows the same.
    for reload in (False, True):
        if reload:
            page.reload()
        rows = page.locator("#story-claims table.claims tbody tr")
        assert rows.count() == 3
        for i in range(3):
            assert rows.nth(i).locator("td").nth(2).inner_text() == "Aleppo"
    assert "Rejected by eddie" in card(page, STATEMENT).inner_text()
    assert card(page, STATEMENT).get_by_role("button").count() == 0
    assert Claim.objects.filter(story__isnull=False, created_by__username="eddie").count() == 3
    assert CandidateRejection.objects.get().note == "Background to the talks, not a claim."

    # The rest are background: turned down in one go, after a look at the list.
    left = page.locator(".cand-card.is-open").count()
    page.get_by_role("button", name="Reject all open on this page…").click()
    assert f"Reject {left} candidate" in page.inner_text("h1")
    page.get_by_label("Reason (optional)").fill("Context, not claims.")
    page.get_by_role("button", name=re.compile(r"^Reject these")).click()
    assert f"Rejected {left}" in page.inner_text(".messages")
    assert "All reviewed" in page.inner_text("#cand-summary")
    assert CandidateRejection.objects.filter(note="Context, not claims.").count() == left

    # The same page on a phone.
    page.set_viewport_size({"width": 390, "height": 844})
    shot(page, "journey-story-phone")


def test_the_answers_work_without_javascript(live_server, chromium, article, desk):
    context = chromium.new_context(
        viewport={"width": 1280, "height": 860}, java_script_enabled=False
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        log_in(page, live_server.url, "eddie", PASSWORD)
        paste_story(page, live_server.url, article)
        target = card(page, COUNTS[1])
        target.locator("summary", has_text="Edit, then accept").click()
        target.get_by_label("Sources").fill("Nobody the desk knows")
        target.get_by_role("button", name=re.compile(r"^Accept as corrected")).click()
        # Refused: the page comes back with what was typed and the reason.
        target = card(page, COUNTS[1])
        assert "No source is called" in target.inner_text()
        assert target.get_by_label("Sources").input_value() == "Nobody the desk knows"
        shot(page, "journey-story-nojs-refused")
        target.get_by_label("Sources").fill("Observatory")
        target.get_by_role("button", name=re.compile(r"^Accept as corrected")).click()
        assert "Accepted as claim #" in page.inner_text(".messages")
        claim = Claim.objects.get()
        assert claim.place is not None and claim.place.name == "Aleppo"
        assert [a.source.name for a in claim.attributions.all()] == [
            "Syrian Observatory for Human Rights"
        ]
        statement = card(page, STATEMENT)
        statement.locator("summary", has_text="Reject").click()
        statement.get_by_role("button", name=re.compile(r"^Confirm rejection")).click()
        assert "Rejected" in page.inner_text(".messages")
        assert CandidateRejection.objects.get().rejected_by == desk
        shot(page, "journey-story-nojs")
    finally:
        context.close()
