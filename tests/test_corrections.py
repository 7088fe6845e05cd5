"""Corrections: a decided claim whose status or verdict changes, or a retracted claim,
lists the published stories that carry it; the story page shows a banner and its
history a row for its editor; the corrections queue lists the stories until answered."""

from __future__ import annotations

import datetime as dt

import pytest

from claims import services
from claims.errors import ActionForbidden, InvalidInput, StateConflict
from claims.models import ClaimEvent, Correction, Status, Story, StoryEvent
from tests.factories import ClaimFactory
from tests.publishing import decided_claim, published_story, verdict
from tests.test_headers import inline_code

pytestmark = pytest.mark.django_db


@pytest.fixture
def story(editor):  # type: ignore[no-untyped-def]
    return published_story(editor)


@pytest.fixture
def claim(checker, story):  # type: ignore[no-untyped-def]
    return decided_claim(checker, story=story)


def reopen(claim, checker, note="A second count came in."):  # type: ignore[no-untyped-def]
    return services.claim_transition(claim=claim, actor=checker, to=Status.IN_REVIEW, note=note)


def test_a_first_decision_asks_for_no_correction(claim):
    assert not Correction.objects.exists()
    assert not StoryEvent.objects.exists()


def test_reopening_a_decision_opens_a_correction_for_the_editor(claim, checker, editor, story):
    reopen(claim, checker)
    correction = Correction.objects.get()
    assert (correction.story, correction.claim, correction.reason) == (story, claim, "reopened")
    assert correction.event.kind == ClaimEvent.Kind.TRANSITION
    assert correction.event.from_status == Status.ATTRIBUTED
    row = StoryEvent.objects.get()
    assert (row.kind, row.recipient, row.actor, row.claim) == (
        StoryEvent.Kind.CORRECTION_NEEDED,
        editor,
        checker,
        claim,
    )
    assert row.note == "A second count came in."


def test_a_new_decision_updates_the_open_correction(claim, checker):
    claim = reopen(claim, checker)
    services.claim_transition(claim=claim, actor=checker, to=Status.FALSE, note="Disproved.")
    correction = Correction.objects.get()
    assert correction.reason == "decided_again"
    assert correction.event.to_status == Status.FALSE
    assert StoryEvent.objects.filter(kind=StoryEvent.Kind.CORRECTION_NEEDED).count() == 2


def test_a_retraction_asks_for_a_correction_even_of_an_undecided_claim(checker, story):
    claim = ClaimFactory(story=story)
    services.claim_transition(claim=claim, actor=checker, to=Status.RETRACTED, note="Misread.")
    assert Correction.objects.get().reason == "retracted"


def test_a_new_verdict_on_a_decided_claim_asks_for_a_correction(claim, admin):
    services.claim_update(
        claim=claim, actor=admin, version=claim.version, changes={"verdict": verdict(1)}
    )
    assert Correction.objects.get().reason == "verdict_changed"


def test_other_edits_and_drafts_ask_for_none(claim, admin, checker, editor):
    services.claim_update(claim=claim, actor=admin, version=claim.version, changes={"priority": 3})
    draft = published_story(editor, status=Story.Status.DRAFT, headline="Draft copy")
    other = decided_claim(checker, story=draft, text="Five killed in Homs on Monday, medics said.")
    reopen(other, checker)
    later = published_story(
        editor,
        headline="Tomorrow's copy",
        published_at=dt.datetime.now(dt.UTC) + dt.timedelta(days=1),
    )
    third = decided_claim(checker, story=later, text="Two killed in Hama, police said.")
    reopen(third, checker)
    assert not Correction.objects.exists()


def test_the_claim_page_lists_the_stories_to_correct(client, claim, checker, story):
    reopen(claim, checker)
    client.force_login(checker)
    html = client.get(f"/claims/{claim.pk}/").content.decode()
    assert "Stories to correct" in html
    assert f"/stories/{story.pk}/" in html and story.headline in html
    assert "the decision was reopened" in html


def test_the_story_page_shows_a_banner_and_its_history(client, claim, checker, editor, story):
    reopen(claim, checker)
    client.force_login(editor)
    html = client.get(f"/stories/{story.pk}/").content.decode()
    assert "Correction needed" in html
    assert f"/claims/{claim.pk}/" in html and "the decision was reopened" in html
    assert "Mark corrections answered" in html
    assert "correction needed" in html.lower() and "for eddie" in html  # the history row
    assert inline_code(html) == []
    client.force_login(checker)  # a fact-checker sees the banner, not the editor's form
    html = client.get(f"/stories/{story.pk}/").content.decode()
    assert "Correction needed" in html and "Mark corrections answered" not in html


def test_the_editor_answers_and_the_story_leaves_the_queue(client, claim, checker, editor, story):
    reopen(claim, checker)
    client.force_login(editor)
    html = client.get("/queue/corrections/").content.decode()
    assert story.headline in html
    url = f"/stories/{story.pk}/corrections/"
    assert client.get(url).status_code == 405
    assert client.post(url, {"note": ""}).status_code == 400
    r = client.post(url, {"note": "Added a correction line at the foot of the story."})
    assert r.status_code == 302
    correction = Correction.objects.get()
    assert correction.resolved_by == editor and correction.resolved_at is not None
    assert StoryEvent.objects.filter(kind=StoryEvent.Kind.CORRECTED, actor=editor).exists()
    assert story.headline not in client.get("/queue/corrections/").content.decode()
    assert 'id="corrections-h"' not in client.get(f"/stories/{story.pk}/").content.decode()
    assert client.post(url, {"note": "Again."}).status_code == 409
    # A later change opens a new correction.
    claim.refresh_from_db()
    services.claim_transition(claim=claim, actor=checker, to=Status.DISPUTED, note="Two counts.")
    assert Correction.objects.filter(resolved_at__isnull=True).count() == 1


def test_only_editors_and_admins_answer(claim, checker, outsider, story, client):
    reopen(claim, checker)
    with pytest.raises(ActionForbidden):
        services.corrections_resolve(story=story, actor=checker, note="Fine.")
    with pytest.raises(InvalidInput):
        services.corrections_resolve(story=story, actor=story.created_by, note=" ")
    client.force_login(outsider)
    assert client.post(f"/stories/{story.pk}/corrections/", {"note": "x"}).status_code == 404
    client.force_login(checker)
    assert client.post(f"/stories/{story.pk}/corrections/", {"note": "x"}).status_code == 403
    assert Correction.objects.get().resolved_at is None


def test_nothing_to_answer_is_a_conflict(story, editor):
    with pytest.raises(StateConflict):
        services.corrections_resolve(story=story, actor=editor, note="Nothing.")


def test_the_queue_pins_its_queries(client, checker, editor, django_assert_num_queries):
    for n in range(3):
        story = published_story(editor, headline=f"Story {n}")
        claim = decided_claim(checker, story=story, text=f"{n + 3} killed in Idlib, medics said.")
        reopen(claim, checker)
    client.force_login(editor)
    # session, user, roles, count, the page of stories with their editors and counts
    with django_assert_num_queries(5):
        html = client.get("/queue/corrections/").content.decode()
    assert html.count("/stories/") >= 3


def test_the_outsider_sees_an_empty_queue(client, claim, checker, outsider):
    reopen(claim, checker)
    client.force_login(outsider)
    assert "No story needs a correction." in client.get("/queue/corrections/").content.decode()
