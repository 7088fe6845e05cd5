"""A story edited after its candidates were answered: an accepted claim stays bound to the
words it was accepted from, follows them when the copy moves, and a changed figure is
shown as changed since it was accepted, for the editor to re-read or keep."""

from __future__ import annotations

import datetime as dt

import pytest

from claims.models import CandidateRejection, Claim, ClaimEvent, Rating, RatingScale
from tests.factories import StoryFactory

pytestmark = pytest.mark.django_db

# Made up for these tests.
BODY = (
    "At least 27 people were killed in Aleppo yesterday, the Observatory said.\n\n"
    "Officials said 14 people were injured in Homs on Monday.\n\n"
    "Shops in the old market stayed shut."
)
OLD = "At least 27 people"
NEW = "At least 35 people"
EDITED = BODY.replace("At least 27", "At least 35")
INSERTED = "Rain fell on the city overnight, and the roads to the north were closed.\n\n" + BODY
FORM = {
    "headline": "Toll rises in Aleppo",
    "published_on": "2014-02-13",
    "published_time": "15:00",
    "byline": "",
    "url": "",
    "desk": "",
    "status": "draft",
}


@pytest.fixture
def story(editor, observatory):  # type: ignore[no-untyped-def]
    return StoryFactory(
        headline="Toll rises in Aleppo",
        body=BODY,
        published_at=dt.datetime(2014, 2, 13, 15, 0, tzinfo=dt.UTC),
        created_by=editor,
    )


def span(body: str, words: str) -> tuple[int, int]:
    start = body.index(words)
    return start, start + len(words)


def accepted(client, editor, story, words=OLD) -> Claim:  # type: ignore[no-untyped-def]
    client.force_login(editor)
    start, end = span(story.body, words)
    r = client.post(f"/stories/{story.pk}/accept/", {"start": start, "end": end})
    assert r.status_code == 302, r.content
    return Claim.objects.get(story_start=start)


def edit_body(client, editor, story, body: str) -> None:  # type: ignore[no-untyped-def]
    client.force_login(editor)
    r = client.post(f"/stories/{story.pk}/edit/", {**FORM, "body": body})
    assert r.status_code == 302, r.content
    story.refresh_from_db()


def card_for(client, story, words):  # type: ignore[no-untyped-def]
    r = client.get(f"/stories/{story.pk}/")
    assert r.status_code == 200
    return r, next(c for c in r.context["cards"] if c.words == words)


def change(client, story, words, action, **data):  # type: ignore[no-untyped-def]
    start, end = span(story.body, words)
    post = {"start": start, "end": end, "action": action, **data}
    return client.post(f"/stories/{story.pk}/changed/", post)


def verify(claim: Claim) -> None:
    scale = RatingScale.objects.create(name="Test scale")
    rating = Rating.objects.create(scale=scale, value=5, label="Accurate")
    Claim.objects.filter(pk=claim.pk).update(status="verified", verdict=rating)


# ---------------------------------------------------------------------------
# The same-length edit


def test_a_same_length_edit_shows_the_claim_as_changed_since_it_was_accepted(client, editor, story):
    claim = accepted(client, editor, story)
    assert (claim.story_words, claim.text) == (OLD, BODY.split("\n")[0])
    verify(claim)
    edit_body(client, editor, story, EDITED)
    r, card = card_for(client, story, NEW)
    assert card.found.claim_id == claim.pk
    assert card.found.changed is not None
    assert card.found.changed.words == OLD
    html = r.content.decode()
    assert "Changed since it was accepted" in html
    # The old claim (its figure, status and verdict) beside the new reading.
    card_html = html.split(f'id="cand-{card.key}"', 1)[1].split("</li>", 1)[0]
    assert "at least 27" in card_html and "at least 35" in card_html
    assert "Verified" in card_html and "Accurate" in card_html
    assert "is-changed" in html.split(f'id="mark-{card.key}"', 1)[0].rsplit("<mark", 1)[1]
    # Not shown as the accepted claim any more, and not offered to accept.
    assert r.context["summary"]["changed"] == 1
    start, end = card.span
    again = client.post(f"/stories/{story.pk}/accept/", {"start": start, "end": end})
    assert again.status_code == 409
    assert Claim.objects.count() == 1


def test_an_unchanged_story_shows_no_change(client, editor, story):
    claim = accepted(client, editor, story)
    edit_body(client, editor, story, BODY.replace("Shops", "Cafes"))
    r, card = card_for(client, story, OLD)
    assert (card.found.claim_id, card.found.changed) == (claim.pk, None)
    assert "Changed since it was accepted" not in r.content.decode()


def test_a_rejection_stands_only_while_the_same_words_stand_there(client, editor, story):
    client.force_login(editor)
    start, end = span(BODY, OLD)
    client.post(f"/stories/{story.pk}/reject/", {"start": start, "end": end})
    assert CandidateRejection.objects.get().words == OLD
    edit_body(client, editor, story, EDITED)
    assert card_for(client, story, NEW)[1].state == "open"
    edit_body(client, editor, story, BODY)
    assert card_for(client, story, OLD)[1].state == "rejected"


# ---------------------------------------------------------------------------
# Text inserted above: the claim follows its sentence


def test_an_accepted_claim_follows_its_sentence_when_text_is_inserted_above(client, editor, story):
    claim = accepted(client, editor, story, "14 people")
    edit_body(client, editor, story, INSERTED)
    claim.refresh_from_db()
    assert (claim.story_start, claim.story_end) == span(INSERTED, "14 people")
    _, card = card_for(client, story, "14 people")
    assert (card.state, card.found.claim_id, card.found.changed) == ("accepted", claim.pk, None)
    # The candidate now at the claim's old offsets is another one, still open.
    others = [c for c in client.get(f"/stories/{story.pk}/").context["cards"] if c != card]
    assert all(c.found.claim_id is None for c in others)


def test_a_claim_follows_when_the_body_was_changed_outside_the_desk(client, editor, story):
    claim = accepted(client, editor, story, "14 people")
    story.body = INSERTED
    story.save(update_fields=["body"])
    _, card = card_for(client, story, "14 people")
    assert (card.found.claim_id, card.found.changed) == (claim.pk, None)


# ---------------------------------------------------------------------------
# Re-read


def test_an_editor_re_reads_a_changed_figure(client, editor, story, observatory):
    claim = accepted(client, editor, story)
    edit_body(client, editor, story, EDITED)
    r = change(client, story, NEW, "reread", version=claim.version)
    assert r.status_code == 302, r.content
    claim.refresh_from_db()
    assert (claim.value_low, claim.text, claim.story_words) == (35, EDITED.split("\n")[0], NEW)
    assert claim.version == 2
    event = claim.events.order_by("-id").first()
    assert (event.kind, event.actor, event.note) == (
        ClaimEvent.Kind.EDITED,
        editor,
        "Re-read after the story changed.",
    )
    assert event.details["changed"]["value_low"] == [27, 35]
    _, card = card_for(client, story, NEW)
    assert (card.found.claim_id, card.found.changed) == (claim.pk, None)


def test_a_stale_re_read_is_a_conflict(client, editor, story):
    claim = accepted(client, editor, story)
    edit_body(client, editor, story, EDITED)
    r = change(client, story, NEW, "reread", version=claim.version + 1)
    assert r.status_code == 409
    claim.refresh_from_db()
    assert claim.value_low == 27


def test_a_decided_claim_is_re_read_only_by_whom_may_edit_it(client, editor, admin, story):
    claim = accepted(client, editor, story)
    verify(claim)
    edit_body(client, editor, story, EDITED)
    r, card = card_for(client, story, NEW)
    html = r.content.decode()
    assert "only an admin may change it" in html
    assert 'value="reread"' not in html.split(f'id="cand-{card.key}"', 1)[1].split("</li>")[0]
    assert change(client, story, NEW, "reread", version=1).status_code == 409
    assert Claim.objects.get().value_low == 27
    client.force_login(admin)
    assert change(client, story, NEW, "reread", version=1).status_code == 302
    claim.refresh_from_db()
    assert (claim.value_low, claim.status) == (35, "verified")
    assert claim.events.order_by("-id").first().actor == admin


@pytest.mark.parametrize("action", ["reread", "keep"])
def test_fact_checkers_and_outsiders_may_not_answer_a_change(
    client, editor, checker, outsider, story, action
):
    claim = accepted(client, editor, story)
    edit_body(client, editor, story, EDITED)
    client.force_login(checker)
    r, card = card_for(client, story, NEW)
    assert 'name="action"' not in r.content.decode()
    assert change(client, story, NEW, action, version=1, note="Fine.").status_code == 403
    client.force_login(outsider)
    assert change(client, story, NEW, action, version=1, note="Fine.").status_code == 404
    claim.refresh_from_db()
    assert (claim.value_low, claim.story_words, claim.version) == (27, OLD, 1)
    assert claim.events.count() == 1


# ---------------------------------------------------------------------------
# Keep


def test_an_editor_keeps_the_claim_and_the_change_is_no_longer_flagged(client, editor, story):
    claim = accepted(client, editor, story)
    verify(claim)
    edit_body(client, editor, story, EDITED)
    r = change(client, story, NEW, "keep", note="The copy desk rounded up; 27 is sourced.")
    assert r.status_code == 302, r.content
    claim.refresh_from_db()
    assert (claim.value_low, claim.status, claim.story_words) == (27, "verified", NEW)
    event = claim.events.order_by("-id").first()
    assert (event.kind, event.actor) == (ClaimEvent.Kind.EDITED, editor)
    assert event.note == "Kept after the story changed: The copy desk rounded up; 27 is sourced."
    assert event.details["changed"]["story_words"] == [OLD, NEW]
    r, card = card_for(client, story, NEW)
    assert (card.found.claim_id, card.found.changed) == (claim.pk, None)
    assert "Changed since it was accepted" not in r.content.decode()


def test_keeping_needs_a_reason(client, editor, story):
    claim = accepted(client, editor, story)
    edit_body(client, editor, story, EDITED)
    r = change(client, story, NEW, "keep", note="  ")
    assert r.status_code == 400
    assert "Say why" in r.content.decode()
    claim.refresh_from_db()
    assert claim.story_words == OLD


def test_an_unchanged_candidate_has_nothing_to_re_read_or_keep(client, editor, story):
    claim = accepted(client, editor, story)
    assert change(client, story, OLD, "keep", note="Fine.").status_code == 409
    assert change(client, story, OLD, "reread", version=claim.version).status_code == 409


def test_answering_a_change_is_a_post(client, editor, story):
    client.force_login(editor)
    assert client.get(f"/stories/{story.pk}/changed/").status_code == 405


# ---------------------------------------------------------------------------
# Query counts


def test_the_page_with_a_changed_claim_pins_its_queries(
    client, editor, story, django_assert_num_queries
):
    claim = accepted(client, editor, story)
    accepted(client, editor, story, "14 people")
    edit_body(client, editor, story, EDITED)
    client.get(f"/stories/{story.pk}/")
    # As with no claims (14, see test_story_views), plus the listed cards' claims (with
    # their places and verdicts joined) and their sources, and the claims table's sources.
    # Finding the claims' words in the edited copy takes none: the story's claims query
    # reads their words with their offsets. One more: the story's open corrections.
    with django_assert_num_queries(18):
        r = client.get(f"/stories/{story.pk}/")
    assert r.context["summary"]["changed"] == 1
    assert claim.pk in [c.found.claim_id for c in r.context["cards"]]


# ---------------------------------------------------------------------------
# The page's other ways in


def test_htmx_gets_the_card_after_an_answer(client, editor, story):
    claim = accepted(client, editor, story)
    edit_body(client, editor, story, EDITED)
    start, end = span(story.body, NEW)
    r = client.post(
        f"/stories/{story.pk}/changed/",
        {"start": start, "end": end, "action": "keep", "note": "Sourced.", "version": 1},
        HTTP_HX_REQUEST="true",
    )
    assert r.status_code == 200
    html = r.content.decode()
    assert f"Claim #{claim.pk} kept as it is." in html
    assert "Changed since it was accepted" not in html
    assert 'id="cand-summary"' in html  # the counts, out of band


def test_a_refused_keep_comes_back_to_htmx_in_its_card(client, editor, story):
    accepted(client, editor, story)
    edit_body(client, editor, story, EDITED)
    start, end = span(story.body, NEW)
    r = client.post(
        f"/stories/{story.pk}/changed/",
        {"start": start, "end": end, "action": "keep", "note": ""},
        HTTP_HX_REQUEST="true",
    )
    assert r.status_code == 400
    assert "Say why the claim stands." in r.content.decode()
    assert "Changed since it was accepted" in r.content.decode()


def test_the_to_review_filter_lists_changed_figures(client, editor, story):
    accepted(client, editor, story)
    edit_body(client, editor, story, EDITED)
    r = client.get(f"/stories/{story.pk}/?show=open")
    assert NEW in [c.words for c in r.context["cards"]]
    assert "1 changed in the copy since accepted" in r.content.decode()
